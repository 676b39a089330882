// The fields of each record's form, one place for labels, types and limits
// (the limits mirror functions/chalicelib/schemas/). A field:
//   name      the API's field
//   label     its locale key
//   type      text (default) | textarea | tel | idNumber | digit | date | choice | tags |
//             switch | grid | custom (the form fills a slot named after it)
//   only      'create' | 'edit': the field is in that form only
//   personal  masked by the API: an edit starts it empty and sends it only when typed
//   options   choice: the values; their labels are `${optionLabels}.${value}`
//   levels    grid: the levels that may be picked
export const RESIDENT_TYPES = ['registered', 'floating']
export const WORKER_KINDS = ['full_time', 'part_time', 'volunteer', 'supervisor']

const notes = (maxlength) => ({ name: 'notes', label: 'common.notes', type: 'textarea', maxlength })

export const HOUSEHOLD = [
  { name: 'grid_code', label: 'common.microGrid', type: 'grid', levels: ['micro'], required: true,
    only: 'create' },
  { name: 'address', label: 'household.address', required: true, maxlength: 120 },
  { name: 'head_name', label: 'household.head', maxlength: 30 },
  notes(1000),
]

export const RESIDENT = [
  { name: 'name', label: 'person.name', required: true, maxlength: 30 },
  { name: 'id_number', label: 'person.idNumber', type: 'idNumber', required: true, personal: true },
  { name: 'phone', label: 'person.phone', type: 'tel', personal: true },
  { name: 'resident_type', label: 'resident.type', type: 'choice', options: RESIDENT_TYPES,
    optionLabels: 'residentTypes', initial: 'registered' },
  { name: 'tags', label: 'resident.tags', type: 'tags' },
  { name: 'relation', label: 'resident.relation', maxlength: 20 },
  notes(1000),
]

export const RENTAL = [
  { name: 'grid_code', label: 'common.microGrid', type: 'grid', levels: ['micro'], required: true,
    only: 'create' },
  { name: 'address', label: 'rental.address', required: true, maxlength: 120 },
  { name: 'owner_name', label: 'rental.owner', required: true, maxlength: 30 },
  { name: 'owner_phone', label: 'rental.ownerPhone', type: 'tel', personal: true },
  { name: 'responsible_worker_id', label: 'rental.worker', type: 'custom' },
  { name: 'rooms', label: 'rental.rooms', type: 'digit', maxlength: 3 },
  notes(1000),
]

export const TENANT = [
  { name: 'name', label: 'person.name', required: true, maxlength: 30 },
  { name: 'id_number', label: 'person.idNumber', type: 'idNumber', required: true, only: 'create' },
  { name: 'phone', label: 'person.phone', type: 'tel', personal: true },
  { name: 'move_in', label: 'tenant.moveIn', type: 'date', required: true },
  { name: 'move_out', label: 'tenant.moveOut', type: 'date', only: 'edit' },
  { name: 'workplace', label: 'tenant.workplace', maxlength: 60 },
  notes(500),
]

export const WORKER = [
  { name: 'name', label: 'person.name', required: true, maxlength: 30 },
  { name: 'phone', label: 'person.phone', type: 'tel', required: true, personal: true },
  { name: 'kind', label: 'worker.kind', type: 'choice', options: WORKER_KINDS,
    optionLabels: 'workerKinds', initial: 'part_time' },
  { name: 'grid_code', label: 'worker.grid', type: 'grid', required: true },
  { name: 'is_leader', label: 'worker.isLeader', type: 'switch', initial: false },
  notes(1000),
]

export const GRID = [
  { name: 'name', label: 'grid.name', required: true, maxlength: 60 },
  { name: 'code', label: 'grid.newCode', only: 'create', maxlength: 16 },
  { name: 'leader_worker_id', label: 'grid.leader', type: 'custom' },
  { name: 'party_members', label: 'grid.partyGroup', type: 'custom', initial: [] },
  // GeoJSON; the form sends {} to remove one (schemas/grids.py).
  { name: 'boundary', label: 'grid.boundary', type: 'custom' },
  notes(2000),
]

export function fieldsFor(fields, mode) {
  return fields.filter((field) => !field.only || field.only === mode)
}

// An account (functions/chalicelib/schemas/users.py). The role's options are the
// ones the administrator may give (accounts/rules.js), so the form fills them in.
export const ACCOUNT = [
  { name: 'name', label: 'person.name', required: true, maxlength: 40 },
  { name: 'phone', label: 'person.phone', type: 'tel', required: true, maxlength: 11, only: 'create' },
  { name: 'role', label: 'accounts.role', type: 'choice', optionLabels: 'roles', required: true },
  { name: 'scope_code', label: 'accounts.scopeGrid', type: 'grid', required: true },
  { name: 'worker_id', label: 'accounts.worker', type: 'custom', only: 'create' },
  { name: 'initial_password', label: 'accounts.initialPasswordField', type: 'custom', required: true,
    only: 'create' },
]

export const API_KEY = [
  { name: 'name', label: 'apiKeys.name', required: true, maxlength: 60 },
  { name: 'scope_code', label: 'accounts.scopeGrid', type: 'grid', required: true },
  { name: 'operations', label: 'apiKeys.operations', type: 'custom', initial: [] },
]

// The fields of the ledgers' forms: households, residents, rentals, tenants
// (see records/fields.js for what a field is).
import { notes } from '../records/fields.js'

export const RESIDENT_TYPES = ['registered', 'floating']

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

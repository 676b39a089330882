// The fields of a grid's form (see records/fields.js for what a field is).
import { notes } from '../records/fields.js'

export const GRID = [
  { name: 'name', label: 'grid.name', required: true, maxlength: 60 },
  { name: 'code', label: 'grid.newCode', only: 'create', maxlength: 16 },
  { name: 'leader_worker_id', label: 'grid.leader', type: 'custom' },
  { name: 'party_members', label: 'grid.partyGroup', type: 'custom', initial: [] },
  // GeoJSON; the form sends {} to remove one (schemas/grids.py).
  { name: 'boundary', label: 'grid.boundary', type: 'custom' },
  notes(2000),
]

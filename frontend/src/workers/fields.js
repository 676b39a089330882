// The fields of a worker's form (see records/fields.js for what a field is).
import { notes } from '../records/fields.js'

export const WORKER_KINDS = ['full_time', 'part_time', 'volunteer', 'supervisor']

export const WORKER = [
  { name: 'name', label: 'person.name', required: true, maxlength: 30 },
  { name: 'phone', label: 'person.phone', type: 'tel', required: true, personal: true },
  { name: 'kind', label: 'worker.kind', type: 'choice', options: WORKER_KINDS,
    optionLabels: 'workerKinds', initial: 'part_time' },
  { name: 'grid_code', label: 'worker.grid', type: 'grid', required: true },
  { name: 'is_leader', label: 'worker.isLeader', type: 'switch', initial: false },
  notes(1000),
]

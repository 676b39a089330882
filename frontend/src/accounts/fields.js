// The fields of an account's and an API key's forms (see records/fields.js for what a
// field is). An account: functions/chalicelib/schemas/users.py; the role's options are the
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

// What the accounts screens need to know of the API's rules, in one place.
import { ROLES } from '../features.js'

// functions/chalicelib/domain/roles.py RANK: an admin creates, edits and resets
// accounts of its own rank or below; every other role ranks below both admins.
const RANK = { county_admin: 0, town_admin: 1 }
const STAFF_RANK = 2
const rankOf = (role) => RANK[role] ?? STAFF_RANK

/** The roles `adminRole` may give an account, in the app's order. */
export function assignableRoles(adminRole) {
  if (!(adminRole in RANK)) return []
  return ROLES.filter((role) => rankOf(role) >= RANK[adminRole])
}

// functions/chalicelib/usecases/api_keys.py MACHINE_OPERATIONS.
export const MACHINE_OPERATIONS = ['grids.read', 'cases.create', 'cases.read', 'cases.follow_up']
// Its label's key: vue-i18n reads the dot of `cases.read` as a path.
export const operationLabel = (operation) => `apiKeys.ops.${operation.replace('.', '_')}`

// No 0/O, 1/l/I: an administrator reads the password out to a worker by phone.
const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
const DIGITS = '23456789'

/** An initial password that meets the API's rules (domain/passwords.py): ten
 *  characters, letters and digits, easy to read out. */
export function suggestPassword(random = (n) => globalThis.crypto.getRandomValues(new Uint32Array(n))) {
  const pool = LETTERS + DIGITS
  const draws = random(10)
  const chars = [...draws].map((draw, i) => {
    if (i === 0) return LETTERS[draw % LETTERS.length]
    if (i === 9) return DIGITS[draw % DIGITS.length]
    return pool[draw % pool.length]
  })
  return chars.join('')
}

// Where a record named in the audit log (`kind#id`) is shown in the app.
const RECORD_PAGES = {
  user: '/accounts', grid: '/grids', household: '/households', resident: '/residents',
  rental: '/rentals', tenant: '/tenants', worker: '/workers', case: '/cases',
}

/** { kind, id, page } of an audit record such as `resident#abc`; page is null
 *  when the app has no screen for it (an import, an API key). */
export function auditRecord(record) {
  const at = record.indexOf('#')
  const kind = at < 0 ? record : record.slice(0, at)
  const id = at < 0 ? '' : record.slice(at + 1)
  const base = RECORD_PAGES[kind]
  return { kind, id, page: base && id ? `${base}/${encodeURIComponent(id)}` : null }
}

/** The ISO instant a Shanghai calendar day (YYYY-MM-DD) starts, or the next one
 *  does (`end`), for the audit log's from/to. */
export function shanghaiDayBound(day, { end = false } = {}) {
  const start = Date.parse(`${day}T00:00:00+08:00`)
  if (Number.isNaN(start)) return ''
  return new Date(start + (end ? 86_400_000 : 0)).toISOString()
}

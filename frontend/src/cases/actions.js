// The steps of the case loop a screen offers: exactly those the server lists in
// a case's `allowed_actions`, in the order of the loop, each with what it asks
// for before it is sent. Which steps need a note mirrors the `needs_note` rules
// of functions/chalicelib/domain/case_flow.py (the server checks it anyway).
import { CHECKERS, LEADERS, mayReport } from './roles.js'

export const ACTIONS = {
  register: { style: 'primary' },
  reject: { note: 'required', style: 'danger' },
  dispatch: { worker: true, style: 'primary' },
  accept: { style: 'primary' },
  handle: { note: 'required', photos: true, style: 'primary' },
  verify: { style: 'primary' },
  send_back: { note: 'required', style: 'warning' },
  close: { style: 'primary' },
  escalate: { note: 'required', style: 'warning' },
  reopen: { note: 'required', style: 'warning' },
}

/** The actions to show for a case read from the API, in the loop's order; an action
 *  this build does not know (a newer server) is left out rather than guessed at. */
export function actionsFor(detail) {
  const allowed = new Set(detail?.allowed_actions || [])
  return Object.keys(ACTIONS).filter((action) => allowed.has(action))
    .map((action) => ({ action, ...ACTIONS[action] }))
}

export const needsNote = (action) => ACTIONS[action]?.note === 'required'

/** The body of POST /cases/{id}/transitions: the version the decision was made on,
 *  and only the fields this action takes. */
export function transitionBody(detail, action, { note = '', workerId = '', gridCode = '' } = {}) {
  const body = { action, version: detail.version }
  if (note.trim()) body.note = note.trim()
  if (ACTIONS[action]?.worker) {
    body.worker_id = workerId
    if (gridCode) body.grid_code = gridCode
  }
  return body
}

// The levels a case is handled at (小事不出网格、大事不出村): town, village, and the
// grid where it happens, by the lengths of their unified codes (domain/grid_codes.py).
const TOWN_LENGTH = 9
const VILLAGE_LENGTH = 12

/** The grids a dispatch may hand the case to, from the highest the user's scope
 *  allows down to the grid where it happens: a town's dispatcher sends an
 *  escalated case back down to the village or the micro-grid. */
export function dispatchLevels(detail, user) {
  const where = detail.location_grid
  const codes = [TOWN_LENGTH, VILLAGE_LENGTH, where.length].filter((length) => length <= where.length)
    .map((length) => where.slice(0, length))
  return [...new Set(codes)].filter((code) => code.startsWith(user?.scope_code || '\0'))
}

/** A form's problem before sending: 'noteRequired', 'workerRequired' or ''. */
export function missingInput(action, { note = '', workerId = '' } = {}) {
  if (needsNote(action) && !note.trim()) return 'noteRequired'
  if (ACTIONS[action]?.worker && !workerId) return 'workerRequired'
  return ''
}

/** 409s that mean someone else acted first: the case must be read again. */
export const STALE_CODES = new Set(['version_conflict', 'illegal_transition'])

const OPEN = new Set(['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'verified'])

/** What else a user may add to a case, as cases.py and case_flow.py allow it:
 *  a comment (anyone who reports), the first contact with the resident who
 *  reported it (its handler or a leader, once, while open), the follow-up call's
 *  result (a checker, once, after closing). */
export function followUpsFor(detail, user) {
  if (!detail || !user) return []
  const handler = Boolean(user.worker_id) && user.worker_id === detail.handler_worker_id
  const fromResident = Boolean(detail.reporter_phone || detail.reporter_name || detail.ticket_id)
  return [
    ...(mayReport(user) ? ['comment'] : []),
    ...(fromResident && OPEN.has(detail.state) && !detail.first_contact_at &&
      (handler || LEADERS.includes(user.role)) ? ['first_contact'] : []),
    ...(detail.state === 'closed' && !detail.satisfaction && CHECKERS.includes(user.role)
      ? ['satisfaction'] : []),
  ]
}

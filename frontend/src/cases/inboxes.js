// The inboxes of the case loop (GET /cases?box=…): which a role sees, which it
// opens on, and the list each reads.

export const STATES = ['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'verified',
  'closed', 'rejected']

// As functions/chalicelib/domain/case_flow.py names them.
const LEADERS = ['grid_leader', 'dispatcher', 'town_admin', 'county_admin']
const CHECKERS = [...LEADERS, 'supervisor']

/** The boxes a user sees, in tab order: "mine" needs a worker account (cases are
 *  dispatched to workers), "to verify" a role that may verify. */
export function boxesFor(user) {
  if (!user) return []
  return [
    ...(user.worker_id ? ['mine'] : []),
    'subtree',
    'overdue',
    'escalated',
    ...(CHECKERS.includes(user.role) ? ['to_verify'] : []),
  ]
}

/** The box a user's inbox opens on: what they are most likely to act on next. */
export function defaultBox(user) {
  const boxes = boxesFor(user)
  if (user?.role === 'supervisor') return 'to_verify'
  if (user?.role === 'grid_worker' && boxes.includes('mine')) return 'mine'
  return 'subtree'
}

/** The list path of a box (usePaged adds limit and cursor). */
export function inboxPath({ box, state, scope }) {
  const query = new URLSearchParams({ box })
  if (box === 'subtree' && state) query.set('state', state)
  if (scope && box !== 'mine') query.set('scope', scope)
  return `/cases?${query}`
}

/** Roles that may report a case (POST /cases), as the API's access rule says. */
export const REPORTERS = [...CHECKERS, 'grid_worker']
export const mayReport = (user) => REPORTERS.includes(user?.role)
export const mayVerify = (user) => CHECKERS.includes(user?.role)

// The inboxes of the case loop (GET /cases?box=…): which a role sees, which it
// opens on, and the list each reads.
import { mayReport, mayVerify } from './roles.js'

export const STATES = ['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'verified',
  'closed', 'rejected']

/** The boxes a user sees, in tab order: "mine" needs a worker account (cases are
 *  dispatched to workers), "reported" (mine reported) a role that may report,
 *  "to verify" a role that may verify. */
export function boxesFor(user) {
  if (!user) return []
  return [
    ...(user.worker_id ? ['mine'] : []),
    ...(mayReport(user) ? ['reported'] : []),
    'subtree',
    'overdue',
    'escalated',
    ...(mayVerify(user) ? ['to_verify'] : []),
  ]
}

/** The box a user's inbox opens on: what they are most likely to act on next. */
export function defaultBox(user) {
  const boxes = boxesFor(user)
  if (user?.role === 'supervisor') return 'to_verify'
  if (user?.role === 'grid_worker' && boxes.includes('mine')) return 'mine'
  return 'subtree'
}

// Boxes of the user's own cases, wherever they lie.
export const UNSCOPED = ['mine', 'reported']

/** The list path of a box (usePaged adds limit and cursor). */
export function inboxPath({ box, state, scope }) {
  const query = new URLSearchParams({ box })
  if (box === 'subtree' && state) query.set('state', state)
  if (scope && !UNSCOPED.includes(box)) query.set('scope', scope)
  return `/cases?${query}`
}

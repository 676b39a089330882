// What waits (GET /case-waiting): counted on the server by counters kept with every
// case change, never by reading the lists. One answer per user and scope, shared by
// the home screen's 待办 card, the 事件 tab's badge and the inbox tabs' badges.
import { reactive } from 'vue'
import { get } from '../api/client.js'
import { user } from '../auth/session.js'
import { defaultBox } from './inboxes.js'

const OPEN_STATES = ['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'verified']
const answers = reactive({})

const keyOf = (scope) => `${user.value?.user_id}|${scope}`

/** The counts of a scope (default: the user's), as last read; null before. */
export function waitingIn(scope = user.value?.scope_code) {
  return answers[keyOf(scope)] || null
}

/** Read the counts of a scope again. Counts are extra: without an answer none shows. */
export async function loadWaiting(scope = user.value?.scope_code) {
  if (!scope || !user.value) return null
  const key = keyOf(scope)
  try {
    answers[key] = await get(`/case-waiting?scope=${encodeURIComponent(scope)}`)
  } catch {
    return null
  }
  return answers[key]
}

/** The count of one inbox (its badge); null where none is kept (a closed state, mine
 *  for an account that is no worker's, my reports). */
export function boxCount(waiting, box, state = 'reported') {
  if (!waiting) return null
  return {
    mine: waiting.mine,
    subtree: OPEN_STATES.includes(state) ? waiting[state] : null,
    overdue: waiting.overdue,
    escalated: waiting.escalated,
    to_verify: waiting.handled,
  }[box] ?? null
}

/** The count on the 事件 tab: what the inbox the user opens on holds. */
export function tabCount(waiting, who = user.value) {
  return boxCount(waiting, defaultBox(who))
}

/** A badge's value: nothing for none. */
export const badge = (count) => (count ? count : undefined)

// The app's outbox, wired to the API client, the session and the network.
import { computed, toRaw, watch } from 'vue'
import { user } from '../auth/session.js'
import { network } from '../network.js'
import { createOutbox } from './outbox.js'
import { kindOf, sendJson } from './kinds.js'
import { openStore } from './store.js'

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('wangge-outbox') : null

export const outbox = createOutbox({
  openStore,
  currentUserId: () => user.value?.user_id || null,
  isOnline: () => network.online,
  send: (entry) => (kindOf(entry).send || sendJson)(entry),
  onChange: () => channel?.postMessage('changed'),
})

outbox.on(({ type, entry, answer }) => {
  if (type !== 'synced') return
  kindOf(entry).synced?.(answer, entry)
  // The tab that queued the write may not be the one whose turn it was to send it.
  channel?.postMessage({ sent: entry.seq, outcome: toRaw(outbox.outcomeOf(entry.seq)) })
})

/**
 * What became of a write this screen queued (`seqOf()`: the seq of the entry
 * `submit` answered 'queued' with): null while unknown, else { status: 'pending' |
 * 'failed' | 'sent', error (failed: the server's), answer and link (sent: where
 * what it made is shown, from its kind) }.
 */
export function useOutcome(seqOf) {
  return computed(() => {
    const seq = seqOf()
    const outcome = seq == null ? null : outbox.outcomeOf(seq)
    if (!outcome) return null
    if (outcome.status !== 'sent') return outcome
    return { ...outcome, link: kindOf(outcome).link?.(outcome.answer) || null }
  })
}

/** The signed-in user's entries; others' wait until their owner signs in here. */
export const myEntries = computed(() => outbox.state.entries
  .filter((entry) => entry.userId === user.value?.user_id))
export const pendingCount = computed(() => myEntries.value.filter((e) => e.status === 'pending').length)
export const failedCount = computed(() => myEntries.value.filter((e) => e.status === 'failed').length)

let started = false

/** Load the outbox and send on every occasion: now, when the network returns
 *  or the server answers again, when the app comes back to the foreground, and
 *  when another tab changes it. */
export function startOutbox() {
  if (started) return
  started = true
  outbox.reload().then(() => outbox.flush()).catch(() => {})
  if (channel) {
    channel.onmessage = ({ data }) => {
      if (data?.sent != null && data.outcome) outbox.learn(data.sent, data.outcome)
      outbox.reload().catch(() => {})
    }
  }
  window.addEventListener('online', () => { network.online = true; outbox.flush() })
  window.addEventListener('offline', () => { network.online = false })
  // The server answered again (any screen's call): what waited goes out now.
  watch(() => network.answering, (answering) => answering && outbox.flush())
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') outbox.flush()
  })
}

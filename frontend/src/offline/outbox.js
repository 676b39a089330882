// The outbox: every write the app makes goes through here, online or not.
//
// An entry is stored in IndexedDB before anything is sent, with a
// client-generated id that goes out as the `Idempotency-Key` header. Each
// user's entries are sent one at a time in the order they were made (`seq`):
//   - answered 2xx       → removed; listeners get the server's answer.
//   - no answer, 408, 429, 5xx, 401 (the session is being renewed),
//     403 password_change_required, 409 idempotency_in_progress
//                        → stays pending with the SAME id, so a write the server
//                          did apply but whose answer was lost is answered from
//                          the server's idempotency record, not applied again.
//                          Sending stops and resumes when the network returns,
//                          the app comes to the foreground, on a backoff timer,
//                          or on "sync now".
//   - any other 4xx      → marked failed with the server's error and kept for the
//                          user to retry or discard; never dropped silently. The
//                          entries after it go on.
// A write that carries `version` (optimistic locking) and follows another write
// to the same path made from the same version, and was never sent, is rebased
// on the version the first one produced: two offline edits both land.
//
// What became of an entry is kept in `state.outcomes` by its `seq` (which a
// retry keeps, though the id changes): sent with the server's answer, so a screen
// that queued a write can say it went and link to what it made; while it waits or
// after it failed, the entry itself says so (`outcomeOf`). An event says whether
// the entry waited (`queued`): sent by a later run, not by its own `submit`.
//
// `send(entry)` is given by the caller (offline/index.js picks it by the entry's
// kind). Entries are stored by structured clone, so a kind's entry may carry
// `files` (Blobs, e.g. a photo) next to its JSON `body`.
import { reactive } from 'vue'
import { ApiError } from '../api/client.js'
import { uuid } from './uuid.js'

const RETRY_DELAYS_MS = [2000, 5000, 15000, 30000, 60000, 120000, 300000]
const KEEP_PENDING_CODES = new Set(['password_change_required', 'idempotency_in_progress'])

const keepsPending = (error) => error.transient || error.status === 401 ||
  KEEP_PENDING_CODES.has(error.code)

export function createOutbox({ openStore, send, currentUserId, isOnline = () => true,
  onChange = () => {} }) {
  const state = reactive({ entries: [], outcomes: {}, flushing: false, ready: false,
    persistent: true })
  const listeners = new Set()
  const submitting = new Set()
  let storePromise = null
  let running = null
  let again = false
  let timer = null
  let failures = 0

  const store = () => (storePromise ||= openStore().then((opened) => {
    state.persistent = opened.persistent
    return opened
  }))

  async function reload() {
    state.entries = (await (await store()).all()).sort((a, b) => a.seq - b.seq)
    state.ready = true
    return state.entries
  }

  function emit(type, entry, detail) {
    listeners.forEach((fn) => fn({ type, entry, queued: !submitting.has(entry.id), ...detail }))
  }

  async function changed() {
    await reload()
    onChange()
  }

  /** Store a write: { kind, method, path, body, files?, summary? }. Returns the entry. */
  async function enqueue({ kind, method, path, body, files = null, summary = null }) {
    const userId = currentUserId()
    if (!userId) throw new Error('outbox: nobody is signed in')
    const now = Date.now()
    const entry = { id: uuid(), userId, kind, method, path, body, files, summary,
      status: 'pending', attempts: 0, lastError: null, createdAt: now, updatedAt: now }
    entry.seq = await (await store()).add(entry)
    await changed()
    return entry
  }

  async function rebase(opened, sent, answer) {
    const from = sent.body?.version
    const to = answer?.version
    if (typeof from !== 'number' || typeof to !== 'number') return
    for (const other of await opened.all()) {
      // Only entries never sent: one that was sent may have been applied as it was.
      if (other.seq > sent.seq && other.status === 'pending' && other.attempts === 0 &&
          other.userId === sent.userId && other.method === sent.method &&
          other.path === sent.path && other.body?.version === from) {
        await opened.put({ ...other, body: { ...other.body, version: to }, updatedAt: Date.now() })
      }
    }
  }

  async function nextPending(opened, userId) {
    return (await opened.all()).filter((e) => e.userId === userId && e.status === 'pending')
      .sort((a, b) => a.seq - b.seq)[0]
  }

  async function sendPending() {
    const opened = await store()
    const userId = currentUserId()
    let sent = 0
    while (userId && isOnline()) {
      const entry = await nextPending(opened, userId)
      if (!entry) { failures = 0; break }
      try {
        const answer = await send(entry)
        await opened.delete(entry.seq)
        await rebase(opened, entry, answer)
        sent += 1
        failures = 0
        state.outcomes[entry.seq] = { status: 'sent', answer, kind: entry.kind,
          summary: entry.summary, at: Date.now() }
        emit('synced', entry, { answer })
      } catch (error) {
        if (!(error instanceof ApiError)) throw error
        const keep = keepsPending(error)
        await opened.put({ ...entry, attempts: entry.attempts + 1, updatedAt: Date.now(),
          status: keep ? 'pending' : 'failed',
          lastError: { status: error.status, code: error.code, message: error.message,
            details: error.details, retryAfter: error.retryAfter, at: Date.now() } })
        if (keep) {
          failures += 1
          scheduleRetry()
          break
        }
        emit('failed', entry, { error })
      }
    }
    return sent
  }

  function scheduleRetry() {
    clearTimeout(timer)
    const delay = RETRY_DELAYS_MS[Math.min(failures - 1, RETRY_DELAYS_MS.length - 1)]
    timer = setTimeout(() => flush(), delay)
  }

  /** Send what is pending, in order; resolves to how many were sent. Concurrent
   *  calls share one run (a call during a run makes it go round once more), and
   *  tabs take turns by Web Lock. */
  function flush() {
    if (running) { again = true; return running }
    clearTimeout(timer)
    state.flushing = true
    const locks = typeof navigator !== 'undefined' && navigator.locks
    const once = () => (locks?.request ? locks.request('wangge-outbox', sendPending) : sendPending())
    running = (async () => {
      let total = 0
      try {
        do {
          again = false
          total += await once()
        } while (again)
      } finally {
        running = null
        state.flushing = false
        await changed()
      }
      return total
    })()
    return running
  }

  /**
   * Store a write and try to send it now: what a screen's "save" calls.
   * Resolves to { outcome: 'sent', answer } | { outcome: 'queued' } |
   * { outcome: 'refused', error }. A refused write is removed unless
   * keepRefused: the screen shows the error beside the form that still holds
   * the input, so nothing is lost.
   */
  async function submit(write, { keepRefused = false } = {}) {
    const entry = await enqueue(write)
    let result = { outcome: 'queued', entry }
    const off = on((event) => {
      if (event.entry.id !== entry.id) return
      result = event.type === 'synced' ? { outcome: 'sent', entry, answer: event.answer }
        : { outcome: 'refused', entry, error: event.error }
    })
    submitting.add(entry.id)
    try {
      await flush()
    } finally {
      submitting.delete(entry.id)
      off()
    }
    if (result.outcome === 'refused' && !keepRefused) await discard(entry.seq)
    return result
  }

  /** A failed entry, sent again by the user's choice (optionally with changes to
   *  its body): a new write, so a new id. */
  async function retry(seq, bodyChanges = null) {
    const opened = await store()
    const entry = await opened.get(seq)
    // A pending entry may have reached the server already: only its own id may resend it.
    if (entry?.status !== 'failed') return flush()
    await opened.put({ ...entry, id: uuid(), status: 'pending', lastError: null,
      body: bodyChanges ? { ...entry.body, ...bodyChanges } : entry.body, updatedAt: Date.now() })
    await changed()
    return flush()
  }

  async function discard(seq) {
    await (await store()).delete(seq)
    await changed()
  }

  function on(fn) {
    listeners.add(fn)
    return () => listeners.delete(fn)
  }

  /** What became of the entry stored as `seq`: { status: 'pending' | 'failed', entry }
   *  while it is kept, { status: 'sent', answer } once sent, null when unknown here
   *  (discarded, or sent by another tab). */
  function outcomeOf(seq) {
    if (state.outcomes[seq]) return state.outcomes[seq]
    const entry = state.entries.find((e) => e.seq === seq)
    return entry ? { status: entry.status, entry, error: entry.lastError } : null
  }

  /** An outcome learnt elsewhere (another tab sent the entry). */
  function learn(seq, outcome) {
    state.outcomes[seq] = outcome
  }

  return { state, enqueue, submit, flush, retry, discard, reload, on, outcomeOf, learn }
}

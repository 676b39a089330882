// What the signed-in user last read from the API, kept on the phone so that a
// screen opened again without signal shows it (marked with when it was read)
// instead of an error. Only masked answers are kept: a `?reveal=true` read is
// never stored. Everything kept is dropped when the session ends, and each
// entry is filed under its user, so one phone shared by two workers does not
// show one the other's ledger. The browser's Cache Storage holds it; where
// there is none (old in-app browsers, tests) nothing is kept.
import { network } from '../network.js'

const CACHE = 'wangge-reads'
const MAX_ENTRIES = 400 // pages of lists and records: a few MB at most
const SAVED_AT = 'X-Wangge-Saved-At'

const storage = () => globalThis.caches || null
const keyOf = (userId, path) => `/kept/${encodeURIComponent(userId)}${path}`

export const keepable = (path) => !/[?&]reveal=true(&|$)/.test(path)

export async function keep(userId, path, body, now = Date.now()) {
  const caches = storage()
  if (!caches || !keepable(path)) return
  try {
    const cache = await caches.open(CACHE)
    await cache.put(keyOf(userId, path), new Response(JSON.stringify(body), {
      headers: { 'Content-Type': 'application/json', [SAVED_AT]: String(now) } }))
    const keys = await cache.keys()
    // Keys come oldest first: drop the oldest beyond the cap.
    await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES)).map((k) => cache.delete(k)))
  } catch {
    // Storage full or refused (private mode): the read itself succeeded.
  }
}

/** { body, savedAt } kept for this user and path, or null. */
export async function kept(userId, path) {
  const caches = storage()
  if (!caches) return null
  try {
    const cache = await caches.open(CACHE)
    const found = await cache.match(keyOf(userId, path))
    if (!found) return null
    return { body: await found.json(), savedAt: Number(found.headers.get(SAVED_AT)) }
  } catch {
    return null
  }
}

export async function forgetKept() {
  try {
    await storage()?.delete(CACHE)
  } catch { /* nothing kept */ }
}

/** Tell the app the screen shows what was kept at `savedAt` (null: live data again). */
export function showingKept(savedAt) {
  network.keptFrom = savedAt
}

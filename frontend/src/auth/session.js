// The signed-in session: tokens and the user's profile, kept in localStorage so
// a worker stays signed in across WeChat restarts, and shared between tabs.
//
// Refresh tokens rotate: every refresh spends the old one, and presenting a
// spent one revokes the whole family. So refreshes are single-flight within a
// tab and serialised across tabs (Web Locks when present), and before
// refreshing we re-read storage: if another tab already rotated, we adopt its
// tokens instead of spending a stale one.
import { computed, reactive } from 'vue'
import { request, setAuthProvider } from '../api/client.js'
import { forgetKept } from '../api/kept.js'

const KEY = 'wangge.session'
const REFRESH_EARLY_MS = 60 * 1000

function read() {
  try {
    const raw = localStorage.getItem(KEY)
    const data = raw ? JSON.parse(raw) : null
    return data && data.access_token && data.refresh_token ? data : null
  } catch {
    return null
  }
}

function write(data) {
  try {
    if (data) localStorage.setItem(KEY, JSON.stringify(data))
    else localStorage.removeItem(KEY)
  } catch { /* storage full or blocked: the session lives in memory only */ }
}

export const session = reactive({ data: read() })

export const signedIn = computed(() => Boolean(session.data))
export const user = computed(() => session.data?.user || null)
export const mustChangePassword = computed(() => Boolean(session.data?.must_change_password))

const lostListeners = new Set()
const passwordListeners = new Set()
export function onSessionLost(fn) { lostListeners.add(fn); return () => lostListeners.delete(fn) }
export function onPasswordChangeRequired(fn) { passwordListeners.add(fn); return () => passwordListeners.delete(fn) }

/** Store a `Session` answer of /auth/login, /auth/refresh or /auth/password. */
export function adopt(answer, now = Date.now()) {
  const data = {
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    expires_at: now + (answer.expires_in || 900) * 1000,
    must_change_password: Boolean(answer.must_change_password ?? answer.user?.must_change_password),
    user: answer.user || session.data?.user || null,
  }
  session.data = data
  write(data)
  return data
}

export function setUser(profile) {
  if (!session.data) return
  session.data = { ...session.data, user: profile,
    must_change_password: Boolean(profile.must_change_password) }
  write(session.data)
}

export function clear() {
  session.data = null
  write(null)
  forgetKept()
}

export async function login(phone, password) {
  try {
    return adopt(await request('POST', '/auth/login', { body: { phone, password }, auth: false }))
  } catch (error) {
    // A 429 from the login route means this phone is locked out, whatever code
    // it carries (docs/api-auth.md says account_locked; the server sends too_many_requests).
    if (error.status === 429) error.code = 'account_locked'
    throw error
  }
}

export async function changePassword(currentPassword, newPassword) {
  const answer = await request('POST', '/auth/password', {
    body: { current_password: currentPassword, new_password: newPassword },
  })
  return adopt(answer)
}

export async function logout() {
  const refreshToken = session.data?.refresh_token
  try {
    if (refreshToken) {
      await request('POST', '/auth/logout', { body: { refresh_token: refreshToken }, retries: 0,
        timeoutMs: 5000 })
    }
  } catch {
    // Offline or already expired: forgetting the tokens here is what matters.
  } finally {
    clear()
  }
}

let inflight = null

/** Resolves true when there is a fresh access token, false when the session is over;
 *  rejects with ApiError network_error/timeout when the server cannot be reached. */
function refresh() {
  if (!inflight) inflight = refreshSerialised().finally(() => { inflight = null })
  return inflight
}

async function refreshSerialised() {
  const spent = session.data?.refresh_token
  if (!spent) return false
  const run = async () => {
    // Storage may be blocked (the session then lives in this tab only); a sign-out
    // in another tab has already cleared session.data through the storage event.
    const latest = read() || session.data
    if (!latest) return false
    if (latest.refresh_token !== spent) { session.data = latest; return true }
    try {
      adopt(await request('POST', '/auth/refresh', { body: { refresh_token: spent }, auth: false,
        retries: 0 })) // never resend: a resent spent token would revoke the family

      return true
    } catch (error) {
      if (error.status === 401 || error.status === 400 || error.status === 403) {
        clear()
        return false
      }
      throw error
    }
  }
  const locks = typeof navigator !== 'undefined' && navigator.locks
  return locks?.request ? locks.request('wangge-refresh', run) : run()
}

async function accessToken() {
  if (!session.data) return null
  if (session.data.expires_at - Date.now() < REFRESH_EARLY_MS) {
    try { await refresh() } catch { /* offline: try the old token; a 401 refreshes again */ }
  }
  return session.data?.access_token || null
}

setAuthProvider({
  accessToken,
  refresh,
  userId: () => session.data?.user?.user_id || null,
  lost(error) {
    clear()
    lostListeners.forEach((fn) => fn(error))
  },
  passwordChangeRequired(error) {
    if (session.data && !session.data.must_change_password) {
      session.data = { ...session.data, must_change_password: true }
      write(session.data)
    }
    passwordListeners.forEach((fn) => fn(error))
  },
})

if (typeof window !== 'undefined') {
  // Another tab signed in, refreshed or signed out.
  window.addEventListener('storage', (event) => {
    if (event.key === KEY || event.key === null) session.data = read()
  })
}

// The one API client every screen uses.
//
// - Prefixes /api/v1, sends JSON, adds `Authorization: Bearer …` from the auth
//   provider (auth/session.js) and an `Idempotency-Key` when asked.
// - Turns every failure into an ApiError with a stable `code`: the server's
//   error envelope code, or `network_error` / `timeout` when no answer came.
//   api/messages.js turns codes into Chinese (or English) sentences.
// - On 401 (but for a wrong password typed into a form) it asks the auth
//   provider to refresh the session once, then retries the request; when that
//   fails the session is over.
// - Idempotent calls (GETs, and writes that carry an Idempotency-Key) are
//   retried with exponential backoff and jitter on transient failures (no
//   answer, 408, 429, 5xx); other writes never are. Screens send writes through
//   the offline outbox (offline/outbox.js), which keeps them and resends them
//   with the same key across reloads and outages.
// - GETs keep their answers for the user (api/kept.js): without signal a
//   screen shows what was last read, and says from when.

import { network } from '../network.js'
import { keep, keepable, kept, showingKept } from './kept.js'

const BASE = '/api/v1'
const DEFAULT_TIMEOUT_MS = 15000

let authProvider = null

/** provider: { accessToken(): Promise<string|null>, refresh(): Promise<boolean>,
 *             userId(): string|null (whose reads are kept),
 *             lost(error), passwordChangeRequired(error) } */
export function setAuthProvider(provider) {
  authProvider = provider
}

export class ApiError extends Error {
  constructor({ status = 0, code = 'unknown', message = '', details = [], requestId = null,
    retryAfter = null } = {}) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.requestId = requestId
    this.retryAfter = retryAfter
  }

  /** No answer, or an answer that says "try again later". */
  get transient() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Backoff before retry `attempt` (0-based): 400ms, 800ms, 1.6s … capped at 8s, ±30%,
 *  or the server's Retry-After when it is short enough to wait for. */
export function backoffMs(attempt, error, random = Math.random) {
  if (error?.retryAfter != null && error.retryAfter <= 10) return error.retryAfter * 1000
  const base = Math.min(8000, 400 * 2 ** attempt)
  return Math.round(base * (0.7 + 0.6 * random()))
}

async function once(method, path, { body, headers = {}, idempotencyKey, useAuth, timeoutMs }) {
  const finalHeaders = { Accept: 'application/json', ...headers }
  if (body !== undefined) finalHeaders['Content-Type'] = 'application/json'
  if (idempotencyKey) finalHeaders['Idempotency-Key'] = idempotencyKey
  if (useAuth && authProvider) {
    const token = await authProvider.accessToken()
    if (token) finalHeaders.Authorization = `Bearer ${token}`
  }
  const controller = typeof AbortController === 'function' ? new AbortController() : null
  let timedOut = false
  const timer = controller && setTimeout(() => { timedOut = true; controller.abort() }, timeoutMs)
  let response
  try {
    response = await fetch(BASE + path, {
      method,
      headers: finalHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller?.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch (cause) {
    network.answering = false
    throw new ApiError({ status: 0, code: timedOut ? 'timeout' : 'network_error',
      message: String(cause?.message || cause) })
  } finally {
    if (timer) clearTimeout(timer)
  }
  network.answering = true
  const type = response.headers.get('Content-Type') || ''
  let payload = null
  if (response.status !== 204) {
    try {
      payload = type.includes('json') ? await response.json() : await response.text()
    } catch (cause) {
      if (response.ok) {
        throw new ApiError({ status: 0, code: 'network_error', message: String(cause?.message || cause) })
      }
    }
  }
  if (response.ok) return payload
  const envelope = payload && typeof payload === 'object' && payload.error ? payload.error : {}
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') || '', 10)
  throw new ApiError({
    status: response.status,
    code: envelope.code || (response.status >= 500 ? 'internal_error' : `http_${response.status}`),
    message: envelope.message || '',
    details: envelope.details || [],
    requestId: envelope.request_id || response.headers.get('X-Request-Id'),
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
  })
}

/**
 * request('GET', '/grids/140825', { retries, timeoutMs })
 * request('PATCH', '/me', { body, idempotencyKey, retries: 0 })
 * request('POST', '/auth/login', { body, auth: false })
 */
export async function request(method, path, options = {}) {
  const { auth = true, timeoutMs = DEFAULT_TIMEOUT_MS } = options
  const retries = options.retries ?? (method === 'GET' || options.idempotencyKey ? 3 : 0)
  let attempt = 0
  let refreshed = false
  for (;;) {
    try {
      return await once(method, path, { ...options, useAuth: auth, timeoutMs })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.status === 401 && auth && authProvider && !refreshed &&
          error.code !== 'invalid_credentials') {
        refreshed = true
        if (await authProvider.refresh()) continue
        authProvider.lost(error)
        throw error
      }
      if (error.status === 403 && error.code === 'password_change_required') {
        authProvider?.passwordChangeRequired(error)
      }
      if (error.transient && attempt < retries && network.online) {
        await sleep(backoffMs(attempt, error))
        attempt += 1
        continue
      }
      throw error
    }
  }
}

/** A GET. Its answer is kept for the user (api/kept.js); when no answer comes,
 *  the kept one is returned, and the app says from when it is. */
export async function get(path, options = {}) {
  const userId = authProvider?.userId?.()
  try {
    const body = await request('GET', path, options)
    if (userId) {
      keep(userId, path, body)
      showingKept(null)
    }
    return body
  } catch (error) {
    const found = userId && error.status === 0 && keepable(path) ? await kept(userId, path) : null
    if (!found) throw error
    showingKept(found.savedAt)
    return found.body
  }
}

// What the scan page asks the public API and what each answer means for the page:
// the board, "not valid" (any 404: the API tells tampered, unknown and revoked
// codes apart from nothing), "too frequent" (429 with Retry-After) or no answer.
const API = '/api/v1/public/codes'
const DEFAULT_WAIT_SECONDS = 60

/** The token of a code's URL, `/q/<token>`; null for any other path. */
export function tokenOf(pathname) {
  const match = /^\/q\/([A-Za-z0-9_-]+)\/?$/.exec(pathname)
  return match ? match[1] : null
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date). */
export function waitSeconds(retryAfter, now = Date.now()) {
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) return Math.max(1, Number(retryAfter))
  const at = Date.parse(retryAfter || '')
  return Number.isNaN(at) ? DEFAULT_WAIT_SECONDS : Math.max(1, Math.ceil((at - now) / 1000))
}

async function ask(fetchImpl, path, init) {
  let response
  try {
    response = await fetchImpl(path, { ...init, headers: { Accept: 'application/json', ...init?.headers } })
  } catch {
    return { state: 'offline' }
  }
  if (response.status === 404) return { state: 'invalid' }
  if (response.status === 429) {
    return { state: 'limited', seconds: waitSeconds(response.headers.get('Retry-After')) }
  }
  if (!response.ok) return { state: 'failed', status: response.status }
  try {
    return { state: 'ok', answer: await response.json() }
  } catch {
    return { state: 'failed', status: response.status }
  }
}

export async function readBoard(token, fetchImpl = fetch) {
  if (!token) return { state: 'invalid' }
  const result = await ask(fetchImpl, `${API}/${encodeURIComponent(token)}`)
  return result.state === 'ok' ? { state: 'board', board: result.answer } : result
}

/** A report's client id: the API files one case however often it is sent. */
export function newKey(crypto = globalThis.crypto) {
  if (crypto?.randomUUID) return crypto.randomUUID()
  return `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
}

/** position: { lat, lng, accuracy_m } or null; key: the report's Idempotency-Key. */
export async function sendReport(token, text, position, fetchImpl = fetch, key = newKey()) {
  const body = { text: text.trim() }
  if (position) body.position = position
  const result = await ask(fetchImpl, `${API}/${encodeURIComponent(token)}/reports`,
    { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body) })
  return result.state === 'ok' ? { state: 'sent', answer: result.answer } : result
}

/** The phone's position as the report sends it, or null when it cannot be had. */
export function locate(geolocation) {
  return new Promise((resolve) => {
    if (!geolocation) {
      resolve(null)
      return
    }
    geolocation.getCurrentPosition(
      ({ coords }) => resolve({ lat: coords.latitude, lng: coords.longitude,
        accuracy_m: Math.max(1, Math.round(coords.accuracy)) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 })
  })
}

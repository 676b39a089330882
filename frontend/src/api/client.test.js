import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, backoffMs, request, setAuthProvider } from './client.js'

function reply(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', ...headers } })
}
const envelope = (code, message = '') => ({ error: { code, message, details: [], request_id: 'r1' } })

describe('api client', () => {
  let provider
  beforeEach(() => {
    provider = { token: 'old', accessToken: vi.fn(async () => provider.token),
      refresh: vi.fn(async () => { provider.token = 'new'; return true }),
      lost: vi.fn(), passwordChangeRequired: vi.fn() }
    setAuthProvider(provider)
  })
  afterEach(() => { vi.unstubAllGlobals(); vi.useRealTimers() })

  it('sends JSON with the bearer token and the idempotency key under /api/v1', async () => {
    const fetch = vi.fn(async () => reply(200, { ok: true }))
    vi.stubGlobal('fetch', fetch)
    const answer = await request('PATCH', '/me', { body: { note: 'x', version: 1 }, idempotencyKey: 'k-123456' })
    expect(answer).toEqual({ ok: true })
    const [url, init] = fetch.mock.calls[0]
    expect(url).toBe('/api/v1/me')
    expect(init.method).toBe('PATCH')
    expect(init.headers.Authorization).toBe('Bearer old')
    expect(init.headers['Idempotency-Key']).toBe('k-123456')
    expect(init.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body)).toEqual({ note: 'x', version: 1 })
  })

  it('turns the error envelope into an ApiError with code, status and Retry-After', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(429, envelope('account_locked', 'locked'),
      { 'Retry-After': '840' })))
    const error = await request('POST', '/auth/login', { body: {}, auth: false }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 429, code: 'account_locked', retryAfter: 840, requestId: 'r1' })
  })

  it('refreshes once on 401 and retries with the new token', async () => {
    const fetch = vi.fn()
      .mockResolvedValueOnce(reply(401, envelope('token_expired')))
      .mockResolvedValueOnce(reply(200, { user_id: 'u1' }))
    vi.stubGlobal('fetch', fetch)
    expect(await request('GET', '/me')).toEqual({ user_id: 'u1' })
    expect(provider.refresh).toHaveBeenCalledTimes(1)
    expect(fetch.mock.calls[1][1].headers.Authorization).toBe('Bearer new')
  })

  it('gives up after one refresh: a second 401 is not refreshed again', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(401, envelope('session_revoked'))))
    const error = await request('GET', '/me').catch((e) => e)
    expect(error.code).toBe('session_revoked')
    expect(provider.refresh).toHaveBeenCalledTimes(1)
  })

  it('reports the session lost when the refresh fails', async () => {
    provider.refresh = vi.fn(async () => false)
    vi.stubGlobal('fetch', vi.fn(async () => reply(401, envelope('token_expired'))))
    await expect(request('GET', '/me')).rejects.toMatchObject({ status: 401 })
    expect(provider.lost).toHaveBeenCalledTimes(1)
  })

  it('retries idempotent GETs with backoff on transient failures', async () => {
    vi.useFakeTimers()
    const fetch = vi.fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(reply(503, envelope('service_unavailable')))
      .mockResolvedValueOnce(reply(200, { code: '140825' }))
    vi.stubGlobal('fetch', fetch)
    const pending = request('GET', '/grids/140825')
    await vi.runAllTimersAsync()
    expect(await pending).toEqual({ code: '140825' })
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('never retries a write by itself, and reports no answer as network_error', async () => {
    const fetch = vi.fn(async () => { throw new TypeError('Failed to fetch') })
    vi.stubGlobal('fetch', fetch)
    const error = await request('PATCH', '/me', { body: {} }).catch((e) => e)
    expect(error).toMatchObject({ status: 0, code: 'network_error', transient: true })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('retries a write that carries an Idempotency-Key, with the same key', async () => {
    vi.useFakeTimers()
    const fetch = vi.fn()
      .mockResolvedValueOnce(reply(502, envelope('bad_gateway')))
      .mockResolvedValueOnce(reply(200, { version: 2 }))
    vi.stubGlobal('fetch', fetch)
    const pending = request('PATCH', '/me', { body: { note: 'x', version: 1 }, idempotencyKey: 'k-123456' })
    await vi.runAllTimersAsync()
    expect(await pending).toEqual({ version: 2 })
    expect(fetch.mock.calls.map(([, init]) => init.headers['Idempotency-Key'])).toEqual(['k-123456', 'k-123456'])
  })

  it('does not take a wrong password in a form for a lost session', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(401, envelope('invalid_credentials'))))
    await expect(request('POST', '/auth/password', { body: {} })).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(provider.refresh).not.toHaveBeenCalled()
    expect(provider.lost).not.toHaveBeenCalled()
  })

  it('does not retry a 4xx GET', async () => {
    const fetch = vi.fn(async () => reply(404, envelope('not_found')))
    vi.stubGlobal('fetch', fetch)
    await expect(request('GET', '/grids/1')).rejects.toMatchObject({ code: 'not_found' })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('tells the app when the password must be changed first', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(403, envelope('password_change_required'))))
    await expect(request('GET', '/grids/1')).rejects.toMatchObject({ status: 403 })
    expect(provider.passwordChangeRequired).toHaveBeenCalled()
  })

  it('backs off exponentially with jitter, capped, and honours a short Retry-After', () => {
    expect(backoffMs(0, null, () => 0.5)).toBe(400)
    expect(backoffMs(2, null, () => 0.5)).toBe(1600)
    expect(backoffMs(10, null, () => 0.5)).toBe(8000)
    expect(backoffMs(0, { retryAfter: 3 })).toBe(3000)
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { get } from '../api/client.js'
import { adopt, clear, login, session, signedIn } from './session.js'
import { envelope, json } from '../test-utils.js'

const answer = (access, refresh, expiresIn = 900) => ({ access_token: access, refresh_token: refresh,
  expires_in: expiresIn, must_change_password: false, user: { user_id: 'u1', role: 'grid_worker' } })

describe('session', () => {
  afterEach(() => { clear(); vi.unstubAllGlobals() })

  it('renews a token about to expire once, before the calls that need it, without the user noticing', async () => {
    adopt(answer('old', 'r1', 30)) // expires within the minute
    const seen = []
    vi.stubGlobal('fetch', vi.fn(async (url, init) => {
      if (url.endsWith('/auth/refresh')) {
        expect(JSON.parse(init.body)).toEqual({ refresh_token: 'r1' })
        return json(200, answer('new', 'r2'))
      }
      seen.push(init.headers.Authorization)
      return json(200, { ok: true })
    }))
    await Promise.all([get('/me'), get('/grids/1')])
    expect(seen).toEqual(['Bearer new', 'Bearer new'])
    expect(fetch.mock.calls.filter(([url]) => url.endsWith('/auth/refresh'))).toHaveLength(1)
    expect(JSON.parse(localStorage.getItem('wangge.session')).refresh_token).toBe('r2')
  })

  it('adopts what another tab renewed instead of spending a used refresh token', async () => {
    adopt(answer('old', 'r1'))
    localStorage.setItem('wangge.session', JSON.stringify({ ...session.data, access_token: 'other',
      refresh_token: 'r2' }))
    const fetch = vi.fn()
      .mockResolvedValueOnce(json(401, envelope('token_expired')))
      .mockResolvedValueOnce(json(200, { ok: true }))
    vi.stubGlobal('fetch', fetch)
    await get('/me')
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/v1/me', '/api/v1/me'])
    expect(fetch.mock.calls[1][1].headers.Authorization).toBe('Bearer other')
  })

  it('ends the session when the refresh token is refused', async () => {
    adopt(answer('old', 'r1'))
    vi.stubGlobal('fetch', vi.fn(async (url) => (url.endsWith('/auth/refresh')
      ? json(401, envelope('invalid_refresh_token')) : json(401, envelope('token_expired')))))
    await expect(get('/me')).rejects.toMatchObject({ status: 401 })
    expect(signedIn.value).toBe(false)
    expect(localStorage.getItem('wangge.session')).toBeNull()
  })

  it('calls a locked-out login account_locked', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(429, envelope('too_many_requests'), { 'Retry-After': '900' })))
    await expect(login('10900000000', 'x')).rejects.toMatchObject({ code: 'account_locked', retryAfter: 900 })
  })
})

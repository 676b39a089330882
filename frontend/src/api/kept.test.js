import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { json, mountApp, PROFILES, reset, settle, shown, signIn, stubApi } from '../test-utils.js'
import { network } from '../network.js'
import { clear } from '../auth/session.js'
import { get } from './client.js'
import { kept } from './kept.js'

/** Cache Storage as the browser has it, in memory (jsdom has none). */
function memoryCaches() {
  const stores = new Map()
  return {
    async open(name) {
      if (!stores.has(name)) stores.set(name, new Map())
      const entries = stores.get(name)
      return {
        async put(key, response) { entries.delete(key); entries.set(key, response) },
        async match(key) { return entries.get(key)?.clone() },
        async keys() { return [...entries.keys()] },
        async delete(key) { return entries.delete(key) },
      }
    },
    async delete(name) { return stores.delete(name) },
  }
}

const SCOPE = PROFILES.grid_worker.scope_code
const household = { household_id: 'h1', grid_code: SCOPE, address: '三泉村1组1号', head_name: '司马春',
  notes: null, member_count: 0, created_at: '2026-03-01T02:00:00Z', updated_at: '2026-03-01T02:00:00Z',
  version: 1, members: [], grid_history: [{ grid_code: SCOPE, since: '2026-03-01T02:00:00Z', until: null }] }

beforeEach(() => vi.stubGlobal('caches', memoryCaches()))
afterEach(reset)

describe('reads kept for a screen opened again without signal', () => {
  it('shows the household last read, and says from when', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ 'GET /api/v1/households/h1': () => (network.online ? json(200, household)
      : new TypeError('Failed to fetch')),
    'GET /api/v1/grids/1408251022010101': () => json(200, { code: SCOPE, name: '三泉村1-1微网格' }) })
    const { wrapper, router } = await mountApp('/households/h1')
    await shown(wrapper, '[data-test="household"]')
    await vi.waitFor(async () => expect(await kept('u-worker', '/households/h1')).not.toBeNull())
    await router.push('/')
    await settle()
    network.online = false
    await router.push('/households/h1')
    const shownAgain = await shown(wrapper, '[data-test="household"]')
    expect(shownAgain.text()).toContain('三泉村1组1号')
    expect((await shown(wrapper, '[data-test="kept-note"]')).text()).toContain('读取的数据')
  })

  it('never keeps an unmasked read, nor shows one user another\'s', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ 'GET /api/v1/residents/r1': () => json(200, { resident_id: 'r1' }) })
    await get('/residents/r1?reveal=true')
    await get('/residents/r1')
    await vi.waitFor(async () => expect(await kept('u-worker', '/residents/r1')).not.toBeNull())
    expect(await kept('u-worker', '/residents/r1?reveal=true')).toBeNull()
    expect(await kept('u-admin', '/residents/r1')).toBeNull()

    signIn(PROFILES.county_admin)
    network.online = false
    stubApi({ 'GET /api/v1/residents/r1': () => new TypeError('Failed to fetch') })
    await expect(get('/residents/r1')).rejects.toMatchObject({ code: 'network_error' })
  })

  it('forgets everything kept when the session ends', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ 'GET /api/v1/grids/x': () => json(200, { code: 'x' }) })
    await get('/grids/x')
    await vi.waitFor(async () => expect(await kept('u-worker', '/grids/x')).not.toBeNull())
    clear()
    await vi.waitFor(async () => expect(await kept('u-worker', '/grids/x')).toBeNull())
  })
})

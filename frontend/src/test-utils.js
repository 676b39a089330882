// Helpers for component tests: the real App, router (memory history), i18n,
// session and outbox (on fake-indexeddb), with fetch stubbed per test.
import { mount, flushPromises } from '@vue/test-utils'
import { createMemoryHistory } from 'vue-router'
import { vi } from 'vitest'
import App from './App.vue'
import { i18n, setLocale } from './i18n.js'
import { makeRouter } from './router.js'
import { adopt, clear } from './auth/session.js'
import { outbox, startOutbox } from './offline/index.js'
import { network } from './network.js'

export const PROFILES = {
  grid_worker: { user_id: 'u-worker', name: '微网格员', phone: '100****0002', role: 'grid_worker',
    scope_code: '1408251022010101', scope_name: '三泉村1-1微网格', worker_id: 'w000002', note: '',
    version: 1, must_change_password: false },
  county_admin: { user_id: 'u-admin', name: '县管理员', phone: '100****0001', role: 'county_admin',
    scope_code: '140825', scope_name: '新绛县', worker_id: null, note: '', version: 1,
    must_change_password: false },
}

export const envelope = (code, details = []) => ({ error: { code, message: code, details, request_id: 'r' } })

export function signIn(profile) {
  adopt({ access_token: 'a', refresh_token: 'r', expires_in: 900, user: profile,
    must_change_password: profile.must_change_password })
}

export function json(status, body, headers = {}) {
  return new Response(body == null ? null : JSON.stringify(body),
    { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

/** Stub fetch with routes { 'GET /api/v1/me': (init, url) => Response | Error } (the key
 *  leaves out the query; the handler gets the whole URL); returns the calls. */
export function stubApi(routes) {
  const calls = []
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const key = `${init.method || 'GET'} ${String(url).split('?')[0]}`
    calls.push({ key, url: String(url), init })
    const handler = routes[key]
    if (!handler) return json(404, envelope('not_found'))
    const answer = await handler(init, new URL(String(url), 'http://app.test'))
    if (answer instanceof Error) throw answer
    return answer
  }))
  return calls
}

let mounted = null

export async function mountApp(path = '/') {
  setLocale('zh-CN')
  const router = makeRouter(createMemoryHistory())
  router.push(path)
  await router.isReady()
  const wrapper = mount(App, { global: { plugins: [i18n, router] }, attachTo: document.body })
  mounted = wrapper
  startOutbox()
  await settle()
  return { wrapper, router }
}

export async function settle() {
  for (let i = 0; i < 5; i += 1) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

/** Wait until the element is rendered (a lazily loaded screen takes a while the first time). */
export async function shown(wrapper, selector) {
  await vi.waitFor(() => {
    if (!wrapper.find(selector).exists()) throw new Error(`${selector} is not shown`)
  })
  return wrapper.find(selector)
}

export async function reset() {
  mounted?.unmount()
  mounted = null
  for (const entry of await outbox.reload()) await outbox.discard(entry.seq)
  Object.assign(network, { online: true, answering: true, keptFrom: null })
  clear()
  vi.unstubAllGlobals()
  // A retry a screen scheduled before the test ended must not reach the network.
  vi.stubGlobal('fetch', () => Promise.reject(new TypeError('the test is over')))
  document.body.innerHTML = ''
}

import { afterEach, describe, expect, it, vi } from 'vitest'
import { envelope, json, mountApp, PROFILES, reset, settle, shown, signIn, stubApi }
  from '../test-utils.js'
import { outbox } from '../offline/index.js'
import { network } from '../network.js'
import { session } from '../auth/session.js'

afterEach(reset)

async function submitLogin(wrapper, phone, password) {
  await wrapper.find('input[name="phone"]').setValue(phone)
  await wrapper.find('input[name="password"]').setValue(password)
  await wrapper.find('form').trigger('submit')
  await settle()
}

const grid = (code, name, level_name = '微网格') => ({ code, name, level_name, parent_code: code.slice(0, -2),
  leader_worker_id: null, party_members: [], boundary: null, notes: null, retired: false, moving: false,
  version: 1 })
const LEDGER = { households: 0, residents: 0, floating_residents: 0, key_group_members: 0,
  key_groups: {}, rentals: 0, tenants: 0, active_assignments: 0 }
const counts = (code, own = {}, children = []) => ({
  grid: { code, name: code, level: 'micro', counts: { ...LEDGER, ...own } },
  children: children.map((child) => ({ code: child, name: child, level: 'micro', counts: LEDGER })),
})

describe('login', () => {
  it('sends a signed-out visitor to the login page, without the navigation', async () => {
    const { router, wrapper } = await mountApp('/me')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/me')
    expect(wrapper.find('h1').text()).toBe('网格化服务管理')
    expect(wrapper.find('[data-test="tabbar"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="sidebar"]').exists()).toBe(false)
  })

  it('says why a login failed, in Chinese', async () => {
    stubApi({ 'POST /api/v1/auth/login': () => json(401, envelope('invalid_credentials')) })
    const { wrapper } = await mountApp('/login')
    await submitLogin(wrapper, '10000000002', 'wrong-one1')
    await vi.waitFor(() => expect(wrapper.find('[data-test="login-error"]').text()).toBe('手机号或密码错误'))
  })

  it('shows the lockout with its remaining minutes, whatever code the 429 carries', async () => {
    stubApi({ 'POST /api/v1/auth/login': () => json(429, envelope('too_many_requests'), { 'Retry-After': '600' }) })
    const { wrapper } = await mountApp('/login')
    await submitLogin(wrapper, '10000000002', 'wrong-one1')
    await vi.waitFor(() => expect(wrapper.find('[data-test="login-error"]').text()).toBe('密码错误次数过多，账号已锁定，请 10 分钟后再试'))
  })

  it('checks the phone number before asking the server', async () => {
    const calls = stubApi({})
    const { wrapper } = await mountApp('/login')
    await submitLogin(wrapper, '123', 'x')
    expect(wrapper.text()).toContain('请输入 11 位手机号')
    expect(calls).toHaveLength(0)
  })

  it('goes where the visitor was headed after signing in', async () => {
    stubApi({ 'POST /api/v1/auth/login': () => json(200, { access_token: 'a', refresh_token: 'r',
      expires_in: 900, must_change_password: false, user: PROFILES.grid_worker }) })
    const { wrapper, router } = await mountApp('/outbox')
    await submitLogin(wrapper, '10000000002', 'Wangge#2026')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('outbox'))
  })

  it('forces a password change on first login, and lets nothing else open before it', async () => {
    const profile = { ...PROFILES.grid_worker, must_change_password: true }
    stubApi({
      'POST /api/v1/auth/login': () => json(200, { access_token: 'a', refresh_token: 'r',
        expires_in: 900, must_change_password: true, user: profile }),
      'POST /api/v1/auth/password': (init) => (JSON.parse(init.body).current_password === 'Initial#2026'
        ? json(200, { access_token: 'b', refresh_token: 's', expires_in: 900,
          must_change_password: false, user: PROFILES.grid_worker })
        : json(401, envelope('invalid_credentials', [{ field: 'current_password', message: 'wrong' }]))),
    })
    const { wrapper, router } = await mountApp('/login')
    await submitLogin(wrapper, '10000000002', 'Initial#2026')
    expect(await shown(wrapper, '[data-test="forced-hint"]')).toBeTruthy()
    await router.push('/grids')
    expect(router.currentRoute.value.name).toBe('password')
    expect(wrapper.find('[data-test="tabbar"]').exists()).toBe(false)

    const fill = async (current) => {
      await wrapper.find('input[name="current"]').setValue(current)
      await wrapper.find('input[name="next"]').setValue('Better#2027')
      await wrapper.find('input[name="repeat"]').setValue('Better#2027')
      await wrapper.find('form').trigger('submit')
      await settle()
    }
    await fill('wrong#2026')
    await vi.waitFor(() => expect(wrapper.find('[data-test="password-error"]').text()).toBe('当前密码不正确'))
    expect(session.data.refresh_token).toBe('r') // a wrong password is not a lost session
    await fill('Initial#2026')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('home'))
    expect(session.data).toMatchObject({ access_token: 'b', must_change_password: false })
  })
})

describe('home and navigation', () => {
  it('shows my grid, my scope, the count of sub-grids, and my features', async () => {
    signIn(PROFILES.county_admin)
    stubApi({
      'GET /api/v1/grids/140825': () => json(200, grid('140825', '新绛县', '县')),
      'GET /api/v1/grids/140825/counts': () => json(200, counts('140825',
        { households: 4960, residents: 17521, rentals: 310 }, ['140825102'])),
    })
    const { wrapper } = await mountApp('/')
    await shown(wrapper, '[data-count="rentals"]')
    expect(wrapper.find('[data-test="role"]').text()).toBe('县级管理员')
    expect(wrapper.find('[data-test="scope"]').text()).toBe('管辖范围：新绛县')
    expect(wrapper.find('[data-test="my-grid"]').text()).toContain('新绛县')
    const figure = (key) => wrapper.find(`[data-count="${key}"]`).text()
    expect([figure('children'), figure('households'), figure('residents'), figure('rentals')])
      .toEqual(['下级网格1', '户数4960', '居民17521', '出租房310'])
    expect(wrapper.findAll('[data-test="role-nav"] a').map((a) => a.text()))
      .toEqual(['网格', '台账', '网格员', '导入台账', '二维码', '事件', '事件统计', '热线回传', '账号'])
    expect(wrapper.findAll('[data-test="tabbar"] .van-tabbar-item').map((a) => a.text()))
      .toEqual(['首页', '网格', '台账', '事件', '我的'])
  })

  it('shows what waits in my scope, each count opening the list it counts', async () => {
    signIn(PROFILES.county_admin)
    stubApi({
      'GET /api/v1/grids/140825': () => json(200, grid('140825', '新绛县', '县')),
      'GET /api/v1/grids/140825/counts': () => json(200, counts('140825')),
      'GET /api/v1/case-waiting': (_init, url) => json(200, { scope: url.searchParams.get('scope'), reported: 4,
        registered: 1, dispatched: 0, in_progress: 0, handled: 2, verified: 0, overdue: 3, escalated: 0,
        mine: null, mine_overdue: null }),
      'GET /api/v1/cases': () => json(200, { items: [], next_cursor: null }),
    })
    const { wrapper, router } = await mountApp('/')
    const card = await shown(wrapper, '[data-test="waiting"]')
    expect(card.findAll('a').map((a) => a.text())).toEqual(['4待立案', '3已超期', '2待核查'])
    expect(card.find('[data-waiting="reported"]').attributes('aria-label')).toBe('待立案 4 件')
    expect(wrapper.find('[data-tab="cases"]').text()).toBe('4事件')
    expect(wrapper.find('[data-test="side-badge"]').text()).toBe('4')
    await card.find('[data-waiting="overdue"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/cases?box=overdue&scope=140825'))
  })

  it('opens the main list of a feature from its lit tab, on a form or a record under it', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ 'GET /api/v1/case-categories': () => json(200, { items: [] }),
      'GET /api/v1/cases': () => json(200, { items: [], next_cursor: null }) })
    const { wrapper, router } = await mountApp('/cases/new')
    await wrapper.find('[data-tab="cases"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/cases'))
    await router.push('/outbox')
    await settle()
    await wrapper.findAll('[data-test="tabbar"] .van-tabbar-item').at(-1).trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/me'))
  })

  it('shows an error with a retry when the grid cannot be loaded', async () => {
    signIn(PROFILES.grid_worker)
    let fail = true
    stubApi({
      'GET /api/v1/grids/1408251022010101': () => (fail ? json(403, envelope('out_of_scope'))
        : json(200, grid('1408251022010101', '三泉村1-1微网格'))),
      'GET /api/v1/grids/1408251022010101/counts': () => json(200, counts('1408251022010101')),
    })
    const { wrapper } = await mountApp('/')
    expect((await shown(wrapper, '[data-test="error-state"]')).text()).toContain('超出您的管辖范围')
    fail = false
    await wrapper.find('[data-test="error-state"] button').trigger('click')
    expect((await shown(wrapper, '[data-count="children"]')).text()).toBe('下级网格0')
  })

  it('keeps a role out of features it may not use', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({})
    const { wrapper, router } = await mountApp('/accounts')
    expect(router.currentRoute.value.name).toBe('forbidden')
    expect((await shown(wrapper, '[data-test="forbidden"]')).text()).toContain('当前角色不能使用该功能')
  })

  it('walks the grid tree down and pages through children', async () => {
    signIn(PROFILES.county_admin)
    stubApi({
      'GET /api/v1/grids/140825': () => json(200, grid('140825', '新绛县', '县')),
      'GET /api/v1/grids/140825/counts': () => json(200, counts('140825', {}, ['140825102'])),
      'GET /api/v1/grids/140825/children': () => json(200, { items: [grid('140825102', '三泉镇', '镇')], next_cursor: null }),
      'GET /api/v1/grids/140825102': () => json(200, grid('140825102', '三泉镇', '镇')),
      'GET /api/v1/grids/140825102/counts': () => json(200, counts('140825102', { households: 12 })),
      'GET /api/v1/grids/140825102/children': () => json(200, { items: [], next_cursor: null }),
    })
    const { wrapper, router } = await mountApp('/grids')
    const children = await shown(wrapper, '[data-test="children"]')
    expect(children.text()).toContain('三泉镇')
    await children.find('.van-cell').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/grids/140825102'))
    await vi.waitFor(() => expect(wrapper.find('[data-test="empty-state"]').text()).toContain('暂无下级网格'))
    expect(wrapper.find('[data-count="households"]').text()).toBe('户数12')
  })

  it('tells a missing page apart', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({})
    const { wrapper } = await mountApp('/nowhere')
    expect((await shown(wrapper, '[data-test="notFound"]')).text()).toContain('链接可能有误')
  })
})

describe('profile and outbox', () => {
  const profileApi = ({ online, patches, conflictFirst = false }) => {
    let version = 1
    let conflicts = conflictFirst ? 1 : 0
    return {
      'GET /api/v1/me': () => (online() ? json(200, { ...PROFILES.grid_worker, version }) : new TypeError('offline')),
      'PATCH /api/v1/me': (init) => {
        if (!online()) return new TypeError('Failed to fetch')
        const body = JSON.parse(init.body)
        patches.push({ key: init.headers['Idempotency-Key'], body })
        if (conflicts) { conflicts -= 1; version += 1; return json(409, envelope('version_conflict')) }
        version += 1
        return json(200, { ...PROFILES.grid_worker, note: body.note, version })
      },
    }
  }

  const statusOf = (wrapper) => wrapper.find('[data-test="profile-status"]')
  const errorOf = (wrapper) => wrapper.find('[data-test="profile-error"]')

  async function saveNote(wrapper, note) {
    await wrapper.find('textarea[name="note"]').setValue(note)
    await wrapper.find('[data-test="profile-form"]').trigger('submit')
  }

  it('keeps an edit made offline, lists it, and sends it once when the network returns', async () => {
    signIn(PROFILES.grid_worker)
    const patches = []
    stubApi(profileApi({ online: () => network.online, patches }))
    network.online = false
    const { wrapper, router } = await mountApp('/me')
    await shown(wrapper, '[data-test="profile-form"]')
    await saveNote(wrapper, '今天值班')
    await vi.waitFor(() => expect(statusOf(wrapper).text()).toBe('已离线保存，联网后自动同步'))
    expect(wrapper.find('[data-test="offline-banner"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="outbox-banner"]').text()).toContain('有 1 条记录待同步')
    await router.push('/outbox')
    const list = await shown(wrapper, '[data-test="outbox-list"]')
    expect(list.text()).toContain('修改个人资料')
    expect(list.text()).toContain('备注：今天值班')
    expect(patches).toHaveLength(0)

    network.online = true
    await outbox.flush()
    await vi.waitFor(() => expect(wrapper.text()).toContain('没有待同步的记录'))
    expect(patches).toHaveLength(1)
    expect(patches[0].body).toEqual({ note: '今天值班', version: 1 })
    expect(patches[0].key).toMatch(/^[0-9a-f-]{36}$/)
    expect(session.data.user).toMatchObject({ note: '今天值班', version: 2 })
    expect(wrapper.find('[data-test="outbox-banner"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('没有待同步的记录')
  })

  it('notices a server that does not answer, and sends what waited as soon as it answers again', async () => {
    signIn(PROFILES.grid_worker)
    const patches = []
    let answering = false // the browser says online all along, as phones on a weak signal do
    stubApi({
      ...profileApi({ online: () => answering, patches }),
      'GET /api/v1/grids/1408251022010101': () => (answering
        ? json(200, grid('1408251022010101', '三泉村1-1微网格')) : new TypeError('Failed to fetch')),
      'GET /api/v1/grids/1408251022010101/counts': () => json(200, counts('1408251022010101')),
    })
    const { wrapper, router } = await mountApp('/me')
    await shown(wrapper, '[data-test="profile-form"]')
    await saveNote(wrapper, '雨天巡查')
    await vi.waitFor(() => expect(statusOf(wrapper).text()).toBe('已离线保存，联网后自动同步'))
    expect(wrapper.find('[data-test="offline-banner"]').exists()).toBe(true)
    answering = true
    await router.push('/') // any call that gets an answer
    await vi.waitFor(() => expect(patches).toHaveLength(1))
    await vi.waitFor(() => expect(wrapper.find('[data-test="outbox-banner"]').exists()).toBe(false))
    expect(wrapper.find('[data-test="offline-banner"]').exists()).toBe(false)
  })

  it('saves at once when online, and says a conflict in place, keeping the input', async () => {
    signIn(PROFILES.grid_worker)
    const patches = []
    stubApi(profileApi({ online: () => true, patches, conflictFirst: true }))
    const { wrapper } = await mountApp('/me')
    await shown(wrapper, '[data-test="profile-form"]')
    await saveNote(wrapper, '周三值班')
    await vi.waitFor(() => expect(errorOf(wrapper).text()).toContain('数据已被他人修改'))
    expect(wrapper.find('textarea[name="note"]').element.value).toBe('周三值班')
    expect(outbox.state.entries).toEqual([])
    await wrapper.find('[data-test="profile-form"]').trigger('submit')
    await vi.waitFor(() => expect(statusOf(wrapper).text()).toBe('已保存'))
    expect(patches.map((p) => p.body.version)).toEqual([1, 2])
  })

  it('shows a write refused later as failed, and lets the user retry it on the latest version', async () => {
    signIn(PROFILES.grid_worker)
    const patches = []
    let online = false
    stubApi(profileApi({ online: () => online, patches, conflictFirst: true }))
    const { wrapper, router } = await mountApp('/me')
    await shown(wrapper, '[data-test="profile-form"]')
    await saveNote(wrapper, '晚班') // no answer: kept pending
    await vi.waitFor(() => expect(statusOf(wrapper).text()).toBe('已离线保存，联网后自动同步'))
    online = true
    await outbox.flush() // the conflict comes later, with nobody looking at the form
    await router.push('/outbox')
    const entry = await shown(wrapper, '[data-status="failed"]')
    expect(entry.text()).toContain('数据已被他人修改')
    expect(wrapper.find('[data-test="outbox-banner"]').text()).toContain('1 条记录同步失败')
    await entry.find('[data-test="retry"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.text()).toContain('没有待同步的记录'))
    expect(patches.map((p) => p.body)).toEqual([{ note: '晚班', version: 1 }, { note: '晚班', version: 2 }])
    expect(patches[0].key).not.toBe(patches[1].key)
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { envelope, json, mountApp, PROFILES, reset, shown, signIn, stubApi } from '../../test-utils.js'
import { outbox } from '../../offline/index.js'
import { network } from '../../network.js'

afterEach(reset)

// A step goes through the outbox, whose case sender is a module loaded on first use.
const eventually = (check) => vi.waitFor(check)

const LEADER = { ...PROFILES.grid_worker, user_id: 'u-leader', name: '网格长', role: 'grid_leader',
  scope_code: '140825102201', scope_name: '三泉村', worker_id: 'w000001' }
const CATEGORIES = { items: [
  { code: 'sanitation', name_zh: '环境卫生', name_en: 'Sanitation', accept: '24h', handle: '3wd', verify: '2wd',
    public: true, active: true, version: 3 },
  { code: 'parking', name_zh: '停车', name_en: 'Parking', accept: '4h', handle: '2wd', verify: '1wd',
    public: true, active: true },
] }
const MICRO = '1408251022010101'
const aCase = (changes = {}) => ({ case_id: 'c1', category: 'sanitation', source: 'worker', description: '村东口垃圾堆放',
  priority: 'normal', state: 'reported', version: 1, location_grid: MICRO, handling_grid: MICRO, lat: null,
  lng: null, address: '村东口', reporter_name: null, reporter_phone: null, handler_worker_id: null,
  handler_name: null, reported_at: '2026-11-26T01:00:00Z', registered_at: null, closed_at: null,
  updated_at: '2026-11-26T01:00:00Z', stage: 'accept', due_at: '2026-11-27T01:00:00Z', due_estimated: false,
  overdue: false, late_stages: 0, close_due_at: null, rework_count: 0, escalation_count: 0, reopen_count: 0,
  escalated: false, ticket_id: null, first_contact_at: null, satisfaction: null, attachment_count: 0, ...changes })
const event = (seq, action, from, to, changes = {}) => ({ seq, action, at: '2026-11-26T01:00:00Z',
  actor_id: 'u-worker', actor_name: '微网格员', actor_role: 'grid_worker', from_state: from, to_state: to,
  from_grid: MICRO, to_grid: MICRO, note: null, late: false, data: {}, ...changes })
const detail = (changes = {}) => ({ ...aCase(), allowed_actions: [], attachments: [],
  timeline: [event(1, 'report', null, 'reported')], ...changes })
const common = {
  'GET /api/v1/case-categories': () => json(200, CATEGORIES),
  [`GET /api/v1/grids/${MICRO}`]: () => json(200, { code: MICRO, name: '三泉村1-1微网格', level: 'micro',
    level_name: '微网格', parent_code: '140825102201' }),
}

describe('case inboxes', () => {
  it('open a worker on the cases dispatched to it, and page on with the cursor', async () => {
    signIn(PROFILES.grid_worker)
    const calls = stubApi({ ...common,
      'GET /api/v1/cases': (_init, url) => json(200, url.searchParams.get('cursor')
        ? { items: [aCase({ case_id: 'c2', category: 'parking', description: '货车占道' })], next_cursor: null }
        : { items: [aCase({ state: 'dispatched', overdue: true })], next_cursor: 'next' }) })
    const { wrapper } = await mountApp('/cases')
    await shown(wrapper, '[data-case="c1"]')
    expect(calls.find((c) => c.key === 'GET /api/v1/cases').url).toContain('box=mine')
    expect(wrapper.find('[data-case="c1"]').text()).toContain('环境卫生')
    expect(wrapper.find('[data-case="c1"]').text()).toContain('已派遣')
    expect(wrapper.find('[data-case="c1"]').text()).toContain('已超期')
    await wrapper.find('[data-test="load-more"]').trigger('click')
    expect((await shown(wrapper, '[data-case="c2"]')).text()).toContain('停车')
    expect(wrapper.findAll('[data-test="boxes"] [role="tab"]').map((tab) => tab.text())).toEqual(['我的待办', '我上报的', '按状态', '已超期', '上报给我'])
  })

  it('put my reports still in the outbox at the top of my to-do, tagged to sync', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ ...common, 'POST /api/v1/cases': () => new TypeError('Failed to fetch'),
      'GET /api/v1/cases': () => json(200, { items: [aCase({ state: 'dispatched' })], next_cursor: null }) })
    network.online = false
    const { wrapper, router } = await mountApp('/')
    await outbox.submit({ kind: 'case', method: 'POST', path: '/cases', body: { category: 'parking',
      grid_code: MICRO, description: '货车占道', priority: 'normal', source: 'worker', address: '村口' },
    summary: { action: 'report', key: 'k-1', label: '停车' } })
    network.online = true
    await router.push('/cases')
    const pending = await shown(wrapper, '[data-test="pending-report"]')
    expect(pending.text()).toContain('停车')
    expect(pending.text()).toContain('待同步')
    expect(pending.text()).toContain('货车占道')
    await shown(wrapper, '[data-case="c1"]')
    expect(wrapper.html().indexOf('pending-report')).toBeLessThan(wrapper.html().indexOf('data-case="c1"'))
  })

  it('list what I reported, whatever the scope, newest first from the server', async () => {
    signIn(PROFILES.grid_worker)
    const calls = stubApi({ ...common,
      'GET /api/v1/cases': () => json(200, { items: [aCase({ case_id: 'c7', state: 'closed' })], next_cursor: null }) })
    const { wrapper } = await mountApp('/cases?box=reported')
    expect((await shown(wrapper, '[data-case="c7"]')).text()).toContain('已结案')
    const url = calls.filter((c) => c.key === 'GET /api/v1/cases').at(-1).url
    expect(url).toContain('box=reported')
    expect(url).not.toContain('scope=')
    expect(wrapper.find('.filters').exists()).toBe(false)
  })

  it('badge each inbox with the count the server keeps', async () => {
    signIn(LEADER)
    stubApi({ ...common, 'GET /api/v1/grids/140825102201': () => json(200, { code: '140825102201',
      name: '三泉村', level: 'village', level_name: '村', parent_code: '140825102' }),
    'GET /api/v1/cases': () => json(200, { items: [], next_cursor: null }),
    'GET /api/v1/case-waiting': () => json(200, { scope: '140825102201', reported: 4, registered: 0,
      dispatched: 1, in_progress: 0, handled: 2, verified: 0, overdue: 3, escalated: 0, mine: 1,
      mine_overdue: 0 }) })
    const { wrapper } = await mountApp('/cases?box=subtree&state=reported')
    await eventually(() => expect(wrapper.findAll('[data-test="boxes"] [role="tab"]').map((tab) => tab.text()))
      .toEqual(['我的待办1', '我上报的', '按状态4', '已超期3', '上报给我', '待核查2']))
    expect(wrapper.find('[data-tab="cases"]').text()).toContain('4')
  })

  it('list a subtree by state for a leader', async () => {
    signIn(LEADER)
    const calls = stubApi({ ...common, 'GET /api/v1/grids/140825102201': () => json(200, { code: '140825102201',
      name: '三泉村', level: 'village', level_name: '村', parent_code: '140825102' }),
    'GET /api/v1/cases': () => json(200, { items: [], next_cursor: null }) })
    const { wrapper, router } = await mountApp('/cases?box=subtree&state=handled')
    expect((await shown(wrapper, '[data-test="empty-state"]')).text()).toContain('没有处于该状态的事件')
    expect(calls.find((c) => c.key === 'GET /api/v1/cases').url)
      .toContain('box=subtree&state=handled&scope=140825102201')
    await wrapper.find('[data-test="filter-state"]').setValue('reported')
    await eventually(() => expect(router.currentRoute.value.query.state).toBe('reported'))
  })
})

describe('a case', () => {
  it('offers exactly the allowed actions and sends the version it read', async () => {
    signIn(LEADER)
    const bodies = []
    stubApi({ ...common,
      'GET /api/v1/cases/c1': () => json(200, detail({ allowed_actions: ['register', 'reject'] })),
      'POST /api/v1/cases/c1/transitions': (init) => {
        bodies.push(JSON.parse(init.body))
        return json(200, detail({ state: 'registered', version: 2, allowed_actions: ['dispatch'],
          timeline: [event(1, 'report', null, 'reported'), event(2, 'register', 'reported', 'registered',
            { actor_name: '网格长', actor_role: 'grid_leader' })] }))
      } })
    const { wrapper } = await mountApp('/cases/c1')
    await shown(wrapper, '[data-test="case-actions"]')
    const actions = () => wrapper.findAll('[data-test="case-actions"] .buttons [data-action]').map((b) => b.text())
    expect(actions()).toEqual(['立案', '不予立案'])

    await wrapper.find('[data-action="reject"]').trigger('click')
    await wrapper.find('[data-test="form-reject"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="form-reject"]').text()).toContain('请填写'))
    expect(bodies).toEqual([])

    await wrapper.find('[data-action="register"]').trigger('click')
    await wrapper.find('[data-test="form-register"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="case-state"]').text()).toBe('已立案'))
    expect(bodies).toEqual([{ action: 'register', version: 1 }])
    expect(actions()).toEqual(['派遣'])
    expect(wrapper.find('[data-test="action-done"]').text()).toBe('已立案')
    expect(wrapper.findAll('[data-test="timeline"] li').map((li) => li.attributes('data-action')))
      .toEqual(['report', 'register'])
    expect(wrapper.find('[data-test="timeline"] [data-action="register"]').text()).toContain('待立案 → 已立案')
  })

  it('dispatches to a worker of the grid', async () => {
    signIn(LEADER)
    const bodies = []
    stubApi({ ...common,
      'GET /api/v1/cases/c1': () => json(200, detail({ state: 'registered', allowed_actions: ['dispatch'] })),
      'GET /api/v1/grids/140825102201': () => json(200, { code: '140825102201', name: '三泉村', level: 'village' }),
      'GET /api/v1/workers': (_init, url) => (url.searchParams.get('grid') === MICRO
        ? json(200, { items: [{ worker_id: 'w000002', name: '赵秀强', kind_name: '专职' }], next_cursor: null })
        : json(403, envelope('out_of_scope'))),
      'POST /api/v1/cases/c1/transitions': (init) => {
        bodies.push(JSON.parse(init.body))
        return json(200, detail({ state: 'dispatched', version: 2 }))
      } })
    const { wrapper } = await mountApp('/cases/c1')
    await (await shown(wrapper, '[data-action="dispatch"]')).trigger('click')
    await eventually(() => expect(wrapper.findAll('[data-test="choose-level"] label').map((level) => level.text()))
      .toEqual(['三泉村', '三泉村1-1微网格'])) // a village's leader: the village or the micro-grid
    await (await shown(wrapper, '[data-test="form-dispatch"] .van-radio')).trigger('click') // the workers, once read
    await wrapper.find('[data-test="form-dispatch"]').trigger('submit')
    await eventually(() => expect(bodies).toEqual([{ action: 'dispatch', version: 1, worker_id: 'w000002',
      grid_code: MICRO }]))
  })

  it('reads the case again when someone else acted first, and says so', async () => {
    signIn({ ...LEADER, role: 'supervisor', worker_id: null })
    let read = 0
    stubApi({ ...common,
      'GET /api/v1/cases/c1': () => {
        read += 1
        return json(200, read === 1 ? detail({ state: 'handled', version: 5, allowed_actions: ['verify', 'send_back'] })
          : detail({ state: 'verified', version: 6, allowed_actions: ['close'] }))
      },
      'POST /api/v1/cases/c1/transitions': () => json(409, envelope('version_conflict')) })
    const { wrapper } = await mountApp('/cases/c1')
    await (await shown(wrapper, '[data-action="send_back"]')).trigger('click')
    await wrapper.find('textarea[name="note"]').setValue('照片不清楚')
    await wrapper.find('[data-test="form-send_back"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="stale"]').exists()).toBe(true))
    expect(read).toBe(2)
    expect(wrapper.find('[data-test="stale"]').text()).toContain('其他人已先处理了此事件')
    expect(wrapper.find('[data-test="case-state"]').text()).toBe('已核查')
    expect(wrapper.find('[data-action="close"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="form-send_back"]').exists()).toBe(false) // no longer theirs to take
    expect(outbox.state.entries).toEqual([]) // refused at once: nothing left to send
  })

  it('keeps what the user entered when the step is still theirs on the case read again', async () => {
    signIn({ ...LEADER, role: 'supervisor', worker_id: null })
    let version = 5
    const bodies = []
    stubApi({ ...common,
      'GET /api/v1/cases/c1': () => json(200, detail({ state: 'handled', version,
        allowed_actions: ['verify', 'send_back'] })),
      'POST /api/v1/cases/c1/transitions': (init) => {
        bodies.push(JSON.parse(init.body))
        if (bodies.length === 1) {
          version = 6 // someone changed it meanwhile
          return json(409, envelope('version_conflict'))
        }
        return json(200, detail({ state: 'in_progress', version: 7 }))
      } })
    const { wrapper } = await mountApp('/cases/c1')
    await (await shown(wrapper, '[data-action="send_back"]')).trigger('click')
    await wrapper.find('textarea[name="note"]').setValue('照片不清楚')
    await wrapper.find('[data-test="form-send_back"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="stale"]').exists()).toBe(true))
    expect(wrapper.find('textarea[name="note"]').element.value).toBe('照片不清楚')
    await wrapper.find('[data-test="form-send_back"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="case-state"]').text()).toBe('处置中'))
    expect(bodies.map((body) => [body.version, body.note])).toEqual([[5, '照片不清楚'], [6, '照片不清楚']])
    expect(wrapper.find('[data-test="stale"]').exists()).toBe(false)
  })

  it('keeps a step taken without signal, offers no other meanwhile, and reads the case once it is sent', async () => {
    signIn(PROFILES.grid_worker)
    let accepted = false
    stubApi({ ...common,
      'GET /api/v1/cases/c1': () => json(200, accepted
        ? detail({ state: 'in_progress', version: 3, allowed_actions: ['handle', 'escalate'] })
        : detail({ state: 'dispatched', version: 2, allowed_actions: ['accept', 'escalate'] })),
      'POST /api/v1/cases/c1/transitions': () => {
        if (!network.online) return new TypeError('Failed to fetch')
        accepted = true
        return json(200, detail({ state: 'in_progress', version: 3 }))
      } })
    const { wrapper } = await mountApp('/cases/c1')
    await (await shown(wrapper, '[data-action="accept"]')).trigger('click')
    network.online = false
    await wrapper.find('[data-test="form-accept"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="waiting"]').exists()).toBe(true))
    expect(wrapper.find('[data-test="action-done"]').text()).toBe('已离线保存，联网后自动提交')
    expect(wrapper.find('[data-test="pending-note"]').exists()).toBe(true)

    network.online = true
    await outbox.flush()
    await eventually(() => expect(wrapper.find('[data-test="case-state"]').text()).toBe('处置中'))
    expect(wrapper.findAll('[data-test="case-actions"] .buttons [data-action]').map((b) => b.text()))
      .toEqual(['处置反馈', '上报上级'])
  })

  it('shows the reporter masked, and unmasked on request', async () => {
    signIn(PROFILES.grid_worker)
    const calls = stubApi({ ...common,
      'GET /api/v1/cases/c1': (_init, url) => json(200, url.searchParams.get('reveal')
        ? detail({ reporter_name: '王大爷', reporter_phone: '10000009001' })
        : detail({ reporter_name: '王**', reporter_phone: '100****9001' })) })
    const { wrapper } = await mountApp('/cases/c1')
    expect((await shown(wrapper, '[data-test="reporter"]')).text()).toContain('100****9001')
    await wrapper.find('[data-test="reveal"]').trigger('click')
    await eventually(() => expect(wrapper.find('[data-test="reporter"]').text()).toContain('王大爷 · 10000009001'))
    expect(calls.filter((c) => c.url.includes('reveal=true'))).toHaveLength(1)
  })
})

describe('reporting a case', () => {
  it('checks the form, then keeps a report made offline in the outbox with its own key', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ ...common, 'POST /api/v1/cases': () => new TypeError('Failed to fetch') })
    const { wrapper } = await mountApp('/cases/new')
    const form = await shown(wrapper, '[data-test="report-form"]')
    network.online = false
    await form.trigger('submit')
    await eventually(() => expect(form.text()).toContain('请选择事件类型'))
    expect(form.text()).toContain('请描述事件')
    expect(form.text()).toContain('请定位或填写地址')

    await wrapper.find('input[name="category"][value="sanitation"]').setValue(true)
    await wrapper.find('textarea[name="description"]').setValue('村东口垃圾堆放，无人清运')
    await wrapper.find('input[name="address"]').setValue('三泉村东口')
    await wrapper.find('input[name="priority"][value="high"]').setValue(true)
    await form.trigger('submit')
    expect((await shown(wrapper, '[data-test="report-queued"]')).text()).toContain('已离线保存')
    const [entry] = outbox.state.entries
    expect(entry).toMatchObject({ kind: 'case', path: '/cases', status: 'pending',
      body: { category: 'sanitation', grid_code: MICRO, description: '村东口垃圾堆放，无人清运',
        address: '三泉村东口', priority: 'high', source: 'worker' },
      summary: { action: 'report', label: '环境卫生 · 村东口垃圾堆放，无人清运' } })
    expect(entry.summary.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(wrapper.find('[data-test="outbox-banner"]').text()).toBe('有 1 条记录待同步')
  })

  it('follows a report kept offline until it is sent: a message, and the card links to the new case', async () => {
    signIn(PROFILES.grid_worker)
    let online = false
    stubApi({ ...common, 'POST /api/v1/cases': () => (online ? json(201, aCase({ case_id: 'c9' }))
      : new TypeError('Failed to fetch')) })
    const { wrapper } = await mountApp('/cases/new')
    const form = await shown(wrapper, '[data-test="report-form"]')
    network.online = false
    await wrapper.find('input[name="category"][value="sanitation"]').setValue(true)
    await wrapper.find('textarea[name="description"]').setValue('村东口垃圾堆放')
    await wrapper.find('input[name="address"]').setValue('三泉村东口')
    await form.trigger('submit')
    const card = await shown(wrapper, '[data-test="report-queued"]')
    expect(card.attributes('data-outcome')).toBe('pending')
    online = true
    network.online = true
    await outbox.flush()
    await eventually(() => expect(wrapper.find('[data-test="report-queued"]').attributes('data-outcome')).toBe('sent'))
    expect(wrapper.find('[data-test="report-queued"]').text()).toContain('已上报')
    expect(wrapper.find('[data-test="outcome-link"]').attributes('href')).toBe('/cases/c9')
    expect(wrapper.find('[data-test="outcome-link"]').text()).toBe('查看事件')
    await eventually(() => expect(document.body.textContent).toContain('事件已上报'))
  })

  it('says why a report kept offline was refused once it was sent', async () => {
    signIn(PROFILES.grid_worker)
    let online = false
    stubApi({ ...common, 'POST /api/v1/cases': () => (online ? json(400, envelope('validation_error',
      [{ field: 'grid_code', message: 'x' }])) : new TypeError('Failed to fetch')) })
    const { wrapper } = await mountApp('/cases/new')
    const form = await shown(wrapper, '[data-test="report-form"]')
    network.online = false
    await wrapper.find('input[name="category"][value="sanitation"]').setValue(true)
    await wrapper.find('textarea[name="description"]').setValue('路灯不亮')
    await wrapper.find('input[name="address"]').setValue('村口')
    await form.trigger('submit')
    await shown(wrapper, '[data-test="report-queued"]')
    online = true
    network.online = true
    await outbox.flush()
    expect((await shown(wrapper, '[data-test="outcome-failed"]')).text()).toContain('上报未成功')
  })

  it('takes the position from the phone', async () => {
    signIn(PROFILES.grid_worker)
    stubApi(common)
    vi.stubGlobal('navigator', { ...navigator, geolocation: { getCurrentPosition: (resolve) => resolve(
      { coords: { latitude: 35.6151234567, longitude: 111.2012345678, accuracy: 12.4 } }) } })
    const { wrapper } = await mountApp('/cases/new')
    await (await shown(wrapper, '[data-test="locate"]')).trigger('click')
    await eventually(() => expect(wrapper.find('[data-test="position"]').text()).toBe('已定位 35.615123, 111.201235（误差约 12 米）'))
  })
})

describe('case indicators', () => {
  it('show the figures and rates of my scope for a month, and step back a month', async () => {
    signIn(LEADER)
    const months = []
    stubApi({ 'GET /api/v1/grids/140825102201': () => json(200, { code: '140825102201', name: '三泉村',
      level: 'village', level_name: '村' }),
    'GET /api/v1/case-indicators': (_init, url) => {
      months.push(url.searchParams.get('month'))
      return json(200, { grid: '140825102201', month: url.searchParams.get('month'),
        counts: { reported: 7, registered: 6, closed: 1, closed_on_time: 1, due_to_close: 2, rework: 1, handled: 4 },
        overdue_now: 2, open_now: 5, rates: { closed_on_time_rate: 0.5, rework_rate: 0.25,
          resolved_in_micro_grid_rate: 1, resolved_in_village_rate: 1, mean_hours_to_close: 30.5,
          satisfaction_rate: null } })
    } })
    const { wrapper } = await mountApp('/case-indicators?month=2026-11')
    const figures = await shown(wrapper, '[data-test="figures"]')
    expect(figures.findAll('li').map((li) => li.text())).toEqual(['7上报', '6立案', '1结案', '5在办', '2超期'])
    const rate = (key) => wrapper.find(`[data-rate="${key}"]`).text()
    expect(rate('closed_on_time_rate')).toBe('按期结案率50%')
    expect(rate('satisfaction_rate')).toBe('满意率—')
    expect(rate('mean_hours_to_close')).toBe('平均结案用时30.5 小时')
    await wrapper.find('[data-test="previous-month"]').trigger('click')
    await eventually(() => expect(months).toEqual(['2026-11', '2026-10']))
  })
})

describe('hotline callbacks', () => {
  it('list the failed ones for admins and send one again', async () => {
    signIn(PROFILES.county_admin)
    const retried = []
    stubApi({
      'GET /api/v1/hotline/callbacks': () => json(200, { items: [{ callback_id: 'cb1', case_id: 'c1',
        ticket_id: 'T-1001', url: 'https://12345.example/callback', status: 'failed', attempts: 8,
        next_attempt_at: null, last_error: 'HTTP 502', created_at: '2026-11-26T01:00:00Z', delivered_at: null }],
      next_cursor: null }),
      'POST /api/v1/hotline/callbacks/cb1/retry': () => { retried.push('cb1'); return json(200, {}) },
    })
    const { wrapper } = await mountApp('/hotline/callbacks')
    const list = await shown(wrapper, '[data-test="callbacks"]')
    expect(list.text()).toContain('工单 T-1001')
    expect(list.text()).toContain('最近错误：HTTP 502')
    await wrapper.find('[data-test="retry-callback"]').trigger('click')
    await eventually(() => expect(list.text()).toContain('已重新加入回传队列'))
    expect(retried).toEqual(['cb1'])
  })

  it('are not for a worker', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({})
    const { router } = await mountApp('/hotline/callbacks')
    expect(router.currentRoute.value.name).toBe('forbidden')
  })
})

describe('case categories', () => {
  it('lets the county admin change a limit, and checks a new category\'s code before sending it', async () => {
    signIn(PROFILES.county_admin)
    const put = []
    stubApi({ ...common,
      'GET /api/v1/case-categories': () => json(200, CATEGORIES),
      'PUT /api/v1/case-categories/140825/sanitation': (init) => {
        put.push(JSON.parse(init.body))
        return json(200, { code: 'sanitation', ...JSON.parse(init.body) })
      },
    })
    const { wrapper } = await mountApp('/cases')
    await (await shown(wrapper, '[data-test="edit-categories"]')).trigger('click')
    const row = await shown(wrapper, '[data-code="sanitation"]')
    expect(row.text()).toContain('环境卫生')
    await row.trigger('click')
    await wrapper.find('input[name="handle"]').setValue('5wd')
    await wrapper.find('[data-test="category-form"]').trigger('submit')
    await eventually(() => expect(put).toHaveLength(1))
    expect(put[0]).toMatchObject({ name_zh: '环境卫生', handle: '5wd', version: 3 })
    expect(put[0]).not.toHaveProperty('code')

    await (await shown(wrapper, '[data-test="new-category"]')).trigger('click')
    await wrapper.find('input[name="code"]').setValue('Noise!')
    await wrapper.find('[data-test="category-form"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="category-form"]').text()).toContain('小写字母开头'))
    expect(put).toHaveLength(1)
  })

  it('tells the second of two admins, and lets them save again over the latest version', async () => {
    signIn(PROFILES.county_admin)
    const put = []
    let stored = 3
    stubApi({ ...common,
      'GET /api/v1/case-categories': () => json(200, { items: CATEGORIES.items.map((c) => (
        c.code === 'sanitation' ? { ...c, version: stored } : c)) }),
      'PUT /api/v1/case-categories/140825/sanitation': (init) => {
        const body = JSON.parse(init.body)
        put.push(body)
        if (body.version !== stored) return json(409, envelope('version_conflict'))
        stored += 1
        return json(200, { code: 'sanitation', ...body, version: stored })
      },
    })
    const { wrapper } = await mountApp('/case-categories')
    await (await shown(wrapper, '[data-code="sanitation"]')).trigger('click')
    stored = 4 // another admin saved meanwhile
    await wrapper.find('input[name="verify"]').setValue('1wd')
    await wrapper.find('[data-test="category-form"]').trigger('submit')
    await eventually(() => expect(wrapper.find('[data-test="conflict"]').exists()).toBe(true))
    await wrapper.find('[data-test="category-form"]').trigger('submit')
    await eventually(() => expect(put).toHaveLength(2))
    expect(put.map((body) => [body.version, body.verify])).toEqual([[3, '1wd'], [4, '1wd']])
  })

  it('is not offered to a town admin', async () => {
    signIn({ ...PROFILES.county_admin, role: 'town_admin', scope_code: '140825102' })
    stubApi({ ...common })
    const { wrapper, router } = await mountApp('/cases')
    await shown(wrapper, '[data-test="boxes"]')
    expect(wrapper.find('[data-test="edit-categories"]').exists()).toBe(false)
    await router.push('/case-categories')
    await eventually(() => expect(router.currentRoute.value.name).toBe('forbidden'))
  })
})

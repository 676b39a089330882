import { afterEach, describe, expect, it, vi } from 'vitest'
import { envelope, json, mountApp, PROFILES, reset, shown, signIn, stubApi }
  from '../../test-utils.js'
import { network } from '../../network.js'
import { outbox } from '../../offline/index.js'

afterEach(reset)

const SCOPE = PROFILES.grid_worker.scope_code
const VIEWER = { ...PROFILES.county_admin, user_id: 'u-viewer', role: 'viewer', scope_code: '140825102' }
const gridOf = (code, name = '三泉村1-1微网格', level = 'micro') => ({ code, name, level, level_name: '微网格',
  parent_code: code.slice(0, -2), leader_worker_id: null, party_members: [], boundary: null, notes: null,
  retired: false, moving: false, version: 1 })
const resident = (fields = {}) => ({ resident_id: 'r1', household_id: 'h1', grid_code: SCOPE, name: '司马春',
  id_number: '140825********1234', phone: '138****5678', sex: 'female', age: 40, birth_date: null,
  resident_type: 'registered', tags: ['低保'], relation: '户主', notes: null,
  updated_at: '2026-03-01T02:00:00Z', version: 1, ...fields })
const household = (fields = {}) => ({ household_id: 'h1', grid_code: SCOPE, address: '三泉村1组1号',
  head_name: '司马春', notes: null, member_count: 1, created_at: '2026-03-01T02:00:00Z',
  updated_at: '2026-03-01T02:00:00Z', version: 1, members: [resident()],
  grid_history: [{ grid_code: SCOPE, since: '2026-03-01T02:00:00Z', until: null }], ...fields })
const common = {
  'GET /api/v1/ledger-settings': () => json(200, { key_groups: ['低保', '独居老人'],
    resident_types: { registered: '户籍', floating: '流动' } }),
  [`GET /api/v1/grids/${SCOPE}`]: () => json(200, gridOf(SCOPE)),
  [`GET /api/v1/grids/${SCOPE}/assignments`]: () => json(200, { items: [], next_cursor: null }),
}

describe('ledger search and records', () => {
  it('finds a resident by name, and shows the ID number in full on request', async () => {
    signIn(PROFILES.grid_worker)
    const asked = []
    stubApi({ ...common,
      'GET /api/v1/ledger-search': (_init, url) => {
        asked.push(Object.fromEntries(url.searchParams))
        return json(200, { matched_by: 'name_or_address', residents: [resident()], households: [],
          rentals: [], tenants: [] })
      },
      'GET /api/v1/residents/r1': (_init, url) => json(200, url.searchParams.get('reveal') === 'true'
        ? resident({ id_number: '14082519860101123X', phone: '13812345678', birth_date: '1986-01-01' })
        : resident()),
    })
    const { wrapper, router } = await mountApp('/ledgers')
    expect((await shown(wrapper, '[data-test="empty-state"]')).text()).toContain('输入姓名')
    await wrapper.find('input[name="q"]').setValue('司马')
    await wrapper.find('form[role="search"]').trigger('submit')
    const found = await shown(wrapper, '[data-test="found-residents"] .van-cell')
    expect(asked).toEqual([{ q: '司马', grid: SCOPE }])
    expect(found.text()).toContain('司马春')
    expect(found.text()).toContain('140825********1234')
    await found.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/residents/r1'))
    const idNumber = await shown(wrapper, '[data-test="id-number"]')
    expect(idNumber.text()).toContain('140825********1234')
    await wrapper.find('[data-test="reveal"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test="id-number"]').text()).toContain('14082519860101123X'))
    expect(wrapper.find('[data-test="phone"]').text()).toContain('13812345678')
    expect(wrapper.text()).toContain('已显示完整信息')
  })

  it('says when a broad search shows only the first matches, and opens the list that pages on', async () => {
    signIn(PROFILES.grid_worker)
    const listed = []
    stubApi({ ...common,
      'GET /api/v1/ledger-search': () => json(200, { matched_by: 'name_or_address', residents: [],
        households: [household()], rentals: [], tenants: [], more: ['households'] }),
      'GET /api/v1/households': (_init, url) => {
        listed.push(Object.fromEntries(url.searchParams))
        return json(200, { items: [household()], next_cursor: 'c2' })
      },
    })
    const { wrapper, router } = await mountApp('/ledgers?q=三泉村')
    const section = await shown(wrapper, '[data-test="found-households"]')
    expect(section.text()).toContain('住户（前 1 户）')
    await wrapper.find('[data-test="see-all-households"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.query.list).toBe('households'))
    await vi.waitFor(() => expect(listed).toHaveLength(1))
    expect(listed[0]).toMatchObject({ address: '三泉村', grid: SCOPE })
    expect((await shown(wrapper, '[data-test="load-more"]')).exists()).toBe(true)
  })

  it('tells a role that may not see personal data so, and offers it no edits', async () => {
    signIn(VIEWER)
    stubApi({ ...common,
      'GET /api/v1/residents/r1': (_init, url) => (url.searchParams.get('reveal')
        ? json(403, envelope('reveal_denied')) : json(200, resident())),
    })
    const { wrapper } = await mountApp('/residents/r1')
    await (await shown(wrapper, '[data-test="reveal"]')).trigger('click')
    const refusal = await shown(wrapper, '[data-test="reveal-error"]')
    expect(refusal.text()).toBe('您的角色无权查看完整的个人信息')
    expect(refusal.attributes('role')).toBe('alert')
    expect(wrapper.find('[data-test="id-number"]').text()).toContain('*')
    expect(wrapper.find('[data-test="edit"]').exists()).toBe(false)
  })

  it('keeps a role out of the forms it may not use', async () => {
    signIn(VIEWER)
    stubApi({})
    const { router } = await mountApp('/households/new')
    expect(router.currentRoute.value.name).toBe('forbidden')
  })
})

describe('who a rental names', () => {
  const rental = (fields = {}) => ({ rental_id: 'rt1', grid_code: SCOPE, address: '三泉村2组8号',
    owner_name: '房东甲', owner_phone: null, owner_household_id: null, responsible_worker_id: null,
    rooms: 2, notes: null, tenant_count: 0, closed: false, created_at: '2026-03-01T02:00:00Z',
    updated_at: '2026-03-01T02:00:00Z', version: 1, ...fields })
  const noTenants = () => json(200, { items: [], next_cursor: null })
  const responsible = (wrapper) => wrapper.find('[data-test="responsible-worker"] .van-cell__value')

  it('names the responsible worker even where the reader may not open their record, asking once', async () => {
    signIn(PROFILES.grid_worker)
    const calls = stubApi({ ...common,
      'GET /api/v1/rentals/rt1': () => json(200, rental({ responsible_worker_id: '757f56cf057d7004' })),
      'GET /api/v1/rentals/rt2': () => json(200, rental({ rental_id: 'rt2', responsible_worker_id: '757f56cf057d7004' })),
      'GET /api/v1/rentals/rt1/tenants': noTenants,
      'GET /api/v1/rentals/rt2/tenants': noTenants,
      // A village's worker covering the micro-grid: their record lies above the reader's scope.
      'GET /api/v1/workers/757f56cf057d7004': () => json(403, envelope('out_of_scope')),
      [`GET /api/v1/grids/${SCOPE}/assignments`]: () => json(200, { next_cursor: null, items: [
        { assignment_id: 'a1', worker_id: 'w000002', worker_name: '微网格员', grid_code: SCOPE,
          start_date: '2026-01-01', end_date: null, active: true, version: 1 },
        { assignment_id: 'a2', worker_id: '757f56cf057d7004', worker_name: '欧阳春', grid_code: SCOPE,
          start_date: '2026-02-01', end_date: null, active: true, version: 1 }] }),
    })
    const { wrapper, router } = await mountApp('/rentals/rt1')
    await shown(wrapper, '[data-test="responsible-worker"]')
    await vi.waitFor(() => expect(responsible(wrapper).text()).toBe('欧阳春'))
    expect(wrapper.text()).not.toContain('757f56cf057d7004')

    await router.push('/me')
    await router.push('/rentals/rt2')
    await vi.waitFor(() => expect(calls.map((call) => call.key)).toContain('GET /api/v1/rentals/rt2'))
    await vi.waitFor(() => expect(responsible(wrapper).text()).toBe('欧阳春'))
    const asked = (path) => calls.filter((call) => call.key === `GET /api/v1${path}`).length
    expect([asked('/workers/757f56cf057d7004'), asked(`/grids/${SCOPE}/assignments`)]).toEqual([1, 1])
  })

  it('says so when nobody is responsible, and never shows an id it cannot name', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ ...common,
      'GET /api/v1/rentals/rt3': () => json(200, rental({ rental_id: 'rt3' })),
      'GET /api/v1/rentals/rt4': () => json(200, rental({ rental_id: 'rt4', grid_code: '1408251022010102',
        responsible_worker_id: 'w-gone' })),
      'GET /api/v1/rentals/rt3/tenants': noTenants,
      'GET /api/v1/rentals/rt4/tenants': noTenants,
      'GET /api/v1/workers/w-gone': () => json(403, envelope('out_of_scope')),
      'GET /api/v1/grids/1408251022010102/assignments': () => json(200, { items: [], next_cursor: null }),
    })
    const { wrapper, router } = await mountApp('/rentals/rt3')
    await shown(wrapper, '[data-test="responsible-worker"]')
    expect(responsible(wrapper).text()).toBe('未指派')

    await router.push('/me')
    await router.push('/rentals/rt4')
    await vi.waitFor(() => expect(responsible(wrapper).text()).toBe('姓名不详'))
    expect(wrapper.text()).not.toContain('w-gone')
  })
})

describe('a rental\'s board', () => {
  const rental = { rental_id: 'rt5', grid_code: SCOPE, address: '三泉村2组9号', owner_name: '房东乙',
    owner_phone: null, owner_household_id: null, responsible_worker_id: null, rooms: 1, notes: null,
    tenant_count: 0, closed: false, created_at: '2026-03-01T02:00:00Z', updated_at: '2026-03-01T02:00:00Z',
    version: 1 }
  const stubs = (board) => ({ ...common,
    'GET /api/v1/rentals/rt5': () => json(200, rental),
    'GET /api/v1/rentals/rt5/tenants': () => json(200, { items: [], next_cursor: null }),
    'GET /api/v1/rentals/rt5/board': board,
  })

  it('opens the board\'s code page, saying when it was printed, for those who manage codes', async () => {
    signIn(PROFILES.county_admin)
    stubApi(stubs(() => json(200, { code: { serial: 'A1B2C3D4E5F6', kind: 'rental_board', record_id: 'rt5',
      grid_code: SCOPE, url: 'http://127.0.0.1:8000/q/x', issued_at: '2026-03-01T02:00:00Z', issued_by: 'u1',
      snapshot: { tenant_count: 0, worker_id: null }, current: true, revoked_at: null, revoked_by: null } })))
    const { wrapper, router } = await mountApp('/rentals/rt5')
    const row = await shown(wrapper, '[data-test="board"]')
    expect(row.text()).toContain('公示牌二维码')
    expect(row.text()).toContain('2026/03/01 10:00 打印')
    await row.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/qr-codes/A1B2C3D4E5F6'))
  })

  it('shows no row to a reader who may not see codes, and does not ask', async () => {
    signIn(PROFILES.grid_worker)
    const calls = stubApi(stubs(() => json(403, envelope('role_denied'))))
    const { wrapper } = await mountApp('/rentals/rt5')
    await shown(wrapper, '[data-test="rental"]')
    expect(wrapper.find('[data-test="board"]').exists()).toBe(false)
    expect(calls.map((call) => call.key)).not.toContain('GET /api/v1/rentals/rt5/board')
  })
})

describe('household forms', () => {
  it('tells the second writer of a conflict, keeps what they typed and merges the other change', async () => {
    signIn(PROFILES.grid_worker)
    let current = household()
    const patches = []
    stubApi({ ...common,
      'GET /api/v1/households/h1': () => json(200, current),
      'PATCH /api/v1/households/h1': (init) => {
        const body = JSON.parse(init.body)
        patches.push(body)
        if (body.version !== current.version) return json(409, envelope('version_conflict'))
        current = { ...current, ...body, version: current.version + 1 }
        return json(200, current)
      },
    })
    const { wrapper, router } = await mountApp('/households/h1/edit')
    await shown(wrapper, 'input[name="address"]')
    current = household({ head_name: '李先到', notes: '已走访', version: 2 }) // someone else saves first
    await wrapper.find('input[name="address"]').setValue('三泉村1组1号东院')
    await wrapper.find('textarea[name="notes"]').setValue('低保户')
    await wrapper.find('[data-test="record-form"]').trigger('submit')
    const conflict = await shown(wrapper, '[data-test="conflict"]')
    expect(conflict.text()).toContain('此记录已被他人修改')
    expect(conflict.attributes('role')).toBe('alert')
    await vi.waitFor(() => expect(wrapper.find('input[name="address"]').element.value).toBe('三泉村1组1号东院'))
    expect(wrapper.find('input[name="head_name"]').element.value).toBe('李先到')
    expect(wrapper.find('textarea[name="notes"]').element.value).toBe('低保户')
    expect(wrapper.find('[data-test="theirs"]').text()).toBe('他人已改为：已走访')
    expect(outbox.state.entries).toEqual([])

    await wrapper.find('[data-test="record-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/households/h1'))
    expect(patches).toEqual([
      { address: '三泉村1组1号东院', notes: '低保户', version: 1 },
      { address: '三泉村1组1号东院', notes: '低保户', version: 2 },
    ])
    expect(current).toMatchObject({ head_name: '李先到', notes: '低保户', version: 3 })
  })

  it('shows a member\'s wrong ID number at that member\'s field', async () => {
    signIn(PROFILES.grid_worker)
    stubApi({ ...common,
      'POST /api/v1/households': () => json(400, envelope('id_number_checksum',
        [{ field: 'members.1.id_number', message: 'The check character of the ID number is wrong' }])),
    })
    const { wrapper } = await mountApp('/households/new')
    await shown(wrapper, 'input[name="members.0.name"]')
    await wrapper.find('input[name="address"]').setValue('三泉村1组9号')
    await wrapper.find('input[name="members.0.name"]').setValue('张一')
    await wrapper.find('input[name="members.0.id_number"]').setValue('140825198601011234')
    await wrapper.find('[data-test="add-member"]').trigger('click')
    await wrapper.find('input[name="members.1.name"]').setValue('张二')
    await wrapper.find('input[name="members.1.id_number"]').setValue('140825198601011235')
    await wrapper.find('[data-test="record-form"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-test="member-1"] .van-field__error-message').text())
      .toBe('身份证号校验位不正确，请核对'))
    expect(wrapper.find('[data-test="member-0"] .van-field__error-message').exists()).toBe(false)
    expect(wrapper.find('input[name="members.1.id_number"]').element.value).toBe('140825198601011235')
  })

  it('keeps a household registered without signal and lists it as waiting', async () => {
    signIn(PROFILES.grid_worker)
    const posts = []
    stubApi({ ...common,
      'POST /api/v1/households': (init) => (network.online
        ? (posts.push(init), json(201, household())) : new TypeError('Failed to fetch')),
      'GET /api/v1/households': () => (network.online ? json(200, { items: [household()], next_cursor: null })
        : new TypeError('Failed to fetch')),
    })
    const { wrapper, router } = await mountApp('/households/new')
    await shown(wrapper, 'input[name="members.0.name"]')
    network.online = false
    await wrapper.find('input[name="address"]').setValue('三泉村1组1号')
    await wrapper.find('input[name="members.0.name"]').setValue('司马春')
    await wrapper.find('input[name="members.0.id_number"]').setValue('140825198601011234')
    await wrapper.find('[data-test="record-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/ledgers?list=households'))
    const pending = await shown(wrapper, '[data-test="pending-creates"]')
    expect(pending.text()).toContain('三泉村1组1号')
    expect(outbox.state.entries.map((entry) => entry.body)).toEqual([{ grid_code: SCOPE,
      address: '三泉村1组1号', members: [{ name: '司马春', id_number: '140825198601011234',
        resident_type: 'registered', tags: [] }] }])

    network.online = true
    await outbox.flush()
    await vi.waitFor(() => expect(wrapper.find('[data-test="pending-creates"]').exists()).toBe(false))
    expect(posts).toHaveLength(1)
    expect(posts[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    await vi.waitFor(() => expect(wrapper.find('[data-test="ledger-list"]').text()).toContain('三泉村1组1号'))
  })
})

describe('Excel import', () => {
  it('lists every problem of the checked file, then imports the fixed one and follows the job', async () => {
    signIn(PROFILES.grid_worker)
    const uploads = []
    const imports = []
    let fixed = false
    const job = (fields) => ({ import_id: 'i1', kind: 'households', dry_run: true, status: 'checked', rows: 2,
      processed: 0, created: 2, updated: 0, unchanged: 0, problems: [], ...fields })
    stubApi({
      'POST /api/v1/ledger-uploads': () => json(201, { upload_id: `u${uploads.length + 1}`,
        url: 'http://storage.test/bucket', fields: { key: 'ledger-uploads/u.xlsx', policy: 'p' },
        expires_at: '2026-03-01T03:00:00Z' }),
      'POST http://storage.test/bucket': (init) => {
        uploads.push([...init.body.keys()])
        return new Response(null, { status: 204 })
      },
      'POST /api/v1/ledger-imports': (init) => {
        const body = JSON.parse(init.body)
        imports.push(body)
        if (!body.dry_run) return json(202, job({ dry_run: false, status: 'running', processed: 1 }))
        return json(200, job(fixed ? {} : { problems: [{ sheet: '居民', row: 2, column: 'C',
          message: '身份证号校验码不正确，请核对' }] }))
      },
      'GET /api/v1/ledger-imports/i1': () => json(200, job({ dry_run: false, status: 'done', processed: 2 })),
    })
    const { wrapper } = await mountApp('/ledger-import')
    const input = await shown(wrapper, '[data-test="file"]')
    const choose = async () => {
      Object.defineProperty(input.element, 'files', { configurable: true,
        value: [new File(['xlsx'], '住户台账.xlsx')] })
      await input.trigger('change')
    }
    await choose()
    const problems = await shown(wrapper, '[data-test="problems"]')
    expect(problems.text()).toContain('居民 表 第 2 行 C 列')
    expect(problems.text()).toContain('身份证号校验码不正确，请核对')
    expect(wrapper.find('[data-test="import"]').exists()).toBe(false)
    expect(uploads[0]).toEqual(['key', 'policy', 'file'])

    fixed = true
    await choose()
    expect((await shown(wrapper, '[data-test="checked"]')).text()).toContain('将新增 2 条')
    await wrapper.find('[data-test="import"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test="import-job"]').text()).toContain('导入完成：新增 2 条'))
    expect(imports).toEqual([{ upload_id: 'u1', kind: 'households', dry_run: true },
      { upload_id: 'u2', kind: 'households', dry_run: true }, { upload_id: 'u2', kind: 'households', dry_run: false }])
  })

  it('says why an import that failed stopped, beneath the generic line', async () => {
    signIn(PROFILES.grid_worker)
    const job = (fields) => ({ import_id: 'i2', kind: 'households', dry_run: false, status: 'running', rows: 2,
      processed: 0, created: 0, updated: 0, unchanged: 0, problems: [], failure: null, ...fields })
    stubApi({
      'POST /api/v1/ledger-uploads': () => json(201, { upload_id: 'u1', url: 'http://storage.test/bucket',
        fields: { key: 'ledger-uploads/u.xlsx' }, expires_at: '2026-03-01T03:00:00Z' }),
      'POST http://storage.test/bucket': () => new Response(null, { status: 204 }),
      'POST /api/v1/ledger-imports': (init) => (JSON.parse(init.body).dry_run
        ? json(200, job({ dry_run: true, status: 'checked', created: 2 }))
        : json(202, job())),
      'GET /api/v1/ledger-imports/i2': () => json(200, job({ status: 'failed', processed: 1,
        failure: 'Row 3 could not be written: the grid 1408251022010199 is retired' })),
    })
    const { wrapper } = await mountApp('/ledger-import')
    const input = await shown(wrapper, '[data-test="file"]')
    Object.defineProperty(input.element, 'files', { configurable: true, value: [new File(['xlsx'], '住户台账.xlsx')] })
    await input.trigger('change')
    await (await shown(wrapper, '[data-test="import"]')).trigger('click')
    const failure = await shown(wrapper, '[data-test="import-failure"]')
    expect(failure.text()).toBe('Row 3 could not be written: the grid 1408251022010199 is retired')
    const lines = wrapper.find('[data-test="import-job"]').findAll('p').map((line) => line.text())
    expect(lines).toEqual(['导入未完成，请重新上传检查', 'Row 3 could not be written: the grid 1408251022010199 is retired'])
  })
})

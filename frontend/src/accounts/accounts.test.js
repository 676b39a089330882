import { afterEach, describe, expect, it, vi } from 'vitest'
import { envelope, json, mountApp, PROFILES, reset, shown, signIn, stubApi }
  from '../test-utils.js'
import { network } from '../network.js'
import { outbox } from '../offline/index.js'
import { i18n } from '../i18n.js'
import { assignableRoles, auditRecord, MACHINE_OPERATIONS, operationLabel, shanghaiDayBound,
  suggestPassword } from './rules.js'

afterEach(reset)

describe('the rules the accounts screens follow', () => {
  it('lets an admin give its own rank or below, and others nothing', () => {
    expect(assignableRoles('county_admin')).toEqual(['county_admin', 'town_admin', 'dispatcher',
      'supervisor', 'grid_leader', 'grid_worker', 'viewer'])
    expect(assignableRoles('town_admin')).not.toContain('county_admin')
    expect(assignableRoles('town_admin')).toContain('town_admin')
    expect(assignableRoles('grid_leader')).toEqual([])
  })

  it('suggests passwords the API accepts, without look-alike characters', () => {
    for (let i = 0; i < 200; i += 1) {
      const password = suggestPassword()
      expect(password).toHaveLength(10)
      expect(password).toMatch(/[A-Za-z]/)
      expect(password).toMatch(/\d/)
      expect(password).not.toMatch(/[0O1lI]/)
    }
    expect(suggestPassword(() => new Uint32Array(10))).toBe('aaaaaaaaa2')
  })

  it('links an audit record to its screen where the app has one', () => {
    expect(auditRecord('resident#r 1')).toEqual({ kind: 'resident', id: 'r 1', page: '/residents/r%201' })
    expect(auditRecord('user#u1').page).toBe('/accounts/u1')
    expect(auditRecord('import#j1')).toEqual({ kind: 'import', id: 'j1', page: null })
  })

  it('names every operation an API key may have, in both languages', () => {
    for (const locale of ['zh-CN', 'en']) {
      for (const operation of MACHINE_OPERATIONS) {
        expect(i18n.global.te(operationLabel(operation), locale), `${locale} ${operation}`).toBe(true)
      }
    }
  })

  it('bounds audit days in Shanghai time', () => {
    expect(shanghaiDayBound('2026-11-27')).toBe('2026-11-26T16:00:00.000Z')
    expect(shanghaiDayBound('2026-11-27', { end: true })).toBe('2026-11-27T16:00:00.000Z')
    expect(shanghaiDayBound('')).toBe('')
  })
})

const TOWN_ADMIN = { ...PROFILES.county_admin, user_id: 'u-town', role: 'town_admin', scope_code: '140825102',
  scope_name: '三泉镇' }
const grid = (code, name, level) => ({ code, name, level, level_name: name, parent_code: code.slice(0, -3),
  leader_worker_id: null, party_members: [], boundary: null, notes: null, retired: false, moving: false,
  version: 1 })
const account = (fields = {}) => ({ user_id: 'u9', phone: '139****0009', name: '新网格员', role: 'grid_worker',
  scope_code: '140825102', worker_id: null, status: 'active', must_change_password: true,
  created_at: '2026-11-27T02:00:00Z', version: 1, ...fields })
const common = {
  'GET /api/v1/grids/140825102': () => json(200, grid('140825102', '三泉镇', 'town')),
  'GET /api/v1/grids/140825102/children': () => json(200, { items: [], next_cursor: null }),
  'GET /api/v1/workers': () => json(200, { items: [], next_cursor: null }),
}

describe('account screens', () => {
  it('creates an account with a generated initial password, offering only the roles the admin may give',
    async () => {
      signIn(TOWN_ADMIN)
      const sent = []
      stubApi({ ...common,
        'POST /api/v1/users': (init) => {
          sent.push({ body: JSON.parse(init.body), key: init.headers['Idempotency-Key'] })
          return json(201, account())
        },
        'GET /api/v1/users/u9': () => json(200, account()),
      })
      const { wrapper, router } = await mountApp('/accounts/new')
      await shown(wrapper, '[data-test="record-form"]')
      const roles = wrapper.findAll('.van-radio').map((radio) => radio.text())
      expect(roles).not.toContain('县级管理员')
      expect(roles).toContain('网格员')
      const password = wrapper.find('input[name="initial_password"]').element.value
      expect(password).toMatch(/^(?=.*\d)(?=.*[A-Za-z]).{10}$/)
      await wrapper.find('input[name="name"]').setValue('新网格员')
      await wrapper.find('input[name="phone"]').setValue('13900000009')
      await wrapper.find('[data-test="record-form"]').trigger('submit')
      await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/accounts/u9'))
      expect(sent).toHaveLength(1)
      expect(sent[0].body).toEqual({ name: '新网格员', phone: '13900000009', role: 'grid_worker',
        scope_code: '140825102', initial_password: password })
      expect(sent[0].key).toBeTruthy()
      expect(outbox.state.entries).toEqual([])
    })

  it('edits an account by sending only what changed, with the version read', async () => {
    signIn(TOWN_ADMIN)
    const sent = []
    stubApi({ ...common,
      'GET /api/v1/users/u9': () => json(200, account()),
      'PATCH /api/v1/users/u9': (init) => {
        sent.push(JSON.parse(init.body))
        return json(200, account({ role: 'dispatcher', version: 2 }))
      },
    })
    const { wrapper, router } = await mountApp('/accounts/u9/edit')
    await shown(wrapper, 'input[name="name"]')
    expect(wrapper.find('input[name="initial_password"]').exists()).toBe(false)
    await wrapper.findAll('.van-radio').find((radio) => radio.text() === '调度员').trigger('click')
    await wrapper.find('[data-test="record-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/accounts/u9'))
    expect(sent).toEqual([{ role: 'dispatcher', version: 1 }])
  })

  it('refuses to keep a password for later when there is no signal', async () => {
    signIn(TOWN_ADMIN)
    const calls = stubApi({ ...common, 'GET /api/v1/users/u9': () => json(200, account()) })
    const { wrapper } = await mountApp('/accounts/u9')
    await shown(wrapper, '[data-test="reset-password"]')
    await wrapper.find('[data-test="suggest-password"]').trigger('click')
    network.online = false
    await wrapper.find('[data-test="reset-password"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test="form-error"]').text()).toContain('需要联网'))
    expect(calls.filter((call) => call.key.startsWith('POST'))).toEqual([])
    expect(outbox.state.entries).toEqual([])
  })

  it('shows the reason the server refused a reset at its field', async () => {
    signIn(TOWN_ADMIN)
    stubApi({ ...common, 'GET /api/v1/users/u9': () => json(200, account()),
      'POST /api/v1/users/u9/password-reset': () => json(400, envelope('weak_password',
        [{ field: 'new_password', type: 'weak_password', message: 'too common' }])),
    })
    const { wrapper } = await mountApp('/accounts/u9')
    await shown(wrapper, '[data-test="reset-password"]')
    await wrapper.find('input[name="new_password"]').setValue('password1')
    await wrapper.find('[data-test="reset-password"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test="form-error"]').text()).toContain('不能是手机号或常见密码'))
  })

  it('offers no changes to one\'s own account or to a higher rank', async () => {
    signIn(TOWN_ADMIN)
    stubApi({ ...common,
      'GET /api/v1/users/u-town': () => json(200, account({ user_id: 'u-town', role: 'town_admin' })),
      'GET /api/v1/users/u-county': () => json(200, account({ user_id: 'u-county', role: 'county_admin' })),
    })
    const { wrapper, router } = await mountApp('/accounts/u-town')
    await shown(wrapper, '[data-test="account"]')
    expect(wrapper.find('[data-test="disable"]').exists()).toBe(false)
    await router.push('/accounts/u-county')
    await vi.waitFor(() => expect(wrapper.find('[data-test="account-role"]').text()).toContain('县级管理员'))
    expect(wrapper.find('[data-test="reset-password"]').exists()).toBe(false)
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { network } from '../../network.js'
import { json, mountApp, PROFILES, reset, shown, signIn, stubApi } from '../../test-utils.js'

afterEach(reset)

async function inBody(selector, text = '') {
  let found = null
  await vi.waitFor(() => {
    found = [...document.body.querySelectorAll(selector)].find((el) => el.textContent.includes(text))
    if (!found) throw new Error(`${selector} ${text} is not shown`)
  })
  return found
}

const TOWN_ADMIN = { ...PROFILES.county_admin, user_id: 'u-town', role: 'town_admin', scope_code: '140825102',
  scope_name: '三泉镇' }
const CODE = { serial: 'A1B2C3D4E5F6', kind: 'rental_board', record_id: 'r1', grid_code: '1408251022010101',
  url: 'http://127.0.0.1:8000/q/kA1B2C3D4E5F6mac', issued_at: '2026-03-01T02:00:00Z', issued_by: 'u-town',
  snapshot: { tenant_count: 3, worker_id: 'w1' }, current: true, revoked_at: null, revoked_by: null }
const grid = (code, name) => ({ code, name, level: 'micro', level_name: '微网格', parent_code: code.slice(0, -2) })

describe('a code\'s page', () => {
  it('says what the code opens, when it was printed and what the board showed, with its image; revoking asks first and needs signal', async () => {
    signIn(TOWN_ADMIN)
    const revoked = []
    stubApi({
      'GET /api/v1/qr-codes/A1B2C3D4E5F6': () => json(200, CODE),
      'GET /api/v1/qr-codes/A1B2C3D4E5F6/image': (_init, url) => json(200, { filename: `A1B2C3D4E5F6.${url.searchParams.get('format')}`,
        content_type: 'image/svg+xml', qr_url: CODE.url, url: 'http://s3.test/qr.svg?signed' }),
      'GET /api/v1/workers/w1': () => json(200, { worker_id: 'w1', name: '李网格' }),
      'GET /api/v1/grids/1408251022010101': () => json(200, grid('1408251022010101', '三泉村1-1微网格')),
      'POST /api/v1/qr-codes/A1B2C3D4E5F6/revoke': () => {
        revoked.push(true)
        return json(200, { ...CODE, current: false, revoked_at: '2026-03-02T03:00:00Z', revoked_by: 'u-town' })
      },
    })
    const { wrapper, router } = await mountApp('/qr-codes/A1B2C3D4E5F6')
    const code = await shown(wrapper, '[data-test="qr-code"]')
    expect(wrapper.find('[data-test="qr-state"]').text()).toBe('有效')
    expect(wrapper.find('[data-test="qr-opens"]').text()).toContain('出租房公示牌')
    expect(wrapper.find('[data-test="qr-issued"]').text()).toContain('2026/03/01 10:00')
    await vi.waitFor(() => expect(code.text()).toContain('李网格'))
    expect(code.text()).toContain('印制时租户数3')
    expect((await shown(wrapper, '[data-test="qr-image"]')).attributes('src')).toBe('http://s3.test/qr.svg?signed')

    await wrapper.find('[data-test="revoke"]').trigger('click')
    ;(await inBody('.van-dialog__cancel')).click()
    await vi.waitFor(() => expect(document.body.querySelector('.van-dialog')?.style.display).toBe('none'))
    expect(revoked).toEqual([])

    // Office work is sent now or not at all: without signal it is refused, not kept.
    network.online = false
    await wrapper.find('[data-test="revoke"]').trigger('click')
    ;(await inBody('.van-dialog__confirm')).click()
    await vi.waitFor(() => expect(wrapper.find('[data-test="form-error"]').text()).toContain('此操作需要联网'))
    expect(revoked).toEqual([])
    expect(wrapper.find('[data-test="qr-state"]').text()).toBe('有效')

    network.online = true
    await wrapper.find('[data-test="revoke"]').trigger('click')
    ;(await inBody('.van-dialog__confirm')).click()
    await vi.waitFor(() => expect(wrapper.find('[data-test="qr-state"]').text()).toBe('已停用'))
    expect(revoked).toEqual([true])
    expect(wrapper.find('[data-test="qr-revoked"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="revoke"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="qr-code"]').text()).toContain('停用人县管理员')
    expect(wrapper.find('[data-test="qr-image"]').exists()).toBe(false)

    await wrapper.find('[data-test="qr-opens"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/rentals/r1'))
  })

})

describe('boards to reprint', () => {
  const board = (fields) => ({ rental_id: 'r1', grid_code: '1408251022010101', address: '三泉村东街 8 号',
    owner_name: '张房东', tenant_count: 4, responsible_worker_id: 'w1', printed_at: '2026-03-01T02:00:00Z',
    printed: { tenant_count: 3, worker_id: 'w1' }, ...fields })

  it('lists the rentals whose board shows what no longer holds, each opening its rental; managers print from it', async () => {
    signIn(TOWN_ADMIN)
    stubApi({
      'GET /api/v1/grids/140825102': () => json(200, { ...grid('140825102', '三泉镇'), level: 'town' }),
      'GET /api/v1/rentals/to-reprint': (_init, url) => json(200, url.searchParams.get('grid') === '140825102'
        ? { items: [board(), board({ rental_id: 'r2', address: '西王村 2 号', printed_at: null, printed: null }),
          board({ rental_id: 'r3', address: '南街 1 号', tenant_count: 3, responsible_worker_id: 'w9' })],
        next_cursor: null }
        : { items: [], next_cursor: null }),
    })
    const { wrapper, router } = await mountApp('/qr-codes')
    const list = await shown(wrapper, '[data-test="boards-to-reprint"]')
    expect(list.find('[data-rental="r1"]').text()).toContain('三泉村东街 8 号')
    expect(list.find('[data-rental="r1"]').text()).toContain('租户现为 4 人 · 2026/03/01 10:00 印制')
    expect(list.find('[data-rental="r2"]').text()).toContain('尚无公示牌')
    expect(list.find('[data-rental="r3"]').text()).toContain('责任网格员已变更')
    expect(list.find('[data-rental="r3"]').text()).not.toContain('租户现为')
    expect(wrapper.find('[data-test="print"]').exists()).toBe(true)

    await list.find('[data-rental="r1"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/rentals/r1'))
  })

  it('shows a grid worker the list of their micro-grid, and not the printing nor a code\'s page', async () => {
    signIn(PROFILES.grid_worker)
    const calls = stubApi({
      'GET /api/v1/rentals/to-reprint': () => json(200, { items: [], next_cursor: null }),
    })
    const { wrapper, router } = await mountApp('/qr-codes')
    await vi.waitFor(() => expect(wrapper.text()).toContain('没有需要重印的公示牌'))
    expect(calls.find((call) => call.key === 'GET /api/v1/rentals/to-reprint').url).toContain('grid=1408251022010101')
    expect(wrapper.find('[data-test="print"]').exists()).toBe(false)
    for (const path of ['/qr-codes/print', '/qr-codes/A1B2C3D4E5F6']) {
      await router.push(path)
      expect(router.currentRoute.value.name).toBe('forbidden')
    }
  })
})

describe('printing codes', () => {
  it('starts a sheet of the chosen kind for the subtree, follows the job and offers the PDF', async () => {
    signIn(TOWN_ADMIN)
    const started = []
    let polls = 0
    const job = (fields) => ({ job_id: 'j1', kind: 'contact_cards', grid_code: '140825102', reprint_only: true,
      status: 'running', records: 12, processed: 0, filename: 'contact-cards-140825102.pdf', download_url: null,
      failure: null, created_at: '2026-03-01T02:00:00Z', finished_at: null, ...fields })
    stubApi({
      'GET /api/v1/grids/140825102': () => json(200, { ...grid('140825102', '三泉镇'), level: 'town' }),
      'POST /api/v1/print-sheets': (init) => {
        started.push(JSON.parse(init.body))
        return json(202, job())
      },
      'GET /api/v1/print-sheets/j1': () => json(200, (polls += 1) > 1
        ? job({ status: 'done', processed: 12, download_url: 'http://s3.test/sheet.pdf?signed' })
        : job({ processed: 5 })),
    })
    const { wrapper } = await mountApp('/qr-codes/print')
    await shown(wrapper, '[data-test="print-start"]')
    await vi.waitFor(() => expect(wrapper.find('[data-test="pick-grid_code"]').text()).toContain('三泉镇'))
    await wrapper.find('[data-kind="contact_cards"]').trigger('click')
    await wrapper.find('[data-test="reprint-only"]').trigger('click')
    await wrapper.find('[data-test="print-start"]').trigger('click')

    await vi.waitFor(() => expect(wrapper.find('[data-test="print-job"]').text()).toContain('5 / 12'))
    const link = await shown(wrapper, '[data-test="print-download"]')
    expect(link.attributes('href')).toBe('http://s3.test/sheet.pdf?signed')
    expect(link.text()).toContain('contact-cards-140825102.pdf')
    expect(started).toEqual([{ kind: 'contact_cards', grid_code: '140825102', reprint_only: true }])
  })

  it('says so when the job failed, in the server\'s words too', async () => {
    signIn(TOWN_ADMIN)
    stubApi({
      'POST /api/v1/print-sheets': () => json(202, { job_id: 'j2', kind: 'rental_boards', grid_code: '140825102',
        reprint_only: false, status: 'failed', records: 0, processed: 0, filename: 'x.pdf', download_url: null,
        failure: 'storage unavailable', created_at: '2026-03-01T02:00:00Z', finished_at: '2026-03-01T02:00:05Z' }),
    })
    const { wrapper } = await mountApp('/qr-codes/print')
    await (await shown(wrapper, '[data-test="print-start"]')).trigger('click')
    const failed = await shown(wrapper, '[data-test="print-failed"]')
    expect(failed.text()).toContain('生成失败')
    expect(failed.text()).toContain('storage unavailable')
  })
})

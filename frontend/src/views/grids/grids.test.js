import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, mountApp, PROFILES, reset, shown, signIn, stubApi } from '../../test-utils.js'

afterEach(reset)

/** An element outside the app's root (a popup, a dialog), once it shows `text`. */
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
const grid = (code, name, level, fields = {}) => ({ code, name, level, level_name: level, parent_code: code.slice(0, -2),
  leader_worker_id: null, party_members: [], boundary: null, notes: null, retired: false, moving: false,
  version: 4, ...fields })
const page = (items) => ({ items, next_cursor: null })
const LEDGER = { households: 0, residents: 0, floating_residents: 0, key_group_members: 0, key_groups: {},
  rentals: 0, tenants: 0, active_assignments: 0 }

describe('grid registry', () => {
  it('shows a grid\'s details, its children\'s totals and the uncovered micro-grids, with an admin\'s actions', async () => {
    signIn(TOWN_ADMIN)
    const village = grid('140825102201', '三泉村', 'village', { leader_worker_id: 'w1',
      party_members: [{ name: '王党', position: '组长' }],
      boundary: { type: 'Polygon', coordinates: [[[111.1, 35.6], [111.2, 35.6], [111.2, 35.7], [111.1, 35.6]]] } })
    stubApi({
      'GET /api/v1/grids/140825102201': () => json(200, village),
      'GET /api/v1/grids/140825102201/counts': () => json(200, {
        grid: { code: village.code, name: village.name, level: 'village',
          counts: { ...LEDGER, households: 90, key_group_members: 3, key_groups: { 低保: 3 } } },
        children: [{ code: '14082510220101', name: '第1综合网格', level: 'grid',
          counts: { ...LEDGER, households: 30, residents: 89 } }] }),
      'GET /api/v1/grids/140825102201/children': () => json(200, page([grid('14082510220101', '第1综合网格', 'grid')])),
      'GET /api/v1/grids/140825102201/assignments': () => json(200, page([])),
      'GET /api/v1/grids/140825102201/uncovered': () => json(200, page([{ code: '1408251022010199', name: '新微网格' }])),
      'GET /api/v1/workers/w1': () => json(200, { worker_id: 'w1', name: '唐兰' }),
    })
    const { wrapper } = await mountApp('/grids/140825102201')
    const detail = await shown(wrapper, '[data-test="grid-detail"]')
    await vi.waitFor(() => expect(detail.text()).toContain('唐兰'))
    expect(wrapper.find('[data-test="party-group"]').text()).toContain('王党（组长）')
    expect(wrapper.find('[data-test="boundary"]').text()).toContain('4 个坐标点')
    expect(wrapper.find('[data-test="boundary-shape"] path').attributes('d')).toMatch(/^M[\d.,L]+Z$/)
    expect(wrapper.find('[data-test="key-groups"]').text()).toContain('低保 3')
    expect(wrapper.find('[data-test="children"]').text()).toContain('30 户 · 89 人')
    expect(wrapper.find('[data-test="uncovered"]').text()).toContain('1408251022010199')
    expect(wrapper.find('[data-count="households"] a').attributes('href'))
      .toBe('/ledgers?list=households&grid=140825102201')
    for (const action of ['edit-grid', 'new-child', 'manage-grid']) {
      expect(wrapper.find(`[data-test="${action}"]`).exists()).toBe(true)
    }
    expect(wrapper.find('[data-test="handover"]').exists()).toBe(false) // micro-grids only
  })

  it('takes a boundary pasted as GeoJSON, draws it, and sends it; removing sends {}', async () => {
    signIn(TOWN_ADMIN)
    const sent = []
    let current = grid('140825102201', '三泉村', 'village')
    stubApi({
      'GET /api/v1/grids/140825102201': () => json(200, current),
      'GET /api/v1/workers': () => json(200, page([])),
      'PATCH /api/v1/grids/140825102201': (init) => {
        sent.push(JSON.parse(init.body))
        current = { ...current, ...sent.at(-1), version: current.version + 1 }
        return json(200, current)
      },
    })
    const { wrapper, router } = await mountApp('/grids/140825102201/edit')
    const box = await shown(wrapper, 'textarea[name="boundary"]')
    await box.setValue('{"type": "Point"')
    expect(wrapper.find('[data-test="boundary-field"]').text()).toContain('不是有效的 GeoJSON')
    const square = [[[111.1, 35.6], [111.2, 35.6], [111.2, 35.7], [111.1, 35.7], [111.1, 35.6]]]
    await box.setValue(JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: '三泉村' }, geometry: { type: 'Polygon', coordinates: square } }] }))
    expect(wrapper.find('[data-test="boundary-field"] [data-test="boundary-shape"]').exists()).toBe(true)
    await wrapper.find('[data-test="record-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/grids/140825102201'))
    expect(sent).toEqual([{ boundary: { type: 'Polygon', coordinates: square }, version: 4 }])

    await router.push('/grids/140825102201/edit')
    await (await shown(wrapper, '[data-test="remove-boundary"]')).trigger('click')
    await wrapper.find('[data-test="record-form"]').trigger('submit')
    await vi.waitFor(() => expect(sent).toHaveLength(2))
    expect(sent[1]).toEqual({ boundary: {}, version: 5 })
  })

  it('moves a grid under another parent, picked in the tree, and follows the move until done', async () => {
    signIn(TOWN_ADMIN)
    const moved = []
    let polls = 0
    const move = (fields) => ({ move_id: 'm1', old_code: '14082510220101', new_code: '14082510220203',
      status: 'running', step: 'grids', grids_moved: 2, created_at: '2026-03-01T02:00:00Z', finished_at: null, ...fields })
    stubApi({
      'GET /api/v1/grids/14082510220101': () => json(200, grid('14082510220101', '第1综合网格', 'grid')),
      'GET /api/v1/grids/140825102': () => json(200, grid('140825102', '三泉镇', 'town')),
      'GET /api/v1/grids/140825102/children': () => json(200, page([grid('140825102201', '三泉村', 'village'),
        grid('140825102202', '西王村', 'village')])),
      'GET /api/v1/grids/140825102202': () => json(200, grid('140825102202', '西王村', 'village')),
      'GET /api/v1/grids/140825102202/children': () => json(200, page([])),
      'POST /api/v1/grids/14082510220101/move': (init) => {
        moved.push(JSON.parse(init.body))
        return json(202, move())
      },
      'GET /api/v1/grid-moves/m1': () => json(200, (polls += 1) > 1 ? move({ status: 'done', grids_moved: 9 }) : move()),
    })
    const { wrapper } = await mountApp('/grids/14082510220101/manage')
    await (await shown(wrapper, '[data-test="pick-parent_code"]')).trigger('click')
    // The picker and the confirmation are teleported to the page's body.
    const cell = await inBody('[data-test="grid-picker"] .van-cell', '西王村')
    cell.click()
    ;(await inBody('[data-test="pick-this"]', '选择“西王村”')).click()
    await vi.waitFor(() => expect(wrapper.find('[data-test="pick-parent_code"]').text()).toContain('西王村'))
    await wrapper.find('[data-test="move"]').trigger('click')
    ;(await inBody('.van-dialog__confirm')).click()
    await vi.waitFor(() => expect(wrapper.find('[data-test="move-progress"]').text())
      .toContain('迁移完成：新编码 14082510220203，共 9 个网格'))
    expect(moved).toEqual([{ version: 4, parent_code: '140825102202' }])
  })
})

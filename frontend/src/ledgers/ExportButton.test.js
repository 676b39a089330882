import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ExportButton from './ExportButton.vue'
import { i18n, setLocale } from '../i18n.js'
import { json, PROFILES, reset, signIn, stubApi } from '../test-utils.js'

afterEach(reset)

describe('Excel export', () => {
  it('says why a failed export failed, beneath the generic line', async () => {
    setLocale('zh-CN')
    signIn(PROFILES.county_admin)
    const job = (fields) => ({ export_id: 'e1', kind: 'households', grid: '140825', status: 'running',
      rows: 0, filename: null, download_url: null, failure: null, ...fields })
    stubApi({
      'POST /api/v1/ledger-exports': () => json(202, job()),
      'GET /api/v1/ledger-exports/e1': () => json(200, job({ status: 'failed',
        failure: 'The export stopped: storage refused the file' })),
    })
    const wrapper = mount(ExportButton, { props: { kind: 'households', grid: '140825' },
      global: { plugins: [i18n] }, attachTo: document.body })
    await wrapper.find('[data-test="export-start"]').trigger('click')
    const failed = await vi.waitFor(() => {
      const block = wrapper.find('[data-test="export-failed"]')
      expect(block.exists()).toBe(true)
      return block
    })
    const lines = failed.findAll('p').map((line) => line.text())
    expect(lines).toEqual(['导出失败，请重试', 'The export stopped: storage refused the file'])
    expect(failed.attributes('role')).toBe('alert')
    expect(wrapper.find('[data-test="export-link"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { kindOf, noticeOf } from './kinds.js'
import { i18n, setLocale } from '../i18n.js'
import { json } from '../test-utils.js'

afterEach(() => vi.unstubAllGlobals())

const entry = (fields) => ({ id: 'k1', kind: 'ledger', method: 'PATCH', path: '/households/h1',
  body: { version: 2 }, summary: { action: 'editHousehold', label: '一组1号', record: '/households/h1' },
  ...fields })

describe('the ledger kind of write', () => {
  it('names the write and what it was about', () => {
    const t = (key) => key
    expect(kindOf(entry()).title(entry(), t)).toBe('outbox.kinds.ledger.editHousehold')
    expect(kindOf(entry()).detail(entry(), t)).toBe('一组1号')
  })

  it('sends a delete\'s version in the query, with the entry\'s id as its key', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetch)
    const removal = entry({ method: 'DELETE', summary: { action: 'removeHousehold' } })
    await kindOf(removal).send(removal)
    const [url, init] = fetch.mock.calls[0]
    expect([url, init.method, init.body, init.headers['Idempotency-Key']])
      .toEqual(['/api/v1/households/h1?version=2', 'DELETE', undefined, 'k1'])
  })

  it('retries a conflicting edit on the version the record has now, and a create as it was', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { household_id: 'h1', version: 5 })))
    const conflicted = entry({ lastError: { code: 'version_conflict' } })
    expect(await kindOf(conflicted).retryChanges(conflicted)).toEqual({ version: 5 })
    const create = entry({ method: 'POST', path: '/households/h1/residents', body: { name: '张三' },
      lastError: { code: 'version_conflict' } })
    expect(await kindOf(create).retryChanges(create)).toBe(null)
  })
})

describe('what a sent write made', () => {
  it('links a case write to its case and says a report was reported', () => {
    setLocale('zh-CN')
    const t = i18n.global.t
    const report = entry({ kind: 'case', method: 'POST', path: '/cases', summary: { action: 'report', key: 'k' } })
    expect(kindOf(report).link({ case_id: 'c9' })).toBe('/cases/c9')
    expect(noticeOf(report, t)).toBe('事件已上报')
    expect(noticeOf(entry({ kind: 'case', summary: { action: 'comment' } }), t)).toBe('事件留言已同步')
    expect(noticeOf(entry(), t)).toBe('修改住户已同步')
    expect(kindOf(entry()).link).toBe(undefined)
  })
})

// The resident's scan page, driven as a phone would: its states (loading, the board,
// not valid, too frequent, sent) from what the public API answers.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { start } from './page.js'
import { newKey, tokenOf, waitSeconds } from './scan.js'

const TOKEN = 'AbCdEf0123456789-_xyzABCDE'
const BOARD = {
  micro_grid: '三泉村1-1微网格',
  worker: { name: '李网格', phone: '13800001111' },
  grid_leader: { name: '王网格长', phone: '13900002222' },
}
const json = (status, body, headers = {}) => new Response(JSON.stringify(body),
  { status, headers: { 'Content-Type': 'application/json', ...headers } })
const notValid = () => json(404, { error: { code: 'code_not_valid', message: 'This code is not valid',
  details: [], request_id: 'r' } })

function page() {
  document.body.innerHTML = '<h1 id="scan-title"></h1><p id="scan-subtitle"></p><main id="scan"></main>'
  return document.getElementById('scan')
}
const shown = (selector) => vi.waitFor(() => {
  const element = document.querySelector(selector)
  if (!element) throw new Error(`${selector} is not shown`)
  return element
})
const text = (selector) => document.querySelector(selector)?.textContent

async function fillAndSend(words) {
  const box = await shown('[data-test="scan-text"]')
  box.value = words
  document.querySelector('[data-test="scan-report"]').dispatchEvent(new Event('submit', { cancelable: true }))
}

afterEach(() => { document.body.innerHTML = '' })

describe('a code link', () => {
  it('is /q/<token>, nothing else', () => {
    expect(tokenOf(`/q/${TOKEN}`)).toBe(TOKEN)
    expect(tokenOf(`/q/${TOKEN}/`)).toBe(TOKEN)
    expect(tokenOf('/q/')).toBeNull()
    expect(tokenOf('/q/a/b')).toBeNull()
    expect(tokenOf('/grids')).toBeNull()
  })

  it('waits as Retry-After says, in seconds or until a date', () => {
    expect(waitSeconds('17')).toBe(17)
    expect(waitSeconds(new Date(60_000).toUTCString(), 30_000)).toBe(30)
    expect(waitSeconds(null)).toBe(60)
  })
})

describe('the scan page', () => {
  it('says it is loading until the board comes, then shows exactly the board with phones to call', async () => {
    let answer
    const fetchImpl = vi.fn(() => new Promise((resolve) => { answer = resolve }))
    const root = page()
    const done = start({ root, token: TOKEN, fetchImpl })
    expect(root.querySelector('[data-test="scan-loading"]')).not.toBeNull()
    answer(json(200, BOARD))
    await done

    expect(fetchImpl).toHaveBeenCalledWith(`/api/v1/public/codes/${TOKEN}`, expect.anything())
    expect(text('[data-test="scan-micro-grid"]')).toBe('三泉村1-1微网格')
    expect(text('[data-test="scan-worker-name"]')).toBe('李网格')
    expect(document.querySelector('[data-test="scan-worker-phone"]').getAttribute('href')).toBe('tel:13800001111')
    expect(text('[data-test="scan-leader-name"]')).toBe('王网格长')
    expect(document.querySelector('[data-test="scan-leader-phone"]').getAttribute('href')).toBe('tel:13900002222')
    expect(document.querySelector('[data-test="scan-loading"]')).toBeNull()
    expect(document.documentElement.lang).toBe('zh-CN')
  })

  it('says who is not assigned yet, and shows what the API sends as text, never as markup', async () => {
    const fetchImpl = async () => json(200, { micro_grid: '<img src=x onerror=alert(1)>', worker: null,
      grid_leader: null })
    await start({ root: page(), token: TOKEN, fetchImpl })
    expect(text('[data-test="scan-micro-grid"]')).toBe('<img src=x onerror=alert(1)>')
    expect(document.querySelector('img')).toBeNull()
    expect(document.querySelector('[data-test="scan-board"]').textContent).toContain('暂未安排')
  })

  it('shows "此二维码无效" for a code the API does not know, and for a path that holds no token', async () => {
    await start({ root: page(), token: TOKEN, fetchImpl: async () => notValid() })
    expect(text('[data-test="scan-invalid"] h2')).toBe('此二维码无效')

    const fetchImpl = vi.fn()
    await start({ root: page(), token: null, fetchImpl })
    expect(text('[data-test="scan-invalid"] h2')).toBe('此二维码无效')
    expect(fetchImpl).not.toHaveBeenCalled()
  })

  it('tells a phone that asks too often how long to wait, and loads again on retry', async () => {
    const answers = [json(429, {}, { 'Retry-After': '42' }), json(200, BOARD)]
    await start({ root: page(), token: TOKEN, fetchImpl: async () => answers.shift() })
    expect(text('[data-test="scan-limited"]')).toBe('提交太频繁，请 42 秒后再试')
    document.querySelector('[data-test="scan-notice"] button').click()
    expect(await shown('[data-test="scan-micro-grid"]')).toBeTruthy()
  })

  it('says the signal failed when no answer came', async () => {
    await start({ root: page(), token: TOKEN, fetchImpl: async () => { throw new TypeError('offline') } })
    expect(text('p[data-test="scan-offline"]')).toContain('网络不畅')
  })

  it('sends the problem with the position and its accuracy, then says it was received', async () => {
    const calls = []
    const fetchImpl = async (url, init = {}) => {
      calls.push({ url, init })
      return init.method === 'POST' ? json(201, { received: true, reference: 'K3F9Q2', message: '已收到' })
        : json(200, BOARD)
    }
    const geolocation = { getCurrentPosition: (found) => found({ coords: { latitude: 35.61, longitude: 111.21, accuracy: 23.4 } }) }
    await start({ root: page(), token: TOKEN, fetchImpl, geolocation })
    const use = document.querySelector('[data-test="scan-use-position"]')
    use.checked = true
    use.dispatchEvent(new Event('change'))
    await vi.waitFor(() => expect(text('[data-test="scan-position"]')).toBe('已附上位置（精度约 23 米）'))
    await fillAndSend('  路灯坏了  ')

    expect((await shown('[data-test="scan-sent"]')).textContent).toContain('已收到，编号 K3F9Q2。网格员将尽快处理')
    const post = calls.find((call) => call.init.method === 'POST')
    expect(post.url).toBe(`/api/v1/public/codes/${TOKEN}/reports`)
    expect(JSON.parse(post.init.body)).toEqual({ text: '路灯坏了',
      position: { lat: 35.61, lng: 111.21, accuracy_m: 23 } })
    expect(text('[data-test="scan-micro-grid"]')).toBe('三泉村1-1微网格')
  })

  it('sends a retry of the same report under the same Idempotency-Key, and an edited report under a new one', async () => {
    const keys = []
    const answers = [() => { throw new TypeError('offline') }, () => { throw new TypeError('offline') },
      () => json(201, { received: true, reference: 'AB12CD', message: '' })]
    const fetchImpl = async (_url, init = {}) => {
      if (init.method !== 'POST') return json(200, BOARD)
      keys.push(init.headers['Idempotency-Key'])
      return answers.shift()()
    }
    await start({ root: page(), token: TOKEN, fetchImpl })
    await fillAndSend('井盖丢了')
    await vi.waitFor(() => expect(keys).toHaveLength(1))
    await fillAndSend('井盖丢了')
    await vi.waitFor(() => expect(keys).toHaveLength(2))
    await fillAndSend('井盖丢了，在路口')
    expect((await shown('[data-test="scan-sent"]')).textContent).toContain('编号 AB12CD')
    expect(keys[0]).toMatch(/.{8,}/)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[0])
  })

  it('makes a client id without crypto.randomUUID', () => {
    expect(newKey({})).not.toBe(newKey({}))
    expect(newKey({}).length).toBeGreaterThanOrEqual(8)
  })

  it('sends no position when none was asked for or the phone could not tell, and nothing empty', async () => {
    const bodies = []
    const fetchImpl = async (_url, init = {}) => {
      if (init.method !== 'POST') return json(200, BOARD)
      bodies.push(JSON.parse(init.body))
      return json(201, { received: true, message: '' })
    }
    const geolocation = { getCurrentPosition: (_found, failed) => failed({ code: 1 }) }
    await start({ root: page(), token: TOKEN, fetchImpl, geolocation })
    await fillAndSend('   ')
    expect(bodies).toEqual([])

    const use = document.querySelector('[data-test="scan-use-position"]')
    use.checked = true
    use.dispatchEvent(new Event('change'))
    await vi.waitFor(() => expect(text('[data-test="scan-position"]')).toContain('无法获取位置'))
    await fillAndSend('垃圾没清')
    await shown('[data-test="scan-sent"]')
    expect(bodies).toEqual([{ text: '垃圾没清' }])
  })

  it('keeps what was typed when a report is refused as too frequent, and turns invalid when the code was revoked meanwhile', async () => {
    const posts = [json(429, {}, { 'Retry-After': '30' }), notValid()]
    const fetchImpl = async (_url, init = {}) => (init.method === 'POST' ? posts.shift() : json(200, BOARD))
    await start({ root: page(), token: TOKEN, fetchImpl })
    await fillAndSend('井盖丢了')
    await vi.waitFor(() => expect(text('p[data-test="scan-limited"]')).toBe('提交太频繁，请 30 秒后再试'))
    expect(document.querySelector('[data-test="scan-text"]').value).toBe('井盖丢了')

    document.querySelector('[data-test="scan-report"]').dispatchEvent(new Event('submit', { cancelable: true }))
    await shown('[data-test="scan-invalid"]')
    expect(text('[data-test="scan-invalid"] h2')).toBe('此二维码无效')
  })

  it('speaks English to a browser that asks for it first', async () => {
    await start({ root: page(), token: TOKEN, fetchImpl: async () => notValid(), languages: ['en-US', 'zh-CN'] })
    expect(text('[data-test="scan-invalid"] h2')).toBe('This QR code is not valid')
    expect(document.documentElement.lang).toBe('en')
    expect(text('#scan-title')).toBe('Grid service')

    await start({ root: page(), token: TOKEN, fetchImpl: async () => notValid(), languages: ['zh-TW', 'en'] })
    expect(text('[data-test="scan-invalid"] h2')).toBe('此二维码无效')
  })
})

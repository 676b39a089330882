import { Blob as NodeBlob } from 'node:buffer'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { envelope, json, PROFILES, reset, signIn, stubApi } from '../test-utils.js'
import { outbox } from '../offline/index.js'
import { network } from '../network.js'
import { actionsFor, dispatchLevels, followUpsFor, missingInput, transitionBody } from './actions.js'
import { boxesFor, defaultBox, inboxPath } from './inboxes.js'
import { monthAfter } from './months.js'
import { fitWithin, preparePhoto } from './photos.js'

afterEach(reset)

const LEADER = { ...PROFILES.grid_worker, user_id: 'u-leader', role: 'grid_leader', scope_code: '140825102201',
  worker_id: 'w000001' }
const SUPERVISOR = { ...PROFILES.county_admin, user_id: 'u-sup', role: 'supervisor', scope_code: '140825102' }
const aCase = (changes = {}) => ({ case_id: 'c1', version: 3, state: 'handled', description: '路灯不亮',
  handler_worker_id: 'w000002', reporter_phone: null, reporter_name: null, ticket_id: null,
  first_contact_at: null, satisfaction: null, timeline: [], attachments: [], allowed_actions: [], ...changes })

describe('inboxes', () => {
  it('give "mine" to worker accounts, "reported" to those who may report and "to verify" to those who may verify', () => {
    expect(boxesFor(PROFILES.grid_worker)).toEqual(['mine', 'reported', 'subtree', 'overdue', 'escalated'])
    expect(boxesFor(LEADER)).toEqual(['mine', 'reported', 'subtree', 'overdue', 'escalated', 'to_verify'])
    expect(boxesFor(SUPERVISOR)).toEqual(['reported', 'subtree', 'overdue', 'escalated', 'to_verify'])
    expect(boxesFor({ ...SUPERVISOR, role: 'viewer' })).toEqual(['subtree', 'overdue', 'escalated'])
  })

  it('open on what waits for the user: a worker on its cases, a supervisor on what to verify', () => {
    expect(defaultBox(PROFILES.grid_worker)).toBe('mine')
    expect(defaultBox(SUPERVISOR)).toBe('to_verify')
    expect(defaultBox(LEADER)).toBe('subtree')
  })

  it('read a box, its state and scope from the API', () => {
    expect(inboxPath({ box: 'subtree', state: 'handled', scope: '140825102201' }))
      .toBe('/cases?box=subtree&state=handled&scope=140825102201')
    expect(inboxPath({ box: 'mine', state: 'handled', scope: '1408251022010101' })).toBe('/cases?box=mine')
    expect(inboxPath({ box: 'overdue', state: 'reported', scope: '140825102' }))
      .toBe('/cases?box=overdue&scope=140825102')
  })
})

describe('case actions', () => {
  it('offer exactly the allowed actions, in the order of the loop, and nothing unknown', () => {
    const shown = actionsFor(aCase({ allowed_actions: ['send_back', 'frobnicate', 'verify'] }))
    expect(shown.map((a) => a.action)).toEqual(['verify', 'send_back'])
    expect(shown[1]).toMatchObject({ note: 'required' })
    expect(actionsFor(aCase())).toEqual([])
  })

  it('send the version the decision was made on, and only what the action takes', () => {
    const detail = aCase({ version: 7 })
    expect(transitionBody(detail, 'dispatch', { note: ' 今天处理 ', workerId: 'w000002' }))
      .toEqual({ action: 'dispatch', version: 7, note: '今天处理', worker_id: 'w000002' })
    expect(transitionBody(detail, 'verify', { note: '', workerId: 'w9' })).toEqual({ action: 'verify', version: 7 })
  })

  it('dispatch within the user\'s scope, from its level down to the grid where the case happens', () => {
    const detail = aCase({ location_grid: '1408251022010101', handling_grid: '140825102' })
    expect(dispatchLevels(detail, SUPERVISOR)).toEqual(['140825102', '140825102201', '1408251022010101'])
    expect(dispatchLevels(detail, LEADER)).toEqual(['140825102201', '1408251022010101'])
    expect(dispatchLevels(aCase({ location_grid: '140825102201' }), LEADER)).toEqual(['140825102201'])
    expect(transitionBody(detail, 'dispatch', { workerId: 'w7', gridCode: '140825102201' }))
      .toEqual({ action: 'dispatch', version: 3, worker_id: 'w7', grid_code: '140825102201' })
  })

  it('ask for a reason where the loop needs one, and for the worker of a dispatch', () => {
    expect(missingInput('send_back', { note: '  ' })).toBe('noteRequired')
    expect(missingInput('handle', { note: '已处理' })).toBe('')
    expect(missingInput('dispatch', { note: '' })).toBe('workerRequired')
    expect(missingInput('register', {})).toBe('')
  })

  it('offer first contact to the handler of a resident\'s case, the follow-up to checkers once closed', () => {
    const fromResident = aCase({ state: 'in_progress', reporter_phone: '100****9001' })
    expect(followUpsFor(fromResident, PROFILES.grid_worker)).toEqual(['comment', 'first_contact'])
    expect(followUpsFor({ ...fromResident, first_contact_at: '2026-11-27T01:00:00Z' }, PROFILES.grid_worker))
      .toEqual(['comment'])
    expect(followUpsFor(aCase({ state: 'in_progress' }), PROFILES.grid_worker)).toEqual(['comment'])
    expect(followUpsFor(aCase({ state: 'closed' }), SUPERVISOR)).toEqual(['comment', 'satisfaction'])
    expect(followUpsFor(aCase({ state: 'closed', satisfaction: 'satisfied' }), SUPERVISOR)).toEqual(['comment'])
    expect(followUpsFor(aCase(), { ...SUPERVISOR, role: 'viewer' })).toEqual([])
  })
})

describe('photos', () => {
  const codec = (encoded) => ({
    decode: async () => ({ width: 4000, height: 3000 }),
    encode: async (_image, size) => { codec.drawn = size; return encoded },
  })

  it('fit within 1600 px, never enlarged', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(1200, 1600)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 })
  })

  it('are downscaled and re-encoded when large', async () => {
    const big = new NodeBlob([new Uint8Array(4_000_000)], { type: 'image/jpeg' })
    const small = new NodeBlob([new Uint8Array(200_000)], { type: 'image/jpeg' })
    expect(await preparePhoto(big, codec(small))).toBe(small)
    expect(codec.drawn).toEqual({ width: 1600, height: 1200 })
  })

  it('go as they are when the browser cannot read them but the API takes them, else are refused', async () => {
    const cannot = { decode: async () => { throw new Error('no HEIC here') } }
    const heic = new NodeBlob([new Uint8Array(1000)], { type: 'image/heic' })
    expect(await preparePhoto(heic, cannot)).toBe(heic)
    const pdf = new NodeBlob([new Uint8Array(1000)], { type: 'application/pdf' })
    await expect(preparePhoto(pdf, cannot)).rejects.toThrow('photo_unusable')
  })
})

describe('months', () => {
  it('step across a year', () => {
    expect(monthAfter('2026-01', -1)).toBe('2025-12')
    expect(monthAfter('2026-12', 1)).toBe('2027-01')
    expect(monthAfter('2026-11', 0)).toBe('2026-11')
  })
})

/** A server that keeps cases by Idempotency-Key and takes photos through a presigned form. */
function caseServer({ loseUploadOnce = false, loseAttachAnswerOnce = false } = {}) {
  const server = { cases: new Map(), keys: [], uploads: 0, attachments: [], steps: [] }
  let uploadLost = !loseUploadOnce
  let attachLost = !loseAttachAnswerOnce
  const detail = (id) => ({ ...server.cases.get(id), attachments: server.attachments, timeline: server.timeline || [] })
  server.calls = stubApi({
    'POST /api/v1/cases': (init) => {
      const key = init.headers['Idempotency-Key']
      server.keys.push(key)
      if (!server.cases.has(key)) server.cases.set(key, { case_id: `case-${server.cases.size + 1}`, version: 0 })
      return json(201, server.cases.get(key))
    },
    'GET /api/v1/cases/case-1': () => json(200, detail([...server.cases.keys()][0])),
    'POST /api/v1/cases/case-1/attachments/uploads': (init) => {
      server.pendingSize = JSON.parse(init.body).size
      return json(201, { attachment_id: `a${server.attachments.length + 1}`, url: 'http://s3.test/photos',
        fields: { key: 'cases/case-1/a', policy: 'p' }, expires_at: '2026-11-27T02:00:00Z' })
    },
    'POST http://s3.test/photos': (init) => {
      if (!uploadLost) { uploadLost = true; return new TypeError('Failed to fetch') }
      expect(init.body.get('file').size).toBe(server.pendingSize)
      server.uploads += 1
      return new Response(null, { status: 204 })
    },
    'POST /api/v1/cases/case-1/attachments': (init) => {
      server.attachments.push({ attachment_id: JSON.parse(init.body).attachment_id, size: server.pendingSize,
        uploaded_by: PROFILES.grid_worker.user_id })
      if (!attachLost) { attachLost = true; return new TypeError('Failed to fetch') }
      return json(201, detail([...server.cases.keys()][0]))
    },
    'POST /api/v1/cases/case-1/transitions': (init) => {
      const body = JSON.parse(init.body)
      server.steps.push(body)
      return server.onStep(body)
    },
  })
  return server
}

const photo = (bytes) => new NodeBlob([new Uint8Array(bytes)], { type: 'image/jpeg' })
const report = (photos) => ({ kind: 'case', method: 'POST', path: '/cases',
  body: { category: 'sanitation', grid_code: '1408251022010101', description: '垃圾堆放', priority: 'normal',
    source: 'worker', address: '村东口' },
  files: { photos }, summary: { action: 'report', key: 'report-key-1', label: '环境卫生 · 垃圾堆放' } })

describe('the outbox kind of the case loop', () => {
  // happy-dom's FormData takes only its own Blobs; IndexedDB (fake-indexeddb) gives back Node's.
  beforeEach(() => vi.stubGlobal('FormData', class {
    constructor() { this.parts = new Map() }
    append(name, value) { this.parts.set(name, value) }
    get(name) { return this.parts.get(name) }
  }))

  it('keeps a report made offline with its photo, then creates it once and attaches the photo', async () => {
    signIn(PROFILES.grid_worker)
    const server = caseServer({ loseUploadOnce: true })
    network.online = false
    expect((await outbox.submit(report([photo(2000)]))).outcome).toBe('queued')
    expect(server.calls).toHaveLength(0)

    network.online = true
    await outbox.flush() // the case is made, the upload is cut off: pending, same key
    expect(outbox.state.entries).toHaveLength(1)
    expect(outbox.state.entries[0]).toMatchObject({ status: 'pending', attempts: 1 })
    await outbox.flush()
    expect(outbox.state.entries).toEqual([])
    expect(server.keys).toEqual(['report-key-1', 'report-key-1'])
    expect(server.cases.size).toBe(1)
    expect([server.uploads, server.attachments.length]).toEqual([1, 1])
  })

  it('does not upload a photo again when only the answer to attaching it was lost', async () => {
    signIn(PROFILES.grid_worker)
    const server = caseServer({ loseAttachAnswerOnce: true })
    await outbox.submit(report([photo(2000), photo(3000)]))
    expect(outbox.state.entries[0]).toMatchObject({ status: 'pending' })
    await outbox.flush()
    expect(outbox.state.entries).toEqual([])
    expect(server.attachments.map((a) => a.size)).toEqual([2000, 3000])
    expect(server.uploads).toBe(2)
  })

  it('uploads the photos of a step first and sends their ids with the step', async () => {
    signIn(PROFILES.grid_worker)
    const server = caseServer()
    server.cases.set('k', { case_id: 'case-1', version: 4 })
    server.onStep = () => json(200, { case_id: 'case-1', version: 5 })
    const result = await outbox.submit({ kind: 'case', method: 'POST', path: '/cases/case-1/transitions',
      body: { action: 'handle', version: 4, note: '已清运' }, files: { photos: [photo(1500)] },
      summary: { action: 'step', caseId: 'case-1', seen: 4, label: '处置反馈' } })
    expect(result).toMatchObject({ outcome: 'sent', answer: { version: 5 } })
    expect(server.steps).toEqual([{ action: 'handle', version: 4, note: '已清运', attachment_ids: ['a1'] }])
  })

  it('takes a step whose answer was lost as done when the timeline shows it', async () => {
    signIn(PROFILES.grid_worker)
    const server = caseServer()
    server.cases.set('k', { case_id: 'case-1', version: 5, state: 'in_progress' })
    server.timeline = [{ seq: 4, action: 'dispatch', actor_id: 'u-leader' }]
    let lost = true
    server.onStep = () => {
      if (lost) {
        lost = false
        server.timeline = [...server.timeline, { seq: 5, action: 'accept', actor_id: PROFILES.grid_worker.user_id }]
        return new TypeError('Failed to fetch') // applied, but the answer never came
      }
      return json(409, envelope('version_conflict'))
    }
    await outbox.submit({ kind: 'case', method: 'POST', path: '/cases/case-1/transitions',
      body: { action: 'accept', version: 4 }, summary: { action: 'step', caseId: 'case-1', seen: 4, label: '接收' } })
    expect(outbox.state.entries[0]).toMatchObject({ status: 'pending' })
    await outbox.flush()
    expect(outbox.state.entries).toEqual([])
    expect(server.steps).toHaveLength(2)
  })

  it('fails a step someone else overtook, and retries it on the latest version when asked', async () => {
    signIn(PROFILES.grid_worker)
    const server = caseServer()
    server.cases.set('k', { case_id: 'case-1', version: 6, state: 'in_progress' })
    server.onStep = (body) => (body.version === 6 ? json(200, { case_id: 'case-1', version: 7 })
      : json(409, envelope('version_conflict')))
    const step = { kind: 'case', method: 'POST', path: '/cases/case-1/transitions',
      body: { action: 'handle', version: 5, note: '已处理' }, summary: { action: 'step', caseId: 'case-1', seen: 5 } }
    network.online = false
    await outbox.submit(step)
    network.online = true
    await outbox.flush()
    const [failed] = outbox.state.entries
    expect(failed).toMatchObject({ status: 'failed', lastError: { code: 'version_conflict' } })
    const { kindOf } = await import('../offline/kinds.js')
    await outbox.retry(failed.seq, await kindOf(failed).retryChanges(failed))
    expect(outbox.state.entries).toEqual([])
    expect(server.steps.map((body) => body.version)).toEqual([5, 6])
  })
})

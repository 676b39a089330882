import { Blob as NodeBlob } from 'node:buffer'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/client.js'
import { createOutbox } from './outbox.js'
import { MemoryStore, openStore } from './store.js'

const noAnswer = () => new ApiError({ status: 0, code: 'network_error' })

/** An outbox in front of a fake server that keeps a versioned profile. */
function setup({ store = new MemoryStore(), send, online = () => true } = {}) {
  const sent = []
  const server = { version: 1, note: '' }
  const applyPatch = async (entry) => {
    sent.push({ id: entry.id, body: entry.body })
    if (entry.body.version !== server.version) throw new ApiError({ status: 409, code: 'version_conflict' })
    server.version += 1
    server.note = entry.body.note
    return { ...server }
  }
  const outbox = createOutbox({ openStore: async () => store, currentUserId: () => 'u1',
    isOnline: online, send: send || applyPatch })
  return { outbox, sent, server, store }
}

const edit = (note, version) => ({ kind: 'profile', method: 'PATCH', path: '/me',
  body: { note, version }, summary: { note } })

describe('outbox', () => {
  it('keeps writes made offline and sends them in order, each with its own id as the key', async () => {
    let online = false
    const keys = []
    const { outbox } = setup({ online: () => online, send: async (entry) => {
      keys.push(entry.id)
      return { version: entry.body.version + 1 }
    } })
    const a = await outbox.enqueue(edit('first', 1))
    const b = await outbox.enqueue(edit('second', 1))
    expect(await outbox.flush()).toBe(0)
    expect(outbox.state.entries.map((e) => [e.status, e.attempts])).toEqual([['pending', 0], ['pending', 0]])
    online = true
    expect(await outbox.flush()).toBe(2)
    expect(keys).toEqual([a.id, b.id])
    expect(a.id).not.toBe(b.id)
    expect(outbox.state.entries).toEqual([])
  })

  it('rebases a queued edit on the version the one before it produced', async () => {
    const { outbox, sent, server } = setup()
    await outbox.enqueue(edit('one', 1))
    await outbox.enqueue(edit('two', 1))
    await outbox.flush()
    expect(sent.map((s) => s.body)).toEqual([{ note: 'one', version: 1 }, { note: 'two', version: 2 }])
    expect(server).toEqual({ version: 3, note: 'two' })
  })

  it('resends with the same key after a lost answer, and stops at it to keep the order', async () => {
    const calls = []
    const { outbox } = setup({ send: async (entry) => {
      calls.push(entry.body.note)
      if (calls.length === 1) throw new ApiError({ status: 504, code: 'gateway_timeout' })
      return {}
    } })
    const first = await outbox.enqueue(edit('a', 1))
    await outbox.enqueue(edit('b', 1))
    await outbox.flush()
    expect(calls).toEqual(['a'])
    expect(outbox.state.entries[0]).toMatchObject({ id: first.id, status: 'pending', attempts: 1,
      lastError: { code: 'gateway_timeout' } })
    await outbox.flush()
    expect(calls).toEqual(['a', 'a', 'b'])
    expect(outbox.state.entries).toEqual([])
  })

  it('marks a refused write failed, keeps it, and goes on with the next', async () => {
    const { outbox, server } = setup()
    server.version = 5 // changed elsewhere: version 1 is stale
    await outbox.enqueue(edit('stale', 1))
    await outbox.enqueue(edit('fresh', 5))
    const failed = []
    outbox.on((event) => event.type === 'failed' && failed.push(event.error.code))
    await outbox.flush()
    expect(failed).toEqual(['version_conflict'])
    expect(server.note).toBe('fresh')
    expect(outbox.state.entries).toHaveLength(1)
    expect(outbox.state.entries[0]).toMatchObject({ status: 'failed', lastError: { code: 'version_conflict' } })
    await outbox.flush()
    expect(outbox.state.entries).toHaveLength(1) // a failed write waits for the user
  })

  it('retries a failed write as a new write with a new key, and discards only when told', async () => {
    const { outbox, sent, server } = setup()
    server.version = 2
    const entry = await outbox.enqueue(edit('x', 1))
    await outbox.flush()
    await outbox.retry(outbox.state.entries[0].seq, { version: 2 })
    expect(outbox.state.entries).toEqual([])
    expect(sent.map((s) => s.id)).toEqual([entry.id, expect.not.stringMatching(entry.id)])
    expect(server).toEqual({ version: 3, note: 'x' })
    await outbox.enqueue(edit('y', 1))
    await outbox.flush()
    await outbox.discard(outbox.state.entries[0].seq)
    expect(outbox.state.entries).toEqual([])
  })

  it('never gives a pending write a new key, even when asked to retry it', async () => {
    let online = false
    const { outbox } = setup({ online: () => online })
    const entry = await outbox.enqueue(edit('x', 1))
    await outbox.retry(entry.seq, { version: 7 })
    expect(outbox.state.entries[0]).toMatchObject({ id: entry.id, body: { version: 1 } })
  })

  it('submit: sent, queued, or refused (and then removed, the screen keeps the input)', async () => {
    let online = true
    const { outbox, server } = setup({ online: () => online })
    expect(await outbox.submit(edit('a', 1))).toMatchObject({ outcome: 'sent', answer: { version: 2 } })
    expect((await outbox.submit(edit('b', 1))).outcome).toBe('refused')
    expect(outbox.state.entries).toEqual([])
    online = false
    expect((await outbox.submit(edit('c', 2))).outcome).toBe('queued')
    expect(outbox.state.entries).toHaveLength(1)
    expect(server.note).toBe('a')
  })

  it('only sends the signed-in user\'s entries', async () => {
    let user = 'u1'
    const sent = []
    const outbox = createOutbox({ openStore: async () => new MemoryStore(), currentUserId: () => user,
      send: async (entry) => { sent.push(entry.userId); return {} } })
    await outbox.enqueue({ kind: 'x', method: 'POST', path: '/x', body: {} })
    user = 'u2'
    await outbox.flush()
    expect(sent).toEqual([])
    user = 'u1'
    await outbox.flush()
    expect(sent).toEqual(['u1'])
  })

  it('shares one run between concurrent flushes', async () => {
    const send = vi.fn(async () => ({}))
    const { outbox } = setup({ send })
    await outbox.enqueue({ kind: 'x', method: 'POST', path: '/x', body: {} })
    await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()])
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('keeps entries, photos included, in IndexedDB across page loads', async () => {
    const offline = async () => { throw noAnswer() }
    const first = createOutbox({ openStore, currentUserId: () => 'u1', send: offline })
    // Node's Blob: fake-indexeddb clones with Node's structuredClone, which knows it.
    const photo = new NodeBlob(['jpeg bytes'], { type: 'image/jpeg' })
    const entry = await first.enqueue({ kind: 'case', method: 'POST', path: '/cases',
      body: { title: '路灯坏了' }, files: { photo } })
    const received = []
    const second = createOutbox({ openStore, currentUserId: () => 'u1',
      send: async (e) => { received.push(e); return {} } })
    expect((await second.reload()).map((e) => e.id)).toContain(entry.id)
    await second.flush()
    const [kept] = received.filter((e) => e.id === entry.id)
    expect(await kept.files.photo.text()).toBe('jpeg bytes')
    expect((await second.reload()).map((e) => e.id)).not.toContain(entry.id)
  })

  it('keeps what became of a queued write: pending, then sent with the answer, told as having waited', async () => {
    let online = false
    const { outbox } = setup({ online: () => online, send: async (entry) => ({ made: entry.body.note }) })
    const events = []
    outbox.on((event) => events.push([event.type, event.queued]))
    const { outcome, entry } = await outbox.submit(edit('offline', 1))
    expect(outcome).toBe('queued')
    expect(outbox.outcomeOf(entry.seq)).toMatchObject({ status: 'pending' })
    online = true
    await outbox.flush()
    expect(outbox.outcomeOf(entry.seq)).toMatchObject({ status: 'sent', answer: { made: 'offline' },
      kind: 'profile' })
    const sentAtOnce = await outbox.submit(edit('online', 2))
    expect(sentAtOnce.outcome).toBe('sent')
    expect(events).toEqual([['synced', true], ['synced', false]])
  })

  it('keeps a failed write with its reason, and a retry keeps following the same entry', async () => {
    let refuse = true
    const { outbox } = setup({ send: async () => {
      if (refuse) throw new ApiError({ status: 400, code: 'validation_error', details: [{ field: 'note' }] })
      return { ok: true }
    } })
    const entry = await outbox.enqueue(edit('bad', 1))
    await outbox.flush()
    expect(outbox.outcomeOf(entry.seq)).toMatchObject({ status: 'failed',
      error: { status: 400, code: 'validation_error' } })
    refuse = false
    await outbox.retry(entry.seq)
    expect(outbox.outcomeOf(entry.seq)).toMatchObject({ status: 'sent', answer: { ok: true } })
    expect(outbox.outcomeOf(entry.seq + 100)).toBe(null)
  })
})

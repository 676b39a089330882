// A tiny IndexedDB wrapper for the outbox: one object store keyed by an
// auto-increment `seq` (the order entries were made in), with a unique index on
// the entry's client id. Values are structured clones, so Blobs are kept.
// When IndexedDB is unavailable (some in-app browsers' private modes) it falls
// back to memory and says so through `persistent`.

const DB_NAME = 'wangge'
const DB_VERSION = 1
const STORE = 'outbox'

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION)
    request.onupgradeneeded = () => {
      const db = request.result
      if (!db.objectStoreNames.contains(STORE)) {
        const store = db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true })
        store.createIndex('id', 'id', { unique: true })
      }
    }
    request.onsuccess = () => {
      const db = request.result
      db.onversionchange = () => db.close()
      resolve(db)
    }
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'))
  })
}

class IdbStore {
  constructor() {
    this.persistent = true
    this.db = null
  }

  async run(mode, fn) {
    if (!this.db) this.db = await openDatabase()
    const tx = this.db.transaction(STORE, mode)
    const result = await fn(tx.objectStore(STORE))
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error || new Error('transaction aborted'))
    })
    return result
  }

  all() { return this.run('readonly', (s) => promisify(s.getAll())) }
  add(entry) { return this.run('readwrite', (s) => promisify(s.add(entry))) }
  put(entry) { return this.run('readwrite', (s) => promisify(s.put(entry))) }
  delete(seq) { return this.run('readwrite', (s) => promisify(s.delete(seq))) }
  get(seq) { return this.run('readonly', (s) => promisify(s.get(seq))) }
}

export class MemoryStore {
  constructor() {
    this.persistent = false
    this.items = new Map()
    this.next = 1
  }

  async all() { return [...this.items.values()].sort((a, b) => a.seq - b.seq).map(clone) }
  async add(entry) {
    const seq = this.next++
    this.items.set(seq, clone({ ...entry, seq }))
    return seq
  }
  async put(entry) { this.items.set(entry.seq, clone(entry)); return entry.seq }
  async delete(seq) { this.items.delete(seq) }
  async get(seq) { return this.items.has(seq) ? clone(this.items.get(seq)) : undefined }
}

const clone = (value) => structuredClone(value)

export async function openStore() {
  if (typeof indexedDB === 'undefined') return new MemoryStore()
  const store = new IdbStore()
  try {
    await store.all()
    return store
  } catch {
    return new MemoryStore()
  }
}

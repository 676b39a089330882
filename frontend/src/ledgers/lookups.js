// Reads that many screens repeat (a grid's name, a worker's name, the key
// groups): asked once per page load and shared. A failed read is not kept.
import { get } from '../api/client.js'

const cache = new Map()

function cached(key, load) {
  if (!cache.has(key)) {
    cache.set(key, load().catch((error) => {
      cache.delete(key)
      throw error
    }))
  }
  return cache.get(key)
}

export const gridOf = (code) => cached(`grid:${code}`, () => get(`/grids/${encodeURIComponent(code)}`))
export const workerOf = (id) => cached(`worker:${id}`, () => get(`/workers/${encodeURIComponent(id)}`))
export const ledgerSettings = () => cached('ledger-settings', () => get('/ledger-settings'))

/** After an edit: the next read asks the server again. */
export function forget(kind, id) {
  cache.delete(`${kind}:${id}`)
}

/** A grid's level from its code's length (the unified code grows by level). */
export function isMicroGrid(code) {
  return String(code || '').length === 16
}

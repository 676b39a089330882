// Reads that many screens repeat (a grid's name, a worker's name, the key
// groups): asked once per page load and shared. A failed read is not kept.
import { computed, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
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
export const ledgerSettings = () => cached('ledger-settings', () => get('/ledger-settings'))
const assignmentsOf = (code) => cached(`assignments:${code}`,
  () => get(`/grids/${encodeURIComponent(code)}/assignments?limit=100`))

/** A worker's name, whoever reads it: from the worker's record, or, where the reader may
 *  not open that (it belongs to a grid above the reader's scope, e.g. a village's worker
 *  covering a micro-grid), from the assignments of `grid`, which name whoever covers or
 *  covered it. null when neither names them. */
const workerName = (id, { grid = null } = {}) => cached(`worker:${id}`, async () => {
  try {
    return (await get(`/workers/${encodeURIComponent(id)}`)).name
  } catch (error) {
    if (!grid || error.status !== 403) throw error
  }
  return (await assignmentsOf(grid)).items.find((a) => a.worker_id === id)?.worker_name || null
})

/** What a screen shows for the worker `id()` names (of `grid()`, see workerName): their
 *  name, "未指派" when there is none, a neutral "姓名不详" when it cannot be read, and ''
 *  while it is being read. Never the id. */
export function useWorkerName(id, grid = () => null) {
  const { t } = useI18n()
  const found = ref(null)
  watch([id, grid], async ([worker, code]) => {
    found.value = null
    if (!worker) return
    const name = await workerName(worker, { grid: code }).catch(() => null)
    if (id() === worker) found.value = { worker, name }
  }, { immediate: true })
  return computed(() => {
    if (!id()) return t('common.unassigned')
    if (found.value?.worker !== id()) return ''
    return found.value.name || t('common.unknownPerson')
  })
}

/** After an edit: the next read asks the server again. */
export function forget(kind, id) {
  cache.delete(`${kind}:${id}`)
}

/** A grid's level from its code's length (the unified code grows by level). */
export function isMicroGrid(code) {
  return String(code || '').length === 16
}

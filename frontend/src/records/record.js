// A record's detail page: read it (personal data masked), unmask it on the
// user's explicit request (the server audits each such read), and know which
// of the user's writes to it still wait in the outbox.
import { computed, ref } from 'vue'
import { get } from '../api/client.js'
import { myEntries } from '../offline/index.js'

export function useRecord(pathOf) {
  const record = ref(null)
  const loading = ref(true)
  const error = ref(null)
  const revealed = ref(false)
  const revealing = ref(false)
  const revealError = ref(null)

  async function load() {
    const path = pathOf()
    loading.value = true
    error.value = null
    revealError.value = null
    try {
      const found = await get(path)
      if (path !== pathOf()) return
      record.value = found
      revealed.value = false
    } catch (failure) {
      if (path === pathOf()) error.value = failure
    } finally {
      if (path === pathOf()) loading.value = false
    }
  }

  async function reveal() {
    revealing.value = true
    revealError.value = null
    try {
      record.value = await get(`${pathOf()}?reveal=true`, { retries: 1 })
      revealed.value = true
    } catch (failure) {
      revealError.value = failure
    } finally {
      revealing.value = false
    }
  }

  /** The user's writes to this record that have not reached the server yet. */
  const pending = computed(() => myEntries.value.filter((entry) => entry.kind === 'ledger' &&
    entry.summary?.record === pathOf()))

  return { record, loading, error, load, revealed, revealing, revealError, reveal, pending }
}

/** A record's creates waiting in the outbox (or failed there), for a list to show above
 *  what the server has: a ledger's by default, or those of another kind of write. */
export function usePendingCreates(action, kind = 'ledger') {
  return computed(() => myEntries.value.filter((entry) => entry.kind === kind &&
    entry.summary?.action === action))
}

/** Back to where the user came from, or to `fallback` when the page was opened directly. */
export function goBack(router, fallback) {
  if (window.history.state?.back) router.back()
  else router.replace(fallback)
}

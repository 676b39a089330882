// A case write from a screen (a report, a step, a comment…), through the outbox:
// `busy` while it is tried, the `error` it was refused with.
import { ref } from 'vue'
import { outbox } from '../offline/index.js'

export function useCaseWrite() {
  const busy = ref(false)
  const error = ref(null)

  /** write: { path, body?, files?, summary } (POST). Resolves to the outbox's
   *  { outcome: 'sent', answer } | { outcome: 'queued' } | { outcome: 'refused', error }. */
  async function send(write) {
    busy.value = true
    error.value = null
    try {
      const result = await outbox.submit({ kind: 'case', method: 'POST', ...write })
      if (result.outcome === 'refused') error.value = result.error
      return result
    } catch (failure) {
      error.value = failure
      return { outcome: 'refused', error: failure }
    } finally {
      busy.value = false
    }
  }

  return { busy, error, send }
}

// A case write from a screen (a report, a step, a comment…), through the outbox:
// `busy` while it is tried, the `error` it was refused with.
import { useWrite } from '../records/forms.js'
import { outbox } from '../offline/index.js'

export function useCaseWrite() {
  const { busy, error, save } = useWrite((write) =>
    outbox.submit({ kind: 'case', method: 'POST', ...write }))
  /** write: { path, body?, files?, summary } (POST). Resolves to the outbox's
   *  { outcome: 'sent', answer } | { outcome: 'queued' } | { outcome: 'refused', error }. */
  return { busy, error, send: save }
}

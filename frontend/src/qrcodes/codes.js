// What the screens say about a printed code, from GET /qr-codes/{serial}.

/** valid (still opens, printed last for its record), revoked, or replaced (a newer
 *  code was printed for its record). */
export function codeState(code) {
  if (code.revoked_at) return 'revoked'
  return code.current ? 'valid' : 'replaced'
}

/** The app's page of the record the code opens; null where the app has none
 *  (a contact card opens a worker's assignment). */
export function opens(code) {
  return code.kind === 'rental_board' ? `/rentals/${encodeURIComponent(code.record_id)}` : null
}

export const PRINT_KINDS = ['rental_boards', 'contact_cards']

export const printFinished = (job) => job.status === 'done' || job.status === 'failed'

/** What changed on a rental since its board was printed: tenants, worker (both may). */
export function boardChanges(board) {
  const printed = board.printed || {}
  return [
    ...(printed.tenant_count !== board.tenant_count ? ['tenants'] : []),
    ...(printed.worker_id !== board.responsible_worker_id ? ['worker'] : []),
  ]
}

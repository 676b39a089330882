// The kinds of write the outbox carries: how the outbox screen names one, how
// it is sent, and what the app does with the server's answer. A later screen
// that writes adds its kind here (this file is in the first download, because
// the outbox sends and lists entries before any screen is opened):
//   title(entry, t)    the entry's line in the outbox list (required)
//   detail(entry, t)   a second line, e.g. what was changed (optional)
//   send(entry)        how to send it (optional; default: the JSON body with the
//                      entry's id as Idempotency-Key). A kind whose entries carry
//                      `files` (a photo Blob of an offline case report) must give
//                      one, e.g. upload each file under a key derived from the
//                      entry's id, then send the body that refers to them.
//   synced(answer)     what to do with the server's answer (optional)
//   link(answer)       where what the write made or changed is shown, e.g. the new
//                      case's page (optional): a screen that queued it links there
//   notice(entry, t)   the short message once an entry that waited is sent
//                      (optional; default: "<title> 已同步")
//   retryChanges(entry) changes to a failed entry's body before the user's retry,
//                      e.g. the latest version after a version_conflict (optional)
import { get, request } from '../api/client.js'
import { setUser } from '../auth/session.js'

export function sendJson(entry) {
  if (entry.files) throw new Error(`outbox kind ${entry.kind} carries files but has no send()`)
  return request(entry.method, entry.path, { body: entry.body, idempotencyKey: entry.id,
    retries: 0 })
}

const fieldList = (entry, t) => Object.entries(entry.summary || {})
  .map(([field, value]) => `${t(`me.${field}`)}：${value}`).join('；')

// A write to the grid registry or the ledgers. Its summary says what it does
// (`action`, a key of outbox.kinds.ledger), to what (`label`, e.g. an address),
// and where the record is read (`record`) to retry on its latest version.
// DELETEs carry their version in the query, as the API wants it.
const ledger = {
  title: (entry, t) => t(`outbox.kinds.ledger.${entry.summary.action}`),
  detail: (entry) => entry.summary.label || '',
  send: (entry) => (entry.method === 'DELETE'
    ? request('DELETE', `${entry.path}?version=${entry.body.version}`,
      { idempotencyKey: entry.id, retries: 0 })
    : sendJson(entry)),
  retryChanges: async (entry) => (entry.lastError?.code === 'version_conflict' &&
    entry.summary.record && 'version' in entry.body
    ? { version: (await get(entry.summary.record)).version } : null),
}

// The case loop: a report with its photos, a step (handle with photos), a
// comment, a follow-up. The summary says what (`action`, a key of cases.outbox)
// and on what (`label`); cases/sync.js, loaded when the first one is sent, sends
// photos first and never makes a case or a step twice.
const caseSync = () => import('../cases/sync.js')
const caseWrite = {
  title: (entry, t) => t(`cases.outbox.${entry.summary.action}`),
  link: (answer) => (answer?.case_id ? `/cases/${encodeURIComponent(answer.case_id)}` : null),
  notice: (entry, t) => (entry.summary.action === 'report' ? t('cases.form.sentNotice')
    : t('outbox.sentNotice', { what: t(`cases.outbox.${entry.summary.action}`) })),
  detail: (entry) => entry.summary.label || '',
  send: async (entry) => (await caseSync()).sendCaseWrite(entry),
  retryChanges: async (entry) => (await caseSync()).retryChanges(entry),
}

const KINDS = {
  case: caseWrite,
  ledger,
  profile: {
    title: (_entry, t) => t('outbox.kinds.profile'),
    detail: fieldList,
    synced: (answer) => setUser(answer),
    retryChanges: async (entry) => (entry.lastError?.code === 'version_conflict'
      ? { version: (await get('/me')).version } : null),
  },
}

/** The kind of an entry; entries of an unknown kind (from another build) still show and send. */
export function kindOf(entry) {
  return KINDS[entry.kind] || { title: () => `${entry.method} ${entry.path}` }
}

/** The message once an entry that waited is sent. */
export function noticeOf(entry, t) {
  const kind = kindOf(entry)
  return kind.notice ? kind.notice(entry, t) : t('outbox.sentNotice', { what: kind.title(entry, t) })
}

// How the outbox sends the writes of the case loop (offline/kinds.js `case`
// loads this module when it first sends one). Photos ride in the entry's
// `files.photos` (Blobs, already made small by cases/photos.js):
//
//   a report      POST /cases with the report's own Idempotency-Key, then each
//                 photo: a presigned form from the API, the file straight to
//                 storage, and the attachment confirmed on the case;
//   a step        the photos first (handle), then POST /cases/{id}/transitions
//                 with their attachment ids and the version it was decided on;
//   the rest      (comments, first contact, follow-up, hotline retries) as JSON.
//
// Nothing here may happen twice when an entry is sent again (a lost answer, the
// user's retry): the report's key is the form's, kept in the entry's summary, so
// a retry (which gives the entry a new id) or the form sent again still names
// the same case; photos the case already holds from this user, by exact byte
// size, are not uploaded again; and a step whose answer was lost is recognised
// in the case's timeline.
import { ApiError, get, request } from '../api/client.js'
import { STALE_CODES } from './actions.js'

const TRANSITION = /^\/cases\/([^/]+)\/transitions$/

const post = (path, body, options = {}) => request('POST', path, { body, retries: 0, ...options })
// A photo of a few hundred KB on a weak signal: slow, but a stalled upload must not
// hold up the outbox for ever.
const UPLOAD_TIMEOUT_MS = 120000

/** Upload one photo to storage with the API's presigned form; the attachment id. */
export async function uploadPhoto(caseId, photo) {
  const base = `/cases/${encodeURIComponent(caseId)}/attachments`
  const form = await post(`${base}/uploads`, { content_type: photo.type || 'image/jpeg',
    size: photo.size })
  const data = new FormData()
  Object.entries(form.fields).forEach(([name, value]) => data.append(name, value))
  data.append('file', photo, 'photo')
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), UPLOAD_TIMEOUT_MS)
  let answer
  try {
    answer = await fetch(form.url, { method: 'POST', body: data, signal: controller.signal })
  } catch (cause) {
    throw new ApiError({ status: 0, code: controller.signal.aborted ? 'timeout' : 'network_error',
      message: String(cause?.message || cause) })
  } finally {
    clearTimeout(timer)
  }
  if (!answer.ok) {
    throw new ApiError({ status: answer.status, code: answer.status >= 500 ? 'internal_error'
      : 'upload_refused', message: await answer.text().catch(() => '') })
  }
  await post(base, { attachment_id: form.attachment_id })
  return form.attachment_id
}

/** Attach the photos the case does not hold yet from this user (by exact byte size:
 *  an earlier send may have attached some); the ids of all of them, in order. */
export async function attachPhotos(caseId, photos, userId) {
  const { attachments } = await get(`/cases/${encodeURIComponent(caseId)}`)
  const mine = attachments.filter((attachment) => attachment.uploaded_by === userId)
  const ids = []
  for (const photo of photos) {
    const index = mine.findIndex((attachment) => attachment.size === photo.size)
    ids.push(index >= 0 ? mine.splice(index, 1)[0].attachment_id : await uploadPhoto(caseId, photo))
  }
  return ids
}

const photosOf = (entry) => entry.files?.photos || []

async function sendReport(entry) {
  const created = await post('/cases', entry.body,
    { idempotencyKey: entry.summary?.key || entry.id })
  const photos = photosOf(entry)
  if (photos.length) await attachPhotos(created.case_id, photos, entry.userId)
  return created
}

/** The case, when the step this entry carries is already in its timeline (its
 *  earlier answer was lost); else null. */
async function appliedBefore(entry, caseId) {
  const detail = await get(`/cases/${encodeURIComponent(caseId)}`)
  const seen = entry.summary?.seen ?? Infinity
  return detail.timeline.some((event) => event.seq > seen && event.action === entry.body.action &&
    event.actor_id === entry.userId) ? detail : null
}

async function sendStep(entry, caseId) {
  const photos = photosOf(entry)
  let body = entry.body
  if (photos.length) body = { ...body, attachment_ids: await attachPhotos(caseId, photos, entry.userId) }
  try {
    return await post(entry.path, body)
  } catch (error) {
    // Sent before: its answer may have been lost after the server took the step.
    if (error instanceof ApiError && STALE_CODES.has(error.code) && entry.attempts > 0) {
      const detail = await appliedBefore(entry, caseId)
      if (detail) return detail
    }
    throw error
  }
}

export function sendCaseWrite(entry) {
  if (entry.method === 'POST' && entry.path === '/cases') return sendReport(entry)
  const step = TRANSITION.exec(entry.path)
  if (step) return sendStep(entry, decodeURIComponent(step[1]))
  return request(entry.method, entry.path, { body: entry.body, idempotencyKey: entry.id,
    retries: 0 })
}

/** Before the user's retry of a step refused as stale: decide on the latest version. */
export async function retryChanges(entry) {
  const step = TRANSITION.exec(entry.path)
  if (!step || entry.lastError?.code !== 'version_conflict') return null
  return { version: (await get(`/cases/${step[1]}`)).version }
}

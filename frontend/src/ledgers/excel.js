// Excel ledgers: files go straight to storage with a presigned form the API
// hands out, then the API checks (dry run) or imports them. These calls need
// the network: a file and a form that expires within minutes cannot wait in
// the outbox.
import { ApiError, request } from '../api/client.js'

/** Upload `file` as a ledger of `kind`; resolves to its upload_id. */
export async function uploadLedger(kind, file) {
  const form = await request('POST', '/ledger-uploads',
    { body: { kind, filename: file.name, size: file.size } })
  const data = new FormData()
  for (const [name, value] of Object.entries(form.fields)) data.append(name, value)
  data.append('file', file) // storage wants the file after every other field
  let response
  try {
    response = await fetch(form.url, { method: 'POST', body: data })
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'network_error', message: String(cause?.message || cause) })
  }
  if (!response.ok) throw new ApiError({ status: response.status, code: 'upload_failed' })
  return form.upload_id
}

/** The problems of a checked file: from its report, or from the 400 that refused its import. */
export function problemsOf(report, error) {
  if (error?.code === 'import_has_problems') {
    return error.details.map(({ sheet, row, column, message }) => ({ sheet, row, column, message }))
  }
  return report?.problems || []
}

export const finished = (job) => job.status === 'done' || job.status === 'failed'

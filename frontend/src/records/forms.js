// What every record form does the same way: fill from the record read, send
// only what changed with the version read, show the server's field errors at
// their fields, and after a version_conflict merge in the other writer's
// changes without losing what the user typed.
import { computed, reactive, ref, toRaw } from 'vue'
import { ApiError, get, request } from '../api/client.js'
import { i18n } from '../i18n.js'
import { outbox } from '../offline/index.js'
import { uuid } from '../offline/uuid.js'
import { offline } from '../network.js'

const emptyOf = (field) => field.initial ?? (field.type === 'tags' ? [] : field.type === 'switch'
  ? false : '')

/** The form's values for a record (or the fields' initial values without one). */
export function valuesOf(fields, record = null) {
  return Object.fromEntries(fields.map((field) => {
    const value = record?.[field.name]
    if (!record || field.personal || value == null) return [field.name, clone(emptyOf(field))]
    if (field.type === 'digit') return [field.name, String(value)]
    return [field.name, clone(value)]
  }))
}

const clone = (value) => (typeof value === 'object' && value !== null
  ? JSON.parse(JSON.stringify(toRaw(value))) : value)
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

// What is sent is stored in IndexedDB first, which takes no reactive proxies: plain copies.
function bodyValue(field, value) {
  if (field.type === 'digit') return value === '' ? undefined : Number(value)
  return clone(value)
}

/** The body of a create: every field filled in. */
export function createdBody(fields, form) {
  const body = {}
  for (const field of fields) {
    const value = bodyValue(field, form[field.name])
    if (value !== '' && value !== undefined) body[field.name] = value
  }
  return body
}

/** The body of an edit: the fields that differ from the record as read (a
 *  personal field only when something was typed into it). */
export function changedFields(fields, form, read) {
  const body = {}
  for (const field of fields) {
    const value = form[field.name]
    if (field.personal ? value === '' : same(value, read[field.name])) continue
    const sent = bodyValue(field, value)
    if (sent !== undefined) body[field.name] = sent
  }
  return body
}

/**
 * After a version_conflict: the fields the user left alone take the latest
 * values; the fields both changed keep the user's and are returned with the
 * other writer's value, to be shown at the field. `read` and `latest` are form
 * values (valuesOf) of the record as first read and as it is now.
 */
export function mergeLatest(fields, form, read, latest) {
  const theirs = {}
  for (const field of fields) {
    const name = field.name
    if (field.personal || same(read[name], latest[name])) continue
    if (same(form[name], read[name])) form[name] = clone(latest[name])
    else if (!same(form[name], latest[name])) theirs[name] = latest[name]
  }
  return theirs
}

/** The server's field errors (details[].field) as { field: sentence }. A
 *  specific error code (id_number_checksum) says more than the detail's type. */
export function fieldErrorsOf(error) {
  const { t, te } = i18n.global
  const errors = {}
  if (!error || error.status !== 400 && error.status !== 409) return errors
  for (const detail of error.details || []) {
    if (!detail.field) continue
    const message = error.code !== 'validation_error' && te(`errors.${error.code}`)
      ? t(`errors.${error.code}`)
      : te(`fieldErrors.${detail.type}`) ? t(`fieldErrors.${detail.type}`) : t('fieldErrors.invalid')
    errors[detail.field.replace(/^body\./, '')] ||= message
  }
  return errors
}

/**
 * A record's form: `form` (reactive values), `load()` for an edit, `body()` for
 * the write (created or changed fields), and `adoptLatest()` after a conflict.
 * pathOf() is where the record is read; without it the form creates one.
 */
export function useRecordForm(fields, { pathOf = null, initial = {} } = {}) {
  const form = reactive({ ...valuesOf(fields), ...initial })
  const read = ref(null)
  const theirs = ref({})
  const loading = ref(Boolean(pathOf))
  const loadError = ref(null)

  async function load() {
    loading.value = true
    loadError.value = null
    try {
      read.value = await get(pathOf())
      Object.assign(form, valuesOf(fields, read.value))
    } catch (error) {
      loadError.value = error
    } finally {
      loading.value = false
    }
  }

  async function adoptLatest() {
    const latest = await get(pathOf())
    theirs.value = mergeLatest(fields, form, valuesOf(fields, read.value), valuesOf(fields, latest))
    read.value = latest
  }

  const body = () => (read.value ? changedFields(fields, form, valuesOf(fields, read.value))
    : createdBody(fields, form))
  const version = computed(() => read.value?.version)
  if (pathOf) load()
  return { form, read, version, theirs, loading, loadError, load, adoptLatest, body }
}

/**
 * Sending a form's write through the outbox: `busy`, the `error` it was refused
 * with and its `fieldErrors`, and the `outcome` ('sent' | 'queued').
 */
export function useSave() {
  return useWrite((write) => outbox.submit({ kind: 'ledger', ...write }))
}

/**
 * As useSave, for writes that must not wait in the outbox: those carrying a
 * password, which IndexedDB would keep in the clear, and an administrator's
 * changes to accounts, which should take effect now or visibly not at all.
 * Without signal the write is refused at once; a lost answer is retried under
 * the same Idempotency-Key, so it is applied once.
 */
export function useOnlineSave() {
  return useWrite(async ({ method, path, body }) => {
    if (offline()) {
      return { outcome: 'refused', error: new ApiError({ status: 0, code: 'online_only' }) }
    }
    try {
      const answer = await request(method, path, { body, idempotencyKey: uuid(), retries: 2 })
      return { outcome: 'sent', answer }
    } catch (failure) {
      return { outcome: 'refused', error: failure }
    }
  })
}

/** A screen's write through `send` (write => { outcome, answer?, error? }): `busy`
 *  while it is tried, the `error` it was refused with and its `fieldErrors`, the
 *  `outcome`. */
export function useWrite(send) {
  const busy = ref(false)
  const error = ref(null)
  const outcome = ref('')

  async function save(write) {
    busy.value = true
    error.value = null
    outcome.value = ''
    try {
      const result = await send(write)
      if (result.outcome === 'refused') error.value = result.error
      else outcome.value = result.outcome
      return result
    } catch (failure) {
      error.value = failure
      return { outcome: 'refused', error: failure }
    } finally {
      busy.value = false
    }
  }

  const fieldErrors = computed(() => fieldErrorsOf(error.value))
  return { busy, error, outcome, fieldErrors, save }
}

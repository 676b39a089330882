// Error codes → sentences people understand (zh-CN first), one place for all screens.
import { i18n } from '../i18n.js'

const PASSWORD_FIELDS = new Set(['new_password', 'password', 'initial_password'])

export function errorMessage(error) {
  const { t, te } = i18n.global
  if (!error) return ''
  const code = error.code || 'unknown'
  if (code === 'account_locked') {
    const minutes = Math.max(1, Math.ceil((error.retryAfter || 900) / 60))
    return t('errors.account_locked', { minutes })
  }
  const fields = (error.details || []).map((detail) => detail.field)
  if (code === 'invalid_credentials' && fields.includes('current_password')) {
    return t('errors.wrong_current_password')
  }
  if (error.status === 400 && fields.some((field) => PASSWORD_FIELDS.has(field))) {
    return t('errors.weak_password')
  }
  if (te(`errors.${code}`)) return t(`errors.${code}`)
  if (error.status >= 500) return t('errors.internal_error')
  if (error.status === 400) return t('errors.validation_error')
  return t('errors.unknown', { code })
}

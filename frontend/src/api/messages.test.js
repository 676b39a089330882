import { describe, expect, it } from 'vitest'
import { ApiError } from './client.js'
import { errorMessage } from './messages.js'
import { setLocale } from '../i18n.js'

describe('error messages', () => {
  it('speaks Chinese by error code', () => {
    setLocale('zh-CN')
    expect(errorMessage(new ApiError({ status: 401, code: 'invalid_credentials' }))).toBe('手机号或密码错误')
    expect(errorMessage(new ApiError({ status: 0, code: 'network_error' }))).toContain('网络不可用')
    expect(errorMessage(new ApiError({ status: 409, code: 'version_conflict' }))).toContain('已被他人修改')
  })

  it('says how long an account stays locked', () => {
    setLocale('zh-CN')
    const error = new ApiError({ status: 429, code: 'account_locked', retryAfter: 899 })
    expect(errorMessage(error)).toBe('密码错误次数过多，账号已锁定，请 15 分钟后再试')
  })

  it('explains the password rules when the new password is refused', () => {
    setLocale('zh-CN')
    const error = new ApiError({ status: 400, code: 'weak_password',
      details: [{ field: 'new_password', message: 'too short' }] })
    expect(errorMessage(error)).toContain('至少 8 位')
  })

  it('falls back sensibly for unknown codes and follows the language', () => {
    setLocale('zh-CN')
    expect(errorMessage(new ApiError({ status: 418, code: 'teapot' }))).toBe('出错了（teapot），请稍后再试')
    expect(errorMessage(new ApiError({ status: 502, code: 'bad_gateway' }))).toBe('服务器出错了，请稍后再试')
    setLocale('en')
    expect(errorMessage(new ApiError({ status: 401, code: 'invalid_credentials' }))).toBe('Wrong phone number or password')
    setLocale('zh-CN')
  })
})

import { describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import { ApiError } from '../api/client.js'
import { setLocale } from '../i18n.js'
import { changedFields, createdBody, fieldErrorsOf, mergeLatest, valuesOf } from './forms.js'
import { fieldsFor } from './fields.js'
import { HOUSEHOLD, RENTAL, RESIDENT } from '../ledgers/fields.js'

const resident = { resident_id: 'r1', name: '张三', id_number: '110101********1234', phone: '138****5678',
  resident_type: 'registered', tags: ['低保'], relation: null, notes: '常住', version: 3 }
const residentFields = fieldsFor(RESIDENT, 'edit')

describe('record forms', () => {
  it('fill from the record, leaving masked personal data empty', () => {
    expect(valuesOf(residentFields, resident)).toEqual({ name: '张三', id_number: '', phone: '',
      resident_type: 'registered', tags: ['低保'], relation: '', notes: '常住' })
    expect(valuesOf(fieldsFor(RENTAL, 'create'))).toMatchObject({ grid_code: '', rooms: '' })
  })

  it('send only what changed, a personal field only when typed, as plain copies', () => {
    const read = valuesOf(residentFields, resident)
    const form = reactive(valuesOf(residentFields, resident))
    expect(changedFields(residentFields, form, read)).toEqual({})
    form.tags.push('独居老人')
    form.phone = '13912345678'
    form.relation = '户主'
    const body = changedFields(residentFields, form, read)
    expect(body).toEqual({ tags: ['低保', '独居老人'], phone: '13912345678', relation: '户主' })
    expect(() => structuredClone(body)).not.toThrow()
  })

  it('create with what is filled in, numbers as numbers', () => {
    const fields = fieldsFor(RENTAL, 'create')
    const form = reactive({ ...valuesOf(fields), grid_code: '1408251022010101', address: '幸福路1号',
      owner_name: '李四', rooms: '3' })
    expect(createdBody(fields, form)).toEqual({ grid_code: '1408251022010101', address: '幸福路1号',
      owner_name: '李四', rooms: 3 })
  })

  it('after a conflict take the other writer\'s changes where the user typed nothing, and name the clashes', () => {
    const fields = fieldsFor(HOUSEHOLD, 'edit')
    const read = { address: '一组1号', head_name: '王大', notes: '' }
    const latest = { address: '一组1号', head_name: '王二', notes: '已走访' }
    const form = reactive({ address: '一组1号东院', head_name: '王大', notes: '低保户' })
    const theirs = mergeLatest(fields, form, read, latest)
    expect(form).toEqual({ address: '一组1号东院', head_name: '王二', notes: '低保户' })
    expect(theirs).toEqual({ notes: '已走访' })
  })

  it('put each server error at its field, a specific code before the detail\'s type', () => {
    setLocale('zh-CN')
    const checksum = new ApiError({ status: 400, code: 'id_number_checksum',
      details: [{ field: 'members.1.id_number', message: 'wrong' }] })
    expect(fieldErrorsOf(checksum)).toEqual({ 'members.1.id_number': '身份证号校验位不正确，请核对' })
    const shapes = new ApiError({ status: 400, code: 'validation_error', details: [
      { field: 'address', type: 'string_too_short' }, { field: 'members.0.phone', type: 'something_new' }] })
    expect(fieldErrorsOf(shapes)).toEqual({ address: '太短了', 'members.0.phone': '格式不正确' })
    const taken = { status: 409, code: 'address_taken', details: [{ field: 'address' }] }
    expect(fieldErrorsOf(taken)).toEqual({ address: '该地址已登记' })
    expect(fieldErrorsOf(new ApiError({ status: 409, code: 'version_conflict' }))).toEqual({})
    expect(fieldErrorsOf(null)).toEqual({})
  })
})

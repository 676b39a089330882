import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN.js'
import en from './en.js'
import { FEATURES, ROLES } from '../features.js'

// Every feature's form fields: <feature>/fields.js.
const FORMS = import.meta.glob('../*/fields.js', { eager: true })

const keys = (messages, prefix = '') => Object.entries(messages).flatMap(([key, value]) =>
  (typeof value === 'object' ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`])).sort()

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const path = `${dir}/${item.name}`
    if (item.isDirectory()) return sources(path)
    return /\.(js|vue)$/.test(item.name) && !item.name.endsWith('.test.js') ? [path] : []
  })
}

describe('locales', () => {
  it('say the same things in both languages', () => {
    expect(keys(en)).toEqual(keys(zhCN))
  })

  it('have every literal key the code asks for, every role and every feature', () => {
    const known = new Set(keys(zhCN))
    const src = `${process.cwd()}/src` // vitest runs in frontend/
    const asked = sources(src).flatMap((file) => [...readFileSync(file, 'utf8')
      .matchAll(/\bt\('([a-zA-Z_.]+)'/g)].map((m) => m[1]))
    expect(asked.length).toBeGreaterThan(50)
    expect(asked.filter((key) => !known.has(key))).toEqual([])
    expect(ROLES.filter((role) => !known.has(`roles.${role}`))).toEqual([])
    expect(FEATURES.filter((feature) => !known.has(`nav.${feature.key}`))).toEqual([])
  })

  it('name every field of the record forms, and every option of their choices', () => {
    const known = new Set(keys(zhCN))
    expect(Object.keys(FORMS)).toEqual(expect.arrayContaining(['../accounts/fields.js',
      '../grids/fields.js', '../ledgers/fields.js', '../workers/fields.js']))
    const named = Object.values(FORMS).flatMap(Object.values).filter(Array.isArray).flat()
      .filter((field) => field.label)
      .flatMap((field) => [field.label,
      ...(field.options || []).map((option) => `${field.optionLabels}.${option}`)])
    expect(named.filter((key) => !known.has(key))).toEqual([])
  })
})

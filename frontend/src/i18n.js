import { createI18n } from 'vue-i18n'
import { Locale } from 'vant'
import vantZh from 'vant/es/locale/lang/zh-CN'
import vantEn from 'vant/es/locale/lang/en-US'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

const KEY = 'wangge.locale'
const LOCALES = ['zh-CN', 'en']

function initialLocale() {
  try {
    const saved = localStorage.getItem(KEY)
    if (LOCALES.includes(saved)) return saved
  } catch { /* storage may be blocked */ }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

function applyLocale(locale) {
  Locale.use(locale === 'en' ? 'en-US' : 'zh-CN', locale === 'en' ? vantEn : vantZh)
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
applyLocale(i18n.global.locale.value)

export function setLocale(locale) {
  i18n.global.locale.value = locale
  applyLocale(locale)
  try { localStorage.setItem(KEY, locale) } catch { /* ignore */ }
}

export function toggleLocale() {
  setLocale(i18n.global.locale.value === 'en' ? 'zh-CN' : 'en')
}

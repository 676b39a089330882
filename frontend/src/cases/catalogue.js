// The case categories of the user's county (GET /case-categories), read once per
// page load. The last list read is kept on the phone, so a case can be reported
// where there is no signal at all.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { get } from '../api/client.js'

const KEPT = 'wangge.caseCategories'
let reading = null

function kept() {
  try {
    return JSON.parse(localStorage.getItem(KEPT) || 'null')
  } catch {
    return null
  }
}

/** The active categories: from the server, or the copy kept from the last read. */
export function caseCategories() {
  reading ||= get('/case-categories').then((page) => {
    const items = page.items.filter((category) => category.active)
    try { localStorage.setItem(KEPT, JSON.stringify(items)) } catch { /* storage may be full */ }
    return items
  }, (error) => {
    reading = null
    const copy = kept()
    if (copy) return copy
    throw error
  })
  return reading
}

export function categoryName(categories, code, locale) {
  const category = categories.find((item) => item.code === code)
  if (!category) return code
  return locale === 'en' ? category.name_en : category.name_zh
}

/** For a screen: the categories once read, and a category's name in the current language
 *  (its code until they are read). */
export function useCategories() {
  const { locale } = useI18n()
  const categories = ref([])
  const error = ref(null)
  const load = () => {
    error.value = null
    return caseCategories().then((items) => { categories.value = items },
      (reason) => { error.value = reason })
  }
  load()
  return { categories, error, load,
    nameOf: (code) => categoryName(categories.value, code, locale.value) }
}

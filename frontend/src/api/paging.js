// Lists the API pages with `limit` and `cursor` ({ items, next_cursor }).
import { ref } from 'vue'
import { get } from './client.js'

const pageUrl = (path, limit, cursor) => `${path}${path.includes('?') ? '&' : '?'}limit=${limit}` +
  (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '')

/** A paged list for a screen: load() fetches the first page of pathOf(), more()
 *  the next. An answer to an older load() (the path changed meanwhile) is dropped. */
export function usePaged(pathOf, { limit = 30 } = {}) {
  const list = {
    items: ref([]), cursor: ref(null), loading: ref(false), error: ref(null),
    loadingMore: ref(false), moreError: ref(null),
  }
  let generation = 0

  list.load = async () => {
    const mine = ++generation
    list.loading.value = true
    list.error.value = null
    list.moreError.value = null
    try {
      const page = await get(pageUrl(pathOf(), limit, null))
      if (mine !== generation) return
      list.items.value = page.items
      list.cursor.value = page.next_cursor
    } catch (error) {
      if (mine === generation) list.error.value = error
    } finally {
      if (mine === generation) list.loading.value = false
    }
  }

  list.more = async () => {
    const mine = generation
    list.loadingMore.value = true
    list.moreError.value = null
    try {
      const page = await get(pageUrl(pathOf(), limit, list.cursor.value))
      if (mine !== generation) return
      list.items.value = [...list.items.value, ...page.items]
      list.cursor.value = page.next_cursor
    } catch (error) {
      if (mine === generation) list.moreError.value = error
    } finally {
      list.loadingMore.value = false
    }
  }
  return list
}

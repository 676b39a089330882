import { reactive } from 'vue'

export const appUpdate = reactive({ ready: false })

/** The service worker keeps the app shell for offline starts. A new build's
 *  worker takes over at once; the page offers a reload to use it. */
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  const hadController = Boolean(navigator.serviceWorker.controller)
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) appUpdate.ready = true
  })
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* not fatal: online-only */ })
  })
}

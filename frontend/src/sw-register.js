import { reactive } from 'vue'

export const appUpdate = reactive({ ready: false })

// An install that fails (a file of the shell never came, after the worker's own
// retries) is tried again by the browser only at the next page load; a worker who
// keeps one screen open would stay without the offline shell. Ask again a few times.
const INSTALL_ATTEMPTS = 3
const REINSTALL_AFTER_MS = 5000

function followInstall(registration, attemptsLeft) {
  const followed = new WeakSet()
  const follow = (worker) => {
    if (!worker || followed.has(worker)) return
    followed.add(worker)
    worker.addEventListener('statechange', () => {
      if (worker.state !== 'redundant' || registration.active || attemptsLeft <= 0) return
      attemptsLeft -= 1
      setTimeout(() => registration.update().catch(() => { /* not fatal: online-only */ }),
        REINSTALL_AFTER_MS)
    })
  }
  follow(registration.installing) // the first install may have begun already
  registration.addEventListener('updatefound', () => follow(registration.installing))
}

/** The service worker keeps the app shell for offline starts. A new build's
 *  worker takes over at once; the page offers a reload to use it. */
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  const hadController = Boolean(navigator.serviceWorker.controller)
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) appUpdate.ready = true
  })
  // After the page's own downloads, which the worker's precaching would slow.
  const register = () => navigator.serviceWorker.register('/sw.js')
    .then((registration) => followInstall(registration, INSTALL_ATTEMPTS))
    .catch(() => { /* not fatal: online-only */ })
  // A page that navigated while the worker was installing stays uncontrolled (and
  // without its offline shell) until the next navigation unless it asks to be claimed.
  navigator.serviceWorker.ready.then((registration) => {
    if (!navigator.serviceWorker.controller) registration.active?.postMessage('claim')
  })
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register, { once: true })
}

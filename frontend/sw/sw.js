// Wangge service worker (hand-written; VERSION, SHELL and LATER are prepended at
// build time by the plugin in vite.config.js).
//
// - install: fetch every file of this build into a cache named after it, each
//   file on its own with a few retries, so one slow or failed answer (a loaded
//   server, a weak signal) costs a retry of that file, not the whole install. The
//   SHELL (index.html at "/", what it loads, the icon and manifest) must all
//   arrive, or the app could not open offline and the install fails (the browser
//   tries again at the next page load). A file of LATER (other screens' chunks,
//   the icon font) that still fails is left out: it is kept when first fetched.
// - activate: drop the caches of older builds, take over open pages (and any
//   page that asks later: one that navigated during the install is missed).
// - fetch: page navigations get the cached shell (the app routes in the
//   browser), so the app starts with no network; other same-origin GETs of this
//   build's files come from the cache, or from the network and are kept; anything
//   else goes to the network. The API (/api/) is never cached here: the app's
//   outbox handles writes. A QR code's link (/q/<token>) is the resident's scan
//   page, no page of this app: it goes to the network untouched.
/* global VERSION, SHELL, LATER */
const CACHE = `wangge-shell-${VERSION}`
const BUILD = new Set([...SHELL, ...LATER])
const ATTEMPTS = 4
const FIRST_RETRY_MS = 500
// A request the server never answers would hold the install for good: give it up
// and retry instead. Generous, since a loaded machine answers slowly.
const ATTEMPT_TIMEOUT_MS = 20000

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function fetchOnce(url) {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), ATTEMPT_TIMEOUT_MS)
  try {
    const response = await fetch(new Request(url, { cache: 'reload', signal: abort.signal }))
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
    return response
  } finally {
    clearTimeout(timer)
  }
}

/** Put `url` in the cache, trying up to ATTEMPTS times with a doubling pause between. */
async function keep(cache, url) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await cache.put(url, await fetchOnce(url))
      return
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error
      await pause(FIRST_RETRY_MS * 2 ** (attempt - 1))
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    const later = Promise.allSettled(LATER.map((url) => keep(cache, url)))
    await Promise.all(SHELL.map((url) => keep(cache, url)))
    await later
    await self.skipWaiting()
  })())
})

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys()
    await Promise.all(names.filter((name) => name.startsWith('wangge-shell-') && name !== CACHE)
      .map((name) => caches.delete(name)))
    await self.clients.claim()
  })())
})

// A page whose navigation began while this worker was still installing is not
// among the clients activate claimed: it asks, once it sees the worker active.
self.addEventListener('message', (event) => {
  if (event.data === 'claim') event.waitUntil(self.clients.claim())
})

async function shell(request) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match('/')
  if (cached) return cached
  return fetch(request)
}

async function asset(request) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(request, { ignoreSearch: true })
  if (cached) return cached
  // Left out at install (it kept failing then): kept now that it came.
  const response = await fetch(request)
  if (response.ok) {
    await cache.put(new URL(request.url).pathname, response.clone()).catch(() => { /* served all the same */ })
  }
  return response
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')
    || url.pathname.startsWith('/q/')) return
  if (request.mode === 'navigate') {
    event.respondWith(shell(request))
  } else if (BUILD.has(url.pathname)) {
    event.respondWith(asset(request))
  }
})

// Wangge service worker (hand-written; VERSION and PRECACHE are prepended at
// build time by the plugin in vite.config.js).
//
// - install: precache the app shell (index.html at "/", every built asset,
//   the icon and manifest) in a cache named after this build.
// - activate: drop the caches of older builds, take over open pages.
// - fetch: page navigations get the cached shell (the app routes in the
//   browser), so the app starts with no network; other same-origin GETs of
//   precached files come from the cache; anything else goes to the network.
//   The API (/api/) is never cached here: the app's outbox handles writes.
/* global VERSION, PRECACHE */
const CACHE = `wangge-shell-${VERSION}`

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))
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

async function shell(request) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match('/')
  if (cached) return cached
  return fetch(request)
}

async function asset(request) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(request, { ignoreSearch: true })
  return cached || fetch(request)
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return
  if (request.mode === 'navigate') {
    event.respondWith(shell(request))
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(asset(request))
  }
})

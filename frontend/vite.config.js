import { readFileSync, readdirSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

// The service worker is hand-written (sw/sw.js); at build time this plugin
// prepends the files to precache and a version derived from their names, so each
// build installs a new cache: SHELL, what the first screen cannot open without
// (index.html as "/", the scripts and stylesheets it loads, static/), and LATER,
// every other emitted file (the other screens' chunks, the icon font). The scan page
// (scan.html) is no part of the worker app: neither it nor what it loads is kept.
function serviceWorker() {
  return {
    name: 'wangge-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['index.html']
      if (!page) this.error('index.html is not in the bundle: the service worker cannot tell the shell')
      const loadedBy = (html) => [...String(html.source).matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])
      const loaded = loadedBy(page)
      const scanPage = bundle['scan.html'] ? ['/scan.html', ...loadedBy(bundle['scan.html'])] : []
      const staticFiles = readdirSync(here('./static')).map((name) => `/${name}`).filter((f) => f !== '/sw.js')
      const shell = [...new Set(['/', ...loaded, ...staticFiles])].sort()
      const later = Object.keys(bundle)
        .filter((name) => !name.endsWith('.map') && name !== 'index.html')
        .map((name) => `/${name}`)
        .filter((file) => !shell.includes(file) && !scanPage.includes(file))
        .sort()
      const version = createHash('sha256').update([...shell, ...later].sort().join('\n')).digest('hex').slice(0, 12)
      const source = `const VERSION = ${JSON.stringify(version)};\n` +
        `const SHELL = ${JSON.stringify(shell)};\n` +
        `const LATER = ${JSON.stringify(later)};\n` + readFileSync(here('./sw/sw.js'), 'utf8')
      this.emitFile({ type: 'asset', fileName: 'sw.js', source })
    },
  }
}

// The dev server answers a QR code's link (/q/<token>) with the scan page, as
// devtools/server.py and CloudFront do.
function scanPageInDev() {
  return {
    name: 'wangge-scan-page',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((request, _response, next) => {
        if (/^\/q\/[^/.]+\/?(\?|$)/.test(request.url)) request.url = '/scan.html'
        next()
      })
    },
  }
}

export default defineConfig({
  plugins: [vue(), serviceWorker(), scanPageInDev()],
  // static/ is copied as-is into dist/. public/ is not Vite's: it holds the page
  // devtools/server.py serves when the app has not been built yet.
  publicDir: 'static',
  resolve: {
    alias: { '@': here('./src') },
  },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_LEGACY_API__: 'false',
  },
  build: {
    target: ['es2019', 'chrome69', 'safari13'],
    cssTarget: ['chrome61', 'safari13'],
    reportCompressedSize: false, // scripts/size.mjs reports what matters
    chunkSizeWarningLimit: 200,
    // On a busy machine Rolldown warns that the Vue plugin takes its time; not actionable.
    rolldownOptions: {
      // Two pages: the worker app, and the resident's scan page with none of its code.
      input: { app: here('./index.html'), scan: here('./scan.html') },
      checks: { bundlerTimings: false },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.js'],
    setupFiles: ['./src/test-setup.js'],
    // A test waits up to 10 s for what the screen shows (src/test-setup.js), maybe more than
    // once; vitest's 5 s per test would cut such a wait short on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    server: { deps: { inline: ['vant'] } },
  },
})

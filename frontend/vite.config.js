import { readFileSync, readdirSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

// The service worker is hand-written (sw/sw.js); at build time this plugin
// prepends the list of files to precache (every emitted file plus static/)
// and a version derived from their names, so each build installs a new cache.
function serviceWorker() {
  return {
    name: 'wangge-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const staticFiles = readdirSync(here('./static')).map((name) => `/${name}`)
      const emitted = Object.keys(bundle)
        .filter((name) => !name.endsWith('.map') && name !== 'index.html')
        .map((name) => `/${name}`)
      const precache = ['/', ...emitted, ...staticFiles.filter((f) => f !== '/sw.js')].sort()
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12)
      const source = `const VERSION = ${JSON.stringify(version)};\n` +
        `const PRECACHE = ${JSON.stringify(precache)};\n` + readFileSync(here('./sw/sw.js'), 'utf8')
      this.emitFile({ type: 'asset', fileName: 'sw.js', source })
    },
  }
}

export default defineConfig({
  plugins: [vue(), serviceWorker()],
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
    rolldownOptions: { checks: { bundlerTimings: false } },
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

// `npm run size` (and every build): what a phone downloads to show the first screen, gzipped.
// Initial = the scripts, module preloads and stylesheets dist/index.html names.
// Fails (exit 1) when that is over the budget.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET_KB = 150
const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
const kb = (bytes) => (bytes / 1024).toFixed(1)

let html
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8')
} catch {
  console.error('frontend/dist/index.html is missing: run `npm run build` first')
  process.exit(2)
}
const initial = [...new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)]
  .map((m) => m[1]))]
const all = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f))
  .map((f) => `assets/${f}`)

let total = 0
for (const file of initial) {
  const size = gz(file)
  total += size
  console.log(`  ${file.padEnd(44)} ${kb(statSync(join(dist, file)).size).padStart(7)} KB  ${kb(size).padStart(6)} KB gz`)
}
const everything = all.reduce((sum, file) => sum + gz(file), 0)
const lazy = all.filter((f) => !initial.includes(f))
console.log(`  + ${lazy.length} chunks loaded later (screens, the icon font): ${kb(everything - total)} KB gz`)
console.log(`initial JS+CSS: ${kb(total)} KB gzipped (budget ${BUDGET_KB} KB); all JS+CSS: ${kb(everything)} KB gzipped`)
if (total > BUDGET_KB * 1024) {
  console.error(`over budget by ${kb(total - BUDGET_KB * 1024)} KB`)
  process.exit(1)
}

// `npm run size` (and every build): what a phone downloads to show a page, gzipped.
// The worker app's first screen: the scripts, module preloads and stylesheets
// dist/index.html names. The resident's scan page: scan.html itself and all it names.
// Fails (exit 1) when either is over its budget.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET_KB = 150
const SCAN_BUDGET_KB = 50
const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
const kb = (bytes) => (bytes / 1024).toFixed(1)
const line = (file, size) =>
  console.log(`  ${file.padEnd(44)} ${kb(statSync(join(dist, file)).size).padStart(7)} KB  ${kb(size).padStart(6)} KB gz`)

function page(name) {
  try {
    return readFileSync(join(dist, name), 'utf8')
  } catch {
    console.error(`frontend/dist/${name} is missing: run \`npm run build\` first`)
    process.exit(2)
  }
}
const namedBy = (html) => [...new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)]
  .map((m) => m[1]))]

const initial = namedBy(page('index.html'))
const all = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f))
  .map((f) => `assets/${f}`)
const scanFiles = ['scan.html', ...namedBy(page('scan.html'))]

let total = 0
for (const file of initial) {
  const size = gz(file)
  total += size
  line(file, size)
}
const everything = all.reduce((sum, file) => sum + gz(file), 0)
const lazy = all.filter((f) => !initial.includes(f))
console.log(`  + ${lazy.length} chunks loaded later (screens, the icon font): ${kb(everything - total)} KB gz`)
console.log(`initial JS+CSS: ${kb(total)} KB gzipped (budget ${BUDGET_KB} KB); all JS+CSS: ${kb(everything)} KB gzipped`)
let scanTotal = 0
for (const file of scanFiles) {
  const size = gz(file)
  scanTotal += size
  line(file, size)
}
console.log(`scan page (/q/…), everything it loads: ${kb(scanTotal)} KB gzipped (budget ${SCAN_BUDGET_KB} KB)`)

let over = false
for (const [what, size, budget] of [['initial JS+CSS', total, BUDGET_KB], ['the scan page', scanTotal, SCAN_BUDGET_KB]]) {
  if (size > budget * 1024) {
    console.error(`${what} over budget by ${kb(size - budget * 1024)} KB`)
    over = true
  }
}
if (over) process.exit(1)

import 'fake-indexeddb/auto'
import { vi } from 'vitest'

// vi.waitFor gives up after 1 s by default: on a loaded machine a lazily loaded
// screen (transformed on first import) or a chain of IndexedDB steps takes longer,
// and a test failed for that alone. Waits are for what the app shows, so a
// generous bound costs nothing when it comes at once; a test may still pass its own.
const WAIT_FOR_MS = 10_000
const waitFor = vi.waitFor
vi.waitFor = (check, options) => waitFor(check,
  typeof options === 'number' ? { timeout: options } : { timeout: WAIT_FOR_MS, ...options })

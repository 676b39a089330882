// Long work the API does in the background (a subtree move, an Excel import or
// export) answers 202 with a job; the screen asks again until it is finished.
import { get } from './client.js'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Read `path` every `intervalMs` until finished(job); each read goes to onProgress.
 *  `stopped()` ends the wait early (the user left the screen). */
export async function pollJob(path, finished, { intervalMs = 1000, onProgress = () => {},
  stopped = () => false } = {}) {
  for (;;) {
    const job = await get(path)
    onProgress(job)
    if (finished(job) || stopped()) return job
    await sleep(intervalMs)
  }
}

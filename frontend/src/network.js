// Whether the server can be reached. The browser's online flag alone misses a
// phone that has a network but no way through (a weak signal, a captive
// Wi-Fi), so the API client also reports each call that got no answer, and
// each that got one.
import { reactive } from 'vue'

export const network = reactive({
  online: typeof navigator === 'undefined' || navigator.onLine !== false,
  answering: true,
  keptFrom: null, // when the data on screen was read, if it is a kept copy (api/kept.js)
})

export const offline = () => !network.online || !network.answering

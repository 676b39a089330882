import { createApp, watch } from 'vue'
import App from './App.vue'
import { i18n } from './i18n.js'
import { makeRouter } from './router.js'
import { signedIn } from './auth/session.js'
import { outbox, startOutbox } from './offline/index.js'
import { registerServiceWorker } from './sw-register.js'
import { loadIconFont } from './ui.js'
import './styles.css'

const router = makeRouter()

// Signed in (here or in another tab): send what waited. Signed out elsewhere,
// or the session ran out: back to the login page.
watch(signedIn, (now) => {
  if (now) outbox.flush()
  else if (!router.currentRoute.value.meta.public) router.replace({ name: 'login' })
})

createApp(App).use(i18n).use(router).mount('#app')
startOutbox()
registerServiceWorker()
router.isReady().then(loadIconFont)

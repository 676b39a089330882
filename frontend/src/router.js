import { createRouter, createWebHistory } from 'vue-router'
import { mustChangePassword, onPasswordChangeRequired, onSessionLost, signedIn, user }
  from './auth/session.js'
import { canUse, FEATURES, may } from './features.js'
import LoginView from './views/LoginView.vue'
import HomeView from './views/HomeView.vue'

const messageView = () => import('./views/MessageView.vue')

export const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue') },
  { path: '/', name: 'home', component: HomeView },
  { path: '/me', name: 'me', component: () => import('./views/ProfileView.vue') },
  { path: '/outbox', name: 'outbox', component: () => import('./views/OutboxView.vue') },
  ...FEATURES.flatMap((feature) => [
    { path: feature.pattern || feature.path, name: feature.key, component: feature.screen,
      props: true, meta: { feature: feature.key } },
    ...(feature.screens || []).map((screen) => ({ path: screen.path, component: screen.screen,
      props: (route) => ({ ...route.params, ...screen.props }),
      meta: { feature: feature.key, ability: screen.ability } })),
  ]),
  { path: '/forbidden', name: 'forbidden', component: messageView, props: { kind: 'forbidden' } },
  { path: '/:rest(.*)*', name: 'not-found', component: messageView, props: { kind: 'notFound' } },
]

function guard(to) {
  if (to.meta.public) return to.name === 'login' && signedIn.value ? { name: 'home' } : true
  if (!signedIn.value) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (mustChangePassword.value && to.name !== 'password') return { name: 'password' }
  const role = user.value?.role
  if (to.meta.feature && !canUse(role, to.meta.feature)) return { name: 'forbidden' }
  if (to.meta.ability && !may(role, to.meta.ability)) return { name: 'forbidden' }
  return true
}

export function makeRouter(history = createWebHistory()) {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: (_to, _from, saved) => saved || { top: 0 },
  })
  router.beforeEach(guard)
  // A screen's chunk from an older build is gone after a deploy: load the page afresh.
  router.onError((error, to) => {
    if (/dynamically imported module|Importing a module script failed/i.test(String(error))) {
      window.location.assign(to.fullPath)
    }
  })
  onSessionLost(() => router.replace({ name: 'login', query: { expired: '1' } }))
  onPasswordChangeRequired(() => router.replace({ name: 'password' }))
  return router
}

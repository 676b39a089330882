// Every feature of the app, in navigation order, in this one place: its link,
// its icon (a Vant icon name), the roles that may use it, and its screen.
// Screens load on first use, so a new feature never grows the first download.
//
// To add a feature: an entry here, its screen in views/, its label as
// `nav.<key>` in both locales. `roles` mirrors the API's access rule for the
// feature's main read (functions/chalicelib/routes/); tests/e2e checks the two
// agree for every demo role.

export const ROLES = ['county_admin', 'town_admin', 'dispatcher', 'supervisor', 'grid_leader',
  'grid_worker', 'viewer']
const ADMINS = ['county_admin', 'town_admin']

export const FEATURES = [
  { key: 'grids', path: '/grids', pattern: '/grids/:code?', icon: 'cluster-o', roles: ROLES,
    tab: true, screen: () => import('./views/GridView.vue') },
  { key: 'accounts', path: '/accounts', icon: 'manager-o', roles: ADMINS,
    screen: () => import('./views/AccountsView.vue') },
]

/** The features a role may use, in navigation order; none for an unknown role. */
export function featuresFor(role) {
  return FEATURES.filter((feature) => feature.roles.includes(role))
}

export function canUse(role, key) {
  return featuresFor(role).some((feature) => feature.key === key)
}

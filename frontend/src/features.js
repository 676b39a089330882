// Every feature of the app, in navigation order, in this one place: its link,
// its icon (a Vant icon name), the roles that may use it, and its screen.
// Screens load on first use, so a new feature never grows the first download.
//
// To add a feature: an entry here, its screens in views/<feature>/ (and its parts
// in <feature>/), its label as `nav.<key>` in both locales. `roles` mirrors the API's access rule for the
// feature's main read (functions/chalicelib/routes/); tests/e2e checks the two
// agree for every demo role. A feature's further screens (a record's detail,
// its forms) go in its `screens`: they open under the feature's tab, and one
// that writes names the `ability` it needs.

export const ROLES = ['county_admin', 'town_admin', 'dispatcher', 'supervisor', 'grid_leader',
  'grid_worker', 'viewer']
const ADMINS = ['county_admin', 'town_admin']
const GRID_MANAGERS = [...ADMINS, 'grid_leader']
const LEDGER_KEEPERS = [...GRID_MANAGERS, 'grid_worker']

// Who may change what, as functions/chalicelib/domain/roles.py says; everyone in
// scope reads. The screens only hide what the API would refuse anyway.
const ABILITIES = {
  administerGrids: ADMINS, // create, retire and move grids
  manageGrids: GRID_MANAGERS, // a grid's details, its workers, their assignments and handovers; QR codes printed and revoked
  keepLedgers: LEDGER_KEEPERS, // households, residents, rentals, tenants; Excel imports
  exportLedgers: [...LEDGER_KEEPERS, 'dispatcher'], // a subtree's ledger to Excel
  reportCases: ROLES.filter((role) => role !== 'viewer'), // POST /cases (domain/case_flow.py REPORTERS)
  editCategories: ['county_admin'], // PUT /case-categories/{county}/{code}
}

export function may(role, ability) {
  return ABILITIES[ability].includes(role)
}

const view = {
  accountForm: () => import('./views/accounts/AccountFormView.vue'),
  grid: () => import('./views/grids/GridView.vue'),
  gridForm: () => import('./views/grids/GridFormView.vue'),
  gridManage: () => import('./views/grids/GridManageView.vue'),
  handover: () => import('./views/grids/HandoverView.vue'),
  household: () => import('./views/ledgers/HouseholdView.vue'),
  householdForm: () => import('./views/ledgers/HouseholdFormView.vue'),
  resident: () => import('./views/ledgers/ResidentView.vue'),
  residentForm: () => import('./views/ledgers/ResidentFormView.vue'),
  rental: () => import('./views/ledgers/RentalView.vue'),
  rentalForm: () => import('./views/ledgers/RentalFormView.vue'),
  tenant: () => import('./views/ledgers/TenantView.vue'),
  tenantForm: () => import('./views/ledgers/TenantFormView.vue'),
  worker: () => import('./views/workers/WorkerView.vue'),
  workerForm: () => import('./views/workers/WorkerFormView.vue'),
}

export const FEATURES = [
  { key: 'grids', path: '/grids', pattern: '/grids/:code?', icon: 'cluster-o', roles: ROLES,
    tab: true, screen: view.grid,
    screens: [
      { path: '/grids/:code/new', screen: view.gridForm, ability: 'administerGrids',
        props: { mode: 'child' } },
      { path: '/grids/:code/edit', screen: view.gridForm, ability: 'manageGrids',
        props: { mode: 'edit' } },
      { path: '/grids/:code/manage', screen: view.gridManage, ability: 'administerGrids' },
      { path: '/grids/:code/handover', screen: view.handover, ability: 'manageGrids' },
    ] },
  { key: 'ledgers', path: '/ledgers', icon: 'notes-o', roles: ROLES, tab: true,
    screen: () => import('./views/ledgers/LedgersView.vue'),
    screens: [
      { path: '/households/new', screen: view.householdForm, ability: 'keepLedgers' },
      { path: '/households/:id', screen: view.household },
      { path: '/households/:id/edit', screen: view.householdForm, ability: 'keepLedgers' },
      { path: '/households/:household/residents/new', screen: view.residentForm,
        ability: 'keepLedgers' },
      { path: '/residents/:id', screen: view.resident },
      { path: '/residents/:id/edit', screen: view.residentForm, ability: 'keepLedgers' },
      { path: '/rentals/new', screen: view.rentalForm, ability: 'keepLedgers' },
      { path: '/rentals/:id', screen: view.rental },
      { path: '/rentals/:id/edit', screen: view.rentalForm, ability: 'keepLedgers' },
      { path: '/rentals/:rental/tenants/new', screen: view.tenantForm, ability: 'keepLedgers' },
      { path: '/tenants/:id', screen: view.tenant },
      { path: '/tenants/:id/edit', screen: view.tenantForm, ability: 'keepLedgers' },
    ] },
  { key: 'workers', path: '/workers', icon: 'friends-o', roles: ROLES,
    screen: () => import('./views/workers/WorkersView.vue'),
    screens: [
      { path: '/workers/new', screen: view.workerForm, ability: 'manageGrids' },
      { path: '/workers/:id', screen: view.worker },
      { path: '/workers/:id/edit', screen: view.workerForm, ability: 'manageGrids' },
    ] },
  { key: 'imports', path: '/ledger-import', icon: 'upgrade', roles: LEDGER_KEEPERS,
    screen: () => import('./views/ledgers/ImportView.vue') },
  // The QR codes on rental boards and contact cards: the boards whose rental changed since they
  // were printed (what keepers see), sheets for the print shop and a code's own page (managers).
  // Scanning a code opens the resident's scan page, not this app.
  { key: 'qrCodes', path: '/qr-codes', icon: 'qr', roles: LEDGER_KEEPERS,
    screen: () => import('./views/qrcodes/ReprintView.vue'),
    screens: [
      { path: '/qr-codes/print', screen: () => import('./views/qrcodes/PrintSheetsView.vue'),
        ability: 'manageGrids' },
      { path: '/qr-codes/:serial', screen: () => import('./views/qrcodes/QrCodeView.vue'),
        ability: 'manageGrids' },
    ] },
  // The case loop (事件闭环): inboxes, report, a case with its steps; indicators; hotline callbacks.
  { key: 'cases', path: '/cases', icon: 'todo-list-o', roles: ROLES, tab: true,
    screen: () => import('./views/cases/CasesView.vue'),
    screens: [
      { path: '/cases/new', screen: () => import('./views/cases/CaseReportView.vue'), ability: 'reportCases' },
      { path: '/cases/:id', screen: () => import('./views/cases/CaseDetailView.vue') },
      { path: '/case-categories', screen: () => import('./views/cases/CaseCategoriesView.vue'),
        ability: 'editCategories' },
    ] },
  { key: 'caseIndicators', path: '/case-indicators', icon: 'bar-chart-o', roles: ROLES,
    screen: () => import('./views/cases/CaseIndicatorsView.vue') },
  { key: 'hotlineCallbacks', path: '/hotline/callbacks', icon: 'phone-circle-o', roles: ADMINS,
    screen: () => import('./views/cases/HotlineCallbacksView.vue') },
  // Accounts of the admin's subtree, machine clients' API keys, the audit log.
  { key: 'accounts', path: '/accounts', icon: 'manager-o', roles: ADMINS,
    screen: () => import('./views/accounts/AccountsView.vue'),
    screens: [
      { path: '/accounts/new', screen: view.accountForm },
      { path: '/accounts/api-keys', screen: () => import('./views/accounts/ApiKeysView.vue') },
      { path: '/accounts/api-keys/new', screen: () => import('./views/accounts/ApiKeyFormView.vue') },
      { path: '/accounts/audit', screen: () => import('./views/accounts/AuditView.vue') },
      { path: '/accounts/:id', screen: () => import('./views/accounts/AccountView.vue') },
      { path: '/accounts/:id/edit', screen: view.accountForm },
    ] },
]

/** The features a role may use, in navigation order; none for an unknown role. */
export function featuresFor(role) {
  return FEATURES.filter((feature) => feature.roles.includes(role))
}

export function canUse(role, key) {
  return featuresFor(role).some((feature) => feature.key === key)
}

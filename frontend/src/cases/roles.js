// Who does what in the case loop, as functions/chalicelib/domain/case_flow.py
// and domain/roles.py say. The screens only hide what the API would refuse anyway;
// a case's own steps come from its `allowed_actions`.

// Leaders run the loop for their grid; checkers also verify and close.
export const LEADERS = ['grid_leader', 'dispatcher', 'town_admin', 'county_admin']
export const CHECKERS = [...LEADERS, 'supervisor']
export const REPORTERS = [...CHECKERS, 'grid_worker']
// Who may ask for a resident's contact unmasked (MAY_REVEAL_PERSONAL_DATA).
const REVEALERS = ['county_admin', 'town_admin', 'dispatcher', 'grid_leader', 'grid_worker']

export const mayReport = (user) => REPORTERS.includes(user?.role)
export const mayVerify = (user) => CHECKERS.includes(user?.role)
export const mayReveal = (user) => REVEALERS.includes(user?.role)

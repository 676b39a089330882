"""Roles, what each may do, and who may create whom."""

COUNTY_ADMIN = "county_admin"
TOWN_ADMIN = "town_admin"
DISPATCHER = "dispatcher"
SUPERVISOR = "supervisor"
GRID_LEADER = "grid_leader"
GRID_WORKER = "grid_worker"
VIEWER = "viewer"

ROLES = (COUNTY_ADMIN, TOWN_ADMIN, DISPATCHER, SUPERVISOR, GRID_LEADER, GRID_WORKER, VIEWER)
EVERYONE = frozenset(ROLES)
ADMINS = frozenset({COUNTY_ADMIN, TOWN_ADMIN})
# Roles that may ask for personal data unmasked (each such read is audited).
MAY_REVEAL_PERSONAL_DATA = frozenset({COUNTY_ADMIN, TOWN_ADMIN, DISPATCHER, GRID_LEADER,
                                      GRID_WORKER})

# An admin creates users of its own rank or below, in its own subtree.
RANK = {COUNTY_ADMIN: 0, TOWN_ADMIN: 1}
_STAFF_RANK = 2


def may_assign(creator_role: str, role: str) -> bool:
    if creator_role not in ADMINS:
        return False
    return RANK.get(role, _STAFF_RANK) >= RANK[creator_role]


# The ledgers (grids, workers, households, rentals): who keeps them. Everyone in
# scope reads them (personal data masked); these roles write.
LEDGER_KEEPERS = frozenset({COUNTY_ADMIN, TOWN_ADMIN, GRID_LEADER, GRID_WORKER})
# Who manages workers and their assignments, and edits a grid's details.
GRID_MANAGERS = frozenset({COUNTY_ADMIN, TOWN_ADMIN, GRID_LEADER})

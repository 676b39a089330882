"""Every ledger counter equals a brute-force count of the records after a
random sequence of writes, moves and deletes."""

import random
from collections import Counter
from datetime import date

from tests.api.ledger_fixtures import new_address, new_id_number
from tests.api.ledger_tree import build

SEED = 20261127
ACTIONS = ("household", "resident", "edit", "drop_resident", "move", "drop_household",
           "rental", "tenant", "tenant_out", "close", "assign", "unassign", "subtree")
ROUNDS = 5  # every action this many times, in a shuffled order


def brute_force(county: str) -> dict[str, Counter]:
    """Counts per grid and ancestor, from the records themselves."""
    from chalicelib.domain import ledger
    from chalicelib.store import counters, records
    from chalicelib.store import households as household_store
    from chalicelib.store import rentals as rental_store
    from chalicelib.store.workers import AssignmentModel

    totals: dict[str, Counter] = {}

    def add(grid_code, counts):
        for code in counters.lineage(grid_code):
            totals.setdefault(code, Counter()).update(counts)

    for household in household_store.all_households_in(county):
        add(household.grid_code, {ledger.HOUSEHOLDS: 1})
    for resident in household_store.all_residents_in(county):
        add(resident.grid_code, ledger.resident_counts(resident.facts()))
    for rental in rental_store.all_rentals_in(county):
        add(rental.grid_code, {ledger.RENTALS: int(not rental.closed)})
    for tenant in rental_store.all_tenants_in(county):
        add(tenant.grid_code, {ledger.TENANTS: int(tenant.move_out is None)})
    for assignment in records.all_in_subtree(AssignmentModel, county):
        add(assignment.grid_code, {ledger.ACTIVE_ASSIGNMENTS: int(assignment.end_date is None)})
    return totals


def test_counters_equal_a_brute_force_count(county_admin):
    from chalicelib.domain.callers import Caller
    from chalicelib.errors import WanggeError
    from chalicelib.schemas.grids import GridMoveRequest
    from chalicelib.schemas.ledgers import (
        HouseholdCreate,
        HouseholdMove,
        RentalCreate,
        RentalUpdate,
        ResidentIn,
        ResidentUpdate,
        TenantIn,
        TenantUpdate,
    )
    from chalicelib.schemas.workers import AssignmentCreate, AssignmentEnd, WorkerCreate
    from chalicelib.store import counters, grids
    from chalicelib.store import households as household_store
    from chalicelib.store import rentals as rental_store
    from chalicelib.usecases import grid_moves, households, rentals, workers

    tree = build(county_admin)
    rng = random.Random(SEED)
    admin = Caller(user_id="counter-test", role="county_admin", scope_code=tree.county)

    def micro_grids():
        return [g.code for depth in (4,) for g in grids.all_at_depth(tree.county, depth)
                if not g.retired]

    def resident():
        return ResidentIn(name="测试", id_number=new_id_number(),
                          resident_type=rng.choice(("registered", "floating")),
                          tags=rng.sample(["低保", "独居老人", "残疾人"], rng.randint(0, 2)))

    household_ids, resident_ids, rental_ids, tenant_ids, assignment_ids = [], [], [], [], []
    worker = workers.create_worker(admin, WorkerCreate(name="甲", phone="10912345678",
                                                       kind="full_time", grid_code=tree.town))
    sequence = ["household"] * 4 + [a for a in ACTIONS for _ in range(ROUNDS)]
    rng.shuffle(sequence)
    for action in ["household"] * 2 + sequence:
        try:
            if action == "household":
                made = households.create_household(admin, HouseholdCreate(
                    grid_code=rng.choice(micro_grids()), address=new_address(),
                    members=[resident() for _ in range(rng.randint(0, 3))]))
                household_ids.append(made.household_id)
                resident_ids += [m.resident_id for m in made.members]
            elif action == "resident" and household_ids:
                resident_ids.append(households.add_resident(
                    admin, rng.choice(household_ids), resident()).resident_id)
            elif action == "edit" and resident_ids:
                current = household_store.get_resident(rng.choice(resident_ids))
                households.update_resident(admin, current.resident_id, ResidentUpdate(
                    version=current.version, resident_type=rng.choice(("registered", "floating")),
                    tags=rng.sample(["低保", "留守儿童"], rng.randint(0, 2))))
            elif action == "drop_resident" and resident_ids:
                current = household_store.get_resident(resident_ids.pop(
                    rng.randrange(len(resident_ids))))
                households.delete_resident(admin, current.resident_id, current.version)
            elif action == "move" and household_ids:
                current = household_store.get_household(rng.choice(household_ids))
                target = rng.choice([c for c in micro_grids() if c != current.grid_code])
                households.move_household(admin, current.household_id,
                                          HouseholdMove(version=current.version, grid_code=target))
            elif action == "drop_household" and household_ids:
                current = household_store.get_household(household_ids.pop(
                    rng.randrange(len(household_ids))))
                gone = {m.resident_id for m in household_store.members_of(current.household_id)}
                households.delete_household(admin, current.household_id, current.version)
                resident_ids[:] = [r for r in resident_ids if r not in gone]
            elif action == "rental":
                rental_ids.append(rentals.create_rental(admin, RentalCreate(
                    grid_code=rng.choice(micro_grids()), address=new_address(),
                    owner_name="房东")).rental_id)
            elif action == "tenant" and rental_ids:
                tenant_ids.append(rentals.add_tenant(admin, rng.choice(rental_ids), TenantIn(
                    name="租户", id_number=new_id_number(), move_in=date(2026, 5, 1))).tenant_id)
            elif action == "tenant_out" and tenant_ids:
                current = rental_store.get_tenant(rng.choice(tenant_ids))
                rentals.update_tenant(admin, current.tenant_id, TenantUpdate(
                    version=current.version, move_out=date(2026, 11, 1)))
            elif action == "close" and rental_ids:
                current = rental_store.get_rental(rng.choice(rental_ids))
                rentals.update_rental(admin, current.rental_id, RentalUpdate(
                    version=current.version, closed=not current.closed))
            elif action == "assign":
                assignment_ids.append(workers.assign(admin, worker.worker_id, AssignmentCreate(
                    grid_code=rng.choice(micro_grids()))).assignment_id)
            elif action == "unassign" and assignment_ids:
                from chalicelib.store import workers as worker_store

                current = worker_store.get_assignment(assignment_ids.pop())
                workers.end_assignment(admin, current.assignment_id,
                                       AssignmentEnd(version=current.version))
            elif action == "subtree":
                moving = rng.choice([g.code for g in grids.all_at_depth(tree.county, 3)])
                target = rng.choice([v for v in (tree.village_a, tree.village_b)
                                     if not moving.startswith(v)])
                grid_moves.start_move(admin, moving, GridMoveRequest(
                    version=grids.get(moving).version, parent_code=target))
        except WanggeError as refused:
            # A rule said no (a closed rental, a current tenant twice…): nothing was written.
            assert refused.code in {"rental_has_tenants", "rental_closed", "already_assigned",
                                    "already_ended", "tenant_current"}, refused

    truth = brute_force(tree.county)
    every_grid = [tree.county, tree.town] + [g.code for depth in (2, 3, 4)
                                            for g in grids.all_at_depth(tree.county, depth)]
    assert len(every_grid) >= 8
    for code in every_grid:
        kept = {name: n for name, n in counters.read(code, "ledger").items() if n}
        expected = {name: n for name, n in truth.get(code, Counter()).items() if n}
        assert kept == expected, code

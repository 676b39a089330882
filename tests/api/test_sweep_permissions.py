"""Each sweep touches only the tables its function may (FUNCTION_NEEDS, which
infra/ grants exactly): every DynamoDB call of a realistic run is recorded and
checked against the declaration, so a sweep that starts reading a new table
fails here, not with AccessDenied on AWS. (The ledger and hotline sweeps are
checked the same way in their own tests.)"""

from datetime import timedelta

from tests.api.ledger_fixtures import new_address, resident_body
from tests.api.ledger_tree import assigned_worker, build, rental_with_tenant, user_in
from tests.api.test_cases_sweeps import MONDAY, at, new_case, sweep  # noqa: F401 - `at` is a fixture
from tests.conftest import assert_declared


def test_a_moves_sweep_touches_only_what_resume_grid_moves_may(county_admin, dynamodb_calls):
    from chalicelib import sweeps
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import CaseCreate
    from chalicelib.schemas.grids import GridMoveRequest
    from chalicelib.schemas.users import ApiKeyCreate
    from chalicelib.usecases import api_keys, cases, grid_moves

    tree = build(county_admin)
    api = county_admin
    api.post("/api/v1/households", {"grid_code": tree.micro_a1, "address": new_address(),
                                    "members": [resident_body()]})
    rental_with_tenant(api, tree.micro_a1)
    assigned_worker(api, tree.micro_a1)
    user_in(tree.micro_a1, "grid_worker")
    admin = Caller(user_id="t", role="county_admin", scope_code=tree.county, name="管理员")
    api_keys.create_key(admin, ApiKeyCreate(name="片区系统", scope_code=tree.grid_a,
                                            operations=["cases.read"]))
    cases.create_case(admin, CaseCreate(category="parking", grid_code=tree.micro_a1,
                                        description="占道"))
    original = grid_moves.REQUEST_BUDGET_SECONDS
    grid_moves.REQUEST_BUDGET_SECONDS = 0.0  # the request starts it; the sweep does the rest
    try:
        job = grid_moves.start_move(admin, tree.grid_a, GridMoveRequest(
            version=1, parent_code=tree.village_b))
    finally:
        grid_moves.REQUEST_BUDGET_SECONDS = original
    dynamodb_calls.clear()

    summary = sweeps.run("resume-grid-moves")
    assert {"move_id": job.move_id, "status": "done"} in summary["moves"]
    assert_declared("resume-grid-moves", dynamodb_calls)


def test_every_store_a_move_carries_is_declared_for_the_sweep():
    from chalicelib.function_needs import FUNCTION_NEEDS
    from chalicelib.store import grid_moves, tables  # noqa: F401 - tables registers every mover

    declared = FUNCTION_NEEDS["resume-grid-moves"]["tables"]
    assert {name: declared.get(name) for name in grid_moves.MOVERS} == {
        name: "read_write" for name in grid_moves.MOVERS}


def test_the_deadline_sweep_touches_only_what_case_deadlines_may(at, dynamodb_calls):  # noqa: F811
    from chalicelib.store import cases as case_store

    case_id = new_case()
    dynamodb_calls.clear()
    sweep(at(MONDAY + timedelta(hours=3, minutes=1)))  # a warning
    sweep(at(MONDAY + timedelta(hours=4, minutes=1)))  # overdue, escalated
    assert case_store.get(case_id).case.late_stages == 1
    assert_declared("case-deadlines", dynamodb_calls)


def test_the_print_sweep_touches_only_what_print_sheets_may(county_admin, dynamodb_calls,
                                                             monkeypatch):
    from chalicelib import sweeps
    from chalicelib.usecases import print_sheets

    tree = build(county_admin)
    rental_with_tenant(county_admin, tree.micro_a1)
    assigned_worker(county_admin, tree.micro_a1)
    monkeypatch.setattr(print_sheets, "REQUEST_BUDGET_SECONDS", 0.0)
    jobs = [county_admin.post("/api/v1/print-sheets", {"kind": kind, "grid_code": tree.grid_a}
                              ).json["job_id"] for kind in ("rental_boards", "contact_cards")]
    dynamodb_calls.clear()

    summary = sweeps.run("print-sheets")
    assert set(jobs) <= set(summary["finished"])
    assert_declared("print-sheets", dynamodb_calls)

"""What waits (GET /case-waiting) comes from counters every case change keeps; here
checked against the inboxes it counts, under concurrent writes, for cases written
before the counts existed (the backfill), and with a database that is down. Each
test has a county of its own (tests/api/ledger_tree.py)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api import ledger_tree
from tests.api.test_case_write_conflicts import conflicts  # noqa: F401 (a fixture)
from tests.api.test_database_unavailable import (  # noqa: F401 (fixtures)
    assert_unavailable,
    closed_port,
    database_at,
)
from tests.conftest import ApiClient, new_phone

BOXES = {"reported": ("subtree", "reported"), "handled": ("subtree", "handled"),
         "overdue": ("overdue", None), "escalated": ("escalated", None)}


@pytest.fixture
def town(county_admin):
    """A tree of one's own, its micro-grid's worker (an account of a worker) and the
    first village's leader."""
    from chalicelib.usecases import bootstrap

    tree = ledger_tree.build(county_admin)
    worker = ledger_tree.assigned_worker(county_admin, tree.micro_a1)
    phone = new_phone()
    bootstrap.ensure_user(phone=phone, name="微网格员", role="grid_worker",
                          scope_code=tree.micro_a1, password="Tester#2026",
                          worker_id=worker["worker_id"], must_change_password=False)
    return (tree, ApiClient().login(phone, "Tester#2026"), worker,
            ledger_tree.user_in(tree.village_a, "grid_leader"))


def report(client, grid):
    answer = client.post("/api/v1/cases", {"category": "sanitation", "grid_code": grid,
                                           "description": "路边垃圾堆放"})
    assert answer.status == 201, answer.body
    return answer.json


def step(client, case, action, **fields):
    answer = client.post(f"/api/v1/cases/{case['case_id']}/transitions",
                         {"action": action, "version": case["version"], **fields})
    assert answer.status == 200, answer.body
    return answer.json


def waiting(client, scope=None):
    answer = client.get("/api/v1/case-waiting" + (f"?scope={scope}" if scope else ""))
    assert answer.status == 200, answer.body
    return answer.json


def listed(client, scope, box, state=None):
    query = f"box={box}&scope={scope}&limit=100" + (f"&state={state}" if state else "")
    return len(client.get(f"/api/v1/cases?{query}").json["items"])


def test_the_counts_follow_the_loop_and_equal_the_lists_they_count(town):
    tree, worker, worker_record, leader = town
    first, second, third = (report(worker, tree.micro_a1) for _ in range(3))
    assert waiting(leader) | {"scope": None} == {
        "scope": None, "reported": 3, "registered": 0, "dispatched": 0, "in_progress": 0,
        "handled": 0, "verified": 0, "overdue": 0, "escalated": 0, "mine": None,
        "mine_overdue": None}
    dispatched = step(leader, step(leader, first, "register"), "dispatch",
                      worker_id=worker_record["worker_id"])
    step(worker, step(worker, dispatched, "accept"), "handle", note="已清运")
    step(leader, second, "escalate", note="需村里协调")  # up to the village, still reported
    counts = waiting(leader)
    assert (counts["reported"], counts["handled"], counts["escalated"]) == (2, 1, 1)
    for name, (box, state) in BOXES.items():
        assert counts[name] == listed(leader, tree.village_a, box, state), name
    town_counts = waiting(ledger_tree.user_in(tree.town, "dispatcher"))
    assert (town_counts["reported"], town_counts["escalated"]) == (2, 0)
    mine = waiting(worker)
    assert (mine["scope"], mine["mine"], mine["mine_overdue"]) == (tree.micro_a1, 1, 0)
    assert mine["mine"] == len(worker.get("/api/v1/cases?box=mine").json["items"])
    assert third["state"] == "reported"


def test_the_counts_of_a_grid_inside_the_scope_and_refusals(town):
    tree, worker, _, leader = town
    report(worker, tree.micro_a1)
    assert waiting(leader, tree.micro_a2)["reported"] == 0
    assert waiting(leader, tree.micro_a1)["reported"] == 1
    answer = leader.get(f"/api/v1/case-waiting?scope={tree.village_b}")
    assert answer.status == 403, answer.body
    answer = leader.get("/api/v1/case-waiting?scope=14x")
    assert answer.status == 400 and answer.error["details"][0]["field"] == "scope"
    answer = leader.get("/api/v1/case-waiting?grid=140825")
    assert answer.status == 400 and answer.error["details"][0]["field"] == "grid"


def test_concurrent_steps_keep_the_counts_exact(town, conflicts):  # noqa: F811
    tree, worker, _, leader = town
    cases = [report(worker, tree.micro_a1) for _ in range(12)]
    conflicts(10)  # writers meeting on the village's and town's counter items
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda case: leader.post(
            f"/api/v1/cases/{case['case_id']}/transitions",
            {"action": "register", "version": case["version"]}), cases[:8]))
    assert [a.status for a in answers] == [200] * 8, [a.body for a in answers]
    counts = waiting(leader)
    assert (counts["reported"], counts["registered"]) == (4, 8)
    assert counts["registered"] == listed(leader, tree.village_a, "subtree", "registered")


def test_steps_on_one_case_at_once_count_the_one_that_won(town):
    tree, worker, _, leader = town
    case = report(worker, tree.micro_a1)
    others = [ledger_tree.user_in(tree.village_a, "grid_leader") for _ in range(3)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda client: client.post(
            f"/api/v1/cases/{case['case_id']}/transitions",
            {"action": "register", "version": case["version"]}), [leader, *others]))
    assert sorted(a.status for a in answers) == [200, 409, 409, 409], [a.body for a in answers]
    counts = waiting(leader)
    assert (counts["reported"], counts["registered"]) == (0, 1)


def test_cases_written_before_the_counts_are_counted_once_by_the_backfill(town):
    from chalicelib.store import cases as case_store
    from chalicelib.usecases import case_statistics

    tree, worker, worker_record, leader = town
    old = [report(worker, tree.micro_a1) for _ in range(3)]
    dispatched = step(leader, step(leader, old[2], "register"), "dispatch",
                      worker_id=worker_record["worker_id"])
    forget_counts(tree, worker_record["worker_id"], [c["case_id"] for c in old])
    assert waiting(leader)["reported"] == 0
    # Changed before the backfill: its change counts it.
    step(leader, old[0], "register")
    assert (waiting(leader)["registered"], waiting(leader)["reported"]) == (1, 0)
    assert case_statistics.count_waiting_of(tree.county) == 2
    assert case_statistics.count_waiting_of(tree.county) == 0  # nothing twice
    counts = waiting(leader)
    assert (counts["reported"], counts["registered"], counts["dispatched"]) == (1, 1, 1)
    assert waiting(worker)["mine"] == 1
    assert case_store.get(dispatched["case_id"]).counted


def test_a_case_never_counted_stays_so_when_its_grid_moves_and_is_counted_there(town):
    from chalicelib.store import cases as case_store
    from chalicelib.usecases import case_statistics

    tree, worker, worker_record, _ = town
    old = report(worker, tree.micro_a1)
    forget_counts(tree, worker_record["worker_id"], [old["case_id"]])
    assert case_store.move_some(tree.grid_a, tree.grid_b, 10) == 1
    moved = case_store.get(old["case_id"])
    assert (moved.case.handling_grid, moved.counted) == (f"{tree.grid_b}01", False)
    assert case_statistics.count_waiting_of(tree.county) == 1
    dispatcher = ledger_tree.user_in(tree.town, "dispatcher")
    assert waiting(dispatcher, tree.village_b)["reported"] == 1
    assert waiting(dispatcher, tree.village_a)["reported"] == 0


def forget_counts(tree, worker_id, case_ids):
    """What a case written before this change looks like: unmarked, uncounted."""
    from chalicelib.domain import case_waiting
    from chalicelib.store import cases as case_store
    from chalicelib.store import counters

    for case_id in case_ids:
        case_store.CaseModel(case_id).update(
            actions=[case_store.CaseModel.waiting_counted.remove()])
    for code in (tree.county, tree.town, tree.village_a, tree.grid_a, tree.micro_a1,
                 counters.owner_key("worker", worker_id)):
        counters.CounterModel(code, case_waiting.BUCKET).delete()


def test_a_database_that_is_down_is_503(town, database_at, closed_port):  # noqa: F811
    _, _, _, leader = town
    database_at(closed_port)
    assert_unavailable(leader.get("/api/v1/case-waiting"))

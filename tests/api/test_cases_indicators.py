"""Indicators come from counters kept with every case change; here they are
checked against a brute-force count over the cases and their timelines.
The cases live in village 140825102219, which no other test touches."""

import random
from collections import Counter

from chalicelib.domain import case_indicators, grid_codes

VILLAGE, TOWN = "140825102219", "140825102"


def brute_force(case_ids):
    """Counts per month bucket, and the gauges, straight from the cases and timelines."""
    from chalicelib.store import cases as case_store

    months: dict[str, Counter] = {}
    gauges = Counter()

    def add(moment, name, amount=1):
        months.setdefault(case_indicators.month_of(moment), Counter())[name] += amount

    steps = {"register": "registered", "reject": "rejected", "handle": "handled",
             "verify": "verified", "send_back": "rework", "escalate": "escalated",
             "reopen": "reopened"}
    for case_id in case_ids:
        case = case_store.get(case_id).case
        timeline = case_store.timeline(case_id)
        add(case.reported_at, "reported")
        for event in timeline:
            if event.action in steps:
                add(event.at, steps[event.action])
        if case.registered_at is not None:
            add(case.close_due_at, "due_to_close")
        closes = [e for e in timeline if e.action == "close"]
        if closes:
            first = closes[0]
            add(first.at, "closed")
            add(first.at, "close_seconds", int((first.at - case.reported_at).total_seconds()))
            add(first.at, f"resolved_{grid_codes.level_of(first.from_grid).key}")
            if first.at <= case.close_due_at:
                add(case.close_due_at, "closed_on_time")
            if case.satisfaction:
                add(first.at, case.satisfaction)
        gauges["open"] += case.is_open
        gauges["overdue"] += case.is_open and case.overdue
    return months, gauges


def test_indicators_equal_a_brute_force_count(demo_town, as_role):
    from chalicelib.domain.callers import Caller
    from chalicelib.errors import WanggeError
    from chalicelib.schemas.cases import CaseCreate, Transition
    from chalicelib.store import counters
    from chalicelib.usecases import cases

    rng = random.Random(2026)
    workers = {w["grid_code"]: w["worker_id"] for w in demo_town.workers}
    micro_grids = sorted(code for code in workers if code.startswith(VILLAGE)
                         and len(code) == 16)
    leader = Caller(user_id="u-ind-leader", role="grid_leader", scope_code=VILLAGE,
                    worker_id=workers[VILLAGE])
    supervisor = Caller(user_id="u-ind-supervisor", role="supervisor", scope_code=TOWN)
    dispatcher = Caller(user_id="u-ind-dispatcher", role="dispatcher", scope_code=TOWN)

    def handler_of(case):
        return Caller(user_id=f"u-{case.handler_worker_id}", role="grid_worker",
                      scope_code=case.handling_grid, worker_id=case.handler_worker_id)

    def act(case, action, actor, **extra):
        return cases.take_transition(actor, case.case_id, Transition(
            action=action, version=case.version, note="说明", **extra))

    case_ids = []
    for n in range(14):
        micro = rng.choice(micro_grids)
        reporter = Caller(user_id=f"u-{workers[micro]}", role="grid_worker", scope_code=micro,
                          worker_id=workers[micro])
        case = cases.create_case(reporter, CaseCreate(
            category=rng.choice(["sanitation", "parking", "dispute"]), grid_code=micro,
            description=f"第{n}件"))
        case_ids.append(case.case_id)
        path = rng.choice(["stay", "reject", "close", "rework", "escalate", "reopen"])
        if path == "stay":
            continue
        if path == "reject":
            act(case, "reject", leader)
            continue
        case = act(case, "register", leader)
        if path == "escalate":
            case = act(case, "escalate", leader)
            case = act(case, "dispatch", dispatcher, worker_id=workers[VILLAGE],
                       grid_code=VILLAGE)
        else:
            case = act(case, "dispatch", leader, worker_id=workers[micro])
        case = act(act(case, "accept", handler_of(case)), "handle", handler_of(case))
        if path == "rework":
            case = act(case, "send_back", supervisor)
            case = act(case, "handle", handler_of(case))
        case = act(act(case, "verify", supervisor), "close", supervisor)
        if rng.random() < 0.5:
            cases.rate(supervisor, case.case_id, rng.choice(["satisfied", "dissatisfied"]),
                       None)
        if path == "reopen":
            case = act(case, "reopen", supervisor)
            case = act(case, "handle", handler_of(case))
            case = act(act(case, "verify", supervisor), "close", dispatcher)
        try:  # a step that is not allowed changes no count
            act(case, "close", leader)
        except WanggeError:
            pass

    months, gauges = brute_force(case_ids)
    assert sum(m["reported"] for m in months.values()) == 14
    for month, expected in months.items():
        counted = counters.read(VILLAGE, case_indicators.bucket(month))
        assert counted == {k: v for k, v in expected.items() if v}, month
        # Rolled up: the town holds at least the village's counts (other tests add theirs).
        town = counters.read(TOWN, case_indicators.bucket(month))
        assert all(town.get(k, 0) >= v for k, v in expected.items()), month
    assert counters.read(VILLAGE, case_indicators.GAUGES) == {k: v for k, v in gauges.items()
                                                              if v}
    # The API serves the same figures, and the rates made of them.
    month = case_indicators.month_of(max(cases.get_case(leader, c).reported_at
                                         for c in case_ids))
    served = as_role("grid_leader").get(f"/api/v1/case-indicators?grid={VILLAGE}"
                                        f"&month={month}")
    assert served.status == 403  # the demo leader's village is 140825102201
    served = as_role("town_admin").get(f"/api/v1/case-indicators?grid={VILLAGE}&month={month}")
    assert served.status == 200
    body = served.json
    assert body["counts"] == {k: v for k, v in months[month].items() if v}
    assert body["open_now"] == gauges["open"]
    assert body["rates"] == case_indicators.rates(body["counts"])


def test_cases_move_with_their_grid(county_admin):
    """A subtree move re-codes the cases located in it and their hotline callbacks
    (store/grid_moves.py's contract: found by an index, rewritten once)."""
    from chalicelib.domain.callers import Caller
    from chalicelib.domain.case_callbacks import Callback
    from chalicelib.schemas.cases import CaseCreate, Transition
    from chalicelib.store import case_callbacks
    from chalicelib.store import cases as case_store
    from chalicelib.store import grids as grid_store
    from chalicelib.usecases import cases

    county = county_admin.county
    town, old_village, new_village = f"{county}101", f"{county}101201", f"{county}101202"
    micro = f"{old_village}0101"
    for code in (town, old_village, new_village, old_village + "01", micro):
        grid_store.create(grid_store.build(code, "网格"))
    reporter = Caller(user_id="u-move", role="county_admin", scope_code=county)
    case = cases.create_case(reporter, CaseCreate(category="parking", grid_code=micro,
                                                  description="搬迁测试"))
    cases.take_transition(reporter, case.case_id, Transition(
        action="escalate", version=0, note="上报到镇"))
    cases.take_transition(reporter, case.case_id, Transition(
        action="escalate", version=1, note="上报到镇"))
    callback = Callback.owed(callback_id=f"move-{case.case_id}", case_id=case.case_id,
                             ticket_id="t", url="https://example.invalid/",
                             payload="{}", grid_code=micro, now=case.reported_at)
    case_callbacks.put(callback)
    assert case_store.move_some(old_village, new_village, 10) == 1
    assert case_callbacks.move_some(old_village, new_village, 10) == 1
    assert case_callbacks.move_some(old_village, new_village, 10) == 0
    assert case_callbacks.get(callback.callback_id).grid_code == f"{new_village}0101"
    moved = case_store.get(case.case_id).case
    assert (moved.location_grid, moved.handling_grid) == (f"{new_village}0101", town)
    assert case_store.move_some(old_village, new_village, 10) == 0  # done: found no more
    assert cases.get_case(reporter, case.case_id).location_grid == f"{new_village}0101"

"""The waiting counts' deltas (domain/case_waiting.py), without a database: each
change's deltas, and random runs of the loop where the counts, rolled up as the
counter store rolls them, equal a count over the cases."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from chalicelib.domain import case_flow, case_waiting, grid_codes
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_categories import DEFAULT_BY_CODE
from chalicelib.domain.case_flow import Case
from chalicelib.errors import Forbidden, InvalidInput
from chalicelib.store import counters

TOWN = "140825102"
VILLAGES = ("140825102201", "140825102202")
MICROS = ("1408251022010101", "1408251022010102", "1408251022020101")
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
REOPEN = timedelta(days=15)


@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str
    grid_code: str
    status: str = "active"


WORKERS = [Worker(f"w{n}", f"网格员{n}", code) for n, code in enumerate(MICROS)] + [
    Worker("w9", "三泉村网格长", VILLAGES[0]), Worker("w8", "二村网格长", VILLAGES[1])]
ACTORS = [Caller(f"u-{w.worker_id}", "grid_worker", w.grid_code, worker_id=w.worker_id)
          for w in WORKERS[:3]] + [
    Caller("u-w9", "grid_leader", VILLAGES[0], worker_id="w9"),
    Caller("u-w8", "grid_leader", VILLAGES[1], worker_id="w8"),
    Caller("u-dispatcher", "dispatcher", TOWN),
    Caller("u-supervisor", "supervisor", TOWN)]


def new_case(case_id: str, grid: str, at: datetime) -> case_flow.Outcome:
    case = Case(case_id=case_id, category="sanitation", source="worker", description="垃圾",
                priority="normal", location_grid=grid, handling_grid=grid, reported_at=at,
                reported_by="u-w0", limits=DEFAULT_BY_CODE["sanitation"].limits())
    return case_flow.report(case, ACTORS[0], at)


def apply(counts: dict, outcome: case_flow.Outcome) -> None:
    """What store/cases.commit adds to the counters, kept in a dict."""
    before, after = outcome.before, outcome.case
    for (grid, bucket), deltas in counters.merge(case_waiting.changes(before, after)).items():
        counts.setdefault((grid, bucket), Counter()).update(deltas)
    for worker_id, deltas in case_waiting.handler_changes(before, after):
        counts.setdefault((f"worker#{worker_id}", case_waiting.BUCKET), Counter()).update(deltas)


def counted_over(cases: list[Case]) -> dict:
    """The same counts read straight off the cases."""
    found: dict = {}
    for case in cases:
        if not case.is_open:
            continue
        for code in counters.lineage(case.handling_grid):
            found.setdefault((code, case_waiting.BUCKET), Counter()).update(
                {case.state: 1, "overdue": int(case.overdue),
                 **({f"escalated_{grid_codes.level_of(case.handling_grid).key}": 1}
                    if case.escalated else {})})
        if case.handler_worker_id:
            found.setdefault((f"worker#{case.handler_worker_id}", case_waiting.BUCKET),
                             Counter()).update({"open": 1, "overdue": int(case.overdue)})
    return found


def nonzero(counts: dict) -> dict:
    return {key: {name: n for name, n in values.items() if n}
            for key, values in counts.items() if any(values.values())}


def test_a_new_case_waits_to_be_registered_where_it_happened():
    outcome = new_case("c1", MICROS[0], NOW)
    assert case_waiting.changes(None, outcome.case) == [
        (MICROS[0], "cases_open", {"reported": 1})]
    assert case_waiting.handler_changes(None, outcome.case) == []


def test_a_dispatch_moves_the_case_between_states_and_to_its_worker():
    case = new_case("c1", MICROS[0], NOW).case
    case = case_flow.take(case, "register", ACTORS[3], NOW).case
    outcome = case_flow.take(case, "dispatch", ACTORS[3], NOW, worker=WORKERS[0])
    assert case_waiting.changes(outcome.before, outcome.case) == [
        (MICROS[0], "cases_open", {"dispatched": 1, "registered": -1})]
    assert case_waiting.handler_changes(outcome.before, outcome.case) == [("w0", {"open": 1})]
    # Reassigned (改派): it leaves one worker's count and joins the other's.
    again = case_flow.take(outcome.case, "dispatch", ACTORS[3], NOW, worker=WORKERS[3],
                           grid_code=VILLAGES[0])
    assert case_waiting.handler_changes(again.before, again.case) == [
        ("w0", {"open": -1}), ("w9", {"open": 1})]


def test_an_escalation_leaves_the_micro_grid_and_waits_at_the_village():
    case = new_case("c1", MICROS[0], NOW).case
    outcome = case_flow.take(case, "escalate", ACTORS[3], NOW, note="需村里协调")
    assert case_waiting.changes(outcome.before, outcome.case) == [
        (MICROS[0], "cases_open", {"reported": -1}),
        (VILLAGES[0], "cases_open", {"escalated_village": 1, "reported": 1})]
    rolled = counters.merge(case_waiting.changes(None, case) +
                            case_waiting.changes(outcome.before, outcome.case))
    assert case_waiting.escalated_to(rolled[(VILLAGES[0], "cases_open")], VILLAGES[0]) == 1
    assert case_waiting.escalated_to(rolled[(TOWN, "cases_open")], TOWN) == 0


def test_a_case_never_counted_counts_as_new_on_its_next_change():
    case = case_flow.take(new_case("c1", MICROS[0], NOW).case, "register", ACTORS[3], NOW).case
    outcome = case_flow.take(case, "dispatch", ACTORS[3], NOW, worker=WORKERS[0])
    assert case_waiting.changes(None, outcome.case) == [
        (MICROS[0], "cases_open", {"dispatched": 1})]


def test_a_closed_or_rejected_case_waits_nowhere():
    rejected = case_flow.take(new_case("c1", MICROS[0], NOW).case, "reject", ACTORS[3], NOW,
                              note="重复上报")
    assert case_waiting.standing(rejected.case) == {}
    assert case_waiting.changes(rejected.before, rejected.case) == [
        (MICROS[0], "cases_open", {"reported": -1})]


def random_step(rng: random.Random, case: Case, now: datetime) -> case_flow.Outcome | None:
    """One step someone may take on the case now (the deadline sweep's now and then), or
    None when nobody may take one."""
    if rng.random() < 0.15:
        return case_flow.deadline_step(case, now + timedelta(days=rng.choice([1, 3, 10])))
    choices = [(actor, action) for actor in ACTORS
               for action in case_flow.allowed_actions(case, actor, now, REOPEN)]
    if not choices:
        return None
    actor, action = rng.choice(choices)
    serving = [w for w in WORKERS if w.grid_code.startswith(case.handling_grid)
               and case.location_grid.startswith(w.grid_code[:len(case.handling_grid)])]
    try:
        return case_flow.take(case, action, actor, now, note="说明",
                              worker=rng.choice(serving) if serving else None,
                              reopen_window=REOPEN)
    except (Forbidden, InvalidInput):  # no worker serves the grid it is handled at
        return None


@pytest.mark.parametrize("seed", range(30))
def test_random_runs_of_the_loop_count_exactly_what_waits(seed):
    rng = random.Random(seed)
    counts: dict = {}
    cases: dict[str, Case] = {}
    now = NOW
    for n in range(120):
        now += timedelta(minutes=rng.randint(1, 600))
        if not cases or rng.random() < 0.2:
            outcome = new_case(f"c{n}", rng.choice(MICROS), now)
        else:
            outcome = random_step(rng, cases[rng.choice(sorted(cases))], now)
            if outcome is None:
                continue
        cases[outcome.case.case_id] = outcome.case
        apply(counts, outcome)
    assert nonzero(counts) == nonzero(counted_over(list(cases.values())))
    assert all(n >= 0 for values in counts.values() for n in values.values())

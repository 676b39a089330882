"""The deadline sweep: warns before, marks overdue and escalates after, reads
only the hour buckets that are due, and never does anything twice — run again,
run late, or resumed after a crash. Its clock is set in June 2025, where no
other test's cases live."""

from datetime import datetime, timedelta

import pytest
from chalicelib.domain.deadlines import SHANGHAI

MICRO, VILLAGE, TOWN = "1408251022180101", "140825102218", "140825102"
MONDAY = datetime(2025, 6, 2, 9, tzinfo=SHANGHAI)


@pytest.fixture
def at(demo_town, monkeypatch):
    """at(moment): the use cases' clock; the sweep's mark starts from scratch."""
    from chalicelib import clock
    from chalicelib.store.sweep_marks import SweepMarkModel
    from chalicelib.usecases import case_deadlines

    SweepMarkModel(name=case_deadlines.NAME).delete()
    now = {"value": MONDAY}
    monkeypatch.setattr(clock, "now", lambda: now["value"])

    def move(moment):
        now["value"] = moment
        return moment
    return move


def worker_of(town, grid_code):
    return next(w["worker_id"] for w in town.workers if w["grid_code"] == grid_code)


def new_case(category="parking"):  # parking: 4 hours to dispatch
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import CaseCreate
    from chalicelib.usecases import cases

    worker = Caller(user_id="u-sweep-worker", role="grid_worker", scope_code=MICRO)
    return cases.create_case(worker, CaseCreate(category=category, grid_code=MICRO,
                                                description="占道")).case_id


def actions(case_id):
    from chalicelib.store import cases as case_store

    return [e.action for e in case_store.timeline(case_id)]


def sweep(moment):
    from chalicelib.usecases import case_deadlines

    return case_deadlines.sweep(moment)


def test_warn_before_then_overdue_and_escalate_after_each_once(at):
    from chalicelib.store import cases as case_store

    case_id = new_case()
    sweep(at(MONDAY + timedelta(hours=2, minutes=59)))
    assert actions(case_id) == ["report"]
    sweep(at(MONDAY + timedelta(hours=3, minutes=1)))  # a quarter of the 4 hours left
    sweep(at(MONDAY + timedelta(hours=3, minutes=30)))
    assert actions(case_id) == ["report", "deadline_warning"]
    sweep(at(MONDAY + timedelta(hours=4, minutes=1)))
    sweep(at(MONDAY + timedelta(hours=4, minutes=2)))
    assert actions(case_id) == ["report", "deadline_warning", "overdue", "escalate"]
    case = case_store.get(case_id).case
    assert (case.handling_grid, case.state, case.late_stages, case.overdue) == (
        VILLAGE, "reported", 1, False)
    # The village gets its own 4 hours, then the case goes on to the town.
    sweep(at(MONDAY + timedelta(hours=8, minutes=3)))
    assert case_store.get(case_id).case.handling_grid == TOWN


def test_a_town_case_past_due_is_overdue_now_and_in_the_overdue_inbox(at, demo_town):
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import CaseListQuery, Transition
    from chalicelib.store import cases as case_store
    from chalicelib.usecases import case_statistics, cases

    dispatcher = Caller(user_id="u-sweep-dispatcher", role="dispatcher", scope_code=TOWN)
    case_id = new_case()
    for version in (0, 1):
        cases.take_transition(dispatcher, case_id, Transition(action="escalate",
                                                              version=version, note="上报"))
    before = case_statistics.indicators(VILLAGE, None).overdue_now
    sweep(at(MONDAY + timedelta(hours=5)))
    assert actions(case_id)[-1] == "overdue"
    assert case_statistics.indicators(VILLAGE, None).overdue_now == before + 1
    overdue = cases.list_cases(dispatcher, CaseListQuery(box="overdue", limit=200))
    assert case_id in {c.case_id for c in overdue.items}
    # Registering does not end the accept stage; dispatching does, and the lateness stays.
    version = case_store.get(case_id).case.version  # the sweep's step made a new version
    cases.take_transition(dispatcher, case_id, Transition(action="register", version=version))
    detail = cases.take_transition(dispatcher, case_id, Transition(
        action="dispatch", version=version + 1, worker_id=worker_of(demo_town, VILLAGE), grid_code=VILLAGE))
    assert (detail.overdue, detail.late_stages) == (False, 1)
    assert [e.late for e in detail.timeline][-2:] == [True, True]
    assert case_statistics.indicators(VILLAGE, None).overdue_now == before


def test_a_crashed_sweep_resumes_without_doing_anything_twice(at, monkeypatch):
    from chalicelib.usecases import case_deadlines

    first, second = new_case(), new_case()
    real_apply, calls = case_deadlines._apply, []

    def crash_on_the_second(case_id, step):
        calls.append(case_id)
        if len(calls) == 2:
            raise RuntimeError("the Lambda timed out")
        return real_apply(case_id, step)

    monkeypatch.setattr(case_deadlines, "_apply", crash_on_the_second)
    with pytest.raises(RuntimeError):
        sweep(at(MONDAY + timedelta(hours=3, minutes=5)))
    monkeypatch.setattr(case_deadlines, "_apply", real_apply)
    done = [c for c in (first, second) if actions(c)[-1] == "deadline_warning"]
    assert len(done) == 1
    tally = sweep(MONDAY + timedelta(hours=3, minutes=6))
    assert tally["warned"] == 1
    assert actions(first) == actions(second) == ["report", "deadline_warning"]


def test_the_mark_moves_on_only_past_finished_hours(at):
    from chalicelib.store import sweep_marks
    from chalicelib.usecases import case_deadlines

    sweep(at(MONDAY + timedelta(minutes=30)))
    mark = sweep_marks.read(case_deadlines.NAME)
    assert mark == "2025-06-02T00"  # 09:30 in Shanghai is 01:30 UTC: hours before 01 are done
    sweep(MONDAY)  # a slower run does not rewind it
    assert sweep_marks.read(case_deadlines.NAME) == mark


def test_estimated_deadlines_become_exact_when_the_calendar_knows_the_year(at, monkeypatch,
                                                                         demo_town):
    """A deadline in a year the library has no data for is a weekdays-only estimate;
    once the library knows the year (an upgrade, simulated here), the sweep recomputes it."""
    from chalicelib.domain import deadlines
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import Transition
    from chalicelib.store import cases as case_store
    from chalicelib.usecases import cases

    real_is_working_day = deadlines.is_working_day

    def before_2026_is_unknown(day):
        if day.year == 2025 and day.month == 6 and day.day >= 10:
            return day.weekday() < 5, False
        return real_is_working_day(day)

    monkeypatch.setattr(deadlines, "is_working_day", before_2026_is_unknown)
    leader = Caller(user_id="u-sweep-leader", role="grid_leader", scope_code=VILLAGE)
    case_id = new_case(category="illegal_building")  # 10 working days to handle
    cases.take_transition(leader, case_id, Transition(action="register", version=0))
    estimated = cases.take_transition(leader, case_id, Transition(
        action="dispatch", version=1, worker_id=worker_of(demo_town, VILLAGE), grid_code=VILLAGE))
    assert estimated.due_estimated
    assert case_store.find(case_id) is not None
    monkeypatch.setattr(deadlines, "is_working_day", real_is_working_day)
    monkeypatch.setattr(deadlines, "known_year", lambda year: year == 2025)
    assert case_id in set(case_store.with_estimate(2025))
    tally = sweep(at(MONDAY + timedelta(hours=1)))
    assert tally["recomputed"] >= 1
    exact = case_store.get(case_id).case
    assert not exact.due_estimated and not exact.close_due_estimated
    # The real 2025 calendar: the Dragon Boat Festival (Mon 2 June) was a holiday, so
    # ten working days from Monday 2 June end on Monday 16 June.
    assert exact.due_at == datetime(2025, 6, 17, tzinfo=SHANGHAI)
    assert actions(case_id)[-1] == "deadline_recomputed"
    assert case_id not in set(case_store.with_estimate(2025))

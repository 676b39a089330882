"""The case state machine, who may take each step, and the deadline step, without a database."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from chalicelib.domain import case_events, case_flow, case_indicators
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_categories import DEFAULT_BY_CODE
from chalicelib.domain.case_flow import Case
from chalicelib.errors import Conflict, Forbidden, InvalidInput

MICRO, VILLAGE, TOWN = "1408251022010101", "140825102201", "140825102"
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str
    grid_code: str
    status: str = "active"


WORKER = Caller("u-worker", "grid_worker", MICRO, worker_id="w2")
LEADER = Caller("u-leader", "grid_leader", VILLAGE, worker_id="w1")
DISPATCHER = Caller("u-dispatcher", "dispatcher", TOWN)
SUPERVISOR = Caller("u-supervisor", "supervisor", TOWN)
W2, W1 = Worker("w2", "微网格员", MICRO), Worker("w1", "网格长", VILLAGE)


def new_case(**extra):
    case = Case(case_id="c1", category="sanitation", source="worker", description="垃圾堆放",
                priority="normal", location_grid=MICRO, handling_grid=MICRO, reported_at=NOW,
                reported_by=WORKER.user_id, limits=DEFAULT_BY_CODE["sanitation"].limits(),
                **extra)
    return case_flow.report(case, WORKER, NOW).case


def step(case, action, actor, minutes=10, **options):
    options.setdefault("note", "说明")
    return case_flow.take(case, action, actor, NOW + timedelta(minutes=minutes), **options).case


def test_the_whole_loop_with_rework():
    case = new_case()
    assert (case.state, case.due_at is not None) == ("reported", True)
    case = step(case, "register", LEADER)
    assert case.close_due_at is not None
    case = step(case, "dispatch", LEADER, worker=W2)
    case = step(case, "accept", WORKER)
    case = step(case, "handle", WORKER)
    case = step(case, "send_back", SUPERVISOR, note="照片不清楚")
    assert (case.state, case.rework_count) == ("in_progress", 1)
    case = step(case, "handle", WORKER)
    case = step(case, "verify", LEADER)
    case = step(case, "close", SUPERVISOR)
    assert case.state == "closed" and case.version == 8 and case.late_stages == 0
    assert case.due_at is None and case.next_check_at is None


def test_escalation_goes_micro_grid_to_village_to_town_and_no_further():
    case = step(step(new_case(), "register", LEADER), "dispatch", LEADER, worker=W2)
    case = step(case, "escalate", WORKER, note="需要村里协调")
    assert (case.handling_grid, case.state, case.handler_worker_id) == (VILLAGE, "registered",
                                                                        None)
    # The micro-grid worker no longer handles it and may not move it.
    with pytest.raises(Forbidden):
        step(case, "escalate", WORKER)
    case = step(case, "escalate", LEADER, note="村里无法解决")
    assert case.handling_grid == TOWN and case.escalation_count == 2
    with pytest.raises(Conflict) as raised:
        step(case, "escalate", DISPATCHER)
    assert raised.value.details == [{"field": "state", "message": "registered"}]
    # The town dispatches back down to the village's leader.
    case = step(case, "dispatch", DISPATCHER, worker=W1, grid_code=VILLAGE)
    assert (case.handling_grid, case.escalated) == (VILLAGE, False)


def test_an_illegal_transition_names_the_current_state():
    case = new_case()
    with pytest.raises(Conflict) as raised:
        step(case, "close", SUPERVISOR)
    assert raised.value.code == "illegal_transition" and "reported" in raised.value.message


def test_whoever_handled_it_may_not_verify_or_close_it():
    # The leader dispatches to himself (he is a worker of the village) and handles it.
    case = step(step(new_case(), "register", LEADER), "dispatch", LEADER, worker=W1,
                grid_code=VILLAGE)
    case = step(step(case, "accept", LEADER), "handle", LEADER)
    for action in ("verify", "send_back"):
        with pytest.raises(Forbidden) as raised:
            step(case, action, LEADER)
        assert raised.value.code == "verifier_is_handler"
    case = step(case, "verify", SUPERVISOR)
    with pytest.raises(Forbidden):
        step(case, "close", LEADER)


def test_roles_and_scope_decide_who_acts():
    case = new_case()
    with pytest.raises(Forbidden) as raised:
        step(case, "register", WORKER)
    assert raised.value.code == "role_denied"
    other_leader = Caller("u-other", "grid_leader", "140825102202")
    with pytest.raises(Forbidden) as raised:
        step(case, "register", other_leader)
    assert raised.value.code == "out_of_scope"
    assert not case_flow.visible_to(case, other_leader)
    case = step(case, "register", LEADER)
    # Dispatch only to an active worker serving the grid.
    with pytest.raises(InvalidInput):
        step(case, "dispatch", LEADER, worker=Worker("w9", "外人", "1408251022010102"))
    with pytest.raises(InvalidInput):
        step(case, "dispatch", LEADER, worker=Worker("w3", "离职", MICRO, status="left"))
    # Nobody but the handler accepts.
    case = step(case, "dispatch", LEADER, worker=W2)
    with pytest.raises(Forbidden):
        step(case, "accept", DISPATCHER)


def test_reopen_only_by_a_supervisor_within_the_window():
    case = step(step(new_case(), "register", LEADER), "dispatch", LEADER, worker=W2)
    case = step(step(step(case, "accept", WORKER), "handle", WORKER), "verify", LEADER)
    case = step(case, "close", LEADER, minutes=20)
    window = timedelta(days=15)
    with pytest.raises(Forbidden):
        step(case, "reopen", LEADER, reopen_window=window)
    with pytest.raises(Conflict) as raised:
        step(case, "reopen", SUPERVISOR, minutes=16 * 24 * 60, reopen_window=window)
    assert raised.value.code == "reopen_window_passed"
    reopened = step(case, "reopen", SUPERVISOR, minutes=60, reopen_window=window)
    assert (reopened.state, reopened.reopen_count, reopened.handler_worker_id) == (
        "in_progress", 1, "w2")
    assert case_flow.allowed_actions(case, SUPERVISOR, NOW, window) == ["reopen"]


def test_allowed_actions_are_what_the_screen_offers():
    case = step(step(new_case(), "register", LEADER), "dispatch", LEADER, worker=W2)
    window = timedelta(days=15)
    assert case_flow.allowed_actions(case, WORKER, NOW, window) == ["accept", "escalate"]
    assert case_flow.allowed_actions(case, LEADER, NOW, window) == ["dispatch", "escalate"]
    assert case_flow.allowed_actions(case, SUPERVISOR, NOW, window) == []


def test_the_deadline_step_warns_then_marks_overdue_and_escalates():
    case = new_case()  # accept stage: 24 hours
    assert case_flow.deadline_step(case, NOW + timedelta(hours=17)) is None
    warned = case_flow.deadline_step(case, NOW + timedelta(hours=18, minutes=1))
    assert [e.action for e in warned.events] == ["deadline_warning"]
    assert warned.case.next_check_at == case.due_at
    assert case_flow.deadline_step(warned.case, NOW + timedelta(hours=19)) is None
    late = case_flow.deadline_step(warned.case, NOW + timedelta(hours=25))
    assert [e.action for e in late.events] == ["overdue", "escalate"]
    escalated = late.case
    assert (escalated.handling_grid, escalated.late_stages, escalated.overdue) == (VILLAGE, 1,
                                                                                   False)
    assert escalated.due_at > NOW + timedelta(hours=25)


def test_a_close_is_a_case_closed_event_and_other_steps_are_none():
    case = step(step(step(new_case(), "register", LEADER), "dispatch", LEADER, worker=W2),
                "accept", WORKER)
    assert case_events.of(case_flow.take(case, "handle", WORKER, NOW, note="已清理")) == []
    verified = step(step(case, "handle", WORKER), "verify", LEADER)
    closing = case_flow.take(verified, "close", SUPERVISOR, NOW + timedelta(hours=1),
                             note="已办结")
    assert case_events.of(closing) == [case_events.CaseClosed(
        case=closing.case, at=NOW + timedelta(hours=1), note="已办结")]


def test_a_missed_deadline_is_overdue_then_escalated_by_the_deadline():
    case = new_case()
    late = case_flow.deadline_step(case, NOW + timedelta(hours=25))
    assert case_events.of(late) == [
        case_events.CaseOverdue(case=late.case, at=NOW + timedelta(hours=25), stage="accept"),
        case_events.CaseEscalated(case=late.case, at=NOW + timedelta(hours=25), from_grid=MICRO,
                                  to_grid=VILLAGE, by_deadline=True)]
    dispatched = step(step(case, "register", LEADER), "dispatch", LEADER, worker=W2)
    by_hand = case_flow.take(dispatched, "escalate", WORKER, NOW, note="处理不了")
    assert case_events.of(by_hand) == [case_events.CaseEscalated(
        case=by_hand.case, at=NOW, from_grid=MICRO, to_grid=VILLAGE, by_deadline=False)]


def test_a_town_case_past_due_stays_overdue_and_is_not_checked_again():
    case = step(step(new_case(), "escalate", LEADER), "escalate", DISPATCHER)
    assert case.handling_grid == TOWN
    late = case_flow.deadline_step(case, case.due_at + timedelta(minutes=1))
    assert [e.action for e in late.events] == ["overdue"]
    assert late.case.overdue and late.case.next_check_at is None
    # Lateness is frozen when the stage ends, whatever happens later.
    registered = step(late.case, "register", DISPATCHER, minutes=3 * 24 * 60)
    assert registered.late_stages == 0  # registering does not end the accept stage
    dispatched = step(registered, "dispatch", DISPATCHER, minutes=3 * 24 * 60, worker=W1)
    assert dispatched.late_stages == 1 and not dispatched.overdue


def test_indicator_changes_follow_the_case():
    case = new_case()
    created = case_indicators.changes(None, case, [])
    assert (MICRO, "cases#2026-11", {"reported": 1}) in created
    assert (MICRO, "cases", {"open": 1}) in created
    outcome = case_flow.take(case, "register", LEADER, NOW, note=None)
    changes = case_indicators.changes(outcome.before, outcome.case, outcome.events)
    assert (MICRO, "cases#2026-11", {"registered": 1}) in changes
    due_month = case_indicators.month_of(outcome.case.close_due_at)
    assert (MICRO, f"cases#{due_month}", {"due_to_close": 1}) in changes


def test_rates_are_none_without_a_denominator():
    assert case_indicators.rates({})["closed_on_time_rate"] is None
    rates = case_indicators.rates({"due_to_close": 4, "closed_on_time": 3, "closed": 2,
                                   "resolved_micro": 1, "resolved_village": 1,
                                   "close_seconds": 7200 * 2, "handled": 5, "rework": 1})
    assert rates["closed_on_time_rate"] == 0.75 and rates["rework_rate"] == 0.2
    assert rates["resolved_in_micro_grid_rate"] == 0.5
    assert rates["resolved_in_village_rate"] == 1.0 and rates["mean_hours_to_close"] == 2.0

"""The case loop (事件闭环): one explicit state machine, and who may move it.

    reported ─register→ registered ─dispatch→ dispatched ─accept→ in_progress ─handle→ handled
        └─reject→ rejected                                                           │
    handled ─verify→ verified ─close→ closed            handled ─send_back→ in_progress (返工)
    dispatch again from dispatched / in_progress: reassign (改派)
    escalate from reported … in_progress: up one level, micro-grid → village → town
    closed ─reopen→ in_progress: a supervisor, within the reopen window

Who acts: a role acting for the grid the case is handled at (the grid must lie
in the caller's scope), or the handler — the worker the case is dispatched to,
whatever their account's scope. Whoever handled a case may not verify, send
back or close it. Escalation skips the comprehensive-grid level (全科网格):
"小事不出网格、大事不出村" names three levels, micro-grid, village and town.

Every step has a deadline (domain/deadlines.py): a case is always in one stage
(accept, handle, verify) whose due time is stored. When a transition ends a
stage, whether it ended late is frozen into the event and counted on the case,
so nothing done later can hide it. The deadline sweep warns when a quarter of a
stage's time is left and, once it has run out, marks the case overdue and
escalates it (handling and earlier stages) up one level.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from chalicelib.domain import deadlines, grid_codes
from chalicelib.domain.roles import (
    COUNTY_ADMIN,
    DISPATCHER,
    GRID_LEADER,
    GRID_WORKER,
    SUPERVISOR,
    TOWN_ADMIN,
)
from chalicelib.errors import Conflict, Forbidden, InvalidInput

REPORTED, REGISTERED, REJECTED = "reported", "registered", "rejected"
DISPATCHED, IN_PROGRESS, HANDLED = "dispatched", "in_progress", "handled"
VERIFIED, CLOSED = "verified", "closed"
STATES = (REPORTED, REGISTERED, REJECTED, DISPATCHED, IN_PROGRESS, HANDLED, VERIFIED, CLOSED)
OPEN_STATES = frozenset(STATES) - {REJECTED, CLOSED}
STAGE_OF = {REPORTED: "accept", REGISTERED: "accept", DISPATCHED: "handle",
            IN_PROGRESS: "handle", HANDLED: "verify", VERIFIED: "verify"}

SOURCES = ("worker", "resident", "hotline", "patrol", "sweep")
PRIORITIES = ("low", "normal", "high", "urgent")
SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")

# Roles that act for a grid: leaders run the loop, checkers also verify and close.
LEADERS = frozenset({GRID_LEADER, DISPATCHER, TOWN_ADMIN, COUNTY_ADMIN})
CHECKERS = LEADERS | {SUPERVISOR}
REPORTERS = LEADERS | {SUPERVISOR, GRID_WORKER}
COMMENTERS = REPORTERS
SYSTEM = "system"

# Escalation goes to the village from the micro-grid and the comprehensive grid,
# and to the town from the village; no further.
ESCALATION_DEPTH = {4: 2, 3: 2, 2: 1}
ESCALATABLE = frozenset({REPORTED, REGISTERED, DISPATCHED, IN_PROGRESS})


class Actor(Protocol):
    user_id: str
    role: str
    scope_code: str
    name: str
    worker_id: str | None


@dataclass(frozen=True)
class SystemActor:
    user_id: str = SYSTEM
    role: str = SYSTEM
    scope_code: str = ""
    name: str = "系统"
    worker_id: str | None = None


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: decided by the action (escalate)
    roles: frozenset[str]
    handler: bool = False  # the case's handler may take it too
    not_by_handler: bool = False
    needs_note: bool = False
    restarts_stage: bool = False


RULES: dict[str, Rule] = {
    "register": Rule(frozenset({REPORTED}), REGISTERED, LEADERS),
    "reject": Rule(frozenset({REPORTED}), REJECTED, LEADERS, needs_note=True),
    "dispatch": Rule(frozenset({REGISTERED, DISPATCHED, IN_PROGRESS}), DISPATCHED, LEADERS,
                     restarts_stage=True),
    "accept": Rule(frozenset({DISPATCHED}), IN_PROGRESS, frozenset(), handler=True),
    "handle": Rule(frozenset({IN_PROGRESS}), HANDLED, frozenset(), handler=True,
                   needs_note=True),
    "verify": Rule(frozenset({HANDLED}), VERIFIED, CHECKERS, not_by_handler=True),
    "send_back": Rule(frozenset({HANDLED}), IN_PROGRESS, CHECKERS, not_by_handler=True,
                      needs_note=True, restarts_stage=True),
    "close": Rule(frozenset({VERIFIED}), CLOSED, CHECKERS, not_by_handler=True),
    "escalate": Rule(ESCALATABLE, None, LEADERS, handler=True, needs_note=True,
                     restarts_stage=True),
    "reopen": Rule(frozenset({CLOSED}), IN_PROGRESS, frozenset({SUPERVISOR}), needs_note=True,
                   restarts_stage=True),
}
ACTIONS = tuple(RULES)


@dataclass
class Case:
    case_id: str
    category: str
    source: str
    description: str
    priority: str
    location_grid: str  # where it happens; never changes
    handling_grid: str  # the level it is handled at: the location grid or one of its ancestors
    reported_at: datetime
    reported_by: str
    limits: dict[str, str]  # stage → time limit, copied from the category or the ticket
    state: str = REPORTED
    version: int = 0
    lat: float | None = None
    lng: float | None = None
    address: str | None = None
    reporter_name: str | None = None  # a resident's contact: personal data
    reporter_phone: str | None = None
    handler_worker_id: str | None = None
    handler_name: str | None = None
    handled_by: str | None = None  # the user who reported it handled
    registered_at: datetime | None = None
    closed_at: datetime | None = None
    first_closed_at: datetime | None = None
    updated_at: datetime | None = None
    stage_started_at: datetime | None = None
    due_at: datetime | None = None
    due_estimated: bool = False
    warn_at: datetime | None = None
    warned: bool = False
    overdue: bool = False  # the current stage ran out (set by the sweep)
    late_stages: int = 0
    close_due_at: datetime | None = None  # the promised close (按期结案), fixed at registration
    close_due_estimated: bool = False
    rework_count: int = 0
    escalation_count: int = 0
    reopen_count: int = 0
    escalated: bool = False  # waiting at a level it was escalated to
    ticket_id: str | None = None
    first_contact_at: datetime | None = None
    satisfaction: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def next_check_at(self) -> datetime | None:
        """When the deadline sweep must look at this case next (None: never)."""
        if not self.is_open or self.due_at is None or self.overdue:
            return None
        return self.due_at if self.warned else self.warn_at


@dataclass(frozen=True)
class Event:
    action: str
    at: datetime
    actor_id: str
    actor_name: str
    actor_role: str
    from_state: str | None = None
    to_state: str | None = None
    from_grid: str | None = None
    to_grid: str | None = None
    note: str | None = None
    late: bool | None = None  # the running stage was past due when this happened
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    case: Case
    events: list[Event]
    before: Case | None  # None for a new case


def _event(action: str, case: Case, actor: Actor, now: datetime, **extra: Any) -> Event:
    return Event(action=action, at=now, actor_id=actor.user_id, actor_name=actor.name or "",
                 actor_role=actor.role, from_state=case.state, to_state=case.state,
                 late=case.due_at is not None and now > case.due_at if case.is_open else None,
                 **extra)


def illegal(case: Case, action: str) -> Conflict:
    return Conflict(f"Cannot {action} a case that is {case.state}", code="illegal_transition",
                    details=[{"field": "state", "message": case.state}])


def is_handler(case: Case, actor: Actor) -> bool:
    return bool(actor.worker_id) and actor.worker_id == case.handler_worker_id


def visible_to(case: Case, actor: Actor) -> bool:
    return (is_handler(case, actor) or case.handling_grid.startswith(actor.scope_code)
            or case.location_grid.startswith(actor.scope_code))


def check_visible(case: Case, actor: Actor) -> None:
    if not visible_to(case, actor):
        raise Forbidden("Outside your grid scope", code="out_of_scope")


def _check_actor(rule: Rule, case: Case, actor: Actor, action: str) -> None:
    handler = is_handler(case, actor)
    if rule.handler and handler:
        pass
    elif actor.role not in rule.roles:
        raise Forbidden(f"Only the case's handler may {action} it" if not rule.roles
                        else f"A {actor.role} may not {action} a case", code="role_denied")
    elif not case.handling_grid.startswith(actor.scope_code):
        raise Forbidden("The case is handled outside your grid scope", code="out_of_scope")
    if rule.not_by_handler and (handler or actor.user_id == case.handled_by):
        raise Forbidden("Whoever handled a case may not verify or close it",
                        code="verifier_is_handler")


def allowed_actions(case: Case, actor: Actor, now: datetime,
                    reopen_window: timedelta) -> list[str]:
    """The transitions this actor may take on the case now (what a screen offers)."""
    allowed = []
    for action, rule in RULES.items():
        if case.state not in rule.sources:
            continue
        try:
            _check_actor(rule, case, actor, action)
        except Forbidden:
            continue
        if action == "escalate" and escalation_target(case.handling_grid) is None:
            continue
        if action == "reopen" and not _within_window(case, now, reopen_window):
            continue
        allowed.append(action)
    return allowed


def escalation_target(grid_code: str) -> str | None:
    depth = ESCALATION_DEPTH.get(grid_codes.depth_of(grid_code))
    return None if depth is None else grid_code[: grid_codes.LEVELS[depth].length]


def _within_window(case: Case, now: datetime, window: timedelta) -> bool:
    return case.closed_at is not None and now - case.closed_at <= window


def start_stage(case: Case, now: datetime) -> None:
    """Begin the stage of the case's state: its clock starts now."""
    stage = STAGE_OF.get(case.state)
    if stage is None:
        case.stage_started_at = case.due_at = case.warn_at = None
        case.due_estimated = case.warned = case.overdue = False
        return
    due = deadlines.due(now, deadlines.TimeLimit.parse(case.limits[stage]))
    case.stage_started_at, case.due_at, case.due_estimated = now, due.at, due.estimated
    case.warn_at = deadlines.warn_at(now, due.at)
    case.warned = case.overdue = False


def promise_close(case: Case, now: datetime) -> None:
    """Fix the promised close time at registration: handle and verify limits, back to back."""
    if case.close_due_at is not None:
        return
    handled = deadlines.due(now, deadlines.TimeLimit.parse(case.limits["handle"]))
    closed = deadlines.due(handled.at, deadlines.TimeLimit.parse(case.limits["verify"]))
    case.close_due_at = closed.at
    case.close_due_estimated = handled.estimated or closed.estimated


def recompute_due(case: Case) -> bool:
    """Recompute estimated deadlines with what the calendar knows now; True when they moved."""
    changed = False
    if case.due_estimated and case.stage_started_at is not None:
        stage = STAGE_OF[case.state]
        due = deadlines.due(case.stage_started_at, deadlines.TimeLimit.parse(case.limits[stage]))
        changed = due.at != case.due_at or not due.estimated
        case.due_at, case.due_estimated = due.at, due.estimated
        case.warn_at = deadlines.warn_at(case.stage_started_at, due.at)
    if case.close_due_estimated and case.registered_at is not None:
        before, case.close_due_at = case.close_due_at, None
        promise_close(case, case.registered_at)
        changed = changed or before != case.close_due_at
    return changed


def report(case: Case, actor: Actor, now: datetime) -> Outcome:
    """A new case: checks its fields and starts its first stage."""
    if grid_codes.depth_of(case.location_grid, "grid_code") < 1:
        raise InvalidInput("grid_code", "A case happens in a town, village or grid")
    if set(case.limits) != {"accept", "handle", "verify"}:
        raise InvalidInput("limits", "Each of accept, handle and verify needs a time limit")
    case.handling_grid = case.location_grid
    case.reported_at = case.updated_at = now
    start_stage(case, now)
    events = [Event(action="report", at=now, actor_id=actor.user_id, actor_name=actor.name or "",
                    actor_role=actor.role, to_state=case.state, to_grid=case.handling_grid,
                    data={"source": case.source, "category": case.category})]
    if case.state == REGISTERED:  # hotline tickets arrive registered (受理) by the platform
        case.registered_at = now
        promise_close(case, now)
    return Outcome(case=case, events=events, before=None)


def take(case: Case, action: str, actor: Actor, now: datetime, *, note: str | None = None,
         grid_code: str | None = None, worker: Any = None, reopen_window: timedelta = timedelta(),
         data: dict[str, Any] | None = None) -> Outcome:
    """Take one transition; returns the changed case and its timeline event."""
    rule = RULES.get(action)
    if rule is None:
        raise InvalidInput("action", f"One of {', '.join(ACTIONS)}")
    if case.state not in rule.sources:
        raise illegal(case, action)
    _check_actor(rule, case, actor, action)
    note = (note or "").strip() or None
    if rule.needs_note and note is None:
        raise InvalidInput("note", f"Say why ({action} needs a note)")
    before, after = case, replace(case, attachments=list(case.attachments))
    event_data = dict(data or {})
    if action == "dispatch":
        _dispatch(after, actor, grid_code, worker)
        event_data.update(worker_id=worker.worker_id, worker_name=worker.name)
    elif action == "escalate":
        target = escalation_target(case.handling_grid)
        if target is None:
            raise Conflict("A case handled by the town cannot be escalated further",
                           code="illegal_transition",
                           details=[{"field": "state", "message": case.state}])
        _escalate(after, target)
    elif action == "reopen" and not _within_window(case, now, reopen_window):
        raise Conflict(f"A case can be reopened within {reopen_window.days} days of closing",
                       code="reopen_window_passed",
                       details=[{"field": "state", "message": case.state}])
    if rule.target is not None:
        after.state = rule.target
    _apply(after, action, actor, now)
    event = replace(_event(action, before, actor, now, note=note, data=event_data),
                    to_state=after.state, from_grid=before.handling_grid,
                    to_grid=after.handling_grid)
    _end_stage_if_needed(before, after, rule.restarts_stage, now)
    after.version = before.version + 1
    after.updated_at = now
    return Outcome(case=after, events=[event], before=before)


def _dispatch(case: Case, actor: Actor, grid_code: str | None, worker: Any) -> None:
    target = grid_code or case.handling_grid
    grid_codes.depth_of(target, "grid_code")
    if not case.location_grid.startswith(target):
        raise InvalidInput("grid_code", "Dispatch to the case's grid or one of its ancestors")
    if not target.startswith(actor.scope_code):
        raise Forbidden("You can dispatch only within your grid scope", code="out_of_scope")
    if worker is None or worker.status != "active":
        raise InvalidInput("worker_id", "Dispatch to an active worker")
    if not worker.grid_code.startswith(target):
        raise InvalidInput("worker_id", f"The worker does not serve grid {target}")
    case.handling_grid = target
    case.handler_worker_id, case.handler_name = worker.worker_id, worker.name
    case.handled_by = None
    case.escalated = False


def _escalate(case: Case, target: str) -> None:
    case.handling_grid = target
    case.handler_worker_id = case.handler_name = case.handled_by = None
    case.state = REPORTED if case.state == REPORTED else REGISTERED
    case.escalated = True
    case.escalation_count += 1


def _apply(case: Case, action: str, actor: Actor, now: datetime) -> None:
    if action == "register":
        case.registered_at = now
        promise_close(case, now)
    elif action == "handle":
        case.handled_by = actor.user_id
    elif action == "send_back":
        case.rework_count += 1
        case.handled_by = None
    elif action == "close":
        case.closed_at = now
        case.first_closed_at = case.first_closed_at or now
    elif action == "reopen":
        case.reopen_count += 1
        case.closed_at = None


def _end_stage_if_needed(before: Case, after: Case, restarts: bool, now: datetime) -> None:
    if not restarts and STAGE_OF.get(before.state) == STAGE_OF.get(after.state):
        return
    if before.is_open and before.due_at is not None and now > before.due_at:
        after.late_stages += 1
    start_stage(after, now)


def deadline_step(case: Case, now: datetime) -> Outcome | None:
    """What the deadline sweep does to a case at `now`; None when nothing is due."""
    check = case.next_check_at
    if check is None or now < check:
        return None
    actor = SystemActor()
    before, after = case, replace(case, attachments=list(case.attachments))
    events: list[Event] = []
    if now < case.due_at:
        after.warned = True
        events.append(_event("deadline_warning", case, actor, now,
                             data={"due_at": case.due_at.isoformat()}))
    else:
        after.warned = after.overdue = True
        events.append(_event("overdue", case, actor, now,
                             data={"due_at": case.due_at.isoformat(),
                                   "stage": STAGE_OF[case.state]}))
        target = escalation_target(case.handling_grid)
        if case.state in ESCALATABLE and target is not None:
            escalated = replace(after)
            _escalate(escalated, target)
            events.append(replace(_event("escalate", after, actor, now,
                                         note="期限届满，自动上报 (deadline passed)"),
                                  to_state=escalated.state, from_grid=after.handling_grid,
                                  to_grid=escalated.handling_grid))
            _end_stage_if_needed(after, escalated, True, now)
            after = escalated
    after.version = before.version + 1
    after.updated_at = now
    return Outcome(case=after, events=events, before=before)


def annotate(case: Case, action: str, actor: Actor, now: datetime, *, note: str | None = None,
             data: dict[str, Any] | None = None) -> Outcome:
    """A timeline entry that takes no transition: comment, attachment, first contact, rating."""
    after = replace(case, attachments=list(case.attachments))
    if action == "first_contact":
        if not case.is_open:
            raise illegal(case, action)
        if case.first_contact_at is not None:
            raise Conflict("First contact is already recorded", code="already_recorded")
        after.first_contact_at = now
    elif action == "satisfaction":
        if case.state != CLOSED:
            raise illegal(case, "rate")
        if case.satisfaction is not None:
            raise Conflict("The follow-up call is already recorded", code="already_recorded")
        result = (data or {}).get("result")
        if result not in SATISFACTION:
            raise InvalidInput("result", f"One of {', '.join(SATISFACTION)}")
        after.satisfaction = result
    elif action == "attachment":
        after.attachments.append(dict((data or {})["attachment"]))
    elif action != "comment":
        raise InvalidInput("action", "Unknown annotation")
    after.updated_at = now
    event = _event(action, case, actor, now, note=(note or "").strip() or None,
                   data=dict(data or {}), from_grid=case.handling_grid,
                   to_grid=case.handling_grid)
    return Outcome(case=after, events=[event], before=case)


def recompute(case: Case, now: datetime) -> Outcome | None:
    """Estimated deadlines made exact once the calendar knows their year; None: no change."""
    after = replace(case, attachments=list(case.attachments))
    if not recompute_due(after) and (after.due_estimated, after.close_due_estimated) == (
            case.due_estimated, case.close_due_estimated):
        return None
    after.updated_at = now
    event = _event("deadline_recomputed", case, SystemActor(), now, data={
        "due_at": after.due_at.isoformat() if after.due_at else None,
        "close_due_at": after.close_due_at.isoformat() if after.close_due_at else None})
    return Outcome(case=after, events=[event], before=case)

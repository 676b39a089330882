"""The case loop's use cases: report, move through the loop, annotate, read, list.

Routes, the hotline, Open311 and the deadline sweep all come through here.
Every change is read–decide–write: the case is read, the domain decides
(domain/case_flow.py), and the store writes the case, its timeline entries and
the counters in one transaction that fails if anyone wrote the case meanwhile;
then it is read again and decided again. A transition carries the version the
caller decided on, so of two people acting at once the second is told (409)
instead of acting on a case that is no longer what they saw.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain import case_events, case_flow, grid_codes, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_categories import Category
from chalicelib.domain.case_flow import Case, Outcome
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.schemas.cases import (
    CaseCreate,
    CaseDetail,
    CaseListQuery,
    CaseOut,
    CasePage,
    TimelineEntry,
    Transition,
)
from chalicelib.settings import settings
from chalicelib.store import case_categories as category_store
from chalicelib.store import cases as case_store
from chalicelib.store import grids as grid_store
from chalicelib.store import workers as worker_store
from chalicelib.usecases import audit, case_views, messagebus

WRITE_ATTEMPTS = 5


def reopen_window() -> timedelta:
    return timedelta(days=settings.case_reopen_days)


def category_for(grid_code: str, code: str) -> Category:
    category = category_store.find(grid_codes.county_of(grid_code), code)
    if category is None or not category.active:
        raise InvalidInput("category", f"Unknown category {code}")
    return category


def new_case(caller: Any, *, category: Category, grid_code: str, description: str,
             source: str, priority: str = "normal", limits: dict[str, str] | None = None,
             **details: Any) -> Case:
    grid_codes.depth_of(grid_code, "grid_code")
    if grid_store.find(grid_code) is None:
        raise InvalidInput("grid_code", f"Grid {grid_code} does not exist")
    return Case(case_id=tokens.new_id(), category=category.code, source=source,
                description=description, priority=priority, location_grid=grid_code,
                handling_grid=grid_code, reported_at=clock.now(), reported_by=caller.user_id,
                limits=limits or category.limits(), **details)


def _commit(outcome: Outcome, timeline_seq: int | None, *, key: Any = None,
            counted: bool = True) -> None:
    """Write a decided change with what the reactions to its events write."""
    case_store.commit(outcome, timeline_seq, key=key, counted=counted,
                      extra=messagebus.publish(case_events.of(outcome)))


def report(caller: Any, case: Case, *, key: Any = None, at=None) -> Case:
    """Write a new case (and the claim `key` names it by, in the same transaction)."""
    outcome = case_flow.report(case, caller, at or clock.now())
    _commit(outcome, None, key=key)
    return outcome.case


def create_case(caller: Caller, request: CaseCreate) -> CaseOut:
    fields = request.model_dump(exclude={"category", "grid_code", "description", "source",
                                         "priority"})
    case = new_case(caller, category=category_for(request.grid_code, request.category),
                    grid_code=request.grid_code, description=request.description,
                    source=request.source, priority=request.priority, **fields)
    return case_views.case_out(report(caller, case))


def change(case_id: str, decide: Callable[[Case], Outcome], *,
           expected_version: int | None = None) -> Case:
    """Read, decide, write; again when someone else wrote the case in between."""
    for _ in range(WRITE_ATTEMPTS):
        loaded = case_store.get(case_id)
        current = loaded.case
        if expected_version is not None and current.version != expected_version:
            raise Conflict(f"The case changed since you read it (now version {current.version},"
                           f" {current.state}); reload and decide again",
                           code="version_conflict",
                           details=[{"field": "version", "message": str(current.version)},
                                    {"field": "state", "message": current.state}])
        outcome = decide(current)
        try:
            _commit(outcome, loaded.timeline_seq, counted=loaded.counted)
        except case_store.StaleCase:
            continue
        return outcome.case
    raise Conflict("The case is being changed by others; retry", code="busy")


def _visible(case_id: str, caller: Caller) -> Case:
    case = case_store.get(case_id).case
    case_flow.check_visible(case, caller)
    return case


def take_transition(caller: Caller, case_id: str, request: Transition) -> CaseDetail:
    _visible(case_id, caller)
    worker = None
    if request.action == "dispatch":
        if not request.worker_id:
            raise InvalidInput("worker_id", "Dispatch names the worker who will handle it")
        try:
            worker = worker_store.get(request.worker_id)
        except NotFound:
            raise InvalidInput("worker_id", f"No worker {request.worker_id}") from None
    def decide(case: Case) -> Outcome:
        if request.action == "handle":
            known = {a["attachment_id"] for a in case.attachments}
            unknown = [a for a in request.attachment_ids if a not in known]
            if unknown:
                raise InvalidInput("attachment_ids", f"Not attached to this case: {unknown}")
        return case_flow.take(case, request.action, caller, clock.now(), note=request.note,
                              grid_code=request.grid_code, worker=worker,
                              reopen_window=reopen_window(),
                              data={"attachment_ids": request.attachment_ids}
                              if request.attachment_ids else None)

    change(case_id, decide, expected_version=request.version)
    return get_case(caller, case_id)


def annotate(caller: Any, case_id: str, action: str, *, note: str | None = None,
             data: dict | None = None, check: Callable[[Case], None] | None = None) -> Case:
    def decide(case: Case) -> Outcome:
        if check is not None:
            check(case)
        return case_flow.annotate(case, action, caller, clock.now(), note=note, data=data)

    return change(case_id, decide)


def may_comment(caller: Caller) -> Callable[[Case], None]:
    def check(case: Case) -> None:
        case_flow.check_visible(case, caller)
        if caller.role not in case_flow.COMMENTERS:
            raise Forbidden(f"A {caller.role} may not comment", code="role_denied")
    return check


def comment(caller: Caller, case_id: str, note: str) -> CaseDetail:
    annotate(caller, case_id, "comment", note=note, check=may_comment(caller))
    return get_case(caller, case_id)


def first_contact(caller: Caller, case_id: str) -> CaseDetail:
    def check(case: Case) -> None:
        case_flow.check_visible(case, caller)
        if not case_flow.is_handler(case, caller) and caller.role not in case_flow.LEADERS:
            raise Forbidden("The handler records first contact", code="role_denied")

    annotate(caller, case_id, "first_contact", check=check)
    return get_case(caller, case_id)


def rate(caller: Any, case_id: str, result: str, note: str | None) -> Case:
    def check(case: Case) -> None:
        case_flow.check_visible(case, caller)

    return annotate(caller, case_id, "satisfaction", note=note, data={"result": result},
                    check=check)


def get_case(caller: Caller, case_id: str, *, reveal: bool = False) -> CaseDetail:
    case = _visible(case_id, caller)
    if reveal:
        audit.reveal(caller, what=f"case#{case_id}", scope_code=case.location_grid,
                     fields="reporter_name,reporter_phone")
    entries = [TimelineEntry(seq=int(e.seq), action=e.action, at=e.at, actor_id=e.actor_id,
                             actor_name=e.actor_name or "", actor_role=e.actor_role,
                             from_state=e.from_state, to_state=e.to_state,
                             from_grid=e.from_grid, to_grid=e.to_grid, note=e.note,
                             late=e.late, data=e.data or {})
               for e in case_store.timeline(case_id)]
    return CaseDetail(**case_views.case_out(case, reveal=reveal).model_dump(),
                      allowed_actions=case_flow.allowed_actions(case, caller, clock.now(),
                                                                reopen_window()),
                      timeline=entries,
                      attachments=[case_views.attachment_out(a) for a in case.attachments])


def list_cases(caller: Caller, query: CaseListQuery) -> CasePage:
    scope = query.scope or caller.scope_code  # the route checked it lies in the caller's
    grid_codes.depth_of(scope, "scope")
    page = {"limit": query.limit, "cursor": query.cursor}
    if query.box == "mine":
        if not caller.worker_id:
            raise InvalidInput("box", "Your account is not a worker's: nothing is dispatched "
                                      "to you")
        items, cursor = case_store.of_handler(caller.worker_id, open_only=not query.closed,
                                              **page)
    elif query.box == "reported":
        items, cursor = case_store.reported_by(caller.user_id, **page)
    elif query.box == "overdue":
        items, cursor = case_store.overdue(scope, **page)
    elif query.box == "escalated":
        items, cursor = case_store.escalated_to(scope, **page)
    elif query.box == "to_verify":
        items, cursor = _kept_pages(
            lambda limit, cursor: case_store.in_state(scope, case_flow.HANDLED, limit=limit,
                                                      cursor=cursor),
            lambda c: c.handled_by != caller.user_id and not case_flow.is_handler(c, caller),
            **page)
    else:
        items, cursor = case_store.in_state(scope, query.state or case_flow.REPORTED, **page)
    return CasePage(items=[case_views.case_out(c) for c in items], next_cursor=cursor)


# How many index pages one "to verify" page reads at most: a checker who handled
# many of the handled cases gets a short page (with its cursor) rather than a
# request that reads on and on.
MAX_PAGES_READ = 10


def _kept_pages(fetch, keep, *, limit: int, cursor: str | None):
    """Up to `limit` items that `keep` accepts, reading page after page and asking
    each time only for as many as are still missing, so the cursor of the last
    page read is exactly where the next request goes on."""
    kept = []
    for _ in range(MAX_PAGES_READ):
        items, cursor = fetch(limit - len(kept), cursor)
        kept.extend(item for item in items if keep(item))
        if len(kept) == limit or cursor is None:
            break
    return kept, cursor


def scope_of_case(case_id: str) -> str:
    return case_store.get(case_id).case.location_grid

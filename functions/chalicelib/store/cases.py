"""Cases, their append-only timelines, and the claims that make creation idempotent.

A case is one item (`cases`); its timeline is `case_events`, one item per
entry under the case id, numbered from 1 and only ever put if absent. Every
change of a case is one transaction: the case put back on the condition that
its `timeline_seq` is still the one read (so of two concurrent writers exactly
one wins), its new timeline entries, the indicator counters and the waiting
counts (domain/case_waiting.py) of its grids and its handler.

A case written before the waiting counts existed is not in them
(`waiting_counted` absent): its next change counts it as new, and
`count_waiting` counts one that is not changed again (the backfill job).

Access patterns (docs/access-patterns.md):
- a case by id: GetItem cases.case_id; its timeline: Query case_events, case_id = :id
- a subtree's cases in one state: index by_state, state_key = "<county>#<state>" and
  begins_with(grid_key, :scope) (ordered by handling grid, then report time)
- a worker's cases: index by_handler, handler_worker_id = :w and begins_with(handler_key,
  "open#" | "closed#")
- a subtree's overdue cases: index by_overdue (sparse), overdue_county = :county and
  begins_with(overdue_key, :scope)
- cases escalated to a grid and waiting there: index by_escalated (sparse), escalated_to = :code
- cases due a deadline check in an hour: index by_check (sparse), check_bucket = "<UTC hour>"
  and check_key <= :now
- cases located in a subtree (grid moves): index by_location, county = :county and
  begins_with(location_key, :prefix)
- residents' Open311 requests by report time: index by_open311 (sparse), open311_county =
  :county and reported_key between :from and :to
- cases whose deadline is an estimate for a year: index by_estimate (sparse),
  estimate_year = :year
- the cases an account reported, newest first: index by_reporter, reported_by = :user
- a county's open cases in one state, every page (counting them once): index by_state
- a hotline ticket's or an Idempotency-Key's case: GetItem case_keys.key
"""

import dataclasses
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import case_indicators, case_waiting, grid_codes
from chalicelib.domain.case_callbacks import Callback
from chalicelib.domain.case_flow import OPEN_STATES, Case, Event, Outcome
from chalicelib.domain.case_keys import CaseKey
from chalicelib.errors import Conflict, NotFound
from chalicelib.store import case_callbacks, counters, grid_moves
from chalicelib.store.base import (
    cancellation_codes,
    decode_cursor,
    encode_cursor,
    index_meta,
    query_page,
    table_meta,
    write_transaction,
)


def _index(name: str, hash_key: str, range_key: str | None) -> type:
    attributes: dict[str, Any] = {"Meta": index_meta(name),
                                  hash_key: UnicodeAttribute(hash_key=True)}
    if range_key:
        attributes[range_key] = UnicodeAttribute(range_key=True)
    return type(f"Cases_{name}", (GlobalSecondaryIndex,), attributes)


class CaseModel(Model):
    Meta = table_meta("cases")

    case_id = UnicodeAttribute(hash_key=True)
    category = UnicodeAttribute()
    source = UnicodeAttribute()
    description = UnicodeAttribute()
    priority = UnicodeAttribute()
    location_grid = UnicodeAttribute()
    handling_grid = UnicodeAttribute()
    reported_at = UTCDateTimeAttribute()
    reported_by = UnicodeAttribute()
    limits = JSONAttribute()
    state = UnicodeAttribute()
    version = NumberAttribute()
    lat = NumberAttribute(null=True)
    lng = NumberAttribute(null=True)
    address = UnicodeAttribute(null=True)
    reporter_name = UnicodeAttribute(null=True)
    reporter_phone = UnicodeAttribute(null=True)
    handler_worker_id = UnicodeAttribute(null=True)
    handler_name = UnicodeAttribute(null=True)
    handled_by = UnicodeAttribute(null=True)
    registered_at = UTCDateTimeAttribute(null=True)
    closed_at = UTCDateTimeAttribute(null=True)
    first_closed_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    stage_started_at = UTCDateTimeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    due_estimated = BooleanAttribute(default=False)
    warn_at = UTCDateTimeAttribute(null=True)
    warned = BooleanAttribute(default=False)
    overdue = BooleanAttribute(default=False)
    late_stages = NumberAttribute(default=0)
    close_due_at = UTCDateTimeAttribute(null=True)
    close_due_estimated = BooleanAttribute(default=False)
    rework_count = NumberAttribute(default=0)
    escalation_count = NumberAttribute(default=0)
    reopen_count = NumberAttribute(default=0)
    escalated = BooleanAttribute(default=False)
    ticket_id = UnicodeAttribute(null=True)
    first_contact_at = UTCDateTimeAttribute(null=True)
    satisfaction = UnicodeAttribute(null=True)
    attachments = JSONAttribute(default=list)

    # Store-only: the number of timeline entries (the write guard) and index keys.
    timeline_seq = NumberAttribute(default=0)
    county = UnicodeAttribute()
    state_key = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    handler_key = UnicodeAttribute(null=True)
    overdue_county = UnicodeAttribute(null=True)
    overdue_key = UnicodeAttribute(null=True)
    escalated_to = UnicodeAttribute(null=True)
    escalated_key = UnicodeAttribute(null=True)
    check_bucket = UnicodeAttribute(null=True)
    check_key = UnicodeAttribute(null=True)
    location_key = UnicodeAttribute()
    open311_county = UnicodeAttribute(null=True)
    reported_key = UnicodeAttribute()
    estimate_year = UnicodeAttribute(null=True)
    waiting_counted = BooleanAttribute(null=True)

    by_state = _index("by_state", "state_key", "grid_key")()
    by_handler = _index("by_handler", "handler_worker_id", "handler_key")()
    by_overdue = _index("by_overdue", "overdue_county", "overdue_key")()
    by_escalated = _index("by_escalated", "escalated_to", "escalated_key")()
    by_check = _index("by_check", "check_bucket", "check_key")()
    by_location = _index("by_location", "county", "location_key")()
    by_open311 = _index("by_open311", "open311_county", "reported_key")()
    by_estimate = _index("by_estimate", "estimate_year", "case_id")()
    by_reporter = _index("by_reporter", "reported_by", "reported_key")()


class CaseEventModel(Model):
    """One timeline entry; put once, never updated."""

    Meta = table_meta("case_events")

    case_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    action = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor_id = UnicodeAttribute()
    actor_name = UnicodeAttribute(default="")
    actor_role = UnicodeAttribute()
    from_state = UnicodeAttribute(null=True)
    to_state = UnicodeAttribute(null=True)
    from_grid = UnicodeAttribute(null=True)
    to_grid = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    late = BooleanAttribute(null=True)
    data = JSONAttribute(default=dict)


class CaseKeyModel(Model):
    """A claim: a hotline ticket (or another client's own id) names one case."""

    Meta = table_meta("case_keys")

    key = UnicodeAttribute(hash_key=True)
    case_id = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    callback_url = UnicodeAttribute(null=True)  # hotline: notified when the case closes
    filed_by_key = UnicodeAttribute(null=True)  # hotline: the API key whose secret signs it


CASE_FIELDS = tuple(f.name for f in dataclasses.fields(Case))
OPEN, CLOSED = "open", "closed"


def _stamp(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else ""


def check_bucket(moment: datetime) -> str:
    """The deadline-sweep bucket of a moment: its UTC hour."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")


def to_domain(item: CaseModel) -> Case:
    values = {name: getattr(item, name) for name in CASE_FIELDS}
    for name in ("version", "late_stages", "rework_count", "escalation_count", "reopen_count"):
        values[name] = int(values[name] or 0)
    for name in ("due_estimated", "warned", "overdue", "close_due_estimated", "escalated"):
        values[name] = bool(values[name])
    values["attachments"] = list(values["attachments"] or [])
    return Case(**values)


def to_item(case: Case, timeline_seq: int) -> CaseModel:
    county = grid_codes.county_of(case.location_grid)
    item = CaseModel(**{name: getattr(case, name) for name in CASE_FIELDS})
    item.timeline_seq = timeline_seq
    item.county = county
    item.state_key = f"{county}#{case.state}"
    item.grid_key = f"{case.handling_grid}#{_stamp(case.reported_at)}#{case.case_id}"
    item.location_key = f"{case.location_grid}#{case.case_id}"
    item.reported_key = f"{_stamp(case.reported_at)}#{case.case_id}"
    item.waiting_counted = True
    if case.handler_worker_id:
        item.handler_key = (f"{OPEN if case.is_open else CLOSED}#{_stamp(case.reported_at)}"
                            f"#{case.case_id}")
    if case.overdue and case.is_open:
        item.overdue_county = county
        item.overdue_key = f"{case.handling_grid}#{case.case_id}"
    if case.escalated and case.is_open:
        item.escalated_to = case.handling_grid
        item.escalated_key = f"{_stamp(case.updated_at)}#{case.case_id}"
    check = case.next_check_at
    if check is not None:
        item.check_bucket, item.check_key = check_bucket(check), f"{_stamp(check)}#{case.case_id}"
    if case.source == "resident" and case.reported_by.startswith("api_key#"):
        item.open311_county = county
    estimated = [moment for moment, flag in ((case.due_at, case.due_estimated),
                                             (case.close_due_at, case.close_due_estimated))
                 if flag and moment is not None]
    if estimated and case.is_open:
        item.estimate_year = str(min(estimated).year)
    return item


@dataclasses.dataclass
class Loaded:
    case: Case
    timeline_seq: int
    counted: bool = True  # in the waiting counts


def _loaded(item: CaseModel) -> Loaded:
    return Loaded(to_domain(item), int(item.timeline_seq or 0), bool(item.waiting_counted))


def find(case_id: str) -> Loaded | None:
    try:
        item = CaseModel.get(case_id, consistent_read=True)
    except DoesNotExist:
        return None
    return _loaded(item)


def get(case_id: str) -> Loaded:
    loaded = find(case_id)
    if loaded is None:
        raise NotFound(f"Case {case_id} does not exist")
    return loaded


class StaleCase(Exception):
    """Someone else wrote the case since it was read."""


def _event_item(case_id: str, seq: int, event: Event) -> CaseEventModel:
    return CaseEventModel(case_id=case_id, seq=seq, **dataclasses.asdict(event))


def _waiting_changes(before: Case | None, after: Case) -> tuple[list, list]:
    handlers = [(counters.owner_key("worker", worker_id), case_waiting.BUCKET, deltas)
                for worker_id, deltas in case_waiting.handler_changes(before, after)]
    return case_waiting.changes(before, after), handlers


def commit(outcome: Outcome, timeline_seq: int | None, *, counted: bool = True,
           key: CaseKey | None = None, extra: Iterable[Callback] = ()) -> int:
    """Write a case change in one transaction, with what the reactions to it owe
    (`extra`: callbacks); `timeline_seq` None creates the case.

    `counted`: the case as read was in the waiting counts (Loaded.counted).

    Raises StaleCase when the case changed since it was read, Conflict
    (`key_taken`) when `key` is claimed already. Returns the new timeline length.
    """
    seq = timeline_seq or 0
    case = outcome.case
    item = to_item(case, seq + len(outcome.events))
    key_item = None if key is None else _key_item(key)
    extra = [case_callbacks.to_item(callback) for callback in extra]  # written by each try
    counts = case_indicators.changes(outcome.before, case, outcome.events)
    waiting, handlers = _waiting_changes(outcome.before if counted else None, case)

    def fill(write: Any) -> None:
        if timeline_seq is None:
            write.save(item, condition=CaseModel.case_id.does_not_exist())
        elif counted:
            write.save(item, condition=CaseModel.timeline_seq == timeline_seq)
        else:  # nor counted by the backfill since it was read
            write.save(item, condition=(CaseModel.timeline_seq == timeline_seq)
                       & CaseModel.waiting_counted.does_not_exist())
        for offset, event in enumerate(outcome.events, start=1):
            write.save(_event_item(case.case_id, seq + offset, event),
                       condition=CaseEventModel.seq.does_not_exist())
        if key_item is not None:
            write.save(key_item, condition=CaseKeyModel.key.does_not_exist())
        for other in extra:
            write.save(other)
        counters.add_to(write, counts + waiting)
        counters.add_to_owners(write, handlers)

    try:
        write_transaction(fill)
    except TransactWriteError as exc:
        if "ConditionalCheckFailed" not in cancellation_codes(exc):
            raise
        if timeline_seq is None and key is not None:  # a new case's id never clashes
            raise Conflict("This key already names a case", code="key_taken") from None
        raise StaleCase() from None
    return item.timeline_seq


def count_waiting(loaded: Loaded) -> bool:
    """Count a case written before the waiting counts existed (the backfill): its
    standing added and the case marked, on condition that nobody wrote it since it
    was read. False when someone did (their change counted it, or read again)."""
    waiting, handlers = _waiting_changes(None, loaded.case)

    def fill(write: Any) -> None:
        write.update(CaseModel(loaded.case.case_id),
                     actions=[CaseModel.waiting_counted.set(True)],
                     condition=(CaseModel.timeline_seq == loaded.timeline_seq)
                     & CaseModel.waiting_counted.does_not_exist())
        counters.add_to(write, waiting)
        counters.add_to_owners(write, handlers)

    try:
        write_transaction(fill)
    except TransactWriteError as exc:
        if "ConditionalCheckFailed" not in cancellation_codes(exc):
            raise
        return False
    return True


def ticket_key(ticket_id: str) -> str:
    """The claim a hotline ticket names its case by."""
    return f"ticket#{ticket_id}"


def _key_item(key: CaseKey) -> CaseKeyModel:
    return CaseKeyModel(key=key.key, case_id=key.case_id, fingerprint=key.fingerprint,
                        created_at=key.created_at, callback_url=key.callback_url,
                        filed_by_key=key.filed_by_key)


def find_key(key: str) -> CaseKey | None:
    try:
        item = CaseKeyModel.get(key, consistent_read=True)
    except DoesNotExist:
        return None
    return CaseKey(key=item.key, case_id=item.case_id, fingerprint=item.fingerprint,
                   created_at=item.created_at, callback_url=item.callback_url,
                   filed_by_key=item.filed_by_key)


def put_key(key: CaseKey) -> None:
    """A claim written on its own, whatever was there (a marker, such as the demo's)."""
    _key_item(key).save()


def timeline(case_id: str) -> list[CaseEventModel]:
    return list(CaseEventModel.query(case_id, consistent_read=True))


# Lists

def _page(query: Any, cursor: str | None, limit: int, **kwargs: Any) -> tuple[list[Case],
                                                                              str | None]:
    items, last_key = query_page(query, limit=limit, cursor=decode_cursor(cursor), **kwargs)
    return [to_domain(item) for item in items], encode_cursor(last_key)


def in_state(scope: str, state: str, *, limit: int, cursor: str | None):
    county = grid_codes.county_of(scope)
    return _page(CaseModel.by_state.query, cursor, limit, hash_key=f"{county}#{state}",
                 range_key_condition=CaseModel.grid_key.startswith(scope))


def of_handler(worker_id: str, *, open_only: bool, limit: int, cursor: str | None):
    return _page(CaseModel.by_handler.query, cursor, limit, hash_key=worker_id,
                 range_key_condition=CaseModel.handler_key.startswith(
                     f"{OPEN if open_only else CLOSED}#"), scan_index_forward=False)


def overdue(scope: str, *, limit: int, cursor: str | None):
    return _page(CaseModel.by_overdue.query, cursor, limit,
                 hash_key=grid_codes.county_of(scope),
                 range_key_condition=CaseModel.overdue_key.startswith(scope))


def escalated_to(grid_code: str, *, limit: int, cursor: str | None):
    return _page(CaseModel.by_escalated.query, cursor, limit, hash_key=grid_code)


def reported_by(user_id: str, *, limit: int, cursor: str | None):
    return _page(CaseModel.by_reporter.query, cursor, limit, hash_key=user_id,
                 scan_index_forward=False)


def open_in_county(county: str) -> Iterable[Loaded]:
    """Every open case of a county, state by state, each read whole (the backfill)."""
    for state in sorted(OPEN_STATES):
        for entry in CaseModel.by_state.query(f"{county}#{state}"):
            loaded = find(entry.case_id)
            if loaded is not None:
                yield loaded


def due_for_check(bucket: str, now: datetime) -> Iterable[str]:
    """Ids of the cases of one hour bucket whose check time has come."""
    for item in CaseModel.by_check.query(
            bucket, range_key_condition=CaseModel.check_key <= f"{_stamp(now)}#~"):
        yield item.case_id


def with_estimate(year: int) -> Iterable[str]:
    for item in CaseModel.by_estimate.query(str(year)):
        yield item.case_id


def open311_requests(county: str, since: datetime, until: datetime, *, limit: int,
                     cursor: str | None):
    return _page(CaseModel.by_open311.query, cursor, limit, hash_key=county,
                 range_key_condition=CaseModel.reported_key.between(_stamp(since),
                                                                    _stamp(until) + "~"),
                 scan_index_forward=False)


@grid_moves.register("cases")
def move_some(old_prefix: str, new_prefix: str, limit: int) -> int:
    """Re-code up to `limit` cases located under `old_prefix` (see store/grid_moves.py)."""
    found = list(CaseModel.by_location.query(
        grid_codes.county_of(old_prefix),
        range_key_condition=CaseModel.location_key.startswith(old_prefix), limit=limit))
    for entry in found:
        item = CaseModel.get(entry.case_id, consistent_read=True)
        if not item.location_grid.startswith(old_prefix):
            continue
        case = to_domain(item)
        case.location_grid = new_prefix + case.location_grid[len(old_prefix):]
        if case.handling_grid.startswith(old_prefix):
            case.handling_grid = new_prefix + case.handling_grid[len(old_prefix):]
        moved = to_item(case, int(item.timeline_seq or 0))
        unchanged = ((CaseModel.location_grid == item.location_grid)
                     & (CaseModel.timeline_seq == item.timeline_seq))
        if not item.waiting_counted:  # counted by neither the move nor, meanwhile, the backfill
            moved.waiting_counted = None
            unchanged = unchanged & CaseModel.waiting_counted.does_not_exist()
        try:
            moved.save(condition=unchanged)
        except Exception as exc:  # moved or changed meanwhile: found again on the next call
            if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
    return len(found)

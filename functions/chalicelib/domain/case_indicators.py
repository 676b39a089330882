"""Case indicators: the counter changes of every case change, and the rates read from them.

Everything counts at the case's location grid (the micro-grid where it
happens) and rolls up to every ancestor (store/counters.py), so a village's or
a town's figures are one read, and escalating a case moves no counts.

Monthly buckets ("cases#2026-11", Asia/Shanghai months):
- reported, registered, rejected, handled, verified, rework, escalated, reopened:
  in the month the step was taken;
- closed, close_seconds and resolved_<level> (the level that settled it):
  the month of the first close; a reopened case closed again counts once;
- due_to_close and closed_on_time: the month of the promised close
  (按期结案率 = closed_on_time / due_to_close of that month);
- satisfied, basically_satisfied, dissatisfied: the month of the first close.
Gauges (bucket "cases"): open, overdue (marked by the deadline sweep).
"""

from datetime import datetime

from chalicelib.domain import grid_codes
from chalicelib.domain.case_flow import SATISFACTION, Case, Event
from chalicelib.domain.deadlines import SHANGHAI

GAUGES = "cases"
Change = tuple[str, str, dict[str, int]]


def month_of(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m")


def bucket(month: str) -> str:
    return f"cases#{month}"


def changes(before: Case | None, after: Case, events: list[Event]) -> list[Change]:
    grid = after.location_grid
    found: list[Change] = []

    def add(moment: datetime | str | None, **deltas: int) -> None:
        if moment is None:
            return
        month = moment if isinstance(moment, str) else month_of(moment)
        found.append((grid, bucket(month), deltas))

    def gauge(**deltas: int) -> None:
        found.append((grid, GAUGES, deltas))

    if before is None:
        add(after.reported_at, reported=1)
        gauge(open=1)
        if after.registered_at is not None:
            add(after.registered_at, registered=1)
            add(after.close_due_at, due_to_close=1)
        return found
    for event in events:
        step = {"register": "registered", "reject": "rejected", "handle": "handled",
                "verify": "verified", "send_back": "rework", "escalate": "escalated",
                "reopen": "reopened"}.get(event.action)
        if step:
            add(event.at, **{step: 1})
        if event.action == "register":
            add(after.close_due_at, due_to_close=1)
        if event.action == "close" and before.first_closed_at is None:
            level = grid_codes.level_of(before.handling_grid).key
            add(event.at, closed=1, close_seconds=int((event.at - after.reported_at)
                                                      .total_seconds()),
                **{f"resolved_{level}": 1})
            if after.close_due_at is not None and event.at <= after.close_due_at:
                add(after.close_due_at, closed_on_time=1)
        if event.action == "satisfaction":
            add(after.first_closed_at, **{after.satisfaction: 1})
    if before.close_due_at != after.close_due_at and before.registered_at is not None:
        add(before.close_due_at, due_to_close=-1)  # an estimate made exact
        add(after.close_due_at, due_to_close=1)
    if before.is_open != after.is_open:
        gauge(open=1 if after.is_open else -1)
    if before.overdue != after.overdue:
        gauge(overdue=1 if after.overdue else -1)
    return found


def rates(counts: dict[str, int]) -> dict[str, float | None]:
    """The indicator rates of one month's counts (None where the denominator is zero)."""
    def share(numerator: int, denominator: int) -> float | None:
        return round(numerator / denominator, 4) if denominator else None

    closed = counts.get("closed", 0)
    local = sum(counts.get(f"resolved_{level}", 0) for level in ("micro", "grid", "village"))
    rated = sum(counts.get(result, 0) for result in SATISFACTION)
    return {
        "closed_on_time_rate": share(counts.get("closed_on_time", 0),
                                     counts.get("due_to_close", 0)),
        "rework_rate": share(counts.get("rework", 0), counts.get("handled", 0)),
        "resolved_in_micro_grid_rate": share(counts.get("resolved_micro", 0), closed),
        "resolved_in_village_rate": share(local, closed),
        "mean_hours_to_close": round(counts.get("close_seconds", 0) / closed / 3600, 2)
        if closed else None,
        "satisfaction_rate": share(counts.get("satisfied", 0)
                                   + counts.get("basically_satisfied", 0), rated),
    }

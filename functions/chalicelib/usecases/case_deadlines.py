"""The deadline sweep: warn before a stage runs out, mark it overdue and
escalate after (domain/case_flow.py `deadline_step`).

It reads only what is due: cases are indexed by the UTC hour of their next
check (store/cases.py by_check), and the sweep walks the hour buckets from its
mark to now. Each case is decided again on its current item and written on the
condition that nobody wrote it meanwhile, and a handled check moves the case
out of the bucket, so a second run, a concurrent run or a run resumed after a
crash finds nothing to do twice. The mark only moves past an hour once that
hour is over (with an hour's margin for clocks), so nothing scheduled late in
an hour is missed.

The same sweep makes estimated deadlines exact once the calendar library
knows their year (domain/deadlines.py).
"""

from datetime import UTC, datetime, timedelta

from chalicelib import clock
from chalicelib.domain import case_flow, deadlines
from chalicelib.store import cases as case_store
from chalicelib.store import sweep_marks
from chalicelib.usecases import cases

NAME = "case_deadlines"
FIRST_LOOKBACK = timedelta(days=2)
HOUR = timedelta(hours=1)


class _NothingDue(Exception):
    pass


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


TALLY_OF = {"deadline_warning": "warned", "overdue": "overdue", "escalate": "escalated",
            "deadline_recomputed": "recomputed"}


def _apply(case_id: str, step) -> list[str]:
    """Apply a sweep's step to one case; what it did, by tally name."""
    taken: list[str] = []

    def decide(case: case_flow.Case) -> case_flow.Outcome:
        outcome = step(case)
        if outcome is None:
            raise _NothingDue()
        taken[:] = [TALLY_OF[event.action] for event in outcome.events]
        return outcome

    try:
        cases.change(case_id, decide)
    except _NothingDue:
        return []
    return taken


def sweep(now: datetime | None = None) -> dict[str, int]:
    """One run of the deadline sweep at `now`; returns what it did."""
    now = (now or clock.now()).astimezone(UTC)  # the buckets are UTC hours
    mark = sweep_marks.read(NAME)
    start = (datetime.strptime(mark, "%Y-%m-%dT%H").replace(tzinfo=UTC) if mark
             else _hour(now) - FIRST_LOOKBACK)
    # A mark ahead of now (a run with a later clock) must not hide the hours before it.
    start = min(start, _hour(now) - HOUR)
    tally = {"warned": 0, "overdue": 0, "escalated": 0, "recomputed": 0}
    hour = start
    while hour <= now:
        for case_id in case_store.due_for_check(case_store.check_bucket(hour), now):
            for done in _apply(case_id, lambda case: case_flow.deadline_step(case, now)):
                tally[done] += 1
        hour += HOUR
    settled = _hour(now) - HOUR
    if settled > start:
        sweep_marks.advance(NAME, case_store.check_bucket(settled), now)
    tally["recomputed"] = recompute_estimates(now)
    return tally


def recompute_estimates(now: datetime) -> int:
    done = 0
    for year in (now.year, now.year + 1):
        if deadlines.known_year(year):
            for case_id in case_store.with_estimate(year):
                done += len(_apply(case_id, lambda case: case_flow.recompute(case, now)))
    return done

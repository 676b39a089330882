"""Case indicators of a grid subtree for one Asia/Shanghai month, and the work
waiting in a subtree and for a worker, read from the counters every case change
keeps (domain/case_indicators.py, domain/case_waiting.py): a read or two each."""

from chalicelib import clock
from chalicelib.domain import case_indicators, case_waiting, grid_codes
from chalicelib.domain.callers import Caller
from chalicelib.schemas.cases import Indicators, WaitingCounts
from chalicelib.store import cases as case_store
from chalicelib.store import counters

BACKFILL_ATTEMPTS = 5


def indicators(grid_code: str, month: str | None) -> Indicators:
    grid_codes.depth_of(grid_code, "grid")
    month = month or case_indicators.month_of(clock.now())
    counts = counters.read(grid_code, case_indicators.bucket(month))
    gauges = counters.read(grid_code, case_indicators.GAUGES)
    return Indicators(grid=grid_code, month=month, counts=counts,
                      overdue_now=gauges.get("overdue", 0), open_now=gauges.get("open", 0),
                      rates=case_indicators.rates(counts))


def waiting(caller: Caller, scope: str | None) -> WaitingCounts:
    """What waits in a subtree (the caller's scope unless given) and for the caller."""
    scope = scope or caller.scope_code  # the route checked it lies in the caller's
    grid_codes.depth_of(scope, "scope")
    counts = counters.read(scope, case_waiting.BUCKET)
    mine = (counters.read(counters.owner_key("worker", caller.worker_id), case_waiting.BUCKET)
            if caller.worker_id else None)
    return WaitingCounts(
        scope=scope, reported=counts.get("reported", 0), registered=counts.get("registered", 0),
        dispatched=counts.get("dispatched", 0), in_progress=counts.get("in_progress", 0),
        handled=counts.get("handled", 0), verified=counts.get("verified", 0),
        overdue=counts.get("overdue", 0), escalated=case_waiting.escalated_to(counts, scope),
        mine=None if mine is None else mine.get("open", 0),
        mine_overdue=None if mine is None else mine.get("overdue", 0))


def count_waiting_of(county: str) -> int:
    """The backfill: count the open cases of a county written before the waiting
    counts existed; how many it counted. Safe beside live writes and to run again:
    a case changed meanwhile is read again, and one counted by then is left."""
    counted = 0
    for loaded in case_store.open_in_county(grid_codes.county_of(county)):
        for _ in range(BACKFILL_ATTEMPTS):
            if loaded is None or loaded.counted:
                break
            if case_store.count_waiting(loaded):
                counted += 1
                break
            loaded = case_store.find(loaded.case.case_id)
    return counted

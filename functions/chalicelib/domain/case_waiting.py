"""Waiting work: how many open cases stand in each state, overdue and escalated,
counted where they wait and for the worker who holds them, so a home screen and
an inbox's badges are one read each (store/counters.py keeps them).

Where a case waits is its handling grid, the grid the inboxes list it under
(store/cases.py by_state, by_overdue, by_escalated); the counts roll up to every
ancestor, so a village's or a town's waiting work is one item. Bucket "cases_open":
- one count per open state (reported is 待立案, handled is 待核查, …);
- overdue: open cases whose stage ran out;
- escalated_<level> (escalated_village, escalated_town): cases escalated to a grid
  of that level and waiting there. Within a grid's subtree the grid is the only
  one at its own level, so the count of its level is the count escalated to it,
  which is what the 上报给我 inbox lists, though the counts roll up.

A worker's cases (我的待办) are dispatched at any level, also outside the
account's scope, so no grid's count holds them: the worker has a counter item
of their own (`held`), changed in the case's transaction like the grid's.

Each count is the case's standing after a change minus its standing before, so
a count is exactly the number of cases it describes whatever order concurrent
changes land in (each change is one transaction that fails if the case changed
since it was read).
"""

from chalicelib.domain import grid_codes
from chalicelib.domain.case_flow import Case

BUCKET = "cases_open"
Change = tuple[str, str, dict[str, int]]


def standing(case: Case | None) -> dict[str, int]:
    """What one case adds to its handling grid's waiting counts."""
    if case is None or not case.is_open:
        return {}
    counts = {case.state: 1}
    if case.overdue:
        counts["overdue"] = 1
    if case.escalated:
        counts[escalated_name(case.handling_grid)] = 1
    return counts


def held(case: Case | None) -> dict[str, int]:
    """What one case adds to its handler's counts: open (the 我的待办 list), overdue."""
    if case is None or not case.is_open or not case.handler_worker_id:
        return {}
    return {"open": 1, "overdue": 1} if case.overdue else {"open": 1}


def escalated_name(grid_code: str) -> str:
    return f"escalated_{grid_codes.level_of(grid_code).key}"


def _difference(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    names = set(before) | set(after)
    return {name: after.get(name, 0) - before.get(name, 0) for name in sorted(names)
            if after.get(name, 0) != before.get(name, 0)}


def changes(before: Case | None, after: Case) -> list[Change]:
    """The grid counter changes of one case change (before None: a new case, or one
    written before these counts existed and so never counted)."""
    if before is not None and before.handling_grid == after.handling_grid:
        deltas = _difference(standing(before), standing(after))
        return [(after.handling_grid, BUCKET, deltas)] if deltas else []
    found = []
    if standing(before):
        found.append((before.handling_grid, BUCKET, _difference(standing(before), {})))
    if standing(after):
        found.append((after.handling_grid, BUCKET, standing(after)))
    return found


def handler_changes(before: Case | None, after: Case) -> list[tuple[str, dict[str, int]]]:
    """The worker counter changes of one case change: (worker id, deltas)."""
    old = before.handler_worker_id if before is not None else None
    new = after.handler_worker_id
    if old == new:
        deltas = _difference(held(before), held(after))
        return [(new, deltas)] if new and deltas else []
    found = []
    if held(before):
        found.append((old, _difference(held(before), {})))
    if held(after):
        found.append((new, held(after)))
    return found


def escalated_to(counts: dict[str, int], grid_code: str) -> int:
    """Of a grid's rolled-up counts, the cases escalated to that grid itself."""
    return counts.get(escalated_name(grid_code), 0)

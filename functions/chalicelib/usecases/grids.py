"""The grid registry: create, read, list, edit, retire; the level names of this
deployment; ledger totals per grid; micro-grids that no worker covers.
Subtree moves are in usecases/grid_moves.py."""

import json

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger
from chalicelib.domain import grids as grid_rules
from chalicelib.domain.grids import Grid
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.schemas.grids import (
    GridCounts,
    GridCountsRow,
    GridCreate,
    GridLevel,
    GridLevels,
    GridOut,
    GridPage,
    GridRetire,
    GridUpdate,
    LedgerCounts,
    PartyMember,
    UncoveredGrid,
    UncoveredPage,
)
from chalicelib.settings import settings
from chalicelib.store import counters
from chalicelib.store import grids as grid_store
from chalicelib.store.unit_of_work import LEDGER, UnitOfWork

# 镇/街道 → 村/社区 → 组/片区 → 微网格 unless the deployment names its own.
DEFAULT_LEVEL_NAMES = ("县/区", "镇/街道", "村/社区", "组/片区", "微网格")


def level_names() -> tuple[str, ...]:
    names = settings.grid_level_names or DEFAULT_LEVEL_NAMES
    if len(names) != len(grid_codes.LEVELS):
        raise ValueError(f"WANGGE_GRID_LEVEL_NAMES needs {len(grid_codes.LEVELS)} names")
    return names


def levels() -> GridLevels:
    return GridLevels(items=[GridLevel(key=level.key, name=name, code_length=level.length)
                             for level, name in zip(grid_codes.LEVELS, level_names())])


def view(grid: Grid) -> GridOut:
    return GridOut(
        code=grid.code, division_code=grid_codes.division_code(grid.code),
        parent_code=grid.parent_code, level=grid.level, level_name=level_names()[grid.depth],
        name=grid.name, leader_worker_id=grid.leader_worker_id,
        party_members=[PartyMember(name=m.name, position=m.position, worker_id=m.worker_id)
                       for m in grid.party_members],
        boundary=json.loads(grid.boundary) if grid.boundary else None, notes=grid.notes,
        retired=grid.retired, moving=grid.moving is not None,
        created_at=grid.created_at, updated_at=grid.updated_at, version=grid.version,
    )


def _party(members: list) -> list[grid_rules.PartyMember]:
    return [grid_rules.PartyMember(name=m.name, position=m.position, worker_id=m.worker_id)
            for m in members]


def _build(code: str, request: GridCreate) -> Grid:
    return Grid.new(code, request.name, clock.now(), leader_worker_id=request.leader_worker_id,
                    party_members=_party(request.party_members), boundary=request.boundary,
                    notes=request.notes)


def create_grid(request: GridCreate) -> GridOut:
    parent_code = request.parent_code
    if parent_code is not None:
        grid_codes.depth_of(parent_code, "parent_code")
    if request.code is not None:
        grid_codes.validate_child(parent_code, request.code)
        return view(grid_store.create(_build(request.code, request)))
    if parent_code is None:
        raise InvalidInput("code", "A county grid needs its 6-digit division code")
    if grid_codes.depth_of(parent_code, "parent_code") < 2:
        raise InvalidInput("code", "Towns and villages take their statistical division code")
    grid_rules.boundary_text(request.boundary)  # a bad request must not spend a code
    # Codes given explicitly (imports, the demo) may already hold the next
    # number; the counter only ever moves forward, so skipping them ends.
    while True:
        code = grid_codes.child_code(parent_code,
                                     grid_store.allocate_child_sequence(parent_code))
        try:
            return view(grid_store.create(_build(code, request)))
        except Conflict:
            continue


def get_grid(code: str) -> GridOut:
    grid_codes.depth_of(code)
    return view(grid_store.get(code))


def update_grid(caller, code: str, request: GridUpdate) -> GridOut:
    grid = grid_store.get(code)
    changes = grid.edit(
        request.version, clock.now(), name=request.name,
        leader_worker_id=request.leader_worker_id, notes=request.notes,
        party_members=None if request.party_members is None else _party(request.party_members),
        boundary=request.boundary)
    work = UnitOfWork(caller)
    grid_store.save(work, grid)
    work.audit(action="update", record=f"grid#{code}", scope_code=code, changes=changes)
    work.commit()
    return view(grid)


def retire_grid(caller, code: str, request: GridRetire) -> GridOut:
    """Retire a grid that holds nothing any more. Its code stays taken, and its
    history readable."""
    grid = grid_store.get(code)
    grid.retire(request.version, clock.now(),
                active_children=sum(not child.retired
                                    for child in grid_store.all_children(code)),
                held=counters.read(code, LEDGER))
    work = UnitOfWork(caller)
    grid_store.save(work, grid)
    # A record added since the counters were read would be stranded in a retired grid.
    work.require_empty(code, grid_rules.RETIRE_BLOCKERS, lambda: Conflict(
        f"Grid {code} received records meanwhile", code="grid_not_empty"))
    work.audit(action="retire", record=f"grid#{code}", scope_code=code,
               changes={"reason": {"from": None, "to": request.reason}})
    work.commit()
    return view(grid)


def list_children(code: str, *, limit: int, cursor: str | None) -> GridPage:
    get_grid(code)
    items, next_cursor = grid_store.children(code, limit=limit, cursor=cursor)
    return GridPage(items=[view(g) for g in items], next_cursor=next_cursor)


def list_subtree(code: str, *, level: str | None, limit: int, cursor: str | None) -> GridPage:
    depth = grid_codes.depth_of(code)
    get_grid(code)
    if level is None:
        depths = list(range(depth + 1, len(grid_codes.LEVELS)))
    else:
        wanted = [d for d, lv in enumerate(grid_codes.LEVELS) if lv.key == level][0]
        if wanted <= depth:
            raise InvalidInput("level", f"{level} is not below {code}")
        depths = [wanted]
    if not depths:
        return GridPage(items=[], next_cursor=None)
    items, next_cursor = grid_store.subtree(code, levels=depths, limit=limit, cursor=cursor)
    return GridPage(items=[view(g) for g in items], next_cursor=next_cursor)


def ledger_counts(raw: dict[str, int]) -> LedgerCounts:
    key_groups = {name[len(ledger.KEY_GROUP_PREFIX):]: count for name, count in raw.items()
                  if name.startswith(ledger.KEY_GROUP_PREFIX) and count}
    return LedgerCounts(
        households=raw.get(ledger.HOUSEHOLDS, 0), residents=raw.get(ledger.RESIDENTS, 0),
        floating_residents=raw.get(ledger.FLOATING_RESIDENTS, 0),
        key_group_members=raw.get(ledger.KEY_GROUP_MEMBERS, 0), key_groups=key_groups,
        rentals=raw.get(ledger.RENTALS, 0), tenants=raw.get(ledger.TENANTS, 0),
        active_assignments=raw.get(ledger.ACTIVE_ASSIGNMENTS, 0))


def grid_counts(code: str) -> GridCounts:
    """A grid's ledger totals and those of each child: a handful of reads at any level."""
    grid = grid_store.get(code)
    children = grid_store.all_children(code)
    totals = counters.read_many([code] + [child.code for child in children], LEDGER)

    def row(item: Grid) -> GridCountsRow:
        return GridCountsRow(code=item.code, name=item.name, level=item.level,
                             counts=ledger_counts(totals[item.code]))
    return GridCounts(grid=row(grid), children=[row(child) for child in children])


def uncovered_micro_grids(code: str, *, limit: int, cursor: str | None) -> UncoveredPage:
    """Active micro-grids of the subtree with no worker assigned today, a page of
    micro-grids at a time (a page may hold fewer than `limit`, never a false one)."""
    depth = grid_codes.depth_of(code)
    micro = len(grid_codes.LEVELS) - 1
    if depth == micro:
        grids, next_cursor = [grid_store.get(code)], None
    else:
        grids, next_cursor = grid_store.subtree(code, levels=[micro], limit=limit, cursor=cursor)
    totals = counters.read_many([g.code for g in grids], LEDGER)
    return UncoveredPage(
        items=[UncoveredGrid(code=g.code, name=g.name) for g in grids
               if not g.retired and totals[g.code].get(ledger.ACTIVE_ASSIGNMENTS, 0) <= 0],
        next_cursor=next_cursor)

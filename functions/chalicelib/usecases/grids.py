"""The grid registry: create, read, list, edit, retire; the level names of this
deployment; ledger totals per grid; micro-grids that no worker covers.
Subtree moves are in usecases/grid_moves.py."""

import json

from chalicelib import clock
from chalicelib.domain import boundaries, grid_codes, ledger
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
from chalicelib.store.grids import ROOT_PARENT, GridModel
from chalicelib.store.grids import PartyMember as PartyMemberItem
from chalicelib.store.unit_of_work import LEDGER, UnitOfWork, version_conflict

# 镇/街道 → 村/社区 → 组/片区 → 微网格 unless the deployment names its own.
DEFAULT_LEVEL_NAMES = ("县/区", "镇/街道", "村/社区", "组/片区", "微网格")
# What a grid must no longer hold to be retired.
RETIRE_BLOCKERS = (ledger.HOUSEHOLDS, ledger.RESIDENTS, ledger.RENTALS, ledger.TENANTS,
                   ledger.ACTIVE_ASSIGNMENTS)


def level_names() -> tuple[str, ...]:
    names = settings.grid_level_names or DEFAULT_LEVEL_NAMES
    if len(names) != len(grid_codes.LEVELS):
        raise ValueError(f"WANGGE_GRID_LEVEL_NAMES needs {len(grid_codes.LEVELS)} names")
    return names


def levels() -> GridLevels:
    return GridLevels(items=[GridLevel(key=level.key, name=name, code_length=level.length)
                             for level, name in zip(grid_codes.LEVELS, level_names())])


def view(grid: GridModel) -> GridOut:
    depth = grid_codes.depth_of(grid.code)
    return GridOut(
        code=grid.code, division_code=grid_codes.division_code(grid.code),
        parent_code=None if grid.parent_code == ROOT_PARENT else grid.parent_code,
        level=grid.level, level_name=level_names()[depth], name=grid.name,
        leader_worker_id=grid.leader_worker_id,
        party_members=[PartyMember(name=m.name, position=m.position, worker_id=m.worker_id)
                       for m in grid.party_members or []],
        boundary=json.loads(grid.boundary) if grid.boundary else None, notes=grid.notes,
        retired=bool(grid.retired), moving=grid.moving is not None,
        created_at=grid.created_at, updated_at=grid.updated_at, version=grid.version or 0,
    )


def _party(members: list[PartyMember]) -> list[PartyMemberItem]:
    return [PartyMemberItem(name=m.name, position=m.position, worker_id=m.worker_id)
            for m in members]


def _boundary_text(boundary: dict | None) -> str | None:
    if not boundary:
        return None
    return json.dumps(boundaries.check(boundary), separators=(",", ":"))


def _build(code: str, request: GridCreate) -> GridModel:
    grid = grid_store.build(code, request.name, request.leader_worker_id)
    grid.party_members = _party(request.party_members)
    grid.boundary = _boundary_text(request.boundary)
    grid.notes = request.notes
    return grid


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
    _boundary_text(request.boundary)  # a bad request must not spend a code
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
    if grid.version != request.version:
        raise version_conflict("grid")()
    before = _audited_fields(grid)
    if request.name is not None:
        grid.name = request.name
    if request.leader_worker_id is not None:
        grid.leader_worker_id = request.leader_worker_id or None
    if request.party_members is not None:
        grid.party_members = _party(request.party_members)
    if request.boundary is not None:
        grid.boundary = _boundary_text(request.boundary)
    if request.notes is not None:
        grid.notes = request.notes or None
    grid.updated_at = clock.now()
    work = UnitOfWork(caller)
    work.save(grid, version_conflict("grid"))
    work.audit(action="update", record=f"grid#{code}", scope_code=code,
               changes=ledger.changed_fields(before, _audited_fields(grid)))
    work.commit()
    return view(grid)


def _audited_fields(grid: GridModel) -> dict:
    return {"name": grid.name, "leader_worker_id": grid.leader_worker_id,
            "party_members": [m.name for m in grid.party_members or []],
            "boundary": grid.boundary, "notes": grid.notes}


def retire_grid(caller, code: str, request: GridRetire) -> GridOut:
    """Retire a grid that holds nothing any more: no active child, no ledger record,
    no worker assigned. Its code stays taken, and its history readable."""
    grid = grid_store.get(code)
    if grid.version != request.version:
        raise version_conflict("grid")()
    if grid.retired:
        raise Conflict(f"Grid {code} is retired already", code="already_retired")
    active_children = [child for child in grid_store.all_children(code) if not child.retired]
    if active_children:
        raise Conflict(f"Grid {code} still has {len(active_children)} active child grids",
                       code="grid_not_empty")
    held = {name: count for name, count in counters.read(code, LEDGER).items()
            if count and name in RETIRE_BLOCKERS}
    if held:
        raise Conflict(f"Grid {code} still holds records: " +
                       ", ".join(f"{name} {count}" for name, count in sorted(held.items())),
                       code="grid_not_empty")
    grid.retired = True
    grid.updated_at = clock.now()
    work = UnitOfWork(caller)
    work.save(grid, version_conflict("grid"))
    # A record added since the counters were read would be stranded in a retired grid.
    work.require_empty(code, RETIRE_BLOCKERS, lambda: Conflict(
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

    def row(item: GridModel) -> GridCountsRow:
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

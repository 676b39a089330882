"""The grid table: one item per grid node, keyed by its unified code.

Access patterns (docs/access-patterns.md):
- a grid by code: GetItem on `code`
- the children of a grid: index `by_parent`, parent_code = :code
- a subtree: index `by_county`, county = code[:6] and depth_code begins_with
  "<depth>#<code>", one query per level below the root
- the boundaries of a subtree: the same queries, only grids with a boundary
  returned
"""

from datetime import datetime, timezone
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import grid_codes, versions
from chalicelib.domain.grids import Grid, GridBoundary, PartyMember
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.store.base import (
    decode_cursor,
    encode_cursor,
    index_meta,
    query_page,
    table_meta,
    transaction,
)

ROOT_PARENT = "ROOT"  # roots are listed through by_parent like any other children


class ByParent(GlobalSecondaryIndex):
    Meta = index_meta("by_parent")
    parent_code = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class ByCounty(GlobalSecondaryIndex):
    Meta = index_meta("by_county")
    county = UnicodeAttribute(hash_key=True)
    depth_code = UnicodeAttribute(range_key=True)


class PartyMemberItem(MapAttribute):
    """A member of the grid's party group (网格党小组)."""

    name = UnicodeAttribute()
    position = UnicodeAttribute(null=True)  # e.g. 组长
    worker_id = UnicodeAttribute(null=True)


class GridModel(Model):
    Meta = table_meta("grids")

    code = UnicodeAttribute(hash_key=True)
    parent_code = UnicodeAttribute()
    county = UnicodeAttribute()
    depth_code = UnicodeAttribute()
    level = UnicodeAttribute()
    name = UnicodeAttribute()
    leader_worker_id = UnicodeAttribute(null=True)
    party_members = ListAttribute(of=PartyMemberItem, default=list)
    boundary = UnicodeAttribute(null=True)  # GeoJSON geometry, as JSON text
    notes = UnicodeAttribute(null=True)
    retired = BooleanAttribute(default=False)
    # The id of the subtree move this grid is part of, while it runs: no record
    # may be added to a grid that is moving.
    moving = UnicodeAttribute(null=True)
    next_child_sequence = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_parent = ByParent()
    by_county = ByCounty()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _depth_key(depth: int, code: str) -> str:
    return f"{depth}#{code}"


def to_domain(item: GridModel) -> Grid:
    return Grid(code=item.code, name=item.name, created_at=item.created_at,
                updated_at=item.updated_at, leader_worker_id=item.leader_worker_id,
                party_members=[PartyMember(name=m.name, position=m.position,
                                           worker_id=m.worker_id)
                               for m in item.party_members or []],
                boundary=item.boundary, notes=item.notes, retired=bool(item.retired),
                moving=item.moving, next_child_sequence=int(item.next_child_sequence or 0),
                version=int(item.version or 0))


def to_item(grid: Grid) -> GridModel:
    item = GridModel(
        code=grid.code, parent_code=grid.parent_code or ROOT_PARENT,
        county=grid_codes.county_of(grid.code), depth_code=_depth_key(grid.depth, grid.code),
        level=grid.level, name=grid.name, leader_worker_id=grid.leader_worker_id,
        party_members=[PartyMemberItem(name=m.name, position=m.position, worker_id=m.worker_id)
                       for m in grid.party_members],
        boundary=grid.boundary, notes=grid.notes, retired=grid.retired, moving=grid.moving,
        next_child_sequence=grid.next_child_sequence, created_at=grid.created_at,
        updated_at=grid.updated_at)
    if grid.version:
        item.version = grid.version
    return item


def _takes_version(grid: Grid, item: GridModel) -> None:
    grid.version = int(item.version)


def get(code: str) -> Grid:
    grid = find(code)
    if grid is None:
        raise NotFound(f"Grid {code} does not exist")
    return grid


def find(code: str) -> Grid | None:
    try:
        return to_domain(GridModel.get(code))
    except DoesNotExist:
        return None


def build(code: str, name: str, leader_worker_id: str | None = None) -> Grid:
    """A new grid, stamped now (for set-up code that has no request to build it from)."""
    return Grid.new(code, name, _now(), leader_worker_id=leader_worker_id)


def create(grid: Grid) -> Grid:
    """Write a new grid whose parent exists and is active; 409 when the code is taken."""
    item = to_item(grid)
    if grid.parent_code is None:
        try:
            item.save(condition=GridModel.code.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise Conflict(f"Grid {grid.code} already exists") from None
            raise
        _takes_version(grid, item)
        return grid
    try:
        with transaction() as write:
            write.condition_check(GridModel, grid.parent_code,
                                  condition=_open(GridModel.code.exists()))
            write.save(item, condition=GridModel.code.does_not_exist())
    except TransactWriteError as exc:
        reasons = [r.code if r else None for r in exc.cancellation_reasons or []]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise InvalidInput("parent_code",
                               f"Parent grid {grid.parent_code} does not exist or is retired")
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise Conflict(f"Grid {grid.code} already exists") from None
        raise
    _takes_version(grid, item)
    return grid



def _open(condition: Any) -> Any:
    """`condition`, and the grid is neither retired nor moving."""
    return condition & (GridModel.retired == False) & GridModel.moving.does_not_exist()  # noqa: E712


def save(work: Any, grid: Grid) -> None:
    """Put back a grid read earlier in `work`, a store.unit_of_work.UnitOfWork (which
    this module may not import: it checks grids); fails when its version moved on."""
    item = to_item(grid)
    work.save(item, lambda: versions.stale("grid"))
    work.keep_version(grid, item)


def allocate_child_sequence(parent_code: str) -> int:
    """Atomically take the next child number of a grid (for codes not given by the caller)."""
    try:
        parent = GridModel.get(parent_code)
    except DoesNotExist:
        raise NotFound(f"Grid {parent_code} does not exist") from None
    parent.update(actions=[GridModel.next_child_sequence.add(1)])
    return parent.next_child_sequence


def children(code: str, *, limit: int, cursor: str | None) -> tuple[list[Grid], str | None]:
    items, last_key = query_page(GridModel.by_parent.query, hash_key=code, limit=limit,
                                 cursor=decode_cursor(cursor))
    return [to_domain(item) for item in items], encode_cursor(last_key)


def all_children(code: str) -> list[Grid]:
    return [to_domain(item) for item in GridModel.by_parent.query(code)]


def all_at_depth(code: str, depth: int) -> list[Grid]:
    """Every grid at `depth` below `code` (one query, all pages)."""
    return [to_domain(item) for item in GridModel.by_county.query(
        grid_codes.county_of(code), GridModel.depth_code.startswith(_depth_key(depth, code)))]


def with_boundaries(code: str) -> list[GridBoundary]:
    """The active grids of a subtree, the root included, that have a boundary: code
    and boundary only. Counties are left out: no case is placed at a county."""
    county = grid_codes.county_of(code)
    found: list[GridBoundary] = []
    for depth in range(max(grid_codes.depth_of(code), 1), len(grid_codes.LEVELS)):
        found += [GridBoundary(code=item.code, boundary=item.boundary)
                  for item in GridModel.by_county.query(
                      county, GridModel.depth_code.startswith(_depth_key(depth, code)),
                      filter_condition=GridModel.boundary.exists() & (GridModel.retired == False),
                      attributes_to_get=["code", "boundary"])]
    return found


def subtree(code: str, *, levels: list[int], limit: int, cursor: str | None
            ) -> tuple[list[Grid], str | None]:
    """Grids below `code` at the given depths, level by level, in code order."""
    state = decode_cursor(cursor) or {"depth": levels[0], "key": None}
    depth = state.get("depth")
    if depth not in levels:
        raise InvalidInput("cursor", "Not a cursor this API returned")
    found: list[Grid] = []
    last_key = state.get("key")
    for depth in levels[levels.index(depth):]:
        items, last_key = query_page(
            GridModel.by_county.query, hash_key=grid_codes.county_of(code),
            range_key_condition=GridModel.depth_code.startswith(_depth_key(depth, code)),
            limit=limit - len(found), cursor=last_key)
        found += [to_domain(item) for item in items]
        if last_key is not None:
            return found, encode_cursor({"depth": depth, "key": last_key})
        if len(found) >= limit:
            following = levels[levels.index(depth) + 1:]
            return found, encode_cursor({"depth": following[0], "key": None}) if following else None
    return found, None


# A subtree move (usecases/grid_moves.py) marks, copies and deletes grids outside
# any unit of work: each step is repeated until it holds, so each write is
# conditional on the move it belongs to.

def mark_moving(grid: Grid, move_id: str) -> bool:
    """Mark the grid as part of the move; False when another move took it meanwhile."""
    item = to_item(grid)
    try:
        item.update(actions=[GridModel.moving.set(move_id)],
                    condition=GridModel.moving.does_not_exist())
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    grid.moving = move_id
    _takes_version(grid, item)
    return True


def add_copy(grid: Grid) -> None:
    """Write a grid's copy under its new code."""
    to_item(grid).save(condition=GridModel.code.does_not_exist())


def delete_moved(grid: Grid, move_id: str) -> None:
    """Delete a grid under its old code, once it was copied."""
    to_item(grid).delete(condition=GridModel.moving == move_id)


def end_moving(grid: Grid, move_id: str) -> None:
    """Open a grid under its new code once its move is done."""
    item = to_item(grid)
    item.update(actions=[GridModel.moving.remove()], condition=GridModel.moving == move_id)
    grid.moving = None
    _takes_version(grid, item)

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

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import grid_codes
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


class PartyMember(MapAttribute):
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
    party_members = ListAttribute(of=PartyMember, default=list)
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


def get(code: str) -> GridModel:
    try:
        return GridModel.get(code)
    except DoesNotExist:
        raise NotFound(f"Grid {code} does not exist") from None


def find(code: str) -> GridModel | None:
    try:
        return GridModel.get(code)
    except DoesNotExist:
        return None


def build(code: str, name: str, leader_worker_id: str | None = None) -> GridModel:
    depth = grid_codes.depth_of(code)
    now = _now()
    return GridModel(
        code=code,
        parent_code=grid_codes.parent_of(code) or ROOT_PARENT,
        county=grid_codes.county_of(code),
        depth_code=_depth_key(depth, code),
        level=grid_codes.LEVELS[depth].key,
        name=name,
        leader_worker_id=leader_worker_id,
        created_at=now,
        updated_at=now,
    )


def create(grid: GridModel) -> GridModel:
    """Write a new grid whose parent exists and is active; 409 when the code is taken."""
    if grid.parent_code == ROOT_PARENT:
        try:
            grid.save(condition=GridModel.code.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise Conflict(f"Grid {grid.code} already exists") from None
            raise
        return grid
    try:
        with transaction() as write:
            write.condition_check(
                GridModel, grid.parent_code,
                condition=GridModel.code.exists() & (GridModel.retired == False)  # noqa: E712
                & GridModel.moving.does_not_exist(),
            )
            write.save(grid, condition=GridModel.code.does_not_exist())
    except TransactWriteError as exc:
        reasons = [r.code if r else None for r in exc.cancellation_reasons or []]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise InvalidInput("parent_code",
                               f"Parent grid {grid.parent_code} does not exist or is retired")
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise Conflict(f"Grid {grid.code} already exists") from None
        raise
    return grid


def allocate_child_sequence(parent_code: str) -> int:
    """Atomically take the next child number of a grid (for codes not given by the caller)."""
    parent = get(parent_code)
    parent.update(actions=[GridModel.next_child_sequence.add(1)])
    return parent.next_child_sequence


def children(code: str, *, limit: int, cursor: str | None) -> tuple[list[GridModel], str | None]:
    items, last_key = query_page(GridModel.by_parent.query, hash_key=code, limit=limit,
                                 cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)


def all_children(code: str) -> list[GridModel]:
    return list(GridModel.by_parent.query(code))


def all_at_depth(code: str, depth: int) -> list[GridModel]:
    """Every grid at `depth` below `code` (one query, all pages)."""
    return list(GridModel.by_county.query(
        grid_codes.county_of(code), GridModel.depth_code.startswith(_depth_key(depth, code))))


def with_boundaries(code: str) -> list[GridModel]:
    """The active grids of a subtree, the root included, that have a boundary: code
    and boundary only. Counties are left out: no case is placed at a county."""
    county = grid_codes.county_of(code)
    found: list[GridModel] = []
    for depth in range(max(grid_codes.depth_of(code), 1), len(grid_codes.LEVELS)):
        found += GridModel.by_county.query(
            county, GridModel.depth_code.startswith(_depth_key(depth, code)),
            filter_condition=GridModel.boundary.exists() & (GridModel.retired == False),
            attributes_to_get=["code", "boundary"])
    return found


def subtree(code: str, *, levels: list[int], limit: int, cursor: str | None
            ) -> tuple[list[GridModel], str | None]:
    """Grids below `code` at the given depths, level by level, in code order."""
    state = decode_cursor(cursor) or {"depth": levels[0], "key": None}
    depth = state.get("depth")
    if depth not in levels:
        raise InvalidInput("cursor", "Not a cursor this API returned")
    found: list[GridModel] = []
    last_key = state.get("key")
    for depth in levels[levels.index(depth):]:
        items, last_key = query_page(
            GridModel.by_county.query, hash_key=grid_codes.county_of(code),
            range_key_condition=GridModel.depth_code.startswith(_depth_key(depth, code)),
            limit=limit - len(found), cursor=last_key)
        found += items
        if last_key is not None:
            return found, encode_cursor({"depth": depth, "key": last_key})
        if len(found) >= limit:
            following = levels[levels.index(depth) + 1:]
            return found, encode_cursor({"depth": following[0], "key": None}) if following else None
    return found, None

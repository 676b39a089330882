from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from chalicelib.domain.grid_codes import LEVEL_BY_KEY
from chalicelib.schemas.base import Body, GridCode, MultilineText, RecordId, Schema
from chalicelib.schemas.common import PageQuery

LevelKey = Literal["county", "town", "village", "grid", "micro"]
assert set(LevelKey.__args__) == set(LEVEL_BY_KEY)  # noqa: S101 - import-time guard


class PartyMemberIn(Body):
    name: str = Field(min_length=1, max_length=30)
    position: str | None = Field(None, max_length=20, description="e.g. 组长")
    worker_id: RecordId | None = None


class PartyMember(Schema):
    name: str
    position: str | None
    worker_id: str | None


Boundary = dict[str, Any]
BOUNDARY_DESCRIPTION = "GeoJSON Polygon or MultiPolygon, WGS 84 longitude/latitude"


class GridCreate(Body):
    name: str = Field(min_length=1, max_length=60)
    parent_code: GridCode | None = Field(None, description="Omitted only for a county")
    code: GridCode | None = Field(None, description="Unified code; allocated under the parent "
                                  "when omitted")
    leader_worker_id: RecordId | None = None
    party_members: list[PartyMemberIn] = Field(default_factory=list, max_length=50)
    boundary: Boundary | None = Field(None, description=BOUNDARY_DESCRIPTION)
    notes: MultilineText | None = Field(None, max_length=2000)


class GridUpdate(Body):
    version: int = Field(description="The version read; a newer one on the server is a 409")
    name: str | None = Field(None, min_length=1, max_length=60)
    leader_worker_id: RecordId | Literal[""] | None = Field(
        None, description="Empty string removes the leader")
    party_members: list[PartyMemberIn] | None = Field(None, max_length=50)
    boundary: Boundary | None = Field(None, description=BOUNDARY_DESCRIPTION + "; {} removes it")
    notes: MultilineText | None = Field(None, max_length=2000)


class GridRetire(Body):
    version: int
    reason: MultilineText = Field(min_length=2, max_length=200)


class GridMoveRequest(Body):
    version: int = Field(description="The version of the grid being moved")
    parent_code: GridCode = Field(description="The new parent")
    code: GridCode | None = Field(None, description="The grid's new code; allocated under the "
                                  "new parent when omitted (villages and towns must give their "
                                  "statistical division code)")


class GridMoveOut(Schema):
    move_id: str
    old_code: str
    new_code: str
    status: Literal["running", "done"]
    step: str
    grids_moved: int
    created_at: datetime
    finished_at: datetime | None


class GridOut(Schema):
    code: str
    division_code: str = Field(description="12-digit statistical division code")
    parent_code: str | None
    level: LevelKey
    level_name: str
    name: str
    leader_worker_id: str | None
    party_members: list[PartyMember]
    boundary: Boundary | None
    notes: str | None
    retired: bool
    moving: bool = Field(description="Part of a subtree move still running")
    created_at: datetime
    updated_at: datetime
    version: int


class GridPage(Schema):
    items: list[GridOut]
    next_cursor: str | None


class SubtreeQuery(PageQuery):
    level: LevelKey | None = Field(None, description="Only grids of this level")


class GridLevel(Schema):
    key: LevelKey
    name: str
    code_length: int


class GridLevels(Schema):
    items: list[GridLevel]


class LedgerCounts(Schema):
    households: int = 0
    residents: int = 0
    floating_residents: int = 0
    key_group_members: int = 0
    key_groups: dict[str, int] = Field(default_factory=dict, description="members per key group")
    rentals: int = 0
    tenants: int = 0
    active_assignments: int = 0


class GridCountsRow(Schema):
    code: str
    name: str
    level: LevelKey
    counts: LedgerCounts


class GridCounts(Schema):
    grid: GridCountsRow
    children: list[GridCountsRow]


class UncoveredQuery(PageQuery):
    pass


class UncoveredGrid(Schema):
    code: str
    name: str


class UncoveredPage(Schema):
    items: list[UncoveredGrid]
    next_cursor: str | None

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.domain.grid_codes import LEVEL_BY_KEY
from chalicelib.schemas.common import PageQuery
from chalicelib.web.api import Schema

LevelKey = Literal["county", "town", "village", "grid", "micro"]
assert set(LevelKey.__args__) == set(LEVEL_BY_KEY)  # noqa: S101 - import-time guard


class GridCreate(Schema):
    name: str = Field(min_length=1, max_length=60)
    parent_code: str | None = Field(None, description="Omitted only for a county")
    code: str | None = Field(None, description="Unified code; allocated under the parent when omitted")
    leader_worker_id: str | None = None


class GridOut(Schema):
    code: str
    division_code: str = Field(description="12-digit statistical division code")
    parent_code: str | None
    level: LevelKey
    level_name: str
    name: str
    leader_worker_id: str | None
    retired: bool
    created_at: datetime
    updated_at: datetime
    version: int


class GridPage(Schema):
    items: list[GridOut]
    next_cursor: str | None


class SubtreeQuery(PageQuery):
    level: LevelKey | None = Field(None, description="Only grids of this level")

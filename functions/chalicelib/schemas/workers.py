from datetime import date, datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.auth import PHONE
from chalicelib.schemas.base import Body, Day, GridCode, MultilineText, RecordId, Schema
from chalicelib.schemas.common import PageQuery

WorkerKind = Literal["full_time", "part_time", "volunteer", "supervisor"]


class WorkerCreate(Body):
    name: str = Field(min_length=1, max_length=30)
    phone: str = Field(pattern=PHONE)
    kind: WorkerKind
    grid_code: GridCode = Field(description="The grid the worker belongs to")
    is_leader: bool = Field(False, description="网格长")
    notes: MultilineText | None = Field(None, max_length=1000)


class WorkerUpdate(Body):
    version: int
    name: str | None = Field(None, min_length=1, max_length=30)
    phone: str | None = Field(None, pattern=PHONE)
    kind: WorkerKind | None = None
    grid_code: GridCode | None = None
    is_leader: bool | None = None
    notes: MultilineText | None = Field(None, max_length=1000)


class WorkerOut(Schema):
    worker_id: str
    name: str
    phone: str = Field(description="Masked unless ?reveal=true")
    kind: WorkerKind
    kind_name: str
    grid_code: str
    is_leader: bool
    status: Literal["active", "left"]
    notes: str | None
    created_at: datetime
    version: int


class WorkerPage(Schema):
    items: list[WorkerOut]
    next_cursor: str | None


class WorkerListQuery(PageQuery):
    grid: GridCode | None = Field(None, description="Subtree to list; one's scope when omitted")
    kind: WorkerKind | None = None
    status: Literal["active", "left"] | None = None


class WorkerLeave(Body):
    version: int
    end_date: Day | None = Field(None, description="Last day; today when omitted")


class AssignmentCreate(Body):
    grid_code: GridCode = Field(description="A micro-grid")
    start_date: Day | None = Field(None, description="Today when omitted")


class AssignmentEnd(Body):
    version: int
    end_date: Day | None = Field(None, description="Today when omitted")


class AssignmentOut(Schema):
    assignment_id: str
    worker_id: str
    worker_name: str | None = None
    grid_code: str
    start_date: date
    end_date: date | None
    active: bool
    version: int


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    next_cursor: str | None


class AssignmentListQuery(PageQuery):
    active: bool = Field(False, description="Only the assignments still running")


class Handover(Body):
    """A micro-grid passes from one worker to another on one day (交接)."""

    to_worker_id: RecordId
    from_worker_id: RecordId | None = Field(None, description="Whose charge ends; none if the "
                                            "grid had no worker")
    day: Day | None = Field(None, description="Today when omitted")

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.domain.case_flow import ACTIONS, PRIORITIES, SATISFACTION, STATES
from chalicelib.schemas.base import Body, GridCode, MultilineText, Query, RecordId, Schema
from chalicelib.schemas.common import PageQuery

State = Literal[STATES]  # type: ignore[valid-type]
Action = Literal[ACTIONS]  # type: ignore[valid-type]
Priority = Literal[PRIORITIES]  # type: ignore[valid-type]
Satisfaction = Literal[SATISFACTION]  # type: ignore[valid-type]
CONTACT_PHONE = r"^\+?[0-9][0-9-]{4,19}$"
LIMIT = r"^[1-9][0-9]{0,2}(h|wd)$"


class CaseCreate(Body):
    category: str = Field(min_length=1, max_length=40)
    grid_code: GridCode = Field(description="The grid where it happens, usually a micro-grid")
    description: MultilineText = Field(min_length=1, max_length=2000)
    source: Literal["worker", "resident", "patrol"] = "worker"
    priority: Priority = "normal"
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: str | None = Field(None, max_length=200)
    reporter_name: str | None = Field(None, max_length=40, description="Personal data")
    reporter_phone: str | None = Field(None, pattern=CONTACT_PHONE, description="Personal data")


class Transition(Body):
    action: Action
    version: int = Field(ge=0, description="The case version the decision was made on")
    note: MultilineText | None = Field(None, max_length=2000)
    worker_id: RecordId | None = Field(None, description="dispatch: the worker who will handle it")
    grid_code: GridCode | None = Field(None, description="dispatch: the level it is handled at")
    attachment_ids: list[RecordId] = Field(default_factory=list, max_length=20,
                                      description="handle: photos of the result")


class CommentCreate(Body):
    note: MultilineText = Field(min_length=1, max_length=2000)


class SatisfactionCreate(Body):
    result: Satisfaction
    note: MultilineText | None = Field(None, max_length=500)


class UploadRequest(Body):
    content_type: Literal["image/jpeg", "image/png", "image/webp", "image/heic"]
    size: int = Field(ge=1, le=10 * 1024 * 1024, description="Bytes")


class Upload(Schema):
    attachment_id: str
    url: str = Field(description="POST the form fields and then the file (field `file`) here")
    fields: dict[str, str]
    expires_at: datetime


class AttachmentConfirm(Body):
    attachment_id: RecordId


class AttachmentOut(Schema):
    attachment_id: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    url: str = Field(description="A short-lived download link")


class CaseOut(Schema):
    case_id: str
    category: str
    source: str
    description: str
    priority: str
    state: State
    version: int
    location_grid: str
    handling_grid: str
    lat: float | None
    lng: float | None
    address: str | None
    reporter_name: str | None = Field(description="Masked unless ?reveal=true")
    reporter_phone: str | None = Field(description="Masked unless ?reveal=true")
    handler_worker_id: str | None
    handler_name: str | None
    reported_at: datetime
    registered_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime | None
    stage: Literal["accept", "handle", "verify"] | None
    due_at: datetime | None
    due_estimated: bool = Field(description="The calendar of that year is not published yet")
    overdue: bool
    late_stages: int
    close_due_at: datetime | None
    rework_count: int
    escalation_count: int
    reopen_count: int
    escalated: bool
    ticket_id: str | None
    first_contact_at: datetime | None
    satisfaction: str | None
    attachment_count: int


class TimelineEntry(Schema):
    seq: int
    action: str
    at: datetime
    actor_id: str
    actor_name: str
    actor_role: str
    from_state: str | None
    to_state: str | None
    from_grid: str | None
    to_grid: str | None
    note: str | None
    late: bool | None
    data: dict


class CaseDetail(CaseOut):
    allowed_actions: list[str] = Field(description="The transitions the caller may take now")
    timeline: list[TimelineEntry]
    attachments: list[AttachmentOut]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseListQuery(PageQuery):
    box: Literal["mine", "reported", "subtree", "overdue", "escalated", "to_verify"] = Field(
        "subtree", description="mine: dispatched to me; reported: reported by me, newest "
        "first, whatever their state; subtree: by state; overdue; escalated: waiting at my "
        "grid; to_verify: handled, awaiting verification")
    state: State | None = Field(None, description="subtree: the state (default reported)")
    scope: GridCode | None = Field(None, description="A grid inside your scope; default: "
                                                  "your scope")
    closed: bool = Field(False, description="mine: the closed ones instead of the open ones")


class WaitingQuery(Query):
    scope: GridCode | None = Field(None, description="A grid inside your scope; default: "
                                                  "your scope")


class WaitingCounts(Schema):
    scope: str
    reported: int = Field(description="待立案: reported, waiting to be registered")
    registered: int = Field(description="registered, waiting to be dispatched")
    dispatched: int
    in_progress: int
    handled: int = Field(description="待核查: handled, waiting to be verified")
    verified: int = Field(description="verified, waiting to be closed")
    overdue: int = Field(description="open cases whose stage ran out")
    escalated: int = Field(description="escalated to the scope grid itself and waiting there")
    mine: int | None = Field(description="open cases dispatched to the caller's worker "
                                         "(None: not a worker's account)")
    mine_overdue: int | None


class CategoryOut(Schema):
    code: str
    name_zh: str
    name_en: str
    accept: str
    handle: str
    verify: str
    public: bool
    active: bool
    version: int = Field(description="Send it back with a change; 0 for an untouched default")


class CategoryList(Schema):
    items: list[CategoryOut]


class CategoryQuery(Query):
    county: GridCode | None = Field(None, description="Default: the county of your scope")


class CategoryUpdate(Body):
    name_zh: str = Field(min_length=1, max_length=20)
    name_en: str = Field(min_length=1, max_length=40)
    accept: str = Field(pattern=LIMIT, description="e.g. 24h or 3wd (working days)")
    handle: str = Field(pattern=LIMIT)
    verify: str = Field(pattern=LIMIT)
    public: bool = True
    active: bool = True
    version: int | None = Field(None, ge=0, description="The version read: a stale one is 409 "
                                                         "version_conflict; omitted, the "
                                                         "category is overwritten")


class IndicatorQuery(Query):
    grid: GridCode | None = Field(None, description="The subtree root; default: your scope")
    month: str | None = Field(None, pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$",
                              description="YYYY-MM, Asia/Shanghai; default: this month")


class Indicators(Schema):
    grid: str
    month: str
    counts: dict[str, int] = Field(description="reported, registered, closed, closed_on_time, "
                                   "due_to_close, rework, handled, resolved_<level> …")
    overdue_now: int
    open_now: int
    rates: dict[str, float | None]

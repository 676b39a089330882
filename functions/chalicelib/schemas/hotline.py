from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.base import Body, GridCode, Moment, MultilineText, Schema, TicketId
from chalicelib.schemas.cases import CONTACT_PHONE, Satisfaction, State
from chalicelib.schemas.common import PageQuery


class HotlineTicket(Body):
    ticket_id: TicketId = Field(description="The 12345 ticket number; a retry with it is harmless")
    category: str = Field("other", max_length=40, description="A case category code")
    urgency: Literal["emergency", "utilities", "normal"] = Field(
        "normal", description="Dispatch within 1 h (emergency), 2 h (water, power, gas, "
        "heating) or 24 h")
    grid_code: GridCode = Field(description="Where it happens, within the API key's scope")
    description: MultilineText = Field(min_length=1, max_length=2000)
    address: str | None = Field(None, max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    caller_name: str | None = Field(None, max_length=40, description="Personal data")
    caller_phone: str | None = Field(None, pattern=CONTACT_PHONE, description="Personal data")
    received_at: Moment | None = Field(None, description="When the call came in; default now")
    due_at: Moment | None = Field(None, description="The ticket's own deadline to close "
                                                    "(办结时限); default from the category")
    callback_url: str | None = Field(None, max_length=500,
                                     description="POSTed a JSON notice when the case closes")


class HotlineStatus(Schema):
    ticket_id: str
    case_id: str
    state: State
    status: Literal["open", "closed"]
    handling_grid: str
    handler_name: str | None
    dispatch_due_at: datetime | None = Field(description="The due time of the current stage")
    close_due_at: datetime | None
    overdue: bool
    first_contact_at: datetime | None
    closed_at: datetime | None
    result: str | None = Field(description="The handler's note when it was handled")
    satisfaction: str | None
    updated_at: datetime | None


class FollowUp(Body):
    result: Satisfaction = Field(description="The follow-up call (回访)")
    note: MultilineText | None = Field(None, max_length=500)


class CallbackOut(Schema):
    callback_id: str
    case_id: str
    ticket_id: str
    url: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class CallbackPage(Schema):
    items: list[CallbackOut]
    next_cursor: str | None


class CallbackQuery(PageQuery):
    status: Literal["pending", "delivered", "failed"] = "failed"
    scope: GridCode | None = None

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.base import Body, MultilineText, Query, Schema


class QrCodeOut(Schema):
    serial: str
    kind: str = Field(description="rental_board, contact_card (patrol_label to come)")
    record_id: str = Field(description="The rental (board) or assignment (card) it opens")
    grid_code: str = Field(description="Where the record is now")
    url: str = Field(description="What the QR holds")
    issued_at: datetime
    issued_by: str
    snapshot: dict[str, int | str | None] = Field(
        description="What the sheet showed that the ledger may change since")
    current: bool = Field(description="Still opens, and printed last for its record")
    revoked_at: datetime | None
    revoked_by: str | None


class QrImage(Schema):
    filename: str
    content_type: str
    qr_url: str = Field(description="What the QR holds")
    url: str = Field(description="A link to the image, valid for 15 minutes")


class ImageQuery(Query):
    format: Literal["svg", "png"] = "png"


class PublicPerson(Schema):
    name: str
    phone: str | None


class PublicCode(Schema):
    """What the board or card shows, and no more."""

    micro_grid: str = Field(description="The micro-grid's name")
    worker: PublicPerson | None = Field(description="Who to call: the responsible grid worker")
    grid_leader: PublicPerson | None = Field(description="The grid leader (网格长)")


class Position(Body):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(gt=0, le=100_000, description="The phone's accuracy, metres")


class PublicReport(Body):
    text: MultilineText = Field(min_length=1, max_length=2000)
    position: Position | None = None


class PublicReportOut(Schema):
    received: Literal[True] = True
    message: str

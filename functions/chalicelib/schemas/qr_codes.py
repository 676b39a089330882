from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.base import Body, GridCode, MultilineText, Query, Schema
from chalicelib.schemas.common import PageQuery


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


class RentalBoard(Schema):
    code: QrCodeOut | None = Field(description="The board's current code; none before its "
                                   "first print or once its code is revoked")


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
    reference: str = Field(description="What the resident can quote: the end of the case's id")
    message: str


PrintKind = Literal["rental_boards", "contact_cards"]


class PrintRequest(Body):
    kind: PrintKind
    grid_code: GridCode = Field(description="The subtree to print")
    reprint_only: bool = Field(False, description="Only boards whose rental changed since "
                               "they were printed (or that have none), only cards not printed")


class PrintJobOut(Schema):
    job_id: str
    kind: PrintKind
    grid_code: str
    reprint_only: bool
    status: Literal["running", "done", "failed"]
    records: int = Field(description="Found to print (known once the job has looked)")
    processed: int = Field(description="With their new code issued")
    filename: str
    download_url: str | None = Field(description="When done with something to print: a link "
                                     "to the PDF, valid for 15 minutes")
    failure: str | None
    created_at: datetime
    finished_at: datetime | None


class ReprintQuery(PageQuery):
    grid: GridCode | None = Field(None, description="A grid inside your scope; default: "
                                                 "your scope")


class BoardToReprint(Schema):
    rental_id: str
    grid_code: str
    address: str
    owner_name: str
    tenant_count: int
    responsible_worker_id: str | None
    printed_at: datetime | None = Field(description="When its current board was printed; "
                                        "none: it has no board")
    printed: dict[str, int | str | None] | None = Field(
        description="What that board shows (tenant_count, worker_id)")


class BoardsToReprint(Schema):
    items: list[BoardToReprint]
    next_cursor: str | None

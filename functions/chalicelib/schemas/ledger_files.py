from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.base import Body, GridCode, RecordId, Schema

ImportKind = Literal["households", "rentals"]
ExportKind = Literal["households", "residents", "rentals", "tenants"]


class TemplatePath(Schema):
    kind: ImportKind


class LedgerTemplate(Schema):
    filename: str
    url: str = Field(description="A link to the .xlsx, valid for 15 minutes")


class UploadRequest(Body):
    kind: ImportKind
    filename: str = Field(min_length=1, max_length=200)
    size: int = Field(ge=1, description="The file's size in bytes (at most 10 MB)")


class UploadForm(Schema):
    upload_id: str
    url: str = Field(description="POST multipart/form-data here: every field, then `file`")
    fields: dict[str, str]
    expires_at: datetime


class ImportRequest(Body):
    upload_id: RecordId
    kind: ImportKind
    dry_run: bool = Field(True, description="Check and count only; nothing is written")


class ImportProblem(Schema):
    sheet: str
    row: int
    column: str
    message: str


class ImportJob(Schema):
    import_id: str
    kind: ImportKind
    dry_run: bool
    status: Literal["checked", "running", "done", "failed"]
    rows: int = Field(description="Records in the file (households and people)")
    processed: int
    created: int
    updated: int
    unchanged: int
    problems: list[ImportProblem]
    failure: str | None = Field(None, description="Why a failed import stopped")
    created_at: datetime
    finished_at: datetime | None


class ExportRequest(Body):
    kind: ExportKind
    grid: GridCode | None = Field(None, description="The subtree; one's scope when omitted")


class ExportJob(Schema):
    export_id: str
    kind: ExportKind
    status: Literal["running", "done", "failed"]
    rows: int
    filename: str
    download_url: str | None = Field(description="When done: a link valid for 15 minutes")
    failure: str | None
    created_at: datetime
    finished_at: datetime | None

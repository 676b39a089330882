from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.auth import PHONE, Role
from chalicelib.schemas.base import Body, GridCode, Moment, Query, RecordId, Schema
from chalicelib.schemas.common import PageQuery


class UserCreate(Body):
    phone: str = Field(pattern=PHONE)
    name: str = Field(min_length=1, max_length=40)
    role: Role
    scope_code: GridCode
    worker_id: RecordId | None = None
    initial_password: str = Field(min_length=1, max_length=128)


class UserUpdate(Body):
    name: str | None = Field(None, min_length=1, max_length=40)
    role: Role | None = None
    scope_code: GridCode | None = None
    status: Literal["active", "disabled"] | None = None
    version: int = Field(ge=1)


class PasswordReset(Body):
    new_password: str = Field(min_length=1, max_length=128)


class UserOut(Schema):
    user_id: str
    phone: str = Field(description="Masked unless ?reveal=true")
    name: str
    role: Role
    scope_code: str
    worker_id: str | None
    status: Literal["active", "disabled"]
    must_change_password: bool
    created_at: datetime
    version: int


class UserPage(Schema):
    items: list[UserOut]
    next_cursor: str | None


class UserListQuery(PageQuery):
    scope: GridCode | None = Field(None, description="A grid inside your scope; default: "
                                                  "your scope")


class RevealQuery(Query):
    reveal: bool = Field(False, description="Unmasked personal data; the read is audited")


class ApiKeyCreate(Body):
    name: str = Field(min_length=1, max_length=60)
    scope_code: GridCode
    operations: list[str] = Field(min_length=1, max_length=20)


class ApiKeyOut(Schema):
    key_id: str
    name: str
    scope_code: str
    operations: list[str]
    revoked: bool
    created_by: str
    created_at: datetime


class ApiKeyCreated(ApiKeyOut):
    api_key: str = Field(description="Shown once; only its hash is stored")
    callback_secret: str = Field(description="Shown once: verifies the signature "
                                             "(X-Wangge-Signature) of callbacks to this client")


class ApiKeyPage(Schema):
    items: list[ApiKeyOut]
    next_cursor: str | None


class AuditQuery(PageQuery):
    scope: GridCode | None = None
    user_id: str | None = None
    record: str | None = None
    since: Moment | None = Field(None, alias="from")
    until: Moment | None = Field(None, alias="to")


class AuditEntry(Schema):
    at: datetime
    actor_id: str
    actor_name: str = Field(description="The actor's name when the entry was written")
    actor_role: str
    action: str
    record: str
    scope_code: str
    fields: str | None
    source_ip: str | None
    changes: dict | None


class AuditPage(Schema):
    items: list[AuditEntry]
    next_cursor: str | None

from typing import Literal

from pydantic import Field

from chalicelib.domain.roles import ROLES
from chalicelib.schemas.base import Body, MultilineText, Schema

PHONE = r"^1[0-9]{10}$"
Role = Literal[ROLES]  # type: ignore[valid-type]


class LoginRequest(Body):
    phone: str = Field(pattern=PHONE, description="11-digit mobile number")
    password: str = Field(min_length=1, max_length=128)


class RefreshRequest(Body):
    refresh_token: str = Field(min_length=1, max_length=256)


class PasswordChange(Body):
    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class Profile(Schema):
    user_id: str
    name: str
    phone: str
    role: Role
    scope_code: str
    scope_name: str
    worker_id: str | None
    note: str
    version: int
    must_change_password: bool


class Session(Schema):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    must_change_password: bool
    user: Profile


class ProfileUpdate(Body):
    name: str | None = Field(None, min_length=1, max_length=40)
    note: MultilineText | None = Field(None, max_length=500)
    version: int = Field(ge=1, description="The version this edit was made on")

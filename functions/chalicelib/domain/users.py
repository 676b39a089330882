"""Accounts and their sessions: who may change an account and how, its password,
and the refresh-token family a login starts."""

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import passwords, roles, tokens, versions
from chalicelib.domain.callers import Caller
from chalicelib.errors import Conflict, Forbidden, InvalidInput, Unauthorized

ACTIVE, DISABLED = "active", "disabled"


@dataclass
class User:
    user_id: str
    phone: str
    name: str
    role: str
    scope_code: str
    password_hash: str
    created_at: datetime
    updated_at: datetime
    worker_id: str | None = None  # the worker this account acts as (a case's handler)
    must_change_password: bool = False
    disabled: bool = False
    note: str = ""
    created_by: str | None = None
    version: int = 0  # 0: never stored

    @classmethod
    def new(cls, *, user_id: str, phone: str, name: str, role: str, scope_code: str,
            password: str, password_field: str, worker_id: str | None,
            must_change_password: bool, created_by: str | None, now: datetime) -> "User":
        passwords.check_rules(password, phone, field=password_field)
        return cls(user_id=user_id, phone=phone, name=name, role=role, scope_code=scope_code,
                   password_hash=passwords.hash_password(password), created_at=now,
                   updated_at=now, worker_id=worker_id,
                   must_change_password=must_change_password, created_by=created_by)

    @property
    def status(self) -> str:
        return DISABLED if self.disabled else ACTIVE

    def check_managed_by(self, caller: Caller, action: str) -> None:
        if not roles.may_assign(caller.role, self.role):
            raise Forbidden(f"A {caller.role} may not {action} a {self.role}",
                            code="role_denied")

    def check_change(self, caller: Caller, version: int, *, account_changes: bool) -> None:
        """An admin's change: nobody changes their own role, scope or status (the
        `account_changes`), and only an admin who may create such a user changes it."""
        if self.user_id == caller.user_id and account_changes:
            raise Forbidden("You cannot change your own role, scope or status",
                            code="self_change")
        versions.check("user", self.version, version)
        self.check_managed_by(caller, "change")

    def change(self, *, role: str | None = None, scope_code: str | None = None,
               name: str | None = None, status: str | None = None) -> dict[str, str]:
        """Apply an admin's change (checked by check_change); returns what changed."""
        changes: dict[str, str] = {}
        if role is not None or scope_code is not None:
            self.role, self.scope_code = role or self.role, scope_code or self.scope_code
            changes.update(role=self.role, scope_code=self.scope_code)
        if name is not None:
            self.name = changes["name"] = name
        if status is not None:
            self.disabled = status == DISABLED
            changes["status"] = status
        return changes

    def reset_password(self, caller: Caller, new_password: str) -> None:
        """An admin sets a password the user must change at the next login."""
        self.check_managed_by(caller, "reset")
        passwords.check_rules(new_password, self.phone)
        self.password_hash = passwords.hash_password(new_password)
        self.must_change_password = True

    def change_password(self, current: str, new: str) -> None:
        if not passwords.verify(self.password_hash, current):
            raise Unauthorized("Current password is wrong", code="invalid_credentials",
                               details=[{"field": "current_password",
                                         "message": "wrong password"}])
        passwords.check_rules(new, self.phone)
        if passwords.verify(self.password_hash, new):
            raise InvalidInput("new_password", "Choose a password different from the current one",
                               code="weak_password")
        self.password_hash = passwords.hash_password(new)
        self.must_change_password = False

    def edit_profile(self, version: int, *, name: str | None, note: str | None) -> None:
        """The user's own edit of their name and note."""
        if self.version != version:
            raise Conflict("Your profile was changed elsewhere; reload and retry",
                           code="version_conflict",
                           details=[{"field": "version", "message": f"current is {self.version}"}])
        if name is not None:
            self.name = name
        if note is not None:
            self.note = note


@dataclass
class Session:
    """One refresh-token family: the token rotates, the session id stays."""

    session_id: str
    user_id: str
    token_digest: str  # of the current refresh token; the token itself is never kept
    created_at: datetime
    refreshed_at: datetime
    expires_at: datetime
    generation: int = 1
    revoked: bool = False
    revoked_reason: str | None = None

    @classmethod
    def start(cls, user_id: str, now: datetime) -> tuple["Session", str]:
        """A new session and its first refresh token (handed out once, never stored)."""
        session_id = tokens.new_id()
        refresh_token = tokens.new_refresh_token(session_id)
        return cls(session_id=session_id, user_id=user_id,
                   token_digest=tokens.digest(refresh_token), created_at=now,
                   refreshed_at=now, expires_at=now + tokens.REFRESH_TTL), refresh_token

    def usable(self, now: datetime) -> bool:
        return not self.revoked and self.expires_at > now

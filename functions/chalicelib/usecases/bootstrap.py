"""Setting up a deployment: the county grid and its first administrator.
Run from the CLI (devtools/admin.py) against local or AWS tables."""

from chalicelib import clock
from chalicelib.domain import grid_codes, roles, tokens
from chalicelib.domain.users import User
from chalicelib.errors import InvalidInput
from chalicelib.store import grids as grid_store
from chalicelib.store import users as user_store


def ensure_county(code: str, name: str) -> None:
    if grid_codes.depth_of(code) != 0:
        raise InvalidInput("code", "A county code has 6 digits")
    if grid_store.find(code) is None:
        grid_store.create(grid_store.build(code, name))


def ensure_user(*, phone: str, name: str, role: str, scope_code: str, password: str,
                worker_id: str | None = None, must_change_password: bool = True) -> User:
    """The user with this phone, created when absent (idempotent)."""
    if role not in roles.ROLES:
        raise InvalidInput("role", f"One of {', '.join(roles.ROLES)}")
    existing = user_store.find_by_phone(phone)
    if existing is not None:
        return existing
    return user_store.create(User.new(
        user_id=tokens.new_id(), phone=phone, name=name, role=role, scope_code=scope_code,
        password=password, password_field="password", worker_id=worker_id,
        must_change_password=must_change_password, created_by=None, now=clock.now()))

"""Accounts managed by admins: create within one's own subtree, list, read
(masked unless revealed, and then audited), change, disable, reset."""

from chalicelib import clock
from chalicelib.domain import grid_codes, roles, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.personal_data import mask_phone
from chalicelib.domain.users import DISABLED, User
from chalicelib.errors import Forbidden, InvalidInput, NotFound
from chalicelib.schemas.users import PasswordReset, UserCreate, UserOut, UserPage, UserUpdate
from chalicelib.store import grids as grid_store
from chalicelib.store import users as user_store
from chalicelib.store import workers as worker_store
from chalicelib.usecases import audit


def view(user: User, *, reveal: bool = False) -> UserOut:
    return UserOut(user_id=user.user_id, phone=user.phone if reveal else mask_phone(user.phone),
                   name=user.name, role=user.role, scope_code=user.scope_code,
                   worker_id=user.worker_id, status=user.status,
                   must_change_password=user.must_change_password,
                   created_at=user.created_at, version=user.version)


def _check_assignment(caller: Caller, role: str, scope_code: str) -> None:
    grid_codes.depth_of(scope_code, "scope_code")
    if not caller.can_see(scope_code):
        raise Forbidden("Users can only be created within your scope", code="out_of_scope")
    if not roles.may_assign(caller.role, role):
        raise Forbidden(f"A {caller.role} may not create a {role}", code="role_denied")
    if grid_store.find(scope_code) is None:
        raise InvalidInput("scope_code", f"Grid {scope_code} does not exist")


def _check_worker(caller: Caller, worker_id: str | None) -> None:
    """A case's handler is found by the worker link: a worker outside the admin's
    subtree would let the account reach into another's."""
    if worker_id is None:
        return
    try:
        worker = worker_store.get(worker_id)
    except NotFound:
        raise InvalidInput("worker_id", f"Worker {worker_id} does not exist") from None
    if not caller.can_see(worker.grid_code):
        raise InvalidInput("worker_id", "The worker belongs to a grid outside your scope")


def create_user(caller: Caller, request: UserCreate, *, must_change_password: bool = True
                ) -> UserOut:
    _check_assignment(caller, request.role, request.scope_code)
    _check_worker(caller, request.worker_id)
    user = User.new(user_id=tokens.new_id(), phone=request.phone, name=request.name,
                    role=request.role, scope_code=request.scope_code,
                    password=request.initial_password, password_field="initial_password",
                    worker_id=request.worker_id, must_change_password=must_change_password,
                    created_by=caller.user_id, now=clock.now())
    user_store.create(user)
    audit.record(caller, action="create", record=f"user#{user.user_id}",
                 scope_code=user.scope_code, changes={"role": user.role})
    return view(user)


def list_users(caller: Caller, scope: str | None, *, limit: int, cursor: str | None) -> UserPage:
    items, next_cursor = user_store.in_subtree(scope or caller.scope_code, limit=limit,
                                               cursor=cursor)
    return UserPage(items=[view(u) for u in items], next_cursor=next_cursor)


def get_user(caller: Caller, user_id: str, *, reveal: bool) -> UserOut:
    user = user_store.get(user_id)
    if reveal:
        audit.reveal(caller, what=f"user#{user.user_id}", scope_code=user.scope_code,
                     fields="phone")
    return view(user, reveal=reveal)


def update_user(caller: Caller, user_id: str, update: UserUpdate) -> UserOut:
    user = user_store.get(user_id)
    user.check_change(caller, update.version,
                      account_changes=bool(update.role or update.scope_code or update.status))
    if update.role is not None or update.scope_code is not None:
        _check_assignment(caller, update.role or user.role, update.scope_code or user.scope_code)
    disabling = update.status == DISABLED and not user.disabled
    changes = user.change(role=update.role, scope_code=update.scope_code, name=update.name,
                          status=update.status)
    user_store.save(user)
    if disabling or "role" in changes:
        user_store.revoke_sessions_of(user.user_id, "disabled" if disabling else "role changed")
    audit.record(caller, action="update", record=f"user#{user.user_id}",
                 scope_code=user.scope_code, changes=changes)
    return view(user)


def reset_password(caller: Caller, user_id: str, request: PasswordReset) -> UserOut:
    user = user_store.get(user_id)
    user.reset_password(caller, request.new_password)
    user_store.save(user)
    user_store.revoke_sessions_of(user.user_id, "password reset")
    audit.record(caller, action="reset_password", record=f"user#{user.user_id}",
                 scope_code=user.scope_code)
    return view(user)


def scope_of_user(user_id: str) -> str:
    return user_store.get(user_id).scope_code



"""The one enforcement point: who the caller is (bearer token or API key),
whether their role may take the operation, and whether the grid it touches
lies inside their scope. Every route declares an `Access`; `Resource.route`
refuses to register one that does not."""

from dataclasses import dataclass, field
from typing import Any, Callable

from chalicelib.domain.callers import Caller
from chalicelib.errors import Forbidden, Unauthorized


@dataclass
class RequestParts:
    """What a scope resolver may look at: validated input, never raw JSON."""

    path: dict[str, str]
    body: Any = None
    query: Any = None


ScopeResolver = Callable[[RequestParts], str | None]


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] = frozenset()
    # The grid code the request touches; None from the resolver means "no grid".
    scope: ScopeResolver | None = None
    # The operation an API key must carry to call this route; None: no machines.
    machine_operation: str | None = None
    public: bool = False
    # May be called while the user still has to change the initial password.
    before_password_change: bool = False
    notes: dict[str, Any] = field(default_factory=dict)


PUBLIC = Access(public=True)


def path_param(name: str) -> ScopeResolver:
    return lambda parts: parts.path[name]


def body_field(name: str) -> ScopeResolver:
    return lambda parts: getattr(parts.body, name)


def query_field(name: str) -> ScopeResolver:
    return lambda parts: getattr(parts.query, name)


def bearer_token(headers: Any) -> str | None:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if not value:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'", code="invalid_token")
    return token.strip()


def authorize(access: Access, caller: Caller, parts: RequestParts) -> None:
    if caller.is_machine:
        if access.machine_operation is None or \
                access.machine_operation not in caller.machine_operations:
            raise Forbidden("This API key may not call this operation", code="operation_denied")
    else:
        if caller.must_change_password and not access.before_password_change:
            raise Forbidden("Change the initial password first", code="password_change_required")
        if caller.role not in access.roles:
            raise Forbidden("Your role may not do this", code="role_denied")
    if access.scope is not None:
        grid_code = access.scope(parts)
        if grid_code is not None and not caller.can_see(grid_code):
            raise Forbidden("Outside your grid scope", code="out_of_scope")

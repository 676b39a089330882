"""API keys for machine clients: created by an admin, shown once, stored
hashed, scoped to a subtree and a few operations, revocable. Each comes with
a callback secret, shown once too, that signs what Wangge sends the client."""

from chalicelib import clock
from chalicelib.domain import api_keys as key_rules
from chalicelib.domain import grid_codes
from chalicelib.domain.api_keys import ApiKey
from chalicelib.domain.callers import Caller
from chalicelib.errors import InvalidInput, Unauthorized
from chalicelib.schemas.users import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ApiKeyPage
from chalicelib.store import api_keys as key_store
from chalicelib.store import grids as grid_store
from chalicelib.usecases import audit

API_KEY_CALLER = "api_key#"  # a machine caller's user_id: this and the key id


def view(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(key_id=key.key_id, name=key.name, scope_code=key.scope_code,
                     operations=sorted(key.operations), revoked=key.revoked,
                     created_by=key.created_by, created_at=key.created_at)


def create_key(caller: Caller, request: ApiKeyCreate) -> ApiKeyCreated:
    grid_codes.depth_of(request.scope_code, "scope_code")
    key, api_key = ApiKey.issue(name=request.name, scope_code=request.scope_code,
                                operations=request.operations, created_by=caller.user_id,
                                now=clock.now())
    if grid_store.find(request.scope_code) is None:
        raise InvalidInput("scope_code", f"Grid {request.scope_code} does not exist")
    key_store.create(key)
    audit.record(caller, action="create", record=f"api_key#{key.key_id}",
                 scope_code=request.scope_code, changes={"operations": sorted(key.operations)})
    return ApiKeyCreated(**view(key).model_dump(), api_key=api_key,
                         callback_secret=key.callback_secret)


def list_keys(caller: Caller, *, limit: int, cursor: str | None) -> ApiKeyPage:
    items, next_cursor = key_store.in_subtree(caller.scope_code, limit=limit, cursor=cursor)
    return ApiKeyPage(items=[view(k) for k in items], next_cursor=next_cursor)


def revoke_key(caller: Caller, key_id: str) -> None:
    key = key_store.get(key_id)
    key_store.revoke(key)
    audit.record(caller, action="revoke", record=f"api_key#{key_id}", scope_code=key.scope_code)


def key_id_of(caller: Caller) -> str | None:
    """The API key a machine caller came with; None for people."""
    return caller.user_id.removeprefix(API_KEY_CALLER) if caller.is_machine else None


def scope_of_key(key_id: str) -> str:
    return key_store.get(key_id).scope_code


def authenticate(api_key: str) -> Caller:
    parts = key_rules.key_id_and_secret(api_key)
    key = key_store.find(parts[0]) if parts else None
    if key is None or not key.accepts(parts[1]):
        raise Unauthorized("Invalid API key", code="invalid_api_key")
    return Caller(user_id=f"{API_KEY_CALLER}{key.key_id}", role="machine", scope_code=key.scope_code,
                  name=key.name, machine_operations=frozenset(key.operations))

"""Access rows of the accounts and grid routes (see tests/api/test_access_matrix.py)."""

import secrets

from tests.api.access_rows import ADMINS, EVERYONE
from tests.conftest import new_phone


def a_user_in(grid):
    from chalicelib.usecases import bootstrap

    return bootstrap.ensure_user(phone=new_phone(), name="目标", role="viewer", scope_code=grid,
                                 password="Target#2026", must_change_password=False).user_id


def a_key_in(grid):
    from chalicelib import clock
    from chalicelib.store import api_keys

    key_id = secrets.token_hex(8)
    api_keys.create(api_keys.build(key_id=key_id, secret_digest="x", name="k", scope_code=grid,
                                   operations={"grids.read"}, created_by="test",
                                   created_at=clock.now()))
    return key_id


# operation name → (who may call it, the status they get, request(grid) → (method, path, body)).
# `None` for who: public. A request that touches no grid ignores its argument.
ROUTES = {
    "health": (None, 200, lambda g: ("GET", "/api/v1/health", None)),
    "openapi_document": (None, 200, lambda g: ("GET", "/api/v1/openapi.json", None)),
    "login": (None, 401, lambda g: ("POST", "/api/v1/auth/login",
                                    {"phone": new_phone(), "password": "nope12345"})),
    "refresh": (None, 401, lambda g: ("POST", "/api/v1/auth/refresh",
                                      {"refresh_token": "0" * 32 + ".forged"})),
    "logout": (EVERYONE, 204, lambda g: ("POST", "/api/v1/auth/logout",
                                         {"refresh_token": "0" * 32 + ".other"})),
    "change_password": (EVERYONE, 401, lambda g: ("POST", "/api/v1/auth/password", {
        "current_password": "wrong-password1", "new_password": "Another#2027"})),
    "get_profile": (EVERYONE, 200, lambda g: ("GET", "/api/v1/me", None)),
    "update_profile": (EVERYONE, 409, lambda g: ("PATCH", "/api/v1/me",
                                                 {"note": "x", "version": 99999})),
    "create_user": (ADMINS, 201, lambda g: ("POST", "/api/v1/users", {
        "phone": new_phone(), "name": "新人", "role": "viewer", "scope_code": g,
        "initial_password": "Initial#2026"})),
    "list_users": (ADMINS, 200, lambda g: ("GET", f"/api/v1/users?scope={g}", None)),
    "get_user": (ADMINS, 200, lambda g: ("GET", f"/api/v1/users/{a_user_in(g)}", None)),
    "update_user": (ADMINS, 200, lambda g: ("PATCH", f"/api/v1/users/{a_user_in(g)}",
                                            {"name": "改名", "version": 1})),
    "reset_password": (ADMINS, 200, lambda g: (
        "POST", f"/api/v1/users/{a_user_in(g)}/password-reset", {"new_password": "Reset#20261"})),
    "create_api_key": (ADMINS, 201, lambda g: ("POST", "/api/v1/api-keys", {
        "name": "12345热线", "scope_code": g, "operations": ["grids.read"]})),
    "list_api_keys": (ADMINS, 200, lambda g: ("GET", "/api/v1/api-keys", None)),
    "revoke_api_key": (ADMINS, 204, lambda g: ("DELETE", f"/api/v1/api-keys/{a_key_in(g)}",
                                               None)),
    "list_audit": (ADMINS, 200, lambda g: ("GET", f"/api/v1/audit?scope={g}", None)),
    "create_grid": (ADMINS, 201, lambda g: ("POST", "/api/v1/grids",
                                            {"parent_code": g, "name": "新网格"})),
    "get_grid": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/grids/{g}", None)),
    "list_children": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/grids/{g}/children", None)),
    "list_subtree": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/grids/{g}/subtree", None)),
}
# Routes that touch a grid: outside the caller's scope they are 403 for everyone.
SCOPED = {"create_user", "list_users", "get_user", "update_user", "reset_password",
          "create_api_key", "revoke_api_key", "list_audit", "create_grid", "get_grid",
          "list_children", "list_subtree"}
# Operations an API key may be granted, and the key's scope for this test.
MACHINE_ROUTES = {"get_grid", "list_children", "list_subtree"}

"""Every route × every role (and an API key, and nobody) × a grid inside and
outside the caller's scope: the status each gets. A route missing from ROUTES
fails `test_every_route_has_a_row`."""

import secrets

import pytest

from tests.conftest import ApiClient, new_phone

OTHER_COUNTY = "610102"
OUTSIDE = f"{OTHER_COUNTY}101201"  # a village of another county: outside every demo scope
ADMINS = {"county_admin", "town_admin"}
EVERYONE = {"county_admin", "town_admin", "dispatcher", "supervisor", "grid_leader",
            "grid_worker", "viewer"}
INSIDE = {role: "140825102201" for role in EVERYONE} | {"grid_worker": "1408251022010101"}


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
MACHINE_SCOPE = "140825102"


@pytest.fixture(scope="module")
def other_county(demo_town):
    from chalicelib.store import grids
    from chalicelib.usecases import bootstrap

    bootstrap.ensure_county(OTHER_COUNTY, "外县")
    for code in (OUTSIDE[:9], OUTSIDE):
        if grids.find(code) is None:
            grids.create(grids.build(code, "外"))


@pytest.fixture(scope="module")
def machine(other_county):
    from chalicelib.schemas.users import ApiKeyCreate
    from chalicelib.usecases import api_keys
    from chalicelib.web.access import Caller

    admin = Caller(user_id="test-admin", role="county_admin", scope_code="140825")
    created = api_keys.create_key(admin, ApiKeyCreate(
        name="12345", scope_code=MACHINE_SCOPE, operations=sorted(api_keys.MACHINE_OPERATIONS)))
    client = ApiClient()
    client.headers["X-API-Key"] = created.api_key
    return client


def call(client, route, grid):
    method, path, body = ROUTES[route][2](grid)
    return client.request(method, path, json_body=body)


def test_every_route_has_a_row(api):
    from chalicelib.web.api import OPERATIONS

    assert {op.name for op in OPERATIONS} == set(ROUTES)
    for op in OPERATIONS:
        assert (ROUTES[op.name][0] is None) == op.public, op.name


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_role_on_route(as_role, other_county, role, route):
    allowed, success, _ = ROUTES[route]
    client = as_role(role)
    inside = call(client, route, INSIDE[role])
    if allowed is None or role in allowed:
        assert inside.status == success, inside.body
    else:
        assert inside.status == 403, inside.body
        assert inside.error["code"] == "role_denied"
    if route in SCOPED:
        outside = call(as_role(role), route, OUTSIDE)
        assert outside.status == 403, outside.body


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_nobody_gets_401_except_on_public_routes(api, other_county, route):
    response = call(api, route, INSIDE["viewer"])
    if ROUTES[route][0] is None:
        assert response.status == ROUTES[route][1]
    else:
        assert response.status == 401
        assert response.error["code"] == "unauthenticated"


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_api_key_reaches_only_its_operations_and_scope(machine, route):
    response = call(machine, route, INSIDE["county_admin"])
    if ROUTES[route][0] is None:
        assert response.status == ROUTES[route][1]
    elif route in MACHINE_ROUTES:
        assert response.status == 200
        assert call(machine, route, OUTSIDE).status == 403
    else:
        assert response.status == 403
        assert response.error["code"] == "operation_denied"


@pytest.mark.parametrize("role,own,sibling", [
    ("grid_worker", "1408251022010101", "1408251022010102"),
    ("grid_leader", "140825102201", "140825102202"),
])
def test_neighbouring_grids_are_invisible(as_role, role, own, sibling):
    client = as_role(role)
    assert client.get(f"/api/v1/grids/{own}").status == 200
    response = client.get(f"/api/v1/grids/{sibling}")
    assert response.status == 403
    assert response.error["code"] == "out_of_scope"

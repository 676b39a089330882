"""Every route × every role (and an API key, and nobody) × a grid inside and
outside the caller's scope: the status each gets. A route missing from ROUTES
fails `test_every_route_has_a_row`."""

import pytest

from tests.api import ledger_fixtures
from tests.api.access_rows import EVERYONE, MACHINE_ROUTES, ROUTES, SCOPED
from tests.api.route_callers import INSIDE, OUTSIDE


def call(client, route, grid, role=None):
    """The route's request, with records made for it; a role the route refuses is
    turned away before any record is looked at, so for it none are written."""
    allowed = ROUTES[route][0]
    refused = role is not None and allowed is not None and role not in allowed
    with ledger_fixtures.pretend(refused):
        method, path, body = ROUTES[route][2](grid)
    return client.request(method, path, json_body=body)


def test_every_route_has_a_row(api):
    from chalicelib.web.api import OPERATIONS

    assert {op.name for op in OPERATIONS} == set(ROUTES)
    for op in OPERATIONS:
        assert (ROUTES[op.name][0] is None) == op.public, op.name


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_role_on_route(logged_in, as_role, other_county, role, route):
    allowed, success, _ = ROUTES[route]
    # Logging out ends the caller's own session, so that one gets a session of its own.
    client = as_role(role) if route == "logout" else logged_in(role)
    inside = call(client, route, INSIDE[role], role)
    if allowed is None or role in allowed:
        expected = success.get(role, success["*"]) if isinstance(success, dict) else success
        assert inside.status == expected, inside.body
    else:
        assert inside.status == 403, inside.body
        assert inside.error["code"] == "role_denied"
    if route in SCOPED:
        outside = call(client, route, OUTSIDE, role)
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
        assert response.status == ROUTES[route][1], response.body
        if route in SCOPED:
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

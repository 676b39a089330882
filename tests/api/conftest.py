"""Who calls the routes in the tests that walk every route: a session per role,
an API key, and a county outside every demo scope (made when a test asks)."""

import pytest

from tests.api.access_rows import MACHINE_SCOPE
from tests.api.route_callers import OTHER_COUNTY, OUTSIDE
from tests.conftest import DEMO_ACCOUNTS, ApiClient


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
    """A client with an API key of every machine operation, scoped to MACHINE_SCOPE."""
    from chalicelib.domain.api_keys import MACHINE_OPERATIONS
    from chalicelib.schemas.users import ApiKeyCreate
    from chalicelib.usecases import api_keys
    from chalicelib.web.access import Caller

    admin = Caller(user_id="test-admin", role="county_admin", scope_code="140825")
    created = api_keys.create_key(admin, ApiKeyCreate(
        name="12345", scope_code=MACHINE_SCOPE, operations=sorted(MACHINE_OPERATIONS)))
    client = ApiClient()
    client.headers["X-API-Key"] = client.api_key = created.api_key
    return client


@pytest.fixture(scope="module")
def logged_in(demo_town):
    """One session per role for the whole module: logging in 7 × every route is slow."""
    clients: dict[str, ApiClient] = {}

    def client(role: str) -> ApiClient:
        if role not in clients:
            account = DEMO_ACCOUNTS[role]
            clients[role] = ApiClient().login(account["phone"], account["password"])
        return clients[role]
    return client

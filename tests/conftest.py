"""Test set-up: one throwaway DynamoDB Local (in memory, on a free port) for
the whole run, every table created from the models, and an HTTP client that
drives the real Chalice app through Chalice's local API Gateway emulation."""

import itertools
import json
import os
import random
from dataclasses import dataclass
from typing import Any

import pytest

from devtools import dynamodb_local, environment

# The servers' ports are fixed now, for the settings the app reads once, and held
# until the servers start (later, when the first test needs them).
_endpoint = os.environ.get("TEST_DYNAMODB_ENDPOINT")
_port_held = None if _endpoint else dynamodb_local.reserve_port()
_port = _port_held.getsockname()[1] if _port_held else None
environment.configure(_endpoint or f"http://127.0.0.1:{_port}", stage="test",
                      table_prefix="wangge-test-", fast_password_hashing=True)
# Case photos go to a local S3-compatible server (devtools/s3_local.py), started
# for the tests that use the database.
_s3_port_held = dynamodb_local.reserve_port()
_s3_port = _s3_port_held.getsockname()[1]
os.environ["S3_ENDPOINT"] = f"http://127.0.0.1:{_s3_port}"
os.environ["WANGGE_ATTACHMENTS_BUCKET"] = "wangge-test-attachments"


@pytest.fixture(scope="session")
def database():
    if _port_held is not None:
        _port_held.close()
    server = None if _endpoint else dynamodb_local.start(_port)
    from devtools import tables

    tables.create_all()
    yield
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def s3_server():
    from devtools import s3_local

    _s3_port_held.close()
    server = s3_local.start(os.environ["WANGGE_ATTACHMENTS_BUCKET"], _s3_port)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _s3_for_database_tests(request):
    if "database" in request.fixturenames:
        request.getfixturevalue("s3_server")


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> dict:
        return self.json["error"]


class ApiClient:
    def __init__(self) -> None:
        from app import app

        from devtools.server import EnvelopeGateway, local_config, with_request_per_thread

        # Tests of concurrent writes call the app from several threads.
        self.gateway = EnvelopeGateway(with_request_per_thread(app), local_config())
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, *, json_body: Any = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> ApiResponse:
        merged = {**self.headers, **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            merged.setdefault("Content-Type", "application/json")
        response = self.gateway.handle_request(method, path, merged, body)
        raw = response.get("body") or b""
        return ApiResponse(status=response["statusCode"],
                           headers={k.lower(): v for k, v in response["headers"].items()},
                           body=raw.encode() if isinstance(raw, str) else raw)

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, json_body=body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.request("PATCH", path, json_body=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.request("PUT", path, json_body=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("DELETE", path, **kwargs)


    def login(self, phone: str, password: str = "Wangge#2026") -> "ApiClient":
        """This client, logged in (its requests carry the access token)."""
        response = self.post("/api/v1/auth/login", {"phone": phone, "password": password})
        assert response.status == 200, response.body
        self.session = response.json
        self.headers["Authorization"] = f"Bearer {self.session['access_token']}"
        return self


@pytest.fixture
def api(database) -> ApiClient:
    """An anonymous client."""
    return ApiClient()


DEMO_ACCOUNTS = {a["role"]: a for a in json.loads(
    (environment.ROOT / "docs" / "demo-accounts.json").read_text())}


@pytest.fixture(scope="session")
def demo_town(database):
    from devtools import demo

    town = demo.generate(demo.PRESETS["sanquan-test"])
    demo.load(town)
    demo.load_accounts()
    return town


@pytest.fixture
def as_role(demo_town):
    """as_role("grid_worker") -> a client logged in as that demo account."""
    def login(role: str) -> ApiClient:
        return ApiClient().login(DEMO_ACCOUNTS[role]["phone"], DEMO_ACCOUNTS[role]["password"])
    return login


# Counties of the tests' own: provinces 41–59 (the demo county is 14…, the
# access matrix's other county 61…), handed out in turn so no two tests of a
# run share one; the start is random so reruns against one database do not meet.
_county_numbers = itertools.count(random.randrange(190_000))


@pytest.fixture
def county_code() -> str:
    """A county code of its own, so a test's grids never meet another test's."""
    number = next(_county_numbers) % 190_000
    return f"{41 + number // 10_000}{number % 10_000:04d}"


# Phones log users in, so they are unique: handed out in turn like the counties.
_phone_numbers = itertools.count(random.randrange(100_000_000))


def new_phone() -> str:
    return f"109{next(_phone_numbers) % 100_000_000:08d}"


@pytest.fixture
def county_admin(database, county_code) -> ApiClient:
    """A client logged in as the admin of a new, empty county of its own."""
    from chalicelib.usecases import bootstrap

    bootstrap.ensure_county(county_code, "测试县")
    phone = new_phone()
    bootstrap.ensure_user(phone=phone, name="县管理员", role="county_admin",
                          scope_code=county_code, password="Admin#2026",
                          must_change_password=False)
    client = ApiClient().login(phone, "Admin#2026")
    client.county = county_code
    return client


# Sweeps' DynamoDB calls, checked against what their functions may do on AWS.
DYNAMODB_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "ConditionCheckItem"}
WRITES_ALLOWED = {"read": set(), "append": {"PutItem"}, "read_write": DYNAMODB_WRITES}


@pytest.fixture
def dynamodb_calls(monkeypatch):
    """{aggregate: {operation, …}} of every DynamoDB call made while the test runs; a
    transaction's items as the operation IAM checks each by (Put: PutItem, …)."""
    from chalicelib.settings import settings
    from pynamodb.connection.base import Connection

    seen: dict[str, set[str]] = {}
    dispatch = Connection.dispatch

    def recorded(self, operation, kwargs):
        calls = [(kwargs["TableName"], operation)] if "TableName" in kwargs else []
        calls += [(part["TableName"], f"{kind}Item") for item in kwargs.get("TransactItems", ())
                  for kind, part in item.items()]
        calls += [(table, operation) for table in kwargs.get("RequestItems", ())]
        for table, table_operation in calls:
            seen.setdefault(table.removeprefix(settings.table_prefix), set()).add(
                table_operation)
        return dispatch(self, operation, kwargs)

    monkeypatch.setattr(Connection, "dispatch", recorded)
    return seen


def assert_declared(function: str, calls: dict[str, set[str]]) -> None:
    from chalicelib.function_needs import EVERY_TABLE, FUNCTION_NEEDS

    declared = FUNCTION_NEEDS[function]["tables"]
    assert calls, "the run touched no table: the test exercised nothing"
    for aggregate, operations in calls.items():
        level = declared.get(aggregate, declared.get(EVERY_TABLE))
        assert level is not None, f"{function} uses {aggregate} ({operations}) undeclared"
        writes = operations & DYNAMODB_WRITES
        assert writes <= WRITES_ALLOWED[level], (
            f"{function} calls {sorted(writes)} on {aggregate} but may only {level} it")

"""Test set-up: one throwaway DynamoDB Local (in memory, on a free port) for
the whole run, every table created from the models, and an HTTP client that
drives the real Chalice app through Chalice's local API Gateway emulation."""

import json
import os
import random
from dataclasses import dataclass
from typing import Any

import pytest

from devtools import dynamodb_local, environment

_endpoint = os.environ.get("TEST_DYNAMODB_ENDPOINT")
_port = None if _endpoint else dynamodb_local.free_port()
environment.configure(_endpoint or f"http://127.0.0.1:{_port}", stage="test",
                      table_prefix="wangge-test-")


@pytest.fixture(scope="session")
def database():
    server = None if _endpoint else dynamodb_local.start(_port)
    from devtools import tables

    tables.create_all()
    yield
    if server is not None:
        server.stop()


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

        from devtools.server import EnvelopeGateway, local_config

        self.gateway = EnvelopeGateway(app, local_config())
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


@pytest.fixture
def api(database) -> ApiClient:
    return ApiClient()


@pytest.fixture(scope="session")
def demo_town(database):
    from devtools import demo

    town = demo.generate(demo.PRESETS["sanquan"])
    demo.load(town)
    return town


@pytest.fixture
def county_code() -> str:
    """A county code of its own, so a test's grids never meet another test's."""
    return f"{random.randint(41, 65)}{random.randint(0, 9999):04d}"

"""The OpenAPI document says what the API answers. Every answer any test of this
module gets is checked against it: its status is one the operation declares, and
its body validates against the schema declared for that status. The requests are
of every kind, for every route of the access matrix: the good one, without
credentials, refused, with a bad or oversized body, naming what does not exist,
and an Idempotency-Key used again with another request."""

import re
import secrets
import urllib.parse
from urllib.parse import urlencode

import jsonschema
import pytest

from tests.api import ledger_fixtures
from tests.api.access_rows import EVERYONE, MACHINE_ROUTES, ROUTES, SCOPED
from tests.api.route_callers import INSIDE, OUTSIDE
from tests.conftest import ApiClient, new_phone

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def document(database):
    return ApiClient().get("/api/v1/openapi.json").json


def _operation(document, method, path):
    route_path = urllib.parse.urlsplit(path).path
    templates = sorted(document["paths"], key=lambda template: template.count("{"))
    for template in templates:
        if re.fullmatch(re.sub(r"{\w+}", "[^/]+", template), route_path):
            operation = document["paths"][template].get(method.lower())
            if operation is not None:
                return operation
    return None


def undocumented(document, method, path, response) -> str | None:
    """What the document gets wrong about this answer, or None."""
    operation = _operation(document, method, path)
    if operation is None:
        return "no such operation"
    declared = operation["responses"].get(str(response.status))
    if declared is None:
        return f"status {response.status} is not declared: {response.body[:200]!r}"
    content = declared.get("content")
    if content is None:
        return None if not response.body else f"{response.status} declares no body"
    validator = jsonschema.Draft202012Validator(
        {**content["application/json"]["schema"], "components": document["components"]})
    failures = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(response.json)]
    return f"{response.status} body: {'; '.join(failures)}" if failures else None


@pytest.fixture(autouse=True)
def answers_match_the_document(document, monkeypatch):
    """Records every answer an ApiClient gets in the test, and checks them after it."""
    seen = []
    request = ApiClient.request

    def recorded(self, method, path, **kwargs):
        response = request(self, method, path, **kwargs)
        seen.append((method, path, response))
        return response

    monkeypatch.setattr(ApiClient, "request", recorded)
    yield seen
    wrong = [f"{method} {path}: {problem}" for method, path, response in seen
             if (problem := undocumented(document, method, path, response))]
    assert not wrong, "\n".join(wrong)


def _absent(template: str, path: str) -> str:
    """The path with each of its ids swapped for one of the same kind that names nothing."""
    pattern = re.sub(r"{(\w+)}", r"(?P<\1>[^/?]+)", template)
    found = re.match(pattern, path)
    absent = path
    for value in found.groupdict().values():
        other = ("14" + "9" * (len(value) - 2) if value.isdigit()
                 else f"absent{secrets.token_hex(4)}.json" if value.endswith(".json")
                 else secrets.token_hex(16))
        absent = absent.replace(value, other, 1)
    return absent


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_kind_of_answer_is_documented(route, api, logged_in, as_role, machine,
                                            other_county):
    from chalicelib.settings import settings
    from chalicelib.web.api import OPERATIONS

    operation = next(op for op in OPERATIONS if op.name == route)
    allowed, _, request_of = ROUTES[route]
    if allowed is None:
        client, role = api, None
    elif not allowed:
        client, role = machine, "county_admin"
    else:
        role = "county_admin" if "county_admin" in allowed else min(allowed)
        client = as_role(role) if route == "logout" else logged_in(role)
    grid = INSIDE[role or "viewer"]

    def send(client, grid=grid, refused=False, **kwargs):
        with ledger_fixtures.pretend(refused):
            method, path, body = request_of(grid)
        if "body" not in kwargs:
            kwargs["json_body"] = body
        return client.request(method, path, **kwargs)

    if not operation.public:
        assert send(api, refused=True).status == 401
        refused_roles = sorted(EVERYONE - allowed)
        if refused_roles:
            send(logged_in(refused_roles[0]), refused=True)
        if route not in MACHINE_ROUTES:
            send(machine, refused=True)
        if route in SCOPED:
            send(client, grid=OUTSIDE)
    if operation.body is not None:
        assert send(client, body=b"{", headers=JSON).status == 400
        assert send(client, body=b'{"unexpected": true}', headers=JSON).status == 400
        assert send(client, body=b"{}", headers={"Content-Type": "text/plain"}).status == 415
    if operation.method in ("POST", "PUT", "PATCH"):
        too_large = b" " * (settings.max_body_bytes + 1)
        assert send(client, body=too_large, headers=JSON).status == 413
    if "{" in operation.path:
        with ledger_fixtures.pretend():
            method, path, body = request_of(grid)
        client.request(method, _absent(operation.path, path), json_body=body)
    if operation.idempotent:
        key = {"Idempotency-Key": f"openapi-{secrets.token_hex(8)}"}
        send(client, headers=key)
        send(client, headers=key)
    # Last: a good logout ends the session the requests above used.
    assert send(client).status < 500


def test_login_lockout_is_documented(api, demo_town):
    phone = new_phone()
    answers = [api.post("/api/v1/auth/login", {"phone": phone, "password": "Wrong#12345"})
               for _ in range(6)]
    assert [a.status for a in answers] == [401] * 4 + [429] * 2


def test_georeport_errors_and_answers_are_documented(api, machine):
    def submit(**fields):
        return api.request("POST", "/api/v1/open311/requests.json",
                           body=urlencode(fields).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert submit(service_code="sanitation", lat="35.6", long="111.2").status == 400
    assert submit(api_key="wgk_nope_nope", service_code="sanitation").status == 403
    assert submit(api_key=machine.api_key, service_code="petition", address_string="x",
                  **{"attribute[grid_code]": INSIDE["county_admin"]}).status == 404
    posted = submit(api_key=machine.api_key, service_code="sanitation", address_string="x",
                    description="路灯不亮")
    assert posted.status == 201
    request_id = posted.json[0]["service_request_id"]
    assert api.get(f"/api/v1/open311/requests/{request_id}.json").status == 200
    assert api.get("/api/v1/open311/requests.json?jurisdiction_id=1").status == 400
    assert api.get("/api/v1/open311/services.json?jurisdiction_id=1").status == 400
    assert api.get("/api/v1/open311/services/sanitation.json").status == 200
    assert api.get("/api/v1/open311/services/sanitation.xml").status == 404


def test_openapi_documents_every_route(api):
    from app import app

    document = api.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in document["paths"].items()
                  for method in ops}
    routed = {(path, method) for path, methods in app.routes.items() for method in methods}
    assert documented == routed


def test_openapi_schemas_come_from_the_validating_models(api):
    from chalicelib.schemas.grids import GridCreate

    document = api.get("/api/v1/openapi.json").json
    create = document["paths"]["/api/v1/grids"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert schema["properties"].keys() == GridCreate.model_json_schema()["properties"].keys()
    assert schema.get("additionalProperties") is False
    assert "ErrorEnvelope" in document["components"]["schemas"]
    params = document["paths"]["/api/v1/grids/{code}/subtree"]["get"]["parameters"]
    assert {p["name"] for p in params} == {"code", "limit", "cursor", "level"}

"""A database or file storage that is down, stuck or throttling is answered 503
with the envelope and Retry-After, on every kind of route, and leaves nothing
written. The failures are real ones: the app pointed at a closed port or at a
server that never answers, or botocore's own failure raised or DynamoDB's own
throttling answer given by an event hook on the real client."""

import dataclasses
import json
import socket
import threading

import pytest

from tests.api import ledger_tree
from tests.api.test_cases_attachments import JPEG, upload
from tests.conftest import ApiClient, new_phone


def assert_unavailable(response) -> None:
    assert response.status == 503, response.body
    error = response.error
    assert error["code"] == "service_unavailable"
    assert error["message"] and error["details"] == [] and error["request_id"]
    assert int(response.headers["retry-after"]) > 0


@pytest.fixture
def database_at(monkeypatch):
    """database_at(url): every table, transaction and the idempotency store go to
    `url` (one try, short timeouts) until the test ends."""
    from chalicelib.store import base
    from chalicelib.store.tables import ALL_MODELS
    from chalicelib.web import idempotency

    def point(url: str) -> None:
        quick = dataclasses.replace(base.settings, dynamodb_endpoint=url,
                                    connect_timeout_seconds=0.5, read_timeout_seconds=0.5,
                                    call_attempts=1)
        for model in ALL_MODELS:
            monkeypatch.setattr(model.Meta, "host", url)
            monkeypatch.setattr(model.Meta, "connect_timeout_seconds", 0.5)
            monkeypatch.setattr(model.Meta, "read_timeout_seconds", 0.5)
            monkeypatch.setattr(model.Meta, "max_retry_attempts", 0)
            monkeypatch.setattr(model, "_connection", None)
        for module in (base, idempotency):
            monkeypatch.setattr(module, "settings", quick)
        monkeypatch.setattr(base, "_connection", None)
        monkeypatch.setattr(idempotency, "_persistence", None)

    return point


@pytest.fixture
def closed_port() -> str:
    from devtools.dynamodb_local import free_port

    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def frozen_server():
    """A server that takes connections and never answers (a frozen DynamoDB Local)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection in held:
        connection.close()


class Hooks:
    """Hooks on real botocore clients, all removed when the test ends (or earlier)."""

    def __init__(self) -> None:
        self.registered: list[tuple] = []

    def __call__(self, client, event: str, hook) -> None:
        client.meta.events.register(event, hook)
        self.registered.append((client, event, hook))

    def remove_all(self) -> None:
        for client, event, hook in self.registered:
            client.meta.events.unregister(event, hook)
        self.registered.clear()


@pytest.fixture
def hooks():
    installed = Hooks()
    yield installed
    installed.remove_all()


def unreachable(request, **_):
    from botocore.exceptions import EndpointConnectionError

    raise EndpointConnectionError(endpoint_url=request.url)


def dynamodb_client(model=None):
    from chalicelib.store.base import connection

    return (model._get_connection().connection if model else connection()).client


@pytest.fixture
def town(county_admin):
    tree = ledger_tree.build(county_admin)
    return tree, county_admin, ledger_tree.user_in(tree.micro_a1, "grid_worker")


def report(worker, tree, **headers):
    return worker.post("/api/v1/cases", {"category": "sanitation", "grid_code": tree.micro_a1,
                                         "description": "路边垃圾堆放"}, headers=headers)


def test_a_database_that_is_down_is_503_for_reads_writes_and_tokens(town, database_at,
                                                                    closed_port):
    tree, admin, worker = town
    database_at(closed_port)
    assert_unavailable(admin.get(f"/api/v1/grids/{tree.town}"))
    assert_unavailable(report(worker, tree))
    assert_unavailable(ApiClient().post("/api/v1/auth/login", {
        "phone": new_phone(), "password": "Wangge#2026"}))


def test_a_database_that_never_answers_is_503_once_the_read_times_out(town, database_at,
                                                                      frozen_server):
    tree, admin, _ = town
    database_at(frozen_server)
    assert_unavailable(admin.get(f"/api/v1/grids/{tree.town}"))


def test_a_route_whose_own_read_fails_is_503(town, hooks):
    from chalicelib.store.grids import GridModel

    tree, admin, _ = town
    hooks(dynamodb_client(GridModel), "before-send.dynamodb.*", unreachable)
    assert_unavailable(admin.get(f"/api/v1/grids/{tree.town}"))


def test_a_write_that_cannot_reach_the_database_is_503_and_writes_nothing(town, hooks):
    from chalicelib.store import counters

    tree, admin, worker = town
    hooks(dynamodb_client(), "before-send.dynamodb.TransactWriteItems", unreachable)
    assert_unavailable(report(worker, tree))
    # Creating an account is one transaction too; an outage is not 'phone taken'.
    assert_unavailable(admin.post("/api/v1/users", {
        "phone": new_phone(), "name": "新用户", "role": "viewer", "scope_code": tree.town,
        "initial_password": "Viewer#2026x"}))
    assert_unavailable(report(worker, tree, **{"Idempotency-Key": "outage-0001"}))
    hooks.remove_all()  # the database is back: nothing of the three was written
    listed = admin.get(f"/api/v1/cases?scope={tree.county}")
    assert listed.status == 200, listed.body
    assert listed.json["items"] == []
    assert counters.read(tree.county, "cases") == {}
    # and the key is not left holding a request in progress
    assert report(worker, tree, **{"Idempotency-Key": "outage-0001"}).status == 201


def throttled(request, **_):
    """DynamoDB's answer when a table is over its throughput."""
    from botocore.awsrequest import AWSResponse

    class Body:
        def stream(self, **_):
            yield json.dumps({
                "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                "message": "Rate of requests exceeds the allowed throughput."}).encode()

    return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.0",
                                          "x-amzn-RequestId": "injected"}, Body())


def test_throttling_that_outlasts_the_retries_is_503_and_a_passing_one_is_not(town, hooks):
    from chalicelib.store.grids import GridModel

    tree, admin, _ = town
    calls = []

    def throttled_twice(request, **kwargs):
        calls.append(request.url)
        return throttled(request) if len(calls) <= 2 else None

    hooks(dynamodb_client(GridModel), "before-send.dynamodb.GetItem", throttled_twice)
    assert admin.get(f"/api/v1/grids/{tree.town}").status == 200  # botocore retried
    hooks(dynamodb_client(GridModel), "before-send.dynamodb.GetItem", throttled)
    assert_unavailable(admin.get(f"/api/v1/grids/{tree.town}"))


def test_the_idempotency_store_out_of_reach_is_503(town, hooks):
    from chalicelib.web import idempotency

    tree, _, worker = town
    hooks(idempotency._store().client, "before-send.dynamodb.PutItem", unreachable)
    assert_unavailable(report(worker, tree, **{"Idempotency-Key": "outage-0002"}))


def test_a_photo_whose_storage_is_out_of_reach_is_503(town, hooks):
    from chalicelib.store import objects

    tree, _, worker = town
    case = report(worker, tree).json
    path = f"/api/v1/cases/{case['case_id']}/attachments"
    form = worker.post(f"{path}/uploads", {"content_type": "image/jpeg", "size": len(JPEG)})
    assert upload(form.json, JPEG) in (200, 201, 204)
    hooks(objects.client(), "before-send.s3.*", unreachable)
    assert_unavailable(worker.post(path, {"attachment_id": form.json["attachment_id"]}))
    detail = worker.get(f"/api/v1/cases/{case['case_id']}").json
    assert detail["attachments"] == []


def test_a_sweep_stops_cleanly_when_the_database_is_down(database, database_at, closed_port):
    from chalicelib import sweeps

    database_at(closed_port)
    assert sweeps.run("case-deadlines") == {"stopped": "service_unavailable"}


def test_every_client_gives_up_within_api_gateways_29_seconds(database, monkeypatch):
    """On AWS, attempts × (connect + read timeouts) plus botocore's longest back-off
    between attempts (standard mode: up to 1, 2, 4… s): a stuck call ends in a 503,
    not in API Gateway's own 504 after 29 s. Every client takes the settings' bounds
    (a local stack's are the same but for a longer read)."""
    from chalicelib.settings import Settings, settings
    from chalicelib.store import objects
    from chalicelib.store.tables import ALL_MODELS
    from chalicelib.web import idempotency

    for name in ("DYNAMODB_ENDPOINT", "WANGGE_CONNECT_TIMEOUT", "WANGGE_READ_TIMEOUT",
                 "WANGGE_CALL_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    on_aws = Settings.from_environment()
    backoff = sum(min(2 ** n, 20) for n in range(on_aws.call_attempts - 1))
    worst = on_aws.call_attempts * (on_aws.connect_timeout_seconds
                                    + on_aws.read_timeout_seconds) + backoff
    assert 1 < on_aws.call_attempts and worst < 29, worst

    clients = [dynamodb_client(model) for model in ALL_MODELS]
    clients += [dynamodb_client(), objects.client(), idempotency._store().client]
    for client in clients:
        config = client.meta.config
        assert config.retries == {"mode": "standard",
                                  "total_max_attempts": settings.call_attempts}, client
        assert (config.connect_timeout, config.read_timeout) == (
            settings.connect_timeout_seconds, settings.read_timeout_seconds), client


def test_an_open311_request_that_cannot_be_written_is_a_georeport_503(town, hooks):
    from urllib.parse import urlencode

    from tests.api.test_open311 import key_for

    tree, _, _ = town
    key = key_for(tree.county, tree.town)
    hooks(dynamodb_client(), "before-send.dynamodb.TransactWriteItems", unreachable)
    answer = ApiClient().request(
        "POST", "/api/v1/open311/requests.json",
        body=urlencode({"api_key": key, "service_code": "sanitation",
                        "attribute[grid_code]": tree.micro_a1,
                        "address_string": "村口", "description": "垃圾没人清"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 503, answer.body
    assert answer.json[0]["code"] == 503
    assert answer.headers["retry-after"]


def test_an_open311_read_that_cannot_reach_the_database_is_a_georeport_503(town, hooks):
    from chalicelib.store.case_categories import CaseCategoryModel

    tree, _, _ = town
    hooks(dynamodb_client(CaseCategoryModel), "before-send.dynamodb.Query", unreachable)
    answer = ApiClient().get(f"/api/v1/open311/services.json?jurisdiction_id={tree.county}")
    assert answer.status == 503, answer.body
    assert answer.json == [{"code": 503, "description": answer.json[0]["description"]}]
    assert answer.headers["retry-after"]

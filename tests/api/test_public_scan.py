"""A resident's scan of a board or contact card: what it opens (what the board
shows, nothing more), the one "not valid" answer for every code that opens
nothing, the problem reported from it, the limit per client, and an outage."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.ledger_fixtures import new_address, new_id_number
from tests.api.ledger_tree import build
from tests.api.qr_fixtures import board_code, card_code, client_at
from tests.api.test_database_unavailable import (  # noqa: F401 - fixtures
    assert_unavailable,
    closed_port,
    database_at,
)
from tests.api.test_workers import a_worker
from tests.conftest import new_phone

V1 = "/api/v1"


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def assigned(api, worker, grid, start="2026-01-05"):
    response = api.post(f"{V1}/workers/{worker['worker_id']}/assignments",
                        {"grid_code": grid, "start_date": start})
    assert response.status == 201, response.body
    return response.json


def a_rental(api, grid, worker=None, tenants=0):
    response = api.post(f"{V1}/rentals", {
        "grid_code": grid, "address": new_address(), "owner_name": "房东",
        "owner_phone": new_phone(),
        **({"responsible_worker_id": worker["worker_id"]} if worker else {})})
    assert response.status == 201, response.body
    rental = response.json
    for _ in range(tenants):
        added = api.post(f"{V1}/rentals/{rental['rental_id']}/tenants", {
            "name": "租户", "id_number": new_id_number(), "phone": new_phone(),
            "move_in": "2026-02-01"})
        assert added.status == 201, added.body
    return rental


def led_by(api, grid, worker):
    version = api.get(f"{V1}/grids/{grid}").json["version"]
    response = api.patch(f"{V1}/grids/{grid}", {"version": version,
                                                "leader_worker_id": worker["worker_id"]})
    assert response.status == 200, response.body


def grid_name(api, grid):
    return api.get(f"{V1}/grids/{grid}").json["name"]


def assert_not_valid(response):
    assert response.status == 404, response.body
    assert response.error["code"] == "code_not_valid"
    assert response.error["message"] == "This code is not valid"
    assert response.error["details"] == []


def test_a_board_opens_exactly_what_the_board_shows(county_admin, tree):
    api = county_admin
    worker, leader = a_worker(api, tree.village_a), a_worker(api, tree.village_a, name="王网格长")
    assigned(api, worker, tree.micro_a1)
    led_by(api, tree.village_a, leader)
    rental = a_rental(api, tree.micro_a1, worker, tenants=2)
    _, token = board_code(rental["rental_id"])

    response = client_at().get(f"{V1}/public/codes/{token}")

    assert response.status == 200, response.body
    assert response.json == {
        "micro_grid": grid_name(api, tree.micro_a1),
        "worker": {"name": worker["name"],
                   "phone": api.get(f"{V1}/workers/{worker['worker_id']}?reveal=true"
                                    ).json["phone"]},
        "grid_leader": {"name": "王网格长",
                        "phone": api.get(f"{V1}/workers/{leader['worker_id']}?reveal=true"
                                         ).json["phone"]}}
    text = response.body.decode()
    for private in (rental["rental_id"], worker["worker_id"], leader["worker_id"],
                    rental["address"], tree.micro_a1):
        assert private not in text


def test_a_rental_nobody_is_responsible_for_opens_the_micro_grids_worker(county_admin, tree):
    api = county_admin
    worker = a_worker(api, tree.village_a, name="陈网格")
    assigned(api, worker, tree.micro_a1)
    _, token = board_code(a_rental(api, tree.micro_a1)["rental_id"])
    answer = client_at().get(f"{V1}/public/codes/{token}").json
    assert answer["worker"]["name"] == "陈网格" and answer["grid_leader"] is None


def test_a_leaving_workers_card_opens_the_micro_grids_current_worker(county_admin, tree):
    api = county_admin
    leaving, staying = a_worker(api, tree.village_a, name="离网格"), \
        a_worker(api, tree.village_a, name="留网格")
    card = assigned(api, leaving, tree.micro_a1)
    assigned(api, staying, tree.micro_a1, start="2026-02-01")
    _, token = card_code(card["assignment_id"])
    scanner = client_at()
    assert scanner.get(f"{V1}/public/codes/{token}").json["worker"]["name"] == "离网格"

    version = api.get(f"{V1}/workers/{leaving['worker_id']}").json["version"]
    left = api.post(f"{V1}/workers/{leaving['worker_id']}/leave", {"version": version})
    assert left.status in (200, 201), left.body

    assert scanner.get(f"{V1}/public/codes/{token}").json["worker"]["name"] == "留网格"


def _flip(token: str, at: int) -> str:
    replacement = "1" if token[at] != "1" else "2"
    return token[:at] + replacement + token[at + 1:]


def test_every_code_that_opens_nothing_is_the_same_404(county_admin, tree):
    from chalicelib import qr_keys
    from chalicelib.domain import qr_tokens

    rental = a_rental(county_admin, tree.micro_a1)
    _, token = board_code(rental["rental_id"])
    revoked_serial, revoked = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    assert county_admin.post(f"{V1}/qr-codes/{revoked_serial}/revoke").status == 200
    unknown = qr_tokens.sign(qr_tokens.new_serial(), qr_keys.qr_keys())
    scanner = client_at()
    assert scanner.get(f"{V1}/public/codes/{token}").status == 200
    answers = [scanner.get(f"{V1}/public/codes/{bad}") for bad in (
        _flip(token, len(token) - 1),  # the MAC
        _flip(token, 5),  # the serial
        token[:-1], token + "0", "not-a-code", unknown, revoked)]
    for answer in answers:
        assert_not_valid(answer)
    assert len({json.dumps({k: v for k, v in a.error.items() if k != "request_id"})
                for a in answers}) == 1
    assert_not_valid(client_at().post(f"{V1}/public/codes/{revoked}/reports", {"text": "坏了"}))


def test_a_deleted_rentals_board_is_not_valid(county_admin, tree):
    rental = a_rental(county_admin, tree.micro_a1)
    _, token = board_code(rental["rental_id"])
    deleted = county_admin.delete(f"{V1}/rentals/{rental['rental_id']}?version={rental['version']}")
    assert deleted.status == 204, deleted.body
    assert_not_valid(client_at().get(f"{V1}/public/codes/{token}"))


def _keys(current: str, **keys) -> str:
    return json.dumps({"current": current, "keys": keys})


def test_an_old_keys_code_opens_within_the_grace_and_not_after(county_admin, tree, monkeypatch):
    monkeypatch.setenv("WANGGE_QR_KEYS", _keys("A", A={"secret": "the-old-key-" * 3}))
    _, token = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    assert token.startswith("A")
    scanner = client_at()
    assert scanner.get(f"{V1}/public/codes/{token}").status == 200

    retired = datetime.now(UTC) - timedelta(days=300)
    monkeypatch.setenv("WANGGE_QR_KEYS", _keys(
        "B", B={"secret": "the-new-key-" * 3},
        A={"secret": "the-old-key-" * 3, "retired_at": retired.isoformat()}))
    assert scanner.get(f"{V1}/public/codes/{token}").status == 200

    monkeypatch.setenv("WANGGE_QR_KEYS", json.dumps({
        "current": "B", "grace_days": 200,
        "keys": {"B": {"secret": "the-new-key-" * 3},
                 "A": {"secret": "the-old-key-" * 3, "retired_at": retired.isoformat()}}}))
    assert_not_valid(scanner.get(f"{V1}/public/codes/{token}"))


def test_a_residents_report_is_a_case_at_the_codes_micro_grid(county_admin, tree):
    api = county_admin
    _, token = board_code(a_rental(api, tree.micro_a2)["rental_id"])
    response = client_at().post(f"{V1}/public/codes/{token}/reports", {
        "text": "楼道灯坏了", "position": {"lat": 35.6, "lng": 111.2, "accuracy_m": 12}})
    assert response.status == 201, response.body
    assert set(response.json) == {"received", "reference", "message"}
    cases = api.get(f"{V1}/cases?box=subtree&scope={tree.micro_a2}&state=reported").json["items"]
    [case] = [c for c in cases if c["description"] == "楼道灯坏了"]
    assert case["source"] == "resident" and case["location_grid"] == tree.micro_a2
    assert response.json["reference"] == case["case_id"][-6:].upper()
    assert (case["lat"], case["lng"]) == (35.6, 111.2)


def test_a_retried_report_files_one_case(county_admin, tree):
    api = county_admin
    _, token = board_code(a_rental(api, tree.micro_b)["rental_id"])
    resident, key = client_at(), {"Idempotency-Key": "report-0001-retried"}
    first = resident.post(f"{V1}/public/codes/{token}/reports", {"text": "井盖丢了"}, headers=key)
    again = resident.post(f"{V1}/public/codes/{token}/reports", {"text": "井盖丢了"}, headers=key)
    assert first.status == again.status == 201, again.body
    assert first.json["reference"] == again.json["reference"]
    cases = api.get(f"{V1}/cases?box=subtree&scope={tree.micro_b}&state=reported").json["items"]
    assert len([c for c in cases if c["description"] == "井盖丢了"]) == 1
    other = resident.post(f"{V1}/public/codes/{token}/reports", {"text": "别的"}, headers=key)
    assert other.status == 409 and other.error["code"] == "idempotency_key_reused"


def test_a_position_the_phone_is_unsure_of_is_not_kept(county_admin, tree):
    api = county_admin
    _, token = board_code(a_rental(api, tree.micro_b)["rental_id"])
    response = client_at().post(f"{V1}/public/codes/{token}/reports", {
        "text": "垃圾没清", "position": {"lat": 35.6, "lng": 111.2, "accuracy_m": 3000}})
    assert response.status == 201, response.body
    cases = api.get(f"{V1}/cases?box=subtree&scope={tree.micro_b}&state=reported").json["items"]
    [case] = [c for c in cases if c["description"] == "垃圾没清"]
    assert case["lat"] is None and case["location_grid"] == tree.micro_b


@pytest.mark.parametrize("body,field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "x" * 2001}, "text"),
    ({"text": "坏了", "position": {"lat": 95, "lng": 111, "accuracy_m": 5}}, "position.lat"),
    ({"text": "坏了", "position": {"lat": 35, "lng": 111}}, "position.accuracy_m"),
    ({"text": "坏了", "grid_code": "1408251022010101"}, "grid_code"),
    ({"text": 5}, "text"),
])
def test_a_bad_report_names_its_field_and_files_nothing(county_admin, tree, body, field):
    api = county_admin
    _, token = board_code(a_rental(api, tree.micro_a1)["rental_id"])
    response = client_at().post(f"{V1}/public/codes/{token}/reports", body)
    assert response.status == 400, response.body
    assert field in [d["field"] for d in response.error["details"]]
    assert api.get(f"{V1}/cases?box=subtree&scope={tree.micro_a1}&state=reported"
                   ).json["items"] == []


def test_a_client_is_limited_per_minute_and_another_is_not(county_admin, tree):
    from chalicelib.settings import settings

    _, token = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    scanner, neighbour = client_at(), client_at()
    for _ in range(settings.public_reads_per_minute):
        assert scanner.get(f"{V1}/public/codes/{token}").status == 200
    limited = scanner.get(f"{V1}/public/codes/{token}")
    assert limited.status == 429, limited.body
    assert limited.error["code"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    # Probing with made-up codes counts the same.
    assert scanner.get(f"{V1}/public/codes/{token[:-1]}").status == 429
    assert neighbour.get(f"{V1}/public/codes/{token}").status == 200

    for _ in range(settings.public_reports_per_minute):
        assert scanner.post(f"{V1}/public/codes/{token}/reports", {"text": "漏水"}).status == 201
    assert scanner.post(f"{V1}/public/codes/{token}/reports", {"text": "漏水"}).status == 429
    assert neighbour.post(f"{V1}/public/codes/{token}/reports", {"text": "漏水"}).status == 201


def test_clients_counted_at_once_on_many_instances_get_no_more_than_the_limit(database):
    """The count is one item updated conditionally, not a counter in memory."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.store import rate_limits

    now = datetime.now(UTC)
    client = client_at().address
    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(lambda _: rate_limits.take("scan", client, 10, now), range(25)))
    assert waits.count(None) == 10


def test_the_database_down_is_503(county_admin, tree, database_at, closed_port):  # noqa: F811
    _, token = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    database_at(closed_port)
    assert_unavailable(client_at().get(f"{V1}/public/codes/{token}"))
    assert_unavailable(client_at().post(f"{V1}/public/codes/{token}/reports", {"text": "漏水"}))

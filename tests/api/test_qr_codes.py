"""An admin's side of the printed codes: a code's page, revoking it, its image;
a reprint revokes the record's old code, and however reprints and revokes of
one record meet, it is left with one current code at most."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import zxingcpp
from PIL import Image

from tests.api.ledger_tree import build, user_in
from tests.api.qr_fixtures import SYSTEM_USER, board_code, card_code, client_at
from tests.api.s3_forms import fetch
from tests.api.test_database_unavailable import (  # noqa: F401 - fixtures
    assert_unavailable,
    closed_port,
    database_at,
)
from tests.api.test_public_scan import a_rental, assert_not_valid, assigned
from tests.api.test_workers import a_worker

V1 = "/api/v1"


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def test_a_codes_page_says_what_it_opens_and_when_it_was_printed(county_admin, tree):
    api = county_admin
    worker = a_worker(api, tree.village_a)
    assigned(api, worker, tree.micro_a1)
    rental = a_rental(api, tree.micro_a1, worker, tenants=1)
    serial, token = board_code(rental["rental_id"])
    response = api.get(f"{V1}/qr-codes/{serial}")
    assert response.status == 200, response.body
    code = response.json
    assert {k: code[k] for k in ("serial", "kind", "record_id", "grid_code", "issued_by",
                                 "current", "revoked_at", "revoked_by")} == {
        "serial": serial, "kind": "rental_board", "record_id": rental["rental_id"],
        "grid_code": tree.micro_a1, "issued_by": SYSTEM_USER, "current": True,
        "revoked_at": None, "revoked_by": None}
    assert code["snapshot"] == {"tenant_count": 1, "worker_id": worker["worker_id"]}
    assert code["url"].endswith(f"/q/{token}")


def test_revoking_twice_is_revoking_once(county_admin, tree):
    api = county_admin
    serial, token = board_code(a_rental(api, tree.micro_a1)["rental_id"])
    first = api.post(f"{V1}/qr-codes/{serial}/revoke")
    assert first.status == 200, first.body
    assert first.json["revoked_at"] and first.json["current"] is False
    second = api.post(f"{V1}/qr-codes/{serial}/revoke")
    assert second.status == 200 and second.json == first.json
    assert_not_valid(client_at().get(f"{V1}/public/codes/{token}"))
    logged = api.get(f"{V1}/audit?record=qr_code%23{serial}").json["items"]
    assert [entry["action"] for entry in logged].count("revoke") == 1


def test_a_reprint_revokes_the_old_code(county_admin, tree):
    api = county_admin
    rental = a_rental(api, tree.micro_a1)
    old_serial, old = board_code(rental["rental_id"])
    new_serial, new = board_code(rental["rental_id"])
    scanner = client_at()
    assert_not_valid(scanner.get(f"{V1}/public/codes/{old}"))
    assert scanner.get(f"{V1}/public/codes/{new}").status == 200
    assert api.get(f"{V1}/qr-codes/{old_serial}").json["revoked_at"] is not None
    assert api.get(f"{V1}/qr-codes/{new_serial}").json["current"] is True


@pytest.mark.parametrize("image_format,content_type", [("png", "image/png"),
                                                       ("svg", "image/svg+xml")])
def test_a_codes_image_reads_back_as_its_url(county_admin, tree, image_format, content_type):
    api = county_admin
    serial, _ = board_code(a_rental(api, tree.micro_a1)["rental_id"])
    response = api.get(f"{V1}/qr-codes/{serial}/image?format={image_format}")
    assert response.status == 200, response.body
    image = response.json
    assert image["content_type"] == content_type
    assert image["filename"] == f"{serial}.{image_format}"
    assert image["qr_url"] == api.get(f"{V1}/qr-codes/{serial}").json["url"]
    data = fetch(image["url"])
    if image_format == "svg":
        assert data.startswith(b"<?xml") and b"<svg" in data
        return
    [read] = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert read.text == image["qr_url"]
    token = read.text.rsplit("/q/", 1)[1]
    assert client_at().get(f"{V1}/public/codes/{token}").status == 200
    again = api.get(f"{V1}/qr-codes/{serial}/image?format={image_format}").json
    assert fetch(again["url"]) == data


def test_an_image_of_another_format_names_the_parameter(county_admin, tree):
    serial, _ = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    response = county_admin.get(f"{V1}/qr-codes/{serial}/image?format=gif")
    assert response.status == 400
    assert [d["field"] for d in response.error["details"]] == ["format"]


def test_codes_outside_the_callers_scope_or_unknown(county_admin, tree):
    serial, _ = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    card_serial, _ = card_code(assigned(county_admin, a_worker(county_admin, tree.village_a),
                                        tree.micro_a1)["assignment_id"])
    neighbour = user_in(tree.village_b, "grid_leader")
    for path in (f"/qr-codes/{serial}", f"/qr-codes/{card_serial}",
                 f"/qr-codes/{serial}/image"):
        response = neighbour.get(V1 + path)
        assert response.status == 403 and response.error["code"] == "out_of_scope"
    assert neighbour.post(f"{V1}/qr-codes/{serial}/revoke").status == 403
    leader = user_in(tree.village_a, "grid_leader")
    assert leader.get(f"{V1}/qr-codes/{card_serial}").status == 200
    worker = user_in(tree.micro_a1, "grid_worker")
    assert worker.post(f"{V1}/qr-codes/{serial}/revoke").error["code"] == "role_denied"
    assert county_admin.get(f"{V1}/qr-codes/{serial}").json["revoked_at"] is None
    unknown = county_admin.get(f"{V1}/qr-codes/0000000000AB")
    assert unknown.status == 404 and unknown.error["code"] == "not_found"


def _current_codes(rental_id):
    from chalicelib.store import qr_codes

    return [code for code in qr_codes.of_record("rental_board", rental_id) if not code.revoked]


def test_reprints_of_one_record_at_once_leave_one_current_code(county_admin, tree):
    rental = a_rental(county_admin, tree.micro_a1)
    start = threading.Barrier(6)

    def reprint(_):
        start.wait()
        return board_code(rental["rental_id"])

    with ThreadPoolExecutor(6) as pool:
        printed = list(pool.map(reprint, range(6)))
    [current] = _current_codes(rental["rental_id"])
    scanner = client_at()
    opening = [serial for serial, token in printed
               if scanner.get(f"{V1}/public/codes/{token}").status == 200]
    assert opening == [current.serial]


def test_revokes_and_reprints_at_once_leave_at_most_one_current_code(county_admin, tree):
    from chalicelib.usecases import qr_codes

    from tests.api.qr_fixtures import printer

    rental = a_rental(county_admin, tree.micro_a1)
    first, _ = board_code(rental["rental_id"])
    start = threading.Barrier(6)

    def act(number):
        start.wait()
        if number % 2:
            return qr_codes.revoke(printer(tree.micro_a1), first).revoked_at is not None
        return board_code(rental["rental_id"])

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(act, range(6)))
    assert len(_current_codes(rental["rental_id"])) == 1
    assert county_admin.get(f"{V1}/qr-codes/{first}").json["revoked_at"] is not None


def test_reprints_meeting_a_transaction_conflict_land_once(county_admin, tree, monkeypatch):
    """DynamoDB cancels a transaction that meets another on an item; the reprint
    is tried again and lands once."""
    from chalicelib.store.base import connection

    from tests.api.test_case_write_conflicts import TRANSACT, Conflicts

    rental = a_rental(county_admin, tree.micro_a1)
    board_code(rental["rental_id"])
    hook = Conflicts(2)
    events = connection().client.meta.events
    events.register_first(TRANSACT, hook)
    try:
        board_code(rental["rental_id"])
    finally:
        events.unregister(TRANSACT, hook)
    assert hook.sent == 3
    assert len(_current_codes(rental["rental_id"])) == 1


def test_the_database_down_is_503(county_admin, tree, database_at, closed_port):  # noqa: F811
    serial, _ = board_code(a_rental(county_admin, tree.micro_a1)["rental_id"])
    database_at(closed_port)
    for response in (county_admin.get(f"{V1}/qr-codes/{serial}"),
                     county_admin.post(f"{V1}/qr-codes/{serial}/revoke"),
                     county_admin.get(f"{V1}/qr-codes/{serial}/image")):
        assert_unavailable(response)

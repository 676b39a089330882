"""An admin's side of the printed codes: a code's page, revoking it, its image;
a reprint revokes the record's old code, and however reprints and revokes of
one record meet, it is left with one current code at most."""

import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

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


def test_a_rentals_board_leads_to_its_current_code(county_admin, tree):
    rental_id = a_rental(county_admin, tree.micro_a1)["rental_id"]
    path = f"{V1}/rentals/{rental_id}/board"
    assert county_admin.get(path).json == {"code": None}
    board_code(rental_id)
    serial, _ = board_code(rental_id)
    code = county_admin.get(path).json["code"]
    assert code["serial"] == serial and code["current"] is True
    county_admin.post(f"{V1}/qr-codes/{serial}/revoke")
    assert county_admin.get(path).json == {"code": None}
    neighbour = user_in(tree.village_b, "grid_leader")
    assert neighbour.get(path).error["code"] == "out_of_scope"
    worker = user_in(tree.micro_a1, "grid_worker")
    assert worker.get(path).error["code"] == "role_denied"
    assert county_admin.get(f"{V1}/rentals/{'0' * 26}/board").status == 404


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
    rental_id = a_rental(county_admin, tree.micro_a1)["rental_id"]
    serial, _ = board_code(rental_id)
    database_at(closed_port)
    for response in (county_admin.get(f"{V1}/qr-codes/{serial}"),
                     county_admin.post(f"{V1}/qr-codes/{serial}/revoke"),
                     county_admin.get(f"{V1}/qr-codes/{serial}/image"),
                     county_admin.get(f"{V1}/rentals/{rental_id}/board")):
        assert_unavailable(response)


# Print sheets

def _printed(api, body):
    response = api.post(f"{V1}/print-sheets", body)
    assert response.status == 202, response.body
    return response.json


def _codes_on(pdf_bytes: bytes) -> list[str]:
    import pypdfium2 as pdfium

    from tests.unit.test_printables import codes_in_reading_order, rendered

    return [url for page in pdfium.PdfDocument(pdf_bytes)
            for url in codes_in_reading_order(rendered(page))]


def _serial_of(url: str) -> str:
    from chalicelib import qr_keys
    from chalicelib.domain import qr_tokens

    token = url.rsplit("/q/", 1)[1]
    return qr_tokens.verify(token, qr_keys.qr_keys(), datetime.now(UTC)).serial


def test_every_code_on_a_sheet_of_boards_opens_its_own_rental(county_admin, tree):
    api = county_admin
    worker = a_worker(api, tree.village_a, name="刘网格")
    assigned(api, worker, tree.micro_a1)
    rentals = [a_rental(api, tree.micro_a1, worker, tenants=n) for n in (0, 1, 2)]
    rentals.append(a_rental(api, tree.micro_a2))  # nobody covers micro_a2: no worker printed
    job = _printed(api, {"kind": "rental_boards", "grid_code": tree.grid_a})
    assert (job["status"], job["records"], job["processed"]) == ("done", 4, 4), job
    assert api.get(f"{V1}/print-sheets/{job['job_id']}").json == job
    urls = _codes_on(fetch(job["download_url"]))
    assert len(urls) == 4
    scanner = client_at()
    opened = {}
    for url in urls:
        code = api.get(f"{V1}/qr-codes/{_serial_of(url)}").json
        assert code["kind"] == "rental_board" and code["current"] and code["url"] == url
        answer = scanner.get(f"{V1}/public/codes/{url.rsplit('/q/', 1)[1]}")
        assert answer.status == 200, answer.body
        opened[code["record_id"]] = (code["snapshot"], answer.json)
    assert set(opened) == {r["rental_id"] for r in rentals}
    for rental in rentals:
        snapshot, answer = opened[rental["rental_id"]]
        assert snapshot["tenant_count"] == len(
            api.get(f"{V1}/rentals/{rental['rental_id']}/tenants?current=true").json["items"])
        expected = "刘网格" if rental["grid_code"] == tree.micro_a1 else None
        assert (answer["worker"] or {}).get("name") == expected


def test_a_sheet_printed_again_revokes_the_first_and_reprint_only_prints_what_changed(
        county_admin, tree):
    api = county_admin
    rentals = [a_rental(api, tree.micro_a1) for _ in range(3)]
    first = _codes_on(fetch(_printed(api, {"kind": "rental_boards",
                                           "grid_code": tree.micro_a1})["download_url"]))
    nothing = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a1,
                             "reprint_only": True})
    assert (nothing["status"], nothing["records"], nothing["download_url"]) == ("done", 0, None)

    moved_in = rentals[1]["rental_id"]
    from tests.api.ledger_fixtures import new_id_number

    assert api.post(f"{V1}/rentals/{moved_in}/tenants", {
        "name": "新租户", "id_number": new_id_number(), "move_in": "2026-03-01"}).status == 201
    again = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a1,
                           "reprint_only": True})
    assert again["records"] == 1
    [url] = _codes_on(fetch(again["download_url"]))
    code = api.get(f"{V1}/qr-codes/{_serial_of(url)}").json
    assert code["record_id"] == moved_in and code["snapshot"]["tenant_count"] == 1
    scanner = client_at()
    for old in first:
        serial = _serial_of(old)
        status = scanner.get(f"{V1}/public/codes/{old.rsplit('/q/', 1)[1]}").status
        revoked = api.get(f"{V1}/qr-codes/{serial}").json["record_id"] == moved_in
        assert status == (404 if revoked else 200)


def test_every_card_on_a_sheet_opens_its_worker(county_admin, tree):
    api = county_admin
    workers = [a_worker(api, tree.village_a, name=f"卡{n}") for n in range(3)]
    for worker, grid in zip(workers, (tree.micro_a1, tree.micro_a1, tree.micro_a2)):
        assigned(api, worker, grid)
    job = _printed(api, {"kind": "contact_cards", "grid_code": tree.village_a})
    assert (job["status"], job["records"]) == ("done", 3), job
    scanner = client_at()
    names = set()
    for url in _codes_on(fetch(job["download_url"])):
        answer = scanner.get(f"{V1}/public/codes/{url.rsplit('/q/', 1)[1]}").json
        names.add(answer["worker"]["name"])
    assert names == {"卡0", "卡1", "卡2"}


def test_a_sheet_the_request_leaves_is_finished_by_the_sweep(county_admin, tree, monkeypatch):
    from chalicelib import sweeps
    from chalicelib.usecases import print_sheets

    api = county_admin
    rentals = [a_rental(api, tree.micro_a1) for _ in range(2)]
    monkeypatch.setattr(print_sheets, "REQUEST_BUDGET_SECONDS", 0.0)
    job = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a1})
    assert (job["status"], job["download_url"]) == ("running", None)
    summary = sweeps.run("print-sheets")
    assert job["job_id"] in summary["finished"]
    done = api.get(f"{V1}/print-sheets/{job['job_id']}").json
    assert done["status"] == "done" and done["records"] == 2
    records = {api.get(f"{V1}/qr-codes/{_serial_of(url)}").json["record_id"]
               for url in _codes_on(fetch(done["download_url"]))}
    assert records == {r["rental_id"] for r in rentals}


def test_a_run_cut_short_after_issuing_is_resumed_without_issuing_again(county_admin, tree,
                                                                       monkeypatch):
    from chalicelib.usecases import print_sheets

    api = county_admin
    rental = a_rental(api, tree.micro_a1)
    monkeypatch.setattr(print_sheets, "DRAW_SECONDS_PER_ITEM", 10_000.0)
    job = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a1})
    assert (job["status"], job["processed"]) == ("running", 1)
    [issued] = _current_codes(rental["rental_id"])
    monkeypatch.setattr(print_sheets, "DRAW_SECONDS_PER_ITEM", 0.0)
    print_sheets.run(job["job_id"], budget_seconds=60)
    [url] = _codes_on(fetch(api.get(f"{V1}/print-sheets/{job['job_id']}").json["download_url"]))
    assert _serial_of(url) == issued.serial
    assert [c.serial for c in _current_codes(rental["rental_id"])] == [issued.serial]


@pytest.mark.parametrize("body,field", [
    ({"kind": "labels", "grid_code": "140825102201"}, "kind"),
    ({"kind": "rental_boards"}, "grid_code"),
    ({"kind": "rental_boards", "grid_code": "14082510220"}, "grid_code"),
    ({"kind": "rental_boards", "grid_code": "140825102201", "reprint_only": "yes"},
     "reprint_only"),
])
def test_a_bad_print_request_names_its_field(county_admin, body, field):
    response = county_admin.post(f"{V1}/print-sheets", body)
    assert response.status == 400, response.body
    assert field in [d["field"] for d in response.error["details"]]


def test_a_print_job_outside_the_callers_scope_is_refused(county_admin, tree):
    job = _printed(county_admin, {"kind": "contact_cards", "grid_code": tree.village_a})
    neighbour = user_in(tree.village_b, "grid_leader")
    response = neighbour.get(f"{V1}/print-sheets/{job['job_id']}")
    assert response.status == 403 and response.error["code"] == "out_of_scope"


def test_printing_with_the_database_down_is_503(county_admin, tree, database_at,  # noqa: F811
                                                closed_port):  # noqa: F811
    database_at(closed_port)
    assert_unavailable(county_admin.post(f"{V1}/print-sheets", {
        "kind": "rental_boards", "grid_code": tree.micro_a1}))


# Boards to reprint

def _to_reprint(api, grid):
    response = api.get(f"{V1}/rentals/to-reprint?grid={grid}")
    assert response.status == 200, response.body
    return {item["rental_id"]: item for item in response.json["items"]}


def test_boards_to_reprint_follow_the_ledger(county_admin, tree):
    from tests.api.ledger_fixtures import new_id_number

    api = county_admin
    worker, other = a_worker(api, tree.village_a), a_worker(api, tree.village_a)
    assigned(api, worker, tree.micro_a1)
    assigned(api, other, tree.micro_a1)
    rental = a_rental(api, tree.micro_a1, worker)
    rental_id = rental["rental_id"]
    elsewhere = a_rental(api, tree.micro_b)["rental_id"]
    listed = _to_reprint(api, tree.grid_a)
    assert listed[rental_id]["printed_at"] is None and elsewhere not in listed

    board_code(rental_id)
    assert rental_id not in _to_reprint(api, tree.grid_a)

    moved_in = api.post(f"{V1}/rentals/{rental_id}/tenants", {
        "name": "租户", "id_number": new_id_number(), "move_in": "2026-02-01"})
    assert moved_in.status == 201, moved_in.body
    item = _to_reprint(api, tree.grid_a)[rental_id]
    assert (item["tenant_count"], item["printed"]) == (
        1, {"tenant_count": 0, "worker_id": worker["worker_id"]})

    tenant = moved_in.json
    assert api.delete(f"{V1}/tenants/{tenant['tenant_id']}?version={tenant['version']}"
                      ).status == 204
    assert rental_id not in _to_reprint(api, tree.grid_a)  # as the board shows it again

    version = api.get(f"{V1}/rentals/{rental_id}").json["version"]
    handed = api.patch(f"{V1}/rentals/{rental_id}", {
        "version": version, "responsible_worker_id": other["worker_id"]})
    assert handed.status == 200, handed.body
    assert _to_reprint(api, tree.micro_a1)[rental_id]["responsible_worker_id"] == \
        other["worker_id"]

    board_code(rental_id)
    assert rental_id not in _to_reprint(api, tree.grid_a)
    version = api.get(f"{V1}/rentals/{rental_id}").json["version"]
    assert api.delete(f"{V1}/rentals/{rental_id}?version={version}").status == 204
    assert rental_id not in _to_reprint(api, tree.grid_a)


def test_a_board_issued_from_a_rental_read_before_a_change_leaves_it_to_reprint(county_admin,
                                                                               tree):
    """A print reads the rental, a tenant moves in, then the board is issued showing
    the rental as read: the board is issued, and the rental stays listed."""
    from chalicelib.domain import qr_codes as codes
    from chalicelib.store import rentals
    from chalicelib.usecases import qr_codes

    from tests.api.ledger_fixtures import new_id_number
    from tests.api.qr_fixtures import printer

    api = county_admin
    rental_id = a_rental(api, tree.micro_a1)["rental_id"]
    read = rentals.get_rental(rental_id)
    as_read = codes.board_snapshot(read.tenant_count, read.responsible_worker_id)
    moved_in = api.post(f"{V1}/rentals/{rental_id}/tenants", {
        "name": "租户", "id_number": new_id_number(), "move_in": "2026-02-01"})
    assert moved_in.status == 201, moved_in.body

    code, _ = qr_codes.issue(printer(read.grid_code), codes.RENTAL_BOARD, rental_id,
                             read.grid_code, as_read)
    assert code.snapshot == {"tenant_count": 0, "worker_id": read.responsible_worker_id}
    listed = _to_reprint(api, tree.micro_a1)[rental_id]
    assert (listed["tenant_count"], listed["printed"]["tenant_count"]) == (1, 0)

    read = rentals.get_rental(rental_id)
    qr_codes.issue(printer(read.grid_code), codes.RENTAL_BOARD, rental_id, read.grid_code,
                   codes.board_snapshot(read.tenant_count, read.responsible_worker_id))
    assert rental_id not in _to_reprint(api, tree.micro_a1)


def test_a_print_of_boards_to_reprint_prints_what_the_list_shows(county_admin, tree):
    api = county_admin
    rentals = {a_rental(api, tree.micro_a2)["rental_id"] for _ in range(2)}
    assert set(_to_reprint(api, tree.micro_a2)) == rentals
    job = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a2,
                         "reprint_only": True})
    assert job["records"] == 2
    assert _to_reprint(api, tree.micro_a2) == {}


def test_boards_to_reprint_outside_the_callers_scope(county_admin, tree):
    neighbour = user_in(tree.village_b, "grid_worker")
    response = neighbour.get(f"{V1}/rentals/to-reprint?grid={tree.village_a}")
    assert response.status == 403
    response = neighbour.get(f"{V1}/rentals/to-reprint?grid=14082")
    assert response.status == 400


def test_a_sweep_that_meets_the_database_down_leaves_the_sheet_to_the_next(
        county_admin, tree, monkeypatch, database_at, closed_port):  # noqa: F811
    from chalicelib import sweeps
    from chalicelib.usecases import print_sheets

    api = county_admin
    a_rental(api, tree.micro_a1)
    monkeypatch.setattr(print_sheets, "REQUEST_BUDGET_SECONDS", 0.0)
    job = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a1})
    database_at(closed_port)
    assert sweeps.run("print-sheets") == {"stopped": "service_unavailable"}
    monkeypatch.undo()
    assert job["job_id"] in sweeps.run("print-sheets")["finished"]
    assert api.get(f"{V1}/print-sheets/{job['job_id']}").json["status"] == "done"


def test_a_scan_answers_what_its_printed_board_shows_and_no_more(county_admin, tree):
    import pypdfium2 as pdfium

    from tests.unit.test_printables import text_of

    api = county_admin
    worker = a_worker(api, tree.village_a, name="周网格")
    assigned(api, worker, tree.micro_a1)
    rental = a_rental(api, tree.micro_a1, worker, tenants=2)
    job = _printed(api, {"kind": "rental_boards", "grid_code": tree.micro_a1})
    pdf = fetch(job["download_url"])
    printed = text_of(pdfium.PdfDocument(pdf))
    [url] = _codes_on(pdf)
    answer = client_at().get(f"{V1}/public/codes/{url.rsplit('/q/', 1)[1]}").json
    assert set(answer) == {"micro_grid", "worker", "grid_leader"}
    assert set(answer["worker"]) == {"name", "phone"}
    for shown in (answer["micro_grid"], answer["worker"]["name"], answer["worker"]["phone"]):
        assert shown in printed
    assert rental["address"] in printed and rental["address"] not in json.dumps(answer)

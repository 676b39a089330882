"""The rental ledger through the API: rentals, tenants moving in and out, the
tenant count, closing, scope and masking."""

import pytest

from tests.api.ledger_fixtures import new_address, new_id_number
from tests.api.ledger_tree import build, counts, user_in


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def a_rental(client, grid, **fields):
    response = client.post("/api/v1/rentals", {"grid_code": grid, "address": new_address(),
                                               "owner_name": "房东甲", "owner_phone": "13711112222",
                                               **fields})
    assert response.status == 201, response.body
    return response.json


def move_in(client, rental_id, **fields):
    response = client.post(f"/api/v1/rentals/{rental_id}/tenants", {
        "name": "租户", "id_number": new_id_number(), "move_in": "2026-06-01", **fields})
    assert response.status == 201, response.body
    return response.json


def test_tenants_move_in_and_out_and_stay_on_record(county_admin, tree):
    api = county_admin
    rental = a_rental(api, tree.micro_a1, rooms=3)
    assert rental["owner_phone"] == "137****2222" and rental["tenant_count"] == 0
    first = move_in(api, rental["rental_id"])
    second = move_in(api, rental["rental_id"], move_in="2026-09-15")
    move_in(api, rental["rental_id"], move_in="2025-01-01", move_out="2025-12-31")
    path = f"/api/v1/rentals/{rental['rental_id']}"
    assert api.get(path).json["tenant_count"] == 2
    assert (counts(api, tree.town)["rentals"], counts(api, tree.town)["tenants"]) == (1, 2)

    left = api.patch(f"/api/v1/tenants/{first['tenant_id']}",
                     {"version": 1, "move_out": "2026-11-20"})
    assert left.status == 200, left.body
    assert left.json["current"] is False
    assert api.get(path).json["tenant_count"] == 1
    assert counts(api, tree.village_a)["tenants"] == 1
    everyone = api.get(f"{path}/tenants").json["items"]
    assert len(everyone) == 3
    current = api.get(f"{path}/tenants?current=true").json["items"]
    assert [t["tenant_id"] for t in current] == [second["tenant_id"]]

    closing = api.patch(path, {"version": api.get(path).json["version"], "closed": True})
    assert closing.status == 409 and closing.error["code"] == "rental_has_tenants"
    api.patch(f"/api/v1/tenants/{second['tenant_id']}", {"version": 1, "move_out": "2026-11-25"})
    closed = api.patch(path, {"version": api.get(path).json["version"], "closed": True})
    assert closed.status == 200 and closed.json["closed"] is True
    assert counts(api, tree.county)["rentals"] == 0
    refused = api.post(f"{path}/tenants", {"name": "新租户", "id_number": new_id_number(),
                                           "move_in": "2026-11-01"})
    assert refused.status == 409 and refused.error["code"] == "rental_closed"
    deleted = api.delete(f"{path}?version={closed.json['version']}")
    assert deleted.status == 409 and deleted.error["code"] == "rental_has_tenants"


@pytest.mark.parametrize("dates,field", [
    ({"move_in": "2030-01-01"}, "move_in"),
    ({"move_in": "2026-05-01", "move_out": "2026-04-01"}, "move_out"),
])
def test_impossible_stays_are_400(county_admin, tree, dates, field):
    rental = a_rental(county_admin, tree.micro_a1)
    response = county_admin.post(f"/api/v1/rentals/{rental['rental_id']}/tenants",
                                 {"name": "租户", "id_number": new_id_number(), **dates})
    assert response.status == 400, response.body
    assert response.error["details"][0]["field"] == field


def test_one_person_is_a_current_tenant_of_a_rental_once(county_admin, tree):
    rental = a_rental(county_admin, tree.micro_a1)
    id_number = new_id_number()
    move_in(county_admin, rental["rental_id"], id_number=id_number)
    again = county_admin.post(f"/api/v1/rentals/{rental['rental_id']}/tenants", {
        "name": "租户", "id_number": id_number, "move_in": "2026-07-01"})
    assert again.status == 409 and again.error["code"] == "tenant_current"


def test_an_address_is_one_rental(county_admin, tree):
    rental = a_rental(county_admin, tree.micro_a1)
    again = county_admin.post("/api/v1/rentals", {"grid_code": tree.micro_b,
                                                  "address": rental["address"],
                                                  "owner_name": "另一个房东"})
    assert again.status == 409 and again.error["code"] == "address_taken"


def test_rentals_are_listed_by_worker_and_address_within_scope(county_admin, tree):
    worker = county_admin.post("/api/v1/workers", {"name": "网格员甲", "phone": "10900000001",
                                                   "kind": "full_time",
                                                   "grid_code": tree.micro_a1}).json
    mine = a_rental(county_admin, tree.micro_a1, responsible_worker_id=worker["worker_id"],
                    address="柳泉村2组15号")
    a_rental(county_admin, tree.micro_a2)
    by_worker = county_admin.get(
        f"/api/v1/rentals?responsible_worker_id={worker['worker_id']}").json["items"]
    assert [r["rental_id"] for r in by_worker] == [mine["rental_id"]]
    by_address = county_admin.get("/api/v1/rentals?address=柳泉村2组").json["items"]
    assert [r["rental_id"] for r in by_address] == [mine["rental_id"]]
    elsewhere = county_admin.post("/api/v1/rentals", {
        "grid_code": tree.micro_b, "address": new_address(), "owner_name": "丙",
        "responsible_worker_id": worker["worker_id"]})
    assert elsewhere.status == 400
    assert elsewhere.error["details"][0]["field"] == "responsible_worker_id"
    neighbour = user_in(tree.micro_a2, "grid_worker")
    assert neighbour.get(f"/api/v1/rentals/{mine['rental_id']}").status == 403


def test_tenant_personal_data_is_revealed_only_on_request(county_admin, tree):
    rental = a_rental(county_admin, tree.micro_a1)
    id_number = new_id_number()
    tenant = move_in(county_admin, rental["rental_id"], id_number=id_number, phone="13655556666")
    assert tenant["id_number"] != id_number and tenant["phone"] == "136****6666"
    shown = county_admin.get(f"/api/v1/tenants/{tenant['tenant_id']}?reveal=true").json
    assert shown["id_number"] == id_number
    found = county_admin.get(f"/api/v1/ledger-search?q={id_number}").json["tenants"]
    assert [t["tenant_id"] for t in found] == [tenant["tenant_id"]]

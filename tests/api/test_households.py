"""The household ledger through the API: life cycle, counters, masking and its
audit, conflicts, scope isolation between micro-grids, search."""

import threading

import pytest

from tests.api.ledger_fixtures import new_address, new_id_number, resident_body
from tests.api.ledger_tree import build, counts, user_in


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def register(client, grid, members=1, **fields):
    body = {"grid_code": grid, "address": new_address(), "head_name": "王大",
            "members": [resident_body() for _ in range(members)], **fields}
    response = client.post("/api/v1/households", body)
    assert response.status == 201, response.body
    return response.json


def test_a_household_lives_registers_moves_and_goes(county_admin, tree):
    api = county_admin
    household = register(api, tree.micro_a1, members=2)
    assert household["member_count"] == 2 and household["version"] == 1
    assert [m["grid_code"] for m in household["members"]] == [tree.micro_a1] * 2
    assert counts(api, tree.micro_a1)["households"] == 1
    assert counts(api, tree.town)["residents"] == 2

    path = f"/api/v1/households/{household['household_id']}"
    edited = api.patch(path, {"version": 1, "notes": "已走访"}).json
    assert (edited["notes"], edited["version"]) == ("已走访", 2)

    added = api.post(f"{path}/residents", resident_body(resident_type="floating",
                                                        tags=["独居老人"]))
    assert added.status == 201, added.body
    assert counts(api, tree.village_a) | {} == counts(api, tree.village_a)
    village = counts(api, tree.village_a)
    assert (village["residents"], village["floating_residents"], village["key_group_members"],
            village["key_groups"]) == (3, 1, 1, {"独居老人": 1})

    moved = api.post(f"{path}/move", {"version": 3, "grid_code": tree.micro_b})
    assert moved.status == 200, moved.body
    history = moved.json["grid_history"]
    assert [s["grid_code"] for s in history] == [tree.micro_a1, tree.micro_b]
    assert history[0]["until"] is not None and history[1]["until"] is None
    assert {m["grid_code"] for m in moved.json["members"]} == {tree.micro_b}
    assert counts(api, tree.village_a)["residents"] == 0
    assert counts(api, tree.village_b)["residents"] == 3
    assert counts(api, tree.town)["residents"] == 3

    assert api.delete(f"{path}?version=4").status == 204
    assert api.get(path).status == 404
    assert counts(api, tree.town) | {"key_groups": {}} == {
        "households": 0, "residents": 0, "floating_residents": 0, "key_group_members": 0,
        "key_groups": {}, "rentals": 0, "tenants": 0, "active_assignments": 0}


def test_a_resident_edit_keeps_the_counters(county_admin, tree):
    household = register(county_admin, tree.micro_a1)
    resident = household["members"][0]
    path = f"/api/v1/residents/{resident['resident_id']}"
    response = county_admin.patch(path, {"version": 1, "resident_type": "floating",
                                         "tags": ["低保", "残疾人"]})
    assert response.status == 200, response.body
    assert counts(county_admin, tree.micro_a1)["key_groups"] == {"低保": 1, "残疾人": 1}
    county_admin.patch(path, {"version": 2, "tags": ["残疾人"]})
    after = counts(county_admin, tree.county)
    assert (after["floating_residents"], after["key_group_members"], after["key_groups"]) == \
        (1, 1, {"残疾人": 1})
    assert county_admin.delete(f"{path}?version=3").status == 204
    assert counts(county_admin, tree.county)["residents"] == 0
    assert county_admin.get(f"/api/v1/households/{household['household_id']}").json[
        "member_count"] == 0


@pytest.mark.parametrize("id_number,code", [
    ("110105194912310021", "id_number_checksum"),
    ("110105194913310023", "id_number_birth_date"),
    ("1101051949123100AB", "id_number_shape"),
])
def test_an_invalid_id_number_is_400_on_its_field_and_nothing_is_written(
        county_admin, tree, id_number, code):
    response = county_admin.post("/api/v1/households", {
        "grid_code": tree.micro_a1, "address": new_address(),
        "members": [resident_body(), resident_body(id_number=id_number)]})
    assert response.status == 400, response.body
    assert response.error["code"] == code
    assert response.error["details"][0]["field"] == "members.1.id_number"
    assert counts(county_admin, tree.micro_a1)["households"] == 0


def test_an_id_number_or_address_is_registered_once(county_admin, tree):
    first = register(county_admin, tree.micro_a1)
    taken = first["members"][0]
    # The response masks the number; the test knows it from the household it made.
    revealed = county_admin.get(f"/api/v1/residents/{taken['resident_id']}?reveal=true").json
    again = county_admin.post("/api/v1/households", {
        "grid_code": tree.micro_a2, "address": new_address(),
        "members": [resident_body(id_number=revealed["id_number"])]})
    assert again.status == 409 and again.error["code"] == "id_number_taken"
    same_address = county_admin.post("/api/v1/households", {
        "grid_code": tree.micro_a2, "address": f" {first['address']} ", "members": []})
    assert same_address.status == 409 and same_address.error["code"] == "address_taken"
    assert counts(county_admin, tree.micro_a2)["households"] == 0


def test_the_second_of_two_edits_from_one_version_is_409(county_admin, tree):
    household = register(county_admin, tree.micro_a1)
    path = f"/api/v1/households/{household['household_id']}"
    assert county_admin.patch(path, {"version": 1, "notes": "甲"}).status == 200
    late = county_admin.patch(path, {"version": 1, "notes": "乙"})
    assert late.status == 409 and late.error["code"] == "version_conflict"
    assert county_admin.get(path).json["notes"] == "甲"


def test_concurrent_edits_of_one_record_never_overwrite_each_other(county_admin, tree):
    resident = register(county_admin, tree.micro_a1)["members"][0]
    path = f"/api/v1/residents/{resident['resident_id']}"
    results, start = [], threading.Barrier(4)

    def edit(note):
        start.wait()
        results.append(county_admin.patch(path, {"version": 1, "notes": note}).status)

    threads = [threading.Thread(target=edit, args=(f"记录{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409, 409, 409]
    assert county_admin.get(path).json["version"] == 2


def test_a_worker_sees_only_their_own_micro_grid(county_admin, tree):
    own = register(county_admin, tree.micro_a1)
    neighbour = register(county_admin, tree.micro_a2)
    worker = user_in(tree.micro_a1, "grid_worker")
    assert worker.get(f"/api/v1/households/{own['household_id']}").status == 200
    for path in (f"/api/v1/households/{neighbour['household_id']}",
                 f"/api/v1/residents/{neighbour['members'][0]['resident_id']}",
                 f"/api/v1/residents?grid={tree.micro_a2}",
                 f"/api/v1/households?grid={tree.village_a}"):
        response = worker.get(path)
        assert response.status == 403, path
        assert response.error["code"] == "out_of_scope"
    listed = worker.get("/api/v1/households").json["items"]
    assert [h["household_id"] for h in listed] == [own["household_id"]]
    moved = worker.post(f"/api/v1/households/{own['household_id']}/move",
                        {"version": 1, "grid_code": tree.micro_a2})
    assert moved.status == 403
    found = worker.get("/api/v1/ledger-search?q=王").json
    assert {h["household_id"] for h in found["households"]} == set()
    names = worker.get("/api/v1/ledger-search?q=张三").json["residents"]
    assert {r["grid_code"] for r in names} == {tree.micro_a1}


def test_personal_data_is_masked_and_each_reveal_is_audited(county_admin, tree):
    id_number, phone = new_id_number(), "13812345678"
    household = register(county_admin, tree.micro_a1, members=0)
    added = county_admin.post(f"/api/v1/households/{household['household_id']}/residents",
                              resident_body(id_number=id_number, phone=phone)).json
    assert added["id_number"] == f"{id_number[:6]}********{id_number[-4:]}"
    assert added["phone"] == "138****5678"
    assert added["birth_date"] is None
    path = f"/api/v1/residents/{added['resident_id']}"
    viewer = user_in(tree.village_a, "viewer")
    assert viewer.get(path).json["phone"] == "138****5678"
    denied = viewer.get(f"{path}?reveal=true")
    assert denied.status == 403 and denied.error["code"] == "reveal_denied"
    worker = user_in(tree.micro_a1, "grid_worker")
    shown = worker.get(f"{path}?reveal=true").json
    assert (shown["id_number"], shown["phone"]) == (id_number, phone)
    entries = county_admin.get(
        f"/api/v1/audit?record=resident%23{added['resident_id']}").json["items"]
    assert [e["action"] for e in entries] == ["reveal", "create"]
    assert entries[0]["actor_id"] == worker.session["user"]["user_id"]
    assert id_number not in str(entries[1]["changes"])


def test_search_by_id_number_phone_name_and_address(county_admin, tree):
    id_number, phone = new_id_number(), "13900001111"
    household = register(county_admin, tree.micro_b, members=0, address="东关村7组88号")
    county_admin.post(f"/api/v1/households/{household['household_id']}/residents",
                      resident_body(name="欧阳修远", id_number=id_number, phone=phone))

    def search(q):
        response = county_admin.get(f"/api/v1/ledger-search?q={q}&grid={tree.town}")
        assert response.status == 200, response.body
        return response.json

    assert search(id_number)["matched_by"] == "id_number"
    assert [r["name"] for r in search(id_number.lower())["residents"]] == ["欧阳修远"]
    assert [r["name"] for r in search(phone)["residents"]] == ["欧阳修远"]
    assert [r["name"] for r in search("欧阳")["residents"]] == ["欧阳修远"]
    assert [h["address"] for h in search("东关村７组")["households"]] == ["东关村7组88号"]
    assert search("13900009999")["residents"] == []
    residents = county_admin.get(f"/api/v1/residents?grid={tree.town}&name=欧阳").json
    assert [r["name"] for r in residents["items"]] == ["欧阳修远"]


def test_a_broad_search_says_which_kinds_have_more_and_their_lists_page_on(county_admin, tree):
    for number in range(1, 22):
        register(county_admin, tree.micro_b, members=0, address=f"西关村3组{number}号")
    found = county_admin.get(f"/api/v1/ledger-search?q=西关村3组&grid={tree.town}").json
    assert (len(found["households"]), found["more"]) == (20, ["households"])
    narrower = county_admin.get(f"/api/v1/ledger-search?q=西关村3组1&grid={tree.town}").json
    assert (len(narrower["households"]), narrower["more"]) == (11, [])  # 1, 10–19
    seen, cursor = [], None
    while True:
        after = f"&cursor={cursor}" if cursor else ""
        page = county_admin.get(f"/api/v1/households?grid={tree.town}&address=西关村3组"
                                f"&limit=8{after}").json
        seen += [h["address"] for h in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(f"西关村3组{n}号" for n in range(1, 22))


def test_lists_are_paged_with_cursors_and_filtered(county_admin, tree):
    for _ in range(3):
        register(county_admin, tree.micro_a1, members=2)
    ids, cursor = [], None
    while True:
        page = county_admin.get(f"/api/v1/residents?grid={tree.village_a}&limit=4"
                                + (f"&cursor={cursor}" if cursor else "")).json
        ids += [r["resident_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(ids) == len(set(ids)) == 6
    household = register(county_admin, tree.micro_a2, members=1)
    resident = household["members"][0]
    county_admin.patch(f"/api/v1/residents/{resident['resident_id']}",
                       {"version": 1, "tags": ["留守儿童"]})
    tagged = county_admin.get(f"/api/v1/residents?grid={tree.town}&tag=留守儿童").json["items"]
    assert [r["resident_id"] for r in tagged] == [resident["resident_id"]]
    bad = county_admin.get("/api/v1/residents?cursor=not-a-cursor")
    assert bad.status == 400 and bad.error["details"][0]["field"] == "cursor"


def test_a_household_goes_only_to_an_active_micro_grid(county_admin, tree):
    household = register(county_admin, tree.micro_a1)
    for target in (tree.grid_b, f"{tree.grid_b}09"):
        response = county_admin.post(f"/api/v1/households/{household['household_id']}/move",
                                     {"version": 1, "grid_code": target})
        assert response.status == 400, response.body
        assert response.error["details"][0]["field"] == "grid_code"
    assert county_admin.get(f"/api/v1/households/{household['household_id']}").json[
        "grid_code"] == tree.micro_a1


def test_a_registration_resent_with_its_key_registers_once(county_admin, tree):
    body = {"grid_code": tree.micro_a1, "address": new_address(), "members": [resident_body()]}
    key = {"Idempotency-Key": "outbox-entry-0001"}
    first = county_admin.post("/api/v1/households", body, headers=key)
    again = county_admin.post("/api/v1/households", body, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.json["household_id"] == first.json["household_id"]
    assert counts(county_admin, tree.micro_a1)["households"] == 1
    other = county_admin.post("/api/v1/households", {**body, "address": new_address()},
                              headers=key)
    assert other.status == 409 and other.error["code"] == "idempotency_key_reused"

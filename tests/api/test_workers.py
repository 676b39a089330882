"""Workers and their assignments: a handover keeps the history, the grid is
covered by exactly the workers assigned, leaving ends every assignment."""

import pytest

from tests.api.ledger_tree import build, counts
from tests.conftest import new_phone


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def a_worker(client, grid, **fields):
    response = client.post("/api/v1/workers", {"name": "李网格", "phone": new_phone(),
                                               "kind": "part_time", "grid_code": grid, **fields})
    assert response.status == 201, response.body
    return response.json


def uncovered(client, grid):
    response = client.get(f"/api/v1/grids/{grid}/uncovered")
    assert response.status == 200, response.body
    return [g["code"] for g in response.json["items"]]


def test_assignments_handover_and_coverage(county_admin, tree):
    api = county_admin
    assert uncovered(api, tree.town) == [tree.micro_a1, tree.micro_a2, tree.micro_b]
    first, second = a_worker(api, tree.village_a), a_worker(api, tree.village_a)
    assigned = api.post(f"/api/v1/workers/{first['worker_id']}/assignments",
                        {"grid_code": tree.micro_a1, "start_date": "2026-01-05"})
    assert assigned.status == 201, assigned.body
    again = api.post(f"/api/v1/workers/{first['worker_id']}/assignments",
                     {"grid_code": tree.micro_a1})
    assert again.status == 409 and again.error["code"] == "already_assigned"
    assert uncovered(api, tree.town) == [tree.micro_a2, tree.micro_b]
    assert counts(api, tree.micro_a1)["active_assignments"] == 1

    handed = api.post(f"/api/v1/grids/{tree.micro_a1}/handover",
                      {"from_worker_id": first["worker_id"], "to_worker_id": second["worker_id"],
                       "day": "2026-11-01"})
    assert handed.status == 201, handed.body
    history = api.get(f"/api/v1/grids/{tree.micro_a1}/assignments").json["items"]
    assert sorted((a["worker_id"], a["start_date"], a["end_date"]) for a in history) == sorted([
        (first["worker_id"], "2026-01-05", "2026-11-01"),
        (second["worker_id"], "2026-11-01", None)])
    active = api.get(f"/api/v1/grids/{tree.village_a}/assignments?active=true").json["items"]
    assert [a["worker_id"] for a in active] == [second["worker_id"]]
    assert counts(api, tree.micro_a1)["active_assignments"] == 1

    left = api.post(f"/api/v1/workers/{second['worker_id']}/leave",
                    {"version": second["version"]})
    assert left.status == 200 and left.json["status"] == "left"
    assert uncovered(api, tree.town) == [tree.micro_a1, tree.micro_a2, tree.micro_b]
    late = api.post(f"/api/v1/workers/{second['worker_id']}/assignments",
                    {"grid_code": tree.micro_a2})
    assert late.status == 409 and late.error["code"] == "worker_left"


def test_assignment_dates_are_checked(county_admin, tree):
    worker = a_worker(county_admin, tree.village_a)
    future = county_admin.post(f"/api/v1/workers/{worker['worker_id']}/assignments",
                               {"grid_code": tree.micro_a1, "start_date": "2031-01-01"})
    assert future.status == 400 and future.error["details"][0]["field"] == "start_date"
    not_micro = county_admin.post(f"/api/v1/workers/{worker['worker_id']}/assignments",
                                  {"grid_code": tree.grid_a})
    assert not_micro.status == 400 and not_micro.error["code"] == "grid_unavailable"
    assignment = county_admin.post(f"/api/v1/workers/{worker['worker_id']}/assignments",
                                   {"grid_code": tree.micro_a1, "start_date": "2026-03-01"}).json
    backwards = county_admin.post(f"/api/v1/assignments/{assignment['assignment_id']}/end",
                                  {"version": 1, "end_date": "2026-02-01"})
    assert backwards.status == 400 and backwards.error["details"][0]["field"] == "end_date"


def test_a_phone_belongs_to_one_worker_and_is_masked(county_admin, tree):
    phone = new_phone()
    worker = a_worker(county_admin, tree.village_a, phone=phone)
    assert worker["phone"] == f"{phone[:3]}****{phone[-4:]}"
    taken = county_admin.post("/api/v1/workers", {"name": "重复", "phone": phone,
                                                  "kind": "volunteer", "grid_code": tree.town})
    assert taken.status == 409 and taken.error["code"] == "phone_taken"
    path = f"/api/v1/workers/{worker['worker_id']}"
    assert county_admin.get(f"{path}?reveal=true").json["phone"] == phone
    renamed = county_admin.patch(path, {"version": 1, "name": "李四", "kind": "full_time"})
    assert renamed.status == 200 and renamed.json["kind_name"] == "专职网格员"
    stale = county_admin.patch(path, {"version": 1, "name": "王五"})
    assert stale.status == 409


def test_workers_are_listed_by_subtree_and_kind(county_admin, tree):
    a_worker(county_admin, tree.village_a, kind="volunteer")
    a_worker(county_admin, tree.micro_b, kind="full_time")
    in_a = county_admin.get(f"/api/v1/workers?grid={tree.village_a}").json["items"]
    assert [w["grid_code"] for w in in_a] == [tree.village_a]
    full_time = county_admin.get(f"/api/v1/workers?grid={tree.town}&kind=full_time").json
    assert [w["grid_code"] for w in full_time["items"]] == [tree.micro_b]

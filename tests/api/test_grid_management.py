"""Grid management: edit, retire, and moving a subtree with every code below
recomputed and every record carried along."""

import pytest

from tests.api.ledger_fixtures import new_address, resident_body
from tests.api.ledger_tree import assigned_worker, build, counts, rental_with_tenant, user_in

RING = [[111.20, 35.60], [111.30, 35.60], [111.30, 35.70], [111.20, 35.60]]


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def test_a_grid_takes_a_leader_party_group_boundary_and_notes(county_admin, tree):
    path = f"/api/v1/grids/{tree.village_a}"
    response = county_admin.patch(path, {
        "version": 1, "name": "柳泉村", "party_members": [{"name": "张书记", "position": "组长"}],
        "boundary": {"type": "Polygon", "coordinates": [RING]}, "notes": "山区村"})
    assert response.status == 200, response.body
    grid = county_admin.get(path).json
    assert (grid["name"], grid["party_members"][0]["name"], grid["notes"]) == \
        ("柳泉村", "张书记", "山区村")
    assert grid["boundary"]["coordinates"] == [RING]
    bad = county_admin.patch(path, {"version": 2, "boundary": {"type": "Polygon",
                                                               "coordinates": [RING[:2]]}})
    assert bad.status == 400 and bad.error["details"][0]["field"] == "boundary"
    stale = county_admin.patch(path, {"version": 1, "notes": "旧"})
    assert stale.status == 409
    leader = user_in(tree.village_a, "grid_leader")
    assert leader.patch(path, {"version": 2, "notes": "网格长更新"}).status == 200
    assert leader.post(f"{path}/retire", {"version": 3, "reason": "合并"}).status == 403


def test_level_names_are_the_deployments(api, county_admin):
    levels = county_admin.get("/api/v1/grid-levels").json["items"]
    assert [level["name"] for level in levels] == ["县/区", "镇/街道", "村/社区", "组/片区", "微网格"]


def test_only_an_empty_grid_retires_and_then_takes_nothing(county_admin, tree):
    county_admin.post("/api/v1/households", {"grid_code": tree.micro_a1,
                                             "address": new_address(), "members": []})
    busy = county_admin.post(f"/api/v1/grids/{tree.micro_a1}/retire",
                             {"version": 1, "reason": "合并网格"})
    assert busy.status == 409 and busy.error["code"] == "grid_not_empty"
    parent = county_admin.post(f"/api/v1/grids/{tree.grid_a}/retire",
                               {"version": 1, "reason": "合并网格"})
    assert parent.status == 409 and "child" in parent.error["message"]
    retired = county_admin.post(f"/api/v1/grids/{tree.micro_a2}/retire",
                                {"version": 1, "reason": "合并网格"})
    assert retired.status == 200 and retired.json["retired"] is True
    refused = county_admin.post("/api/v1/households", {"grid_code": tree.micro_a2,
                                                       "address": new_address(), "members": []})
    assert refused.status == 400 and refused.error["code"] == "grid_unavailable"
    child = county_admin.post("/api/v1/grids", {"parent_code": tree.micro_a2[:14],
                                                "name": "新微网格"})
    assert child.status == 201  # the parent is still active; only the retired one is closed


def test_a_subtree_moves_with_its_records_and_counts(county_admin, tree):
    api = county_admin
    household = api.post("/api/v1/households", {
        "grid_code": tree.micro_a2, "address": new_address(),
        "members": [resident_body(), resident_body(resident_type="floating")]}).json
    rental = rental_with_tenant(api, tree.micro_a1)
    worker = assigned_worker(api, tree.micro_a1)
    scoped = user_in(tree.micro_a2, "grid_worker")
    before_town = counts(api, tree.town)

    started = api.post(f"/api/v1/grids/{tree.grid_a}/move",
                       {"version": 1, "parent_code": tree.village_b})
    assert started.status == 202, started.body
    job = started.json
    new_grid = f"{tree.village_b}02"
    assert (job["old_code"], job["new_code"]) == (tree.grid_a, new_grid)
    assert api.get(f"/api/v1/grid-moves/{job['move_id']}").json["status"] == "done"

    assert api.get(f"/api/v1/grids/{tree.grid_a}").status == 404
    moved = api.get(f"/api/v1/grids/{new_grid}/children").json["items"]
    assert [g["code"] for g in moved] == [f"{new_grid}01", f"{new_grid}02"]
    assert not any(g["moving"] for g in moved)
    got = api.get(f"/api/v1/households/{household['household_id']}").json
    assert got["grid_code"] == f"{new_grid}02"
    assert {m["grid_code"] for m in got["members"]} == {f"{new_grid}02"}
    assert api.get(f"/api/v1/rentals/{rental['rental_id']}").json["grid_code"] == \
        f"{new_grid}01"
    assert api.get(f"/api/v1/workers/{worker['worker_id']}").json["grid_code"] == \
        f"{new_grid}01"
    assert [g for g in api.get(f"/api/v1/grids/{tree.town}/uncovered").json["items"]
            if g["code"] == f"{new_grid}01"] == []

    assert counts(api, tree.village_a)["residents"] == 0
    assert counts(api, tree.village_b)["residents"] == 2
    assert counts(api, tree.village_b)["tenants"] == 1
    assert counts(api, f"{new_grid}02")["floating_residents"] == 1
    assert counts(api, tree.town) == before_town
    # A user scoped inside the moved subtree keeps their grid under its new code.
    again = user_in(tree.village_a, "viewer")  # an unrelated session still works
    assert again.get(f"/api/v1/grids/{tree.village_a}").status == 200
    refreshed = scoped.post("/api/v1/auth/refresh",
                            {"refresh_token": scoped.session["refresh_token"]}).json
    assert refreshed["user"]["scope_code"] == f"{new_grid}02"


def test_a_move_is_refused_where_it_cannot_go(county_admin, tree):
    for body, field in (({"parent_code": tree.micro_a1}, "parent_code"),
                        ({"parent_code": tree.village_a}, "parent_code"),
                        ({"parent_code": tree.town}, "parent_code")):
        response = county_admin.post(f"/api/v1/grids/{tree.grid_a}/move", {"version": 1, **body})
        assert response.status == 400, (body, response.body)
        assert response.error["details"][0]["field"] == field
    other_town = f"{tree.county}102"
    county_admin.post("/api/v1/grids", {"code": other_town, "parent_code": tree.county,
                                        "name": "另一个镇"})
    village = county_admin.post(f"/api/v1/grids/{tree.village_a}/move",
                                {"version": 1, "parent_code": other_town})
    assert village.status == 400 and village.error["details"][0]["field"] == "code"
    numbered = county_admin.post(f"/api/v1/grids/{tree.village_a}/move",
                                 {"version": 1, "parent_code": other_town,
                                  "code": f"{other_town}201"})
    assert numbered.status == 202 and numbered.json["status"] == "done"
    assert county_admin.get(f"/api/v1/grids/{other_town}201/children").json["items"][0][
        "code"] == f"{other_town}20101"


def test_a_move_cut_short_is_finished_by_the_sweep(county_admin, tree):
    from chalicelib.schemas.grids import GridMoveRequest
    from chalicelib.usecases import grid_moves

    county_admin.post("/api/v1/households", {"grid_code": tree.micro_a1,
                                             "address": new_address(),
                                             "members": [resident_body()]})
    original = grid_moves.REQUEST_BUDGET_SECONDS
    grid_moves.REQUEST_BUDGET_SECONDS = 0.0  # the request does one piece of work, then stops
    try:
        from chalicelib.domain.callers import Caller

        admin = Caller(user_id="t", role="county_admin", scope_code=tree.county)
        job = grid_moves.start_move(admin, tree.grid_a, GridMoveRequest(
            version=1, parent_code=tree.village_b))
    finally:
        grid_moves.REQUEST_BUDGET_SECONDS = original
    assert job.status == "running"
    blocked = county_admin.post("/api/v1/households", {"grid_code": tree.micro_a1,
                                                       "address": new_address(), "members": []})
    assert blocked.status == 400 and blocked.error["code"] == "grid_unavailable"
    finished = grid_moves.resume_running_moves()
    assert job.move_id in {j.move_id for j in finished if j.status == "done"}
    assert grid_moves.resume_running_moves() == [] or all(
        j.move_id != job.move_id for j in grid_moves.resume_running_moves())
    assert counts(county_admin, f"{tree.village_b}0201")["residents"] == 1
    assert counts(county_admin, tree.village_a)["residents"] == 0

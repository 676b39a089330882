"""我上报的: the cases an account reported, whatever their state, newest first
(GET /cases?box=reported, index by_reporter), in a county of the test's own."""

from tests.api import ledger_tree


def report(client, grid, description):
    answer = client.post("/api/v1/cases", {"category": "sanitation", "grid_code": grid,
                                           "description": description})
    assert answer.status == 201, answer.body
    return answer.json


def test_my_reports_whatever_their_state_newest_first_page_by_page(county_admin):
    tree = ledger_tree.build(county_admin)
    worker = ledger_tree.user_in(tree.micro_a1, "grid_worker")
    other = ledger_tree.user_in(tree.micro_a1, "grid_worker")
    leader = ledger_tree.user_in(tree.village_a, "grid_leader")
    mine = [report(worker, tree.micro_a1, f"第{n}件") for n in range(3)]
    report(other, tree.micro_a1, "别人的")
    registered = leader.post(f"/api/v1/cases/{mine[0]['case_id']}/transitions",
                             {"action": "register", "version": mine[0]["version"]}).json
    rejected = leader.post(f"/api/v1/cases/{mine[1]['case_id']}/transitions",
                           {"action": "reject", "version": 0, "note": "重复"}).json
    first = worker.get("/api/v1/cases?box=reported&limit=2").json
    rest = worker.get(f"/api/v1/cases?box=reported&limit=2&cursor={first['next_cursor']}").json
    items = first["items"] + rest["items"]
    assert [item["description"] for item in items] == ["第2件", "第1件", "第0件"]
    assert [item["state"] for item in items] == ["reported", rejected["state"],
                                                 registered["state"]]
    assert rest["next_cursor"] is None


def test_an_unknown_box_is_refused_at_its_field(county_admin):
    answer = county_admin.get("/api/v1/cases?box=reported_by_me")
    assert answer.status == 400 and answer.error["details"][0]["field"] == "box"

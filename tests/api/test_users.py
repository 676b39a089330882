import pytest

from tests.conftest import ApiClient, new_phone


def new_user(admin, scope, role="grid_worker", **extra):
    return admin.post("/api/v1/users", {"phone": new_phone(), "name": "测试", "role": role,
                                        "scope_code": scope, "initial_password": "Initial#2026",
                                        **extra})


def test_admin_cannot_create_a_user_above_or_beside_its_scope(as_role):
    town_admin = as_role("town_admin")
    above = new_user(town_admin, "140825")
    assert above.status == 403 and above.error["code"] == "out_of_scope"
    higher_role = new_user(town_admin, "140825102", role="county_admin")
    assert higher_role.status == 403 and higher_role.error["code"] == "role_denied"
    below = new_user(town_admin, "140825102201", role="grid_leader")
    assert below.status == 201 and below.json["must_change_password"] is True


def test_a_phone_belongs_to_one_user(county_admin):
    phone = new_phone()
    body = {"phone": phone, "name": "甲", "role": "viewer", "scope_code": county_admin.county,
            "initial_password": "Initial#2026"}
    assert county_admin.post("/api/v1/users", body).status == 201
    again = county_admin.post("/api/v1/users", body)
    assert again.status == 409 and again.error["details"][0]["field"] == "phone"


def test_grid_must_exist_and_password_must_be_decent(county_admin):
    missing = new_user(county_admin, f"{county_admin.county}999")
    assert missing.status == 400 and missing.error["details"][0]["field"] == "scope_code"
    weak = new_user(county_admin, county_admin.county, initial_password="88888888")
    assert weak.status == 400 and weak.error["details"][0]["field"] == "initial_password"


def test_phones_are_masked_and_reveal_is_audited(county_admin):
    created = new_user(county_admin, county_admin.county).json
    user_id = created["user_id"]
    assert "****" in created["phone"]
    listed = county_admin.get("/api/v1/users").json["items"]
    assert all("****" in u["phone"] for u in listed)
    masked = county_admin.get(f"/api/v1/users/{user_id}")
    assert "****" in masked.json["phone"]
    revealed = county_admin.get(f"/api/v1/users/{user_id}?reveal=true")
    assert revealed.status == 200 and "*" not in revealed.json["phone"]

    entries = county_admin.get(f"/api/v1/audit?record=user%23{user_id}").json["items"]
    assert [e["action"] for e in entries] == ["reveal", "create"]  # newest first
    reveal = entries[0]
    assert reveal["actor_id"] == county_admin.session["user"]["user_id"]
    assert reveal["actor_name"] == county_admin.session["user"]["name"]
    assert reveal["fields"] == "phone" and reveal["source_ip"] == "127.0.0.1"
    assert reveal["scope_code"] == county_admin.county


def test_audit_filters_by_user_and_time_and_stays_in_scope(county_admin, as_role):
    me = county_admin.session["user"]["user_id"]
    user_id = new_user(county_admin, county_admin.county).json["user_id"]
    county_admin.get(f"/api/v1/users/{user_id}?reveal=true")
    mine = county_admin.get(f"/api/v1/audit?user_id={me}").json["items"]
    assert {e["action"] for e in mine} == {"create", "reveal"}
    assert all(e["actor_id"] == me for e in mine)
    past = county_admin.get("/api/v1/audit?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z")
    assert past.status == 200 and past.json["items"] == []
    backwards = county_admin.get("/api/v1/audit?from=2099-01-01T00:00:00Z")
    assert backwards.status == 400 and backwards.error["details"][0]["field"] == "from"
    # Another county's admin sees none of it, even asking by record.
    demo_admin = as_role("county_admin")
    foreign = demo_admin.get(f"/api/v1/audit?record=user%23{user_id}").json["items"]
    assert foreign == []
    assert demo_admin.get(f"/api/v1/audit?scope={county_admin.county}").status == 403


def test_concurrent_admin_edits_do_not_overwrite(county_admin):
    user_id = new_user(county_admin, county_admin.county).json["user_id"]
    first = county_admin.patch(f"/api/v1/users/{user_id}", {"name": "甲", "version": 1})
    second = county_admin.patch(f"/api/v1/users/{user_id}", {"name": "乙", "version": 1})
    assert first.status == 200 and second.status == 409
    assert county_admin.get(f"/api/v1/users/{user_id}").json["name"] == "甲"


def test_an_admin_cannot_lock_itself_out(county_admin):
    me = county_admin.session["user"]["user_id"]
    response = county_admin.patch(f"/api/v1/users/{me}", {"status": "disabled", "version": 1})
    assert response.status == 403


@pytest.fixture
def hotline_key(county_admin):
    response = county_admin.post("/api/v1/api-keys", {
        "name": "12345热线平台", "scope_code": county_admin.county,
        "operations": ["grids.read", "cases.create"]})
    assert response.status == 201, response.body
    return response.json


def test_api_key_is_shown_once_and_stored_hashed(county_admin, hotline_key):
    from chalicelib.domain import tokens
    from chalicelib.store import api_keys

    # The secret is url-safe base64 and may itself contain "_".
    prefix, key_id, secret = hotline_key["api_key"].split("_", 2)
    assert (prefix, key_id) == ("wgk", hotline_key["key_id"])
    stored = api_keys.get(key_id)
    assert secret not in stored.secret_digest
    assert stored.secret_digest == tokens.digest(secret)
    listed = county_admin.get("/api/v1/api-keys").json["items"]
    assert [k["key_id"] for k in listed] == [hotline_key["key_id"]]
    assert "api_key" not in listed[0]


def test_api_key_works_until_revoked(county_admin, hotline_key):
    machine = ApiClient()
    machine.headers["X-API-Key"] = hotline_key["api_key"]
    assert machine.get(f"/api/v1/grids/{county_admin.county}").status == 200
    wrong = ApiClient()
    wrong.headers["X-API-Key"] = hotline_key["api_key"][:-1] + "x"
    assert wrong.get(f"/api/v1/grids/{county_admin.county}").status == 401
    assert county_admin.delete(f"/api/v1/api-keys/{hotline_key['key_id']}").status == 204
    assert machine.get(f"/api/v1/grids/{county_admin.county}").status == 401


def test_unknown_operations_are_refused(county_admin):
    response = county_admin.post("/api/v1/api-keys", {
        "name": "x", "scope_code": county_admin.county, "operations": ["grids.delete"]})
    assert response.status == 400 and response.error["details"][0]["field"] == "operations"


def test_the_worker_an_account_links_to_exists_within_the_admins_scope(county_admin):
    from chalicelib.domain import tokens

    from tests.api.ledger_tree import build, user_in

    tree = build(county_admin)
    other_town = f"{county_admin.county}102"
    assert county_admin.post("/api/v1/grids", {"code": other_town, "parent_code":
                                               county_admin.county, "name": "邻镇"}).status == 201

    def worker_in(grid):
        return county_admin.post("/api/v1/workers", {"name": "李网格", "phone": new_phone(),
                                                     "kind": "full_time", "grid_code": grid}).json
    town_admin = user_in(tree.town, "town_admin")
    for worker_id in (worker_in(other_town)["worker_id"], tokens.new_id()):
        refused = new_user(town_admin, tree.village_a, worker_id=worker_id)
        assert refused.status == 400, refused.body
        assert [d["field"] for d in refused.error["details"]] == ["worker_id"]
    own = worker_in(tree.micro_a1)["worker_id"]
    linked = new_user(town_admin, tree.village_a, worker_id=own)
    assert linked.status == 201 and linked.json["worker_id"] == own

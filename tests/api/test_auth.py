from datetime import timedelta

import pytest

from tests.conftest import DEMO_ACCOUNTS, ApiClient, new_phone


@pytest.fixture
def user(county_admin):
    """A fresh grid worker of the admin's county (must change the initial password)."""
    phone = new_phone()
    response = county_admin.post("/api/v1/users", {
        "phone": phone, "name": "新网格员", "role": "grid_worker",
        "scope_code": county_admin.county, "initial_password": "Initial#2026"})
    assert response.status == 201, response.body
    return {"phone": phone, "password": "Initial#2026", "id": response.json["user_id"]}


def login(phone, password):
    return ApiClient().post("/api/v1/auth/login", {"phone": phone, "password": password})


def test_login_answers_a_session(as_role):
    client = as_role("grid_worker")
    session = client.session
    assert session["token_type"] == "Bearer" and session["expires_in"] == 900
    assert session["user"]["role"] == "grid_worker"
    assert session["user"]["scope_code"] == DEMO_ACCOUNTS["grid_worker"]["scope"]
    assert session["user"]["phone"] == "100****0002"
    assert session["user"]["worker_id"] == "w000002"
    assert client.get("/api/v1/me").json["scope_name"].endswith("微网格")


def test_wrong_password_and_unknown_phone_answer_alike(database):
    account = DEMO_ACCOUNTS["viewer"]
    wrong = login(account["phone"], "Wrong#2026x")
    unknown = login(new_phone(), "Wrong#2026x")
    assert wrong.status == unknown.status == 401
    assert wrong.error["code"] == unknown.error["code"] == "invalid_credentials"


def test_five_failures_lock_the_phone_for_fifteen_minutes(user, monkeypatch):
    for _ in range(4):
        assert login(user["phone"], "Wrong#2026x").status == 401
    locked = login(user["phone"], "Wrong#2026x")
    assert locked.status == 429
    assert locked.error["code"] == "account_locked"
    assert 899 <= int(locked.headers["retry-after"]) <= 900
    # Even the right password is refused while locked…
    assert login(user["phone"], user["password"]).status == 429
    # …and accepted once the lock has run out.
    from chalicelib import clock

    later = clock.now() + timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert login(user["phone"], user["password"]).status == 200


def test_expired_access_token_is_401(as_role, monkeypatch):
    from chalicelib import clock

    client = as_role("viewer")
    later = clock.now() + timedelta(minutes=15)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = client.get("/api/v1/me")
    assert response.status == 401
    assert response.error["code"] == "token_expired"


def test_bad_authorization_headers_are_401(api, demo_town):
    for header in ("Bearer", "Basic abc", "Bearer not.a.jwt"):
        response = api.get("/api/v1/me", headers={"Authorization": header})
        assert response.status == 401, header


def test_refresh_rotates_and_reuse_revokes_the_family(as_role):
    client = as_role("dispatcher")
    first = client.session["refresh_token"]
    renewed = client.post("/api/v1/auth/refresh", {"refresh_token": first})
    assert renewed.status == 200
    second = renewed.json["refresh_token"]
    assert second != first
    # The spent token comes back: someone copied it. The whole family ends…
    reused = client.post("/api/v1/auth/refresh", {"refresh_token": first})
    assert reused.status == 401 and reused.error["code"] == "invalid_refresh_token"
    # …including the newest refresh token and the access tokens of the session.
    assert client.post("/api/v1/auth/refresh", {"refresh_token": second}).status == 401
    client.headers["Authorization"] = f"Bearer {renewed.json['access_token']}"
    assert client.get("/api/v1/me").status == 401


def test_a_refresh_token_past_its_lifetime_is_401(as_role, monkeypatch):
    from chalicelib import clock
    from chalicelib.domain import tokens

    logged_in_by = clock.now()
    client = as_role("viewer")
    # Each refresh gives the session a lifetime from then…
    renewed_at = logged_in_by + tokens.REFRESH_TTL - timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: renewed_at)
    renewed = client.post("/api/v1/auth/refresh",
                          {"refresh_token": client.session["refresh_token"]})
    assert renewed.status == 200
    # …and a token unused for that long no longer refreshes.
    expired_at = clock.now() + tokens.REFRESH_TTL
    monkeypatch.setattr(clock, "now", lambda: expired_at)
    expired = client.post("/api/v1/auth/refresh", {"refresh_token": renewed.json["refresh_token"]})
    assert expired.status == 401 and expired.error["code"] == "invalid_refresh_token"


def test_logout_ends_the_session_at_once(as_role):
    client = as_role("supervisor")
    refresh_token = client.session["refresh_token"]
    assert client.post("/api/v1/auth/logout", {"refresh_token": refresh_token}).status == 204
    response = client.get("/api/v1/me")
    assert response.status == 401 and response.error["code"] == "session_revoked"
    assert client.post("/api/v1/auth/refresh", {"refresh_token": refresh_token}).status == 401


def test_disabling_a_user_revokes_at_once(county_admin, user):
    client = ApiClient().login(user["phone"], user["password"])
    assert client.get("/api/v1/me").status == 200
    response = county_admin.patch(f"/api/v1/users/{user['id']}",
                                  {"status": "disabled", "version": 1})
    assert response.status == 200 and response.json["status"] == "disabled"
    assert client.get("/api/v1/me").status == 401
    disabled = login(user["phone"], user["password"])
    assert disabled.status == 403 and disabled.error["code"] == "account_disabled"


def test_first_login_must_change_the_password(user):
    client = ApiClient().login(user["phone"], user["password"])
    assert client.session["must_change_password"] is True
    assert client.get("/api/v1/me").status == 200
    blocked = client.get(f"/api/v1/grids/{client.session['user']['scope_code']}")
    assert blocked.status == 403 and blocked.error["code"] == "password_change_required"
    weak = client.post("/api/v1/auth/password", {"current_password": user["password"],
                                                 "new_password": "12345678"})
    assert weak.status == 400 and weak.error["details"][0]["field"] == "new_password"
    changed = client.post("/api/v1/auth/password", {"current_password": user["password"],
                                                    "new_password": "Village#2027"})
    assert changed.status == 200 and changed.json["must_change_password"] is False
    assert client.get("/api/v1/me").status == 401  # the old session ended with the change
    fresh = ApiClient().login(user["phone"], "Village#2027")
    assert fresh.get(f"/api/v1/grids/{fresh.session['user']['scope_code']}").status == 200


def test_profile_edit_is_idempotent_and_versioned(as_role):
    client = as_role("grid_leader")
    version = client.get("/api/v1/me").json["version"]
    key = {"Idempotency-Key": "note-0001-abcdef"}
    first = client.patch("/api/v1/me", {"note": "巡查三队", "version": version}, headers=key)
    assert first.status == 200 and first.json["version"] == version + 1
    replay = client.patch("/api/v1/me", {"note": "巡查三队", "version": version}, headers=key)
    assert replay.status == 200 and replay.json == first.json
    assert client.get("/api/v1/me").json["version"] == version + 1  # applied once
    misuse = client.patch("/api/v1/me", {"note": "别的", "version": version}, headers=key)
    assert misuse.status == 409 and misuse.error["code"] == "idempotency_key_reused"
    stale = client.patch("/api/v1/me", {"note": "迟到", "version": version})
    assert stale.status == 409 and stale.error["code"] == "version_conflict"

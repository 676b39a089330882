"""Signing in: each role's navigation, the lockout, the first-login password change."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DEMO_ACCOUNTS, ApiClient, new_phone
from tests.e2e.conftest import PASSWORD, log_in, profile_of

# What each role finds in the navigation (frontend/src/features.js).
EVERYONE = ["grids", "ledgers", "workers"]
CASES = ["cases", "caseIndicators"]
NAVIGATION = {
    "county_admin": [*EVERYONE, "imports", "qrCodes", *CASES, "hotlineCallbacks", "accounts"],
    "town_admin": [*EVERYONE, "imports", "qrCodes", *CASES, "hotlineCallbacks", "accounts"],
    "dispatcher": [*EVERYONE, *CASES],
    "supervisor": [*EVERYONE, *CASES],
    "grid_leader": [*EVERYONE, "imports", "qrCodes", *CASES],
    "grid_worker": [*EVERYONE, "imports", "qrCodes", *CASES],
    "viewer": [*EVERYONE, *CASES],
}
# The read each feature's screen opens with: the API must let exactly the
# roles that see the feature make it.
FEATURE_READS = {
    "grids": "/api/v1/grids/{scope}",
    "ledgers": "/api/v1/households?grid={scope}",
    "workers": "/api/v1/workers?grid={scope}",
    "imports": "/api/v1/ledger-templates/households",
    "qrCodes": "/api/v1/rentals/to-reprint?grid={scope}",
    "cases": "/api/v1/cases?box=subtree&scope={scope}",
    "caseIndicators": "/api/v1/case-indicators?grid={scope}",
    "hotlineCallbacks": "/api/v1/hotline/callbacks?scope={scope}",
    "accounts": "/api/v1/users",
}
ROLE_NAMES = {"county_admin": "县级管理员", "town_admin": "镇级管理员", "dispatcher": "调度员",
              "supervisor": "监督员", "grid_leader": "网格长", "grid_worker": "网格员",
              "viewer": "查看员"}


def test_every_demo_role_is_covered():
    assert set(NAVIGATION) == set(DEMO_ACCOUNTS) == set(ROLE_NAMES)


@pytest.mark.parametrize("role", sorted(NAVIGATION))
def test_each_role_sees_the_navigation_its_api_allows(page: Page, screenshot, role):
    account = DEMO_ACCOUNTS[role]
    log_in(page, account["phone"], account["password"])
    expect(page.locator('[data-test="role"]')).to_have_text(ROLE_NAMES[role])
    expect(page.locator('[data-test="my-grid"]')).to_contain_text(account["scope"])
    tiles = page.locator('[data-test="role-nav"] [data-nav]')
    expect(tiles).to_have_count(len(NAVIGATION[role]))
    shown = [tiles.nth(i).get_attribute("data-nav") for i in range(tiles.count())]
    assert shown == NAVIGATION[role]
    screenshot(page, f"home-{role}")

    api = ApiClient().login(account["phone"], account["password"])
    allowed = [feature for feature, read in FEATURE_READS.items()
               if api.get(read.format(scope=account["scope"])).status == 200]
    assert sorted(allowed) == sorted(NAVIGATION[role]), (
        f"{role}: the app shows {NAVIGATION[role]} but the API lets it read {allowed}")


def test_wrong_passwords_lock_the_phone_after_five_tries(page: Page, screenshot):
    phone = new_phone()  # no such account: the lockout counts failures per phone
    page.goto("/login")
    page.locator('input[name="phone"]').fill(phone)
    error = page.locator('[data-test="login-error"]')
    for attempt in range(1, 6):
        page.locator('input[name="password"]').fill(f"Wrong#{attempt}abc")
        with page.expect_response("**/api/v1/auth/login") as answer:
            page.locator('[data-test="login-submit"]').click()
        assert answer.value.status == (429 if attempt == 5 else 401)
        if attempt < 5:
            expect(error).to_have_text("手机号或密码错误")
    expect(error).to_have_text("密码错误次数过多，账号已锁定，请 15 分钟后再试")
    screenshot(page, "login-locked")
    assert ApiClient().post("/api/v1/auth/login", {"phone": phone, "password": "x"}).status == 429


def test_first_login_changes_the_password_before_anything_else(page: Page, screenshot, new_account):
    phone, initial = new_account(must_change_password=True)
    log_in(page, phone, initial)
    expect(page).to_have_url("/password")
    expect(page.locator('[data-test="forced-hint"]')).to_be_visible()
    expect(page.locator('[data-test="tabbar"]')).to_have_count(0)
    screenshot(page, "password-first-login")
    page.goto("/grids")
    expect(page).to_have_url("/password")

    page.locator('input[name="current"]').fill(initial)
    page.locator('input[name="next"]').fill(PASSWORD)
    page.locator('input[name="repeat"]').fill(PASSWORD)
    page.locator('[data-test="password-submit"]').click()
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    assert profile_of(phone, PASSWORD)["must_change_password"] is False
    assert ApiClient().post("/api/v1/auth/login", {"phone": phone, "password": initial}).status == 401

    refresh_token = page.evaluate("JSON.parse(localStorage.getItem('wangge.session')).refresh_token")
    page.goto("/me")
    page.locator('[data-test="logout"]').click()
    expect(page).to_have_url("/login")
    assert page.evaluate("localStorage.getItem('wangge.session')") is None
    refused = ApiClient().post("/api/v1/auth/refresh", {"refresh_token": refresh_token})
    assert refused.status == 401

"""Accounts in the browser, as a town's administrator keeps them: an account
made with a generated initial password its owner must change, its phone read
in full and the audit log showing who did so, the account stopped; and an API
key for the hotline platform shown once and revoked; and the county's case
categories, which only its administrator sets."""

import secrets

from playwright.sync_api import Browser, Page, expect

from tests.conftest import DEMO_ACCOUNTS, ApiClient, new_phone
from tests.e2e.conftest import PHONE, log_in
from tests.e2e.test_registry import confirm, sign_in_as

TOWN = DEMO_ACCOUNTS["town_admin"]["scope"]


def test_an_admin_makes_an_account_reads_its_audit_and_stops_it(page: Page, browser: Browser,
                                                                  app_url: str, screenshot):
    admin = sign_in_as(page, "town_admin")
    page.goto("/accounts")
    page.locator('[data-test="new-account"]').click()
    phone = new_phone()
    page.locator('input[name="name"]').fill("欧阳新员")
    page.locator('input[name="phone"]').fill(phone)
    expect(page.locator(".van-radio", has_text="县级管理员")).to_have_count(0)
    page.locator(".van-radio", has_text="网格员").first.click()
    password = page.locator('input[name="initial_password"]').input_value()
    assert len(password) == 10
    screenshot(page, "account-new")
    page.locator('[data-test="save"]').click()

    expect(page.locator('[data-test="account"]')).to_contain_text("欧阳新员")
    expect(page.locator('[data-test="account"]')).to_contain_text("未改初始密码")
    user_id = page.url.rsplit("/", 1)[1]
    expect(page.locator('[data-test="phone"]')).to_contain_text("****")
    page.locator('[data-test="reveal"]').click()
    expect(page.locator('[data-test="phone"]')).to_contain_text(phone)
    screenshot(page, "account")

    # Its owner signs in with the initial password and must change it first.
    owner = browser.new_context(base_url=app_url, viewport=PHONE, locale="zh-CN")
    owner_page = owner.new_page()
    log_in(owner_page, phone, password)
    expect(owner_page).to_have_url("/password")
    owner.close()

    page.locator('[data-test="audit-of"]').click()
    entries = page.locator('[data-test="audit-entry"]')
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_have_attribute("data-action", "reveal")
    expect(entries.nth(0)).to_contain_text("查看明文")
    expect(entries.nth(0)).to_contain_text("镇级管理员")
    expect(entries.nth(0)).to_contain_text("涉及：手机号")
    expect(entries.nth(1)).to_have_attribute("data-action", "create")
    screenshot(page, "audit")
    page.go_back()

    page.locator('[data-test="disable"]').click()
    confirm(page)
    expect(page.locator('[data-test="account"]')).to_contain_text("已停用")
    refused = ApiClient().post("/api/v1/auth/login", {"phone": phone, "password": password})
    assert (refused.status, refused.error["code"]) == (403, "account_disabled")
    assert admin.get(f"/api/v1/users/{user_id}").json["status"] == "disabled"


def test_an_api_key_is_shown_once_and_stops_working_when_revoked(page: Page, screenshot):
    sign_in_as(page, "town_admin")
    page.goto("/accounts/api-keys")
    page.locator('[data-test="new-api-key"]').click()
    page.locator('input[name="name"]').fill("12345热线平台（测试）")
    page.locator(".van-checkbox", has_text="记录回访").click()
    page.locator('[data-test="save"]').click()
    secret = page.locator('[data-test="api-key-secret"]').inner_text()
    expect(page.locator('[data-test="callback-secret"]')).not_to_be_empty()
    screenshot(page, "api-key-created")
    machine = ApiClient()
    machine.headers["X-API-Key"] = secret
    assert machine.get(f"/api/v1/grids/{TOWN}").status == 200

    page.locator('[data-test="done"]').click()
    key_id = secret.split("_")[1]
    row = page.locator(f'[data-key="{key_id}"]')
    expect(row).to_contain_text("读取网格")
    expect(row).not_to_contain_text("记录回访")
    row.locator('[data-test="revoke"]').click()
    confirm(page)
    expect(row).to_contain_text("已吊销")
    screenshot(page, "api-keys")
    assert machine.get(f"/api/v1/grids/{TOWN}").status == 401


def test_the_county_admin_adds_a_case_category_with_its_time_limits(page: Page, screenshot):
    admin = sign_in_as(page, "county_admin")
    code = f"noise_{secrets.token_hex(3)}"
    page.goto("/cases")
    page.locator('[data-test="edit-categories"]').click()
    page.locator('[data-test="new-category"]').click()
    page.locator('input[name="code"]').fill(code)
    page.locator('input[name="name_zh"]').fill("噪音扰民")
    page.locator('input[name="name_en"]').fill("Noise")
    page.locator('input[name="accept"]').fill("12h")
    screenshot(page, "case-category-new")
    page.locator('[data-test="save"]').click()
    expect(page.locator(f'[data-code="{code}"]')).to_contain_text("受理 12 小时")
    screenshot(page, "case-categories")
    listed = {c["code"]: c for c in admin.get("/api/v1/case-categories").json["items"]}
    assert (listed[code]["name_zh"], listed[code]["accept"], listed[code]["handle"]) == (
        "噪音扰民", "12h", "3wd")

"""The screens, walked as people use them, with a screenshot of each at phone size."""

from playwright.sync_api import Browser, Page, expect

from tests.conftest import DEMO_ACCOUNTS, ApiClient
from tests.e2e.conftest import log_in


def sign_in_as(page: Page, role: str) -> None:
    account = DEMO_ACCOUNTS[role]
    log_in(page, account["phone"], account["password"])
    expect(page.locator('[data-test="role"]')).to_be_visible()


def test_the_login_screen_in_both_languages(page: Page, screenshot):
    page.goto("/")
    expect(page).to_have_url("/login")
    expect(page.locator("h1")).to_have_text("网格化服务管理")
    screenshot(page, "login")
    page.locator('[data-test="language-switch"]').click()
    expect(page.locator("h1")).to_have_text("Wangge grid governance")
    expect(page.locator('[data-test="login-submit"]')).to_have_text("Sign in")
    assert page.evaluate("document.documentElement.lang") == "en"
    screenshot(page, "login-en")


def figure(page: Page, key: str):
    return page.locator(f'[data-test="counts"] [data-count="{key}"] .figure-value')


def test_an_admin_walks_the_grid_tree_and_the_accounts(page: Page, screenshot):
    sign_in_as(page, "town_admin")
    account = DEMO_ACCOUNTS["town_admin"]
    totals = ApiClient().login(account["phone"], account["password"]).get(
        f"/api/v1/grids/{account['scope']}/counts").json
    expect(figure(page, "children")).to_have_text("21")
    expect(figure(page, "households")).to_have_text(str(totals["grid"]["counts"]["households"]))
    expect(figure(page, "rentals")).to_have_text(str(totals["grid"]["counts"]["rentals"]))
    page.locator('[data-test="tabbar"]').get_by_text("网格").click()
    children = page.locator('[data-test="children"] .van-cell')
    expect(children).to_have_count(21)
    screenshot(page, "grids-town")
    children.first.click()
    expect(page).to_have_url("/grids/140825102201")
    expect(page.locator('[data-test="grid-detail"]')).to_contain_text("140825102201")
    expect(page.locator('[data-test="children"] .van-cell').first).to_be_visible()
    screenshot(page, "grids-village")

    page.goto("/accounts")
    accounts = page.locator('[data-test="accounts"] .van-cell')
    expect(accounts.first).to_be_visible()
    expect(page.locator('[data-test="accounts"]')).to_contain_text("镇级管理员")
    screenshot(page, "accounts")


def test_a_worker_finds_its_micro_grid_profile_and_no_admin_screens(page: Page, screenshot):
    sign_in_as(page, "grid_worker")
    expect(figure(page, "children")).to_have_text("0")
    page.goto("/grids")
    expect(page.locator('[data-test="covering"]')).to_contain_text(DEMO_ACCOUNTS["grid_worker"]["scope"])
    expect(page.locator('[data-test="children"]')).to_have_count(0)  # a micro-grid has none
    expect(page.locator('[data-test="edit-grid"]')).to_have_count(0)
    screenshot(page, "grids-micro")
    page.goto("/accounts")
    expect(page.locator('[data-test="forbidden"]')).to_contain_text("当前角色不能使用该功能")
    screenshot(page, "forbidden")
    page.goto("/no-such-page")
    expect(page.locator('[data-test="notFound"]')).to_be_visible()
    screenshot(page, "not-found")
    page.goto("/me")
    expect(page.locator('textarea[name="note"]')).to_be_visible()
    screenshot(page, "me")
    page.locator('[data-test="outbox-link"]').click()
    expect(page.locator('[data-test="empty-state"]')).to_have_text("没有待同步的记录")
    screenshot(page, "outbox-empty")


def test_an_expired_access_token_is_renewed_without_the_user_noticing(page: Page):
    sign_in_as(page, "viewer")
    spent = page.evaluate("""() => {
        const session = JSON.parse(localStorage.getItem('wangge.session'))
        localStorage.setItem('wangge.session', JSON.stringify({ ...session, expires_at: 0 }))
        return session.refresh_token
    }""")
    with page.expect_response("**/api/v1/auth/refresh") as renewal:
        page.reload()
    assert renewal.value.status == 200
    expect(page.locator('[data-test="my-grid"]')).to_be_visible()
    expect(page).to_have_url("/")
    renewed = page.evaluate("JSON.parse(localStorage.getItem('wangge.session')).refresh_token")
    assert renewed != spent


def test_a_desktop_gets_a_side_bar(browser: Browser, app_url: str, screenshot):
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 800},
                                  locale="zh-CN")
    try:
        page = context.new_page()
        sign_in_as(page, "county_admin")
        sidebar = page.locator('[data-test="sidebar"]')
        expect(sidebar).to_be_visible()
        expect(sidebar.locator("[data-nav]")).to_have_count(9)
        expect(page.locator('[data-test="tabbar"]')).to_be_hidden()
        screenshot(page, "desktop-home")
    finally:
        context.close()

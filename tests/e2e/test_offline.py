"""Working without signal: the app shell from the service worker, and a write
made offline that reaches the server exactly once when the network returns."""

from urllib.parse import urlparse

from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e.conftest import WORKER_SCOPE, log_in, lose_signal, profile_of

NOTE = "周三全天在村委会值班"


def wait_until_kept(page: Page, path: str) -> None:
    """A screen shows an answer before the app has kept it for offline (Cache Storage)."""
    page.wait_for_function("""async (path) => (await (await caches.open('wangge-reads')).keys())
        .some((request) => new URL(request.url).pathname.endsWith(path))""", arg=path)


def test_a_profile_edit_made_offline_syncs_exactly_once(context: BrowserContext, page: Page,
                                                       screenshot, new_account):
    phone, password = new_account()
    before = profile_of(phone, password)["version"]
    log_in(page, phone, password)
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    page.goto("/me")

    lose_signal(context, page)
    expect(page.locator('[data-test="offline-banner"]')).to_be_visible()
    page.locator('textarea[name="note"]').fill(NOTE)
    page.locator('[data-test="profile-save"]').click()
    expect(page.locator('[data-test="profile-status"]')).to_have_text("已离线保存，联网后自动同步")
    expect(page.locator('[data-test="outbox-banner"]')).to_have_text("有 1 条记录待同步")
    screenshot(page, "me-saved-offline")
    page.locator('[data-test="outbox-banner"]').click()
    expect(page.locator('[data-test="outbox-list"] [data-status="pending"]')).to_contain_text(
        f"备注：{NOTE}")
    screenshot(page, "outbox-offline")
    assert profile_of(phone, password)["version"] == before

    context.set_offline(False)
    expect(page.locator('[data-test="empty-state"]')).to_have_text("没有待同步的记录")
    expect(page.locator('[data-test="outbox-banner"]')).to_have_count(0)
    after = profile_of(phone, password)
    assert (after["version"], after["note"]) == (before + 1, NOTE)

    page.reload()  # another occasion to send: nothing is left to send again
    expect(page.locator('[data-test="empty-state"]')).to_have_text("没有待同步的记录")
    assert profile_of(phone, password)["version"] == before + 1


def test_the_app_opens_without_signal(context: BrowserContext, page: Page, screenshot,
                                      new_account):
    phone, password = new_account()
    log_in(page, phone, password)
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    expect(page.locator('[data-test="my-grid"]')).to_contain_text(WORKER_SCOPE)
    wait_until_kept(page, f"/grids/{WORKER_SCOPE}")

    lose_signal(context, page)
    page.reload()  # the service worker answers with the shell it keeps
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    # The home screen's grid was read before: shown as kept, and said to be.
    expect(page.locator('[data-test="my-grid"]')).to_contain_text(WORKER_SCOPE)
    expect(page.locator('[data-test="kept-note"]')).to_contain_text("读取的数据")
    screenshot(page, "home-offline")
    page.goto("/me")  # a screen loaded lazily comes from the cache too
    expect(page.locator('[data-test="profile-form"]')).to_be_visible()
    page.goto("/workers")  # never read: nothing kept to show
    expect(page.locator('[data-test="error-state"]')).to_contain_text("网络不可用")


def test_a_record_read_before_opens_without_signal_and_the_session_end_forgets_it(
        context: BrowserContext, page: Page, screenshot, new_account):
    phone, password = new_account()
    log_in(page, phone, password)
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    page.goto("/ledgers?list=households")
    first = page.locator('[data-test="ledger-list"] .van-cell').first
    address = first.locator(".van-cell__title").inner_text().splitlines()[0]
    first.click()
    expect(page.locator('[data-test="household"]')).to_contain_text(address)
    record = page.url
    wait_until_kept(page, urlparse(record).path)

    lose_signal(context, page)
    page.goto("/")
    page.goto(record)
    expect(page.locator('[data-test="household"]')).to_contain_text(address)
    expect(page.locator('[data-test="kept-note"]')).to_be_visible()
    screenshot(page, "household-kept")

    context.set_offline(False)
    page.goto("/me")
    page.locator('[data-test="logout"]').click()
    expect(page).to_have_url("/login")
    assert page.evaluate("caches.has('wangge-reads')") is False


def test_a_write_whose_answer_was_lost_is_resent_with_its_key_and_applied_once(
        page: Page, screenshot, new_account):
    phone, password = new_account()
    before = profile_of(phone, password)["version"]
    keys = []
    # The outbox resends on its own (on start, on a timer, when any call is answered):
    # resends are held unanswered until the test has seen the entry waiting.
    holding_resends = True

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "PATCH":
            route.continue_()
            return
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()  # the server applies the write ...
            route.abort("internetdisconnected")  # ... and its answer never arrives
        elif not holding_resends:
            route.continue_()
        # else: left unanswered, until the page that sent it goes away

    page.route("**/api/v1/me", lose_the_first_answer)
    log_in(page, phone, password)
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    page.goto("/me")
    page.locator('textarea[name="note"]').fill(NOTE)
    page.locator('[data-test="profile-save"]').click()
    expect(page.locator('[data-test="profile-status"]')).to_have_text("已离线保存，联网后自动同步")
    assert profile_of(phone, password)["version"] == before + 1  # applied, though unanswered

    page.goto("/outbox")
    expect(page.locator('[data-status="pending"]')).to_contain_text("网络不可用")
    screenshot(page, "outbox-pending")
    holding_resends = False
    page.reload()  # the entry waits in IndexedDB and goes out again when the app starts
    expect(page.locator('[data-test="empty-state"]')).to_have_text("没有待同步的记录")
    assert len(keys) >= 2 and set(keys) == {keys[0]}  # resent (maybe more than once), one key
    after = profile_of(phone, password)
    assert (after["version"], after["note"]) == (before + 1, NOTE)

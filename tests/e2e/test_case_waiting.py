"""What happens after one acts, in the browser (issue 16, items 1, 2, 3 and 7): a
report made without signal is followed to its case once it is sent, and waits at
the top of 我的待办 meanwhile; a worker finds what they reported under 我上报的; a
grid leader's home screen and inboxes count what waits, from the server's counters;
the lit tab opens its feature's main list."""

import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import DEMO_ACCOUNTS
from tests.e2e.conftest import WORKER_SCOPE, log_in, lose_signal
from tests.e2e.test_cases import api_as, every_item, phone_of  # noqa: F401 (a fixture)

VILLAGE = WORKER_SCOPE[:12]

# Vant's toast leaves after two seconds: what it said is noted as it appears, so the
# test reads the note instead of racing the toast's timer.
NOTE_TOASTS = """() => {
    window.__toasts = []
    new MutationObserver(() => {
        for (const toast of document.querySelectorAll('.van-toast__text')) {
            if (!window.__toasts.includes(toast.textContent)) window.__toasts.push(toast.textContent)
        }
    }).observe(document.body, { childList: true, subtree: true, characterData: true })
}"""


def report_offline(page: Page, description: str) -> None:
    page.goto("/cases/new")
    page.locator('[data-test="choose-category"] label', has_text="环境卫生").click()
    page.locator('textarea[name="description"]').fill(description)
    page.locator('input[name="address"]').fill("三泉村村委会门口")
    page.locator('[data-test="report-submit"]').click()
    expect(page.locator('[data-test="report-queued"]')).to_have_attribute("data-outcome", "pending")


def test_a_report_sent_after_waiting_says_so_and_links_to_its_case(context: BrowserContext,
                                                                   page: Page, screenshot):
    first, second = (f"柴堆占道 {uuid.uuid4().hex[:6]}" for _ in range(2))
    account = DEMO_ACCOUNTS["grid_worker"]
    log_in(page, account["phone"], account["password"])
    expect(page.locator('[data-test="role"]')).to_be_visible()
    page.goto("/cases/new")
    expect(page.locator('[data-test="choose-category"] label')).not_to_have_count(0)

    lose_signal(context, page)
    report_offline(page, first)
    expect(page.locator('[data-test="report-queued"]')).to_contain_text("已离线保存")
    # Only the lit tab leads out of the card (item 7): to 我的待办, the report on top.
    page.locator('[data-tab="cases"]').click()
    expect(page).to_have_url(re.compile(r"/cases(\?.*)?$"))
    pending = page.locator('[data-test="pending-reports"] [data-test="pending-report"]')
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("待同步")
    expect(pending).to_contain_text(first)
    expect(page.locator('[data-test="boxes"] [role="tab"][aria-selected="true"]')).to_contain_text(
        "我的待办")
    screenshot(page, "cases-mine-waiting-report")

    report_offline(page, second)
    page.evaluate(NOTE_TOASTS)
    context.set_offline(False)
    card = page.locator('[data-test="report-queued"]')
    expect(card).to_have_attribute("data-outcome", "sent")
    expect(card).to_contain_text("已上报")
    expect(card.locator('[data-test="outcome-link"]')).to_have_text("查看事件")
    page.wait_for_function("window.__toasts.includes('事件已上报')")
    screenshot(page, "case-report-sent")
    card.locator('[data-test="outcome-link"]').click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9A-Za-z_-]+$"))
    expect(page.locator('[data-test="case-state"]')).to_have_text("待立案")
    expect(page.locator("body")).to_contain_text(second)
    page.goto("/cases?box=mine")
    expect(page.locator('[data-test="case-list"], [data-test="empty-state"]').first).to_be_visible()
    expect(page.locator('[data-test="pending-report"]')).to_have_count(0)


def test_a_worker_finds_what_they_reported_whatever_its_state(phone_of, screenshot):  # noqa: F811
    description = f"井盖缺失 {uuid.uuid4().hex[:6]}"
    worker = api_as("grid_worker")
    case = worker.post("/api/v1/cases", {"category": "sanitation", "grid_code": WORKER_SCOPE,
                                         "description": description}).json
    registered = api_as("grid_leader").post(f"/api/v1/cases/{case['case_id']}/transitions", {
        "action": "register", "version": case["version"]})
    assert registered.status == 200, registered.body
    page = phone_of("grid_worker")
    page.locator('[data-tab="cases"]').click()
    page.locator('[data-test="boxes"] [role="tab"]', has_text="我上报的").click()
    mine = page.locator(f'[data-case="{case["case_id"]}"]')
    expect(mine).to_contain_text(description)
    expect(mine).to_contain_text("已立案")
    # Newest first: what was just reported leads the list.
    expect(page.locator('[data-test="case-list"] [data-case]').first).to_have_attribute(
        "data-case", case["case_id"])
    screenshot(page, "cases-reported-by-me")


def test_a_leader_sees_what_waits_counted_on_the_home_screen_and_the_inboxes(
        phone_of, screenshot):  # noqa: F811
    api_as("grid_worker").post("/api/v1/cases", {
        "category": "sanitation", "grid_code": WORKER_SCOPE, "description": "垃圾满溢待清运"})
    leader = api_as("grid_leader")
    counts = leader.get("/api/v1/case-waiting").json
    listed = len(every_item(leader, f"/api/v1/cases?box=subtree&state=reported&scope={VILLAGE}"))
    assert counts["reported"] == listed >= 1
    overdue = len(every_item(leader, f"/api/v1/cases?box=overdue&scope={VILLAGE}"))
    assert counts["overdue"] == overdue

    page = phone_of("grid_leader")
    card = page.locator('[data-test="waiting"]')
    expect(card.locator('[data-waiting="reported"] strong')).to_have_text(str(counts["reported"]))
    expect(card.locator('[data-waiting="overdue"] strong')).to_have_text(str(counts["overdue"]))
    expect(card.locator('[data-waiting="handled"] strong')).to_have_text(str(counts["handled"]))
    expect(page.locator('[data-tab="cases"] .van-badge')).to_have_text(str(counts["reported"]))
    screenshot(page, "home-waiting")

    card.locator('[data-waiting="reported"]').click()
    expect(page).to_have_url(re.compile(r"/cases\?box=subtree&state=reported"))
    tab = page.locator('[data-test="boxes"] [role="tab"]', has_text="按状态")
    expect(tab.locator(".van-badge")).to_have_text(str(counts["reported"]))
    expect(page.locator('[data-test="case-list"] [data-case]')).not_to_have_count(0)
    screenshot(page, "cases-badges")


def test_the_lit_tab_opens_its_features_main_list(phone_of, screenshot):  # noqa: F811
    page = phone_of("grid_leader")
    page.goto("/ledgers?list=households")
    page.locator('[data-test="ledger-list"] .van-cell').first.click()
    expect(page.locator('[data-test="household"]')).to_be_visible()
    screenshot(page, "household-tab-lit")
    page.locator('[data-tab="ledgers"]').click()
    expect(page).to_have_url(re.compile(r"/ledgers$"))
    expect(page.locator('[data-test="household"]')).to_have_count(0)
    expect(page.locator('[data-tab="ledgers"]')).to_have_class(re.compile("van-tabbar-item--active"))
    screenshot(page, "ledgers-from-lit-tab")

    page.goto("/cases/new")
    expect(page.locator('[data-test="report-form"]')).to_be_visible()
    page.locator('[data-tab="cases"]').click()
    expect(page).to_have_url(re.compile(r"/cases$"))
    expect(page.locator('[data-test="boxes"]')).to_be_visible()

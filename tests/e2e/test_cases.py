"""The case loop in the browser (事件闭环): a worker reports a case with a photo
from the phone, the village's leader registers it and dispatches it to the
worker, the worker handles it with a photo, the town's supervisor sends it back
once and, handled again, verifies and closes it; the timeline on the case's
screen tells all of it. A case reported without signal reaches the server once,
with its photo. The indicators and the hotline callbacks have their screens."""

import base64
import re
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import DEMO_ACCOUNTS, ApiClient
from tests.e2e.conftest import PHONE, WORKER_SCOPE, log_in, lose_signal

POSITION = {"latitude": 35.615123, "longitude": 111.201235}
WORKER_ID = "w000002"  # the demo grid worker's own worker record


@pytest.fixture
def phone_of(browser: Browser, app_url: str) -> Iterator[Callable[[str], Page]]:
    """phone_of(role) -> a page signed in as that demo account, in a browser profile of its own."""
    contexts: list[BrowserContext] = []

    def open_phone(role: str) -> Page:
        context = browser.new_context(base_url=app_url, viewport=PHONE, locale="zh-CN",
                                      timezone_id="Asia/Shanghai", permissions=["geolocation"],
                                      geolocation=POSITION)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        account = DEMO_ACCOUNTS[role]
        log_in(page, account["phone"], account["password"])
        expect(page.locator('[data-test="role"]')).to_be_visible()
        return page

    yield open_phone
    for context in contexts:
        context.close()


def api_as(role: str) -> ApiClient:
    account = DEMO_ACCOUNTS[role]
    return ApiClient().login(account["phone"], account["password"])


def camera_photo(page: Page, width: int = 2400, height: int = 1800) -> bytes:
    """A JPEG as big as a phone camera's, drawn in the page (no image library needed)."""
    data_url = page.evaluate("""([width, height]) => {
        const canvas = document.createElement('canvas')
        canvas.width = width
        canvas.height = height
        const context = canvas.getContext('2d')
        const image = context.createImageData(width, height)
        for (let i = 0; i < image.data.length; i += 4) {
            const x = (i / 4) % width
            image.data[i] = (x * 7) % 256
            image.data[i + 1] = (i * 13) % 251
            image.data[i + 2] = Math.floor(Math.random() * 64)
            image.data[i + 3] = 255
        }
        context.putImageData(image, 0, 0)
        return canvas.toDataURL('image/jpeg', 0.95)
    }""", [width, height])
    return base64.b64decode(data_url.split(",", 1)[1])


def add_photo(page: Page, form: str, photo: bytes) -> None:
    page.locator(f'{form} [data-test="photo-input"]').set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo})
    expect(page.locator(f"{form} .thumbs img")).to_have_count(1)


def fill_report(page: Page, description: str, photo: bytes | None) -> None:
    page.locator('[data-test="choose-category"] label', has_text="环境卫生").click()
    if photo is not None:
        add_photo(page, '[data-test="report-form"]', photo)
    page.locator('textarea[name="description"]').fill(description)


def take_step(page: Page, action: str, note: str | None = None, photo: bytes | None = None) -> None:
    page.locator(f'[data-test="case-actions"] [data-action="{action}"]').click()
    form = f'[data-test="form-{action}"]'
    if note is not None:
        page.locator(f'{form} textarea[name="note"]').fill(note)
    if photo is not None:
        add_photo(page, form, photo)
    page.locator(f'{form} [data-test="confirm-action"]').click()


def expect_state(page: Page, state: str) -> None:
    expect(page.locator('[data-test="case-state"]')).to_have_text(state)


def steps_of(page: Page) -> list[str]:
    events = page.locator('[data-test="timeline"] li')
    return [events.nth(i).get_attribute("data-action") for i in range(events.count())]


def test_a_case_goes_round_the_loop_with_one_rework(phone_of, screenshot, demo_town):
    description = f"村东口垃圾堆放，无人清运 {uuid.uuid4().hex[:6]}"
    worker = phone_of("grid_worker")
    worker.locator('[data-test="tabbar"]').get_by_text("事件").click()
    expect(worker.locator('[data-test="boxes"] [role="tab"] .van-tab__text').first).to_have_text(
        "我的待办")
    worker.locator('[data-test="report-case"]').click()
    expect(worker.locator('[data-test="choose-category"] label')).not_to_have_count(0)
    original = camera_photo(worker)
    fill_report(worker, description, original)
    worker.locator('[data-test="locate"]').click()
    expect(worker.locator('[data-test="position"]')).to_contain_text("35.615123, 111.201235")
    screenshot(worker, "case-report")
    worker.locator('[data-test="report-submit"]').click()
    expect(worker).to_have_url(re.compile(r"/cases/[0-9a-f]+$"))
    case_id = worker.url.rsplit("/", 1)[1]
    expect_state(worker, "待立案")
    expect(worker.locator('[data-test="case-photos"] img')).to_have_count(1)
    expect(worker.locator('[data-test="no-actions"]')).to_be_visible()  # a worker does not register
    screenshot(worker, "case-reported")
    stored = api_as("grid_leader").get(f"/api/v1/cases/{case_id}").json
    assert (stored["lat"], stored["lng"], stored["location_grid"]) == (
        POSITION["latitude"], POSITION["longitude"], WORKER_SCOPE)
    assert len(stored["attachments"]) == 1
    assert stored["attachments"][0]["size"] < len(original) / 2  # made small on the phone

    handler = api_as("grid_leader").get(f"/api/v1/workers/{WORKER_ID}").json["name"]
    leader = phone_of("grid_leader")
    leader.goto(f"/cases/{case_id}")
    expect_state(leader, "待立案")
    take_step(leader, "register")
    expect_state(leader, "已立案")
    leader.locator('[data-test="case-actions"] [data-action="dispatch"]').click()
    leader.locator('[data-test="form-dispatch"] .van-radio', has_text=handler).click()
    screenshot(leader, "case-dispatch")
    leader.locator('[data-test="form-dispatch"] [data-test="confirm-action"]').click()
    expect_state(leader, "已派遣")

    worker.goto("/cases")
    expect(worker.locator(f'[data-case="{case_id}"]')).to_contain_text("已派遣")
    screenshot(worker, "cases-inbox")
    worker.locator(f'[data-case="{case_id}"]').click()
    take_step(worker, "accept")
    expect_state(worker, "处置中")
    take_step(worker, "handle", note="已联系保洁员清运", photo=camera_photo(worker, 1200, 900))
    expect_state(worker, "已处置")

    supervisor = phone_of("supervisor")
    supervisor.locator('[data-test="tabbar"]').get_by_text("事件").click()
    expect(supervisor.locator('[data-test="boxes"] [aria-selected="true"] .van-tab__text')).to_have_text(
        "待核查")
    # Other tests leave cases handled across the town (the box lists the oldest first):
    # narrowed to the case's micro-grid.
    supervisor.goto(f"/cases?box=to_verify&scope={WORKER_SCOPE}")
    supervisor.locator(f'[data-case="{case_id}"]').click()
    supervisor.locator('[data-test="case-actions"] [data-action="send_back"]').click()
    screenshot(supervisor, "case-verify")
    supervisor.locator('[data-test="form-send_back"] textarea[name="note"]').fill("路边仍有垃圾，请清理干净")
    supervisor.locator('[data-test="form-send_back"] [data-test="confirm-action"]').click()
    expect_state(supervisor, "处置中")

    worker.reload()
    take_step(worker, "handle", note="已全部清理干净")
    expect_state(worker, "已处置")

    supervisor.reload()
    take_step(supervisor, "verify")
    expect_state(supervisor, "已核查")
    take_step(supervisor, "close")
    expect_state(supervisor, "已结案")
    assert [step for step in steps_of(supervisor) if step != "attachment"] == [
        "report", "register", "dispatch", "accept", "handle", "send_back", "handle", "verify",
        "close"]
    assert steps_of(supervisor).count("attachment") == 2
    send_back = supervisor.locator('[data-test="timeline"] li[data-action="send_back"]')
    expect(send_back).to_contain_text("已处置 → 处置中")
    expect(send_back).to_contain_text("路边仍有垃圾，请清理干净")
    expect(supervisor.locator('[data-test="timeline"] li[data-action="dispatch"]')).to_contain_text(
        f"派遣给 {handler}")
    supervisor.locator('[data-test="timeline"]').scroll_into_view_if_needed()
    screenshot(supervisor, "case-closed")
    closed = api_as("supervisor").get(f"/api/v1/cases/{case_id}").json
    assert (closed["state"], closed["rework_count"], closed["version"]) == ("closed", 1, 8)


def every_item(client: ApiClient, path: str) -> list[dict]:
    """A list read to its last page: other tests fill the same micro-grid, and the lists
    go oldest first."""
    items, cursor = [], None
    while True:
        page = client.get(f"{path}&limit=100{f'&cursor={quote(cursor)}' if cursor else ''}")
        assert page.status == 200, page.body
        items += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return items


def reported_with(description: str) -> list[dict]:
    reported = every_item(api_as("grid_leader"),
                          f"/api/v1/cases?box=subtree&state=reported&scope={WORKER_SCOPE}")
    return [case for case in reported if case["description"] == description]


def test_a_case_reported_without_signal_reaches_the_server_once_with_its_photo(
        context: BrowserContext, page: Page, screenshot, demo_town):
    description = f"路灯不亮 {uuid.uuid4().hex[:6]}"
    account = DEMO_ACCOUNTS["grid_worker"]
    log_in(page, account["phone"], account["password"])
    expect(page.locator('[data-test="role"]')).to_be_visible()
    page.goto("/cases/new")
    expect(page.locator('[data-test="choose-category"] label')).not_to_have_count(0)
    photo = camera_photo(page)

    lose_signal(context, page)
    expect(page.locator('[data-test="offline-banner"]')).to_be_visible()
    fill_report(page, description, photo)
    page.locator('input[name="address"]').fill("三泉村村委会门口")
    page.locator('[data-test="report-submit"]').click()
    expect(page.locator('[data-test="report-queued"]')).to_be_visible()
    expect(page.locator('[data-test="outbox-banner"]')).to_have_text("有 1 条记录待同步")
    screenshot(page, "case-report-offline")
    page.locator('[data-test="outbox-banner"]').click()
    expect(page.locator('[data-test="outbox-list"] [data-status="pending"]')).to_contain_text(
        "上报事件")
    screenshot(page, "outbox-case-report")
    assert reported_with(description) == []

    context.set_offline(False)
    expect(page.locator('[data-test="empty-state"]')).to_have_text("没有待同步的记录")
    [case] = reported_with(description)
    assert case["attachment_count"] == 1
    page.reload()  # another occasion to send: nothing is sent twice
    expect(page.locator('[data-test="empty-state"]')).to_have_text("没有待同步的记录")
    assert [c["attachment_count"] for c in reported_with(description)] == [1]


def a_failed_hotline_callback(case_id: str) -> str:
    """A callback to the hotline platform that failed every attempt (as the callback sweep
    leaves it), for a case of the demo worker's micro-grid."""
    from chalicelib import clock
    from chalicelib.domain.case_callbacks import Callback
    from chalicelib.store import case_callbacks

    now = clock.now()
    callback = Callback.owed(callback_id=f"{case_id}-close-0", case_id=case_id,
                             ticket_id=f"T{uuid.uuid4().hex[:8]}",
                             url="https://12345.example.invalid/callback", payload="{}",
                             grid_code=WORKER_SCOPE, now=now)
    case_callbacks.put(callback)
    assert case_callbacks.claim(callback, retry_at=now)
    assert case_callbacks.finish(callback, status="failed", error="HTTP 502 Bad Gateway", now=now)
    return callback.callback_id


def test_the_indicators_and_a_failed_hotline_callback_sent_again(phone_of, screenshot, demo_town):
    created = api_as("grid_worker").post("/api/v1/cases", {
        "category": "service_request", "grid_code": WORKER_SCOPE, "description": "热线：路灯不亮"},
        headers={"Idempotency-Key": uuid.uuid4().hex})
    assert created.status == 201, created.body
    callback_id = a_failed_hotline_callback(created.json["case_id"])

    admin = phone_of("town_admin")
    admin.goto("/case-indicators")
    expect(admin.locator('[data-test="figures"] [data-figure="reported"] strong')).not_to_have_text("0")
    expect(admin.locator('[data-test="rates"] [data-rate="closed_on_time_rate"]')).to_contain_text(
        "按期结案率")
    screenshot(admin, "case-indicators")

    admin.goto("/hotline/callbacks")
    failed = admin.locator(f'[data-callback="{callback_id}"]')
    expect(failed).to_contain_text("最近错误：HTTP 502 Bad Gateway")
    screenshot(admin, "hotline-callbacks")
    failed.locator('[data-test="retry-callback"]').click()
    expect(failed).to_contain_text("已重新加入回传队列")
    pending = every_item(api_as("town_admin"),
                         f"/api/v1/hotline/callbacks?status=pending&scope={WORKER_SCOPE}")
    assert callback_id in [callback["callback_id"] for callback in pending]

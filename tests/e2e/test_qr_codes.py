"""QR codes in the browser: a resident scans a rental's board on a phone, sees
what the board shows and reports a problem, which becomes a case at the board's
micro-grid; a code that opens nothing shows "此二维码无效"; the scan page stays
small enough for 2G, and the worker app's service worker leaves it alone. An administrator opens a code's page from its rental's screen and revokes it, after
which the resident's page says it is not valid."""

import gzip
import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Response, expect

from tests.conftest import DEMO_ACCOUNTS
from tests.e2e.conftest import SERVICE_WORKER_INSTALL_MS
from tests.e2e.test_cases import api_as, every_item
from tests.e2e.test_registry import confirm, sign_in_as

SCAN_BUDGET_BYTES = 50 * 1024
LEADER_SCOPE = DEMO_ACCOUNTS["grid_leader"]["scope"]


@pytest.fixture(autouse=True)
def _scans_not_limited(demo_town) -> Iterator[None]:
    """The browser scans from the local address, as every e2e test does: this
    minute's counts and the next's are forgotten, so that the limit of a few scans a
    minute meets only this test's."""
    from chalicelib import clock
    from chalicelib.store.rate_limits import WINDOW_SECONDS, RateLimitModel, window_of

    this_minute = window_of(clock.now())
    for what in ("scan", "report"):
        for window in (this_minute, this_minute + WINDOW_SECONDS):
            RateLimitModel(f"{what}#127.0.0.1#{window}").delete()
    yield


def a_board_in_the_leaders_village() -> tuple[dict, str, str]:
    """A rental of the demo grid leader's village and (serial, token) of a new board for it."""
    from tests.api.qr_fixtures import board_code

    rentals = api_as("grid_leader").get(f"/api/v1/rentals?grid={LEADER_SCOPE}&limit=1")
    assert rentals.status == 200, rentals.body
    (rental,) = rentals.json["items"]
    serial, token = board_code(rental["rental_id"])
    return rental, serial, token


def board_of(token: str) -> dict:
    response = api_as("grid_leader").get(f"/api/v1/public/codes/{token}")
    assert response.status == 200, response.body
    return response.json


def test_a_resident_sees_the_board_and_reports_a_problem_that_becomes_a_case(page: Page,
                                                                             screenshot):
    rental, _, token = a_board_in_the_leaders_village()
    downloaded: list[Response] = []
    page.on("response", lambda response: downloaded.append(response))
    page.goto(f"/q/{token}")

    board = page.locator('[data-test="scan-board"]')
    expect(board).to_be_visible()
    expected = board_of(token)
    expect(page.locator('[data-test="scan-micro-grid"]')).to_have_text(expected["micro_grid"])
    expect(page.locator('[data-test="scan-worker-name"]')).to_have_text(expected["worker"]["name"])
    expect(page.locator('[data-test="scan-worker-phone"]')).to_have_attribute(
        "href", f"tel:{expected['worker']['phone']}")
    if expected["grid_leader"]:
        expect(page.locator('[data-test="scan-leader-name"]')).to_have_text(
            expected["grid_leader"]["name"])
    page.wait_for_load_state("load")
    page_files = [r for r in downloaded if "/api/" not in r.url]
    assert {r.url.rsplit("/", 1)[-1].split("-")[0] for r in page_files} >= {token, "scan"}
    size = sum(len(gzip.compress(r.body(), 9)) for r in page_files)
    assert size <= SCAN_BUDGET_BYTES, f"the scan page loads {size} bytes gzipped"
    screenshot(page, "scan-board")

    description = f"楼道灯不亮 {uuid.uuid4().hex[:6]}"
    page.locator('[data-test="scan-text"]').fill(description)
    screenshot(page, "scan-report")
    page.locator('[data-test="scan-send"]').click()
    expect(page.locator('[data-test="scan-sent"]')).to_contain_text(re.compile(r"已收到，编号 [0-9A-Z]{6}"))
    screenshot(page, "scan-sent")

    cases = every_item(api_as("grid_leader"),
                       f"/api/v1/cases?box=subtree&state=reported&scope={rental['grid_code']}")
    (case,) = [case for case in cases if case["description"] == description]
    assert case["source"] == "resident"
    assert case["location_grid"] == rental["grid_code"]


def test_a_signed_in_worker_who_scans_gets_the_scan_page_not_the_app_shell(page: Page):
    """The worker app's service worker answers its pages with the app's shell: not a
    code's link."""
    _, _, token = a_board_in_the_leaders_village()
    sign_in_as(page, "grid_worker")
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)",
                           timeout=SERVICE_WORKER_INSTALL_MS)
    page.goto(f"/q/{token}")
    expect(page.locator('[data-test="scan-board"]')).to_be_visible()
    expect(page.locator("#app")).to_have_count(0)


def test_a_resident_who_reports_too_often_is_told_how_long_to_wait(page: Page, screenshot):
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.settings import settings
    from chalicelib.store import rate_limits

    _, _, token = a_board_in_the_leaders_village()
    page.goto(f"/q/{token}")
    expect(page.locator('[data-test="scan-board"]')).to_be_visible()
    # This address has used up its reports of this minute, and of the next, should the
    # minute turn before the click.
    now = clock.now()
    for minute in (now, now + timedelta(seconds=rate_limits.WINDOW_SECONDS)):
        while rate_limits.take("report", "127.0.0.1", settings.public_reports_per_minute,
                               minute) is None:
            pass
    page.locator('[data-test="scan-text"]').fill("路灯坏了")
    page.locator('[data-test="scan-send"]').click()
    limited = page.locator('p[data-test="scan-limited"]')
    expect(limited).to_have_text(re.compile(r"^提交太频繁，请 \d+ 秒后再试$"))
    expect(page.locator('[data-test="scan-text"]')).to_have_value("路灯坏了")
    screenshot(page, "scan-limited")


def test_a_code_that_opens_nothing_shows_the_invalid_page(page: Page, screenshot):
    _, _, token = a_board_in_the_leaders_village()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    page.goto(f"/q/{tampered}")
    expect(page.locator('[data-test="scan-invalid"]')).to_contain_text("此二维码无效")
    expect(page.locator('[data-test="scan-board"]')).to_have_count(0)
    screenshot(page, "scan-invalid")


def test_an_admin_prints_a_micro_grids_boards_and_downloads_the_pdf(page: Page, screenshot,
                                                                   tmp_path):
    rental, _, _ = a_board_in_the_leaders_village()
    sign_in_as(page, "town_admin")
    page.goto(f"/qr-codes?grid={rental['grid_code']}")
    expect(page.locator('[data-test="pick-grid"]')).to_contain_text(rental["grid_code"])
    screenshot(page, "qr-boards-to-reprint")
    page.locator('[data-test="print"]').click()
    expect(page.locator('[data-test="pick-grid_code"]')).to_contain_text(rental["grid_code"])
    page.locator('[data-test="print-kind"] [data-kind="rental_boards"]').click()
    page.locator('[data-test="print-start"]').click()

    # A micro-grid with more rentals than a request prints (other tests add theirs) is
    # left to the print-sheets sweep, which `make run`'s scheduler runs each minute and
    # this server does not: the test runs it once, as the scheduler would.
    expect(page.locator('[data-test="print-job"]')).to_be_visible(timeout=60_000)
    from chalicelib.usecases import print_sheets

    print_sheets.resume_jobs()
    link = page.locator('[data-test="print-download"]')
    expect(link).to_be_visible(timeout=60_000)
    screenshot(page, "qr-print-done")
    with page.expect_download() as download:
        link.click()
    sheet = tmp_path / "boards.pdf"
    download.value.save_as(sheet)
    assert sheet.read_bytes().startswith(b"%PDF")


def test_an_admin_revokes_a_code_and_its_scan_then_shows_the_invalid_page(page: Page,
                                                                          screenshot):
    rental, serial, token = a_board_in_the_leaders_village()
    sign_in_as(page, "town_admin")
    page.goto(f"/rentals/{rental['rental_id']}")
    board = page.locator('[data-test="board"]')
    expect(board).to_contain_text("打印")
    screenshot(page, "rental-board-row")
    board.click()
    expect(page).to_have_url(re.compile(f"/qr-codes/{serial}$"))
    expect(page.locator('[data-test="qr-state"]')).to_have_text("有效")
    expect(page.locator('[data-test="qr-opens"]')).to_contain_text("出租房公示牌")
    image = page.locator('[data-test="qr-image"]')
    expect(image).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    screenshot(page, "qr-code")

    page.locator('[data-test="revoke"]').click()
    confirm(page)
    expect(page.locator('[data-test="qr-state"]')).to_have_text("已停用")
    expect(page.locator('[data-test="revoke"]')).to_have_count(0)
    screenshot(page, "qr-code-revoked")
    assert api_as("town_admin").get(f"/api/v1/qr-codes/{serial}").json["revoked_at"]

    page.goto(f"/q/{token}")
    expect(page.locator('[data-test="scan-invalid"]')).to_contain_text("此二维码无效")

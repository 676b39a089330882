"""End-to-end: the built web app (frontend/dist) in Debian's Chromium, driven
by Playwright, against the real server `make run` uses (the Chalice app under
/api/ and the app on one origin) and the session's DynamoDB Local with the
demo town. Screenshots of each screen at phone size go to test-artifacts/e2e/."""

import itertools
import random
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from devtools.environment import ROOT
from tests.conftest import ApiClient, new_phone

DIST = ROOT / "frontend" / "dist"
CHROMIUM = Path("/usr/bin/chromium")
# Without the networking switches Chromium calls Google's hosts, which this
# closed network refuses; the sandbox needs privileges a CI container lacks.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
PHONE = {"width": 360, "height": 640}
PASSWORD = "Wangge#2026"
WORKER_SCOPE = "1408251022010101"  # a micro-grid of the demo town

expect.set_options(timeout=15_000)
SERVICE_WORKER_INSTALL_MS = 60_000

NAME_CHARACTERS = "春夏秋冬梅兰竹菊松柏山水"
_name_serials = itertools.count(random.randrange(len(NAME_CHARACTERS) ** 4))


def unique_name(surname: str = "司马") -> str:
    """A name no other person of the run has, to find by (a search by name matches its
    beginning, and other tests fill the same micro-grids): handed out in turn, not drawn."""
    serial = next(_name_serials)
    width = len(NAME_CHARACTERS)
    return surname + "".join(NAME_CHARACTERS[serial // width ** i % width] for i in range(4))


@pytest.fixture(scope="session")
def app_url(demo_town) -> Iterator[str]:
    if not (DIST / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build the web app first with `make frontend-build` "
                    "(`make test` does)", pytrace=False)
    from app import app

    from devtools.server import make_server

    server = make_server(app, "127.0.0.1", 0, static_root=DIST)
    report = server.handle_error

    def handle_error(request, client_address) -> None:
        # A page that navigates away or goes offline hangs up on its answer: not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            report(request, client_address)
    server.handle_error = handle_error
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser, app_url: str) -> Iterator[BrowserContext]:
    """A fresh browser profile (storage, service worker) at phone size."""
    context = browser.new_context(base_url=app_url, viewport=PHONE, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", service_workers="allow")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"{name}.png", animations="disabled")
    return take


@pytest.fixture
def new_account(database) -> Callable[..., tuple[str, str]]:
    """new_account(must_change_password=…) -> (phone, password): a grid worker of
    its own, so a test may change, lock or edit it without touching the demo logins."""
    from chalicelib.usecases import bootstrap

    def create(must_change_password: bool = False) -> tuple[str, str]:
        phone, password = new_phone(), "Start#2026x"
        bootstrap.ensure_user(phone=phone, name="测试网格员", role="grid_worker",
                              scope_code=WORKER_SCOPE, password=password,
                              must_change_password=must_change_password)
        return phone, password
    return create


def log_in(page: Page, phone: str, password: str) -> None:
    page.goto("/login")
    page.locator('input[name="phone"]').fill(phone)
    page.locator('input[name="password"]').fill(password)
    page.locator('[data-test="login-submit"]').click()


def lose_signal(context: BrowserContext, page: Page) -> None:
    """Go offline once the service worker controls the page: without signal, the next
    screen's code can only come from it. It takes control once it has fetched the build
    (each file retried on its own), which a loaded machine serves slowly: more time than
    one screen is given."""
    try:
        page.wait_for_function("Boolean(navigator.serviceWorker.controller)",
                               timeout=SERVICE_WORKER_INSTALL_MS)
    except PlaywrightTimeoutError:
        # Say where the worker got to (never registered, still installing, failed).
        workers = page.evaluate("""async () => {
            const registration = await navigator.serviceWorker.getRegistration()
            return registration && Object.fromEntries(['installing', 'waiting', 'active']
                .map((slot) => [slot, registration[slot] ? registration[slot].state : null]))
        }""")
        pytest.fail(f"the service worker took no control of the page in "
                    f"{SERVICE_WORKER_INSTALL_MS // 1000} s; its registration: {workers}", pytrace=False)
    context.set_offline(True)


def profile_of(phone: str, password: str) -> dict:
    """The server's view of an account's profile, read through the API."""
    response = ApiClient().login(phone, password).get("/api/v1/me")
    assert response.status == 200, response.body
    return response.json

"""The ledgers in the browser: a worker finds a resident and shows the ID number
(audited), two pages edit one household and the second is told of the
conflict without losing its input, a household registered without signal
reaches the server once, and the screens of a rental's life."""

from urllib.parse import quote

from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import DEMO_ACCOUNTS, ApiClient
from tests.e2e.conftest import WORKER_SCOPE, log_in, lose_signal, unique_name

WORKER = DEMO_ACCOUNTS["grid_worker"]


def a_household_of_the_demo_worker(member_name: str) -> dict:
    """A household in the demo worker's micro-grid (the test preset may have none there)."""
    from chalicelib.schemas.ledgers import HouseholdCreate
    from chalicelib.usecases import households

    from tests.api.ledger_fixtures import new_address, resident_body, system

    request = HouseholdCreate(grid_code=WORKER_SCOPE, address=new_address(), head_name=member_name,
                              members=[resident_body(name=member_name, relation="户主")])
    return households.create_household(system(WORKER_SCOPE), request).model_dump()


def worker_api() -> ApiClient:
    return ApiClient().login(WORKER["phone"], WORKER["password"])


def sign_in_as_worker(page: Page) -> None:
    log_in(page, WORKER["phone"], WORKER["password"])
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")


def test_a_worker_finds_a_resident_by_name_and_shows_the_id_number(page: Page, screenshot,
                                                                    demo_town):
    name = unique_name()
    household = a_household_of_the_demo_worker(name)
    resident = household["members"][0]
    full_id = worker_api().get(f"/api/v1/residents/{resident['resident_id']}?reveal=true").json[
        "id_number"]

    sign_in_as_worker(page)
    page.locator('[data-test="tabbar"]').get_by_text("台账").click()
    expect(page.locator('[data-test="empty-state"]')).to_contain_text("输入姓名")
    screenshot(page, "ledgers-search")
    page.get_by_role("searchbox").fill(name)
    page.locator('[data-test="search-submit"]').click()
    found = page.locator('[data-test="found-residents"] .van-cell')
    expect(found).to_have_count(1)
    expect(found).to_contain_text(name)
    screenshot(page, "ledgers-search-results")
    found.click()

    id_number = page.locator('[data-test="id-number"] .van-cell__value')
    expect(id_number).to_have_text(resident["id_number"])
    assert "*" in resident["id_number"]
    screenshot(page, "resident")
    page.locator('[data-test="reveal"]').click()
    expect(id_number).to_have_text(full_id)
    expect(page.locator('[data-test="hide"]')).to_be_visible()
    screenshot(page, "resident-revealed")

    page.locator('[data-test="edit"]').click()
    expect(page.locator('input[name="id_number"]')).to_have_attribute(
        "placeholder", f"不修改请留空（现为 {resident['id_number']}）")
    screenshot(page, "resident-edit")
    # Other tests fill this micro-grid too: the list is narrowed to the name.
    page.goto(f"/ledgers?list=residents&type=registered&q={quote(name)}")
    expect(page.locator('[data-test="ledger-list"]')).to_contain_text(name)
    screenshot(page, "ledgers-residents")


def test_a_viewer_is_told_it_may_not_show_personal_data(page: Page, demo_town):
    resident = a_household_of_the_demo_worker(unique_name())["members"][0]
    viewer = DEMO_ACCOUNTS["viewer"]
    log_in(page, viewer["phone"], viewer["password"])
    expect(page.locator('[data-test="role"]')).to_have_text("查看员")
    page.goto(f"/residents/{resident['resident_id']}")
    page.locator('[data-test="reveal"]').click()
    expect(page.locator('[data-test="reveal-error"]')).to_have_text("您的角色无权查看完整的个人信息")
    expect(page.locator('[data-test="id-number"] .van-cell__value')).to_contain_text("*")
    expect(page.locator('[data-test="edit"]')).to_have_count(0)


def test_the_second_of_two_edits_is_told_of_the_conflict_and_keeps_its_input(
        context: BrowserContext, page: Page, screenshot, demo_town):
    household = a_household_of_the_demo_worker(unique_name())
    edit_path = f"/households/{household['household_id']}/edit"
    sign_in_as_worker(page)
    first = page
    second = context.new_page()  # the same worker in another tab
    for tab in (first, second):
        tab.goto(edit_path)
        expect(tab.locator('input[name="address"]')).to_have_value(household["address"])

    first.locator('input[name="head_name"]').fill("李先到")
    first.locator('[data-test="save"]').click()
    expect(first).to_have_url(f"/households/{household['household_id']}")
    expect(first.locator('[data-test="household"]')).to_contain_text("李先到")

    new_address = household["address"] + "东院"
    second.locator('input[name="address"]').fill(new_address)
    second.locator('[data-test="save"]').click()
    expect(second.locator('[data-test="conflict"]')).to_contain_text("此记录已被他人修改")
    expect(second.locator('input[name="address"]')).to_have_value(new_address)
    expect(second.locator('input[name="head_name"]')).to_have_value("李先到")  # theirs, merged in
    screenshot(second, "household-conflict")

    second.locator('[data-test="save"]').click()
    expect(second).to_have_url(f"/households/{household['household_id']}")
    saved = worker_api().get(f"/api/v1/households/{household['household_id']}").json
    assert (saved["address"], saved["head_name"], saved["version"]) == (new_address, "李先到", 3)


def test_a_member_with_a_wrong_id_number_is_shown_at_its_field(page: Page, screenshot, demo_town):
    from tests.api.ledger_fixtures import new_address, new_id_number

    sign_in_as_worker(page)
    page.goto("/households/new")
    expect(page.locator('[data-test="pick-grid_code"]')).to_contain_text(WORKER_SCOPE)
    address = new_address()
    page.locator('input[name="address"]').fill(address)
    page.locator('input[name="members.0.name"]').fill("张一")
    page.locator('input[name="members.0.id_number"]').fill(new_id_number())
    page.locator('[data-test="add-member"]').click()
    page.locator('input[name="members.1.name"]').fill("张二")
    valid = new_id_number()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    page.locator('input[name="members.1.id_number"]').fill(wrong)
    page.locator('[data-test="save"]').click()
    member = page.locator('[data-test="member-1"]')
    expect(member.locator(".van-field__error-message")).to_have_text("身份证号校验位不正确，请核对")
    expect(page.locator('[data-test="member-0"] .van-field__error-message')).to_have_count(0)
    screenshot(page, "household-new-error")

    page.locator('input[name="members.1.id_number"]').fill(valid)
    page.locator('[data-test="save"]').click()
    expect(page.locator('[data-test="members"] .van-cell')).to_have_count(2)
    expect(page.locator('[data-test="household"]')).to_contain_text(address)
    screenshot(page, "household")


def test_a_household_registered_without_signal_reaches_the_server_once(
        context: BrowserContext, page: Page, screenshot, demo_town):
    from tests.api.ledger_fixtures import new_address, new_id_number

    sign_in_as_worker(page)
    page.goto("/households/new")
    expect(page.locator('[data-test="pick-grid_code"]')).to_contain_text(WORKER_SCOPE)
    lose_signal(context, page)
    expect(page.locator('[data-test="offline-banner"]')).to_be_visible()
    address = new_address()
    page.locator('input[name="address"]').fill(address)
    page.locator('input[name="members.0.name"]').fill("离线登记")
    page.locator('input[name="members.0.id_number"]').fill(new_id_number())
    page.locator('[data-test="save"]').click()
    expect(page).to_have_url("/ledgers?list=households")
    expect(page.locator('[data-test="pending-creates"]')).to_contain_text(address)
    expect(page.locator('[data-test="outbox-banner"]')).to_have_text("有 1 条记录待同步")
    screenshot(page, "households-pending")

    context.set_offline(False)
    expect(page.locator('[data-test="outbox-banner"]')).to_have_count(0)
    page.get_by_role("searchbox").fill(address)  # other tests fill this micro-grid too
    page.locator('[data-test="search-submit"]').click()
    expect(page.locator('[data-test="ledger-list"]')).to_contain_text(address)
    found = worker_api().get(f"/api/v1/households?grid={WORKER_SCOPE}&address={quote(address)}").json
    assert [h["address"] for h in found["items"]] == [address]

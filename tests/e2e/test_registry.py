"""The grid registry and a rental's life in the browser, as an admin and a
worker use them, with a screenshot of each screen at phone size: a grid made,
edited, moved with its subtree and retired; a worker added, assigned, handed a
micro-grid over and leaving; a rental with a tenant moving in and out."""

import json

from playwright.sync_api import Page, expect

from tests.conftest import DEMO_ACCOUNTS, ApiClient, new_phone
from tests.e2e.conftest import WORKER_SCOPE, log_in, unique_name

VILLAGE, OTHER_VILLAGE = "140825102201", "140825102202"


def sign_in_as(page: Page, role: str) -> ApiClient:
    account = DEMO_ACCOUNTS[role]
    log_in(page, account["phone"], account["password"])
    expect(page.locator('[data-test="role"]')).to_be_visible()
    return ApiClient().login(account["phone"], account["password"])


def pick(page: Page, field: str, *path: str) -> None:
    """Choose a grid in a form's picker: walk down by the names in `path` and take
    the last (a micro-grid is taken by tapping it, a grid above by its button)."""
    page.locator(f'[data-test="pick-{field}"]').click()
    picker = page.locator('[data-test="grid-picker"]')
    for name in path:
        picker.locator(".van-cell").filter(has_text=name).first.click()
        if "微网格" not in name:
            expect(picker.locator(".van-nav-bar__title")).to_have_text(name)
    if "微网格" not in path[-1]:
        picker.locator('[data-test="pick-this"]').click()
    expect(picker).to_be_hidden()


def confirm(page: Page) -> None:
    page.locator(".van-dialog__confirm").click()


def test_an_admin_makes_edits_moves_and_retires_a_grid(page: Page, screenshot):
    api = sign_in_as(page, "town_admin")
    page.goto(f"/grids/{VILLAGE}")
    page.locator('[data-test="new-child"]').click()
    page.locator('input[name="name"]').fill("测试综合网格")
    screenshot(page, "grid-new")
    page.locator('[data-test="save"]').click()
    expect(page.locator('[data-test="grid-detail"]')).to_contain_text("测试综合网格")
    code = page.url.rsplit("/", 1)[1]
    assert code.startswith(VILLAGE) and len(code) == 14
    screenshot(page, "grid-admin")

    page.locator('[data-test="edit-grid"]').click()
    page.locator('textarea[name="notes"]').fill("新划入的片区")
    page.locator('textarea[name="boundary"]').fill(json.dumps({"type": "Feature", "geometry": {
        "type": "Polygon", "coordinates": [[[111.21, 35.61], [111.23, 35.61], [111.23, 35.63],
                                            [111.21, 35.61]]]}}))
    expect(page.locator('[data-test="boundary-field"] [data-test="boundary-shape"]')).to_be_visible()
    page.locator('[data-test="party-members"] button').click()
    page.locator('input[name="party_members.0.name"]').fill("王党员")
    screenshot(page, "grid-edit")
    page.locator('[data-test="save"]').click()
    expect(page.locator('[data-test="party-group"]')).to_contain_text("王党员")
    expect(page.locator('[data-test="boundary"]')).to_contain_text("4 个坐标点")
    expect(page.locator('[data-test="boundary-shape"]')).to_be_visible()

    page.locator('[data-test="manage-grid"]').click()
    pick(page, "parent_code", "西庄村")
    screenshot(page, "grid-manage")
    page.locator('[data-test="move"]').click()
    confirm(page)
    expect(page.locator('[data-test="move-progress"]')).to_contain_text("迁移完成")
    screenshot(page, "grid-moved")
    page.locator('[data-test="moved-grid"]').click()
    new_code = page.url.rsplit("/", 1)[1]
    assert new_code.startswith(OTHER_VILLAGE), new_code
    assert api.get(f"/api/v1/grids/{code}").status == 404

    page.goto(f"/grids/{new_code}/manage")
    page.locator('textarea[name="reason"]').fill("测试完毕")
    page.locator('[data-test="retire"]').click()
    confirm(page)
    expect(page).to_have_url(f"/grids/{OTHER_VILLAGE}")
    assert api.get(f"/api/v1/grids/{new_code}").json["retired"] is True


def test_an_admin_adds_a_worker_who_covers_takes_over_and_leaves(page: Page, screenshot):
    api = sign_in_as(page, "town_admin")
    page.locator('[data-test="role-nav"] [data-nav="workers"]').click()
    expect(page.locator('[data-test="workers"] .van-cell').first).to_be_visible()
    screenshot(page, "workers")

    page.locator('[data-test="new-worker"]').click()
    name = unique_name("测试")  # other tests add workers to this village too
    page.locator('input[name="name"]').fill(name)
    page.locator('input[name="phone"]').fill(new_phone())
    pick(page, "grid_code", "三泉村")
    screenshot(page, "worker-new")
    page.locator('[data-test="save"]').click()
    expect(page.locator('[data-test="worker"]')).to_contain_text(name)
    worker_id = page.url.rsplit("/", 1)[1]
    screenshot(page, "worker")

    pick(page, "assign_to", "三泉村", "三泉村第3全科网格", "三泉村3-5微网格")
    page.locator('[data-test="assign"]').click()
    assignments = page.locator('[data-test="assignments"] .van-cell')
    expect(assignments).to_have_count(1)
    page.locator('[data-test="end-assignment"]').click()
    confirm(page)
    expect(page.locator('[data-test="assignments"]')).to_contain_text("已结束")

    micro = "1408251022010306"
    page.goto(f"/grids/{micro}")
    page.locator('[data-test="handover"]').click()
    handover = page.locator('[data-test="handover-form"]')
    expect(handover.get_by_text(name)).to_be_visible()
    handover.locator(".van-radio").filter(has_text=name).click()
    screenshot(page, "handover")
    page.locator('[data-test="save"]').click()
    expect(page).to_have_url(f"/grids/{micro}")
    expect(page.locator('[data-test="covering"]')).to_contain_text(name)

    page.goto(f"/workers/{worker_id}")
    page.locator('[data-test="leave"]').click()
    confirm(page)
    expect(page.locator('[data-test="worker"]')).to_contain_text("已离职")
    left = api.get(f"/api/v1/workers/{worker_id}/assignments").json["items"]
    assert len(left) == 2 and not any(a["active"] for a in left)


def a_village_worker_covering(micro: str) -> str:
    """A worker of the village who covers `micro`, by name: a worker of that micro-grid
    may not open their record, which belongs to the village above its scope."""
    admin = DEMO_ACCOUNTS["town_admin"]
    api = ApiClient().login(admin["phone"], admin["password"])
    name = unique_name("欧阳")
    worker = api.post("/api/v1/workers", {"name": name, "phone": new_phone(), "kind": "part_time",
                                          "grid_code": VILLAGE})
    assert worker.status == 201, worker.body
    assigned = api.post(f"/api/v1/workers/{worker.json['worker_id']}/assignments",
                        {"grid_code": micro})
    assert assigned.status == 201, assigned.body
    return name


def test_a_worker_registers_a_rental_whose_tenant_moves_in_and_out(page: Page, screenshot):
    from tests.api.ledger_fixtures import new_address, new_id_number

    responsible = a_village_worker_covering(WORKER_SCOPE)
    sign_in_as(page, "grid_worker")
    page.goto("/ledgers?list=rentals")
    expect(page.locator('[data-test="export-start"]')).to_be_visible()
    screenshot(page, "ledgers-rentals")
    page.locator('[data-test="new-rental"]').click()
    address = new_address()
    page.locator('input[name="address"]').fill(address)
    page.locator('input[name="owner_name"]').fill("房东甲")
    page.locator('[data-test="record-form"] .van-radio').filter(has_text=responsible).click()
    page.locator('input[name="rooms"]').fill("2")
    screenshot(page, "rental-new")
    page.locator('[data-test="save"]').click()
    expect(page.locator('[data-test="rental"]')).to_contain_text(address)
    expect(page.locator('[data-test="responsible-worker"] .van-cell__value')).to_have_text(responsible)
    screenshot(page, "rental")

    page.locator('[data-test="add-tenant"]').click()
    page.locator('input[name="name"]').fill("租客乙")
    page.locator('input[name="id_number"]').fill(new_id_number())
    page.locator('input[name="move_in"]').fill("2026-01-05")
    screenshot(page, "tenant-new")
    page.locator('[data-test="save"]').click()
    expect(page.locator('[data-test="tenant"]')).to_contain_text("租客乙")
    screenshot(page, "tenant")
    page.locator('[data-test="move-out-save"]').click()
    expect(page.locator('[data-test="move-out"]')).not_to_contain_text("在住")

    page.locator('[data-test="tenant"] .van-cell').filter(has_text="所在出租房").click()
    expect(page.locator('[data-test="tenants-history"]')).to_contain_text("租客乙")
    page.locator('[data-test="close"]').click()
    confirm(page)
    expect(page.locator('[data-test="rental"]')).to_contain_text("已停租")
    screenshot(page, "rental-closed")

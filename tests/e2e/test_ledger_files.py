"""Excel in the browser: a worker downloads the template, fills it in (with a
deliberate mistake), sees the check list the mistake by sheet, row and column,
fixes it, imports, and finds the household in the list; a ledger exported."""

from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.conftest import DEMO_ACCOUNTS
from tests.e2e.conftest import WORKER_SCOPE, log_in


def fill_in(template: Path, target: Path, address: str, id_number: str) -> None:
    workbook = openpyxl.load_workbook(template)
    workbook["住户"].append(["H001", WORKER_SCOPE, address, "欧阳导入", "Excel 导入"])
    workbook["居民"].append(["H001", "欧阳导入", id_number, "13800001111", "户籍", "", "户主", ""])
    workbook.save(target)


def test_a_worker_imports_households_from_the_template(page: Page, screenshot, tmp_path, demo_town):
    from tests.api.ledger_fixtures import new_address, new_id_number

    worker = DEMO_ACCOUNTS["grid_worker"]
    log_in(page, worker["phone"], worker["password"])
    expect(page.locator('[data-test="role"]')).to_have_text("网格员")
    page.locator('[data-test="role-nav"] [data-nav="imports"]').click()
    screenshot(page, "import")
    with page.expect_download() as download:
        page.locator('[data-test="template"]').click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    address, valid = new_address(), new_id_number()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    filled = tmp_path / "住户台账.xlsx"
    fill_in(template, filled, address, wrong)
    page.locator('[data-test="file"]').set_input_files(filled)
    problems = page.locator('[data-test="problems"] li')
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text("居民 表 第 2 行 C 列")
    expect(problems).to_contain_text("身份证号校验码不正确")
    expect(page.locator('[data-test="import"]')).to_have_count(0)
    screenshot(page, "import-problems")

    fill_in(template, filled, address, valid)
    page.locator('[data-test="file"]').set_input_files(filled)
    expect(page.locator('[data-test="checked"]')).to_contain_text("将新增 2 条")
    screenshot(page, "import-checked")
    page.locator('[data-test="import"]').click()
    expect(page.locator('[data-test="import-job"]')).to_contain_text("导入完成：新增 2 条")
    screenshot(page, "import-done")
    page.locator('[data-test="imported-list"]').click()
    # Other tests add households to this micro-grid too: look the new one up by its address.
    page.get_by_role("searchbox").fill(address)
    page.locator('[data-test="search-submit"]').click()
    expect(page.locator('[data-test="ledger-list"]')).to_contain_text(address)


def test_a_ledger_list_is_exported_to_excel(page: Page, screenshot, tmp_path, demo_town):
    leader = DEMO_ACCOUNTS["grid_leader"]
    log_in(page, leader["phone"], leader["password"])
    expect(page.locator('[data-test="role"]')).to_have_text("网格长")
    page.goto("/ledgers?list=households")
    expect(page.locator('[data-test="ledger-list"] .van-cell').first).to_be_visible()
    shown = page.locator('[data-test="ledger-list"] .van-cell').count()
    page.locator('[data-test="export-start"]').click()
    link = page.locator('[data-test="export-link"]')
    expect(link).to_be_visible()
    screenshot(page, "ledgers-exported")
    with page.expect_download() as download:
        link.click()
    exported = tmp_path / "export.xlsx"
    download.value.save_as(exported)
    households = openpyxl.load_workbook(exported)["住户"]
    assert households.max_row - 1 >= shown > 0

"""Excel in and out: the template, a dry run that lists every problem and writes
nothing, an import that is the same the second time, resumable, and an export
that reads back equal."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.api.ledger_fixtures import new_id_number
from tests.api.ledger_tree import build, counts
from tests.api.s3_forms import fetch, post_form
from tests.conftest import assert_declared

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOUSEHOLD_HEADERS = ["户编号", "网格编码", "地址", "户主姓名", "备注"]
RESIDENT_HEADERS = ["户编号", "姓名", "身份证号", "联系电话", "人口类型", "重点人群", "与户主关系",
                    "备注"]


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, kind="households") -> str:
    form = client.post("/api/v1/ledger-uploads", {"kind": kind, "filename": "台账.xlsx",
                                                  "size": len(content)})
    assert form.status == 201, form.body
    assert post_form(form.json, content, "台账.xlsx", XLSX) in (200, 201, 204)
    return form.json["upload_id"]


def check(client, content, kind="households"):
    return client.post("/api/v1/ledger-imports", {"upload_id": upload(client, content, kind),
                                                  "kind": kind, "dry_run": True})


def households_file(tree, people):
    """Three households of the first village; `people` residents' ID numbers."""
    return workbook({
        "住户": [HOUSEHOLD_HEADERS,
               ["H1", tree.micro_a1, "柳泉村1组1号", "刘一", ""],
               ["H2", tree.micro_a1, "柳泉村1组2号", "刘二", "独院"],
               ["H3", tree.micro_a2, "柳泉村2组9号", "陈三", None]],
        "居民": [RESIDENT_HEADERS,
               ["H1", "刘一", people[0], "13800000001", "户籍", "", "户主", ""],
               ["H1", "王芳", people[1], None, "户籍", "低保", "配偶", ""],
               ["H2", "刘二", people[2], "13800000002", "流动", "", "户主", ""],
               ["H3", "陈三", people[3], "", "户籍", "独居老人、残疾人", "户主", "腿脚不便"]]})


def test_the_template_has_the_sheets_columns_and_notes(county_admin):
    template = county_admin.get("/api/v1/ledger-templates/households")
    assert template.status == 200, template.body
    book = load_workbook(io.BytesIO(fetch(template.json["url"])))
    assert book.sheetnames == ["住户", "居民", "填写说明"]
    assert [c.value for c in book["居民"][1]] == RESIDENT_HEADERS
    assert "低保" in str([[c.value for c in row] for row in book["填写说明"].iter_rows()])
    assert county_admin.get("/api/v1/ledger-templates/cases").status == 400


def test_a_dry_run_lists_every_problem_and_writes_nothing(county_admin, tree):
    taken = new_id_number()
    bad = workbook({
        "住户": [HOUSEHOLD_HEADERS,
               ["H1", tree.micro_a1, "柳泉村3组1号", "甲", ""],
               ["H2", "610102101201", "柳泉村3组2号", "乙", ""],       # not a micro-grid
               ["H3", tree.micro_a1, "柳泉村３组１号", "丙", ""],       # the same address as H1
               ["H4", tree.micro_a1, "", "丁", ""],                    # no address
               ["H5", "6101021012010101", "柳泉村3组5号", "戊", ""]],   # outside the scope
        "居民": [RESIDENT_HEADERS,
               ["H1", "甲", "110105194912310021", "", "户籍", "", "", ""],   # check digit
               ["H1", "", taken, "12345", "户籍", "", "", ""],              # no name, bad phone
               ["H9", "戊", new_id_number(), "", "户籍", "", "", ""],        # no such household
               ["H1", "己", taken, "", "本地", "富豪", "", ""]]})           # type, tag, repeat
    response = check(county_admin, bad)
    assert response.status == 200, response.body
    report = response.json
    assert report["status"] == "checked" and report["dry_run"] is True
    found = {(p["sheet"], p["row"], p["column"]) for p in report["problems"]}
    assert found == {("住户", 3, "B"), ("住户", 4, "C"), ("住户", 5, "C"), ("住户", 6, "B"),
                     ("居民", 2, "C"), ("居民", 3, "B"), ("居民", 3, "D"), ("居民", 4, "A"),
                     ("居民", 5, "C"), ("居民", 5, "E"), ("居民", 5, "F")}
    assert all(p["message"] for p in report["problems"])
    assert "校验码" in next(p["message"] for p in report["problems"]
                         if (p["sheet"], p["row"]) == ("居民", 2))
    assert counts(county_admin, tree.town)["households"] == 0
    refused = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, bad), "kind": "households", "dry_run": False})
    assert refused.status == 400 and refused.error["code"] == "import_has_problems"
    assert len(refused.error["details"]) == len(found)
    assert counts(county_admin, tree.town)["households"] == 0


def test_a_file_that_is_not_a_workbook_is_400(county_admin):
    response = check(county_admin, b"PK not really a zip")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "upload_id"


def test_the_same_file_imported_twice_changes_nothing(county_admin, tree):
    people = [new_id_number() for _ in range(4)]
    content = households_file(tree, people)
    dry = check(county_admin, content).json
    assert (dry["created"], dry["updated"], dry["unchanged"], dry["problems"]) == (7, 0, 0, [])
    first = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, content), "kind": "households", "dry_run": False})
    assert first.status == 202, first.body
    assert (first.json["status"], first.json["created"]) == ("done", 7)
    totals = counts(county_admin, tree.village_a)
    assert (totals["households"], totals["residents"], totals["floating_residents"],
            totals["key_groups"]) == (3, 4, 1, {"低保": 1, "独居老人": 1, "残疾人": 1})
    again = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, content), "kind": "households", "dry_run": False})
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 7)
    assert counts(county_admin, tree.village_a) == totals
    found = county_admin.get(f"/api/v1/residents?grid={tree.town}&id_number={people[3]}").json
    assert [(r["name"], r["tags"]) for r in found["items"]] == [("陈三", ["残疾人", "独居老人"])]
    # The import runs on after the request, and its audit still names who started it.
    logged = county_admin.get(f"/api/v1/audit?record=import%23{first.json['import_id']}").json
    assert {(e["action"], e["actor_name"]) for e in logged["items"]} == {
        ("import", county_admin.session["user"]["name"])}


def test_an_import_cut_short_is_finished_by_the_sweep(county_admin, tree, dynamodb_calls):
    from chalicelib.usecases import ledger_files

    content = households_file(tree, [new_id_number() for _ in range(4)])
    budget = ledger_files.REQUEST_BUDGET_SECONDS
    ledger_files.REQUEST_BUDGET_SECONDS = 0.0
    try:
        started = county_admin.post("/api/v1/ledger-imports", {
            "upload_id": upload(county_admin, content), "kind": "households",
            "dry_run": False}).json
    finally:
        ledger_files.REQUEST_BUDGET_SECONDS = budget
    assert started["status"] == "running"
    dynamodb_calls.clear()
    assert started["import_id"] in ledger_files.resume_jobs()
    assert_declared("ledger-jobs", dynamodb_calls)
    job = county_admin.get(f"/api/v1/ledger-imports/{started['import_id']}").json
    assert (job["status"], job["created"]) == ("done", 7)
    assert counts(county_admin, tree.town)["residents"] == 4
    assert ledger_files.resume_jobs() == []


def export(client, kind, grid):
    started = client.post("/api/v1/ledger-exports", {"kind": kind, "grid": grid})
    assert started.status == 202, started.body
    job = started.json
    if job["status"] == "running":
        from chalicelib.usecases import ledger_files

        ledger_files.resume_jobs()
        job = client.get(f"/api/v1/ledger-exports/{job['export_id']}").json
    assert job["status"] == "done", job
    return fetch(job["download_url"])


def rows_of(content: bytes, sheet: str, skip: int = 1) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [[c.value or "" for c in row][skip:] for row in book[sheet].iter_rows(min_row=2)]


def test_an_exported_ledger_reads_back_equal(county_admin, tree):
    people = [new_id_number() for _ in range(4)]
    content = households_file(tree, people)
    county_admin.post("/api/v1/ledger-imports", {"upload_id": upload(county_admin, content),
                                                 "kind": "households", "dry_run": False})
    exported = export(county_admin, "households", tree.village_a)
    assert sorted(rows_of(exported, "住户")) == sorted(rows_of(content, "住户"))
    assert sorted(rows_of(exported, "居民")) == sorted(rows_of(content, "居民"))
    back = check(county_admin, exported).json
    assert (back["created"], back["updated"], back["unchanged"], back["problems"]) == \
        (0, 0, 7, [])
    viewer_export = county_admin.post("/api/v1/ledger-exports", {"kind": "residents",
                                                                 "grid": tree.county})
    assert viewer_export.status == 202


def test_rentals_and_tenants_import_and_export(county_admin, tree):
    tenant = new_id_number()
    content = workbook({
        "出租房": [["房屋编号", "网格编码", "地址", "房东姓名", "房东电话", "责任网格员手机号",
                 "房间数", "备注"],
                ["F1", tree.micro_b, "东王村5组3号", "赵房东", "13700000003", "", 4, ""]],
        "租户": [["房屋编号", "姓名", "身份证号", "联系电话", "入住日期", "退租日期", "工作单位",
                "备注"],
               ["F1", "钱租户", tenant, "13600000004", "2026-03-01", "", "食品厂", ""],
               ["F1", "孙租户", new_id_number(), "", "2025-01-10", "2025-12-31", "", ""]]})
    dry = check(county_admin, content, "rentals").json
    assert (dry["created"], dry["problems"]) == (3, [])
    done = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, content, "rentals"), "kind": "rentals",
        "dry_run": False}).json
    assert (done["status"], done["created"]) == ("done", 3)
    totals = counts(county_admin, tree.village_b)
    assert (totals["rentals"], totals["tenants"]) == (1, 1)
    exported = export(county_admin, "rentals", tree.village_b)
    assert rows_of(exported, "出租房") == [[tree.micro_b, "东王村5组3号", "赵房东", "13700000003",
                                         "", "4", ""]]
    assert sorted(rows_of(exported, "租户")) == sorted(
        [[str(v) if v else "" for v in row] for row in rows_of(content, "租户")])
    assert check(county_admin, exported, "rentals").json["unchanged"] == 3


def test_an_export_writes_stored_control_characters_out_cleaned(county_admin, tree):
    from chalicelib.store.households import HouseholdModel

    people = [new_id_number() for _ in range(4)]
    county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, households_file(tree, people)), "kind": "households",
        "dry_run": False})
    found = county_admin.get(f"/api/v1/residents?grid={tree.town}&id_number={people[0]}").json
    household = HouseholdModel.get(found["items"][0]["household_id"])
    # Stored before the routes refused such text: the export must still write it.
    household.update(actions=[HouseholdModel.head_name.set("刘\u0015一"),
                              HouseholdModel.notes.set("东\u001e厢\t房")])
    exported = export(county_admin, "households", tree.village_a)
    assert ["刘一", "东厢\t房"] in [row[2:] for row in rows_of(exported, "住户")]


def exports_left_to_the_sweep(monkeypatch):
    from chalicelib.usecases import ledger_files

    monkeypatch.setattr(ledger_files, "INLINE_EXPORT_ROWS", -1)
    return ledger_files


def test_an_export_that_fails_on_its_data_ends_failed_and_is_not_retried(
        county_admin, tree, monkeypatch):
    ledger_files = exports_left_to_the_sweep(monkeypatch)

    def unwritable(*_args, **_kwargs):
        raise ValueError("a cell holds what Excel cannot")

    monkeypatch.setattr(ledger_files.ledger_workbooks, "write", unwritable)
    started = county_admin.post("/api/v1/ledger-exports", {"kind": "households",
                                                           "grid": tree.village_a}).json
    assert started["status"] == "running"
    assert started["export_id"] in ledger_files.resume_jobs()
    path = f"/api/v1/ledger-exports/{started['export_id']}"
    failed = county_admin.get(path).json
    assert failed["status"] == "failed" and failed["download_url"] is None
    assert "Excel cannot" in failed["failure"]
    assert ledger_files.resume_jobs() == []
    assert county_admin.get(path).json == failed


def test_an_export_the_store_keeps_refusing_is_retried_a_bounded_number_of_times(
        county_admin, tree, monkeypatch):
    from botocore.exceptions import EndpointConnectionError
    from chalicelib.usecases import leased_jobs

    ledger_files = exports_left_to_the_sweep(monkeypatch)
    outages = []

    def unreachable(*_args, **_kwargs):
        outages.append(1)
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    monkeypatch.setattr(ledger_files.objects, "write", unreachable)
    started = county_admin.post("/api/v1/ledger-exports", {"kind": "households",
                                                           "grid": tree.village_a}).json
    path = f"/api/v1/ledger-exports/{started['export_id']}"
    for _run in range(leased_jobs.MAX_ATTEMPTS - 1):
        assert started["export_id"] not in ledger_files.resume_jobs()
        assert county_admin.get(path).json["status"] == "running"
    assert started["export_id"] in ledger_files.resume_jobs()
    failed = county_admin.get(path).json
    assert failed["status"] == "failed" and failed["failure"]
    assert len(outages) == leased_jobs.MAX_ATTEMPTS
    assert ledger_files.resume_jobs() == [] and len(outages) == leased_jobs.MAX_ATTEMPTS


def test_an_outage_that_passes_lets_the_export_finish(county_admin, tree, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    ledger_files = exports_left_to_the_sweep(monkeypatch)
    write = ledger_files.objects.write

    def unreachable_once(*args, **kwargs):
        monkeypatch.setattr(ledger_files.objects, "write", write)
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    monkeypatch.setattr(ledger_files.objects, "write", unreachable_once)
    started = county_admin.post("/api/v1/ledger-exports", {"kind": "households",
                                                           "grid": tree.village_a}).json
    assert ledger_files.resume_jobs() == []
    assert started["export_id"] in ledger_files.resume_jobs()
    done = county_admin.get(f"/api/v1/ledger-exports/{started['export_id']}").json
    assert done["status"] == "done" and done["download_url"]


def test_an_import_that_gets_on_before_an_outage_is_not_given_up(county_admin, tree,
                                                                 monkeypatch):
    from botocore.exceptions import EndpointConnectionError
    from chalicelib.store.unit_of_work import UnitOfWork
    from chalicelib.usecases import leased_jobs, ledger_files

    people = [new_id_number() for _ in range(40)]
    content = workbook({
        "住户": [HOUSEHOLD_HEADERS] + [[f"H{n}", tree.micro_a1, f"柳泉村9组{n}号", "户主", ""]
                                     for n in range(len(people))],
        "居民": [RESIDENT_HEADERS] + [[f"H{n}", "户主", person, "", "户籍", "", "户主", ""]
                                     for n, person in enumerate(people)]})
    commit, commits = UnitOfWork.commit, []

    def unreachable_after_the_first(work):
        commits.append(work)
        if len(commits) > 1:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
        commit(work)

    monkeypatch.setattr(leased_jobs, "MAX_ATTEMPTS", 1)
    monkeypatch.setattr(UnitOfWork, "commit", unreachable_after_the_first)
    started = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, content), "kind": "households", "dry_run": False})
    assert started.status == 202, started.body
    assert started.json["status"] == "running" and 0 < started.json["created"] < 80
    monkeypatch.setattr(UnitOfWork, "commit", commit)
    assert started.json["import_id"] in ledger_files.resume_jobs()
    job = county_admin.get(f"/api/v1/ledger-imports/{started.json['import_id']}").json
    assert (job["status"], job["created"]) == ("done", 80)


def test_an_import_that_fails_on_its_data_says_why(county_admin, tree, monkeypatch):
    from chalicelib.usecases import ledger_files

    def unwritable(*_args, **_kwargs):
        raise ValueError("a record the ledger cannot take")

    monkeypatch.setattr(ledger_files.ledger_imports, "write_plan", unwritable)
    content = workbook({"住户": [HOUSEHOLD_HEADERS, ["H1", tree.micro_a1, "柳泉村9组77号", "户主", ""]],
                        "居民": [RESIDENT_HEADERS,
                               ["H1", "户主", new_id_number(), "", "户籍", "", "户主", ""]]})
    started = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, content), "kind": "households", "dry_run": False})
    assert started.status == 202, started.body
    job = county_admin.get(f"/api/v1/ledger-imports/{started.json['import_id']}").json
    assert job["status"] == "failed"
    assert "a record the ledger cannot take" in job["failure"]
    assert ledger_files.resume_jobs() == []


def test_a_household_or_rental_too_large_for_one_transaction_is_imported_in_parts(
        county_admin, tree):
    """40 residents of one household (3 items each with their audit entries) and
    35 tenants of one rental do not fit one transaction: each is written in parts,
    and the household's member count and the rental's tenant count come out right."""
    people = [new_id_number() for _ in range(40)]
    households = workbook({
        "住户": [HOUSEHOLD_HEADERS, ["H1", tree.micro_a1, "柳泉村8组1号", "集体户", ""]],
        "居民": [RESIDENT_HEADERS] + [["H1", f"工人{n}", person, "", "流动", "", "", ""]
                                     for n, person in enumerate(people)]})
    done = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, households), "kind": "households",
        "dry_run": False}).json
    assert (done["status"], done["created"]) == ("done", 41), done
    found = county_admin.get(f"/api/v1/households?grid={tree.micro_a1}").json["items"]
    assert [h["member_count"] for h in found] == [40]
    tenants = workbook({
        "出租房": [["房屋编号", "网格编码", "地址", "房东姓名", "房东电话", "责任网格员手机号",
                 "房间数", "备注"], ["F1", tree.micro_b, "东王村6组1号", "赵房东", "", "", 40, ""]],
        "租户": [["房屋编号", "姓名", "身份证号", "联系电话", "入住日期", "退租日期", "工作单位",
                "备注"]] + [["F1", f"租户{n}", new_id_number(), "", "2026-03-01",
                           "2026-06-30" if n % 5 == 0 else "", "", ""] for n in range(35)]})
    done = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, tenants, "rentals"), "kind": "rentals",
        "dry_run": False}).json
    assert (done["status"], done["created"]) == ("done", 36), done
    rental = county_admin.get(f"/api/v1/rentals?grid={tree.micro_b}").json["items"]
    assert [r["tenant_count"] for r in rental] == [28]
    totals = counts(county_admin, tree.town)
    assert (totals["residents"], totals["floating_residents"], totals["tenants"]) == (40, 40, 28)
    again = check(county_admin, households).json
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 41)


def test_an_import_cut_short_between_the_parts_of_a_household_counts_its_members_right(
        county_admin, tree, monkeypatch):
    from botocore.exceptions import EndpointConnectionError
    from chalicelib.store.unit_of_work import UnitOfWork
    from chalicelib.usecases import ledger_files

    people = [new_id_number() for _ in range(30)]
    content = workbook({
        "住户": [HOUSEHOLD_HEADERS, ["H1", tree.micro_a2, "柳泉村8组2号", "集体户", ""]],
        "居民": [RESIDENT_HEADERS] + [["H1", f"工人{n}", person, "", "户籍", "", "", ""]
                                     for n, person in enumerate(people)]})
    commit, commits = UnitOfWork.commit, []

    def unreachable_after_the_first(work):
        commits.append(work)
        if len(commits) > 1:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
        commit(work)

    monkeypatch.setattr(UnitOfWork, "commit", unreachable_after_the_first)
    started = county_admin.post("/api/v1/ledger-imports", {
        "upload_id": upload(county_admin, content), "kind": "households", "dry_run": False})
    assert started.status == 202 and started.json["status"] == "running", started.body
    found = county_admin.get(f"/api/v1/households?grid={tree.micro_a2}").json["items"]
    assert [h["member_count"] for h in found] == [ledger_files.ledger_imports.PEOPLE_PER_UNIT]
    monkeypatch.setattr(UnitOfWork, "commit", commit)
    assert started.json["import_id"] in ledger_files.resume_jobs()
    found = county_admin.get(f"/api/v1/households?grid={tree.micro_a2}").json["items"]
    assert [h["member_count"] for h in found] == [30]
    assert counts(county_admin, tree.micro_a2)["residents"] == 30

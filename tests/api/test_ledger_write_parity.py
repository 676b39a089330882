"""The forms and the Excel import write the ledger the same way: one household
with its residents and one rental with its tenants (one moved out already),
entered once through the routes and once by importing a workbook, each into a
micro-grid of its own village, leave the same records, the same claims on
unique values, the same counters up the tree and the same audit entries.

ID numbers are unique across the deployment and addresses within a county, so
the two entries differ in those (and in ids, times and grid codes); each is
replaced by what it stands for before the two are compared."""

import json
import random
from datetime import date, timedelta

import pytest

from tests.api.ledger_tree import build
from tests.api.test_ledger_files import (
    HOUSEHOLD_HEADERS,
    RESIDENT_HEADERS,
    upload,
    workbook,
)

RENTAL_HEADERS = ["房屋编号", "网格编码", "地址", "房东姓名", "房东电话", "责任网格员手机号",
                  "房间数", "备注"]
TENANT_HEADERS = ["房屋编号", "姓名", "身份证号", "联系电话", "入住日期", "退租日期", "工作单位",
                  "备注"]

# (name, phone, type, key groups, relation, notes) of each resident
RESIDENTS = [("刘一", "13800000001", "registered", [], "户主", None),
             ("王芳", None, "registered", ["低保"], "配偶", None),
             ("陈三", None, "floating", ["独居老人", "残疾人"], "子女", "腿脚不便")]
# (name, phone, move in, move out, workplace) of each tenant
TENANTS = [("钱租户", "13600000004", "2026-03-01", None, "食品厂"),
           ("孙租户", None, "2025-01-10", "2025-12-31", None)]
TYPE_NAMES = {"registered": "户籍", "floating": "流动"}


def people_numbers(count: int) -> list[list[str]]:
    """Two lists of ID numbers, one per path, the k-th of each with the same
    birth day and sex (they are derived from the number) but its own sequence."""
    from chalicelib.domain import id_numbers

    birth = date(1960, 1, 1) + timedelta(days=random.randrange(15000))
    base = random.randrange(100, 900, 10)
    return [[id_numbers.make("420103", birth + timedelta(days=k), base + 2 * path)
             for k in range(count)] for path in (0, 1)]


@pytest.fixture
def entered(county_admin):
    """The same ledger entered through the forms (in village A) and by import (in
    village B): what each path wrote, with what stands for what."""
    tree = build(county_admin)
    numbers = people_numbers(len(RESIDENTS) + len(TENANTS))
    tag = random.randrange(10**9)
    paths = {}
    for path, (micro, numbers_of) in enumerate(((tree.micro_a1, numbers[0]),
                                                (tree.micro_b, numbers[1]))):
        household_address = f"平价村{tag}组{path}号"
        rental_address = f"出租村{tag}组{path}号"
        residents = numbers_of[:len(RESIDENTS)]
        tenants = numbers_of[len(RESIDENTS):]
        write = through_the_forms if path == 0 else through_an_import
        ids = write(county_admin, micro, household_address, rental_address, residents, tenants)
        labels = {household_address: "<household address>", rental_address: "<rental address>",
                  micro: "<grid>", micro[:6]: "<county>"}
        for k, number in enumerate(residents):
            labels[number] = f"<resident {k}>"
        for k, number in enumerate(tenants):
            labels[number] = f"<tenant {k}>"
        paths[path] = {"micro": micro, "ids": ids, "labels": labels,
                       "household_address": household_address,
                       "rental_address": rental_address, "residents": residents,
                       "tenants": tenants}
    return tree, paths


def through_the_forms(api, micro, household_address, rental_address, residents, tenants):
    def member(k):
        name, phone, kind, tags, relation, notes = RESIDENTS[k]
        return {"name": name, "id_number": residents[k], "phone": phone, "resident_type": kind,
                "tags": tags, "relation": relation, "notes": notes}

    household = api.post("/api/v1/households", {
        "grid_code": micro, "address": household_address, "head_name": "刘一", "notes": "独院",
        "members": [member(0)]})
    assert household.status == 201, household.body
    household_id = household.json["household_id"]
    for k in range(1, len(RESIDENTS)):
        added = api.post(f"/api/v1/households/{household_id}/residents", member(k))
        assert added.status == 201, added.body
    rental = api.post("/api/v1/rentals", {
        "grid_code": micro, "address": rental_address, "owner_name": "赵房东",
        "owner_phone": "13700000003", "rooms": 4})
    assert rental.status == 201, rental.body
    for k, (name, phone, move_in, move_out, workplace) in enumerate(TENANTS):
        tenant = api.post(f"/api/v1/rentals/{rental.json['rental_id']}/tenants", {
            "name": name, "id_number": tenants[k], "phone": phone, "move_in": move_in,
            "move_out": move_out, "workplace": workplace})
        assert tenant.status == 201, tenant.body
    return {"household": household_id, "rental": rental.json["rental_id"]}


def through_an_import(api, micro, household_address, rental_address, residents, tenants):
    households = workbook({
        "住户": [HOUSEHOLD_HEADERS, ["H1", micro, household_address, "刘一", "独院"]],
        "居民": [RESIDENT_HEADERS] + [
            ["H1", name, residents[k], phone, TYPE_NAMES[kind], "、".join(tags), relation, notes]
            for k, (name, phone, kind, tags, relation, notes) in enumerate(RESIDENTS)]})
    imported(api, "households", households)
    imported(api, "rentals", rentals_file(micro, rental_address, tenants))
    found = api.get(f"/api/v1/households?grid={micro}").json["items"]
    rental = api.get(f"/api/v1/rentals?grid={micro}").json["items"]
    assert len(found) == 1 and len(rental) == 1
    return {"household": found[0]["household_id"], "rental": rental[0]["rental_id"]}


def rentals_file(micro, rental_address, tenants, moved_out: str | None = None) -> bytes:
    """The rental and its tenants; `moved_out`: the day the current one left."""
    return workbook({
        "出租房": [RENTAL_HEADERS,
                ["F1", micro, rental_address, "赵房东", "13700000003", "", 4, ""]],
        "租户": [TENANT_HEADERS] + [
            ["F1", name, tenants[k], phone, move_in, move_out or moved_out, workplace, ""]
            for k, (name, phone, move_in, move_out, workplace) in enumerate(TENANTS)]})


def imported(api, kind: str, content: bytes) -> dict:
    done = api.post("/api/v1/ledger-imports", {"upload_id": upload(api, content, kind),
                                               "kind": kind, "dry_run": False})
    assert done.status == 202, done.body
    assert done.json["status"] == "done" and done.json["problems"] == [], done.json
    return done.json


# What is compared

IGNORED = {"household_id", "resident_id", "rental_id", "tenant_id", "created_at", "updated_at",
           "version", "grid_code", "grid_key", "since", "until"}


def _labelled(value, labels: dict):
    """`value` with what differs between the paths by necessity replaced by what it
    stands for: ID numbers (and their masked form), addresses, grid codes, ids."""
    from chalicelib.domain.personal_data import mask_id_number

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    for raw, label in sorted(labels.items(), key=lambda pair: -len(pair[0])):
        text = text.replace(raw, label)
        if label.startswith(("<resident", "<tenant")):
            text = text.replace(mask_id_number(raw), f"{label} masked")
    return json.loads(text)


def _item(model_item, labels: dict) -> dict:
    values = {name: value for name, value in model_item.attribute_values.items()
              if name not in IGNORED}
    for key in ("address_key", "name_key", "stay_key"):  # "<value>#<the record's id>"
        if key in values:
            values[key] = values[key].rsplit("#", 1)[0]
    if "grid_history" in values:
        values["grid_history"] = [{k: v for k, v in stay.attribute_values.items()
                                   if k not in IGNORED} for stay in values["grid_history"]]
    if "tags" in values:
        values["tags"] = sorted(values["tags"])
    return _labelled(values, labels)


def stored(path: dict) -> tuple[dict, dict]:
    """The stored items of a path, by what they stand for, and the record ids
    with what each stands for."""
    from chalicelib.store.households import HouseholdModel, ResidentModel
    from chalicelib.store.rentals import RentalModel, TenantModel

    labels = path["labels"]
    household = HouseholdModel.get(path["ids"]["household"], consistent_read=True)
    rental = RentalModel.get(path["ids"]["rental"], consistent_read=True)
    residents = list(ResidentModel.by_household.query(household.household_id))
    tenants = list(TenantModel.by_rental.query(rental.rental_id))
    assert len(residents) == len(RESIDENTS) and len(tenants) == len(TENANTS)
    names = {household.household_id: "<household>", rental.rental_id: "<rental>"}
    names.update({r.resident_id: labels[r.id_number].replace(">", " record>") for r in residents})
    names.update({t.tenant_id: labels[t.id_number].replace(">", " record>") for t in tenants})
    items = {"<household>": household, "<rental>": rental}
    items.update({names[r.resident_id]: r for r in residents})
    items.update({names[t.tenant_id]: t for t in tenants})
    return {name: _item(item, labels) for name, item in items.items()}, names


def claims(path: dict, names: dict) -> dict:
    """Every claim a record of the path could hold, with its holder (None: free)."""
    from chalicelib.domain import ledger
    from chalicelib.store.uniques import claim_key, owner_of

    county = path["micro"][:6]
    rental_id = path["ids"]["rental"]
    keys = [claim_key("household_address", county, ledger.normalize_address(
                path["household_address"])),
            claim_key("rental_address", county, ledger.normalize_address(
                path["rental_address"]))]
    keys += [claim_key("resident_id_number", "all", n) for n in path["residents"]]
    keys += [claim_key("current_tenant", rental_id, n) for n in path["tenants"]]
    keys += [claim_key("resident_id_number", "all", n) for n in path["tenants"]]
    labels = {**path["labels"], rental_id: "<rental>"}
    return {_labelled(key, labels): names.get(owner_of(key)) for key in keys}


def counters_up_to_the_village(micro: str) -> list[dict]:
    from chalicelib.store import counters

    return [{name: n for name, n in counters.read(code, "ledger").items() if n}
            for code in (micro, micro[:14], micro[:12])]


def audit_entries(api, names: dict, labels: dict) -> list:
    entries = []
    for record_id, name in names.items():
        kind = name.strip("<>").split()[0]
        kind = {"household": "household", "rental": "rental", "resident": "resident",
                "tenant": "tenant"}[kind]
        page = api.get(f"/api/v1/audit?record={kind}%23{record_id}").json
        for entry in page["items"]:
            entries.append((name, entry["action"], entry["record"].split("#")[0],
                            entry["actor_id"], _labelled(entry["changes"], labels)))
    return sorted(entries, key=lambda e: json.dumps(e, ensure_ascii=False, sort_keys=True))


def test_the_forms_and_an_import_write_the_same_ledger(county_admin, entered):
    tree, paths = entered
    (forms, forms_names), (imported, imported_names) = stored(paths[0]), stored(paths[1])
    assert forms == imported
    assert claims(paths[0], forms_names) == claims(paths[1], imported_names)
    form_counts = counters_up_to_the_village(paths[0]["micro"])
    assert form_counts == counters_up_to_the_village(paths[1]["micro"])
    assert form_counts[0] == {"households": 1, "residents": 3, "floating_residents": 1,
                              "key_group_members": 2, "key_group:低保": 1,
                              "key_group:独居老人": 1, "key_group:残疾人": 1, "rentals": 1,
                              "tenants": 1}
    from chalicelib.store import counters

    town = {name: n for name, n in counters.read(tree.town, "ledger").items() if n}
    assert town == {name: 2 * n for name, n in form_counts[0].items()}
    form_audit = audit_entries(county_admin, forms_names, paths[0]["labels"])
    assert form_audit == audit_entries(county_admin, imported_names, paths[1]["labels"])
    assert {(name, action) for name, action, *_ in form_audit} == {
        (name, "create") for name in forms_names.values()}


def test_a_tenant_moving_out_is_written_the_same_way_by_a_form_and_an_import(
        county_admin, entered):
    """The entry point the monthly recheck will take: the current tenant moves out,
    recorded on the tenant's form, and by importing the file again with the day."""
    _tree, paths = entered
    forms, by_import = paths[0], paths[1]
    current = next(t for t in county_admin.get(
        f"/api/v1/rentals/{forms['ids']['rental']}/tenants?current=true").json["items"])
    left = county_admin.patch(f"/api/v1/tenants/{current['tenant_id']}", {
        "version": current["version"], "move_out": "2026-11-01"})
    assert left.status == 200 and left.json["current"] is False, left.body
    again = imported(county_admin, "rentals", rentals_file(
        by_import["micro"], by_import["rental_address"], by_import["tenants"], "2026-11-01"))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 1, 2)
    (form_items, form_names), (import_items, import_names) = stored(forms), stored(by_import)
    assert form_items == import_items
    assert form_items["<rental>"]["tenant_count"] == 0
    assert claims(forms, form_names) == claims(by_import, import_names)
    form_counts = counters_up_to_the_village(forms["micro"])
    assert form_counts == counters_up_to_the_village(by_import["micro"])
    assert "tenants" not in form_counts[0] and form_counts[0]["rentals"] == 1
    form_audit = audit_entries(county_admin, form_names, forms["labels"])
    assert form_audit == audit_entries(county_admin, import_names, by_import["labels"])
    assert [(name, action, changes) for name, action, _, _, changes in form_audit
            if action == "update"] == [
        ("<tenant 0 record>", "update", {"move_out": {"from": None, "to": "2026-11-01"}})]

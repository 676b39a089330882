"""Importing a ledger workbook: check every row, match it with what the ledger
holds (households and rentals by address, people by ID number), and write only
what is new or different, in transactions of whole households or rentals.

The same file imported twice changes nothing the second time, and an import
cut short is carried on by planning again from the file: what was written is
now matched and unchanged. A dry run does all but the writing.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chalicelib import clock
from chalicelib.domain import grid_codes, id_numbers, ledger, ledger_sheets, tokens
from chalicelib.domain.ledger_sheets import Checked, Problem
from chalicelib.store import records
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.store.households import GridStay, HouseholdModel, ResidentModel
from chalicelib.store.ledger_jobs import LedgerJobModel
from chalicelib.store.rentals import RentalModel, TenantModel
from chalicelib.store.uniques import claim_key, owners_of
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict
from chalicelib.usecases import households as household_rules
from chalicelib.usecases import rentals as rental_rules

MAX_ITEMS = 100  # DynamoDB's limit on the items of one transaction


@dataclass
class Unit:
    """One household or rental of the file, with its people: written together."""

    record: Any
    action: str  # create | update | none
    people: list[tuple[Any, str]] = field(default_factory=list)  # (record, action)
    count_changes: list[tuple[str, dict[str, int]]] = field(default_factory=list)

    def changes(self) -> int:
        return (self.action != "none") + sum(action != "none" for _, action in self.people)

    def size(self) -> int:
        # A new record also claims its unique value; an existing parent gets a new count.
        parent = {"create": 2, "update": 1, "none": 0}[self.action]
        parent += 1 if self.action == "none" and any(a == "create" for _, a in self.people) else 0
        return parent + sum({"create": 2, "update": 1, "none": 0}[a] for _, a in self.people)


@dataclass
class Plan:
    records: int = 0
    units: list[Unit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum((u.action == action) + sum(a == action for _, a in u.people)
                   for u in self.units)


def _batch_get(model: Any, ids: list[str]) -> dict[str, Any]:
    found = {}
    for start in range(0, len(ids), 100):
        for item in model.batch_get(ids[start:start + 100], consistent_read=True):
            found[item._get_hash_range_key_serialized_values()[0]] = item
    return found


def _problem(sheet: ledger_sheets.Sheet, number: int, key: str, message: str) -> Problem:
    return Problem(sheet.title, number, sheet.letter(key), message)


def _same(record: Any, values: dict[str, Any]) -> bool:
    return all(getattr(record, name) == value for name, value in values.items())


# Households and residents

def _resident_values(row: dict) -> dict[str, Any]:
    return {"name": row["name"], "phone": row["phone"], "resident_type": row["resident_type"],
            "tags": set(row["tags"] or []) or None, "relation": row["relation"],
            "notes": row["notes"]}


def plan_households(checked: Checked, caller) -> Plan:
    plan = Plan(records=len(checked.parents) + len(checked.children),
                problems=list(checked.problems))
    now = clock.now()
    address_claims = {row.number: claim_key(household_rules.ADDRESS_CLAIM,
                                            grid_codes.county_of(row.values["grid_code"]),
                                            ledger.normalize_address(row.values["address"]))
                      for row in checked.parents}
    id_claims = {row.number: claim_key(household_rules.ID_NUMBER_CLAIM, "all",
                                       row.values["id_number"]) for row in checked.children}
    owners = owners_of(list(address_claims.values()) + list(id_claims.values()))
    households = _batch_get(HouseholdModel, [owners[c] for c in address_claims.values()
                                             if c in owners])
    residents = _batch_get(ResidentModel, [owners[c] for c in id_claims.values() if c in owners])
    members_by_key: dict[str, list] = {}
    for row in checked.children:
        members_by_key.setdefault(row.values["household_key"], []).append(row)

    for row in checked.parents:
        values = row.values
        existing = households.get(owners.get(address_claims[row.number], ""))
        head = {"head_name": values["head_name"], "notes": values["notes"]}
        if existing is None:
            household = HouseholdModel(household_id=tokens.new_id(), member_count=0,
                                       grid_history=[GridStay(grid_code=values["grid_code"],
                                                              since=now,
                                                              moved_by=caller.user_id)],
                                       created_at=now, updated_at=now, **head)
            records.place(household, values["grid_code"], household.household_id)
            household_rules.set_address(household, values["address"])
            unit = Unit(household, "create", count_changes=[(values["grid_code"],
                                                             {ledger.HOUSEHOLDS: 1})])
        elif existing.grid_code != values["grid_code"]:
            plan.problems.append(_problem(ledger_sheets.HOUSEHOLDS, row.number, "address",
                                          f"该地址已登记在网格 {existing.grid_code}，"
                                          "请先在系统中迁移该户"))
            continue
        else:
            changed = not _same(existing, head)
            for name, value in head.items():
                setattr(existing, name, value)
            unit = Unit(existing, "update" if changed else "none")
        for member in members_by_key.get(values["key"], []):
            _plan_resident(plan, unit, member, residents.get(owners.get(id_claims[member.number],
                                                                        "")))
        plan.units.append(unit)
    return plan


def _plan_resident(plan: Plan, unit: Unit, row, existing: ResidentModel | None) -> None:
    household = unit.record
    values = _resident_values(row.values)
    if existing is not None and existing.household_id != household.household_id:
        plan.problems.append(_problem(ledger_sheets.RESIDENTS, row.number, "id_number",
                                      "此身份证号已登记在另一户，请先在系统中调整"))
        return
    if existing is None:
        resident = ResidentModel(resident_id=tokens.new_id(), household_id=household.household_id,
                                 created_at=clock.now(), updated_at=clock.now(),
                                 **{k: v for k, v in values.items() if k != "name"})
        household_rules.set_name(resident, values["name"])
        household_rules.set_id_number(resident, row.values["id_number"], "id_number")
        records.place(resident, household.grid_code, resident.resident_id)
        household.member_count = (household.member_count or 0) + 1
        unit.people.append((resident, "create"))
        unit.count_changes.append((household.grid_code, ledger.resident_counts(
            household_rules.facts(resident))))
        return
    before = ledger.resident_counts(household_rules.facts(existing))
    changed = not _same(existing, values)
    for name, value in values.items():
        setattr(existing, name, value)
    if changed:
        household_rules.set_name(existing, values["name"])
        unit.count_changes.append((existing.grid_code, ledger.difference(
            ledger.resident_counts(household_rules.facts(existing)), before)))
    unit.people.append((existing, "update" if changed else "none"))


# Rentals and tenants

def plan_rentals(checked: Checked, caller) -> Plan:
    plan = Plan(records=len(checked.parents) + len(checked.children),
                problems=list(checked.problems))
    now = clock.now()
    address_claims = {row.number: claim_key(rental_rules.ADDRESS_CLAIM,
                                            grid_codes.county_of(row.values["grid_code"]),
                                            ledger.normalize_address(row.values["address"]))
                      for row in checked.parents}
    owners = owners_of(list(address_claims.values()))
    rentals = _batch_get(RentalModel, [owners[c] for c in address_claims.values() if c in owners])
    tenants_by_key: dict[str, list] = {}
    for row in checked.children:
        tenants_by_key.setdefault(row.values["rental_key"], []).append(row)

    for row in checked.parents:
        values = row.values
        worker_id = None
        if values["worker_phone"]:
            worker = worker_store.find_by_phone(values["worker_phone"])
            if worker is None or worker.status != worker_store.ACTIVE:
                plan.problems.append(_problem(ledger_sheets.RENTALS, row.number, "worker_phone",
                                              "找不到使用此手机号的在职网格员"))
                continue
            worker_id = worker.worker_id
        fields = {"owner_name": values["owner_name"], "owner_phone": values["owner_phone"],
                  "responsible_worker_id": worker_id, "rooms": values["rooms"],
                  "notes": values["notes"]}
        existing = rentals.get(owners.get(address_claims[row.number], ""))
        if existing is None:
            rental = RentalModel(rental_id=tokens.new_id(), tenant_count=0, created_at=now,
                                 updated_at=now, **fields)
            records.place(rental, values["grid_code"], rental.rental_id)
            rental_rules.set_address(rental, values["address"])
            unit = Unit(rental, "create", count_changes=[(values["grid_code"],
                                                          {ledger.RENTALS: 1})])
            on_record: list[TenantModel] = []
        elif existing.grid_code != values["grid_code"]:
            plan.problems.append(_problem(ledger_sheets.RENTALS, row.number, "address",
                                          f"该地址已登记在网格 {existing.grid_code}"))
            continue
        else:
            changed = not _same(existing, fields)
            for name, value in fields.items():
                setattr(existing, name, value)
            unit = Unit(existing, "update" if changed else "none")
            on_record = rental_store.tenants_of(existing.rental_id)
        for tenant_row in tenants_by_key.get(values["key"], []):
            _plan_tenant(plan, unit, tenant_row, on_record)
        plan.units.append(unit)
    return plan


def _plan_tenant(plan: Plan, unit: Unit, row, on_record: list[TenantModel]) -> None:
    rental = unit.record
    values = row.values
    move_in = values["move_in"].isoformat()
    move_out = values["move_out"].isoformat() if values["move_out"] else None
    fields = {"name": values["name"], "phone": values["phone"], "move_out": move_out,
              "workplace": values["workplace"], "notes": values["notes"]}
    # A stay is a person and a move-in day: the same person may have lived there before.
    existing = next((t for t in on_record if t.id_number == values["id_number"]
                     and t.move_in == move_in), None)
    if existing is None:
        if move_out is None and any(t.id_number == values["id_number"] and t.move_out is None
                                    for t in on_record):
            plan.problems.append(_problem(ledger_sheets.TENANTS, row.number, "id_number",
                                          "此人已是该房屋的在住租户（入住日期不同）"))
            return
        parsed = id_numbers.parse(values["id_number"])
        tenant = TenantModel(tenant_id=tokens.new_id(), rental_id=rental.rental_id,
                             id_number=parsed.value, sex=parsed.sex,
                             birth_date=parsed.birth_date.isoformat(), move_in=move_in,
                             created_at=clock.now(), updated_at=clock.now(), **fields)
        tenant.stay_key = f"{move_in}#{tenant.tenant_id}"
        records.place(tenant, rental.grid_code, tenant.tenant_id)
        unit.people.append((tenant, "create"))
        if move_out is None:
            rental.tenant_count = (rental.tenant_count or 0) + 1
            unit.count_changes.append((rental.grid_code, {ledger.TENANTS: 1}))
        return
    was_current = existing.move_out is None
    changed = not _same(existing, fields)
    if changed and existing.move_out is not None and move_out is None:
        plan.problems.append(_problem(ledger_sheets.TENANTS, row.number, "move_out",
                                      "系统中此人已退租，不能清空退租日期"))
        return
    for name, value in fields.items():
        setattr(existing, name, value)
    if was_current and existing.move_out is not None:
        rental.tenant_count = max(0, (rental.tenant_count or 0) - 1)
        unit.count_changes.append((rental.grid_code, {ledger.TENANTS: -1}))
    unit.people.append((existing, "update" if changed else "none"))


# Writing a plan

def _write_unit(work: UnitOfWork, unit: Unit, kind: str) -> None:
    parent = unit.record
    parent_claim, person_claim, parent_name = (
        (household_rules.ADDRESS_CLAIM, household_rules.ID_NUMBER_CLAIM, "household")
        if kind == "households" else (rental_rules.ADDRESS_CLAIM,
                                      rental_rules.CURRENT_TENANT_CLAIM, "rental"))
    parent_id = getattr(parent, f"{parent_name}_id")
    touched_parent = unit.action != "none" or any(a == "create" for _, a in unit.people)
    if unit.action == "create":
        work.require_grid(parent.grid_code)
        work.claim(parent_claim, parent.county, ledger.normalize_address(parent.address),
                   parent_id, version_conflict(parent_name))
        work.add(parent, already_exists(parent_name))
    elif touched_parent:
        parent.updated_at = clock.now()
        work.save(parent, version_conflict(parent_name))
    for person, action in unit.people:
        if action == "create":
            if kind == "households":
                work.claim(person_claim, "all", person.id_number, person.resident_id,
                           version_conflict("resident"))
            elif person.move_out is None:
                work.claim(person_claim, parent_id, person.id_number, person.tenant_id,
                           version_conflict("tenant"))
            work.add(person, already_exists("person"))
        elif action == "update":
            person.updated_at = clock.now()
            if kind == "rentals" and person.move_out is not None:
                work.release(person_claim, parent_id, person.id_number, person.tenant_id)
            work.save(person, version_conflict("person"))
    for grid_code, deltas in unit.count_changes:
        work.count(grid_code, deltas)


def write_plan(plan: Plan, job: LedgerJobModel, caller, deadline: float) -> bool:
    """Write the plan's changes in transactions of whole units, each with the job's
    progress; False when the time ran out first."""
    import time

    pending = [unit for unit in plan.units if unit.changes()]
    while pending:
        if time.monotonic() > deadline:
            return False
        work = UnitOfWork(caller)
        batch: list[Unit] = [pending.pop(0)]
        while pending and _items(batch + pending[:1]) <= MAX_ITEMS:
            batch.append(pending.pop(0))
        for unit in batch:
            _write_unit(work, unit, job.kind)
        created = sum((u.action == "create") + sum(a == "create" for _, a in u.people)
                      for u in batch)
        updated = sum((u.action == "update") + sum(a == "update" for _, a in u.people)
                      for u in batch)
        # A batch written is a run that got on: the job's attempts count anew.
        work.update(job, [LedgerJobModel.created.add(created),
                          LedgerJobModel.updated.add(updated),
                          LedgerJobModel.processed.add(created + updated),
                          LedgerJobModel.attempts.set(0)])
        work.audit(action="import", record=f"import#{job.job_id}", scope_code=job.scope_code,
                   changes={_record_name(u.record, job.kind): u.action for u in batch})
        work.commit()
    return True


def _items(batch: list[Unit]) -> int:
    """The items a transaction of these units names: their records and claims, the
    grids new records are checked against, the counters, the audit entry and the job."""
    from chalicelib.store import counters

    grids = {u.record.grid_code for u in batch if u.action == "create"}
    changes = [(code, "ledger", deltas) for u in batch for code, deltas in u.count_changes]
    return sum(u.size() for u in batch) + len(grids) + len(counters.merge(changes)) + 2


def _record_name(record: Any, kind: str) -> str:
    return (f"household#{record.household_id}" if kind == "households"
            else f"rental#{record.rental_id}")


def check_and_plan(kind: str, parent_rows, child_rows, shape_problems, caller, scope: str
                   ) -> Plan:
    today: date = clock.today()
    if kind == "households":
        checked = ledger_sheets.check_households(parent_rows, child_rows, scope=scope,
                                                 key_groups=household_rules.key_groups(),
                                                 today=today)
        checked.problems[:0] = shape_problems
        return plan_households(checked, caller)
    checked = ledger_sheets.check_rentals(parent_rows, child_rows, scope=scope, today=today)
    checked.problems[:0] = shape_problems
    return plan_rentals(checked, caller)

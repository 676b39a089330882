"""Importing a ledger workbook: check every row, match it with what the ledger
holds (households and rentals by address, people by ID number), and write only
what is new or different, in transactions of whole households or rentals (a
very large one in parts). The rules and what a change writes are the forms'
(usecases/ledger_writes.py); the import only plans, batches and resumes.

The same file imported twice changes nothing the second time, and an import
cut short is carried on by planning again from the file: what was written is
now matched and unchanged. A dry run does all but the writing.
"""

import time
from dataclasses import dataclass, field
from datetime import date

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger, ledger_records, ledger_sheets, tokens
from chalicelib.domain.ledger_records import Household, Rental, Resident, Tenant
from chalicelib.domain.ledger_sheets import Checked, Problem
from chalicelib.errors import WanggeError
from chalicelib.store import households as household_store
from chalicelib.store import ledger_jobs as job_store
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.store.uniques import claim_key, owners_of
from chalicelib.store.unit_of_work import MAX_ITEMS, UnitOfWork
from chalicelib.usecases import households as household_rules
from chalicelib.usecases.ledger_writes import LedgerChange

JOB_ITEMS = 2  # what a batch writes besides its units: the job's progress, the batch's entry
# People per unit: at up to 3 items a person (record, claim, audit entry) a unit
# fits one transaction with its household or rental; a larger one goes in parts.
PEOPLE_PER_UNIT = 25


@dataclass
class Unit:
    """One household or rental of the file, with its people: written together."""

    record: str  # "household#<id>", as the batch's audit entry names it
    action: str  # create | update | none
    change: LedgerChange = field(default_factory=LedgerChange)
    people: list[str] = field(default_factory=list)  # each person's action
    follows: bool = False  # the next part of the unit before it: a transaction of its own

    def full(self) -> bool:
        return len(self.people) >= PEOPLE_PER_UNIT

    def next_part(self) -> "Unit":
        """The people to come go into a part of their own, written after this one."""
        self.change.seal()
        return Unit(self.record, "none", follows=True)

    def changes(self) -> int:
        return (self.action != "none") + sum(action != "none" for action in self.people)

    def count(self, action: str) -> int:
        parent = not self.follows and self.action == action  # a part counts its people only
        return parent + sum(a == action for a in self.people)


@dataclass
class Plan:
    records: int = 0
    units: list[Unit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(unit.count(action) for unit in self.units)


def _problem(sheet: ledger_sheets.Sheet, number: int, key: str, message: str) -> Problem:
    return Problem(sheet.title, number, sheet.letter(key), message)


def _set(record, values: dict) -> None:
    """The file's details, as the file has them (an empty cell clears one)."""
    for name, value in values.items():
        setattr(record, name, value)


# Households and residents

def _resident_values(row: dict) -> dict:
    return {"name": row["name"], "phone": row["phone"], "resident_type": row["resident_type"],
            "tags": tuple(sorted(row["tags"] or ())), "relation": row["relation"],
            "notes": row["notes"]}


def plan_households(checked: Checked, caller) -> Plan:
    plan = Plan(records=len(checked.parents) + len(checked.children),
                problems=list(checked.problems))
    now, today = clock.now(), clock.today()
    address_claims = {row.number: claim_key(ledger_records.HOUSEHOLD_ADDRESS,
                                            grid_codes.county_of(row.values["grid_code"]),
                                            ledger.normalize_address(
                                                row.values["address"]))
                      for row in checked.parents}
    id_claims = {row.number: claim_key(ledger_records.RESIDENT_ID_NUMBER, "all",
                                       row.values["id_number"]) for row in checked.children}
    owners = owners_of(list(address_claims.values()) + list(id_claims.values()))
    households = household_store.households_by_id(
        [owners[c] for c in address_claims.values() if c in owners])
    residents = household_store.residents_by_id(
        [owners[c] for c in id_claims.values() if c in owners])
    members_by_key: dict[str, list] = {}
    for row in checked.children:
        members_by_key.setdefault(row.values["household_key"], []).append(row)

    for row in checked.parents:
        values = row.values
        household = households.get(owners.get(address_claims[row.number], ""))
        head = {"head_name": values["head_name"], "notes": values["notes"]}
        if household is None:
            household = Household.new(tokens.new_id(), values["grid_code"], values["address"],
                                      now=now, moved_by=caller.user_id, **head)
            unit = Unit(f"household#{household.household_id}", "create")
            unit.change.household_created(household, [])
        elif household.grid_code != values["grid_code"]:
            plan.problems.append(_problem(ledger_sheets.HOUSEHOLDS, row.number, "address",
                                          f"该地址已登记在网格 {household.grid_code}，"
                                          "请先在系统中迁移该户"))
            continue
        else:
            before = household.footprint()
            _set(household, head)
            changed = household.footprint().fields != before.fields
            unit = Unit(f"household#{household.household_id}", "update" if changed else "none")
            if changed:
                unit.change.edited(household, before)
        joining = []
        for member in members_by_key.get(values["key"], []):
            if unit.full():
                unit.change.residents_joined(household, joining)
                plan.units.append(unit)
                unit, joining = unit.next_part(), []
            existing = residents.get(owners.get(id_claims[member.number], ""))
            if existing is not None and existing.household_id != household.household_id:
                plan.problems.append(_problem(ledger_sheets.RESIDENTS, member.number,
                                              "id_number",
                                              "此身份证号已登记在另一户，请先在系统中调整"))
                continue
            values_of = _resident_values(member.values)
            if existing is None:
                joining.append(Resident.new(
                    tokens.new_id(), id_number=member.values["id_number"], now=now,
                    today=today, key_groups=household_rules.key_groups(),
                    **{**values_of, "tags": list(values_of["tags"])}))
                unit.people.append("create")
                continue
            before = existing.footprint()
            _set(existing, values_of)
            changed = existing.footprint().fields != before.fields
            if changed:
                unit.change.edited(existing, before)
            unit.people.append("update" if changed else "none")
        unit.change.residents_joined(household, joining)
        plan.units.append(unit)
    return plan


# Rentals and tenants

def plan_rentals(checked: Checked, caller) -> Plan:
    plan = Plan(records=len(checked.parents) + len(checked.children),
                problems=list(checked.problems))
    now = clock.now()
    address_claims = {row.number: claim_key(ledger_records.RENTAL_ADDRESS,
                                            grid_codes.county_of(row.values["grid_code"]),
                                            ledger.normalize_address(
                                                row.values["address"]))
                      for row in checked.parents}
    owners = owners_of(list(address_claims.values()))
    rentals = rental_store.rentals_by_id(
        [owners[c] for c in address_claims.values() if c in owners])
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
        details = {"owner_name": values["owner_name"], "owner_phone": values["owner_phone"],
                   "responsible_worker_id": worker_id, "rooms": values["rooms"],
                   "notes": values["notes"]}
        rental = rentals.get(owners.get(address_claims[row.number], ""))
        if rental is None:
            rental = Rental.new(tokens.new_id(), values["grid_code"], values["address"],
                                now=now, **details)
            unit = Unit(f"rental#{rental.rental_id}", "create")
            unit.change.rental_created(rental)
            on_record: list[Tenant] = []
        elif rental.grid_code != values["grid_code"]:
            plan.problems.append(_problem(ledger_sheets.RENTALS, row.number, "address",
                                          f"该地址已登记在网格 {rental.grid_code}"))
            continue
        else:
            before = rental.footprint()
            _set(rental, details)
            changed = rental.footprint().fields != before.fields
            unit = Unit(f"rental#{rental.rental_id}", "update" if changed else "none")
            if changed:
                unit.change.edited(rental, before)
            on_record = rental_store.tenants_of(rental.rental_id)
        for tenant_row in tenants_by_key.get(values["key"], []):
            if unit.full():
                plan.units.append(unit)
                unit = unit.next_part()
            _plan_tenant(plan, unit, rental, tenant_row, on_record)
        plan.units.append(unit)
    return plan


def _plan_tenant(plan: Plan, unit: Unit, rental: Rental, row, on_record: list[Tenant]) -> None:
    values = row.values
    move_in: date = values["move_in"]
    details = {"name": values["name"], "phone": values["phone"],
               "move_out": values["move_out"] or None, "workplace": values["workplace"],
               "notes": values["notes"]}
    existing = next((t for t in on_record if t.is_stay(values["id_number"], move_in)), None)
    try:
        if existing is None:
            if details["move_out"] is None and any(
                    t.id_number == values["id_number"] and t.current for t in on_record):
                plan.problems.append(_problem(ledger_sheets.TENANTS, row.number, "id_number",
                                              "此人已是该房屋的在住租户（入住日期不同）"))
                return
            tenant = Tenant.new(tokens.new_id(), id_number=values["id_number"],
                                move_in=move_in, now=clock.now(), today=clock.today(),
                                **details)
            unit.change.tenant_moved_in(rental, tenant)
            unit.people.append("create")
            return
        before = existing.footprint()
        if existing.move_out is not None and details["move_out"] is None \
                and {k: getattr(existing, k) for k in details} != details:
            plan.problems.append(_problem(ledger_sheets.TENANTS, row.number, "move_out",
                                          "系统中此人已退租，不能清空退租日期"))
            return
        _set(existing, details)
        changed = existing.footprint().fields != before.fields
        if changed:
            unit.change.tenant_edited(existing, before, rental)
        unit.people.append("update" if changed else "none")
    except WanggeError as error:  # the ledger refuses the row (a closed rental …)
        plan.problems.append(_problem(ledger_sheets.TENANTS, row.number, "id_number",
                                      error.message))


# Writing a plan

def write_plan(plan: Plan, job, caller, deadline: float) -> bool:
    """Write the plan's changes in transactions of whole units, each with the job's
    progress; False when the time ran out first."""
    pending = [unit for unit in plan.units if unit.changes()]
    while pending:
        if time.monotonic() > deadline:
            return False
        work = UnitOfWork(caller)
        batch: list[Unit] = []
        while pending and not (batch and pending[0].follows):
            point = work.savepoint()
            pending[0].change.fill(work)
            if batch and work.size() + JOB_ITEMS > MAX_ITEMS:
                work.roll_back_to(point)  # it goes first into the next transaction
                break
            batch.append(pending.pop(0))
        created = sum(unit.count("create") for unit in batch)
        updated = sum(unit.count("update") for unit in batch)
        job_store.record_progress(work, job, created=created, updated=updated)
        work.audit(action="import", record=f"import#{job.job_id}", scope_code=job.scope_code,
                   changes={unit.record: unit.action for unit in batch})
        work.commit()
    return True


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

"""The household ledger (每户一账): households in micro-grids, their residents,
moves between grids with their history, and what each change does to the
grid's counters. Every change is one transaction with its audit entries."""

import re
import time
from datetime import date

from chalicelib import clock
from chalicelib.domain import grid_codes, id_numbers, ledger, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.personal_data import mask_id_number, mask_phone
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.schemas.ledgers import (
    MOBILE_OR_LANDLINE,
    GridStayOut,
    HouseholdCreate,
    HouseholdListQuery,
    HouseholdMove,
    HouseholdOut,
    HouseholdPage,
    HouseholdUpdate,
    LedgerSettings,
    ResidentIn,
    ResidentListQuery,
    ResidentOut,
    ResidentPage,
    ResidentUpdate,
)
from chalicelib.settings import settings
from chalicelib.store import households as household_store
from chalicelib.store import records
from chalicelib.store.households import GridStay, HouseholdModel, ResidentModel
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict
from chalicelib.usecases import audit

ADDRESS_CLAIM = "household_address"
ID_NUMBER_CLAIM = "resident_id_number"
PERSONAL = ("id_number", "phone")


def key_groups() -> tuple[str, ...]:
    return settings.key_groups or ledger.DEFAULT_KEY_GROUPS


def ledger_settings() -> LedgerSettings:
    return LedgerSettings(key_groups=list(key_groups()), resident_types=ledger.RESIDENT_TYPES)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def resident_view(resident: ResidentModel, *, reveal: bool = False) -> ResidentOut:
    birth = date.fromisoformat(resident.birth_date)
    return ResidentOut(
        resident_id=resident.resident_id, household_id=resident.household_id,
        grid_code=resident.grid_code, name=resident.name,
        id_number=resident.id_number if reveal else mask_id_number(resident.id_number),
        phone=resident.phone if reveal else mask_phone(resident.phone),
        sex=resident.sex, age=age_on(birth, clock.today()),
        birth_date=birth if reveal else None, resident_type=resident.resident_type,
        tags=sorted(resident.tags or []), relation=resident.relation, notes=resident.notes,
        updated_at=resident.updated_at, version=resident.version)


def household_view(household: HouseholdModel, members: list[ResidentModel] | None = None,
                   ) -> HouseholdOut:
    return HouseholdOut(
        household_id=household.household_id, grid_code=household.grid_code,
        address=household.address, head_name=household.head_name, notes=household.notes,
        member_count=household.member_count or 0,
        grid_history=[GridStayOut(grid_code=s.grid_code, since=s.since, until=s.until)
                      for s in household.grid_history or []],
        created_at=household.created_at, updated_at=household.updated_at,
        version=household.version,
        members=None if members is None else [resident_view(m) for m in members])


def facts(resident: ResidentModel | None) -> ledger.ResidentFacts | None:
    if resident is None:
        return None
    return ledger.ResidentFacts(resident.resident_type, tuple(sorted(resident.tags or ())))


def scope_of_household(household_id: str) -> str:
    return household_store.get_household(household_id).grid_code


def scope_of_resident(resident_id: str) -> str:
    return household_store.get_resident(resident_id).grid_code


def _id_taken(field: str):
    return lambda: Conflict("A resident with this ID number is in the ledger already",
                            code="id_number_taken",
                            details=[{"field": field, "message": "already registered"}])


def _address_taken(field: str = "address"):
    return lambda: Conflict("A household with this address is in the ledger already",
                            code="address_taken",
                            details=[{"field": field, "message": "already registered"}])


def set_address(household: HouseholdModel, address: str) -> str:
    normalized = ledger.normalize_address(address)
    household.address = address.strip()
    household.address_key = f"{normalized}#{household.household_id}"
    return normalized


def set_name(resident: ResidentModel, name: str) -> None:
    resident.name = name
    resident.name_key = f"{name}#{resident.resident_id}"


def set_id_number(resident: ResidentModel, raw: str, field: str) -> None:
    parsed = id_numbers.parse(raw, field, today=clock.today())
    resident.id_number = parsed.value
    resident.sex = parsed.sex
    resident.birth_date = parsed.birth_date.isoformat()


def build_resident(request: ResidentIn, household: HouseholdModel, field: str
                   ) -> ResidentModel:
    now = clock.now()
    resident = ResidentModel(resident_id=tokens.new_id(), household_id=household.household_id,
                             phone=request.phone or None, resident_type=request.resident_type,
                             tags=set(ledger.check_tags(request.tags, key_groups(),
                                                        f"{field}.tags")) or None,
                             relation=request.relation, notes=request.notes,
                             created_at=now, updated_at=now)
    set_name(resident, request.name)
    set_id_number(resident, request.id_number, f"{field}.id_number")
    records.place(resident, household.grid_code, resident.resident_id)
    return resident


def _resident_fields(resident: ResidentModel) -> dict:
    return {"name": resident.name, "id_number": resident.id_number, "phone": resident.phone,
            "resident_type": resident.resident_type, "tags": sorted(resident.tags or []),
            "relation": resident.relation, "notes": resident.notes}


def add_new_resident(work: UnitOfWork, resident: ResidentModel, field: str) -> None:
    """The writes of one new resident: the record, its ID-number claim, its counts."""
    work.claim(ID_NUMBER_CLAIM, "all", resident.id_number, resident.resident_id,
               _id_taken(field))
    work.add(resident, already_exists("resident"))
    work.count(resident.grid_code, ledger.resident_counts(facts(resident)))
    work.audit(action="create", record=f"resident#{resident.resident_id}",
               scope_code=resident.grid_code,
               changes=ledger.changed_fields({}, _resident_fields(resident), PERSONAL))


def create_household(caller: Caller, request: HouseholdCreate) -> HouseholdOut:
    grid_codes.depth_of(request.grid_code, "grid_code")
    now = clock.now()
    household = HouseholdModel(household_id=tokens.new_id(), head_name=request.head_name,
                               notes=request.notes, member_count=len(request.members),
                               grid_history=[GridStay(grid_code=request.grid_code, since=now,
                                                      moved_by=caller.user_id)],
                               created_at=now, updated_at=now)
    records.place(household, request.grid_code, household.household_id)
    normalized = set_address(household, request.address)
    members = [build_resident(member, household, f"members.{i}")
               for i, member in enumerate(request.members)]
    _refuse_repeated_id_numbers(members)
    work = UnitOfWork(caller)
    work.require_grid(request.grid_code)
    work.claim(ADDRESS_CLAIM, household.county, normalized, household.household_id,
               _address_taken())
    work.add(household, already_exists("household"))
    work.count(household.grid_code, {ledger.HOUSEHOLDS: 1})
    work.audit(action="create", record=f"household#{household.household_id}",
               scope_code=household.grid_code,
               changes={"address": {"from": None, "to": household.address}})
    for i, resident in enumerate(members):
        add_new_resident(work, resident, f"members.{i}.id_number")
    work.commit()
    return household_view(household, members)


def _refuse_repeated_id_numbers(members: list[ResidentModel]) -> None:
    seen: dict[str, int] = {}
    for i, member in enumerate(members):
        if member.id_number in seen:
            raise InvalidInput(f"members.{i}.id_number",
                               f"Same ID number as members.{seen[member.id_number]}",
                               code="id_number_repeated")
        seen[member.id_number] = i


def get_household(household_id: str) -> HouseholdOut:
    household = household_store.get_household(household_id)
    return household_view(household, household_store.members_of(household_id))


def list_households(caller: Caller, query: HouseholdListQuery) -> HouseholdPage:
    scope = query.grid or caller.scope_code
    if query.address:
        items, cursor = household_store.households_at(
            grid_codes.county_of(scope), ledger.normalize_address(query.address), scope,
            limit=query.limit, cursor=query.cursor)
    else:
        items, cursor = household_store.households_in(scope, limit=query.limit,
                                                      cursor=query.cursor)
    return HouseholdPage(items=[household_view(h) for h in items], next_cursor=cursor)


def _load_household(household_id: str, version: int) -> HouseholdModel:
    household = household_store.get_household(household_id)
    if household.version != version:
        raise version_conflict("household")()
    return household


def _members(household: HouseholdModel) -> list[ResidentModel]:
    """Every member, as the household's count says: the index behind the query
    can lag a member added a moment ago, and a move must not leave one behind."""
    for attempt in range(5):
        members = household_store.members_of(household.household_id)
        if len(members) == (household.member_count or 0):
            return members
        time.sleep(0.1 * (attempt + 1))
    raise Conflict("The household's members are being changed; retry", code="busy")


def update_household(caller: Caller, household_id: str, request: HouseholdUpdate
                     ) -> HouseholdOut:
    household = _load_household(household_id, request.version)
    before = {"address": household.address, "head_name": household.head_name,
              "notes": household.notes}
    work = UnitOfWork(caller)
    if request.address is not None and request.address.strip() != household.address:
        old = ledger.normalize_address(household.address)
        new = set_address(household, request.address)
        if new != old:
            work.release(ADDRESS_CLAIM, household.county, old, household_id)
            work.claim(ADDRESS_CLAIM, household.county, new, household_id, _address_taken())
    if request.head_name is not None:
        household.head_name = request.head_name or None
    if request.notes is not None:
        household.notes = request.notes or None
    household.updated_at = clock.now()
    work.save(household, version_conflict("household"))
    work.audit(action="update", record=f"household#{household_id}",
               scope_code=household.grid_code,
               changes=ledger.changed_fields(before, {"address": household.address,
                                                      "head_name": household.head_name,
                                                      "notes": household.notes}))
    work.commit()
    return household_view(household)


def move_household(caller: Caller, household_id: str, request: HouseholdMove) -> HouseholdOut:
    """The household and all its members move to another micro-grid; the stay in
    the old grid is closed in its history, never rewritten."""
    household = _load_household(household_id, request.version)
    target = request.grid_code
    grid_codes.depth_of(target, "grid_code")
    if target == household.grid_code:
        raise InvalidInput("grid_code", "The household lives in this grid already")
    if not caller.can_see(target):
        raise Forbidden("The new grid is outside your scope", code="out_of_scope")
    members = _members(household)
    old_grid = household.grid_code
    now = clock.now()
    history = list(household.grid_history or [])
    if history and history[-1].until is None:
        history[-1].until = now
    history.append(GridStay(grid_code=target, since=now, moved_by=caller.user_id))
    household.grid_history = history
    household.updated_at = now
    records.place(household, target, household_id)
    work = UnitOfWork(caller)
    work.require_grid(target)
    work.save(household, version_conflict("household"))
    moved_counts = {ledger.HOUSEHOLDS: 1}
    for member in members:
        records.place(member, target, member.resident_id)
        member.updated_at = now
        work.save(member, version_conflict("resident"))
        for name, amount in ledger.resident_counts(facts(member)).items():
            moved_counts[name] = moved_counts.get(name, 0) + amount
    work.count(old_grid, ledger.negate(moved_counts))
    work.count(target, moved_counts)
    work.audit(action="move", record=f"household#{household_id}", scope_code=target,
               changes={"grid_code": {"from": old_grid, "to": target}})
    work.commit()
    return household_view(household, members)


def delete_household(caller: Caller, household_id: str, version: int) -> None:
    """Remove a household and its members from the ledger (the audit log keeps that
    they were there)."""
    household = _load_household(household_id, version)
    members = _members(household)
    work = UnitOfWork(caller)
    work.delete(household, version_conflict("household"))
    work.release(ADDRESS_CLAIM, household.county, ledger.normalize_address(household.address),
                 household_id)
    removed = {ledger.HOUSEHOLDS: -1}
    for member in members:
        _remove_resident(work, member)
    work.count(household.grid_code, removed)
    work.audit(action="delete", record=f"household#{household_id}",
               scope_code=household.grid_code,
               changes={"address": {"from": household.address, "to": None}})
    work.commit()


def _remove_resident(work: UnitOfWork, resident: ResidentModel) -> None:
    work.delete(resident, version_conflict("resident"))
    work.release(ID_NUMBER_CLAIM, "all", resident.id_number, resident.resident_id)
    work.count(resident.grid_code, ledger.negate(ledger.resident_counts(facts(resident))))
    work.audit(action="delete", record=f"resident#{resident.resident_id}",
               scope_code=resident.grid_code,
               changes=ledger.changed_fields(_resident_fields(resident), {}, PERSONAL))


def add_resident(caller: Caller, household_id: str, request: ResidentIn) -> ResidentOut:
    household = household_store.get_household(household_id)
    resident = build_resident(request, household, "body")
    household.member_count = (household.member_count or 0) + 1
    household.updated_at = clock.now()
    work = UnitOfWork(caller)
    work.require_grid(household.grid_code)
    work.save(household, version_conflict("household"))
    add_new_resident(work, resident, "id_number")
    work.commit()
    return resident_view(resident)


def get_resident(caller: Caller, resident_id: str, *, reveal: bool) -> ResidentOut:
    resident = household_store.get_resident(resident_id)
    if reveal:
        audit.reveal(caller, what=f"resident#{resident_id}", scope_code=resident.grid_code,
                     fields="id_number,phone")
    return resident_view(resident, reveal=reveal)


def update_resident(caller: Caller, resident_id: str, request: ResidentUpdate) -> ResidentOut:
    resident = household_store.get_resident(resident_id)
    if resident.version != request.version:
        raise version_conflict("resident")()
    before, before_facts = _resident_fields(resident), facts(resident)
    work = UnitOfWork(caller)
    if request.name is not None:
        set_name(resident, request.name)
    if request.id_number is not None and request.id_number.upper() != resident.id_number:
        old = resident.id_number
        set_id_number(resident, request.id_number, "id_number")
        work.release(ID_NUMBER_CLAIM, "all", old, resident_id)
        work.claim(ID_NUMBER_CLAIM, "all", resident.id_number, resident_id,
                   _id_taken("id_number"))
    if request.phone is not None:
        if request.phone and not re.match(MOBILE_OR_LANDLINE, request.phone):
            raise InvalidInput("phone", "A mobile (11 digits) or landline number")
        resident.phone = request.phone or None
    if request.resident_type is not None:
        resident.resident_type = request.resident_type
    if request.tags is not None:
        resident.tags = set(ledger.check_tags(request.tags, key_groups())) or None
    for name in ("relation", "notes"):
        value = getattr(request, name)
        if value is not None:
            setattr(resident, name, value or None)
    resident.updated_at = clock.now()
    work.save(resident, version_conflict("resident"))
    work.count(resident.grid_code, ledger.difference(ledger.resident_counts(facts(resident)),
                                                     ledger.resident_counts(before_facts)))
    work.audit(action="update", record=f"resident#{resident_id}", scope_code=resident.grid_code,
               changes=ledger.changed_fields(before, _resident_fields(resident), PERSONAL))
    work.commit()
    return resident_view(resident)


def delete_resident(caller: Caller, resident_id: str, version: int) -> None:
    resident = household_store.get_resident(resident_id)
    if resident.version != version:
        raise version_conflict("resident")()
    household = household_store.get_household(resident.household_id)
    household.member_count = max(0, (household.member_count or 0) - 1)
    household.updated_at = clock.now()
    work = UnitOfWork(caller)
    work.save(household, version_conflict("household"))
    _remove_resident(work, resident)
    work.commit()


def list_residents(caller: Caller, query: ResidentListQuery) -> ResidentPage:
    scope = query.grid or caller.scope_code
    condition = None
    if query.resident_type is not None:
        condition = ResidentModel.resident_type == query.resident_type
    if query.tag is not None:
        has_tag = ResidentModel.tags.contains(query.tag)
        condition = has_tag if condition is None else condition & has_tag
    if query.id_number or query.phone:
        index, value = ("id_number", query.id_number.upper()) if query.id_number \
            else ("phone", query.phone)
        found = household_store.residents_with(index, value, scope)
        return ResidentPage(items=[resident_view(r) for r in found], next_cursor=None)
    if query.household_id:
        household = household_store.get_household(query.household_id)
        if not household.grid_code.startswith(scope):
            raise Forbidden("Outside your grid scope", code="out_of_scope")
        return ResidentPage(items=[resident_view(r) for r in
                                   household_store.members_of(query.household_id)],
                            next_cursor=None)
    if query.name:
        items, cursor = household_store.residents_named(
            grid_codes.county_of(scope), query.name, scope, limit=query.limit,
            cursor=query.cursor, filter_condition=condition)
    else:
        items, cursor = household_store.residents_in(scope, limit=query.limit,
                                                     cursor=query.cursor,
                                                     filter_condition=condition)
    return ResidentPage(items=[resident_view(r) for r in items], next_cursor=cursor)

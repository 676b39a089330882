"""The household ledger (每户一账): households in micro-grids, their residents,
moves between grids with their history, and what each change does to the
grid's counters. Every change is one transaction with its audit entries."""

import re
import time

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.ledger_records import Household, Resident, check_version
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.schemas.ledgers import (
    MOBILE_OR_LANDLINE,
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
from chalicelib.store.unit_of_work import UnitOfWork
from chalicelib.usecases import audit
from chalicelib.usecases.ledger_views import household_view, resident_view
from chalicelib.usecases.ledger_writes import LedgerChange


def key_groups() -> tuple[str, ...]:
    return settings.key_groups or ledger.DEFAULT_KEY_GROUPS


def ledger_settings() -> LedgerSettings:
    return LedgerSettings(key_groups=list(key_groups()), resident_types=ledger.RESIDENT_TYPES)


def scope_of_household(household_id: str) -> str:
    return household_store.get_household(household_id).grid_code


def scope_of_resident(resident_id: str) -> str:
    return household_store.get_resident(resident_id).grid_code


def _resident(request: ResidentIn, field: str) -> Resident:
    return Resident.new(tokens.new_id(), name=request.name, id_number=request.id_number,
                        resident_type=request.resident_type, phone=request.phone,
                        tags=request.tags, relation=request.relation, notes=request.notes,
                        now=clock.now(), today=clock.today(), key_groups=key_groups(),
                        field=field)


def create_household(caller: Caller, request: HouseholdCreate) -> HouseholdOut:
    grid_codes.depth_of(request.grid_code, "grid_code")
    household = Household.new(tokens.new_id(), request.grid_code, request.address,
                              now=clock.now(), moved_by=caller.user_id,
                              head_name=request.head_name, notes=request.notes)
    members = [_resident(member, f"members.{i}") for i, member in enumerate(request.members)]
    change = LedgerChange()
    change.household_created(household, members)
    change.write(UnitOfWork(caller))
    return household_view(household, members)


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


def _load_household(household_id: str, version: int) -> Household:
    household = household_store.get_household(household_id)
    check_version(household, version, "household")
    return household


def _members(household: Household) -> list[Resident]:
    """Every member, as the household's count says: the index behind the query
    can lag a member added a moment ago, and a move must not leave one behind."""
    for attempt in range(5):
        members = household_store.members_of(household.household_id)
        if len(members) == household.member_count:
            return members
        time.sleep(0.1 * (attempt + 1))
    raise Conflict("The household's members are being changed; retry", code="busy")


def update_household(caller: Caller, household_id: str, request: HouseholdUpdate
                     ) -> HouseholdOut:
    household = _load_household(household_id, request.version)
    before = household.footprint()
    household.edit(address=request.address, head_name=request.head_name, notes=request.notes)
    change = LedgerChange()
    change.edited(household, before)
    change.write(UnitOfWork(caller))
    return household_view(household)


def move_household(caller: Caller, household_id: str, request: HouseholdMove) -> HouseholdOut:
    """The household and all its members move to another micro-grid; the stay in
    the old grid is closed in its history, never rewritten."""
    household = _load_household(household_id, request.version)
    grid_codes.depth_of(request.grid_code, "grid_code")
    household.check_move(request.grid_code)
    if not caller.can_see(request.grid_code):
        raise Forbidden("The new grid is outside your scope", code="out_of_scope")
    members = _members(household)
    change = LedgerChange()
    change.household_moved(household, members, request.grid_code, now=clock.now(),
                           moved_by=caller.user_id)
    change.write(UnitOfWork(caller))
    return household_view(household, members)


def delete_household(caller: Caller, household_id: str, version: int) -> None:
    """Remove a household and its members from the ledger (the audit log keeps that
    they were there)."""
    household = _load_household(household_id, version)
    change = LedgerChange()
    change.household_deleted(household, _members(household))
    change.write(UnitOfWork(caller))


def add_resident(caller: Caller, household_id: str, request: ResidentIn) -> ResidentOut:
    household = household_store.get_household(household_id)
    resident = _resident(request, "body")
    change = LedgerChange()
    change.residents_joined(household, [resident])
    change.write(UnitOfWork(caller))
    return resident_view(resident)


def get_resident(caller: Caller, resident_id: str, *, reveal: bool) -> ResidentOut:
    resident = household_store.get_resident(resident_id)
    if reveal:
        audit.reveal(caller, what=f"resident#{resident_id}", scope_code=resident.grid_code,
                     fields="id_number,phone")
    return resident_view(resident, reveal=reveal)


def update_resident(caller: Caller, resident_id: str, request: ResidentUpdate) -> ResidentOut:
    resident = household_store.get_resident(resident_id)
    check_version(resident, request.version, "resident")
    if request.phone and not re.match(MOBILE_OR_LANDLINE, request.phone):
        raise InvalidInput("phone", "A mobile (11 digits) or landline number")
    before = resident.footprint()
    resident.edit(today=clock.today(), key_groups=key_groups(), name=request.name,
                  id_number=request.id_number, phone=request.phone,
                  resident_type=request.resident_type, tags=request.tags,
                  relation=request.relation, notes=request.notes)
    change = LedgerChange()
    change.edited(resident, before)
    change.write(UnitOfWork(caller))
    return resident_view(resident)


def delete_resident(caller: Caller, resident_id: str, version: int) -> None:
    resident = household_store.get_resident(resident_id)
    check_version(resident, version, "resident")
    household = household_store.get_household(resident.household_id)
    change = LedgerChange()
    change.resident_left(household, resident)
    change.write(UnitOfWork(caller))


def list_residents(caller: Caller, query: ResidentListQuery) -> ResidentPage:
    scope = query.grid or caller.scope_code
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
            cursor=query.cursor, resident_type=query.resident_type, tag=query.tag)
    else:
        items, cursor = household_store.residents_in(
            scope, limit=query.limit, cursor=query.cursor, resident_type=query.resident_type,
            tag=query.tag)
    return ResidentPage(items=[resident_view(r) for r in items], next_cursor=cursor)

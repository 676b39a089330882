"""The household ledger (每户一账): households and their residents.

Access patterns (docs/access-patterns.md):
- a household / a resident by id: GetItem
- the households or residents of a subtree: by_grid, county = :code[:6] and
  grid_key begins_with :code
- households by address: households/by_address, county = :county and
  address_key begins_with :normalized_address
- the residents of a household: residents/by_household, household_id = :id
- residents by ID number / phone: residents/by_id_number, by_phone (exact)
- residents by name: residents/by_name, county = :county and name_key begins_with :name
- who holds an ID number or address: uniques (store/uniques.py)

The records are the domain's `Household` and `Resident`
(domain/ledger_records.py); this module maps them to and from their items and
sets every key the indexes are keyed on.
"""

from datetime import date

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import ledger_records
from chalicelib.domain.ledger_records import Household, Resident
from chalicelib.errors import NotFound
from chalicelib.store import records
from chalicelib.store.base import index_meta, table_meta
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict


class GridStay(MapAttribute):
    """A spell of the household in one grid: its move history."""

    grid_code = UnicodeAttribute()
    since = UTCDateTimeAttribute()
    until = UTCDateTimeAttribute(null=True)
    moved_by = UnicodeAttribute(null=True)


class ByAddress(GlobalSecondaryIndex):
    Meta = index_meta("by_address")
    county = UnicodeAttribute(hash_key=True)
    address_key = UnicodeAttribute(range_key=True)  # "<normalized address>#<id>"


class HouseholdModel(Model):
    Meta = table_meta("households")

    household_id = UnicodeAttribute(hash_key=True)
    grid_code = UnicodeAttribute()
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    address = UnicodeAttribute()
    address_key = UnicodeAttribute()
    head_name = UnicodeAttribute(null=True)  # 户主
    notes = UnicodeAttribute(null=True)
    member_count = NumberAttribute(default=0)
    grid_history = ListAttribute(of=GridStay, default=list)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_grid = records.ByGrid()
    by_address = ByAddress()


class ByHousehold(GlobalSecondaryIndex):
    Meta = index_meta("by_household")
    household_id = UnicodeAttribute(hash_key=True)
    resident_id = UnicodeAttribute(range_key=True)


class ByIdNumber(GlobalSecondaryIndex):
    Meta = index_meta("by_id_number")
    id_number = UnicodeAttribute(hash_key=True)


class ByPhone(GlobalSecondaryIndex):
    Meta = index_meta("by_phone")
    phone = UnicodeAttribute(hash_key=True)


class ByName(GlobalSecondaryIndex):
    Meta = index_meta("by_name")
    county = UnicodeAttribute(hash_key=True)
    name_key = UnicodeAttribute(range_key=True)  # "<name>#<id>"


class ResidentModel(Model):
    Meta = table_meta("residents")

    resident_id = UnicodeAttribute(hash_key=True)
    household_id = UnicodeAttribute()
    grid_code = UnicodeAttribute()
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    name = UnicodeAttribute()
    name_key = UnicodeAttribute()
    id_number = UnicodeAttribute()
    sex = UnicodeAttribute()
    birth_date = UnicodeAttribute()  # YYYY-MM-DD, from the ID number
    phone = UnicodeAttribute(null=True)
    resident_type = UnicodeAttribute()  # domain.ledger.RESIDENT_TYPES
    tags = UnicodeSetAttribute(null=True)  # key groups (重点人群)
    relation = UnicodeAttribute(null=True)  # 与户主关系
    notes = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_grid = records.ByGrid()
    by_household = ByHousehold()
    by_id_number = ByIdNumber()
    by_phone = ByPhone()
    by_name = ByName()


records.register_mover("households", HouseholdModel, "household_id")
records.register_mover("residents", ResidentModel, "resident_id")


def to_domain(item: HouseholdModel | ResidentModel) -> Household | Resident:
    if isinstance(item, HouseholdModel):
        return Household(
            household_id=item.household_id, grid_code=item.grid_code, address=item.address,
            head_name=item.head_name, notes=item.notes, member_count=item.member_count or 0,
            grid_history=[ledger_records.GridStay(grid_code=s.grid_code, since=s.since,
                                                  until=s.until, moved_by=s.moved_by)
                          for s in item.grid_history or []],
            created_at=item.created_at, updated_at=item.updated_at, version=item.version)
    return Resident(
        resident_id=item.resident_id, household_id=item.household_id, grid_code=item.grid_code,
        name=item.name, id_number=item.id_number, sex=item.sex,
        birth_date=date.fromisoformat(item.birth_date), phone=item.phone,
        resident_type=item.resident_type, tags=tuple(sorted(item.tags or ())),
        relation=item.relation, notes=item.notes, created_at=item.created_at,
        updated_at=item.updated_at, version=item.version)


def to_item(record: Household | Resident) -> HouseholdModel | ResidentModel:
    if isinstance(record, Household):
        item = HouseholdModel(
            household_id=record.household_id, address=record.address,
            address_key=f"{record.normalized_address}#{record.household_id}",
            head_name=record.head_name, notes=record.notes, member_count=record.member_count,
            grid_history=[GridStay(grid_code=s.grid_code, since=s.since, until=s.until,
                                   moved_by=s.moved_by) for s in record.grid_history],
            created_at=record.created_at, updated_at=record.updated_at)
        if record.version is not None:  # a new record is given version 1 when written
            item.version = record.version
        records.place(item, record.grid_code, record.household_id)
        return item
    item = ResidentModel(
        resident_id=record.resident_id, household_id=record.household_id, name=record.name,
        name_key=f"{record.name}#{record.resident_id}", id_number=record.id_number,
        sex=record.sex, birth_date=record.birth_date.isoformat(), phone=record.phone,
        resident_type=record.resident_type, tags=set(record.tags) or None,
        relation=record.relation, notes=record.notes, created_at=record.created_at,
        updated_at=record.updated_at)
    if record.version is not None:
        item.version = record.version
    records.place(item, record.grid_code, record.resident_id)
    return item



def _what(record: Household | Resident) -> str:
    return "household" if isinstance(record, Household) else "resident"


def add(work: UnitOfWork, record: Household | Resident) -> None:
    """A new household or resident, in `work` (fails when its id is taken)."""
    item = to_item(record)
    work.add(item, already_exists(_what(record)))
    work.keep_version(record, item)


def save(work: UnitOfWork, record: Household | Resident) -> None:
    """A household or resident read earlier, written back in `work` (fails when
    someone changed it meanwhile)."""
    item = to_item(record)
    work.save(item, version_conflict(_what(record)))
    work.keep_version(record, item)


def delete(work: UnitOfWork, record: Household | Resident) -> None:
    work.delete(to_item(record), version_conflict(_what(record)))


def get_household(household_id: str) -> Household:
    try:
        return to_domain(HouseholdModel.get(household_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound(f"Household {household_id} does not exist") from None


def get_resident(resident_id: str) -> Resident:
    try:
        return to_domain(ResidentModel.get(resident_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound(f"Resident {resident_id} does not exist") from None


def households_by_id(household_ids: list[str]) -> dict[str, Household]:
    return {h.household_id: h for h in map(to_domain, records.batch_get(HouseholdModel,
                                                                        household_ids))}


def residents_by_id(resident_ids: list[str]) -> dict[str, Resident]:
    return {r.resident_id: r for r in map(to_domain, records.batch_get(ResidentModel,
                                                                      resident_ids))}


def members_of(household_id: str) -> list[Resident]:
    return [to_domain(item) for item in ResidentModel.by_household.query(household_id)]


def households_in(grid_code: str, *, limit: int, cursor: str | None
                  ) -> tuple[list[Household], str | None]:
    return _mapped(records.in_subtree(HouseholdModel, grid_code, limit=limit, cursor=cursor))


def all_households_in(grid_code: str) -> list[Household]:
    return [to_domain(item) for item in records.all_in_subtree(HouseholdModel, grid_code)]


def households_at(county: str, address_prefix: str, scope: str, *, limit: int,
                  cursor: str | None) -> tuple[list[Household], str | None]:
    return _mapped(records.beginning_with(
        HouseholdModel.by_address, county, HouseholdModel.address_key, address_prefix,
        HouseholdModel, scope, limit=limit, cursor=cursor))


def _kept(resident_type: str | None, tag: str | None):
    """The filter for residents of a type or a key group (None: all)."""
    condition = None
    if resident_type is not None:
        condition = ResidentModel.resident_type == resident_type
    if tag is not None:
        has_tag = ResidentModel.tags.contains(tag)
        condition = has_tag if condition is None else condition & has_tag
    return condition


def residents_in(grid_code: str, *, limit: int, cursor: str | None,
                 resident_type: str | None = None, tag: str | None = None
                 ) -> tuple[list[Resident], str | None]:
    return _mapped(records.in_subtree(ResidentModel, grid_code, limit=limit, cursor=cursor,
                                      filter_condition=_kept(resident_type, tag)))


def all_residents_in(grid_code: str) -> list[Resident]:
    return [to_domain(item) for item in records.all_in_subtree(ResidentModel, grid_code)]


def residents_named(county: str, name_prefix: str, scope: str, *, limit: int,
                    cursor: str | None, resident_type: str | None = None,
                    tag: str | None = None) -> tuple[list[Resident], str | None]:
    return _mapped(records.beginning_with(
        ResidentModel.by_name, county, ResidentModel.name_key, name_prefix, ResidentModel,
        scope, limit=limit, cursor=cursor, filter_condition=_kept(resident_type, tag)))


def residents_with(index: str, value: str, scope: str) -> list[Resident]:
    """Residents with this ID number or phone (exact), within a scope."""
    return [to_domain(item) for item in records.matching(
        {"id_number": ResidentModel.by_id_number, "phone": ResidentModel.by_phone}[index],
        value, ResidentModel, scope)]


def _mapped(page: tuple[list, str | None]) -> tuple[list, str | None]:
    items, cursor = page
    return [to_domain(item) for item in items], cursor

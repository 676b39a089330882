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
"""

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

from chalicelib.errors import NotFound
from chalicelib.store import records
from chalicelib.store.base import index_meta, table_meta


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


def get_household(household_id: str) -> HouseholdModel:
    try:
        return HouseholdModel.get(household_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Household {household_id} does not exist") from None


def get_resident(resident_id: str) -> ResidentModel:
    try:
        return ResidentModel.get(resident_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Resident {resident_id} does not exist") from None


def members_of(household_id: str) -> list[ResidentModel]:
    return list(ResidentModel.by_household.query(household_id))


def households_in(grid_code: str, *, limit: int, cursor: str | None
                  ) -> tuple[list[HouseholdModel], str | None]:
    return records.in_subtree(HouseholdModel, grid_code, limit=limit, cursor=cursor)


def households_at(county: str, address_prefix: str, scope: str, *, limit: int,
                  cursor: str | None) -> tuple[list[HouseholdModel], str | None]:
    return records.beginning_with(HouseholdModel.by_address, county, HouseholdModel.address_key,
                                  address_prefix, HouseholdModel, scope, limit=limit,
                                  cursor=cursor)


def residents_in(grid_code: str, *, limit: int, cursor: str | None, filter_condition=None
                 ) -> tuple[list[ResidentModel], str | None]:
    return records.in_subtree(ResidentModel, grid_code, limit=limit, cursor=cursor,
                              filter_condition=filter_condition)


def residents_named(county: str, name_prefix: str, scope: str, *, limit: int,
                    cursor: str | None, filter_condition=None
                    ) -> tuple[list[ResidentModel], str | None]:
    return records.beginning_with(ResidentModel.by_name, county, ResidentModel.name_key,
                                  name_prefix, ResidentModel, scope, limit=limit, cursor=cursor,
                                  filter_condition=filter_condition)


def residents_with(index: str, value: str, scope: str) -> list[ResidentModel]:
    """Residents with this ID number or phone (exact), within a scope."""
    return records.matching({"id_number": ResidentModel.by_id_number,
                             "phone": ResidentModel.by_phone}[index], value, ResidentModel, scope)

"""Households, residents, rentals and tenants: requests and answers."""

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from chalicelib.schemas.base import Body, Day, GridCode, MultilineText, Query, RecordId, Schema
from chalicelib.schemas.common import PageQuery

ResidentType = Literal["registered", "floating"]
MOBILE_OR_LANDLINE = r"^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8})$"
ID_NUMBER = Field(min_length=18, max_length=18, description="18-character ID-card number")


class ResidentIn(Body):
    name: str = Field(min_length=1, max_length=30)
    id_number: str = ID_NUMBER
    phone: str | None = Field(None, pattern=MOBILE_OR_LANDLINE)
    resident_type: ResidentType = "registered"
    tags: list[str] = Field(default_factory=list, max_length=12,
                            description="Key groups (重点人群), from GET /ledger-settings")
    relation: str | None = Field(None, max_length=20, description="与户主关系, e.g. 户主, 配偶")
    notes: MultilineText | None = Field(None, max_length=1000)


class ResidentUpdate(Body):
    version: int
    name: str | None = Field(None, min_length=1, max_length=30)
    id_number: str | None = Field(None, min_length=18, max_length=18)
    phone: str | None = Field(None, description="Empty string removes it")
    resident_type: ResidentType | None = None
    tags: list[str] | None = Field(None, max_length=12)
    relation: str | None = Field(None, max_length=20)
    notes: MultilineText | None = Field(None, max_length=1000)


class ResidentOut(Schema):
    resident_id: str
    household_id: str
    grid_code: str
    name: str
    id_number: str = Field(description="Masked unless ?reveal=true")
    phone: str | None = Field(description="Masked unless ?reveal=true")
    sex: Literal["male", "female"]
    age: int
    birth_date: date | None = Field(description="Only when revealed")
    resident_type: ResidentType
    tags: list[str]
    relation: str | None
    notes: str | None
    updated_at: datetime
    version: int


class ResidentPage(Schema):
    items: list[ResidentOut]
    next_cursor: str | None


class ResidentListQuery(PageQuery):
    grid: GridCode | None = Field(None, description="Subtree; one's scope when omitted")
    name: str | None = Field(None, max_length=30, description="Name, or its beginning")
    phone: str | None = Field(None, max_length=20)
    id_number: str | None = Field(None, max_length=18)
    household_id: RecordId | None = None
    resident_type: ResidentType | None = None
    tag: str | None = Field(None, description="A key group")


class HouseholdCreate(Body):
    grid_code: GridCode = Field(description="A micro-grid")
    address: str = Field(min_length=2, max_length=120)
    head_name: str | None = Field(None, max_length=30)
    notes: MultilineText | None = Field(None, max_length=1000)
    members: list[ResidentIn] = Field(default_factory=list, max_length=30)


class HouseholdUpdate(Body):
    version: int
    address: str | None = Field(None, min_length=2, max_length=120)
    head_name: str | None = Field(None, max_length=30)
    notes: MultilineText | None = Field(None, max_length=1000)


class HouseholdMove(Body):
    version: int
    grid_code: GridCode = Field(description="The micro-grid the household moves to")


class GridStayOut(Schema):
    grid_code: str
    since: datetime
    until: datetime | None


class HouseholdOut(Schema):
    household_id: str
    grid_code: str
    address: str
    head_name: str | None
    notes: str | None
    member_count: int
    grid_history: list[GridStayOut]
    created_at: datetime
    updated_at: datetime
    version: int
    members: list[ResidentOut] | None = Field(None, description="On the detail page only")


class HouseholdPage(Schema):
    items: list[HouseholdOut]
    next_cursor: str | None


class HouseholdListQuery(PageQuery):
    grid: GridCode | None = Field(None, description="Subtree; one's scope when omitted")
    address: str | None = Field(None, max_length=120, description="Address, or its beginning")


class VersionQuery(Query):
    version: int


class RentalCreate(Body):
    grid_code: GridCode = Field(description="A micro-grid")
    address: str = Field(min_length=2, max_length=120)
    owner_name: str = Field(min_length=1, max_length=30)
    owner_phone: str | None = Field(None, pattern=MOBILE_OR_LANDLINE)
    owner_household_id: RecordId | None = None
    responsible_worker_id: RecordId | None = None
    rooms: int | None = Field(None, ge=1, le=500)
    notes: MultilineText | None = Field(None, max_length=1000)


class RentalUpdate(Body):
    version: int
    address: str | None = Field(None, min_length=2, max_length=120)
    owner_name: str | None = Field(None, min_length=1, max_length=30)
    owner_phone: str | None = None
    responsible_worker_id: RecordId | Literal[""] | None = Field(
        None, description="Empty string removes it")
    rooms: int | None = Field(None, ge=1, le=500)
    notes: MultilineText | None = Field(None, max_length=1000)
    closed: bool | None = Field(None, description="停租: no longer let (needs no tenant now)")


class RentalOut(Schema):
    rental_id: str
    grid_code: str
    address: str
    owner_name: str
    owner_phone: str | None = Field(description="Masked unless ?reveal=true")
    owner_household_id: str | None
    responsible_worker_id: str | None
    rooms: int | None
    notes: str | None
    tenant_count: int = Field(description="Tenants living there now")
    closed: bool
    created_at: datetime
    updated_at: datetime
    version: int


class RentalPage(Schema):
    items: list[RentalOut]
    next_cursor: str | None


class RentalListQuery(PageQuery):
    grid: GridCode | None = Field(None, description="Subtree; one's scope when omitted")
    address: str | None = Field(None, max_length=120)
    responsible_worker_id: RecordId | None = None


class TenantIn(Body):
    name: str = Field(min_length=1, max_length=30)
    id_number: str = ID_NUMBER
    phone: str | None = Field(None, pattern=MOBILE_OR_LANDLINE)
    move_in: Day
    move_out: Day | None = None
    workplace: str | None = Field(None, max_length=60)
    notes: MultilineText | None = Field(None, max_length=500)


class TenantUpdate(Body):
    version: int
    name: str | None = Field(None, min_length=1, max_length=30)
    phone: str | None = None
    move_in: Day | None = None
    move_out: Day | None = Field(None, description="The day the tenant left")
    workplace: str | None = Field(None, max_length=60)
    notes: MultilineText | None = Field(None, max_length=500)


class TenantOut(Schema):
    tenant_id: str
    rental_id: str
    grid_code: str
    name: str
    id_number: str = Field(description="Masked unless ?reveal=true")
    phone: str | None = Field(description="Masked unless ?reveal=true")
    sex: Literal["male", "female"]
    age: int
    move_in: date
    move_out: date | None
    current: bool
    workplace: str | None
    notes: str | None
    version: int


class TenantPage(Schema):
    items: list[TenantOut]
    next_cursor: str | None


class TenantListQuery(PageQuery):
    current: bool = Field(False, description="Only tenants living there now")


class SearchQuery(Query):
    q: str = Field(min_length=1, max_length=60,
                   description="A name, phone, ID number or address (or their beginning)")
    grid: GridCode | None = Field(None, description="Subtree; one's scope when omitted")


class SearchResults(Schema):
    matched_by: Literal["id_number", "phone", "name_or_address"]
    residents: list[ResidentOut]
    households: list[HouseholdOut]
    rentals: list[RentalOut]
    tenants: list[TenantOut]
    more: list[Literal["residents", "households", "rentals"]] = Field(
        default_factory=list,
        description="Kinds with more matches than shown: their lists (GET /residents?name=, "
                    "/households?address=, /rentals?address=) page on through them")


class LedgerSettings(Schema):
    key_groups: list[str]
    resident_types: dict[str, str]

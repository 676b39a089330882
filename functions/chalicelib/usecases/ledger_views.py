"""What the household and rental ledgers show: the answers built from the
ledger's records, personal data masked unless revealed (the reveal itself is
audited by the use case that asks for it)."""

from datetime import date

from chalicelib import clock
from chalicelib.domain.ledger_records import Household, Rental, Resident, Tenant
from chalicelib.domain.personal_data import mask_id_number, mask_phone
from chalicelib.schemas.ledgers import (
    GridStayOut,
    HouseholdOut,
    RentalOut,
    ResidentOut,
    TenantOut,
)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def resident_view(resident: Resident, *, reveal: bool = False) -> ResidentOut:
    birth = resident.birth_date
    return ResidentOut(
        resident_id=resident.resident_id, household_id=resident.household_id,
        grid_code=resident.grid_code, name=resident.name,
        id_number=resident.id_number if reveal else mask_id_number(resident.id_number),
        phone=resident.phone if reveal else mask_phone(resident.phone),
        sex=resident.sex, age=age_on(birth, clock.today()),
        birth_date=birth if reveal else None, resident_type=resident.resident_type,
        tags=list(resident.tags), relation=resident.relation, notes=resident.notes,
        updated_at=resident.updated_at, version=resident.version)


def household_view(household: Household, members: list[Resident] | None = None,
                   ) -> HouseholdOut:
    return HouseholdOut(
        household_id=household.household_id, grid_code=household.grid_code,
        address=household.address, head_name=household.head_name, notes=household.notes,
        member_count=household.member_count,
        grid_history=[GridStayOut(grid_code=s.grid_code, since=s.since, until=s.until)
                      for s in household.grid_history],
        created_at=household.created_at, updated_at=household.updated_at,
        version=household.version,
        members=None if members is None else [resident_view(m) for m in members])


def rental_view(rental: Rental, *, reveal: bool = False) -> RentalOut:
    return RentalOut(
        rental_id=rental.rental_id, grid_code=rental.grid_code, address=rental.address,
        owner_name=rental.owner_name,
        owner_phone=rental.owner_phone if reveal else mask_phone(rental.owner_phone),
        owner_household_id=rental.owner_household_id,
        responsible_worker_id=rental.responsible_worker_id, rooms=rental.rooms,
        notes=rental.notes, tenant_count=rental.tenant_count, closed=rental.closed,
        created_at=rental.created_at, updated_at=rental.updated_at, version=rental.version)


def tenant_view(tenant: Tenant, *, reveal: bool = False) -> TenantOut:
    return TenantOut(
        tenant_id=tenant.tenant_id, rental_id=tenant.rental_id, grid_code=tenant.grid_code,
        name=tenant.name,
        id_number=tenant.id_number if reveal else mask_id_number(tenant.id_number),
        phone=tenant.phone if reveal else mask_phone(tenant.phone), sex=tenant.sex,
        age=age_on(tenant.birth_date, clock.today()), move_in=tenant.move_in,
        move_out=tenant.move_out, current=tenant.current, workplace=tenant.workplace,
        notes=tenant.notes, version=tenant.version)

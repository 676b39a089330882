"""The rental ledger: rental houses (出租房) and their tenants (租户), current
and moved out.

Access patterns (docs/access-patterns.md):
- a rental / a tenant by id: GetItem
- the rentals or tenants of a subtree: by_grid, county = :code[:6] and
  grid_key begins_with :code
- rentals by address: rentals/by_address, county = :county and
  address_key begins_with :normalized_address
- the rentals a worker is responsible for: rentals/by_worker, responsible_worker_id = :id
  (all of them, or those of one micro-grid, when the worker hands over or leaves)
- the tenants of a rental: tenants/by_rental, rental_id = :id
- tenants by ID number / phone: tenants/by_id_number, by_phone (exact)

The records are the domain's `Rental` and `Tenant` (domain/ledger_records.py);
this module maps them to and from their items and sets every key the indexes
are keyed on.
"""

from datetime import date

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain.ledger_records import Rental, Tenant
from chalicelib.errors import NotFound
from chalicelib.store import records
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict


class RentalsByAddress(GlobalSecondaryIndex):
    Meta = index_meta("by_address")
    county = UnicodeAttribute(hash_key=True)
    address_key = UnicodeAttribute(range_key=True)


class RentalsByWorker(GlobalSecondaryIndex):
    Meta = index_meta("by_worker")
    responsible_worker_id = UnicodeAttribute(hash_key=True)
    rental_id = UnicodeAttribute(range_key=True)


class RentalModel(Model):
    Meta = table_meta("rentals")

    rental_id = UnicodeAttribute(hash_key=True)
    grid_code = UnicodeAttribute()
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    address = UnicodeAttribute()
    address_key = UnicodeAttribute()
    owner_name = UnicodeAttribute()  # 户主 / 房东
    owner_phone = UnicodeAttribute(null=True)
    owner_household_id = UnicodeAttribute(null=True)
    responsible_worker_id = UnicodeAttribute(null=True)
    rooms = NumberAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    closed = BooleanAttribute(default=False)  # 停租: no longer let, kept on record
    tenant_count = NumberAttribute(default=0)  # tenants living there now
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_grid = records.ByGrid()
    by_address = RentalsByAddress()
    by_worker = RentalsByWorker()


class TenantsByRental(GlobalSecondaryIndex):
    Meta = index_meta("by_rental")
    rental_id = UnicodeAttribute(hash_key=True)
    stay_key = UnicodeAttribute(range_key=True)  # "<move_in>#<tenant id>"


class TenantsByIdNumber(GlobalSecondaryIndex):
    Meta = index_meta("by_id_number")
    id_number = UnicodeAttribute(hash_key=True)


class TenantsByPhone(GlobalSecondaryIndex):
    Meta = index_meta("by_phone")
    phone = UnicodeAttribute(hash_key=True)


class TenantModel(Model):
    Meta = table_meta("tenants")

    tenant_id = UnicodeAttribute(hash_key=True)
    rental_id = UnicodeAttribute()
    grid_code = UnicodeAttribute()
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    name = UnicodeAttribute()
    id_number = UnicodeAttribute()
    sex = UnicodeAttribute()
    birth_date = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    move_in = UnicodeAttribute()  # YYYY-MM-DD
    move_out = UnicodeAttribute(null=True)  # absent while the tenant lives there
    stay_key = UnicodeAttribute()
    workplace = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_grid = records.ByGrid()
    by_rental = TenantsByRental()
    by_id_number = TenantsByIdNumber()
    by_phone = TenantsByPhone()


records.register_mover("rentals", RentalModel, "rental_id")
records.register_mover("tenants", TenantModel, "tenant_id")


def to_domain(item: RentalModel | TenantModel) -> Rental | Tenant:
    if isinstance(item, RentalModel):
        return Rental(
            rental_id=item.rental_id, grid_code=item.grid_code, address=item.address,
            owner_name=item.owner_name, owner_phone=item.owner_phone,
            owner_household_id=item.owner_household_id,
            responsible_worker_id=item.responsible_worker_id, rooms=item.rooms,
            notes=item.notes, closed=bool(item.closed), tenant_count=int(item.tenant_count or 0),
            created_at=item.created_at, updated_at=item.updated_at, version=item.version)
    return Tenant(
        tenant_id=item.tenant_id, rental_id=item.rental_id, grid_code=item.grid_code,
        name=item.name, id_number=item.id_number, sex=item.sex,
        birth_date=date.fromisoformat(item.birth_date), phone=item.phone,
        move_in=date.fromisoformat(item.move_in),
        move_out=date.fromisoformat(item.move_out) if item.move_out else None,
        workplace=item.workplace, notes=item.notes, created_at=item.created_at,
        updated_at=item.updated_at, version=item.version)


def to_item(record: Rental | Tenant) -> RentalModel | TenantModel:
    if isinstance(record, Rental):
        item = RentalModel(
            rental_id=record.rental_id, address=record.address,
            address_key=f"{record.normalized_address}#{record.rental_id}",
            owner_name=record.owner_name, owner_phone=record.owner_phone,
            owner_household_id=record.owner_household_id,
            responsible_worker_id=record.responsible_worker_id, rooms=record.rooms,
            notes=record.notes, closed=record.closed, tenant_count=record.tenant_count,
            created_at=record.created_at, updated_at=record.updated_at)
        if record.version is not None:  # a new record is given version 1 when written
            item.version = record.version
        records.place(item, record.grid_code, record.rental_id)
        return item
    item = TenantModel(
        tenant_id=record.tenant_id, rental_id=record.rental_id, name=record.name,
        id_number=record.id_number, sex=record.sex, birth_date=record.birth_date.isoformat(),
        phone=record.phone, move_in=record.move_in.isoformat(),
        move_out=record.move_out.isoformat() if record.move_out else None,
        stay_key=f"{record.move_in.isoformat()}#{record.tenant_id}",
        workplace=record.workplace, notes=record.notes, created_at=record.created_at,
        updated_at=record.updated_at)
    if record.version is not None:
        item.version = record.version
    records.place(item, record.grid_code, record.tenant_id)
    return item



def _what(record: Rental | Tenant) -> str:
    return "rental" if isinstance(record, Rental) else "tenant"


def add(work: UnitOfWork, record: Rental | Tenant) -> None:
    """A new rental or tenant, in `work` (fails when its id is taken)."""
    item = to_item(record)
    work.add(item, already_exists(_what(record)))
    work.keep_version(record, item)


def save(work: UnitOfWork, record: Rental | Tenant) -> None:
    """A rental or tenant read earlier, written back in `work` (fails when
    someone changed it meanwhile)."""
    item = to_item(record)
    work.save(item, version_conflict(_what(record)))
    work.keep_version(record, item)


def delete(work: UnitOfWork, record: Rental | Tenant) -> None:
    work.delete(to_item(record), version_conflict(_what(record)))


def get_rental(rental_id: str) -> Rental:
    try:
        return to_domain(RentalModel.get(rental_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound(f"Rental {rental_id} does not exist") from None


def get_tenant(tenant_id: str) -> Tenant:
    try:
        return to_domain(TenantModel.get(tenant_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound(f"Tenant {tenant_id} does not exist") from None


def rentals_by_id(rental_ids: list[str]) -> dict[str, Rental]:
    return {r.rental_id: r for r in map(to_domain, records.batch_get(RentalModel, rental_ids))}


def tenants_of(rental_id: str, *, current_only: bool = False) -> list[Tenant]:
    condition = TenantModel.move_out.does_not_exist() if current_only else None
    return [to_domain(item)
            for item in TenantModel.by_rental.query(rental_id, filter_condition=condition)]


def rentals_in(grid_code: str, *, limit: int, cursor: str | None
               ) -> tuple[list[Rental], str | None]:
    return _mapped(records.in_subtree(RentalModel, grid_code, limit=limit, cursor=cursor))


def all_rentals_in(grid_code: str) -> list[Rental]:
    return [to_domain(item) for item in records.all_in_subtree(RentalModel, grid_code)]


def all_tenants_in(grid_code: str) -> list[Tenant]:
    return [to_domain(item) for item in records.all_in_subtree(TenantModel, grid_code)]


def rentals_at(county: str, address_prefix: str, scope: str, *, limit: int,
               cursor: str | None) -> tuple[list[Rental], str | None]:
    return _mapped(records.beginning_with(RentalModel.by_address, county,
                                          RentalModel.address_key, address_prefix, RentalModel,
                                          scope, limit=limit, cursor=cursor))


def rentals_of_worker(worker_id: str, scope: str, *, limit: int, cursor: str | None
                      ) -> tuple[list[Rental], str | None]:
    items, last_key = query_page(
        RentalModel.by_worker.query, hash_key=worker_id,
        filter_condition=RentalModel.grid_code.startswith(scope),
        limit=limit, cursor=decode_cursor(cursor))
    return [to_domain(item) for item in items], encode_cursor(last_key)


def all_of_worker(worker_id: str, grid_code: str | None = None) -> list[Rental]:
    """Every rental a worker is responsible for, or those in one micro-grid."""
    condition = None if grid_code is None else RentalModel.grid_code == grid_code
    return [to_domain(item)
            for item in RentalModel.by_worker.query(worker_id, filter_condition=condition)]


def worker_phones(worker_ids: set[str]) -> dict[str, str]:
    """The phones of the responsible workers, for an export (BatchGetItem)."""
    from chalicelib.store.workers import WorkerModel

    return {w.worker_id: w.phone for w in records.batch_get(WorkerModel, list(worker_ids))}


def tenants_with(index: str, value: str, scope: str) -> list[Tenant]:
    return [to_domain(item) for item in records.matching(
        {"id_number": TenantModel.by_id_number, "phone": TenantModel.by_phone}[index], value,
        TenantModel, scope)]


def _mapped(page: tuple[list, str | None]) -> tuple[list, str | None]:
    items, cursor = page
    return [to_domain(item) for item in items], cursor

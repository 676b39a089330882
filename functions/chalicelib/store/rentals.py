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
"""

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

from chalicelib.errors import NotFound
from chalicelib.store import records
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta


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


def get_rental(rental_id: str) -> RentalModel:
    try:
        return RentalModel.get(rental_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Rental {rental_id} does not exist") from None


def get_tenant(tenant_id: str) -> TenantModel:
    try:
        return TenantModel.get(tenant_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Tenant {tenant_id} does not exist") from None


def tenants_of(rental_id: str, *, current_only: bool = False) -> list[TenantModel]:
    condition = TenantModel.move_out.does_not_exist() if current_only else None
    return list(TenantModel.by_rental.query(rental_id, filter_condition=condition))


def rentals_in(grid_code: str, *, limit: int, cursor: str | None
               ) -> tuple[list[RentalModel], str | None]:
    return records.in_subtree(RentalModel, grid_code, limit=limit, cursor=cursor)


def rentals_at(county: str, address_prefix: str, scope: str, *, limit: int,
               cursor: str | None) -> tuple[list[RentalModel], str | None]:
    return records.beginning_with(RentalModel.by_address, county, RentalModel.address_key,
                                  address_prefix, RentalModel, scope, limit=limit, cursor=cursor)


def rentals_of_worker(worker_id: str, scope: str, *, limit: int, cursor: str | None
                      ) -> tuple[list[RentalModel], str | None]:
    items, last_key = query_page(
        RentalModel.by_worker.query, hash_key=worker_id,
        filter_condition=RentalModel.grid_code.startswith(scope),
        limit=limit, cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)


def all_of_worker(worker_id: str, grid_code: str | None = None) -> list[RentalModel]:
    """Every rental a worker is responsible for, or those in one micro-grid."""
    condition = None if grid_code is None else RentalModel.grid_code == grid_code
    return list(RentalModel.by_worker.query(worker_id, filter_condition=condition))


def tenants_with(index: str, value: str, scope: str) -> list[TenantModel]:
    return records.matching({"id_number": TenantModel.by_id_number,
                             "phone": TenantModel.by_phone}[index], value, TenantModel, scope)

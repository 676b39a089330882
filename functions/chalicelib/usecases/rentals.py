"""The rental ledger: rental houses, their owners and responsible workers, and
tenants with move-in and move-out dates. A tenant who moves out stays on
record; the rental's tenant count and the grid's counters follow every change."""

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.ledger_records import Rental, Tenant, check_version
from chalicelib.errors import InvalidInput
from chalicelib.schemas.ledgers import (
    RentalCreate,
    RentalListQuery,
    RentalOut,
    RentalPage,
    RentalUpdate,
    TenantIn,
    TenantOut,
    TenantPage,
    TenantUpdate,
)
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.store.unit_of_work import UnitOfWork
from chalicelib.usecases import audit
from chalicelib.usecases.ledger_views import rental_view, tenant_view
from chalicelib.usecases.ledger_writes import LedgerChange


def scope_of_rental(rental_id: str) -> str:
    return rental_store.get_rental(rental_id).grid_code


def scope_of_tenant(tenant_id: str) -> str:
    return rental_store.get_tenant(tenant_id).grid_code


def _check_worker(worker_id: str | None, rental_grid: str) -> None:
    """The responsible worker is active and works where the rental is: in its
    village, or above it (a town's worker covering the village)."""
    if not worker_id:
        return
    worker = worker_store.get(worker_id)
    if worker.status != worker_store.ACTIVE:
        raise InvalidInput("responsible_worker_id", "The worker has left")
    village = rental_grid[:grid_codes.LEVEL_BY_KEY["village"].length]
    if not (rental_grid.startswith(worker.grid_code) or worker.grid_code.startswith(village)):
        raise InvalidInput("responsible_worker_id",
                           "The worker belongs to another village than the rental")


def create_rental(caller: Caller, request: RentalCreate) -> RentalOut:
    grid_codes.depth_of(request.grid_code, "grid_code")
    _check_worker(request.responsible_worker_id, request.grid_code)
    rental = Rental.new(tokens.new_id(), request.grid_code, request.address,
                        owner_name=request.owner_name, owner_phone=request.owner_phone,
                        owner_household_id=request.owner_household_id,
                        responsible_worker_id=request.responsible_worker_id,
                        rooms=request.rooms, notes=request.notes, now=clock.now())
    change = LedgerChange()
    change.rental_created(rental)
    change.write(UnitOfWork(caller))
    return rental_view(rental)


def get_rental(caller: Caller, rental_id: str, *, reveal: bool) -> RentalOut:
    rental = rental_store.get_rental(rental_id)
    if reveal:
        audit.reveal(caller, what=f"rental#{rental_id}", scope_code=rental.grid_code,
                     fields="owner_phone")
    return rental_view(rental, reveal=reveal)


def list_rentals(caller: Caller, query: RentalListQuery) -> RentalPage:
    scope = query.grid or caller.scope_code
    if query.responsible_worker_id:
        items, cursor = rental_store.rentals_of_worker(query.responsible_worker_id, scope,
                                                       limit=query.limit, cursor=query.cursor)
    elif query.address:
        items, cursor = rental_store.rentals_at(
            grid_codes.county_of(scope), ledger.normalize_address(query.address), scope,
            limit=query.limit, cursor=query.cursor)
    else:
        items, cursor = rental_store.rentals_in(scope, limit=query.limit, cursor=query.cursor)
    return RentalPage(items=[rental_view(r) for r in items], next_cursor=cursor)


def update_rental(caller: Caller, rental_id: str, request: RentalUpdate) -> RentalOut:
    rental = rental_store.get_rental(rental_id)
    check_version(rental, request.version, "rental")
    if request.responsible_worker_id:
        _check_worker(request.responsible_worker_id, rental.grid_code)
    before = rental.footprint()
    rental.edit(address=request.address, owner_name=request.owner_name,
                owner_phone=request.owner_phone,
                responsible_worker_id=request.responsible_worker_id, rooms=request.rooms,
                notes=request.notes, closed=request.closed)
    change = LedgerChange()
    change.edited(rental, before)
    change.write(UnitOfWork(caller))
    return rental_view(rental)


HANDED_ITEMS = 3  # the items of one rental handed on: the rental, its audit entry, its board mark


def hand_to(work: UnitOfWork, rental: Rental, worker_id: str | None) -> None:
    """The rental's responsible worker becomes `worker_id` (None: nobody covers it)."""
    change = LedgerChange()
    change.rental_handed(rental, worker_id)
    change.fill(work)


def delete_rental(caller: Caller, rental_id: str, version: int) -> None:
    rental = rental_store.get_rental(rental_id)
    check_version(rental, version, "rental")
    change = LedgerChange()
    change.rental_deleted(rental, len(rental_store.tenants_of(rental_id)))
    change.write(UnitOfWork(caller))


def add_tenant(caller: Caller, rental_id: str, request: TenantIn) -> TenantOut:
    rental = rental_store.get_rental(rental_id)
    tenant = Tenant.new(tokens.new_id(), name=request.name, id_number=request.id_number,
                        phone=request.phone, move_in=request.move_in, move_out=request.move_out,
                        workplace=request.workplace, notes=request.notes, now=clock.now(),
                        today=clock.today())
    change = LedgerChange()
    change.tenant_moved_in(rental, tenant)
    change.write(UnitOfWork(caller))
    return tenant_view(tenant)


def get_tenant(caller: Caller, tenant_id: str, *, reveal: bool) -> TenantOut:
    tenant = rental_store.get_tenant(tenant_id)
    if reveal:
        audit.reveal(caller, what=f"tenant#{tenant_id}", scope_code=tenant.grid_code,
                     fields="id_number,phone")
    return tenant_view(tenant, reveal=reveal)


def list_tenants(rental_id: str, *, current_only: bool) -> TenantPage:
    rental_store.get_rental(rental_id)
    tenants = rental_store.tenants_of(rental_id, current_only=current_only)
    return TenantPage(items=[tenant_view(t) for t in tenants], next_cursor=None)


def update_tenant(caller: Caller, tenant_id: str, request: TenantUpdate) -> TenantOut:
    tenant = rental_store.get_tenant(tenant_id)
    check_version(tenant, request.version, "tenant")
    before, was_current = tenant.footprint(), tenant.current
    tenant.edit(today=clock.today(), name=request.name, phone=request.phone,
                move_in=request.move_in, move_out=request.move_out,
                workplace=request.workplace, notes=request.notes)
    moved_out = was_current and not tenant.current
    change = LedgerChange()
    change.tenant_edited(tenant, before,
                         rental_store.get_rental(tenant.rental_id) if moved_out else None)
    change.write(UnitOfWork(caller))
    return tenant_view(tenant)


def delete_tenant(caller: Caller, tenant_id: str, version: int) -> None:
    """A tenant entered by mistake; one who moved out is recorded with move_out."""
    tenant = rental_store.get_tenant(tenant_id)
    check_version(tenant, version, "tenant")
    rental = rental_store.get_rental(tenant.rental_id) if tenant.current else None
    change = LedgerChange()
    change.tenant_removed(rental, tenant)
    change.write(UnitOfWork(caller))

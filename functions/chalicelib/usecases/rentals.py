"""The rental ledger: rental houses, their owners and responsible workers, and
tenants with move-in and move-out dates. A tenant who moves out stays on
record; the rental's tenant count and the grid's counters follow every change."""

from datetime import date

from chalicelib import clock
from chalicelib.domain import grid_codes, id_numbers, ledger, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.personal_data import mask_id_number, mask_phone
from chalicelib.errors import Conflict, InvalidInput
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
from chalicelib.store import records
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.store.rentals import RentalModel, TenantModel
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict
from chalicelib.usecases import audit
from chalicelib.usecases.households import age_on

ADDRESS_CLAIM = "rental_address"
CURRENT_TENANT_CLAIM = "current_tenant"  # one current stay per person and rental
PERSONAL = ("id_number", "phone", "owner_phone")


def rental_view(rental: RentalModel, *, reveal: bool = False) -> RentalOut:
    return RentalOut(
        rental_id=rental.rental_id, grid_code=rental.grid_code, address=rental.address,
        owner_name=rental.owner_name,
        owner_phone=rental.owner_phone if reveal else mask_phone(rental.owner_phone),
        owner_household_id=rental.owner_household_id,
        responsible_worker_id=rental.responsible_worker_id, rooms=rental.rooms,
        notes=rental.notes, tenant_count=rental.tenant_count or 0, closed=bool(rental.closed),
        created_at=rental.created_at, updated_at=rental.updated_at, version=rental.version)


def tenant_view(tenant: TenantModel, *, reveal: bool = False) -> TenantOut:
    return TenantOut(
        tenant_id=tenant.tenant_id, rental_id=tenant.rental_id, grid_code=tenant.grid_code,
        name=tenant.name,
        id_number=tenant.id_number if reveal else mask_id_number(tenant.id_number),
        phone=tenant.phone if reveal else mask_phone(tenant.phone), sex=tenant.sex,
        age=age_on(date.fromisoformat(tenant.birth_date), clock.today()),
        move_in=date.fromisoformat(tenant.move_in),
        move_out=date.fromisoformat(tenant.move_out) if tenant.move_out else None,
        current=tenant.move_out is None, workplace=tenant.workplace, notes=tenant.notes,
        version=tenant.version)


def scope_of_rental(rental_id: str) -> str:
    return rental_store.get_rental(rental_id).grid_code


def scope_of_tenant(tenant_id: str) -> str:
    return rental_store.get_tenant(tenant_id).grid_code


def _address_taken():
    return Conflict("A rental with this address is in the ledger already",
                    code="address_taken",
                    details=[{"field": "address", "message": "already registered"}])


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


def set_address(rental: RentalModel, address: str) -> str:
    normalized = ledger.normalize_address(address)
    rental.address = address.strip()
    rental.address_key = f"{normalized}#{rental.rental_id}"
    return normalized


def _rental_fields(rental: RentalModel) -> dict:
    return {"address": rental.address, "owner_name": rental.owner_name,
            "owner_phone": rental.owner_phone, "owner_household_id": rental.owner_household_id,
            "responsible_worker_id": rental.responsible_worker_id, "rooms": rental.rooms,
            "notes": rental.notes, "closed": bool(rental.closed)}


def create_rental(caller: Caller, request: RentalCreate) -> RentalOut:
    grid_codes.depth_of(request.grid_code, "grid_code")
    _check_worker(request.responsible_worker_id, request.grid_code)
    now = clock.now()
    rental = RentalModel(rental_id=tokens.new_id(), owner_name=request.owner_name,
                         owner_phone=request.owner_phone,
                         owner_household_id=request.owner_household_id,
                         responsible_worker_id=request.responsible_worker_id,
                         rooms=request.rooms, notes=request.notes, tenant_count=0,
                         created_at=now, updated_at=now)
    records.place(rental, request.grid_code, rental.rental_id)
    normalized = set_address(rental, request.address)
    work = UnitOfWork(caller)
    work.require_grid(request.grid_code)
    work.claim(ADDRESS_CLAIM, rental.county, normalized, rental.rental_id, _address_taken)
    work.add(rental, already_exists("rental"))
    work.count(rental.grid_code, {ledger.RENTALS: 1})
    work.audit(action="create", record=f"rental#{rental.rental_id}", scope_code=rental.grid_code,
               changes=ledger.changed_fields({}, _rental_fields(rental), PERSONAL))
    work.commit()
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
    if rental.version != request.version:
        raise version_conflict("rental")()
    before = _rental_fields(rental)
    work = UnitOfWork(caller)
    if request.address is not None and request.address.strip() != rental.address:
        old = ledger.normalize_address(rental.address)
        new = set_address(rental, request.address)
        if new != old:
            work.release(ADDRESS_CLAIM, rental.county, old, rental_id)
            work.claim(ADDRESS_CLAIM, rental.county, new, rental_id, _address_taken)
    if request.responsible_worker_id is not None:
        _check_worker(request.responsible_worker_id, rental.grid_code)
        rental.responsible_worker_id = request.responsible_worker_id or None
    if request.owner_phone is not None:
        rental.owner_phone = request.owner_phone or None
    for name in ("owner_name", "rooms", "notes"):
        value = getattr(request, name)
        if value is not None:
            setattr(rental, name, value or None if name == "notes" else value)
    if request.closed is not None and request.closed != bool(rental.closed):
        if request.closed and (rental.tenant_count or 0) > 0:
            raise Conflict("Tenants still live there: record their moving out first",
                           code="rental_has_tenants")
        rental.closed = request.closed
        work.count(rental.grid_code, {ledger.RENTALS: -1 if request.closed else 1})
    rental.updated_at = clock.now()
    work.save(rental, version_conflict("rental"))
    work.audit(action="update", record=f"rental#{rental_id}", scope_code=rental.grid_code,
               changes=ledger.changed_fields(before, _rental_fields(rental), PERSONAL))
    work.commit()
    return rental_view(rental)


HANDED_ITEMS = 2  # the items of one rental handed on: the rental and its audit entry


def hand_to(work: UnitOfWork, rental: RentalModel, worker_id: str | None) -> None:
    """The rental's responsible worker becomes `worker_id` (None: nobody covers it)."""
    before = rental.responsible_worker_id
    rental.responsible_worker_id = worker_id
    rental.updated_at = clock.now()
    work.save(rental, version_conflict("rental"))
    work.audit(action="update", record=f"rental#{rental.rental_id}", scope_code=rental.grid_code,
               changes=ledger.changed_fields({"responsible_worker_id": before},
                                             {"responsible_worker_id": worker_id}))


def delete_rental(caller: Caller, rental_id: str, version: int) -> None:
    """Only a rental entered by mistake is deleted: one with tenants on record is
    closed instead (停租), so their history stays."""
    rental = rental_store.get_rental(rental_id)
    if rental.version != version:
        raise version_conflict("rental")()
    if rental_store.tenants_of(rental_id):
        raise Conflict("The rental has tenants on record: close it instead",
                       code="rental_has_tenants")
    work = UnitOfWork(caller)
    work.delete(rental, version_conflict("rental"))
    work.release(ADDRESS_CLAIM, rental.county, ledger.normalize_address(rental.address),
                 rental_id)
    if not rental.closed:
        work.count(rental.grid_code, {ledger.RENTALS: -1})
    work.audit(action="delete", record=f"rental#{rental_id}", scope_code=rental.grid_code,
               changes={"address": {"from": rental.address, "to": None}})
    work.commit()


def _tenant_fields(tenant: TenantModel) -> dict:
    return {"name": tenant.name, "id_number": tenant.id_number, "phone": tenant.phone,
            "move_in": tenant.move_in, "move_out": tenant.move_out,
            "workplace": tenant.workplace, "notes": tenant.notes}


def _tenant_taken():
    return Conflict("This person lives in the rental already", code="tenant_current",
                    details=[{"field": "id_number", "message": "a current tenant"}])


def add_tenant(caller: Caller, rental_id: str, request: TenantIn) -> TenantOut:
    rental = rental_store.get_rental(rental_id)
    if rental.closed:
        raise Conflict("The rental is closed", code="rental_closed")
    today = clock.today()
    ledger.check_stay(request.move_in, request.move_out, today)
    if request.move_out is not None and request.move_out > today:
        raise InvalidInput("move_out", "Record moving out once it has happened",
                           code="move_out_in_future")
    parsed = id_numbers.parse(request.id_number, "id_number", today=today)
    now = clock.now()
    tenant = TenantModel(tenant_id=tokens.new_id(), rental_id=rental_id, name=request.name,
                         id_number=parsed.value, sex=parsed.sex,
                         birth_date=parsed.birth_date.isoformat(), phone=request.phone,
                         move_in=request.move_in.isoformat(),
                         move_out=request.move_out.isoformat() if request.move_out else None,
                         workplace=request.workplace, notes=request.notes,
                         created_at=now, updated_at=now)
    tenant.stay_key = f"{tenant.move_in}#{tenant.tenant_id}"
    records.place(tenant, rental.grid_code, tenant.tenant_id)
    work = UnitOfWork(caller)
    work.add(tenant, already_exists("tenant"))
    if tenant.move_out is None:
        work.claim(CURRENT_TENANT_CLAIM, rental_id, tenant.id_number, tenant.tenant_id,
                   _tenant_taken)
        rental.tenant_count = (rental.tenant_count or 0) + 1
        work.count(rental.grid_code, {ledger.TENANTS: 1})
    rental.updated_at = now
    work.save(rental, version_conflict("rental"))
    work.audit(action="create", record=f"tenant#{tenant.tenant_id}", scope_code=tenant.grid_code,
               changes=ledger.changed_fields({}, _tenant_fields(tenant), PERSONAL))
    work.commit()
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
    if tenant.version != request.version:
        raise version_conflict("tenant")()
    before = _tenant_fields(tenant)
    was_current = tenant.move_out is None
    today = clock.today()
    move_in = request.move_in or date.fromisoformat(tenant.move_in)
    move_out = request.move_out or (date.fromisoformat(tenant.move_out)
                                    if tenant.move_out else None)
    ledger.check_stay(move_in, move_out, today)
    if move_out is not None and move_out > today:
        raise InvalidInput("move_out", "Record moving out once it has happened",
                           code="move_out_in_future")
    tenant.move_in = move_in.isoformat()
    tenant.stay_key = f"{tenant.move_in}#{tenant.tenant_id}"
    tenant.move_out = move_out.isoformat() if move_out else None
    if request.phone is not None:
        tenant.phone = request.phone or None
    for name in ("name", "workplace", "notes"):
        value = getattr(request, name)
        if value is not None:
            setattr(tenant, name, value)
    tenant.updated_at = clock.now()
    work = UnitOfWork(caller)
    work.save(tenant, version_conflict("tenant"))
    if was_current and tenant.move_out is not None:
        rental = rental_store.get_rental(tenant.rental_id)
        rental.tenant_count = max(0, (rental.tenant_count or 0) - 1)
        rental.updated_at = tenant.updated_at
        work.save(rental, version_conflict("rental"))
        work.release(CURRENT_TENANT_CLAIM, tenant.rental_id, tenant.id_number, tenant_id)
        work.count(tenant.grid_code, {ledger.TENANTS: -1})
    work.audit(action="update", record=f"tenant#{tenant_id}", scope_code=tenant.grid_code,
               changes=ledger.changed_fields(before, _tenant_fields(tenant), PERSONAL))
    work.commit()
    return tenant_view(tenant)


def delete_tenant(caller: Caller, tenant_id: str, version: int) -> None:
    """A tenant entered by mistake; one who moved out is recorded with move_out."""
    tenant = rental_store.get_tenant(tenant_id)
    if tenant.version != version:
        raise version_conflict("tenant")()
    work = UnitOfWork(caller)
    work.delete(tenant, version_conflict("tenant"))
    if tenant.move_out is None:
        rental = rental_store.get_rental(tenant.rental_id)
        rental.tenant_count = max(0, (rental.tenant_count or 0) - 1)
        rental.updated_at = clock.now()
        work.save(rental, version_conflict("rental"))
        work.release(CURRENT_TENANT_CLAIM, tenant.rental_id, tenant.id_number, tenant_id)
        work.count(tenant.grid_code, {ledger.TENANTS: -1})
    work.audit(action="delete", record=f"tenant#{tenant_id}", scope_code=tenant.grid_code,
               changes=ledger.changed_fields(_tenant_fields(tenant), {}, PERSONAL))
    work.commit()

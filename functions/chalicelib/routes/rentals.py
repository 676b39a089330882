from chalicelib.domain.roles import EVERYONE, LEDGER_KEEPERS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import RecordId
from chalicelib.schemas.ledgers import (
    RentalCreate,
    RentalListQuery,
    RentalOut,
    RentalPage,
    RentalUpdate,
    TenantIn,
    TenantListQuery,
    TenantOut,
    TenantPage,
    TenantUpdate,
    VersionQuery,
)
from chalicelib.schemas.users import RevealQuery
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field, query_field

rentals = lazy("chalicelib.usecases.rentals")

resource = api.Resource(__name__, tag="rentals")


def _rental(parts):
    return rentals.scope_of_rental(parts.path["rental_id"])


def _tenant(parts):
    return rentals.scope_of_tenant(parts.path["tenant_id"])


KEEP_RENTAL = Access(roles=LEDGER_KEEPERS, scope=_rental)


@resource.post("/rentals", summary="Register a rental house", body=RentalCreate,
               response=RentalOut, status=201, idempotent=True,
               access=Access(roles=LEDGER_KEEPERS, scope=body_field("grid_code")))
def create_rental(body: RentalCreate, caller: Caller) -> RentalOut:
    return rentals.create_rental(caller, body)


@resource.get("/rentals", summary="Rentals of a subtree; by address or responsible worker",
              query=RentalListQuery, response=RentalPage,
              access=Access(roles=EVERYONE, scope=query_field("grid")))
def list_rentals(query: RentalListQuery, caller: Caller) -> RentalPage:
    return rentals.list_rentals(caller, query)


@resource.get("/rentals/{rental_id}", summary="A rental; ?reveal=true unmasks the owner's "
              "phone (audited)", query=RevealQuery, response=RentalOut,
              access=Access(roles=EVERYONE, scope=_rental))
def get_rental(rental_id: RecordId, query: RevealQuery, caller: Caller) -> RentalOut:
    return rentals.get_rental(caller, rental_id, reveal=query.reveal)


@resource.patch("/rentals/{rental_id}", summary="Edit a rental, or close it (停租)",
                body=RentalUpdate, response=RentalOut, access=KEEP_RENTAL, idempotent=True)
def update_rental(rental_id: RecordId, body: RentalUpdate, caller: Caller) -> RentalOut:
    return rentals.update_rental(caller, rental_id, body)


@resource.delete("/rentals/{rental_id}", summary="Delete a rental entered by mistake",
                 query=VersionQuery, status=204, access=KEEP_RENTAL, idempotent=True)
def delete_rental(rental_id: RecordId, query: VersionQuery, caller: Caller) -> None:
    rentals.delete_rental(caller, rental_id, query.version)


@resource.get("/rentals/{rental_id}/tenants", summary="A rental's tenants, current and moved out",
              query=TenantListQuery, response=TenantPage,
              access=Access(roles=EVERYONE, scope=_rental))
def list_tenants(rental_id: RecordId, query: TenantListQuery) -> TenantPage:
    return rentals.list_tenants(rental_id, current_only=query.current)


@resource.post("/rentals/{rental_id}/tenants", summary="Record a tenant moving in",
               body=TenantIn, response=TenantOut, status=201, idempotent=True,
               access=KEEP_RENTAL)
def add_tenant(rental_id: RecordId, body: TenantIn, caller: Caller) -> TenantOut:
    return rentals.add_tenant(caller, rental_id, body)


@resource.get("/tenants/{tenant_id}", summary="A tenant; ?reveal=true unmasks the ID number "
              "and phone (audited)", query=RevealQuery, response=TenantOut,
              access=Access(roles=EVERYONE, scope=_tenant))
def get_tenant(tenant_id: RecordId, query: RevealQuery, caller: Caller) -> TenantOut:
    return rentals.get_tenant(caller, tenant_id, reveal=query.reveal)


@resource.patch("/tenants/{tenant_id}", summary="Edit a tenant, or record their moving out",
                body=TenantUpdate, response=TenantOut,
                access=Access(roles=LEDGER_KEEPERS, scope=_tenant), idempotent=True)
def update_tenant(tenant_id: RecordId, body: TenantUpdate, caller: Caller) -> TenantOut:
    return rentals.update_tenant(caller, tenant_id, body)


@resource.delete("/tenants/{tenant_id}", summary="Delete a tenant entered by mistake",
                 query=VersionQuery, status=204,
                 access=Access(roles=LEDGER_KEEPERS, scope=_tenant), idempotent=True)
def delete_tenant(tenant_id: RecordId, query: VersionQuery, caller: Caller) -> None:
    rentals.delete_tenant(caller, tenant_id, query.version)

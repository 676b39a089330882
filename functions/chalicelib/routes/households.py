from chalicelib.domain.roles import EVERYONE, LEDGER_KEEPERS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import RecordId
from chalicelib.schemas.ledgers import (
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
    SearchQuery,
    SearchResults,
    VersionQuery,
)
from chalicelib.schemas.users import RevealQuery
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field, query_field

households = lazy("chalicelib.usecases.households")
ledger_search = lazy("chalicelib.usecases.ledger_search")

resource = api.Resource(__name__, tag="households")


def _household(parts):
    return households.scope_of_household(parts.path["household_id"])


def _resident(parts):
    return households.scope_of_resident(parts.path["resident_id"])


KEEP_HOUSEHOLD = Access(roles=LEDGER_KEEPERS, scope=_household)
KEEP_RESIDENT = Access(roles=LEDGER_KEEPERS, scope=_resident)


@resource.get("/ledger-settings", summary="The key groups and resident types of this deployment",
              response=LedgerSettings, access=Access(roles=EVERYONE))
def ledger_settings() -> LedgerSettings:
    return households.ledger_settings()


@resource.get("/ledger-search", summary="Search residents, tenants, households and rentals "
              "by ID number, phone, or the beginning of a name or address",
              query=SearchQuery, response=SearchResults,
              access=Access(roles=EVERYONE, scope=query_field("grid")))
def ledger_search_route(query: SearchQuery, caller: Caller) -> SearchResults:
    return ledger_search.search(query.grid or caller.scope_code, query.q)


@resource.post("/households", summary="Register a household, with its members",
               body=HouseholdCreate, response=HouseholdOut, status=201, idempotent=True,
               access=Access(roles=LEDGER_KEEPERS, scope=body_field("grid_code")))
def create_household(body: HouseholdCreate, caller: Caller) -> HouseholdOut:
    return households.create_household(caller, body)


@resource.get("/households", summary="Households of a subtree, or by address",
              query=HouseholdListQuery, response=HouseholdPage,
              access=Access(roles=EVERYONE, scope=query_field("grid")))
def list_households(query: HouseholdListQuery, caller: Caller) -> HouseholdPage:
    return households.list_households(caller, query)


@resource.get("/households/{household_id}", summary="A household with its members (masked)",
              response=HouseholdOut, access=Access(roles=EVERYONE, scope=_household))
def get_household(household_id: RecordId) -> HouseholdOut:
    return households.get_household(household_id)


@resource.patch("/households/{household_id}", summary="Edit a household's address, head or notes",
                body=HouseholdUpdate, response=HouseholdOut, access=KEEP_HOUSEHOLD, idempotent=True)
def update_household(household_id: RecordId, body: HouseholdUpdate, caller: Caller) -> HouseholdOut:
    return households.update_household(caller, household_id, body)


@resource.post("/households/{household_id}/move", summary="Move a household, with its members, "
               "to another micro-grid (its history keeps the old one)", body=HouseholdMove,
               response=HouseholdOut, access=KEEP_HOUSEHOLD, idempotent=True)
def move_household(household_id: RecordId, body: HouseholdMove, caller: Caller) -> HouseholdOut:
    return households.move_household(caller, household_id, body)


@resource.delete("/households/{household_id}", summary="Remove a household and its members",
                 query=VersionQuery, status=204, access=KEEP_HOUSEHOLD, idempotent=True)
def delete_household(household_id: RecordId, query: VersionQuery, caller: Caller) -> None:
    households.delete_household(caller, household_id, query.version)


@resource.post("/households/{household_id}/residents", summary="Add a member to a household",
               body=ResidentIn, response=ResidentOut, status=201, idempotent=True,
               access=KEEP_HOUSEHOLD)
def add_resident(household_id: RecordId, body: ResidentIn, caller: Caller) -> ResidentOut:
    return households.add_resident(caller, household_id, body)


@resource.get("/residents", summary="Residents of a subtree; by name, phone, ID number, "
              "household, type or key group", query=ResidentListQuery, response=ResidentPage,
              access=Access(roles=EVERYONE, scope=query_field("grid")))
def list_residents(query: ResidentListQuery, caller: Caller) -> ResidentPage:
    return households.list_residents(caller, query)


@resource.get("/residents/{resident_id}", summary="A resident; ?reveal=true unmasks the ID "
              "number and phone (audited)", query=RevealQuery, response=ResidentOut,
              access=Access(roles=EVERYONE, scope=_resident))
def get_resident(resident_id: RecordId, query: RevealQuery, caller: Caller) -> ResidentOut:
    return households.get_resident(caller, resident_id, reveal=query.reveal)


@resource.patch("/residents/{resident_id}", summary="Edit a resident", body=ResidentUpdate,
                response=ResidentOut, access=KEEP_RESIDENT, idempotent=True)
def update_resident(resident_id: RecordId, body: ResidentUpdate, caller: Caller) -> ResidentOut:
    return households.update_resident(caller, resident_id, body)


@resource.delete("/residents/{resident_id}", summary="Remove a resident from the ledger",
                 query=VersionQuery, status=204, access=KEEP_RESIDENT, idempotent=True)
def delete_resident(resident_id: RecordId, query: VersionQuery, caller: Caller) -> None:
    households.delete_resident(caller, resident_id, query.version)

"""One search box for the ledgers: an ID number, a phone, or the beginning of a
name or address, within the caller's subtree. Each kind of query is an index
lookup; nothing is scanned. A name or address shows the first PER_KIND of each
kind and says which kinds have more: their own lists page on through them."""

import re

from chalicelib.domain import grid_codes, ledger
from chalicelib.schemas.ledgers import SearchResults
from chalicelib.store import households as household_store
from chalicelib.store import rentals as rental_store
from chalicelib.usecases.ledger_views import (
    household_view,
    rental_view,
    resident_view,
    tenant_view,
)

ID_NUMBER = re.compile(r"^[0-9]{17}[0-9Xx]$")
PHONE = re.compile(r"^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8})$")
PER_KIND = 20


def search(scope: str, q: str) -> SearchResults:
    q = q.strip()
    if ID_NUMBER.match(q):
        value = q.upper()
        return SearchResults(
            matched_by="id_number",
            residents=[resident_view(r) for r in
                       household_store.residents_with("id_number", value, scope)],
            tenants=[tenant_view(t) for t in rental_store.tenants_with("id_number", value, scope)],
            households=[], rentals=[])
    if PHONE.match(q):
        return SearchResults(
            matched_by="phone",
            residents=[resident_view(r) for r in household_store.residents_with("phone", q, scope)],
            tenants=[tenant_view(t) for t in rental_store.tenants_with("phone", q, scope)],
            households=[], rentals=[])
    county = grid_codes.county_of(scope)
    address = ledger.normalize_address(q)
    # One more than is shown: whether there are more, without a page that is only a cursor.
    found = {
        "residents": household_store.residents_named(county, q, scope, limit=PER_KIND + 1,
                                                     cursor=None)[0],
        "households": household_store.households_at(county, address, scope,
                                                    limit=PER_KIND + 1, cursor=None)[0],
        "rentals": rental_store.rentals_at(county, address, scope, limit=PER_KIND + 1,
                                           cursor=None)[0],
    }
    return SearchResults(matched_by="name_or_address",
                         residents=[resident_view(r) for r in found["residents"][:PER_KIND]],
                         households=[household_view(h) for h in found["households"][:PER_KIND]],
                         rentals=[rental_view(r) for r in found["rentals"][:PER_KIND]],
                         tenants=[],
                         more=[kind for kind, items in found.items() if len(items) > PER_KIND])

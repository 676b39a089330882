"""The case category catalogue of a county: defaults, overridden per county."""

import re
from dataclasses import asdict

from chalicelib import clock
from chalicelib.domain import grid_codes
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_categories import Category
from chalicelib.errors import Forbidden, InvalidInput
from chalicelib.schemas.cases import CategoryList, CategoryOut, CategoryUpdate
from chalicelib.store import case_categories as category_store
from chalicelib.usecases import audit

CATEGORY_CODE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")

def view(category: Category) -> CategoryOut:
    return CategoryOut(**asdict(category))


def list_categories(caller: Caller, county: str | None) -> CategoryList:
    """A county's catalogue: one's own county's, or one inside one's scope."""
    own = grid_codes.county_of(caller.scope_code)
    county = county or own
    if grid_codes.depth_of(county, "county") != 0:
        raise InvalidInput("county", "A county code has 6 digits")
    if county != own and not caller.can_see(county):
        raise Forbidden("Outside your grid scope", code="out_of_scope")
    return CategoryList(items=[view(c) for c in category_store.catalogue(county)])


def put_category(caller: Caller, county: str, code: str, request: CategoryUpdate) -> CategoryOut:
    if grid_codes.depth_of(county, "county") != 0:
        raise InvalidInput("county", "A county code has 6 digits")
    if not CATEGORY_CODE.match(code):
        raise InvalidInput("code", "A category code is 2–30 lower-case letters, digits or _, "
                                   "starting with a letter")
    fields = request.model_dump(exclude={"version"})
    category = Category(code=code, **fields)
    category.check()
    saved = category_store.save(county, category, expected_version=request.version,
                                by=caller.user_id, at=clock.now())
    audit.record(caller, action="update", record=f"case_category#{county}#{code}",
                 scope_code=county, changes=fields)
    return view(saved)

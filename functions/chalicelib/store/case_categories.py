"""A county's own case categories and time limits, over the defaults of
domain/case_categories.py.

Access patterns (docs/access-patterns.md):
- a county's catalogue: Query case_categories, county = :county
- one category: GetItem case_categories (county, code)
"""

from dataclasses import replace

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from chalicelib.domain.case_categories import DEFAULTS, Category
from chalicelib.errors import Conflict
from chalicelib.store.base import table_meta


class CaseCategoryModel(Model):
    Meta = table_meta("case_categories")

    county = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)
    name_zh = UnicodeAttribute()
    name_en = UnicodeAttribute()
    accept = UnicodeAttribute()
    handle = UnicodeAttribute()
    verify = UnicodeAttribute()
    public = BooleanAttribute(default=True)
    active = BooleanAttribute(default=True)
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = NumberAttribute(default=1)


def _category(item: CaseCategoryModel) -> Category:
    return Category(item.code, item.name_zh, item.name_en, item.accept, item.handle,
                    item.verify, public=bool(item.public), active=bool(item.active),
                    version=int(item.version or 1))


def catalogue(county: str) -> list[Category]:
    """The county's categories: its own, and the defaults it has not overridden."""
    own = {item.code: _category(item) for item in CaseCategoryModel.query(county)}
    return [own.pop(default.code, default) for default in DEFAULTS] + sorted(
        own.values(), key=lambda category: category.code)


def find(county: str, code: str) -> Category | None:
    try:
        return _category(CaseCategoryModel.get(county, code))
    except DoesNotExist:
        return next((c for c in DEFAULTS if c.code == code), None)


def save(county: str, category: Category, *, expected_version: int | None, by: str,
         at) -> Category:
    """Store the county's category as its next version, on the condition that it is
    still the version read (`expected_version`, when given, must be that one)."""
    stored = find(county, category.code)
    current = stored.version if stored is not None else 0
    if expected_version is not None and expected_version != current:
        raise _changed_meanwhile()
    if current == 0:
        condition = CaseCategoryModel.code.does_not_exist()
    else:
        condition = CaseCategoryModel.version == current
        if current == 1:  # stored before categories had versions
            condition |= CaseCategoryModel.version.does_not_exist()
    try:
        CaseCategoryModel(county=county, code=category.code, name_zh=category.name_zh,
                          name_en=category.name_en, accept=category.accept,
                          handle=category.handle, verify=category.verify,
                          public=category.public, active=category.active, updated_by=by,
                          updated_at=at, version=current + 1).save(condition=condition)
    except PutError as exc:
        raise _changed_meanwhile() from exc
    return replace(category, version=current + 1)


def _changed_meanwhile() -> Conflict:
    return Conflict("The category was changed by someone else; reload and retry",
                    code="version_conflict")

"""A county's own case categories and time limits, over the defaults of
domain/case_categories.py.

Access patterns (docs/access-patterns.md):
- a county's catalogue: Query case_categories, county = :county
- one category: GetItem case_categories (county, code)
"""

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from chalicelib.domain.case_categories import DEFAULTS, Category
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


def _category(item: CaseCategoryModel) -> Category:
    return Category(item.code, item.name_zh, item.name_en, item.accept, item.handle,
                    item.verify, public=bool(item.public), active=bool(item.active))


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


def save(county: str, category: Category, *, by: str, at) -> None:
    CaseCategoryModel(county=county, code=category.code, name_zh=category.name_zh,
                      name_en=category.name_en, accept=category.accept, handle=category.handle,
                      verify=category.verify, public=category.public, active=category.active,
                      updated_by=by, updated_at=at).save()

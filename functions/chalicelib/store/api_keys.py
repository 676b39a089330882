"""API keys of machine clients (e.g. the 12345 hotline platform).

Access patterns (docs/access-patterns.md):
- a key by id (every machine request): GetItem api_keys.key_id
- the keys of a subtree: index api_keys/by_scope, county = :scope[:6] and
  begins_with(scope_key, :scope)
"""

from pynamodb.attributes import (
    BooleanAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import grid_codes
from chalicelib.errors import NotFound
from chalicelib.store import records
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta


class ApiKeysByScope(GlobalSecondaryIndex):
    Meta = index_meta("by_scope")
    county = UnicodeAttribute(hash_key=True)
    scope_key = UnicodeAttribute(range_key=True)


class ApiKeyModel(Model):
    Meta = table_meta("api_keys")

    key_id = UnicodeAttribute(hash_key=True)
    secret_digest = UnicodeAttribute()
    # Signs the callbacks sent to this client (domain/callback_signatures.py). Kept
    # as it is, not hashed, since signing needs it; the table is encrypted at rest
    # and only the API and the callback sweep may read it.
    callback_secret = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    scope_code = UnicodeAttribute()
    county = UnicodeAttribute()
    scope_key = UnicodeAttribute()
    operations = UnicodeSetAttribute()
    revoked = BooleanAttribute(default=False)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_scope = ApiKeysByScope()


records.register_mover("api_keys", ApiKeyModel, "key_id", code="scope_code", key="scope_key",
                       index="by_scope")


def build(*, key_id: str, secret_digest: str, name: str, scope_code: str,
          operations: set[str], created_by: str, created_at,
          callback_secret: str | None = None) -> ApiKeyModel:
    return ApiKeyModel(key_id=key_id, secret_digest=secret_digest,
                       callback_secret=callback_secret, name=name,
                       scope_code=scope_code, county=grid_codes.county_of(scope_code),
                       scope_key=f"{scope_code}#{key_id}", operations=operations,
                       created_by=created_by, created_at=created_at)


def create(key: ApiKeyModel) -> ApiKeyModel:
    key.save(condition=ApiKeyModel.key_id.does_not_exist())
    return key


def find(key_id: str) -> ApiKeyModel | None:
    try:
        return ApiKeyModel.get(key_id)
    except DoesNotExist:
        return None


def get(key_id: str) -> ApiKeyModel:
    key = find(key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    return key


def revoke(key: ApiKeyModel) -> None:
    key.update(actions=[ApiKeyModel.revoked.set(True)])


def in_subtree(scope_code: str, *, limit: int, cursor: str | None
               ) -> tuple[list[ApiKeyModel], str | None]:
    items, last_key = query_page(
        ApiKeyModel.by_scope.query, hash_key=grid_codes.county_of(scope_code),
        range_key_condition=ApiKeyModel.scope_key.startswith(scope_code),
        limit=limit, cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)

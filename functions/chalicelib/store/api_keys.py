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
from chalicelib.domain.api_keys import ApiKey
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


def to_domain(item: ApiKeyModel) -> ApiKey:
    return ApiKey(key_id=item.key_id, secret_digest=item.secret_digest, name=item.name,
                  scope_code=item.scope_code, operations=frozenset(item.operations or ()),
                  created_by=item.created_by, created_at=item.created_at,
                  callback_secret=item.callback_secret, revoked=bool(item.revoked),
                  version=int(item.version or 0))


def to_item(key: ApiKey) -> ApiKeyModel:
    item = ApiKeyModel(key_id=key.key_id, secret_digest=key.secret_digest,
                       callback_secret=key.callback_secret, name=key.name,
                       scope_code=key.scope_code, county=grid_codes.county_of(key.scope_code),
                       scope_key=f"{key.scope_code}#{key.key_id}", operations=set(key.operations),
                       revoked=key.revoked, created_by=key.created_by, created_at=key.created_at)
    if key.version:
        item.version = key.version
    return item


def build(*, key_id: str, secret_digest: str, name: str, scope_code: str,
          operations: set[str], created_by: str, created_at,
          callback_secret: str | None = None) -> ApiKey:
    """A key made from parts (set-up and tests; the API issues keys with ApiKey.issue)."""
    return ApiKey(key_id=key_id, secret_digest=secret_digest, name=name, scope_code=scope_code,
                  operations=frozenset(operations), created_by=created_by,
                  created_at=created_at, callback_secret=callback_secret)


def create(key: ApiKey) -> ApiKey:
    item = to_item(key)
    item.save(condition=ApiKeyModel.key_id.does_not_exist())
    key.version = int(item.version)
    return key


def find(key_id: str) -> ApiKey | None:
    try:
        return to_domain(ApiKeyModel.get(key_id))
    except DoesNotExist:
        return None


def get(key_id: str) -> ApiKey:
    key = find(key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    return key


def revoke(key: ApiKey) -> None:
    item = to_item(key)
    item.update(actions=[ApiKeyModel.revoked.set(True)])
    key.revoked, key.version = True, int(item.version)


def in_subtree(scope_code: str, *, limit: int, cursor: str | None
               ) -> tuple[list[ApiKey], str | None]:
    items, last_key = query_page(
        ApiKeyModel.by_scope.query, hash_key=grid_codes.county_of(scope_code),
        range_key_condition=ApiKeyModel.scope_key.startswith(scope_code),
        limit=limit, cursor=decode_cursor(cursor))
    return [to_domain(item) for item in items], encode_cursor(last_key)

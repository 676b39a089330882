"""The append-only audit log: who read personal data unmasked or changed a
ledger record, when, from where. Entries are only ever put, never updated.

Access patterns (docs/access-patterns.md):
- a subtree's entries in a time range: audit, county = :scope[:6] and
  at_id between :from and :to, filter begins_with(scope_code, :scope)
- one user's entries: index audit/by_actor, actor_id = :user and at_id range
- one record's entries: index audit/by_record, record = :record and at_id range
"""

import secrets
from datetime import datetime

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import grid_codes
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta


class AuditByActor(GlobalSecondaryIndex):
    Meta = index_meta("by_actor")
    actor_id = UnicodeAttribute(hash_key=True)
    at_id = UnicodeAttribute(range_key=True)


class AuditByRecord(GlobalSecondaryIndex):
    Meta = index_meta("by_record")
    record = UnicodeAttribute(hash_key=True)
    at_id = UnicodeAttribute(range_key=True)


class AuditModel(Model):
    Meta = table_meta("audit")

    county = UnicodeAttribute(hash_key=True)
    at_id = UnicodeAttribute(range_key=True)  # ISO time + random suffix: unique, sorted
    at = UTCDateTimeAttribute()
    actor_id = UnicodeAttribute()
    # As the actor was called then: the log reads as names, and a renamed or
    # deleted account does not change what it says.
    actor_name = UnicodeAttribute(null=True)
    actor_role = UnicodeAttribute()
    action = UnicodeAttribute()  # e.g. reveal, create, update, disable
    record = UnicodeAttribute()  # e.g. user#<id>, resident#<id>
    scope_code = UnicodeAttribute()  # the grid the record belongs to
    fields = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute(null=True)
    changes = MapAttribute(null=True)

    by_actor = AuditByActor()
    by_record = AuditByRecord()


def _at_key(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build(*, at: datetime, actor_id: str, actor_name: str, actor_role: str, action: str,
          record: str, scope_code: str, fields: str | None, source_ip: str | None,
          changes: dict | None = None) -> AuditModel:
    """An entry, for a transaction that writes it with the change it records."""
    return AuditModel(county=grid_codes.county_of(scope_code),
                      at_id=f"{_at_key(at)}#{secrets.token_hex(4)}", at=at, actor_id=actor_id,
                      actor_name=actor_name or None,
                      actor_role=actor_role, action=action, record=record,
                      scope_code=scope_code, fields=fields, source_ip=source_ip,
                      changes=changes)


def append(**entry_fields) -> AuditModel:
    entry = build(**entry_fields)
    entry.save(condition=AuditModel.at_id.does_not_exist())
    return entry


def query(*, scope_code: str, actor_id: str | None, record: str | None, since: datetime,
          until: datetime, limit: int, cursor: str | None) -> tuple[list[AuditModel], str | None]:
    between = AuditModel.at_id.between(_at_key(since), _at_key(until) + "~")
    in_scope = AuditModel.scope_code.startswith(scope_code)
    if actor_id is not None:
        query_fn, hash_key = AuditModel.by_actor.query, actor_id
        condition = in_scope & (AuditModel.record == record) if record else in_scope
    elif record is not None:
        query_fn, hash_key, condition = AuditModel.by_record.query, record, in_scope
    else:
        query_fn, hash_key = AuditModel.query, grid_codes.county_of(scope_code)
        condition = in_scope
    items, last_key = query_page(query_fn, hash_key=hash_key, range_key_condition=between,
                                 filter_condition=condition, scan_index_forward=False,
                                 limit=limit, cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)

"""Callbacks to the 12345 hotline platform: one item per notification owed.

Enqueued in the same transaction as the case change that owes it (a close);
the callback sweep delivers what is due and reschedules failures with backoff
until it gives up, leaving the item `failed` for admins to see.

Access patterns (docs/access-patterns.md):
- callbacks due for delivery: index by_due (sparse), pending = "pending" and
  due_key <= "<now>"
- a subtree's callbacks in one status: index by_status, status_key =
  "<county>#<status>" and begins_with(scope_key, :scope)
- one callback: GetItem case_callbacks.callback_id
- callbacks of a subtree (grid moves): index by_status, per status, as above
"""

from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import grid_codes
from chalicelib.store import grid_moves
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class ByDue(GlobalSecondaryIndex):
    Meta = index_meta("by_due")
    pending = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)


class ByStatus(GlobalSecondaryIndex):
    Meta = index_meta("by_status")
    status_key = UnicodeAttribute(hash_key=True)
    scope_key = UnicodeAttribute(range_key=True)


class CallbackModel(Model):
    Meta = table_meta("case_callbacks")

    callback_id = UnicodeAttribute(hash_key=True)
    case_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    url = UnicodeAttribute()
    payload = UnicodeAttribute()  # the JSON body, fixed when the callback was owed
    key_id = UnicodeAttribute(null=True)  # the API key whose callback secret signs it
    grid_code = UnicodeAttribute()
    status = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    delivered_at = UTCDateTimeAttribute(null=True)
    pending = UnicodeAttribute(null=True)
    due_key = UnicodeAttribute(null=True)
    status_key = UnicodeAttribute()
    scope_key = UnicodeAttribute()

    by_due = ByDue()
    by_status = ByStatus()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _keys(item: CallbackModel) -> CallbackModel:
    item.status_key = f"{grid_codes.county_of(item.grid_code)}#{item.status}"
    item.scope_key = f"{item.grid_code}#{_stamp(item.created_at)}#{item.callback_id}"
    if item.status == PENDING:
        item.pending, item.due_key = PENDING, f"{_stamp(item.next_attempt_at)}#{item.callback_id}"
    else:
        item.pending = item.due_key = None
    return item


def build(*, callback_id: str, case_id: str, ticket_id: str, url: str, payload: str,
          grid_code: str, now: datetime, key_id: str | None = None) -> CallbackModel:
    return _keys(CallbackModel(callback_id=callback_id, case_id=case_id, ticket_id=ticket_id,
                               url=url, payload=payload, key_id=key_id, grid_code=grid_code,
                               status=PENDING,
                               attempts=0, next_attempt_at=now, created_at=now))


def get(callback_id: str) -> CallbackModel | None:
    try:
        return CallbackModel.get(callback_id, consistent_read=True)
    except DoesNotExist:
        return None


def due(now: datetime, limit: int) -> list[str]:
    return [item.callback_id for item in CallbackModel.by_due.query(
        PENDING, range_key_condition=CallbackModel.due_key <= f"{_stamp(now)}#~", limit=limit)]


def _save_if(item: CallbackModel, condition) -> bool:
    _keys(item)
    try:
        item.save(condition=condition)
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def claim(item: CallbackModel, *, retry_at: datetime) -> bool:
    """Take the next attempt (before sending), so that two sweeps never both send it;
    if this sweep dies mid-attempt, the next one retries at `retry_at`."""
    seen = int(item.attempts or 0)
    item.attempts, item.next_attempt_at = seen + 1, retry_at
    return _save_if(item, (CallbackModel.attempts == seen) & (CallbackModel.status == PENDING))


def finish(item: CallbackModel, *, status: str, error: str | None, now: datetime) -> bool:
    """Record how the claimed attempt ended."""
    item.status, item.last_error = status, error
    if status == DELIVERED:
        item.delivered_at = now
    if status != PENDING:
        item.next_attempt_at = None
    return _save_if(item, (CallbackModel.attempts == item.attempts)
                    & (CallbackModel.status == PENDING))


def retry(item: CallbackModel, *, now: datetime) -> bool:
    """Put a failed callback back in the queue (an admin's decision)."""
    item.status, item.next_attempt_at = PENDING, now
    return _save_if(item, CallbackModel.status == FAILED)


def in_status(scope: str, status: str, *, limit: int, cursor: str | None
              ) -> tuple[list[CallbackModel], str | None]:
    items, last_key = query_page(
        CallbackModel.by_status.query, hash_key=f"{grid_codes.county_of(scope)}#{status}",
        range_key_condition=CallbackModel.scope_key.startswith(scope), limit=limit,
        cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)


@grid_moves.register("case_callbacks")
def move_some(old_prefix: str, new_prefix: str, limit: int) -> int:
    """Re-code up to `limit` callbacks of cases located under `old_prefix`."""
    found = 0
    for status in (PENDING, FAILED, DELIVERED):
        for entry in CallbackModel.by_status.query(
                f"{grid_codes.county_of(old_prefix)}#{status}",
                range_key_condition=CallbackModel.scope_key.startswith(old_prefix),
                limit=limit - found):
            found += 1
            item = get(entry.callback_id)
            if item is None or not item.grid_code.startswith(old_prefix):
                continue
            old_code = item.grid_code
            item.grid_code = new_prefix + old_code[len(old_prefix):]
            _save_if(item, CallbackModel.grid_code == old_code)
        if found >= limit:
            break
    return found

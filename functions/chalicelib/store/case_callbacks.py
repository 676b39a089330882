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
from chalicelib.domain.case_callbacks import DELIVERED, FAILED, PENDING, Callback
from chalicelib.store import grid_moves
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta


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


def to_domain(item: CallbackModel) -> Callback:
    return Callback(callback_id=item.callback_id, case_id=item.case_id,
                    ticket_id=item.ticket_id, url=item.url, payload=item.payload,
                    grid_code=item.grid_code, created_at=item.created_at, key_id=item.key_id,
                    status=item.status, attempts=int(item.attempts or 0),
                    next_attempt_at=item.next_attempt_at, last_error=item.last_error,
                    delivered_at=item.delivered_at)


def to_item(callback: Callback) -> CallbackModel:
    item = CallbackModel(
        callback_id=callback.callback_id, case_id=callback.case_id,
        ticket_id=callback.ticket_id, url=callback.url, payload=callback.payload,
        key_id=callback.key_id, grid_code=callback.grid_code, status=callback.status,
        attempts=callback.attempts, next_attempt_at=callback.next_attempt_at,
        last_error=callback.last_error, created_at=callback.created_at,
        delivered_at=callback.delivered_at,
        status_key=f"{grid_codes.county_of(callback.grid_code)}#{callback.status}",
        scope_key=f"{callback.grid_code}#{_stamp(callback.created_at)}#{callback.callback_id}")
    if callback.status == PENDING:
        item.pending = PENDING
        item.due_key = f"{_stamp(callback.next_attempt_at)}#{callback.callback_id}"
    return item


def put(callback: Callback) -> None:
    """Write a callback as it stands, outside any change (set-up and tests: a close
    owes its callback in the close's own transaction, store/cases.commit)."""
    to_item(callback).save()


def get(callback_id: str) -> Callback | None:
    try:
        return to_domain(CallbackModel.get(callback_id, consistent_read=True))
    except DoesNotExist:
        return None


def due(now: datetime, limit: int) -> list[str]:
    return [item.callback_id for item in CallbackModel.by_due.query(
        PENDING, range_key_condition=CallbackModel.due_key <= f"{_stamp(now)}#~", limit=limit)]


def _save_if(callback: Callback, condition) -> bool:
    try:
        to_item(callback).save(condition=condition)
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def claim(callback: Callback, *, retry_at: datetime) -> bool:
    """Take the next attempt (before sending), so that two sweeps never both send it;
    if this sweep dies mid-attempt, the next one retries at `retry_at`."""
    seen = callback.attempts
    callback.take_attempt(retry_at)
    return _save_if(callback, (CallbackModel.attempts == seen)
                    & (CallbackModel.status == PENDING))


def finish(callback: Callback, *, status: str, error: str | None, now: datetime) -> bool:
    """Record how the claimed attempt ended."""
    callback.attempt_ended(status, error, now)
    return _save_if(callback, (CallbackModel.attempts == callback.attempts)
                    & (CallbackModel.status == PENDING))


def retry(callback: Callback, *, now: datetime) -> bool:
    """Put a failed callback back in the queue (an admin's decision)."""
    callback.requeue(now)
    return _save_if(callback, CallbackModel.status == FAILED)


def in_status(scope: str, status: str, *, limit: int, cursor: str | None
              ) -> tuple[list[Callback], str | None]:
    items, last_key = query_page(
        CallbackModel.by_status.query, hash_key=f"{grid_codes.county_of(scope)}#{status}",
        range_key_condition=CallbackModel.scope_key.startswith(scope), limit=limit,
        cursor=decode_cursor(cursor))
    return [to_domain(item) for item in items], encode_cursor(last_key)


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

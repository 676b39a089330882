"""What every table shares: its name per stage, the endpoint, timeouts,
transactions, and opaque pagination cursors."""

import base64
import binascii
import json
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pynamodb.attributes import TTLAttribute  # noqa: F401 - re-exported for the models

from chalicelib.errors import InvalidInput, Unavailable
from chalicelib.settings import settings
from chalicelib.store.availability import as_unavailable

T = TypeVar("T")


def table_meta(aggregate: str) -> type:
    """The PynamoDB Meta of the table that holds `aggregate`."""

    class Meta:
        table_name = settings.table_name(aggregate)
        region = settings.region
        host = settings.dynamodb_endpoint
        billing_mode = "PAY_PER_REQUEST"
        connect_timeout_seconds = settings.connect_timeout_seconds
        read_timeout_seconds = settings.read_timeout_seconds
        max_retry_attempts = settings.call_attempts - 1
        if settings.dynamodb_endpoint:
            # DynamoDB Local accepts any credentials but needs some to sign with.
            aws_access_key_id = "local"
            aws_secret_access_key = "local"

    return Meta


def client_config() -> Any:
    """botocore's timeouts and retries for the clients made outside PynamoDB (S3,
    idempotency), the same as the tables'."""
    from botocore.config import Config

    return Config(connect_timeout=settings.connect_timeout_seconds,
                  read_timeout=settings.read_timeout_seconds,
                  retries={"mode": "standard", "total_max_attempts": settings.call_attempts})


_connection = None


def connection() -> Any:
    """The PynamoDB connection transactions go through (items of any table may join one)."""
    from pynamodb.connection import Connection

    global _connection
    if _connection is None:
        # One connection for the process: each new one builds a botocore client,
        # which costs far more than the transaction itself.
        credentials = ({"aws_access_key_id": "local", "aws_secret_access_key": "local"}
                       if settings.dynamodb_endpoint else {})
        _connection = Connection(region=settings.region, host=settings.dynamodb_endpoint,
                                 connect_timeout_seconds=settings.connect_timeout_seconds,
                                 read_timeout_seconds=settings.read_timeout_seconds,
                                 max_retry_attempts=settings.call_attempts - 1, **credentials)
    return _connection


@contextmanager
def transaction() -> Iterator[Any]:
    """A TransactWrite (items of any table may join it), committed when the block ends.

    An outage is raised as Unavailable, so that a caller's `except
    TransactWriteError` only ever meets a cancelled transaction.
    """
    from pynamodb.transactions import TransactWrite

    try:
        with TransactWrite(connection=connection()) as write:
            yield write
    except Exception as exc:
        outage = as_unavailable(exc)
        if outage is None or outage is exc:
            raise
        raise outage from exc


CONFLICT_ATTEMPTS = 6
CONFLICT_BACKOFF_SECONDS = 0.025


def cancellation_codes(error: Any) -> list[str | None]:
    """Why DynamoDB cancelled a transaction, item by item in the order sent."""
    return [reason.code if reason else None for reason in error.cancellation_reasons or []]


def write_transaction(fill: Callable[[Any], None]) -> None:
    """Commit what `fill` adds to a transaction, again while DynamoDB cancels it
    for a conflict with another transaction on one of its items.

    Writes that share a counter item (every case write of a county adds to the
    county's) meet each other; the tries are spread by jittered exponential
    back-off, and when none gets through it is Unavailable (retry later). A
    cancellation for a failed condition is raised as it came (TransactWriteError).
    """
    from pynamodb.exceptions import TransactWriteError

    for attempt in range(CONFLICT_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, CONFLICT_BACKOFF_SECONDS * 2 ** attempt))
        try:
            with transaction() as write:
                fill(write)
            return
        except TransactWriteError as exc:
            codes = cancellation_codes(exc)
            if "TransactionConflict" not in codes or "ConditionalCheckFailed" in codes:
                raise
    raise Unavailable("Others are changing the same records at this moment; retry shortly",
                      code="write_contention", retry_after_seconds=1)


def index_meta(index_name: str) -> type:
    from pynamodb.indexes import AllProjection

    class Meta:
        projection = AllProjection()

    Meta.index_name = index_name
    return Meta


def encode_cursor(state: dict[str, Any] | None) -> str | None:
    if not state:
        return None
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor", "Not a cursor this API returned") from None
    if not isinstance(state, dict):
        raise InvalidInput("cursor", "Not a cursor this API returned")
    return state


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def query_page(query: Any, *, limit: int, cursor: dict[str, Any] | None, **kwargs: Any
               ) -> tuple[list[Any], dict[str, Any] | None]:
    """One page of a PynamoDB query; returns the items and the key to resume from."""
    from pynamodb.exceptions import QueryError

    try:
        results = query(limit=limit, last_evaluated_key=cursor, **kwargs)
        items = list(results)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidInput("cursor", "Not a cursor this API returned") from None
    except QueryError as exc:
        if cursor and exc.cause_response_code == "ValidationException":
            raise InvalidInput("cursor", "Not a cursor this API returned") from None
        raise
    return items, results.last_evaluated_key if len(items) == limit else None

"""The one source of the current time (UTC), so tests can move it."""

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)

"""Optimistic concurrency: a change names the version it was made on."""

from chalicelib.errors import Conflict


def stale(what: str) -> Conflict:
    return Conflict(f"The {what} was changed by someone else; reload and retry",
                    code="version_conflict")


def check(what: str, current: int, expected: int) -> None:
    """A change made on an older version than the stored one would undo another's."""
    if current != expected:
        raise stale(what)

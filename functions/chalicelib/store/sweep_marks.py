"""How far each scheduled sweep has got, so a run resumes where the last one stopped.

Access pattern (docs/access-patterns.md): a sweep's mark: GetItem sweep_marks.name.
"""

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from chalicelib.store.base import table_meta


class SweepMarkModel(Model):
    Meta = table_meta("sweep_marks")

    name = UnicodeAttribute(hash_key=True)
    done_until = UnicodeAttribute()  # the sweep's own position, e.g. an hour bucket
    updated_at = UTCDateTimeAttribute()


def read(name: str) -> str | None:
    try:
        return SweepMarkModel.get(name, consistent_read=True).done_until
    except DoesNotExist:
        return None


def advance(name: str, done_until: str, at) -> None:
    """Move the mark forward (never back: a slower concurrent run cannot rewind it)."""
    try:
        SweepMarkModel(name=name, done_until=done_until, updated_at=at).save(
            condition=SweepMarkModel.name.does_not_exist()
            | (SweepMarkModel.done_until < done_until))
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise

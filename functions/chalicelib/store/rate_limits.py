"""How often a client has asked for something lately: one counter item per
(what, client, minute), added to with a conditional update, so every Lambda
instance counts on the same item; DynamoDB expires the items once their
minute is long past.

Access patterns (docs/access-patterns.md):
- a client's count in a window: rate_limits, UpdateItem on `bucket`
"""

from datetime import datetime, timedelta

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.models import Model

from chalicelib.store.base import TTLAttribute, table_meta

WINDOW_SECONDS = 60
# Kept a while past the window, since DynamoDB's expiry runs late and an item
# expired early would let a client start its minute again.
KEEP = timedelta(hours=1)


class RateLimitModel(Model):
    Meta = table_meta("rate_limits")

    bucket = UnicodeAttribute(hash_key=True)  # "<what>#<client>#<window start>"
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute()


def window_of(now: datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS * WINDOW_SECONDS


def take(what: str, client: str, limit: int, now: datetime) -> int | None:
    """Counts one request of `client`; None when it is within `limit` this
    window, else the seconds until the next window begins."""
    window = window_of(now)
    item = RateLimitModel(f"{what}#{client}#{window}")
    try:
        item.update(actions=[RateLimitModel.count.add(1),
                             RateLimitModel.expires_at.set(now + KEEP)],
                    condition=RateLimitModel.count.does_not_exist()
                    | (RateLimitModel.count < limit))
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return max(1, window + WINDOW_SECONDS - int(now.timestamp()))
        raise
    return None

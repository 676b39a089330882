"""The table Powertools idempotency keeps its records in. Declared as a model
so that it is created, and deployed, from the same schema source as the rest."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import table_meta


class IdempotencyModel(Model):
    Meta = table_meta("idempotency")

    id = UnicodeAttribute(hash_key=True)
    expiration = NumberAttribute(null=True)  # the TTL attribute Powertools writes


def table_name() -> str:
    return IdempotencyModel.Meta.table_name

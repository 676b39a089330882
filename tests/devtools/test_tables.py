"""A table kept from before an index was added (make run's .data/) gets the index."""

import secrets

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model


def test_an_existing_table_gets_the_index_its_model_added(database):
    from chalicelib.store.base import index_meta, table_meta

    from devtools import tables

    aggregate = f"tables_test_{secrets.token_hex(4)}"

    class Before(Model):
        Meta = table_meta(aggregate)
        key = UnicodeAttribute(hash_key=True)

    class ByOwner(GlobalSecondaryIndex):
        Meta = index_meta("by_owner")
        owner = UnicodeAttribute(hash_key=True)
        at = UnicodeAttribute(range_key=True)

    class After(Model):
        Meta = table_meta(aggregate)
        key = UnicodeAttribute(hash_key=True)
        owner = UnicodeAttribute(null=True)
        at = UnicodeAttribute(null=True)
        by_owner = ByOwner()

    try:
        assert tables.create(Before) == Before.Meta.table_name
        After(key="k1", owner="u1", at="2026").save()
        assert tables.create(After) == f"{After.Meta.table_name}/by_owner"
        assert tables.create(After) is None
        assert [item.key for item in After.by_owner.query("u1")] == ["k1"]
    finally:
        Before.delete_table()

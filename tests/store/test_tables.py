"""Tables are made idempotently, also when a slow CreateTable is sent twice."""

import uuid

import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import TableError


@pytest.fixture
def fresh_model(database):
    """A model of its own throwaway table, shaped like the sessions' (it has a TTL)."""
    from chalicelib.store.tables import SessionModel

    class FreshModel(SessionModel):
        class Meta(SessionModel.Meta):
            table_name = f"wangge-test-fresh-{uuid.uuid4().hex[:8]}"

    yield FreshModel
    if FreshModel.exists():
        FreshModel.delete_table()


def test_a_create_table_answered_late_and_sent_again_still_makes_the_table(fresh_model,
                                                                         monkeypatch):
    from devtools import tables

    connection = fresh_model._get_connection()
    real_create = connection.create_table

    def created_then_resent(**kwargs):
        real_create(**kwargs)
        refusal = {"Error": {"Code": "ResourceInUseException",
                             "Message": "Cannot create preexisting table"}}
        raise TableError("Failed to create table", cause=ClientError(refusal, "CreateTable"))

    monkeypatch.setattr(connection, "create_table", created_then_resent)
    assert tables.create(fresh_model) == fresh_model.Meta.table_name
    assert fresh_model.exists()
    assert tables.create(fresh_model) is None


def test_other_refusals_are_not_taken_for_done(fresh_model, monkeypatch):
    from devtools import tables

    def refused(**kwargs):
        refusal = {"Error": {"Code": "LimitExceededException", "Message": "Too many tables"}}
        raise TableError("Failed to create table", cause=ClientError(refusal, "CreateTable"))

    monkeypatch.setattr(fresh_model._get_connection(), "create_table", refused)
    with pytest.raises(TableError):
        tables.create(fresh_model)

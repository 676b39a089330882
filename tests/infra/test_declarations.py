"""What the stack is built from fails early, with a message saying what to fix:
stage settings, FUNCTION_NEEDS entries, TTL declarations. No synthesis here."""

import pytest
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model
from wangge_infra import permissions, schema, stage
from wangge_infra.schema import Key, TableSpec

TABLES = [TableSpec(aggregate="grids", model="GridModel", partition_key=Key("code", "S"),
                    sort_key=None)]


def settings(**context):
    return stage.from_context(context.get)


def test_stages_default_to_dev_in_beijing_and_protect_data_in_prod():
    dev, prod = settings(), settings(stage="prod")
    assert (dev.stage, dev.region, dev.is_china) == ("dev", "cn-north-1", True)
    assert not dev.retain_data and not dev.deletion_protection
    assert prod.retain_data and prod.deletion_protection and prod.table_alarms
    assert settings(region="ap-southeast-1").is_china is False


@pytest.mark.parametrize("context, message", [
    ({"stage": "test"}, "stage must be one of"),
    ({"region": "cn-north-1", "domain_name": "a.cn", "certificate_arn": "arn:x"}, "no ACM"),
    ({"region": "us-east-1", "domain_name": "a.com"}, "go together"),
    ({"region": "us-east-1", "certificate_arn": "arn:x"}, "go together"),
    ({"region": "us-east-1", "domain_name": "a.com", "certificate_arn": "arn:x",
      "iam_certificate_id": "ASCA"}, "not both"),
])
def test_inconsistent_stage_settings_are_refused(context, message):
    with pytest.raises(ValueError, match=message):
        settings(**context)


CASES = TableSpec(aggregate="cases", model="CaseModel", partition_key=Key("case_id", "S"),
                  sort_key=None)
AUDIT = TableSpec(aggregate="audit", model="AuditModel", partition_key=Key("county", "S"),
                  sort_key=Key("at_id", "S"))


def test_every_table_stands_for_each_table_the_entry_does_not_name():
    tables = TABLES + [CASES, AUDIT]
    needs = permissions.parse("f", {"tables": {"*": "read", "cases": "read_write"}}, tables)
    assert needs.tables == {"audit": "read", "cases": "read_write", "grids": "read"}
    needs = permissions.parse("f", {"tables": {"audit": "append", "*": "read_write"}}, tables)
    assert needs.tables == {"audit": "append", "cases": "read_write", "grids": "read_write"}


def test_an_appended_table_may_be_read_and_put_to_but_not_updated_or_deleted_from():
    tables = TABLES + [AUDIT]
    needs = permissions.parse("f", {"tables": {"audit": "append", "grids": "read_write"}},
                              tables)
    assert [(g.sid, g.actions, g.resources) for g in permissions.grants(needs, tables)] == [
        ("ReadTables", tuple(permissions.TABLE_READ), (("table", "grids"), ("table", "audit"))),
        ("AppendToTables", ("dynamodb:PutItem",), (("table", "audit"),)),
        ("WriteTables", tuple(permissions.TABLE_WRITE), (("table", "grids"),)),
    ]


@pytest.mark.parametrize("entry, message", [
    ({"tables": {"rentals": "read"}}, "no table 'rentals'"),
    ({"tables": {"grids": "write"}}, "level 'write'"),
    ({"buckets": {"photos": "read"}}, "bucket 'photos'"),
    ({"buckets": {"exports": "delete"}}, "bucket 'exports'"),
    ({"queues": {}}, "unknown keys"),
])
def test_a_wrong_needs_entry_is_refused(entry, message):
    with pytest.raises(ValueError, match=message):
        permissions.parse("f", entry, TABLES)


def test_grants_name_tables_indexes_buckets_and_keys():
    indexed = [TableSpec(aggregate="grids", model="GridModel", partition_key=Key("code", "S"),
                         sort_key=None, global_indexes=(schema.IndexSpec(
                             "by_parent", Key("parent", "S"), None, "ALL"),))]
    needs = permissions.parse("f", {"tables": {"grids": "read"},
                                    "buckets": {"exports": "read_write"}, "signing_keys": True,
                                    "qr_keys": True},
                              indexed)
    assert [(g.sid, g.resources) for g in permissions.grants(needs, indexed)] == [
        ("ReadTables", (("table", "grids"),)),
        ("QueryIndexes", (("index", "grids", "by_parent"),)),
        ("ExportsObjects", (("objects", "exports"),)),
        ("ExportsKeys", (("bucket", "exports"),)),
        ("SigningKeys", (("signing_keys",),)),
        ("QrKeys", (("qr_keys",),)),
    ]


class _Meta:
    table_name = "wangge-test-things"
    region = "cn-north-1"


class Expiring(Model):
    Meta = _Meta
    thing_id = UnicodeAttribute(hash_key=True)
    expires_at = TTLAttribute(null=True)
    expiration = NumberAttribute(null=True)


def test_a_ttl_attribute_must_be_declared_and_a_declared_one_must_be_a_number():
    with pytest.raises(ValueError, match="add it to TTL_ATTRIBUTES"):
        schema.ttl_attribute(Expiring, None)
    with pytest.raises(ValueError, match="not a number attribute"):
        schema.ttl_attribute(Expiring, "thing_id")
    with pytest.raises(ValueError, match="but the TTLAttribute is 'expires_at'"):
        schema.ttl_attribute(Expiring, "expiration")
    assert schema.ttl_attribute(Expiring, "expires_at") == "expires_at"


def test_a_ttl_declaration_for_a_model_not_in_all_models_is_refused():
    with pytest.raises(ValueError, match="not in ALL_MODELS"):
        schema.describe_all([], "wangge-test-", {Expiring: "expires_at"})

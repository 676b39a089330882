"""Every table and index the models use exists on AWS with the same keys.

The expectation is PynamoDB's own description of each model (what
`create_table` sends to DynamoDB Local in the other tests), not the infra's
reading of it.
"""

import pytest


@pytest.fixture(scope="module")
def models():
    from chalicelib.settings import settings
    from chalicelib.store import tables

    return {model.Meta.table_name.removeprefix(settings.table_prefix): model
            for model in tables.ALL_MODELS}


def _tables(template):
    prefix = f"wangge-{template.target.stage}-"
    return {props["TableName"].removeprefix(prefix): props
            for props in template.of_type("AWS::DynamoDB::Table").values()}


def _keys(key_schema):
    return sorted((key["KeyType"], key["AttributeName"]) for key in key_schema)


def test_there_is_one_table_per_model_and_no_other(template, models):
    assert sorted(_tables(template)) == sorted(models)


def test_every_table_has_the_keys_indexes_and_attribute_types_of_its_model(template, models):
    tables = _tables(template)
    for aggregate, model in models.items():
        schema = model._get_schema()
        table = tables[aggregate]
        assert _keys(table["KeySchema"]) == _keys(schema["key_schema"]), aggregate
        for template_key, model_key in (("GlobalSecondaryIndexes", "global_secondary_indexes"),
                                        ("LocalSecondaryIndexes", "local_secondary_indexes")):
            deployed = {index["IndexName"]: (_keys(index["KeySchema"]), index["Projection"])
                        for index in table.get(template_key, [])}
            declared = {index["index_name"]: (_keys(index["key_schema"]), index["projection"])
                        for index in schema[model_key]}
            assert deployed == declared, f"{aggregate} {template_key}"
        attribute_types = {a["AttributeName"]: a["AttributeType"]
                           for a in schema["attribute_definitions"]}
        for index in schema["global_secondary_indexes"] + schema["local_secondary_indexes"]:
            attribute_types.update({a["AttributeName"]: a["AttributeType"]
                                    for a in index.get("attribute_definitions", [])})
        assert {a["AttributeName"]: a["AttributeType"]
                for a in table["AttributeDefinitions"]} == attribute_types, aggregate


def test_items_expire_by_the_ttl_attributes_the_app_declares(template, models):
    from chalicelib.store.tables import TTL_ATTRIBUTES

    tables = _tables(template)
    for aggregate, model in models.items():
        declared = TTL_ATTRIBUTES.get(model)
        typed = model._ttl_attribute()
        if typed is not None:
            assert declared is not None, f"{model.__name__} has a TTLAttribute not in TTL_ATTRIBUTES"
        expected = ({"AttributeName": model.get_attributes()[declared].attr_name, "Enabled": True}
                    if declared else None)
        assert tables[aggregate].get("TimeToLiveSpecification") == expected, aggregate


def test_tables_are_on_demand_encrypted_recoverable_and_protected_in_prod(template):
    prod = template.target.stage == "prod"
    for logical_id, props in template.of_type("AWS::DynamoDB::Table").items():
        assert props["BillingMode"] == "PAY_PER_REQUEST", logical_id
        assert props["SSESpecification"]["SSEEnabled"] is True, logical_id
        assert props["PointInTimeRecoverySpecification"][
            "PointInTimeRecoveryEnabled"] is True, logical_id
        assert props.get("DeletionProtectionEnabled", False) is prod, logical_id
        expected_policy = "Retain" if prod else "Delete"
        assert template.resources[logical_id]["DeletionPolicy"] == expected_policy, logical_id

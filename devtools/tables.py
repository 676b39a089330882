"""Create every table and index from the PynamoDB models, idempotently: a table
kept in `.data/` from before an index was added gets the index."""

import time
from concurrent.futures import ThreadPoolExecutor

from pynamodb.exceptions import TableError


def add_missing_indexes(model) -> list[str]:
    """Add the model's global indexes its existing table lacks, one at a time (as
    DynamoDB allows), waiting for each; their names."""
    connection = model._get_connection().connection
    name = model.Meta.table_name
    added = []
    for index in model._get_schema()["global_secondary_indexes"]:
        present = connection.describe_table(name).get("GlobalSecondaryIndexes", [])
        if any(found["IndexName"] == index["index_name"] for found in present):
            continue
        connection.dispatch("UpdateTable", {
            "TableName": name, "AttributeDefinitions": index["attribute_definitions"],
            "GlobalSecondaryIndexUpdates": [{"Create": {
                "IndexName": index["index_name"],
                "KeySchema": sorted(index["key_schema"], key=lambda key: key["KeyType"]),
                "Projection": index["projection"]}}]})
        while not any(found["IndexName"] == index["index_name"]
                      and found["IndexStatus"] == "ACTIVE"
                      for found in connection.describe_table(name)
                      .get("GlobalSecondaryIndexes", [])):
            time.sleep(0.2)
        added.append(f"{name}/{index['index_name']}")
    return added


def create(model) -> str | None:
    """Create one model's table unless it exists, or add the indexes it lacks; what it
    made (the table's name, or its new indexes'), None when nothing."""
    if model.exists():
        added = add_missing_indexes(model)
        return ", ".join(added) if added else None
    try:
        model.create_table(wait=True)
    except TableError as exc:
        # On a loaded machine botocore sends a CreateTable again when its answer is
        # late, and the second finds the table the first one made.
        if exc.cause_response_code != "ResourceInUseException":
            raise
        model.create_table(wait=True)  # it exists now: this waits for it and sets its TTL
    return model.Meta.table_name


def create_all() -> list[str]:
    """Create the tables that are missing (several at once); returns the names created."""
    from chalicelib.store.tables import ALL_MODELS

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [name for name in pool.map(create, ALL_MODELS) if name]


def delete_all() -> None:
    from chalicelib.store.tables import ALL_MODELS

    for model in ALL_MODELS:
        if model.exists():
            model.delete_table()

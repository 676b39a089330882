"""Writing a fresh demo county fast: the store's items put in batches,
unconditionally. Only set-up code does this; no deployed function may batch
write (infra/wangge_infra/permissions.py), and the API's own writes go through
transactions (store/unit_of_work.py)."""

from typing import Any


def put_fresh(items: list[Any]) -> None:
    """Put items built by the store (store.<aggregate>.to_item), grouped by their
    table; a versioned item is stored at version 1, as a first write leaves it."""
    by_model: dict[type, list[Any]] = {}
    for item in items:
        by_model.setdefault(type(item), []).append(item)
    for model, of_model in by_model.items():
        with model.batch_write() as batch:
            for item in of_model:
                if model._version_attribute_name:
                    setattr(item, model._version_attribute_name, 1)
                batch.save(item)


def put_raw(table: str, items: list[dict[str, Any]]) -> None:
    """Put raw DynamoDB items (counter totals, whose attributes no model names)."""
    from chalicelib.store.base import connection

    dispatch = connection().dispatch
    puts = [{"PutRequest": {"Item": item}} for item in items]
    for start in range(0, len(puts), 25):
        request = {table: puts[start:start + 25]}
        while request:
            request = dispatch("BatchWriteItem", {"RequestItems": request}).get(
                "UnprocessedItems") or None

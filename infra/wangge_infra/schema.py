"""The DynamoDB tables the app needs, read off its PynamoDB models.

Every table, key, attribute type and index comes from the models in
ALL_MODELS through PynamoDB's own schema (`Model._get_schema()`, the same
description `create_table` sends to DynamoDB Local), and the TTL attributes
from TTL_ATTRIBUTES beside it, so the tables on AWS and the ones the tests run
against cannot drift apart. Pure Python: no CDK here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ATTRIBUTE_TYPES = ("S", "N", "B")


@dataclass(frozen=True)
class Key:
    name: str
    type: str  # "S", "N" or "B", as DynamoDB names attribute types


@dataclass(frozen=True)
class IndexSpec:
    name: str
    partition_key: Key
    sort_key: Key | None
    projection: str  # "ALL", "KEYS_ONLY" or "INCLUDE"
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    aggregate: str  # the table's name without the stage prefix: "grids", "workers", ...
    model: str  # the PynamoDB model's class name, for messages
    partition_key: Key
    sort_key: Key | None
    global_indexes: tuple[IndexSpec, ...] = ()
    local_indexes: tuple[IndexSpec, ...] = ()
    ttl_attribute: str | None = None

    def table_name(self, prefix: str) -> str:
        return f"{prefix}{self.aggregate}"

    @property
    def indexes(self) -> tuple[IndexSpec, ...]:
        return self.global_indexes + self.local_indexes


def table_prefix(stage: str) -> str:
    """Tables are named `wangge-<stage>-<aggregate>` (chalicelib/settings.py)."""
    return f"wangge-{stage}-"


def _keys(key_schema: list[dict[str, str]], types: dict[str, str], where: str
          ) -> tuple[Key, Key | None]:
    by_type = {entry["KeyType"]: entry["AttributeName"] for entry in key_schema}
    if "HASH" not in by_type:
        raise ValueError(f"{where} has no hash key")
    for name in by_type.values():
        if types.get(name) not in ATTRIBUTE_TYPES:
            raise ValueError(f"{where}: key {name} has no key type (S, N or B)")
    hash_key = Key(by_type["HASH"], types[by_type["HASH"]])
    range_key = Key(by_type["RANGE"], types[by_type["RANGE"]]) if "RANGE" in by_type else None
    return hash_key, range_key


def _index(raw: dict[str, Any], types: dict[str, str], where: str) -> IndexSpec:
    name = raw["index_name"]
    hash_key, range_key = _keys(raw["key_schema"], types, f"{where} index {name}")
    projection = raw["projection"]
    return IndexSpec(name=name, partition_key=hash_key, sort_key=range_key,
                     projection=projection["ProjectionType"],
                     non_key_attributes=tuple(projection.get("NonKeyAttributes", ())))


def aggregate_of(model: Any, prefix: str) -> str:
    """The table name without the prefix the app was configured with."""
    name = model.Meta.table_name
    if not name.startswith(prefix) or len(name) == len(prefix):
        raise ValueError(f"{model.__name__}.Meta.table_name {name!r} does not start with the "
                         f"table prefix {prefix!r}: build its Meta with store.base.table_meta")
    return name[len(prefix):]


def ttl_attribute(model: Any, declared: str | None) -> str | None:
    """The DynamoDB name of the attribute `model` expires items by.

    The app declares it in TTL_ATTRIBUTES (a Powertools-written `expiration`
    is a plain NumberAttribute); a TTLAttribute on the model must be the
    declared one, so neither can be forgotten.
    """
    typed = model._ttl_attribute()
    if declared is None:
        if typed is not None:
            raise ValueError(f"{model.__name__} has the TTLAttribute {typed.attr_name!r}; "
                             "add it to TTL_ATTRIBUTES in chalicelib/store/tables.py")
        return None
    attribute = model.get_attributes().get(declared)
    if attribute is None or attribute.attr_type != "N":
        raise ValueError(f"TTL_ATTRIBUTES names {model.__name__}.{declared}, which is not a "
                         "number attribute of the model")
    if typed is not None and typed is not attribute:
        raise ValueError(f"{model.__name__}: TTL_ATTRIBUTES names {declared!r} but the "
                         f"TTLAttribute is {typed.attr_name!r}")
    return attribute.attr_name


def describe(model: Any, prefix: str, ttl: str | None = None) -> TableSpec:
    """The TableSpec of one PynamoDB model whose table name starts with `prefix`."""
    schema = model._get_schema()
    types = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
    for index in schema["global_secondary_indexes"] + schema["local_secondary_indexes"]:
        types.update({a["AttributeName"]: a["AttributeType"]
                      for a in index.get("attribute_definitions", [])})
    where = model.__name__
    hash_key, range_key = _keys(schema["key_schema"], types, where)
    return TableSpec(
        aggregate=aggregate_of(model, prefix),
        model=where,
        partition_key=hash_key,
        sort_key=range_key,
        global_indexes=tuple(sorted((_index(i, types, where)
                                     for i in schema["global_secondary_indexes"]),
                                    key=lambda i: i.name)),
        local_indexes=tuple(sorted((_index(i, types, where)
                                    for i in schema["local_secondary_indexes"]),
                                   key=lambda i: i.name)),
        ttl_attribute=ttl_attribute(model, ttl),
    )


def describe_all(models: Iterable[Any], prefix: str, ttl_attributes: dict[Any, str]
                 ) -> list[TableSpec]:
    models = tuple(models)
    for model in ttl_attributes:
        if model not in models:
            raise ValueError(f"TTL_ATTRIBUTES names {model.__name__}, which is not in ALL_MODELS")
    specs = [describe(model, prefix, ttl_attributes.get(model)) for model in models]
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.aggregate in seen:
            raise ValueError(f"{spec.model} and {seen[spec.aggregate]} share the table "
                             f"{spec.aggregate!r}")
        seen[spec.aggregate] = spec.model
    return specs


def app_tables() -> list[TableSpec]:
    """Every table of the app: ALL_MODELS and TTL_ATTRIBUTES of chalicelib/store/tables.py
    (functions/ must be importable)."""
    from chalicelib.settings import settings
    from chalicelib.store import tables

    return describe_all(tables.ALL_MODELS, settings.table_prefix,
                        getattr(tables, "TTL_ATTRIBUTES", {}))

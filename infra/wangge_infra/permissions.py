"""What each Lambda function may do on AWS: declared here, once, per function.

FUNCTION_NEEDS maps a function, named as Chalice names it (`api_handler` for
the REST API; for a scheduled or plain function the `name=` of its decorator,
else its Python name, after a blueprint's `name_prefix`), to what it touches:

    "tables":       {aggregate: "read" | "append" | "read_write"}; the aggregate is
                    the table name without `wangge-<stage>-`, and "*" stands for
                    every table of the app, those added later included, save those
                    the entry names itself; "append" reads and puts, but never
                    updates or deletes (the audit log);
    "buckets":      {"attachments" | "exports": "read" | "write" | "read_write"};
                    a presigned URL can do only what its signer may;
    "signing_keys": True when the function signs or verifies access tokens;
    "qr_keys":      True when it signs or verifies the tokens of QR codes.

It is plain data declared next to the code that does the touching, in
functions/chalicelib/function_needs.py; this module turns it into grants.
Each function's role gets
exactly the actions below on exactly the ARNs its entry names, plus its own
log group and X-Ray; a function with no entry gets nothing else, and
tests/infra fail naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wangge_infra.schema import TableSpec

EVERY_TABLE = "*"
BUCKETS = ("attachments", "exports")

# Why each action is granted: the PynamoDB or boto3 call that needs it.
TABLE_READ = {
    "dynamodb:GetItem": "Model.get, Model.refresh; a Get inside a TransactGet",
    "dynamodb:BatchGetItem": "Model.batch_get (store/uniques.py)",
    "dynamodb:Query": "Model.query, Model.count(hash_key), store.base.query_page",
}
# Items are only added. IAM refuses every update and delete; it cannot tell a
# put of a new item from one over an old, so the app conditions each put on its
# key being new (attribute_not_exists: store/audit.py).
TABLE_APPEND = {"dynamodb:PutItem": "Model.save, TransactWrite.save, on a key not yet there"}
TABLE_WRITE = {
    "dynamodb:PutItem": "Model.save; TransactWrite.save",
    "dynamodb:UpdateItem": "Model.update; TransactWrite.update",
    "dynamodb:DeleteItem": "Model.delete; TransactWrite.delete",
    "dynamodb:ConditionCheckItem": "TransactWrite.condition_check",
}
# On the index ARNs (table ARN + /index/<name>): an index can only be queried.
INDEX_READ = {"dynamodb:Query": "Index.query"}
OBJECT_READ = {"s3:GetObject": "get_object, head_object; a presigned GET URL"}
OBJECT_WRITE = {"s3:PutObject": "put_object; a presigned PUT URL or POST form"}
# On the bucket ARN: S3 answers head_object on a missing key with 404 only to
# whom may list the bucket, 403 to anyone else (case_attachments.confirm
# tells "nothing was uploaded" by the 404).
BUCKET_READ = {"s3:ListBucket": "a 404, not a 403, from head_object on a missing key"}
PARAMETER_READ = {"ssm:GetParameter": "Powertools parameters.get_parameter"}
LOGS = {"logs:CreateLogStream": "the Lambda runtime", "logs:PutLogEvents": "the Lambda runtime"}
# X-Ray takes no resource-level permissions: "*" is the only resource it accepts.
TRACING = {"xray:PutTraceSegments": "active tracing", "xray:PutTelemetryRecords": "active tracing"}

# PynamoDB calls whose actions are deliberately granted to no function, as the
# regular expression that finds them in the app's source and the action they
# need. "Every read is a key lookup or a query; no Scan" (docs/access-patterns.md).
NOT_GRANTED: dict[str, str] = {
    r"\.scan\(": "dynamodb:Scan",
    r"\.batch_write\(": "dynamodb:BatchWriteItem",
    # Model.exists() and Model.count() with no hash key describe the table; a
    # condition on an attribute (Model.attr.exists()) is no call at all.
    r"\.describe_table\(|\b[A-Z]\w*\.(?:exists|count)\(\)": "dynamodb:DescribeTable",
    r"\.create_table\(": "dynamodb:CreateTable",
    r"\.delete_table\(": "dynamodb:DeleteTable",
    r"\.update_ttl\(": "dynamodb:UpdateTimeToLive",
}

TABLE_LEVELS = ("read", "append", "read_write")
BUCKET_LEVELS = ("read", "write", "read_write")


@dataclass(frozen=True)
class Needs:
    tables: Mapping[str, str] = field(default_factory=dict)  # aggregate -> level, "*" expanded
    buckets: Mapping[str, str] = field(default_factory=dict)
    signing_keys: bool = False
    qr_keys: bool = False


@dataclass(frozen=True)
class Grant:
    """Actions on resources, a resource being ("table", aggregate),
    ("index", aggregate, index), ("bucket", bucket), ("objects", bucket) or
    ("signing_keys",) or ("qr_keys",)."""
    sid: str
    actions: tuple[str, ...]
    resources: tuple[tuple[str, ...], ...]


def declared() -> tuple[dict[str, dict[str, Any]], str]:
    """FUNCTION_NEEDS, and where it is declared (functions/ must be importable)."""
    from chalicelib import function_needs

    return function_needs.FUNCTION_NEEDS, "functions/chalicelib/function_needs.py"


def parse(function: str, raw: Mapping[str, Any], tables: list[TableSpec]) -> Needs:
    """One FUNCTION_NEEDS entry, checked against the app's tables."""
    where = f"FUNCTION_NEEDS[{function!r}]"
    unknown_keys = set(raw) - {"tables", "buckets", "signing_keys", "qr_keys"}
    if unknown_keys:
        raise ValueError(f"{where}: unknown keys {sorted(unknown_keys)}")
    aggregates = [spec.aggregate for spec in tables]
    declared_tables = raw.get("tables", {})
    for aggregate, level in declared_tables.items():
        if level not in TABLE_LEVELS:
            raise ValueError(f"{where}: table {aggregate!r} level {level!r} is not one of "
                             f"{TABLE_LEVELS}")
        if aggregate != EVERY_TABLE and aggregate not in aggregates:
            raise ValueError(f"{where}: the app has no table {aggregate!r} (tables: "
                             f"{', '.join(aggregates)})")
    every_table = declared_tables.get(EVERY_TABLE)
    table_levels = {name: declared_tables.get(name, every_table) for name in aggregates
                    if declared_tables.get(name, every_table)}
    for bucket, level in raw.get("buckets", {}).items():
        if bucket not in BUCKETS or level not in BUCKET_LEVELS:
            raise ValueError(f"{where}: bucket {bucket!r}: {level!r}; buckets are {BUCKETS}, "
                             f"levels {BUCKET_LEVELS}")
    return Needs(tables=dict(sorted(table_levels.items())),
                 buckets=dict(sorted(raw.get("buckets", {}).items())),
                 signing_keys=bool(raw.get("signing_keys", False)),
                 qr_keys=bool(raw.get("qr_keys", False)))


def grants(needs: Needs, tables: list[TableSpec]) -> list[Grant]:
    """The data access a function with `needs` is given (logs and tracing aside)."""
    readable = [spec for spec in tables if spec.aggregate in needs.tables]
    appendable = [spec for spec in readable if needs.tables[spec.aggregate] == "append"]
    writable = [spec for spec in readable if needs.tables[spec.aggregate] == "read_write"]
    result = []
    if readable:
        result.append(Grant("ReadTables", tuple(TABLE_READ),
                            tuple(("table", spec.aggregate) for spec in readable)))
    if appendable:
        result.append(Grant("AppendToTables", tuple(TABLE_APPEND),
                            tuple(("table", spec.aggregate) for spec in appendable)))
    if writable:
        result.append(Grant("WriteTables", tuple(TABLE_WRITE),
                            tuple(("table", spec.aggregate) for spec in writable)))
    indexes = tuple(("index", spec.aggregate, index.name)
                    for spec in readable for index in spec.indexes)
    if indexes:
        result.append(Grant("QueryIndexes", tuple(INDEX_READ), indexes))
    for bucket, level in needs.buckets.items():
        actions = (tuple(OBJECT_READ) if "read" in level else ()) + (
            tuple(OBJECT_WRITE) if "write" in level else ())
        result.append(Grant(f"{bucket.capitalize()}Objects", actions, (("objects", bucket),)))
        if "read" in level:
            result.append(Grant(f"{bucket.capitalize()}Keys", tuple(BUCKET_READ),
                                (("bucket", bucket),)))
    if needs.signing_keys:
        result.append(Grant("SigningKeys", tuple(PARAMETER_READ), (("signing_keys",),)))
    if needs.qr_keys:
        result.append(Grant("QrKeys", tuple(PARAMETER_READ), (("qr_keys",),)))
    return result

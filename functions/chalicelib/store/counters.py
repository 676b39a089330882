"""Counters per grid, rolled up the hierarchy: a county's totals are one read.

One item per (grid, bucket). A bucket names what is counted and for which
period: "ledger" for the current ledger totals, "cases#2026-11" for the case
indicators of an Asia/Shanghai month (a bucket name never holds "|", the
separator of the subtree index). The counts are top-level number
attributes named `n_<counter>`, so any use case can add a counter without a
schema change, and DynamoDB's ADD keeps them exact under concurrent writes.

A change to a record adds its deltas to its grid and to every ancestor up to
the county, inside the same transaction as the record itself, so a counter is
never out of step with the records it counts.

Access patterns (docs/access-patterns.md):
- the counters of one grid: counters, grid_code = :code [and bucket = :bucket]
- the counters of a subtree in one bucket: index by_bucket,
  county = :code[:6] and bucket_code begins_with "<bucket>|<code>"
"""

from collections import defaultdict
from typing import Any, Iterable

from pynamodb.attributes import UnicodeAttribute
from pynamodb.expressions.operand import Path
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain import grid_codes
from chalicelib.store.base import index_meta, table_meta

PREFIX = "n_"


class ByBucket(GlobalSecondaryIndex):
    Meta = index_meta("by_bucket")
    county = UnicodeAttribute(hash_key=True)
    bucket_code = UnicodeAttribute(range_key=True)


class CounterModel(Model):
    Meta = table_meta("counters")

    grid_code = UnicodeAttribute(hash_key=True)
    bucket = UnicodeAttribute(range_key=True)
    county = UnicodeAttribute()
    bucket_code = UnicodeAttribute()  # "<bucket>|<grid_code>"

    by_bucket = ByBucket()


Deltas = dict[str, int]


def lineage(grid_code: str) -> list[str]:
    """The grid and each of its ancestors, from the grid up to the county."""
    codes = []
    code: str | None = grid_code
    while code is not None:
        codes.append(code)
        code = grid_codes.parent_of(code)
    return codes


def merge(changes: Iterable[tuple[str, str, Deltas]]) -> dict[tuple[str, str], Deltas]:
    """Deltas per (grid, bucket) item, each change applied to the grid and its ancestors.

    A transaction may touch an item once only, so changes that share ancestors
    (a household moving between two micro-grids of one village) are summed
    first; what sums to zero is left out.
    """
    merged: dict[tuple[str, str], Deltas] = defaultdict(lambda: defaultdict(int))
    for grid_code, bucket, deltas in changes:
        for code in lineage(grid_code):
            for name, amount in deltas.items():
                merged[(code, bucket)][name] += amount
    result = {}
    for key, deltas in merged.items():
        nonzero = {name: amount for name, amount in deltas.items() if amount}
        if nonzero:
            result[key] = nonzero
    return result


def add_to(write: Any, changes: Iterable[tuple[str, str, Deltas]]) -> None:
    """Add the counter updates of `changes` (grid, bucket, deltas) to a TransactWrite."""
    for (code, bucket), deltas in merge(changes).items():
        actions = [CounterModel.county.set(grid_codes.county_of(code)),
                   CounterModel.bucket_code.set(f"{bucket}|{code}")]
        actions += [Path(PREFIX + name).add(amount) for name, amount in sorted(deltas.items())]
        write.update(CounterModel(code, bucket), actions=actions)


def apply(changes: Iterable[tuple[str, str, Deltas]]) -> None:
    """The updates of `changes` in a transaction of their own."""
    from chalicelib.store.base import transaction

    changes = list(changes)
    if not merge(changes):
        return
    with transaction() as write:
        add_to(write, changes)


def _counts(raw_item: dict[str, Any]) -> Deltas:
    return {name[len(PREFIX):]: int(value["N"]) for name, value in raw_item.items()
            if name.startswith(PREFIX) and "N" in value}


def read(grid_code: str, bucket: str) -> Deltas:
    """The counts of one grid in one bucket (absent counters are zero)."""
    response = CounterModel._get_connection().get_item(
        grid_code, range_key=bucket, consistent_read=True)
    return _counts(response.get("Item") or {})


def read_buckets(grid_code: str, bucket_prefix: str) -> dict[str, Deltas]:
    """The counts of one grid in every bucket that starts with `bucket_prefix`."""
    found: dict[str, Deltas] = {}
    last_key = None
    while True:
        response = CounterModel._get_connection().query(
            grid_code, range_key_condition=CounterModel.bucket.startswith(bucket_prefix),
            exclusive_start_key=last_key, consistent_read=True)
        for item in response.get("Items", []):
            found[item["bucket"]["S"]] = _counts(item)
        last_key = response.get("LastEvaluatedKey")
        if not last_key:
            return found


def read_subtree(grid_code: str, bucket: str, *, depth: int | None = None) -> dict[str, Deltas]:
    """The counts of every grid in the subtree of `grid_code` in one bucket, by grid code;
    only grids at `depth` (0 = county … 4 = micro-grid) when given."""
    found: dict[str, Deltas] = {}
    last_key = None
    while True:
        response = CounterModel._get_connection().query(
            grid_codes.county_of(grid_code), index_name="by_bucket",
            range_key_condition=CounterModel.bucket_code.startswith(f"{bucket}|{grid_code}"),
            exclusive_start_key=last_key)
        for item in response.get("Items", []):
            code = item["grid_code"]["S"]
            if depth is None or grid_codes.depth_of(code) == depth:
                found[code] = _counts(item)
        last_key = response.get("LastEvaluatedKey")
        if not last_key:
            return found

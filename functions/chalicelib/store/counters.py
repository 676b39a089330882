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
- the counters of an owner that is no grid (a worker's waiting cases):
  counters, grid_code = "<kind>#<id>" and bucket = :bucket

An owner's items are not rolled up and stay out of the by_bucket index (they
have no county), so no subtree read or grid move ever meets them.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

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


def owner_key(kind: str, owner_id: str) -> str:
    """The counter key of an owner that is no grid; a grid code never holds "#"."""
    return f"{kind}#{owner_id}"


def add_to_owners(write: Any, changes: Iterable[tuple[str, str, Deltas]]) -> None:
    """Add counter updates of owners (owner key, bucket, deltas) to a TransactWrite,
    each owner's item alone, summed first (a transaction touches an item once)."""
    merged: dict[tuple[str, str], Deltas] = defaultdict(lambda: defaultdict(int))
    for key, bucket, deltas in changes:
        for name, amount in deltas.items():
            merged[(key, bucket)][name] += amount
    for (key, bucket), deltas in merged.items():
        actions = [Path(PREFIX + name).add(amount) for name, amount in sorted(deltas.items())
                   if amount]
        if actions:
            write.update(CounterModel(key, bucket), actions=actions)


def apply(changes: Iterable[tuple[str, str, Deltas]]) -> None:
    """The updates of `changes` in a transaction of their own."""
    from chalicelib.store.base import write_transaction

    changes = list(changes)
    if not merge(changes):
        return
    write_transaction(lambda write: add_to(write, changes))


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
        condition = CounterModel.bucket.startswith(bucket_prefix) if bucket_prefix else None
        response = CounterModel._get_connection().query(
            grid_code, range_key_condition=condition, exclusive_start_key=last_key,
            consistent_read=True)
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



def read_many(codes: list[str], bucket: str) -> dict[str, Deltas]:
    """The counts of many grids in one bucket (BatchGetItem, 100 keys per call)."""
    found: dict[str, Deltas] = {code: {} for code in codes}
    table = CounterModel.Meta.table_name
    dispatch = CounterModel._get_connection().connection.dispatch
    wanted = list(found)
    for start in range(0, len(wanted), 100):
        request = {table: {"Keys": [{"grid_code": {"S": code}, "bucket": {"S": bucket}}
                                    for code in wanted[start:start + 100]]}}
        while request:
            response = dispatch("BatchGetItem", {"RequestItems": request})
            for item in response.get("Responses", {}).get(table, []):
                found[item["grid_code"]["S"]] = _counts(item)
            request = response.get("UnprocessedKeys") or None
    return found


def buckets_of(grid_code: str) -> dict[str, Deltas]:
    """Every counter item of one grid: bucket → counts."""
    return read_buckets(grid_code, "")


def transfer(old_code: str, new_code: str, bucket: str, counts: Deltas, *,
             subtree_root: bool) -> bool:
    """Carry one grid's counter item over to the grid's new code (a subtree move).

    The old item is deleted on condition that it still holds `counts`, so a
    change that landed after it was read is not lost: False then, and the
    caller reads again. For the root of the moved subtree, its counts also
    leave the old ancestors and join the new ones; the grids inside the
    subtree keep their ancestors, which move with them.
    """
    from pynamodb.exceptions import TransactWriteError

    from chalicelib.store.base import cancellation_codes, write_transaction

    changes: dict[tuple[str, str], Deltas] = {(new_code, bucket): dict(counts)}
    if subtree_root:
        for code in lineage(old_code)[1:]:
            changes[(code, bucket)] = {name: -n for name, n in counts.items()}
        for code in lineage(new_code)[1:]:
            previous = changes.get((code, bucket), {})
            changes[(code, bucket)] = {name: previous.get(name, 0) + n
                                       for name, n in counts.items()}
    unchanged = None
    for name, amount in counts.items():
        same = Path(PREFIX + name) == amount
        unchanged = same if unchanged is None else unchanged & same

    def fill(write: Any) -> None:
        write.delete(CounterModel(old_code, bucket),
                     condition=CounterModel.grid_code.exists() & unchanged
                     if unchanged is not None else CounterModel.grid_code.exists())
        for (code, item_bucket), deltas in changes.items():
            deltas = {name: n for name, n in deltas.items() if n}
            actions = [CounterModel.county.set(grid_codes.county_of(code)),
                       CounterModel.bucket_code.set(f"{item_bucket}|{code}")]
            actions += [Path(PREFIX + name).add(n) for name, n in sorted(deltas.items())]
            write.update(CounterModel(code, item_bucket), actions=actions)

    try:
        write_transaction(fill)
    except TransactWriteError as exc:
        if cancellation_codes(exc)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def total_items(changes: Iterable[tuple[str, str, Deltas]]) -> tuple[str, list[dict[str, Any]]]:
    """The counters table and its raw items holding `changes` as totals, for
    set-up code that writes a fresh county in bulk (it has no counts to add to)."""
    items = []
    for (code, bucket), totals in merge(changes).items():
        item = {"grid_code": {"S": code}, "bucket": {"S": bucket},
                "county": {"S": grid_codes.county_of(code)},
                "bucket_code": {"S": f"{bucket}|{code}"}}
        item.update({PREFIX + name: {"N": str(n)} for name, n in totals.items()})
        items.append(item)
    return CounterModel.Meta.table_name, items

"""What every ledger record placed in a grid shares: its grid code, the county
partition and the `by_grid` index that lists a subtree in code order, and the
mover that carries it along when its grid's subtree moves.

A record model declares `grid_code`, `county` and `grid_key`
(`<grid_code>#<record id>`) and the index `by_grid` (county, grid_key); a
subtree is then one query: county = :code[:6] and grid_key begins_with :code.
"""

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.domain import grid_codes
from chalicelib.store import grid_moves
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page


class ByGrid(GlobalSecondaryIndex):
    Meta = index_meta("by_grid")
    county = UnicodeAttribute(hash_key=True)
    grid_key = UnicodeAttribute(range_key=True)


def place(record: Any, grid_code: str, record_id: str) -> None:
    """Put a record in a grid (sets the attributes the by_grid index is keyed on)."""
    record.grid_code = grid_code
    record.county = grid_codes.county_of(grid_code)
    record.grid_key = f"{grid_code}#{record_id}"


def in_subtree(model: Any, grid_code: str, *, limit: int, cursor: str | None,
               filter_condition: Any = None) -> tuple[list[Any], str | None]:
    """One page of the records of a model in the subtree of `grid_code`, in code order."""
    items, last_key = query_page(
        model.by_grid.query, hash_key=grid_codes.county_of(grid_code),
        range_key_condition=model.grid_key.startswith(grid_code),
        filter_condition=filter_condition, limit=limit, cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)


def beginning_with(index: Any, county: str, key: Any, prefix: str, model: Any, scope: str, *,
                   limit: int, cursor: str | None, filter_condition: Any = None
                   ) -> tuple[list[Any], str | None]:
    """One page of a county's records whose `key` (an index's sort key) begins with
    `prefix` — an address, a name — kept to those inside `scope`."""
    condition = model.grid_code.startswith(scope)
    if filter_condition is not None:
        condition &= filter_condition
    items, last_key = query_page(index.query, hash_key=county,
                                 range_key_condition=key.startswith(prefix),
                                 filter_condition=condition, limit=limit,
                                 cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)


def matching(index: Any, value: str, model: Any, scope: str) -> list[Any]:
    """The records with this ID number or phone (an exact index key), inside `scope`:
    a handful."""
    return list(index.query(value, filter_condition=model.grid_code.startswith(scope),
                            limit=50))


def batch_get(model: Any, ids: list[str]) -> list[Any]:
    """The records with these ids (BatchGetItem, 100 keys per call); missing ones are left out."""
    found: list[Any] = []
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), 100):
        found.extend(model.batch_get(ids[start:start + 100], consistent_read=True))
    return found


def all_in_subtree(model: Any, grid_code: str, filter_condition: Any = None) -> list[Any]:
    """Every record of a model in a subtree (for work that must see all of them)."""
    return list(model.by_grid.query(grid_codes.county_of(grid_code),
                                    model.grid_key.startswith(grid_code),
                                    filter_condition=filter_condition))


def register_mover(name: str, model: Any, id_attribute: str, *, code: str = "grid_code",
                   key: str = "grid_key", index: str = "by_grid") -> None:
    """Carry the records of `model` along when a subtree moves (see store/grid_moves.py).

    The model keeps its grid code in `code` and `<code>#<id>` in `key`, the range
    key of `index` (partitioned by county).
    """
    code_attribute, key_attribute = getattr(model, code), getattr(model, key)
    query = getattr(model, index).query

    def move_some(old_prefix: str, new_prefix: str, limit: int) -> int:
        found = list(query(grid_codes.county_of(old_prefix),
                           key_attribute.startswith(old_prefix), limit=limit))
        for stale in found:
            # The index lags the table: re-read, and move only what is still under the old code.
            try:
                record = model.get(getattr(stale, id_attribute), consistent_read=True)
            except model.DoesNotExist:
                continue
            old_code = getattr(record, code)
            if not old_code.startswith(old_prefix):
                continue
            new_code = new_prefix + old_code[len(old_prefix):]
            setattr(record, code, new_code)
            setattr(record, key, f"{new_code}#{getattr(record, id_attribute)}")
            try:
                record.save(condition=code_attribute == old_code)
            except (PutError, UpdateError) as exc:
                if exc.cause_response_code != "ConditionalCheckFailedException":
                    raise
                # Someone wrote it meanwhile: it is found again on the next call.
        return len(found)

    grid_moves.register(name)(move_some)

"""The worker table: one item per grid worker (网格员).

Access patterns (docs/access-patterns.md):
- a worker by id: GetItem on `worker_id`
- the workers of a grid: index `by_grid`, grid_code = :code
- a worker by phone: index `by_phone`, phone = :phone
"""

from pynamodb.attributes import (
    BooleanAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.errors import NotFound
from chalicelib.store.base import decode_cursor, encode_cursor, index_meta, query_page, table_meta


class ByGrid(GlobalSecondaryIndex):
    Meta = index_meta("by_grid")
    grid_code = UnicodeAttribute(hash_key=True)
    worker_id = UnicodeAttribute(range_key=True)


class ByPhone(GlobalSecondaryIndex):
    Meta = index_meta("by_phone")
    phone = UnicodeAttribute(hash_key=True)


class WorkerModel(Model):
    Meta = table_meta("workers")

    worker_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    kind = UnicodeAttribute()  # domain.workers.KINDS
    grid_code = UnicodeAttribute()
    is_leader = BooleanAttribute(default=False)
    status = UnicodeAttribute(default="active")
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_grid = ByGrid()
    by_phone = ByPhone()


def get(worker_id: str) -> WorkerModel:
    try:
        return WorkerModel.get(worker_id)
    except DoesNotExist:
        raise NotFound(f"Worker {worker_id} does not exist") from None


def of_grid(grid_code: str, *, limit: int, cursor: str | None
            ) -> tuple[list[WorkerModel], str | None]:
    items, last_key = query_page(WorkerModel.by_grid.query, hash_key=grid_code, limit=limit,
                                 cursor=decode_cursor(cursor))
    return items, encode_cursor(last_key)

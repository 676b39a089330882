"""The worker table (网格员) and their assignments to micro-grids.

Access patterns (docs/access-patterns.md):
- a worker by id: workers, GetItem on `worker_id`
- the workers of a subtree (by home grid): workers/by_grid, county = :code[:6] and
  grid_key begins_with :code
- a worker by phone: workers/by_phone, phone = :phone
- the assignments of a worker: assignments/by_worker, worker_id = :id
- the assignments in a subtree: assignments/by_grid, county = :code[:6] and
  grid_key begins_with :code
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
from chalicelib.store import records
from chalicelib.store.base import index_meta, table_meta

ACTIVE = "active"
LEFT = "left"  # 离职: kept on record, no longer assigned


class ByPhone(GlobalSecondaryIndex):
    Meta = index_meta("by_phone")
    phone = UnicodeAttribute(hash_key=True)


class WorkerModel(Model):
    Meta = table_meta("workers")

    worker_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    kind = UnicodeAttribute()  # domain.workers.KINDS
    grid_code = UnicodeAttribute()  # home grid: where the worker belongs
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    is_leader = BooleanAttribute(default=False)
    status = UnicodeAttribute(default=ACTIVE)
    notes = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()

    by_grid = records.ByGrid()
    by_phone = ByPhone()


class ByWorker(GlobalSecondaryIndex):
    Meta = index_meta("by_worker")
    worker_id = UnicodeAttribute(hash_key=True)
    start_key = UnicodeAttribute(range_key=True)  # "<start date>#<assignment id>"


class AssignmentModel(Model):
    """A worker's charge of one micro-grid from a start date, until an end date."""

    Meta = table_meta("assignments")

    assignment_id = UnicodeAttribute(hash_key=True)
    worker_id = UnicodeAttribute()
    grid_code = UnicodeAttribute()
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    start_date = UnicodeAttribute()  # Asia/Shanghai date, YYYY-MM-DD
    start_key = UnicodeAttribute()
    end_date = UnicodeAttribute(null=True)  # absent while the assignment is active
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    ended_by = UnicodeAttribute(null=True)
    version = VersionAttribute()

    by_grid = records.ByGrid()
    by_worker = ByWorker()


records.register_mover("workers", WorkerModel, "worker_id")
records.register_mover("assignments", AssignmentModel, "assignment_id")


def get(worker_id: str) -> WorkerModel:
    try:
        return WorkerModel.get(worker_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Worker {worker_id} does not exist") from None


def names_of(worker_ids: set[str]) -> dict[str, str]:
    return {w.worker_id: w.name for w in WorkerModel.batch_get(list(worker_ids))}


def find_by_phone(phone: str) -> WorkerModel | None:
    return next(iter(WorkerModel.by_phone.query(phone, limit=1)), None)


def in_subtree(grid_code: str, *, limit: int, cursor: str | None, filter_condition=None
               ) -> tuple[list[WorkerModel], str | None]:
    return records.in_subtree(WorkerModel, grid_code, limit=limit, cursor=cursor,
                              filter_condition=filter_condition)


def get_assignment(assignment_id: str) -> AssignmentModel:
    try:
        return AssignmentModel.get(assignment_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Assignment {assignment_id} does not exist") from None


def assignments_of(worker_id: str) -> list[AssignmentModel]:
    """A worker's assignments, oldest first (a worker has a few, never thousands)."""
    return list(AssignmentModel.by_worker.query(worker_id))


def assignments_in(grid_code: str, *, active_only: bool, limit: int, cursor: str | None
                   ) -> tuple[list[AssignmentModel], str | None]:
    condition = AssignmentModel.end_date.does_not_exist() if active_only else None
    return records.in_subtree(AssignmentModel, grid_code, limit=limit, cursor=cursor,
                              filter_condition=condition)


def active_assignments_in(grid_code: str) -> list[AssignmentModel]:
    return records.all_in_subtree(AssignmentModel, grid_code,
                                  AssignmentModel.end_date.does_not_exist())

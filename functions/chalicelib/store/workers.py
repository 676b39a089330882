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

from datetime import date

from pynamodb.attributes import (
    BooleanAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain.workers import ACTIVE, Assignment, Worker
from chalicelib.errors import NotFound
from chalicelib.store import records
from chalicelib.store.base import index_meta, table_meta
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict


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


def to_domain(item: WorkerModel) -> Worker:
    return Worker(worker_id=item.worker_id, name=item.name, phone=item.phone, kind=item.kind,
                  grid_code=item.grid_code, created_at=item.created_at,
                  updated_at=item.updated_at, is_leader=bool(item.is_leader),
                  status=item.status, notes=item.notes, version=int(item.version or 0))


def to_item(worker: Worker) -> WorkerModel:
    item = WorkerModel(worker_id=worker.worker_id, name=worker.name, phone=worker.phone,
                       kind=worker.kind, is_leader=worker.is_leader, status=worker.status,
                       notes=worker.notes, created_at=worker.created_at,
                       updated_at=worker.updated_at)
    records.place(item, worker.grid_code, worker.worker_id)
    if worker.version:
        item.version = worker.version
    return item


def assignment_to_domain(item: AssignmentModel) -> Assignment:
    return Assignment(assignment_id=item.assignment_id, worker_id=item.worker_id,
                      grid_code=item.grid_code, start_date=date.fromisoformat(item.start_date),
                      created_by=item.created_by, created_at=item.created_at,
                      end_date=date.fromisoformat(item.end_date) if item.end_date else None,
                      ended_by=item.ended_by, version=int(item.version or 0))


def assignment_to_item(assignment: Assignment) -> AssignmentModel:
    start = assignment.start_date.isoformat()
    item = AssignmentModel(
        assignment_id=assignment.assignment_id, worker_id=assignment.worker_id,
        start_date=start, start_key=f"{start}#{assignment.assignment_id}",
        end_date=assignment.end_date.isoformat() if assignment.end_date else None,
        created_by=assignment.created_by, created_at=assignment.created_at,
        ended_by=assignment.ended_by)
    records.place(item, assignment.grid_code, assignment.assignment_id)
    if assignment.version:
        item.version = assignment.version
    return item


def add(work: UnitOfWork, worker: Worker) -> None:
    item = to_item(worker)
    work.add(item, already_exists("worker"))
    work.keep_version(worker, item)


def save(work: UnitOfWork, worker: Worker) -> None:
    """Put back a worker read earlier (fails when its version moved on)."""
    item = to_item(worker)
    work.save(item, version_conflict("worker"))
    work.keep_version(worker, item)


def add_assignment(work: UnitOfWork, assignment: Assignment) -> None:
    item = assignment_to_item(assignment)
    work.add(item, already_exists("assignment"))
    work.keep_version(assignment, item)


def save_assignment(work: UnitOfWork, assignment: Assignment) -> None:
    item = assignment_to_item(assignment)
    work.save(item, version_conflict("assignment"))
    work.keep_version(assignment, item)



def get(worker_id: str) -> Worker:
    try:
        return to_domain(WorkerModel.get(worker_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound(f"Worker {worker_id} does not exist") from None


def names_of(worker_ids: set[str]) -> dict[str, str]:
    return {w.worker_id: w.name for w in WorkerModel.batch_get(list(worker_ids))}


def find_by_phone(phone: str) -> Worker | None:
    item = next(iter(WorkerModel.by_phone.query(phone, limit=1)), None)
    return None if item is None else to_domain(item)


def in_subtree(grid_code: str, *, limit: int, cursor: str | None, kind: str | None = None,
               status: str | None = None) -> tuple[list[Worker], str | None]:
    """One page of the workers of a subtree, of one kind and status when given."""
    condition = None
    if kind is not None:
        condition = WorkerModel.kind == kind
    if status is not None:
        condition = (WorkerModel.status == status if condition is None
                     else condition & (WorkerModel.status == status))
    items, next_cursor = records.in_subtree(WorkerModel, grid_code, limit=limit, cursor=cursor,
                                            filter_condition=condition)
    return [to_domain(item) for item in items], next_cursor


def get_assignment(assignment_id: str) -> Assignment:
    try:
        return assignment_to_domain(AssignmentModel.get(assignment_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound(f"Assignment {assignment_id} does not exist") from None


def assignments_of(worker_id: str) -> list[Assignment]:
    """A worker's assignments, oldest first (a worker has a few, never thousands)."""
    return [assignment_to_domain(item) for item in AssignmentModel.by_worker.query(worker_id)]


def assignments_in(grid_code: str, *, active_only: bool, limit: int, cursor: str | None
                   ) -> tuple[list[Assignment], str | None]:
    condition = AssignmentModel.end_date.does_not_exist() if active_only else None
    items, next_cursor = records.in_subtree(AssignmentModel, grid_code, limit=limit,
                                            cursor=cursor, filter_condition=condition)
    return [assignment_to_domain(item) for item in items], next_cursor


def active_assignments_in(grid_code: str) -> list[Assignment]:
    return [assignment_to_domain(item) for item in records.all_in_subtree(
        AssignmentModel, grid_code, AssignmentModel.end_date.does_not_exist())]

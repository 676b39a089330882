"""Grid workers: their records, and their assignments to micro-grids with start
and end dates, so that a handover keeps the history of who covered a grid.

A rental's responsible worker follows the micro-grid: a handover gives the
outgoing worker's rentals there to the incoming one, and a worker who leaves or
stops covering a grid hands them to another worker who covers it, or leaves them
uncovered (responsible worker None) when nobody does.
"""

from datetime import date

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger, tokens, versions
from chalicelib.domain import workers as worker_rules
from chalicelib.domain.callers import Caller
from chalicelib.domain.ledger_records import Rental
from chalicelib.domain.personal_data import mask_phone
from chalicelib.domain.workers import Assignment, Worker
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.schemas.workers import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentOut,
    AssignmentPage,
    Handover,
    WorkerCreate,
    WorkerLeave,
    WorkerListQuery,
    WorkerOut,
    WorkerPage,
    WorkerUpdate,
)
from chalicelib.store import rentals as rental_store
from chalicelib.store import unit_of_work
from chalicelib.store import workers as worker_store
from chalicelib.store.unit_of_work import UnitOfWork
from chalicelib.usecases import audit
from chalicelib.usecases import rentals as rental_rules

PHONE_CLAIM = "worker_phone"
ASSIGNMENT_CLAIM = "active_assignment"  # one active assignment per worker and grid
ACTIVE_ONE = {ledger.ACTIVE_ASSIGNMENTS: 1}
ENDED_ONE = {ledger.ACTIVE_ASSIGNMENTS: -1}


def view(worker: Worker, *, reveal: bool = False) -> WorkerOut:
    return WorkerOut(worker_id=worker.worker_id, name=worker.name,
                     phone=worker.phone if reveal else mask_phone(worker.phone),
                     kind=worker.kind, kind_name=worker_rules.KINDS[worker.kind],
                     grid_code=worker.grid_code, is_leader=worker.is_leader,
                     status=worker.status, notes=worker.notes, created_at=worker.created_at,
                     version=worker.version)


def assignment_view(assignment: Assignment, worker_name: str | None = None) -> AssignmentOut:
    return AssignmentOut(assignment_id=assignment.assignment_id,
                         worker_id=assignment.worker_id, worker_name=worker_name,
                         grid_code=assignment.grid_code, start_date=assignment.start_date,
                         end_date=assignment.end_date, active=assignment.active,
                         version=assignment.version)


def scope_of_worker(worker_id: str) -> str:
    return worker_store.get(worker_id).grid_code


def scope_of_assignment(assignment_id: str) -> str:
    return worker_store.get_assignment(assignment_id).grid_code


def _phone_taken() -> Conflict:
    return Conflict("Another worker has this phone", code="phone_taken",
                    details=[{"field": "phone", "message": "already registered"}])


def create_worker(caller: Caller, request: WorkerCreate) -> WorkerOut:
    grid_codes.depth_of(request.grid_code, "grid_code")
    now = clock.now()
    worker = Worker(worker_id=tokens.new_id(), name=request.name, phone=request.phone,
                    kind=request.kind, grid_code=request.grid_code, is_leader=request.is_leader,
                    notes=request.notes, created_at=now, updated_at=now)
    work = UnitOfWork(caller)
    work.require_grid(request.grid_code, micro=False)
    work.claim(PHONE_CLAIM, "all", request.phone, worker.worker_id, _phone_taken)
    worker_store.add(work, worker)
    work.audit(action="create", record=f"worker#{worker.worker_id}",
               scope_code=worker.grid_code,
               changes=ledger.changed_fields({}, worker.audited_fields(), personal=("phone",)))
    work.commit()
    return view(worker)


def get_worker(caller: Caller, worker_id: str, *, reveal: bool) -> WorkerOut:
    worker = worker_store.get(worker_id)
    if reveal:
        audit.reveal(caller, what=f"worker#{worker_id}", scope_code=worker.grid_code,
                     fields="phone")
    return view(worker, reveal=reveal)


def list_workers(caller: Caller, query: WorkerListQuery) -> WorkerPage:
    items, cursor = worker_store.in_subtree(query.grid or caller.scope_code, limit=query.limit,
                                            cursor=query.cursor, kind=query.kind,
                                            status=query.status)
    return WorkerPage(items=[view(w) for w in items], next_cursor=cursor)


def update_worker(caller: Caller, worker_id: str, request: WorkerUpdate) -> WorkerOut:
    worker = worker_store.get(worker_id)
    before = worker.audited_fields()
    worker.edit(request.version, clock.now(), name=request.name, phone=request.phone,
                kind=request.kind, grid_code=request.grid_code, is_leader=request.is_leader,
                notes=request.notes)
    work = UnitOfWork(caller)
    if worker.phone != before["phone"]:
        work.release(PHONE_CLAIM, "all", before["phone"], worker.worker_id)
        work.claim(PHONE_CLAIM, "all", worker.phone, worker.worker_id, _phone_taken)
    if worker.grid_code != before["grid_code"]:
        if not caller.can_see(worker.grid_code):
            raise Forbidden("The new grid is outside your scope", code="out_of_scope")
        work.require_grid(worker.grid_code, micro=False)
    worker_store.save(work, worker)
    work.audit(action="update", record=f"worker#{worker_id}", scope_code=worker.grid_code,
               changes=ledger.changed_fields(before, worker.audited_fields(),
                                             personal=("phone",)))
    work.commit()
    return view(worker)


def _day(requested: date | None) -> date:
    return requested or clock.today()


def _end(work: UnitOfWork, assignment: Assignment, end: date, caller: Caller) -> None:
    assignment.end(end, today=clock.today(), by=caller.user_id)
    worker_store.save_assignment(work, assignment)
    work.release(ASSIGNMENT_CLAIM, assignment.grid_code, assignment.worker_id,
                 assignment.assignment_id)
    work.count(assignment.grid_code, ENDED_ONE)
    work.audit(action="end_assignment", record=f"assignment#{assignment.assignment_id}",
               scope_code=assignment.grid_code,
               changes={"end_date": {"from": None, "to": end.isoformat()}})


def _taken_over(rentals: list[Rental], leaving_worker_id: str
                ) -> list[tuple[Rental, str | None]]:
    """Each rental with the worker who takes it over from a worker who no longer
    covers its micro-grid: the one assigned there most recently, else nobody."""
    successors = {grid_code: worker_rules.successor(
        worker_store.active_assignments_in(grid_code), leaving_worker_id)
        for grid_code in {rental.grid_code for rental in rentals}}
    return [(rental, successors[rental.grid_code]) for rental in rentals]


def _commit_handing_on(caller: Caller, work: UnitOfWork,
                       handed: list[tuple[Rental, str | None]]) -> None:
    """Commit `work` with the rentals handed on, as one transaction.

    A worker responsible for more rentals than one transaction holds: the rentals
    go first, in transactions of their own, and `work` (the change of assignments,
    which decides who covers the grid) last with the rest. A request cut short
    between them leaves the old worker in charge of the rentals not yet handed, and
    the same request sent again hands those and finishes.
    """
    pending = list(handed)
    while pending and (work.size() + rental_rules.HANDED_ITEMS * len(pending)
                       > unit_of_work.MAX_ITEMS):
        batch = UnitOfWork(caller)
        while pending and batch.size() + rental_rules.HANDED_ITEMS <= unit_of_work.MAX_ITEMS:
            rental_rules.hand_to(batch, *pending.pop())
        batch.commit()
    for rental, worker_id in pending:
        rental_rules.hand_to(work, rental, worker_id)
    work.commit()


def leave(caller: Caller, worker_id: str, request: WorkerLeave) -> WorkerOut:
    """The worker leaves (离职): kept on record, every assignment ended on the last day,
    every rental in their charge handed to whoever still covers its grid."""
    worker = worker_store.get(worker_id)
    worker.leave(request.version, clock.now())
    work = UnitOfWork(caller)
    for assignment in worker_store.assignments_of(worker_id):
        if assignment.active:
            _end(work, assignment, _day(request.end_date), caller)
    worker_store.save(work, worker)
    work.audit(action="leave", record=f"worker#{worker_id}", scope_code=worker.grid_code,
               changes={"status": {"from": "active", "to": "left"}})
    _commit_handing_on(caller, work, _taken_over(rental_store.all_of_worker(worker_id),
                                                 worker_id))
    return view(worker)


def _start(work: UnitOfWork, caller: Caller, worker: Worker, grid_code: str,
           start: date) -> Assignment:
    assignment = Assignment.begin(tokens.new_id(), worker, grid_code, start,
                                  today=clock.today(), now=clock.now(), by=caller,
                                  of_worker=worker_store.assignments_of(worker.worker_id))
    work.require_grid(grid_code)
    # One active assignment per worker and grid, even when two admins assign at once.
    work.claim(ASSIGNMENT_CLAIM, grid_code, worker.worker_id, assignment.assignment_id,
               lambda: Conflict("The worker is assigned to this grid already",
                                code="already_assigned"))
    worker_store.add_assignment(work, assignment)
    work.count(grid_code, ACTIVE_ONE)
    work.audit(action="assign", record=f"assignment#{assignment.assignment_id}",
               scope_code=grid_code, changes={"worker_id": {"from": None, "to": worker.worker_id},
                                              "start_date": {"from": None,
                                                             "to": start.isoformat()}})
    return assignment


def assign(caller: Caller, worker_id: str, request: AssignmentCreate) -> AssignmentOut:
    worker = worker_store.get(worker_id)
    work = UnitOfWork(caller)
    assignment = _start(work, caller, worker, request.grid_code, _day(request.start_date))
    work.commit()
    return assignment_view(assignment, worker.name)


def end_assignment(caller: Caller, assignment_id: str, request: AssignmentEnd) -> AssignmentOut:
    assignment = worker_store.get_assignment(assignment_id)
    versions.check("assignment", assignment.version, request.version)
    work = UnitOfWork(caller)
    _end(work, assignment, _day(request.end_date), caller)
    rentals = rental_store.all_of_worker(assignment.worker_id, assignment.grid_code)
    _commit_handing_on(caller, work, _taken_over(rentals, assignment.worker_id))
    return assignment_view(assignment)


def handover(caller: Caller, grid_code: str, request: Handover) -> AssignmentOut:
    """One worker's charge of a micro-grid ends and another's begins, on one day,
    in one write: the grid is never counted as covered twice or not at all."""
    day = _day(request.day)
    work = UnitOfWork(caller)
    rentals: list[Rental] = []
    if request.from_worker_id is not None:
        current = [a for a in worker_store.assignments_of(request.from_worker_id)
                   if a.grid_code == grid_code and a.active]
        if not current:
            raise InvalidInput("from_worker_id", "This worker does not cover the grid",
                               code="not_assigned")
        _end(work, current[0], day, caller)
        rentals = rental_store.all_of_worker(request.from_worker_id, grid_code)
    incoming = worker_store.get(request.to_worker_id)
    assignment = _start(work, caller, incoming, grid_code, day)
    _commit_handing_on(caller, work, [(rental, incoming.worker_id) for rental in rentals])
    return assignment_view(assignment, incoming.name)


def assignments_of_worker(worker_id: str) -> AssignmentPage:
    worker = worker_store.get(worker_id)
    return AssignmentPage(items=[assignment_view(a, worker.name)
                                 for a in worker_store.assignments_of(worker_id)],
                          next_cursor=None)


def assignments_in_grid(grid_code: str, *, active_only: bool, limit: int, cursor: str | None
                        ) -> AssignmentPage:
    grid_codes.depth_of(grid_code)
    items, next_cursor = worker_store.assignments_in(grid_code, active_only=active_only,
                                                     limit=limit, cursor=cursor)
    names = worker_store.names_of({a.worker_id for a in items})
    return AssignmentPage(items=[assignment_view(a, names.get(a.worker_id)) for a in items],
                          next_cursor=next_cursor)

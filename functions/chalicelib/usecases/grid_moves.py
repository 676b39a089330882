"""Moving a grid, with everything below it, to another parent.

Every code in the subtree changes (the new parent's code + the grid's own
digits), and with them every record that names one of those grids. That is
more than one transaction can hold, so a move is a job that goes through its
steps in order, each of them safe to repeat:

1. mark     every grid of the subtree as moving: no record may be added to it;
2. copy     each grid to its new code (the new root was reserved at the start);
3. records  every registered mover carries its records over (store/grid_moves.py);
4. counters each grid's counter items follow, and the root's totals leave the
            old ancestors for the new ones;
5. cleanup  the old grids are deleted and the new ones open for writing.

The request starts the job and runs it as far as it gets within its time;
the `resume_grid_moves` sweep carries on any job left running (a crash, a
timeout), so a move always ends complete, never half-done.
"""

import time
from datetime import timedelta

from pynamodb.exceptions import TransactWriteError, UpdateError

from chalicelib import clock
from chalicelib.domain import grid_codes, tokens
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.schemas.grids import GridMoveOut, GridMoveRequest
from chalicelib.store import counters, leased_jobs, tables  # noqa: F401 - tables registers movers
from chalicelib.store import grid_moves as move_store
from chalicelib.store import grids as grid_store
from chalicelib.store.base import transaction
from chalicelib.store.grid_moves import STEPS, GridMoveModel
from chalicelib.store.grids import GridModel
from chalicelib.usecases import audit
from chalicelib.usecases.leased_jobs import resume

LEASE = timedelta(minutes=5)
REQUEST_BUDGET_SECONDS = 20.0  # API Gateway answers after 29 s
SWEEP_BUDGET_SECONDS = 600.0
MOVER_BATCH = 50


def view(job: GridMoveModel) -> GridMoveOut:
    return GridMoveOut(move_id=job.move_id, old_code=job.old_code, new_code=job.new_code,
                       status=job.status, step=job.step, grids_moved=job.grids_moved or 0,
                       created_at=job.created_at, finished_at=job.finished_at)


def _new_code(grid: GridModel, parent: GridModel, request: GridMoveRequest) -> str:
    if request.code is not None:
        grid_codes.validate_child(parent.code, request.code)
        return request.code
    if grid_codes.depth_of(grid.code) <= 2:
        raise InvalidInput("code", "A town or village moves with its new statistical "
                           "division code: give it as `code`")
    while True:
        code = grid_codes.child_code(parent.code, grid_store.allocate_child_sequence(parent.code))
        if grid_store.find(code) is None:
            return code


def start_move(caller, code: str, request: GridMoveRequest) -> GridMoveOut:
    grid = grid_store.get(code)
    if grid.version != request.version:
        raise Conflict("The grid was changed by someone else; reload and retry",
                       code="version_conflict")
    depth = grid_codes.depth_of(code)
    if depth == 0:
        raise InvalidInput("code", "A county does not move")
    parent_code = request.parent_code
    grid_codes.depth_of(parent_code, "parent_code")
    if grid_codes.county_of(parent_code) != grid_codes.county_of(code):
        raise InvalidInput("parent_code", "A grid moves within its county")
    if parent_code.startswith(code):
        raise InvalidInput("parent_code", "A grid cannot move below itself")
    if parent_code == grid.parent_code:
        raise InvalidInput("parent_code", f"{code} is under {parent_code} already")
    if grid_codes.depth_of(parent_code, "parent_code") != depth - 1:
        raise InvalidInput("parent_code", f"A {grid.level} moves under a "
                           f"{grid_codes.LEVELS[depth - 1].key}")
    parent = grid_store.get(parent_code)
    if parent.retired or parent.moving:
        raise InvalidInput("parent_code", f"Grid {parent_code} is retired or moving")
    if not caller.can_see(parent_code):
        raise Forbidden("The new parent is outside your grid scope", code="out_of_scope")
    new_code = _new_code(grid, parent, request)

    now = clock.now()
    job = GridMoveModel(move_id=tokens.new_id(), old_code=code, new_code=new_code,
                        old_parent_code=grid.parent_code, running=move_store.RUNNING,
                        created_by=caller.user_id, created_at=now)
    reserved = _copy_of(grid, new_code, job.move_id)
    idle = GridModel.moving.does_not_exist()
    try:
        with transaction() as write:
            # Neither an ancestor nor the new parent may be part of another move.
            for other in counters.lineage(code)[1:] + [parent_code]:
                write.condition_check(GridModel, other, condition=GridModel.code.exists()
                                      & idle & (GridModel.retired == False))  # noqa: E712
            write.update(grid, actions=[GridModel.moving.set(job.move_id)], condition=idle)
            write.save(reserved, condition=GridModel.code.does_not_exist())
            write.save(job, condition=GridMoveModel.move_id.does_not_exist())
    except TransactWriteError:
        raise Conflict("The grid, an ancestor or the new parent is being moved or changed, "
                       "or the new code is taken; reload and retry",
                       code="move_conflict") from None
    audit.record(caller, action="move", record=f"grid#{code}", scope_code=code,
                 changes={"code": {"from": code, "to": new_code}})
    return view(run(job.move_id, budget_seconds=REQUEST_BUDGET_SECONDS))


def _copy_of(grid: GridModel, new_code: str, move_id: str) -> GridModel:
    copy = grid_store.build(new_code, grid.name, grid.leader_worker_id)
    copy.party_members = grid.party_members
    copy.boundary = grid.boundary
    copy.notes = grid.notes
    copy.retired = grid.retired
    copy.next_child_sequence = grid.next_child_sequence
    copy.created_at = grid.created_at
    copy.moving = move_id
    return copy


def get_move(move_id: str) -> GridMoveOut:
    return view(move_store.get(move_id))


def scope_of_move(move_id: str) -> str:
    job = move_store.get(move_id)
    return grid_codes.parent_of(job.old_code) or job.old_code


def _old_grids(job: GridMoveModel) -> list[GridModel]:
    """The grids still under the old code, root first, then level by level."""
    found = []
    root = grid_store.find(job.old_code)
    if root is not None:
        found.append(root)
    for depth in range(grid_codes.depth_of(job.old_code) + 1, len(grid_codes.LEVELS)):
        found += grid_store.all_at_depth(job.old_code, depth)
    return found


def _renamed(code: str, job: GridMoveModel) -> str:
    return job.new_code + code[len(job.old_code):]


def run(move_id: str, *, budget_seconds: float) -> GridMoveModel:
    """Carry a move on from where it stands, for at most about `budget_seconds`;
    returns the job as it stands then (still running when time ran out)."""
    job = move_store.get(move_id)
    if job.status == move_store.DONE:
        return job
    now = clock.now()
    if not leased_jobs.take_lease(job, now, now + LEASE):
        return job
    deadline = time.monotonic() + budget_seconds
    while job.step != STEPS[-1]:
        finished = STEP_ACTIONS[job.step](job, deadline)
        if not finished:
            break
        move_store.advance(job, STEPS[STEPS.index(job.step) + 1], clock.now())
        job = move_store.get(move_id)
    if job.status != move_store.DONE:
        leased_jobs.release(job)
    return move_store.get(move_id)


def _mark(job: GridMoveModel, deadline: float) -> bool:
    for grid in _old_grids(job):
        if grid.moving == job.move_id:
            continue
        if grid.moving is not None:
            return False  # a move that began earlier below us: wait for it to end
        try:
            grid.update(actions=[GridModel.moving.set(job.move_id)],
                        condition=GridModel.moving.does_not_exist())
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False  # another move took it meanwhile: look again next time
            raise
        if time.monotonic() > deadline:
            return False
    return True


def _copy(job: GridMoveModel, deadline: float) -> bool:
    moved = 0
    for grid in _old_grids(job):
        new_code = _renamed(grid.code, job)
        if grid.code != job.old_code and grid_store.find(new_code) is None:
            copy = _copy_of(grid, new_code, job.move_id)
            copy.save(condition=GridModel.code.does_not_exist())
        moved += 1
        if time.monotonic() > deadline:
            return False
    job.update(actions=[GridMoveModel.grids_moved.set(moved)])
    return True


def _records(job: GridMoveModel, deadline: float) -> bool:
    for _name, mover in sorted(move_store.MOVERS.items()):
        while mover(job.old_code, job.new_code, MOVER_BATCH):
            if time.monotonic() > deadline:
                return False
    return True


def _counters(job: GridMoveModel, deadline: float) -> bool:
    for grid in _old_grids(job):
        while True:
            items = counters.buckets_of(grid.code)
            if not items:
                break
            for bucket, counts in items.items():
                counters.transfer(grid.code, _renamed(grid.code, job), bucket, counts,
                                  subtree_root=grid.code == job.old_code)
            if time.monotonic() > deadline:
                return False
    return True


def _cleanup(job: GridMoveModel, deadline: float) -> bool:
    for grid in reversed(_old_grids(job)):  # deepest first: no grid is left without a parent
        grid.delete(condition=GridModel.moving == job.move_id)
        if time.monotonic() > deadline:
            return False
    new_root = grid_store.get(job.new_code)
    for grid in [new_root] + [g for depth in range(grid_codes.depth_of(job.new_code) + 1,
                                                   len(grid_codes.LEVELS))
                              for g in grid_store.all_at_depth(job.new_code, depth)]:
        if grid.moving == job.move_id:
            grid.update(actions=[GridModel.moving.remove()],
                        condition=GridModel.moving == job.move_id)
    return True


STEP_ACTIONS = {"mark": _mark, "copy": _copy, "records": _records, "counters": _counters,
                "cleanup": _cleanup}


def resume_running_moves(budget_seconds: float = SWEEP_BUDGET_SECONDS) -> list[GridMoveOut]:
    """The sweep: carry on every move still running (reads only those)."""
    return resume(move_store.running,
                  lambda job, seconds: view(run(job.move_id, budget_seconds=seconds)),
                  budget_seconds)

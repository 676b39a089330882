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

from chalicelib import clock
from chalicelib.domain import grid_codes, tokens
from chalicelib.domain.grid_moves import STEPS, GridMove
from chalicelib.domain.grids import Grid
from chalicelib.errors import Forbidden, InvalidInput
from chalicelib.schemas.grids import GridMoveOut, GridMoveRequest
from chalicelib.store import counters, tables  # noqa: F401 - tables registers movers
from chalicelib.store import grid_moves as move_store
from chalicelib.store import grids as grid_store
from chalicelib.usecases import audit
from chalicelib.usecases.leased_jobs import resume

LEASE = timedelta(minutes=5)
REQUEST_BUDGET_SECONDS = 20.0  # API Gateway answers after 29 s
SWEEP_BUDGET_SECONDS = 600.0
MOVER_BATCH = 50


def view(job: GridMove) -> GridMoveOut:
    return GridMoveOut(move_id=job.move_id, old_code=job.old_code, new_code=job.new_code,
                       status=job.status, step=job.step, grids_moved=job.grids_moved,
                       created_at=job.created_at, finished_at=job.finished_at)


def _new_code(grid: Grid, parent: Grid, request: GridMoveRequest) -> str:
    if request.code is not None:
        grid_codes.validate_child(parent.code, request.code)
        return request.code
    if grid.depth <= 2:
        raise InvalidInput("code", "A town or village moves with its new statistical "
                           "division code: give it as `code`")
    while True:
        code = grid_codes.child_code(parent.code, grid_store.allocate_child_sequence(parent.code))
        if grid_store.find(code) is None:
            return code


def start_move(caller, code: str, request: GridMoveRequest) -> GridMoveOut:
    grid = grid_store.get(code)
    grid.check_move_under(request.version, request.parent_code)
    parent = grid_store.get(request.parent_code)
    parent.check_receives_move()
    if not caller.can_see(parent.code):
        raise Forbidden("The new parent is outside your grid scope", code="out_of_scope")
    new_code = _new_code(grid, parent, request)

    now = clock.now()
    job = GridMove(move_id=tokens.new_id(), old_code=code, new_code=new_code,
                   old_parent_code=grid.parent_code, created_by=caller.user_id, created_at=now)
    # Neither an ancestor nor the new parent may be part of another move.
    move_store.start(job, grid, grid.copy_to(new_code, job.move_id, now),
                     idle_codes=counters.lineage(code)[1:] + [parent.code])
    audit.record(caller, action="move", record=f"grid#{code}", scope_code=code,
                 changes={"code": {"from": code, "to": new_code}})
    return view(run(job.move_id, budget_seconds=REQUEST_BUDGET_SECONDS))


def get_move(move_id: str) -> GridMoveOut:
    return view(move_store.get(move_id))


def scope_of_move(move_id: str) -> str:
    return move_store.get(move_id).scope_code


def _old_grids(job: GridMove) -> list[Grid]:
    """The grids still under the old code, root first, then level by level."""
    found = []
    root = grid_store.find(job.old_code)
    if root is not None:
        found.append(root)
    for depth in range(grid_codes.depth_of(job.old_code) + 1, len(grid_codes.LEVELS)):
        found += grid_store.all_at_depth(job.old_code, depth)
    return found


def run(move_id: str, *, budget_seconds: float) -> GridMove:
    """Carry a move on from where it stands, for at most about `budget_seconds`;
    returns the job as it stands then (still running when time ran out)."""
    job = move_store.get(move_id)
    if job.done:
        return job
    now = clock.now()
    if not move_store.take_lease(job, now, now + LEASE):
        return job
    deadline = time.monotonic() + budget_seconds
    while job.step != STEPS[-1]:
        finished = STEP_ACTIONS[job.step](job, deadline)
        if not finished:
            break
        move_store.advance(job, job.next_step, clock.now())
        job = move_store.get(move_id)
    if not job.done:
        move_store.release(job)
    return move_store.get(move_id)


def _mark(job: GridMove, deadline: float) -> bool:
    for grid in _old_grids(job):
        if grid.moving == job.move_id:
            continue
        if grid.moving is not None:
            return False  # a move that began earlier below us: wait for it to end
        if not grid_store.mark_moving(grid, job.move_id):
            return False  # another move took it meanwhile: look again next time
        if time.monotonic() > deadline:
            return False
    return True


def _copy(job: GridMove, deadline: float) -> bool:
    moved = 0
    for grid in _old_grids(job):
        new_code = job.renamed(grid.code)
        if grid.code != job.old_code and grid_store.find(new_code) is None:
            grid_store.add_copy(grid.copy_to(new_code, job.move_id, clock.now()))
        moved += 1
        if time.monotonic() > deadline:
            return False
    move_store.record_grids_moved(job, moved)
    return True


def _records(job: GridMove, deadline: float) -> bool:
    for _name, mover in sorted(move_store.MOVERS.items()):
        while mover(job.old_code, job.new_code, MOVER_BATCH):
            if time.monotonic() > deadline:
                return False
    return True


def _counters(job: GridMove, deadline: float) -> bool:
    for grid in _old_grids(job):
        while True:
            items = counters.buckets_of(grid.code)
            if not items:
                break
            for bucket, counts in items.items():
                counters.transfer(grid.code, job.renamed(grid.code), bucket, counts,
                                  subtree_root=grid.code == job.old_code)
            if time.monotonic() > deadline:
                return False
    return True


def _cleanup(job: GridMove, deadline: float) -> bool:
    for grid in reversed(_old_grids(job)):  # deepest first: no grid is left without a parent
        grid_store.delete_moved(grid, job.move_id)
        if time.monotonic() > deadline:
            return False
    new_root = grid_store.get(job.new_code)
    for grid in [new_root] + [g for depth in range(grid_codes.depth_of(job.new_code) + 1,
                                                   len(grid_codes.LEVELS))
                              for g in grid_store.all_at_depth(job.new_code, depth)]:
        if grid.moving == job.move_id:
            grid_store.end_moving(grid, job.move_id)
    return True


STEP_ACTIONS = {"mark": _mark, "copy": _copy, "records": _records, "counters": _counters,
                "cleanup": _cleanup}


def resume_running_moves(budget_seconds: float = SWEEP_BUDGET_SECONDS) -> list[GridMoveOut]:
    """The sweep: carry on every move still running (reads only those)."""
    return resume(move_store.running,
                  lambda job, seconds: view(run(job.move_id, budget_seconds=seconds)),
                  budget_seconds)

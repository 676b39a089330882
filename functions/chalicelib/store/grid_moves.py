"""Subtree moves: the move jobs, and the movers of records that carry a grid code.

A grid's code is the prefix of every code below it, so moving a subtree to
another parent changes the code of every grid in it and of every record that
names one of them (workers' assignments, households, rentals, cases, users'
scopes …). Each store module whose items carry a grid code registers a mover
here; the subtree move (usecases/grid_moves.py) calls every mover until each
reports that nothing is left under the old prefix.

A mover is `move_some(old_prefix, new_prefix, limit) -> int`: it finds, by a
key or index query (never a scan), up to `limit` of its records whose grid
code still starts with `old_prefix`, rewrites each to start with `new_prefix`
(a conditional write on the old code, so a record moved twice is moved once),
and returns how many it found. Returning 0 means it is done. A move that
crashed is resumed by calling the movers again: what was moved is no longer
found under the old prefix.
"""

from collections.abc import Callable
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model

from chalicelib.domain.grid_moves import DONE, RUNNING, STEPS, GridMove
from chalicelib.domain.grids import Grid
from chalicelib.errors import Conflict
from chalicelib.store import grids as grid_store
from chalicelib.store import leased_jobs
from chalicelib.store.base import table_meta, transaction
from chalicelib.store.grids import GridModel
from chalicelib.store.leased_jobs import LeasedJob

Mover = Callable[[str, str, int], int]

MOVERS: dict[str, Mover] = {}


def register(name: str) -> Callable[[Mover], Mover]:
    def add(mover: Mover) -> Mover:
        if name in MOVERS and MOVERS[name] is not mover:
            raise ValueError(f"A grid mover named {name!r} is already registered")
        MOVERS[name] = mover
        return mover
    return add


# The move jobs.

class GridMoveModel(LeasedJob, Model):
    Meta = table_meta("grid_moves")

    move_id = UnicodeAttribute(hash_key=True)
    old_code = UnicodeAttribute()
    new_code = UnicodeAttribute()
    old_parent_code = UnicodeAttribute()
    status = UnicodeAttribute(default=RUNNING)
    step = UnicodeAttribute(default=STEPS[0])
    grids_moved = NumberAttribute(default=0)
    created_by = UnicodeAttribute()


def to_domain(item: GridMoveModel) -> GridMove:
    return GridMove(move_id=item.move_id, old_code=item.old_code, new_code=item.new_code,
                    old_parent_code=item.old_parent_code, created_by=item.created_by,
                    created_at=item.created_at, status=item.status, step=item.step,
                    grids_moved=int(item.grids_moved or 0), lease_until=item.lease_until,
                    finished_at=item.finished_at)


def to_item(move: GridMove) -> GridMoveModel:
    return GridMoveModel(move_id=move.move_id, old_code=move.old_code, new_code=move.new_code,
                         old_parent_code=move.old_parent_code, created_by=move.created_by,
                         created_at=move.created_at, status=move.status, step=move.step,
                         grids_moved=move.grids_moved, lease_until=move.lease_until,
                         finished_at=move.finished_at,
                         running=leased_jobs.RUNNING if move.status == RUNNING else None)


def get(move_id: str) -> GridMove:
    return to_domain(leased_jobs.get(GridMoveModel, move_id, "Grid move"))


def running() -> list[GridMove]:
    return [to_domain(item) for item in leased_jobs.running(GridMoveModel)]


def start(move: GridMove, grid: Grid, reserved: Grid, idle_codes: list[str]) -> None:
    """Begin a move in one transaction: the grid is marked as moving (unchanged
    since read), its new code reserved by its copy, the job written; each grid of
    `idle_codes` (its ancestors, the new parent) must exist, be active and take
    part in no other move."""
    idle = GridModel.moving.does_not_exist()
    grid_item, reserved_item = grid_store.to_item(grid), grid_store.to_item(reserved)
    try:
        with transaction() as write:
            for code in idle_codes:
                write.condition_check(GridModel, code, condition=GridModel.code.exists()
                                      & idle & (GridModel.retired == False))  # noqa: E712
            write.update(grid_item, actions=[GridModel.moving.set(move.move_id)], condition=idle)
            write.save(reserved_item, condition=GridModel.code.does_not_exist())
            write.save(to_item(move), condition=GridMoveModel.move_id.does_not_exist())
    except TransactWriteError:
        raise Conflict("The grid, an ancestor or the new parent is being moved or changed, "
                       "or the new code is taken; reload and retry",
                       code="move_conflict") from None
    grid.moving, grid.version = move.move_id, int(grid_item.version)
    reserved.version = int(reserved_item.version)


def take_lease(move: GridMove, now: datetime, until: datetime) -> bool:
    """Hold the move for this runner; False when another runner holds it."""
    if not leased_jobs.take_lease(to_item(move), now, until):
        return False
    move.lease_until = until
    return True


def release(move: GridMove) -> None:
    leased_jobs.release(to_item(move))
    move.lease_until = None


def record_grids_moved(move: GridMove, count: int) -> None:
    to_item(move).update(actions=[GridMoveModel.grids_moved.set(count)])
    move.grids_moved = count


def advance(move: GridMove, step: str, now: datetime) -> None:
    """On to `step`, once: a runner that raced ahead already moved the job on."""
    item = to_item(move)
    unmoved = GridMoveModel.step == move.step
    if step == DONE:
        leased_jobs.finish(item, DONE, now, condition=unmoved, step=step)
        move.status, move.finished_at, move.lease_until = DONE, now, None
    else:
        item.update(actions=[GridMoveModel.step.set(step)], condition=unmoved)
    move.step = step

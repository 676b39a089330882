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

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store import leased_jobs
from chalicelib.store.base import table_meta
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

RUNNING = leased_jobs.RUNNING
DONE = "done"
STEPS = ("mark", "copy", "records", "counters", "cleanup", DONE)


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


def get(move_id: str) -> GridMoveModel:
    return leased_jobs.get(GridMoveModel, move_id, "Grid move")


def running() -> list[GridMoveModel]:
    return leased_jobs.running(GridMoveModel)


def advance(job: GridMoveModel, step: str, now) -> None:
    """On to `step`, once: a runner that raced ahead already moved the job on."""
    unmoved = GridMoveModel.step == job.step
    if step == DONE:
        leased_jobs.finish(job, DONE, now, condition=unmoved, step=step)
    else:
        job.update(actions=[GridMoveModel.step.set(step)], condition=unmoved)

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

from typing import Callable

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.errors import NotFound
from chalicelib.store.base import index_meta, table_meta

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

RUNNING = "running"
DONE = "done"
STEPS = ("mark", "copy", "records", "counters", "cleanup", "done")


class RunningMoves(GlobalSecondaryIndex):
    """Sparse: only jobs still running carry `running`, so the sweep reads only those."""

    Meta = index_meta("running")
    running = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class GridMoveModel(Model):
    Meta = table_meta("grid_moves")

    move_id = UnicodeAttribute(hash_key=True)
    old_code = UnicodeAttribute()
    new_code = UnicodeAttribute()
    old_parent_code = UnicodeAttribute()
    status = UnicodeAttribute(default=RUNNING)
    step = UnicodeAttribute(default=STEPS[0])
    grids_moved = NumberAttribute(default=0)
    running = UnicodeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)

    by_running = RunningMoves()


def get(move_id: str) -> GridMoveModel:
    try:
        return GridMoveModel.get(move_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Grid move {move_id} does not exist") from None


def running() -> list[GridMoveModel]:
    return list(GridMoveModel.by_running.query(RUNNING))


def take_lease(job: GridMoveModel, now, until) -> bool:
    """Hold the job for one runner at a time; False when another runner holds it."""
    try:
        job.update(actions=[GridMoveModel.lease_until.set(until)],
                   condition=GridMoveModel.lease_until.does_not_exist()
                   | (GridMoveModel.lease_until < now))
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def advance(job: GridMoveModel, step: str, **changes) -> None:
    actions = [GridMoveModel.step.set(step)]
    actions += [getattr(GridMoveModel, name).set(value) for name, value in changes.items()]
    if step == STEPS[-1]:
        actions += [GridMoveModel.status.set(DONE), GridMoveModel.running.remove(),
                    GridMoveModel.lease_until.remove()]
    job.update(actions=actions, condition=GridMoveModel.step == job.step)

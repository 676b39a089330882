"""Records that carry a grid code move with their grid.

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

Mover = Callable[[str, str, int], int]

MOVERS: dict[str, Mover] = {}


def register(name: str) -> Callable[[Mover], Mover]:
    def add(mover: Mover) -> Mover:
        if name in MOVERS and MOVERS[name] is not mover:
            raise ValueError(f"A grid mover named {name!r} is already registered")
        MOVERS[name] = mover
        return mover
    return add

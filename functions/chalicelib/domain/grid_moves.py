"""A subtree move: the job that carries a grid, with everything below it, to its
new code under another parent, one step after another (usecases/grid_moves.py)."""

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import grid_codes

RUNNING, DONE = "running", "done"
STEPS = ("mark", "copy", "records", "counters", "cleanup", DONE)


@dataclass
class GridMove:
    move_id: str
    old_code: str
    new_code: str
    old_parent_code: str
    created_by: str
    created_at: datetime
    status: str = RUNNING
    step: str = STEPS[0]
    grids_moved: int = 0
    lease_until: datetime | None = None
    finished_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def next_step(self) -> str:
        return STEPS[STEPS.index(self.step) + 1]

    def renamed(self, code: str) -> str:
        """A code of the subtree as it reads after the move."""
        return self.new_code + code[len(self.old_code):]

    @property
    def scope_code(self) -> str:
        """Who may watch the move: those who see the grid's old parent."""
        return grid_codes.parent_of(self.old_code) or self.old_code

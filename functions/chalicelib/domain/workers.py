"""Grid workers (网格员): their kinds, their records, and the rules of assigning
them to micro-grids."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain import versions
from chalicelib.domain.callers import Caller
from chalicelib.errors import Conflict, Forbidden, InvalidInput

KINDS = {"full_time": "专职网格员", "part_time": "兼职网格员", "volunteer": "志愿者",
         "supervisor": "监督员"}


def check_assignment_dates(start: date, end: date | None, today: date) -> None:
    """Assignments are recorded as they happen or after: a start or end in the
    future would make "who covers this grid today" depend on a calendar."""
    if start > today:
        raise InvalidInput("start_date", "An assignment starts today or earlier",
                           code="date_in_future")
    if end is not None:
        if end > today:
            raise InvalidInput("end_date", "An assignment ends today or earlier",
                               code="date_in_future")
        if end < start:
            raise InvalidInput("end_date", "An assignment cannot end before it starts",
                               code="end_before_start")


ACTIVE = "active"
LEFT = "left"  # 离职: kept on record, no longer assigned


@dataclass
class Worker:
    worker_id: str
    name: str
    phone: str
    kind: str  # one of KINDS
    grid_code: str  # home grid: where the worker belongs
    created_at: datetime
    updated_at: datetime | None = None
    is_leader: bool = False  # 网格长
    status: str = ACTIVE
    notes: str | None = None
    version: int = 0  # 0: never stored

    def audited_fields(self) -> dict:
        return {"name": self.name, "phone": self.phone, "kind": self.kind,
                "grid_code": self.grid_code, "is_leader": self.is_leader,
                "status": self.status, "notes": self.notes}

    def edit(self, version: int, now: datetime, **changes: Any) -> None:
        """Change the fields given (None: unchanged)."""
        versions.check("worker", self.version, version)
        for name in ("name", "phone", "kind", "grid_code", "is_leader", "notes"):
            if changes.get(name) is not None:
                setattr(self, name, changes[name])
        self.updated_at = now

    def leave(self, version: int, now: datetime) -> None:
        versions.check("worker", self.version, version)
        if self.status == LEFT:
            raise Conflict("The worker has left already", code="already_left")
        self.status = LEFT
        self.updated_at = now


@dataclass
class Assignment:
    """A worker's charge of one micro-grid from a start date, until an end date."""

    assignment_id: str
    worker_id: str
    grid_code: str
    start_date: date  # Asia/Shanghai dates
    created_by: str
    created_at: datetime
    end_date: date | None = None  # None while the assignment is active
    ended_by: str | None = None
    version: int = 0  # 0: never stored

    @property
    def active(self) -> bool:
        return self.end_date is None

    @classmethod
    def begin(cls, assignment_id: str, worker: Worker, grid_code: str, start: date, *,
              today: date, now: datetime, by: Caller, of_worker: list["Assignment"]
              ) -> "Assignment":
        """The worker takes charge of the grid; `of_worker`: the worker's assignments."""
        if worker.status != ACTIVE:
            raise Conflict("The worker has left", code="worker_left")
        if not by.can_see(grid_code):
            raise Forbidden("The grid is outside your scope", code="out_of_scope")
        check_assignment_dates(start, None, today)
        if any(a.grid_code == grid_code and a.active for a in of_worker):
            raise Conflict("The worker is assigned to this grid already", code="already_assigned")
        return cls(assignment_id=assignment_id, worker_id=worker.worker_id, grid_code=grid_code,
                   start_date=start, created_by=by.user_id, created_at=now)

    def end(self, end: date, *, today: date, by: str) -> None:
        if not self.active:
            raise Conflict("The assignment has ended already", code="already_ended")
        check_assignment_dates(self.start_date, end, today)
        self.end_date, self.ended_by = end, by


def successor(active_in_grid: list[Assignment], leaving_worker_id: str) -> str | None:
    """Who takes over a grid's records from a worker who no longer covers it: the
    worker assigned there most recently, else nobody."""
    staying = [a for a in active_in_grid if a.worker_id != leaving_worker_id]
    if not staying:
        return None
    return max(staying, key=lambda a: (a.start_date, a.assignment_id)).worker_id

"""Grid workers (网格员): their kinds, and the rules of assigning them to micro-grids."""

from datetime import date

from chalicelib.errors import InvalidInput

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

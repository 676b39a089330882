"""Working-day deadlines on the Chinese calendar.

A time limit is either clock hours ("24h": emergencies do not wait for Monday)
or working days ("3wd"). Working days follow the official calendar of the
State Council, public holidays and 调休 make-up workdays included, from the
`chinese_calendar` library; a limit of N working days ends at midnight
(Asia/Shanghai) after the N-th working day following the day the stage began.

The library only knows the years the State Council has published. For a later
year the calendar falls back to Monday–Friday and the deadline is flagged as
an estimate (`Due.estimated`); the deadline sweep recomputes estimated
deadlines once an upgraded library knows the year (`known_year`).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
_LIMIT = re.compile(r"^([1-9][0-9]{0,2})(h|wd)$")


@dataclass(frozen=True)
class TimeLimit:
    amount: int
    unit: str  # "h" clock hours, "wd" working days

    @classmethod
    def parse(cls, text: str) -> "TimeLimit":
        match = _LIMIT.match(text or "")
        if not match:
            raise ValueError(f"A time limit is like '24h' or '3wd', not {text!r}")
        return cls(int(match.group(1)), match.group(2))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Due:
    at: datetime
    estimated: bool  # a year past the library's data took part: weekends-only guess


def known_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> tuple[bool, bool]:
    """(whether `day` is a working day, whether the official calendar knew it)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def day_end(day: date) -> datetime:
    """Midnight after `day` in Asia/Shanghai, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI).astimezone(UTC)


def due(start: datetime, limit: TimeLimit) -> Due:
    if limit.unit == "h":
        return Due(start + timedelta(hours=limit.amount), estimated=False)
    day, counted, estimated = local_day(start), 0, False
    while counted < limit.amount:
        day += timedelta(days=1)
        working, known = is_working_day(day)
        estimated = estimated or not known
        counted += working
    return Due(day_end(day), estimated)


def warn_at(start: datetime, due_at: datetime) -> datetime:
    """When to warn that a stage is about to run out: with a quarter of its time left."""
    return due_at - (due_at - start) / 4

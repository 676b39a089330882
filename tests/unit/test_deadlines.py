"""Working-day deadlines on the Chinese calendar, holidays and 调休 included."""

from datetime import UTC, datetime

import pytest
from chalicelib.domain import deadlines
from chalicelib.domain.deadlines import SHANGHAI, TimeLimit


def shanghai(*args):
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def due_day(start, limit):
    due = deadlines.due(start, TimeLimit.parse(limit))
    # The due time is midnight after the last working day, Shanghai time.
    local = due.at.astimezone(SHANGHAI)
    assert (local.hour, local.minute) == (0, 0)
    return (local.date().fromordinal(local.date().toordinal() - 1)).isoformat(), due.estimated


def test_an_ordinary_week():
    # Monday 2026-11-23 + 3 working days: Tue, Wed, Thu.
    assert due_day(shanghai(2026, 11, 23, 10), "3wd") == ("2026-11-26", False)
    # Friday + 1 working day skips the weekend.
    assert due_day(shanghai(2026, 11, 27, 16), "1wd") == ("2026-11-30", False)


def test_national_day_holiday_is_skipped_and_make_up_days_count():
    # Sun 2026-09-20 is a 调休 make-up workday; Oct 1–7 is the National Day holiday,
    # Sat Oct 10 another make-up workday.
    assert due_day(shanghai(2026, 9, 19, 9), "1wd") == ("2026-09-20", False)
    assert due_day(shanghai(2026, 9, 30, 9), "1wd") == ("2026-10-08", False)
    assert due_day(shanghai(2026, 9, 30, 9), "3wd") == ("2026-10-10", False)


def test_spring_festival_make_up_saturdays():
    # Sat 2026-02-14 and Sat 2026-02-28 are make-up workdays around the Spring Festival.
    assert due_day(shanghai(2026, 2, 13, 18), "1wd") == ("2026-02-14", False)
    assert due_day(shanghai(2026, 2, 14, 9), "1wd") == ("2026-02-24", False)
    assert due_day(shanghai(2026, 2, 27, 9), "1wd") == ("2026-02-28", False)


def test_the_day_boundary_is_shanghai_midnight_not_utc():
    # 23:30 UTC on the 22nd is 07:30 on Monday the 23rd in Shanghai.
    start = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert due_day(start, "1wd") == ("2026-11-24", False)


def test_hours_are_clock_hours_even_on_holidays():
    start = shanghai(2026, 10, 1, 22)
    assert deadlines.due(start, TimeLimit.parse("2h")).at == shanghai(2026, 10, 2, 0)


def test_years_the_library_does_not_know_fall_back_to_weekdays_as_an_estimate():
    assert deadlines.known_year(2026) and not deadlines.known_year(2099)
    # Thu 2026-12-31 + 2 working days: Fri Jan 1 2027 (weekday: the estimate counts it),
    # then Mon Jan 4.
    assert due_day(shanghai(2026, 12, 31, 9), "2wd") == ("2027-01-04", True)
    assert due_day(shanghai(2026, 12, 28, 9), "2wd") == ("2026-12-30", False)


@pytest.mark.parametrize("text", ["", "0h", "3d", "1000wd", "wd", "2 h"])
def test_bad_limits_are_refused(text):
    with pytest.raises(ValueError):
        TimeLimit.parse(text)


def test_warning_comes_with_a_quarter_of_the_time_left():
    start = shanghai(2026, 11, 23, 8)
    assert deadlines.warn_at(start, shanghai(2026, 11, 23, 12)) == shanghai(2026, 11, 23, 11)

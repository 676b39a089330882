"""The one source of the current time (UTC), so tests can move it, and the
business calendar's time zone: days, weeks and months are Asia/Shanghai's."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(timezone.utc)


def today() -> date:
    """Today's date in Asia/Shanghai."""
    return now().astimezone(BUSINESS_TZ).date()


def month_of(moment: datetime) -> str:
    """The Asia/Shanghai month of a moment, as YYYY-MM."""
    return moment.astimezone(BUSINESS_TZ).strftime("%Y-%m")

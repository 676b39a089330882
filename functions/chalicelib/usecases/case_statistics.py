"""Case indicators of a grid subtree for one Asia/Shanghai month, read from the
counters every case change keeps (domain/case_indicators.py): two reads."""

from chalicelib import clock
from chalicelib.domain import case_indicators, grid_codes
from chalicelib.schemas.cases import Indicators
from chalicelib.store import counters


def indicators(grid_code: str, month: str | None) -> Indicators:
    grid_codes.depth_of(grid_code, "grid")
    month = month or case_indicators.month_of(clock.now())
    counts = counters.read(grid_code, case_indicators.bucket(month))
    gauges = counters.read(grid_code, case_indicators.GAUGES)
    return Indicators(grid=grid_code, month=month, counts=counts,
                      overdue_now=gauges.get("overdue", 0), open_now=gauges.get("open", 0),
                      rates=case_indicators.rates(counts))

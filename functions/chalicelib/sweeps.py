"""The scheduled work (扫描任务): each sweep is a use case run on a schedule.

app.py registers one scheduled function per sweep, and `make sweep NAME=…` and
make run's local scheduler (devtools/) call the very same functions, so a
sweep behaves alike on AWS and on a laptop. Each returns a summary of what it
did, for the logs; when DynamoDB or S3 is out of reach it stops and says so in
one line, and its next run carries on.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable


def _grid_moves(now: datetime | None) -> dict[str, Any]:
    from chalicelib.usecases import grid_moves

    jobs = grid_moves.resume_running_moves()
    return {"moves": [{"move_id": j.move_id, "status": j.status} for j in jobs]}


def _ledger_jobs(now: datetime | None) -> dict[str, Any]:
    from chalicelib.usecases import ledger_files

    return {"finished": ledger_files.resume_jobs()}


def _print_sheets(now: datetime | None) -> dict[str, Any]:
    from chalicelib.usecases import print_sheets

    return {"finished": print_sheets.resume_jobs()}


def _case_deadlines(now: datetime | None) -> dict[str, Any]:
    from chalicelib.usecases import case_deadlines

    return case_deadlines.sweep(now)


def _hotline_callbacks(now: datetime | None) -> dict[str, Any]:
    from chalicelib.usecases import hotline_callbacks

    return hotline_callbacks.deliver_callbacks(now)


@dataclass(frozen=True)
class Sweep:
    name: str
    every_minutes: int
    run: Callable[[datetime | None], dict[str, Any]]
    purpose: str


SWEEPS = {sweep.name: sweep for sweep in (
    Sweep("resume-grid-moves", 1, _grid_moves,
          "carry on subtree moves a request could not finish"),
    Sweep("ledger-jobs", 1, _ledger_jobs, "carry on Excel imports and exports"),
    Sweep("print-sheets", 1, _print_sheets, "carry on print sheets of boards and cards"),
    Sweep("case-deadlines", 5, _case_deadlines,
          "warn before a case's stage runs out; mark it overdue and escalate after"),
    Sweep("hotline-callbacks", 1, _hotline_callbacks,
          "notify the 12345 platform of closed tickets, retrying with back-off"),
)}


def run(name: str, now: datetime | None = None) -> dict[str, Any]:
    from chalicelib.observability import logger
    from chalicelib.store.availability import as_unavailable

    try:
        summary = SWEEPS[name].run(now)
    except Exception as exc:
        outage = as_unavailable(exc)
        if outage is None:
            raise
        # Every sweep carries on where it stopped, so the next run makes up for this one.
        logger.warning("sweep stopped", extra={"sweep": name, "error": repr(exc)})
        return {"stopped": outage.code}
    logger.info("sweep", extra={"sweep": name, "summary": summary})
    return summary

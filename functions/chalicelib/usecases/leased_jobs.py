"""The sweeps that carry on leased jobs (store/leased_jobs.py) a request left running."""

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

Job = TypeVar("Job")
Outcome = TypeVar("Outcome")


def resume(running: Callable[[], Iterable[Job]], run_one: Callable[[Job, float], Outcome],
           budget_seconds: float) -> list[Outcome]:
    """Run each job still running, giving each the time the ones before it left,
    and stop when `budget_seconds` are spent: the next sweep takes up the rest."""
    deadline = time.monotonic() + budget_seconds
    outcomes = []
    for job in running():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        outcomes.append(run_one(job, remaining))
    return outcomes

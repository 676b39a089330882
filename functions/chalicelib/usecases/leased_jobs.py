"""Running leased jobs (store/leased_jobs.py): one run under the job's lease,
and the sweeps that carry on what a request left running."""

import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from chalicelib import clock
from chalicelib.observability import logger
from chalicelib.store.availability import as_unavailable

MAX_ATTEMPTS = 5  # runs in a row that got nowhere before a job is given up
GAVE_UP = (f"The job stopped {MAX_ATTEMPTS} times in a row without getting on (the database "
           "or the file store unavailable, or too large a job); start it again")

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


def run_leased(jobs: Any, job_id: str, *, lease: timedelta, budget_seconds: float,
               work: Callable[[Any, float], bool],
               failure: Callable[[Any, Exception], str]) -> Any:
    """Carry a running job on for about `budget_seconds` while holding its lease;
    the job as it stands then (re-read).

    `jobs` is the job's store module: get, take_lease, release and finish.

    `work(job, deadline)` does the job's own work until the monotonic `deadline`
    and says whether the job is finished (it ends the job itself). A failure on
    the data ends the job with `failure(job, error)`; an outage lets the lease go
    for the next run, up to MAX_ATTEMPTS runs that got nowhere."""
    job = jobs.get(job_id)
    now = clock.now()
    if job.status != "running" or not jobs.take_lease(job, now, now + lease):
        return job
    if job.attempts > MAX_ATTEMPTS:  # the runs before died, or ran out of time
        jobs.finish(job, "failed", now, failure=GAVE_UP)
        return jobs.get(job_id)
    try:
        done = work(job, time.monotonic() + budget_seconds)
    except Exception as error:  # noqa: BLE001 - any failure ends the run; an outage may retry
        if as_unavailable(error) is None:
            logger.exception("job failed", extra={"job_id": job_id})
            jobs.finish(job, "failed", clock.now(), failure=failure(job, error))
        elif jobs.get(job_id).attempts >= MAX_ATTEMPTS:  # unless this run got on
            logger.exception("job gave up", extra={"job_id": job_id})
            jobs.finish(job, "failed", clock.now(), failure=GAVE_UP)
        else:
            logger.warning("job will be retried", extra={"job_id": job_id, "error": repr(error)})
            jobs.release(job)
        return jobs.get(job_id)
    if not done:
        jobs.release(job)
    return jobs.get(job_id)

"""Leased jobs: work too long for one request (a subtree move, an Excel import
or export) that a request starts and a sweep carries on until it ends.

A job's model mixes in `LeasedJob`. While the job runs it carries `running`,
and only then, so the sparse `running` index holds just the jobs a sweep has
left to do. A runner works on a job only while it holds its lease
(`lease_until`, taken with a conditional write), so a request and a sweep, or
two sweeps, never run one job at once; a runner that died lets go when its
lease runs out.

A job that mixes in `CountsAttempts` as well counts each lease taken, so that
its use case can give up on a job that keeps failing to get on.
"""

from datetime import datetime
from typing import TypeVar

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.errors import NotFound
from chalicelib.store.base import index_meta

RUNNING = "running"


class RunningJobs(GlobalSecondaryIndex):
    """Sparse: only jobs still running carry `running`, so the sweep reads only those."""

    Meta = index_meta("running")
    running = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class LeasedJob:
    """Mixed into a job's model, which adds its key and a `status` (`finish` ends
    the job on one)."""

    running = UnicodeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)

    by_running = RunningJobs()


class CountsAttempts:
    attempts = NumberAttribute(default=0)  # leases taken since the job last got on


Job = TypeVar("Job", bound=Model)


def get(model: type[Job], job_id: str, what: str) -> Job:
    try:
        return model.get(job_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"{what} {job_id} does not exist") from None


def running(model: type[Job]) -> list[Job]:
    return list(model.by_running.query(RUNNING))


def take_lease(job: Model, now: datetime, until: datetime) -> bool:
    """Hold the job for one runner at a time; False when another runner holds it."""
    model = type(job)
    actions = [model.lease_until.set(until)]
    if isinstance(job, CountsAttempts):
        actions.append(model.attempts.add(1))
    try:
        job.update(actions=actions, condition=model.lease_until.does_not_exist()
                   | (model.lease_until < now))
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release(job: Model) -> None:
    job.update(actions=[type(job).lease_until.remove()])


def finish(job: Model, status: str, now: datetime, condition=None, **changes) -> None:
    """End the job: it leaves the running index, and its lease with it."""
    model = type(job)
    actions = [model.status.set(status), model.finished_at.set(now),
               model.running.remove(), model.lease_until.remove()]
    actions += [getattr(model, name).set(value) for name, value in changes.items()]
    job.update(actions=actions, condition=condition)

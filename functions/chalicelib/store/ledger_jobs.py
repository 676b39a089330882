"""Ledger file jobs: imports of .xlsx ledgers and exports to .xlsx, each a job
that a request starts and a sweep finishes when the request runs out of time.

Access patterns (docs/access-patterns.md):
- a job by id: ledger_jobs, GetItem on `job_id`
- the jobs still running: index running (sparse), running = "running"
"""

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.errors import NotFound
from chalicelib.store.base import index_meta, table_meta

RUNNING = "running"
MAX_PROBLEMS = 500  # a file with more is reported by its first 500


class ProblemItem(MapAttribute):
    sheet = UnicodeAttribute()
    row = NumberAttribute()
    column = UnicodeAttribute()
    message = UnicodeAttribute()


class RunningJobs(GlobalSecondaryIndex):
    Meta = index_meta("running")
    running = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class LedgerJobModel(Model):
    Meta = table_meta("ledger_jobs")

    job_id = UnicodeAttribute(hash_key=True)
    job_type = UnicodeAttribute()  # import | export
    kind = UnicodeAttribute()  # households | residents | rentals | tenants
    scope_code = UnicodeAttribute()  # the grid subtree the job may touch
    status = UnicodeAttribute()  # checked | running | done | failed
    dry_run = BooleanAttribute(default=False)
    object_key = UnicodeAttribute(null=True)  # the uploaded file, or the export
    filename = UnicodeAttribute(null=True)
    rows = NumberAttribute(default=0)
    processed = NumberAttribute(default=0)
    created = NumberAttribute(default=0)
    updated = NumberAttribute(default=0)
    unchanged = NumberAttribute(default=0)
    problems = ListAttribute(of=ProblemItem, default=list)
    failure = UnicodeAttribute(null=True)
    running = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)  # runs since the job last got on (an import's batch)
    lease_until = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_role = UnicodeAttribute()
    created_name = UnicodeAttribute(null=True)  # for the audit entries the job writes
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()

    by_running = RunningJobs()


def get(job_id: str) -> LedgerJobModel:
    try:
        return LedgerJobModel.get(job_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"Job {job_id} does not exist") from None


def running() -> list[LedgerJobModel]:
    return list(LedgerJobModel.by_running.query(RUNNING))


def take_lease(job: LedgerJobModel, now, until) -> bool:
    """Hold the job for one runner at a time, counting the run as an attempt;
    False when another holds it."""
    try:
        job.update(actions=[LedgerJobModel.lease_until.set(until),
                            LedgerJobModel.attempts.add(1)],
                   condition=LedgerJobModel.lease_until.does_not_exist()
                   | (LedgerJobModel.lease_until < now))
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def finish(job: LedgerJobModel, status: str, now, **changes) -> None:
    actions = [LedgerJobModel.status.set(status), LedgerJobModel.finished_at.set(now),
               LedgerJobModel.running.remove(), LedgerJobModel.lease_until.remove()]
    actions += [getattr(LedgerJobModel, name).set(value) for name, value in changes.items()]
    job.update(actions=actions)


def release(job: LedgerJobModel) -> None:
    job.update(actions=[LedgerJobModel.lease_until.remove()])

"""Ledger file jobs: imports of .xlsx ledgers and exports to .xlsx, each a job
that a request starts and a sweep finishes when the request runs out of time.

Access patterns (docs/access-patterns.md):
- a job by id: ledger_jobs, GetItem on `job_id`
- the jobs still running: index running (sparse), running = "running"
"""

from datetime import datetime

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.models import Model

from chalicelib import clock
from chalicelib.domain import tokens
from chalicelib.domain.ledger_jobs import LedgerJob
from chalicelib.domain.ledger_sheets import Problem
from chalicelib.store import leased_jobs
from chalicelib.store.base import table_meta
from chalicelib.store.leased_jobs import CountsAttempts, LeasedJob

RUNNING = leased_jobs.RUNNING


class ProblemItem(MapAttribute):
    sheet = UnicodeAttribute()
    row = NumberAttribute()
    column = UnicodeAttribute()
    message = UnicodeAttribute()


class LedgerJobModel(LeasedJob, CountsAttempts, Model):
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
    created_by = UnicodeAttribute()
    created_role = UnicodeAttribute()
    created_name = UnicodeAttribute(null=True)  # for the audit entries the job writes
    version = VersionAttribute()


def to_domain(item: LedgerJobModel) -> LedgerJob:
    return LedgerJob(
        job_id=item.job_id, job_type=item.job_type, kind=item.kind, scope_code=item.scope_code,
        status=item.status, created_by=item.created_by, created_role=item.created_role,
        created_at=item.created_at, created_name=item.created_name, dry_run=bool(item.dry_run),
        object_key=item.object_key, filename=item.filename, rows=int(item.rows or 0),
        processed=int(item.processed or 0), created=int(item.created or 0),
        updated=int(item.updated or 0), unchanged=int(item.unchanged or 0),
        problems=[Problem(sheet=p.sheet, row=int(p.row), column=p.column, message=p.message)
                  for p in item.problems or []],
        failure=item.failure, finished_at=item.finished_at, attempts=int(item.attempts or 0),
        lease_until=item.lease_until, version=item.version)


def to_item(job: LedgerJob) -> LedgerJobModel:
    item = LedgerJobModel(
        job_id=job.job_id, job_type=job.job_type, kind=job.kind, scope_code=job.scope_code,
        status=job.status, created_by=job.created_by, created_role=job.created_role,
        created_at=job.created_at, created_name=job.created_name, dry_run=job.dry_run,
        object_key=job.object_key, filename=job.filename, rows=job.rows,
        processed=job.processed, created=job.created, updated=job.updated,
        unchanged=job.unchanged, problems=[ProblemItem(**p.as_dict()) for p in job.problems],
        failure=job.failure, finished_at=job.finished_at, attempts=job.attempts,
        lease_until=job.lease_until, running=RUNNING if job.running else None)
    if job.version is not None:
        item.version = job.version
    return item


def _take_back(job: LedgerJob, item: LedgerJobModel) -> None:
    """The job as its item now stands (after a write that answered with it)."""
    job.__dict__.update(to_domain(item).__dict__)


def new(caller, *, job_type: str, kind: str, scope_code: str, status: str,
        object_key: str | None, **fields) -> LedgerJob:
    """A job started by `caller` (not yet saved)."""
    return LedgerJob(job_id=tokens.new_id(), job_type=job_type, kind=kind,
                     scope_code=scope_code, status=status, object_key=object_key,
                     created_by=caller.user_id, created_role=caller.role,
                     created_name=caller.name or None, created_at=clock.now(), **fields)


def save(job: LedgerJob) -> None:
    """Write a new job, or one read earlier (fails when it changed meanwhile)."""
    item = to_item(job)
    item.save()
    job.version = item.version


def record_progress(work, job: LedgerJob, *, created: int, updated: int) -> None:
    """What a batch of the import wrote, in the batch's own transaction `work`.
    A batch written is a run that got on: the job's attempts count anew."""
    item = to_item(job)
    work.update(item, [LedgerJobModel.created.add(created), LedgerJobModel.updated.add(updated),
                       LedgerJobModel.processed.add(created + updated),
                       LedgerJobModel.attempts.set(0)])
    work.keep_version(job, item)


def get(job_id: str) -> LedgerJob:
    return to_domain(leased_jobs.get(LedgerJobModel, job_id, "Job"))


def running() -> list[LedgerJob]:
    return [to_domain(item) for item in leased_jobs.running(LedgerJobModel)]


def take_lease(job: LedgerJob, now: datetime, until: datetime) -> bool:
    item = to_item(job)
    if not leased_jobs.take_lease(item, now, until):
        return False
    _take_back(job, item)
    return True


def release(job: LedgerJob) -> None:
    item = to_item(job)
    leased_jobs.release(item)
    _take_back(job, item)


def finish(job: LedgerJob, status: str, now: datetime, **changes) -> None:
    """End the job with `changes` to its fields (problems: ledger_sheets.Problem)."""
    if "problems" in changes:
        changes["problems"] = [ProblemItem(**p.as_dict()) for p in changes["problems"]]
    item = to_item(job)
    leased_jobs.finish(item, status, now, **changes)
    _take_back(job, item)

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
    VersionAttribute,
)
from pynamodb.models import Model

from chalicelib import clock
from chalicelib.domain import tokens
from chalicelib.store import leased_jobs
from chalicelib.store.base import table_meta
from chalicelib.store.leased_jobs import CountsAttempts, LeasedJob

RUNNING = leased_jobs.RUNNING
MAX_PROBLEMS = 500  # a file with more is reported by its first 500


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


# What the use cases hold of a job: they read its fields and change it through
# the functions here and in store/leased_jobs.py.
LedgerJob = LedgerJobModel


def new(caller, *, job_type: str, kind: str, scope_code: str, status: str,
        object_key: str | None, **fields) -> LedgerJobModel:
    """A job started by `caller` (not yet saved)."""
    return LedgerJobModel(job_id=tokens.new_id(), job_type=job_type, kind=kind,
                          scope_code=scope_code, status=status, object_key=object_key,
                          created_by=caller.user_id, created_role=caller.role,
                          created_name=caller.name or None, created_at=clock.now(), **fields)


def problem_items(problems) -> list[ProblemItem]:
    """The first MAX_PROBLEMS of a file's problems (ledger_sheets.Problem), in order."""
    ordered = sorted(problems, key=lambda p: (p.sheet, p.row, p.column))
    return [ProblemItem(**p.as_dict()) for p in ordered[:MAX_PROBLEMS]]


def record_progress(work, job: LedgerJobModel, *, created: int, updated: int) -> None:
    """What a batch of the import wrote, in the batch's own transaction `work`.
    A batch written is a run that got on: the job's attempts count anew."""
    work.update(job, [LedgerJobModel.created.add(created), LedgerJobModel.updated.add(updated),
                      LedgerJobModel.processed.add(created + updated),
                      LedgerJobModel.attempts.set(0)])


def get(job_id: str) -> LedgerJobModel:
    return leased_jobs.get(LedgerJobModel, job_id, "Job")


def running() -> list[LedgerJobModel]:
    return leased_jobs.running(LedgerJobModel)

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


def get(job_id: str) -> LedgerJobModel:
    return leased_jobs.get(LedgerJobModel, job_id, "Job")


def running() -> list[LedgerJobModel]:
    return leased_jobs.running(LedgerJobModel)

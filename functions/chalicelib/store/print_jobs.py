"""Print-sheet jobs: a grid subtree's boards or cards issued and drawn into one
PDF, by a request or, when it runs out of time, by the `print-sheets` sweep.

Access patterns (docs/access-patterns.md):
- a job by id: print_jobs, GetItem on `job_id`
- the jobs still running: index running (sparse), running = "running"
"""

from pynamodb.attributes import (
    BooleanAttribute,
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


class PrintJobModel(LeasedJob, CountsAttempts, Model):
    Meta = table_meta("print_jobs")

    job_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # rental_boards | contact_cards
    scope_code = UnicodeAttribute()  # the grid subtree printed
    reprint_only = BooleanAttribute(default=False)
    status = UnicodeAttribute()  # running | done | failed
    records = NumberAttribute(default=0)  # found to print
    processed = NumberAttribute(default=0)  # with their code issued
    object_key = UnicodeAttribute()
    filename = UnicodeAttribute()
    failure = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_role = UnicodeAttribute()
    created_name = UnicodeAttribute(null=True)  # for the audit entries of the codes it issues
    version = VersionAttribute()


# What the use case holds of a job, as with the ledger jobs: it reads the
# fields and changes the job through the functions here and in store/leased_jobs.py.
PrintJob = PrintJobModel


def new(caller, *, kind: str, scope_code: str, reprint_only: bool, filename: str
        ) -> PrintJobModel:
    """A running job started by `caller` (not yet saved)."""
    job_id = tokens.new_id()
    return PrintJobModel(job_id=job_id, kind=kind, scope_code=scope_code,
                         reprint_only=reprint_only, status="running", running=RUNNING,
                         object_key=f"print-sheets/{job_id}.pdf", filename=filename,
                         created_by=caller.user_id, created_role=caller.role,
                         created_name=caller.name or None, created_at=clock.now())


def record_progress(job: PrintJobModel, *, records: int, processed: int) -> None:
    """How far the job got; a run that got on lets its attempts count anew."""
    job.update(actions=[PrintJobModel.records.set(records),
                        PrintJobModel.processed.set(processed), PrintJobModel.attempts.set(0)])


# The lease and the end of a run, as usecases/leased_jobs.run_leased asks a job's store.
take_lease = leased_jobs.take_lease
release = leased_jobs.release
finish = leased_jobs.finish


def get(job_id: str) -> PrintJobModel:
    return leased_jobs.get(PrintJobModel, job_id, "Print job")


def running() -> list[PrintJobModel]:
    return leased_jobs.running(PrintJobModel)

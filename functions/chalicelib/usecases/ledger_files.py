"""Excel in and out of the ledgers: templates to fill in, uploads straight to S3,
imports checked in a dry run and then written, exports of a subtree's ledger.

Imports and exports are jobs: the request does what it can in its time, and the
`ledger-jobs` sweep carries on any job left running, so a county's ledger (or a
20,000-row file) is handled within one Lambda invocation of the sweep.
"""

import time
from collections.abc import Iterable
from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger, ledger_sheets, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.ledger_jobs import LedgerJob
from chalicelib.errors import Forbidden, InvalidInput, WanggeError
from chalicelib.schemas.ledger_files import (
    ExportJob,
    ExportRequest,
    ImportJob,
    ImportProblem,
    ImportRequest,
    LedgerTemplate,
    UploadForm,
    UploadRequest,
)
from chalicelib.settings import settings
from chalicelib.store import households as household_store
from chalicelib.store import ledger_jobs as job_store
from chalicelib.store import objects
from chalicelib.store import rentals as rental_store
from chalicelib.usecases import audit, ledger_imports, ledger_workbooks, ledger_writes
from chalicelib.usecases import households as household_rules
from chalicelib.usecases.leased_jobs import resume, run_leased

MAX_FILE_BYTES = 10 * 1024 * 1024
LINK_SECONDS = 15 * 60
LEASE = timedelta(minutes=15)
REQUEST_BUDGET_SECONDS = 20.0  # API Gateway answers after 29 s
SWEEP_BUDGET_SECONDS = 780.0  # a Lambda runs 15 minutes at most
INLINE_EXPORT_ROWS = 5000  # larger exports are left to the sweep


class ImportHasProblems(WanggeError):
    code = "import_has_problems"


def _upload_key(upload_id: str) -> str:
    return f"ledger-uploads/{upload_id}.xlsx"


def template(kind: str) -> LedgerTemplate:
    filename = f"{ledger_sheets.KINDS[kind][0].title}台账模板.xlsx"
    key_groups = household_rules.key_groups()
    # The template depends on the key groups of the deployment: named after them.
    key = f"ledger-templates/{kind}-{tokens.digest('|'.join(key_groups))[:12]}.xlsx"
    if not objects.exists(settings.exports_bucket, key):
        objects.write(settings.exports_bucket, key, ledger_workbooks.template(kind, key_groups),
                      objects.XLSX)
    return LedgerTemplate(filename=filename, url=objects.download_link(
        settings.exports_bucket, key, LINK_SECONDS, filename))


def start_upload(caller: Caller, request: UploadRequest) -> UploadForm:
    if request.size > MAX_FILE_BYTES:
        raise InvalidInput("size", f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB")
    upload_id = tokens.new_id()
    form = objects.upload_form(settings.exports_bucket, _upload_key(upload_id), objects.XLSX,
                               MAX_FILE_BYTES, LINK_SECONDS)
    return UploadForm(upload_id=upload_id, url=form["url"], fields=form["fields"],
                      expires_at=clock.now() + timedelta(seconds=LINK_SECONDS))


def job_view(job: LedgerJob) -> ImportJob:
    return ImportJob(import_id=job.job_id, kind=job.kind, dry_run=job.dry_run,
                     status=job.status, rows=job.rows, processed=job.processed,
                     created=job.created, updated=job.updated, unchanged=job.unchanged,
                     problems=[ImportProblem(sheet=p.sheet, row=p.row, column=p.column,
                                             message=p.message) for p in job.problems or []],
                     failure=job.failure, created_at=job.created_at, finished_at=job.finished_at)


def _read_plan(job: LedgerJob, caller: Caller) -> ledger_imports.Plan:
    data = objects.read(settings.exports_bucket, job.object_key, MAX_FILE_BYTES)
    if data is None:
        raise InvalidInput("upload_id", "No file was uploaded with this id (or it is over "
                           "10 MB); upload it again", code="upload_missing")
    try:
        (parents, children), shape = ledger_workbooks.read(data, ledger_sheets.KINDS[job.kind])
    except ledger_workbooks.UnreadableWorkbook:
        raise InvalidInput("upload_id", "The file is not an Excel .xlsx workbook",
                           code="not_a_workbook") from None
    return ledger_imports.check_and_plan(job.kind, parents, children, shape, caller,
                                         job.scope_code)


def _caller_of(job: LedgerJob) -> Caller:
    return Caller(user_id=job.created_by, role=job.created_role, scope_code=job.scope_code,
                  name=job.created_name or "")


def start_import(caller: Caller, request: ImportRequest) -> tuple[ImportJob, int]:
    """A dry run (200, the report) or the import itself (202, the job); a file
    with problems is refused whole (400, every problem)."""
    job = job_store.new(caller, job_type="import", kind=request.kind,
                        scope_code=caller.scope_code, status="checked",
                        object_key=_upload_key(request.upload_id), dry_run=request.dry_run)
    plan = _read_plan(job, caller)
    job.rows = plan.records
    job.report(plan.problems)
    if request.dry_run or plan.problems:
        job.created, job.updated = plan.count("create"), plan.count("update")
        job.unchanged = plan.count("none")
        job.finished_at = job.created_at
        job_store.save(job)
        if plan.problems and not request.dry_run:
            raise ImportHasProblems(
                f"The file has {len(plan.problems)} problems; nothing was imported",
                details=[{"field": f"{p.sheet}!{p.column}{p.row}", **p.as_dict()}
                         for p in job.problems])
        return job_view(job), 200
    job.status = "running"
    job_store.save(job)
    audit.record(caller, action="import", record=f"import#{job.job_id}",
                 scope_code=caller.scope_code, changes={"rows": {"from": None,
                                                                 "to": str(plan.records)}})
    return job_view(run(job.job_id, budget_seconds=REQUEST_BUDGET_SECONDS, plan=plan)), 202


def run(job_id: str, *, budget_seconds: float, plan: ledger_imports.Plan | None = None
        ) -> LedgerJob:
    """Carry a running job on for about `budget_seconds`; the job as it stands then."""
    def work(job: LedgerJob, deadline: float) -> bool:
        return (_run_export(job, deadline) if job.job_type == "export"
                else _run_import(job, deadline, plan))

    return run_leased(job_store, job_id, lease=LEASE, budget_seconds=budget_seconds,
                      work=work, failure=_failure)


def _failure(job: LedgerJob, error: Exception) -> str:
    """What the user reads: our own message, or what broke on the data."""
    if isinstance(error, WanggeError):
        return error.message
    return f"The {job.job_type} stopped on the ledger's data and was not retried: {error}"[:500]


def _run_import(job: LedgerJob, deadline: float, plan: ledger_imports.Plan | None) -> bool:
    caller = _caller_of(job)
    for _attempt in range(3):
        plan = plan or _read_plan(job, caller)
        if plan.problems:  # someone changed the ledger since the check
            job.report(plan.problems)
            job_store.finish(job, "failed", clock.now(), problems=job.problems,
                               failure="The ledger changed since the file was checked")
            return True
        try:
            if not ledger_imports.write_plan(plan, job, caller, deadline):
                return False
        except WanggeError as error:
            if error.code not in ledger_writes.CONFLICTS:
                raise
            plan = None  # a record changed or was taken under us: plan again from the file
            continue
        job = job_store.get(job.job_id)  # with the progress its batches wrote
        changed = job.created + job.updated
        job_store.finish(job, "done", clock.now(), processed=job.rows,
                         unchanged=max(0, job.rows - changed))
        return True
    raise WanggeError("The ledger kept changing during the import; try again",
                      code="import_conflict")


def get_import(caller: Caller, job_id: str) -> ImportJob:
    job = _own_job(caller, job_id, "import")
    return job_view(job)


def _own_job(caller: Caller, job_id: str, job_type: str) -> LedgerJob:
    job = job_store.get(job_id)
    if job.job_type != job_type:
        raise InvalidInput("job_id", f"Not an {job_type} job")
    if not caller.can_see(job.scope_code):
        raise Forbidden("Outside your grid scope", code="out_of_scope")
    return job


# Exports

def export_view(job: LedgerJob) -> ExportJob:
    url = None
    if job.status == "done":
        url = objects.download_link(settings.exports_bucket, job.object_key, LINK_SECONDS,
                                    job.filename)
    return ExportJob(export_id=job.job_id, kind=job.kind, status=job.status,
                     rows=job.rows, filename=job.filename, download_url=url,
                     failure=job.failure, created_at=job.created_at,
                     finished_at=job.finished_at)


def start_export(caller: Caller, request: ExportRequest) -> ExportJob:
    """Every record of the subtree, unmasked (the file is for re-import and
    archives), so only roles that may read personal data export, and each export
    is audited."""
    audit.check_may_reveal(caller)
    scope = request.grid or caller.scope_code
    grid_codes.depth_of(scope, "grid")
    filename = f"{scope}-{request.kind}-{clock.today():%Y%m%d}.xlsx"
    job = job_store.new(caller, job_type="export", kind=request.kind, scope_code=scope,
                        status="running",
                        object_key=f"ledger-exports/{tokens.new_id()}.xlsx", filename=filename)
    job_store.save(job)
    audit.record(caller, action="export", record=f"export#{job.job_id}", scope_code=scope,
                 fields="id_number,phone", changes={"kind": {"from": None, "to": request.kind}})
    from chalicelib.store import counters

    totals = counters.read(scope, "ledger")
    expected = sum(totals.get(name, 0) for name in (ledger.HOUSEHOLDS, ledger.RESIDENTS,
                                                    ledger.RENTALS, ledger.TENANTS))
    if expected <= INLINE_EXPORT_ROWS:
        job = run(job.job_id, budget_seconds=REQUEST_BUDGET_SECONDS)
    return export_view(job)


def get_export(caller: Caller, job_id: str) -> ExportJob:
    return export_view(_own_job(caller, job_id, "export"))


def _run_export(job: LedgerJob, deadline: float) -> bool:
    sheets = ledger_sheets.EXPORT_KINDS[job.kind]
    rows: list[tuple[ledger_sheets.Sheet, Iterable[dict]]] = []
    count = 0
    if job.kind in ("households", "residents"):
        households = household_store.all_households_in(job.scope_code)
        keys = {h.household_id: f"H{n:05d}" for n, h in enumerate(households, start=1)}
        residents = household_store.all_residents_in(job.scope_code)
        if job.kind == "households":
            rows.append((sheets[0], [{"key": keys[h.household_id], "grid_code": h.grid_code,
                                      "address": h.address, "head_name": h.head_name,
                                      "notes": h.notes} for h in households]))
            count += len(households)
        rows.append((ledger_sheets.RESIDENTS, [{
            "household_key": keys.get(r.household_id, ""), "name": r.name,
            "id_number": r.id_number, "phone": r.phone,
            "resident_type": ledger.RESIDENT_TYPES[r.resident_type],
            "tags": "、".join(sorted(r.tags, key=_key_group_order)), "relation": r.relation,
            "notes": r.notes}
            for r in residents]))
        count += len(residents)
    else:
        rentals = rental_store.all_rentals_in(job.scope_code)
        keys = {r.rental_id: f"F{n:05d}" for n, r in enumerate(rentals, start=1)}
        phones = rental_store.worker_phones(
            {r.responsible_worker_id for r in rentals if r.responsible_worker_id})
        tenants = rental_store.all_tenants_in(job.scope_code)
        if job.kind == "rentals":
            rows.append((sheets[0], [{
                "key": keys[r.rental_id], "grid_code": r.grid_code, "address": r.address,
                "owner_name": r.owner_name, "owner_phone": r.owner_phone,
                "worker_phone": phones.get(r.responsible_worker_id), "rooms": r.rooms,
                "notes": r.notes} for r in rentals]))
            count += len(rentals)
        rows.append((ledger_sheets.TENANTS, [{
            "rental_key": keys.get(t.rental_id, ""), "name": t.name, "id_number": t.id_number,
            "phone": t.phone, "move_in": t.move_in.isoformat(),
            "move_out": t.move_out.isoformat() if t.move_out else None,
            "workplace": t.workplace, "notes": t.notes} for t in tenants]))
        count += len(tenants)
    if time.monotonic() > deadline:
        return False
    objects.write(settings.exports_bucket, job.object_key, ledger_workbooks.write(rows),
                  objects.XLSX)
    job_store.finish(job, "done", clock.now(), rows=count)
    return True


def _key_group_order(tag: str) -> tuple[int, str]:
    groups = household_rules.key_groups()
    return (groups.index(tag) if tag in groups else len(groups), tag)


def resume_jobs(budget_seconds: float = SWEEP_BUDGET_SECONDS) -> list[str]:
    """The sweep: carry on every import or export still running (reads only those)."""
    ran = resume(job_store.running, lambda job, seconds: run(job.job_id, budget_seconds=seconds),
                 budget_seconds)
    return [job.job_id for job in ran if job.status != "running"]

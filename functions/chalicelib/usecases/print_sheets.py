"""Print sheets for a town office: a grid subtree's rental boards or contact
cards in one A4 PDF, each with a new code that revokes the record's codes
printed before it.

A sheet is a job, as an Excel export is: the request starts it (and finishes a
small one), the `print-sheets` sweep carries on one the request left. A run
issues codes record by record and then draws the sheet; a run that stops
between the two leaves the codes it issued, and the next run takes those up
again (a record's current code issued by the job's author since the job began)
instead of issuing the record another, so every code on the sheet is its
record's current one.
"""

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain import grid_codes, ledger, qr_codes
from chalicelib.domain.callers import Caller
from chalicelib.domain.qr_codes import QrCode
from chalicelib.errors import Forbidden
from chalicelib.printables import sheets
from chalicelib.schemas.qr_codes import PrintJobOut, PrintRequest
from chalicelib.settings import settings
from chalicelib.store import counters, objects
from chalicelib.store import grids as grid_store
from chalicelib.store import print_jobs as job_store
from chalicelib.store import qr_codes as code_store
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.store.print_jobs import PrintJob
from chalicelib.store.unit_of_work import LEDGER
from chalicelib.usecases import audit, public_scan
from chalicelib.usecases import qr_codes as code_rules
from chalicelib.usecases.leased_jobs import resume, run_leased

PDF = "application/pdf"
LINK_SECONDS = 15 * 60
LEASE = timedelta(minutes=15)
REQUEST_BUDGET_SECONDS = 20.0  # API Gateway answers after 29 s
SWEEP_BUDGET_SECONDS = 780.0  # a Lambda runs 15 minutes at most
INLINE_RECORDS = 100  # larger sheets are left to the sweep
PROGRESS_EVERY = 25  # records issued between two progress writes
# Drawing is one step that cannot stop halfway: a run starts it only with this
# much time left per item (2,999 labels take about 20 s here, bench/qr_sheets.py).
DRAW_SECONDS_PER_ITEM = 0.02
TITLES = {"rental_boards": "出租房公示牌", "contact_cards": "网格员联系卡"}


@dataclass(frozen=True)
class Entry:
    """One record to print: what its code opens and the sheet item for a URL."""

    kind: str
    record_id: str
    grid_code: str
    snapshot: dict[str, Any]
    current: QrCode | None  # the record's code that opens now
    needs_reprint: bool
    item: Callable[[str], Any]


def job_view(job: PrintJob) -> PrintJobOut:
    url = None
    if job.status == "done" and job.records:
        url = objects.download_link(settings.exports_bucket, job.object_key, LINK_SECONDS,
                                    job.filename)
    return PrintJobOut(job_id=job.job_id, kind=job.kind, grid_code=job.scope_code,
                       reprint_only=bool(job.reprint_only), status=job.status,
                       records=job.records or 0, processed=job.processed or 0,
                       filename=job.filename, download_url=url, failure=job.failure,
                       created_at=job.created_at, finished_at=job.finished_at)


def start(caller: Caller, request: PrintRequest) -> PrintJobOut:
    grid_codes.depth_of(request.grid_code, "grid_code")
    grid_store.get(request.grid_code)
    filename = f"{request.grid_code}-{TITLES[request.kind]}-{clock.today():%Y%m%d}.pdf"
    job = job_store.new(caller, kind=request.kind, scope_code=request.grid_code,
                        reprint_only=request.reprint_only, filename=filename)
    job.save()
    audit.record(caller, action="print", record=f"print_job#{job.job_id}",
                 scope_code=request.grid_code,
                 changes={"kind": {"from": None, "to": request.kind}})
    if request.kind == "contact_cards" or counters.read(
            request.grid_code, LEDGER).get(ledger.RENTALS, 0) <= INLINE_RECORDS:
        job = run(job.job_id, budget_seconds=REQUEST_BUDGET_SECONDS)
    return job_view(job)


def get(caller: Caller, job_id: str) -> PrintJobOut:
    job = job_store.get(job_id)
    if not caller.can_see(job.scope_code):
        raise Forbidden("Outside your grid scope", code="out_of_scope")
    return job_view(job)


def _caller_of(job: PrintJob) -> Caller:
    return Caller(user_id=job.created_by, role=job.created_role, scope_code=job.scope_code,
                  name=job.created_name or "")


def run(job_id: str, *, budget_seconds: float) -> PrintJob:
    """Carry a running job on for about `budget_seconds`; the job as it stands then."""
    return run_leased(job_store, job_id, lease=LEASE, budget_seconds=budget_seconds,
                      work=_print, failure=lambda job, error: (
                          f"The sheet stopped on the ledger's data: {error}"[:500]))


def _grid_names(codes: set[str]) -> dict[str, str]:
    return {code: public_scan.micro_grid_name(code) for code in codes}


def _boards(job: PrintJob) -> list[Entry]:
    rentals = [r for r in rental_store.all_rentals_in(job.scope_code) if not r.closed]
    names = _grid_names({r.grid_code for r in rentals})
    printed_on = clock.today()
    entries = []
    for rental in rentals:
        worker = public_scan.board_worker(rental)
        current = qr_codes.current_of(code_store.of_record(qr_codes.RENTAL_BOARD,
                                                           rental.rental_id))

        def board(url: str, rental=rental, worker=worker) -> sheets.RentalBoard:
            return sheets.RentalBoard(
                address=rental.address, owner=rental.owner_name,
                tenant_count=rental.tenant_count, worker_name=worker.name if worker else "",
                worker_phone=worker.phone if worker else "",
                micro_grid=names[rental.grid_code], url=url, printed_on=printed_on)
        entries.append(Entry(
            qr_codes.RENTAL_BOARD, rental.rental_id, rental.grid_code,
            qr_codes.board_snapshot(rental.tenant_count, rental.responsible_worker_id), current,
            qr_codes.board_is_stale(current, rental.tenant_count, rental.responsible_worker_id),
            board))
    return entries


def _cards(job: PrintJob) -> list[Entry]:
    assignments = worker_store.active_assignments_in(job.scope_code)
    names = _grid_names({a.grid_code for a in assignments})
    entries = []
    for assignment in assignments:
        worker = public_scan.card_worker(assignment)
        if worker is None:
            continue
        current = qr_codes.current_of(code_store.of_record(qr_codes.CONTACT_CARD,
                                                           assignment.assignment_id))

        def card(url: str, assignment=assignment, worker=worker) -> sheets.ContactCard:
            return sheets.ContactCard(worker_name=worker.name, worker_phone=worker.phone,
                                      micro_grid=names[assignment.grid_code], url=url)
        entries.append(Entry(qr_codes.CONTACT_CARD, assignment.assignment_id,
                             assignment.grid_code, qr_codes.card_snapshot(worker.worker_id),
                             current, current is None, card))
    return entries


ENTRIES = {"rental_boards": _boards, "contact_cards": _cards}
WRITERS = {"rental_boards": sheets.write_rental_boards,
           "contact_cards": sheets.write_contact_cards}


def _issued_by_job(job: PrintJob, entry: Entry) -> QrCode | None:
    """The record's code this job issued in an earlier run, if any."""
    current = entry.current
    if current is not None and current.issued_by == job.created_by \
            and current.issued_at >= job.created_at:
        return current
    return None


def _print(job: PrintJob, deadline: float) -> bool:
    caller = _caller_of(job)
    entries = ENTRIES[job.kind](job)
    if job.reprint_only:
        entries = [e for e in entries if e.needs_reprint or _issued_by_job(job, e)]
    items = []
    for number, entry in enumerate(entries, start=1):
        if time.monotonic() > deadline:
            job_store.record_progress(job, records=len(entries), processed=number - 1)
            return False
        code = _issued_by_job(job, entry)
        if code is None:
            code, _ = code_rules.issue(caller, entry.kind, entry.record_id, entry.grid_code,
                                       entry.snapshot)
        items.append(entry.item(code_rules.url_of(code)))
        if number % PROGRESS_EVERY == 0:
            job_store.record_progress(job, records=len(entries), processed=number)
    if not items:
        job_store.finish(job, "done", clock.now(), records=0, processed=0)
        return True
    if deadline - time.monotonic() < DRAW_SECONDS_PER_ITEM * len(items):
        job_store.record_progress(job, records=len(entries), processed=len(entries))
        return False
    out = io.BytesIO()
    WRITERS[job.kind](items, out)
    objects.write(settings.exports_bucket, job.object_key, out.getvalue(), PDF)
    job_store.finish(job, "done", clock.now(), records=len(entries), processed=len(entries))
    return True


def resume_jobs(budget_seconds: float = SWEEP_BUDGET_SECONDS) -> list[str]:
    """The sweep: carry on every print job still running (reads only those)."""
    ran = resume(job_store.running, lambda job, seconds: run(job.job_id, budget_seconds=seconds),
                 budget_seconds)
    return [job.job_id for job in ran if job.status != "running"]



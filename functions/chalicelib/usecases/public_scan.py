"""What a resident who scans a board or a contact card sees, and the problem
they report from it: no login, so every answer is what the physical board
shows (the micro-grid, whom to call, the grid leader) and nothing that names a
record, and every client is held to a few requests a minute.

A code that does not open anything (tampered, unknown, revoked, its record
gone) is the same `InvalidCode` as a token that fails its signature.
"""

from dataclasses import dataclass

from chalicelib import clock, qr_keys
from chalicelib.domain import grid_codes, qr_codes, qr_tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.ledger_records import Rental
from chalicelib.domain.qr_codes import QrCode
from chalicelib.domain.qr_tokens import InvalidCode
from chalicelib.domain.workers import ACTIVE, Assignment, Worker, successor
from chalicelib.errors import NotFound, TooManyRequests
from chalicelib.schemas.qr_codes import PublicCode, PublicPerson, PublicReport, PublicReportOut
from chalicelib.settings import settings
from chalicelib.store import grids as grid_store
from chalicelib.store import qr_codes as code_store
from chalicelib.store import rate_limits
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.usecases import cases

RESIDENT = "resident"
REPORT_CATEGORY = "other"  # the grid centre files it under its right category
# A position a phone is less sure of than this would send a worker to the wrong
# door: the case is placed by the code's micro-grid alone.
MAX_ACCURACY_M = 200
REFERENCE_LENGTH = 6  # short to read out on the phone; a case is found by it within its micro-grid


@dataclass(frozen=True)
class Opened:
    code: QrCode
    grid_code: str  # the micro-grid the record lies in
    worker: Worker | None


def _limit(what: str, client: str | None, limit: int) -> None:
    wait = rate_limits.take(what, client or "unknown", limit, clock.now())
    if wait is not None:
        raise TooManyRequests("Too many requests from this address; wait a moment",
                              retry_after_seconds=wait, code="rate_limited")


def _active(worker_id: str | None) -> Worker | None:
    if not worker_id:
        return None
    worker = worker_store.get(worker_id)
    return worker if worker.status == ACTIVE else None


def current_worker_of(grid_code: str, instead_of: str | None = None) -> Worker | None:
    """The worker who looks after the micro-grid now (assigned there last)."""
    return _active(successor(worker_store.active_assignments_in(grid_code), instead_of or ""))


def board_worker(rental: Rental) -> Worker | None:
    """Whom a rental's board says to call (printed, and opened by a scan)."""
    return _active(rental.responsible_worker_id) or current_worker_of(rental.grid_code)


def card_worker(assignment: Assignment) -> Worker | None:
    """Whom a contact card says to call: its worker, or once they left the grid,
    who took it over."""
    worker = _active(assignment.worker_id) if assignment.active else None
    return worker or current_worker_of(assignment.grid_code, instead_of=assignment.worker_id)


def _open_board(code: QrCode) -> Opened:
    rental = rental_store.get_rental(code.record_id)
    return Opened(code, rental.grid_code, board_worker(rental))


def _open_card(code: QrCode) -> Opened:
    assignment = worker_store.get_assignment(code.record_id)
    return Opened(code, assignment.grid_code, card_worker(assignment))


OPENERS = {qr_codes.RENTAL_BOARD: _open_board, qr_codes.CONTACT_CARD: _open_card}


def open_code(token: str) -> Opened:
    serial = qr_tokens.verify(token, qr_keys.qr_keys(), clock.now()).serial
    code = code_store.find(serial)
    if code is None or code.revoked or code.kind not in OPENERS:
        raise InvalidCode()
    try:
        return OPENERS[code.kind](code)
    except NotFound:  # the record was deleted since the code was printed
        raise InvalidCode() from None


def _person(worker: Worker | None) -> PublicPerson | None:
    return None if worker is None else PublicPerson(name=worker.name, phone=worker.phone)


def grid_leader_of(grid_code: str) -> Worker | None:
    """The leader of the nearest grid above the micro-grid (or the micro-grid) that has one."""
    code: str | None = grid_code
    while code is not None and grid_codes.depth_of(code) > 0:
        grid = grid_store.find(code)
        leader = _active(grid.leader_worker_id) if grid is not None else None
        if leader is not None:
            return leader
        code = grid_codes.parent_of(code)
    return None


def micro_grid_name(grid_code: str) -> str:
    return grid_store.get(grid_code).name


def opened_by_scan(token: str, client: str | None) -> PublicCode:
    _limit("scan", client, settings.public_reads_per_minute)
    opened = open_code(token)
    return PublicCode(micro_grid=micro_grid_name(opened.grid_code),
                      worker=_person(opened.worker),
                      grid_leader=_person(grid_leader_of(opened.grid_code)))


def reference_of(case_id: str) -> str:
    """Enough of the case's id for a worker to find it by; nothing else of the case."""
    return case_id[-REFERENCE_LENGTH:].upper()


def report(token: str, client: str | None, request: PublicReport) -> PublicReportOut:
    """A resident's problem becomes a case at the code's micro-grid, reported by
    the code (a resident has no account)."""
    _limit("report", client, settings.public_reports_per_minute)
    opened = open_code(token)
    resident = Caller(user_id=f"qr_code#{opened.code.serial}", role=RESIDENT,
                      scope_code=opened.grid_code, name="居民扫码", source_ip=client)
    position = request.position
    placed = position is not None and position.accuracy_m <= MAX_ACCURACY_M
    case = cases.new_case(resident, category=cases.category_for(opened.grid_code,
                                                                REPORT_CATEGORY),
                          grid_code=opened.grid_code, description=request.text,
                          source=RESIDENT, lat=position.lat if placed else None,
                          lng=position.lng if placed else None)
    cases.report(resident, case)
    return PublicReportOut(reference=reference_of(case.case_id), message="已收到，网格员将尽快处理 Received; a grid worker will "
                                   "follow it up")

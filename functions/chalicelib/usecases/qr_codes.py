"""The QR codes a town prints: issuing a record's code (a reprint revokes the
codes printed before), an admin's look at one, revoking it, and its image.

A code's grid is its record's, read when asked: a record's grid code changes
when its subtree moves, and the code would keep the old one.
"""

from collections.abc import Callable
from typing import Any

from chalicelib import clock, qr_keys
from chalicelib.domain import qr_codes, qr_tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.qr_codes import QrCode
from chalicelib.errors import Conflict, NotFound
from chalicelib.printables import qr_codes as qr_images
from chalicelib.schemas.qr_codes import (
    BoardsToReprint,
    BoardToReprint,
    QrCodeOut,
    QrImage,
    RentalBoard,
    ReprintQuery,
)
from chalicelib.settings import settings
from chalicelib.store import objects
from chalicelib.store import qr_codes as code_store
from chalicelib.store import rentals as rental_store
from chalicelib.store import workers as worker_store
from chalicelib.store.unit_of_work import UnitOfWork

WRITE_ATTEMPTS = 5
# Where each kind's record lies; a new kind (patrol labels) adds its own.
GRID_OF: dict[str, Callable[[str], str]] = {
    qr_codes.RENTAL_BOARD: lambda rental_id: rental_store.get_rental(rental_id).grid_code,
    qr_codes.CONTACT_CARD: lambda assignment_id:
        worker_store.get_assignment(assignment_id).grid_code,
}
IMAGE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
LINK_SECONDS = 15 * 60


def url_of(code: QrCode) -> str:
    if not settings.site_url:
        raise RuntimeError("WANGGE_SITE_URL is not set: no code can be printed without the "
                           "site's address")
    return qr_tokens.code_url(settings.site_url, qr_tokens.sign(code.serial, qr_keys.qr_keys()))


def _get(serial: str) -> QrCode:
    code = code_store.find(serial)
    if code is None:
        raise NotFound(f"Code {serial} does not exist")
    return code


def grid_of(code: QrCode) -> str:
    return GRID_OF[code.kind](code.record_id)


def scope_of_code(serial: str) -> str:
    return grid_of(_get(serial))


def _view(code: QrCode, grid_code: str, current: bool) -> QrCodeOut:
    return QrCodeOut(serial=code.serial, kind=code.kind, record_id=code.record_id,
                     grid_code=grid_code, url=url_of(code), issued_at=code.issued_at,
                     issued_by=code.issued_by, snapshot=code.snapshot, current=current,
                     revoked_at=code.revoked_at, revoked_by=code.revoked_by)


def _is_current(code: QrCode) -> bool:
    latest = qr_codes.current_of(code_store.of_record(code.kind, code.record_id))
    return latest is not None and latest.serial == code.serial


def get_code(serial: str) -> QrCodeOut:
    code = _get(serial)
    return _view(code, grid_of(code), _is_current(code))


def board_of_rental(rental_id: str) -> RentalBoard:
    """The way to a rental's code page: nobody types a serial."""
    grid_code = rental_store.get_rental(rental_id).grid_code
    code = qr_codes.current_of(code_store.of_record(qr_codes.RENTAL_BOARD, rental_id))
    return RentalBoard(code=None if code is None else _view(code, grid_code, True))


def revoke(caller: Caller, serial: str) -> QrCodeOut:
    for _ in range(WRITE_ATTEMPTS):
        code = _get(serial)
        grid_code = grid_of(code)
        if not code.revoke(clock.now(), caller.user_id):
            return _view(code, grid_code, False)
        work = UnitOfWork(caller)
        code_store.save(work, code)
        work.audit(action="revoke", record=f"qr_code#{serial}", scope_code=grid_code,
                   changes={"revoked_at": {"from": None, "to": code.revoked_at.isoformat()}})
        try:
            work.commit()
        except Conflict as error:
            if error.code != "version_conflict":
                raise
            continue  # someone revoked or reprinted it meanwhile: look again
        return _view(code, grid_code, False)
    raise Conflict("The code is being changed by others; retry", code="busy")


def image(serial: str, image_format: str) -> QrImage:
    """A link to the code's image, served from storage as the other downloads
    are; an image is drawn once per code, key and format."""
    keys = qr_keys.qr_keys()
    url = url_of(_get(serial))
    filename = f"{serial}.{image_format}"
    key = f"qr-images/{serial}-{keys.current_kid}.{image_format}"
    if not objects.exists(settings.exports_bucket, key):
        data = qr_images.svg(url) if image_format == "svg" else qr_images.png(url)
        objects.write(settings.exports_bucket, key, data, IMAGE_TYPES[image_format])
    return QrImage(filename=filename, content_type=IMAGE_TYPES[image_format], qr_url=url,
                   url=objects.download_link(settings.exports_bucket, key, LINK_SECONDS,
                                             filename))


def issue(caller: Any, kind: str, record_id: str, grid_code: str, snapshot: dict[str, Any]
          ) -> tuple[QrCode, str]:
    """A new code for the record, revoking those printed before it, in one
    transaction with its audit entry; the code and its token."""
    keys = qr_keys.qr_keys()
    clear_mark = True
    for _ in range(WRITE_ATTEMPTS):
        codes = code_store.of_record(kind, record_id)
        latest = max(codes, key=lambda c: c.issued_at, default=None)
        now = clock.now()
        code, token = QrCode.issue(kind, record_id, keys, now=now, by=caller.user_id,
                                   snapshot=snapshot)
        revoked = [old for old in codes if old.revoke(now, caller.user_id)]
        work = UnitOfWork(caller)
        code_store.issue(work, code, latest, revoked, clear_mark=clear_mark)
        work.audit(action="issue", record=f"qr_code#{code.serial}", scope_code=grid_code,
                   changes={"opens": {"from": None, "to": code.record_key},
                            "revokes": {"from": None,
                                        "to": ",".join(old.serial for old in revoked) or None}})
        try:
            work.commit()
        except Conflict as error:
            if error.code == "board_changed":
                clear_mark = False  # the board shows the rental as read: it stays listed
            elif error.code != "version_conflict":
                raise
            continue
        return code, token
    raise Conflict("The record's codes are being changed by others; retry", code="busy")


def boards_to_reprint(caller: Caller, query: ReprintQuery) -> BoardsToReprint:
    """The subtree's rentals whose board no longer shows their tenant count or
    worker, or that have none: read from the marks the ledger's writes leave, each
    checked against its board (a change undone since leaves a mark, not a reprint)."""
    ids, cursor = code_store.marked_boards_in(query.grid or caller.scope_code,
                                              limit=query.limit, cursor=query.cursor)
    rentals = rental_store.rentals_by_id(ids)
    items = []
    for rental_id in ids:
        rental = rentals.get(rental_id)
        if rental is None or rental.closed:
            continue
        board = qr_codes.current_of(code_store.of_record(qr_codes.RENTAL_BOARD, rental_id))
        if not qr_codes.board_is_stale(board, rental.tenant_count,
                                       rental.responsible_worker_id):
            continue
        items.append(BoardToReprint(
            rental_id=rental_id, grid_code=rental.grid_code, address=rental.address,
            owner_name=rental.owner_name, tenant_count=rental.tenant_count,
            responsible_worker_id=rental.responsible_worker_id,
            printed_at=board.issued_at if board else None,
            printed=board.snapshot if board else None))
    return BoardsToReprint(items=items, next_cursor=cursor)

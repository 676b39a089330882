"""The printed QR codes (domain/qr_codes.py), one item per serial, and which
code of a record was printed last.

Access patterns (docs/access-patterns.md):
- a code by serial: qr_codes, GetItem on `serial`
- the codes of a record: qr_codes/by_record, record_key = "<kind>#<record id>"
- the code a record printed last: uniques, GetItem on "qr_latest#<kind>#<record id>"
- the rentals of a subtree whose board may no longer be true: board_marks/by_grid,
  county = :code[:6] and grid_key begins_with :code

The `qr_latest` claim is what makes a record's reprints take turns: each issue
moves it from the code it read as the latest to the new one, so of two
reprints of one record begun together (or two first prints) one lands and
the other is told the record's codes changed.

A board mark says a rental changed since its board was printed (or has none):
the ledger's write path puts one in the rental's own transaction, and issuing
the rental's board deletes it in the board's, so "boards to reprint" is one
query of a subtree's marks, never a scan of its rentals.
"""

import json

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.domain.qr_codes import RENTAL_BOARD, QrCode, record_key
from chalicelib.errors import Conflict
from chalicelib.store import records
from chalicelib.store.base import index_meta, table_meta
from chalicelib.store.uniques import UniqueModel, claim_key
from chalicelib.store.unit_of_work import UnitOfWork, already_exists, version_conflict

LATEST = "qr_latest"


class CodesByRecord(GlobalSecondaryIndex):
    Meta = index_meta("by_record")
    record_key = UnicodeAttribute(hash_key=True)
    issued_at = UTCDateTimeAttribute(range_key=True)


class QrCodeModel(Model):
    Meta = table_meta("qr_codes")

    serial = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    record_id = UnicodeAttribute()
    record_key = UnicodeAttribute()
    kid = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    issued_by = UnicodeAttribute()
    snapshot = UnicodeAttribute(default="{}")  # JSON: what the sheet showed
    revoked_at = UTCDateTimeAttribute(null=True)
    revoked_by = UnicodeAttribute(null=True)
    version = VersionAttribute()

    by_record = CodesByRecord()


class BoardMarkModel(Model):
    Meta = table_meta("board_marks")

    rental_id = UnicodeAttribute(hash_key=True)
    grid_code = UnicodeAttribute()
    county = UnicodeAttribute()
    grid_key = UnicodeAttribute()
    shows = UnicodeAttribute(null=True)  # JSON: what a board printed now would show

    by_grid = records.ByGrid()


records.register_mover("board_marks", BoardMarkModel, "rental_id")


def _shown(snapshot: dict) -> str:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False)


def mark_board(work: UnitOfWork, rental_id: str, grid_code: str, shows: dict) -> None:
    """The rental changed (or is new): its board may no longer show it; `shows`
    is what a board printed now would (domain.qr_codes.board_snapshot)."""
    item = BoardMarkModel(rental_id=rental_id, shows=_shown(shows))
    records.place(item, grid_code, rental_id)
    work.save(item, _codes_changed)


def unmark_board(work: UnitOfWork, rental_id: str) -> None:
    """The rental is gone, or its board was printed as it stands (deleting a
    mark that is not there is deleting it once)."""
    work.delete(BoardMarkModel(rental_id=rental_id), _codes_changed)


def marked_boards_in(grid_code: str, *, limit: int, cursor: str | None
                     ) -> tuple[list[str], str | None]:
    """One page of the ids of a subtree's rentals marked since their board."""
    items, next_cursor = records.in_subtree(BoardMarkModel, grid_code, limit=limit,
                                            cursor=cursor)
    return [item.rental_id for item in items], next_cursor


def to_domain(item: QrCodeModel) -> QrCode:
    return QrCode(serial=item.serial, kind=item.kind, record_id=item.record_id, kid=item.kid,
                  issued_at=item.issued_at, issued_by=item.issued_by,
                  snapshot=json.loads(item.snapshot or "{}"), revoked_at=item.revoked_at,
                  revoked_by=item.revoked_by, version=int(item.version or 0))


def to_item(code: QrCode) -> QrCodeModel:
    item = QrCodeModel(serial=code.serial, kind=code.kind, record_id=code.record_id,
                       record_key=code.record_key, kid=code.kid, issued_at=code.issued_at,
                       issued_by=code.issued_by,
                       snapshot=json.dumps(code.snapshot, sort_keys=True, ensure_ascii=False),
                       revoked_at=code.revoked_at, revoked_by=code.revoked_by)
    if code.version:
        item.version = code.version
    return item


def _codes_changed():
    return Conflict("This record's codes were changed by someone else; retry",
                    code="version_conflict")


def _board_changed():
    return Conflict("The rental changed since it was read for its board", code="board_changed")


def issue(work: UnitOfWork, code: QrCode, latest: QrCode | None, revoked: list[QrCode], *,
          clear_mark: bool = True) -> None:
    """A new code for its record in `work`, the record's codes it revokes written
    back, and the record's latest code moved on from `latest` (None: the
    record's first code). A board clears its rental's mark only if the mark says
    the board shows what the rental shows now: a ledger change since the rental
    was read for the board fails the change with `board_changed`, and the board
    is then issued with `clear_mark=False`, leaving the rental listed to reprint."""
    item = to_item(code)
    work.add(item, already_exists("code"))
    work.keep_version(code, item)
    for old in revoked:
        save(work, old)
    claim = UniqueModel(claim_key(LATEST, code.kind, code.record_id), owner_id=code.serial)
    condition = (UniqueModel.claim.does_not_exist() if latest is None
                 else UniqueModel.owner_id == latest.serial)
    work.save(claim, _codes_changed, condition=condition)
    if code.kind == RENTAL_BOARD and clear_mark:
        shows_as_printed = (BoardMarkModel.rental_id.does_not_exist()
                            | BoardMarkModel.shows.does_not_exist()
                            | (BoardMarkModel.shows == _shown(code.snapshot)))
        work.delete(BoardMarkModel(rental_id=code.record_id), _board_changed,
                    condition=shows_as_printed)


def save(work: UnitOfWork, code: QrCode) -> None:
    item = to_item(code)
    work.save(item, version_conflict("code"))
    work.keep_version(code, item)


def find(serial: str) -> QrCode | None:
    try:
        return to_domain(QrCodeModel.get(serial, consistent_read=True))
    except DoesNotExist:
        return None


def of_record(kind: str, record_id: str) -> list[QrCode]:
    """A record's codes, oldest first (a record is reprinted a few times, not thousands)."""
    return [to_domain(item) for item in QrCodeModel.by_record.query(record_key(kind, record_id))]

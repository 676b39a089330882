"""A printed QR code: what its serial opens, when and by whom it was printed,
what the sheet showed then, and whether it still opens anything.

A code opens one record of a kind (a rental's notice board, a worker's contact
card; patrol labels come with the patrol targets): kinds are open, a kind is
just the word a record's codes are filed under. A record has one current code,
the one printed last; a reprint revokes the codes printed before it, so a board
torn down and replaced leaves nothing behind that still opens.

The snapshot is what the sheet showed that the ledger may change afterwards
(a board's tenant count and responsible worker, a card's worker): the board
follows the ledger through it (`board_is_stale`).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain import qr_tokens
from chalicelib.domain.qr_tokens import QrKeys

RENTAL_BOARD = "rental_board"
CONTACT_CARD = "contact_card"


def record_key(kind: str, record_id: str) -> str:
    return f"{kind}#{record_id}"


def board_snapshot(tenant_count: int, worker_id: str | None) -> dict[str, Any]:
    return {"tenant_count": tenant_count, "worker_id": worker_id}


def card_snapshot(worker_id: str) -> dict[str, Any]:
    return {"worker_id": worker_id}


@dataclass
class QrCode:
    serial: str
    kind: str
    record_id: str
    kid: str  # the key that signed its token
    issued_at: datetime
    issued_by: str
    snapshot: dict[str, Any] = field(default_factory=dict)
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    version: int = 0  # 0: never stored

    @classmethod
    def issue(cls, kind: str, record_id: str, keys: QrKeys, *, now: datetime, by: str,
              snapshot: dict[str, Any]) -> tuple["QrCode", str]:
        """A new code and its token (the token is printed, never stored: the
        serial and the key id are enough to sign it again)."""
        if not kind or not record_id:
            raise ValueError("a code opens a record of a kind")
        serial = qr_tokens.new_serial()
        code = cls(serial=serial, kind=kind, record_id=record_id, kid=keys.current_kid,
                   issued_at=now, issued_by=by, snapshot=dict(snapshot))
        return code, qr_tokens.sign(serial, keys)

    @property
    def record_key(self) -> str:
        return record_key(self.kind, self.record_id)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self, now: datetime, by: str) -> bool:
        """Revokes the code; False when it was revoked already (revoking twice is once)."""
        if self.revoked:
            return False
        self.revoked_at, self.revoked_by = now, by
        return True


def current_of(codes: list[QrCode]) -> QrCode | None:
    """The record's code that still opens, printed last."""
    live = [code for code in codes if not code.revoked]
    return max(live, key=lambda code: code.issued_at, default=None)


def board_is_stale(code: QrCode | None, tenant_count: int, worker_id: str | None) -> bool:
    """A board printed before its rental's tenants or worker changed shows what
    is no longer true; a rental without a board needs one too."""
    return code is None or code.snapshot != board_snapshot(tenant_count, worker_id)

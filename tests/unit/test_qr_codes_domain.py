"""A printed code's rules without a database: issuing, revoking once, which of a
record's codes is current, and when a board no longer shows its rental."""

from datetime import UTC, datetime, timedelta

import pytest
from chalicelib.domain import qr_codes, qr_tokens
from chalicelib.domain.qr_codes import QrCode
from chalicelib.domain.qr_tokens import QrKey, QrKeys

KEYS = QrKeys(current_kid="A", keys={"A": QrKey(secret=b"k" * 32)})
NOW = datetime(2026, 12, 4, 8, tzinfo=UTC)


def issued(at=NOW, **snapshot):
    return QrCode.issue(qr_codes.RENTAL_BOARD, "r1", KEYS, now=at, by="u1",
                        snapshot=snapshot or qr_codes.board_snapshot(2, "w1"))


def test_an_issued_codes_token_verifies_to_its_serial_under_the_current_key():
    code, token = issued()
    assert qr_tokens.verify(token, KEYS, NOW).serial == code.serial
    assert code.kid == "A" and code.record_key == "rental_board#r1" and not code.revoked


def test_every_issue_is_a_new_serial():
    assert issued()[0].serial != issued()[0].serial


def test_kinds_are_open_but_a_code_opens_something():
    code, _ = QrCode.issue("patrol_label", "t1", KEYS, now=NOW, by="u1", snapshot={})
    assert code.record_key == "patrol_label#t1"
    with pytest.raises(ValueError):
        QrCode.issue("", "t1", KEYS, now=NOW, by="u1", snapshot={})


def test_revoking_twice_is_revoking_once():
    code, _ = issued()
    assert code.revoke(NOW, "u2") is True
    assert code.revoke(NOW + timedelta(hours=1), "u3") is False
    assert (code.revoked_at, code.revoked_by) == (NOW, "u2")


def test_the_current_code_is_the_last_printed_that_still_opens():
    old, _ = issued(NOW)
    new, _ = issued(NOW + timedelta(days=1))
    assert qr_codes.current_of([new, old]) is new
    new.revoke(NOW, "u1")
    assert qr_codes.current_of([old, new]) is old
    old.revoke(NOW, "u1")
    assert qr_codes.current_of([old, new]) is None


@pytest.mark.parametrize("tenants,worker,stale", [
    (2, "w1", False), (3, "w1", True), (2, "w2", True), (2, None, True)])
def test_a_board_is_stale_when_its_rentals_tenants_or_worker_changed(tenants, worker, stale):
    code, _ = issued()
    assert qr_codes.board_is_stale(code, tenants, worker) is stale


def test_a_rental_without_a_board_needs_one():
    assert qr_codes.board_is_stale(None, 0, None)

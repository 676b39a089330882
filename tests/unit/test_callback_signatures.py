"""Signed callbacks, as a receiver checks them."""

from chalicelib.domain import callback_signatures as signatures

SECRET = "s3cret-of-one-api-key"
BODY = '{"ticket_id": "T1", "status": "closed"}'.encode()
NOW = 1_796_000_000


def test_a_receiver_accepts_what_was_signed_with_its_secret():
    sent = signatures.headers(SECRET, NOW, BODY)
    assert sent["X-Wangge-Timestamp"] == str(NOW)
    assert sent["X-Wangge-Signature"].startswith("v1=")
    assert signatures.verify(SECRET, sent["X-Wangge-Timestamp"], sent["X-Wangge-Signature"],
                             BODY, now=NOW + 30)


def test_a_changed_body_another_secret_or_a_moved_timestamp_is_refused():
    sent = signatures.headers(SECRET, NOW, BODY)
    stamp, signed = sent["X-Wangge-Timestamp"], sent["X-Wangge-Signature"]
    assert not signatures.verify(SECRET, stamp, signed, BODY.replace(b"closed", b"open"), NOW)
    assert not signatures.verify("another key's secret", stamp, signed, BODY, NOW)
    assert not signatures.verify(SECRET, str(NOW + 1), signed, BODY, NOW)
    assert not signatures.verify(SECRET, "not a number", signed, BODY, NOW)


def test_an_old_callback_replayed_is_refused():
    sent = signatures.headers(SECRET, NOW, BODY)
    late = NOW + signatures.TOLERANCE_SECONDS + 1
    assert not signatures.verify(SECRET, sent["X-Wangge-Timestamp"], sent["X-Wangge-Signature"],
                                 BODY, now=late)

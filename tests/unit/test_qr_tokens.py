"""The signed tokens in QR codes, and the QR key set's source."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from chalicelib import qr_keys
from chalicelib.domain import qr_tokens
from chalicelib.domain.qr_tokens import CodeRef, InvalidCode, QrKey, QrKeys
from chalicelib.printables import qr_codes

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
SITE = "https://wangge.example.gov.cn"
CURRENT = QrKeys(current_kid="B", keys={"B": QrKey(b"the current key, 32 bytes or so..")})


def rotated(retired_at: datetime) -> QrKeys:
    """Key A retired at `retired_at`, B signing since."""
    return QrKeys(current_kid="B", grace=timedelta(days=30),
                  keys={"A": QrKey(b"the old key", retired_at=retired_at),
                        "B": QrKey(b"the current key")})


def signed_with_a() -> str:
    return qr_tokens.sign("0123456789AB", QrKeys(current_kid="A",
                                                  keys={"A": QrKey(b"the old key")}))


def not_valid(token: str, keys: QrKeys) -> InvalidCode:
    with pytest.raises(InvalidCode) as caught:
        qr_tokens.verify(token, keys, NOW)
    return caught.value


def test_a_signed_serial_verifies_back_to_itself():
    serial = qr_tokens.new_serial()
    token = qr_tokens.sign(serial, CURRENT)
    assert len(token) == qr_tokens.TOKEN_LENGTH == 26
    assert qr_tokens.verify(token, CURRENT, NOW) == CodeRef(serial=serial, kid="B")


def test_a_token_read_back_in_lower_case_or_with_a_newline_still_verifies():
    token = qr_tokens.sign(qr_tokens.new_serial(), CURRENT)
    assert qr_tokens.verify(f" {token.lower()}\n", CURRENT, NOW).serial == token[1:13]


def test_every_failure_is_the_same_not_valid_answer():
    token = qr_tokens.sign(qr_tokens.new_serial(), CURRENT)
    flipped = {position: token[:position] + ("0" if token[position] != "0" else "1")
               + token[position + 1:] for position in (1, 7, 12, 13, 25)}
    other_key = QrKeys(current_kid="B", keys={"B": QrKey(b"another secret")})
    failures = [
        *(not_valid(tampered, CURRENT) for tampered in flipped.values()),
        not_valid(token[:-1], CURRENT),  # truncated
        not_valid(token + "0", CURRENT),
        not_valid(token, other_key),  # the same key id, another key
        not_valid("C" + token[1:], CURRENT),  # a key id the set does not have
        not_valid(signed_with_a(), rotated(retired_at=NOW - timedelta(days=31))),
        not_valid("", CURRENT),
        not_valid("I" * 26, CURRENT),  # outside the alphabet
        not_valid("../../etc/passwd", CURRENT),
        not_valid(token.replace(token[5], "é"), CURRENT),
        not_valid(qr_tokens.sign("S" * 12, CURRENT).replace("S", "ſ"), CURRENT),  # "ſ".upper()
    ]
    answers = {(type(error), error.code, error.message, str(error)) for error in failures}
    assert answers == {(InvalidCode, "code_not_valid", "This code is not valid",
                        "This code is not valid")}


def test_an_old_key_verifies_until_its_grace_period_ends():
    token = signed_with_a()
    inside = rotated(retired_at=NOW - timedelta(days=29, hours=23))
    assert qr_tokens.verify(token, inside, NOW).kid == "A"
    not_valid(token, rotated(retired_at=NOW - timedelta(days=30)))
    assert qr_tokens.sign("0123456789AB", inside)[0] == "B"  # the retired key no longer signs


def test_a_token_names_a_serial_of_sixty_random_bits_and_no_record():
    serials = {qr_tokens.new_serial() for _ in range(2000)}
    assert len(serials) == 2000
    assert all(len(serial) == qr_tokens.SERIAL_LENGTH == 12 for serial in serials)
    # 12 characters of a 32-letter alphabet, each letter drawn as often as the others.
    assert len(qr_tokens.ALPHABET) ** qr_tokens.SERIAL_LENGTH == 2 ** 60
    drawn = "".join(serials)
    assert set(drawn) == set(qr_tokens.ALPHABET)
    assert max(drawn.count(letter) for letter in qr_tokens.ALPHABET) < 2 * len(drawn) / 32


def test_a_mac_of_sixty_five_bits_changes_with_the_serial_and_the_key():
    assert 5 * qr_tokens.MAC_LENGTH == 65
    first = qr_tokens.sign("0123456789AB", CURRENT)
    assert qr_tokens.sign("0123456789AC", CURRENT)[13:] != first[13:]
    other_key = QrKeys(current_kid="B", keys={"B": QrKey(b"another secret")})
    assert qr_tokens.sign("0123456789AB", other_key)[13:] != first[13:]


def test_the_url_stays_within_qr_version_4_at_level_m():
    url = qr_tokens.code_url(SITE + "/", qr_tokens.sign(qr_tokens.new_serial(), CURRENT))
    assert url.startswith("https://wangge.example.gov.cn/q/") and len(url) == 58
    code = qr_codes.symbol(url)
    assert code.version <= qr_tokens.MAX_QR_VERSION == 4
    assert code.error in ("M", "Q", "H")
    longest_site = "https://wg.xinjiang-county.gov.cn"  # 33 characters
    assert qr_codes.symbol(qr_tokens.code_url(longest_site, "0" * 26)).version == 4
    assert qr_codes.symbol(qr_tokens.code_url(longest_site + "x", "0" * 26)).version == 5


def test_a_key_set_refuses_a_current_key_it_lacks_a_retired_one_or_a_long_key_id():
    with pytest.raises(ValueError):
        QrKeys(current_kid="C", keys={"B": QrKey(b"k")})
    with pytest.raises(ValueError):
        QrKeys(current_kid="B", keys={"B": QrKey(b"k", retired_at=NOW)})
    with pytest.raises(ValueError):
        QrKeys(current_kid="qr-1", keys={"qr-1": QrKey(b"k")})
    with pytest.raises(ValueError):
        qr_tokens.sign("short", CURRENT)


def test_the_key_source_reads_the_environment_then_falls_back_to_the_development_key(
        monkeypatch):
    monkeypatch.delenv("WANGGE_QR_KEY_PARAMETER", raising=False)
    monkeypatch.setenv("WANGGE_QR_KEYS", json.dumps({
        "current": "B", "grace_days": 90,
        "keys": {"B": {"secret": "new"},
                 "A": {"secret": "old", "retired_at": "2026-11-01T00:00:00+08:00"}}}))
    keys = qr_keys.qr_keys()
    assert keys.current_kid == "B" and keys.grace == timedelta(days=90)
    assert keys.keys["A"] == QrKey(b"old", retired_at=datetime.fromisoformat(
        "2026-11-01T00:00:00+08:00"))
    monkeypatch.delenv("WANGGE_QR_KEYS")
    development = qr_keys.qr_keys()  # the test stage
    assert qr_tokens.verify(qr_tokens.sign("0123456789AB", development), development, NOW)


def test_a_retirement_without_a_time_zone_is_refused():
    with pytest.raises(ValueError):
        qr_keys.parse({"current": "B", "keys": {"B": {"secret": "new"},
                                                "A": {"secret": "old",
                                                      "retired_at": "2026-11-01T00:00:00"}}})

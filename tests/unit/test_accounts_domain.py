from datetime import datetime, timedelta, timezone

import pytest
from chalicelib.domain import lockout, passwords, roles, tokens
from chalicelib.domain.personal_data import mask_id_number, mask_phone
from chalicelib.errors import InvalidInput, Unauthorized

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
KEYS = tokens.SigningKeys(current_kid="k2", keys={"k1": b"old-secret-of-thirty-two-bytes-long", "k2": b"new-secret-of-thirty-two-bytes-long"})
CLAIMS = tokens.AccessClaims(user_id="u1", session_id="s1", role="grid_worker",
                             scope_code="1408251022010101")


def test_masks_keep_only_the_edges():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_phone(None) is None


def test_access_token_round_trip_and_expiry():
    token = tokens.issue_access_token(CLAIMS, KEYS, NOW)
    assert tokens.read_access_token(token, KEYS, NOW + timedelta(minutes=14)) == CLAIMS
    with pytest.raises(Unauthorized) as expired:
        tokens.read_access_token(token, KEYS, NOW + tokens.ACCESS_TTL)
    assert expired.value.code == "token_expired"


def test_tokens_signed_with_a_retired_key_still_verify_until_it_is_dropped():
    old = tokens.issue_access_token(CLAIMS, tokens.SigningKeys("k1", KEYS.keys), NOW)
    assert tokens.read_access_token(old, KEYS, NOW).user_id == "u1"
    with pytest.raises(Unauthorized):
        tokens.read_access_token(old, tokens.SigningKeys("k2", {"k2": b"new-secret-of-thirty-two-bytes-long"}), NOW)


def test_a_tampered_token_is_rejected():
    token = tokens.issue_access_token(CLAIMS, KEYS, NOW)
    forged = tokens.issue_access_token(CLAIMS, tokens.SigningKeys("k2", {"k2": b"guessed-secret-thirty-two-bytes-long"}), NOW)
    with pytest.raises(Unauthorized):
        tokens.read_access_token(forged, KEYS, NOW)
    with pytest.raises(Unauthorized):
        tokens.read_access_token(token[:-2] + "xx", KEYS, NOW)


def test_five_failures_within_the_window_lock():
    throttle = lockout.LoginThrottle()
    for minute in range(4):
        throttle = throttle.after_failure(NOW + timedelta(minutes=minute))
        assert throttle.retry_after(NOW + timedelta(minutes=minute)) == 0
    throttle = throttle.after_failure(NOW + timedelta(minutes=4))
    assert throttle.retry_after(NOW + timedelta(minutes=4)) == 15 * 60
    assert throttle.retry_after(NOW + timedelta(minutes=19)) == 0


def test_failures_older_than_the_window_do_not_count():
    throttle = lockout.LoginThrottle()
    for minute in (0, 1, 2, 3, 20):
        throttle = throttle.after_failure(NOW + timedelta(minutes=minute))
    assert throttle.retry_after(NOW + timedelta(minutes=20)) == 0
    assert len(throttle.failures) == 1


@pytest.mark.parametrize("password", ["short1", "onlyletters", "12345678901", "a13812345678",
                                      "Password1", "qwerty123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(InvalidInput) as raised:
        passwords.check_rules(password, "13812345678")
    assert raised.value.code == "weak_password"


def test_a_decent_password_passes_and_verifies():
    passwords.check_rules("Sanquan#304", "13812345678")
    hashed = passwords.hash_password("Sanquan#304")
    assert passwords.verify(hashed, "Sanquan#304")
    assert not passwords.verify(hashed, "Sanquan#305")


def test_admins_assign_their_rank_or_below_only():
    assert roles.may_assign("county_admin", "county_admin")
    assert roles.may_assign("town_admin", "grid_worker")
    assert not roles.may_assign("town_admin", "county_admin")
    assert not roles.may_assign("grid_leader", "grid_worker")

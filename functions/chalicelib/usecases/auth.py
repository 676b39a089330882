"""Log in, refresh, log out, change the password, and read or edit one's profile."""

from chalicelib import clock
from chalicelib.domain import lockout, passwords, tokens
from chalicelib.domain.callers import Caller
from chalicelib.domain.personal_data import mask_phone
from chalicelib.domain.users import Session as AccountSession
from chalicelib.domain.users import User
from chalicelib.errors import Forbidden, TooManyRequests, Unauthorized
from chalicelib.schemas.auth import Profile, ProfileUpdate, Session
from chalicelib.signing_keys import signing_keys
from chalicelib.store import grids as grid_store
from chalicelib.store import users as user_store

LOCKED_MESSAGE = "Too many failed logins; try again later"


def profile_of(user: User) -> Profile:
    grid = grid_store.find(user.scope_code)
    return Profile(user_id=user.user_id, name=user.name, phone=mask_phone(user.phone),
                   role=user.role, scope_code=user.scope_code,
                   scope_name=grid.name if grid else user.scope_code, worker_id=user.worker_id,
                   note=user.note, version=user.version,
                   must_change_password=user.must_change_password)


def _session_answer(user: User, session_id: str, refresh_token: str) -> Session:
    access = tokens.issue_access_token(
        tokens.AccessClaims(user_id=user.user_id, session_id=session_id, role=user.role,
                            scope_code=user.scope_code), signing_keys(), clock.now())
    return Session(access_token=access, refresh_token=refresh_token,
                   expires_in=int(tokens.ACCESS_TTL.total_seconds()),
                   must_change_password=user.must_change_password, user=profile_of(user))


def _start_session(user: User) -> Session:
    session, refresh_token = AccountSession.start(user.user_id, clock.now())
    user_store.add_session(session)
    return _session_answer(user, session.session_id, refresh_token)


def _record_failure(phone: str) -> int:
    """Count a failed login; returns seconds the phone is now locked for (0: not)."""
    for _ in range(5):  # concurrent failures retry on the throttle's version
        throttle, item = user_store.throttle_of(phone)
        at = clock.now()
        updated = throttle.after_failure(at)
        expires = (updated.locked_until or at) + lockout.WINDOW
        if user_store.save_throttle(item, updated, expires):
            return updated.retry_after(at)
    return 0


def login(phone: str, password: str) -> Session:
    throttle, _ = user_store.throttle_of(phone)
    wait = throttle.retry_after(clock.now())
    if wait:
        raise TooManyRequests(LOCKED_MESSAGE, retry_after_seconds=wait, code="account_locked")
    user = user_store.find_by_phone(phone)
    if user is None:
        passwords.verify_nobody(password)
        valid = False
    else:
        valid = passwords.verify(user.password_hash, password)
    if not valid:
        wait = _record_failure(phone)
        if wait:
            raise TooManyRequests(LOCKED_MESSAGE, retry_after_seconds=wait, code="account_locked")
        raise Unauthorized("Wrong phone number or password", code="invalid_credentials")
    if user.disabled:
        raise Forbidden("This account is disabled", code="account_disabled")
    if throttle.failures:
        user_store.clear_throttle(phone)
    return _start_session(user)


def refresh(refresh_token: str) -> Session:
    session_id = tokens.session_of(refresh_token)
    session = user_store.get_session(session_id)
    invalid = Unauthorized("Refresh token is not valid; log in again",
                           code="invalid_refresh_token")
    if session is None or not session.usable(clock.now()):
        raise invalid
    presented = tokens.digest(refresh_token)
    if not tokens.same_digest(presented, session.token_digest):
        # An earlier token of this family came back: it was stolen or replayed.
        user_store.revoke_session(session_id, "refresh token reused")
        raise invalid
    user = user_store.get(session.user_id)
    if user.disabled:
        raise invalid
    rotated = tokens.new_refresh_token(session_id)
    if not user_store.rotate_session(session, presented, tokens.digest(rotated),
                                     clock.now() + tokens.REFRESH_TTL):
        user_store.revoke_session(session_id, "refresh token reused")
        raise invalid
    return _session_answer(user, session_id, rotated)


def logout(caller: Caller, refresh_token: str | None) -> None:
    if caller.session_id:
        user_store.revoke_session(caller.session_id, "logout")
    if refresh_token:
        session = user_store.get_session(tokens.session_of(refresh_token))
        if session is not None and session.user_id == caller.user_id:
            user_store.revoke_session(session.session_id, "logout")


def change_password(caller: Caller, current: str, new: str) -> Session:
    user = user_store.get(caller.user_id)
    user.change_password(current, new)
    user_store.save(user)
    user_store.revoke_sessions_of(user.user_id, "password changed")
    return _start_session(user)


def authenticate(access_token: str) -> Caller:
    claims = tokens.read_access_token(access_token, signing_keys(), clock.now())
    session = user_store.get_session(claims.session_id)
    if session is None or session.revoked or session.user_id != claims.user_id:
        raise Unauthorized("Session ended; log in again", code="session_revoked")
    user = user_store.get(claims.user_id)
    if user.disabled:
        raise Unauthorized("This account is disabled", code="account_disabled")
    return Caller(user_id=user.user_id, role=user.role, scope_code=user.scope_code,
                  name=user.name, session_id=session.session_id, worker_id=user.worker_id,
                  must_change_password=user.must_change_password)


def get_profile(caller: Caller) -> Profile:
    return profile_of(user_store.get(caller.user_id))


def update_profile(caller: Caller, update: ProfileUpdate) -> Profile:
    user = user_store.get(caller.user_id)
    user.edit_profile(update.version, name=update.name, note=update.note)
    return profile_of(user_store.save(user))

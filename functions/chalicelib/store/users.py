"""Users, their sessions (refresh-token families) and login throttles.

Access patterns (docs/access-patterns.md):
- a user by id: GetItem users.user_id
- a user by phone (login): GetItem user_phones.phone, then the user
- the users of a subtree: index users/by_scope, county = :scope[:6] and
  begins_with(scope_user, :scope)
- a session by id: GetItem sessions.session_id; a user's sessions: index
  sessions/by_user, user_id = :id
- the throttle of a phone: GetItem login_throttles.phone
"""

from datetime import datetime

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.clock import now
from chalicelib.domain import grid_codes
from chalicelib.domain.lockout import LoginThrottle
from chalicelib.domain.users import Session, User
from chalicelib.errors import Conflict, NotFound
from chalicelib.store import records
from chalicelib.store.base import (
    TTLAttribute,
    decode_cursor,
    encode_cursor,
    index_meta,
    query_page,
    table_meta,
    transaction,
)


class UsersByScope(GlobalSecondaryIndex):
    Meta = index_meta("by_scope")
    county = UnicodeAttribute(hash_key=True)
    scope_user = UnicodeAttribute(range_key=True)


class UserModel(Model):
    Meta = table_meta("users")

    user_id = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    scope_code = UnicodeAttribute()
    county = UnicodeAttribute()
    scope_user = UnicodeAttribute()
    worker_id = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute()
    must_change_password = BooleanAttribute(default=False)
    disabled = BooleanAttribute(default=False)
    note = UnicodeAttribute(default="")
    created_by = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_scope = UsersByScope()


records.register_mover("users", UserModel, "user_id", code="scope_code", key="scope_user",
                       index="by_scope")


class UserPhoneModel(Model):
    """The claim of a phone number by one user: login looks up here, and the
    claim makes a phone unique across concurrent creations."""

    Meta = table_meta("user_phones")

    phone = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()


class SessionsByUser(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_user"
        projection = KeysOnlyProjection()

    user_id = UnicodeAttribute(hash_key=True)


class SessionModel(Model):
    """One refresh-token family: the token rotates, the session id stays."""

    Meta = table_meta("sessions")

    session_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    token_digest = UnicodeAttribute()
    generation = NumberAttribute(default=1)
    revoked = BooleanAttribute(default=False)
    revoked_reason = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    refreshed_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_user = SessionsByUser()


class LoginThrottleModel(Model):
    Meta = table_meta("login_throttles")

    phone = UnicodeAttribute(hash_key=True)
    failures = ListAttribute(of=UTCDateTimeAttribute, default=list)
    locked_until = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute()
    version = VersionAttribute()


def scope_user_key(scope_code: str, user_id: str) -> str:
    return f"{scope_code}#{user_id}"


def to_domain(item: UserModel) -> User:
    return User(user_id=item.user_id, phone=item.phone, name=item.name, role=item.role,
                scope_code=item.scope_code, password_hash=item.password_hash,
                created_at=item.created_at, updated_at=item.updated_at,
                worker_id=item.worker_id, must_change_password=bool(item.must_change_password),
                disabled=bool(item.disabled), note=item.note or "", created_by=item.created_by,
                version=int(item.version or 0))


def to_item(user: User) -> UserModel:
    item = UserModel(user_id=user.user_id, phone=user.phone, name=user.name, role=user.role,
                     scope_code=user.scope_code, county=grid_codes.county_of(user.scope_code),
                     scope_user=scope_user_key(user.scope_code, user.user_id),
                     worker_id=user.worker_id, password_hash=user.password_hash,
                     must_change_password=user.must_change_password, disabled=user.disabled,
                     note=user.note, created_by=user.created_by, created_at=user.created_at,
                     updated_at=user.updated_at)
    if user.version:
        item.version = user.version
    return item


def create(user: User) -> User:
    """Write a new user with its phone claim; 409 when the phone is taken."""
    item = to_item(user)
    try:
        with transaction() as write:
            write.save(UserPhoneModel(phone=user.phone, user_id=user.user_id),
                       condition=UserPhoneModel.phone.does_not_exist())
            write.save(item, condition=UserModel.user_id.does_not_exist())
    except TransactWriteError:
        raise Conflict("A user with this phone exists", code="phone_taken",
                       details=[{"field": "phone", "message": "already registered"}]) from None
    user.version = int(item.version)
    return user


def get(user_id: str) -> User:
    try:
        return to_domain(UserModel.get(user_id))
    except DoesNotExist:
        raise NotFound(f"User {user_id} does not exist") from None


def find_by_phone(phone: str) -> User | None:
    try:
        claim = UserPhoneModel.get(phone)
    except DoesNotExist:
        return None
    return get(claim.user_id)


def save(user: User) -> User:
    """Write back a user read earlier; 409 when someone else wrote it since."""
    user.updated_at = now()
    item = to_item(user)
    try:
        item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("The user was changed by someone else; reload and retry",
                           code="version_conflict") from None
        raise
    user.version = int(item.version)
    return user


def in_subtree(scope_code: str, *, limit: int, cursor: str | None
               ) -> tuple[list[User], str | None]:
    items, last_key = query_page(
        UserModel.by_scope.query, hash_key=grid_codes.county_of(scope_code),
        range_key_condition=UserModel.scope_user.startswith(scope_code),
        limit=limit, cursor=decode_cursor(cursor))
    return [to_domain(item) for item in items], encode_cursor(last_key)


# Sessions

def session_to_domain(item: SessionModel) -> Session:
    return Session(session_id=item.session_id, user_id=item.user_id,
                   token_digest=item.token_digest, created_at=item.created_at,
                   refreshed_at=item.refreshed_at, expires_at=item.expires_at,
                   generation=int(item.generation or 1), revoked=bool(item.revoked),
                   revoked_reason=item.revoked_reason)


def add_session(session: Session) -> None:
    SessionModel(session_id=session.session_id, user_id=session.user_id,
                 token_digest=session.token_digest, generation=session.generation,
                 revoked=session.revoked, revoked_reason=session.revoked_reason,
                 created_at=session.created_at, refreshed_at=session.refreshed_at,
                 expires_at=session.expires_at).save()


def get_session(session_id: str) -> Session | None:
    try:
        return session_to_domain(SessionModel.get(session_id))
    except DoesNotExist:
        return None


def rotate_session(session: Session, old_digest: str, new_digest: str,
                   expires_at: datetime) -> bool:
    """Replace the current refresh token; False when it was already rotated (a reuse)."""
    refreshed_at = now()
    try:
        SessionModel(session_id=session.session_id).update(
            actions=[SessionModel.token_digest.set(new_digest),
                     SessionModel.generation.add(1),
                     SessionModel.refreshed_at.set(refreshed_at),
                     SessionModel.expires_at.set(expires_at)],
            condition=(SessionModel.token_digest == old_digest)
            & (SessionModel.revoked == False))  # noqa: E712
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    session.token_digest, session.generation = new_digest, session.generation + 1
    session.refreshed_at, session.expires_at = refreshed_at, expires_at
    return True


def revoke_session(session_id: str, reason: str) -> None:
    try:
        SessionModel(session_id=session_id).update(
            actions=[SessionModel.revoked.set(True), SessionModel.revoked_reason.set(reason)],
            condition=SessionModel.session_id.exists())
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


def revoke_sessions_of(user_id: str, reason: str) -> None:
    for session in SessionModel.by_user.query(user_id):
        revoke_session(session.session_id, reason)


# Login throttles

def throttle_of(phone: str) -> tuple[LoginThrottle, LoginThrottleModel]:
    try:
        item = LoginThrottleModel.get(phone)
    except DoesNotExist:
        item = LoginThrottleModel(phone=phone)
    return LoginThrottle(failures=tuple(item.failures or ()), locked_until=item.locked_until), item


def save_throttle(item: LoginThrottleModel, throttle: LoginThrottle, expires_at: datetime) -> bool:
    """Store the new throttle state; False when a concurrent attempt wrote first."""
    item.failures = list(throttle.failures)
    item.locked_until = throttle.locked_until
    item.expires_at = expires_at
    try:
        item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def clear_throttle(phone: str) -> None:
    LoginThrottleModel(phone=phone).delete(add_version_condition=False)

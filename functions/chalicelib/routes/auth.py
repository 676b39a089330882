from chalicelib.domain.roles import EVERYONE
from chalicelib.lazy import lazy
from chalicelib.schemas.auth import (
    LoginRequest,
    PasswordChange,
    Profile,
    ProfileUpdate,
    RefreshRequest,
    Session,
)
from chalicelib.web import api
from chalicelib.web.access import PUBLIC, Access, Caller

auth = lazy("chalicelib.usecases.auth")

resource = api.Resource(__name__, tag="auth")
SIGNED_IN = Access(roles=EVERYONE, before_password_change=True)


@resource.post("/auth/login", summary="Log in by phone and password", body=LoginRequest,
               response=Session, access=PUBLIC,
               answers={401: "Wrong phone number or password", 403: "The account is disabled",
                        429: "Locked after too many failed logins: retry after Retry-After"})
def login(body: LoginRequest) -> Session:
    return auth.login(body.phone, body.password)


@resource.post("/auth/refresh", summary="Trade a refresh token for new tokens (it rotates)",
               body=RefreshRequest, response=Session, access=PUBLIC,
               answers={401: "The refresh token is unknown, expired, used or revoked"})
def refresh(body: RefreshRequest) -> Session:
    return auth.refresh(body.refresh_token)


@resource.post("/auth/logout", summary="End this session at once", body=RefreshRequest,
               status=204, access=SIGNED_IN)
def logout(body: RefreshRequest, caller: Caller) -> None:
    auth.logout(caller, body.refresh_token)


@resource.post("/auth/password", summary="Change one's own password", body=PasswordChange,
               response=Session, access=SIGNED_IN,
               answers={409: "Changed by someone else since it was read: reload and retry"})
def change_password(body: PasswordChange, caller: Caller) -> Session:
    return auth.change_password(caller, body.current_password, body.new_password)


@resource.get("/me", summary="One's own profile", response=Profile, access=SIGNED_IN)
def get_profile(caller: Caller) -> Profile:
    return auth.get_profile(caller)


@resource.patch("/me", summary="Edit one's own name or note (Idempotency-Key honoured)",
                body=ProfileUpdate, response=Profile, access=Access(roles=EVERYONE),
                idempotent=True)
def update_profile(body: ProfileUpdate, caller: Caller) -> Profile:
    return auth.update_profile(caller, body)

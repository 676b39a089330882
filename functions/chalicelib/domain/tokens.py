"""Access tokens (JWT, HS256, key id in the header so keys rotate) and refresh
tokens (opaque, rotated on every use, stored only as a hash)."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from chalicelib.errors import Unauthorized

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)
ISSUER = "wangge"
ALGORITHM = "HS256"


@dataclass(frozen=True)
class SigningKeys:
    current_kid: str
    keys: dict[str, bytes]


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    session_id: str
    role: str
    scope_code: str


def issue_access_token(claims: AccessClaims, keys: SigningKeys, now: datetime) -> str:
    payload = {"iss": ISSUER, "sub": claims.user_id, "sid": claims.session_id,
               "role": claims.role, "scope": claims.scope_code,
               "iat": int(now.timestamp()), "exp": int((now + ACCESS_TTL).timestamp())}
    return jwt.encode(payload, keys.keys[keys.current_kid], algorithm=ALGORITHM,
                      headers={"kid": keys.current_kid})


def read_access_token(token: str, keys: SigningKeys, now: datetime) -> AccessClaims:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = keys.keys.get(kid or "")
        if key is None:
            raise Unauthorized("Unknown signing key", code="invalid_token")
        payload = jwt.decode(token, key, algorithms=[ALGORITHM], issuer=ISSUER,
                             options={"require": ["exp", "sub", "sid", "iat"], "verify_exp": False})
    except jwt.PyJWTError:
        raise Unauthorized("Invalid access token", code="invalid_token") from None
    if payload["exp"] <= now.timestamp():
        raise Unauthorized("Access token expired", code="token_expired")
    return AccessClaims(user_id=payload["sub"], session_id=payload["sid"],
                        role=payload.get("role", ""), scope_code=payload.get("scope", ""))


def new_id() -> str:
    return secrets.token_hex(16)


def new_refresh_token(session_id: str) -> str:
    return f"{session_id}.{secrets.token_urlsafe(32)}"


def session_of(refresh_token: str) -> str:
    session_id, _, secret = refresh_token.partition(".")
    if len(session_id) != 32 or not secret:
        raise Unauthorized("Invalid refresh token", code="invalid_refresh_token")
    return session_id


def digest(secret: str) -> str:
    """Hash of a high-entropy secret (refresh token, API key): SHA-256 suffices."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)

"""The signed tokens in the QR codes on labels, boards and contact cards.

A code's URL is `<site>/q/<token>`, and a token is 26 characters of
Crockford's base32 alphabet (no I, L, O or U, so a token read out over the
phone is not misheard):

    K  SSSSSSSSSSSS  MMMMMMMMMMMMM
    |  |             the first 13 characters of base32(HMAC-SHA256(key, "wangge-qr-v1|K|S…"))
    |  the code's serial: 12 random characters (60 bits), a new one for every code printed
    the key id: one character

The token names a code, not a record: the code's own record (stored later) maps
the serial to what it opens (a kind and a record id), when it was printed and
whether it is revoked. So a reprint gets a new serial and can revoke the old
one alone; a record id, put in the token, would be the same on the old board and
the new. A grid code is never in it either, since codes change when a subtree
moves.

Lengths. The serial need not be secret (the MAC is what cannot be made without
the key), only unique and not worth enumerating: 60 bits keep a county's
million codes free of a collision with odds of about one in two million, and
the store refuses a duplicate all the same. The MAC can only be checked online
(the key never leaves the server), behind API Gateway's throttling of at most a
few hundred requests a second: 65 bits mean a forger sending 200 guesses a
second for ten years (2^36 tries) succeeds with odds of 2^-29, and a forged MAC
still needs a serial that was printed. Together the 26 characters keep the URL
at `https://wangge.example.gov.cn` inside QR version 4 at error correction M
(33×33 modules, 62 bytes), which the tests measure. A site address of up
to 33 characters stays there.

Keys rotate: a key set has a current key, which signs, and older ones, each of
which verifies until its `retired_at` plus the set's grace. A printed code
outlives a rotation by as long as it takes to reprint every board and label,
so the grace is long (a year, unless the key set says otherwise), where an
access token's old key is needed for minutes.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.errors import NotFound

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
SERIAL_LENGTH = 12
MAC_LENGTH = 13
TOKEN_LENGTH = 1 + SERIAL_LENGTH + MAC_LENGTH
DEFAULT_GRACE = timedelta(days=365)
# What the lengths above were chosen against (printables draws the codes).
MAX_QR_VERSION = 4
QR_ERROR = "M"
_TOKEN = re.compile(f"[{ALPHABET}]{{{TOKEN_LENGTH}}}")
_RFC4648_TO_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)
_DOMAIN = b"wangge-qr-v1"


class InvalidCode(NotFound):
    """Every way a token can fail (malformed, tampered, unknown or expired key)
    is this one error with one message: the answer tells a prober nothing."""

    code = "code_not_valid"

    def __init__(self) -> None:
        super().__init__("This code is not valid")


@dataclass(frozen=True)
class QrKey:
    secret: bytes
    retired_at: datetime | None = None  # None while it signs or has not been replaced


@dataclass(frozen=True)
class QrKeys:
    current_kid: str
    keys: dict[str, QrKey]
    grace: timedelta = DEFAULT_GRACE

    def __post_init__(self) -> None:
        for kid in self.keys:
            if len(kid) != 1 or kid not in ALPHABET:
                raise ValueError(f"a QR key id is one character of {ALPHABET}, not {kid!r}")
        if self.current_kid not in self.keys:
            raise ValueError(f"the current QR key {self.current_kid!r} is not in the key set")
        if self.keys[self.current_kid].retired_at is not None:
            raise ValueError(f"the current QR key {self.current_kid!r} is retired")

    def secret_for(self, kid: str, now: datetime) -> bytes | None:
        """The secret that verifies tokens of key `kid` at `now`, if any does."""
        key = self.keys.get(kid)
        if key is None or (key.retired_at is not None and now >= key.retired_at + self.grace):
            return None
        return key.secret


@dataclass(frozen=True)
class CodeRef:
    """What a verified token names: the serial the code's record is stored under,
    and the key that signed it."""

    serial: str
    kid: str


def new_serial() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SERIAL_LENGTH))


def sign(serial: str, keys: QrKeys) -> str:
    if len(serial) != SERIAL_LENGTH or not set(serial) <= set(ALPHABET):
        raise ValueError(f"a serial is {SERIAL_LENGTH} characters of {ALPHABET}")
    kid = keys.current_kid
    return kid + serial + _mac(keys.keys[kid].secret, kid, serial)


def verify(token: str, keys: QrKeys, now: datetime) -> CodeRef:
    token = token.strip()
    # Lower case is taken for upper, but only in ASCII: "ſ".upper() is "S".
    if not token.isascii() or not _TOKEN.fullmatch(token := token.upper()):
        raise InvalidCode()
    kid, serial, mac = token[0], token[1:1 + SERIAL_LENGTH], token[1 + SERIAL_LENGTH:]
    secret = keys.secret_for(kid, now)
    if secret is None or not hmac.compare_digest(_mac(secret, kid, serial), mac):
        raise InvalidCode()
    return CodeRef(serial=serial, kid=kid)


def code_url(site: str, token: str) -> str:
    return f"{site.rstrip('/')}/q/{token}"


def _mac(secret: bytes, kid: str, serial: str) -> str:
    digest = hmac.new(secret, b"|".join((_DOMAIN, kid.encode(), serial.encode())),
                      hashlib.sha256).digest()
    return base64.b32encode(digest).decode().translate(_RFC4648_TO_CROCKFORD)[:MAC_LENGTH]

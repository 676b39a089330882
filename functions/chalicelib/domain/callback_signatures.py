"""Signatures on the callbacks Wangge sends a machine client (the 12345
platform), so the receiver can tell them from anyone else's POST to its URL.

Each API key has its own callback secret, shown once beside the key. A callback
carries `X-Wangge-Timestamp` (Unix seconds) and `X-Wangge-Signature:
v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the secret>`. The receiver
recomputes it over the raw body, compares in constant time, and refuses
timestamps far from its clock, which bounds how long a captured callback can be
replayed; `X-Wangge-Callback-Id` tells genuine repeats apart.
"""

import hashlib
import hmac

VERSION = "v1"
# How far a receiver should let a timestamp stray from its own clock.
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{VERSION}={digest.hexdigest()}"


def headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {"X-Wangge-Timestamp": str(timestamp),
            "X-Wangge-Signature": signature(secret, timestamp, body)}


def verify(secret: str, timestamp: str, signed: str, body: bytes, now: int,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent_at, body), signed)

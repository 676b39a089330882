"""API keys of machine clients (the 12345 hotline platform): scoped to a subtree
and a few operations, shown once and kept only as a digest, revocable."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import tokens
from chalicelib.errors import InvalidInput

PREFIX = "wgk"
# Operations a machine client may be granted (routes name theirs in their Access).
MACHINE_OPERATIONS = frozenset({"grids.read", "cases.create", "cases.read"})
# The 12345 platform records its follow-up calls (回访) on the cases it filed.
MACHINE_OPERATIONS |= {"cases.follow_up"}


@dataclass
class ApiKey:
    key_id: str
    secret_digest: str
    name: str
    scope_code: str
    operations: frozenset[str]
    created_by: str
    created_at: datetime
    # Signs the callbacks sent to this client (domain/callback_signatures.py); kept
    # as it is, since signing needs it.
    callback_secret: str | None = None
    revoked: bool = False
    version: int = 0  # 0: never stored

    @classmethod
    def issue(cls, *, name: str, scope_code: str, operations: list[str], created_by: str,
              now: datetime) -> tuple["ApiKey", str]:
        """A new key and the API key its client presents (shown once, never kept)."""
        unknown = sorted(set(operations) - MACHINE_OPERATIONS)
        if unknown:
            raise InvalidInput("operations", f"Unknown operations: {', '.join(unknown)}; "
                                             f"known: {', '.join(sorted(MACHINE_OPERATIONS))}")
        key_id = tokens.new_id()[:16]
        secret = secrets.token_urlsafe(32)
        key = cls(key_id=key_id, secret_digest=tokens.digest(secret), name=name,
                  scope_code=scope_code, operations=frozenset(operations),
                  created_by=created_by, created_at=now,
                  callback_secret=secrets.token_urlsafe(32))
        return key, f"{PREFIX}_{key_id}_{secret}"

    def accepts(self, secret: str) -> bool:
        return not self.revoked and tokens.same_digest(tokens.digest(secret), self.secret_digest)


def key_id_and_secret(api_key: str) -> tuple[str, str] | None:
    """The parts of a presented API key, None when it is not one. The secret is
    url-safe base64 and may itself contain "_"."""
    prefix, _, rest = api_key.partition("_")
    key_id, _, secret = rest.partition("_")
    return (key_id, secret) if prefix == PREFIX and key_id and secret else None

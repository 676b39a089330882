"""A claim on a case by a client's own id: a hotline ticket names one case, so a
ticket sent twice makes one case."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CaseKey:
    key: str  # "ticket#<ticket id>" for a hotline ticket
    case_id: str
    fingerprint: str  # of the content first received under the key
    created_at: datetime
    callback_url: str | None = None  # hotline: notified when the case closes
    filed_by_key: str | None = None  # hotline: the API key whose secret signs it

    @property
    def client_id(self) -> str:
        """The client's own id the claim was made with (the ticket id)."""
        return self.key.split("#", 1)[1]

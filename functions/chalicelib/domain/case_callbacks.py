"""A callback owed to the 12345 platform (a case of its ticket closed), and the
course of its delivery: each attempt claimed before it is sent, then delivered,
retried later, or failed for an admin to queue again."""

from dataclasses import dataclass
from datetime import datetime

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass
class Callback:
    callback_id: str
    case_id: str
    ticket_id: str
    url: str
    payload: str  # the JSON body, fixed when the callback was owed
    grid_code: str  # the case's location
    created_at: datetime
    key_id: str | None = None  # the API key whose callback secret signs it
    status: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None

    @classmethod
    def owed(cls, *, callback_id: str, case_id: str, ticket_id: str, url: str, payload: str,
             grid_code: str, now: datetime, key_id: str | None = None) -> "Callback":
        return cls(callback_id=callback_id, case_id=case_id, ticket_id=ticket_id, url=url,
                   payload=payload, grid_code=grid_code, created_at=now, key_id=key_id,
                   next_attempt_at=now)

    def is_due(self, now: datetime) -> bool:
        return self.status == PENDING and self.next_attempt_at <= now

    def take_attempt(self, retry_at: datetime) -> None:
        """The next attempt, taken before sending: a sender that dies mid-attempt
        leaves it to be retried at `retry_at`."""
        self.attempts += 1
        self.next_attempt_at = retry_at

    def attempt_ended(self, status: str, error: str | None, now: datetime) -> None:
        self.status, self.last_error = status, error
        if status == DELIVERED:
            self.delivered_at = now
        if status != PENDING:
            self.next_attempt_at = None

    def requeue(self, now: datetime) -> None:
        """Back in the queue (an admin's decision); only a failed callback goes back."""
        self.status, self.next_attempt_at = PENDING, now

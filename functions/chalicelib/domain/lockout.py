"""Login throttling: five failures for one phone within 15 minutes lock it for 15."""

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginThrottle:
    failures: tuple[datetime, ...] = ()
    locked_until: datetime | None = None

    def retry_after(self, now: datetime) -> int:
        """Seconds until a login may be tried again; 0 when it may now."""
        if self.locked_until is None or self.locked_until <= now:
            return 0
        return max(1, int((self.locked_until - now).total_seconds() + 0.999))

    def after_failure(self, now: datetime) -> "LoginThrottle":
        recent = tuple(t for t in self.failures if now - t < WINDOW) + (now,)
        if len(recent) >= MAX_FAILURES:
            return LoginThrottle(failures=(), locked_until=now + LOCK)
        return LoginThrottle(failures=recent, locked_until=self.locked_until)

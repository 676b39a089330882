"""The failures a use case can report. The web layer maps each to an HTTP status."""

from typing import Any


class WanggeError(Exception):
    code = "error"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code:
            self.code = code


class InvalidInput(WanggeError):
    code = "validation_error"

    def __init__(self, field: str, message: str, *, code: str | None = None) -> None:
        super().__init__(f"{field}: {message}", code=code,
                         details=[{"field": field, "message": message}])


class NotFound(WanggeError):
    code = "not_found"


class Conflict(WanggeError):
    code = "conflict"


class Unauthorized(WanggeError):
    code = "unauthorized"


class Forbidden(WanggeError):
    code = "forbidden"


class RetryLater(WanggeError):
    """A failure the same request may not meet in `retry_after_seconds`."""

    def __init__(self, message: str, *, retry_after_seconds: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds


class TooManyRequests(RetryLater):
    code = "too_many_requests"


class Unavailable(RetryLater):
    """What the answer needs cannot be had just now: DynamoDB or S3 out of reach,
    too slow or throttling, or writers contending for the same items."""

    code = "service_unavailable"

    def __init__(self, message: str, *, retry_after_seconds: int = 5,
                 code: str | None = None) -> None:
        super().__init__(message, retry_after_seconds=retry_after_seconds, code=code)

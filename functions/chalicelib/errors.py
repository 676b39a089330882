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


class TooManyRequests(WanggeError):
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after_seconds: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds


class Unavailable(WanggeError):
    code = "service_unavailable"

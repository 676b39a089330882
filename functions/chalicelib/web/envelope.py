"""The one error envelope every failure is answered with."""

import json
from contextvars import ContextVar
from typing import Any

from chalice import Response

from chalicelib import errors

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

STATUS_OF = {
    errors.InvalidInput: 400,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooManyRequests: 429,
    errors.Unavailable: 503,
}

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


def error_response(status: int, code: str, message: str,
                   details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "details": details or [],
                      "request_id": request_id_var.get()}}
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status,
                    headers={**JSON_HEADERS, **(headers or {})})


def from_exception(error: errors.WanggeError) -> Response:
    status = next((s for cls, s in STATUS_OF.items() if isinstance(error, cls)), 400)
    headers = {}
    if isinstance(error, errors.RetryLater):
        headers["Retry-After"] = str(error.retry_after_seconds)
    return error_response(status, error.code, error.message, error.details, headers)


# Chalice answers a few failures itself (an unsupported method, an unhandled
# exception) in its own shape; these are rewritten into the envelope.
CHALICE_CODES = {
    "MethodNotAllowedError": (405, "method_not_allowed"),
    "UnsupportedMediaType": (415, "unsupported_media_type"),
    "InternalServerError": (500, "internal_error"),
    "BadRequest": (400, "bad_request"),
}


def normalise(response: Response) -> Response:
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or "Code" not in body:
        return response
    status, code = CHALICE_CODES.get(body["Code"], (response.status_code, "error"))
    message = "Internal server error" if status == 500 else str(body.get("Message", ""))
    extra = {k: v for k, v in response.headers.items() if k.lower() == "allow"}
    return error_response(status, code, message, headers=extra)

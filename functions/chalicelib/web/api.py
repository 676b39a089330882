"""Routes declared once: the Chalice route, request validation, response shaping
and the OpenAPI entry all come from one `Resource.route` declaration.

A handler receives its path parameters and, when the operation declares them,
`body` (a validated pydantic model) and `query` (likewise); it returns an
instance of the response model (or None for 204). Failures are raised as
`chalicelib.errors` exceptions and answered with the error envelope.
"""

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib import errors
from chalicelib.lazy import lazy
from chalicelib.observability import logger
from chalicelib.web import envelope, idempotency, paths
from chalicelib.web.access import PUBLIC, Access, Caller, RequestParts, authorize, bearer_token

api_keys = lazy("chalicelib.usecases.api_keys")
auth = lazy("chalicelib.usecases.auth")

API_PREFIX = "/api/v1"
# Chalice would answer other content types with its own 415; every type is let
# through so that the check below answers in the envelope.
ANY_CONTENT_TYPE = ["application/json", "*/*"]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    name: str
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    access: Access = PUBLIC
    idempotent: bool = False
    # Statuses the route answers beyond its success status and those openapi.py
    # derives from the declaration, each with what it means.
    answers: dict[int, str] = field(default_factory=dict)
    # What the route's own error answers are instead of the envelope (Open311's).
    error_body: type[BaseModel] | None = None

    @property
    def public(self) -> bool:
        return self.access.public


OPERATIONS: list[Operation] = []


def validation_details(error: ValidationError, root: str) -> list[dict[str, str]]:
    details = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or root
        details.append({"field": path, "message": item["msg"], "type": item["type"]})
    return details


def _parse_body(request: Any, model: type[BaseModel]) -> BaseModel:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise _HttpError(415, "unsupported_media_type",
                         "Request body must be application/json")
    raw = request.raw_body or b""
    if not raw.strip():
        raise errors.InvalidInput("body", "A JSON body is required", code="validation_error")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.InvalidInput("body", f"Malformed JSON: {exc}", code="malformed_json")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise errors.WanggeError("Request body is invalid", code="validation_error",
                                 details=validation_details(exc, "body")) from None


def _parse_query(request: Any, model: type[BaseModel] | None) -> BaseModel | None:
    params = dict(request.query_params or {})
    if model is None:
        if params:
            raise errors.InvalidInput(next(iter(params)), "Unknown query parameter")
        return None
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise errors.WanggeError("Query parameters are invalid", code="validation_error",
                                 details=validation_details(exc, "query")) from None


class _HttpError(Exception):
    """A protocol failure (415) that has no place among the domain errors."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def authenticate(request: Any) -> Caller:
    """The caller of a request: an API key (machines) or a bearer access token."""
    api_key = request.headers.get("x-api-key")
    if api_key:
        caller = api_keys.authenticate(api_key)
    else:
        token = bearer_token(request.headers)
        if token is None:
            raise errors.Unauthorized("Log in first", code="unauthenticated")
        caller = auth.authenticate(token)
    source_ip = ((request.context or {}).get("identity") or {}).get("sourceIp")
    return Caller(**{**caller.__dict__, "source_ip": source_ip})


def _respond(operation: Operation, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(body="", status_code=204 if operation.status == 200 else operation.status)
    if isinstance(result, BaseModel):
        body = result.model_dump_json(by_alias=True)
    else:
        body = json.dumps(result, ensure_ascii=False)
    return Response(body=body, status_code=operation.status, headers=envelope.JSON_HEADERS)


class Resource:
    """The routes of one resource, grouped in a Chalice blueprint."""

    def __init__(self, import_name: str, tag: str) -> None:
        self.blueprint = Blueprint(import_name)
        self.tag = tag

    def route(self, method: str, path: str, *, summary: str,
              body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
              response: type[BaseModel] | None = None, status: int = 200,
              access: Access | None = None, idempotent: bool = False,
              answers: dict[int, str] | None = None,
              error_body: type[BaseModel] | None = None) -> Callable:
        if access is None:
            raise TypeError(f"{method} {path} declares no access rule; use access.PUBLIC "
                            "for a public route")

        def register(handler: Callable) -> Callable:
            operation = Operation(method=method, path=API_PREFIX + path, name=handler.__name__,
                                  summary=summary, tag=self.tag, body=body, query=query,
                                  response=response, status=status, access=access,
                                  idempotent=idempotent, answers=answers or {},
                                  error_body=error_body)
            OPERATIONS.append(operation)
            blueprint = self.blueprint
            wants_caller = "caller" in inspect.signature(handler).parameters

            def view(**path_params: str) -> Response:
                request = blueprint.current_request
                try:
                    caller = None if access.public else authenticate(request)
                    paths.check(handler, path_params)
                    parts = RequestParts(path=dict(path_params))
                    kwargs: dict[str, Any] = dict(path_params)
                    if operation.body is not None:
                        kwargs["body"] = parts.body = _parse_body(request, operation.body)
                    parts.query = _parse_query(request, operation.query)
                    if operation.query is not None:
                        kwargs["query"] = parts.query
                    if caller is not None:
                        authorize(access, caller, parts)
                    if wants_caller:
                        kwargs["caller"] = caller
                    if operation.idempotent:
                        return idempotency.replay_or_run(
                            request.headers.get("idempotency-key"), operation, caller, kwargs,
                            lambda: _respond(operation, handler(**kwargs)),
                            blueprint.lambda_context)
                    return _respond(operation, handler(**kwargs))
                except errors.WanggeError as exc:
                    return envelope.from_exception(exc)
                except _HttpError as exc:
                    return envelope.error_response(exc.status, exc.code, exc.message)
                except Exception as exc:
                    from chalicelib.store.availability import as_unavailable

                    outage = as_unavailable(exc)
                    if outage is not None:
                        logger.warning("service unavailable", extra={
                            "operation": operation.name, "error": repr(exc)})
                        return envelope.from_exception(outage)
                    logger.exception("unhandled error", extra={"operation": operation.name})
                    return envelope.error_response(500, "internal_error", "Internal server error")

            view.__name__ = handler.__name__
            blueprint.route(path, methods=[method], content_types=ANY_CONTENT_TYPE)(view)
            return handler

        return register

    def get(self, path: str, **options: Any) -> Callable:
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable:
        return self.route("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable:
        return self.route("PUT", path, **options)

    def patch(self, path: str, **options: Any) -> Callable:
        return self.route("PATCH", path, **options)

    def delete(self, path: str, **options: Any) -> Callable:
        return self.route("DELETE", path, **options)

"""The OpenAPI 3 document, generated from the operation registry and the very
pydantic models that validate requests and shape responses."""

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from chalicelib.schemas.base import Schema
from chalicelib.web.api import Operation

REF = "#/components/schemas/{model}"


class ErrorDetail(Schema):
    field: str
    message: str
    type: str | None = Field(None, description="What failed, for a validation error")


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail]
    request_id: str


class ErrorEnvelope(Schema):
    error: ErrorBody


class Document(Schema):
    """This document."""

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


BODY_METHODS = {"POST", "PUT", "PATCH"}


def _every(op: Operation) -> bool:
    return True


# The answers every route can give and those its declaration implies; a route
# declares the others itself (`answers`).
DERIVED_ANSWERS: tuple[tuple[int, str, Callable[[Operation], bool]], ...] = (
    (400, "A query parameter it does not take, bad JSON or a field that fails validation",
     _every),
    (401, "Missing, bad or expired credentials", lambda op: not op.public),
    (403, "Outside the caller's role or scope, or not an operation of the API key",
     lambda op: not op.public),
    (404, "Not found, or an id of a shape this system never gives", lambda op: "{" in op.path),
    (409, "Changed since read, a value taken, a step not open, or a reused Idempotency-Key",
     lambda op: op.idempotent),
    (413, "Body too large", lambda op: op.method in BODY_METHODS),
    (415, "Body is not application/json", lambda op: op.body is not None),
    (429, "Too many requests: the stage's throttling", _every),
    (500, "Internal error", _every),
    (503, "The database or object storage cannot be reached: retry after Retry-After", _every),
)
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer"}}}


def build(operations: list[Operation], title: str = "Wangge API",
          version: str = "1") -> dict[str, Any]:
    models: list[tuple[type[BaseModel], str]] = [(ErrorEnvelope, "serialization")]
    for op in operations:
        if op.body is not None:
            models.append((op.body, "validation"))
        if op.query is not None:
            models.append((op.query, "validation"))
        if op.response is not None:
            models.append((op.response, "serialization"))
        if op.error_body is not None:
            models.append((op.error_body, "serialization"))
    refs, definitions = models_json_schema(list(dict.fromkeys(models)), ref_template=REF)
    components = definitions.get("$defs", {})

    def answer(description: str, model: type[BaseModel] | None) -> dict[str, Any]:
        entry: dict[str, Any] = {"description": description}
        if model is not None:
            entry["content"] = {"application/json": {
                "schema": refs[(model, "serialization")]}}
        return entry

    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        entry: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in re.findall(r"{(\w+)}", op.path)
            ],
        }
        if op.query is not None:
            schema = op.query.model_json_schema(ref_template=REF)
            required = set(schema.get("required", []))
            for name, prop in schema.get("properties", {}).items():
                entry["parameters"].append({"name": name, "in": "query",
                                            "required": name in required, "schema": prop})
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        responses = {op.status: answer("Success", op.response if op.status != 204 else None)}
        for status, description, applies in DERIVED_ANSWERS:
            if applies(op):
                responses[status] = answer(description, ErrorEnvelope)
        for status, description in op.answers.items():
            model = op.response if status < 400 else op.error_body or ErrorEnvelope
            responses[status] = answer(description, model)
        for status in (429, 503):
            if status in responses:
                responses[status]["headers"] = RETRY_AFTER
        entry["responses"] = {str(status): responses[status] for status in sorted(responses)}
        if not op.public:
            entry["security"] = [{"bearer": []}]
        paths.setdefault(op.path, {})[op.method.lower()] = entry

    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "bearerFormat": "JWT"}},
        },
    }

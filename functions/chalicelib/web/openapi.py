"""The OpenAPI 3 document, generated from the operation registry and the very
pydantic models that validate requests and shape responses."""

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.web.api import Operation, Schema

REF = "#/components/schemas/{model}"


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]
    request_id: str


class ErrorEnvelope(Schema):
    error: ErrorBody


ERROR_STATUSES = {
    "400": "Malformed JSON or a field that fails validation",
    "401": "Missing, bad or expired credentials",
    "403": "Outside the caller's scope or role",
    "404": "Not found",
    "409": "Conflict with the current state",
    "413": "Body too large",
    "415": "Body is not application/json",
    "429": "Too many requests",
    "500": "Internal error",
}


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
    refs, definitions = models_json_schema(list(dict.fromkeys(models)), ref_template=REF)
    components = definitions.get("$defs", {})
    error_ref = refs[(ErrorEnvelope, "serialization")]

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
            "responses": {},
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
        success: dict[str, Any] = {"description": "Success"}
        if op.response is not None:
            success["content"] = {"application/json": {
                "schema": refs[(op.response, "serialization")]}}
        entry["responses"][str(op.status)] = success
        for status, description in ERROR_STATUSES.items():
            if op.public and status in ("401", "403"):
                continue
            entry["responses"][status] = {"description": description, "content": {
                "application/json": {"schema": error_ref}}}
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

"""Idempotency-Key support on top of Powertools idempotency (DynamoDB-backed):
a retried request with the same key gets the first answer again; the same key
with a different body is a 409."""

import json
from typing import Any, Callable

from chalice import Response
from pydantic import BaseModel

from chalicelib.errors import Conflict, InvalidInput
from chalicelib.settings import settings

KEY_MAX_LENGTH = 128
# A phone may keep a write in its outbox for days without signal; its retry
# must still find the first answer.
KEY_LIFETIME_SECONDS = 7 * 24 * 3600
_persistence = None


def _store():
    global _persistence
    if _persistence is None:
        import boto3
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

        from chalicelib.store.base import client_config
        from chalicelib.store import idempotency as idempotency_store

        client_options: dict[str, Any] = {"region_name": settings.region,
                                          "config": client_config()}
        if settings.dynamodb_endpoint:
            client_options.update(endpoint_url=settings.dynamodb_endpoint,
                                  aws_access_key_id="local", aws_secret_access_key="local")
        _persistence = DynamoDBPersistenceLayer(
            table_name=idempotency_store.table_name(),
            boto3_client=boto3.client("dynamodb", **client_options))
    return _persistence


def _fingerprint(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def replay_or_run(key: str | None, operation: Any, caller: Any, kwargs: dict[str, Any],
                  run: Callable[[], Response], lambda_context: Any) -> Response:
    if key is None:
        return run()
    if not 8 <= len(key) <= KEY_MAX_LENGTH:
        raise InvalidInput("Idempotency-Key", f"Use 8 to {KEY_MAX_LENGTH} characters")
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    request = {"key": key, "who": getattr(caller, "user_id", None), "op": operation.name,
               "input": {name: _fingerprint(v) for name, v in kwargs.items() if name != "caller"}}
    config = IdempotencyConfig(event_key_jmespath="[key, who, op]",
                               payload_validation_jmespath="input",
                               expires_after_seconds=KEY_LIFETIME_SECONDS)
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)

    @idempotent_function(data_keyword_argument="request", persistence_store=_store(),
                         config=config)
    def first_answer(request: dict) -> dict:
        response = run()
        return {"status": response.status_code, "headers": dict(response.headers),
                "body": response.body if isinstance(response.body, str)
                else json.dumps(response.body)}

    try:
        stored = first_answer(request=request)
    except IdempotencyValidationError:
        raise Conflict("This Idempotency-Key was used with a different request",
                       code="idempotency_key_reused") from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("A request with this Idempotency-Key is in progress",
                       code="idempotency_in_progress") from None
    return Response(body=stored["body"], status_code=stored["status"], headers=stored["headers"])

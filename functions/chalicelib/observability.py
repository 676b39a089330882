"""Powertools Logger and Metrics, set up once and imported everywhere; X-Ray
tracing where traces are collected."""

import os
from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics

SERVICE = "wangge"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="Wangge", service=SERVICE)

# Where Powertools' Tracer also switches itself off: its own rule, read here
# because making a Tracer at all imports the X-Ray SDK and botocore, the largest
# part of a cold start.
_LAMBDA_EMULATORS = ("AWS_SAM_LOCAL", "AWS_CHALICE_CLI_MODE")
_FALSE = ("0", "false", "f", "n", "no", "off")


def tracing_on(environment: Mapping[str, str] = os.environ) -> bool:
    """On Lambda (where infra/ turns on active tracing for every function),
    unless POWERTOOLS_TRACE_DISABLED says otherwise."""
    on_lambda = "LAMBDA_TASK_ROOT" in environment and not any(
        name in environment for name in _LAMBDA_EMULATORS)
    disabled = environment.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower()
    return on_lambda and disabled in _FALSE


def trace(app: Any) -> None:
    """Each invocation of the Chalice `app` one subsegment named after its route
    or function, and every DynamoDB and S3 call a subsegment inside it. Does
    nothing, and imports nothing, when tracing is off."""
    if not tracing_on():
        return
    from aws_lambda_powertools import Tracer
    from chalice.app import Request

    # PynamoDB calls DynamoDB through botocore: patching botocore covers both.
    tracer = Tracer(service=SERVICE, patch_modules=("botocore",))

    def invocation_name(event: Any) -> str:
        if isinstance(event, Request):
            return f"{event.method} {(event.context or {}).get('resourcePath', event.path)}"
        return event.context.function_name

    def traced(event: Any, get_response: Callable) -> Any:
        name = invocation_name(event)
        with tracer.provider.in_subsegment(f"## {name}") as subsegment:
            subsegment.put_annotation("invocation", name)
            return get_response(event)

    app.register_middleware(traced, "all")

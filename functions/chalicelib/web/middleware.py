"""What every HTTP request goes through: a request id, correlated logs, a size
limit, the envelope for Chalice's own failures, and one metric per request."""

import threading
import time
import uuid
from typing import Callable

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Response

from chalicelib.observability import logger, metrics
from chalicelib.settings import settings
from chalicelib.web import envelope

_metrics_lock = threading.Lock()


def http_middleware(request, get_response: Callable) -> Response:
    request_id = (request.context or {}).get("requestId") or uuid.uuid4().hex
    envelope.request_id_var.set(request_id)
    logger.set_correlation_id(request_id)
    started = time.perf_counter()
    if len(request.raw_body or b"") > settings.max_body_bytes:
        response = envelope.error_response(
            413, "payload_too_large",
            f"Request body exceeds {settings.max_body_bytes} bytes")
    else:
        response = envelope.normalise(get_response(request))
    response.headers["X-Request-Id"] = request_id
    route = (request.context or {}).get("resourcePath", "unknown")
    logger.info("request", extra={"method": request.method, "route": route,
                                  "status": response.status_code,
                                  "ms": round((time.perf_counter() - started) * 1000, 1)})
    # The one Metrics object is shared: on Lambda one request runs at a time, but
    # the local server answers requests on threads, whose dimensions would mix.
    with _metrics_lock:
        metrics.add_dimension(name="route", value=f"{request.method} {route}")
        metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
        if response.status_code >= 500:
            metrics.add_metric(name="ServerErrors", unit=MetricUnit.Count, value=1)
        metrics.flush_metrics()
        metrics.clear_metrics()  # flush keeps the set when metrics are disabled (locally)
    return response

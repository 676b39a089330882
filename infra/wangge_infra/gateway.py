"""API Gateway's own answers (no route, throttled, integration failed, ...) in
the app's error envelope:

    {"error": {"code": "...", "message": "...", "details": [], "request_id": "..."}}

They go into the OpenAPI document Chalice generates, as the extension
`x-amazon-apigateway-gateway-responses`, so a change redeploys the API like any
other change of its definition. Locally, devtools/server.py answers an unknown
route the same way.
"""

import json

# response type: (status, or None to keep API Gateway's, the envelope's code,
# the message, or None for API Gateway's own).
RESPONSES: dict[str, tuple[str | None, str, str | None]] = {
    # API Gateway answers a path or method with no route as a 403 asking for an
    # authentication token; the app has no such token, so it is a plain 404.
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found", "No such route"),
    "ACCESS_DENIED": ("403", "forbidden", None),
    "THROTTLED": ("429", "too_many_requests", None),
    "QUOTA_EXCEEDED": ("429", "too_many_requests", None),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large", None),
    "UNSUPPORTED_MEDIA_TYPE": ("415", "unsupported_media_type", None),
    "BAD_REQUEST_BODY": ("400", "bad_request", None),
    "BAD_REQUEST_PARAMETERS": ("400", "bad_request", None),
    "INTEGRATION_TIMEOUT": ("504", "gateway_timeout", "The request took too long"),
    "INTEGRATION_FAILURE": ("502", "bad_gateway", "The service failed to answer"),
    "DEFAULT_4XX": (None, "bad_request", None),
    "DEFAULT_5XX": (None, "internal_error", "Internal server error"),
}

REQUEST_ID = "$context.requestId"
# API Gateway's message, already a quoted JSON string.
GATEWAY_MESSAGE = "$context.error.messageString"


def template(code: str, message: str | None) -> str:
    """The body template: JSON once API Gateway has filled in the $context values."""
    quoted_message = json.dumps(message, ensure_ascii=False) if message else GATEWAY_MESSAGE
    return ('{"error": {"code": ' + json.dumps(code) + ', "message": ' + quoted_message
            + ', "details": [], "request_id": "' + REQUEST_ID + '"}}')


def gateway_responses() -> dict[str, dict]:
    """The value of `x-amazon-apigateway-gateway-responses`."""
    responses = {}
    for response_type, (status, code, message) in RESPONSES.items():
        response: dict = {
            "responseParameters": {
                "gatewayresponse.header.Cache-Control": "'no-store'",
                "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
            },
            "responseTemplates": {"application/json": template(code, message)},
        }
        if status is not None:
            response["statusCode"] = status
        responses[response_type] = response
    return responses

"""DynamoDB or S3 out of reach, too slow, or throttling: one failure, errors.Unavailable.

botocore has already tried the call again by then (settings: attempts and
timeouts), so what is left is for the caller to retry later: the API answers
it 503 with Retry-After, a sweep stops and carries on at its next run.
PynamoDB and Powertools wrap botocore's exceptions in their own; the outage
is found along the causes.
"""

from chalicelib import errors

# Error codes of DynamoDB and S3 that say "not now" rather than "not this".
THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException", "Throttling",
             "RequestLimitExceeded", "SlowDown", "InternalServerError", "ServiceUnavailable"}
# Why DynamoDB cancels a transaction when it is throttled.
THROTTLED_REASONS = {"ThrottlingError", "ProvisionedThroughputExceeded"}
MESSAGE = "The database or file storage cannot be reached just now; retry shortly"


def as_unavailable(error: BaseException) -> errors.Unavailable | None:
    """The outage `error` (or one of its causes) stands for; None when it is no outage."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, errors.Unavailable):
            return cause
        if _is_outage(cause):
            return errors.Unavailable(MESSAGE)
        # PynamoDB keeps the botocore error in `cause` without chaining it.
        cause = getattr(cause, "cause", None) or cause.__cause__
    return None


def _is_outage(error: BaseException) -> bool:
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(error, (ConnectionError, HTTPClientError)):  # refused, timed out, cut off
        return True
    if not isinstance(error, ClientError):
        return False
    answer = error.response
    reasons = {reason.get("Code") for reason in answer.get("CancellationReasons") or ()}
    return (answer.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
            or answer.get("Error", {}).get("Code") in THROTTLED
            or bool(reasons & THROTTLED_REASONS))

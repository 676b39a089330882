"""What anyone may open without logging in: a QR code's page and a report from it."""

from chalicelib.lazy import lazy
from chalicelib.schemas.qr_codes import PublicCode, PublicReport, PublicReportOut
from chalicelib.web import api
from chalicelib.web.access import PUBLIC

public_scan = lazy("chalicelib.usecases.public_scan")

resource = api.Resource(__name__, tag="public")

NOT_VALID = {404: "This code is not valid (tampered, unknown, revoked or its key expired)",
             429: "Too many requests from this address: retry after Retry-After"}


def _client() -> str | None:
    """The source address API Gateway saw: what the rate limit counts by."""
    context = resource.blueprint.current_request.context or {}
    return (context.get("identity") or {}).get("sourceIp")


@resource.get("/public/codes/{token}", summary="What a scanned board or contact card shows: "
              "the micro-grid, its worker and the grid leader", response=PublicCode,
              access=PUBLIC, answers=NOT_VALID)
def scan_code(token: str) -> PublicCode:
    return public_scan.opened_by_scan(token, _client())


@resource.post("/public/codes/{token}/reports", summary="A resident reports a problem from a "
               "scanned code: a case at the code's micro-grid (send an Idempotency-Key: a "
               "retry in weak signal files no second case)", body=PublicReport,
               response=PublicReportOut, status=201, access=PUBLIC, answers=NOT_VALID,
               idempotent=True)
def report_from_code(token: str, body: PublicReport) -> PublicReportOut:
    return public_scan.report(token, _client(), body)

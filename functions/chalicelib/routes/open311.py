"""Open311 GeoReport v2 endpoints (usecases/open311.py). They answer in
GeoReport's own shapes, errors included, so they take their input from the raw
request and authenticate the POST's api_key themselves."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from chalice import Response
from pydantic import ConfigDict

from chalicelib.lazy import lazy
from chalicelib.schemas.base import Schema
from chalicelib.schemas.open311 import (
    GeoReportErrors,
    Receipts,
    ServiceDefinition,
    ServiceRequests,
    Services,
)
from chalicelib.store.availability import as_unavailable
from chalicelib.web import api, envelope
from chalicelib.web.access import Access

open311 = lazy("chalicelib.usecases.open311")

resource = api.Resource(__name__, tag="open311")
GEOREPORT = Access(public=True, notes={"auth": "api_key parameter on POST (GeoReport v2)"})
BAD_PARAMETER = "A parameter GeoReport does not allow, or one missing"
NO_SUCH = "No such service or service request, or a format other than .json"


class Open311Query(Schema):
    """GeoReport's parameters; checked by the use case, so that a bad one is
    answered in GeoReport's error format."""

    model_config = ConfigDict(extra="ignore")
    jurisdiction_id: str | None = None
    api_key: str | None = None
    service_request_id: str | None = None
    service_code: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None


def _answer(run: Callable[[], Any], status: int = 200) -> Response:
    headers = dict(envelope.JSON_HEADERS)
    try:
        return Response(body=json.dumps(run(), ensure_ascii=False), status_code=status,
                        headers=headers)
    except open311.Open311Error as exc:
        error = exc
    except Exception as exc:
        # An outage the use case did not see as one still answers in GeoReport's shape.
        outage = as_unavailable(exc)
        if outage is None:
            raise
        error = open311.translate(outage)
    if error.retry_after_seconds is not None:
        headers["Retry-After"] = str(error.retry_after_seconds)
    return Response(body=json.dumps(error.body(), ensure_ascii=False), status_code=error.status,
                    headers=headers)


def _json_name(file_name: str) -> str:
    if not file_name.endswith(".json"):
        raise open311.Open311Error(404, "Only the .json format is served")
    return file_name[: -len(".json")]


def _form() -> dict[str, str]:
    request = resource.blueprint.current_request
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    raw = (request.raw_body or b"").decode("utf-8", errors="replace")
    if content_type == "application/json":
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            raise open311.Open311Error(400, "Malformed JSON") from None
        form = {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    else:
        form = dict(parse_qsl(raw, keep_blank_values=True))
    return {**dict(request.query_params or {}), **form}


@resource.get("/open311/services.json", summary="GeoReport v2: the service list",
              query=Open311Query, response=Services, access=GEOREPORT,
              answers={400: BAD_PARAMETER}, error_body=GeoReportErrors)
def open311_services(query: Open311Query) -> Response:
    return _answer(lambda: open311.services(query.jurisdiction_id))


@resource.get("/open311/services/{service_file}", summary="GeoReport v2: a service "
              "definition ({service_code}.json)", query=Open311Query,
              response=ServiceDefinition, access=GEOREPORT,
              answers={400: BAD_PARAMETER, 404: NO_SUCH}, error_body=GeoReportErrors)
def open311_service_definition(service_file: str, query: Open311Query) -> Response:
    return _answer(lambda: open311.service_definition(_json_name(service_file),
                                                      query.jurisdiction_id))


@resource.post("/open311/requests.json", summary="GeoReport v2: submit a service request "
               "(form-encoded, api_key required)", query=Open311Query, response=Receipts,
               status=201, access=GEOREPORT,
               answers={400: BAD_PARAMETER, 403: "No api_key, or one that may not submit here",
                        404: NO_SUCH}, error_body=GeoReportErrors)
def open311_submit(query: Open311Query) -> Response:
    return _answer(lambda: open311.submit(_form()), status=201)


@resource.get("/open311/requests.json", summary="GeoReport v2: service requests",
              query=Open311Query, response=ServiceRequests, access=GEOREPORT,
              answers={400: BAD_PARAMETER}, error_body=GeoReportErrors)
def open311_requests(query: Open311Query) -> Response:
    return _answer(lambda: open311.requests(query.model_dump()))


@resource.get("/open311/requests/{request_file}", summary="GeoReport v2: one service request "
              "({service_request_id}.json)", query=Open311Query, response=ServiceRequests,
              access=GEOREPORT, answers={404: NO_SUCH}, error_body=GeoReportErrors)
def open311_request(request_file: str, query: Open311Query) -> Response:
    return _answer(lambda: open311.request(_json_name(request_file)))

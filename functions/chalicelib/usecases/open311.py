"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the case loop.

Services are the county's public case categories (service_code = category
code); a service request is a case reported by a resident through an Open311
client, which needs an API key (operation `cases.create`) to POST. It is
filed at the grid of the optional service attribute `grid_code` (the code on
the notice board or contact card the resident scanned); else, by its lat/long,
at the smallest grid of the key's area whose boundary holds the point, or the
one whose boundary is nearest; else at the API key's own grid, and the grid
centre dispatches it from there.

Reading is public as the specification has it, and shows only what the
specification names (no reporter data) of requests filed through Open311:
cases that workers or the hotline report stay inside the system.
Statuses: open, or closed (closed or rejected). Times are W3C with the
Asia/Shanghai offset. JSON only; errors are GeoReport's list of
{"code", "description"}.
"""

import json
import math
from datetime import datetime, timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain import boundaries, case_flow, grid_codes
from chalicelib.domain.case_categories import DEFAULTS, Category
from chalicelib.domain.deadlines import SHANGHAI
from chalicelib.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
    Unavailable,
    WanggeError,
)
from chalicelib.store import case_categories as category_store
from chalicelib.store import cases as case_store
from chalicelib.store import grids as grid_store
from chalicelib.usecases import api_keys, cases

DEFAULT_DAYS = 90
MAX_RESULTS = 1000
GRID_ATTRIBUTE = "grid_code"


class Open311Error(Exception):
    def __init__(self, status: int, description: str, retry_after_seconds: int | None = None
                 ) -> None:
        super().__init__(description)
        self.status, self.description = status, description
        self.retry_after_seconds = retry_after_seconds

    def body(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": self.description}]


def translate(error: WanggeError) -> Open311Error:
    status = {InvalidInput: 400, Unauthorized: 403, Forbidden: 403, NotFound: 404,
              Unavailable: 503}
    code = next((s for cls, s in status.items() if isinstance(error, cls)), 400)
    return Open311Error(code, error.message, getattr(error, "retry_after_seconds", None))


def w3c(moment: datetime | None) -> str | None:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds") if moment else None


def _catalogue(jurisdiction_id: str | None) -> list[Category]:
    if not jurisdiction_id:
        return list(DEFAULTS)
    try:
        depth = grid_codes.depth_of(jurisdiction_id, "jurisdiction_id")
    except InvalidInput:
        depth = None
    if depth != 0:
        raise Open311Error(400, "jurisdiction_id is a 6-digit county code")
    return category_store.catalogue(jurisdiction_id)


def services(jurisdiction_id: str | None) -> list[dict[str, Any]]:
    return [{"service_code": c.code, "service_name": c.name_zh, "description": c.name_en,
             "metadata": True, "type": "realtime", "keywords": c.name_en.lower(),
             "group": "网格事件"}
            for c in _catalogue(jurisdiction_id) if c.public and c.active]


def service_definition(service_code: str, jurisdiction_id: str | None) -> dict[str, Any]:
    if not any(s["service_code"] == service_code for s in services(jurisdiction_id)):
        raise Open311Error(404, f"No service {service_code}")
    return {"service_code": service_code, "attributes": [{
        "variable": True, "code": GRID_ATTRIBUTE, "datatype": "string", "required": False,
        "datatype_description": "The grid code on the notice board or contact card (网格编码); "
                                "without it the request is placed by its lat/long",
        "order": 1, "description": "网格编码 Grid code", "values": []}]}


def _caller(api_key: str | None):
    if not api_key:
        raise Open311Error(400, "api_key is required")
    try:
        caller = api_keys.authenticate(api_key)
    except Unauthorized:
        raise Open311Error(403, "Invalid api_key") from None
    if "cases.create" not in caller.machine_operations:
        raise Open311Error(403, "This api_key may not submit service requests")
    return caller


def _coordinate(form: dict[str, str], name: str, limit: float) -> float | None:
    value = form.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not (math.isfinite(number) and -limit <= number <= limit):
        raise Open311Error(400, f"{name} is a WGS 84 coordinate, -{limit:g} to {limit:g}")
    return number


def _grid_at(scope_code: str, lat: float, lng: float) -> str | None:
    """The smallest grid of the scope whose boundary holds the point, else the one
    whose boundary is nearest (the smaller on a tie); None when none has one."""
    shapes = {grid.code: json.loads(grid.boundary)
              for grid in grid_store.with_boundaries(scope_code)}
    holding = [code for code, shape in shapes.items() if boundaries.contains(shape, lng, lat)]
    if holding:
        return max(holding, key=len)
    distances = {code: boundaries.distance_m(shape, lng, lat) for code, shape in shapes.items()}
    return min(distances, key=lambda code: (distances[code], -len(code)), default=None)


def submit(form: dict[str, str]) -> list[dict[str, Any]]:
    caller = _caller(form.get("api_key"))
    service_code = form.get("service_code")
    if not service_code:
        raise Open311Error(400, "service_code is required")
    lat, lng = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
    if (lat is None) != (lng is None):
        raise Open311Error(400, "lat and long go together")
    address = (form.get("address_string") or "").strip() or None
    if lat is None and address is None and not form.get("address_id"):
        raise Open311Error(400, "A location is required: lat and long, address_string or "
                                "address_id")
    grid_code = form.get(f"attribute[{GRID_ATTRIBUTE}]")
    if not grid_code and lat is not None:
        grid_code = _grid_at(caller.scope_code, lat, lng)
    grid_code = grid_code or caller.scope_code
    if not grid_code.startswith(caller.scope_code):
        raise Open311Error(403, "grid_code is outside this api_key's area")
    name = " ".join(p for p in (form.get("last_name"), form.get("first_name")) if p) or None
    description = (form.get("description") or "").strip()
    if not description:
        description = service_code
    try:
        category = cases.category_for(grid_code, service_code)
        if not category.public:
            raise Open311Error(404, f"No service {service_code}")
        if grid_codes.depth_of(grid_code, "grid_code") < 1:
            raise Open311Error(400, f"attribute[{GRID_ATTRIBUTE}] is required: no grid "
                                    "boundary of this api_key's county places the request")
        case = cases.new_case(caller, category=category, grid_code=grid_code,
                              description=description[:2000], source="resident",
                              lat=lat, lng=lng, address=address and address[:200],
                              reporter_name=name and name[:40],
                              reporter_phone=(form.get("phone") or None))
        case = cases.report(caller, case)
    except WanggeError as exc:
        raise translate(exc) from None
    return [{"service_request_id": case.case_id,
             "service_notice": "已受理，网格员将尽快处理 Received; a grid worker will follow it up",
             "account_id": None}]


def _request(case: case_flow.Case) -> dict[str, Any]:
    status = "open" if case.is_open else "closed"
    return {"service_request_id": case.case_id, "status": status,
            "status_notes": {case_flow.REJECTED: "不予立案 Not accepted"}.get(case.state),
            "service_name": next((c.name_zh for c in DEFAULTS if c.code == case.category),
                                 case.category),
            "service_code": case.category, "description": case.description,
            "agency_responsible": f"网格 {case.handling_grid}", "service_notice": None,
            "requested_datetime": w3c(case.reported_at),
            "updated_datetime": w3c(case.updated_at),
            "expected_datetime": w3c(case.close_due_at), "address": case.address,
            "address_id": None, "zipcode": None, "lat": case.lat, "long": case.lng,
            "media_url": None}


def _public(case: case_flow.Case | None) -> bool:
    return case is not None and case.source == "resident" and \
        case.reported_by.startswith("api_key#")


def request(service_request_id: str) -> list[dict[str, Any]]:
    loaded = case_store.find(service_request_id)
    if loaded is None or not _public(loaded.case):
        raise Open311Error(404, f"No service request {service_request_id}")
    return [_request(loaded.case)]


def _date(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def requests(params: dict[str, str | None]) -> list[dict[str, Any]]:
    if params.get("service_request_id"):
        found = []
        for case_id in params["service_request_id"].split(",")[:MAX_RESULTS]:
            loaded = case_store.find(case_id.strip())
            if loaded is not None and _public(loaded.case):
                found.append(_request(loaded.case))
        return found
    jurisdiction = params.get("jurisdiction_id")
    if not jurisdiction:
        raise Open311Error(400, "jurisdiction_id is required: the 6-digit county code")
    _catalogue(jurisdiction)
    until = _date(params.get("end_date"), "end_date") or clock.now()
    since = _date(params.get("start_date"), "start_date") or until - timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise Open311Error(400, "start_date is after end_date")
    wanted_codes = set(filter(None, (params.get("service_code") or "").split(",")))
    wanted_status = set(filter(None, (params.get("status") or "").split(",")))
    if wanted_status - {"open", "closed"}:
        raise Open311Error(400, "status is open or closed")
    found: list[dict[str, Any]] = []
    cursor = None
    while len(found) < MAX_RESULTS:
        items, cursor = case_store.open311_requests(jurisdiction, since, until, limit=200,
                                                    cursor=cursor)
        for case in items:
            entry = _request(case)
            if (not wanted_codes or case.category in wanted_codes) and \
                    (not wanted_status or entry["status"] in wanted_status):
                found.append(entry)
        if cursor is None:
            break
    return found[:MAX_RESULTS]

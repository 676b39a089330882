"""Access rows of the case, hotline and Open311 routes (see tests/api/test_access_matrix.py).

Who may take a step on a case is decided by the domain (case_flow), so the
rows pick a step and a case state whose answer is known: registering a
reported case (the leaders), a follow-up call on a case still open (409 for
the roles that may record one)."""

import secrets

from tests.api.access_rows import ADMINS, EVERYONE
from tests.api.ledger_fixtures import NOWHERE

REPORTERS = EVERYONE - {"viewer"}
LEADERS = {"grid_leader", "dispatcher", "town_admin", "county_admin"}
CHECKERS = LEADERS | {"supervisor"}
MACHINE_ONLY: set[str] = set()


def a_case_in(grid):
    from chalicelib.domain.callers import Caller
    from chalicelib.usecases import cases

    reporter = Caller(user_id="access-matrix", role="grid_leader", scope_code=grid[:6])
    case = cases.new_case(reporter, category=cases.category_for(grid, "sanitation"),
                          grid_code=grid, description="矩阵测试", source="worker")
    return cases.report(reporter, case).case_id


def a_ticket_in(grid):
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.hotline import HotlineTicket
    from chalicelib.usecases import hotline

    machine = Caller(user_id="api_key#matrix", role="machine", scope_code=grid[:6],
                     machine_operations=frozenset({"cases.create"}))
    ticket_id = f"T{secrets.token_hex(6)}"
    hotline.receive(machine, HotlineTicket(ticket_id=ticket_id, grid_code=grid,
                                           description="热线测试"))
    return ticket_id


def a_failed_callback_in(grid):
    from chalicelib import clock
    from chalicelib.domain.case_callbacks import FAILED, Callback
    from chalicelib.store import case_callbacks

    item = Callback.owed(callback_id=f"{secrets.token_hex(16)}-close-0", case_id="c",
                         ticket_id="t", url="https://example.invalid/", payload="{}",
                         grid_code=grid, now=clock.now())
    item.status = FAILED
    case_callbacks.put(item)
    return item.callback_id


def transition(grid):
    return {"action": "register", "version": 0}


ROUTES = {
    "create_case": (REPORTERS, 201, lambda g: ("POST", "/api/v1/cases", {
        "category": "sanitation", "grid_code": g, "description": "垃圾堆放"})),
    "list_cases": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/cases?scope={g}", None)),
    "get_case": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/cases/{a_case_in(g)}", None)),
    "take_transition": (LEADERS, 200, lambda g: (
        "POST", f"/api/v1/cases/{a_case_in(g)}/transitions", transition(g))),
    "comment_case": (REPORTERS, 201, lambda g: (
        "POST", f"/api/v1/cases/{a_case_in(g)}/comments", {"note": "已联系"})),
    "record_first_contact": (LEADERS, 200, lambda g: (
        "POST", f"/api/v1/cases/{a_case_in(g)}/first-contact", None)),
    "record_satisfaction": (CHECKERS, 409, lambda g: (
        "POST", f"/api/v1/cases/{a_case_in(g)}/satisfaction", {"result": "satisfied"})),
    "start_upload": (REPORTERS, 201, lambda g: (
        "POST", f"/api/v1/cases/{a_case_in(g)}/attachments/uploads",
        {"content_type": "image/jpeg", "size": 1000})),
    "confirm_attachment": (REPORTERS, 400, lambda g: (
        "POST", f"/api/v1/cases/{a_case_in(g)}/attachments",
        {"attachment_id": NOWHERE})),
    "list_categories": (EVERYONE, 200, lambda g: ("GET", "/api/v1/case-categories", None)),
    "put_category": ({"county_admin"}, 200, lambda g: (
        "PUT", f"/api/v1/case-categories/{g[:6]}/matrix_test", {
            "name_zh": "测试", "name_en": "Test", "accept": "24h", "handle": "3wd",
            "verify": "1wd", "public": False})),
    "get_indicators": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/case-indicators?grid={g}",
                                                 None)),
    "get_waiting": (EVERYONE, 200, lambda g: ("GET", f"/api/v1/case-waiting?scope={g}", None)),
    "receive_ticket": (MACHINE_ONLY, 201, lambda g: ("POST", "/api/v1/hotline/tickets", {
        "ticket_id": f"T{secrets.token_hex(6)}", "grid_code": g, "description": "路灯不亮"})),
    "read_ticket": (MACHINE_ONLY, 200, lambda g: (
        "GET", f"/api/v1/hotline/tickets/{a_ticket_in(g)}", None)),
    "follow_up_ticket": (MACHINE_ONLY, 409, lambda g: (
        "POST", f"/api/v1/hotline/tickets/{a_ticket_in(g)}/follow-up", {"result": "satisfied"})),
    "list_callbacks": (ADMINS, 200, lambda g: ("GET", f"/api/v1/hotline/callbacks?scope={g}",
                                               None)),
    "retry_callback": (ADMINS, 200, lambda g: (
        "POST", f"/api/v1/hotline/callbacks/{a_failed_callback_in(g)}/retry", None)),
    "open311_services": (None, 200, lambda g: ("GET", "/api/v1/open311/services.json", None)),
    "open311_service_definition": (None, 200, lambda g: (
        "GET", "/api/v1/open311/services/sanitation.json", None)),
    "open311_submit": (None, 400, lambda g: ("POST", "/api/v1/open311/requests.json",
                                             {"service_code": "sanitation"})),
    "open311_requests": (None, 200, lambda g: (
        "GET", "/api/v1/open311/requests.json?jurisdiction_id=140825", None)),
    "open311_request": (None, 404, lambda g: (
        "GET", "/api/v1/open311/requests/nonexistent.json", None)),
}
SCOPED = {"create_case", "list_cases", "get_case", "take_transition", "comment_case",
          "record_first_contact", "record_satisfaction", "start_upload", "confirm_attachment",
          "put_category", "get_indicators", "receive_ticket", "read_ticket",
          "follow_up_ticket", "list_callbacks", "retry_callback"}
MACHINE_ROUTES = {"receive_ticket", "read_ticket", "follow_up_ticket"}

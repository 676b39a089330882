"""12345 hotline intake (热线+网格): tickets become registered cases, once per
ticket number, with the ticket's own time limits; the platform reads status by
ticket, records the follow-up call, and is called back when the case closes
(usecases/hotline_callbacks.py).
"""

import hashlib
from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import case_flow
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_categories import HOTLINE_DISPATCH_LIMITS
from chalicelib.domain.case_keys import CaseKey
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.schemas.hotline import HotlineStatus, HotlineTicket
from chalicelib.settings import settings
from chalicelib.store import cases as case_store
from chalicelib.usecases import api_keys, cases

PRIORITY_OF_URGENCY = {"emergency": "urgent", "utilities": "high", "normal": "normal"}


def _fingerprint(ticket: HotlineTicket) -> str:
    return hashlib.sha256(ticket.model_dump_json().encode()).hexdigest()


def _check_callback_url(url: str | None) -> None:
    if url is None:
        return
    secure = url.startswith("https://")
    if not (secure or (settings.stage in ("local", "test") and url.startswith("http://"))):
        raise InvalidInput("callback_url", "Use an https:// URL")


def status(case: case_flow.Case, ticket_id: str) -> HotlineStatus:
    result = next((e.note for e in reversed(case_store.timeline(case.case_id))
                   if e.action == "handle"), None)
    return HotlineStatus(ticket_id=ticket_id, case_id=case.case_id, state=case.state,
                         status="open" if case.is_open else "closed",
                         handling_grid=case.handling_grid, handler_name=case.handler_name,
                         dispatch_due_at=case.due_at, close_due_at=case.close_due_at,
                         overdue=case.overdue, first_contact_at=case.first_contact_at,
                         closed_at=case.closed_at, result=result,
                         satisfaction=case.satisfaction, updated_at=case.updated_at)


def _replay(claim: CaseKey, fingerprint: str) -> HotlineStatus:
    if claim.fingerprint != fingerprint:
        raise Conflict("This ticket was received with different content",
                       code="ticket_id_reused",
                       details=[{"field": "ticket_id", "message": claim.case_id}])
    return status(case_store.get(claim.case_id).case, claim.client_id)


def receive(caller: Caller, ticket: HotlineTicket) -> tuple[HotlineStatus, bool]:
    """The case of a ticket, created on first receipt; (status, created)."""
    key, fingerprint = case_store.ticket_key(ticket.ticket_id), _fingerprint(ticket)
    claim = case_store.find_key(key)
    if claim is not None:
        return _replay(claim, fingerprint), False
    _check_callback_url(ticket.callback_url)
    now = clock.now()
    received = ticket.received_at or now
    if received > now + timedelta(minutes=5) or received < now - timedelta(days=7):
        raise InvalidInput("received_at", "Within the last 7 days")
    if ticket.due_at is not None and ticket.due_at <= received:
        raise InvalidInput("due_at", "After received_at")
    category = cases.category_for(ticket.grid_code, ticket.category)
    limits = {**category.limits(), "accept": HOTLINE_DISPATCH_LIMITS[ticket.urgency]}
    case = cases.new_case(caller, category=category, grid_code=ticket.grid_code,
                          description=ticket.description, source="hotline",
                          priority=PRIORITY_OF_URGENCY[ticket.urgency], limits=limits,
                          address=ticket.address, lat=ticket.lat, lng=ticket.lng,
                          reporter_name=ticket.caller_name, reporter_phone=ticket.caller_phone,
                          ticket_id=ticket.ticket_id, close_due_at=ticket.due_at,
                          state=case_flow.REGISTERED)
    claim = CaseKey(key=key, case_id=case.case_id, fingerprint=fingerprint, created_at=now,
                    callback_url=ticket.callback_url, filed_by_key=api_keys.key_id_of(caller))
    try:
        case = cases.report(caller, case, key=claim, at=received)
    except Conflict as exc:
        if exc.code != "key_taken":
            raise
        return _replay(case_store.find_key(key), fingerprint), False  # a concurrent retry
    return status(case, ticket.ticket_id), True


def _ticket_case(caller: Caller, ticket_id: str) -> case_flow.Case:
    claim = case_store.find_key(case_store.ticket_key(ticket_id))
    if claim is None:
        raise NotFound(f"No ticket {ticket_id}")
    case = case_store.get(claim.case_id).case
    if not caller.can_see(case.location_grid):
        raise Forbidden("Outside your grid scope", code="out_of_scope")
    return case


def read(caller: Caller, ticket_id: str) -> HotlineStatus:
    return status(_ticket_case(caller, ticket_id), ticket_id)


def follow_up(caller: Caller, ticket_id: str, result: str, note: str | None) -> HotlineStatus:
    case = _ticket_case(caller, ticket_id)
    return status(cases.rate(caller, case.case_id, result, note), ticket_id)



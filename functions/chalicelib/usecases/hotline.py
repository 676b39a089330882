"""12345 hotline intake (热线+网格): tickets become registered cases, once per
ticket number, with the ticket's own time limits; the platform reads status by
ticket, records the follow-up call, and is called back when the case closes.

Callbacks are owed in the same transaction as the close and delivered by the
callback sweep: each attempt is claimed before it is sent (two sweeps never
send the same attempt), retried with growing back-off, and after the last one
the callback is `failed` and listed for admins, who can queue it again.
Delivery is at least once (a sweep that dies after sending and before
recording sends again): receivers tell repeats by the X-Wangge-Callback-Id header.
Each callback is signed with the callback secret of the API key that filed the
ticket (domain/callback_signatures.py), so the platform can refuse forgeries.
"""

import hashlib
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain import callback_signatures, case_flow, grid_codes
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_categories import HOTLINE_DISPATCH_LIMITS
from chalicelib.domain.case_flow import Outcome
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.observability import logger
from chalicelib.schemas.hotline import CallbackOut, CallbackPage, HotlineStatus, HotlineTicket
from chalicelib.settings import settings
from chalicelib.store import api_keys as key_store
from chalicelib.store import case_callbacks as callback_store
from chalicelib.store import cases as case_store
from chalicelib.store.cases import CaseKeyModel
from chalicelib.usecases import api_keys, audit, cases

# Waits after each failed attempt; after the last, the callback has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
           timedelta(hours=1), timedelta(hours=3), timedelta(hours=6), timedelta(hours=12))
CALL_TIMEOUT_SECONDS = 5
PRIORITY_OF_URGENCY = {"emergency": "urgent", "utilities": "high", "normal": "normal"}


def ticket_key(ticket_id: str) -> str:
    return f"ticket#{ticket_id}"


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


def _replay(claim: CaseKeyModel, fingerprint: str) -> HotlineStatus:
    if claim.fingerprint != fingerprint:
        raise Conflict("This ticket was received with different content",
                       code="ticket_id_reused",
                       details=[{"field": "ticket_id", "message": claim.case_id}])
    return status(case_store.get(claim.case_id).case, claim.key.split("#", 1)[1])


def receive(caller: Caller, ticket: HotlineTicket) -> tuple[HotlineStatus, bool]:
    """The case of a ticket, created on first receipt; (status, created)."""
    key, fingerprint = ticket_key(ticket.ticket_id), _fingerprint(ticket)
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
    claim = CaseKeyModel(key=key, case_id=case.case_id, fingerprint=fingerprint,
                         created_at=now, callback_url=ticket.callback_url,
                         filed_by_key=api_keys.key_id_of(caller))
    try:
        case = cases.report(caller, case, key=claim, at=received)
    except Conflict as exc:
        if exc.code != "key_taken":
            raise
        return _replay(case_store.find_key(key), fingerprint), False  # a concurrent retry
    return status(case, ticket.ticket_id), True


def _ticket_case(caller: Caller, ticket_id: str) -> case_flow.Case:
    claim = case_store.find_key(ticket_key(ticket_id))
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


def callbacks_owed(outcome: Outcome) -> list[Any]:
    """The callbacks a case change owes the hotline platform: one per close."""
    case = outcome.case
    if case.ticket_id is None or not any(e.action == "close" for e in outcome.events):
        return []
    claim = case_store.find_key(ticket_key(case.ticket_id))
    if claim is None or not claim.callback_url:
        return []
    closing = next(e for e in outcome.events if e.action == "close")
    payload = {"ticket_id": case.ticket_id, "case_id": case.case_id, "status": "closed",
               "closed_at": closing.at.isoformat(), "note": closing.note,
               "late": case.late_stages > 0}
    return [callback_store.build(
        callback_id=f"{case.case_id}-close-{case.reopen_count}", case_id=case.case_id,
        ticket_id=case.ticket_id, url=claim.callback_url,
        payload=json.dumps(payload, ensure_ascii=False), key_id=claim.filed_by_key,
        grid_code=case.location_grid,
        now=closing.at)]


def _send(item: callback_store.CallbackModel) -> str | None:
    """POST the callback, signed with the secret of the key that filed the ticket;
    None when the receiver took it, else what went wrong."""
    body = item.payload.encode()
    headers = {"Content-Type": "application/json; charset=utf-8",
               "X-Wangge-Callback-Id": item.callback_id}
    key = key_store.find(item.key_id) if item.key_id else None
    if key is not None and key.callback_secret:
        # The time of sending, not of the sweep: the receiver checks it against its clock.
        sent_at = int(clock.now().timestamp())
        headers.update(callback_signatures.headers(key.callback_secret, sent_at, body))
    request = urllib.request.Request(item.url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=CALL_TIMEOUT_SECONDS) as response:
            return None if 200 <= response.status < 300 else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return str(getattr(exc, "reason", exc))[:200]


def deliver_callbacks(now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """The callback sweep: one attempt for each callback that is due."""
    now = now or clock.now()
    tally = {"delivered": 0, "retrying": 0, "failed": 0}
    for callback_id in callback_store.due(now, limit):
        item = callback_store.get(callback_id)
        if item is None or item.status != callback_store.PENDING or item.next_attempt_at > now:
            continue
        attempt = int(item.attempts or 0)
        wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
        if not callback_store.claim(item, retry_at=now + wait):
            continue
        error = _send(item)
        if error is None:
            outcome = callback_store.DELIVERED
        elif attempt + 1 > len(BACKOFF):
            outcome = callback_store.FAILED
            logger.warning("hotline callback failed", extra={"callback_id": callback_id,
                                                             "error": error})
        else:
            outcome = callback_store.PENDING
        callback_store.finish(item, status=outcome, error=error, now=now)
        tally[{"pending": "retrying"}.get(outcome, outcome)] += 1
    return tally


def _callback_view(item: callback_store.CallbackModel) -> CallbackOut:
    return CallbackOut(callback_id=item.callback_id, case_id=item.case_id,
                       ticket_id=item.ticket_id, url=item.url, status=item.status,
                       attempts=int(item.attempts or 0), next_attempt_at=item.next_attempt_at,
                       last_error=item.last_error, created_at=item.created_at,
                       delivered_at=item.delivered_at)


def list_callbacks(caller: Caller, status_name: str, scope: str | None, *, limit: int,
                   cursor: str | None) -> CallbackPage:
    scope = scope or caller.scope_code
    grid_codes.depth_of(scope, "scope")
    items, next_cursor = callback_store.in_status(scope, status_name, limit=limit,
                                                  cursor=cursor)
    return CallbackPage(items=[_callback_view(i) for i in items], next_cursor=next_cursor)


def retry_callback(caller: Caller, callback_id: str) -> CallbackOut:
    item = callback_store.get(callback_id)
    if item is None:
        raise NotFound(f"No callback {callback_id}")
    if not caller.can_see(item.grid_code):
        raise Forbidden("Outside your grid scope", code="out_of_scope")
    if not callback_store.retry(item, now=clock.now()):
        raise Conflict("Only a failed callback can be retried", code="not_failed",
                       details=[{"field": "status", "message": item.status}])
    audit.record(caller, action="retry", record=f"callback#{callback_id}",
                 scope_code=item.grid_code)
    return _callback_view(item)

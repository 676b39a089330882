"""Calling the 12345 platform back when the case of its ticket closes.

A close owes its callback in the close's own transaction (a reaction to
CaseClosed, usecases/messagebus.py), and the callback sweep delivers it: each
attempt is claimed before it is sent (two sweeps never send the same attempt),
retried with growing back-off, and after the last one the callback is `failed`
and listed for admins, who can queue it again. Delivery is at least once (a
sweep that dies after sending and before recording sends again): receivers
tell repeats by the X-Wangge-Callback-Id header. Each callback is signed with
the callback secret of the API key that filed the ticket
(domain/callback_signatures.py), so the platform can refuse forgeries.
"""

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.domain import callback_signatures, grid_codes
from chalicelib.domain.callers import Caller
from chalicelib.domain.case_callbacks import DELIVERED, FAILED, PENDING, Callback
from chalicelib.domain.case_events import CaseClosed
from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.observability import logger
from chalicelib.schemas.hotline import CallbackOut, CallbackPage
from chalicelib.store import api_keys as key_store
from chalicelib.store import case_callbacks as callback_store
from chalicelib.store import cases as case_store
from chalicelib.usecases import audit

# Waits after each failed attempt; after the last, the callback has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
           timedelta(hours=1), timedelta(hours=3), timedelta(hours=6), timedelta(hours=12))
CALL_TIMEOUT_SECONDS = 5


def callback_owed(closed: CaseClosed) -> list[Callback]:
    """The callback a close owes the platform that filed the case's ticket, if it
    asked for one."""
    case = closed.case
    if case.ticket_id is None:
        return []
    claim = case_store.find_key(case_store.ticket_key(case.ticket_id))
    if claim is None or not claim.callback_url:
        return []
    payload = {"ticket_id": case.ticket_id, "case_id": case.case_id, "status": "closed",
               "closed_at": closed.at.isoformat(), "note": closed.note,
               "late": case.late_stages > 0}
    return [Callback.owed(
        callback_id=f"{case.case_id}-close-{case.reopen_count}", case_id=case.case_id,
        ticket_id=case.ticket_id, url=claim.callback_url,
        payload=json.dumps(payload, ensure_ascii=False), key_id=claim.filed_by_key,
        grid_code=case.location_grid, now=closed.at)]


def _send(item: Callback) -> str | None:
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
        if item is None or not item.is_due(now):
            continue
        attempt = item.attempts
        wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
        if not callback_store.claim(item, retry_at=now + wait):
            continue
        error = _send(item)
        if error is None:
            outcome = DELIVERED
        elif attempt + 1 > len(BACKOFF):
            outcome = FAILED
            logger.warning("hotline callback failed", extra={"callback_id": callback_id,
                                                             "error": error})
        else:
            outcome = PENDING
        callback_store.finish(item, status=outcome, error=error, now=now)
        tally[{"pending": "retrying"}.get(outcome, outcome)] += 1
    return tally


def _callback_view(item: Callback) -> CallbackOut:
    return CallbackOut(callback_id=item.callback_id, case_id=item.case_id,
                       ticket_id=item.ticket_id, url=item.url, status=item.status,
                       attempts=item.attempts, next_attempt_at=item.next_attempt_at,
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

"""12345 hotline intake: tickets become registered cases once per ticket number,
with the ticket's own time limits; status by ticket; the follow-up call; and a
callback on close, delivered by the sweep, retried with back-off, failures
visible to admins."""

import json
import secrets
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.conftest import ApiClient, assert_declared

MICRO, VILLAGE, TOWN = "1408251022010101", "140825102201", "140825102"


@pytest.fixture(scope="module")
def hotline(demo_town):
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.users import ApiKeyCreate
    from chalicelib.usecases import api_keys

    admin = Caller(user_id="hotline-test-admin", role="county_admin", scope_code="140825")
    created = api_keys.create_key(admin, ApiKeyCreate(
        name="12345热线", scope_code=TOWN,
        operations=["cases.create", "cases.read", "cases.follow_up"]))
    client = ApiClient()
    client.headers["X-API-Key"] = created.api_key
    client.callback_secret = created.callback_secret
    return client


@pytest.fixture
def receiver():
    """A hotline platform's callback endpoint on loopback; answers with `status`."""
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            body = self.rfile.read(length)
            server.calls.append((self.headers["X-Wangge-Callback-Id"], json.loads(body)))
            server.signed.append((self.headers["X-Wangge-Timestamp"],
                                  self.headers["X-Wangge-Signature"], body))
            self.send_response(server.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    server.calls, server.signed, server.status = [], [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}/callback"
    yield server
    server.shutdown()
    server.server_close()


def ticket(**extra):
    return {"ticket_id": f"T{secrets.token_hex(6)}", "category": "service_request",
            "grid_code": MICRO, "description": "自来水停水三天", "caller_name": "李四",
            "caller_phone": "13912345678", **extra}


def test_a_ticket_becomes_one_registered_case_whatever_the_retries(hotline, as_role):
    body = ticket(urgency="utilities")
    first = hotline.post("/api/v1/hotline/tickets", body)
    assert first.status == 201, first.body
    again = hotline.post("/api/v1/hotline/tickets", body)
    assert again.status == 200 and again.json["case_id"] == first.json["case_id"]
    changed = hotline.post("/api/v1/hotline/tickets", {**body, "description": "别的"})
    assert changed.status == 409 and changed.error["code"] == "ticket_id_reused"

    status = hotline.get(f"/api/v1/hotline/tickets/{body['ticket_id']}").json
    assert (status["state"], status["status"]) == ("registered", "open")
    case = as_role("dispatcher").get(f"/api/v1/cases/{first.json['case_id']}").json
    assert (case["source"], case["ticket_id"], case["priority"]) == (
        "hotline", body["ticket_id"], "high")
    assert case["reporter_phone"] == "139****5678"
    # Water, power, gas or heating: dispatch within two hours of the call.
    from datetime import datetime
    assert datetime.fromisoformat(case["due_at"]) - datetime.fromisoformat(
        case["reported_at"]) == timedelta(hours=2)
    assert [e["action"] for e in case["timeline"]] == ["report"]


def test_the_tickets_own_times_count(hotline, as_role):
    from datetime import datetime

    from chalicelib import clock

    received = clock.now() - timedelta(minutes=30)
    due = clock.now() + timedelta(days=3)
    body = ticket(urgency="emergency", received_at=received.isoformat(),
                  due_at=due.isoformat())
    created = hotline.post("/api/v1/hotline/tickets", body)
    assert created.status == 201, created.body
    assert datetime.fromisoformat(created.json["dispatch_due_at"]) == received + timedelta(
        hours=1)
    assert datetime.fromisoformat(created.json["close_due_at"]) == due
    stale = hotline.post("/api/v1/hotline/tickets", ticket(
        received_at=(clock.now() - timedelta(days=30)).isoformat()))
    assert stale.status == 400 and stale.error["details"][0]["field"] == "received_at"


def test_tickets_stay_in_the_keys_area(hotline):
    outside = hotline.post("/api/v1/hotline/tickets", ticket(grid_code="140825103201"))
    assert outside.status in (400, 403)
    assert hotline.get("/api/v1/hotline/tickets/NOPE").status == 404


def close_case(case_id):
    """The loop, as the village would run it."""
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import Transition
    from chalicelib.usecases import cases

    leader = Caller(user_id="u-leader", role="grid_leader", scope_code=VILLAGE)
    worker = Caller(user_id="u-worker", role="grid_worker", scope_code=MICRO,
                    worker_id="w000002")
    version = cases.get_case(leader, case_id).version
    for actor, action in ((leader, "dispatch"), (worker, "accept"), (worker, "handle"),
                          (leader, "verify"), (leader, "close")):
        version = cases.take_transition(actor, case_id, Transition(
            action=action, version=version, worker_id="w000002", note="已恢复供水")).version


def test_closing_calls_the_hotline_back_once(hotline, receiver, as_role, dynamodb_calls):
    from chalicelib import clock
    from chalicelib.domain import callback_signatures as signatures
    from chalicelib.usecases import hotline_callbacks

    body = ticket(callback_url=receiver.url)
    case_id = hotline.post("/api/v1/hotline/tickets", body).json["case_id"]
    assert hotline.post(f"/api/v1/cases/{case_id}/first-contact").status == 403  # people do
    close_case(case_id)
    assert receiver.calls == []  # owed with the close, sent by the sweep
    dynamodb_calls.clear()
    hotline_callbacks.deliver_callbacks(clock.now())
    assert_declared("hotline-callbacks", dynamodb_calls)
    hotline_callbacks.deliver_callbacks(clock.now() + timedelta(hours=1))
    assert [(payload["ticket_id"], payload["status"]) for _, payload in receiver.calls] == [
        (body["ticket_id"], "closed")]
    # Signed with the secret shown beside the key that filed the ticket.
    (timestamp, signature, raw), = receiver.signed
    assert signatures.verify(hotline.callback_secret, timestamp, signature, raw,
                             now=int(time.time()))
    assert not signatures.verify("someone else's secret", timestamp, signature, raw,
                                 now=int(time.time()))
    status = hotline.get(f"/api/v1/hotline/tickets/{body['ticket_id']}").json
    assert (status["status"], status["result"]) == ("closed", "已恢复供水")
    rated = hotline.post(f"/api/v1/hotline/tickets/{body['ticket_id']}/follow-up",
                         {"result": "satisfied", "note": "回访满意"})
    assert rated.status == 200 and rated.json["satisfaction"] == "satisfied"
    again = hotline.post(f"/api/v1/hotline/tickets/{body['ticket_id']}/follow-up",
                         {"result": "dissatisfied"})
    assert again.status == 409


def test_a_failing_callback_backs_off_then_is_listed_for_admins(hotline, receiver, as_role):
    from chalicelib import clock
    from chalicelib.usecases import hotline_callbacks

    receiver.status = 503
    body = ticket(callback_url=receiver.url)
    case_id = hotline.post("/api/v1/hotline/tickets", body).json["case_id"]
    close_case(case_id)
    callback_id = f"{case_id}-close-0"
    now = clock.now()
    hotline_callbacks.deliver_callbacks(now)
    assert len(receiver.calls) == 1
    hotline_callbacks.deliver_callbacks(now + timedelta(seconds=30))  # before the back-off
    assert len(receiver.calls) == 1
    for wait in hotline_callbacks.BACKOFF:
        now += wait
        hotline_callbacks.deliver_callbacks(now)
    assert len(receiver.calls) == len(hotline_callbacks.BACKOFF) + 1
    assert {call_id for call_id, _ in receiver.calls} == {callback_id}
    admin = as_role("town_admin")
    failed = admin.get(f"/api/v1/hotline/callbacks?status=failed&scope={MICRO}").json["items"]
    mine = [c for c in failed if c["callback_id"] == callback_id]
    assert mine and mine[0]["last_error"] == "HTTP 503"
    assert mine[0]["attempts"] == len(hotline_callbacks.BACKOFF) + 1
    # The platform is back: an admin queues it again and the next sweep delivers it.
    receiver.status = 200
    retried = admin.post(f"/api/v1/hotline/callbacks/{callback_id}/retry")
    assert retried.status == 200 and retried.json["status"] == "pending"
    hotline_callbacks.deliver_callbacks(clock.now())
    assert len(receiver.calls) == len(hotline_callbacks.BACKOFF) + 2
    assert admin.post(f"/api/v1/hotline/callbacks/{callback_id}/retry").status == 409

"""The case loop through the API, as the demo town's people: a grid worker of
micro-grid 1408251022010101 (worker w000002), the leader of its village
140825102201 (worker w000001), and the town centre's dispatcher and supervisor."""

import threading
from datetime import datetime

import pytest

from tests.conftest import new_phone

MICRO, VILLAGE, TOWN = "1408251022010101", "140825102201", "140825102"
WORKER_ID, LEADER_WORKER_ID = "w000002", "w000001"


@pytest.fixture
def people(as_role):
    return {role: as_role(role) for role in ("grid_worker", "grid_leader", "dispatcher",
                                             "supervisor", "viewer")}


def report(client, **extra):
    body = {"category": "sanitation", "grid_code": MICRO, "description": "路边垃圾堆放",
            "lat": 35.61, "lng": 111.2, "address": "三泉村东口", **extra}
    response = client.post("/api/v1/cases", body)
    assert response.status == 201, response.body
    return response.json


def step(client, case, action, expect=200, **extra):
    body = {"action": action, "version": case["version"], **extra}
    if action in ("reject", "handle", "send_back", "escalate", "reopen"):
        body.setdefault("note", f"{action} 说明")
    response = client.post(f"/api/v1/cases/{case['case_id']}/transitions", body)
    assert response.status == expect, response.body
    return response.json if expect == 200 else response


def test_a_case_walks_the_whole_loop_with_rework_and_escalation_to_the_town(people):
    worker, leader = people["grid_worker"], people["grid_leader"]
    dispatcher, supervisor = people["dispatcher"], people["supervisor"]
    case = report(worker)
    assert (case["state"], case["handling_grid"], case["stage"]) == ("reported", MICRO, "accept")
    case = step(leader, case, "register")
    case = step(leader, case, "dispatch", worker_id=WORKER_ID)
    assert case["allowed_actions"] == ["dispatch", "escalate"]
    case = step(worker, case, "accept")
    case = step(worker, case, "escalate", note="需要村里协调")
    assert (case["handling_grid"], case["state"], case["handler_worker_id"]) == (
        VILLAGE, "registered", None)
    case = step(leader, case, "escalate", note="涉及多村，报镇中心")
    assert case["handling_grid"] == TOWN and case["escalated"]
    # The town centre sends it back down to the village's leader.
    case = step(dispatcher, case, "dispatch", worker_id=LEADER_WORKER_ID, grid_code=VILLAGE)
    case = step(leader, case, "accept")
    case = step(leader, case, "handle", note="已清运")
    case = step(supervisor, case, "send_back", note="现场仍有残留")
    assert (case["state"], case["rework_count"]) == ("in_progress", 1)
    case = step(leader, case, "handle", note="已彻底清理")
    case = step(supervisor, case, "verify")
    case = step(dispatcher, case, "close")
    assert case["state"] == "closed" and case["closed_at"] and case["allowed_actions"] == []

    timeline = worker.get(f"/api/v1/cases/{case['case_id']}").json["timeline"]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in timeline] == [
        ("report", None, "reported"), ("register", "reported", "registered"),
        ("dispatch", "registered", "dispatched"), ("accept", "dispatched", "in_progress"),
        ("escalate", "in_progress", "registered"), ("escalate", "registered", "registered"),
        ("dispatch", "registered", "dispatched"), ("accept", "dispatched", "in_progress"),
        ("handle", "in_progress", "handled"), ("send_back", "handled", "in_progress"),
        ("handle", "in_progress", "handled"), ("verify", "handled", "verified"),
        ("close", "verified", "closed")]
    assert [e["seq"] for e in timeline] == list(range(1, 14))
    escalations = [(e["from_grid"], e["to_grid"], e["note"], e["actor_role"])
                   for e in timeline if e["action"] == "escalate"]
    assert escalations == [(MICRO, VILLAGE, "需要村里协调", "grid_worker"),
                           (VILLAGE, TOWN, "涉及多村，报镇中心", "grid_leader")]
    assert timeline[9]["note"] == "现场仍有残留" and timeline[9]["actor_role"] == "supervisor"
    assert all(e["late"] is False for e in timeline[1:-1])


def test_an_illegal_transition_is_409_with_the_current_state(people):
    case = report(people["grid_worker"])
    response = step(people["supervisor"], case, "close", expect=409)
    assert response.error["code"] == "illegal_transition"
    assert {"field": "state", "message": "reported"} in response.error["details"]
    registered = step(people["grid_leader"], report(people["grid_worker"]), "register")
    nobody = step(people["grid_leader"], registered, "dispatch", expect=400, worker_id="w-none")
    assert nobody.error["details"][0]["field"] == "worker_id"
    rejected = step(people["grid_leader"], case, "reject", note="重复上报")
    response = step(people["grid_leader"], rejected, "register", expect=409)
    assert "rejected" in response.error["message"]


def test_the_handler_may_not_verify_or_close(people):
    leader, supervisor = people["grid_leader"], people["supervisor"]
    case = step(leader, report(people["grid_worker"]), "register")
    case = step(leader, case, "dispatch", worker_id=LEADER_WORKER_ID, grid_code=VILLAGE)
    case = step(leader, step(leader, case, "accept"), "handle")
    for action in ("verify", "send_back"):
        denied = step(leader, case, action, expect=403)
        assert denied.error["code"] == "verifier_is_handler"
    case = step(supervisor, case, "verify")
    assert step(leader, case, "close", expect=403).error["code"] == "verifier_is_handler"
    assert step(supervisor, case, "close")["state"] == "closed"


def test_two_dispatchers_at_once_exactly_one_wins(people, monkeypatch):
    """Both read the same version; both decide; the writes race: one wins, one gets 409."""
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import Transition
    from chalicelib.store import cases as case_store
    from chalicelib.usecases import cases

    case = step(people["grid_leader"], report(people["grid_worker"]), "register")
    both_decided = threading.Barrier(2, timeout=30)
    real_commit = case_store.commit
    waited = set()

    def commit_when_both_decided(*args, **kwargs):
        if threading.current_thread().name not in waited:  # the first write of each
            waited.add(threading.current_thread().name)
            both_decided.wait()
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(case_store, "commit", commit_when_both_decided)
    answers = {}

    def dispatch(name, caller, worker_id):
        request = Transition(action="dispatch", version=case["version"], worker_id=worker_id)
        try:
            answers[name] = cases.take_transition(caller, case["case_id"], request)
        except Exception as exc:  # noqa: BLE001 - the loser's error is the point
            answers[name] = exc

    town = Caller(user_id="u-dispatcher", role="dispatcher", scope_code=TOWN)
    village = Caller(user_id="u-leader", role="grid_leader", scope_code=VILLAGE)
    threads = [threading.Thread(target=dispatch, name=f"dispatcher-{n}",
                                args=(n, caller, worker))
               for n, caller, worker in (("town", town, WORKER_ID),
                                         ("village", village, WORKER_ID))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.undo()
    from chalicelib.errors import Conflict

    winners = [n for n, a in answers.items() if not isinstance(a, Exception)]
    losers = [a for a in answers.values() if isinstance(a, Exception)]
    assert len(winners) == 1 and len(losers) == 1, answers
    assert isinstance(losers[0], Conflict) and losers[0].code == "version_conflict"
    after = people["dispatcher"].get(f"/api/v1/cases/{case['case_id']}").json
    assert after["version"] == case["version"] + 1
    assert [e["action"] for e in after["timeline"]].count("dispatch") == 1
    # Through the API the second of two decisions on one version is a 409 as well.
    fresh = step(people["grid_leader"], report(people["grid_worker"]), "register")
    step(people["dispatcher"], fresh, "dispatch", worker_id=WORKER_ID)
    late = step(people["grid_leader"], fresh, "dispatch", expect=409, worker_id=WORKER_ID)
    assert late.error["code"] == "version_conflict"
    assert {"field": "state", "message": "dispatched"} in late.error["details"]


def test_create_is_idempotent_on_the_idempotency_key(people):
    worker = people["grid_worker"]
    body = {"category": "parking", "grid_code": MICRO, "description": "占道停车"}
    key = {"Idempotency-Key": f"case-{new_phone()}"}
    first = worker.post("/api/v1/cases", body, headers=key)
    again = worker.post("/api/v1/cases", body, headers=key)
    assert first.status == again.status == 201
    assert first.json["case_id"] == again.json["case_id"]
    other = worker.post("/api/v1/cases", {**body, "description": "别的事"}, headers=key)
    assert other.status == 409 and other.error["code"] == "idempotency_key_reused"
    cases = worker.get(f"/api/v1/cases?scope={MICRO}&state=reported&limit=200").json["items"]
    assert [c["case_id"] for c in cases].count(first.json["case_id"]) == 1


def test_reporting_is_checked(people):
    worker = people["grid_worker"]
    bad = worker.post("/api/v1/cases", {"category": "nonsense", "grid_code": MICRO,
                                        "description": "x"})
    assert bad.status == 400 and bad.error["details"][0]["field"] == "category"
    sibling = worker.post("/api/v1/cases", {"category": "parking",
                                            "grid_code": "1408251022010102",
                                            "description": "x"})
    assert sibling.status == 403
    assert people["viewer"].post("/api/v1/cases", {"category": "parking", "grid_code": MICRO,
                                                   "description": "x"}).status == 403


def test_the_reporters_contact_is_masked_and_a_reveal_is_audited(people, as_role):
    phone = new_phone()
    case = report(people["grid_worker"], source="resident", reporter_name="张三",
                  reporter_phone=phone)
    assert case["reporter_phone"] != phone and "****" in case["reporter_phone"]
    assert case["reporter_name"] == "张*"
    leader = people["grid_leader"]
    revealed = leader.get(f"/api/v1/cases/{case['case_id']}?reveal=true").json
    assert (revealed["reporter_phone"], revealed["reporter_name"]) == (phone, "张三")
    denied = people["supervisor"].get(f"/api/v1/cases/{case['case_id']}?reveal=true")
    assert denied.status == 403 and denied.error["code"] == "reveal_denied"
    audit = as_role("town_admin").get(f"/api/v1/audit?record=case%23{case['case_id']}")
    entries = audit.json["items"]
    assert [(e["action"], e["actor_role"]) for e in entries] == [("reveal", "grid_leader")]


def test_inboxes(people):
    worker, leader, dispatcher = (people["grid_worker"], people["grid_leader"],
                                  people["dispatcher"])
    reported = report(worker)
    mine = step(leader, step(leader, report(worker), "register"), "dispatch",
                worker_id=WORKER_ID)
    handled = step(leader, step(leader, report(worker), "register"), "dispatch",
                   worker_id=WORKER_ID)
    handled = step(worker, step(worker, handled, "accept"), "handle")
    escalated = step(leader, step(leader, report(worker), "escalate", note="村里管不了"),
                     "escalate", note="报镇")

    def ids(client, query):
        response = client.get(f"/api/v1/cases?{query}&limit=200")
        assert response.status == 200, response.body
        return {c["case_id"] for c in response.json["items"]}

    assert reported["case_id"] in ids(leader, "box=subtree&state=reported")
    assert reported["case_id"] not in ids(leader, "box=subtree&state=dispatched")
    assert mine["case_id"] in ids(worker, "box=mine")
    assert mine["case_id"] not in ids(worker, "box=mine&closed=true")
    assert handled["case_id"] in ids(leader, "box=to_verify")
    assert handled["case_id"] not in ids(worker, "box=to_verify")  # his own work
    assert escalated["case_id"] in ids(dispatcher, f"box=escalated&scope={TOWN}")
    assert escalated["case_id"] not in ids(leader, "box=escalated")
    assert worker.get("/api/v1/cases?scope=1408251022010102").status == 403
    # The worker who reported it still sees the case after it went up to the town.
    assert worker.get(f"/api/v1/cases/{escalated['case_id']}").status == 200


def test_to_verify_pages_skip_ones_own_work_without_coming_back_short(people):
    from chalicelib.usecases.cases import MAX_PAGES_READ

    worker, leader, supervisor = (people["grid_worker"], people["grid_leader"],
                                  people["supervisor"])

    def handled_by(client, worker_id, **where):
        case = step(leader, step(leader, report(worker), "register"), "dispatch",
                    worker_id=worker_id, **where)
        return step(client, step(client, case, "accept"), "handle")["case_id"]

    own = {handled_by(leader, LEADER_WORKER_ID, grid_code=VILLAGE) for _ in range(2)}
    theirs = {handled_by(worker, WORKER_ID) for _ in range(2)}

    def pages(client, query):
        cursor, found = None, []
        while True:
            after = f"&cursor={cursor}" if cursor else ""
            page = client.get(f"/api/v1/cases?box=to_verify&scope={VILLAGE}&{query}{after}")
            assert page.status == 200, page.body
            found.append([(c["case_id"], c["handler_worker_id"]) for c in page.json["items"]])
            cursor = page.json["next_cursor"]
            if cursor is None:
                return found

    # The supervisor handled none of them: the index's own order, unfiltered.
    everything = [case for page in pages(supervisor, "limit=100") for case in page]
    expected = [case for case in everything if case[1] != LEADER_WORKER_ID]
    assert own <= {case_id for case_id, _ in everything} - {case_id for case_id, _ in expected}
    assert theirs <= {case_id for case_id, _ in expected}
    walked = pages(leader, "limit=1")
    assert all(len(page) <= 1 for page in walked)
    assert [case for page in walked for case in page] == expected
    # The leader's own cases come first in the index (handled at the village, whose
    # key sorts before its micro-grids'); the first page reads on past them.
    skipped = everything.index(expected[0])
    assert 2 <= skipped < MAX_PAGES_READ
    assert walked[0] == [expected[0]]


def test_comments_first_contact_and_follow_up_call(people):
    worker, leader, supervisor = (people["grid_worker"], people["grid_leader"],
                                  people["supervisor"])
    case = step(leader, step(leader, report(worker), "register"), "dispatch",
                worker_id=WORKER_ID)
    commented = worker.post(f"/api/v1/cases/{case['case_id']}/comments", {"note": "已到现场"})
    assert commented.status == 201
    contacted = worker.post(f"/api/v1/cases/{case['case_id']}/first-contact")
    assert contacted.status == 200 and contacted.json["first_contact_at"]
    again = worker.post(f"/api/v1/cases/{case['case_id']}/first-contact")
    assert again.status == 409
    early = supervisor.post(f"/api/v1/cases/{case['case_id']}/satisfaction",
                            {"result": "satisfied"})
    assert early.status == 409
    case = contacted.json
    case = step(worker, step(worker, case, "accept"), "handle")
    case = step(leader, step(supervisor, case, "verify"), "close")
    rated = supervisor.post(f"/api/v1/cases/{case['case_id']}/satisfaction",
                            {"result": "basically_satisfied", "note": "回访：基本满意"})
    assert rated.status == 200 and rated.json["satisfaction"] == "basically_satisfied"
    actions = [e["action"] for e in rated.json["timeline"]]
    assert actions.count("comment") == 1 and actions[-1] == "satisfaction"
    assert rated.json["version"] == case["version"]  # annotations move no step


def test_a_supervisor_reopens_a_closed_case_within_the_window(people, monkeypatch):
    from datetime import timedelta

    from chalicelib.usecases import cases

    worker, leader, supervisor = (people["grid_worker"], people["grid_leader"],
                                  people["supervisor"])
    case = step(leader, step(leader, report(worker), "register"), "dispatch",
                worker_id=WORKER_ID)
    case = step(worker, step(worker, case, "accept"), "handle")
    closed = step(leader, step(supervisor, case, "verify"), "close")
    assert step(leader, closed, "reopen", expect=403).error["code"] == "role_denied"
    monkeypatch.setattr(cases, "reopen_window", lambda: timedelta(0))  # closed too long ago
    late = step(supervisor, closed, "reopen", expect=409)
    assert late.error["code"] == "reopen_window_passed"
    monkeypatch.undo()
    reopened = step(supervisor, closed, "reopen", note="群众反映问题复发")
    assert (reopened["state"], reopened["reopen_count"]) == ("in_progress", 1)
    assert "handle" in worker.get(f"/api/v1/cases/{case['case_id']}").json["allowed_actions"]


def shanghai(*args):
    from chalicelib.domain.deadlines import SHANGHAI

    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize("reported,category,due", [
    # National Day: Oct 1–7 2026 off, Sat Oct 10 a make-up workday; sanitation: 3 working days.
    (shanghai(2026, 9, 30, 9), "sanitation", shanghai(2026, 10, 11)),
    # Spring Festival: Sat Feb 14 2026 a make-up workday, then Feb 15–23 off; parking: 2 days.
    (shanghai(2026, 2, 13, 15), "parking", shanghai(2026, 2, 25)),
])
def test_the_handling_deadline_counts_chinese_working_days(demo_town, monkeypatch, reported,
                                                           category, due):
    from chalicelib import clock
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.cases import CaseCreate, Transition
    from chalicelib.usecases import cases

    monkeypatch.setattr(clock, "now", lambda: reported)  # a use case's clock, not a token's
    worker = Caller(user_id="u-worker", role="grid_worker", scope_code=MICRO,
                    worker_id=WORKER_ID)
    leader = Caller(user_id="u-leader", role="grid_leader", scope_code=VILLAGE)
    case = cases.create_case(worker, CaseCreate(category=category, grid_code=MICRO,
                                                description="期限测试"))
    for version, action in enumerate(("register", "dispatch")):
        case = cases.take_transition(leader, case.case_id, Transition(
            action=action, version=version, worker_id=WORKER_ID))
    assert case.stage == "handle" and not case.due_estimated
    assert case.due_at == due


def test_categories_can_be_set_per_county(people, as_role):
    listed = people["grid_worker"].get("/api/v1/case-categories").json["items"]
    assert {c["code"] for c in listed} >= {"dispute", "safety_hazard", "petition", "other"}
    county_admin = as_role("county_admin")
    bad = county_admin.put("/api/v1/case-categories/140825/noise", {
        "name_zh": "噪音", "name_en": "Noise", "accept": "24h", "handle": "3days",
        "verify": "1wd"})
    assert bad.status == 400
    odd_code = county_admin.put("/api/v1/case-categories/140825/Noise%20here", {
        "name_zh": "噪音", "name_en": "Noise", "accept": "24h", "handle": "3wd", "verify": "1wd"})
    assert odd_code.status == 400 and odd_code.error["details"][0]["field"] == "code"
    put = county_admin.put("/api/v1/case-categories/140825/noise", {
        "name_zh": "噪音扰民", "name_en": "Noise", "accept": "12h", "handle": "2wd",
        "verify": "1wd"})
    assert put.status == 200
    assert put.json["version"] == 1
    case = report(people["grid_worker"], category="noise")
    assert case["category"] == "noise"
    # Two admins change it from the same read: the second is told, not overwritten.
    body = {"name_zh": "噪音扰民", "name_en": "Noise", "accept": "12h", "handle": "2wd",
            "verify": "1wd", "version": 1}
    first = county_admin.put("/api/v1/case-categories/140825/noise", {**body, "handle": "3wd"})
    second = county_admin.put("/api/v1/case-categories/140825/noise", {**body, "verify": "2wd"})
    assert (first.status, first.json["version"], second.status) == (200, 2, 409)
    assert second.error["code"] == "version_conflict"
    listed = {c["code"]: c for c in county_admin.get("/api/v1/case-categories").json["items"]}
    assert (listed["noise"]["handle"], listed["noise"]["verify"]) == ("3wd", "1wd")
    assert listed["dispute"]["version"] == 0  # a default the county never changed
    other_county = people["grid_worker"].get("/api/v1/case-categories?county=610102")
    assert other_county.status == 403


def test_demo_cases_load_once(demo_town, as_role):
    from devtools import demo_cases

    first, second = demo_cases.load(), demo_cases.load()
    assert (first, second) == (True, False)
    leader = as_role("grid_leader")
    states = set()
    for state in ("reported", "dispatched", "in_progress", "handled", "closed"):
        items = leader.get(f"/api/v1/cases?state={state}&limit=200").json["items"]
        states |= {c["state"] for c in items if c["address"] == "三泉村"}
    assert states == {"reported", "dispatched", "in_progress", "handled", "closed"}


def test_a_step_resent_with_its_key_is_taken_once(as_role):
    """A phone that lost the answer sends the step again with the same key."""
    worker = as_role("grid_worker")
    case = worker.post("/api/v1/cases", {"category": "sanitation", "grid_code": "1408251022010101",
                                         "description": "垃圾未清运"}).json
    leader = as_role("grid_leader")
    step = {"action": "register", "version": case["version"], "note": "立案"}
    key = {"Idempotency-Key": f"step-{case['case_id']}"}
    first = leader.post(f"/api/v1/cases/{case['case_id']}/transitions", step, headers=key)
    again = leader.post(f"/api/v1/cases/{case['case_id']}/transitions", step, headers=key)
    assert (first.status, again.status) == (200, 200), again.body
    assert again.json["version"] == first.json["version"]
    timeline = leader.get(f"/api/v1/cases/{case['case_id']}").json["timeline"]
    assert [e["action"] for e in timeline].count("register") == 1

"""Case writes that meet on a counter item: every report in a county adds to the
county's and the town's counters, and DynamoDB cancels a transaction that
meets another on an item (TransactionConflict). DynamoDB Local seldom does, so
the cancellation is injected on the real client, in DynamoDB's own answer."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api import ledger_tree

TRANSACT = "before-send.dynamodb.TransactWriteItems"


class _Body:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def stream(self, **_):
        yield self.content


def cancelled_for_conflict(request):
    """DynamoDB's answer to a transaction that met another on its first item."""
    from botocore.awsrequest import AWSResponse

    items = json.loads(request.body)["TransactItems"]
    reasons = [{"Code": "TransactionConflict",
                "Message": "Transaction is ongoing for the item"}]
    reasons += [{"Code": "None"}] * (len(items) - 1)
    body = {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "Message": "Transaction cancelled, please refer cancellation reasons",
            "CancellationReasons": reasons}
    return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.0",
                                          "x-amzn-RequestId": "injected"},
                       _Body(json.dumps(body).encode()))


class Conflicts:
    """The first `times` transactions (of any thread) are cancelled for a conflict."""

    def __init__(self, times: int) -> None:
        self.left, self.sent = times, 0
        self._lock = threading.Lock()

    def __call__(self, request, **_):
        with self._lock:
            self.sent += 1
            if self.left == 0:
                return None
            self.left -= 1
        return cancelled_for_conflict(request)


@pytest.fixture
def conflicts(database):
    """conflicts(n): cancel the next n transactions; the hook is removed after the test."""
    from chalicelib.store.base import connection

    events = connection().client.meta.events
    hooks = []

    def inject(times: int) -> Conflicts:
        hook = Conflicts(times)
        events.register(TRANSACT, hook)
        hooks.append(hook)
        return hook

    yield inject
    for hook in hooks:
        events.unregister(TRANSACT, hook)


@pytest.fixture
def county(county_admin):
    tree = ledger_tree.build(county_admin)
    return tree, ledger_tree.user_in(tree.micro_a1, "grid_worker")


def report(worker, tree):
    return worker.post("/api/v1/cases", {"category": "sanitation", "grid_code": tree.micro_a1,
                                         "description": "路边垃圾堆放"})


def open_cases(code: str) -> int:
    from chalicelib.store import counters

    return counters.read(code, "cases").get("open", 0)


def test_a_report_cancelled_for_a_conflict_is_tried_again_and_counted_once(county, conflicts):
    tree, worker = county
    injected = conflicts(2)
    answer = report(worker, tree)
    assert answer.status == 201, answer.body
    assert injected.sent == 3  # two cancelled, the third went through
    assert [open_cases(code) for code in (tree.county, tree.town, tree.micro_a1)] == [1, 1, 1]
    timeline = worker.get(f"/api/v1/cases/{answer.json['case_id']}").json["timeline"]
    assert [entry["action"] for entry in timeline] == ["report"]


def test_twenty_reports_at_once_into_one_county_are_all_answered_and_counted(county,
                                                                              conflicts):
    tree, worker = county
    conflicts(15)  # what DynamoDB does to writers that meet on the county's counters
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: report(worker, tree), range(20)))
    assert [a.status for a in answers] == [201] * 20, [a.body for a in answers if a.status != 201]
    assert len({a.json["case_id"] for a in answers}) == 20
    assert [open_cases(code) for code in (tree.county, tree.town, tree.micro_a1)] == [20] * 3


def test_a_step_that_never_gets_through_is_503_to_retry_and_changes_nothing(county,
                                                                            conflicts):
    tree, worker = county
    case = report(worker, tree).json
    leader = ledger_tree.user_in(tree.village_a, "grid_leader")
    conflicts(1000)
    answer = leader.post(f"/api/v1/cases/{case['case_id']}/transitions",
                         {"action": "register", "version": case["version"]})
    assert answer.status == 503, answer.body
    assert answer.error["code"] == "write_contention"
    assert int(answer.headers["retry-after"]) > 0
    assert report(worker, tree).status == 503
    after = leader.get(f"/api/v1/cases/{case['case_id']}").json
    assert (after["state"], after["version"]) == (case["state"],
                                                                     case["version"])
    assert open_cases(tree.county) == 1

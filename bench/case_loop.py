"""How long the case loop's steps take against a throwaway DynamoDB Local:
reporting, each transition of a full loop (one transaction with its timeline
entry and counters), a case's detail, and one deadline-sweep run.

    .venv/bin/python bench/case_loop.py [--cases 20]

Prints milliseconds per step (median and worst). DynamoDB Local is far slower
than DynamoDB; compare runs with each other, not with production.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

import throwaway

MICRO, VILLAGE = "1408251022010101", "140825102201"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    with throwaway.database():
        run(args.cases)


def run(count: int) -> None:
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.schemas.cases import CaseCreate, Transition
    from chalicelib.store import grids
    from chalicelib.store import workers as worker_store
    from chalicelib.usecases import case_deadlines, cases
    from chalicelib.web.access import Caller

    from devtools import tables

    tables.create_all()
    for code in ("140825", "140825102", VILLAGE, MICRO[:14], MICRO):
        grids.create(grids.build(code, "网格"))

    class Worker:  # the worker store is not what is measured here
        worker_id, name, grid_code, status = "w000001", "网格员", MICRO, "active"

    worker_store.get = lambda worker_id: Worker
    reporter = Caller(user_id="u-w", role="grid_worker", scope_code=MICRO, worker_id="w000001")
    leader = Caller(user_id="u-l", role="grid_leader", scope_code=VILLAGE)
    timings: dict[str, list[float]] = {}

    def timed(name, call, *args, **kwargs):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    loop = [(leader, "register"), (leader, "dispatch"), (reporter, "accept"),
            (reporter, "handle"), (leader, "verify"), (leader, "close")]
    for n in range(count):
        case = timed("report", cases.create_case, reporter, CaseCreate(
            category="parking", grid_code=MICRO, description=f"bench {n}"))
        for version, (actor, action) in enumerate(loop):
            timed(action, cases.take_transition, actor, case.case_id, Transition(
                action=action, version=version, worker_id="w000001", note="ok"))
        timed("detail", cases.get_case, leader, case.case_id)
    for _ in range(count):
        cases.create_case(reporter, CaseCreate(category="parking", grid_code=MICRO,
                                               description="due"))
    timed("sweep (warns each)", case_deadlines.sweep,
          clock.now() + timedelta(hours=3, minutes=5))
    print(f"case loop, {count} cases, DynamoDB Local — ms per step")
    for name, values in timings.items():
        print(f"  {name:<20} median {statistics.median(values):8.1f}   worst {max(values):8.1f}")


if __name__ == "__main__":
    main()

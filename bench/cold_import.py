"""Cold import time of functions/app.py against the bare import of the libraries
it is built on, each measured in a fresh interpreter (median of N runs, taken in
turns so that a change in the machine's load touches all alike). The time is the
interpreter's CPU time: an import is CPU-bound, and CPU time does not count the
waits for a core that other processes on a shared machine cause.

    make bench            # or: .venv/bin/python bench/cold_import.py [runs] [functions dir]

Goal (issue 11): the app imports in at most 1.3 times what chalice, pynamodb,
Powertools and boto3 take alone: that ratio is the headline. The app loads a
route's use cases and stores, and with them pynamodb and botocore, when the
route is first called, and the X-Ray SDK only where traces are made (on
Lambda): the last two lines show what those cost on top.
"""

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.30
LIBRARIES = ("import chalice, pynamodb.models, boto3\n"
             "from aws_lambda_powertools import Logger, Metrics, Tracer\n")
APP = "import app\n"
FIRST_REQUEST = "import app, chalicelib.store.tables\n"  # every store, whichever route it is
TIMER = ("import time\nstart = time.process_time()\n{code}"
         "print(time.process_time() - start)\n")
OFF_LAMBDA = {"POWERTOOLS_TRACE_DISABLED": "true"}
ON_LAMBDA = {"LAMBDA_TASK_ROOT": "/var/task"}  # what the Lambda runtime sets


def import_seconds(code: str, functions: Path, environment: dict[str, str]) -> float:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("POWERTOOLS_", "LAMBDA_"))}
    env.update(PYTHONPATH=str(functions), WANGGE_STAGE="bench", PYTHONDONTWRITEBYTECODE="1",
               **environment)
    out = subprocess.run([sys.executable, "-c", TIMER.format(code=code)], env=env,
                         cwd=functions, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    functions = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else ROOT / "functions"
    cases = {"libraries": (LIBRARIES, OFF_LAMBDA), "app": (APP, OFF_LAMBDA),
             "first_request": (FIRST_REQUEST, OFF_LAMBDA), "traced": (APP, ON_LAMBDA)}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (code, environment) in cases.items():
            samples[name].append(import_seconds(code, functions, environment))
    libraries, app, first_request, traced = (statistics.median(samples[name]) for name in cases)
    print(f"app / four libraries: {app / libraries:.2f}x   (goal: at most {GOAL:.2f}x)")
    print(f"cold import, CPU time, median of {runs} fresh interpreters")
    print(f"  chalice + pynamodb + powertools + boto3   {libraries * 1000:7.1f} ms")
    print(f"  functions/app.py                          {app * 1000:7.1f} ms")
    print(f"  ... and every store (a first request)     {first_request * 1000:7.1f} ms")
    print(f"  ... on Lambda, tracing on (X-Ray SDK)     {traced * 1000:7.1f} ms")


if __name__ == "__main__":
    main()

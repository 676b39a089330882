"""Cold import time of functions/app.py against the bare import of the libraries
it is built on, each measured in a fresh interpreter (median of N runs).

    make bench            # or: .venv/bin/python bench/cold_import.py [runs]

Goal (issue 2): the app's own code adds under 30% to the libraries' import; the
last ratio isolates the app's own code, the first shows the whole cost.
"""

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("import chalice, pynamodb.models, boto3\n"
             "from aws_lambda_powertools import Logger, Metrics, Tracer\n")
# The same libraries as any Powertools app sets them up (Tracer() alone loads the
# X-Ray SDK), plus pydantic, which validates requests: everything but our code.
SET_UP = LIBRARIES + "import pydantic, pydantic.types\nLogger(); Metrics(); Tracer()\n"
APP = "import app\n"
TIMER = ("import time\nstart = time.perf_counter()\n{code}"
         "print(time.perf_counter() - start)\n")


def measure(code: str, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions"), "WANGGE_STAGE": "bench",
           "POWERTOOLS_TRACE_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", TIMER.format(code=code)], env=env,
                             cwd=ROOT / "functions", capture_output=True, text=True, check=True)
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    libraries = measure(LIBRARIES, runs)
    set_up = measure(SET_UP, runs)
    app = measure(APP, runs)
    print(f"cold import, median of {runs} fresh interpreters")
    print(f"  chalice + pynamodb + powertools + boto3   {libraries * 1000:7.1f} ms")
    print(f"  ... set up as used, + pydantic            {set_up * 1000:7.1f} ms")
    print(f"  functions/app.py                          {app * 1000:7.1f} ms")
    print(f"  app / four libraries                      {app / libraries:7.2f}x")
    print(f"  app / libraries set up (own code's share) {app / set_up:7.2f}x"
          f"   (goal: under 1.30x)")


if __name__ == "__main__":
    main()

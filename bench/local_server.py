"""The local server (`make run`'s, devtools/server.py) as a browser meets it: one
kept-alive connection, against a throwaway DynamoDB Local. Measures
GET /api/v1/grids/{code} and the static page `/`, and prints each beside what it
is compared with: the bare DynamoDB GetItem the route wraps, and the same
request over a new connection each time.

    .venv/bin/python bench/local_server.py [--requests 200]

Prints milliseconds at the median (p50) and at p95. A server that writes a
response in several small sends stalls on the client's delayed ACK over a
kept-alive connection (~40 ms a request); one that sends each response whole
answers in about the time of the work it does.
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

import throwaway

COUNTY, TOWN = "140899", "140899101"
PHONE, PASSWORD = "10099990001", "Bench#2026x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with throwaway.database(fast_password_hashing=True):
        run(args.requests)


def timed(call: Callable[[], None], count: int) -> list[float]:
    call()  # warmed: the first call pays for imports and connections
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p50(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def run(count: int) -> None:
    from app import app
    from chalicelib.store import grids
    from chalicelib.usecases import bootstrap

    from devtools import tables
    from devtools.server import make_server

    tables.create_all()
    for code in (COUNTY, TOWN):
        grids.create(grids.build(code, code))
    bootstrap.ensure_user(phone=PHONE, name="压测管理员", role="county_admin", scope_code=COUNTY,
                          password=PASSWORD, must_change_password=False)
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, name="bench-server", daemon=True).start()
    port = server.server_address[1]
    try:
        login = http.client.HTTPConnection("127.0.0.1", port)
        login.request("POST", "/api/v1/auth/login", json.dumps(
            {"phone": PHONE, "password": PASSWORD}), {"Content-Type": "application/json"})
        token = json.loads(login.getresponse().read())["access_token"]
        login.close()
        headers = {"Authorization": f"Bearer {token}"}
        kept_alive = http.client.HTTPConnection("127.0.0.1", port)

        def over_kept_alive(path: str) -> Callable[[], None]:
            def get() -> None:
                kept_alive.request("GET", path, headers=headers)
                response = kept_alive.getresponse()
                response.read()
                assert response.status == 200, (path, response.status)
            return get

        def over_new_connection(path: str) -> Callable[[], None]:
            def get() -> None:
                connection = http.client.HTTPConnection("127.0.0.1", port)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                assert response.status == 200, (path, response.status)
            return get

        get_item = timed(lambda: grids.get(TOWN), count)
        print(f"{count} requests each, milliseconds (p50 / p95)")
        print(f"  bare DynamoDB GetItem (grids.get)       {p50(get_item):6.2f} / {p95(get_item):6.2f}")
        for label, path in (("GET /api/v1/grids/{code}", f"/api/v1/grids/{TOWN}"), ("GET /", "/")):
            kept = timed(over_kept_alive(path), count)
            fresh = timed(over_new_connection(path), count)
            print(f"  {label:<25} kept-alive      {p50(kept):6.2f} / {p95(kept):6.2f}")
            print(f"  {label:<25} new connection  {p50(fresh):6.2f} / {p95(fresh):6.2f}")
            if label.startswith("GET /api"):
                print(f"  {label:<25} kept-alive p50 over GetItem p50: "
                      f"{p50(kept) / p50(get_item):.1f}x")
        kept_alive.close()
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()

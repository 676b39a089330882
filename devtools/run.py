"""`make run`: the whole system on this machine.

DynamoDB Local (data kept under .data/), every table, the demo data (once),
and one server for the API (/api/v1/) and the frontend (/) on 127.0.0.1:$PORT.
"""

import json
import os
import shutil
import signal
import sys
import threading
import time

from devtools import dynamodb_local, environment
from devtools.dynamodb_local import StackError

DATA = environment.ROOT / ".data"
DEMO_ACCOUNTS = environment.ROOT / "docs" / "demo-accounts.json"


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise StackError(f"{name}={value!r} is not a port number")
    return int(value)


def _banner(url: str) -> str:
    lines = ["", f"  Wangge is running: {url}", f"  API:               {url}api/v1/health",
             f"  OpenAPI:           {url}api/v1/openapi.json"]
    if DEMO_ACCOUNTS.exists():
        lines.append("  Demo logins (phone / password, role @ scope):")
        for account in json.loads(DEMO_ACCOUNTS.read_text()):
            lines.append(f"    {account['phone']} / {account['password']:<14} "
                         f"{account['role']} @ {account['scope']}")
    lines += ["  Ctrl-C stops everything; the data stays in .data/ for the next start.", ""]
    return "\n".join(lines)


def main() -> int:
    port = _port("PORT", 8000)
    db_port = _port("DYNAMODB_PORT", port + 1)
    if shutil.which("node") is None:
        raise StackError("Node.js is missing: install Node 20+ (`apt-get install nodejs npm`).")
    if dynamodb_local.port_in_use(port):
        raise StackError(f"Port {port} is taken (another `make run`?). Stop it or set PORT=8080.")
    # Ctrl-C and a polite kill both end in the same clean shutdown, even when
    # the shell started us with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"Starting DynamoDB Local on 127.0.0.1:{db_port} (data in .data/dynamodb)…", flush=True)
    DATA.mkdir(exist_ok=True)
    database = dynamodb_local.start(db_port, data_dir=DATA / "dynamodb",
                                    log_path=DATA / "dynamodb.log")
    server = None
    s3 = None
    stopping = threading.Event()
    try:
        # Case photos: a local S3-compatible server, data kept in .data/s3 (devtools/s3_local.py).
        from devtools import s3_local
        s3 = s3_local.start("wangge-local-attachments", _port("S3_PORT", port + 2),
                            data_dir=DATA / "s3", log_path=DATA / "s3.log")
        os.environ.update(S3_ENDPOINT=s3.endpoint,
                          WANGGE_ATTACHMENTS_BUCKET="wangge-local-attachments")
        environment.configure(database.endpoint)
        from devtools import demo, scheduler, tables
        from devtools import server as local_server

        created = tables.create_all()
        if created:
            print(f"Created tables: {', '.join(created)}")
        started = time.perf_counter()
        if demo.load(demo.generate(demo.PRESETS[os.environ.get("DEMO_PRESET", "sanquan")])):
            print(f"Loaded the demo town in {time.perf_counter() - started:.1f}s")
        demo.load_accounts()
        from devtools import demo_cases
        demo_cases.load()
        from app import app

        server = local_server.make_server(app, "127.0.0.1", port)
        scheduler.start(stopping)
        print(_banner(f"http://127.0.0.1:{port}/"), flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping…")
    finally:
        # A second Ctrl-C (or the TERM a terminal sends as it closes) must not cut
        # the shutdown short and leave a server holding its port for the next start.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stopping.set()
        if server is not None:
            server.server_close()
        servers = [s3, database] if s3 is not None else [database]
        for running in servers:  # both asked at once: their shutdowns overlap
            running.process.terminate()
        for running in servers:
            running.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except StackError as error:
        print(f"make run: {error}", file=sys.stderr)
        sys.exit(1)

"""`make run`: the whole system on this machine.

DynamoDB Local and the local S3 server (data kept under .data/), every table, the
demo data (once), and one server for the API (/api/v1/) and the frontend (/) on
127.0.0.1:$PORT. Ctrl-C, SIGTERM and SIGHUP stop everything, and so does one of
the servers exiting: none is left holding its port for the next start.
"""

import _thread
import json
import os
import shutil
import signal
import sys
import threading
import time

from devtools import dynamodb_local, environment
from devtools.dynamodb_local import ChildServer, StackError

DEMO_ACCOUNTS = environment.ROOT / "docs" / "demo-accounts.json"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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
    data = environment.data_dir()
    lines += [f"  Ctrl-C stops everything; the data stays in {data} for the next start.", ""]
    return "\n".join(lines)


def _stop_on_signals() -> None:
    """Ctrl-C, a polite kill and a closing terminal all end in the same clean shutdown,
    even when the shell started us with SIGINT ignored; `nohup` keeps its SIGHUP."""
    for signum in STOP_SIGNALS:
        if signum != signal.SIGHUP or signal.getsignal(signum) != signal.SIG_IGN:
            signal.signal(signum, _stop)


def _ignore_stop_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _stop(signum: int, frame: object) -> None:
    # Ignored from the first on: a second Ctrl-C, or the TERM make passes on to us
    # after the one sent to its whole group, must not cut the shutdown short.
    _ignore_stop_signals()
    raise KeyboardInterrupt


def _stop_when_one_exits(servers: list[ChildServer], stopping: threading.Event
                         ) -> list[ChildServer]:
    """Watch the servers (the list may grow) and stop everything, as a Ctrl-C does,
    when one of them exits: the app cannot work without it. Returns the list that
    the one that exited is put in."""
    exited: list[ChildServer] = []

    def watch() -> None:
        while not stopping.wait(0.5):
            exited.extend(server for server in servers if server.process.poll() is not None)
            if exited:
                _thread.interrupt_main(signal.SIGINT)
                return
    threading.Thread(target=watch, name="watch-servers", daemon=True).start()
    return exited


def main() -> int:
    port = _port("PORT", 8000)
    db_port = _port("DYNAMODB_PORT", port + 1)
    if shutil.which("node") is None:
        raise StackError("Node.js is missing: install Node 20+ (`apt-get install nodejs npm`).")
    if dynamodb_local.port_in_use(port):
        raise StackError(f"Port {port} is taken (another `make run`?). Stop it or set PORT=8080.")
    _stop_on_signals()
    data = environment.data_dir()
    servers: list[ChildServer] = []
    server = crashed = None
    stopping = threading.Event()
    exited = _stop_when_one_exits(servers, stopping)
    try:
        print(f"Starting DynamoDB Local on 127.0.0.1:{db_port} (data in {data / 'dynamodb'})…",
              flush=True)
        data.mkdir(parents=True, exist_ok=True)
        database = dynamodb_local.start(db_port, data_dir=data / "dynamodb",
                                        log_path=data / "dynamodb.log")
        servers.append(database)
        # Case photos: a local S3-compatible server, data kept in .data/s3 (devtools/s3_local.py).
        from devtools import s3_local
        s3 = s3_local.start("wangge-local-attachments", _port("S3_PORT", port + 2),
                            data_dir=data / "s3", log_path=data / "s3.log")
        servers.append(s3)
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
        # Read now, before the shutdown below makes the others exit too.
        crashed = exited[0] if exited else None
        if crashed is None:
            print("\nStopping…")
    finally:
        _ignore_stop_signals()
        stopping.set()
        if server is not None:
            server.server_close()
        for running in servers:  # all asked at once: their shutdowns overlap
            running.process.terminate()
        for running in servers:
            running.stop()
    if crashed is not None:
        raise StackError(f"{crashed.name} exited with code {crashed.process.returncode}; "
                         "stopped everything")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except StackError as error:
        print(f"make run: {error}", file=sys.stderr)
        sys.exit(1)

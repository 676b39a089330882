"""`make run` (devtools/run.py) stops everything it started, however it is told
to stop and whichever part dies: no server may be left holding its port for the
next start. Each test starts the whole stack, as `make run` does, in a process
group of its own, on free ports and a throwaway data folder."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devtools.dynamodb_local import port_in_use, reserve_port
from devtools.environment import ROOT

pytestmark = pytest.mark.slow

STARTS_WITHIN = 300  # seconds: the first start loads the demo town, on a busy machine
STOPS_WITHIN = 60


@dataclass
class Stack:
    process: subprocess.Popen
    ports: list[int]
    log: Path
    servers: dict[str, int] = field(default_factory=dict)  # process name -> pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def children_of(pid: int) -> dict[str, int]:
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue  # not a process, or gone meanwhile
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 1:]
        if int(rest.split()[1]) == pid:
            found[name] = int(entry.name)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie holds no port


def wait_for(condition: Callable[[], bool], seconds: float, failure: Callable[[], str]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(failure(), pytrace=False)
        time.sleep(0.2)


def serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """One folder for the module's stacks: the demo town is loaded once, and each
    stack starts on what the one before it left."""
    return tmp_path_factory.mktemp("make-run-data")


@pytest.fixture
def stack(data_dir: Path, tmp_path: Path) -> Iterator[Stack]:
    held = [reserve_port() for _ in range(3)]
    ports = [sock.getsockname()[1] for sock in held]
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("WANGGE_", "DYNAMODB_", "S3_"))}
    env.update(PORT=str(ports[0]), DYNAMODB_PORT=str(ports[1]), S3_PORT=str(ports[2]),
               WANGGE_DATA_DIR=str(data_dir), DEMO_PRESET="sanquan-test",
               # What is tested is the shutdown: the demo's logins hashed cheaply, and
               # its loading given time on a busy machine (DynamoDB Local is slow).
               WANGGE_ARGON2="1,1024,1", WANGGE_READ_TIMEOUT="60")
    log = tmp_path / "make-run.log"
    for sock in held:
        sock.close()
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "devtools.run"], cwd=ROOT, env=env,
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    stack = Stack(process=process, ports=ports, log=log)
    try:
        wait_for(lambda: process.poll() is not None
                 or serving(f"http://127.0.0.1:{ports[0]}/api/v1/health"), STARTS_WITHIN,
                 lambda: f"make run did not serve within {STARTS_WITHIN}s:\n{stack.output()}")
        assert process.poll() is None, f"make run exited:\n{stack.output()}"
        stack.servers = children_of(process.pid)
        assert set(stack.servers) == {"java", "weed"}, stack.servers
        yield stack
    finally:
        # Whatever a failed test left behind must not hold ports for the next one.
        for pid in [process.pid, *stack.servers.values()]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait()


def assert_everything_stopped(stack: Stack) -> None:
    try:
        stack.process.wait(timeout=STOPS_WITHIN)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make run still runs {STOPS_WITHIN}s later:\n{stack.output()}",
                    pytrace=False)
    wait_for(lambda: not any(running(pid) for pid in stack.servers.values()), STOPS_WITHIN,
             lambda: f"left running: {[n for n, p in stack.servers.items() if running(p)]}")
    wait_for(lambda: not any(port_in_use(port) for port in stack.ports), STOPS_WITHIN,
             lambda: f"ports still taken: {[p for p in stack.ports if port_in_use(p)]}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_to_the_process_group_stops_everything(stack, signum):
    os.killpg(stack.process.pid, signum)

    assert_everything_stopped(stack)
    assert stack.process.returncode == 0, stack.output()


def test_a_server_that_dies_stops_the_others_and_make_run(stack):
    os.kill(stack.servers["java"], signal.SIGKILL)

    assert_everything_stopped(stack)
    assert stack.process.returncode == 1
    assert "DynamoDB Local exited" in stack.output()


def test_the_servers_die_with_make_run_when_it_is_killed_outright(stack):
    os.kill(stack.process.pid, signal.SIGKILL)

    assert_everything_stopped(stack)

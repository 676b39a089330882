"""The deployment, checked offline: the CDK app is synthesized once per test
run with the npm `cdk` CLI and no AWS credentials, its templates linted with
cfn-lint (both in the background, from the end of collection on, while the
rest of the suite runs), then read.

Two targets, synthesized together, cover both partitions: dev in a commercial
region with the defaults, and prod in cn-north-1 (partition aws-cn) with its
own domain, as a China deployment needs. Every test here is marked `slow`
(`pytest -m "not slow"` skips them).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
CDK = INFRA / "node_modules" / ".bin" / "cdk"
OUT = INFRA / "cdk.out"
if str(INFRA) not in sys.path:
    sys.path.append(str(INFRA))  # wangge_infra; functions/ comes first, for `app`


@dataclass(frozen=True)
class Target:
    stage: str
    region: str
    context: dict[str, str] = field(default_factory=dict)
    # Regions cfn-lint checks the template's resource types and values against.
    lint_regions: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.stage}-{self.region}"

    @property
    def china(self) -> bool:
        return self.region.startswith("cn-")


TARGETS = (
    Target("dev", "us-east-1", lint_regions=("us-east-1", "ap-southeast-1")),
    Target("prod", "cn-north-1",
           context={"domain_name": "wangge.example.cn", "iam_certificate_id": "ASCAEXAMPLEID",
                    "alarm_email": "ops@example.cn"},
           lint_regions=("cn-north-1", "cn-northwest-1")),
)


HERE = Path(__file__).parent
# Of this test run: others may run in the same checkout at the same time.
ASSEMBLY = OUT / f"test-{os.getpid()}"
SYNTH_LOG = OUT / f"test-{os.getpid()}.log"
# Chalice builds its layer cache in place: one synthesis at a time.
SYNTH_LOCK = OUT / "test.lock"


def _is_here(item: pytest.Item) -> bool:
    return HERE in Path(item.fspath).parents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _is_here(item):
            item.add_marker(pytest.mark.slow)


def _offline_environment() -> dict[str, str]:
    """This process's environment without AWS credentials, profiles or the
    test stage's settings, and without anything that would look them up."""
    dropped = ("AWS_", "WANGGE_", "DYNAMODB_", "POWERTOOLS_", "CDK_")
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(dropped) or key == "AWS_CA_BUNDLE"}
    environment.update(AWS_EC2_METADATA_DISABLED="true", CDK_DISABLE_CLI_TELEMETRY="true",
                       AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return environment


def _synth_command() -> list[str]:
    context = [{"stage": target.stage, "region": target.region, **target.context}
               for target in TARGETS]
    command = [str(CDK), "synth", "--quiet", "--no-notices", "--no-version-reporting",
               "--no-lookups", "--no-ec2creds", "--output", str(ASSEMBLY),
               "-c", f"targets={json.dumps(context)}"]
    return ["flock", str(SYNTH_LOCK), *command] if shutil.which("flock") else command


def _lint_command(target: Target) -> list[str]:
    return [str(Path(sys.executable).parent / "cfn-lint"), "--regions", *target.lint_regions,
            "--", str(ASSEMBLY / f"{target.stage}.template.json")]


def _lint_log(target: Target) -> Path:
    return ASSEMBLY / f"cfn-lint-{target.name}.txt"


class _Background:
    """`cdk synth` of every target, then cfn-lint of each template side by
    side, in a thread of their own from the end of collection on, so that
    they run while the rest of the suite does."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen] = []
        self._stopped = False
        self.synth_status: int | None = None
        self.lint_status: dict[str, int] = {}
        self.synthesized = threading.Event()
        self.linted = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _start(self, command: list[str], log: Path) -> subprocess.Popen | None:
        with self._lock, log.open("w") as output:
            if self._stopped:
                return None
            process = subprocess.Popen(command, cwd=INFRA, env=_offline_environment(),
                                       stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            self._processes.append(process)
            return process

    def _run(self) -> None:
        try:
            synth = self._start(_synth_command(), SYNTH_LOG)
            self.synth_status = synth.wait() if synth else None
        finally:
            self.synthesized.set()
        try:
            if self.synth_status == 0:
                runs = {target.name: self._start(_lint_command(target), _lint_log(target))
                        for target in TARGETS}
                self.lint_status = {name: run.wait() for name, run in runs.items() if run}
        finally:
            self.linted.set()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for process in self._processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)  # and what it started
                    process.wait()


_background: _Background | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    global _background
    if CDK.exists() and any("synthesized" in getattr(item, "fixturenames", ())
                            for item in session.items):
        OUT.mkdir(exist_ok=True)
        _background = _Background()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop what still runs; keep the output only when a test failed."""
    if _background is None:
        return
    _background.stop()
    if not session.testsfailed:
        shutil.rmtree(ASSEMBLY, ignore_errors=True)
        SYNTH_LOG.unlink(missing_ok=True)


def _placeholder(value: Any) -> str:
    """An intrinsic function as a readable string: {"Ref": "X"} -> "${X}",
    {"Fn::GetAtt": ["X", "Arn"]} -> "${X.Arn}", Fn::Join joined, Fn::Sub kept."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return f"${{{argument}}}"
        if function == "Fn::GetAtt":
            return f"${{{'.'.join(argument)}}}"
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(_placeholder(part) for part in parts)
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            for name, part in variables.items():
                text = text.replace(f"${{{name}}}", _placeholder(part))
            return text
    return json.dumps(value, sort_keys=True)


class Template:
    def __init__(self, target: Target, out: Path) -> None:
        self.target = target
        self.out = out
        self.data = json.loads((out / f"{target.stage}.template.json").read_text())
        self.resources: dict[str, dict[str, Any]] = self.data["Resources"]

    @property
    def path(self) -> Path:
        return self.out / f"{self.target.stage}.template.json"

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """logical ID -> Properties of every resource of one type."""
        return {logical_id: resource.get("Properties", {})
                for logical_id, resource in self.resources.items()
                if resource["Type"] == resource_type}

    resolve = staticmethod(_placeholder)

    def warnings(self) -> list[str]:
        manifest = json.loads((self.out / "manifest.json").read_text())
        stack = manifest["artifacts"][self.target.stage]
        return [entry["data"] for entries in stack.get("metadata", {}).values()
                for entry in entries if entry["type"] == "aws:cdk:warning"]


@pytest.fixture(scope="session")
def synthesized() -> Path:
    """The cloud assembly of every target, synthesized once per test run."""
    if _background is None:
        pytest.fail("infra/node_modules is missing: run `make deps`")
    _background.synthesized.wait(timeout=900)
    if _background.synth_status != 0:
        pytest.fail(f"cdk synth failed:\n{SYNTH_LOG.read_text()[-8000:]}", pytrace=False)
    return ASSEMBLY


@pytest.fixture(scope="session")
def lint_results(synthesized: Path) -> dict[str, tuple[int, str]]:
    """cfn-lint's exit status and output for every target."""
    _background.linted.wait(timeout=600)
    return {target.name: (_background.lint_status.get(target.name),
                          _lint_log(target).read_text()) for target in TARGETS}


@pytest.fixture(scope="session", params=TARGETS, ids=lambda target: target.name)
def template(request: pytest.FixtureRequest, synthesized: Path) -> Template:
    return Template(request.param, synthesized)


@pytest.fixture(scope="session")
def chalice_app() -> Any:
    """The app's Chalice object, as `chalice package` sees it."""
    from app import app

    return app

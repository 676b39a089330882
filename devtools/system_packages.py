"""The Debian packages `make run` and `make test` need, installed when missing.

    python3 devtools/system_packages.py run    # Java (DynamoDB Local), Node.js
    python3 devtools/system_packages.py test   # and Chromium with a Chinese font

Runs with the system Python before the virtualenv exists, so the standard
library only. As root it installs what is missing with apt-get; otherwise it
stops with one line naming the command to run.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Need:
    package: str
    present: Callable[[], bool]


def _commands(*names: str) -> Callable[[], bool]:
    return lambda: all(shutil.which(name) for name in names)


def _chinese_font() -> bool:
    # What the screenshots need is a font fontconfig offers for Chinese.
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


# The JDK, not a JRE: DynamoDB Local's loopback launcher runs through the source launcher.
RUN_NEEDS = (Need("default-jdk-headless", _commands("java", "javac")),
             Need("nodejs", _commands("node")),
             Need("npm", _commands("npm")))
# The end-to-end tests drive Debian's Chromium at this path (no browser downloads here).
CHROMIUM = Path("/usr/bin/chromium")
TEST_NEEDS = RUN_NEEDS + (Need("chromium", lambda: CHROMIUM.exists()),
                          Need("fontconfig", _commands("fc-list")),
                          Need("fonts-wqy-microhei", lambda: _chinese_font()))
NEEDS = {"run": RUN_NEEDS, "test": TEST_NEEDS}


def missing(needs: tuple[Need, ...]) -> list[str]:
    return list(dict.fromkeys(need.package for need in needs if not need.present()))


def install_command(packages: list[str]) -> list[str]:
    return ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]


def ensure(purpose: str, *, is_root: bool, run: Callable[..., object] = subprocess.run) -> int:
    packages = missing(NEEDS[purpose])
    if not packages:
        return 0
    command = install_command(packages)
    if not is_root or not shutil.which("apt-get"):
        print(f"Missing system packages for `make {purpose}`: run "
              f"`sudo {' '.join(command)}`", file=sys.stderr)
        return 1
    print(f"Installing system packages: {' '.join(packages)}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], check=True, env=env)
    run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    still_missing = missing(NEEDS[purpose])
    if still_missing:
        print(f"apt-get did not provide: {' '.join(still_missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in NEEDS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(NEEDS)}")
    sys.exit(ensure(sys.argv[1], is_root=os.geteuid() == 0))

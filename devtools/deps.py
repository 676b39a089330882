"""Dependency lists derived from pyproject.toml, the one place they are declared.

    python devtools/deps.py runtime     # what functions/requirements.txt must hold
    python devtools/deps.py write       # regenerate functions/requirements.txt
    python devtools/deps.py install-list FILE  # runtime + dev, for pip -r
"""

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "functions" / "requirements.txt"
HEADER = "# Generated from pyproject.toml by `make requirements`; do not edit.\n"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def runtime() -> list[str]:
    return list(_project()["dependencies"])


def dev() -> list[str]:
    return list(_project()["optional-dependencies"]["dev"])


def requirements_text() -> str:
    return HEADER + "".join(f"{line}\n" for line in runtime())


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "runtime"
    if command == "runtime":
        sys.stdout.write(requirements_text())
    elif command == "write":
        REQUIREMENTS.write_text(requirements_text())
    elif command == "install-list":
        Path(argv[2]).write_text("".join(f"{line}\n" for line in runtime() + dev()))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The environment the app reads, for a local stack; set before importing it."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"


def data_dir() -> Path:
    """Where make run keeps its databases: .data/, or WANGGE_DATA_DIR (a test's own)."""
    return Path(os.environ.get("WANGGE_DATA_DIR") or ROOT / ".data")


def configure(endpoint: str, stage: str = "local", table_prefix: str | None = None,
              fast_password_hashing: bool = False) -> None:
    os.environ["WANGGE_STAGE"] = stage
    os.environ["DYNAMODB_ENDPOINT"] = endpoint
    if table_prefix is not None:
        os.environ["WANGGE_TABLE_PREFIX"] = table_prefix
    if fast_password_hashing:  # argon2 at its cheapest: tests hash hundreds of passwords
        os.environ["WANGGE_ARGON2"] = "1,1024,1"
    os.environ.setdefault("AWS_REGION", "cn-north-1")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    add_functions_to_path()


def add_functions_to_path() -> None:
    """Make the Chalice project (app.py, chalicelib) importable."""
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))

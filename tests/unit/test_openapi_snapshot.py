"""The API's OpenAPI document is the one on record in tests/snapshots/openapi.json.

A change to the API is then a change to that file too, seen in review: after
changing the API on purpose, write the new document with
`.venv/bin/python -m tests.unit.test_openapi_snapshot` and commit both."""

import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "openapi.json"


def current_document() -> dict:
    from app import app  # noqa: F401  (registers every route)
    from chalicelib.web import api, openapi

    return openapi.build(api.OPERATIONS)


def _text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def test_the_document_is_the_one_on_record():
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = current_document()
    changed = sorted(path for path in set(recorded["paths"]) | set(current["paths"])
                     if recorded["paths"].get(path) != current["paths"].get(path))
    assert _text(current) == _text(recorded), (
        f"The API changed (paths: {changed or 'none; components or info'}); if on purpose, "
        "run `.venv/bin/python -m tests.unit.test_openapi_snapshot` and commit the snapshot")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functions"))
    SNAPSHOT.write_text(_text(current_document()), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")

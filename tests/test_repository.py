"""Checks on the repository itself."""

from pathlib import Path

from devtools import deps

ROOT = Path(__file__).resolve().parent.parent


def test_chalice_requirements_are_generated_from_pyproject():
    assert deps.REQUIREMENTS.read_text() == deps.requirements_text(), (
        "functions/requirements.txt is stale: run `make requirements`")


def test_no_dynamodb_mock_anywhere():
    forbidden = ("import moto", "from moto", "mock_dynamodb", "mock_aws")
    for path in ROOT.rglob("*.py"):
        skipped = any(part in {".venv", "node_modules", ".data"} for part in path.parts)
        if skipped or path.name == "test_repository.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not any(word in text for word in forbidden), path

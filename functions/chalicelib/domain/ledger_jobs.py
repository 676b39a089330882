"""A ledger file job: an Excel import (checked, then written) or an export of a
subtree's ledger, run under a lease until it ends (usecases/ledger_files.py)."""

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.ledger_sheets import Problem

MAX_PROBLEMS = 500  # a file with more is reported by its first 500


@dataclass
class LedgerJob:
    job_id: str
    job_type: str  # import | export
    kind: str  # households | residents | rentals | tenants
    scope_code: str  # the grid subtree the job may touch
    status: str  # checked | running | done | failed
    created_by: str
    created_role: str
    created_at: datetime
    created_name: str | None = None  # for the audit entries the job writes
    dry_run: bool = False
    object_key: str | None = None  # the uploaded file, or the export
    filename: str | None = None
    rows: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    failure: str | None = None
    finished_at: datetime | None = None
    attempts: int = 0  # leases taken since the job last got on
    lease_until: datetime | None = None
    version: int | None = None

    @property
    def running(self) -> bool:
        return self.status == "running"

    def report(self, problems: list[Problem]) -> None:
        """Keep the first MAX_PROBLEMS of a file's problems, in order."""
        self.problems = sorted(problems, key=lambda p: (p.sheet, p.row, p.column))[:MAX_PROBLEMS]

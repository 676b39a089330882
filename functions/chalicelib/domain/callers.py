"""Who is calling: a person signed in with their role and grid scope, or a
machine client with the operations its API key grants. How a caller proves who
they are (a bearer token, an API key) is the web side's business."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    user_id: str
    role: str
    scope_code: str
    name: str = ""
    session_id: str | None = None
    worker_id: str | None = None
    must_change_password: bool = False
    machine_operations: frozenset[str] | None = None  # set for API-key callers
    source_ip: str | None = None

    @property
    def is_machine(self) -> bool:
        return self.machine_operations is not None

    def can_see(self, grid_code: str) -> bool:
        return grid_code.startswith(self.scope_code)

"""A grid node (town, village, comprehensive grid, micro-grid …) and what may be
done to it: edited, retired once it holds nothing, moved under another parent."""

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chalicelib.domain import boundaries, grid_codes, ledger, versions
from chalicelib.errors import Conflict, InvalidInput

# What a grid must no longer hold to be retired.
RETIRE_BLOCKERS = (ledger.HOUSEHOLDS, ledger.RESIDENTS, ledger.RENTALS, ledger.TENANTS,
                   ledger.ACTIVE_ASSIGNMENTS)


@dataclass(frozen=True)
class PartyMember:
    """A member of the grid's party group (网格党小组)."""

    name: str
    position: str | None = None  # e.g. 组长
    worker_id: str | None = None


@dataclass(frozen=True)
class GridBoundary:
    """Where a grid lies, and nothing else (finding the grid a point falls in)."""

    code: str
    boundary: str  # GeoJSON geometry, as JSON text


def boundary_text(boundary: dict[str, Any] | None) -> str | None:
    """A checked GeoJSON geometry as the compact text a grid keeps; None for none."""
    if not boundary:
        return None
    return json.dumps(boundaries.check(boundary), separators=(",", ":"))


@dataclass
class Grid:
    code: str
    name: str
    created_at: datetime
    updated_at: datetime
    leader_worker_id: str | None = None
    party_members: list[PartyMember] = field(default_factory=list)
    boundary: str | None = None  # GeoJSON geometry, as JSON text
    notes: str | None = None
    retired: bool = False
    # The subtree move this grid is part of, while it runs: no record may be
    # added to a grid that is moving.
    moving: str | None = None
    next_child_sequence: int = 0
    version: int = 0  # 0: never stored

    @classmethod
    def new(cls, code: str, name: str, now: datetime, *, leader_worker_id: str | None = None,
            party_members: list[PartyMember] | None = None,
            boundary: dict[str, Any] | None = None, notes: str | None = None) -> "Grid":
        grid_codes.depth_of(code)
        return cls(code=code, name=name, created_at=now, updated_at=now,
                   leader_worker_id=leader_worker_id, party_members=list(party_members or []),
                   boundary=boundary_text(boundary), notes=notes)

    @property
    def depth(self) -> int:
        return grid_codes.depth_of(self.code)

    @property
    def level(self) -> str:
        return grid_codes.LEVELS[self.depth].key

    @property
    def parent_code(self) -> str | None:
        return grid_codes.parent_of(self.code)

    @property
    def is_open(self) -> bool:
        """Records may be added to it and grids placed below it."""
        return not self.retired and self.moving is None

    def audited_fields(self) -> dict:
        return {"name": self.name, "leader_worker_id": self.leader_worker_id,
                "party_members": [member.name for member in self.party_members],
                "boundary": self.boundary, "notes": self.notes}

    def edit(self, version: int, now: datetime, *, name: str | None = None,
             leader_worker_id: str | None = None,
             party_members: list[PartyMember] | None = None,
             boundary: dict[str, Any] | None = None, notes: str | None = None) -> dict:
        """Change what is given (an empty leader, boundary or notes removes it);
        returns the changes for the audit log."""
        versions.check("grid", self.version, version)
        before = self.audited_fields()
        if name is not None:
            self.name = name
        if leader_worker_id is not None:
            self.leader_worker_id = leader_worker_id or None
        if party_members is not None:
            self.party_members = list(party_members)
        if boundary is not None:
            self.boundary = boundary_text(boundary)
        if notes is not None:
            self.notes = notes or None
        self.updated_at = now
        return ledger.changed_fields(before, self.audited_fields())

    def retire(self, version: int, now: datetime, *, active_children: int,
               held: dict[str, int]) -> None:
        """Retired once it holds nothing any more: no active child, no ledger record,
        no worker assigned (`held`: its ledger counters). Its code stays taken."""
        versions.check("grid", self.version, version)
        if self.retired:
            raise Conflict(f"Grid {self.code} is retired already", code="already_retired")
        if active_children:
            raise Conflict(f"Grid {self.code} still has {active_children} active child grids",
                           code="grid_not_empty")
        blocking = {name: count for name, count in held.items()
                    if count and name in RETIRE_BLOCKERS}
        if blocking:
            raise Conflict(f"Grid {self.code} still holds records: " +
                           ", ".join(f"{name} {count}" for name, count in sorted(blocking.items())),
                           code="grid_not_empty")
        self.retired = True
        self.updated_at = now

    def check_move_under(self, version: int, parent_code: str) -> None:
        """What a move to `parent_code` needs of the two codes, before the parent is read."""
        versions.check("grid", self.version, version)
        if self.depth == 0:
            raise InvalidInput("code", "A county does not move")
        parent_depth = grid_codes.depth_of(parent_code, "parent_code")
        if grid_codes.county_of(parent_code) != grid_codes.county_of(self.code):
            raise InvalidInput("parent_code", "A grid moves within its county")
        if parent_code.startswith(self.code):
            raise InvalidInput("parent_code", "A grid cannot move below itself")
        if parent_code == self.parent_code:
            raise InvalidInput("parent_code", f"{self.code} is under {parent_code} already")
        if parent_depth != self.depth - 1:
            raise InvalidInput("parent_code", f"A {self.level} moves under a "
                               f"{grid_codes.LEVELS[self.depth - 1].key}")

    def check_receives_move(self) -> None:
        """A new parent must be open for the grid that moves under it."""
        if not self.is_open:
            raise InvalidInput("parent_code", f"Grid {self.code} is retired or moving")

    def copy_to(self, new_code: str, move_id: str, now: datetime) -> "Grid":
        """This grid under its new code, marked as part of the move until it ends."""
        return replace(self, code=new_code, party_members=list(self.party_members),
                       moving=move_id, updated_at=now, version=0)

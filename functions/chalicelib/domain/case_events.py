"""What a case change did that others react to: the hotline is called back when
its ticket's case closes, and notices and points will follow closes,
escalations and overdue stages. Read off the timeline events of case_flow's
outcome, so the rules decide once and the reactions only listen."""

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.case_flow import SYSTEM, Case, Event, Outcome


@dataclass(frozen=True)
class CaseClosed:
    case: Case  # as the change left it
    at: datetime
    note: str | None


@dataclass(frozen=True)
class CaseEscalated:
    case: Case
    at: datetime
    from_grid: str | None
    to_grid: str | None
    by_deadline: bool  # the deadline sweep escalated it, not a person


@dataclass(frozen=True)
class CaseOverdue:
    case: Case
    at: datetime
    stage: str


CaseEvent = CaseClosed | CaseEscalated | CaseOverdue


def _happened(case: Case, event: Event) -> CaseEvent | None:
    if event.action == "close":
        return CaseClosed(case=case, at=event.at, note=event.note)
    if event.action == "escalate":
        return CaseEscalated(case=case, at=event.at, from_grid=event.from_grid,
                             to_grid=event.to_grid, by_deadline=event.actor_role == SYSTEM)
    if event.action == "overdue":
        return CaseOverdue(case=case, at=event.at, stage=event.data["stage"])
    return None


def of(outcome: Outcome) -> list[CaseEvent]:
    """The events of one decided change, in the order they happened."""
    return [happened for event in outcome.events
            if (happened := _happened(outcome.case, event)) is not None]

"""Rules of the household and rental ledgers ("每户一账") that need no database:
what a record counts for in its grid's totals, how addresses compare, which
tenants are current."""

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from chalicelib.errors import InvalidInput

REGISTERED = "registered"  # 户籍人口
FLOATING = "floating"  # 流动人口
RESIDENT_TYPES = {REGISTERED: "户籍", FLOATING: "流动"}
# Key groups (重点人群) a deployment tracks unless it configures its own list.
DEFAULT_KEY_GROUPS = ("低保", "特困供养", "独居老人", "空巢老人", "残疾人", "留守儿童",
                      "困境儿童", "优抚对象", "社区矫正", "刑满释放", "严重精神障碍", "重病患者")

# The names of the ledger counters kept per grid (bucket "ledger").
HOUSEHOLDS = "households"
RESIDENTS = "residents"
FLOATING_RESIDENTS = "floating_residents"
KEY_GROUP_MEMBERS = "key_group_members"
RENTALS = "rentals"
TENANTS = "tenants"
ACTIVE_ASSIGNMENTS = "active_assignments"
KEY_GROUP_PREFIX = "key_group:"


def normalize_address(address: str) -> str:
    """The form two spellings of one address share: full-width characters folded
    (１２号 → 12号), spaces dropped, Latin letters upper-cased."""
    folded = unicodedata.normalize("NFKC", address or "")
    return "".join(folded.split()).upper()


def check_tags(tags: Iterable[str], allowed: Iterable[str], field: str = "tags") -> list[str]:
    allowed = list(allowed)
    result: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if tag not in allowed:
            raise InvalidInput(field, f"Unknown key group {tag!r}; one of {'、'.join(allowed)}",
                               code="unknown_key_group")
        if tag not in result:
            result.append(tag)
    return result


@dataclass(frozen=True)
class ResidentFacts:
    """What of a resident the counters depend on."""

    resident_type: str
    tags: tuple[str, ...]


def resident_counts(facts: ResidentFacts | None) -> dict[str, int]:
    """What one resident adds to its grid's counters (nothing when absent)."""
    if facts is None:
        return {}
    counts = {RESIDENTS: 1, FLOATING_RESIDENTS: int(facts.resident_type == FLOATING),
              KEY_GROUP_MEMBERS: int(bool(facts.tags))}
    counts.update({KEY_GROUP_PREFIX + tag: 1 for tag in facts.tags})
    return counts


def difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    names = set(after) | set(before)
    return {name: after.get(name, 0) - before.get(name, 0) for name in names
            if after.get(name, 0) != before.get(name, 0)}


def negate(counts: dict[str, int]) -> dict[str, int]:
    return {name: -amount for name, amount in counts.items()}


def tenant_is_current(move_in: date, move_out: date | None, today: date) -> bool:
    return move_in <= today and (move_out is None or move_out > today)


def check_stay(move_in: date, move_out: date | None, today: date) -> None:
    if move_out is not None and move_out < move_in:
        raise InvalidInput("move_out", "Moving out cannot come before moving in",
                           code="move_out_before_move_in")
    if move_in > today:
        raise InvalidInput("move_in", "Record a tenant once they have moved in",
                           code="move_in_in_future")


def changed_fields(before: dict, after: dict, personal: Iterable[str] = ()) -> dict:
    """For the audit log: each changed field with its old and new value, personal
    data shown masked (the log records that it changed, not what it is)."""
    from chalicelib.domain.personal_data import mask_id_number, mask_phone

    maskers = {"id_number": mask_id_number, "phone": mask_phone, "owner_phone": mask_phone}
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in personal:
            mask = maskers.get(name, lambda value: "***" if value else value)
            old, new = mask(old), mask(new)
        changes[name] = {"from": _plain(old), "to": _plain(new)}
    return changes


def _plain(value):
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return None if value is None else str(value)

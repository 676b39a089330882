"""Unified grid codes (统一编码).

A code is the significant prefix of the 12-digit statistical division code
(province 2, city 2, county 2, town 3, village 3 digits) followed by two digits
per grid level below the village. A county is 6 digits, a town 9, a village 12,
a comprehensive grid 14 and a micro-grid 16, so every code starts with the code
of each of its ancestors: a subtree is a prefix, and codes sort by subtree.
"""

import re
from dataclasses import dataclass

from chalicelib.errors import InvalidInput


@dataclass(frozen=True)
class Level:
    key: str
    name_zh: str
    name_en: str
    length: int


LEVELS: tuple[Level, ...] = (
    Level("county", "县/区", "County", 6),
    Level("town", "镇/街道", "Town", 9),
    Level("village", "村/社区", "Village", 12),
    Level("grid", "全科网格", "Comprehensive grid", 14),
    Level("micro", "微网格", "Micro-grid", 16),
)
LEVEL_BY_KEY = {level.key: level for level in LEVELS}
DEPTH_BY_LENGTH = {level.length: depth for depth, level in enumerate(LEVELS)}
DIVISION_CODE_LENGTH = 12
_DIGITS = re.compile(r"[0-9]+")


def depth_of(code: str, field: str = "code") -> int:
    if not _DIGITS.fullmatch(code or "") or len(code) not in DEPTH_BY_LENGTH:
        lengths = ", ".join(str(level.length) for level in LEVELS)
        raise InvalidInput(field, f"A grid code is {lengths} digits long")
    if code.startswith("00"):
        raise InvalidInput(field, "A grid code cannot start with 00")
    return DEPTH_BY_LENGTH[len(code)]


def level_of(code: str, field: str = "code") -> Level:
    return LEVELS[depth_of(code, field)]


def parent_of(code: str) -> str | None:
    depth = depth_of(code)
    return code[: LEVELS[depth - 1].length] if depth else None


def county_of(code: str) -> str:
    """The county prefix: the partition of the subtree index."""
    return code[: LEVELS[0].length]


def division_code(code: str) -> str:
    """The 12-digit statistical division code of the grid's town or village."""
    return code[:DIVISION_CODE_LENGTH].ljust(DIVISION_CODE_LENGTH, "0")


def in_subtree(code: str, root: str) -> bool:
    return code.startswith(root)


def validate_child(parent_code: str | None, code: str, field: str = "code") -> Level:
    """The level a new grid `code` takes under `parent_code`; raises when it cannot sit there."""
    if parent_code is None:
        if depth_of(code, field) != 0:
            raise InvalidInput("parent_code", "Only a county-level grid may have no parent")
        return LEVELS[0]
    parent_depth = depth_of(parent_code, "parent_code")
    if parent_depth + 1 >= len(LEVELS):
        raise InvalidInput("parent_code", "A micro-grid has no children")
    depth = depth_of(code, field)
    if depth != parent_depth + 1 or not code.startswith(parent_code):
        width = LEVELS[parent_depth + 1].length - len(parent_code)
        raise InvalidInput(field, f"Code must be {parent_code} followed by {width} digits")
    if set(code[len(parent_code):]) == {"0"}:
        raise InvalidInput(field, "The digits after the parent code cannot all be zero")
    return LEVELS[depth]


def child_code(parent_code: str, sequence: int) -> str:
    """The code of the `sequence`-th child (from 1) of `parent_code`."""
    depth = depth_of(parent_code, "parent_code")
    if depth + 1 >= len(LEVELS):
        raise InvalidInput("parent_code", "A micro-grid has no children")
    width = LEVELS[depth + 1].length - len(parent_code)
    if not 1 <= sequence < 10**width:
        raise InvalidInput("parent_code", f"No free code left under {parent_code}")
    return f"{parent_code}{sequence:0{width}d}"

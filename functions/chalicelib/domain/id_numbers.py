"""Resident ID-card numbers (居民身份证号码, GB 11643-1999).

Eighteen characters: a 6-digit address code, the birth date as YYYYMMDD, a
3-digit sequence whose parity gives the sex (odd: male), and a check
character computed over the first 17 digits (ISO 7064 MOD 11-2; "X" stands
for 10).
"""

import re
from dataclasses import dataclass
from datetime import date

from chalicelib.errors import InvalidInput

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
EARLIEST_BIRTH = date(1870, 1, 1)


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "male" or "female"


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, _WEIGHTS))
    return _CHECK_CHARACTERS[total % 11]


def parse(raw: str, field: str = "id_number", *, today: date | None = None) -> IdNumber:
    """The validated ID number (upper-cased "x"), its birth date and sex."""
    value = (raw or "").strip().upper()
    if not _SHAPE.match(value):
        raise InvalidInput(field, "An ID number is 17 digits and a digit or X",
                           code="id_number_shape")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidInput(field, "The birth date in the ID number is not a date",
                           code="id_number_birth_date") from None
    if not EARLIEST_BIRTH <= birth <= (today or date.today()):
        raise InvalidInput(field, "The birth date in the ID number is impossible",
                           code="id_number_birth_date")
    if check_character(value[:17]) != value[17]:
        raise InvalidInput(field, "The check character of the ID number is wrong",
                           code="id_number_checksum")
    return IdNumber(value=value, birth_date=birth, sex="male" if int(value[16]) % 2 else "female")


def make(address_code: str, birth: date, sequence: int) -> str:
    """A well-formed number (for demo data and tests)."""
    first_17 = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return first_17 + check_character(first_17)

"""The bases of the API's models and the types of what a client sends.

Answers are `Schema`s. What a client sends is a `Body` (strict: a JSON value of
the wrong type is refused, never coerced) or a `Query` (its values arrive as
strings, so "10" and "true" are read as a number and a yes). Either refuses C0
control characters and DEL in every string it holds: they cannot be seen on a
screen and an Excel export cannot write them. A `MultilineText` field (notes,
descriptions, comments) may hold tabs and line breaks.
"""

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.fields import FieldInfo

from chalicelib.domain import ids


class Schema(BaseModel):
    """Base of every request and response model: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", defer_build=True, str_strip_whitespace=True)


class _Multiline:
    """Marks a text field that may hold tabs and line breaks."""


MultilineText = Annotated[str, _Multiline()]

CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
# Tab, line feed and carriage return: a line break typed on Windows is CR LF.
CONTROL_CHARACTER_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_multiline(annotation: Any) -> bool:
    return any(isinstance(mark, _Multiline) for mark in getattr(annotation, "__metadata__", ())) \
        or any(_is_multiline(argument) for argument in get_args(annotation))


def _allows_line_breaks(field: FieldInfo) -> bool:
    return any(isinstance(mark, _Multiline) for mark in field.metadata) \
        or _is_multiline(field.annotation)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)


class Request(Schema):
    """What a client sends: no control characters in any string of any field."""

    @field_validator("*")
    @classmethod
    def _refuse_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields[info.field_name]
        forbidden = CONTROL_CHARACTER_BUT_LINE_BREAKS if _allows_line_breaks(field) \
            else CONTROL_CHARACTER
        for text in _strings(value):
            found = forbidden.search(text)
            if found:
                raise ValueError(f"Control characters are not allowed here "
                                 f"(U+{ord(found.group()):04X})")
        return value


class Body(Request):
    """A request body."""

    model_config = ConfigDict(strict=True)


class Query(Request):
    """A request's query parameters."""


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ].+)?")


def _written_day(value: Any) -> Any:
    if isinstance(value, date) or isinstance(value, str) and _DAY.fullmatch(value):
        return value
    raise ValueError("A day is written YYYY-MM-DD")


def _written_moment(value: Any) -> Any:
    if isinstance(value, datetime) or isinstance(value, str) and _MOMENT.fullmatch(value):
        return value
    raise ValueError("A time is written in ISO 8601, e.g. 2026-05-01T08:30:00+08:00")


# Pydantic would read a number, or a string of one ("0.5"), as seconds since 1970;
# a client's dates are ISO 8601 text (parsed from the string even in a strict Body).
Day = Annotated[date, Strict(False), BeforeValidator(_written_day)]
Moment = Annotated[datetime, Strict(False), BeforeValidator(_written_moment)]

RecordId = Annotated[str, StringConstraints(pattern=ids.RECORD_ID)]
GridCode = Annotated[str, StringConstraints(pattern=ids.GRID_CODE)]
ApiKeyId = Annotated[str, StringConstraints(pattern=ids.API_KEY_ID)]
CallbackId = Annotated[str, StringConstraints(pattern=ids.CALLBACK_ID)]
TicketId = Annotated[str, StringConstraints(pattern=ids.TICKET_ID)]

"""Path parameters are checked against the type their handler declares for them
(schemas.base RecordId, GridCode…): a value of a shape no record has is 404
before it reaches a store or an object key."""

from collections.abc import Callable
from functools import cache
from typing import Any, get_type_hints

from pydantic import TypeAdapter, ValidationError

from chalicelib import errors


@cache
def _declared_shape(handler: Callable, name: str) -> TypeAdapter | None:
    hint = get_type_hints(handler, include_extras=True).get(name, str)
    return None if hint is str else TypeAdapter(hint)


def check(handler: Callable, values: dict[str, Any]) -> None:
    for name, value in values.items():
        shape = _declared_shape(handler, name)
        if shape is None:
            continue
        try:
            shape.validate_python(value)
        except ValidationError:
            raise errors.NotFound(f"There is no {name} like this", details=[
                {"field": name, "message": "Not an id this system gives"}]) from None

"""Modules loaded on first use.

Route modules name their use cases through `lazy(...)`: a cold Lambda serving
one route then imports (and compiles: Lambda's file system is read-only, so no
bytecode is cached) only that route's use cases, stores and rules, not every
one of them; a sweep's function loads only what its sweep runs.
"""

import importlib
from types import ModuleType
from typing import Any


class _Lazy:
    """Stands for a module; imports it when one of its attributes is first read.
    (importlib's LazyLoader is not safe with threads before Python 3.12.)"""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            # import_module holds the import lock: two threads get one module.
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy(name: str) -> Any:
    """The module `name`, imported when one of its attributes is first read."""
    return _Lazy(name)

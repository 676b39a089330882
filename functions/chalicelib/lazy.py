"""Modules loaded on first use.

Route modules name their use cases through `lazy(...)`: a cold Lambda serving
one route then imports (and compiles: Lambda's file system is read-only, so no
bytecode is cached) only that route's use cases, stores and rules, not every
one of them; a sweep's function loads only what its sweep runs.
"""

import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    """The module `name`, executed when one of its attributes is first read."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module

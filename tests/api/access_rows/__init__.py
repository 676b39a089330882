"""The rows of the access matrix, one module per group of routes.

Each module defines
- ROUTES: operation name → (roles that may call it, or None for public; the status
  they get, or {role: status, "*": status} where it differs by role;
  request(grid) → (method, path, body)). A request that touches no grid
  ignores its argument; `grid` is a code inside the caller's scope (or, for the
  out-of-scope check, a village of another county).
- SCOPED: the operations that touch a grid: outside the caller's scope they are
  403 for everyone.
- MACHINE_ROUTES: the operations an API key scoped to MACHINE_SCOPE may call.
Modules are picked up by name: adding a file here adds its rows.
"""

import importlib
import pkgutil

ADMINS = {"county_admin", "town_admin"}
EVERYONE = {"county_admin", "town_admin", "dispatcher", "supervisor", "grid_leader",
            "grid_worker", "viewer"}
MACHINE_SCOPE = "140825102"

ROUTES: dict = {}
SCOPED: set[str] = set()
MACHINE_ROUTES: set[str] = set()

for _module in pkgutil.iter_modules(__path__):
    _rows = importlib.import_module(f"{__name__}.{_module.name}")
    _clash = set(ROUTES) & set(_rows.ROUTES)
    assert not _clash, f"{_module.name} repeats rows of {_clash}"
    ROUTES.update(_rows.ROUTES)
    SCOPED |= set(getattr(_rows, "SCOPED", ()))
    MACHINE_ROUTES |= set(getattr(_rows, "MACHINE_ROUTES", ()))

"""The layers of functions/chalicelib import one way: no module reaches back to
one that imports it, the use cases, the domain and the store know nothing of
HTTP (chalicelib.web), and only the store speaks PynamoDB. Read off the source
(ast), every import counted wherever it stands (a function-level import is a
dependency all the same), and a module named to `lazy(...)` too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
CHALICELIB = FUNCTIONS / "chalicelib"

LAYERS_WITHOUT_HTTP = ("chalicelib.usecases", "chalicelib.domain", "chalicelib.store")

# Today's violations, each an import (module, what it imports) that the checks
# below pass over until it is gone; an entry that no longer is an import fails.
NOT_YET_FIXED: set[tuple[str, str]] = set()


def _module_names() -> dict[str, Path]:
    names = {}
    for path in CHALICELIB.rglob("*.py"):
        parts = path.relative_to(FUNCTIONS).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


MODULES = _module_names()


def _package(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def _imported(module: str, node: ast.AST) -> list[str]:
    """The names an import statement (or a `lazy("...")` call) brings in, made
    absolute; for `from x import y`, both x.y and x, as y may be a module or a
    name in x."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = _package(module).split(".")
            package = package[:len(package) - node.level + 1]
            base = ".".join(package + ([base] if base else []))
        return [base] + [f"{base}.{alias.name}" for alias in node.names]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lazy"
            and node.args and isinstance(node.args[0], ast.Constant)):
        return [node.args[0].value]
    return []


def _imports(*, all_of_them: bool = False) -> dict[str, set[str]]:
    """Each module's imports (but those not yet fixed, unless all of them are
    asked for): chalicelib modules by module name, anything else by its
    top-level package."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _imported(module, node):
                if name in MODULES:
                    found.add(name)
                elif not name.startswith("chalicelib"):
                    found.add(name.split(".")[0])
        found.discard(module)
        if not all_of_them:
            found -= {target for source, target in NOT_YET_FIXED if source == module}
        graph[module] = found
    return graph


IMPORTS = _imports()


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    """One cycle per strongly connected group of modules (Tarjan), as a path
    that comes back to where it starts, naming the group's other members."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = lowlink[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module] & graph.keys()):
            if target not in index:
                visit(target)
                lowlink[module] = min(lowlink[module], lowlink[target])
            elif target in stack:
                lowlink[module] = min(lowlink[module], index[target])
        if lowlink[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_described(_path_round(graph, group), group) for group in groups]


def _described(cycle: list[str], group: set[str]) -> str:
    others = sorted(group - set(cycle))
    return " -> ".join(cycle) + (f" (and through {', '.join(others)})" if others else "")


def _path_round(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest way from the group's first module back to itself."""
    start = min(group)
    came_from = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for module in frontier:
            for target in sorted(graph[module] & group):
                if target == start:
                    path = [module]
                    while came_from[path[-1]] is not None:
                        path.append(came_from[path[-1]])
                    return [start] + path[::-1][1:] + [start]
                if target not in came_from:
                    came_from[target] = module
                    following.append(target)
        frontier = following
    raise AssertionError(f"{group} is not a cycle")


def test_no_import_cycles():
    cycles = _cycles(IMPORTS)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_what_is_not_yet_fixed_still_is_an_import():
    every_import = _imports(all_of_them=True)
    fixed = sorted(f"{module} -> {target}" for module, target in NOT_YET_FIXED
                   if target not in every_import.get(module, ()))
    assert not fixed, "no longer imported, drop from NOT_YET_FIXED: " + ", ".join(fixed)


def test_only_the_routes_and_the_entry_points_import_web():
    reaching_web = sorted(
        f"{module} imports {target}"
        for module, targets in IMPORTS.items() if any(_in(module, layer) for layer in LAYERS_WITHOUT_HTTP)
        for target in targets if _in(target, "chalicelib.web"))
    assert not reaching_web, "\n".join(reaching_web)


def test_only_the_store_imports_pynamodb():
    outside_store = sorted(module for module, targets in IMPORTS.items()
                           if "pynamodb" in targets and not _in(module, "chalicelib.store"))
    assert not outside_store, "pynamodb imported outside chalicelib.store by " + ", ".join(outside_store)


def _store_models_named(tree: ast.AST) -> list[str]:
    """The PynamoDB models of chalicelib.store a module names: imported by name
    (`from chalicelib.store.x import XModel`) or reached through the module
    (`x_store.XModel`). pydantic's models are not the store's: none is named so."""
    named = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chalicelib.store"):
            named += [alias.name for alias in node.names if alias.name.endswith("Model")]
        elif isinstance(node, ast.Attribute) and node.attr.endswith("Model") and \
                isinstance(node.value, ast.Name) and node.value.id not in ("pydantic",):
            named.append(f"{node.value.id}.{node.attr}")
    return named


def test_only_the_store_names_its_models():
    """A use case, a route or a sweep works with domain objects; the store maps
    them to and from its items."""
    naming = sorted(f"{module}: {', '.join(sorted(set(names)))}"
                    for module, path in MODULES.items() if not _in(module, "chalicelib.store")
                    if (names := _store_models_named(ast.parse(path.read_text(encoding="utf-8")))))
    assert not naming, "store models named outside chalicelib.store:\n" + "\n".join(naming)


def test_the_model_check_sees_models():
    found = _store_models_named(ast.parse(
        "from chalicelib.store.cases import CaseModel\nx = callback_store.CallbackModel"))
    assert found == ["CaseModel", "callback_store.CallbackModel"]


def test_the_walk_sees_the_imports():
    """The walk finds known imports (a package's, a module's, a lazy one), so an
    empty result above means no violation, not a blind walk."""
    assert "chalicelib.domain.case_flow" in IMPORTS["chalicelib.usecases.cases"]
    assert "pynamodb" in IMPORTS["chalicelib.store.cases"]
    assert "chalicelib.usecases.cases" in IMPORTS["chalicelib.routes.cases"]

"""docs/access-patterns.md lists every read of the store modules by the function
that makes it, and names no function that does not exist. Read off the source
(ast): nothing is imported or run."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHALICELIB = ROOT / "functions" / "chalicelib"
DOC = ROOT / "docs" / "access-patterns.md"

# What reads DynamoDB wherever it is written: a query (a model's, an index's,
# a connection's, or a query handed to store.base.query_page), a batch get, a
# refresh...
READ_ATTRIBUTES = {"query", "batch_get", "refresh", "get_item", "batch_get_item", "scan"}
# ...and, on a model, a get by key or a count.
MODEL_READS = {"get", "count"}


def _is_model(node: ast.expr) -> bool:
    """A model class, as the store names them (GridModel), or a generic helper's
    `model` parameter."""
    return isinstance(node, ast.Name) and (node.id.endswith("Model") or node.id == "model")


def _reads_directly(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and (
                node.attr in READ_ATTRIBUTES
                or node.attr in MODEL_READS and _is_model(node.value)):
            return True
    return False


def _functions(module: ast.Module) -> dict[str, ast.AST]:
    """Top-level functions and the methods of top-level classes, by name
    (`function`, `Class.method`)."""
    found: dict[str, ast.AST] = {}
    for node in module.body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            found.update({f"{node.name}.{method.name}": method for method in node.body
                          if isinstance(method, ast.FunctionDef)})
    return found


def _calls(function: ast.AST) -> set[str]:
    return {node.func.id for node in ast.walk(function)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def _readers(path: Path) -> set[str]:
    """The public functions of a module that read, themselves or through one of
    the module's private helpers."""
    functions = _functions(ast.parse(path.read_text(encoding="utf-8")))
    reading = {name for name, function in functions.items() if _reads_directly(function)}
    while True:
        private = {name for name in reading if name.split(".")[-1].startswith("_")}
        more = {name for name, function in functions.items()
                if name not in reading and _calls(function) & private}
        if not more:
            break
        reading |= more
    return {name for name in reading if not name.split(".")[-1].startswith("_")}


def _store_readers() -> set[str]:
    return {f"store.{path.stem}.{name}"
            for path in sorted((CHALICELIB / "store").glob("*.py")) for name in _readers(path)}


def _named_in_doc() -> list[str]:
    """The functions of the doc's `store function` column, qualified: a bare
    name is of the module named before it in its cell."""
    names = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        last_cell = line.strip().strip("|").split("|")[-1]
        module = None
        for name in re.findall(r"`([\w.]+)`", last_cell):
            if "." in name:
                module, _, name = name.rpartition(".")
            assert module, f"{name!r} in {line!r}: of which module?"
            names.append(f"{module}.{name}")
    assert names, f"no store functions found in {DOC}"
    return names


def test_every_store_function_that_reads_is_listed():
    listed = set(_named_in_doc())
    missing = sorted(_store_readers() - listed)
    assert not missing, f"add the reads of {', '.join(missing)} to {DOC.name}"


def test_every_function_the_doc_names_exists():
    defined = {}
    for name in _named_in_doc():
        package_and_module, _, function = name.rpartition(".")
        path = CHALICELIB / (package_and_module.replace(".", "/") + ".py")
        if path not in defined:
            defined[path] = (set(_functions(ast.parse(path.read_text(encoding="utf-8"))))
                             if path.exists() else set())
        assert function in defined[path], f"{DOC.name} names {name}, which does not exist"

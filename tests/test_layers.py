"""The package's layers hold: every module is parsed (ast) and its imports of kg modules are checked.

Layers, lowest first: ``kg.errors`` (the exception family every layer raises) and ``kg.schema``; the core
(``kg/*.py``, ``kg.backends``, ``kg.rdf``); ``kg.loaders``; ``kg.demo`` (writes demo files and loads them
through the loaders); ``kg.queries``; ``kg.viz``; the CLI (``kg.cli``, ``kg.__main__``).

* a module imports nothing from a higher layer, at module level or inside a function;
* module-level imports form no cycle;
* imports of kg modules sit at module level, except in the CLI (which imports its commands' modules when a
  command runs, to start fast) and the few :data:`LOCAL_IMPORTS` listed with their reason.

Imports under ``if TYPE_CHECKING:`` are for the type checker only: they never run and are not checked.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: source folder -> package name (``[tool.setuptools] package-dir`` in pyproject.toml)
PACKAGE_DIRS = {"kg": "kg", "schema": "kg.schema", "loaders": "kg.loaders", "queries": "kg.queries", "viz": "kg.viz"}
#: (module prefix, layer), most specific prefix first
LAYERS = [
    ("kg.__main__", 6),
    ("kg.cli", 6),
    ("kg.viz", 5),
    ("kg.queries", 4),
    ("kg.demo", 3),
    ("kg.loaders", 2),
    ("kg.schema", 0),
    ("kg.errors", 0),
    ("kg", 1),
]
#: the function-local imports of kg modules outside the CLI that stay, with the reason
LOCAL_IMPORTS = {
    ("kg.backends", "kg.backends.neo4j_backend"): "the Neo4j backend is loaded only when a server store is "
    "opened, so embedded use and analytics never load it (tests/test_backends.py::"
    "test_analytics_reach_gds_through_the_engine_registry_not_the_backend)",
    ("kg.viz.views", "kg.queries.matching"): "match_view still draws the firm and its partners, with a warning, "
    "when partner matching cannot be imported (tests/test_viz.py::test_match_view_without_matching_says_why)",
}
#: layer violations that stay, with the reason (each is also a listed local import)
UPWARD: dict[tuple[str, str], str] = {}


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    out = {}
    for folder, package in PACKAGE_DIRS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


MODULES = modules()


def layer(module: str) -> int:
    return next(n for prefix, n in LAYERS if module == prefix or module.startswith(prefix + "."))


def _target(name: str) -> str | None:
    """The module of the package an imported name lives in (``None`` outside the package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imports() -> list[tuple[str, str, bool, int]]:
    """``(module, imported module, inside a function, line)`` for every import of a kg module."""
    out = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

        def visit(node: ast.AST, local: bool, module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                if _type_checking(child):
                    continue
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for name in _imported(module, child):
                        target = _target(name)
                        if target and target != module:
                            out.append((module, target, local, child.lineno))
                inner = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                visit(child, inner)

        visit(tree, False)
    return out


IMPORTS = imports()


def cycles(edges) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def test_the_package_is_all_there():
    assert {"kg.graph", "kg.regions", "kg.loaders.load", "kg.queries.targets", "kg.viz.views", "kg.cli.app"} <= set(
        MODULES
    )
    assert len(IMPORTS) > 300


def test_no_module_imports_a_higher_layer():
    upward = sorted(
        f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)}) at line {line}"
        for m, t, _, line in IMPORTS
        if layer(t) > layer(m) and (m, t) not in UPWARD
    )
    assert upward == []


def test_no_import_cycle_at_module_level():
    assert cycles((m, t) for m, t, local, _ in IMPORTS if not local) == []


def test_kg_modules_are_imported_at_module_level_outside_the_cli():
    local = sorted(
        f"{m} imports {t} inside a function (line {line})"
        for m, t, is_local, line in IMPORTS
        if is_local and layer(m) < layer("kg.cli") and (m, t) not in LOCAL_IMPORTS
    )
    assert local == []


def test_every_listed_exception_is_still_needed_and_says_why():
    present = {(m, t) for m, t, is_local, _ in IMPORTS if is_local}
    assert set(LOCAL_IMPORTS) <= present, set(LOCAL_IMPORTS) - present
    assert set(UPWARD) <= present
    assert all(len(reason) > 30 for reason in LOCAL_IMPORTS.values())


def test_the_checks_catch_what_they_check():
    assert layer("kg.loaders.policy") < layer("kg.queries.targets") < layer("kg.viz.views") < layer("kg.cli.app")
    assert layer("kg.schema.model") == layer("kg.errors") < layer("kg.graph") == layer("kg.rdf.importer")
    assert cycles([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]) == [["a", "b", "c"]]
    assert cycles([("a", "b"), ("b", "c")]) == []
    assert _imported("kg.loaders.load", ast.parse("from . import nodes").body[0]) == ["kg.loaders.nodes"]

"""The layers of docs/architecture.md hold, with no exceptions, and no two modules import each other.

Every module is parsed with ``ast``: imports anywhere count (inside functions, under
``TYPE_CHECKING``), because an import inside a function is still knowledge of the layer above.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("planner", "graph", "reports", "ui")
ALLOWED = {
    "planner": {"planner"},
    "graph": {"planner", "graph"},
    "reports": {"planner", "graph", "reports"},
    "ui": {"planner", "graph", "reports", "ui"},
}
"""Which of our packages each package may import (knowledge points down only)."""
QT = ("PySide6", "shiboken6")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    out = {"main": ROOT / "main.py"}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            out[_module_name(path)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in a module, resolved to our module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.append((sub if sub in MODULES else target, node.lineno))
    return out


def _ours(target: str) -> str | None:
    """The module of ours that ``target`` names (its nearest enclosing module), or None."""
    while target:
        if target in MODULES:
            return target
        target = target.rpartition(".")[0]
    return None


@functools.cache
def _all_imports() -> dict[str, list[tuple[str, int]]]:
    """Every module's imports, read when a test first asks (not at collection, in every worker)."""
    return {name: _imports(name, path) for name, path in MODULES.items()}


@pytest.mark.parametrize("package", PACKAGES)
def test_each_layer_imports_only_the_layers_below(package):
    wrong = []
    for name, imports in _all_imports().items():
        if name.split(".")[0] != package:
            continue
        for target, line in imports:
            top = target.split(".")[0]
            if top in PACKAGES and top not in ALLOWED[package]:
                wrong.append(f"{MODULES[name].relative_to(ROOT)}:{line} imports {target}")
            if package != "ui" and top in QT:
                wrong.append(f"{MODULES[name].relative_to(ROOT)}:{line} imports Qt ({target})")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_one_that_imports_it_back():
    """The import graph of our modules has no cycle, of any length."""
    edges = {name: sorted({m for target, _ in imports if (m := _ours(target)) and m != name})
             for name, imports in _all_imports().items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif not state.get(nxt):
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(edges):
        if not state.get(name):
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_checker_sees_imports_inside_functions(tmp_path):
    """An import hidden in a function body is still found (the rule has no exceptions)."""
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from graph import analyse\n    import ui.app\n")
    assert [t for t, _ in _imports("planner.m", path)] == ["graph", "ui.app"]

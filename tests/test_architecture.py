"""The architecture as tests: one-way imports between the packages, no import cycle, files of a few hundred lines.

Layers (STYLE.md): ``models/`` and ``finance/`` import nothing of ours, ``knowledge/`` imports only itself,
``agents/`` may import ``knowledge``, ``models`` and ``finance``, and ``app/`` sits on top. Imports are read
with ``ast`` from every module of the five packages, sub-packages included, and from every place in a module
(inside functions too, where a lazy import can hide a cycle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "knowledge", "agents", "models", "finance")
ALLOWED: dict[str, set[str]] = {
    "models": {"models"},
    "finance": {"finance"},
    "knowledge": {"knowledge"},
    "agents": {"agents", "knowledge", "models", "finance"},
    "app": set(PACKAGES),
}
MAX_LINES = 400
#: files over MAX_LINES that this refactor was told not to touch (another engineer is rewriting them)
OVERSIZE_EXEMPT: set[str] = set()


def _module_files() -> Iterator[Path]:
    for pkg in PACKAGES:
        yield from sorted((ROOT / pkg).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in _module_files()}


def _resolve(name: str) -> str | None:
    """The longest known module that ``name`` is or is inside of (``pkg.mod.attr`` -> ``pkg.mod``)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """Our modules that ``module`` imports, wherever the import statement is (top level or in a function)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import mod`` imports the module pkg.mod; ``from pkg.mod import name`` imports pkg.mod
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        for target in targets:
            resolved = _resolve(target)
            if resolved is not None and resolved != module:
                found.add(resolved)
    return found


GRAPH: dict[str, set[str]] = {m: imports_of(m) for m in MODULES}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_the_scan_sees_the_packages_and_lazy_imports() -> None:
    assert {"knowledge.roadmap.store", "app.cli.common", "models.demos.registry"} <= set(MODULES)
    # a function-level import counts (agents.tools imports the planner inside a tool)
    assert "knowledge.planner" in GRAPH["agents.tools"]


def test_cycle_detection_catches_a_planted_cycle() -> None:
    """Negative control: the detector must see a cycle hidden behind a function-level import."""
    planted = {k: set(v) for k, v in GRAPH.items()}
    planted["knowledge.roadmap.store"].add("knowledge.roadmap.progress")  # progress imports store
    pair = {"knowledge.roadmap.progress", "knowledge.roadmap.store"}
    assert any(pair <= set(cycle) for cycle in import_cycles(planted))


def test_no_import_cycle() -> None:
    cycles = import_cycles(GRAPH)
    assert not cycles, "import cycles (break them with a module both sides import): " + "; ".join(
        " <-> ".join(c) for c in cycles
    )


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_follow_the_layers(package: str) -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in ALLOWED[package]
    )
    assert not wrong, f"{package}/ may import only {sorted(ALLOWED[package])}: " + "; ".join(wrong)


def test_files_stay_small() -> None:
    too_long = {}
    for path in _module_files():
        rel = path.relative_to(ROOT).as_posix()
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and rel not in OVERSIZE_EXEMPT:
            too_long[rel] = n
    assert not too_long, f"split these files (at most {MAX_LINES} lines): {too_long}"

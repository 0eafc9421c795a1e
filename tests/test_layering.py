"""Import layering of extraction, cleaning and the vocabulary: extraction never reaches cleaning,
the vocabulary reaches neither, and no import circle joins the packages (read from the source
with ``ast``, imports inside functions included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.crawling import REPO

PACKAGE = REPO / "newsbot"


def module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its source. ``from a import b``
    counts as importing ``a.b`` when that is a module, else ``a``; importing ``a.b`` also runs
    the package ``a``."""
    files = {module_name(p, root.parent): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in files else base)
        edges: set[str] = set()
        for target in targets:
            parts = target.split(".")
            # the module itself and every package on the way to it
            edges.update(".".join(parts[:i]) for i in range(1, len(parts) + 1)
                         if ".".join(parts[:i]) in files)
        edges.discard(name)
        graph[name] = edges
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_graph_sees_the_imports_it_must_judge(graph: dict[str, set[str]]) -> None:
    # the checks below mean something only if the graph holds the known edges
    assert "newsbot.cleaning" in graph["newsbot.api"]
    assert "newsbot.extract" in graph["newsbot.api"]
    assert "newsbot.vocabulary.lines" in graph["newsbot.extract.plaintext"]
    assert "newsbot.cleaning.templates" in graph["newsbot.pipelines.boilerplate"]
    assert "newsbot.extract" in reachable(graph, "newsbot.cleaning.command")


def test_a_planted_circle_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "newsbot"
    (pkg / "extract").mkdir(parents=True)
    (pkg / "cleaning").mkdir()
    for folder in (pkg, pkg / "extract", pkg / "cleaning"):
        (folder / "__init__.py").write_text("")
    (pkg / "extract" / "page.py").write_text("def f():\n    from ..cleaning import runner\n")
    (pkg / "cleaning" / "runner.py").write_text("from newsbot.extract.page import f\n")
    planted = import_graph(pkg)
    assert "newsbot.cleaning.runner" in reachable(planted, "newsbot.extract.page")
    assert circles_between(planted, "newsbot.extract", "newsbot.cleaning")


def circles_between(graph: dict[str, set[str]], first: str, second: str) -> list[tuple[str, str]]:
    """Pairs (a in first, b in second) where a reaches b and b reaches a."""
    found = []
    for a in (m for m in graph if in_package(m, first)):
        from_a = reachable(graph, a)
        for b in (m for m in from_a if in_package(m, second)):
            if a in reachable(graph, b):
                found.append((a, b))
    return found


def test_no_import_circle_between_extraction_and_cleaning(graph: dict[str, set[str]]) -> None:
    assert circles_between(graph, "newsbot.extract", "newsbot.cleaning") == []


@pytest.mark.parametrize(("package", "forbidden"), [
    ("newsbot.extract", ("newsbot.cleaning", "newsbot.api", "newsbot.pipelines")),
    ("newsbot.vocabulary", ("newsbot.extract", "newsbot.cleaning", "newsbot.api")),
])
def test_layers_import_only_downwards(graph: dict[str, set[str]], package: str,
                                      forbidden: tuple[str, ...]) -> None:
    bad = {}
    for module in (m for m in graph if in_package(m, package)):
        hits = sorted(m for m in reachable(graph, module)
                      if any(in_package(m, f) for f in forbidden))
        if hits:
            bad[module] = hits
    assert bad == {}

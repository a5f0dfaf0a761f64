"""The package tree is the map: dependencies point one way and no module imports itself back.

Every module's imports are read with ``ast`` (no import runs). An import under
``if TYPE_CHECKING:`` does not count; an import inside a function does, since it runs.

The layers (``../shared/DESIGN.md``, "Layout"):

- ``records`` imports nothing else of the package;
- ``media`` (reading and encoding files) imports records at most;
- ``formats`` imports records and media (pure helpers) only;
- ``store`` imports records only;
- ``active`` and ``models`` import no widget and no session;
- the widgets (``widget``, ``image``, ``text``, ``audio``, ``video``, ``classify``) import no
  session, model, learner or store;
- nothing private sits at the package root but ``_version``;
- there is no import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nbannotate"

WIDGETS = {"widget", "image", "text", "audio", "video", "classify"}
# part -> the parts it must not import ("*" means: every part not listed as allowed)
FORBIDDEN: dict[str, set[str]] = {
    **{part: {"session", "active", "models", "store"} for part in WIDGETS},
    "active": {*WIDGETS, "session", "store", "formats"},
    "models": {*WIDGETS, "session", "store"},
}
# part -> the only parts it may import (besides itself)
ONLY: dict[str, set[str]] = {
    "records": set(),
    "media": {"records"},
    "formats": {"records", "media"},
    "store": {"records"},
    "agreement": {"records", "store"},
}
ROOT_PRIVATE_ALLOWED = {"_version"}


def module_name(path: Path, root: Path) -> str:
    """``nbannotate/image/annotator.py`` -> ``nbannotate.image.annotator``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the statements under ``if TYPE_CHECKING:`` (they never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else (
                test.attr if isinstance(test, ast.Attribute) else None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at any depth of its code)."""
    files = {module_name(p, root): p for p in root.rglob("*.py") if "static" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        edges: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    parent = base[: len(base) - (node.level - 1)]
                    target = ".".join(parent + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != root.name:
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    edges.add(sub if sub in files else target)
            elif isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name.split(".")[0] == root.name)
        graph[name] = {e for e in edges if e in files and e != name}
    return graph


def part_of(module: str) -> str:
    """The top folder (or root module) a module belongs to: ``nbannotate.image._masks`` -> image."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports against the directions above, as readable lines."""
    found = []
    for module, targets in sorted(graph.items()):
        source = part_of(module)
        for target in sorted(targets):
            dest = part_of(target)
            if dest == source or (dest == "" and target.endswith("._version")):
                continue
            if dest in FORBIDDEN.get(source, set()) or (
                    source in ONLY and dest not in ONLY[source]):
                found.append(f"{module} imports {target} ({source} -> {dest})")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> Iterator[None]:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                yield from visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))
        yield

    for node in sorted(graph):
        if node not in index:
            for _ in visit(node):
                pass
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_imports_point_one_way() -> None:
    assert layer_violations(import_graph(PACKAGE)) == []


def test_nothing_private_at_the_root() -> None:
    private = {p.stem for p in PACKAGE.glob("_*.py")} - {"__init__"}
    assert private <= ROOT_PRIVATE_ALLOWED


def test_at_most_three_mixins() -> None:
    mixins = [f"{path.relative_to(PACKAGE)}:{node.name}"
              for path in PACKAGE.rglob("*.py") if "static" not in path.parts
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.ClassDef) and node.name.endswith("Mixin")]
    assert len(mixins) <= 3, mixins


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "nbannotate"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_checks_catch_a_widget_importing_the_session(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "image/__init__.py": "",
        "image/annotator.py": "from ..session.queue import Queue\n",
        "session/__init__.py": "",
        "session/queue.py": "from ..image.annotator import X\n",
    })
    graph = import_graph(root)
    assert layer_violations(graph) == [
        "nbannotate.image.annotator imports nbannotate.session.queue (image -> session)"]
    assert cycles(graph) == [["nbannotate.image.annotator", "nbannotate.session.queue"]]


def test_type_checking_imports_and_records_rules(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "records/__init__.py": "from ..media import images\n",
        "media/__init__.py": "", "media/images.py": "",
        "models/__init__.py": ("from typing import TYPE_CHECKING\n"
                               "if TYPE_CHECKING:\n    from ..image import annotator\n"),
        "image/__init__.py": "", "image/annotator.py": "",
    })
    assert layer_violations(import_graph(root)) == [
        "nbannotate.records imports nbannotate.media.images (records -> media)"]


@pytest.mark.parametrize("part", sorted(WIDGETS))
def test_every_widget_folder_exists(part: str) -> None:
    assert (PACKAGE / part / "__init__.py").is_file()

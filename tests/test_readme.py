"""The README is tested as written.

Every Python block runs, in order, exactly as written, in one namespace (as a notebook would
run them), in a fresh folder; after each block a check shows that it does what the README says
it does. A new Python block without a check fails :func:`test_every_block_has_a_check`, so no
claim goes unchecked. The shell blocks are checked against what the suite's own setup runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", README, flags=re.S | re.M)
PYTHON = [code for lang, code in BLOCKS if lang == "python"]
SHELL = [code for lang, code in BLOCKS if lang == "bash"]

Check = Callable[[dict[str, Any]], None]
CHECKS: dict[str, Check] = {}


def check(first_line: str) -> Callable[[Check], Check]:
    """Register the check of the block whose first code line starts with ``first_line``."""
    def register(function: Check) -> Check:
        CHECKS[first_line] = function
        return function
    return register


def check_of(code: str) -> Check | None:
    first = next(line for line in code.splitlines() if line.strip())
    for start, function in CHECKS.items():
        if first.startswith(start):
            return function
    return None


def shows(value: Any) -> dict[str, Any]:
    """What displaying ``value`` in a notebook sends: its MIME bundle (a widget view)."""
    bundle = value._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data
    return data


@check("import numpy as np")
def _image_annotator(ns: dict[str, Any]) -> None:
    w = ns["w"]
    shows(w)
    height, width = ns["photo"].shape[:2]
    assert tuple(w.image_size) == (width, height)
    assert w.labels == ["building", "tree"]


@check("w.boxes")
def _image_records(ns: dict[str, Any]) -> None:
    assert ns["w"].boxes == []    # nothing drawn here: the comment shows a box once drawn


@check("# labeling.ipynb")
def _voila_app(ns: dict[str, Any]) -> None:
    session = ns["session"]
    shows(session)
    assert session.widget is session.annotator    # one anywidget: what Voilà shows
    panel = session.widget.panel                  # state, so a page opened later has it
    assert panel["charts"]["balance"]["labels"] == [str(d) for d in range(10)]
    assert panel["counts"]["remaining"] == len(ns["digits"].images)
    assert Path("labels.db").is_file() and session.store.annotator == "sam"


@check("import marimo as mo")
def _marimo_wrapper(ns: dict[str, Any]) -> None:
    labeler = ns["labeler"]
    assert type(labeler).__module__.startswith("marimo.")
    assert labeler.widget.labels == ["building", "tree"]
    assert labeler.value["revision"] == 0    # no edit applied yet


@check("labeler.value")
def _marimo_dependent_cell(ns: dict[str, Any]) -> None:
    labeler = ns["labeler"]
    # A finished edit from the browser raises the revision a dependent cell reads.
    box = {"id": "b1", "x": 1, "y": 1, "w": 5, "h": 5, "label": "tree", "source": "human"}
    labeler.widget._receive_changes({"type": "changes", "seq": 1, "changes": [
        {"field": "boxes", "op": "add", "record": box}]})
    assert labeler.widget.revision == 1
    assert labeler.value["revision"] == 1 and labeler.widget.boxes[0]["id"] == "b1"


@check("from sklearn.datasets import load_digits")
def _live_loop(ns: dict[str, Any]) -> None:
    session = ns["session"]
    shows(session)
    assert session.current is not None
    assert not session.finished
    assert len(session.skipped) == 0
    assert Path("digits.db").is_file()


@check("session.labels")
def _session_labels(ns: dict[str, Any]) -> None:
    labels = ns["session"].labels
    assert {"label", "source", "score"} <= set(labels.columns)
    assert len(labels) == 0       # nothing labeled yet: a fresh store


def test_every_block_has_a_check() -> None:
    assert PYTHON, "the README has no Python block"
    missing = [code.splitlines()[0] for code in PYTHON if check_of(code) is None]
    assert not missing, f"README blocks without a check in tests/test_readme.py: {missing}"


def test_python_blocks_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    closers = []
    try:
        for index, code in enumerate(PYTHON):
            exec(compile(code, f"README.md python block {index + 1}", "exec"), namespace)
            verify = check_of(code)
            assert verify is not None
            verify(namespace)
            closers += [v for v in namespace.values() if hasattr(v, "close") and
                        type(v).__module__.startswith("nbannotate")]
    finally:
        for value in closers:
            value.close()


def test_shell_blocks_are_what_the_suite_runs() -> None:
    commands = [line.split("#")[0].strip() for code in SHELL for line in code.splitlines()]
    commands = [c for c in commands if c]
    assert "bash scripts/tutorials" in commands and "bash scripts/test" in commands
    # CI runs exactly the README's test command.
    assert "exec bash scripts/test" in (ROOT / ".ci" / "run").read_text()
    # The development setup is the one scripts/test performs before every run.
    setup = (ROOT / "scripts" / "test").read_text()
    for command in commands:
        if command.startswith("npm ci && pip install -e"):
            assert "npm ci" in setup and 'pip install --quiet -e ".[test,dev]"' in setup
        elif command.startswith("npm run "):
            script = command.split()[2]
            assert f'"{script}"' in (ROOT / "package.json").read_text()
        elif command.startswith("bash scripts/"):
            path = ROOT / command.split()[1]
            assert path.is_file() and os.access(path, os.R_OK)

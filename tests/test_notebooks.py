"""Every tutorial in notebooks/ runs top to bottom in a real kernel (nbclient), so none goes
stale. Each notebook runs in a fresh temporary folder so that files it writes stay there."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_tutorials():
    assert NOTEBOOKS, "notebooks/ has no tutorial"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_tutorial_runs(path: Path, tmp_path: Path) -> None:
    for extra in path.parent.iterdir():
        if extra.is_file() and extra.suffix != ".ipynb":
            shutil.copy(extra, tmp_path / extra.name)
    notebook = nbformat.read(path, as_version=4)
    # A cell here takes seconds: a stuck one (a deadlock) fails the test, not the whole run.
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors

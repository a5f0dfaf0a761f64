"""The front end uses anywidget's model API only: nothing that exists in one host alone, so
JupyterLab, Notebook 7, Voilà, marimo, VS Code and Colab all run the same code."""

from __future__ import annotations

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "js"

# JupyterLab's application object, Lumino widgets, JupyterLab packages and the classic
# notebook's globals; the document's selection and focus, which a shadow root hides (use
# js/lib/shadow.ts).
FORBIDDEN = {
    r"\bjupyterapp\b": "window.jupyterapp (JupyterLab only)",
    r"@lumino/": "Lumino (JupyterLab only)",
    r"@jupyterlab/": "a JupyterLab package",
    r"@jupyter-widgets/": "an ipywidgets manager package",
    r"\bIPython\.": "the classic notebook's IPython global",
    r"\bwindow\.getSelection\(": "the page's selection (collapsed on a shadow host)",
    r"\bdocument\.activeElement\b": "the page's focus (the shadow host in marimo)",
    r"\bdocument\.caretRangeFromPoint\(": "hit-testing that stops at a shadow host",
}


def sources() -> list[Path]:
    return [p for p in JS.rglob("*.ts") if "tests" not in p.relative_to(JS).parts
            and p.name != "shadow.ts"]


def test_the_front_end_uses_no_host_specific_api():
    assert len(sources()) > 50
    found = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        for pattern, what in FORBIDDEN.items():
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(JS)}:{line}: {what}")
    assert found == []


def test_the_check_sees_a_forbidden_use():
    sample = "const app = (window as any).jupyterapp;\nconst s = window.getSelection();\n"
    hits = [what for pattern, what in FORBIDDEN.items() if re.search(pattern, sample)]
    assert len(hits) == 2

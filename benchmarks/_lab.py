"""What the benchmarks share: a JupyterLab with headless Chromium to open notebooks in, and
printing a table.

Examples
--------
>>> table("Speed", ["case", "ms"], [["small", 1.5], ["large", 12.25]])
<BLANKLINE>
Speed
case       ms
-----  ------
small   1.500
large  12.250

>>> with open_lab() as lab:                       # doctest: +SKIP
...     nb = lab.notebook("bench.ipynb", init_script="window.x = 1;")
...     nb.run("1 + 1")
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, LabServer, Notebook

__all__ = ["Lab", "open_lab", "table"]


@dataclass
class Lab:
    """A running JupyterLab (``server``; files go in ``server.root``) and a Chromium."""

    server: LabServer
    browser: Any

    def notebook(self, name: str, *, init_script: str | None = None,
                 viewport: tuple[int, int] = (1280, 1000)) -> Notebook:
        """A new notebook ``name``, opened in a browser context of its own."""
        context = self.browser.new_context(viewport={"width": viewport[0],
                                                     "height": viewport[1]})
        if init_script:
            context.add_init_script(init_script)
        return Notebook(context.new_page(), self.server,
                        self.server.create_notebook(name)).open()


@contextlib.contextmanager
def open_lab() -> Iterator[Lab]:
    """Start JupyterLab (bound to 127.0.0.1, in a temporary folder) and headless Chromium;
    stop both on exit."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = LabServer(Path(tmp)).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS, headless=True)
                try:
                    yield Lab(server, browser)
                finally:
                    browser.close()
        finally:
            server.stop()


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print ``rows`` under ``header``: numbers right-aligned (floats to 3 decimals), text
    left-aligned."""
    def cell(value: Any) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    numeric = [all(isinstance(row[i], (int, float)) for row in rows) and bool(rows)
               for i in range(len(header))]
    texts = [header, *[[cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in texts) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(value.rjust(width) if right else value.ljust(width)
                         for value, width, right in zip(row, widths, numeric, strict=True))

    print(f"\n{title}")
    print(line(header))
    print("  ".join("-" * width for width in widths))
    for row in texts[1:]:
        print(line(row))

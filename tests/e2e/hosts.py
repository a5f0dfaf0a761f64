"""The other front ends of the end-to-end tier: Jupyter Notebook 7, marimo and Voilà.

Each host shows one widget built by a :class:`Scene` (Python code that ends with the widget in
``annotator`` and an expression that reads its records back) and reads that expression **from
the kernel** after the test drove the widget with mouse and keyboard:

* Notebook 7 runs the scene in a cell and evaluates the expression in the kernel;
* marimo (``marimo run``) wraps the widget with ``mo.ui.anywidget`` and shows a *dependent
  cell* that prints the expression as JSON: the value read back is that cell's output, which
  changes only when marimo re-ran the cell after an edit;
* Voilà has no cells to run: the notebook registers an ``on_change`` callback that writes the
  expression as JSON to a file after every edit, and the test reads the file.

Every server binds 127.0.0.1 on a free port, with a token and its own config, data and runtime
folders under the test's temporary folder (nothing reaches the home folder), and is stopped
after use. Its log path is printed on failure (see ``conftest.py``).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .harness import SERVER_CONFIG, Notebook, free_port


@dataclass(frozen=True)
class Scene:
    """A widget to show and how to read its records back.

    ``setup`` is Python code that leaves the widget in ``annotator``; ``readback`` is an
    expression (of ``annotator``) whose JSON value the test waits on.
    """

    setup: str
    readback: str
    #: Read back from a file the kernel rewrites every 0.2 s, rather than on the widget's
    #: own changes (a session: a key press answers, and the store changes, not the widget's
    #: records; marimo re-runs cells only on the widget's state). Notebook 7 asks the kernel.
    polled: bool = False


class Server:
    """A front-end server process on 127.0.0.1, in its own folders, with a token."""

    name = "server"

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "notebooks"
        self.log_path = base / f"{self.name}.log"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self.root.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        """The environment: Jupyter and IPython folders (and XDG ones) inside ``base``."""
        folders = {name: self.base / name for name in (
            "config", "data", "runtime", "ipython", "xdg-config", "xdg-data", "xdg-cache",
            "xdg-state", "home")}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        (folders["config"] / "jupyter_server_config.py").write_text(SERVER_CONFIG)
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(folders["config"]),
                   JUPYTER_DATA_DIR=str(folders["data"]),
                   JUPYTER_RUNTIME_DIR=str(folders["runtime"]),
                   IPYTHONDIR=str(folders["ipython"]), JUPYTER_PLATFORM_DIRS="1",
                   XDG_CONFIG_HOME=str(folders["xdg-config"]),
                   XDG_DATA_HOME=str(folders["xdg-data"]),
                   XDG_CACHE_HOME=str(folders["xdg-cache"]),
                   XDG_STATE_HOME=str(folders["xdg-state"]),
                   PYTHONUNBUFFERED="1")
        # Kernels still find the shared kernelspec: only the data folder moves.
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (os.environ.get("JUPYTER_PATH", ""), str(Path(sys.prefix) / "share"
                                                                / "jupyter")) if p)
        env.pop("ANYWIDGET_HMR", None)
        return env

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready_url(self) -> str:
        raise NotImplementedError

    def start(self, timeout: float = 60.0) -> Server:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(self.command(), stdout=self._log,
                                        stderr=subprocess.STDOUT, env=self.env(),
                                        cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.ready_url(), timeout=2) as response:
                    if response.status == 200:
                        return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{self.name} did not answer within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self._log is not None:
            self._log.close()


class NotebookServer(Server):
    """Jupyter Notebook 7 (``jupyter notebook``), with ``window.jupyterapp`` exposed."""

    name = "notebook7"

    def command(self) -> list[str]:
        settings = self.base / "settings"
        settings.mkdir(exist_ok=True)
        return [sys.executable, "-m", "jupyter", "notebook", "--no-browser", "--allow-root",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--JupyterNotebookApp.expose_app_in_browser=True",
                f"--JupyterNotebookApp.user_settings_dir={settings}",
                f"--JupyterNotebookApp.workspaces_dir={self.base / 'workspaces'}"]

    def ready_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/status?token={self.token}"

    def url(self, path: str = "", **query: str) -> str:
        params = "&".join([*(f"{k}={v}" if v else k for k, v in query.items()),
                           f"token={self.token}"])
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}?{params}"

    def create_notebook(self, name: str) -> str:
        write_notebook(self.root / name, [])
        return name


class VoilaServer(Server):
    """Voilà serving the notebooks folder (each test opens its own notebook)."""

    name = "voila"

    def __init__(self, base: Path, progressive: bool = True) -> None:
        super().__init__(base)
        self.progressive = progressive

    def command(self) -> list[str]:
        return [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1",
                f"--port={self.port}", f"--token={self.token}",
                f"--progressive_rendering={self.progressive}",
                "--VoilaConfiguration.show_tracebacks=True", str(self.root)]

    def ready_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{name}?token={self.token}"


class MarimoServer(Server):
    """``marimo run`` of one notebook file (marimo serves one app per process)."""

    name = "marimo"

    def __init__(self, base: Path, notebook: Path) -> None:
        super().__init__(base)
        self.notebook = notebook

    def env(self) -> dict[str, str]:
        env = super().env()
        config = Path(env["XDG_CONFIG_HOME"]) / "marimo"
        config.mkdir(parents=True, exist_ok=True)
        # Its own config: cells run on open, nothing asked, nothing written to the home folder.
        (config / "marimo.toml").write_text(
            "[runtime]\nauto_instantiate = true\non_cell_change = \"autorun\"\n"
            "[completion]\ncopilot = false\n[package_management]\nmanager = \"pip\"\n")
        env["HOME"] = str(self.base / "home")
        return env

    def command(self) -> list[str]:
        return [sys.executable, "-m", "marimo", "run", str(self.notebook), "--headless",
                "--host", "127.0.0.1", "--port", str(self.port), "--token",
                "--token-password", self.token, "--no-sandbox", "--no-check"]

    def ready_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/health"

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?access_token={self.token}"


def write_notebook(path: Path, sources: list[str]) -> None:
    """Write an .ipynb with one code cell per source."""
    cells = [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
              "execution_count": None} for source in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))


def marimo_notebook(scene: Scene) -> str:
    """A marimo app: the widget wrapped by ``mo.ui.anywidget``, and a cell that depends on it
    and prints the read-back expression as JSON in an element the test finds."""
    setup = textwrap.indent(scene.setup.strip(), "    ")
    return f'''import marimo

app = marimo.App()


@app.cell
def _():
    import json

    import marimo as mo
    return json, mo


@app.cell
def _(mo):
{setup}
    w = mo.ui.anywidget(annotator)
    return annotator, w


@app.cell
def _(w):
    w
    return


@app.cell
def _(annotator, json, mo, w):
    # Depends on `w`: marimo re-runs this cell when the widget's state changes.
    mo.plain_text(json.dumps({{"revision": w.value.get("revision"),
                              "value": {scene.readback}}}, default=str))
    return


if __name__ == "__main__":
    app.run()
'''


VOILA_WRITER = """
import json as _json
from pathlib import Path as _Path

def _write_records(_change=None):
    _Path({path!r}).write_text(_json.dumps({readback}, default=str))

annotator.on_change(_write_records)
_write_records()
"""


POLL_WRITER = """
import json as _json
import threading as _threading
import time as _time
from pathlib import Path as _Path

def _write_forever():
    out = _Path({path!r})
    while True:
        try:
            out.with_suffix(".tmp").write_text(_json.dumps({readback}, default=str))
            out.with_suffix(".tmp").replace(out)
        except Exception as _error:  # read back as an error, never silently
            out.write_text(_json.dumps({{"error": repr(_error)}}))
        _time.sleep(0.2)

_threading.Thread(target=_write_forever, daemon=True).start()
"""


def read_written(path: Path) -> Any:
    """The value a scene's kernel wrote to ``path`` (a ValueError while it is not there)."""
    value = json.loads(path.read_text())
    if isinstance(value, dict) and set(value) == {"error"}:
        raise AssertionError(f"reading the value back failed in the kernel: {value['error']}")
    return value


class Host:
    """One front end showing one scene in a browser page: drive ``page``, then ``read()``."""

    name = "host"
    page: Any
    log_path: Path

    def read(self) -> Any:
        raise NotImplementedError

    def wait(self, condition: Callable[[Any], bool], timeout_s: float = 15.0) -> Any:
        """Poll the read-back value until ``condition(value)``; return the value."""
        deadline = time.monotonic() + timeout_s
        value: Any = None
        while time.monotonic() < deadline:
            try:
                value = self.read()
            except (ValueError, FileNotFoundError):  # not written yet, or being written
                value = None
            if value is not None and condition(value):
                return value
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: the value read back stayed {value!r} "
                             f"for {timeout_s} s")

    def close(self) -> None:
        """Release what the host started (kernels, server processes)."""


class Notebook7Host(Host):
    """Notebook 7: the scene runs in a cell; values are read from the kernel."""

    name = "notebook7"

    def __init__(self, page: Any, server: NotebookServer, scene: Scene, name: str) -> None:
        self.page = page
        self.log_path = server.log_path
        self.scene = scene
        path = server.create_notebook(name)
        self.notebook = Notebook7(page, server, path).open()
        self.cell = self.notebook.run(scene.setup + "\nannotator")

    def read(self) -> Any:
        return self.notebook.kernel_json(self.scene.readback)

    def close(self) -> None:
        self.page.evaluate(
            """(path) => { for (const w of window.jupyterapp.shell.widgets('main')) {
                 if (w.context && w.context.path === path) {
                   return w.sessionContext.shutdown(); } } }""", self.notebook.path)


class Notebook7(Notebook):
    """A notebook open in Notebook 7's own page (``/notebooks/<path>``)."""

    def open(self, timeout_ms: int = 60_000) -> Notebook7:
        self.page.goto(self.server.url(f"notebooks/{self.path}"))  # type: ignore[attr-defined]
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                    timeout=timeout_ms)
        self.page.wait_for_function(
            """(path) => { for (const w of window.jupyterapp.shell.widgets('main')) {
                 if (w.context && w.context.path === path) { const s = w.sessionContext.session;
                   return !!(s && s.kernel && s.kernel.connectionStatus === 'connected'
                             && s.kernel.status === 'idle'); } } return false; }""",
            arg=self.path, timeout=timeout_ms)
        return self


class VoilaHost(Host):
    """Voilà: the notebook writes the read-back value to a JSON file on every change."""

    name = "voila"

    def __init__(self, page: Any, server: VoilaServer, scene: Scene, name: str) -> None:
        self.page = page
        self.log_path = server.log_path
        self.out = server.root / f"{name}.json"
        writer = (POLL_WRITER if scene.polled else VOILA_WRITER).format(
            path=str(self.out), readback=scene.readback)
        write_notebook(server.root / f"{name}.ipynb", [scene.setup, writer, "annotator"])
        page.goto(server.url(f"{name}.ipynb"), timeout=60_000)

    def read(self) -> Any:
        return read_written(self.out)


class MarimoHost(Host):
    """marimo: the value read back is the output of a cell that depends on the widget."""

    name = "marimo"

    def __init__(self, page: Any, base: Path, scene: Scene) -> None:
        self.page = page
        notebook = base / "app.py"
        base.mkdir(parents=True, exist_ok=True)
        self.scene = scene
        self.out = base / "value.json"
        if scene.polled:
            scene = Scene(setup=scene.setup + POLL_WRITER.format(
                path=str(self.out), readback=scene.readback), readback=scene.readback)
        notebook.write_text(marimo_notebook(scene))
        self.server = MarimoServer(base / "server", notebook).start()
        self.log_path = self.server.log_path
        try:
            page.goto(self.server.url(), timeout=60_000)
        except Exception:
            self.server.stop()
            raise

    def output(self) -> dict[str, Any]:
        """The dependent cell's output: ``{"revision", "value"}``."""
        texts: list[str] = self.page.evaluate(
            """() => { const out = [];
                 const walk = (root) => { for (const el of root.querySelectorAll('*')) {
                   if (el.shadowRoot) walk(el.shadowRoot);
                   if (el.tagName === 'PRE' || el.classList.contains('plain-text')) {
                     out.push(el.textContent || ''); } } };
                 walk(document); return out; }""")
        for text in texts:
            text = text.strip()
            if text.startswith('{"revision"'):
                value: dict[str, Any] = json.loads(text)
                return value
        raise ValueError("the dependent cell has no output yet")

    def read(self) -> Any:
        if self.scene.polled:
            return read_written(self.out)
        return self.output()["value"]

    def in_shadow_root(self, selector: str) -> bool:
        """True when ``selector`` is found only inside a shadow root (as marimo renders)."""
        return bool(self.page.evaluate(
            """(selector) => { if (document.querySelector(selector)) return false;
                 const walk = (root) => { for (const el of root.querySelectorAll('*')) {
                   if (el.shadowRoot && (el.shadowRoot.querySelector(selector)
                                         || walk(el.shadowRoot))) return true; }
                   return false; };
                 return walk(document); }""", selector))

    def close(self) -> None:
        self.server.stop()

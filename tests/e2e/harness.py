"""A real JupyterLab and a headless Chromium for end-to-end tests of the widgets.

* :class:`LabServer` starts ``jupyter lab`` on 127.0.0.1 on a free port, with a token and
  isolated config, settings, workspace and runtime folders, and TCP_NODELAY on the kernel
  websocket (stock jupyter_server leaves Nagle's algorithm on: ~40 ms per small message).
* :class:`Notebook` drives one fresh notebook in a Playwright page: it runs cells through
  ``window.jupyterapp`` and reads values back **from the kernel** with ``kernel_json``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]

# Loaded by jupyter_server from the test's own config folder.
SERVER_CONFIG = '''
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

_original_open = KernelWebsocketHandler.open


async def _open_without_nagle(self, *args, **kwargs):
    self.set_nodelay(True)
    return await _original_open(self, *args, **kwargs)


KernelWebsocketHandler.open = _open_without_nagle
'''

# No news, update checks or other pop-ups over the widgets.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none"},
}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LabServer:
    """A JupyterLab server in its own folders, bound to 127.0.0.1.

    Examples
    --------
    >>> server = LabServer(tmp_path).start()  # doctest: +SKIP
    >>> server.url("lab")  # doctest: +SKIP
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "notebooks"
        self.log_path = base / "jupyterlab.log"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    def url(self, path: str = "", **query: str) -> str:
        params = "&".join(f"{k}={v}" if v else k for k, v in query.items())
        params = f"{params}&token={self.token}" if params else f"token={self.token}"
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}?{params}"

    def start(self, timeout: float = 60.0) -> LabServer:
        config = self.base / "config"
        settings = self.base / "settings"
        for folder in (self.root, config, settings, self.base / "workspaces",
                       self.base / "runtime", self.base / "ipython"):
            folder.mkdir(parents=True, exist_ok=True)
        (config / "jupyter_server_config.py").write_text(SERVER_CONFIG)
        for name, values in LAB_SETTINGS.items():
            package, plugin = name.rsplit("/", 1)
            target = settings / package
            target.mkdir(parents=True, exist_ok=True)
            (target / plugin).write_text(json.dumps(values))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config),
                   JUPYTER_RUNTIME_DIR=str(self.base / "runtime"),
                   IPYTHONDIR=str(self.base / "ipython"), JUPYTER_PLATFORM_DIRS="1",
                   PYTHONUNBUFFERED="1")
        env.pop("ANYWIDGET_HMR", None)
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
            "--ServerApp.open_browser=False", "--LabApp.news_url=",
        ]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        env=env, cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"jupyter lab did not answer within {timeout} s; see {self.log_path}")

    def create_notebook(self, name: str) -> str:
        """Create an empty notebook ``name`` through the contents API; return its path."""
        body = {"type": "notebook", "format": "json", "content": {
            "cells": [], "metadata": {"kernelspec": {
                "name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}}
        request = urllib.request.Request(
            self.url(f"api/contents/{name}"), data=json.dumps(body).encode(), method="PUT",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10):
            pass
        return name

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


_FIND_PANEL = """
(path) => {
  const app = window.jupyterapp;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path) return w;
  }
  return null;
}
"""

_RUN_CELL = """
async ({path, code}) => {
  const find = __FIND__;
  const panel = find(path);
  if (!panel) throw new Error('no notebook panel for ' + path);
  const app = window.jupyterapp;
  app.shell.activateById(panel.id);
  const notebook = panel.content;
  const shared = notebook.model.sharedModel;
  const index = shared.cells.length;
  shared.insertCell(index, {cell_type: 'code', source: code});
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  await app.commands.execute('notebook:run-cell');
  const cell = notebook.widgets[index];
  const deadline = Date.now() + __TIMEOUT__;
  const kernel = panel.sessionContext.session.kernel;
  while (cell.model.executionCount === null || kernel.status !== 'idle') {
    if (Date.now() > deadline) break;
    await new Promise(r => setTimeout(r, 20));
  }
  cell.node.setAttribute('data-e2e-cell', String(index));
  return {index, outputs: cell.model.outputs.toJSON()};
}
"""

_KERNEL_EXEC = """
async ({path, code}) => {
  const find = __FIND__;
  const panel = find(path);
  const kernel = panel.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  let out = '', error = null;
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type;
    if (t === 'stream' && msg.content.name === 'stdout') out += msg.content.text;
    if (t === 'error') error = msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return {out, error};
}
"""


class CellError(AssertionError):
    """A cell raised an exception in the kernel."""


class Notebook:
    """A fresh notebook open in a JupyterLab page, with its own kernel.

    Examples
    --------
    >>> nb.run("x = 40 + 2")  # doctest: +SKIP
    >>> nb.kernel_json("x")  # doctest: +SKIP
    42
    """

    def __init__(self, page: Any, server: LabServer, path: str) -> None:
        self.page = page
        self.server = server
        self.path = path

    def open(self, timeout_ms: int = 60_000) -> Notebook:
        self.page.goto(self.server.url(f"lab/tree/{self.path}", reset=""))
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                    timeout=timeout_ms)
        self.page.wait_for_function(
            f"""() => {{ const w = ({_FIND_PANEL})({json.dumps(self.path)});
                return w && w.sessionContext.session && w.sessionContext.session.kernel
                  && w.sessionContext.session.kernel.connectionStatus === 'connected'
                  && w.sessionContext.session.kernel.status === 'idle'; }}""",
            timeout=timeout_ms)
        return self

    def run(self, code: str, timeout_ms: int = 60_000) -> int:
        """Append a code cell, run it, wait until it finished; return the cell index.

        Raises :class:`CellError` with the traceback when the cell raised.
        """
        script = _RUN_CELL.replace("__FIND__", _FIND_PANEL).replace("__TIMEOUT__",
                                                                    str(timeout_ms))
        result = self.page.evaluate(script, {"path": self.path, "code": code})
        for output in result["outputs"]:
            if output.get("output_type") == "error":
                raise CellError(f"cell {result['index']} raised {output['ename']}: "
                                f"{output['evalue']}\n" + "\n".join(output.get("traceback", [])))
        return int(result["index"])

    def run_async(self, code: str) -> None:
        """Append a cell and start it without waiting (e.g. to keep the kernel busy)."""
        self.page.evaluate(
            """({path, code}) => { const find = __FIND__; const panel = find(path);
                const nb = panel.content; const shared = nb.model.sharedModel;
                const index = shared.cells.length;
                shared.insertCell(index, {cell_type: 'code', source: code});
                nb.activeCellIndex = index; nb.deselectAll();
                window.jupyterapp.commands.execute('notebook:run-cell'); }""".replace(
                "__FIND__", _FIND_PANEL),
            {"path": self.path, "code": code})

    def kernel_exec(self, code: str) -> str:
        """Execute ``code`` in the notebook's kernel (no cell); return what it printed."""
        result = self.page.evaluate(_KERNEL_EXEC.replace("__FIND__", _FIND_PANEL),
                                    {"path": self.path, "code": code})
        if result["error"]:
            raise CellError(result["error"])
        return str(result["out"])

    def kernel_json(self, expression: str) -> Any:
        """Evaluate ``expression`` in the kernel and return its value through JSON."""
        out = self.kernel_exec(
            f"import json as _e2e_json\nprint(_e2e_json.dumps({expression}, default=str))")
        return json.loads(out.strip().splitlines()[-1])

    def output(self, index: int, selector: str) -> Any:
        """A Playwright locator for ``selector`` inside the output of cell ``index``."""
        return self.page.locator(f'[data-e2e-cell="{index}"] .jp-OutputArea {selector}')

    def wait_kernel(self, expression: str, timeout_s: float = 10.0) -> Any:
        """Poll ``expression`` in the kernel until it is truthy; return its value."""
        deadline = time.monotonic() + timeout_s
        value = None
        while time.monotonic() < deadline:
            value = self.kernel_json(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"kernel expression {expression!r} stayed {value!r} "
                             f"for {timeout_s} s")

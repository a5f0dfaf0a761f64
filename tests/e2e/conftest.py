"""Fixtures of the end-to-end tier: one JupyterLab and one Chromium per run, a fresh
notebook (own kernel, own browser context) per test. On failure, a screenshot and the
JupyterLab log are kept under the test's tmp folder and their paths are printed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import CHROMIUM, CHROMIUM_ARGS, LabServer, Notebook
from .hosts import Host, MarimoHost, Notebook7Host, NotebookServer, Scene, VoilaHost, VoilaServer

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does)")
    server = LabServer(tmp_path_factory.mktemp("jupyterlab")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        notebook: Notebook | None = getattr(item, "_e2e_notebook", None)
        if notebook is not None:
            shot = Path(str(item.funcargs["tmp_path"])) / "failure.png"
            try:
                notebook.page.screenshot(path=str(shot), full_page=True)
            except Exception as error:  # the page may be gone; the log still helps
                shot = Path(f"(no screenshot: {error})")
            report.sections.append(("e2e artifacts", f"screenshot: {shot}\n"
                                    f"JupyterLab log: {notebook.server.log_path}"))
        host: Host | None = getattr(item, "_e2e_host", None)
        if host is not None:
            shot = Path(str(item.funcargs["tmp_path"])) / "failure.png"
            try:
                host.page.screenshot(path=str(shot), full_page=True)
            except Exception as error:  # the page may be gone; the log still helps
                shot = Path(f"(no screenshot: {error})")
            report.sections.append(("e2e artifacts", f"screenshot: {shot}\n"
                                    f"{host.name} log: {host.log_path}"))
    return report


@pytest.fixture
def notebook(request: pytest.FixtureRequest, lab_server: LabServer, browser: Any,
             tmp_path: Path) -> Iterator[Notebook]:
    name = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name)[:80] + ".ipynb"
    path = lab_server.create_notebook(name)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    nb = Notebook(page, lab_server, path).open()
    nb.dialogs = dialogs  # type: ignore[attr-defined]
    request.node._e2e_notebook = nb
    yield nb
    try:  # shut the kernel down so kernels do not pile up over the run
        page.evaluate(
            """(path) => { for (const w of window.jupyterapp.shell.widgets('main')) {
                 if (w.context && w.context.path === path) {
                   return w.sessionContext.shutdown(); } } }""",
            path)
    finally:
        context.close()


# -- the other front ends (tests/e2e/hosts.py) ---------------------------------------------------
@pytest.fixture(scope="session")
def notebook7_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NotebookServer]:
    server = NotebookServer(tmp_path_factory.mktemp("notebook7"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    server = VoilaServer(tmp_path_factory.mktemp("voila"), progressive=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def show(request: pytest.FixtureRequest, browser: Any, tmp_path: Path) -> Iterator[Any]:
    """``show(kind, scene)``: the scene's widget in front end ``kind`` ("notebook7", "marimo"
    or "voila") in a fresh browser context; everything is closed after the test."""
    opened: list[tuple[Host, Any]] = []

    def open_host(kind: str, scene: Scene) -> Host:
        name = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name)[:80]
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        host: Host
        if kind == "notebook7":
            host = Notebook7Host(page, request.getfixturevalue("notebook7_server"), scene,
                                 name + ".ipynb")
        elif kind == "voila":
            host = VoilaHost(page, request.getfixturevalue("voila_server"), scene, name)
        elif kind == "marimo":
            host = MarimoHost(page, tmp_path / "marimo", scene)
        else:
            raise ValueError(f"kind must be notebook7, marimo or voila, got {kind!r}")
        opened.append((host, context))
        request.node._e2e_host = host
        return host

    yield open_host
    for host, context in opened:
        try:
            host.close()
        finally:
            context.close()

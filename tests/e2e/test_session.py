"""A labeling Session over scikit-learn's digits in a real JupyterLab: label with keys and
clicks, watch the dashboard change, see auto-labels appear, restart the kernel and resume from
the store. A standalone multi-label ClassLabeler checks text safety and toggles. Every result
is read back in the kernel."""

from __future__ import annotations

from playwright.sync_api import expect

from .harness import Notebook
from .test_classify import canvas_inked

SETUP = """
import threading
from sklearn.datasets import load_digits
from nbannotate import label
digits = load_digits()
session = label(digits.images / 16, labels=range(10), features=digits.data / 16,
                store={store!r}, auto_label_threshold=0.9, learner_options={{"cv": 3}})
session
"""

XSS = "<img src=x onerror=alert(1)>"


def cell_count(nb: Notebook) -> int:
    return int(nb.page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"))


def truth(nb: Notebook) -> int:
    """The digit shown now (what a person would answer)."""
    return int(nb.kernel_json("int(digits.target[session.current])"))


def note(nb: Notebook, cell: int) -> str:
    return str(nb.output(cell, ".nba-classify-note").inner_text())


def count(nb: Notebook, cell: int, name: str) -> object:
    return nb.output(cell, f'[data-count="{name}"] b')


def answer_with_key(nb: Notebook, cell: int) -> None:
    before = note(nb, cell)
    n = nb.kernel_json("session.learner.n_human")
    nb.page.keyboard.press(str(truth(nb)))
    nb.wait_kernel(f"session.learner.n_human == {n + 1}")
    # The next item is on screen (its note names another item).
    expect(nb.output(cell, ".nba-classify-note")).not_to_have_text(before)


def test_session_keys_clicks_dashboard_and_auto_labels(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP.format(store="e2e-keys.db"))
    labeler = nb.output(cell, ".nba-classify")
    labeler.wait_for(state="visible")
    image = nb.output(cell, ".nba-classify img.nba-pixelated")
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box is not None and round(box["width"]) == 192  # 8x8 digits, scaled up
    expect(count(nb, cell, "human")).to_have_text("0")

    # Keys act only while the pointer is over the session, and never reach JupyterLab.
    image.hover()
    cells = cell_count(nb)
    for key in ("b", "a", "d", "d", "x"):
        nb.page.keyboard.press(key)
    assert cell_count(nb) == cells
    assert nb.kernel_json("session.learner.n_human") == 0

    for _ in range(3):
        answer_with_key(nb, cell)
    for _ in range(2):  # clicks on the label buttons
        digit = truth(nb)
        n = nb.kernel_json("session.learner.n_human")
        nb.output(cell, ".nba-classify-label").nth(digit).click()
        nb.wait_kernel(f"session.learner.n_human == {n + 1}")
    expect(count(nb, cell, "human")).to_have_text("5")
    given = nb.kernel_json("[[int(i), int(v), int(digits.target[i])] for i, v, s in "
                           "session.labels[['id', 'label', 'source']].itertuples(index=False) "
                           "if s == 'human']")
    assert len(given) == 5
    assert [v for _, v, _ in given] == [t for _, _, t in given], given
    assert nb.kernel_json("len(session.store.items())") == 5

    # Backspace undoes the last label: the item comes back.
    image.hover()
    nb.page.keyboard.press("Backspace")
    nb.wait_kernel("session.learner.n_human == 4 and session.reason == 'again'")
    expect(count(nb, cell, "human")).to_have_text("4")
    expect(nb.output(cell, ".nba-classify-note")).to_contain_text("undone")
    answer_with_key(nb, cell)

    # Enough labels from a script cell for the model to auto-label; the refit thread hands
    # the dashboard redraw to the kernel's main thread.
    nb.run("redraws = []\n"
           "_update = session.dashboard.update\n"
           "def _spy(stats):\n"
           "    redraws.append(threading.current_thread().name)\n"
           "    _update(stats)\n"
           "session.dashboard.update = _spy\n"
           "for _ in range(40):\n"
           "    session.submit(int(digits.target[session.current]))")
    nb.wait_kernel("session.dashboard.counts['auto'] > 0 and not session.learner.is_training",
                   timeout_s=90)
    auto = nb.kernel_json("session.dashboard.counts['auto']")
    expect(count(nb, cell, "auto")).to_have_text(str(auto))
    expect(count(nb, cell, "human")).to_have_text("45")
    assert nb.kernel_json("sorted(set(redraws))") == ["MainThread"]
    assert nb.kernel_json("int((session.labels['source'] == 'auto').sum())") == auto
    expect(nb.output(cell, ".nba-panel-lines")).to_contain_text(
        "auto-labels at confidence ≥ 0.90")
    # The dashboard is the labeler's own panel: its charts are drawn in the browser from the
    # state (a curve, the confidence histogram with its threshold, the class balance).
    for name in ("curve", "confidence", "balance"):
        assert canvas_inked(nb, cell, name) > 50, name
    expect(nb.output(cell, ".nba-panel-progress-text")).to_contain_text(" / 1797")
    # The next item comes with the model's guess preselected and the reason it was chosen.
    nb.wait_kernel("session.reason == 'model'")
    expect(nb.output(cell, ".nba-classify-note")).to_contain_text("model guess:")
    guess = nb.kernel_json("session.suggestion.label")
    expect(nb.output(cell, ".nba-classify-label").nth(guess)).to_have_attribute(
        "aria-pressed", "true")  # preselected
    image.hover()
    nb.page.keyboard.press("Enter")  # accepts the guess
    nb.wait_kernel("session.learner.n_human == 46")
    assert nb.kernel_json(f"session.labels.query('source == \"human\"')['label'].tolist()"
                          f".count({guess}) >= 1")
    assert nb.dialogs == []


def test_kernel_restart_resumes_from_the_store(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP.format(store="e2e-resume.db"))
    image = nb.output(cell, ".nba-classify img.nba-pixelated")
    expect(image).to_be_visible()
    image.hover()
    for _ in range(3):
        answer_with_key(nb, cell)
    human = "session.labels.query('source == \"human\"')[['id', 'label']].to_dict('list')"
    before = nb.kernel_json(human)
    assert len(before["id"]) == 3
    # Restart as soon as the third label shows as saved (the next item is on screen).
    nb.page.evaluate(
        """async (path) => {
             for (const w of window.jupyterapp.shell.widgets('main')) {
               if (w.context && w.context.path === path) {
                 await w.sessionContext.restartKernel(); return; } } }""", nb.path)
    nb.page.wait_for_function(
        """(path) => { for (const w of window.jupyterapp.shell.widgets('main')) {
             if (w.context && w.context.path === path) { const k = w.sessionContext.session.kernel;
               return k && k.status === 'idle'; } } return false; }""", arg=nb.path,
        timeout=60_000)
    assert nb.kernel_json("'session' in globals()") is False  # a fresh kernel
    cell = nb.run(SETUP.format(store="e2e-resume.db"))
    assert nb.kernel_json(human) == before
    assert nb.kernel_json("session.counts['human']") == 3
    assert nb.kernel_json("str(session.current) not in session.store.items()")
    expect(count(nb, cell, "human")).to_have_text("3")
    nb.wait_kernel("session.learner.model is not None", timeout_s=60)  # refit from the store
    image = nb.output(cell, ".nba-classify img.nba-pixelated")
    image.hover()
    answer_with_key(nb, cell)
    assert nb.kernel_json("len(session.store.items())") == 4


def test_multi_label_class_labeler_keys_toggles_and_text_safety(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(
        "from nbannotate import ClassLabeler\n"
        f"w = ClassLabeler('<b>not bold</b> {XSS}', labels=['cat', {XSS!r}, 'dog'], "
        "multi=True)\n"
        "submitted = []\n"
        "w.on_submit(submitted.append)\n"
        "w")
    text = nb.output(cell, ".nba-classify-text")
    expect(text).to_have_text(f"<b>not bold</b> {XSS}")
    assert nb.output(cell, "img").count() == 0 and nb.output(cell, "b").count() == 0
    expect(nb.output(cell, ".nba-classify-label").nth(1)).to_have_text(f"2 · {XSS}")
    text.hover()
    cells = cell_count(nb)
    for key in ("1", "2", "3", "3", "a", "b"):
        nb.page.keyboard.press(key)
    nb.wait_kernel("w.value == ['cat', " + repr(XSS) + "]")
    nb.page.keyboard.press("Enter")
    nb.wait_kernel("submitted == [['cat', " + repr(XSS) + "]]")
    assert cell_count(nb) == cells
    # Away from the widget, keys belong to JupyterLab again.
    nb.page.mouse.move(5, 5)
    assert nb.kernel_json("len(submitted)") == 1
    assert nb.dialogs == []

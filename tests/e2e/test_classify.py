"""ClassLabeler (an anywidget) in a real JupyterLab: an image and a text labeled by key and by
click, multi-label toggles, keys kept from JupyterLab's shortcuts, and a session panel set from
Python whose charts are drawn in the browser and whose button and Ctrl+Enter reach the kernel.
Every result is read back in the kernel."""

from __future__ import annotations

from playwright.sync_api import expect

from .harness import Notebook

XSS = "<img src=x onerror=alert(1)>"

IMAGE = """
import numpy as np
from nbannotate import ClassLabeler
got = []
w = ClassLabeler(np.linspace(0, 1, 64).reshape(8, 8), labels=["cat", "dog", "bird"])
w.on_submit(lambda value: (got.append(value), w.show(np.eye(8))))
w
"""


def cell_count(nb: Notebook) -> int:
    return int(nb.page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"))


def canvas_inked(nb: Notebook, cell: int, name: str) -> int:
    """How many pixels of a panel chart differ from its background (drawn, not blank)."""
    return int(nb.output(cell, f"canvas.nba-chart-{name}").evaluate(
        """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0; for (let i = 0; i < d.length; i += 4) {
               const off = Math.abs(d[i] - 250) + Math.abs(d[i + 1] - 251)
                 + Math.abs(d[i + 2] - 252);
               if (off > 30) n++; }
             return n; }"""))


def test_image_label_by_key_and_by_click(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(IMAGE)
    image = nb.output(cell, ".nba-classify img.nba-pixelated")
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box is not None and round(box["width"]) == 192  # 8x8, scaled up crisply
    assert nb.output(cell, ".nba-classify-message").is_hidden()  # no empty message bar
    first = nb.output(cell, ".nba-classify").get_attribute("data-item")

    image.hover()
    cells = cell_count(nb)
    for key in ("b", "a", "x"):  # JupyterLab's shortcuts never see the labeler's keys
        nb.page.keyboard.press(key)
    assert cell_count(nb) == cells
    nb.page.keyboard.press("2")
    nb.wait_kernel("got == ['dog']")
    expect(nb.output(cell, ".nba-classify")).not_to_have_attribute("data-item", first or "")
    nb.output(cell, ".nba-classify-label").nth(2).click()
    nb.wait_kernel("got == ['dog', 'bird']")
    assert nb.kernel_json("w.items_shown") == 3
    assert cell_count(nb) == cells


def test_text_multi_label_toggles_and_submits(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(f"""
from nbannotate import ClassLabeler
got = []
m = ClassLabeler({("a cat and a dog " + XSS)!r}, labels=["cat", "dog", "bird"], multi=True,
                 note="why: <b>test</b>")
m.on_submit(got.append)
m
""")
    text = nb.output(cell, ".nba-classify-text")
    expect(text).to_have_text("a cat and a dog " + XSS)  # text, not markup
    assert nb.output(cell, ".nba-classify-text img").count() == 0
    expect(nb.output(cell, ".nba-classify-note")).to_have_text("why: <b>test</b>")
    text.hover()
    nb.page.keyboard.press("1")
    nb.page.keyboard.press("3")
    nb.wait_kernel("m.value == ['cat', 'bird']")
    nb.page.keyboard.press("3")
    nb.wait_kernel("m.value == ['cat']")
    nb.output(cell, ".nba-classify-label").nth(1).click()
    nb.wait_kernel("m.value == ['cat', 'dog']")
    labels = nb.output(cell, ".nba-classify-label")
    expect(labels.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(labels.nth(2)).to_have_attribute("aria-pressed", "false")
    assert nb.kernel_json("got") == []
    text.hover()
    nb.page.keyboard.press("Enter")
    nb.wait_kernel("got == [['cat', 'dog']]")


def test_panel_charts_drawn_and_actions_reach_the_kernel(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run("""
from nbannotate import ClassLabeler
from nbannotate.widget.panel import chart_state, panel_state
actions = []
w = ClassLabeler("some text to label", labels=["a", "b"])
w.on_panel_action(actions.append)
w.panel = panel_state(item=5, done=3, total=10, message="model refitted",
                      counts={"human": 3, "auto": 1},
                      charts=chart_state(curve_n=[10, 20, 30], curve_accuracy=[0.5, 0.7, 0.8],
                                         confidence=[0.1, 0.4, 0.6, 0.95, 0.97], threshold=0.9,
                                         labels=["a", "b"], human=[2, 1], auto=[1, 0],
                                         annotators=[("ana", 12, 3.5), ("bo", 7, 2.0)]))
w
""")
    expect(nb.output(cell, ".nba-panel-message")).to_have_text("model refitted")
    expect(nb.output(cell, ".nba-panel-progress-text")).to_have_text("3 / 10")
    for name in ("curve", "confidence", "balance", "annotators"):  # annotators: team mode
        assert canvas_inked(nb, cell, name) > 50, name
    bars = nb.output(cell, "canvas.nba-chart-annotators").evaluate(
        """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             const rows = new Set(); let n = 0;
             for (let i = 0; i < d.length; i += 4) {  // the bars' colour, #6a1b9a
               if (Math.abs(d[i] - 106) + Math.abs(d[i + 1] - 27) + Math.abs(d[i + 2] - 154) < 20) {
                 n++; rows.add(Math.floor(i / 4 / c.width)); } }
             return [n, rows.size]; }""")
    assert bars[0] > 500 and bars[1] >= 20  # two bars, one per annotator, a dozen rows each
    nb.output(cell, ".nba-panel-done").click()
    nb.wait_kernel("actions == [{'action': 'done', 'item': 5}]")
    nb.output(cell, ".nba-classify-text").hover()
    cells = cell_count(nb)
    nb.page.keyboard.press("Control+Enter")  # the panel's Done, not JupyterLab's run-cell
    nb.wait_kernel("len(actions) == 2")
    assert nb.kernel_json("actions[1]") == {"action": "done", "item": 5}
    nb.page.keyboard.press("Control+Shift+S")
    nb.wait_kernel("len(actions) == 3 and actions[2]['action'] == 'skip'")
    assert cell_count(nb) == cells
    # The panel follows its state, and a panel on a TextAnnotator works the same way.
    nb.kernel_exec("w.panel = {}")
    expect(nb.output(cell, ".nba-panel")).to_be_hidden()
    text_cell = nb.run("""
from nbannotate import TextAnnotator
t = TextAnnotator("Anna lives in Köln", labels=["PER"])
t.on_panel_action(actions.append)
t.panel = panel_state(item=9, buttons=["done", "auto"], threshold=0.9, lines=["<b>x</b>"],
                      charts=chart_state(curve_n=[1, 2], curve_accuracy=[0.2, 0.9]))
t
""")
    assert canvas_inked(nb, text_cell, "curve") > 50
    expect(nb.output(text_cell, "canvas.nba-chart-annotators")).to_be_hidden()  # not a team
    nb.output(text_cell, ".nba-panel-done").click()
    nb.wait_kernel("actions[-1] == {'action': 'done', 'item': 9}")
    expect(nb.output(text_cell, ".nba-panel-lines")).to_have_text("<b>x</b>")  # as text
    field = nb.output(text_cell, ".nba-panel-threshold")
    expect(field).to_have_value("0.9")
    field.fill("0.75")
    nb.output(text_cell, ".nba-panel-auto").click()
    nb.wait_kernel("actions[-1] == {'action': 'auto', 'item': 9, 'value': 0.75}")


def test_a_reloaded_page_draws_the_charts_from_state(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run("""
from nbannotate import ClassLabeler
from nbannotate.widget.panel import chart_state, panel_state
w = ClassLabeler("text", labels=["a", "b"])
w.panel = panel_state(item=1, charts=chart_state(curve_n=[1, 2], curve_accuracy=[0.2, 0.9],
                                                 confidence=[0.3, 0.8], threshold=0.5))
w
""")
    nb.output(cell, "canvas.nba-chart-curve").wait_for()
    nb.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    nb.page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=10_000)
    nb.kernel_exec("redrawn = []\nw.observe(lambda change: redrawn.append(change), 'panel')")
    nb.page.reload()  # a page opened later: the views come back from the kernel's state alone
    nb.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                              timeout=60_000)
    curve = nb.page.locator(".nba-classify canvas.nba-chart-curve")
    curve.wait_for(timeout=30_000)
    expect(curve).to_be_visible()
    for name in ("curve", "confidence"):
        inked = nb.page.locator(f".nba-classify canvas.nba-chart-{name}").evaluate(
            """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 let n = 0; for (let i = 0; i < d.length; i += 4) {
                   if (Math.abs(d[i] - 250) + Math.abs(d[i + 2] - 252) > 30) n++; }
                 return n; }""")
        assert inked > 50, name
    assert nb.kernel_json("redrawn") == []  # nothing was sent again from the kernel

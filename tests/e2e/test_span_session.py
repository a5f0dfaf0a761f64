"""A span Session in a real JupyterLab: the person highlights entities with the mouse in the
first document and submits with Ctrl+Enter; the model refits in the background and the second
document, already on screen, gets the model's suggestions drawn in; the person clicks one and
presses Enter to accept it, then clicks Done. Read back in the kernel: the span is stored with
origin "accepted". Back (Ctrl+Backspace) brings the item back as it was."""

from __future__ import annotations

from playwright.sync_api import expect

from .harness import Notebook
from .test_text_annotator import chip, double_click, drag

# Names in fixed contexts: a tagger fitted on the first document finds them in the second.
DOCS = [
    "Anna Novak met Boris Petrov in Oslo on Monday.",
    "Anna Novak met Boris Petrov in Lima on Friday.",
    "Boris Petrov met Anna Novak in Oslo.",
]

SETUP = f"""
from nbannotate import label
docs = {DOCS!r}
session = label(docs, task="spans", labels=["PER", "LOC"], store="e2e-spans.db")
session
"""


def execution_count(nb: Notebook, cell: int) -> object:
    return nb.page.evaluate(
        """(index) => { const cell = document.querySelector(`[data-e2e-cell="${index}"]`);
             const prompt = cell && cell.querySelector('.jp-InputPrompt');
             return prompt ? prompt.textContent : null; }""", cell)


def test_span_session_suggestion_accepted_with_enter(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    nb.output(cell, ".nba-text .nba-seg").first.wait_for(state="visible")
    expect(nb.output(cell, ".nba-panel-done")).to_be_visible()
    prompt = execution_count(nb, cell)
    first = DOCS[0]

    # Document 1: drag across the two names (label PER), then key 2 and a double click on Oslo.
    drag(nb, cell, first, first.index("Anna"), first.index("Novak") + 5)
    nb.wait_kernel("len(session.records) == 1")
    drag(nb, cell, first, first.index("Boris"), first.index("Petrov") + 6)
    nb.wait_kernel("len(session.records) == 2")
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("2")
    nb.wait_kernel("session.annotator.label == 'LOC'")
    double_click(nb, cell, first, first.index("Oslo"), first.index("Oslo") + 4)
    nb.wait_kernel("len(session.records) == 3")
    assert nb.kernel_json("sorted((r['text'], r['label']) for r in session.records)") == [
        ["Anna Novak", "PER"], ["Boris Petrov", "PER"], ["Oslo", "LOC"]]

    # Ctrl+Enter submits (and never reaches JupyterLab, where it would run the cell again).
    nb.page.keyboard.press("Control+Enter")
    nb.wait_kernel("session.current == 1")
    assert execution_count(nb, cell) == prompt
    assert nb.kernel_json("[r['source'] for r in session.store.get(0)]") == ["human"] * 3
    assert nb.kernel_json("session.annotator.text") == DOCS[1]
    expect(nb.output(cell, ".nba-text")).to_contain_text("on Friday.")

    # The refit lands while document 2 is on screen: its suggestions are drawn in.
    suggestion = nb.output(cell, ".nba-chip-suggestion").first
    suggestion.wait_for(state="visible", timeout=60_000)
    anna = nb.wait_kernel("[s['id'] for s in session.suggestions if s['text'] == 'Anna Novak']",
                          timeout_s=30)[0]
    chip(nb, cell, "suggestion", anna).click()
    nb.page.keyboard.press("Enter")
    nb.wait_kernel(f"{anna!r} in [r['id'] for r in session.records]")
    assert nb.kernel_json(f"[s['id'] for s in session.suggestions if s['id'] == {anna!r}]") == []
    nb.output(cell, ".nba-panel-done").click()
    nb.wait_kernel("session.current == 2")

    # Read back in the kernel: the accepted span, with its origin and the model's score.
    row = nb.kernel_json(
        "session.labels.query('item_id == 1')[['id', 'text', 'label', 'origin', 'score']]"
        ".to_dict('records')")
    assert [(r["id"], r["text"], r["label"], r["origin"]) for r in row] == [
        (anna, "Anna Novak", "PER", "accepted")]
    assert 0 < row[0]["score"] <= 1
    assert nb.kernel_json("[(r['id'], r['source']) for r in session.store.get(1)]") == [
        [anna, "human"]]
    assert nb.kernel_json("sorted(session.labels.query('item_id == 0')['origin'])") == [
        "human"] * 3
    assert nb.kernel_json("session.edits['accepted']") == 1
    expect(nb.output(cell, ".nba-panel-lines")).to_contain_text("edits saved: 25%")

    # Ctrl+Backspace: document 2 comes back as it was submitted.
    nb.output(cell, ".nba-text").hover()
    nb.page.keyboard.press("Control+Backspace")
    nb.wait_kernel("session.current == 1 and session.reason == 'again'")
    assert nb.kernel_json("[r['id'] for r in session.records]") == [anna]
    assert nb.kernel_json("session.store.get(1)") == []
    assert nb.kernel_json("session.annotator.text") == DOCS[1]
    expect(nb.output(cell, ".nba-text")).to_contain_text("on Friday.")
    assert nb.dialogs == []

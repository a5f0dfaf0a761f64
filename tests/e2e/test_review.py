"""Reviewing a disagreement in a real JupyterLab: two annotators' boxes are shown on the
item, the reviewer clicks one and accepts it (Enter), submits (Ctrl+Enter), and the gold
answer, with who decided and from which record, is read back in the kernel."""

from __future__ import annotations

from .harness import Notebook
from .test_image_boxes import click, fitted_to_page

SETUP = """
import numpy as np
from nbannotate import label
from nbannotate.agreement import best_answers
from nbannotate.store import Store

image = np.full((300, 400, 3), 70, dtype=np.uint8)
for who, x in (("ana", 40), ("bo", 240)):
    with Store("review.db", annotator=who) as store:
        store.replace("street", [{"id": f"{who}-1", "x": x, "y": 100, "w": 100, "h": 80,
                                  "label": "car"}], kind="box", own=True)
session = label([image], task="boxes", labels=["car", "bus"], ids=["street"],
                store="review.db", annotator="rev", review="disagreements")
session
"""


def test_the_reviewer_accepts_one_annotators_box_and_gold_is_stored(notebook: Notebook) -> None:
    nb = notebook
    cell = nb.run(SETUP)
    nb.output(cell, ".nba-image-stage").wait_for(state="visible")
    assert nb.kernel_json("sorted(s['id'] for s in session.suggestions)") == [
        "ana:ana-1", "bo:bo-1"]
    message = nb.output(cell, ".nba-panel-message")
    assert "annotators disagree: ana: 1 record · bo: 1 record" in message.inner_text()

    def page(x: float, y: float) -> tuple[float, float]:
        return fitted_to_page(nb, cell, (400, 300), x, y)

    hide_ana = nb.output(cell, 'button[class="nba-panel-toggle:ana"]')
    hide_ana.click()                   # one annotator's version at a time
    nb.wait_kernel("[s['id'] for s in session.suggestions] == ['bo:bo-1']")
    assert hide_ana.get_attribute("aria-pressed") == "false"
    click(nb, page(290, 140))          # bo's box
    nb.page.keyboard.press("Enter")    # accepted: the reviewer's record
    nb.wait_kernel("[b['id'] for b in session.annotator.boxes] == ['bo:bo-1']")
    nb.page.keyboard.press("Control+Enter")  # Done
    nb.wait_kernel("session.finished")
    gold = nb.kernel_json(
        "[dict(r, x=float(r['x'])) for r in best_answers(Store('review.db').annotations())"
        ".loc[0, 'records']]")
    assert len(gold) == 1
    assert gold[0]["source"] == "gold" and gold[0]["decided_by"] == "rev"
    assert gold[0]["from"] == [{"annotator": "bo", "id": "bo-1"}] and gold[0]["x"] == 240.0
    expect_done = nb.output(cell, ".nba-panel-message").inner_text()
    assert "All items are done" in expect_done

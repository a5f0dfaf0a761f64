"""Reviewing disagreements: only the disputed items, each annotator's version to take, the
decision stored as gold with who decided and from which records, and the best answer then
taken from it (SQLite and a real PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nbannotate import label
from nbannotate.agreement import best_answers
from nbannotate.store import Store

IDS = ["a", "b", "c"]
IMAGES = [np.full((60, 80, 3), 40 * i, dtype=np.uint8) for i in range(3)]


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return str(request.getfixturevalue("postgres_url"))


def box(rid: str, x: float) -> dict[str, object]:
    return {"id": rid, "x": x, "y": 10, "w": 20, "h": 20, "label": "car"}


def write(location: str, who: str, item: str, records: list, kind: str) -> None:
    with Store(location, annotator=who) as store:
        store.replace(item, records, kind=kind, own=True)


def test_boxes_review_shows_only_disputed_items_and_stores_gold(location):
    write(location, "ana", "a", [box("a1", 10)], "box")
    write(location, "bo", "a", [box("b1", 40)], "box")       # a: they disagree
    write(location, "ana", "b", [box("a2", 10)], "box")
    write(location, "bo", "b", [box("b2", 10)], "box")       # b: the same box
    write(location, "ana", "c", [box("a3", 5)], "box")       # c: one annotator
    session = label(IMAGES, task="boxes", labels=["car"], store=location, ids=IDS,
                    annotator="rev", review="disagreements")
    try:
        assert session.current == "a" and session.counts["remaining"] == 1
        assert sorted(s["id"] for s in session.suggestions) == ["ana:a1", "bo:b1"]
        assert "annotators disagree: ana: 1 record · bo: 1 record" in \
            session.widget.panel["message"]
        toggles = {b["action"]: b["pressed"] for b in session.widget.panel["buttons"]
                   if b["action"].startswith("toggle:")}
        assert toggles == {"toggle:ana": True, "toggle:bo": True}
        session.widget._receive_panel_action(  # the panel's "ana" button: hide ana's boxes
            {"action": "toggle:ana", "item": session.widget.panel["item"]})
        assert [s["id"] for s in session.suggestions] == ["bo:b1"]
        assert {b["action"]: b["pressed"] for b in session.widget.panel["buttons"]
                if b["action"].startswith("toggle:")}["toggle:ana"] is False
        session.show_annotator("ana")  # and back
        assert sorted(s["id"] for s in session.suggestions) == ["ana:a1", "bo:b1"]
        with pytest.raises(ValueError, match="name must be one of the annotators"):
            session.show_annotator("cy", False)
        session.accept(["bo:b1"])
        session.submit()
        assert session.finished
    finally:
        session.close()
    with Store(location) as store:
        best = best_answers(store.annotations()).set_index("item_id")
    assert best.loc["a", "resolution"] == "gold" and best.loc["a", "decided_by"] == "rev"
    (gold,) = best.loc["a", "records"]
    assert (gold["x"], gold["source"], gold["from"]) == (40.0, "gold",
                                                         [{"annotator": "bo", "id": "b1"}])
    assert best.loc["b", "resolution"] == "majority" and best.loc["c", "resolution"] == "single"
    with pytest.raises(ValueError, match="nothing to review"):  # decided: nothing left
        label(IMAGES, task="boxes", labels=["car"], store=location, ids=IDS,
              annotator="rev", review="disagreements")


def test_classify_review_lists_the_answers_and_the_decision_comes_from_them(tmp_path):
    path = str(tmp_path / "pets.db")
    texts = ["a cat", "a dog", "a bird"]
    for who, answers in (("ana", ["cat", "dog", "owl"]), ("bo", ["cat", "cat", "owl"]),
                         ("cy", ["cat", "owl", "owl"])):
        for item, answer in zip(IDS, answers, strict=True):
            write(path, who, item, [{"id": "class", "label": answer}], "class")
    session = label(texts, labels=["cat", "dog", "owl"], ids=IDS, store=path,
                    annotator="rev", review="disagreements", features=np.eye(3))
    try:
        assert session.current == "b"  # a and c have a majority
        assert "annotators disagree: ana: dog · bo: cat · cy: owl" in session.annotator.note
        session.submit("owl")
    finally:
        session.close()
    with Store(path) as store:
        best = best_answers(store.annotations()).set_index("item_id")
    assert best.loc["b", ["label", "resolution", "decided_by"]].tolist() == ["owl", "gold",
                                                                            "rev"]
    assert best.loc["b", "records"][0]["from"] == [{"annotator": "cy", "id": "class"}]


def test_review_needs_who_decides_ids_and_a_store_location(tmp_path):
    with pytest.raises(TypeError, match="needs annotator="):
        label(["x"], labels=["a"], ids=["x"], store=str(tmp_path / "s.db"),
              review="disagreements")
    with pytest.raises(TypeError, match="needs ids="):
        label(["x"], labels=["a"], annotator="rev", store=str(tmp_path / "s.db"),
              review="disagreements")
    with pytest.raises(TypeError, match="needs store="):
        label(["x"], labels=["a"], annotator="rev", ids=["x"], review="disagreements")
    with pytest.raises(ValueError, match="review must be one of"):
        label(["x"], labels=["a"], annotator="rev", ids=["x"], store=str(tmp_path / "s.db"),
              review="everything")

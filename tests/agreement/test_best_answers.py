"""The best answer per item (gold, then the majority, then the single answer; ties have none),
gold records with their provenance through a real store (SQLite and PostgreSQL), and a
session's agreement against scikit-learn's Cohen's kappa."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from nbannotate import label
from nbannotate.agreement import best_answers
from nbannotate.records import validate_box
from nbannotate.store import Store


def cls(label_: str, source: str = "human", **extra: object) -> dict[str, object]:
    return {"id": "class", "label": label_, "source": source, **extra}


def frame(rows: list[tuple[str, str, dict[str, object], str]]) -> pd.DataFrame:
    return pd.DataFrame([{"item_id": item, "annotator": who, "record": record,
                          "label": record["label"], "source": record["source"], "kind": kind}
                         for item, who, record, kind in rows])


def test_whole_item_labels_gold_then_majority_then_single_and_ties_have_none():
    best = best_answers(frame([
        ("a", "ana", cls("cat"), "class"), ("a", "bo", cls("dog"), "class"),
        ("a", "cy", cls("cat"), "class"),                      # 2 of 3: majority
        ("b", "ana", cls("cat"), "class"), ("b", "bo", cls("dog"), "class"),  # a tie
        ("c", "ana", cls("dog"), "class"), ("c", "bo", cls("cat"), "class"),
        ("c", "rev", cls("dog", "gold", decided_by="rev",
                         **{"from": [{"annotator": "ana", "id": "class"}]}), "class"),
        ("d", "bo", cls("cat"), "class"),                      # one annotator
        ("d", None, cls("dog", "model", score=0.9), "class"),  # a suggestion never counts
        ("e", "ana", cls("cat"), "class"), ("e", "bo", cls("cat"), "class"),  # unanimous
    ])).set_index("item_id")
    assert best.loc["a", ["label", "resolution", "n_annotators"]].tolist() == [
        "cat", "majority", 3]
    assert best.loc["b", "label"] is None and best.loc["b", "resolution"] == "tie"
    assert best.loc["c", ["label", "resolution", "decided_by"]].tolist() == ["dog", "gold",
                                                                            "rev"]
    assert best.loc["c", "n_annotators"] == 2  # the reviewer is not one of them
    assert best.loc["d", ["label", "resolution"]].tolist() == ["cat", "single"]
    assert best.loc["e", ["label", "resolution"]].tolist() == ["cat", "majority"]


def test_drawn_records_agree_only_when_every_annotator_drew_the_same():
    box = {"x": 10, "y": 10, "w": 20, "h": 20, "label": "car", "source": "human"}
    moved = {**box, "x": 14}
    best = best_answers(frame([
        ("p", "ana", {"id": "a1", **box}, "box"), ("p", "bo", {"id": "b1", **box}, "box"),
        ("q", "ana", {"id": "a2", **box}, "box"), ("q", "bo", {"id": "b2", **moved}, "box"),
        ("r", "ana", {"id": "a3", **moved}, "box"),
    ])).set_index("item_id")
    assert best.loc["p", "resolution"] == "majority" and best.loc["p", "records"][0]["x"] == 10
    assert best.loc["q", "resolution"] == "tie" and best.loc["q", "records"] == []
    assert best.loc["r", "resolution"] == "single" and best.loc["r", "label"] is None


def test_bad_input_names_what_is_expected():
    with pytest.raises(TypeError, match="annotations must be a DataFrame"):
        best_answers([{"item_id": "a"}])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"missing \['annotator', 'record'\]"):
        best_answers(pd.DataFrame({"item_id": [], "label": [], "source": []}))


def test_gold_records_carry_who_decided_and_from_which_records():
    gold = validate_box({"x": 1, "y": 2, "w": 3, "h": 4, "label": "car", "source": "gold",
                         "decided_by": "rev", "from": [{"annotator": "ana", "id": "a1"}]})
    assert gold["decided_by"] == "rev" and gold["from"] == [{"annotator": "ana", "id": "a1"}]
    with pytest.raises(ValueError, match="'decided_by' must be given only with source='gold'"):
        validate_box({"x": 1, "y": 2, "w": 3, "h": 4, "label": "car", "decided_by": "rev"})
    with pytest.raises(ValueError, match="field 'from' must be a list of"):
        validate_box({"x": 1, "y": 2, "w": 3, "h": 4, "label": "car", "source": "gold",
                      "from": ["ana"]})
    with pytest.raises(ValueError, match="field 'decided_by' must be a non-empty string"):
        validate_box({"x": 1, "y": 2, "w": 3, "h": 4, "label": "car", "source": "gold",
                      "decided_by": ""})


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    if request.param == "sqlite":
        return str(tmp_path / "review.db")
    return str(request.getfixturevalue("postgres_url"))


def test_gold_round_trips_through_the_store_and_wins(location):
    with Store(location, annotator="ana") as store:
        store.replace("img", [{"id": "a1", "x": 10, "y": 10, "w": 20, "h": 20,
                               "label": "car"}], kind="box", own=True)
    with Store(location, annotator="bo") as store:
        store.replace("img", [{"id": "b1", "x": 30, "y": 10, "w": 20, "h": 20,
                               "label": "car"}], kind="box", own=True)
    decided = {"id": "g1", "x": 10, "y": 10, "w": 20, "h": 20, "label": "car",
               "source": "gold", "decided_by": "rev", "from": [{"annotator": "ana",
                                                                "id": "a1"}]}
    with Store(location, annotator="rev") as store:
        store.replace("img", [decided], kind="box", own=True)
        assert store.get("img", annotator="rev") == [validate_box(decided)]
        best = best_answers(store.annotations())
    assert best["resolution"].tolist() == ["gold"]
    assert best["records"][0][0]["from"] == [{"annotator": "ana", "id": "a1"}]
    assert best["decided_by"].tolist() == ["rev"]


def test_a_session_measures_agreement_as_scikit_learn_does(tmp_path):
    rng = np.random.default_rng(3)
    names = ["cat", "dog", "owl"]
    ids = [f"t{i}" for i in range(30)]
    first = rng.choice(names, size=30)
    second = np.where(rng.random(30) < 0.7, first, rng.choice(names, size=30))
    path = tmp_path / "pets.db"
    for who, answers in (("ana", first), ("bo", second)):
        with Store(path, annotator=who) as store:
            for item, answer in zip(ids, answers, strict=True):
                store.replace(item, [{"id": "class", "label": str(answer)}], kind="class",
                              own=True)
    texts = [f"pet number {i}" for i in range(30)]
    session = label(texts, labels=names, ids=ids, store=path, annotator="rev")
    try:
        result = session.agreement()
        kappa = float(result.pairs.loc[0, "cohen_kappa"])
        assert kappa == pytest.approx(cohen_kappa_score(first, second))
        best = session.best_labels.set_index("item_id")
        for item, a, b in zip(ids, first, second, strict=True):
            expected = ("majority", a) if a == b else ("tie", None)
            assert (best.loc[item, "resolution"], best.loc[item, "label"]) == expected
    finally:
        session.close()

"""Structured sessions (spans) through their public Python API, without a browser: commit
before the next item, origins of annotations (drawn, accepted, edited, auto), rejected
suggestions, the uncertainty queue after a refit, a refit that never blocks, skip / undo,
resume, auto-accept, the Done / Skip / Back controls and bad input."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nbannotate import Session, Store, TextAnnotator, label
from nbannotate.models import SpanTagger, item_uncertainty
from nbannotate.models._synthetic import make_entity_documents

LABELS = ["PER", "LOC", "ORG"]


@pytest.fixture(scope="module")
def corpus():
    return make_entity_documents(24, seed=3, sentences=(2, 3))


def key(record):
    return (record["start"], record["end"], record["label"])


def oracle(session, truth):
    """A careful person: accept the right suggestions, draw what is missing, submit."""
    want = {key(t) for t in truth[session.current]}
    session.accept([s["id"] for s in session.suggestions if key(s) in want])
    have = {key(r) for r in session.records}
    missing = [dict(t) for t in truth[session.current] if key(t) not in have]
    return session.submit(session.records + missing)


def make(corpus, path, **options):
    docs, _ = corpus
    return label(docs, task="spans", labels=LABELS, store=path, **options)


class SlowTagger(SpanTagger):
    """A SpanTagger whose fit waits until the test lets it go."""

    def __init__(self, labels=None, *, gate=None, **params):
        super().__init__(labels, **params)
        self.gate = gate

    def fit(self, items, annotations):
        if self.gate is not None:
            assert self.gate.wait(30), "the test never released the fit"
        return super().fit(items, annotations)


# -- the loop -----------------------------------------------------------------------------------
def test_records_are_committed_before_the_next_item_appears(corpus, tmp_path):
    docs, truth = corpus
    session = make(corpus, tmp_path / "s.db")
    assert isinstance(session, Session) and isinstance(session.annotator, TextAnnotator)
    assert session.reason == "cold" and session.current == 0  # pool order before a model
    seen = []

    def on_new_item(change):
        with Store(tmp_path / "s.db") as other:  # another connection, as a crash recovery
            seen.append(sorted(other.items()))

    session.annotator.observe(on_new_item, "text")
    first = oracle(session, truth)
    second = oracle(session, truth)
    assert seen == [[str(first)], sorted([str(first), str(second)])]
    with Store(tmp_path / "s.db") as store:
        stored = store.get(first)
        assert [(r["start"], r["end"], r["label"], r["source"]) for r in stored] == [
            (t["start"], t["end"], t["label"], "human") for t in truth[first]]
        assert all(docs[first][r["start"]:r["end"]] == r["text"] for r in stored)
        assert store.get_meta("done") == [str(first), str(second)]
        assert store.get_meta("session")["task"] == "spans"
        assert set(store.annotations()["kind"]) == {"span"}
    session.close()


def test_origins_accepted_edited_drawn_rejected_and_ignored(corpus, tmp_path):
    docs, truth = corpus
    session = make(corpus, tmp_path / "s.db")
    for _ in range(12):  # until an item comes with four suggestions or more
        oracle(session, truth)
        assert session.wait_for_model(60)
        if len(session.suggestions) >= 4:
            break
    pos = session.current
    suggestions = session.suggestions
    assert len(suggestions) >= 4, "the tagger should suggest spans after a few documents"
    keep, edit, drop, leave = suggestions[0], suggestions[1], suggestions[2], suggestions[3:]
    session.accept([keep["id"], edit["id"]])
    session.reject([drop["id"]])
    records = session.records
    other = next(label for label in LABELS if label != edit["label"])
    records = [{**r, "label": other} if r["id"] == edit["id"] else r for r in records]
    text = docs[pos]
    drawn = {"start": 0, "end": len(text.split(" ")[0]), "label": "ORG"}
    session.submit([*records, drawn])

    table = session.labels
    mine = table[table["item_id"] == pos].set_index("id")
    assert mine.loc[keep["id"], "origin"] == "accepted" and not mine.loc[keep["id"], "edited"]
    assert mine.loc[keep["id"], "score"] == pytest.approx(keep["score"])
    assert mine.loc[edit["id"], "origin"] == "accepted" and mine.loc[edit["id"], "edited"]
    assert mine.loc[edit["id"], "label"] == other
    drawn_row = mine[(mine["start"] == 0) & (mine["label"] == "ORG")]
    assert drawn_row["origin"].tolist() == ["human"] and drawn_row["score"].isna().all()
    assert list(table.columns) == ["item_id", "id", "kind", "label", "origin", "score",
                                   "edited", "annotator", "start", "end", "text"]
    assert table["start"].dtype == np.int64
    rejected = session.rejected
    mine = rejected[rejected["item_id"] == pos].set_index("id")
    assert mine.loc[drop["id"], "how"] == "rejected"
    assert sorted(mine[mine["how"] == "ignored"].index) == sorted(s["id"] for s in leave)
    edits = session.edits
    assert edits["accepted"] == int((session.labels["origin"] == "accepted").sum()) >= 2
    assert edits["edited"] == 1 and edits["rejected"] == 1
    assert edits["accepted_fraction"] == pytest.approx(
        edits["accepted"] / (edits["accepted"] + edits["human"]))
    assert session.dashboard.line("edits").startswith(
        f"edits saved: {edits['accepted_fraction']:.0%}")
    session.close()


def test_queue_follows_uncertainty_after_the_refit(corpus, tmp_path):
    docs, truth = corpus
    session = make(corpus, tmp_path / "s.db")
    done = [oracle(session, truth) for _ in range(4)]
    assert session.wait_for_model(60)
    oracle(session, truth)  # the next item is picked with the refit model
    assert session.reason == "model"
    assert session.wait_for_model(60)
    done.append(session._ids[session._log.order[-1]])
    left = [i for i in range(len(docs)) if i not in done and i != session.current]
    doubt = item_uncertainty(session.model, [docs[i] for i in [session.current, *left]])
    assert doubt[0] == pytest.approx(doubt.max())  # no item left is more uncertain
    assert "least sure" in session.widget.panel["message"]
    session.close()


def test_the_refit_runs_in_the_background_and_reaches_the_untouched_item(corpus, tmp_path):
    _docs, truth = corpus
    gate = threading.Event()
    session = make(corpus, tmp_path / "s.db", model=SlowTagger(LABELS, gate=gate))
    first = oracle(session, truth)  # returns while the fit waits for the gate
    assert session.current != first and session.suggestions == []
    assert session._runner.busy and "fitting" in session.dashboard.line("model")
    oracle(session, truth)  # the person keeps labeling meanwhile
    third = session.current
    assert session.suggestions == []
    gate.set()
    assert session.wait_for_model(60)
    assert session.current == third
    assert session.suggestions, "the refit's suggestions are drawn on the untouched item"
    assert all(s["source"] == "model" and 0 <= s["score"] <= 1 for s in session.suggestions)
    assert session.dashboard.line("model").startswith("model: fitted on 2 items")
    session.close()


def test_an_item_the_person_touched_keeps_its_suggestions(corpus, tmp_path):
    _docs, truth = corpus
    gate = threading.Event()
    session = make(corpus, tmp_path / "s.db", model=SlowTagger(LABELS, gate=gate))
    oracle(session, truth)
    # An edit in the browser (a change message) before the refit lands.
    span = truth[session.current][0]
    session.annotator.apply_change("spans", "add", dict(span))
    session._touched()  # what the annotator's on_change callback does
    gate.set()
    assert session.wait_for_model(60)
    assert session.suggestions == []  # not swapped in under the person's hands
    assert [key(r) for r in session.records] == [key(span)]
    session.close()


def test_any_object_with_fit_and_predict_is_a_model(corpus, tmp_path):
    _docs, truth = corpus

    class Capitals:
        """Suggests every capitalized word as PER with a score that grows with its length."""

        fitted = 0

        def fit(self, items, annotations):
            Capitals.fitted += 1
            return self

        def predict(self, items):
            out = []
            for text in items:
                found, start = [], 0
                for word in text.split(" "):
                    word_end = start + len(word.rstrip(".,"))
                    if word[:1].isupper() and word_end > start:
                        found.append({"start": start, "end": word_end, "label": "PER",
                                      "source": "model",
                                      "score": min(1.0, (word_end - start) / 12)})
                    start += len(word) + 1
                out.append(found)
            return out

    session = make(corpus, tmp_path / "s.db", model=Capitals())
    oracle(session, truth)
    assert session.wait_for_model(60)
    assert Capitals.fitted == 1 and session.suggestions
    # No uncertainty() method: the queue follows 1 - the least score of each item.
    predictions = session._runner.predictions()
    expected = {p: 1 - min((r["score"] for r in v.records), default=0.0)
                for p, v in predictions.items()}
    assert predictions[session.current].uncertainty == pytest.approx(
        max(v.uncertainty for p, v in predictions.items()))
    assert all(v.uncertainty == pytest.approx(expected[p]) if v.records else v.uncertainty == 1
               for p, v in predictions.items())
    session.close()


def test_a_model_fitted_beforehand_suggests_from_the_first_item(corpus, tmp_path):
    docs, truth = corpus
    tagger = SpanTagger(LABELS).fit(docs[12:], truth[12:])
    session = make(corpus, tmp_path / "s.db", model=tagger)
    assert session.wait_for_model(60)
    assert session.current == 0 and session.suggestions
    assert {key(s) for s in session.suggestions} & {key(t) for t in truth[0]}
    session.close()


# -- skip, undo, finished -----------------------------------------------------------------------
def test_skip_and_back_restore_the_item_as_it_was(corpus, tmp_path):
    _docs, truth = corpus
    session = make(corpus, tmp_path / "s.db")
    for _ in range(3):
        oracle(session, truth)
    session.wait_for_model(60)
    skipped = session.skip()
    assert session.skipped == [skipped] and session.current != skipped
    pos = session.current
    shown = session.suggestions
    session.accept([shown[0]["id"]])
    session.reject([shown[1]["id"]])
    left = {s["id"] for s in session.suggestions}
    submitted = {r["id"] for r in session.records}
    assert session.submit() == pos
    with Store(tmp_path / "s.db") as store:
        assert {r["id"] for r in store.get(pos)} == submitted
    assert session.undo() == pos  # Back: the item returns as it was at Done
    assert session.current == pos and session.reason == "again"
    assert {r["id"] for r in session.records} == submitted
    assert {s["id"] for s in session.suggestions} == left
    with Store(tmp_path / "s.db") as store:
        assert store.get(pos) == []
        assert store.get_meta(f"review:{pos}") is None
        assert [e["event"] for e in store.history(pos)][-1] == "remove"
    session.submit()  # Done again: the accepted one is still an accepted suggestion
    row = session.labels.set_index("id").loc[shown[0]["id"]]
    assert row["origin"] == "accepted"
    session.undo()
    assert session.undo() == skipped  # then the skip
    assert session.skipped == [] and session.current == skipped
    session.close()


def test_finished_state_and_panel(tmp_path, comm_recorder):
    docs = ["Anna met Boris.", "Oslo is cold.", "Nobody came."]
    session = label(docs, task="spans", labels=["PER", "LOC"], store=tmp_path / "s.db")
    assert session.widget is session.annotator  # one anywidget is the whole session
    comm = comm_recorder(session.widget)

    def press(action: str, item: int | None = None) -> None:
        token = session.widget.panel["item"] if item is None else item
        comm.from_browser({"type": "panel", "action": action, "item": token})

    def disabled() -> set[str]:
        return {b["action"] for b in session.widget.panel["buttons"] if b["disabled"]}

    token = session.widget.panel["item"]
    assert disabled() == {"back"}
    session.annotator.spans = [{"start": 0, "end": 4, "label": "PER"}]
    press("done", token)
    assert session.current == 1 and session.widget.panel["item"] == token + 1
    press("done", token)  # a double press
    assert session.current == 1 and "ignored" in session.widget.panel["message"]
    press("skip")
    assert session.skipped == [1]
    session.submit([])  # nothing to annotate in this one
    assert session.finished and disabled() == {"done", "skip"}
    assert session.annotator.item_shown is False  # the item goes, the panel stays
    assert "All items are done" in session.widget.panel["message"] and "1 skipped" in \
        session.widget.panel["message"]
    assert session.widget.panel["counts"] == {"human": 2, "auto": 0, "remaining": 0,
                                              "skipped": 1}
    assert session.counts == {"human": 2, "auto": 0, "remaining": 0, "skipped": 1}
    with pytest.raises(RuntimeError, match="finished"):
        session.submit()
    press("back")
    assert session.current == 2 and "done" not in disabled()
    assert session.annotator.item_shown is True
    session.close()


# -- resume ---------------------------------------------------------------------------------------
def test_resume_restores_items_origins_and_refits(corpus, tmp_path):
    docs, truth = corpus
    path = tmp_path / "resume.db"
    session = make(corpus, path)
    done = [oracle(session, truth) for _ in range(3)]
    session.wait_for_model(60)
    done += [oracle(session, truth) for _ in range(2)]
    skipped = session.skip()
    before, edits, counts = session.labels, session.edits, session.counts
    session.close()  # as if the kernel restarted

    again = label(docs, task="spans", store=path)  # labels come from the store
    assert again._label_names == LABELS
    assert again.labels.equals(before) and again.edits == edits and again.counts == counts
    assert again.skipped == [skipped] and again.current not in {*done, skipped}
    assert again.wait_for_model(60) and again.model is not None
    assert again._runner.n_trained == 5  # refit from the stored items
    assert again.suggestions  # the refit model's suggestions on the item shown
    assert again.undo() == done[-1]  # Back survives a restart (for submitted items)
    assert again.current == done[-1] and again.records
    assert again.skipped == [skipped]
    again.close()


def test_resume_checks_task_and_labels(corpus, tmp_path):
    path = tmp_path / "s.db"
    session = make(corpus, path)
    _, truth = corpus
    oracle(session, truth)
    session.close()
    docs, _ = corpus
    with pytest.raises(ValueError, match="holds a task='spans' session, not task='classify'"):
        label(docs, labels=["a", "b"], features=np.eye(len(docs)), store=path)
    with pytest.raises(ValueError, match=r"labels must include every label used in the store"):
        label(docs, task="spans", labels=["PER"], store=path)


# -- auto-accept ----------------------------------------------------------------------------------
def test_auto_accept_only_when_asked_kept_apart_and_reviewable(corpus, tmp_path):
    _docs, truth = corpus
    session = make(corpus, tmp_path / "s.db")
    for _ in range(8):
        oracle(session, truth)
    assert session.wait_for_model(60)
    assert (session.labels["origin"] == "auto").sum() == 0  # nothing without asking
    predictions = session._runner.predictions()
    sure = sorted(p for p, v in predictions.items() if v.records and p != session.current
                  and min(r["score"] for r in v.records) >= 0.8)
    assert sure, "some documents should be predicted with scores >= 0.8"
    result = session.auto_accept(0.8)
    assert result == {"items": len(sure), "records": sum(len(predictions[p].records)
                                                         for p in sure), "threshold": 0.8}
    table = session.labels
    auto = table[table["origin"] == "auto"]
    assert sorted(set(auto["item_id"])) == sure
    assert (auto["score"] >= 0.8).all()
    with Store(tmp_path / "s.db") as store:
        assert {r["source"] for p in sure for r in store.get(p)} == {"auto"}
        assert store.get_meta(f"review:{sure[0]}")["auto"] is True
    assert session.counts["auto"] == len(sure)
    assert session.edits["auto"] == len(auto)
    # The queue never shows them; show() brings one back for review.
    while session.current is not None and session.counts["remaining"] > 2:
        assert session.current not in sure
        oracle(session, truth)
    target = sure[0]
    session.show(target)
    assert session.reason == "review" and session.records == []
    assert {s["id"] for s in session.suggestions} == set(auto[auto["item_id"] == target]["id"])
    session.accept()
    session.submit()
    reviewed = session.labels[session.labels["item_id"] == target]
    assert set(reviewed["origin"]) == {"accepted"}
    assert session.counts["auto"] == len(sure) - 1
    assert session.remove_auto() == {"items": len(sure) - 1}
    assert set(session.labels["origin"]) <= {"human", "accepted"}
    assert session.counts["auto"] == 0
    session.close()


# -- bad input ------------------------------------------------------------------------------------
def test_bad_input_raises_clear_errors(corpus, tmp_path):
    docs, _truth = corpus
    path = tmp_path / "s.db"
    with pytest.raises(ValueError, match="task must be one of"):
        label(docs, task="polygons3d", labels=LABELS, store=path)
    with pytest.raises(TypeError, match=r"model must have fit.*has no fit, predict"):
        label(docs, task="spans", labels=LABELS, store=path, model=object())
    with pytest.raises(TypeError, match=r"write SpanTagger\(\)"):
        label(docs, task="spans", labels=LABELS, store=path, model=SpanTagger)
    with pytest.raises(ValueError, match="labels is required"):
        label(docs, task="spans", store=tmp_path / "new.db")
    with pytest.raises(TypeError, match="labels must be a list of non-empty strings"):
        label(docs, task="spans", labels=[1, 2], store=tmp_path / "new.db")
    with pytest.raises(TypeError, match=r"items: task='spans' labels text items, but items\[0\] "
                                        "is image"):
        label(np.zeros((3, 8, 8)), task="spans", labels=LABELS, store=path)
    with pytest.raises(TypeError, match="features: not an option of task='spans'"):
        label(docs, task="spans", labels=LABELS, store=path, features=np.eye(len(docs)))
    with pytest.raises(TypeError, match="annotator_options: not an option of task='classify'"):
        label(docs, labels=["a"], store=path, annotator_options={})
    with pytest.raises(TypeError, match="annotator_options may not set"):
        label(docs, task="spans", labels=LABELS, store=path, annotator_options={"labels": []})
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        label(docs, task="spans", labels=LABELS, store=path, annotator_options={"colour": 1})
    with pytest.raises(TypeError, match="unexpected keyword"):
        label(docs, task="spans", labels=LABELS, store=path, colour="red")
    session = make(corpus, path)
    # the panel's Auto-accept before any model: nothing, and it says why
    session.widget._receive_panel_action({"action": "auto", "item": session.dashboard.item})
    assert "no model yet" in session.dashboard.line("auto")
    assert session.counts["auto"] == 0
    with pytest.raises(ValueError, match="threshold must be a number in"):
        session.auto_accept(1.5)
    with pytest.raises(ValueError, match="not an item of this session"):
        session.show(999)
    with pytest.raises(ValueError, match="end"):
        session.submit([{"start": 0, "end": 10_000, "label": "PER"}])
    with pytest.raises(ValueError, match="label"):
        session.submit([{"start": 0, "end": 2, "label": "CAT"}])
    assert session.current == 0 and Store(path).items() == []  # nothing saved
    with pytest.raises(ValueError, match="nothing to undo"):
        session.undo()
    session.close()


# -- loading the next item after browser edits ----------------------------------------------------
def test_a_list_edited_in_the_browser_is_reloaded_after_python_sets_it(comm_recorder):
    widget = TextAnnotator("Anna met Boris.", labels=["PER"])
    comm = comm_recorder(widget)
    comm.from_browser({"type": "changes", "seq": 1, "changes": [
        {"field": "spans", "op": "add",
         "record": {"id": "a", "start": 0, "end": 4, "label": "PER", "text": "Anna"}}]})
    assert [s["id"] for s in widget.spans] == ["a"]
    widget.load("Oslo is cold.")  # the browser's model still holds [] from the first load
    sent = comm.sent
    kinds = [("reload" if m["data"].get("content", {}).get("type") == "reload" else
              m["data"].get("method")) for m in sent]
    assert kinds[-1] == "reload"
    assert comm.custom()[-1] == {"type": "reload", "fields": ["spans"]}
    last_state = [m["data"]["state"] for m in sent if m["data"].get("method") == "update"][-1]
    assert last_state["spans"] == [] and last_state["text"] == "Oslo is cold."
    widget.load("Nothing edited here.")  # no browser edit since: no reload
    assert [m for m in comm.custom() if m.get("type") == "reload"] == [
        {"type": "reload", "fields": ["spans"]}]


def test_an_item_the_model_cannot_predict_does_not_stop_the_others(tmp_path):
    docs = ["Anna met Boris.", "BROKEN", "Oslo is cold.", "Boris met Anna.", "Lima."]

    class Fussy(SpanTagger):
        def suggest(self, items):
            if "BROKEN" in items:
                raise ValueError("cannot read this one")
            return super().suggest(items)

    session = label(docs, task="spans", labels=["PER", "LOC"], store=tmp_path / "s.db",
                    model=Fussy(["PER", "LOC"]))
    session.submit([{"start": 0, "end": 4, "label": "PER"},
                    {"start": 9, "end": 14, "label": "PER"}])
    assert session.wait_for_model(60)
    assert sorted(session._runner.predictions()) == [2, 3, 4]  # all but the broken one
    assert session._runner.last_error == ""
    assert session.current == 1 and session.suggestions == []  # shown before the refit
    session.submit()
    assert session.current in (2, 3, 4) and session.reason == "model"
    session.close()

"""Session logic without a browser: commit before the next item, resume from the store, the
finished state, undo and skip, spot-checks, thread safety and bad input."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from nbannotate import ClassLabeler, Session, Store, label
from nbannotate.session._tasks import TASKS, ClassifyTask, register_task

N = 300


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    return data.images[:N] / 16.0, data.data[:N] / 16.0, data.target[:N]


def make(digits, path, **kwargs):
    images, features, _ = digits
    options = {"labels": range(10), "features": features, "store": path,
               "learner_options": {"cv": 3}, **kwargs}
    return label(images, **options)


def answer(session, truth, n):
    """A scripted person: label n items with the truth."""
    done = []
    for _ in range(n):
        done.append(session.submit(int(truth[session.current])))
    return done


# -- the loop -----------------------------------------------------------------------------------
def test_label_is_committed_to_the_store_before_the_next_item_appears(digits, tmp_path):
    session = make(digits, tmp_path / "s.db")
    _, _, truth = digits
    seen_in_store = []

    def on_new_item(change):
        # Read the file through another connection, as a crash-recovery would.
        with Store(tmp_path / "s.db") as other:
            seen_in_store.append(sorted(other.items()))

    session.annotator.observe(on_new_item, "items_shown")
    first = session.current
    session.submit(int(truth[first]))
    second = session.current
    session.submit(int(truth[second]))
    assert seen_in_store == [[str(first)], sorted([str(first), str(second)])]
    stored = Store(tmp_path / "s.db").get(first)
    assert stored == [{"id": "class", "label": str(truth[first]), "source": "human"}]
    session.close()


def test_first_item_is_a_cold_start_pick_then_the_model_explains_its_choice(digits, tmp_path):
    session = make(digits, tmp_path / "s.db")
    _, _, truth = digits
    assert session.reason == "cold" and session.suggestion is None
    assert "no model yet" in session.annotator.note
    answer(session, truth, 20)
    assert session.wait()
    session.submit(int(truth[session.current]))  # the next item is chosen by the new model
    assert session.reason == "model"
    guess = session.suggestion
    assert guess is not None and guess.label in range(10) and 0 < guess.score <= 1
    assert session.annotator.value == guess.label  # preselected: Enter accepts it
    note = session.annotator.note
    assert "uncertainty" in note and f"model guess: {guess.label} (p={guess.score:.2f})" in note
    session.close()


def test_session_labels_and_counts(digits, tmp_path):
    session = make(digits, tmp_path / "s.db", auto_label_threshold=0.9)
    _, _, truth = digits
    labeled = answer(session, truth, 25)
    session.wait()
    table = session.labels
    assert list(table.columns) == ["id", "label", "source", "score", "annotator"]
    human = table[table["source"] == "human"]
    assert sorted(human["id"]) == sorted(labeled)
    assert all(human["label"].to_numpy() == truth[human["id"].to_numpy()])
    assert human["score"].isna().all()
    auto = table[table["source"] == "auto"]
    assert len(auto) > 0 and (auto["score"] >= 0.9).all()
    assert not set(auto["id"]) & set(labeled)
    assert table["id"].is_monotonic_increasing
    counts = session.counts
    assert counts == {"human": 25, "auto": len(auto), "remaining": N - 25 - len(auto),
                      "skipped": 0}
    assert session.dashboard.counts == counts
    session.close()


def test_ids_name_the_items_in_the_store_and_in_labels(digits, tmp_path):
    ids = [f"img-{i:03d}" for i in range(N)]
    session = make(digits, tmp_path / "s.db", ids=ids)
    _, _, truth = digits
    first = session.current
    assert first in ids
    session.submit(int(truth[ids.index(first)]))
    assert Store(tmp_path / "s.db").items() == [first]
    assert session.labels["id"].tolist() == [first]
    session.close()


def test_keys_on_the_session_shell_label_the_current_item(digits, tmp_path, comm_recorder):
    session = make(digits, tmp_path / "s.db")
    labeler = session.annotator  # keys are mapped by its front end into actions
    first = session.current
    comm = comm_recorder(labeler)
    comm.from_browser({"type": "action", "action": "choose", "index": 4,
                       "item": labeler.item_token})
    assert session.labels["label"].tolist() == [4]
    assert session.current != first
    comm.from_browser({"type": "action", "action": "undo", "item": labeler.item_token})
    assert session.current == first and session.labels.empty
    session.close()


# -- skip, undo, finished -----------------------------------------------------------------------
def test_skip_and_undo(digits, tmp_path):
    session = make(digits, tmp_path / "s.db")
    _, _, truth = digits
    skipped = session.skip()
    assert session.skipped == [skipped] and session.current != skipped
    labeled = session.submit(int(truth[session.current]))
    assert session.undo() == labeled  # the label is undone first
    assert session.current == labeled and session.reason == "again"
    assert session.learner.n_human == 0
    store = Store(tmp_path / "s.db")
    assert store.get(labeled) == []
    assert [e["event"] for e in store.history(labeled)] == ["replace", "remove"]
    assert session.undo() == skipped
    assert session.skipped == [] and session.current == skipped
    with pytest.raises(ValueError, match="nothing to undo"):
        session.undo()
    session.close()


def test_exhausted_queue_shows_a_finished_state(tmp_path):
    rng = np.random.default_rng(0)
    features = np.vstack([rng.normal(0, 1, (4, 2)), rng.normal(6, 1, (4, 2))])
    texts = [f"item {i}" for i in range(8)]
    session = label(texts, labels=["low", "high"], features=features, store=tmp_path / "s.db",
                    learner_options={"cv": 0})
    session.skip()
    while not session.finished:
        session.submit("low" if session.current < 4 else "high")
    assert session.current is None and session.annotator.item is None
    assert "All items are labeled" in session.annotator.view["text"]
    assert "1 skipped" in session.annotator.view["text"]
    with pytest.raises(RuntimeError, match="finished"):
        session.submit("low")
    assert session.counts["human"] == 7 and session.counts["skipped"] == 1
    session.undo()  # undoing the last label brings its item back
    assert not session.finished
    session.close()


# -- resume -------------------------------------------------------------------------------------
def test_resume_from_the_same_store_continues_where_the_person_left_off(digits, tmp_path):
    path = tmp_path / "resume.db"
    session = make(digits, path)
    _, _, truth = digits
    labeled = answer(session, truth, 12)
    skipped = session.skip()
    before = session.labels
    counts = session.counts
    session.close()  # as if the kernel had been restarted

    again = label(digits[0], features=digits[1], store=path, learner_options={"cv": 3})
    assert again.learner.classes_ == list(range(10))  # labels read from the store
    pd.testing.assert_frame_equal(again.labels, before)
    assert again.counts == counts and again.skipped == [skipped]
    assert again.current not in {*labeled, skipped}
    assert again.wait() and again.learner.model is not None  # refit from the stored labels
    assert again.learner.history["n_labels"].iloc[-1] == 12
    assert again.undo() == labeled[-1]  # the undo history survives too
    again.close()


def test_resume_checks_labels_task_and_reports_unknown_items(digits, tmp_path):
    path = tmp_path / "s.db"
    session = make(digits, path)
    session.submit(3)
    session.close()
    with pytest.raises(ValueError, match=r"\['3'\] missing from \[0, 1, 2\]"):
        make(digits, path, labels=[0, 1, 2])
    with Store(path) as store:  # the failed resume changed nothing
        assert store.get_meta("session")["labels"] == list(range(10))
    more = make(digits, path, labels=[*range(10), "other"])  # adding a label is fine
    more.close()
    with Store(path) as store:
        store.add("not-in-pool", {"id": "class", "label": "3"}, kind="class")
    again = make(digits, path)
    assert "1 stored item(s) are not in this pool" in " · ".join(again.widget.panel["lines"])
    assert again.learner.n_human == 1
    again.close()
    with Store(path) as store:
        store.set_meta("session", {**store.get_meta("session"), "task": "boxes"})
    with pytest.raises(ValueError, match="task='boxes'"):
        make(digits, path)


# -- spot-checks --------------------------------------------------------------------------------
def test_spot_check_mixes_auto_labeled_items_and_measures_precision(digits, tmp_path):
    session = make(digits, tmp_path / "s.db", auto_label_threshold=0.8)
    _, _, truth = digits
    answer(session, truth, 30)
    session.wait()
    auto_before = set(session.learner.auto_labels()["id"])
    assert auto_before
    session.spot_check = True
    assert session.widget.panel["buttons"][0]["pressed"] is True
    session.submit(int(truth[session.current]))  # the current item was queued before
    reasons, right = [], 0
    for _ in range(6):
        reasons.append(session.reason)
        session.wait()  # no refit lands between reading the model's answer and the verdict
        if session.reason == "spot":
            assert session.current in auto_before
            assert "spot-check of an auto-label" in session.annotator.note
            right += int(session.learner.predict_proba()[session.current].argmax()
                         == truth[session.current])
        session.submit(int(truth[session.current]))
    assert reasons == ["spot", "model"] * 3
    session.wait()
    stats = session.dashboard.stats
    assert (stats.spot_n, stats.spot_correct) == (3, right)
    assert f"spot-checks: {right}/3 auto-labels right" in session.dashboard.precision_text
    session.widget._receive_panel_action(  # the panel\'s switch
        {"action": "spot_check", "item": session.widget.panel["item"]})
    assert session.spot_check is False
    session.close()


# -- threads ------------------------------------------------------------------------------------
def test_submit_from_two_threads_labels_each_item_once(digits, tmp_path):
    session = make(digits, tmp_path / "s.db")
    errors = []

    def person(label_value):
        try:
            for _ in range(15):
                session.submit(label_value)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=person, args=(v,)) for v in (1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert session.learner.n_human == 30
    store = Store(tmp_path / "s.db")
    assert len(store.items()) == 30 == len(set(store.items()))
    assert len(store.history()) == 30
    assert sorted(session.labels["label"].value_counts().to_dict().items()) == [(1, 15),
                                                                                 (7, 15)]
    assert session.current not in session.labels["id"].tolist()
    session.close()


# -- bad input ----------------------------------------------------------------------------------
def test_bad_input_raises_clear_errors(digits, tmp_path):
    images, features, _ = digits
    path = tmp_path / "s.db"
    with pytest.raises(ValueError, match="features has 299 rows but items has 300"):
        label(images, labels=range(10), features=features[:-1], store=path)
    with pytest.raises(TypeError, match=r"model .* has no predict_proba"):
        label(images, labels=range(10), features=features, model=SVC(), store=path)
    with pytest.raises(TypeError, match=r"LogisticRegression\(\)"):
        label(images, labels=range(10), features=features, model=LogisticRegression,
              store=path)
    with pytest.raises(ValueError, match="items is empty"):
        label([], labels=["a"], store=path)
    with pytest.raises(ValueError, match="labels is required"):
        label(images, features=features, store=tmp_path / "new.db")
    with pytest.raises(ValueError, match="task must be one of"):
        label(images, labels=range(10), features=features, store=path, task="polygons")
    with pytest.raises(ValueError, match="ids has 2 entries but items has 300"):
        label(images, labels=range(10), features=features, store=path, ids=["a", "b"])
    with pytest.raises(ValueError, match="not unique"):
        label(images, labels=range(10), features=features, store=path, ids=[1] * N)
    with pytest.raises(TypeError, match="unexpected keyword"):
        label(images, labels=range(10), features=features, store=path, colour="red")
    with pytest.raises(TypeError, match="store must be a file path"):
        label(images, labels=range(10), features=features, store=3)
    with pytest.raises(TypeError, match="features=None needs images as arrays"):
        label([b"\x89PNG\r\n\x1a\n" + bytes(16)] * 3, labels=["a"], store=path)
    session = make(digits, path)
    with pytest.raises(ValueError, match="'bird' is not one of the labels"):
        session.submit("bird")
    assert session.learner.n_human == 0 and Store(path).items() == []
    session.close()


def test_text_and_row_items_are_featurized_when_no_features_are_given(tmp_path):
    texts = ["a happy sunny day", "sad rainy night", "happy happy joy", "rain and sadness"] * 3
    session = label(texts, labels=["pos", "neg"], store=tmp_path / "t.db",
                    learner_options={"cv": 0})
    assert session.learner.n_items == 12
    assert session.annotator.view["kind"] == "text"
    session.close()
    frame = pd.DataFrame({"height": np.arange(10.0), "name": [f"n{i}" for i in range(10)]})
    rows = label(frame, labels=["short", "tall"], store=tmp_path / "r.db",
                 learner_options={"cv": 0})
    assert "name" in dict(rows.annotator.view["cells"])  # the row, as field-value text
    rows.close()


def test_task_adapters_are_pluggable(tmp_path):
    class Upper(ClassifyTask):
        def records(self, answer):
            return [{**r, "label": r["label"].upper()} for r in super().records(answer)]

        def context(self):
            return {"labels": [n.upper() for n in self.labels.names]}

    register_task("classify-upper", Upper)
    try:
        session = Session(["x", "y", "z"], labels=["a", "b"], features=np.eye(3),
                          store=tmp_path / "u.db", task="classify-upper",
                          learner_options={"cv": 0})
        assert isinstance(session.annotator, ClassLabeler)
        item = session.submit("a")
        assert Store(tmp_path / "u.db").get(item)[0]["label"] == "A"
        session.close()
    finally:
        TASKS.pop("classify-upper")

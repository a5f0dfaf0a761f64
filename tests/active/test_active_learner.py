"""ActiveLearner: background refits, coalescing, failures, auto-labels, precision, validation."""

# ruff: noqa: N803, N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import threading
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_digits, make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC

from nbannotate.active import ActiveLearner

warnings.filterwarnings("ignore", category=ConvergenceWarning)

# Gated estimators look their events up by key: sklearn.clone deep-copies plain parameters.
GATES: dict[str, dict] = {}


class GatedClassifier(ClassifierMixin, BaseEstimator):
    """LogisticRegression whose fit can be held (until released) or made to fail."""

    def __init__(self, gate: str = "default"):
        self.gate = gate

    def fit(self, X, y):
        g = GATES[self.gate]
        g["fits"] += 1
        g["started"].set()
        if not g["release"].wait(timeout=20):
            raise TimeoutError("test gate never released")
        if g["fail"]:
            raise RuntimeError("deliberate failure")
        self.model_ = LogisticRegression(max_iter=200).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def make_gate(name: str, *, released: bool = False) -> dict:
    g = {"started": threading.Event(), "release": threading.Event(), "fits": 0, "fail": False}
    if released:
        g["release"].set()
    GATES[name] = g
    return g


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X, y


@pytest.fixture
def blobs():
    X, y = make_blobs(n_samples=300, centers=3, cluster_std=1.0, random_state=0)
    return X, y


def fast_learner(X, **kw):
    kw.setdefault("semi_supervised", False)
    kw.setdefault("cv", 0)
    kw.setdefault("random_state", 0)
    return ActiveLearner(LogisticRegression(max_iter=300), X, **kw)


# ----------------------------------------------------------------------- basic loop
def test_cold_start_picks_cover_the_blobs():
    X, y = make_blobs(n_samples=600, centers=6, cluster_std=0.5, random_state=4)
    learner = fast_learner(X)
    ids = learner.next(k=6)
    assert sorted(y[ids].tolist()) == [0, 1, 2, 3, 4, 5]


def test_loop_teach_refit_predict(blobs):
    X, y = blobs
    learner = fast_learner(X)
    assert learner.predict_proba() is None
    assert np.isnan(learner.uncertainty()).all()
    ids = learner.next(k=6)
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert learner.last_error is None
    proba = learner.predict_proba()
    assert proba.shape == (300, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert learner.n_human == 6 and len(learner.history) >= 1
    assert np.isfinite(learner.uncertainty()).all()
    more = learner.next(k=5)
    assert len(more) == 5 and not set(more) & set(ids)
    labels = learner.labels
    assert list(labels.columns) == ["id", "label", "source", "score"]
    assert set(labels["source"]) == {"human"} and len(labels) == 6


def test_next_returns_most_uncertain_first_with_custom_strategy(blobs):
    X, y = blobs
    learner = fast_learner(X, strategy=lambda p: p[:, 0], cold_start=0, diversity=False)
    ids = np.r_[np.flatnonzero(y == 0)[:3], np.flatnonzero(y == 1)[:3], np.flatnonzero(y == 2)[:3]]
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    picks = learner.next(k=3)
    p0 = learner.predict_proba()[:, learner.classes_.index(0)].copy()
    p0[ids] = -1
    assert picks == np.argsort(-p0, kind="stable")[:3].tolist()


def test_exhausted_pool_returns_empty_list():
    X = np.random.default_rng(0).normal(size=(4, 2))
    learner = fast_learner(X)
    learner.teach([0, 1, 2, 3], ["a", "b", "a", "b"])
    assert learner.next(k=3) == []
    assert learner.next(k=1, exclude=[0]) == []


def test_exclude_keeps_queued_items_out(blobs):
    X, _ = blobs
    learner = fast_learner(X)
    first = learner.next(k=5)
    second = learner.next(k=5, exclude=first)
    assert not set(first) & set(second)


# ----------------------------------------------------------------------- background refits
def test_background_refit_never_blocks_next_or_teach(blobs):
    X, y = blobs
    gate = make_gate("nonblocking")
    learner = ActiveLearner(GatedClassifier("nonblocking"), X, semi_supervised=False, cv=0,
                            random_state=0)
    ids = learner.next(k=6)
    learner.teach(ids, y[ids])
    assert gate["started"].wait(timeout=10)  # the fit is running and held
    assert learner.is_training
    more = learner.next(k=4)  # returns while the fit is still held
    learner.teach(more, y[more])
    assert learner.n_human == 10 and not gate["release"].is_set()
    assert learner.predict_proba() is None  # no model swapped in yet
    gate["release"].set()
    learner.refit(wait=True)
    assert not learner.is_training
    assert learner.predict_proba() is not None
    assert learner.history["n_labels"].iloc[-1] == 10


def test_refits_requested_during_a_fit_are_coalesced(blobs):
    X, y = blobs
    gate = make_gate("coalesce")
    learner = ActiveLearner(GatedClassifier("coalesce"), X, semi_supervised=False, cv=0,
                            random_state=0)
    order = np.r_[np.flatnonzero(y == 0)[:10], np.flatnonzero(y == 1)[:10],
                  np.flatnonzero(y == 2)[:10]]
    learner.teach(order[[0, 10]], y[order[[0, 10]]])
    assert gate["started"].wait(timeout=10)
    for i in order[[1, 2, 3, 4, 5, 11, 12, 13, 20, 21, 22]]:
        learner.teach([int(i)], [y[i]])
    gate["release"].set()
    learner.refit(wait=True)
    assert gate["fits"] == 2
    hist = learner.history
    assert hist["n_labels"].tolist() == [2, 13]


def test_failed_refit_keeps_previous_model_and_records_error(blobs):
    X, y = blobs
    gate = make_gate("failing", released=True)
    learner = ActiveLearner(GatedClassifier("failing"), X, semi_supervised=False, cv=0,
                            random_state=0)
    ids = learner.next(k=6)
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    good_model, good_proba = learner.model, learner.predict_proba()
    gate["fail"] = True
    more = learner.next(k=3)
    learner.teach(more, y[more])
    learner.refit(wait=True)
    assert isinstance(learner.last_error, RuntimeError)
    last = learner.history.iloc[-1]
    assert last["kind"] == "failed" and "deliberate failure" in last["error"]
    assert learner.model is good_model
    np.testing.assert_array_equal(learner.predict_proba(), good_proba)
    assert learner.next(k=2)  # still serving
    gate["fail"] = False
    learner.refit(wait=True)
    assert learner.last_error is None and learner.model is not good_model


def test_on_refit_callback_runs_in_background_thread(blobs):
    X, y = blobs
    learner = fast_learner(X)
    seen = []
    learner.on_refit(lambda lr: seen.append((lr, threading.current_thread().name)))
    learner.on_refit(lambda lr: 1 / 0)  # a broken callback must not break refits
    ids = learner.next(k=6)
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert seen and seen[-1][0] is learner
    assert seen[-1][1] != threading.current_thread().name
    assert learner.last_error is None


def test_partial_fit_updates_incrementally_between_full_refits(blobs):
    X, y = blobs
    learner = ActiveLearner(SGDClassifier(loss="log_loss", random_state=0), X,
                            semi_supervised=False, cv=0, refit_every=5, random_state=0)
    ids = learner.next(k=6)
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    first_model = learner.model
    first_coef = first_model.coef_.copy()
    for _ in range(2):
        more = learner.next(k=2)
        learner.teach(more, y[more])
        learner.refit(wait=True)
    kinds = learner.history["kind"].tolist()
    assert kinds[0] == "full" and "partial" in kinds
    np.testing.assert_array_equal(first_model.coef_, first_coef)  # old model left untouched
    more = learner.next(k=3)
    learner.teach(more, y[more])
    learner.refit(wait=True)
    assert learner.history["kind"].iloc[-1] == "full"  # 13 labels >= 6 + refit_every
    learner.forget(more[:1])
    learner.refit(wait=True)
    assert learner.history["kind"].iloc[-1] == "full"  # forgetting needs a full refit


# ----------------------------------------------------------------------- pools
def test_dataframe_pool_with_mixed_columns():
    rng = np.random.default_rng(0)
    n = 200
    colour = rng.choice(["red", "green"], size=n)
    x = rng.normal(size=n) + (colour == "red") * 3
    df = pd.DataFrame({"x": x, "colour": colour}, index=np.arange(1000, 1000 + n))
    y = np.where(colour == "red", "warm", "cool")
    pipe = make_pipeline(make_column_transformer((OneHotEncoder(), ["colour"]),
                                                 (StandardScaler(), ["x"])),
                         LogisticRegression())
    learner = ActiveLearner(pipe, df, random_state=0)
    ids = learner.next(k=6)
    assert all(0 <= i < n for i in ids)  # positions, not the DataFrame's index
    ids = [*ids, int(np.flatnonzero(y == "warm")[0]), int(np.flatnonzero(y == "cool")[0])]
    ids = list(dict.fromkeys(ids))
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert learner.last_error is None
    assert learner.predict_proba().shape == (n, 2)
    assert len(learner.next(k=3)) == 3


def test_sparse_pool_with_text_features():
    from nbannotate.features import text_features

    texts = [f"good great fine item {i}" for i in range(40)] + \
            [f"bad awful poor item {i}" for i in range(40)]
    y = np.array(["pos"] * 40 + ["neg"] * 40)
    X = text_features(texts)
    learner = ActiveLearner(LogisticRegression(), X, random_state=0)
    assert not learner.semi_supervised  # "auto" is off for sparse pools
    ids = list(dict.fromkeys([*learner.next(k=4), 0, 79]))
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert learner.last_error is None
    predicted = np.array(learner.classes_)[learner.predict_proba().argmax(1)]
    assert (predicted == y).mean() > 0.95
    batch = learner.next(k=5)
    assert len(set(batch)) == 5


def test_semi_supervised_fits_the_users_estimator_with_sample_weight(digits):
    X, y = digits
    X, y = X[:600], y[:600]
    learner = ActiveLearner(LogisticRegression(max_iter=300), X, cv=0, random_state=0)
    assert learner.semi_supervised
    ids = [int(np.flatnonzero(y == c)[0]) for c in range(10)]
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert isinstance(learner.model, LogisticRegression)
    supervised = fast_learner(X)
    supervised.teach(ids, y[ids])
    supervised.refit(wait=True)
    acc_semi = (learner.predict_proba().argmax(1) == y).mean()
    acc_sup = (supervised.predict_proba().argmax(1) == y).mean()
    assert acc_semi > acc_sup + 0.05
    # spread labels are training data only: labels() holds just the human ones
    assert len(learner.labels) == 10


# ----------------------------------------------------------------------- labels and precision
def test_auto_labels_never_include_human_labels(digits):
    X, y = digits
    learner = fast_learner(X, auto_label_threshold=0.5)
    rng = np.random.default_rng(0)
    ids = rng.choice(len(X), 80, replace=False).tolist()
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    auto = learner.auto_labels()
    assert len(auto) > 1000 and not set(auto["id"]) & set(ids)
    assert (auto["score"] >= 0.5).all()
    labels = learner.labels
    assert labels["id"].is_unique
    human = labels[labels["source"] == "human"]
    assert sorted(human["id"]) == sorted(ids)
    assert (human["label"].to_numpy() == y[human["id"]]).all()  # never overwritten
    more = learner.next(k=5)  # taught after the last refit: removed from auto-labels at once
    learner.teach(more, y[more])
    assert not set(learner.auto_labels()["id"]) & set(more)
    assert len(learner.auto_labels(0.99)) < len(auto)


def test_estimated_precision_bounds_true_precision_on_held_out_digits(digits):
    X, y = digits
    learner = fast_learner(X, cv=5)
    rng = np.random.default_rng(2)
    ids = rng.choice(len(X), 200, replace=False).tolist()
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    for t in (0.8, 0.95):
        est = learner.estimated_precision(t, confidence=0.95)
        auto = learner.auto_labels(t)
        true = (auto["label"].to_numpy() == y[auto["id"]]).mean()
        assert est.n > 100
        assert est.lower <= true <= est.upper
        assert abs(est.precision - true) < 0.05
        assert est.coverage == pytest.approx(len(auto) / (len(X) - 200))


def test_precision_target_not_met_auto_labels_nothing_and_says_why(blobs):
    X, y = blobs
    learner = fast_learner(X, cv=5, auto_label_precision=0.999)
    ids = learner.next(k=12)
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert learner.threshold is None
    assert learner.auto_labels().empty
    assert "not met" in learner.auto_label_status
    assert (learner.labels["source"] == "human").all()


def test_precision_target_met_on_easy_data(blobs):
    X, y = make_blobs(n_samples=600, centers=2, cluster_std=0.5, random_state=0)
    learner = fast_learner(X, cv=5, auto_label_precision=0.9)
    rng = np.random.default_rng(0)
    ids = rng.choice(600, 60, replace=False).tolist()
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert learner.threshold is not None, learner.auto_label_status
    auto = learner.auto_labels()
    assert len(auto) > 400 and (auto["label"].to_numpy() == y[auto["id"]]).mean() > 0.99
    assert (learner.labels["source"] == "auto").sum() == len(auto)


def test_spot_checks_measure_real_precision(digits):
    X, y = digits
    learner = fast_learner(X, auto_label_threshold=0.9)
    ids = np.random.default_rng(2).choice(len(X), 60, replace=False).tolist()
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    checks = learner.spot_check(30)
    assert len(checks) == 30 and set(checks) <= set(learner.auto_labels()["id"])
    auto = learner.auto_labels()
    predicted = dict(zip(auto["id"], auto["label"], strict=True))
    learner.teach(checks, y[checks], source="spot_check")
    measured = learner.measured_precision()
    right = sum(predicted[i] == y[i] for i in checks)
    assert (measured.n, measured.n_correct) == (30, right)
    est = learner.estimated_precision(0.9)
    assert est.measured_n == 30 and est.measured_correct == right
    assert learner.n_human == 90


def test_suspects_finds_flipped_labels(digits):
    X, y = digits
    learner = fast_learner(X, cv=5)
    ids = np.random.default_rng(3).choice(len(X), 150, replace=False)
    noisy = y[ids].copy()
    flipped = ids[:4]
    noisy[:4] = (noisy[:4] + 1) % 10
    learner.teach(ids.tolist(), noisy)
    learner.refit(wait=True)
    sus = learner.suspects(min_score=0.8)
    assert list(sus.columns) == ["id", "label", "predicted", "score"]
    top = set(sus["id"].head(6))  # the flipped labels are the most confidently contradicted
    assert len(top & set(flipped.tolist())) >= 3
    assert set(sus["id"]) <= set(ids.tolist())
    assert (sus["score"].diff().dropna() <= 0).all()


def test_forget_undoes_a_label(blobs):
    X, y = blobs
    learner = fast_learner(X)
    ids = learner.next(k=6)
    learner.teach(ids, y[ids])
    learner.forget(ids[:2])
    assert learner.n_human == 4
    assert ids[0] not in set(learner.labels["id"])
    learner.teach(ids[:1], [y[ids[0]]])  # relabeling after forget is allowed
    with pytest.raises(ValueError, match="no human label to forget"):
        learner.forget([ids[1]])


def test_declared_labels_fix_classes_and_columns(blobs):
    X, y = blobs
    learner = fast_learner(X, labels=[2, 1, 0, 3])
    assert learner.classes_ == [2, 1, 0, 3]
    ids = learner.next(k=6)
    learner.teach(ids, [np.int64(v) for v in y[ids]])
    learner.refit(wait=True)
    proba = learner.predict_proba()
    assert proba.shape == (300, 4)
    assert (proba[:, 3] == 0).all()
    assert (proba.argmax(1) == np.array([learner.classes_.index(v) for v in y])).mean() > 0.9


# ----------------------------------------------------------------------- validation
def test_constructor_validation(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match="X is empty"):
        ActiveLearner(LogisticRegression(), np.empty((0, 3)))
    with pytest.raises(TypeError, match="LinearSVC"):
        ActiveLearner(LinearSVC(), X)
    with pytest.raises(TypeError, match="instance"):
        ActiveLearner(LogisticRegression, X)
    with pytest.raises(ValueError, match="'margin'"):
        ActiveLearner(LogisticRegression(), X, strategy="uncertainty")
    with pytest.raises(TypeError, match="one score per row"):
        ActiveLearner(LogisticRegression(), X, strategy=lambda p: p)
    with pytest.raises(TypeError, match="unexpected keyword argument 'batch'"):
        ActiveLearner(LogisticRegression(), X, batch=3)
    with pytest.raises(ValueError, match="not both"):
        ActiveLearner(LogisticRegression(), X, auto_label_precision=0.9,
                      auto_label_threshold=0.9)
    with pytest.raises(ValueError, match="auto_label_precision"):
        ActiveLearner(LogisticRegression(), X, auto_label_precision=98)
    with pytest.raises(ValueError, match="more than once"):
        ActiveLearner(LogisticRegression(), X, labels=["a", "a"])
    with pytest.raises(TypeError, match="partial_fit"):
        ActiveLearner(LogisticRegression(), X, partial_fit=True)
    with pytest.raises(ValueError, match="2-D"):
        ActiveLearner(LogisticRegression(), np.ones(5))


def test_teach_and_next_validation(blobs):
    X, _ = blobs
    learner = fast_learner(X, labels=[0, 1, 2])
    with pytest.raises(ValueError, match=r"out of range.*300 items"):
        learner.teach([300], [0])
    with pytest.raises(ValueError, match=r"\[-1\]"):
        learner.teach([-1], [0])
    with pytest.raises(ValueError, match=r"len\(labels\) is 1 but len\(ids\) is 2"):
        learner.teach([1, 2], [0])
    with pytest.raises(ValueError, match="not among the declared labels"):
        learner.teach([1], [7])
    with pytest.raises(TypeError, match=r"\[5\]"):
        learner.teach(5, [0])
    with pytest.raises(ValueError, match="more than once"):
        learner.teach([4, 4], [0, 0])
    with pytest.raises(TypeError, match="integer"):
        learner.teach([1.5], [0])
    with pytest.raises(ValueError, match="source"):
        learner.teach([1], [0], source="robot")
    learner.teach([1], [0])
    with pytest.raises(ValueError, match=r"already labeled.*forget"):
        learner.teach([1], [1])
    assert learner.n_human == 1  # the failed calls changed nothing
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        learner.next(k=0)
    with pytest.raises(ValueError, match="got -3"):
        learner.next(k=-3)
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        learner.next(n=3)
    with pytest.raises(ValueError, match="threshold must be in"):
        learner.auto_labels(threshold=1.5)
    with pytest.raises(ValueError, match="spot_check"):
        learner.teach([2], [1], source="spot_check")  # no model yet


def test_sparse_input_accepted_directly():
    X = sp.random(100, 30, density=0.2, random_state=0, format="coo")
    y = np.asarray(X.sum(axis=1)).ravel() > np.median(np.asarray(X.sum(axis=1)))
    learner = fast_learner(X)
    ids = learner.next(k=10)
    ids = list(dict.fromkeys([*ids, int(np.argmax(y)), int(np.argmin(y))]))
    learner.teach(ids, y[ids])
    learner.refit(wait=True)
    assert learner.last_error is None and learner.predict_proba().shape == (100, 2)


def test_concurrent_teach_and_next_from_several_threads(blobs):
    X, y = blobs
    learner = fast_learner(X)
    errors: list[BaseException] = []

    def worker(part: int) -> None:
        try:
            for i in range(part, 300, 4):
                learner.teach([i], [y[i]])
                learner.next(k=2)
                learner.predict_proba()
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(p,)) for p in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    learner.refit(wait=True)
    assert not errors
    assert learner.n_human == 300 and learner.next(k=3) == []
    assert learner.history["n_labels"].iloc[-1] == 300
    assert learner.last_error is None

"""The dashboard's numbers after refits, its charts' geometry, and how refits reach it: from the
learner's thread onto the kernel's event loop (or at once when there is none)."""

from __future__ import annotations

import asyncio
import math
import threading
import time

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from nbannotate import ClassLabeler, label
from nbannotate.active import ActiveLearner
from nbannotate.session._panel import SessionPanel
from nbannotate.session.dashboard import (
    Dashboard,
    PredictionChanges,
    compute_stats,
    curve_flattened,
    precision_text,
)
from nbannotate.widget.labels import LabelSet
from nbannotate.widget.mainloop import MainThread

N = 400


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    return data.images[:N] / 16.0, data.data[:N] / 16.0, data.target[:N]


def test_stats_after_refits_match_the_learner(digits):
    _, features, truth = digits
    learner = ActiveLearner(LogisticRegression(max_iter=500), features, labels=list(range(10)),
                            auto_label_threshold=0.9, cv=3, random_state=0)
    labelset = LabelSet(range(10))
    for step in range(3):
        ids = learner.next(10)
        learner.teach(ids, truth[ids])
        learner.refit(wait=True)
        stats = compute_stats(learner, labelset, n_skipped=2)
        assert stats.n_human == 10 * (step + 1)
        auto = learner.auto_labels()
        assert stats.n_auto == len(auto) > 0
        assert stats.n_remaining == N - stats.n_human - stats.n_auto
        assert stats.n_skipped == 2
        assert len(stats.curve_n) == step + 1 and stats.curve_n[-1] == 10 * (step + 1)
        assert stats.curve_accuracy[-1] == pytest.approx(learner.history["cv_accuracy"].iloc[-1])
        assert stats.confidence.shape == (N - stats.n_human,)  # unlabeled items only
        assert stats.threshold == 0.9
        estimate = learner.estimated_precision(0.9)
        assert stats.precision_n == estimate.n
        if estimate.n:
            assert stats.precision == pytest.approx(estimate.precision)
        assert sum(stats.human_per_class) == stats.n_human
        assert sum(stats.auto_per_class) == stats.n_auto
        assert stats.human_per_class[3] == int(np.sum(truth[learner.labels.query(
            "source == 'human'")["id"]] == 3))
        assert stats.training is False and stats.last_error == ""
    text = precision_text(stats)
    assert text.startswith("auto-labels at confidence ≥ 0.90")


def test_stats_before_a_model_and_when_auto_labeling_is_off(digits):
    _, features, _ = digits
    learner = ActiveLearner(LogisticRegression(), features, labels=list(range(10)), cv=0)
    stats = compute_stats(learner, LabelSet(range(10)))
    assert (stats.n_human, stats.n_auto, stats.n_remaining) == (0, 0, N)
    assert stats.confidence.size == 0 and stats.curve_n == ()
    assert math.isnan(stats.precision) and stats.threshold is None
    assert precision_text(stats).startswith("auto-labeling is off")


def test_failed_refit_is_shown_on_the_dashboard(digits):
    _, features, _ = digits

    class Broken(LogisticRegression):
        def fit(self, X, y, sample_weight=None):  # noqa: N803
            raise RuntimeError("no convergence <today>")

    learner = ActiveLearner(Broken(), features, labels=[0, 1], cv=0, semi_supervised=False)
    learner.teach([0, 1], [0, 1])
    learner.refit(wait=True)
    stats = compute_stats(learner, LabelSet([0, 1]))
    assert "no convergence" in stats.last_error
    labeler = ClassLabeler("x", labels=["0", "1"])
    dash = Dashboard(["0", "1"], SessionPanel(labeler))
    dash.update(stats)
    assert "last refit failed: RuntimeError: no convergence <today>" in labeler.panel["lines"]


def test_dashboard_update_shows_counts_training_precision_and_flat_curve(digits):
    labeler = ClassLabeler("x", labels=["cat", "<dog>"])
    dash = Dashboard(["cat", "<dog>"], SessionPanel(labeler))
    stats = compute_stats(ActiveLearner(LogisticRegression(), digits[1], labels=["cat", "<dog>"],
                                         cv=0), LabelSet(["cat", "<dog>"]))
    flat = stats.__class__(**{**stats.__dict__, "n_human": 70, "n_remaining": 330,
                              "curve_n": (10, 20, 30, 40, 50, 60, 70),
                              "curve_accuracy": (.5, .7, .84, .85, .85, .851, .852),
                              "flattened": True, "training": True,
                              "auto_status": "no auto-labels: <target> not met"})
    dash.update(flat)
    assert dash.counts == {"human": 70, "auto": 0, "remaining": 330, "skipped": 0}
    panel = labeler.panel  # what the browser draws, as text (never parsed as HTML)
    assert panel["counts"]["human"] == 70 and panel["progress"] == {"done": 70, "total": 400}
    assert dash.training_text == "training…" and "training…" in panel["lines"]
    assert any("flattened" in line for line in panel["lines"])
    assert "no auto-labels: <target> not met" in panel["lines"]
    assert panel["charts"]["curve"]["n"] == [10, 20, 30, 40, 50, 60, 70]
    assert panel["charts"]["balance"]["labels"] == ["cat", "<dog>"]
    dash.set_training(False)
    assert "training…" not in labeler.panel["lines"]


def test_flattened_needs_a_flat_curve_and_stable_predictions(digits):
    _, features, truth = digits
    learner = ActiveLearner(LogisticRegression(max_iter=500), features, labels=list(range(10)),
                            cv=3, random_state=0)
    changes = PredictionChanges()
    labelset = LabelSet(range(10))
    fractions = []
    for _ in range(8):
        ids = learner.next(10)
        learner.teach(ids, truth[ids])
        learner.refit(wait=True)
        fractions = changes.update(learner)
        assert changes.update(learner) == fractions  # the same model counts once
    assert len(fractions) == 7 and all(0.0 <= f <= 1.0 for f in fractions)
    stats = compute_stats(learner, labelset, changes=fractions)
    assert stats.changed == fractions[-1]
    curve_flat = curve_flattened(stats.curve_n, stats.curve_accuracy)
    assert stats.flattened == (curve_flat and max(fractions[-2:]) < 0.01)
    assert compute_stats(learner, labelset, changes=[0.0, 0.0]).flattened == curve_flat
    assert compute_stats(learner, labelset, changes=[0.0, 0.2]).flattened is False
    assert compute_stats(learner, labelset).flattened is False  # no stability figures yet


def test_curve_flattened_rules():
    assert curve_flattened([10, 20, 30, 40, 50, 60, 70], [.5, .7, .84, .85, .85, .851, .852])
    assert not curve_flattened([10, 20, 30, 40, 50, 60], [.3, .4, .5, .6, .7, .8])
    assert not curve_flattened([10, 20, 30], [.9, .9, .9])  # too few points
    assert not curve_flattened([10, 11, 12, 13, 14, 15], [.9] * 6)  # too short a span
    assert curve_flattened([10, 11, 12, 13, 14, 15], [.9] * 6, window=3)
    assert not curve_flattened([10, 20, 30, 40, 50, 60], [.5, .6, np.nan, .7, .8, .9])


def test_refits_redraw_the_dashboard_without_a_kernel(digits, tmp_path):
    images, features, truth = digits
    session = label(images, labels=range(10), features=features, store=tmp_path / "s.db",
                    learner_options={"cv": 3})
    for _ in range(12):
        session.submit(int(truth[session.current]))
    deadline = time.monotonic() + 60
    # No event loop here: the learner's callback redraws at once, then polls until idle.
    while time.monotonic() < deadline and (session.dashboard.stats.n_human < 12
                                           or session.dashboard.training_text):
        time.sleep(0.05)
    assert session.dashboard.stats.n_human == 12
    assert session.dashboard.stats.n_refits >= 1
    assert session.dashboard.training_text == ""
    session.close()


def test_main_thread_schedules_onto_the_running_loop_from_other_threads():
    ran_on: list[str] = []

    async def kernel_like() -> None:
        main = MainThread()  # created inside the loop, as in a notebook cell
        assert main.has_loop and main.on_main_thread()
        worker = threading.Thread(target=main.call, name="refit",
                                  args=(lambda: ran_on.append(threading.current_thread().name),))
        worker.start()
        worker.join()
        assert ran_on == []  # queued, not run on the worker
        await asyncio.sleep(0.05)
        main.call_later(0.01, lambda: ran_on.append("later:" + threading.current_thread().name))
        await asyncio.sleep(0.1)

    thread = threading.Thread(target=asyncio.run, args=(kernel_like(),), name="kernel")
    thread.start()
    thread.join()
    assert ran_on == ["kernel", "later:kernel"]


def test_main_thread_without_loop_runs_at_once_and_logs_errors(caplog):
    main = MainThread()
    seen = []
    main.call(seen.append, 1)
    assert seen == [1]

    def boom():
        raise ValueError("bad redraw")

    main.call(boom)
    assert "bad redraw" in caplog.text

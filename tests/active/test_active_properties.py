"""Properties of the learner's parts on arbitrary input (hypothesis): the label book agrees with
a plain dict through any sequence of teach/forget, strategies and intervals stay in range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nbannotate.active import binomial_interval, entropy, least_confidence, margin, top_k
from nbannotate.active._labels import LabelBook

N = 12
edits = st.lists(st.tuples(st.booleans(), st.lists(st.integers(0, N - 1), min_size=1,
                                                   max_size=4, unique=True),
                           st.sampled_from(["cat", "dog", 3, "😀"])), max_size=25)


@settings(max_examples=150, deadline=None)
@given(steps=edits)
def test_the_label_book_agrees_with_a_dict(steps: list[tuple[bool, list[int], object]]) -> None:
    book, truth, order = LabelBook(N, declared=None), {}, []
    version = 0
    for teach, ids, label in steps:
        ids_arr = np.array(ids)
        if teach:
            if any(i in truth for i in ids):
                with pytest.raises(ValueError, match="already labeled"):
                    book.teach(ids_arr, [label] * len(ids), snapshot=None, source="human")
                continue
            book.teach(ids_arr, [label] * len(ids), snapshot=None, source="human")
            truth.update(dict.fromkeys(ids, label))
            if label not in order:
                order.append(label)
        else:
            if not all(i in truth for i in ids):
                with pytest.raises(ValueError, match="no human label to forget"):
                    book.forget(ids_arr)
                continue
            book.forget(ids_arr)
            for i in ids:
                del truth[i]
        version += 1
        assert book.version == version
    assert book.classes == tuple(order)
    assert dict(book.human_rows()) == truth and book.n_human == len(truth)
    assert sorted(np.flatnonzero(book.labeled()).tolist()) == sorted(truth)
    assert book.counts().sum() == len(truth)
    job = book.job(snapshot=None, partial=False, refit_every=10)
    assert (job is None) == (len(set(truth.values())) < 2)
    if job is not None:
        assert {int(i): job.classes[c] for i, c in zip(job.ids, job.codes, strict=True)} == truth


probabilities = hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(2, 6)),
                           elements=st.floats(0.0, 1.0)).filter(
    lambda p: (p.sum(axis=1) > 0).all()).map(lambda p: p / p.sum(axis=1, keepdims=True))


@settings(max_examples=100, deadline=None)
@given(proba=probabilities)
def test_strategies_score_every_item_in_range(proba: np.ndarray) -> None:
    for strategy, top in ((margin, 1.0), (least_confidence, 1.0),
                          (entropy, np.log(proba.shape[1]))):  # entropy in nats
        scores = strategy(proba)
        assert scores.shape == (proba.shape[0],) and np.isfinite(scores).all()
        assert (scores >= -1e-9).all() and (scores <= top + 1e-9).all()
    k = max(1, proba.shape[0] // 2)
    best = top_k(margin(proba), k)
    assert len(set(best.tolist())) == k
    assert margin(proba)[best].min() >= np.sort(margin(proba))[::-1][k - 1] - 1e-12


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 500), data=st.data(), confidence=st.floats(0.5, 0.999))
def test_the_interval_holds_the_observed_proportion(n: int, data: st.DataObject,
                                                    confidence: float) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = binomial_interval(k, n, confidence)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    wider = binomial_interval(k, n, min(0.9999, confidence + 0.0005))
    assert wider[0] <= lo + 1e-12 and wider[1] >= hi - 1e-12

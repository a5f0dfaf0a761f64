"""Query strategies, selectors, precision bounds and label spreading: pure functions."""

# ruff: noqa: N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from nbannotate.active import (
    STRATEGIES,
    KNNGraph,
    binomial_interval,
    choose_threshold,
    diverse_top_k,
    entropy,
    get_strategy,
    kmeans_pp_seeds,
    least_confidence,
    margin,
    precision_at,
    pseudo_labels,
    random,
    spread_labels,
    top_k,
)

PROBA = np.array([
    [1.00, 0.00, 0.00],   # certain
    [0.50, 0.50, 0.00],   # tie between two classes
    [0.34, 0.33, 0.33],   # nearly uniform
    [0.60, 0.39, 0.01],
    [0.70, 0.15, 0.15],
])


def test_least_confidence_is_one_minus_top_probability():
    np.testing.assert_allclose(least_confidence(PROBA), [0.0, 0.5, 0.66, 0.4, 0.3])


def test_margin_ranks_two_way_ties_above_spread_out_rows():
    scores = margin(PROBA)
    np.testing.assert_allclose(scores, [0.0, 1.0, 0.99, 0.79, 0.45])
    # margin prefers a 50/50 tie over a 3-way near-uniform row; least-confidence does not
    assert scores[1] > scores[2]
    assert least_confidence(PROBA)[2] > least_confidence(PROBA)[1]


def test_entropy_is_highest_for_uniform_rows():
    scores = entropy(PROBA)
    assert scores[0] == pytest.approx(0.0)
    assert scores[1] == pytest.approx(np.log(2))
    assert int(np.argmax(scores)) == 2
    # 0.70/0.15/0.15 is more uncertain by entropy than 0.60/0.39/0.01, not by margin
    assert scores[4] > scores[3] and margin(PROBA)[4] < margin(PROBA)[3]


def test_strategies_handle_single_class_and_reject_bad_shapes():
    one = np.ones((4, 1))
    for fn in (least_confidence, margin, entropy):
        assert np.all(fn(one) == 0)
    with pytest.raises(ValueError, match="2-D"):
        margin(np.ones(3))


def test_random_is_reproducible_and_uniformish():
    a = random(np.ones((1000, 2)) / 2, random_state=1)
    assert np.array_equal(a, random(np.ones((1000, 2)) / 2, random_state=1))
    assert 0.4 < a.mean() < 0.6


def test_get_strategy_names_callables_and_errors():
    assert set(STRATEGIES) == {"least_confidence", "margin", "entropy", "random"}
    assert get_strategy("entropy") is entropy

    def mine(p):
        return p[:, 0]

    assert get_strategy(mine) is mine
    with pytest.raises(ValueError) as err:
        get_strategy("smallest_margin")
    for name in STRATEGIES:
        assert repr(name) in str(err.value)
    with pytest.raises(TypeError, match="strategy"):
        get_strategy(3)


def test_top_k_orders_excludes_and_breaks_ties_by_position():
    scores = np.array([0.2, 0.9, 0.9, 0.1, np.nan, 0.5])
    assert top_k(scores, 3).tolist() == [1, 2, 5]
    assert top_k(scores, 2, exclude=np.array([1])).tolist() == [2, 5]
    mask = np.zeros(6, bool)
    mask[[1, 2]] = True
    assert top_k(scores, 10, exclude=mask).tolist() == [5, 0, 3, 4]
    assert top_k(scores, 2, exclude=np.ones(6, bool)).tolist() == []
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        top_k(scores, 0)


def test_diverse_batch_covers_clusters_instead_of_near_duplicates():
    X, y = make_blobs(n_samples=[200, 60, 60, 60], centers=[[0, 0], [10, 0], [0, 10], [10, 10]],
                      cluster_std=0.4, random_state=0)
    rng = np.random.default_rng(0)
    scores = np.where(y == 0, 0.9, 0.7) + rng.normal(0, 0.01, len(y))
    plain = top_k(scores, 4)
    assert set(y[plain]) == {0}  # the 4 best scores are all in one cluster
    batch = diverse_top_k(scores, X, 4, n_candidates=len(y))
    assert set(y[batch]) == {0, 1, 2, 3}
    assert batch[0] == plain[0]  # the single most informative item still comes first
    assert len(set(batch.tolist())) == 4


def test_diverse_batch_respects_exclude_and_small_pools():
    X = np.arange(10, dtype=float)[:, None]
    scores = np.linspace(1, 0, 10)
    batch = diverse_top_k(scores, X, 3, exclude=np.array([0, 1]))
    assert 0 not in batch and 1 not in batch and len(batch) == 3
    assert diverse_top_k(scores, X, 20).size == 10


def test_kmeans_pp_cold_start_picks_one_item_per_blob():
    X, y = make_blobs(n_samples=500, centers=5, cluster_std=0.6, random_state=3)
    for seed in range(5):
        picks = kmeans_pp_seeds(X, 5, random_state=seed)
        assert sorted(y[picks].tolist()) == [0, 1, 2, 3, 4]


def test_kmeans_pp_goes_where_nothing_is_labeled():
    X, y = make_blobs(n_samples=400, centers=4, cluster_std=0.5, random_state=1)
    labeled = np.flatnonzero(np.isin(y, [0, 1]))[:6]
    picks = kmeans_pp_seeds(X, 2, labeled=labeled, random_state=0)
    assert sorted(y[picks].tolist()) == [2, 3]
    assert not set(picks.tolist()) & set(labeled.tolist())


def test_binomial_interval_known_values():
    lo, hi = binomial_interval(50, 50, confidence=0.95)
    assert lo == pytest.approx(0.025 ** (1 / 50), abs=1e-6)  # exact for k = n
    assert hi == 1.0
    lo, hi = binomial_interval(0, 10, confidence=0.95)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-6)
    lo, hi = binomial_interval(7, 10)
    assert lo < 0.7 < hi
    assert all(np.isnan(binomial_interval(0, 0)))


def test_binomial_interval_covers_true_proportion_in_simulation():
    rng = np.random.default_rng(0)
    p, n, confidence = 0.9, 40, 0.9
    hits = 0
    for _ in range(400):
        k = int(rng.binomial(n, p))
        lo, hi = binomial_interval(k, n, confidence)
        hits += lo <= p <= hi
    assert hits / 400 >= confidence - 0.03  # Clopper-Pearson is conservative


def test_precision_at_counts_only_items_at_or_above_threshold():
    est = precision_at(np.array([0.99, 0.95, 0.9, 0.5]), np.array([True, False, True, False]),
                       0.9)
    assert (est.n, est.n_correct) == (3, 2)
    assert est.precision == pytest.approx(2 / 3)
    assert est.lower < est.precision < est.upper


def test_choose_threshold_uses_the_lower_bound_not_the_point_estimate():
    scores = np.linspace(0.5, 1.0, 60)
    correct = np.ones(60, bool)
    # 60/60 right: the point estimate is 1.0 but a 0.98 lower bound needs ~150 items
    t, est = choose_threshold(scores, correct, 0.98)
    assert t is None and est.precision == 1.0 and est.lower < 0.98
    t, est = choose_threshold(scores, correct, 0.9)
    assert t == pytest.approx(0.5) and est.lower >= 0.9


def test_choose_threshold_skips_the_band_where_errors_are():
    scores = np.linspace(0.5, 1.0, 400)
    correct = scores > 0.7
    t, est = choose_threshold(scores, correct, 0.97)
    assert t is not None and 0.65 < t < 0.75
    assert est.lower >= 0.97
    assert precision_at(scores, correct, 0.6).lower < 0.97  # a lower threshold would not do


def test_choose_threshold_accepts_spot_check_evidence():
    cv_scores, cv_correct = np.full(20, 0.99), np.ones(20, bool)
    assert choose_threshold(cv_scores, cv_correct, 0.98)[0] is None
    checked = (np.full(200, 0.97), np.ones(200, bool))
    t, _ = choose_threshold(np.r_[cv_scores, 0.6], np.r_[cv_correct, True], 0.98,
                            checked=checked)
    assert t == pytest.approx(0.97)  # not 0.6: no spot-check had a score that low


def test_spread_labels_follows_the_manifold_and_balances_classes():
    X, y = make_blobs(n_samples=[300, 30], centers=[[0, 0], [6, 0]], cluster_std=0.7,
                      random_state=0)
    graph = KNNGraph(X, n_neighbors=10)
    big = np.flatnonzero(y == 0)[:20]  # 20 labels of the big class, 1 of the small one
    small = np.flatnonzero(y == 1)[:1]
    ids = np.r_[big, small]
    codes = np.r_[np.zeros(20, int), np.ones(1, int)]
    F = spread_labels(graph, ids, codes, 2)
    np.testing.assert_allclose(F.sum(axis=1), 1.0)
    assert (F.argmax(axis=1) == y).mean() > 0.97
    p_ids, p_codes, w = pseudo_labels(F, np.isin(np.arange(len(y)), ids))
    assert not set(p_ids.tolist()) & set(ids.tolist())
    assert ((w >= 0) & (w <= 1)).all()
    assert (p_codes == y[p_ids]).mean() > 0.97

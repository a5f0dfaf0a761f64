"""Labels needed to reach 95% and 99% of full-pool accuracy, per query method.

Protocol (per dataset and seed): stratified split into a pool (70%) and a held-out test set
(30%); "full-pool accuracy" is the estimator fitted on every pool label, scored on the test set;
each method starts from 10 stratified seed labels (one per class round-robin) and asks for one
label at a time (batch 1), refitting after each; the figure is the number of human labels at
which the test accuracy first reaches 95% / 99% of full-pool accuracy (capped at the budget,
shown with ">" in the mean when some seed did not get there).

Methods: ``random``, ``least_confidence``, ``margin``, ``entropy`` (plain uncertainty sampling:
``ActiveLearner(..., semi_supervised=False, cold_start=0)``), ``default`` (``ActiveLearner``
with its defaults: margin over a model that also learns from the unlabeled pool), and
``modal_uncertainty`` (modAL's ``uncertainty_sampling`` query on the same estimator) when
modAL is importable.

Run: ``python benchmarks/label_efficiency.py [--quick] [--datasets digits wine]``
"""

# ruff: noqa: N803, N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate.active import ActiveLearner

DATASETS: dict[str, dict[str, Any]] = {
    "digits": {"load": load_digits, "seeds": 10, "budget": 400,
               "estimator": lambda: LogisticRegression(max_iter=1000)},
    "breast_cancer": {"load": load_breast_cancer, "seeds": 5, "budget": 200,
                      "estimator": lambda: make_pipeline(StandardScaler(),
                                                         LogisticRegression(max_iter=1000))},
    "wine": {"load": load_wine, "seeds": 5, "budget": 100,
             "estimator": lambda: make_pipeline(StandardScaler(),
                                                LogisticRegression(max_iter=1000))},
}
STRATEGY_METHODS = ["random", "least_confidence", "margin", "entropy"]


def seed_labels(y: np.ndarray, n: int, rng: np.random.Generator) -> list[int]:
    """n stratified seed labels: one per class in turn."""
    classes = np.unique(y)
    pools = {c: list(rng.permutation(np.flatnonzero(y == c))) for c in classes}
    out: list[int] = []
    while len(out) < n:
        for c in classes:
            if len(out) < n and pools[c]:
                out.append(int(pools[c].pop()))
    return out


def modal_available() -> bool:
    try:
        import modAL.uncertainty  # noqa: F401
    except Exception:
        return False
    return True


def run_modal(est_factory, Xp, yp, Xt, yt, seeds, target95, target99, budget):
    from modAL.uncertainty import uncertainty_sampling

    labeled = list(seeds)
    reach = [budget, budget]
    while len(labeled) <= budget:
        model = est_factory().fit(Xp[labeled], yp[labeled])
        acc = model.score(Xt, yt)
        if acc >= target95 and reach[0] == budget:
            reach[0] = len(labeled)
        if acc >= target99:
            reach[1] = len(labeled)
            break
        mask = np.ones(len(Xp), dtype=bool)
        mask[labeled] = False
        free = np.flatnonzero(mask)
        if free.size == 0:
            break
        idx, _ = uncertainty_sampling(model, Xp[free], n_instances=1)
        labeled.append(int(free[np.asarray(idx).ravel()[0]]))
    return reach


def run_learner(method, est_factory, Xp, yp, Xt, yt, seeds, target95, target99, budget, seed):
    if method == "default":
        learner = ActiveLearner(est_factory(), Xp, cv=0, random_state=seed)
    else:
        learner = ActiveLearner(est_factory(), Xp, strategy=method, semi_supervised=False,
                                cold_start=0, cv=0, random_state=seed)
    learner.teach(seeds, yp[seeds])
    learner.refit(wait=True)
    reach = [budget, budget]
    while learner.n_human <= budget:
        acc = learner.model.score(Xt, yt)
        if acc >= target95 and reach[0] == budget:
            reach[0] = learner.n_human
        if acc >= target99:
            reach[1] = learner.n_human
            break
        ids = learner.next(1)
        if not ids:
            break
        learner.teach(ids, yp[ids])
        learner.refit(wait=True)
        if learner.last_error is not None:
            raise learner.last_error
    return reach


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 seeds, digits only")
    parser.add_argument("--datasets", nargs="+", choices=list(DATASETS))
    parser.add_argument("--seeds", type=int, help="seeds per dataset (overrides defaults)")
    parser.add_argument("--methods", nargs="+")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    threadpool_limits(1)
    datasets = args.datasets or (["digits"] if args.quick else list(DATASETS))
    methods = args.methods or (STRATEGY_METHODS + ["default"]
                               + (["modal_uncertainty"] if modal_available() else []))
    if not modal_available():
        print("modAL is not importable: its column is left out")
    for name in datasets:
        spec = DATASETS[name]
        n_seeds = args.seeds or (3 if args.quick else spec["seeds"])
        X, y = spec["load"](return_X_y=True)
        results: dict[str, list[list[int]]] = {m: [] for m in methods}
        timing: dict[str, float] = {m: 0.0 for m in methods}
        fulls = []
        for seed in range(n_seeds):
            Xp, Xt, yp, yt = train_test_split(X, y, test_size=0.3, random_state=seed,
                                              stratify=y)
            full = spec["estimator"]().fit(Xp, yp).score(Xt, yt)
            fulls.append(full)
            seeds = seed_labels(yp, 10, np.random.default_rng(seed))
            for m in methods:
                t0 = time.perf_counter()
                if m == "modal_uncertainty":
                    r = run_modal(spec["estimator"], Xp, yp, Xt, yt, seeds, 0.95 * full,
                                  0.99 * full, spec["budget"])
                else:
                    r = run_learner(m, spec["estimator"], Xp, yp, Xt, yt, seeds, 0.95 * full,
                                    0.99 * full, spec["budget"], seed)
                timing[m] += time.perf_counter() - t0
                results[m].append(r)
        print(f"\n{name}: pool {len(Xp)}, test {len(Xt)}, {n_seeds} seeds, budget "
              f"{spec['budget']} labels, full-pool accuracy {np.mean(fulls):.3f}")
        print(f"{'method':<18} {'to 95%':>8} {'to 99%':>8} {'per seed (95%)':<44} {'sec':>6}")
        for m in methods:
            arr = np.array(results[m])
            cells = []
            for j in range(2):
                cap = "> " if (arr[:, j] >= spec["budget"]).any() else ""
                cells.append(f"{cap}{arr[:, j].mean():.1f}")
            per_seed = " ".join(str(v) for v in arr[:, 0])
            print(f"{m:<18} {cells[0]:>8} {cells[1]:>8} {per_seed:<44} {timing[m]:6.1f}",
                  flush=True)


if __name__ == "__main__":
    main()

"""Auto-label coverage and true precision next to the learner's estimated precision.

Protocol (per dataset and seed): the whole dataset is the pool; ``ActiveLearner`` with its
defaults (margin + learning from the unlabeled pool, 5-fold CV for precision estimates) and
``auto_label_precision=0.98`` starts from 10 stratified seed labels and asks for batches of
10 labels (``next(10)``), refitting after each batch. After 50, 100 and 200 human labels
(checkpoints above 60% of the pool are skipped: wine has 178 items) it reports, over the
items not labeled by a person:

- at fixed thresholds 0.90 / 0.95 / 0.99: coverage (share of the remaining pool auto-labeled),
  true precision (against the dataset's labels), and ``estimated_precision(t)``: the
  cross-validated point estimate and its lower bound (one-sided 95%);
- at ``auto_label_precision=0.98``: the threshold the learner chose (or none, with its reason),
  its coverage, true precision and estimate.

Then a person verifies 3 rounds of 50 spot-checks (``spot_check(50)`` then
``teach(..., source="spot_check")``; fewer on a small pool); the row ``200+150s`` shows the
target-precision rule again.

"spot lower" is the lower bound measured on verified spot-checks at or above the threshold
(when there are any). Figures are means over seeds. The "check" column: "ok" when the mean
true precision >= the mean estimate - 2 points (else "FAIL"), then in how many seeds the
true precision was >= the lower bound (the figure the target-precision rule relies on).

Run: ``python benchmarks/auto_labeling.py [--quick] [--datasets digits]``
"""

# ruff: noqa: N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate.active import ActiveLearner

DATASETS = {
    "digits": (load_digits, lambda: LogisticRegression(max_iter=1000)),
    "breast_cancer": (load_breast_cancer,
                      lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
    "wine": (load_wine,
             lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
}
CHECKPOINTS = (50, 100, 200)
THRESHOLDS = (0.9, 0.95, 0.99)
TARGET = 0.98
SPOT_ROUNDS, SPOT_BATCH = 3, 50


def seed_labels(y: np.ndarray, n: int, rng: np.random.Generator) -> list[int]:
    classes = np.unique(y)
    pools = {c: list(rng.permutation(np.flatnonzero(y == c))) for c in classes}
    out: list[int] = []
    while len(out) < n:
        for c in classes:
            if len(out) < n and pools[c]:
                out.append(int(pools[c].pop()))
    return out


def measure(learner: ActiveLearner, y: np.ndarray, threshold: float | None) -> dict:
    """Coverage, true precision and estimate at a threshold (None = the learner's own)."""
    auto = learner.auto_labels(threshold)
    remaining = max(1, learner.n_items - learner.n_human)
    t = threshold if threshold is not None else learner.threshold
    out = {"threshold": np.nan if t is None else t,
           "coverage": len(auto) / remaining,
           "true": float((auto["label"].to_numpy() == y[auto["id"].to_numpy()]).mean())
           if len(auto) else np.nan,
           "est": np.nan, "lower": np.nan, "n_cv": 0, "spot_lower": np.nan}
    if t is not None:
        est = learner.estimated_precision(t)
        out.update(est=est.precision, lower=est.lower, n_cv=est.n,
                   spot_lower=est.measured_lower)
    return out


def run_seed(load, factory, seed: int) -> dict[int | str, dict[str, dict]]:
    X, y = load(return_X_y=True)
    learner = ActiveLearner(factory(), X, auto_label_precision=TARGET, random_state=seed)
    seeds = seed_labels(y, 10, np.random.default_rng(seed))
    learner.teach(seeds, y[seeds])
    learner.refit(wait=True)
    results: dict[int | str, dict[str, dict]] = {}
    for cp in CHECKPOINTS:
        if cp > 0.6 * len(y):  # too little pool left to measure (wine has 178 items)
            continue
        while learner.n_human < cp:
            ids = learner.next(min(10, cp - learner.n_human))
            if not ids:
                break
            learner.teach(ids, y[ids])
            learner.refit(wait=True)
        if learner.last_error is not None:
            raise learner.last_error
        row = {f"t={t:.2f}": measure(learner, y, t) for t in THRESHOLDS}
        row[f"target {TARGET}"] = measure(learner, y, None)
        row[f"target {TARGET}"]["status"] = learner.auto_label_status
        results[cp] = row
    batch = min(SPOT_BATCH, (learner.n_items - learner.n_human) // (2 * SPOT_ROUNDS))
    for _ in range(SPOT_ROUNDS):
        ids = learner.spot_check(batch)
        if ids:
            learner.teach(ids, y[ids], source="spot_check")
            learner.refit(wait=True)
    label = f"{max(k for k in results if isinstance(k, int))}+{SPOT_ROUNDS * batch}s"
    results[label] = {f"target {TARGET}": measure(learner, y, None)}
    results[label][f"target {TARGET}"]["status"] = learner.auto_label_status
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds, digits only")
    parser.add_argument("--seeds", type=int)
    parser.add_argument("--datasets", nargs="+", choices=list(DATASETS))
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    threadpool_limits(1)
    n_seeds = args.seeds or (2 if args.quick else 5)
    datasets = args.datasets or (["digits"] if args.quick else list(DATASETS))
    for name in datasets:
        load, factory = DATASETS[name]
        runs = [run_seed(load, factory, s) for s in range(n_seeds)]
        print(f"\n{name}: {n_seeds} seeds; coverage and precision over items not labeled by a "
              "person")
        print(f"{'labels':>8} {'rule':<12} {'thresh':>7} {'coverage':>9} {'true prec':>10} "
              f"{'est prec':>9} {'est lower':>10} {'n cv':>6} {'spot lower':>10} "
              f"{'check':>14}")
        for cp in runs[0]:
            for rule in runs[0][cp]:
                rows = [r[cp][rule] for r in runs if cp in r]

                def mean(key: str, rows: list[dict] = rows) -> float:
                    vals = [r[key] for r in rows if not np.isnan(r[key])]
                    return float(np.mean(vals)) if vals else float("nan")

                both = [r for r in rows if not np.isnan(r["true"]) and not np.isnan(r["est"])]
                ok = "-"
                if both:
                    mean_ok = np.mean([r["true"] for r in both]) >= np.mean(
                        [r["est"] for r in both]) - 0.02
                    seeds_ok = sum(r["true"] >= r["lower"] for r in both)
                    ok = f"{'ok' if mean_ok else 'FAIL'} {seeds_ok}/{len(both)}"
                n_set = sum(not np.isnan(r["threshold"]) for r in rows)
                thresh = f"{mean('threshold'):.3f}" if n_set else "none"
                print(f"{cp:>8} {rule:<12} {thresh:>7} {mean('coverage'):>9.1%} "
                      f"{mean('true'):>10.1%} {mean('est'):>9.1%} {mean('lower'):>10.1%} "
                      f"{np.mean([r['n_cv'] for r in rows]):>6.0f} "
                      f"{mean('spot_lower'):>10.1%} {ok:>14}",
                      flush=True)
            statuses = {r[cp][f"target {TARGET}"]["status"] for r in runs
                        if cp in r and np.isnan(r[cp][f"target {TARGET}"]["threshold"])}
            for s in sorted(statuses)[:2]:
                print(f"{'':>8} (target not met in some seed: {s})")


if __name__ == "__main__":
    main()

"""Latency of ``teach()`` + ``next()`` while refits run in the background, and refit cost.

Pools of 10k, 100k and 1M items (synthetic: 64-d Gaussian blobs, 10 classes, float64).
Per pool: ``ActiveLearner(LogisticRegression(max_iter=200), X, random_state=0)`` with its
defaults (learning from the unlabeled pool is on for the 10k pool, "auto" turns it off above
20,000 items; 5-fold CV for precision estimates), 50 stratified seed labels and one blocking
refit; then a labeling loop of ``--steps`` iterations, each ``next(1)`` then ``teach()`` with
the true label, as fast as possible while the learner refits in the background (coalesced),
then 20 ``next(10)`` calls (diverse batch). Printed:

- ``next(1)``, ``teach()``, ``next(10)`` latency: median and p95 in milliseconds;
- refits that finished during the loop, and the refit split into fit (with CV) and rescoring
  of the whole pool (``predict_proba`` + strategy + ranking), from ``learner.history``: "idle"
  is the blocking refit before the loop, "loop" the median of the refits that ran during it
  (they share the GIL with a loop that calls ``next``/``teach`` non-stop, so they run slower
  than beside a person labeling);
- peak resident memory of the process.

Run: ``python benchmarks/learner_speed.py [--quick] [--steps 200]`` (``--quick`` skips 1M).
"""

# ruff: noqa: N806  (X, Y, F: the scikit-learn convention for matrices)

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate.active import ActiveLearner


def make_pool(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, 1.0, size=(10, 64))
    y = rng.integers(0, 10, size=n)
    X = rng.standard_normal((n, 64))
    X *= 1.5
    X += centers[y]
    return X, y


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000.0, q))


def run(n: int, steps: int) -> dict:
    X, y = make_pool(n)
    learner = ActiveLearner(LogisticRegression(max_iter=200), X, random_state=0)
    seeds = np.concatenate([np.flatnonzero(y == c)[:5] for c in range(10)])
    learner.teach(seeds.tolist(), y[seeds])
    learner.refit(wait=True)
    first = learner.history.iloc[-1]  # the blocking refit, nothing else running
    n_refits_before = len(learner.history)
    t_next, t_teach, t_batch = [], [], []
    loop_start = time.perf_counter()
    for _ in range(steps):
        t0 = time.perf_counter()
        ids = learner.next(1)
        t1 = time.perf_counter()
        learner.teach(ids, y[ids])
        t2 = time.perf_counter()
        t_next.append(t1 - t0)
        t_teach.append(t2 - t1)
    for _ in range(20):
        t0 = time.perf_counter()
        learner.next(10)
        t_batch.append(time.perf_counter() - t0)
    loop_seconds = time.perf_counter() - loop_start
    learner.refit(wait=True)
    hist = learner.history.iloc[n_refits_before:]
    ok = hist[hist["kind"] != "failed"]
    if learner.last_error is not None:
        raise learner.last_error
    return {
        "n": n, "semi": learner.semi_supervised,
        "next1": (pct(t_next, 50), pct(t_next, 95)),
        "teach": (pct(t_teach, 50), pct(t_teach, 95)),
        "next10": (pct(t_batch, 50), pct(t_batch, 95)),
        "refits": len(hist), "loop_s": loop_seconds,
        "fit_s": float((ok["fit_seconds"] + ok["cv_seconds"]).median()),
        "score_s": float(ok["score_seconds"].median()),
        "idle_fit_s": float(first["fit_seconds"] + first["cv_seconds"]),
        "idle_score_s": float(first["score_seconds"]),
        "labels": learner.n_human,
        "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M pool")
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    print(f"{'pool':>9} {'semi':>5} {'next(1) ms':>14} {'teach ms':>12} {'next(10) ms':>14} "
          f"{'refits':>7} {'fit+cv s':>13} {'rescore s':>13} {'peak GB':>8}")
    print(f"{'':>9} {'':>5} {'median / p95':>14} {'median / p95':>12} {'median / p95':>14} "
          f"{'':>7} {'idle / loop':>13} {'idle / loop':>13}")
    for n in sizes:
        r = run(n, args.steps)
        print(f"{n:>9,} {r['semi']!s:>5} "
              f"{r['next1'][0]:>6.2f} / {r['next1'][1]:<5.2f} "
              f"{r['teach'][0]:>5.2f} / {r['teach'][1]:<5.2f} "
              f"{r['next10'][0]:>6.2f} / {r['next10'][1]:<5.2f} "
              f"{r['refits']:>7} {r['idle_fit_s']:>6.3f}/{r['fit_s']:<6.3f} "
              f"{r['idle_score_s']:>6.3f}/{r['score_s']:<6.3f} {r['rss_gb']:>8.2f}",
              flush=True)


if __name__ == "__main__":
    main()

"""Speed and accuracy of ``PixelClassifier`` (segmentation from scribbles).

Images are generated (``nbannotate.models._synthetic.make_texture_image``): a background of
fine noise, a disc of stripes and a rectangle of coarse blobs, each with its own colour;
``contrast`` scales the colour and texture differences (1.0: clear, 0.4: subtle). Scribbles
are short horizontal strokes (15 px) placed at random inside one region each, like a person
painting a few lines per label; accuracy is over every pixel of the image.

Printed tables:

- time at 1024×768 and 4000×3000 (the latter is processed on a grid reduced by block means to
  at most ``max_pixels`` = 1 M pixels): features (first sight of an image; then cached), refit
  (about 1% of pixels painted; the fit subsamples 20,000), predict (labels + uncertainty at
  full resolution), and refit + predict, per classifier and ``predict_factor`` (1: predict
  every working pixel; 2: every other row and column, probabilities interpolated back), with
  the pixel accuracy reached — the accuracy cost of predicting on a coarser grid;
- pixel accuracy versus painted pixels (1024×768, two contrasts, two classifiers), and the
  mean uncertainty in a 5-pixel band around region boundaries versus the interior;
- refit + predict time with the classifier's threads capped at 1, 2 or uncapped (the forest's
  ``n_jobs``, and threadpoolctl's cap on BLAS/OpenMP: HistGradientBoosting is OpenMP).
  ``hist_gradient_boosting`` is left out of the first table: it takes seconds per refit.

Times are medians, wall clock and CPU time of this process; the load average is printed.

Run: ``python benchmarks/pixel_classifier.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _lab import table

from nbannotate.models import PixelClassifier
from nbannotate.models._synthetic import make_texture_image

NAMES = ["background", "disc", "box"]


def strokes(truth: np.ndarray, pixels: int, seed: int = 0, length: int = 15) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scribbles = np.full(truth.shape, -1)
    painted = 0
    while painted < pixels:
        r = int(rng.integers(truth.shape[0]))
        c = int(rng.integers(truth.shape[1] - length))
        segment = truth[r, c:c + length]
        if (segment == segment[0]).all():
            scribbles[r, c:c + length] = segment
            painted += length
    return scribbles


def timed(call: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``call`` over ``repeats`` runs."""
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return float(np.median(wall) * 1000), float(np.median(cpu) * 1000)


def speed(quick: bool) -> None:
    repeats = 2 if quick else 5
    sizes = [(768, 1024)] if quick else [(768, 1024), (3000, 4000)]
    classifiers = ["forest", "logistic"] if quick else ["forest", "extra_trees", "logistic"]
    rows = []
    for size in sizes:
        image, truth = make_texture_image(seed=0, size=size, contrast=0.6)
        scribbles = strokes(truth, truth.size // 100)
        fresh = PixelClassifier(labels=NAMES, classifier="logistic")
        features = timed(lambda m=fresh, i=image, s=scribbles: (
            m.__dict__.pop("_cache", None), m.fit(i, s)), 1)
        for name in classifiers:
            for factor in (1, 2):
                model = PixelClassifier(labels=NAMES, classifier=name, predict_factor=factor)
                model.fit(image, scribbles)  # features computed here, cached afterwards
                fit = timed(lambda m=model, i=image, s=scribbles: m.fit(i, s), repeats)
                predict = timed(lambda m=model, i=image: m.predict(i), repeats)
                both = timed(lambda m=model, i=image, s=scribbles: (m.fit(i, s), m.predict(i)),
                             repeats)
                accuracy = float((model.predict(image)[0] == truth).mean())
                rows.append([f"{size[1]}×{size[0]}", name, factor,
                             f"{fit[0]:.0f} / {fit[1]:.0f}", f"{predict[0]:.0f} / {predict[1]:.0f}",
                             f"{both[0]:.0f} / {both[1]:.0f}", accuracy])
        rows.append([f"{size[1]}×{size[0]}", "features at first sight (+ logistic fit)", "",
                     "", "", f"{features[0]:.0f} / {features[1]:.0f}", ""])
    table("Refit and predict, ms (wall / CPU), about 1% of pixels painted",
          ["image", "classifier", "predict_factor", "refit", "predict", "refit + predict",
           "accuracy"], rows)


def accuracy(quick: bool) -> None:
    painted = [100, 300, 1000, 3000, 10000] if quick else [100, 300, 1000, 3000, 10000, 30000]
    seeds = [0] if quick else [0, 1, 2]
    rows = []
    for contrast in (1.0, 0.4):
        image, truth = make_texture_image(seed=5, size=(768, 1024), contrast=contrast)
        edges = ndimage.morphological_gradient(truth, size=3) > 0
        band = ndimage.binary_dilation(edges, iterations=2)
        interior = ~ndimage.binary_dilation(edges, iterations=15)
        for name in ("forest", "logistic"):
            model = PixelClassifier(labels=NAMES, classifier=name)
            for count in painted:
                scores, near, far = [], [], []
                for seed in seeds:
                    model.fit(image, strokes(truth, count, seed=seed))
                    labels, uncertainty = model.predict(image)
                    scores.append((labels == truth).mean())
                    near.append(uncertainty[band].mean())
                    far.append(uncertainty[interior].mean())
                rows.append([contrast, name, count, f"{100 * count / truth.size:.2f}%",
                             float(np.mean(scores)), float(np.mean(near)), float(np.mean(far))])
    table("Pixel accuracy vs painted pixels (1024×768), and mean uncertainty near boundaries",
          ["contrast", "classifier", "painted", "share", "accuracy", "uncertainty: band",
           "interior"], rows)


def threads(quick: bool) -> None:
    repeats = 2 if quick else 5
    image, truth = make_texture_image(seed=0, size=(768, 1024), contrast=0.6)
    scribbles = strokes(truth, truth.size // 100)
    rows = []
    for name in ("forest",) if quick else ("forest", "hist_gradient_boosting"):
        for limit in (1, 2, None):
            model = PixelClassifier(labels=NAMES, classifier=name, n_threads=limit)
            model.fit(image, scribbles)
            both = timed(lambda m=model: (m.fit(image, scribbles), m.predict(image)), repeats)
            rows.append([name, str(limit), f"{both[0]:.0f}", f"{both[1]:.0f}"])
    table("Refit + predict at 1024×768 by thread cap (n_threads), ms",
          ["classifier", "n_threads", "wall", "CPU (all threads)"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes, seeds and repeats")
    args = parser.parse_args()
    print(f"PixelClassifier benchmark ({'quick' if args.quick else 'full'}); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for part in (speed, accuracy, threads):
        began = time.perf_counter()
        part(args.quick)
        print(f"({part.__name__}: {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()

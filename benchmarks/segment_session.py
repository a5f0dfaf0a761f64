"""A segment Session (``label(images, task="segment")``) at 1024×768: refit time per image and
how good the pre-segmentation of the next image is after 1, 2, 3 images.

Images are generated (``make_texture_image``: a background of fine noise, a disc of stripes,
a rectangle of coarse blobs, placed and oriented differently in each image; ``--contrast``
scales their differences). A scripted person submits each image's true masks (three labels,
every pixel painted) through ``session.submit``, once the image's uncertainty overlay is
drawn (as when a person looks at it: its features are then cached); after each submit the
script waits for the session's refit (``wait_for_model``) and reads the model's mask
suggestions on the image now shown.

Printed tables:

- per round (images the model was fitted on): the refit's fit time (the PixelClassifier on
  every submitted image: features of the new image, cached training rows of the others, a
  forest on at most 20,000 class-balanced pixels), the same fit done from scratch with no
  caches (a new model: features of every image again), the time to score one image of the
  pool (features + prediction + masks), the pixel accuracy of the suggestions drawn on the
  next image, that image's uncertainty (mean over its least sure 10% of pixels), and the
  mean pixel accuracy of the model's masks over every image not submitted yet;
- the same refits alone (nothing else running in the process): a clone of the session's
  model, which shares the caches of features and training rows, after the new image's
  overlay was computed (as in the session), against a new model with empty caches;
- the live refit on the image shown after one corrective stroke (submitted images + the
  strokes, then the image's prediction and uncertainty map), and its pixel accuracy.

Times are wall clock; the load average is printed (refits are capped at one thread).

Run: ``python benchmarks/segment_session.py [--quick] [--images 5] [--contrast 0.6]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _lab import table

from nbannotate import label
from nbannotate.formats.rle import mask_to_rle, rle_to_mask
from nbannotate.models import PixelClassifier
from nbannotate.models._synthetic import make_texture_image

NAMES = ["background", "disc", "box"]


def truth_masks(truth: np.ndarray) -> list[dict[str, Any]]:
    return [{"label": name, "mask": mask_to_rle(truth == k)} for k, name in enumerate(NAMES)]


def accuracy(records: list[dict[str, Any]], truth: np.ndarray) -> float:
    found = np.full(truth.shape, -1)
    for record in records:
        found[rle_to_mask(record["mask"])] = NAMES.index(record["label"])
    return float((found == truth).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="512×384 images, 4 of them")
    parser.add_argument("--images", type=int, default=5, help="images in the pool")
    parser.add_argument("--contrast", type=float, default=0.6)
    args = parser.parse_args()
    size = (384, 512) if args.quick else (768, 1024)
    count = 4 if args.quick else max(4, args.images)
    print(f"segment session, {count} images of {size[1]}x{size[0]}, contrast {args.contrast}; "
          f"load average {os.getloadavg()[0]:.2f}")
    made = [make_texture_image(seed=seed, size=size, contrast=args.contrast)
            for seed in range(count)]
    images, truths = [m[0] for m in made], [m[1] for m in made]
    store = Path(tempfile.mkdtemp(prefix="nbannotate-bench-")) / "segment.db"
    session = label(images, task="segment", labels=NAMES, store=store)
    rows = []
    done: list[int] = []
    for _ in range(count - 2):
        pos = session.current
        session._task.live.wait(600)  # the person looks at the image: its overlay is drawn
        session.submit(truth_masks(truths[pos]))
        done.append(pos)
        assert session.wait_for_model(600), "the refit did not finish"
        info = session._runner.history[-1]
        start = time.perf_counter()
        PixelClassifier(labels=NAMES).fit([images[p] for p in done],
                                          [truth_masks(truths[p]) for p in done])
        scratch = time.perf_counter() - start
        prediction = session._runner.prediction(session.current)
        left = session._runner.predictions()
        rows.append([len(done), info.fit_seconds, scratch,
                     info.score_seconds / max(1, info.scored),
                     accuracy(session.suggestions, truths[session.current]),
                     prediction.uncertainty if prediction else float("nan"),
                     float(np.mean([accuracy(v.records, truths[p]) for p, v in left.items()]))])
    table("Refit per round (times in s; pixel accuracy of the suggestions on the next image, "
          "and on every image left)",
          ["images", "refit fit", "fit from scratch", "score / image", "next accuracy",
           "next uncertainty", "accuracy, all left"], rows)

    # The same refits alone (nothing else running): a clone of the session's model, as the
    # session fits, against a new model with empty caches.
    from sklearn.base import clone

    prototype = PixelClassifier(labels=NAMES)
    fitted = clone(prototype).fit([images[done[0]]], [truth_masks(truths[done[0]])])
    alone = []
    for k in range(1, len(done) + 1):
        chosen = done[:k]
        fitted.predict_proba(images[chosen[-1]])  # the image's overlay, before it is submitted
        start = time.perf_counter()
        fitted = clone(prototype).fit([images[p] for p in chosen],
                                      [truth_masks(truths[p]) for p in chosen])
        cached = time.perf_counter() - start
        start = time.perf_counter()
        PixelClassifier(labels=NAMES).fit([images[p] for p in chosen],
                                          [truth_masks(truths[p]) for p in chosen])
        alone.append([k, cached, time.perf_counter() - start])
    table("The refit alone (s): a clone sharing the caches, as the session fits, and a new "
          "model", ["images", "refit", "from scratch"], alone)

    # One corrective stroke on the image shown, where the suggestions are wrong.
    pos = session.current
    live = session._task.live
    live.wait(600)
    shown = session.annotator.mask_suggestions
    before = accuracy(shown, truths[pos])
    found = np.full(truths[pos].shape, -1)
    for record in shown:
        found[rle_to_mask(record["mask"])] = NAMES.index(record["label"])
    wrong = np.argwhere(found != truths[pos])
    row, col = wrong[len(wrong) // 2] if len(wrong) else (size[0] // 2, size[1] // 2)
    name = NAMES[truths[pos][row, col]]
    session.annotator.paint(name, [[col + 0.5, row + 0.5]], radius=6)
    live.wait(600)
    table("Live refit on the image shown after one stroke",
          ["training images", "refit + predict (s)", "accuracy before", "accuracy after",
           "status"],
          [[len(done), live.fit_seconds, before,
            accuracy(session.annotator.mask_suggestions, truths[pos]), live.status]])
    session.close()


if __name__ == "__main__":
    main()

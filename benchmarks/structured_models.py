"""Label efficiency and speed of the built-in structured models (``nbannotate.models``).

All data are generated offline, with known answers (``nbannotate.models._synthetic``):

- **spans**: documents of 3–6 sentences from 12 templates ("Dr. {PER} said ...", "{PER} works
  for {ORG} in {LOC}.", ...) and filler sentences with capitalised non-entities, filled from
  lexicons of 30 first names, 26 surnames, 30 cities (some multi-word, accented) and 20
  organisations; emoji in the text. Training/pool documents draw names from one half of each
  lexicon, test documents from the other half (names never seen: generalisation from
  context). Entity F1 is exact match of (start, end, label).
- **regions**: 10 s clips of pink-ish noise with a slowly varying level and 2–5 events each
  ("beep": a 1 kHz tone, "chirp": a 0.6–3 kHz sweep; 0.3–1.2 s long) at 0 dB and -6 dB
  event-to-noise ratio. Event F1: a predicted region counts when its label matches and its
  onset is within 100 ms of an unmatched true onset.
- **boxes**: 320×240 scenes of textured noise with 1–4 bright squares and discs (24–56 px).
  AP@0.5, mean over the two labels.

Printed tables: F1 / AP versus the number of labelled items (mean over seeds); for spans,
uncertainty sampling (the tagger's token probabilities; and the generic fallback
``1 - min span score``) versus random order, in batches of 4 documents; and the time to
suggest for one item (``model.suggest([item])``, records and uncertainty): a text of 5,000
tokens, 60 s of 16 kHz audio, a 1024×768 image (boxes, with small and with larger objects;
keypoints). Times are the median of repeated runs, wall clock and CPU time of this process
(the machine's load average is printed: wall time grows with it, CPU time much less).

Run: ``python benchmarks/structured_models.py [--quick] [--only spans regions boxes speed]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _lab import table

from nbannotate.formats.tokens import tokenize
from nbannotate.models import (
    FrameTagger,
    KeypointLocator,
    SpanTagger,
    WindowDetector,
    item_uncertainty,
)
from nbannotate.models._metrics import average_precision, event_f1, span_f1
from nbannotate.models._synthetic import (
    make_entity_documents,
    make_keypoint_images,
    make_shape_scenes,
    make_tone_clips,
)


# ---------------------------------------------------------------------------------- spans
def spans(quick: bool) -> None:
    seeds = [0] if quick else [0, 1, 2]
    sizes = [2, 5, 10, 20, 40] if quick else [2, 5, 10, 20, 40, 80, 160]
    test_docs, test_spans = make_entity_documents(100 if quick else 200, seed=99, holdout=True)
    rows = []
    for n in sizes:
        scores = {"logistic": [], "sgd": []}
        for seed in seeds:
            docs, gold = make_entity_documents(n, seed=seed, holdout=False)
            for kind in scores:
                tagger = SpanTagger(classifier=kind).fit(docs, gold)
                scores[kind].append(span_f1(tagger.predict(test_docs), test_spans))
        rows.append([n, float(np.mean(scores["logistic"])), float(np.mean(scores["sgd"]))])
    table("Spans: entity F1 on held-out documents (unseen names) vs labelled documents",
          ["documents", "F1 logistic (default)", "F1 sgd"], rows)

    pool_size = 120 if quick else 300
    start, batch = 4, 4
    budgets = [8, 16, 24] if quick else [8, 16, 24, 32, 48]
    curves: dict[str, list[list[float]]] = {"random": [], "uncertainty": [],
                                            "1 - min span score": []}
    for seed in seeds:
        pool, pool_spans = make_entity_documents(pool_size, seed=100 + seed, holdout=False)
        for strategy, curve in curves.items():
            rng = np.random.default_rng(seed)
            labelled = list(rng.choice(pool_size, start, replace=False))
            points = []
            while len(labelled) < budgets[-1]:
                tagger = SpanTagger().fit([pool[i] for i in labelled],
                                          [pool_spans[i] for i in labelled])
                if len(labelled) in budgets:
                    points.append(span_f1(tagger.predict(test_docs), test_spans))
                rest = np.array([i for i in range(pool_size) if i not in set(labelled)])
                if strategy == "random":
                    chosen = rng.choice(rest, batch, replace=False)
                else:
                    model = tagger
                    if strategy != "uncertainty":  # the protocol's fallback: record scores
                        model = type("Plain", (), {"predict": tagger.predict,
                                                   "fit": tagger.fit})()
                    scores = item_uncertainty(model, [pool[i] for i in rest])
                    chosen = rest[np.argsort(-scores, kind="stable")[:batch]]
                labelled += [int(i) for i in chosen]
            tagger = SpanTagger().fit([pool[i] for i in labelled],
                                      [pool_spans[i] for i in labelled])
            points.append(span_f1(tagger.predict(test_docs), test_spans))
            curve.append(points)
    rows = [[name, *np.mean(np.asarray(curve), axis=0).tolist()]
            for name, curve in curves.items()]
    table(f"Spans: entity F1 vs documents labelled, by query order (pool of {pool_size}, "
          f"{start} random to start, batches of {batch}, {len(seeds)} seed(s))",
          ["order", *[str(b) for b in budgets]], rows)


# --------------------------------------------------------------------------------- regions
def regions(quick: bool) -> None:
    sizes = [1, 2, 5, 10] if quick else [1, 2, 5, 10, 20]
    seeds = [0] if quick else [0, 1, 2]
    rows = []
    for snr in (0.0, -6.0):
        test, test_regions = make_tone_clips(10 if quick else 20, seed=50, snr_db=snr)
        for n in sizes:
            scores = []
            for seed in seeds:
                clips, gold = make_tone_clips(n, seed=seed, snr_db=snr)
                tagger = FrameTagger().fit(clips, gold)
                scores.append(event_f1(tagger.predict(test), test_regions, tolerance=0.1))
            rows.append([f"{snr:g} dB", n, float(np.mean(scores))])
    table("Regions: event F1 (onset within 100 ms) on held-out 10 s clips vs labelled clips",
          ["SNR", "clips", "event F1"], rows)


# ----------------------------------------------------------------------------------- boxes
def boxes(quick: bool) -> None:
    sizes = [1, 2, 5, 10] if quick else [1, 2, 3, 5, 10, 20]
    seeds = [0] if quick else [0, 1, 2]
    test, test_boxes = make_shape_scenes(10 if quick else 30, seed=77)
    rows = []
    for n in sizes:
        scores, seconds = [], []
        for seed in seeds:
            images, gold = make_shape_scenes(n, seed=seed)
            began = time.perf_counter()
            detector = WindowDetector(min_score=0.05).fit(images, gold)
            seconds.append(time.perf_counter() - began)
            scores.append(average_precision(detector.predict(test), test_boxes))
        rows.append([n, float(np.mean(scores)), float(np.median(seconds))])
    table("Boxes: AP@0.5 on held-out 320×240 scenes vs labelled images",
          ["images", "AP@0.5", "fit seconds"], rows)


# ----------------------------------------------------------------------------------- speed
def timed(call: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``call`` (after one warm-up run)."""
    call()
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return float(np.median(wall) * 1000), float(np.median(cpu) * 1000)


def speed(quick: bool) -> None:
    repeats = 3 if quick else 9
    rows = []
    docs, gold = make_entity_documents(60, seed=0)
    tagger = SpanTagger().fit(docs, gold)
    long_docs, _ = make_entity_documents(200, seed=1)
    text = ""
    for doc in long_docs:
        text += doc + "\n"
        if len(tokenize(text)) >= 5000:
            break
    count = len(tokenize(text))
    rows.append([f"SpanTagger: text of {count} tokens", *timed(lambda: tagger.suggest([text]),
                                                                repeats)])

    clips, regions_gold = make_tone_clips(10, seed=0)
    frame_tagger = FrameTagger().fit(clips, regions_gold)
    minute, _ = make_tone_clips(1, duration=60.0, seed=1)
    rows.append(["FrameTagger: 60 s of 16 kHz audio",
                 *timed(lambda: frame_tagger.suggest(minute), repeats)])

    for sizes in ((24, 56), (48, 160)):
        images, gold = make_shape_scenes(10, seed=0, size=(768, 1024), sizes=sizes,
                                         objects=(3, 8))
        detector = WindowDetector().fit(images[:8], gold[:8])
        levels = len(next(iter(detector.templates_.values()))["factors"])
        rows.append([f"WindowDetector: 1024×768, objects {sizes[0]}–{sizes[1]} px "
                     f"({levels} levels)", *timed(lambda d=detector, i=images[9]:
                                                  d.suggest([i]), repeats)])
        fast = WindowDetector(scales_per_octave=3).fit(images[:8], gold[:8])
        rows.append(["  same, scales_per_octave=3", *timed(lambda d=fast, i=images[9]:
                                                           d.suggest([i]), repeats)])
    images, points = make_keypoint_images(4, seed=0)
    locator = KeypointLocator().fit(images, points)
    big = np.random.default_rng(0).integers(0, 255, (768, 1024, 3)).astype(np.uint8)
    rows.append(["KeypointLocator: 1024×768, 2 labels, whole image",
                 *timed(lambda: locator.suggest([big]), repeats)])
    table("Time to suggest for one item (suggest([item]): records + uncertainty), ms",
          ["item", "wall median", "CPU median"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and seeds")
    parser.add_argument("--only", nargs="+", choices=["spans", "regions", "boxes", "speed"],
                        default=["spans", "regions", "boxes", "speed"])
    args = parser.parse_args()
    warnings.simplefilter("ignore", category=UserWarning)
    load = os.getloadavg()[0]
    print(f"nbannotate.models benchmarks ({'quick' if args.quick else 'full'}); load average "
          f"{load:.1f} on {os.cpu_count()} cores")
    for name in args.only:
        began = time.perf_counter()
        {"spans": spans, "regions": regions, "boxes": boxes, "speed": speed}[name](args.quick)
        print(f"({name}: {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()

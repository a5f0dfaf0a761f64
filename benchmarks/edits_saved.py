"""Edits saved: how much of the annotation work a structured session's suggestions take over.

A scripted person labels a generated pool through the public session API
(``label(items, task=...)``), one item at a time in the order the session chooses (pool order
until the first refit, then the item the model is least sure of), and waits for the
background refit after each item (a person is slower than a refit). On each item it accepts
every suggestion that matches a true annotation of the same label (spans: overlapping;
regions: overlapping; boxes: IoU >= 0.5) and, when the match is not exact (spans: other
offsets; regions: an edge more than 40 ms off; boxes: IoU < 0.9), moves it onto the truth
(an *edited* accepted suggestion); it rejects the other suggestions, draws the true
annotations still missing, and submits.

"Edits saved" after item n is the fraction of the final annotations of items 1..n that the
person accepted from a suggestion instead of drawing from scratch:
accepted / (accepted + drawn), the same figure as ``session.edits["accepted_fraction"]``.
The table gives it cumulatively and for item n alone (mean over seeds; items without any
true annotation do not count), with the share of accepted suggestions that needed an edit
and the number of suggestions rejected per item.

Data (generated, nothing downloaded; ``nbannotate.models._synthetic``):

- **spans**: documents of 3–6 template sentences with PER / LOC / ORG entities;
  ``SpanTagger``;
- **regions**: 6 s clips of noise at 16 kHz with 2–4 "beep" / "chirp" events at 0 dB;
  ``FrameTagger``;
- **boxes**: 240×320 scenes with 1–4 squares and discs of 24–56 px; ``WindowDetector``.

Run: ``python benchmarks/edits_saved.py [--quick] [--tasks spans regions boxes]
[--items N] [--seeds N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate import label
from nbannotate.models._synthetic import make_entity_documents, make_shape_scenes, make_tone_clips

Record = dict[str, Any]
CHECKPOINTS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40)


def _overlap(a: Record, b: Record) -> float:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def _iou(a: Record, b: Record) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    inter = max(w, 0.0) * max(h, 0.0)
    return inter / (a["w"] * a["h"] + b["w"] * b["h"] - inter)


# Per task: does a suggestion match a truth record, is the match exact, the fields to copy.
MATCH: dict[str, tuple[Callable[[Record, Record], bool], Callable[[Record, Record], bool],
                       tuple[str, ...]]] = {
    "spans": (lambda s, t: _overlap(s, t) > 0,
              lambda s, t: (s["start"], s["end"]) == (t["start"], t["end"]), ("start", "end")),
    "regions": (lambda s, t: _overlap(s, t) > 0,
                lambda s, t: abs(s["start"] - t["start"]) <= 0.04
                and abs(s["end"] - t["end"]) <= 0.04, ("start", "end")),
    "boxes": (lambda s, t: _iou(s, t) >= 0.5, lambda s, t: _iou(s, t) >= 0.9,
              ("x", "y", "w", "h")),
}


def review(session: Any, truth: list[Record], task: str) -> dict[str, int]:
    """The scripted person on the item shown; returns its counts."""
    matches, exact, fields = MATCH[task]
    used: set[int] = set()
    records: list[Record] = []
    edited = 0
    shown = session.suggestions
    for suggestion in shown:
        hit = next((i for i, t in enumerate(truth) if i not in used
                    and t["label"] == suggestion["label"] and matches(suggestion, t)), None)
        if hit is None:
            continue
        used.add(hit)
        session.accept([suggestion["id"]])
        record = next(r for r in session.records if r["id"] == suggestion["id"])
        if not exact(record, truth[hit]):
            record = {**record, **{k: truth[hit][k] for k in fields}}
            record.pop("text", None)  # a span's text follows its new offsets
            edited += 1
        records.append(record)
    session.reject()
    drawn = [{k: v for k, v in t.items() if k != "text"} for i, t in enumerate(truth)
             if i not in used]
    session.submit(records + drawn)
    return {"accepted": len(used), "edited": edited, "drawn": len(drawn),
            "rejected": len(shown) - len(used)}


def pool(task: str, n: int, seed: int) -> tuple[list[Any], list[list[Record]], list[str]]:
    if task == "spans":
        docs, spans = make_entity_documents(n, seed=seed)
        return docs, spans, ["LOC", "ORG", "PER"]
    if task == "regions":
        clips, regions = make_tone_clips(n, seed=seed, duration=6.0, events=(2, 4))
        return clips, regions, ["beep", "chirp"]
    images, boxes = make_shape_scenes(n, seed=seed)
    return images, boxes, ["disc", "square"]


def run(task: str, n_items: int, pool_size: int, seed: int) -> tuple[list[dict[str, int]],
                                                                    dict[str, float]]:
    items, truth, labels = pool(task, pool_size, seed)
    with tempfile.TemporaryDirectory() as folder:
        session = label(items, task=task, labels=labels, store=Path(folder) / "bench.db")
        log, submit_seconds, wait_seconds = [], [], []
        try:
            for _ in range(min(n_items, pool_size)):
                start = time.perf_counter()
                counts = review(session, truth[session.current], task)
                submit_seconds.append(time.perf_counter() - start)
                start = time.perf_counter()
                session.wait_for_model(300)
                wait_seconds.append(time.perf_counter() - start)
                log.append(counts)
            final = session.edits
            assert final["accepted"] == sum(c["accepted"] for c in log), (final, log)
            assert final["human"] == sum(c["drawn"] for c in log), (final, log)
        finally:
            session.close()
    timing = {"review_ms": 1000 * float(np.median(submit_seconds)),
              "refit_s": float(np.median(wait_seconds))}
    return log, timing


def _percent(values: list[float]) -> str:
    """Mean of the defined values as a percentage ("–" when none is defined)."""
    defined = [v for v in values if not np.isnan(v)]
    return f"{np.mean(defined):.1%}" if defined else "–"


def fraction(accepted: float, drawn: float) -> float:
    return accepted / (accepted + drawn) if accepted + drawn else float("nan")


def report(task: str, logs: list[list[dict[str, int]]], timings: list[dict[str, float]]) -> None:
    n = len(logs[0])
    print(f"\n## {task}: {len(logs)} seed(s), {n} items each")
    print(f"{'after item':>10} | {'edits saved (cum.)':>18} | {'item n alone':>12} | "
          f"{'accepted edited':>15} | {'rejected / item':>15}")
    print("-" * 83)
    for point in [c for c in CHECKPOINTS if c <= n] + ([n] if n not in CHECKPOINTS else []):
        cumulative, alone, edited, rejected = [], [], [], []
        for log in logs:
            head = log[:point]
            accepted = sum(c["accepted"] for c in head)
            cumulative.append(fraction(accepted, sum(c["drawn"] for c in head)))
            alone.append(fraction(log[point - 1]["accepted"], log[point - 1]["drawn"]))
            edited.append(sum(c["edited"] for c in head) / accepted if accepted else np.nan)
            rejected.append(np.mean([c["rejected"] for c in head]))
        print(f"{point:>10} | {_percent(cumulative):>18} | {_percent(alone):>12} | "
              f"{_percent(edited):>15} | {np.mean(rejected):>15.2f}")
    review_ms = np.median([t["review_ms"] for t in timings])
    refit = np.median([t["refit_s"] for t in timings])
    print(f"median per item: review + submit (commit, next item shown) {review_ms:.0f} ms; "
          f"waiting for the refit and rescoring {refit:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer items and one seed")
    parser.add_argument("--tasks", nargs="+", choices=list(MATCH),
                        default=["spans", "regions", "boxes"])
    parser.add_argument("--items", type=int, default=None,
                        help="items labeled per session (default 30; --quick 10)")
    parser.add_argument("--seeds", type=int, default=None, help="default 3; --quick 1")
    args = parser.parse_args()
    items = args.items or (10 if args.quick else 30)
    seeds = args.seeds or (1 if args.quick else 3)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# Edits saved (load average {load:.2f})")
    for task in args.tasks:
        runs = [run(task, items, max(2 * items, 40), seed) for seed in range(seeds)]
        report(task, [log for log, _ in runs], [timing for _, timing in runs])


if __name__ == "__main__":
    main()

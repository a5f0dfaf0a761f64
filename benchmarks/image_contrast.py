"""Cost of showing a 4000×3000 uint16 image: auto-contrast, the display mapping, the levels.

Kernel side (median of repeated runs, one process): the auto-contrast window (0.5–99.5
percentiles on a subsample), the full 8-bit display mapping (``to_display``), quantising to
16-bit levels, and compressing them (zlib level 1, what is sent) — and the bytes: the preview
and the full resolution as levels (compressed and raw) next to an 8-bit PNG of the mapped
image (what a kernel-side window would send on every move). Also ``ImageAnnotator(image)``
until the widget holds its preview, and ``load_full_image(wait=True)``.

The image is microscopy-like: 12-bit Gaussian "cells" on a noisy background.

Run ``python benchmarks/image_contrast.py`` (``--quick``: fewer repetitions).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _lab import table

from nbannotate import ImageAnnotator
from nbannotate.image._levels import levels_bytes, levels_of
from nbannotate.media.display import auto_window, to_display
from nbannotate.media.images import png_bytes


def microscopy(height: int = 3000, width: int = 4000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = rng.normal(300.0, 40.0, (height, width)).astype(np.float32)
    for _ in range(60):
        cy, cx = rng.uniform(0, height), rng.uniform(0, width)
        sigma = rng.uniform(20, 60)
        y0, y1 = int(max(0, cy - 4 * sigma)), int(min(height, cy + 4 * sigma))
        x0, x1 = int(max(0, cx - 4 * sigma)), int(min(width, cx + 4 * sigma))
        yy, xx = np.mgrid[y0:y1, x0:x1]
        image[y0:y1, x0:x1] += rng.uniform(1000, 3500) * np.exp(
            -((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * sigma ** 2))
    return np.clip(image, 0, 4095).astype(np.uint16)


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    image = microscopy()
    rows = []
    ms, window = timed(lambda: auto_window(image), repeats)
    rows.append(["auto-contrast window (percentiles on a subsample)", f"{ms:.1f}",
                 f"[{window[0]:.0f}, {window[1]:.0f}]"])
    ms, (shown, _) = timed(lambda: to_display(image), repeats)
    rows.append(["display mapping to 8 bits (to_display, whole image)", f"{ms:.1f}", ""])
    ms, png = timed(lambda: png_bytes(shown), max(1, repeats // 2))
    rows.append(["8-bit PNG of the mapped image (zlib 1)", f"{ms:.1f}",
                 f"{len(png) / 1e6:.2f} MB"])
    ms, levels = timed(lambda: levels_of(image), repeats)
    rows.append(["quantise to 16-bit levels", f"{ms:.1f}", ""])
    ms, full = timed(lambda: levels_bytes(levels.codes), max(1, repeats // 2))
    raw = levels.codes.nbytes
    rows.append(["full-resolution levels, zlib 1 (sent on demand)", f"{ms:.1f}",
                 f"{len(full) / 1e6:.2f} MB (raw {raw / 1e6:.1f} MB)"])
    ms, stored = timed(lambda: zlib.compress(levels.codes.tobytes(), 0), 1)
    rows.append(["full-resolution levels, uncompressed (zlib 0)", f"{ms:.1f}",
                 f"{len(stored) / 1e6:.2f} MB"])
    preview = levels_bytes(levels.codes[::4, ::4])
    rows.append(["preview levels (1000×750, sent first)", "", f"{len(preview) / 1e6:.2f} MB"])
    ms, widget = timed(lambda: ImageAnnotator(image, labels=["cell"]), repeats)
    rows.append(["ImageAnnotator(image) until its preview is ready", f"{ms:.1f}",
                 f"{len(widget.preview_data) / 1e6:.2f} MB"])
    ms, _ = timed(lambda: ImageAnnotator(image, labels=["cell"]).load_full_image(wait=True),
                  max(1, repeats // 2))
    rows.append(["... and load_full_image(wait=True)", f"{ms:.1f}",
                 f"{len(widget.image_data or full) / 1e6:.2f} MB"])
    table("4000×3000 uint16 (12-bit microscopy-like), kernel side, median ms",
          ["step", "ms", "bytes / result"], rows)


if __name__ == "__main__":
    main()

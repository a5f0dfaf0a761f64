"""What the models' value rule costs: an image's own values put on one scale, per dtype.

For a 4000×3000 image of each kind (uint8 RGB, uint16 gray with 12-bit values, float32 gray
in -1..1, the same with 1% NaN, float64 gray in 0..1e9, 6-channel float32), prints the
median over ``--repeats`` runs (ms) of:

- ``image_values``: the rule of :mod:`nbannotate.features` (dtype range for integers, floats
  as they are, NaN/inf as missing);
- ``as_image``: what every built-in model calls first (the rule, plus the channel layout);
- ``image_features``: the whole featurizer on that image (resize, HOG, colour).

Run: ``python benchmarks/image_values.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate.features import image_features, image_values
from nbannotate.models._inputs import as_image

SHAPE = (3000, 4000)


def images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    signed = (rng.random(SHAPE, dtype=np.float32) * 2 - 1).astype(np.float32)
    holes = signed.copy()
    holes[rng.random(SHAPE) < 0.01] = np.nan
    return {
        "uint8 RGB": rng.integers(0, 256, (*SHAPE, 3), dtype=np.uint8),
        "uint16 12-bit": rng.integers(0, 4096, SHAPE, dtype=np.uint16),
        "float32 -1..1": signed,
        "float32 1% NaN": holes,
        "float64 0..1e9": rng.random(SHAPE) * 1e9,
        "float32 6 channels": rng.random((*SHAPE, 6), dtype=np.float32),
    }


def median_ms(call: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000.0 * float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"4000×3000 images, median of {args.repeats} runs, ms")
    print(f"{'image':<20} {'MB':>6} {'image_values':>13} {'as_image':>9} {'image_features':>15}")
    for name, image in images().items():
        values = median_ms(lambda image=image: image_values(image, "image"), args.repeats)
        loaded = median_ms(lambda image=image: as_image(image, 0), args.repeats)
        features = median_ms(lambda image=image: image_features([image]), args.repeats)
        print(f"{name:<20} {image.nbytes / 1e6:>6.0f} {values:>13.0f} {loaded:>9.0f} "
              f"{features:>15.0f}")


if __name__ == "__main__":
    main()

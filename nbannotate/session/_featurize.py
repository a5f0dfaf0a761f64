"""Default features for a labeling session when the caller gives none.

Numeric columns of a DataFrame; pixels + gradient histograms of images
(:func:`nbannotate.features.image_features`); TF-IDF of texts; log-mel statistics of audio
clips. Long work reports progress through a ``progress(done, total)`` callback.

Examples
--------
>>> import numpy as np
>>> default_features([np.zeros((8, 8)), np.ones((8, 8))], kind="image").shape[0]
2
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["CHUNK", "default_features"]

CHUNK = 256
Progress = Callable[[int, int], Any]


def _chunks(n: int) -> list[tuple[int, int]]:
    return [(a, min(n, a + CHUNK)) for a in range(0, n, CHUNK)]


def default_features(items: Sequence[Any], *, kind: str,
                     progress: Progress | None = None) -> Any:
    """Featurize ``items`` of one ``kind`` (``"image"``, ``"text"``, ``"audio"``, ``"row"``).

    Raises
    ------
    TypeError
        The items cannot be featurized without help: pass ``features=``.
    """
    from .. import features as feat

    n = len(items)
    report = progress or (lambda done, total: None)
    if kind == "row":
        import pandas as pd

        frame = items if isinstance(items, pd.DataFrame) else pd.DataFrame(list(items))
        numeric = frame.select_dtypes(include="number")
        if numeric.shape[1] == 0:
            raise TypeError("features=None but the rows have no numeric column: pass "
                            "features= (a matrix with one row per item)")
        report(n, n)
        return numeric.to_numpy(dtype=float, na_value=np.nan)
    if kind == "text":
        report(0, n)
        out = feat.text_features(list(items))
        report(n, n)
        return out
    if kind == "image":
        parts = []
        for a, b in _chunks(n):
            parts.append(feat.image_features([_image_array(items[i], i) for i in range(a, b)]))
            report(b, n)
        return np.vstack(parts)
    if kind == "audio":
        rates = {int(items[i][1]) for i in range(n) if isinstance(items[i], tuple)}
        if len(rates) != 1 or not all(isinstance(items[i], tuple) for i in range(n)):
            raise TypeError("features=None needs every audio item as (samples, sample_rate) "
                            f"with one shared rate (got rates {sorted(rates)}): pass features=")
        rate = rates.pop()
        parts = []
        for a, b in _chunks(n):
            parts.append(feat.audio_features([items[i][0] for i in range(a, b)], rate))
            report(b, n)
        return np.vstack(parts)
    raise TypeError(f"features=None cannot featurize items of kind {kind!r}: pass features=")


def _image_array(item: Any, index: int) -> np.ndarray:
    if isinstance(item, np.ndarray):
        return item
    if type(item).__module__.startswith("PIL."):
        return np.asarray(item)
    raise TypeError(f"features=None needs images as arrays to featurize them, but items[{index}]"
                    f" is a {type(item).__name__}: pass features= (one row per item)")

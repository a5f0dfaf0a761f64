"""A template tracker: follow one box over the next frames by normalized cross-correlation.

From a box on frame ``k`` the tracker cuts the box's pixels, with a margin of context, as a
template (gray, shrunk so that its longer side is at most :data:`TEMPLATE_SIDE` pixels), then
on every next frame
searches a window around the last position (the box grown by ``search`` times its size on
each side) for the offset where the template correlates best. Correlation is normalized
(zero mean, unit variance per window), so it does not care about the dtype or the contrast
of the video. Tracking stops early when the best correlation drops below ``min_score`` (the
object was lost) or the box leaves the frame.

Numpy only: sliding windows for the products, integral images for the window statistics.

Examples
--------
>>> import numpy as np
>>> frames = np.zeros((4, 60, 80), dtype=np.uint8)
>>> for t in range(4):
...     frames[t, 20:30, 10 + 5 * t:20 + 5 * t] = 255
>>> [round(b["x"]) for b in track_box(lambda k: frames[k], 4, {"x": 10, "y": 20, "w": 10,
...                                                        "h": 10}, 0, 3)]
[15, 20, 25]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["TEMPLATE_SIDE", "ncc_map", "track_box"]

#: The template's longer side after shrinking (pixels of the shrunk frame).
TEMPLATE_SIDE = 24
#: Context around the box kept in the template, as a fraction of the box's size.
CONTEXT = 0.25


def _gray(frame: np.ndarray) -> np.ndarray:
    arr = np.asarray(frame)
    if arr.ndim == 3:
        arr = arr[:, :, :3].mean(axis=2, dtype=np.float32)
    out = arr.astype(np.float32, copy=False)
    return np.nan_to_num(out, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


def _shrink(image: np.ndarray, step: int) -> np.ndarray:
    """Block mean over ``step × step`` pixels (edges cropped)."""
    if step <= 1:
        return image
    h, w = (image.shape[0] // step) * step, (image.shape[1] // step) * step
    return image[:h, :w].reshape(h // step, step, w // step, step).mean(axis=(1, 3))


def ncc_map(search: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Normalized cross-correlation of ``template`` at every offset inside ``search``.

    Returns an array of shape ``(H - h + 1, W - w + 1)`` with values in [-1, 1] (0 where the
    window is flat).

    Examples
    --------
    >>> s = np.random.default_rng(0).random((6, 6))
    >>> m = ncc_map(s, s[1:4, 2:5])
    >>> np.unravel_index(int(m.argmax()), m.shape), round(float(m.max()), 3)
    ((np.int64(1), np.int64(2)), 1.0)
    """
    th, tw = template.shape
    t = template.astype(np.float64) - float(template.mean())
    t_norm = math.sqrt(float((t * t).sum()))
    windows = sliding_window_view(search.astype(np.float64), (th, tw))
    numerator = np.einsum("ijkl,kl->ij", windows, t)
    padded = np.pad(search.astype(np.float64), ((1, 0), (1, 0)))
    squares = np.pad(search.astype(np.float64) ** 2, ((1, 0), (1, 0)))
    sums = padded.cumsum(0).cumsum(1)
    sq = squares.cumsum(0).cumsum(1)

    def box(table: np.ndarray) -> np.ndarray:
        return (table[th:, tw:] - table[:-th, tw:] - table[th:, :-tw] + table[:-th, :-tw])

    n = th * tw
    variance = box(sq) - box(sums) ** 2 / n
    denominator = np.sqrt(np.clip(variance, 0.0, None)) * t_norm
    out = np.zeros_like(numerator)
    ok = denominator > 1e-9 * max(1.0, t_norm)
    out[ok] = numerator[ok] / denominator[ok]
    return np.clip(out, -1.0, 1.0)


def track_box(frame_at: Callable[[int], np.ndarray], num_frames: int, box: Mapping[str, Any],
              start: int, count: int, *, search: float = 1.0,
              min_score: float = 0.5) -> list[dict[str, Any]]:
    """Follow ``box`` (on frame ``start``) over up to ``count`` next frames.

    Parameters
    ----------
    frame_at : callable
        ``frame_at(k)`` returns frame ``k`` as an array (H×W or H×W×C, any dtype).
    num_frames : int
        Frames in the video (tracking stops at the last one).
    box : mapping
        ``x, y, w, h`` in frame pixels.
    start : int
        The frame the box is on.
    count : int
        How many frames after ``start`` to propose.
    search : float
        The search window: the box grown by ``search`` × its size on each side.
    min_score : float
        Stop when the best correlation falls below this.

    Returns
    -------
    list of dict
        ``{"frame", "x", "y", "w", "h", "score"}`` for frames ``start + 1, ...`` (score is the
        correlation, clipped to [0, 1]).
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be an int >= 1, got {count!r}")
    x, y, w, h = (float(box[key]) for key in ("x", "y", "w", "h"))
    if w < 2 or h < 2:
        raise ValueError(f"box must be at least 2×2 pixels to track, got {w:g}×{h:g}")
    first = _gray(frame_at(start))
    height, width = first.shape
    # The template is the box with a margin of context: a flat object is found by its edges.
    pad_x, pad_y = max(2.0, w * CONTEXT), max(2.0, h * CONTEXT)
    tx0, ty0 = max(0, round(x - pad_x)), max(0, round(y - pad_y))
    tx1 = min(width, round(x + w + pad_x))
    ty1 = min(height, round(y + h + pad_y))
    step = max(1, int(max(tx1 - tx0, ty1 - ty0) // TEMPLATE_SIDE))
    template = _shrink(first[ty0:ty1, tx0:tx1], step)
    if template.shape[0] < 2 or template.shape[1] < 2:
        raise ValueError("box lies outside the frame: nothing to track")
    offset_x, offset_y = x - tx0, y - ty0  # the box inside the template
    out: list[dict[str, Any]] = []
    margin_x, margin_y = w * search, h * search
    for k in range(start + 1, min(num_frames, start + 1 + count)):
        gray = _gray(frame_at(k))
        sx0 = max(0, math.floor(x - offset_x - margin_x))
        sy0 = max(0, math.floor(y - offset_y - margin_y))
        sx1 = min(width, math.ceil(x - offset_x + template.shape[1] * step + margin_x))
        sy1 = min(height, math.ceil(y - offset_y + template.shape[0] * step + margin_y))
        region = _shrink(gray[sy0:sy1, sx0:sx1], step)
        if region.shape[0] < template.shape[0] or region.shape[1] < template.shape[1]:
            break  # the box left the frame
        scores = ncc_map(region, template)
        iy, ix = np.unravel_index(int(scores.argmax()), scores.shape)
        score = float(scores[iy, ix])
        if score < min_score:
            break
        x = float(sx0 + ix * step) + offset_x
        y = float(sy0 + iy * step) + offset_y
        if x + w <= 0 or y + h <= 0 or x >= width or y >= height:
            break
        out.append({"frame": k, "x": x, "y": y, "w": w, "h": h,
                    "score": max(0.0, min(1.0, score))})
    return out

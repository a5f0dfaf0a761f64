"""The dashboard's small charts, drawn with ipycanvas (only when the model refits).

The geometry (scales, bins, the "flattened" signal) is plain numpy, tested without a
canvas; the ``draw_*`` functions issue the canvas commands in one batch (``hold_canvas``).
Label names are drawn with ``fill_text`` (canvas text, never parsed as HTML).

Examples
--------
>>> curve_flattened([10, 20, 30, 40, 50, 60, 70], [.5, .7, .84, .85, .85, .851, .852])
True
>>> histogram_counts([0.25, 0.95, 0.99], bins=2).tolist()
[1, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "BALANCE_ROW",
    "CHART_H",
    "CHART_W",
    "curve_flattened",
    "draw_balance",
    "draw_curve",
    "draw_histogram",
    "histogram_counts",
    "plot_area",
    "to_pixels",
]

CHART_W, CHART_H = 300, 130
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 34, 10, 18, 20
BALANCE_ROW = 16
AXIS, INK, ACCENT, WARN, MUTED = "#888", "#222", "#3a6ea5", "#c0392b", "#9bb7d4"
FONT = "11px sans-serif"


def plot_area(width: int = CHART_W, height: int = CHART_H) -> tuple[float, float, float, float]:
    """The plotting rectangle inside a chart: (left, top, width, height) in pixels."""
    return (PAD_LEFT, PAD_TOP, width - PAD_LEFT - PAD_RIGHT, height - PAD_TOP - PAD_BOTTOM)


def to_pixels(x: Any, y: Any, *, x_range: tuple[float, float], y_range: tuple[float, float],
              width: int = CHART_W, height: int = CHART_H) -> tuple[np.ndarray, np.ndarray]:
    """Data coordinates to canvas pixels (y grows downwards on the canvas).

    Examples
    --------
    >>> px, py = to_pixels([0, 1], [0, 1], x_range=(0, 1), y_range=(0, 1), width=134, height=138)
    >>> px.tolist(), py.tolist()
    ([34.0, 124.0], [118.0, 18.0])
    """
    left, top, w, h = plot_area(width, height)
    x0, x1 = x_range
    y0, y1 = y_range
    xs = (np.asarray(x, dtype=float) - x0) / ((x1 - x0) or 1.0)
    ys = (np.asarray(y, dtype=float) - y0) / ((y1 - y0) or 1.0)
    return left + xs * w, top + (1.0 - ys) * h


def curve_flattened(n_labels: Sequence[float], accuracy: Sequence[float], *,
                    window: int | None = None, tolerance: float = 0.01,
                    min_points: int = 6) -> bool:
    """True when the learning curve has flattened: the mean accuracy of the last three points
    gained less than ``tolerance`` over the three points ending ``window`` labels earlier.

    Parameters
    ----------
    n_labels, accuracy : sequences of float
        The curve (one point per refit with a cross-validated accuracy).
    window : int, optional
        Labels looked back over (default: a quarter of the labels so far, at least 20).
    tolerance : float
        Gain in accuracy below which the curve counts as flat (default one point).
    min_points : int
        Fewer points than this never count as flat.

    Examples
    --------
    >>> curve_flattened([10, 20, 30, 40, 50, 60], [.3, .4, .5, .6, .7, .8])
    False
    """
    n = np.asarray(n_labels, dtype=float)
    acc = np.asarray(accuracy, dtype=float)
    keep = ~(np.isnan(n) | np.isnan(acc))
    n, acc = n[keep], acc[keep]
    if n.size < min_points:
        return False
    order = np.argsort(n, kind="stable")
    n, acc = n[order], acc[order]
    last = n[-1]
    look_back = window if window is not None else max(20, round(0.25 * float(last)))
    earlier = np.flatnonzero(n <= last - look_back)
    if earlier.size == 0:
        return False
    end = earlier[-1]
    before = acc[max(0, end - 2):end + 1].mean()
    recent = acc[-3:].mean()
    return bool(recent - before < tolerance)


def histogram_counts(values: Any, *, bins: int = 20) -> np.ndarray:
    """Counts of ``values`` in ``bins`` equal bins over [0, 1] (1.0 falls in the last bin)."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    counts, _ = np.histogram(np.clip(data, 0.0, 1.0), bins=bins, range=(0.0, 1.0))
    return counts


def _frame(canvas: Any, title: str, width: int, height: int) -> None:
    canvas.clear()
    canvas.fill_style = "#ffffff"
    canvas.fill_rect(0, 0, width, height)
    canvas.font = FONT
    canvas.fill_style = INK
    canvas.text_align = "left"
    canvas.text_baseline = "top"
    canvas.fill_text(title, 4, 3)


def _axes(canvas: Any, width: int, height: int, y_labels: tuple[str, str],
          x_labels: tuple[str, str]) -> None:
    left, top, w, h = plot_area(width, height)
    canvas.stroke_style = AXIS
    canvas.line_width = 1
    canvas.stroke_line(left, top, left, top + h)
    canvas.stroke_line(left, top + h, left + w, top + h)
    canvas.fill_style = AXIS
    canvas.text_align = "right"
    canvas.text_baseline = "middle"
    canvas.fill_text(y_labels[1], left - 3, top)
    canvas.fill_text(y_labels[0], left - 3, top + h)
    canvas.text_baseline = "top"
    canvas.text_align = "left"
    canvas.fill_text(x_labels[0], left, top + h + 3)
    canvas.text_align = "right"
    canvas.fill_text(x_labels[1], left + w, top + h + 3)


def draw_curve(canvas: Any, n_labels: Sequence[float], accuracy: Sequence[float], *,
               flattened: bool = False) -> None:
    """Cross-validated accuracy against the number of human labels."""
    from ipycanvas import hold_canvas

    width, height = int(canvas.width), int(canvas.height)
    n = np.asarray(n_labels, dtype=float)
    acc = np.asarray(accuracy, dtype=float)
    with hold_canvas():
        _frame(canvas, "learning curve: CV accuracy vs labels", width, height)
        if n.size == 0:
            canvas.fill_style = AXIS
            canvas.text_align = "center"
            canvas.fill_text("after 10 labels of 2 classes", width / 2, height / 2)
            return
        x_range = (0.0, max(float(n.max()), 1.0))
        low = float(np.floor(min(acc.min(), 0.9) * 10) / 10)
        y_range = (low, 1.0)
        _axes(canvas, width, height, (f"{low:.1f}", "1.0"), ("0", f"{int(x_range[1])}"))
        px, py = to_pixels(n, acc, x_range=x_range, y_range=y_range, width=width,
                           height=height)
        canvas.stroke_style = "#2a8a4a" if flattened else ACCENT
        canvas.line_width = 2
        if n.size > 1:
            canvas.stroke_lines(np.column_stack([px, py]))
        canvas.fill_style = canvas.stroke_style
        canvas.fill_circles(px, py, 2.5)
        canvas.fill_style = INK
        canvas.text_align = "right"
        canvas.text_baseline = "top"
        canvas.fill_text(f"{acc[-1]:.3f}", width - PAD_RIGHT, 3)


def draw_histogram(canvas: Any, confidence: Any, threshold: float | None, *,
                   bins: int = 20) -> None:
    """Model confidence over the unlabeled pool, with the auto-label threshold as a line."""
    from ipycanvas import hold_canvas

    width, height = int(canvas.width), int(canvas.height)
    counts = histogram_counts(confidence, bins=bins)
    with hold_canvas():
        _frame(canvas, "pool confidence (unlabeled items)", width, height)
        if counts.sum() == 0:
            canvas.fill_style = AXIS
            canvas.text_align = "center"
            canvas.fill_text("no model yet", width / 2, height / 2)
            return
        top_count = int(counts.max())
        _axes(canvas, width, height, ("0", str(top_count)), ("0", "1"))
        _left, top, w, h = plot_area(width, height)
        edges = np.linspace(0.0, 1.0, bins + 1)
        x, _ = to_pixels(edges[:-1], np.zeros(bins), x_range=(0, 1), y_range=(0, 1),
                         width=width, height=height)
        bar_w = w / bins
        bar_h = counts / max(top_count, 1) * h
        above = edges[:-1] >= (threshold if threshold is not None else 2.0)
        for mask, color in ((~above, MUTED), (above, ACCENT)):
            if mask.any():
                canvas.fill_style = color
                canvas.fill_rects(x[mask] + 0.5, top + h - bar_h[mask], bar_w - 1.0,
                                  bar_h[mask])
        if threshold is not None:
            tx, _ = to_pixels([threshold], [0], x_range=(0, 1), y_range=(0, 1), width=width,
                              height=height)
            canvas.stroke_style = WARN
            canvas.line_width = 2
            canvas.stroke_line(float(tx[0]), top, float(tx[0]), top + h)
            canvas.fill_style = WARN
            canvas.text_align = "right"
            canvas.text_baseline = "top"
            canvas.fill_text(f"auto ≥ {threshold:.2f}", float(tx[0]) - 3, top)


def draw_balance(canvas: Any, names: Sequence[str], human: Sequence[int],
                 auto: Sequence[int]) -> None:
    """Labels per class: human labels (dark) and auto-labels (light), one row per class."""
    from ipycanvas import hold_canvas

    width, height = int(canvas.width), int(canvas.height)
    human_arr = np.asarray(human, dtype=float)
    auto_arr = np.asarray(auto, dtype=float)
    total = human_arr + auto_arr
    top_total = max(float(total.max()) if total.size else 0.0, 1.0)
    label_w = 70
    bar_room = width - label_w - 50
    with hold_canvas():
        _frame(canvas, "class balance (human + auto)", width, height)
        canvas.text_baseline = "middle"
        for row, name in enumerate(names):
            y = PAD_TOP + row * BALANCE_ROW
            canvas.fill_style = INK
            canvas.text_align = "right"
            shown = name if len(name) <= 10 else name[:9] + "…"
            canvas.fill_text(shown, label_w - 4, y + BALANCE_ROW / 2)
            hw = human_arr[row] / top_total * bar_room
            aw = auto_arr[row] / top_total * bar_room
            canvas.fill_style = ACCENT
            canvas.fill_rect(label_w, y + 2, hw, BALANCE_ROW - 4)
            canvas.fill_style = MUTED
            canvas.fill_rect(label_w + hw, y + 2, aw, BALANCE_ROW - 4)
            canvas.fill_style = INK
            canvas.text_align = "left"
            canvas.fill_text(f"{int(human_arr[row])}+{int(auto_arr[row])}",
                             label_w + hw + aw + 4, y + BALANCE_ROW / 2)

"""Any numeric image on screen: the contrast window, the colormap, and the 8-bit result.

Every array shows; nothing is refused for its dtype or range. The rule (as napari, ImageJ and
matplotlib's ``imshow`` do it):

* **The window** ``[vmin, vmax]`` maps to 0..255; values outside are clipped. When it is not
  given: ``uint8`` data, and integer data already within [0, 255], show as they are (0..255);
  floats within [0, 1] as they are (0..1); ``bool`` as 0/255; anything else (uint16
  microscopy, 12-bit x-rays, int32, floats of any range, negatives) is auto-contrasted to the
  **0.5th–99.5th percentiles** of its finite values, computed on a subsample of at most
  :data:`SAMPLE_SIZE` values (a strided grid: fast on a 12-megapixel image). A window that
  comes out empty (a constant image) widens to the values' min and max, then to one unit.
* **NaN and ±inf** show transparent (the result then has an alpha channel).
* **Channels**: H×W and H×W×1 are single-channel and take a colormap (``"gray"`` by
  default; see :data:`COLORMAPS`); H×W×3 is RGB, H×W×4 RGBA (the window applies to the colour
  channels; alpha follows the same rule as a single channel would, by its own range);
  more than 4 channels show the first three as RGB, or the ones given in ``channels`` (one
  index: single-channel with the colormap; three: RGB).

The records never change: the window is display only, coordinates stay in original pixels.

Examples
--------
>>> import numpy as np
>>> shown, window = to_display(np.array([[0, 1000], [2000, 4095]], dtype=np.uint16))
>>> shown.dtype, shown.shape, window.colormap
(dtype('uint8'), (2, 2), 'gray')
>>> to_display(np.linspace(-1, 1, 4).reshape(2, 2), colormap="viridis")[0].shape
(2, 2, 3)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["COLORMAPS", "SAMPLE_SIZE", "DisplayWindow", "auto_window", "colormap_lut",
           "select_channels", "to_display"]

#: At most this many values are read to find the auto-contrast percentiles.
SAMPLE_SIZE = 1 << 18
#: Percentiles of the auto-contrast window.
AUTO_PERCENTILES = (0.5, 99.5)

_CONTROL_POINTS: dict[str, list[str]] = {
    name: points for name, points in json.loads(
        (Path(__file__).with_name("colormaps.json")).read_text(encoding="utf-8")).items()
    if not name.startswith("_")}
#: Names of the colormaps a single-channel image can take.
COLORMAPS: tuple[str, ...] = tuple(_CONTROL_POINTS)
_LUTS: dict[str, np.ndarray] = {}


def colormap_lut(name: str) -> np.ndarray:
    """The 256×3 uint8 table of colormap ``name`` (linear in RGB between its control points).

    Examples
    --------
    >>> lut = colormap_lut("viridis")
    >>> lut.shape, lut[0].tolist(), lut[-1].tolist()
    ((256, 3), [68, 1, 84], [253, 231, 37])
    """
    if name not in _CONTROL_POINTS:
        raise ValueError(f"colormap must be one of {list(COLORMAPS)}, got {name!r}")
    lut = _LUTS.get(name)
    if lut is None:
        points = np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)]
                           for h in _CONTROL_POINTS[name]], dtype=np.float64)
        where = np.linspace(0.0, 1.0, len(points))
        x = np.linspace(0.0, 1.0, 256)
        lut = np.stack([np.interp(x, where, points[:, c]) for c in range(3)], axis=1)
        lut = np.round(lut).astype(np.uint8)
        lut.setflags(write=False)
        _LUTS[name] = lut
    return lut


@dataclass(frozen=True)
class DisplayWindow:
    """How an image was put on screen: the window ``[vmin, vmax]`` and the colormap.

    ``auto`` tells whether the window came from the data (not from the caller).
    """

    vmin: float
    vmax: float
    colormap: str = "gray"
    auto: bool = False


def _finite_sample(values: np.ndarray) -> np.ndarray:
    flat = values.reshape(-1)
    step = max(1, flat.size // SAMPLE_SIZE)
    sample = flat[::step]
    if np.issubdtype(sample.dtype, np.floating):
        sample = sample[np.isfinite(sample)]
    return sample


def auto_window(values: Any) -> tuple[float, float]:
    """The default window of ``values`` (see the module's rule).

    Examples
    --------
    >>> auto_window(np.array([0, 255], dtype=np.uint8)), auto_window(np.array([0.2, 0.7]))
    ((0.0, 255.0), (0.0, 1.0))
    >>> low, high = auto_window(np.arange(10000, dtype=np.uint16))
    >>> round(low), round(high)
    (50, 9949)
    """
    arr = np.asarray(values)
    if arr.dtype == bool:
        return 0.0, 1.0
    if arr.dtype == np.uint8:
        return 0.0, 255.0
    sample = _finite_sample(arr)
    if sample.size == 0:  # nothing finite: any window shows it (transparent)
        return 0.0, 1.0
    low, high = float(sample.min()), float(sample.max())
    if np.issubdtype(arr.dtype, np.integer) and low >= 0 and high <= 255:
        return 0.0, 255.0
    if np.issubdtype(arr.dtype, np.floating) and low >= 0.0 and high <= 1.0:
        return 0.0, 1.0
    with np.errstate(over="ignore", invalid="ignore"):
        p_low, p_high = (float(v) for v in np.percentile(sample, AUTO_PERCENTILES))
    if p_high > p_low and np.isfinite(p_low) and np.isfinite(p_high):
        return p_low, p_high
    if high > low:
        return low, high
    step = max(1.0, abs(low) * 1e-6)  # one unit (or one step at that magnitude)
    return (low, low + step) if np.isfinite(low + step) else (low - step, low)


def select_channels(array: Any, channels: Any = None, *, name: str = "image") -> np.ndarray:
    """The channels to show: H×W, H×W×3 or H×W×4 (a view where possible).

    Examples
    --------
    >>> select_channels(np.zeros((2, 3, 1))).shape, select_channels(np.zeros((2, 3, 7))).shape
    ((2, 3), (2, 3, 3))
    >>> select_channels(np.zeros((2, 3, 7)), channels=[4]).shape
    (2, 3)
    """
    arr = np.asarray(array)
    if arr.ndim not in (2, 3):
        raise ValueError(f"{name} must be an H×W or H×W×C array, got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0 or (arr.ndim == 3 and arr.shape[2] == 0):
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if channels is not None:
        if arr.ndim == 2:
            arr = arr[:, :, None]
        if isinstance(channels, (int, np.integer)):
            channels = [int(channels)]
        picked = list(channels) if not isinstance(channels, (str, bytes)) else None
        if (picked is None or len(picked) not in (1, 3, 4)
                or not all(isinstance(c, (int, np.integer)) and 0 <= c < arr.shape[2]
                           for c in picked)):
            raise ValueError(f"channels must be 1, 3 or 4 channel indices in "
                             f"[0, {arr.shape[2]}), got {channels!r}")
        arr = arr[:, :, [int(c) for c in picked]]
    if arr.ndim == 3 and arr.shape[2] == 1:
        return arr[:, :, 0]
    if arr.ndim == 3 and arr.shape[2] == 2:  # gray + alpha
        return np.concatenate([arr[:, :, :1]] * 3 + [arr[:, :, 1:]], axis=2)
    if arr.ndim == 3 and arr.shape[2] > 4:
        return arr[:, :, :3]
    return arr


def _check_number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or None, got {type(value).__name__}") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _scale(values: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    """Window ``values`` to uint8 (non-finite values become 0)."""
    if values.dtype == np.uint8 and vmin == 0.0 and vmax == 255.0:
        return values
    if values.dtype == bool:
        values = values.astype(np.uint8)
    span = vmax - vmin
    work = values.astype(np.float32 if values.dtype.itemsize <= 2 else np.float64)
    if not np.isfinite(span):  # a window across most of the float range: halve everything
        vmin, vmax = vmin / 2, vmax / 2
        span = vmax - vmin
        work /= 2
    work -= vmin
    work *= 255.0 / span if span > 0 else 0.0
    np.nan_to_num(work, copy=False, nan=0.0, posinf=255.0, neginf=0.0)
    np.clip(work, 0.0, 255.0, out=work)
    work += 0.5
    return work.astype(np.uint8)


def to_display(array: Any, *, vmin: float | None = None, vmax: float | None = None,
               colormap: str = "gray", channels: Any = None,
               name: str = "image") -> tuple[np.ndarray, DisplayWindow]:
    """Map an image of any numeric dtype and range to uint8 for the screen.

    Parameters
    ----------
    array : array-like
        H×W, H×W×1, H×W×3, H×W×4 or H×W×C; any integer, float or bool dtype.
    vmin, vmax : float, optional
        The contrast window (the default follows the module's rule).
    colormap : str
        For single-channel images: one of :data:`COLORMAPS` (``"gray"`` by default).
    channels : int or list of int, optional
        The channels to show (one, three or four indices); default: all up to 4, else the
        first three.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    (ndarray, DisplayWindow)
        uint8 H×W (gray colormap), H×W×3 (RGB, or a colormap) or H×W×4 (with alpha, or
        where there were NaN/inf values: transparent there); and the window used.

    Examples
    --------
    >>> digits = np.array([[0.0, 8.0], [16.0, 4.0]])  # like scikit-learn's digits.images
    >>> shown, window = to_display(digits)
    >>> shown.tolist(), (round(window.vmin, 2), round(window.vmax, 2))
    ([[0, 128], [255, 64]], (0.06, 15.88))
    >>> to_display(np.array([[np.nan, 1.0]]))[0][0, 0].tolist()
    [0, 0, 0, 0]
    """
    if colormap not in _CONTROL_POINTS:
        raise ValueError(f"colormap must be one of {list(COLORMAPS)}, got {colormap!r}")
    arr = select_channels(array, channels, name=name)
    low = _check_number(vmin, "vmin")
    high = _check_number(vmax, "vmax")
    colour = arr if arr.ndim == 2 else arr[:, :, :3]
    auto = low is None or high is None
    if auto:
        a_low, a_high = auto_window(colour)
        low = a_low if low is None else low
        high = a_high if high is None else high
    assert low is not None and high is not None
    if high <= low:
        raise ValueError(f"vmax must be greater than vmin, got vmin={low:g}, vmax={high:g}")
    window = DisplayWindow(float(low), float(high), colormap, auto)
    shown = _scale(colour, low, high)
    bad = None
    if np.issubdtype(colour.dtype, np.floating):
        finite = np.isfinite(colour)
        if not finite.all():
            bad = ~finite if colour.ndim == 2 else ~finite.all(axis=2)
    if colour.ndim == 2 and colormap != "gray":
        shown = colormap_lut(colormap)[shown]
    alpha = None
    if arr.ndim == 3 and arr.shape[2] == 4:
        alpha = _scale(arr[:, :, 3], *auto_window(arr[:, :, 3]))
    if bad is not None:
        alpha = np.full(colour.shape[:2], 255, np.uint8) if alpha is None else alpha.copy()
        alpha[bad] = 0
    if alpha is not None:
        rgb = np.repeat(shown[:, :, None], 3, axis=2) if shown.ndim == 2 else shown
        shown = np.concatenate([rgb, alpha[:, :, None]], axis=2)
    return np.ascontiguousarray(shown), window

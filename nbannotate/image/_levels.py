"""Single-channel images on the wire as 16-bit levels, so the browser moves the window itself.

A uint16 microscopy image, a float map or an int32 label image is sent not as an 8-bit
picture but as its values quantised to 16 bits (``level = round((value - offset) / step)``,
65535 for NaN/inf), deflate-compressed. The browser maps levels to colours through a 65536-entry
table built from ``vmin``, ``vmax`` and the colormap, so dragging the window re-colours the
canvas without asking the kernel, and the pointer's readout is the original value
(``offset + level * step``): exact for integer images whose range spans at most 65535 values,
within ``step / 2`` otherwise.

Why 16 bits: 8 bits quantised into the window lose what lies outside it (a window moved
later would need the kernel again); float32 doubles the bytes for precision a screen does
not show. For a 4000×3000 uint16 image the full resolution is 24 MB raw before compression
(see ``benchmarks/image_contrast.py``); the preview (≤ 1024 px) is ~1.5 MB, and the full
resolution is sent only when the browser asks, as for every image.

Examples
--------
>>> import numpy as np
>>> levels = levels_of(np.array([[100, 4095], [0, 7]], dtype=np.uint16))
>>> levels.codes.tolist(), levels.offset, levels.step
([[100, 4095], [0, 7]], 0.0, 1.0)
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

__all__ = ["LEVELS_MIME", "NOT_FINITE", "Levels", "is_scalar", "levels_bytes", "levels_of",
           "unpack_levels"]

#: The MIME type of levels on the wire: the low bytes of every level, then the high bytes
#: (byte planes compress better than interleaved uint16), zlib/deflate-compressed.
LEVELS_MIME = "application/x-nbannotate-levels"
#: The level of NaN and ±inf (shown transparent).
NOT_FINITE = 65535
_TOP = 65534


@dataclass(frozen=True)
class Levels:
    """Quantised values of a single-channel image.

    Attributes
    ----------
    codes : ndarray of uint16 (H, W)
    offset, step : float
        ``value = offset + code * step``.
    low, high : float
        The finite values' minimum and maximum (the window control's range).
    """

    codes: np.ndarray
    offset: float
    step: float
    low: float
    high: float


def is_scalar(array: np.ndarray) -> bool:
    """True for a single-channel image that the browser windows itself (not uint8 or bool).

    Examples
    --------
    >>> is_scalar(np.zeros((2, 2), np.uint16)), is_scalar(np.zeros((2, 2), np.uint8))
    (True, False)
    """
    return array.ndim == 2 and array.dtype not in (np.uint8, np.bool_)


def levels_of(array: np.ndarray) -> Levels:
    """Quantise a single-channel image to 16-bit levels (see the module doc).

    Examples
    --------
    >>> levels = levels_of(np.array([[-1.0, np.nan, 1.0]]))
    >>> levels.codes.tolist(), levels.low, levels.high
    ([[0, 65535, 65534]], -1.0, 1.0)
    """
    values = np.asarray(array)
    finite = np.isfinite(values) if np.issubdtype(values.dtype, np.floating) else None
    picked = values[finite] if finite is not None else values
    if picked.size == 0:
        return Levels(np.full(values.shape, NOT_FINITE, np.uint16), 0.0, 1.0, 0.0, 1.0)
    low, high = picked.min(), picked.max()
    if np.issubdtype(values.dtype, np.integer) and int(high) - int(low) <= _TOP:
        codes = (values.astype(np.int64) - int(low)).astype(np.uint16)
        return Levels(codes, float(low), 1.0, float(low), float(high))
    low_f, high_f = float(low), float(high)
    step = (high_f - low_f) / _TOP if high_f > low_f else 1.0
    work = values.astype(np.float64)
    work -= low_f
    work /= step
    if finite is not None:
        work[~finite] = NOT_FINITE
    np.clip(work, 0, NOT_FINITE, out=work)
    work += 0.5
    return Levels(work.astype(np.uint16), low_f, step, low_f, high_f)


def levels_bytes(codes: np.ndarray, *, compression: int = 1) -> bytes:
    """Levels on the wire: the low-byte plane then the high-byte plane, zlib-compressed.

    On a 12-bit 4000×3000 micrograph, planes give 13.5 MB in 0.41 s against 16.2 MB in
    0.52 s for interleaved uint16 (``benchmarks/image_contrast.py``).

    Examples
    --------
    >>> data = zlib.decompress(levels_bytes(np.array([[1, 258]], np.uint16)))
    >>> list(data)
    [1, 2, 0, 1]
    """
    little = np.ascontiguousarray(codes, dtype="<u2").reshape(-1).view(np.uint8)
    planes = np.empty(little.size, dtype=np.uint8)
    half = little.size // 2
    planes[:half] = little[0::2]
    planes[half:] = little[1::2]
    return zlib.compress(planes.tobytes(), compression)


def unpack_levels(data: bytes, shape: tuple[int, int]) -> np.ndarray:
    """The levels of :func:`levels_bytes` back as a uint16 array of ``shape``.

    Examples
    --------
    >>> codes = np.array([[0, 65535], [300, 7]], np.uint16)
    >>> np.array_equal(unpack_levels(levels_bytes(codes), (2, 2)), codes)
    True
    """
    planes = np.frombuffer(zlib.decompress(data), dtype=np.uint8)
    half = planes.size // 2
    out = planes[:half].astype(np.uint16) | (planes[half:].astype(np.uint16) << 8)
    return out.reshape(shape)

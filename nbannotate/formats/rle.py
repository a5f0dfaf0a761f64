"""COCO run-length encoding of masks: arrays, areas, boxes and the compressed string form.

A mask record holds COCO's *uncompressed* RLE ``{"size": [h, w], "counts": [...]}``: the
image is read column by column (Fortran order), and ``counts`` alternate runs of 0 and 1,
starting with a (possibly empty) run of 0. The *compressed* form stores ``counts`` as a
string (what ``pycocotools.mask.encode`` returns); it is read and written here so results
files from detection libraries can be imported.

Examples
--------
>>> import numpy as np
>>> mask = np.zeros((3, 4), dtype=bool)
>>> mask[1, 1:3] = True
>>> rle = mask_to_rle(mask)
>>> rle
{'size': [3, 4], 'counts': [4, 1, 2, 1, 4]}
>>> rle_area(rle), rle_bbox(rle)
(2, [1.0, 1.0, 2.0, 1.0])
>>> bool((rle_to_mask(rle) == mask).all())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "mask_to_rle",
    "rle_area",
    "rle_bbox",
    "rle_from_string",
    "rle_to_mask",
    "rle_to_string",
]


def _size_counts(rle: Any, name: str = "rle") -> tuple[int, int, list[int]]:
    if not isinstance(rle, Mapping) or "size" not in rle or "counts" not in rle:
        raise ValueError(f"{name} must be a dict {{'size': [h, w], 'counts': [...]}}, got {rle!r}")
    size = rle["size"]
    if (not isinstance(size, (list, tuple)) or len(size) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in size)):
        raise ValueError(f"{name}: 'size' must be [height, width] positive integers, got {size!r}")
    counts = rle["counts"]
    if isinstance(counts, (str, bytes)):
        counts = rle_from_string(rle)["counts"]
    if not isinstance(counts, (list, tuple)) or not all(
            isinstance(c, (int, np.integer)) and not isinstance(c, bool) and c >= 0
            for c in counts):
        raise ValueError(f"{name}: 'counts' must be a list of non-negative integers or a "
                         f"compressed string, got {counts!r}")
    height, width = int(size[0]), int(size[1])
    if sum(int(c) for c in counts) != height * width:
        raise ValueError(f"{name}: 'counts' must sum to height * width = {height * width}, "
                         f"got {sum(int(c) for c in counts)}")
    return height, width, [int(c) for c in counts]


def mask_to_rle(mask: Any) -> dict[str, list[int]]:
    """Encode a 2-D boolean mask (height, width) as COCO uncompressed RLE.

    Parameters
    ----------
    mask : array-like of shape (height, width)
        Non-zero values are inside the mask.

    Returns
    -------
    dict
        ``{"size": [height, width], "counts": [...]}``, column-major, starting with zeros.

    Examples
    --------
    >>> mask_to_rle([[1, 0], [1, 1]])
    {'size': [2, 2], 'counts': [0, 2, 1, 1]}
    """
    array = np.asarray(mask)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"mask must be a non-empty 2-D array (height, width), got shape "
                         f"{array.shape}")
    flat = array.astype(bool).ravel(order="F")
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], changes, [flat.size]))
    counts = np.diff(bounds).tolist()
    if flat[0]:
        counts.insert(0, 0)
    return {"size": [int(array.shape[0]), int(array.shape[1])], "counts": counts}


def rle_to_mask(rle: Mapping[str, Any]) -> np.ndarray:
    """Decode COCO RLE (uncompressed or compressed) to a boolean array (height, width).

    Examples
    --------
    >>> rle_to_mask({"size": [2, 2], "counts": [0, 2, 1, 1]}).astype(int).tolist()
    [[1, 0], [1, 1]]
    """
    height, width, counts = _size_counts(rle)
    values = np.arange(len(counts)) % 2 == 1
    flat = np.repeat(values, counts)
    return flat.reshape((height, width), order="F")


def rle_area(rle: Mapping[str, Any]) -> int:
    """Number of pixels inside the mask.

    Examples
    --------
    >>> rle_area({"size": [2, 2], "counts": [0, 2, 1, 1]})
    3
    """
    return int(sum(_size_counts(rle)[2][1::2]))


def rle_bbox(rle: Mapping[str, Any]) -> list[float]:
    """Bounding box ``[x, y, w, h]`` of the mask in pixels (``[0, 0, 0, 0]`` when empty).

    Computed from the runs, without decoding the mask.

    Examples
    --------
    >>> rle_bbox({"size": [2, 2], "counts": [0, 2, 1, 1]})
    [0.0, 0.0, 2.0, 2.0]
    """
    height, _, counts = _size_counts(rle)
    runs = np.asarray(counts, dtype=np.int64)
    ends = np.cumsum(runs)
    ones = (np.arange(runs.size) % 2 == 1) & (runs > 0)
    if not ones.any():
        return [0.0, 0.0, 0.0, 0.0]
    first = ends[ones] - runs[ones]
    last = ends[ones] - 1
    col0, row0 = np.divmod(first, height)
    col1, row1 = np.divmod(last, height)
    same = col0 == col1  # a run spanning columns covers row 0 and row height - 1
    top = int(np.where(same, row0, 0).min())
    bottom = int(np.where(same, row1, height - 1).max())
    left, right = int(col0.min()), int(col1.max())
    return [float(left), float(top), float(right - left + 1), float(bottom - top + 1)]


def rle_to_string(rle: Mapping[str, Any]) -> dict[str, Any]:
    """Compress RLE counts to COCO's string form (as ``pycocotools.mask.encode`` does).

    Each count (after the third, as the difference to the count two before it) is written
    in 5-bit groups, low first, as characters from ``chr(48)``; bit 6 marks a following
    group, bit 5 of the last group is the sign.

    Examples
    --------
    >>> rle_to_string({"size": [10, 10], "counts": [3, 2, 95]})
    {'size': [10, 10], 'counts': '32o2'}
    """
    height, width, counts = _size_counts(rle)
    chars: list[str] = []
    for index, count in enumerate(counts):
        value = count - counts[index - 2] if index > 2 else count
        more = True
        while more:
            group = value & 0x1F
            value >>= 5
            more = value != -1 if group & 0x10 else value != 0
            chars.append(chr((group | 0x20 if more else group) + 48))
    return {"size": [height, width], "counts": "".join(chars)}


def rle_from_string(rle: Mapping[str, Any]) -> dict[str, Any]:
    """Expand COCO's compressed string counts to a list (the inverse of ``rle_to_string``).

    Examples
    --------
    >>> rle_from_string({"size": [10, 10], "counts": "32o2"})
    {'size': [10, 10], 'counts': [3, 2, 95]}
    """
    if not isinstance(rle, Mapping) or "counts" not in rle or "size" not in rle:
        raise ValueError(f"rle must be a dict {{'size': [h, w], 'counts': str}}, got {rle!r}")
    text = rle["counts"]
    if isinstance(text, bytes):
        text = text.decode("ascii")
    if not isinstance(text, str):
        raise ValueError(f"rle: compressed 'counts' must be a string, got {text!r}")
    counts: list[int] = []
    position = 0
    while position < len(text):
        value, shift, more = 0, 0, True
        while more:
            if position >= len(text):
                raise ValueError(f"rle: compressed 'counts' ends inside a number: {text!r}")
            group = ord(text[position]) - 48
            if not 0 <= group < 64:
                raise ValueError(f"rle: compressed 'counts' has an invalid character "
                                 f"{text[position]!r} at {position}")
            value |= (group & 0x1F) << shift
            more = bool(group & 0x20)
            position += 1
            shift += 5
            if not more and group & 0x10:
                value |= -1 << shift
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
    return {"size": list(rle["size"]), "counts": counts}

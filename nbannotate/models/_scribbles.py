"""Scribbles for :class:`~nbannotate.models.PixelClassifier`: int arrays or mask records.

Examples
--------
>>> names = []
>>> marks = scribble_array([{"label": "sky", "mask": {"size": [2, 2], "counts": [1, 2, 1]}}],
...                        (2, 2), "scribbles", names, fixed=False)
>>> marks.tolist(), names
([[-1, 0], [0, -1]], ['sky'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["scribble_array"]


def scribble_array(scribbles: Any, shape: tuple[int, int], where: str, names: list[str], *,
                   fixed: bool) -> np.ndarray:
    """Scribbles as an H×W int64 array: ``-1`` unpainted, ``k`` painted with ``names[k]``.

    ``scribbles`` is an H×W integer array (used as it is) or a list of mask or polygon
    records (each record's pixels painted with its label, later records winning where they
    overlap; a polygon's pixels are those whose centre it contains; other records are
    skipped). New labels are appended to ``names`` unless ``fixed``, in which
    case they are an error. ``where`` names the argument in error messages.
    """
    from ..formats.rle import rle_to_mask
    from ._polygons import polygon_mask

    if isinstance(scribbles, np.ndarray) and scribbles.ndim == 2:
        array = scribbles
        if not np.issubdtype(array.dtype, np.integer):
            if np.issubdtype(array.dtype, np.floating) and np.all(array == np.round(array)):
                array = array.astype(np.int64)
            else:
                raise ValueError(f"{where} must hold integers (-1 unpainted, k = label index), "
                                 f"got dtype {scribbles.dtype}")
        if array.shape != shape:
            raise ValueError(f"{where} has shape {array.shape}; expected the image's {shape} "
                             "(height, width)")
        if array.size and int(array.min()) < -1:
            raise ValueError(f"{where}: values must be -1 (unpainted) or a label index, got "
                             f"{int(array.min())}")
        return array.astype(np.int64, copy=False)
    if isinstance(scribbles, (str, bytes, Mapping)) or not isinstance(scribbles, Sequence):
        raise TypeError(f"{where} must be an H×W int array or a list of mask records, got "
                        f"{type(scribbles).__name__}")
    array = np.full(shape, -1, dtype=np.int64)
    for number, record in enumerate(scribbles):
        if not isinstance(record, Mapping) or ("mask" not in record and "points" not in record):
            continue  # other kinds of records (boxes, ...) are not scribbles
        label = record.get("label")
        if not isinstance(label, str) or not label:
            raise ValueError(f"{where}[{number}]: a mask record needs a label (str), got "
                             f"{label!r}")
        try:
            mask = (rle_to_mask(record["mask"]) if "mask" in record
                    else polygon_mask(record["points"], shape))  # a polygon: its pixels
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}[{number}]: {error}") from None
        if mask.shape != shape:
            raise ValueError(f"{where}[{number}]: mask size {list(mask.shape)} does not match "
                             f"the image (height, width) {list(shape)}")
        if label not in names:
            if fixed:
                raise ValueError(f"{where}[{number}]: label {label!r} is not one of "
                                 f"labels={names!r}")
            names.append(label)
        array[mask] = names.index(label)
    return array

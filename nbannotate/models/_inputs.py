"""Checking and loading the items and annotations the built-in models take.

Items are what the annotators take: ``str`` for text; ``(samples, sample_rate)``, an
:class:`~nbannotate.media.audio.AudioClip` or a WAV path for audio; a numpy array or a path
(read with Pillow) for images. Errors name the item's index (``items[3]: ...``).

Images take any numeric array, scaled by the rule of
:func:`nbannotate.features.image_values` (the models see the image's own values, never a
display mapping), in any layout of :func:`nbannotate.features.image_layout`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

import numpy as np

from ..features import image_layout, image_values
from ..media.images import pil_values, read_image

__all__ = [
    "as_audio",
    "as_image",
    "as_item_list",
    "as_text",
    "box_values",
    "check_fit_args",
    "records_of",
    "standard_gray",
]


def as_item_list(items: Any, name: str = "items") -> list[Any]:
    """``items`` as a list; a single item (a str, array or tuple) is a mistake worth naming.

    A 4-D array is a stack of images, a 1-D array of strings or objects a list of items.
    """
    if isinstance(items, np.ndarray) and (items.ndim == 4 or (
            items.ndim == 1 and items.dtype.kind in "OUS")):
        return list(items)
    if isinstance(items, (str, bytes, PathLike, np.ndarray, Mapping)):
        raise TypeError(f"{name} must be a list of items, got a single {type(items).__name__}; "
                        f"wrap it in a list: [{name[:-1] if name.endswith('s') else 'item'}]")
    if not isinstance(items, Sequence):
        try:
            items = list(items)
        except TypeError:
            raise TypeError(f"{name} must be a list of items, got "
                            f"{type(items).__name__}") from None
    return list(items)


def check_fit_args(items: Any, annotations: Any) -> tuple[list[Any], list[list[dict[str, Any]]]]:
    """Return ``(items, annotations)`` as lists of equal length; each annotation a record list."""
    items = as_item_list(items)
    if isinstance(annotations, (str, bytes, Mapping)) or not isinstance(annotations, Sequence):
        raise TypeError(f"annotations must be a list with one list of records per item, got "
                        f"{type(annotations).__name__}")
    if len(annotations) != len(items):
        raise ValueError(f"annotations has {len(annotations)} entries but items has "
                         f"{len(items)}: give one list of records per item")
    if not items:
        raise ValueError("items is empty: fit needs at least one annotated item")
    out: list[list[dict[str, Any]]] = []
    for index, records in enumerate(annotations):
        if records is None:
            out.append([])
            continue
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Sequence):
            raise TypeError(f"annotations[{index}] must be a list of records (dicts), got "
                            f"{type(records).__name__}")
        for number, record in enumerate(records):
            if not isinstance(record, Mapping):
                raise TypeError(f"annotations[{index}][{number}] must be a dict (a record), "
                                f"got {type(record).__name__}")
            if not isinstance(record.get("label"), str) or not record.get("label"):
                raise ValueError(f"annotations[{index}][{number}]: field 'label' must be a "
                                 f"non-empty string, got {record.get('label')!r}")
        out.append([dict(r) for r in records])
    return items, out


def records_of(records: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """The records that have all of ``fields`` (others, e.g. boxes among keypoints, are skipped)."""
    return [r for r in records if all(f in r for f in fields)]


def as_text(item: Any, index: int) -> str:
    """A text item: a ``str``."""
    if not isinstance(item, str):
        raise TypeError(f"items[{index}] must be a str (a document), got {type(item).__name__}")
    return item


def as_audio(item: Any, index: int) -> tuple[np.ndarray, float]:
    """An audio item as ``(mono float32 samples, sample_rate)``.

    Takes ``(samples, sample_rate)``, an ``AudioClip``, a path or the bytes of a WAV file.
    """
    from ..media.audio import AudioClip, load_audio

    name = f"items[{index}]"
    if isinstance(item, AudioClip):
        clip = item
    elif isinstance(item, tuple):
        if len(item) != 2:
            raise ValueError(f"{name} must be (samples, sample_rate), a path or WAV bytes; got "
                             f"a tuple of {len(item)} values")
        clip = load_audio(item[0], item[1], name=name)
    elif isinstance(item, (str, PathLike, bytes, bytearray, memoryview)):
        clip = load_audio(item, name=name)
    else:
        raise TypeError(f"{name} must be (samples, sample_rate), an AudioClip, a path or WAV "
                        f"bytes, got {type(item).__name__}")
    samples = clip.samples
    if samples.shape[0] == 1:
        mono = samples[0].astype(np.float32) * np.float32(clip.scale)
    else:
        mono = samples.astype(np.float32).mean(axis=0) * np.float32(clip.scale)
    return mono, float(clip.sample_rate)


def as_image(item: Any, index: int, *, color: bool = True,
             all_channels: bool = False) -> np.ndarray:
    """An image item as float32 on the models' scale (module docstring).

    Returns H×W×3 when ``color`` (gray repeated, alpha dropped, the first three of more than
    four channels), H×W when not; with ``all_channels``, an image of more than four channels
    keeps them all (H×W×C).
    """
    name = f"items[{index}]"
    if isinstance(item, (str, PathLike, bytes, bytearray)):
        # a file, or encoded PNG / JPEG / TIFF as the annotators take: values kept, upright
        arr = read_image(item, name=name)
    else:
        if hasattr(item, "mode") and hasattr(item, "convert"):  # a PIL image
            item = pil_values(item)
        arr = np.asarray(item)
    arr = image_layout(arr, name)
    if arr.ndim == 3 and not (all_channels and arr.shape[2] > 4):
        arr = arr[:, :, :3]  # alpha, or channels past the third: left out before scaling
    out = image_values(arr, name)
    if out.ndim == 3:
        if not color:
            weights = (np.array([0.299, 0.587, 0.114], dtype=np.float32) if out.shape[2] == 3
                       else np.full(out.shape[2], 1.0 / out.shape[2], dtype=np.float32))
            out = out @ weights
    elif color:
        out = np.repeat(out[:, :, None], 3, axis=2)
    return np.ascontiguousarray(out)


def standard_gray(image: np.ndarray) -> np.ndarray:
    """Gray version of an H×W×3 float image, centred on its median and scaled by its spread
    (so brightness and contrast changes between images matter less); a flat image (spread
    below 1e-6) is all zeros.

    Examples
    --------
    >>> standard_gray(np.full((2, 2, 3), 7.0, dtype=np.float32)).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """
    gray = image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    spread = float(gray.std(dtype=np.float64)) if gray.size else 0.0
    if not spread > 1e-6:  # flat (or empty): no contrast to scale
        return np.zeros(gray.shape, dtype=np.float32)
    return ((gray - float(np.median(gray))) / spread).astype(np.float32)


def box_values(box: Any, where: str) -> tuple[float, float, float, float]:
    """``(x, y, w, h)`` of a box record or 4-sequence, checked to be finite numbers."""
    values: list[Any]
    if isinstance(box, Mapping):
        values = [box.get(k) for k in ("x", "y", "w", "h")]
    elif isinstance(box, (list, tuple, np.ndarray)):
        values = list(box)
    else:
        values = [box]
    if len(values) != 4 or any(isinstance(v, bool) or not isinstance(v, (int, float, np.number))
                               or not np.isfinite(v) for v in values):
        shown = dict(zip("xywh", values, strict=False)) if isinstance(box, Mapping) else box
        raise ValueError(f"{where} must be a box record or (x, y, w, h) with finite numbers, "
                         f"got {shown!r}")
    return float(values[0]), float(values[1]), float(values[2]), float(values[3])

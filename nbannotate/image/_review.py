"""Reviewing a model's masks in ImageAnnotator: mask suggestions and the uncertainty overlay.

``mask_suggestions`` are mask records from a model (``source="model"``, a ``score``). The
widget draws them in light stripes where nothing is painted; accepting copies them into
``masks`` where nothing is painted (the person's pixels win). ``set_uncertainty`` shows where a
model is unsure, as a PNG in a ``Bytes`` trait, on a toggle (``show_uncertainty``, the ``U``
key). The accepting itself is :meth:`nbannotate.image._masks.MaskEditor.accept`; this module
makes the overlay's image and reads the widget's image back as an array.

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator
>>> w = ImageAnnotator(np.zeros((4, 4)), labels=["a"], mask_suggestions=[
...     {"label": "a", "mask": {"size": [4, 4], "counts": [5, 1, 10]}, "score": 0.9}])
>>> w.mask_suggestions[0]["source"]
'model'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..media.images import pil_values, png_bytes, read_image

__all__ = ["image_values", "uncertainty_png"]

#: Longest side of the uncertainty image sent to the browser (it is stretched over the image).
UNCERTAINTY_MAX_SIDE = 512
#: Colour of the uncertainty overlay (its opacity grows with the uncertainty).
UNCERTAINTY_RGB = (255, 72, 0)


def uncertainty_png(values: Any) -> bytes:
    """The uncertainty overlay: ``values`` in [0, 1] as a translucent PNG (empty for ``None``).

    The array is reduced to at most 512 px on its long side (the browser stretches it over
    the image) and drawn more opaque where it is higher.

    Examples
    --------
    >>> uncertainty_png(np.linspace(0, 1, 12).reshape(3, 4))[:4]
    b'\\x89PNG'
    >>> uncertainty_png(None)
    b''
    """
    if values is None:
        return b""
    try:
        array = np.asarray(values, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(f"values must be a 2-D array of numbers in [0, 1], got "
                        f"{type(values).__name__}") from None
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"values must be a non-empty 2-D array (height, width), got shape "
                         f"{array.shape}")
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise ValueError("values must be finite numbers in [0, 1]")
    step = max(1, -(-max(array.shape) // UNCERTAINTY_MAX_SIDE))
    small = array[::step, ::step]
    rgba = np.empty((*small.shape, 4), dtype=np.uint8)
    rgba[:, :, :3] = UNCERTAINTY_RGB
    rgba[:, :, 3] = np.round(small * 220).astype(np.uint8)
    return png_bytes(rgba)


def image_values(image: Any) -> np.ndarray:
    """An image as given to the widget, with its original values (what models should see).

    Arrays come back as given (uint16, float, negative values and all: the display mapping
    never touches them); PIL images keep their 16-bit and float modes; encoded images (paths,
    bytes) are decoded with Pillow, upright, keeping 16-bit and float values.

    Examples
    --------
    >>> image_values(np.zeros((5, 7))).shape
    (5, 7)
    >>> image_values(np.full((2, 2), 4000, dtype=np.uint16)).max()
    np.uint16(4000)
    """
    if image is None:
        raise ValueError("this widget has no image")
    if isinstance(image, np.ndarray):
        return image
    if hasattr(image, "mode") and hasattr(image, "convert"):  # a PIL image
        return pil_values(image)
    return read_image(image)

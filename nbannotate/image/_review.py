"""Reviewing a model's masks in ImageAnnotator: mask suggestions and the uncertainty overlay.

``mask_suggestions`` are mask records from a model (``source="model"``, a ``score``). The
widget draws them in light stripes where nothing is painted; accepting copies them into
``masks`` where nothing is painted (the person's pixels win). ``set_uncertainty`` shows where a
model is unsure, as a PNG in a ``Bytes`` trait, on a toggle (``show_uncertainty``, the ``U``
key). Used through :class:`nbannotate.image._masks.SegmentationMixin`.

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

from collections.abc import Iterable
from typing import Any

import numpy as np
import traitlets

from ..media.images import png_bytes, to_uint8_image
from ..records import validate_records
from . import mask_ops as ops
from .mask_ops import record_toggles as _record_toggles

__all__ = ["MaskReviewMixin"]

#: Longest side of the uncertainty image sent to the browser (it is stretched over the image).
UNCERTAINTY_MAX_SIDE = 512
#: Colour of the uncertainty overlay (its opacity grows with the uncertainty).
UNCERTAINTY_RGB = (255, 72, 0)


class MaskReviewMixin(traitlets.HasTraits):
    """Mask suggestions, the uncertainty overlay and the image's pixels (see module doc).

    The concrete widget provides ``masks``, ``labels``, the image size, ``_edit_masks`` and
    ``_check_label`` (:class:`nbannotate.image._masks.SegmentationMixin`).

    Examples
    --------
    >>> import numpy as np
    >>> from nbannotate import ImageAnnotator
    >>> ImageAnnotator(np.zeros((4, 4)), labels=["a"]).show_uncertainty
    False
    """

    mask_suggestions = traitlets.List().tag(sync=True)
    #: The uncertainty overlay: a PNG stretched over the image (empty: none).
    uncertainty_png = traitlets.Bytes(b"").tag(sync=True)
    #: Show the uncertainty overlay (the ``U`` key toggles it).
    show_uncertainty = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("mask_suggestions")
    def _validate_mask_suggestions(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        out = validate_records(proposal["value"], kind="mask", name="mask_suggestions",
                               **self._segmentation_context())  # type: ignore[attr-defined]
        for record in out:
            record["source"] = "model"
        return out

    # -- mask suggestions -----------------------------------------------------------------------
    def accept_mask_suggestions(self, labels: Iterable[str] | str | None = None) -> list[str]:
        """Copy mask suggestions into ``masks`` where the person has not painted.

        What the browser's *Accept masks* (or Enter) does: each suggested pixel that no mask
        covers gets the suggestion's label (where suggestions overlap, the later one wins);
        pixels a person painted keep their label. The suggestions stay (the widget shows
        them only where they differ from the masks: after accepting, nowhere).

        Parameters
        ----------
        labels : str or list of str, optional
            Accept only the suggestions of these labels (default: all).

        Returns
        -------
        list of str
            The ids of the mask records that changed.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> from nbannotate.formats import mask_to_rle
        >>> w = ImageAnnotator(np.zeros((10, 10)), labels=["a", "b"])
        >>> left = np.zeros((10, 10), dtype=bool); left[:, :5] = True
        >>> w.mask_suggestions = [{"label": "a", "mask": mask_to_rle(left), "score": 0.8}]
        >>> _ = w.paint("b", [[1, 1]], radius=1)
        >>> _ = w.accept_mask_suggestions()
        >>> int(w.mask_array("a").sum()), int(w.mask_array("b").sum())
        (46, 4)
        """
        wanted = None if labels is None else ({labels} if isinstance(labels, str)
                                              else set(labels))
        if wanted is not None:
            for name in wanted:
                self._check_label(name, "labels")
        total = self.image_width * self.image_height  # type: ignore[attr-defined]
        with self._apply_lock:  # type: ignore[attr-defined]  # no browser edit in between
            taken = ops.EMPTY
            for record in self.masks:
                taken = ops.union(taken, _record_toggles(record), total)
            edits = []
            for record in reversed(self.mask_suggestions):
                if wanted is not None and record["label"] not in wanted:
                    continue
                fresh = ops.difference(_record_toggles(record), taken, total)
                taken = ops.union(taken, fresh, total)
                edits.append((record["label"], "add", fresh))
            changes = self._edit_masks(edits[::-1], silent=False)
        return [record["id"] for _, record in changes]

    def reject_mask_suggestions(self) -> list[str]:
        """Remove every mask suggestion; returns their ids.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((4, 4)), labels=["a"], mask_suggestions=[
        ...     {"id": "m", "label": "a", "mask": {"size": [4, 4], "counts": [5, 1, 10]}}])
        >>> w.reject_mask_suggestions(), w.mask_suggestions
        (['m'], [])
        """
        gone = [r["id"] for r in self.mask_suggestions]
        self.mask_suggestions = []
        return gone

    # -- uncertainty overlay ---------------------------------------------------------------
    def set_uncertainty(self, values: Any) -> None:
        """Show where a model is unsure: ``values`` in [0, 1], one per pixel (or a coarser grid).

        The array is stretched over the image (so a reduced grid works: it is reduced to at
        most 512 px on its long side anyway) and drawn more opaque where it is higher; the
        ``U`` key (``show_uncertainty``) shows or hides it. ``None`` removes it.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((30, 40)), labels=["a"])
        >>> w.set_uncertainty(np.linspace(0, 1, 12).reshape(3, 4))
        >>> w.uncertainty_png[:4]
        b'\\x89PNG'
        """
        if values is None:
            self.uncertainty_png = b""
            return
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
        self.uncertainty_png = png_bytes(rgba)

    # -- the image -----------------------------------------------------------------------------
    def image_array(self) -> np.ndarray:
        """The image as a uint8 array (H×W, H×W×3 or H×W×4), e.g. for a pixel classifier.

        Encoded images (paths, bytes) are decoded with Pillow.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> ImageAnnotator(np.zeros((5, 7)), labels=["a"]).image_array().shape
        (5, 7)
        """
        image = getattr(self, "_image_input", None)
        if image is None:
            raise ValueError("this widget has no image")
        if isinstance(image, np.ndarray):
            return to_uint8_image(image)
        if hasattr(image, "mode") and hasattr(image, "convert"):  # a PIL image
            return to_uint8_image(np.asarray(image))
        try:
            from PIL import Image
        except ImportError:
            raise ImportError("image_array() of an encoded image (a path or bytes) needs "
                              "Pillow: pip install pillow") from None
        import io

        source = io.BytesIO(image) if isinstance(image, (bytes, bytearray)) else image
        with Image.open(source) as opened:
            return to_uint8_image(np.asarray(opened.convert("RGB")))

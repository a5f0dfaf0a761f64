"""ImageAnnotator: bounding boxes and keypoints on an image, drawn in the browser.

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator
>>> w = ImageAnnotator(np.zeros((48, 64, 3), dtype=np.uint8), labels=["cat", "dog"])
>>> w.image_size
(64, 48)
>>> w.boxes = [{"x": 4, "y": 4, "w": 10, "h": 8, "label": "dog"}]
>>> w.boxes[0]["source"]
'human'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import traitlets

from ._binary import encode_image
from ._widget import AnnotatorWidget, static_file
from .records import validate_records

__all__ = ["ImageAnnotator"]

TOOLS = ("box", "keypoint", "select")


def _labels(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of strings, got {type(value).__name__}")
    out = list(value)
    for item in out:
        if not isinstance(item, str) or not item:
            raise TypeError(f"{name} must be a list of non-empty strings, got {item!r}")
    if len(set(out)) != len(out):
        raise ValueError(f"{name} has duplicates: {out}")
    return out


class ImageAnnotator(AnnotatorWidget):
    """Draw, move and resize boxes and place keypoints on an image.

    Parameters
    ----------
    image : ndarray, PIL.Image, str, PathLike or bytes
        H×W gray, H×W×3 RGB or H×W×4 RGBA (uint8, or float in [0, 1]); a PIL image; a path;
        or encoded PNG/JPEG bytes. Encoded once and sent as a binary buffer.
    labels : list of str
        Box labels; number keys 1–9 pick them.
    keypoint_labels : list of str, optional
        Names of the keypoints of one instance, in order.
    skeleton : list of (str, str), optional
        Pairs of keypoint labels joined by a line.
    boxes, keypoints : list of dict, optional
        Initial records (original-image pixels).
    label : str, optional
        The label for new boxes (default: the first label).
    tool : {"box", "keypoint", "select"}

    Examples
    --------
    >>> import numpy as np
    >>> ImageAnnotator(np.zeros((10, 10)), labels=["a"]).tool
    'box'
    """

    _record_fields = ("boxes", "keypoints", "suggestions")

    image_data = traitlets.Bytes(b"").tag(sync=True)
    image_mime = traitlets.Unicode("image/png").tag(sync=True)
    image_width = traitlets.Int(0).tag(sync=True)
    image_height = traitlets.Int(0).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    keypoint_labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    skeleton = traitlets.List().tag(sync=True)
    boxes = traitlets.List().tag(sync=True)
    keypoints = traitlets.List().tag(sync=True)
    suggestions = traitlets.List().tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    tool = traitlets.Enum(TOOLS, default_value="box").tag(sync=True)

    def __init__(self, image: Any, labels: Sequence[str] | None = None, *,
                 keypoint_labels: Sequence[str] | None = None,
                 skeleton: Sequence[tuple[str, str]] | None = None,
                 boxes: Sequence[dict[str, Any]] | None = None,
                 keypoints: Sequence[dict[str, Any]] | None = None,
                 suggestions: Sequence[dict[str, Any]] | None = None,
                 label: str | None = None, tool: str = "box") -> None:
        data, mime, (width, height) = encode_image(image)
        label_list = _labels(labels, "labels")
        kp_labels = _labels(keypoint_labels, "keypoint_labels")
        pairs = self._check_skeleton(skeleton, kp_labels)
        if label is None:
            label = label_list[0] if label_list else ""
        elif label_list and label not in label_list:
            raise ValueError(f"label must be one of {label_list}, got {label!r}")
        if tool not in TOOLS:
            raise ValueError(f"tool must be one of {list(TOOLS)}, got {tool!r}")
        super().__init__(image_data=data, image_mime=mime, image_width=width,
                         image_height=height, labels=label_list, keypoint_labels=kp_labels,
                         skeleton=pairs, label=label, tool=tool)
        self.boxes = list(boxes or [])
        self.keypoints = list(keypoints or [])
        self.suggestions = list(suggestions or [])

    _esm = static_file("image.js")
    _css = static_file("image.css")

    @staticmethod
    def _check_skeleton(skeleton: Any, names: list[str]) -> list[list[str]]:
        if skeleton is None:
            return []
        pairs = []
        for pair in skeleton:
            if (isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2):
                raise ValueError(f"skeleton must be a list of (name, name) pairs, got {pair!r}")
            for name in pair:
                if name not in names:
                    raise ValueError(f"skeleton: {name!r} is not one of keypoint_labels {names}")
            pairs.append([pair[0], pair[1]])
        return pairs

    @property
    def image_size(self) -> tuple[int, int]:
        """(width, height) of the original image in pixels."""
        return (self.image_width, self.image_height)

    # -- validation -----------------------------------------------------------------------
    def _context(self, field: str) -> dict[str, Any]:
        size = self.image_size
        if field == "keypoints":
            return {"kind": "keypoint", "image_size": size,
                    "labels": self.keypoint_labels or None}
        return {"kind": "box", "image_size": size, "labels": self.labels or None}

    def _validate_record(self, field: str, record: dict[str, Any]) -> dict[str, Any]:
        if field == "suggestions":
            kind = "keypoint" if "w" not in record else "box"
            field = "keypoints" if kind == "keypoint" else "boxes"
        return validate_records([record], name=field, **self._context(field))[0]

    @traitlets.validate("boxes", "keypoints")
    def _validate_list(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        field = proposal["trait"].name
        if field in self._silent_fields:
            return proposal["value"]  # already validated record by record
        return validate_records(proposal["value"], name=field, **self._context(field))

    @traitlets.validate("suggestions")
    def _validate_suggestions(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if "suggestions" in self._silent_fields:
            return proposal["value"]
        out = []
        for index, record in enumerate(proposal["value"] or []):
            if not isinstance(record, dict):
                raise TypeError(f"suggestions: record {index} must be a dict")
            field = "boxes" if "w" in record else "keypoints"
            clean = validate_records([record], name=f"suggestions[{index}]",
                                     **self._context(field))[0]
            clean["source"] = "model"
            out.append(clean)
        return out

    @traitlets.validate("label")
    def _validate_label(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        names = list(self.labels) + list(self.keypoint_labels)
        if value and names and value not in names:
            raise ValueError(f"label must be one of {names}, got {value!r}")
        return value

    def _repr_summary(self) -> str:
        return (f"{self.image_width}x{self.image_height}, {len(self.boxes)} boxes, "
                f"{len(self.keypoints)} keypoints")

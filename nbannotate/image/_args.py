"""Checks of ImageAnnotator's constructor arguments: tools, records, skeleton, the tool's
label and transcription options (label lists:
:func:`nbannotate.widget.labels.label_names`).

Each check normalizes a value (a list of records, a list of ``[name, name]`` pairs) or raises
an error that names the argument and the expected form, before the widget opens.

Examples
--------
>>> from nbannotate.image._args import check_records, check_skeleton
>>> check_records(None, "boxes")
[]
>>> check_skeleton([("nose", "tail")], ["nose", "tail"])
[['nose', 'tail']]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..records.reading_order import DIRECTIONS

__all__ = ["TOOLS", "check_records", "check_skeleton", "check_tool_options"]

TOOLS = ("box", "keypoint", "select", "polygon", "brush", "eraser")


def check_records(value: Any, name: str) -> list[Any]:
    """The records of a list argument as a list (``None``: none); each is validated later.

    Examples
    --------
    >>> check_records(({"x": 1},), "boxes")
    [{'x': 1}]
    >>> check_records({"x": 1}, "boxes")
    Traceback (most recent call last):
    ...
    TypeError: boxes must be a list of records (dicts), got dict
    """
    if value is None:
        return []
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of records (dicts), got {type(value).__name__}")
    return list(value)


def check_skeleton(skeleton: Any, names: list[str]) -> list[list[str]]:
    """The skeleton as ``[name, name]`` pairs of keypoint labels (``None``: no lines).

    Examples
    --------
    >>> check_skeleton([("nose", "ear")], ["nose", "tail"])
    Traceback (most recent call last):
    ...
    ValueError: skeleton: 'ear' is not one of keypoint_labels ['nose', 'tail']
    """
    if skeleton is None:
        return []
    if isinstance(skeleton, str) or not isinstance(skeleton, Iterable):
        raise TypeError(f"skeleton must be a list of (name, name) pairs, got "
                        f"{type(skeleton).__name__}")
    pairs = []
    for pair in skeleton:
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"skeleton must be a list of (name, name) pairs, got {pair!r}")
        for name in pair:
            if name not in names:
                raise ValueError(f"skeleton: {name!r} is not one of keypoint_labels {names}")
        pairs.append([pair[0], pair[1]])
    return pairs


def check_tool_options(tool: Any, label: Any, transcribe: Any, reading_direction: Any,
                       labels: list[str], keypoint_labels: list[str]) -> str:
    """Check the tool, label and transcription arguments; return the label to start with.

    Examples
    --------
    >>> check_tool_options("box", None, False, "auto", ["cat"], [])
    'cat'
    >>> check_tool_options("box", None, False, "up", ["cat"], [])
    Traceback (most recent call last):
    ...
    ValueError: reading_direction must be one of ['auto', 'ltr', 'rtl'], got 'up'
    """
    if tool not in TOOLS:
        raise ValueError(f"tool must be one of {list(TOOLS)}, got {tool!r}")
    if not isinstance(transcribe, bool):
        raise TypeError(f"transcribe must be True or False, got {transcribe!r}")
    if reading_direction not in DIRECTIONS:
        raise ValueError(f"reading_direction must be one of {list(DIRECTIONS)}, got "
                         f"{reading_direction!r}")
    if tool == "keypoint" and not keypoint_labels:
        raise ValueError("tool='keypoint' needs keypoint_labels, got none")
    tool_labels = keypoint_labels if tool == "keypoint" else labels
    if label is None:
        return tool_labels[0]
    if label not in tool_labels:
        raise ValueError(f"label must be one of {tool_labels} (the {tool} tool's labels), "
                         f"got {label!r}")
    return str(label)

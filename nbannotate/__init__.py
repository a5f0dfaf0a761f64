"""nbannotate: label images, text, audio and tables inside a notebook, with a live model.

The widgets, the learner and the store are imported on first use, so that headless code
(``from nbannotate import Store``) does not pay for importing IPython and ipywidgets.

Examples
--------
>>> import nbannotate
>>> nbannotate.__version__
'0.1.0'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .records import new_id, validate_record, validate_records

if TYPE_CHECKING:
    from .active import ActiveLearner
    from .agreement import agreement
    from .audio import AudioAnnotator
    from .classify import ClassLabeler
    from .image import ImageAnnotator
    from .media.pdf import pdf_page
    from .session import Session, label
    from .session.live_segmentation import LiveSegmentation
    from .store import Store
    from .text import TextAnnotator
    from .video import VideoAnnotator

# Public name -> module that defines it (imported on first access).
_LAZY = {
    "ActiveLearner": ".active",
    "agreement": ".agreement",
    "AudioAnnotator": ".audio",
    "ClassLabeler": ".classify",
    "ImageAnnotator": ".image",
    "LiveSegmentation": ".session.live_segmentation",
    "Session": ".session",
    "Store": ".store",
    "TextAnnotator": ".text",
    "VideoAnnotator": ".video",
    "label": ".session",
    "pdf_page": ".media.pdf",
}

__all__ = [
    "ActiveLearner",
    "AudioAnnotator",
    "ClassLabeler",
    "ImageAnnotator",
    "LiveSegmentation",
    "Session",
    "Store",
    "TextAnnotator",
    "VideoAnnotator",
    "__version__",
    "agreement",
    "label",
    "new_id",
    "pdf_page",
    "validate_record",
    "validate_records",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nbannotate' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

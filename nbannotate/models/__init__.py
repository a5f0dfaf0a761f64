"""Built-in in-kernel models for structured annotations (spans, regions, boxes, keypoints, masks).

Each learns from the records a person makes in an annotator and predicts records of the same
kind, with ``source="model"`` and a ``score`` in [0, 1], so they can be drawn in as
suggestions. They follow :class:`StructuredModel` (``fit(items, annotations)`` /
``predict(items)``), take scikit-learn-style parameters, need only numpy, scipy and
scikit-learn, and expose ``uncertainty(items)`` for active learning; any object with
``fit``/``predict`` works in their place (:func:`item_uncertainty`).

==================  ==============================  ======================================
model               items                           records
==================  ==============================  ======================================
SpanTagger          str                             spans ``{start, end, label, text}``
FrameTagger         ``(samples, rate)`` or WAV path regions ``{start, end, label}`` (s)
WindowDetector      image array or path             boxes ``{x, y, w, h, label}``
KeypointLocator     image array or path             keypoints ``{x, y, label, visible}``
PixelClassifier     image array or path             masks ``{mask: RLE, label}``
==================  ==============================  ======================================

Examples
--------
>>> from nbannotate.models import SpanTagger, item_uncertainty
>>> docs = ["Anna met Boris.", "Boris met Anna.", "It rained."]
>>> spans = [[{"start": 0, "end": 4, "label": "PER"}, {"start": 9, "end": 14, "label": "PER"}],
...          [{"start": 0, "end": 5, "label": "PER"}, {"start": 10, "end": 14, "label": "PER"}],
...          []]
>>> tagger = SpanTagger().fit(docs, spans)
>>> [s["text"] for s in tagger.predict(["Anna met Boris."])[0]]
['Anna', 'Boris']
>>> item_uncertainty(tagger, ["Anna met Boris.", "Zzz qqq."]).shape
(2,)
"""

from .frame_tagger import FrameTagger
from .keypoint_locator import KeypointLocator
from .pixel_classifier import PixelClassifier
from .protocol import (
    DroppedAnnotationsWarning,
    StructuredModel,
    item_uncertainty,
    proba_uncertainty,
    records_uncertainty,
)
from .span_tagger import SpanTagger
from .window_detector import WindowDetector

__all__ = [
    "DroppedAnnotationsWarning",
    "FrameTagger",
    "KeypointLocator",
    "PixelClassifier",
    "SpanTagger",
    "StructuredModel",
    "WindowDetector",
    "item_uncertainty",
    "proba_uncertainty",
    "records_uncertainty",
]

"""``task="segment"``: pixel segmentation of images in a Session, with a live PixelClassifier.

The person paints masks with the brush and the eraser (or draws polygons) in an
:class:`~nbannotate.ImageAnnotator`; the session's model, a
:class:`~nbannotate.models.PixelClassifier` by default, learns from every submitted image
and draws its segmentation of the next image in as **mask suggestions** (striped, where
nothing is painted), which Enter accepts as masks. How it fits together:

* **store**: the person's records as they are: mask records (COCO RLE, one per label as the
  brush makes them) and polygon records (``points``), checked against the image's size and
  the labels;
* **training** across images: the model is refit on every submitted image's masks and
  polygons (polygons count as the pixels whose centre they contain). The PixelClassifier
  samples each image's painted pixels (class-balanced, at most ``max_samples``) before it
  gathers their features, and keeps those rows between refits, so a refit costs the
  features of the new image and a small forest fit (``benchmarks/segment_session.py``);
* **queue**: each image left is scored with the model's item uncertainty; for the
  PixelClassifier that is the mean per-pixel uncertainty (``1 - max probability``, scaled
  to [0, 1]) over the image's **least sure 10% of pixels**, so an image with one doubtful
  region ranks high even when the rest is easy. The most uncertain image comes next, drawn
  in pre-segmented;
* **live**: on the image shown, every edit starts a background refit on the submitted
  images plus this image's strokes, and the new segmentation and its uncertainty map (the
  ``U`` key) replace the suggestions (:mod:`._segment_live`);
* **origins**: a mask the annotator made that holds at least half of a suggestion's
  pixels was taken from it (accepting does that) and is stored under the suggestion's id,
  so :attr:`~nbannotate.session.Session.labels` says ``origin="accepted"`` (``edited`` when
  its pixels differ from what the model first drew); masks painted from scratch say
  ``"human"``. Records passed to ``submit(records)`` keep their ids, as in every task
  (:mod:`._segment_match`).

``annotator_options``: ``brush_radius`` (image pixels) and ``label`` (the label painted first).

Examples
--------
>>> import numpy as np
>>> task = SegmentTask(["sky", "sea"], {}, np.zeros((20, 30, 3), dtype=np.uint8))
>>> task.widget.tool, task.default_model().labels
('brush', ['sky', 'sea'])
>>> top = {"size": [20, 30], "counts": [0] + [10, 10] * 30}
>>> task.show(np.zeros((20, 30, 3), dtype=np.uint8), records=[], suggestions=[
...     {"id": "s1", "label": "sky", "mask": top, "score": 0.9}])
>>> task.accept()
['s1']
>>> [(r["id"], r["label"], r["source"]) for r in task.records()], task.suggestions()
([('s1', 'sky', 'human')], [])
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from ._segment_live import SessionLiveRefit
from ._segment_match import match_suggestions, with_suggestion_ids
from ._tasks_structured import StructuredTask

__all__ = ["SegmentTask"]


class SegmentTask(StructuredTask):
    """Masks and polygons in an :class:`~nbannotate.ImageAnnotator`; model: PixelClassifier.

    Items are images (arrays, paths, PNG/JPEG bytes); see the module docstring for how
    training, the queue, the live refit and the origins of masks work.

    Attributes
    ----------
    live : SessionLiveRefit
        The background refit that follows the person's strokes on the image shown.
    """

    name = "segment"
    item_kinds = ("image",)
    record_kinds = ("mask", "polygon")
    columns = ()
    record_fields = ("masks", "polygons")
    suggestion_noun = "mask suggestion"
    reserved_options = ("image", "labels", "masks", "polygons", "mask_suggestions", "boxes",
                        "keypoints", "suggestions", "keypoint_labels", "skeleton", "tool",
                        "transcribe")

    def __init__(self, labels: Sequence[str], options: dict[str, Any], item: Any) -> None:
        self._loading = 0
        self._given: set[str] = set()  # ids that say where their masks come from already
        self._edit_callbacks: list[Callable[[], Any]] = []
        self._lock = threading.RLock()
        super().__init__(labels, options, item)
        self.live = SessionLiveRefit(self.widget, self.default_model())
        self.widget.observe(self._edited, names=["masks", "polygons"])

    # -- what a structured task defines ----------------------------------------------------
    def make_widget(self, item: Any) -> Any:
        from ..image.annotator import ImageAnnotator

        return ImageAnnotator(item, self.labels, tool="brush", **self.options)

    def default_model(self) -> Any:
        from ..models import PixelClassifier

        return PixelClassifier(labels=self.labels)

    def attach_runner(self, runner: Any) -> None:
        """The session's model runner: the live refit copies its model and reads its
        training set."""
        self.live.runner = runner
        self.live.prototype = runner.prototype

    def field_of(self, record: dict[str, Any]) -> str:
        return "polygons" if "points" in record else "masks"

    def load(self, item: Any, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        masks = [r for r in records if "points" not in r]
        polygons = [r for r in records if "points" in r]
        with self._lock, self.live.showing(item):
            self._loading += 1
            try:
                with self.widget.hold_sync():
                    self.widget.set_image(item, masks=masks, polygons=polygons)
                    self.widget.mask_suggestions = list(suggestions)
                self._given = {str(r["id"]) for r in self.widget.masks}
            finally:
                self._loading -= 1
        if suggestions:
            self.live.request_overlay()

    def hide(self) -> None:
        with self.live.showing(None):
            super().hide()

    def store_context(self) -> dict[str, Any]:
        return {"kind": None, "image_size": self.widget.image_size, "labels": self.labels}

    def item_context(self, item: Any) -> dict[str, Any]:
        return {"kind": None, "labels": self.labels}

    # -- records and suggestions ------------------------------------------------------------
    def records(self) -> list[dict[str, Any]]:
        masks = with_suggestion_ids(self.widget.masks, self.widget.mask_suggestions,
                                    self._given)
        return masks + [dict(r) for r in self.widget.polygons]

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        """Replace the person's masks and polygons; their ids are kept as given (a mask
        whose id is a suggestion's counts as accepted, any other as drawn)."""
        self._loading += 1  # the caller's records, not strokes: no live refit
        try:
            super().set_records(records)
        finally:
            self._loading -= 1
        self._given = {str(r["id"]) for r in self.widget.masks}

    def suggestions(self) -> list[dict[str, Any]]:
        current = list(self.widget.mask_suggestions)
        taken = match_suggestions(self.widget.masks, current, self._given)
        return [dict(s) for s in current if s["id"] not in taken]

    def set_suggestions(self, records: Sequence[dict[str, Any]]) -> None:
        with self.live.showing_lock():  # not while a live result is being drawn in
            self.widget.mask_suggestions = list(records)
        if records:
            self.live.request_overlay()

    def accept(self, ids: Sequence[str] | str | None = None) -> list[str]:
        """Accept mask suggestions (all by default) as Enter does: their pixels that nothing
        covers yet join the person's masks. Returns the ids of the suggestions taken."""
        chosen = self._chosen(ids)
        if chosen:
            self.widget.accept_mask_suggestions(sorted({s["label"] for s in chosen}))
        taken = match_suggestions(self.widget.masks, self.widget.mask_suggestions,
                                  self._given)
        return [s["id"] for s in chosen if s["id"] in taken]

    def reject(self, ids: Sequence[str] | str | None = None) -> list[str]:
        gone = {s["id"] for s in self._chosen(ids)}
        self.widget.mask_suggestions = [s for s in self.widget.mask_suggestions
                                        if s["id"] not in gone]
        return sorted(gone)

    # -- edits ----------------------------------------------------------------------------------
    def on_edit(self, callback: Callable[[], Any]) -> None:
        self._edit_callbacks.append(callback)

    def _edited(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return  # the session set the image and its records
        for callback in list(self._edit_callbacks):
            callback()
        self.live.request_refit()

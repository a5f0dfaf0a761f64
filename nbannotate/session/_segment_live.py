"""The live refit of a segment Session: the image on screen follows the person's strokes.

A :class:`SessionLiveRefit` belongs to one :class:`~nbannotate.session._tasks_segment.SegmentTask`.
After each edit of the image shown (a brush or eraser stroke, a polygon, accepted masks) it
refits, in a background thread, a fresh copy of the session's model on **the images
submitted so far and the image shown as it is now**, and draws the prediction in as the
image's mask suggestions and its per-pixel uncertainty as the overlay (``U``). The strokes
on the image shown weigh about a quarter of the training rows (:data:`SHOWN_SHARE`; the
image's entry is repeated), so that a few corrective strokes are not drowned by the pixels
of the submitted images. It is the
session's counterpart of :class:`~nbannotate.LiveSegmentation`, which learns from one image
alone; here the pre-segmentation the session drew in is kept until the refit replaces it, even
when the strokes so far have one label.

How it stays out of the session's way:

* it never fits the session's model: each refit fits its own copy (``sklearn.base.clone``),
  reading the session's training set as a snapshot (:meth:`ModelRunner.training`), so the
  session's refit thread and this one share no mutable state (the copies share their
  thread-safe caches of features and training rows);
* it gives way to the session's refit, which orders the queue: an overlay waits until the
  session's model is idle, a refit after strokes waits for it at most one second
  (:data:`RUNNER_PATIENCE`), so on two cores the two rarely compete for the processor;
* the session swaps a newer model's suggestions in only while the person has not touched the
  image, and this refit runs only once they have: the two never write the suggestions of one
  showing;
* every result is tagged with the showing it was computed for and drawn in only if that
  image is still on screen, under the lock the task holds while it shows an image: showing
  another image (or closing the widget) drops whatever is in flight, and a result is never
  drawn half-way through a change of image. (Results are drawn from this thread, as
  :class:`~nbannotate.LiveSegmentation` does, so that they also appear while a cell runs.)
* its suggestions keep the id of the suggestion of the same label they replace, so the
  review of the item still recognizes a mask taken from them (:mod:`._segment_match`).

When an image is shown with the session model's suggestions, the same thread computes that
model's uncertainty map for the overlay.

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator
>>> from nbannotate.models import PixelClassifier
>>> image = np.zeros((30, 40, 3), dtype=np.uint8); image[:, 20:] = 200
>>> w = ImageAnnotator(image, labels=["dark", "bright"], tool="brush")
>>> live = SessionLiveRefit(w, PixelClassifier(labels=["dark", "bright"]))
>>> with live.showing(image):
...     pass  # the task sets the image and its records here
>>> _ = w.paint("dark", [[5, 5], [5, 25]], radius=2)
>>> _ = w.paint("bright", [[35, 5], [35, 25]], radius=2)
>>> live.request_refit(); live.wait(30)
True
>>> sorted(s["label"] for s in w.mask_suggestions), live.refits
(['bright', 'dark'], 1)
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..models._pixel_masks import masks_from_proba

__all__ = ["SessionLiveRefit"]

log = logging.getLogger(__name__)

#: Share of the training rows the strokes on the image shown should have: a few strokes
#: correcting the model would otherwise drown among the submitted images' pixels (the
#: image's entry is repeated, its rows computed once).
SHOWN_SHARE = 0.25
MAX_REPEAT = 200
#: Seconds a refit after strokes waits for the session's own refit and scoring to finish
#: before it runs alongside (an uncertainty overlay waits as long as they take).
RUNNER_PATIENCE = 1.0


def _same_item(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and np.shares_memory(a, b)
    if isinstance(a, (str, bytes)) and type(a) is type(b):
        return a == b
    return False


def _labels_in(records: list[dict[str, Any]]) -> set[str]:
    return {r["label"] for r in records if "mask" in r or "points" in r}


def _stroke_weight(model: Any, current: list[dict[str, Any]], n_images: int) -> int:
    """How many times the image shown enters the training set (see SHOWN_SHARE)."""
    budget = getattr(model, "max_samples", None)
    if not n_images or not isinstance(budget, int):
        return 1
    from ..formats.rle import rle_area

    painted = sum(rle_area(r["mask"]) for r in current if "mask" in r)
    for record in current:
        if "points" in record:  # shoelace area
            x, y = np.asarray(record["points"], dtype=np.float64).T
            painted += abs(float(x @ np.roll(y, -1) - y @ np.roll(x, -1))) / 2
    return int(np.clip(np.ceil(SHOWN_SHARE * budget / max(painted, 1)), 1, MAX_REPEAT))


class SessionLiveRefit:
    """Refit on the submitted images plus the image shown, after each edit (see module doc).

    Parameters
    ----------
    widget : ImageAnnotator
        The session's annotator.
    prototype : object
        The session's model (copied for each refit, never fitted itself).

    Attributes
    ----------
    runner : ModelRunner or None
        The session's model runner (its training set and latest model), once attached.
    refits : int
        Refits drawn in so far.
    fit_seconds : float
        Wall-clock time of the last refit and prediction.
    status : str
        What the last job did (or why it did not run).
    error : str or None
        The last job's error (also shown in the widget), None when it worked.
    """

    def __init__(self, widget: Any, prototype: Any) -> None:
        self.widget = widget
        self.prototype = prototype
        self.runner: Any = None
        self.refits = 0
        self.fit_seconds = 0.0
        self.status = "idle"
        self.error: str | None = None
        self._cond = threading.Condition()
        self._showing = 0
        self._item: Any = None
        self._job: str | None = None
        self._refitted = False
        self._running = False
        self._closed = False
        self._thread: threading.Thread | None = None
        widget.observe(self._widget_closed, names="comm")

    # -- what the task tells it -----------------------------------------------------------------
    @contextlib.contextmanager
    def showing(self, item: Any) -> Iterator[None]:
        """Put a new image (or None: nothing) on screen inside this block: what was asked
        for the old one is dropped, and no result is drawn in while the block runs."""
        with self._cond:
            self._showing += 1
            self._item = item
            self._job = None
            self._refitted = False
            if self.error is not None and self.widget.error.startswith("Live segmentation"):
                self.widget.error = ""  # it was about the image before
            self.error = None
            yield

    def showing_lock(self) -> threading.Condition:
        """The lock held while an image is put on screen and while a result is drawn in."""
        return self._cond

    def request_refit(self) -> None:
        """The person edited the image shown: refit (several requests during a refit make
        one more)."""
        with self._cond:
            if self._closed or self._item is None:
                return
            self._job = "refit"
            self._start()

    def request_overlay(self) -> None:
        """The image shown got the session model's suggestions: draw that model's
        uncertainty (unless a refit of this showing is asked for or done)."""
        with self._cond:
            if self._closed or self._item is None or self._refitted or self._job == "refit":
                return
            self._job = "overlay"
            self._start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no job runs or waits; False when ``timeout`` s passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._running or self._job is not None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    @property
    def running(self) -> bool:
        """True while a job runs or waits."""
        with self._cond:
            return self._running or self._job is not None

    def close(self, timeout: float = 10.0) -> None:
        """No more jobs; a job under way is dropped, and waited for (``timeout`` s at most)
        so that no refit outlives the session."""
        with self._cond:
            self._closed = True
            self._job = None
            self._showing += 1
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _widget_closed(self, change: dict[str, Any]) -> None:
        if change.get("new") is None:
            self.close()

    # -- the worker -----------------------------------------------------------------------------
    def _start(self) -> None:
        if not self._running:
            self._running = True
            self._thread = threading.Thread(target=self._work, name="nbannotate-segment-live",
                                            daemon=True)
            self._thread.start()

    def _work(self) -> None:
        try:
            while True:
                with self._cond:
                    if self._job is None or self._closed:
                        # Decided under the lock: a request made from now on starts a thread.
                        self._running = False
                        self._cond.notify_all()
                        return
                    showing = self._showing
                self._give_way(showing)
                with self._cond:
                    if self._closed or showing != self._showing:
                        continue  # another image: its own request, if any, is next
                    job, item = self._job, self._item
                    self._job = None
                    if job is None:
                        continue
                    masks, polygons = list(self.widget.masks), list(self.widget.polygons)
                began = time.perf_counter()
                try:
                    result = (self._refit(item, masks + polygons) if job == "refit"
                              else self._overlay(item))
                    if result is not None:
                        self._publish(showing, job, result, time.perf_counter() - began)
                except Exception as error:  # shown in the widget; the session goes on
                    log.warning("live segmentation %s failed: %r", job, error)
                    self._fail(showing, f"{type(error).__name__}: {error}")
        finally:
            with self._cond:
                if self._running and threading.current_thread() is self._thread:
                    self._running = False  # an error escaped the loop
                    self._cond.notify_all()

    def _give_way(self, showing: int) -> None:
        """Wait while the session's model refits or scores: an overlay as long as it takes,
        a refit after strokes at most :data:`RUNNER_PATIENCE` seconds."""
        runner = self.runner
        if runner is None:
            return
        deadline = None
        while not runner.wait(0.05):
            with self._cond:
                if self._closed or showing != self._showing:
                    return
                if deadline is None and self._job == "refit":
                    deadline = time.monotonic() + RUNNER_PATIENCE
            if deadline is not None and time.monotonic() >= deadline:
                return

    def _refit(self, item: Any, current: list[dict[str, Any]],
               ) -> tuple[list[dict[str, Any]] | None, np.ndarray | None] | None:
        from ..active._fitting import limit_threads
        from ._structured_calls import fresh_copy, suggest

        items, annotations = self.runner.training() if self.runner is not None else ([], [])
        kept = [(i, a) for i, a in zip(items, annotations, strict=True)
                if not _same_item(i, item)]
        repeat = _stroke_weight(self.prototype, current, len(kept))
        items = [i for i, _ in kept] + [item] * repeat
        annotations = [a for _, a in kept] + [current] * repeat
        seen = set().union(*(_labels_in(a) for a in annotations))
        if len(seen) < 2:
            self.status = "waiting for strokes of a second label"
            return None
        model = fresh_copy(self.prototype)
        with limit_threads():
            fitted = model.fit(items, annotations)
            model = fitted if fitted is not None else model
            if callable(getattr(model, "predict_proba", None)) and hasattr(model, "labels_"):
                proba = np.asarray(model.predict_proba(item))
                skip = getattr(model, "background", None)  # left out, as its own masks do
                return masks_from_proba(proba, list(model.labels_),
                                         [n for n in self.widget.labels if n != skip])
            records, _ = suggest(model, [item])
        return records[0], None

    def _overlay(self, item: Any) -> tuple[None, np.ndarray] | None:
        from ..active._fitting import limit_threads

        model = self.runner.model if self.runner is not None else None
        if model is None or not callable(getattr(model, "predict_proba", None)):
            return None
        with limit_threads():
            proba = np.asarray(model.predict_proba(item))
        return None, masks_from_proba(proba, list(getattr(model, "labels_", [])), [])[1]

    # -- drawing in (under the lock that showing an image holds) -------------------------------
    def _publish(self, showing: int, job: str, result: tuple[Any, Any], seconds: float) -> None:
        from ..records import new_id

        records, doubt = result
        with self._cond:
            if self._closed or showing != self._showing or (job == "overlay"
                                                            and self._refitted):
                return  # another image is on screen, or a refit drew in meanwhile
            w = self.widget
            with w.hold_sync():
                if records is not None:
                    ids = {s["label"]: s["id"] for s in w.mask_suggestions}
                    w.mask_suggestions = [{**r, "id": ids.get(r["label"]) or new_id()}
                                          for r in records]
                if doubt is not None and doubt.shape == (w.image_height, w.image_width):
                    w.set_uncertainty(doubt)
            if job == "refit":
                self._refitted = True
                self.refits += 1
                self.fit_seconds = seconds
                self.status = f"refit {self.refits} in {seconds:.2f} s"
            if self.error is not None and w.error.startswith("Live segmentation"):
                w.error = ""
            self.error = None

    def _fail(self, showing: int, text: str) -> None:
        with self._cond:
            self.error = text
            self.status = "failed"
            if showing == self._showing and not self._closed:
                self.widget.error = f"Live segmentation failed: {text}"

"""LiveSegmentation: a pixel classifier that learns from the brush while the person paints.

The annotator knows nothing of models; this small composer joins an
:class:`~nbannotate.ImageAnnotator` and a pixel classifier
(:class:`~nbannotate.models.PixelClassifier` by default):

* it observes ``annotator.masks`` (a finished stroke in the browser, ``paint()`` from Python,
  an accepted suggestion) and asks for a refit;
* refits run in one background thread, never in the kernel's or the browser's way, with
  BLAS/OpenMP capped at one thread; strokes that arrive during a refit are coalesced into
  the next one;
* each refit publishes the predicted segmentation as ``annotator.mask_suggestions`` (one
  record per label, ``source="model"``, ``score`` = the label's mean probability over its
  pixels) and the per-pixel uncertainty (``1 - max probability``, scaled to [0, 1]) as the
  widget's uncertainty overlay (``U`` shows it). The person paints where the model is wrong
  or unsure, and accepts the result (Enter, or *Accept masks*) as masks.

Any model with ``fit(image, mask_records)``, ``predict_proba(image) -> (H, W, K)`` and
``labels_`` (the K label names) can stand in for the PixelClassifier.

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator, LiveSegmentation
>>> image = np.zeros((60, 80, 3), dtype=np.uint8); image[:, 40:] = 200
>>> w = ImageAnnotator(image, labels=["dark", "bright"])
>>> live = LiveSegmentation(w)
>>> _ = w.paint("dark", [[10, 10], [10, 50]], radius=3)
>>> _ = w.paint("bright", [[70, 10], [70, 50]], radius=3)
>>> live.wait(30)
True
>>> w.mask_array("dark").sum() > 0, sorted(s["label"] for s in w.mask_suggestions)
(np.True_, ['bright', 'dark'])
>>> live.close()
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import numpy as np

__all__ = ["LiveSegmentation"]


class LiveSegmentation:
    """Refit a pixel classifier on an annotator's masks after every stroke, in the background.

    Parameters
    ----------
    annotator : ImageAnnotator
        The widget whose ``masks`` are the training scribbles.
    model : object, optional
        ``fit(image, mask_records)``, ``predict_proba(image)`` and ``labels_``; default
        ``PixelClassifier(labels=annotator.labels)``.
    image : numpy.ndarray, optional
        The pixels to classify (default: ``annotator.image_array()``, the widget's image).
    uncertainty : bool, default True
        Publish the uncertainty overlay too.

    Attributes
    ----------
    refits : int
        Refits finished so far.
    fit_seconds : float
        Wall-clock time of the last refit + prediction.
    status : str
        What the last refit did (or why it did not run).
    error : str or None
        The last refit's error (also shown in the widget), None when it worked.
    mean_uncertainty : float or None
        Mean per-pixel uncertainty of the last prediction (it falls as the model improves).
    last_uncertainty : ndarray (height, width) or None
        The last prediction's per-pixel uncertainty in [0, 1] (where to paint next).

    Examples
    --------
    >>> import numpy as np
    >>> from nbannotate import ImageAnnotator
    >>> w = ImageAnnotator(np.zeros((20, 20)), labels=["a", "b"])
    >>> with LiveSegmentation(w) as live:
    ...     _ = w.paint("a", [[5, 5]], radius=2)
    ...     _ = live.wait(10)
    ...     live.status
    'waiting for strokes of at least two labels'
    """

    def __init__(self, annotator: Any, model: Any = None, *, image: Any = None,
                 uncertainty: bool = True) -> None:
        from ..image.annotator import ImageAnnotator

        if not isinstance(annotator, ImageAnnotator):
            raise TypeError(f"annotator must be an ImageAnnotator, got "
                            f"{type(annotator).__name__}")
        if model is None:
            from ..models import PixelClassifier

            model = PixelClassifier(labels=list(annotator.labels))
        for method in ("fit", "predict_proba"):
            if not callable(getattr(model, method, None)):
                raise TypeError(f"model must have fit(image, masks) and predict_proba(image); "
                                f"{type(model).__name__} has no {method}()")
        if not isinstance(uncertainty, bool):
            raise TypeError(f"uncertainty must be True or False, got {uncertainty!r}")
        if image is not None:
            if not isinstance(image, np.ndarray) or image.ndim not in (2, 3):
                raise TypeError(f"image must be a numpy array of H×W or H×W×C pixels, got "
                                f"{type(image).__name__}")
            if image.shape[:2] != (annotator.image_height, annotator.image_width):
                raise ValueError(f"image must have the annotator's size (height, width) = "
                                 f"{(annotator.image_height, annotator.image_width)}, got "
                                 f"{image.shape[:2]}")
        self.annotator = annotator
        self.model = model
        self.uncertainty = uncertainty
        self._image_given = image
        self._image_cache: tuple[int, Any] | None = None
        self.refits = 0
        self.fit_seconds = 0.0
        self.status = "idle"
        self.error: str | None = None
        self.mean_uncertainty: float | None = None
        self.last_uncertainty: np.ndarray | None = None
        self._cond = threading.Condition()
        self._pending = False
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="nbannotate-live-segmentation",
                                        daemon=True)
        self._thread.start()
        annotator.observe(self._masks_changed, names="masks")
        if annotator.masks:
            self.refit()

    # -- control -----------------------------------------------------------------------------
    def refit(self) -> None:
        """Ask for a refit (returns at once; several requests during a refit make one more).

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((8, 8)), labels=["a", "b"])
        >>> with LiveSegmentation(w) as live:
        ...     live.refit()          # strokes do this by themselves
        ...     live.wait(10), live.refits   # under two painted labels: nothing to learn yet
        (True, 0)
        """
        with self._cond:
            if self._closed:
                raise RuntimeError("this LiveSegmentation is closed")
            self._pending = True
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no refit is running or asked for; False if ``timeout`` s passed first.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> live = LiveSegmentation(ImageAnnotator(np.zeros((8, 8)), labels=["a"]))
        >>> live.wait(1)
        True
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> None:
        """Stop observing the annotator and end the background thread.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> live = LiveSegmentation(ImageAnnotator(np.zeros((8, 8)), labels=["a"]))
        >>> live.close()
        >>> live.refit()
        Traceback (most recent call last):
        ...
        RuntimeError: this LiveSegmentation is closed
        """
        with contextlib.suppress(ValueError):  # already unobserved
            self.annotator.unobserve(self._masks_changed, names="masks")
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=30)

    def __enter__(self) -> LiveSegmentation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """True while a refit runs or is asked for."""
        with self._cond:
            return self._pending or self._busy

    def __repr__(self) -> str:
        return f"LiveSegmentation(refits={self.refits}, status={self.status!r})"

    # -- the background thread ---------------------------------------------------------------------
    def _masks_changed(self, _change: dict[str, Any]) -> None:
        with self._cond:
            if not self._closed:
                self._pending = True
                self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if self._closed:
                    self._busy = False
                    self._cond.notify_all()
                    return
                self._pending = False
                self._busy = True
            try:
                self._refit_once()
                if self.error is not None and self.annotator.error.startswith("Live segm"):
                    self.annotator.error = ""
                self.error = None
            except Exception as error:  # shown in the widget; the thread keeps serving
                self.error = f"{type(error).__name__}: {error}"
                self.status = "failed"
                self.annotator.error = f"Live segmentation failed: {self.error}"
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _pixels(self, generation: int) -> Any:
        if self._image_given is not None:
            return self._image_given
        if self._image_cache is None or self._image_cache[0] != generation:
            self._image_cache = (generation, self.annotator.image_array())
        return self._image_cache[1]

    def _refit_once(self) -> None:
        from ..active._fitting import limit_threads
        from ..models._pixel_masks import masks_from_proba

        w = self.annotator
        generation = w._image_generation
        masks = list(w.masks)  # the list is replaced on every edit, never mutated
        painted = {m["label"] for m in masks}
        if len(painted) < 2:
            self.status = "waiting for strokes of at least two labels"
            if w.mask_suggestions:
                w.mask_suggestions = []
            w.set_uncertainty(None)
            return
        began = time.perf_counter()
        image = self._pixels(generation)
        with limit_threads():
            self.model.fit(image, masks)
            proba = np.asarray(self.model.predict_proba(image))
        names = list(getattr(self.model, "labels_", w.labels))
        if proba.ndim != 3 or proba.shape[:2] != (w.image_height, w.image_width) \
                or proba.shape[2] != len(names):
            raise ValueError(f"predict_proba gave shape {proba.shape}; expected (height, width, "
                             f"{len(names)}) = ({w.image_height}, {w.image_width}, "
                             f"{len(names)})")
        records, uncertainty = masks_from_proba(proba, names, w.labels)
        with w._while_image(generation) as current:
            if not current:
                self.status = "the image changed during the refit: its result was dropped"
                return
            with w.hold_sync():
                w.mask_suggestions = records
                if self.uncertainty:
                    w.set_uncertainty(uncertainty)
        self.fit_seconds = time.perf_counter() - began
        self.refits += 1
        self.mean_uncertainty = float(uncertainty.mean())
        self.last_uncertainty = uncertainty
        self.status = (f"refit {self.refits} on {len(painted)} labels in "
                       f"{self.fit_seconds:.2f} s")

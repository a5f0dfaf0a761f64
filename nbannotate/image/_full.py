"""The image of an ImageAnnotator on the wire: the full resolution, sent on demand.

Small images are sent whole with the widget. A large one is shown from a display-sized
preview first (``preview_data``); the browser asks for the full resolution (a ``load_full``
message) once the preview is on screen, and :meth:`FullImageLoader.load` encodes it in a
background thread, so the kernel keeps answering meanwhile. A full resolution encoded for an
image that was replaced in the meantime is dropped.

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator
>>> w = ImageAnnotator(np.zeros((2000, 100), dtype=np.uint8), labels=["a"])
>>> w.image_size, w.preview_scale, len(w.image_data)
((100, 2000), 2, 0)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ._preview import ImageSource

__all__ = ["FullImageLoader", "image_traits"]


def image_traits(source: ImageSource) -> dict[str, Any]:
    """The widget's image traits for ``source`` (the full bytes only when there is no preview).

    Examples
    --------
    >>> import numpy as np
    >>> from ._preview import prepare_image
    >>> traits = image_traits(prepare_image(np.zeros((3, 4), dtype=np.uint8)))
    >>> traits["image_width"], traits["image_height"], traits["image_data"][:4]
    (4, 3, b'\\x89PNG')
    """
    width, height = source.size
    return {"image_width": width, "image_height": height, "image_mime": source.mime,
            "preview_data": source.preview, "preview_mime": source.preview_mime,
            "preview_scale": source.preview_scale,
            # Small images are sent whole at once; large ones after the preview.
            "image_data": (b"" if source.preview or source.preview_pending
                           else source.full_bytes())}


class FullImageLoader:
    """The image being shown, its generation, and the job encoding its full resolution.

    Parameters
    ----------
    source : ImageSource
        The first image.
    publish : callable
        ``publish(data)`` hands the encoded full resolution to the widget (its
        ``image_data``); called with the loader's lock held.
    has_data : callable
        ``has_data()`` tells whether the widget holds the full resolution already.

    Examples
    --------
    >>> import numpy as np
    >>> from ._preview import prepare_image
    >>> sent = []
    >>> loader = FullImageLoader(prepare_image(np.zeros((2000, 10), dtype=np.uint8)),
    ...                          publish=sent.append, has_data=lambda: bool(sent))
    >>> loader.load(wait=True)
    >>> sent[0][:4], loader.generation
    (b'\\x89PNG', 0)
    """

    def __init__(self, source: ImageSource, *, publish: Callable[[bytes], None],
                 has_data: Callable[[], bool]) -> None:
        self.source = source
        self.generation = 0
        self.job: threading.Thread | None = None
        self._publish = publish
        self._has_data = has_data
        self._lock = threading.Lock()

    def replace(self, source: ImageSource) -> None:
        """Show ``source`` from now on: a job still encoding the previous image is dropped."""
        with self._lock:
            self.source = source
            self.generation += 1

    def load(self, *, wait: bool = False) -> None:
        """Publish the full resolution (encoded in a thread when it is not encoded yet)."""
        with self._lock:
            job = self.job
            if self._has_data() or (job is not None and job.is_alive()):
                start = None
            else:
                start = (self.source, self.generation)
                job = None
                if not self.source.full_ready:
                    job = threading.Thread(target=self._encode, args=start,
                                           name="nbannotate-full-image", daemon=True)
                    self.job = job
        if start is not None:
            if job is None:
                self._encode(*start)  # nothing to encode: send at once
            else:
                job.start()
        if wait and job is not None:
            job.join()

    @contextlib.contextmanager
    def holding(self, generation: int) -> Iterator[bool]:
        """Hold the image steady: yields whether ``generation`` is still the image shown.

        A thread that computed something for an image publishes it inside this block, so a
        new image set meanwhile never receives the previous image's result.
        """
        with self._lock:
            yield generation == self.generation

    def _encode(self, source: ImageSource, generation: int) -> None:
        data = source.full_bytes()
        with self.holding(generation) as current:
            if current:  # else another image was set meanwhile
                self._publish(data)

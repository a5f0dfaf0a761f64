"""The image of an ImageAnnotator on the wire: its traits, and the full resolution on demand.

Small images are sent whole with the widget. A large one is shown from a display-sized
preview first (``preview_data``); the browser asks for the full resolution (a ``load_full``
message) once the preview is on screen, and :meth:`FullImageMixin.load_full_image` encodes it
in a background thread, so the kernel keeps answering meanwhile. A full resolution encoded
for an image that was replaced in the meantime is dropped.

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
from collections.abc import Iterator
from typing import Any

import traitlets

from ._preview import ImageSource

__all__ = ["FullImageMixin"]


class FullImageMixin(traitlets.HasTraits):
    """The image traits of :class:`nbannotate.ImageAnnotator` and sending the full resolution.

    The concrete widget sets ``_source``, ``_image_generation``, ``_full_lock`` and
    ``_full_job`` before it opens.

    Examples
    --------
    >>> import numpy as np
    >>> from nbannotate import ImageAnnotator
    >>> ImageAnnotator(np.zeros((20, 30)), labels=["a"]).image_size
    (30, 20)
    """

    #: Full-resolution encoded image (empty until the browser asks, when there is a preview).
    image_data = traitlets.Bytes(b"").tag(sync=True)
    image_mime = traitlets.Unicode("image/png").tag(sync=True)
    image_width = traitlets.Int(0).tag(sync=True)
    image_height = traitlets.Int(0).tag(sync=True)
    #: Display-sized preview shown first (empty when the image is small).
    preview_data = traitlets.Bytes(b"").tag(sync=True)
    preview_mime = traitlets.Unicode("image/png").tag(sync=True)
    #: Image pixels per preview pixel.
    preview_scale = traitlets.Int(1).tag(sync=True)

    _source: ImageSource
    _image_generation: int
    _full_lock: threading.Lock
    _full_job: threading.Thread | None

    # -- the image ------------------------------------------------------------------------
    @staticmethod
    def _image_traits(source: ImageSource) -> dict[str, Any]:
        width, height = source.size
        return {"image_width": width, "image_height": height, "image_mime": source.mime,
                "preview_data": source.preview, "preview_mime": source.preview_mime,
                "preview_scale": source.preview_scale,
                # Small images are sent whole at once; large ones after the preview.
                "image_data": (b"" if source.preview or source.preview_pending
                               else source.full_bytes())}

    @property
    def image_size(self) -> tuple[int, int]:
        """(width, height) of the original image in pixels."""
        return (self.image_width, self.image_height)

    def load_full_image(self, *, wait: bool = False) -> None:
        """Send the full-resolution image to the browser (it asks by itself after the preview).

        Arrays are PNG-encoded in a background thread, so the kernel keeps answering while a
        large image is encoded.

        Parameters
        ----------
        wait : bool
            Return only once ``image_data`` is set.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate import ImageAnnotator
        >>> w = ImageAnnotator(np.zeros((2000, 100), dtype=np.uint8), labels=["a"])
        >>> len(w.image_data)
        0
        >>> w.load_full_image(wait=True)
        >>> w.image_data[:4]
        b'\\x89PNG'
        """
        with self._full_lock:
            job = self._full_job
            if self.image_data or (job is not None and job.is_alive()):
                start = None
            else:
                start = (self._source, self._image_generation)
                job = None
                if not self._source.full_ready:
                    job = threading.Thread(target=self._encode_full, args=start,
                                           name="nbannotate-full-image", daemon=True)
                    self._full_job = job
        if start is not None:
            if job is None:
                self._encode_full(*start)  # nothing to encode: send at once
            else:
                job.start()
        if wait and job is not None:
            job.join()

    @contextlib.contextmanager
    def _while_image(self, generation: int) -> Iterator[bool]:
        """Hold the image steady: yields whether ``generation`` is still the image shown.

        A thread that computed something for an image publishes it inside this block, so a
        new image set meanwhile never receives the previous image's result.
        """
        with self._full_lock:
            yield generation == self._image_generation

    def _encode_full(self, source: ImageSource, generation: int) -> None:
        data = source.full_bytes()
        with self._while_image(generation) as current:
            if current:  # else another image was set meanwhile
                self.image_data = data

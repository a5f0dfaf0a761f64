"""Video and image stacks as frames on demand: :func:`open_video` and :class:`VideoFrames`.

Sources:

* a path to a video file (MP4/H.264, WebM, MOV, AVI, ...), decoded with PyAV (FFmpeg) frame
  by frame on demand, uint8 RGB;
* a path to a multi-page TIFF (a z-stack or a time series), one page a frame;
* a numpy array ``(T, H, W)`` or ``(T, H, W, C)`` of any dtype (values kept: showing them
  follows the image contrast rules of :mod:`nbannotate.media.display`);
* a list of images: arrays, or paths readable by :func:`nbannotate.media.images.read_image`.

Decoded frames are kept in a least-recently-used cache bounded by ``cache_bytes``, whatever
the video's length. A frame that cannot be decoded (a corrupt packet, an unreadable or
mismatched image file) is returned blank, listed in ``bad_frames()`` (with its cause in
``bad_frame_causes()``) and reported once per read by a :class:`BadFrameWarning`. How video
files are indexed and sought (by presentation timestamp, variable frame rates included) is
told in :mod:`nbannotate.media._video_pyav`.

Examples
--------
>>> import numpy as np
>>> stack = np.arange(24, dtype=np.uint16).reshape(3, 2, 4)
>>> with open_video(stack, fps=10) as video:
...     video.num_frames, video.fps, video.frame(2)[0].tolist(), video.time_of(2)
(3, 10.0, [16, 17, 18, 19], 0.2)
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from ._frames import BadFrameWarning, VideoFrames, check_fps
from ._video_stacks import ArrayFrames, ImageListFrames, TiffFrames, is_tiff

__all__ = ["BadFrameWarning", "VideoFrames", "open_video"]

#: The default bound on decoded frames kept in memory (192 MiB: with the H.264 decoder's own
#: buffers, about 50 MiB, a 1080p video stays under 300 MB of kernel memory).
DEFAULT_CACHE_BYTES = 192 * 2**20


def open_video(source: Any, *, cache_bytes: int = DEFAULT_CACHE_BYTES,
               fps: float | None = None) -> VideoFrames:
    """Open a video file, a TIFF stack, an array or a list of images as frames on demand.

    Parameters
    ----------
    source : str, PathLike, ndarray, list or VideoFrames
        A video file (read with PyAV), a multi-page TIFF file, an array ``(T, H, W)`` or
        ``(T, H, W, C)`` of any numeric dtype (a ``numpy.memmap`` stays on disk: frames are
        views of it), a list of images (arrays or paths), or an open :class:`VideoFrames`
        (returned as it is).
    cache_bytes : int
        The bound on decoded frames kept in memory (least recently used evicted first);
        0 keeps none. Arrays are never copied, so they use no cache.
    fps : float, optional
        Frames per second. Defaults to the video's own rate, and to 1.0 for arrays, lists
        and TIFF stacks. Given for a video, it replaces the file's timing: frame ``k``
        starts at ``k / fps``.

    Returns
    -------
    VideoFrames
        Close it (or use ``with``) to release the file.

    Notes
    -----
    Video files: frame ``k`` is the frame with the ``k``-th smallest presentation
    timestamp, so a variable frame rate keeps every frame in order; ``time_of(k)`` is then
    that frame's own timestamp (from the first frame), ``frame_at`` its inverse, and ``fps``
    the average rate. Reading a frame seeks to the keyframe at or before it and decodes
    forward to it; reading on from where the decoder stands decodes on without seeking. A
    frame that cannot be decoded comes back blank and is listed in ``bad_frames()``; the
    frames decoded from a damaged one may show its artifacts. Frames are decoded as stored:
    a rotation in the file's metadata (phone videos) is not applied.

    Raises
    ------
    FileNotFoundError
        No file at the path (or at a listed image path).
    ValueError
        The file cannot be read as a video or TIFF stack (the message names the path and
        the cause), the array or list is empty or of the wrong shape.
    TypeError
        ``source`` is of no accepted type, or an unknown keyword argument is given.

    Examples
    --------
    >>> open_video([np.zeros((2, 2)), np.zeros((3, 3))])
    Traceback (most recent call last):
    ...
    ValueError: images[1]: every image must match the first one ((2, 2) float64), got (3, 3) float64
    """
    if isinstance(source, VideoFrames):
        if fps is not None:
            raise ValueError(f"fps: an open video keeps its rate ({source.fps:g} fps); open "
                             "the file again to give another one")
        source._check_open()
        return source
    stack_fps = 1.0 if fps is None else check_fps(fps)
    if isinstance(source, (str, PathLike)):
        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise FileNotFoundError(f"video: no file at {name!r}")
        if is_tiff(path):
            return TiffFrames(path, name=name, fps=stack_fps, cache_bytes=cache_bytes)
        from ._video_pyav import PyAVFrames

        return PyAVFrames(path, name=name, fps=None if fps is None else stack_fps,
                          cache_bytes=cache_bytes)
    if isinstance(source, np.ndarray):
        return ArrayFrames(source, name="array", fps=stack_fps, cache_bytes=cache_bytes)
    if isinstance(source, (list, tuple)):
        return ImageListFrames(list(source), name="images", fps=stack_fps,
                               cache_bytes=cache_bytes)
    if hasattr(source, "__array__"):
        return ArrayFrames(np.asarray(source), name="array", fps=stack_fps,
                           cache_bytes=cache_bytes)
    raise TypeError("video: expected a path to a video or TIFF file, a (T, H, W[, C]) array "
                    f"or a list of images, got {type(source).__name__}")

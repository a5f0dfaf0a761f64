"""Videos generated with PyAV for tests: moving shapes, every frame different and known.

Frame ``k`` shows a bright square moving right by ``step`` pixels a frame and a disc moving
down, over a dark gradient, with the frame number in binary as blocks along the top row
(so a decoded frame can be told from its neighbours even after lossy coding).

Examples
--------
>>> import tempfile, pathlib
>>> path = make_video(pathlib.Path(tempfile.mkdtemp()) / "clip.mp4", frames=3, size=(64, 48))
>>> path.stat().st_size > 0
True
"""

from __future__ import annotations

from fractions import Fraction
from os import PathLike
from pathlib import Path

import numpy as np

__all__ = ["CONTAINERS", "frame_number", "make_video", "synthetic_frame"]

#: container suffix -> a codec FFmpeg writes into it here
CONTAINERS = {"mp4": "libx264", "webm": "libvpx-vp9", "mov": "libx264", "avi": "mpeg4"}

_BITS = 12  # frame numbers up to 4095 are drawn as blocks


def synthetic_frame(k: int, size: tuple[int, int] = (160, 120), step: int = 3) -> np.ndarray:
    """Frame ``k`` of the generated video as uint8 RGB ``(height, width, 3)``.

    Examples
    --------
    >>> synthetic_frame(0, (32, 24)).shape
    (24, 32, 3)
    """
    width, height = size
    yy, xx = np.mgrid[0:height, 0:width]
    frame = np.empty((height, width, 3), dtype=np.uint8)
    frame[..., 0] = (xx * 60 // max(width, 1)).astype(np.uint8)
    frame[..., 1] = (yy * 60 // max(height, 1)).astype(np.uint8)
    frame[..., 2] = 40
    side = max(4, height // 6)
    x0 = (k * step) % max(width - side, 1)
    y0 = height // 3
    frame[y0:y0 + side, x0:x0 + side] = (230, 200, 40)
    radius = max(3, height // 10)
    cy = (height // 2 + k * step) % height
    cx = width // 2
    frame[(yy - cy) ** 2 + (xx - cx) ** 2 <= radius ** 2] = (40, 220, 230)
    block = max(2, width // (2 * _BITS))
    for bit in range(_BITS):
        on = (k >> bit) & 1
        frame[0:block, bit * 2 * block:(bit * 2 + 1) * block] = 255 if on else 0
    return frame


def frame_number(frame: np.ndarray) -> int:
    """Read the frame number back from the blocks along the top of a decoded frame.

    Examples
    --------
    >>> frame_number(synthetic_frame(37, (96, 64)))
    37
    """
    width = frame.shape[1]
    block = max(2, width // (2 * _BITS))
    value = 0
    for bit in range(_BITS):
        patch = frame[block // 4:block - block // 4,
                      bit * 2 * block + block // 4:(bit * 2 + 1) * block - block // 4]
        if patch.mean() > 127:
            value |= 1 << bit
    return value


def make_video(path: str | PathLike[str], *, frames: int = 30, size: tuple[int, int] = (160, 120),
               fps: float = 25.0, codec: str | None = None, gop: int = 12,
               options: dict[str, str] | None = None, pix_fmt: str = "yuv420p",
               step: int = 3, timestamps: list[int] | None = None,
               time_base: Fraction | None = None) -> Path:
    """Encode ``frames`` synthetic frames into a video file with PyAV; return its path.

    Parameters
    ----------
    path : str or PathLike
        The output file; its suffix picks the container (mp4, webm, mov, avi, mkv).
    frames : int
        The number of frames.
    size : (width, height)
        Even numbers for yuv420p.
    fps : float
        The frame rate.
    codec : str, optional
        ``"libx264"``, ``"libvpx-vp9"``, ``"mpeg4"``...; defaults to the container's in
        :data:`CONTAINERS`.
    gop : int
        Frames between keyframes (the group of pictures).
    options : dict, optional
        Encoder options (e.g. ``{"preset": "ultrafast"}``).
    step : int
        Pixels the shapes move each frame.
    timestamps : list of int, optional
        Presentation timestamps (in ``time_base`` units) for a variable frame rate; write
        such videos as ``.mkv`` (the MP4 muxer here rescales them and refuses).
    time_base : Fraction, optional
        The stream's time base when ``timestamps`` are given (default 1/1000).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = make_video(pathlib.Path(tempfile.mkdtemp()) / "a.avi", frames=2, size=(32, 32))
    >>> out.suffix
    '.avi'
    """
    import av

    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    codec = codec or CONTAINERS.get(suffix, "libx264")
    rate = Fraction(fps).limit_denominator(1001)
    width, height = size
    opts = {"preset": "ultrafast"} if codec == "libx264" else {}
    if codec == "libvpx-vp9":
        opts = {"deadline": "realtime", "cpu-used": "8"}
    opts.update(options or {})
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=rate, options=opts)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.gop_size = gop
        if timestamps is not None:
            stream.time_base = time_base or Fraction(1, 1000)
            stream.codec_context.time_base = stream.time_base
        if frames == 0:
            container.start_encoding()  # headers only: a video stream without frames
        for k in range(frames):
            image = av.VideoFrame.from_ndarray(synthetic_frame(k, size, step), format="rgb24")
            if timestamps is not None:
                image.pts = timestamps[k]
                image.time_base = stream.time_base
            for packet in stream.encode(image):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path

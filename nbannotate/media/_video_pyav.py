"""Video files decoded with PyAV (FFmpeg) frame by frame, on demand, frame-accurately.

Opening builds the frame index: frame ``k`` is the frame with the ``k``-th smallest
presentation timestamp (pts). MP4, MOV and AVI files carry an index of every frame; when the
codec does not reorder frames (no B-frames) and the first packets agree with it, that index
is used as it is (no file reading beyond the header). Otherwise the video stream's packets
are scanned once, without decoding. So a variable frame rate is handled: frames keep their
order, ``time_of(k)`` is frame ``k``'s own timestamp (relative to the first frame) and
``frame_at(seconds)`` finds the frame shown at that time; ``fps`` is then the average rate.
Given ``fps=``, times become ``k / fps``.

Reading frame ``k`` seeks to the last keyframe at or before it and decodes forward to the
frame whose pts is frame ``k``'s; a read that continues where the decoder stands (the next
frames, or frames before the next keyframe) decodes on without seeking. Decoded frames are
uint8 RGB ``(height, width, 3)``, kept in the byte-bounded LRU cache.

A frame the decoder fails on (a corrupt packet, a missing frame, a frame flagged corrupt) is
returned blank and listed in ``bad_frames()``; decoding never waits on anything but the file,
so a corrupt frame cannot hang a read.

Examples
--------
>>> import tempfile, pathlib, av
>>> path = pathlib.Path(tempfile.mkdtemp()) / "clip.mp4"
>>> with av.open(str(path), "w") as out:
...     stream = out.add_stream("libx264", rate=25)
...     stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
...     for k in range(10):
...         image = np.full((48, 64, 3), 20 * k, dtype=np.uint8)
...         for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
...             out.mux(packet)
...     for packet in stream.encode():
...         out.mux(packet)
>>> with PyAVFrames(path, name=str(path), fps=None, cache_bytes=2**20) as video:
...     video.num_frames, video.fps, video.shape, video.time_of(5), int(video.frame(5).mean())
(10, 25.0, (48, 64, 3), 0.2, 100)
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ._frames import VideoFrames

__all__ = ["PyAVFrames"]

#: Seek retries from an earlier keyframe when a seek lands after the frame asked for.
_SEEK_RETRIES = 1


class PyAVFrames(VideoFrames):
    """A video file's frames, decoded by PyAV on demand (see the module's notes).

    Raises ``ValueError`` naming the path and the cause when PyAV cannot open the file,
    when it has no video stream, or when the stream has no frames.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "notes.mp4"
    >>> _ = bad.write_text("not a video")
    >>> PyAVFrames(bad, name="notes.mp4", fps=None, cache_bytes=0)
    Traceback (most recent call last):
    ...
    ValueError: notes.mp4: PyAV cannot open it as a video (Invalid data found when processing input)
    """

    def __init__(self, path: Path, *, name: str, fps: float | None, cache_bytes: int) -> None:
        import av

        try:
            container = av.open(str(path))
        except av.FFmpegError as error:
            raise ValueError(f"{name}: PyAV cannot open it as a video "
                             f"({_cause(error)})") from None
        try:
            stream = _video_stream(container, name)
            stamps, keys, indexed_by = _scan(container, stream, name)
            if not stamps:
                raise ValueError(f"{name}: the video stream has zero frames")
            context = stream.codec_context
            width, height = int(context.width), int(context.height)
            if width <= 0 or height <= 0:
                raise ValueError(f"{name}: the video stream has no frame size "
                                 f"({width}x{height})")
            base = stream.time_base
            times = [float((ts - stamps[0]) * base) for ts in stamps]
            rate = _average_rate(stream, times)
            super().__init__(name=name, num_frames=len(stamps), fps=fps or rate,
                             shape=(height, width, 3), dtype=np.uint8, cache_bytes=cache_bytes)
        except BaseException:
            container.close()
            raise
        if fps is None:
            self._times = times
        self._container = container
        self._stream = stream
        self._pts = stamps
        self._index = {ts: i for i, ts in enumerate(stamps)}
        self._keys = keys
        self._packets: Iterator[Any] | None = None
        self._pending: deque[Any] = deque()
        self._next = 0  # the index of the next frame the decoder will give
        self._positioned = False  # the decoder is mid-stream and can go on
        self._sought = False  # no frame has come out since the last seek
        self.seeks = 0  #: seeks made so far (sequential reads make none)
        #: how the frame index was built: "container index" or "packet scan"
        self.indexed_by = indexed_by

    # -- positioning ---------------------------------------------------------------------
    def _keyframe_for(self, k: int) -> int:
        at = bisect.bisect_right(self._keys, k) - 1
        return self._keys[at] if at >= 0 else 0

    def _seek(self, key: int) -> None:
        import av

        self.seeks += 1
        try:
            self._container.seek(int(self._pts[key]), stream=self._stream, backward=True,
                                 any_frame=False)
        except av.FFmpegError as error:
            self._positioned = False
            raise ValueError(f"{self.name}: seeking to the keyframe of frame {key} failed "
                             f"({_cause(error)})") from None
        self._packets = self._container.demux(self._stream)
        self._pending.clear()
        self._next = key
        self._positioned = True
        self._sought = True

    def _position(self, k: int) -> None:
        """Seek unless decoding on from where the decoder stands reaches ``k`` sooner."""
        key = self._keyframe_for(k)
        if not self._positioned or k < self._next or key > self._next:
            self._seek(key)

    # -- decoding ------------------------------------------------------------------------
    def _decoded(self) -> Any | None:
        """The next frame out of the decoder, or ``None`` at the end of the stream."""
        import av

        while not self._pending:
            packet = next(self._packets, None) if self._packets is not None else None
            if packet is None:
                return None
            try:
                self._pending.extend(self._stream.decode(packet))
            except av.FFmpegError:
                continue  # the frames of a corrupt packet never come out: marked missing
        return self._pending.popleft()

    def _frame_index(self, frame: Any) -> int:
        ts = frame.pts
        if ts is None:
            return self._next
        index = self._index.get(ts)
        if index is None:  # a timestamp the scan did not see: the nearest frame before it
            index = max(bisect.bisect_right(self._pts, ts) - 1, 0)
        return index

    def _to_array(self, frame: Any, k: int) -> np.ndarray:
        if frame.is_corrupt:
            return self._stand_in(k, "the decoder flagged the frame corrupt")
        rgb = frame.reformat(width=self.width, height=self.height, format="rgb24")
        plane = rgb.planes[0]
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(self.height, plane.line_size)
        out = self._cache.spare(self.shape, self.dtype)
        if out is None:
            out = np.empty(self.shape, dtype=self.dtype)
        np.copyto(out.reshape(self.height, self.width * 3), rows[:, :self.width * 3])
        return out

    def _decode_to(self, k: int, keep_from: int) -> dict[int, np.ndarray]:
        """Decode on until frame ``k``; return the frames from ``keep_from`` met on the way
        (one past ``k`` when frame ``k`` is missing and the decoder went beyond it)."""
        out: dict[int, np.ndarray] = {}
        retries = _SEEK_RETRIES
        while self._next <= k:
            frame = self._decoded()
            if frame is None:  # end of stream: every frame not yet seen is missing
                for j in range(self._next, k + 1):
                    out[j] = self._stand_in(j, "the stream ended before it")
                self._positioned = False
                self._next = self.num_frames
                break
            j = self._frame_index(frame)
            if j < self._next:
                continue  # a frame before the one asked for (leading frames after a seek)
            if self._sought and j > self._next and retries and self._next > 0:
                retries -= 1  # the seek landed late: start from the keyframe before
                self._seek(self._keyframe_for(self._next - 1))
                continue
            self._sought = False
            for missing in range(self._next, min(j, k + 1)):
                out[missing] = self._stand_in(missing, "the decoder gave no frame for it")
            self._next = j + 1
            if j >= keep_from:  # past k only when frame k never came: keep what did
                out[j] = self._to_array(frame, j)
        return out

    def _read(self, k: int) -> np.ndarray:
        self._position(k)
        found = self._decode_to(k, k)
        for j, frame in found.items():
            if j != k:
                self._remember(j, frame)
        return found[k]

    def _remember(self, j: int, frame: np.ndarray) -> None:
        frame.flags.writeable = False
        self._cache.put(j, frame)

    def _read_range(self, start: int, stop: int) -> list[np.ndarray]:
        frames: list[np.ndarray] = []
        k = start
        while k < stop:
            cached = self._cache.get(k)
            if cached is not None:
                frames.append(cached)
                k += 1
                continue
            end = k  # decode the run of frames not cached in one pass
            while end + 1 < stop and (end + 1) not in self._cache:
                end += 1
            self._position(k)
            found = self._decode_to(end, k)
            for j, frame in found.items():
                self._remember(j, frame)
            frames.extend(found[j] for j in range(k, end + 1))
            k = end + 1
        return frames

    def _release(self) -> None:
        self._pending.clear()
        self._packets = None
        self._container.close()


def _video_stream(container: Any, name: str) -> Any:
    """The first video stream that is not a cover picture (an attached still image)."""
    from av.stream import Disposition

    still = Disposition.attached_pic | Disposition.timed_thumbnails
    moving = [s for s in container.streams.video if not s.disposition & still]
    if moving:
        return moving[0]
    kinds = sorted({s.type if s.type != "video" else "video (cover picture)"
                    for s in container.streams}) or ["none"]
    raise ValueError(f"{name}: the file has no video stream (streams: {', '.join(kinds)})")


def _cause(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


#: Packets read at opening to check that the container's index gives the frames' pts.
_CHECKED_PACKETS = 12


def _from_container_index(container: Any, stream: Any) -> tuple[list[int], list[int]] | None:
    """The frames' pts and keyframes from the container's own index (MP4, MOV, AVI), or
    ``None`` when it cannot be trusted to be the presentation order."""
    entries = stream.index_entries
    count = len(entries)
    if not count or stream.frames != count or stream.codec_context.has_b_frames:
        return None
    stamps: list[int] = []
    keys: list[int] = []
    for entry in entries:
        if entry.is_discard:
            return None
        if entry.is_keyframe:
            keys.append(len(stamps))
        stamps.append(int(entry.timestamp))
    if any(b <= a for a, b in itertools.pairwise(stamps)):
        return None
    seen = 0
    for packet in container.demux(stream):
        if not packet.size:
            continue
        if packet.pts is None or packet.pts != stamps[seen]:
            container.seek(0, backward=True)  # the scan starts from the first packet
            return None
        seen += 1
        if seen >= min(_CHECKED_PACKETS, count):
            break
    return stamps, keys


def _scan(container: Any, stream: Any, name: str) -> tuple[list[int], list[int], str]:
    """Every frame's pts in presentation order, the indices of the keyframes, and where
    they came from (``"container index"`` or ``"packet scan"``)."""
    import av

    try:
        indexed = _from_container_index(container, stream)
    except av.FFmpegError:  # damaged first packets: scan what can be read, from the start
        indexed = None
        try:
            container.seek(0, backward=True)
        except av.FFmpegError as error:
            raise ValueError(f"{name}: the video cannot be read from its start again "
                             f"({_cause(error)})") from None
    if indexed is not None:
        return (*indexed, "container index")

    seen: dict[int, bool] = {}
    try:
        for packet in container.demux(stream):
            if not packet.size:
                continue
            ts = packet.pts if packet.pts is not None else packet.dts
            if ts is None:
                raise ValueError(f"{name}: the video stream has packets without timestamps; "
                                 "remux it into MP4 or MKV (ffmpeg -i in -c copy out.mkv)")
            seen[ts] = seen.get(ts, False) or bool(packet.is_keyframe)
    except av.FFmpegError:
        pass  # a truncated or damaged tail: the frames read so far are the video
    stamps = sorted(seen)
    keys = [i for i, ts in enumerate(stamps) if seen[ts]]
    return stamps, keys, "packet scan"


def _average_rate(stream: Any, times: list[float]) -> float:
    """The stream's declared rate when the timestamps agree with it, else the measured one."""
    declared = stream.average_rate or stream.guessed_rate
    declared = float(declared) if declared and float(declared) > 0 else None
    if len(times) < 2 or times[-1] <= 0:
        return declared or 1.0
    measured = (len(times) - 1) / times[-1]
    if declared and abs(declared - measured) <= 0.005 * measured:
        return declared
    return measured

"""VideoAnnotator: boxes that persist across the frames of a video as keyframed tracks.

The kernel keeps the video (:func:`nbannotate.media.video.open_video`: a file read with PyAV,
an array ``(T, H, W[, C])`` of any dtype, a list of images or a multi-page TIFF) and decodes
frames on demand; the browser asks for the frames around its playhead and gets each one as a
compressed image (:class:`~nbannotate.video._frames.FrameImages`). The frame the widget opens
on travels with the state (``poster``), so it shows before any request.

Custom messages (browser → kernel, answered to the view that asked):

* ``{"type": "frames", "id", "view", "frames": [k, ...], "width"?}`` (``width``: the pixels
  across the view shows the frame at; frames at least twice that wide are shrunk by a whole
  factor, never below it) → one reply
  ``{"type": "frames", "id", "view", "video_id", "frames": [{"index", "mime", "bad",
  "buffer", "width", "message"?}, ...]}`` whose buffers are the compressed images (``buffer`` is the
  position of a frame's image among them). A damaged frame the source decoded blank comes
  with ``"bad": true`` and a ``message`` (the browser shows it marked; :attr:`bad_frames`
  lists it); one that could not be read at all has no buffer (``null``);
* ``{"type": "track", "id", "view", "track_id", "frame", "count"}`` → the template tracker
  follows the track's box from ``frame`` over the next ``count`` frames and answers
  ``{"type": "tracked", "track_id", "proposals": [...]}``; the browser adds them to
  :attr:`proposals` as one undoable edit and draws them dotted;
* a request that fails is answered with ``{"type": "request-error", "id", "view", "message"}``.

Edits of ``tracks``, ``segments`` and ``proposals`` cross as change messages
(:class:`~nbannotate.widget.base.AnnotatorWidget`): one record per edit, whatever the number of
tracks.

Examples
--------
>>> import numpy as np
>>> from nbannotate.video import VideoAnnotator
>>> clip = np.zeros((40, 48, 64), dtype=np.uint8)
>>> w = VideoAnnotator(clip, ["car"], fps=10)
>>> (w.num_frames, w.fps, w.width, w.height)
(40, 10.0, 64, 48)
>>> w.tracks = [{"id": "t1", "label": "car", "keyframes": [
...     {"frame": 0, "x": 0, "y": 0, "w": 8, "h": 8},
...     {"frame": 30, "x": 30, "y": 0, "w": 8, "h": 8}]}]
>>> w.boxes_at(15)[0]["x"]
15.0
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import traitlets

from ..image._args import check_skeleton
from ..records.tracks import box_at, boxes_at
from ..widget.base import AnnotatorWidget, static_file
from ..widget.labels import label_names
from ._frames import FrameImages
from ._linking import link_detections
from ._points import points_at
from ._records import validate_proposal, validate_segment, validate_video_track
from ._tracker import track_box

__all__ = ["VideoAnnotator"]

#: Most frames one ``frames`` request may ask for.
MAX_FRAMES_PER_REQUEST = 64
#: Most frames the tracker proposes at once.
MAX_TRACK_COUNT = 1000
#: The poster frame (sent with the state) is shrunk by a whole factor towards this width.
POSTER_WIDTH = 960


class _BadRequestError(ValueError):
    pass


class VideoAnnotator(AnnotatorWidget):
    """Track boxes through a video with keyframes; mark temporal segments on the timeline.

    Drag on the frame to draw a box: it starts a track with a keyframe on that frame. Moving
    or resizing the box on another frame sets a keyframe there; between keyframes the box is
    interpolated linearly (drawn dashed). Keys (with the pointer over the widget):

    ======================  ==============================================================
    ``←``/``→``             one frame back / forward (``Shift``: ten)
    ``Space``               play / pause (rate 0.25–4× in the toolbar)
    ``1``–``9``             the label of new boxes (or of the selected track)
    ``O`` / ``C``           the selected track is outside / occluded from this frame on
    ``Delete``              delete the selected track's keyframe on this frame
    ``Shift+Delete``        delete the selected track
    ``S``                   split the selected track at this frame
    ``M``                   merge: then click the track to join into the selected one
    ``T``                   track: propose the selected box on the next frames (dashed)
    ``A``                   accept the proposals up to this frame as keyframes
    ``K``                   place the selected track's missing keypoints, one click each
    ``V`` / ``Shift+V``     the keypoint under the pointer: visible <-> hidden / not placed
    ``Ctrl+Z``/``Ctrl+Y``   undo / redo
    ======================  ==============================================================

    Drag in the timeline's segment lane to mark a temporal segment with the current label;
    drag its edges or body to change it, as audio regions.

    Parameters
    ----------
    video : str, PathLike, ndarray or list of images
        What :func:`nbannotate.media.video.open_video` opens; or an already opened
        :class:`~nbannotate.media.video.VideoFrames`.
    labels : list of str
        Track and segment labels; number keys 1–9 pick them.
    tracks : list of dict, optional
        ``{id, label, source, keyframes: [{frame, x, y, w, h, outside, occluded}]}``.
    segments : list of dict, optional
        ``{id, label, start, end}`` in frames, ``end`` exclusive.
    label : str, optional
        The label of new boxes and segments (default: the first).
    fps : float, optional
        Frames per second, for arrays and image lists (files know theirs).
    cache_bytes : int, optional
        Bound of the kernel's cache of decoded frames (default: ``open_video``'s).
    vmin, vmax, colormap
        The contrast window and colormap of non-uint8 video (as images have them).
    quality : int
        JPEG quality of the frames sent to the browser.
    frame : int
        The frame shown first.
    keypoint_labels : list of str, optional
        Keypoints of each tracked object: keyframes then carry ``points``, one
        ``[x, y, visible]`` per name (COCO visibility 0/1/2), interpolated like the box. ``K``
        places the selected track's next missing keypoint with a click; drag a point to move it.
    skeleton : list of (str, str), optional
        Pairs of keypoint labels joined by a line.

    Examples
    --------
    >>> w = VideoAnnotator(np.zeros((5, 8, 8), dtype=np.float32), ["a"], fps=5)
    >>> w.frame = 3
    >>> w.frame_array(3).dtype
    dtype('float32')
    """

    _record_fields = ("tracks", "segments", "proposals")

    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    #: Names of the keypoints a track's keyframes carry (``points``, in this order).
    keypoint_labels = traitlets.List(traitlets.Unicode(), read_only=True).tag(sync=True)
    #: Pairs of keypoint labels joined by a line.
    skeleton = traitlets.List(read_only=True).tag(sync=True)
    tracks: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    segments: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    #: Boxes the tracker or a model proposes, one per frame (drawn dashed); accepting them
    #: makes them keyframes of their track.
    proposals: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    #: The frame on screen; set it to move the view.
    frame = traitlets.Int(0).tag(sync=True)

    num_frames = traitlets.Int(read_only=True).tag(sync=True)
    fps = traitlets.Float(read_only=True).tag(sync=True)
    width = traitlets.Int(read_only=True).tag(sync=True)
    height = traitlets.Int(read_only=True).tag(sync=True)
    #: Frames that could not be decoded (shown marked).
    bad_frames = traitlets.List(traitlets.Int(), read_only=True).tag(sync=True)
    #: The first frame shown, compressed, so that it shows before any request.
    poster = traitlets.Bytes(b"", read_only=True).tag(sync=True)
    poster_frame = traitlets.Int(0, read_only=True).tag(sync=True)
    poster_mime = traitlets.Unicode("image/jpeg", read_only=True).tag(sync=True)
    #: Changes whenever another video is loaded: replies carry it.
    video_id = traitlets.Int(0, read_only=True).tag(sync=True)

    _esm = static_file("video.js")
    _css = static_file("video.css")

    def __init__(self, video: Any, labels: Sequence[str] | None = None, *,
                 tracks: Sequence[dict[str, Any]] | None = None,
                 segments: Sequence[dict[str, Any]] | None = None,
                 label: str | None = None, fps: float | None = None,
                 cache_bytes: int | None = None, vmin: float | None = None,
                 vmax: float | None = None, colormap: str = "gray", quality: int = 85,
                 frame: int = 0, keypoint_labels: Sequence[str] | None = None,
                 skeleton: Sequence[tuple[str, str]] | None = None) -> None:
        label_list = label_names(labels, "labels", required=True)
        kp_labels = label_names(keypoint_labels, "keypoint_labels", required=False)
        pairs = check_skeleton(skeleton, kp_labels)
        if label is None:
            label = label_list[0]
        elif label not in label_list:
            raise ValueError(f"label must be one of {label_list}, got {label!r}")
        self._decode_lock = threading.RLock()
        self._request_lock = threading.Lock()
        #: Requests answered, by type ("frames", "track", "error"), and frames sent.
        self._requests: Counter[str] = Counter()
        self._opening_options = {"cache_bytes": cache_bytes}
        self._display = {"vmin": vmin, "vmax": vmax, "colormap": colormap, "quality": quality}
        self._video, self._owns_video = self._open(video, fps)
        self._images = FrameImages(self._video, **self._display)
        self._opening: tuple[list[Any], list[Any]] | None = (list(tracks or []),
                                                               list(segments or []))
        super().__init__(labels=label_list, label=label)
        self.set_trait("keypoint_labels", kp_labels)
        self.set_trait("skeleton", pairs)
        self._load_video_traits(frame)

    # -- the video ---------------------------------------------------------------------------
    def _open(self, video: Any, fps: float | None) -> tuple[Any, bool]:
        """The frame source of ``video``, and whether this widget opened it (and closes it)."""
        if _is_frame_source(video):
            return video, False
        from ..media.video import open_video  # PyAV is imported only to open a video

        cache = self._opening_options["cache_bytes"]
        sizing = {} if cache is None else {"cache_bytes": cache}
        return open_video(video, fps=fps, **sizing), True

    def set_video(self, video: Any, *, tracks: Sequence[dict[str, Any]] | None = None,
                  segments: Sequence[dict[str, Any]] | None = None, fps: float | None = None,
                  frame: int = 0) -> None:
        """Show another video (same labels and display settings); tracks, segments and
        proposals are replaced, the undo history starts anew.

        Examples
        --------
        >>> w = VideoAnnotator(np.zeros((5, 8, 8), dtype=np.uint8), ["a"], fps=5)
        >>> w.set_video(np.zeros((9, 4, 6), dtype=np.uint8), fps=3)
        >>> (w.num_frames, w.width, w.height, w.fps)
        (9, 6, 4, 3.0)
        """
        source, owned = self._open(video, fps)
        try:  # everything checked against the new video before anything changes
            count = int(source.num_frames)
            if isinstance(frame, bool) or not isinstance(frame, int) or not 0 <= frame < count:
                raise ValueError(f"frame must be in [0, {count}), got {frame!r}")
            context = {"num_frames": count, "labels": list(self.labels)}
            for record in tracks or []:
                validate_video_track(record, keypoints=len(self.keypoint_labels), **context)
            for record in segments or []:
                validate_segment(record, **context)
            images = FrameImages(source, **self._display)
        except Exception:
            if owned:
                source.close()
            raise
        old, old_owned = self._video, self._owns_video
        with self.hold_sync():
            self.tracks, self.segments, self.proposals = [], [], []
            with self._decode_lock:
                self._video, self._owns_video, self._images = source, owned, images
            self._opening = (list(tracks or []), list(segments or []))
            self._load_video_traits(frame)
        if old_owned:
            old.close()

    def _load_video_traits(self, frame: int) -> None:
        video = self._video
        count = int(video.num_frames)
        if count <= 0:
            raise ValueError("video has no frames")
        with self.hold_sync():
            self.set_trait("num_frames", count)
            self.set_trait("fps", float(video.fps))
            self.set_trait("width", int(video.width))
            self.set_trait("height", int(video.height))
            if not 0 <= frame < count:
                raise ValueError(f"frame must be in [0, {count}), got {frame}")
            self.frame = frame
            self._set_poster(self.frame)
            self.set_trait("bad_frames", sorted(int(k) for k in video.bad_frames()))
            self.set_trait("video_id", self.video_id + 1)
            tracks, segments = self._opening or ([], [])
            self._opening = None
            self.tracks = tracks
            self.segments = segments
            self.proposals = []

    def _set_poster(self, k: int) -> None:
        try:
            data, mime = self._encoded(k, POSTER_WIDTH)
        except Exception:  # a bad first frame: the browser asks again and shows it marked
            data, mime = b"", "image/jpeg"
        self.set_trait("poster", data)
        self.set_trait("poster_mime", mime)
        self.set_trait("poster_frame", k)

    def close(self) -> None:
        """Close the widget, and the video file when the widget opened it."""
        super().close()
        if getattr(self, "_owns_video", False):
            self._video.close()

    @property
    def video(self) -> Any:
        """The frame source (:class:`~nbannotate.media.video.VideoFrames`)."""
        return self._video

    def frame_array(self, k: int) -> np.ndarray:
        """Frame ``k`` as the kernel decoded it (original dtype and values).

        Examples
        --------
        >>> w = VideoAnnotator(np.arange(24, dtype=np.uint16).reshape(2, 3, 4), ["a"], fps=1)
        >>> w.frame_array(1)[0].tolist()
        [12, 13, 14, 15]
        """
        k = self._check_frame(k, "k")
        with self._decode_lock:
            return self._video.frame(k)

    def time_of(self, k: int) -> float:
        """Seconds from the start to frame ``k``."""
        return float(self._video.time_of(self._check_frame(k, "k")))

    def _check_frame(self, k: Any, name: str) -> int:
        if isinstance(k, np.integer):
            k = int(k)
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"{name} must be a frame index (int), got {k!r}")
        if not 0 <= k < self.num_frames:
            raise ValueError(f"{name} must be a frame in [0, {self.num_frames}), got {k}")
        return k

    def _encoded(self, k: int, width: int | None = None) -> tuple[bytes, str]:
        with self._decode_lock:
            return self._images.encoded(k, width)

    # -- records -------------------------------------------------------------------------------
    def boxes_at(self, frame: int) -> list[dict[str, Any]]:
        """The boxes of every track present on ``frame``, interpolated, with ``track_id``.

        Examples
        --------
        >>> w = VideoAnnotator(np.zeros((3, 4, 4), dtype=np.uint8), ["a"], fps=1)
        >>> w.boxes_at(0)
        []
        """
        frame = self._check_frame(frame, "frame")
        out = boxes_at(self.tracks, frame)
        if self.keypoint_labels:
            by_id = {t["id"]: t for t in self.tracks}
            for box in out:
                points = points_at(by_id[box["track_id"]], frame)
                if points is not None:
                    box["points"] = points
        return out

    def _context(self) -> dict[str, Any]:
        return {"num_frames": self.num_frames, "labels": list(self.labels)}

    def _validate_record(self, field: str, record: dict[str, Any]) -> dict[str, Any]:
        if field == "tracks":
            return validate_video_track(record, keypoints=len(self.keypoint_labels),
                                        **self._context())
        if field == "segments":
            return validate_segment(record, **self._context())
        return validate_proposal(record, **self._context())

    def _validate_list(self, proposal: dict[str, Any], field: str) -> list[dict[str, Any]]:
        value = proposal["value"]
        if self._is_silent(field) or self.num_frames == 0:
            return list(value)  # already validated record by record (or not loaded yet)
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise TypeError(f"{field} must be a list of dicts, got {type(value).__name__}")
        out = [self._validate_record(field, record) for record in value]
        ids = [r["id"] for r in out]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{field}: ids must be unique, got {ids}")
        return out

    @traitlets.validate("tracks")
    def _validate_tracks(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        return self._validate_list(proposal, "tracks")

    @traitlets.validate("segments")
    def _validate_segments(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        return self._validate_list(proposal, "segments")

    @traitlets.validate("proposals")
    def _validate_proposals(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        return self._validate_list(proposal, "proposals")

    @traitlets.validate("frame")
    def _validate_frame(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        count = self.num_frames
        if count and not 0 <= value < count:
            raise ValueError(f"frame must be in [0, {count}), got {value}")
        return int(value)

    @traitlets.validate("label")
    def _validate_label(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if self.labels and value not in self.labels:
            raise ValueError(f"label must be one of {list(self.labels)}, got {value!r}")
        return str(value)

    # -- model help ----------------------------------------------------------------------------
    def propose_track(self, track_id: str, frame: int | None = None, count: int = 30, *,
                      min_score: float = 0.5) -> list[dict[str, Any]]:
        """Follow a track's box from ``frame`` over the next ``count`` frames (template
        matching) and show the boxes as proposals; returns them.

        ``frame`` defaults to the track's last keyframe at or before the current frame.

        Examples
        --------
        >>> clip = np.zeros((6, 40, 40), dtype=np.uint8)
        >>> for t in range(6):
        ...     clip[t, 10:20, 5 + 3 * t:15 + 3 * t] = 200
        >>> w = VideoAnnotator(clip, ["dot"], fps=6, tracks=[{"id": "d", "label": "dot",
        ...     "keyframes": [{"frame": 0, "x": 5, "y": 10, "w": 10, "h": 10}]}])
        >>> [p["x"] for p in w.propose_track("d", count=3)]
        [8.0, 11.0, 14.0]
        """
        proposals = self._proposals_for(track_id, frame, count, min_score)
        others = [p for p in self.proposals if p["track_id"] != track_id]
        self.proposals = others + proposals
        return list(self.proposals[len(others):])

    def _proposals_for(self, track_id: str, frame: int | None, count: int,
                       min_score: float = 0.5) -> list[dict[str, Any]]:
        """The tracker's proposals for one track (validated records), not yet shown."""
        track = next((t for t in self.tracks if t["id"] == track_id), None)
        if track is None:
            raise ValueError(f"track_id must be the id of one of the tracks, got {track_id!r}")
        if isinstance(count, bool) or not isinstance(count, int) or not (
                1 <= count <= MAX_TRACK_COUNT):
            raise ValueError(f"count must be an int in [1, {MAX_TRACK_COUNT}], got {count!r}")
        at = self.frame if frame is None else self._check_frame(frame, "frame")
        box = box_at(track, at)
        if box is None:
            raise ValueError(f"track {track_id!r} has no box on frame {at} to track from")
        found = track_box(self.frame_array, self.num_frames, box, at, count,
                          min_score=min_score)
        keyed = {kf["frame"] for kf in track["keyframes"]}
        return [validate_proposal({"track_id": track_id, "label": track["label"],
                                   "source": "model", **p}, **self._context())
                for p in found if p["frame"] not in keyed]

    def accept_proposals(self, until: int | None = None) -> int:
        """Make the proposals up to frame ``until`` (default: the current frame) keyframes
        of their tracks, as a person accepting them; returns how many were accepted."""
        limit = self.frame if until is None else self._check_frame(until, "until")
        taken = [p for p in self.proposals if p["frame"] <= limit]
        if not taken:
            return 0
        tracks = {t["id"]: dict(t, keyframes=list(t["keyframes"])) for t in self.tracks}
        for p in taken:
            track = tracks.get(p["track_id"])
            if track is None:
                continue
            track["keyframes"] = [k for k in track["keyframes"] if k["frame"] != p["frame"]]
            track["keyframes"].append({"frame": p["frame"], **{k: p[k] for k in "xywh"},
                                       "outside": False, "occluded": False})
            track["source"] = "human"
        with self.hold_sync():
            self.tracks = list(tracks.values())
            self.proposals = [p for p in self.proposals if p["frame"] > limit]
        return len(taken)

    def propose_tracks(self, model: Any, frames: Iterable[int] | None = None, *,
                       min_iou: float = 0.3) -> list[dict[str, Any]]:
        """Start tracks from a model's per-frame boxes (``model.predict(frames)``, the
        structured protocol), linked across frames by overlap; returns the new tracks.

        The tracks have ``source="model"`` and a ``score``; each one ends with an ``outside``
        keyframe after its last box.
        """
        if not callable(getattr(model, "predict", None)):
            raise TypeError(f"model must have a predict(items) method, got "
                            f"{type(model).__name__}")
        picks = list(range(self.num_frames)) if frames is None else [
            self._check_frame(k, "frames[]") for k in frames]
        predicted = model.predict([self.frame_array(k) for k in picks])
        if len(predicted) != len(picks):
            raise ValueError(f"model.predict returned {len(predicted)} lists for "
                             f"{len(picks)} frames")
        per_frame = {k: [b for b in boxes if b.get("label") in self.labels]
                     for k, boxes in zip(picks, predicted, strict=True)}
        new = link_detections(per_frame, min_iou=min_iou)
        for track in new:
            last = track["keyframes"][-1]
            if last["frame"] + 1 < self.num_frames:
                track["keyframes"].append({**last, "frame": last["frame"] + 1,
                                           "outside": True})
        self.tracks = list(self.tracks) + new
        return [t for t in self.tracks if t["id"] in {n["id"] for n in new}]

    # -- requests from the browser -----------------------------------------------------------
    def _handle_custom_message(self, content: dict[str, Any], buffers: list[Any]) -> None:
        kind = content.get("type")
        if kind == "frames":
            self._reply_frames(content)
        elif kind == "track":
            self._reply_track(content)

    def _request_error(self, content: dict[str, Any], message: str) -> None:
        with self._request_lock:
            self._requests["error"] += 1
        self.send({"type": "request-error", "id": content.get("id"), "view": content.get("view"),
                   "video_id": self.video_id, "message": message})

    def _reply_frames(self, content: dict[str, Any]) -> None:
        wanted = content.get("frames")
        if not isinstance(wanted, list) or not wanted or len(wanted) > MAX_FRAMES_PER_REQUEST:
            return self._request_error(
                content, f"frames request: frames must be a list of 1 to "
                         f"{MAX_FRAMES_PER_REQUEST} frame indices, got {wanted!r}")
        width = content.get("width")
        if width is not None and (isinstance(width, bool) or not isinstance(width, int)
                                  or width < 1):
            return self._request_error(content, f"frames request: width must be a positive "
                                                f"int (pixels across), got {width!r}")
        if width is not None and width >= self.width:
            width = None  # the frame as it is
        with self._request_lock:
            self._requests["frames"] += 1
        items: list[dict[str, Any]] = []
        buffers: list[bytes] = []
        for k in wanted:
            if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < self.num_frames:
                self._request_error(content, f"frames request: frame must be in "
                                             f"[0, {self.num_frames}), got {k!r}")
                continue
            try:
                data, mime = self._encoded(k, width)
            except Exception as error:  # nothing to show: the frame is marked, never a freeze
                self._mark_bad(k)
                items.append({"index": k, "bad": True, "mime": "", "buffer": None,
                              "message": f"frame {k} cannot be decoded: "
                                         f"{type(error).__name__}: {error}"})
                continue
            bad = k in self._video.bad_frames()  # decoded blank: shown, and marked
            if bad:
                self._mark_bad(k)
            shown = -(-self.width // self._images.shrink_factor(k, width))  # as reduce() rounds
            item: dict[str, Any] = {"index": k, "bad": bad, "mime": mime, "buffer": len(buffers),
                                    "width": shown}
            if bad:
                item["message"] = self._bad_cause(k)
            items.append(item)
            buffers.append(data)
        if not items:
            return
        with self._request_lock:
            self._requests["frame"] += len(buffers)
        self.send({"type": "frames", "id": content.get("id"), "view": content.get("view"),
                   "video_id": self.video_id, "frames": items}, buffers=buffers)

    def _bad_cause(self, k: int) -> str:
        causes = getattr(self._video, "bad_frame_causes", None)
        cause = causes().get(k) if callable(causes) else None
        return f"frame {k} is damaged" + (f": {cause}" if cause else "")

    def _mark_bad(self, k: int) -> None:
        if k not in self.bad_frames:
            self.set_trait("bad_frames", sorted({*self.bad_frames, k}))

    def _reply_track(self, content: dict[str, Any]) -> None:
        try:
            track_id, frame, count = (content.get("track_id"), content.get("frame"),
                                      content.get("count", 30))
            if not isinstance(track_id, str):
                raise _BadRequestError(f"track request: track_id must be a string, "
                                       f"got {track_id!r}")
            found = self._proposals_for(track_id, frame, count)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            return self._request_error(content, f"tracker: {error}")
        with self._request_lock:
            self._requests["track"] += 1
        # The browser adds them as one undoable edit (change messages come back to validate).
        self.send({"type": "tracked", "id": content.get("id"), "view": content.get("view"),
                   "video_id": self.video_id, "track_id": track_id, "proposals": found})

    def _repr_summary(self) -> str:
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}" + ("" if n == 1 else "s")

        return (f"{count(self.num_frames, 'frame')} at {self.fps:g} fps, "
                f"{self.width}×{self.height}, {count(len(self.tracks), 'track')}, "
                f"{count(len(self.segments), 'segment')}")


def _is_frame_source(video: Any) -> bool:
    """True for an opened frame source (VideoFrames), not data to open."""
    return (not isinstance(video, np.ndarray) and callable(getattr(video, "frame", None))
            and hasattr(video, "num_frames"))

"""``task="tracks"``: video clips labeled with box tracks in a
:class:`~nbannotate.VideoAnnotator`, one clip at a time, the least certain first.

A clip is a video file path, a T×H×W×C array, a list of frames or an opened
:class:`~nbannotate.media.video.VideoFrames`. The records are tracks
(``{id, label, source, keyframes: [{frame, x, y, w, h, outside, occluded}]}``); the model's
tracks are drawn in as ``source="model"`` tracks with a score, to accept (they become the
person's), correct or delete. The default model, :class:`KeyframeDetector`, learns the labels'
appearance from the frames the person drew keyframes on (a
:class:`~nbannotate.models.WindowDetector` on those frames) and proposes tracks on a new clip by
detecting every ``step`` frames and linking the boxes by overlap.

Examples
--------
>>> session = label(clips, task="tracks", labels=["car", "person"], store="clips.db")
... # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from ..records import new_id
from ._tasks_structured import StructuredTask

__all__ = ["KeyframeDetector", "TrackTask"]


def _frames_of(video: Any) -> Any:
    from ..media.video import open_video

    return open_video(video)


class KeyframeDetector:
    """The default model of ``task="tracks"``: per-frame boxes learned from keyframes,
    linked into tracks.

    Parameters
    ----------
    labels : list of str
        The track labels.
    step : int
        Detect on every ``step``-th frame of a clip (the tracks interpolate between).

    Examples
    --------
    >>> model = KeyframeDetector(["car"], step=5)
    >>> model.predict([np.zeros((10, 32, 32), dtype=np.uint8)])  # never fitted: nothing
    [[]]
    """

    def __init__(self, labels: Sequence[str], *, step: int = 5) -> None:
        if isinstance(step, bool) or not isinstance(step, int) or step < 1:
            raise ValueError(f"step must be a whole number >= 1, got {step!r}")
        from ..models import WindowDetector

        self.labels = list(labels)
        self.step = step
        self._detector = WindowDetector(labels=self.labels)
        self._fitted = False

    def fit(self, items: Sequence[Any], annotations: Sequence[list[dict[str, Any]]]
            ) -> KeyframeDetector:
        """Learn from the frames with keyframes (their boxes, outside ones left out)."""
        images: list[np.ndarray] = []
        boxes: list[list[dict[str, Any]]] = []
        for video, tracks in zip(items, annotations, strict=True):
            frames = _frames_of(video)
            per_frame: dict[int, list[dict[str, Any]]] = {}
            for track in tracks:
                for kf in track.get("keyframes", []):
                    if kf.get("outside"):
                        continue
                    per_frame.setdefault(int(kf["frame"]), []).append(
                        {"x": kf["x"], "y": kf["y"], "w": kf["w"], "h": kf["h"],
                         "label": track["label"]})
            for frame, found in sorted(per_frame.items()):
                images.append(np.asarray(frames.frame(frame)))
                boxes.append(found)
        if images:
            self._detector.fit(images, boxes)
            self._fitted = True
        return self

    def predict(self, items: Sequence[Any]) -> list[list[dict[str, Any]]]:
        """Tracks per clip, ``source="model"`` with a score (the mean of their boxes')."""
        from ..video._linking import link_detections

        out: list[list[dict[str, Any]]] = []
        for video in items:
            if not self._fitted:
                out.append([])
                continue
            frames = _frames_of(video)
            picks = list(range(0, frames.num_frames, self.step))
            predicted = self._detector.predict([np.asarray(frames.frame(k)) for k in picks])
            tracks = link_detections(dict(zip(picks, predicted, strict=True)), min_iou=0.1,
                                     max_gap=self.step)
            for track in tracks:
                track["id"] = new_id()
                track["source"] = "model"
                last = track["keyframes"][-1]
                if last["frame"] + 1 < frames.num_frames:
                    track["keyframes"].append({**last, "frame": last["frame"] + 1,
                                               "outside": True})
            out.append(tracks)
        return out


class TrackTask(StructuredTask):
    """Box tracks on video clips in a :class:`~nbannotate.VideoAnnotator`; model:
    :class:`KeyframeDetector`.

    ``annotator_options``: ``fps``, ``skeleton``/``keypoint_labels``, display settings.
    """

    name = "tracks"
    item_kinds = ("video",)
    record_kinds = ("track",)
    columns = ("keyframes",)
    record_fields = ("tracks",)
    reserved_options: ClassVar[tuple[str, ...]] = ("video", "labels", "tracks", "segments")

    def make_widget(self, item: Any) -> Any:
        from ..video.annotator import VideoAnnotator

        return VideoAnnotator(item, self.labels, **self.options)

    def load(self, item: Any, records: list[dict[str, Any]],
             suggestions: list[dict[str, Any]]) -> None:
        self.widget.set_video(item, tracks=[*records, *suggestions])

    def default_model(self) -> Any:
        return KeyframeDetector(self.labels)

    def records(self) -> list[dict[str, Any]]:
        return [dict(t) for t in self.widget.tracks if t.get("source") != "model"]

    def suggestions(self) -> list[dict[str, Any]]:
        return [dict(t) for t in self.widget.tracks if t.get("source") == "model"]

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        if isinstance(records, (str, bytes, dict)):
            raise TypeError(f"records must be a list of tracks, got {type(records).__name__}")
        self.widget.tracks = [*records, *self.suggestions()]

    def set_suggestions(self, records: Sequence[dict[str, Any]]) -> None:
        self.widget.tracks = [*self.records(), *records]

    def accept(self, ids: Sequence[str] | str | None = None) -> list[str]:
        chosen = {s["id"] for s in self._chosen(ids)}
        tracks = []
        for track in self.widget.tracks:
            if track["id"] in chosen:
                track = {k: v for k, v in track.items() if k != "score"}
                track["source"] = "human"
            tracks.append(track)
        self.widget.tracks = tracks
        return sorted(chosen)

    def reject(self, ids: Sequence[str] | str | None = None) -> list[str]:
        gone = {s["id"] for s in self._chosen(ids)}
        self.widget.tracks = [t for t in self.widget.tracks if t["id"] not in gone]
        return sorted(gone)

    def store_context(self) -> dict[str, Any]:
        return {"kind": "track", "labels": self.labels}

    def item_context(self, item: Any) -> dict[str, Any]:
        return {"kind": "track", "labels": self.labels}

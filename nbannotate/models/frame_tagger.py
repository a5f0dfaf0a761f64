"""FrameTagger: learns labelled time regions of audio (sound events) from examples.

Every frame (25 ms window, 10 ms hop by default) is described by its log-mel energies
(normalised per clip), their delta and their mean and spread over ±5 frames; a linear
classifier gives each frame a probability for every label and for "background". The
probabilities are smoothed over time (a median filter), each frame takes its most probable
class, and runs of frames of one label become regions (gaps shorter than ``min_gap`` closed,
regions shorter than ``min_duration`` dropped), scored by the mean probability of their label
over the run. A clip's uncertainty comes from its least sure frames.

Training regions mark the frames whose centre lies inside them. Overlapping regions cannot
both own a frame: the tagger trains on a non-overlapping subset and warns
(:class:`~nbannotate.models.protocol.DroppedAnnotationsWarning`).

Examples
--------
>>> from nbannotate.models._synthetic import make_tone_clips
>>> clips, regions = make_tone_clips(6, duration=6.0, seed=0)
>>> tagger = FrameTagger().fit(clips, regions)
>>> found = tagger.predict(clips[:1])[0]
>>> sorted({r["label"] for r in found}) <= ["beep", "chirp"]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._base import (
    ModelBase,
    check_number,
    drop_overlaps,
    model_record,
    unit_uncertainty,
    warn_dropped,
)
from ._inputs import as_audio, check_fit_args, records_of
from ._mel import frame_features, frame_times, log_mel_frames

__all__ = ["FrameTagger"]


class FrameTagger(ModelBase):
    """Learn labelled audio regions from examples; predict region records with scores.

    Parameters
    ----------
    labels : sequence of str, optional
        Region labels; by default those seen in training (sorted).
    n_mels : int, default 40
        Mel bands.
    fmin, fmax : float, default 0, 8000
        Frequency range of the bands (Hz), the same for every sample rate so that clips
        recorded at different rates are comparable (bands above a clip's Nyquist frequency
        stay empty).
    frame_seconds, hop_seconds : float, default 0.025, 0.010
        STFT window and hop.
    context : int, default 5
        Frames on each side summarised (mean, spread) into each frame's features.
    smooth_seconds : float, default 0.15
        Width of the median filter applied to the frame probabilities (0: none).
    min_duration : float, default 0.1
        Predicted regions shorter than this (seconds) are dropped.
    min_gap : float, default 0.1
        Regions of one label separated by a shorter gap (seconds) are merged first.
    min_score : float, default 0.0
        Predicted regions scoring below this are dropped.
    C : float, default 1.0
        Inverse regularisation of the logistic regression.
    max_frames : int, default 200000
        Training frames kept (background frames are subsampled first).
    n_threads : int or None, default 1
        Cap on BLAS/OpenMP threads while fitting and predicting.
    random_state : int or None, default 0
        Seed of the subsampling.

    Attributes
    ----------
    labels_ : list of str
    classes_ : list of str
        ``["background", *labels_]``, the columns of :meth:`frame_proba`.

    Examples
    --------
    >>> rate = 8000
    >>> t = np.arange(4 * rate) / rate
    >>> clip = 0.01 * np.random.default_rng(0).standard_normal(t.size)
    >>> clip[rate:2 * rate] += 0.2 * np.sin(2 * np.pi * 800 * t[rate:2 * rate])
    >>> tagger = FrameTagger().fit([(clip, rate)], [[{"start": 1.0, "end": 2.0,
    ...                                                "label": "tone"}]])
    >>> [(r["label"], round(r["start"], 1), round(r["end"], 1))
    ...  for r in tagger.predict([(clip, rate)])[0]]
    [('tone', 1.0, 2.0)]
    """

    def __init__(self, labels: Sequence[str] | None = None, *, n_mels: int = 40,
                 fmin: float = 0.0, fmax: float = 8000.0, frame_seconds: float = 0.025,
                 hop_seconds: float = 0.010, context: int = 5, smooth_seconds: float = 0.15,
                 min_duration: float = 0.1, min_gap: float = 0.1, min_score: float = 0.0,
                 C: float = 1.0,  # noqa: N803 (scikit-learn's name)
                 max_frames: int = 200_000, n_threads: int | None = 1,
                 random_state: int | None = 0) -> None:
        self.labels = labels
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.frame_seconds = frame_seconds
        self.hop_seconds = hop_seconds
        self.context = context
        self.smooth_seconds = smooth_seconds
        self.min_duration = min_duration
        self.min_gap = min_gap
        self.min_score = min_score
        self.C = C
        self.max_frames = max_frames
        self.n_threads = n_threads
        self.random_state = random_state

    def _check_params(self) -> None:
        check_number("n_mels", self.n_mels, low=1, integer=True)
        check_number("fmin", self.fmin, low=0)
        check_number("fmax", self.fmax, low=0, low_open=True)
        if self.fmin >= self.fmax:
            raise ValueError(f"fmin ({self.fmin!r}) must be below fmax ({self.fmax!r})")
        check_number("frame_seconds", self.frame_seconds, low=0, low_open=True)
        check_number("hop_seconds", self.hop_seconds, low=0, low_open=True)
        if self.hop_seconds > self.frame_seconds:
            raise ValueError(f"hop_seconds ({self.hop_seconds!r}) must be at most "
                             f"frame_seconds ({self.frame_seconds!r})")
        check_number("context", self.context, low=0, integer=True)
        check_number("smooth_seconds", self.smooth_seconds, low=0)
        check_number("min_duration", self.min_duration, low=0)
        check_number("min_gap", self.min_gap, low=0)
        check_number("min_score", self.min_score, low=0, high=1)
        check_number("C", self.C, low=0, low_open=True)
        check_number("max_frames", self.max_frames, low=10, integer=True)
        if self.labels is not None and (isinstance(self.labels, str) or not all(
                isinstance(x, str) and x for x in self.labels)):
            raise ValueError(f"labels must be a list of non-empty strings, got {self.labels!r}")

    def _clip(self, item: Any, index: int) -> tuple[np.ndarray, np.ndarray, float]:
        """Frame features, frame centre times and duration of one clip."""
        samples, rate = as_audio(item, index)
        if rate * self.frame_seconds < 16:
            raise ValueError(f"items[{index}]: sample rate {rate:g} Hz gives fewer than 16 "
                             f"samples per {self.frame_seconds} s frame")
        logmel, _ = log_mel_frames(samples, rate, n_mels=self.n_mels,
                                   frame_seconds=self.frame_seconds,
                                   hop_seconds=self.hop_seconds, fmin=self.fmin,
                                   fmax=self.fmax)
        times = frame_times(logmel.shape[0], rate, frame_seconds=self.frame_seconds,
                            hop_seconds=self.hop_seconds)
        return frame_features(logmel, context=self.context), times, samples.size / rate

    def fit(self, items: Sequence[Any], annotations: Sequence[Sequence[dict[str, Any]]],
            ) -> FrameTagger:
        """Learn from clips and their region records (one list per clip).

        Parameters
        ----------
        items : list
            ``(samples, sample_rate)`` tuples, WAV paths or bytes.
        annotations : list of list of dict
            Region records ``{start, end, label, ...}`` in seconds; an empty list means "only
            background". Records without ``start``/``end`` are ignored.

        Returns
        -------
        FrameTagger
            ``self``, fitted.
        """
        from sklearn.linear_model import LogisticRegression

        self._check_params()
        items, annotations = check_fit_args(items, annotations)
        regions_per_clip = []
        for index, records in enumerate(annotations):
            regions = []
            for number, record in enumerate(records_of(records, ("start", "end"))):
                start, end = record["start"], record["end"]
                if (isinstance(start, bool) or isinstance(end, bool)
                        or not isinstance(start, (int, float, np.number))
                        or not isinstance(end, (int, float, np.number)) or not 0 <= start < end):
                    raise ValueError(f"annotations[{index}][{number}]: a region needs times "
                                     f"0 <= start < end (seconds), got start={start!r}, "
                                     f"end={end!r}")
                regions.append({**record, "start": float(start), "end": float(end)})
            regions_per_clip.append(regions)
        labels = (list(self.labels) if self.labels is not None
                  else sorted({r["label"] for regions in regions_per_clip for r in regions}))
        dropped: list[tuple[int, dict[str, Any]]] = []
        rows, targets = [], []
        with self._thread_limit():
            for index, (item, regions) in enumerate(zip(items, regions_per_clip, strict=True)):
                features, times, _ = self._clip(item, index)
                target = np.zeros(times.size, dtype=np.int64)
                for number, region in enumerate(drop_overlaps(regions, index, dropped)):
                    if region["label"] not in labels:
                        raise ValueError(f"annotations[{index}][{number}]: label "
                                         f"{region['label']!r} is not one of labels={labels!r}")
                    inside = (times >= region["start"]) & (times < region["end"])
                    target[inside] = labels.index(region["label"]) + 1
                rows.append(features)
                targets.append(target)
            warn_dropped(dropped, "regions", "FrameTagger")
            features = np.concatenate(rows)
            target = np.concatenate(targets)
            keep = self._subsample(target)
            features, target = features[keep], target[keep]
            self.labels_ = labels
            self.classes_ = ["background", *labels]
            present = np.unique(target)
            if present.size < 2:
                self.model_ = None
                self.constant_ = int(present[0])
            else:
                self.model_ = LogisticRegression(C=self.C, max_iter=500)
                self.model_.fit(features, target)
        self.n_dropped_ = len(dropped)
        self.is_fitted_ = True
        return self

    def _subsample(self, target: np.ndarray) -> np.ndarray:
        if target.size <= self.max_frames:
            return np.arange(target.size)
        rng = np.random.default_rng(self.random_state)
        events = np.flatnonzero(target > 0)
        background = np.flatnonzero(target == 0)
        if events.size >= self.max_frames // 2:
            events = rng.choice(events, self.max_frames // 2, replace=False)
        room = self.max_frames - events.size
        if background.size > room:
            background = rng.choice(background, room, replace=False)
        return np.sort(np.concatenate([events, background]))

    def _raw_proba(self, features: np.ndarray) -> np.ndarray:
        proba = np.zeros((features.shape[0], len(self.classes_)))
        if self.model_ is None:
            proba[:, self.constant_] = 1.0
        else:
            proba[:, self.model_.classes_] = self.model_.predict_proba(features)
        return proba

    def frame_proba(self, item: Any) -> tuple[np.ndarray, np.ndarray]:
        """Frame centre times (seconds) and each frame's probability of every class.

        Returns
        -------
        (ndarray of shape (n_frames,), ndarray of shape (n_frames, 1 + n_labels))
            Columns follow :attr:`classes_` (background first); not smoothed.

        Examples
        --------
        >>> rate = 8000
        >>> clip = np.zeros(rate)
        >>> tagger = FrameTagger().fit([(clip, rate)], [[]])
        >>> times, proba = tagger.frame_proba((clip, rate))
        >>> proba.shape
        (98, 1)
        """
        self._check_fitted()
        with self._thread_limit():
            features, times, _ = self._clip(item, 0)
            return times, self._raw_proba(features)

    def _suggest_one(self, item: Any, index: int) -> tuple[list[dict[str, Any]], float]:
        from scipy.ndimage import median_filter

        features, times, duration = self._clip(item, index)
        proba = self._raw_proba(features)
        hop = float(times[1] - times[0]) if times.size > 1 else self.hop_seconds
        width = round(self.smooth_seconds / hop)
        smooth = proba
        if width >= 2 and proba.shape[1] > 1:
            smooth = median_filter(proba, size=(width | 1, 1), mode="nearest")
        best = smooth.argmax(axis=1)
        change = np.flatnonzero(np.diff(best)) + 1
        runs = [[int(best[a]), a, b] for a, b in zip(np.concatenate(([0], change)).tolist(),
                                                   np.concatenate((change, [best.size])).tolist(),
                                                   strict=True) if best[a] != 0]
        merged: list[list[int]] = []
        for run in runs:  # [class, first frame, end frame]
            if (merged and merged[-1][0] == run[0]
                    and (run[1] - merged[-1][2]) * hop < self.min_gap):
                merged[-1][2] = run[2]
            else:
                merged.append(run)
        regions: list[dict[str, Any]] = []
        for cls, a, b in merged:
            start = max(0.0, float(times[a]) - hop / 2.0)
            end = min(duration, float(times[b - 1]) + hop / 2.0)
            if end - start < self.min_duration or end <= start:
                continue
            score = float(proba[a:b, cls].mean())
            if score < self.min_score:
                continue
            regions.append(model_record(self.classes_[cls], score, start=round(start, 4),
                                        end=min(round(end, 4), duration)))
        return regions, unit_uncertainty(proba, 0.1)

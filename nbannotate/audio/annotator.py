"""AudioAnnotator: label time regions of a recording, with waveform, spectrogram and playback.

The kernel keeps the samples; the browser gets only what it shows. The widget's state holds
an overview of the whole recording (min/max peaks, a few KB); everything else is requested by
the browser as custom messages keyed by a request id and answered with binary buffers:

* ``{"type": "peaks", "id", "start", "end", "columns"}`` (samples) → float32 min/max per
  column and channel, from a :class:`~nbannotate.audio._peaks.PeakPyramid`;
* ``{"type": "chunk", "id", "index"}`` → PCM samples ``[index * chunk_samples, ...)`` for
  playback (int16 when the recording is int16, else float32; channels one after another);
* ``{"type": "spectrogram", "id", "start", "end", "columns"}`` → a uint8 log-magnitude image.

Replies echo the request's ``id`` and ``view`` (every view of the widget receives every
reply and keeps its own) and carry the ``audio_id`` (which changes when :meth:`set_audio`
loads another recording) so the browser can drop stale ones. A bad request is answered with
``{"type": "request-error", "id", "message"}``.

Examples
--------
>>> import numpy as np
>>> from nbannotate import AudioAnnotator
>>> tone = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000).astype(np.float32)
>>> w = AudioAnnotator(tone, sample_rate=16000, labels=["speech", "bird"])
>>> w.duration
1.0
>>> w.regions = [{"start": 0.25, "end": 0.5, "label": "bird"}]
>>> w.regions[0]["source"]
'human'
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import traitlets

from ..media.audio import AudioClip, load_audio
from ..records import validate_records
from ..widget.base import AnnotatorWidget, static_file
from ..widget.labels import label_names
from ._peaks import PeakPyramid
from ._spectrogram import default_fft_size
from ._spectrogram import spectrogram as spectrogram_image

__all__ = ["AudioAnnotator", "format_time"]

#: Seconds of audio per playback chunk.
CHUNK_SECONDS = 4.0
#: Columns of the overview peaks sent with the widget's state.
OVERVIEW_COLUMNS = 2048
#: Upper bounds on what one request may ask for.
MAX_PEAK_COLUMNS = 16384
MAX_SPECTROGRAM_COLUMNS = 4096


def format_time(seconds: float) -> str:
    """Format seconds as ``m:ss.mmm`` (minutes unbounded), as the widget shows times.

    Examples
    --------
    >>> format_time(75.5), format_time(7200)
    ('1:15.500', '120:00.000')
    """
    # Half a millisecond rounds up, as in the browser (Math.round), not to even.
    millis = math.floor(max(0.0, seconds) * 1000 + 0.5)
    minutes, millis = divmod(millis, 60_000)
    return f"{minutes}:{millis // 1000:02d}.{millis % 1000:03d}"


class _BadRequestError(ValueError):
    pass


def _bad(content: dict[str, Any], text: str) -> _BadRequestError:
    return _BadRequestError(f"{content.get('type')} request: {text}")


def _number(content: dict[str, Any], key: str) -> float:
    value = content.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad(content, f"{key!r} must be a finite number, got {value!r}")
    return float(value)


class AudioAnnotator(AnnotatorWidget):
    """Mark time regions of a recording with labels; review model suggestions.

    Drag on the waveform to create a region with the current label, drag its edges to resize
    and its body to move it; number keys set labels, Delete removes, Ctrl/Cmd+Z undoes. Space
    plays and pauses, ``L`` toggles looping of the selected region; the wheel zooms around the
    pointer. Times snap to samples.

    Transcription (``transcribe=True``, for speech data): finishing a region opens a text field
    under it and plays the region (looping while Loop is on: the field's button, the toolbar's
    checkbox, or ``L`` outside the field); the text is saved in the region's ``text``. ``Enter``,
    ``F2`` or a double-click edits the selected region's text. In the field only these keys act
    (typed letters are text, never shortcuts):

    ====================  ======================================================
    ``Enter``             save the text (one undoable edit); playback stops
    ``Escape``            leave the text as it was
    ``Tab``/``Shift+Tab`` save, then transcribe the next / previous region in time
    ====================  ======================================================

    Parameters
    ----------
    audio : ndarray, str, PathLike or bytes
        A 1-D (mono) or 2-D (samples × channels) array of int16, int32, float32 or float64
        samples, or the path to / bytes of a WAV file (other formats with ``soundfile``).
        int16 is kept as it is, anything else as float32; arrays that already have that
        dtype are not copied.
    sample_rate : float, optional
        Samples per second; required for arrays.
    labels : list of str, optional
        Region labels; number keys 1–9 pick them.
    regions : list of dict, optional
        Initial regions: ``{"start", "end", "label"}`` in seconds (``end`` exclusive), plus
        optional ``id``, ``channel``, ``text``, ``source``, ``score``.
    suggestions : list of dict, optional
        Model regions to review (shown dashed, with their score); accepted ones move to
        ``regions``.
    label : str, optional
        The label of new regions (default: the first label).
    spectrogram : bool
        Show the spectrogram instead of the waveform.
    transcribe : bool
        Finishing a region opens a text field for its transcription (``text``); see above.

    Examples
    --------
    >>> import numpy as np
    >>> w = AudioAnnotator(np.zeros((800, 2), dtype=np.int16), 8000, ["a", "b"])
    >>> (w.duration, w.channels, w.label)
    (0.1, 2, 'a')
    """

    _record_fields = ("regions", "suggestions")

    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    regions: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    suggestions: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    spectrogram = traitlets.Bool(False).tag(sync=True)
    #: Finishing a region opens a text field for its transcription (the region's ``text``).
    transcribe = traitlets.Bool(False).tag(sync=True)

    sample_rate = traitlets.Float(read_only=True).tag(sync=True)
    duration = traitlets.Float(read_only=True).tag(sync=True)
    num_samples = traitlets.Int(read_only=True).tag(sync=True)
    channels = traitlets.Int(read_only=True).tag(sync=True)
    #: Largest |sample| in full-scale units (int16 / 32768); the view scales to it.
    peak = traitlets.Float(read_only=True).tag(sync=True)
    #: Samples per playback chunk, and their wire format ("int16" or "float32").
    chunk_samples = traitlets.Int(read_only=True).tag(sync=True)
    sample_format = traitlets.Unicode(read_only=True).tag(sync=True)
    #: Min/max peaks of the whole recording (float32, channels × columns × 2).
    overview = traitlets.Bytes(read_only=True).tag(sync=True)
    overview_columns = traitlets.Int(read_only=True).tag(sync=True)
    #: Changes whenever another recording is loaded: replies carry it.
    audio_id = traitlets.Int(0, read_only=True).tag(sync=True)

    _esm = static_file("audio.js")
    _css = static_file("audio.css")

    def __init__(self, audio: Any, sample_rate: float | None = None,
                 labels: Sequence[str] | None = None,
                 regions: Sequence[dict[str, Any]] | None = None, *,
                 suggestions: Sequence[dict[str, Any]] | None = None,
                 label: str | None = None, spectrogram: bool = False,
                 transcribe: bool = False) -> None:
        clip = load_audio(audio, sample_rate)
        label_list = label_names(labels, "labels", required=False)
        if label is None:
            label = label_list[0] if label_list else ""
        elif label_list and label not in label_list:
            raise ValueError(f"label must be one of {label_list}, got {label!r}")
        if not isinstance(spectrogram, bool):
            raise TypeError(f"spectrogram must be True or False, got {spectrogram!r}")
        if not isinstance(transcribe, bool):
            raise TypeError(f"transcribe must be True or False, got {transcribe!r}")
        self._request_lock = threading.Lock()
        #: Requests answered, by type ("peaks", "chunk", "spectrogram", "error").
        self._requests: Counter[str] = Counter()
        self._clip: AudioClip
        self._pyramid: PeakPyramid
        # Loaded by open(), before the comm opens: its first message then holds the whole
        # recording, so a view shown before any update (Voilà's progressive rendering) never
        # sees an empty recording.
        self._opening: tuple[AudioClip, list[Any], list[Any]] | None = (
            clip, list(regions or []), list(suggestions or []))
        super().__init__(labels=label_list, label=label, spectrogram=spectrogram,
                         transcribe=transcribe)

    def open(self) -> None:
        """Open the comm to the browser with the recording, regions and suggestions set."""
        opening, self._opening = getattr(self, "_opening", None), None
        if opening is not None:
            clip, regions, suggestions = opening
            self._load(clip)
            self.regions = regions
            self.suggestions = suggestions
        super().open()

    # -- the recording ------------------------------------------------------------------------
    def _load(self, clip: AudioClip) -> None:
        pyramid = PeakPyramid(clip.samples, scale=clip.scale)
        columns = min(OVERVIEW_COLUMNS, clip.num_samples)
        overview = pyramid.peaks(0, clip.num_samples, columns)
        self._clip, self._pyramid = clip, pyramid
        with self.hold_sync():
            self.set_trait("sample_rate", clip.sample_rate)
            self.set_trait("duration", clip.duration)
            self.set_trait("num_samples", clip.num_samples)
            self.set_trait("channels", clip.channels)
            self.set_trait("peak", clip.peak)
            self.set_trait("chunk_samples",
                           max(1, math.ceil(CHUNK_SECONDS * clip.sample_rate)))
            self.set_trait("sample_format",
                           "int16" if clip.samples.dtype == np.int16 else "float32")
            self.set_trait("overview_columns", int(overview.shape[1]))
            self.set_trait("overview", overview.tobytes())
            self.set_trait("audio_id", self.audio_id + 1)

    def set_audio(self, audio: Any, sample_rate: float | None = None, *,
                  regions: Sequence[dict[str, Any]] | None = None,
                  suggestions: Sequence[dict[str, Any]] | None = None) -> None:
        """Load another recording (same labels); regions and suggestions are replaced.

        Examples
        --------
        >>> w = AudioAnnotator(np.zeros(100, dtype=np.float32), 100, ["a"])
        >>> w.set_audio(np.zeros(300, dtype=np.float32), 100)
        >>> w.duration
        3.0
        """
        clip = load_audio(audio, sample_rate)
        with self.hold_sync():
            self.regions = []
            self.suggestions = []
            self._load(clip)
            self.regions = list(regions or [])
            self.suggestions = list(suggestions or [])

    @property
    def samples(self) -> np.ndarray:
        """The samples as kept (``channels × n``, int16 or float32; read-only view)."""
        view = self._clip.samples.view()
        view.flags.writeable = False
        return view

    def chunk(self, index: int) -> np.ndarray:
        """Samples of playback chunk ``index`` (``channels × length``), as sent to the browser.

        Examples
        --------
        >>> w = AudioAnnotator(np.arange(10, dtype=np.float32), 2, ["a"])
        >>> w.chunk_samples, w.chunk(1).tolist()
        (8, [[8.0, 9.0]])
        """
        size = self.chunk_samples
        count = -(-self.num_samples // size)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not (
                0 <= index < count):
            raise _BadRequestError(f"chunk index must be an integer in [0, {count}), "
                                   f"got {index!r}")
        return self._clip.samples[:, int(index) * size:(int(index) + 1) * size]

    # -- requests from the browser --------------------------------------------------------------
    def _handle_custom_message(self, content: dict[str, Any], buffers: list[Any]) -> None:
        kind = content.get("type")
        handlers = {"peaks": self._reply_peaks, "chunk": self._reply_chunk,
                    "spectrogram": self._reply_spectrogram}
        handler = handlers.get(str(kind))
        if handler is None:
            return
        try:
            reply, data = handler(content)
        except Exception as error:  # answer every request: the browser shows the message
            with self._request_lock:
                self._requests["error"] += 1
            text = str(error) if isinstance(error, _BadRequestError) else (
                f"{kind} request failed: {type(error).__name__}: {error}")
            self.send({"type": "request-error", "id": content.get("id"),
                       "audio_id": self.audio_id, "view": content.get("view"), "message": text})
            return
        reply.update(type=kind, id=content.get("id"), audio_id=self.audio_id,
                     view=content.get("view"))
        with self._request_lock:
            self._requests[str(kind)] += 1
        self.send(reply, buffers=[data])

    def _window(self, content: dict[str, Any], limit: int) -> tuple[int, int, int]:
        start, end = _number(content, "start"), _number(content, "end")
        columns = _number(content, "columns")
        if end <= start:
            raise _bad(content, f"end ({end}) must be greater than start ({start})")
        if not 1 <= columns <= limit:
            raise _bad(content, f"columns must be in [1, {limit}], got {columns}")
        if end <= 0 or start >= self.num_samples:
            raise _bad(content, f"window [{start}, {end}) is outside the recording (0 to "
                                f"{self.num_samples} samples)")
        return self._pyramid.clamp(start, end, int(columns))

    def _reply_peaks(self, content: dict[str, Any]) -> tuple[dict[str, Any], memoryview]:
        start, end, columns = self._window(content, MAX_PEAK_COLUMNS)
        out = self._pyramid.peaks(start, end, columns)
        block = self._pyramid.level_for((end - start) / columns)
        return ({"start": start, "end": end, "columns": columns, "channels": self.channels,
                 "block": block}, out.data.cast("B"))

    def _reply_chunk(self, content: dict[str, Any]) -> tuple[dict[str, Any], memoryview]:
        index = content.get("index")
        data = np.ascontiguousarray(self.chunk(index))  # type: ignore[arg-type]
        return ({"index": index, "start": int(index) * self.chunk_samples,  # type: ignore[arg-type]
                 "length": int(data.shape[1]), "channels": self.channels,
                 "format": self.sample_format}, data.data.cast("B"))

    def _reply_spectrogram(self, content: dict[str, Any]) -> tuple[dict[str, Any], memoryview]:
        start, end, columns = self._window(content, MAX_SPECTROGRAM_COLUMNS)
        image = spectrogram_image(self._clip.samples, self.sample_rate, start, end, columns=columns,
                            scale=self._clip.scale)
        return ({"start": start, "end": end, "width": int(image.shape[1]),
                 "height": int(image.shape[0]), "max_frequency": self.sample_rate / 2,
                 "n_fft": default_fft_size(self.sample_rate)}, image.data.cast("B"))

    # -- validation -----------------------------------------------------------------------------
    def _context(self) -> dict[str, Any]:
        return {"kind": "region", "duration": self.duration, "labels": self.labels or None,
                "channels": self.channels}

    def _validate_record(self, field: str, record: dict[str, Any]) -> dict[str, Any]:
        return validate_records([record], name=field, **self._context())[0]

    @traitlets.validate("regions")
    def _validate_regions(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._is_silent("regions"):
            return proposal["value"]  # already validated record by record
        return validate_records(proposal["value"], name="regions", **self._context())

    @traitlets.validate("suggestions")
    def _validate_suggestions(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._is_silent("suggestions"):
            return proposal["value"]
        out = validate_records(proposal["value"], name="suggestions", **self._context())
        for record in out:
            if record["source"] == "human":
                record["source"] = "model"
        return out

    @traitlets.validate("label")
    def _validate_label(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value and self.labels and value not in self.labels:
            raise ValueError(f"label must be one of {list(self.labels)}, got {value!r}")
        return value

    def _repr_summary(self) -> str:
        channels = f"{self.channels} channel" + ("s" if self.channels != 1 else "")
        return (f"{format_time(self.duration)} at {self.sample_rate:g} Hz, {channels}, "
                f"{len(self.regions)} regions, {len(self.suggestions)} suggestions")

"""TextAnnotator: label spans of a document (named entities, phrases), selected in the browser.

Span offsets are Python ``str`` offsets (code points), ``end`` exclusive, so
``text[s["start"]:s["end"]] == s["text"]`` holds for every span whatever the text contains;
the browser converts from its UTF-16 positions (``js/lib/offsets.ts``).

Examples
--------
>>> from nbannotate import TextAnnotator
>>> w = TextAnnotator("😀 Anna lives in Köln", labels=["PER", "LOC"])
>>> w.spans = [{"start": 2, "end": 6, "label": "PER"}]
>>> w.spans[0]["text"]
'Anna'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import traitlets

from ..records import validate_records
from ..widget.base import AnnotatorWidget, static_file
from ..widget.labels import label_names
from ._tokens_snap import Tokenizer, custom_tokens, is_token_aligned

__all__ = ["TextAnnotator"]

SNAP_MODES = ("token", "custom", "none")


class TextAnnotator(AnnotatorWidget):
    """Select text with the mouse to label spans; overlapping and nested spans are allowed.

    Drag across text, double-click a word, or shift+click to extend the selected span: the
    span gets the current label. Number keys 1–9 pick the label (with a span selected they
    relabel it), a click selects a span (Tab cycles), Delete removes it, Ctrl/Cmd+Z and
    Ctrl/Cmd+Shift+Z undo and redo. Model suggestions are drawn dashed with their score:
    Enter (or the ✓ button) accepts the selected one, Delete rejects it.

    Parameters
    ----------
    text : str
        The document. It crosses to the browser once.
    labels : list of str
        Span labels; keys 1–9 pick the first nine.
    spans : list of dict, optional
        Initial spans: ``start``, ``end`` (code points, end exclusive), ``label``, optional
        ``id``, ``source``, ``score`` and ``text`` (filled in, or checked, from the document).
    suggestions : list of dict, optional
        Model spans shown for review (``source`` is set to ``"model"``; ``score`` in [0, 1]).
    snap : "token", callable or None
        ``"token"`` (default) widens a selection to whole tokens of
        :func:`nbannotate.formats.tokens.tokenize`; a callable ``tokenizer(text)`` returning
        ``(start, end)`` code-point pairs uses those tokens instead; ``None`` keeps the
        selected characters exactly.
    label : str, optional
        The label for new spans (default: the first label).

    Attributes
    ----------
    spans : list of dict
        Span records ``{id, start, end, label, text, source, score?}``.
    suggestions : list of dict
        Model spans awaiting review.
    label : str
        The current label.

    Examples
    --------
    >>> w = TextAnnotator("Anna lives in Köln", labels=["PER", "LOC"],
    ...                   spans=[{"start": 14, "end": 18, "label": "LOC"}])
    >>> [(s["text"], s["label"]) for s in w.spans]
    [('Köln', 'LOC')]
    >>> w.label
    'PER'
    """

    _record_fields = ("spans", "suggestions")

    text = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    spans: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    suggestions: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    #: How the browser snaps selections: "token" (default tokenizer, computed in the
    #: browser), "custom" (the tokens in ``token_offsets``) or "none".
    snap_mode = traitlets.Enum(SNAP_MODES, default_value="token").tag(sync=True)
    #: Custom tokens as little-endian Int32 UTF-16 offsets [s0, e0, s1, e1, ...].
    token_offsets = traitlets.Bytes(b"").tag(sync=True)

    _esm = static_file("text.js")
    _css = static_file("text.css")

    def __init__(self, text: str, labels: Sequence[str], *,
                 spans: Iterable[dict[str, Any]] | None = None,
                 suggestions: Iterable[dict[str, Any]] | None = None,
                 snap: str | Tokenizer | None = "token",
                 label: str | None = None) -> None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        label_list = label_names(labels, "labels")
        if label is None:
            label = label_list[0]
        elif label not in label_list:
            raise ValueError(f"label must be one of {label_list}, got {label!r}")
        self._snap: str | Tokenizer | None = "token"
        self._custom: tuple[frozenset[int], frozenset[int]] | None = None
        self._tokens_for: str | None = None  # the text that _custom was computed for
        self._known_ranges: set[tuple[int, int]] = set()
        mode, buffer, custom = self._prepare_snap(text, snap)
        self._snap, self._custom, self._tokens_for = snap, custom, text
        # Set by open(), before the comm opens: its first message then holds the spans, so a
        # view shown before any update (Voilà's progressive rendering) draws them at once.
        self._opening: tuple[list[Any], list[Any]] | None = (list(spans or []),
                                                             list(suggestions or []))
        super().__init__(text=text, labels=label_list, label=label, snap_mode=mode,
                         token_offsets=buffer)

    def open(self) -> None:
        """Open the comm to the browser with the spans and suggestions set."""
        opening, self._opening = getattr(self, "_opening", None), None
        if opening is not None:
            self.spans, self.suggestions = opening
        super().open()

    # -- snapping -------------------------------------------------------------------------
    @staticmethod
    def _prepare_snap(text: str, snap: Any) -> tuple[
            str, bytes, tuple[frozenset[int], frozenset[int]] | None]:
        if snap is None:
            return "none", b"", None
        if isinstance(snap, str):
            if snap != "token":
                raise ValueError(f"snap must be 'token', None or a tokenizer callable, "
                                 f"got {snap!r}")
            return "token", b"", None
        if callable(snap):
            buffer, starts, ends = custom_tokens(text, snap)
            return "custom", buffer, (starts, ends)
        raise TypeError(f"snap must be 'token', None or a tokenizer callable, "
                        f"got {type(snap).__name__}")

    @property
    def snap(self) -> str | Tokenizer | None:
        """How selections snap: ``"token"``, a tokenizer callable, or ``None`` (exact).

        Examples
        --------
        >>> w = TextAnnotator("a b", labels=["X"], snap=None)
        >>> w.snap is None, w.snap_mode
        (True, 'none')
        """
        return self._snap

    @snap.setter
    def snap(self, value: str | Tokenizer | None) -> None:
        mode, buffer, custom = self._prepare_snap(self.text, value)
        self._snap, self._custom, self._tokens_for = value, custom, self.text
        with self.hold_sync():
            self.token_offsets = buffer
            self.snap_mode = mode

    # -- loading --------------------------------------------------------------------------
    def load(self, text: str, spans: Iterable[dict[str, Any]] | None = None,
             suggestions: Iterable[dict[str, Any]] | None = None) -> None:
        """Replace the document together with its spans and suggestions (one redraw).

        Parameters
        ----------
        text : str
            The new document.
        spans, suggestions : list of dict, optional
            Records for the new document (default: none).

        Examples
        --------
        >>> w = TextAnnotator("first", labels=["X"], spans=[{"start": 0, "end": 5,
        ...                                                  "label": "X"}])
        >>> w.load("second text", spans=[{"start": 7, "end": 11, "label": "X"}])
        >>> w.spans[0]["text"]
        'text'
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        # Check everything before changing anything.
        span_list = validate_records(spans, kind="span", name="spans", text=text,
                                     labels=self.labels)
        suggestion_list = validate_records(suggestions, kind="span", name="suggestions",
                                           text=text, labels=self.labels)
        mode, buffer, custom = self._prepare_snap(text, self._snap)
        with self.hold_sync():
            self.spans = []
            self.suggestions = []
            self._custom, self._tokens_for = custom, text
            self.text = text
            self.token_offsets = buffer
            self.snap_mode = mode
            self._known_ranges = set()
            self.spans = span_list
            self.suggestions = suggestion_list

    # -- suggestions from Python -------------------------------------------------------------
    def _pick(self, ids: Iterable[str] | None) -> tuple[list[dict[str, Any]],
                                                         list[dict[str, Any]]]:
        if ids is None:
            return list(self.suggestions), []
        if isinstance(ids, str):
            ids = [ids]
        wanted = list(ids)
        known = {s["id"] for s in self.suggestions}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise ValueError(f"ids: no suggestion with id(s) {missing}; suggestions have "
                             f"ids {sorted(known)}")
        chosen = [s for s in self.suggestions if s["id"] in wanted]
        rest = [s for s in self.suggestions if s["id"] not in wanted]
        return chosen, rest

    def accept_suggestions(self, ids: Iterable[str] | str | None = None) -> list[dict[str, Any]]:
        """Accept suggestions as human spans (all of them by default); return the new spans.

        As in the browser, an accepted suggestion keeps its id, loses its score, and is only
        removed when a span with the same range and label exists already.

        Examples
        --------
        >>> w = TextAnnotator("Anna lives", labels=["PER"],
        ...                   suggestions=[{"start": 0, "end": 4, "label": "PER", "score": 0.9}])
        >>> [s["text"] for s in w.accept_suggestions()], w.suggestions
        (['Anna'], [])
        """
        chosen, rest = self._pick(ids)
        have = {(s["start"], s["end"], s["label"]) for s in self.spans}
        accepted = []
        for suggestion in chosen:
            key = (suggestion["start"], suggestion["end"], suggestion["label"])
            if key not in have:
                have.add(key)
                accepted.append({k: v for k, v in suggestion.items() if k != "score"}
                                | {"source": "human"})
        with self.hold_sync():
            self.suggestions = rest
            self.spans = [*self.spans, *accepted]
        return accepted

    def reject_suggestions(self, ids: Iterable[str] | str | None = None) -> list[dict[str, Any]]:
        """Drop suggestions (all of them by default); return the dropped ones.

        Examples
        --------
        >>> w = TextAnnotator("Anna lives", labels=["PER"],
        ...                   suggestions=[{"id": "s1", "start": 0, "end": 4, "label": "PER"}])
        >>> [s["id"] for s in w.reject_suggestions("s1")]
        ['s1']
        """
        chosen, rest = self._pick(ids)
        self.suggestions = rest
        return chosen

    # -- validation -----------------------------------------------------------------------
    def _validate_list(self, field: str, value: Any, *,
                       remember: bool = True) -> list[dict[str, Any]]:
        out = validate_records(value, kind="span", name=field, text=self.text,
                               labels=self.labels)
        if field == "suggestions":
            for record in out:
                record["source"] = "model"
        if remember:  # ranges set from Python are accepted back even when not token-aligned
            self._known_ranges.update((r["start"], r["end"]) for r in out)
        return out

    def _validate_record(self, field: str, record: dict[str, Any]) -> dict[str, Any]:
        clean = self._validate_list(field, [record], remember=False)[0]
        span = (clean["start"], clean["end"])
        if (field == "spans" and self.snap_mode != "none" and span not in self._known_ranges
                and not is_token_aligned(self.text, *span, self._custom)):
            raise ValueError(
                f"spans: span [{span[0]}:{span[1]}] ({clean['text']!r}) does not start and end "
                f"on token boundaries (snap={self.snap_mode!r})")
        return clean

    @traitlets.validate("spans", "suggestions")
    def _validate_lists(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        field = proposal["trait"].name
        if self._is_silent(field):
            return proposal["value"]  # a browser edit, already validated record by record
        return self._validate_list(field, proposal["value"])

    @traitlets.validate("label")
    def _validate_label(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if self.labels and value not in self.labels:
            raise ValueError(f"label must be one of {list(self.labels)}, got {value!r}")
        return value

    @traitlets.validate("text")
    def _validate_text(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        for field in ("spans", "suggestions"):
            try:
                validate_records(getattr(self, field), kind="span", name=field, text=value)
            except (TypeError, ValueError) as error:
                raise ValueError(f"text: the current {field} do not fit the new text ({error}); "
                                 "use load(text, spans=...) to replace both") from None
        return value

    @traitlets.observe("text")
    def _retokenize(self, change: dict[str, Any]) -> None:
        text = change["new"]
        if callable(self._snap) and self._tokens_for is not text:
            buffer, starts, ends = custom_tokens(text, self._snap)
            self._custom, self._tokens_for = (starts, ends), text
            self.token_offsets = buffer

    def _repr_summary(self) -> str:
        return (f"{len(self.text)} characters, {len(self.spans)} spans, "
                f"{len(self.suggestions)} suggestions")


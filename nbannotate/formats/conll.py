"""CoNLL-style BIO (IOB2) token tags to and from document items.

Writing: each document is tokenized (``tokens.tokenize`` by default) and written as one
block of ``token TAG`` lines (``O``, ``B-<label>``, ``I-<label>``), blocks separated by a
blank line; ``docstart=True`` puts a ``-DOCSTART- O`` line (and a blank line) before each
document, which also keeps empty documents. BIO tags cannot hold overlapping spans, nor
spans that start or end inside a token: these are reported, never silently changed. By
default ``ValueError`` lists them; with ``on_overlap="drop"`` / ``on_misaligned="drop"``
the first span of an overlapping group (earliest start, then longest) is kept, the others
are left out, and a :class:`DroppedSpansWarning` names them (its ``dropped`` attribute
holds ``(document index, span)`` pairs). Ids, sources and scores are not written.

Reading: the first column is the token and the last the tag, so CoNLL-2003's four
columns read too. Without ``-DOCSTART-`` lines each block is a document; with them each
``-DOCSTART-`` starts a document whose blocks (sentences) are joined by a line break.
Tokens are joined by single spaces to rebuild the text, unless the original texts are
given (``texts=``), in which case every token is found in order in its text (only
whitespace may lie between tokens) and spans get exact offsets. An ``I-`` tag that does not
continue a span of the same label starts one (so IOB1 files read as well).

Examples
--------
>>> docs = [{"text": "😀 Anna lives in Köln.", "spans": [
...     {"start": 2, "end": 6, "label": "PER"}, {"start": 16, "end": 20, "label": "LOC"}]}]
>>> print(to_conll(docs), end="")
😀 O
Anna B-PER
lives O
in O
Köln B-LOC
. O
<BLANKLINE>
>>> doc = from_conll(to_conll(docs))[0]
>>> doc["text"], [(s["start"], s["text"]) for s in doc["spans"]]
('😀 Anna lives in Köln .', [(2, 'Anna'), (16, 'Köln')])
>>> [s["start"] for s in from_conll(to_conll(docs), texts=[docs[0]["text"]])[0]["spans"]]
[2, 16]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from ..records import Span, new_id
from ._common import DocumentItem, check_document_item, check_list, warn
from .tokens import tokenize

__all__ = ["DroppedSpansWarning", "from_conll", "to_conll"]

DOCSTART = "-DOCSTART-"


class DroppedSpansWarning(UserWarning):
    """Spans left out of an export; ``dropped`` lists ``(document index, span)`` pairs."""

    def __init__(self, message: str, dropped: list[tuple[int, Span]]) -> None:
        super().__init__(message)
        self.dropped = dropped


def _show(span: Span) -> str:
    return f"span {span['id']!r} {span['label']} [{span['start']}:{span['end']}] {span['text']!r}"


def _check_tokens(text: str, tokens: Any, where: str) -> list[tuple[int, int]]:
    out = []
    previous = 0
    for number, pair in enumerate(tokens):
        start, end = int(pair[0]), int(pair[1])
        piece = text[start:end]
        if start < previous or end <= start or end > len(text) or any(c.isspace()
                                                                       for c in piece):
            raise ValueError(f"{where}: tokenizer gave token {number} [{start}:{end}] "
                             f"{piece!r}; tokens must be in order, non-empty and without "
                             "whitespace")
        out.append((start, end))
        previous = end
    return out


def _tags(doc: DocumentItem, index: int, tokens: list[tuple[int, int]], on_overlap: str,
          on_misaligned: str, dropped: list[tuple[int, Span]]) -> list[str]:
    where = f"document {index}" + (f" (id={doc['id']!r})" if "id" in doc else "")
    starts = {start: number for number, (start, _) in enumerate(tokens)}
    ends = {end: number for number, (_, end) in enumerate(tokens)}
    for span in doc["spans"]:
        if not span["label"] or any(c.isspace() for c in span["label"]):
            raise ValueError(f"{where}: {_show(span)}: a CoNLL tag cannot hold a label that is "
                             "empty or contains whitespace")
    misaligned = [s for s in doc["spans"] if s["start"] not in starts or s["end"] not in ends]
    if misaligned and on_misaligned == "raise":
        raise ValueError(f"{where}: spans not on token boundaries cannot be written as BIO "
                         f"tags: {'; '.join(_show(s) for s in misaligned)} (tokens of the text: "
                         f"{[doc['text'][a:b] for a, b in tokens][:50]}); pass "
                         "on_misaligned='drop' to leave them out with a warning")
    dropped += [(index, s) for s in misaligned]
    skip = {s["id"] for s in misaligned}
    kept: list[Span] = []
    overlaps: list[tuple[Span, Span]] = []
    for span in sorted((s for s in doc["spans"] if s["id"] not in skip),
                       key=lambda s: (s["start"], -s["end"])):
        # kept spans do not overlap and are sorted, so only the last one can reach this one
        if kept and span["start"] < kept[-1]["end"]:
            overlaps.append((span, kept[-1]))
        else:
            kept.append(span)
    if overlaps and on_overlap == "raise":
        listed = "; ".join(f"{_show(a)} overlaps {_show(b)}" for a, b in overlaps)
        raise ValueError(f"{where}: overlapping spans cannot be written as BIO tags: {listed}; "
                         "pass on_overlap='drop' to keep the first of each overlapping group "
                         "(with a warning naming the others)")
    dropped += [(index, span) for span, _ in overlaps]
    tags = ["O"] * len(tokens)
    for span in kept:
        first, last = starts[span["start"]], ends[span["end"]]
        tags[first] = f"B-{span['label']}"
        for number in range(first + 1, last + 1):
            tags[number] = f"I-{span['label']}"
    return tags


def to_conll(docs: Sequence[Any], *, docstart: bool = False, on_overlap: str = "raise",
             on_misaligned: str = "raise",
             tokenizer: Callable[[str], Sequence[tuple[int, int]]] = tokenize) -> str:
    """Write document items as CoNLL ``token TAG`` lines with BIO (IOB2) tags.

    Parameters
    ----------
    docs : list of dict
        Document items ``{"text", "spans", "id"?}``.
    docstart : bool
        Start each document with a ``-DOCSTART- O`` line.
    on_overlap, on_misaligned : {"raise", "drop"}
        What to do with overlapping spans / spans not on token boundaries (see the module
        notes); ``"drop"`` warns with a :class:`DroppedSpansWarning`.
    tokenizer : callable
        ``text -> [(start, end), ...]``; default :func:`tokenize`.

    Returns
    -------
    str
        The CoNLL text, each block followed by a blank line.

    Examples
    --------
    >>> docs = [{"text": "New York City", "spans": [
    ...     {"id": "a", "start": 0, "end": 8, "label": "LOC"},
    ...     {"id": "b", "start": 4, "end": 13, "label": "LOC"}]}]
    >>> to_conll(docs)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: document 0: overlapping spans cannot be written as BIO tags: span 'b' LOC ...
    """
    for name, value in (("on_overlap", on_overlap), ("on_misaligned", on_misaligned)):
        if value not in ("raise", "drop"):
            raise ValueError(f"{name} must be 'raise' or 'drop', got {value!r}")
    out: list[str] = []
    dropped: list[tuple[int, Span]] = []
    empty: list[int] = []
    for index, raw in enumerate(check_list(docs, "docs")):
        doc = check_document_item(raw, index)
        tokens = _check_tokens(doc["text"], tokenizer(doc["text"]), f"document {index}")
        tags = _tags(doc, index, tokens, on_overlap, on_misaligned, dropped)
        if docstart:
            out.append(f"{DOCSTART} O\n\n")
        elif not tokens:
            empty.append(index)
            continue
        if tokens:
            out.append("".join(f"{doc['text'][a:b]} {tag}\n"
                               for (a, b), tag in zip(tokens, tags, strict=True)) + "\n")
    if empty:
        warn(f"CoNLL: documents {empty} have no tokens and were not written (pass "
             "docstart=True to keep every document)")
    if dropped:
        listed = "; ".join(f"document {d}: {_show(s)}" for d, s in dropped)
        warnings.warn(DroppedSpansWarning(f"CoNLL: {len(dropped)} spans left out (BIO tags "
                                          f"cannot hold them): {listed}", dropped), stacklevel=2)
    return "".join(out)


def _parse(text: str) -> list[list[list[tuple[str, str, int]]]]:
    """Documents as lists of blocks of ``(token, tag, line number)``."""
    lines = text.split("\n")
    by_docstart = any(line.split()[:1] == [DOCSTART] for line in lines)
    documents: list[list[list[tuple[str, str, int]]]] = []
    # With -DOCSTART- lines, ``doc`` is None until the first one (or until content before it).
    doc: list[list[tuple[str, str, int]]] | None = None if by_docstart else []
    block: list[tuple[str, str, int]] = []
    for number, line in enumerate([*lines, ""], 1):  # a final blank line closes the last block
        fields = line.split()
        if fields and fields[0] != DOCSTART:
            if len(fields) < 2:
                raise ValueError(f"CoNLL line {number}: expected 'token TAG', got {line!r}")
            tag = fields[-1]
            if tag != "O" and (tag[:2] not in ("B-", "I-") or len(tag) < 3):
                raise ValueError(f"CoNLL line {number}: tag must be 'O', 'B-<label>' or "
                                 f"'I-<label>', got {tag!r}")
            block.append((fields[0], tag, number))
            continue
        if block:
            doc = [] if doc is None else doc
            doc.append(block)
            block = []
        starts_document = bool(fields)  # a -DOCSTART- line
        ends_document = starts_document or not by_docstart  # else a blank line ends a sentence
        if ends_document and doc is not None and (doc or by_docstart):
            documents.append(doc)
        if ends_document:
            doc = []
    if by_docstart and doc is not None:
        documents.append(doc)
    return documents


def _locate(original: str, tokens: list[tuple[str, str, int]], position: int,
            index: int) -> tuple[list[int], int]:
    starts = []
    for token, _, number in tokens:
        while position < len(original) and original[position].isspace():
            position += 1
        if not original.startswith(token, position):
            found = original[position:position + len(token) + 10]
            raise ValueError(f"CoNLL line {number}: token {token!r} is not next in texts[{index}] "
                             f"at offset {position} (the text has {found!r} there)")
        starts.append(position)
        position += len(token)
    return starts, position


def from_conll(text: str, *, texts: Sequence[str] | None = None) -> list[DocumentItem]:
    """Read CoNLL ``token ... TAG`` lines into document items.

    Parameters
    ----------
    text : str
        The CoNLL file content.
    texts : list of str, optional
        The original document texts, one per document in the file: spans then get their
        exact offsets in these texts, which the documents keep.

    Returns
    -------
    list of DocumentItem
        With spans of fresh ids and ``source="human"``.

    Examples
    --------
    >>> from_conll("Anna B-PER\\nlebt O\\n")[0]["spans"][0]["text"]
    'Anna'
    >>> from_conll("Anna\\n")
    Traceback (most recent call last):
    ...
    ValueError: CoNLL line 1: expected 'token TAG', got 'Anna'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    documents = _parse(text.replace("\r\n", "\n"))
    if texts is not None:
        texts = check_list(texts, "texts")
        if len(texts) != len(documents):
            raise ValueError(f"texts has {len(texts)} entries but the CoNLL text holds "
                             f"{len(documents)} documents")
    out: list[DocumentItem] = []
    for index, blocks in enumerate(documents):
        pieces: list[str] = []
        spans: list[dict[str, Any]] = []
        position = length = 0
        for block in blocks:
            if texts is not None:
                starts, position = _locate(texts[index], block, position, index)
            else:
                if pieces:
                    pieces.append("\n")
                    length += 1
                starts = []
                for token, _, _ in block:
                    starts.append(length)
                    length += len(token) + 1
                length -= 1
                pieces.append(" ".join(token for token, _, _ in block))
            current: dict[str, Any] | None = None
            for (token, tag, _), start in zip(block, starts, strict=True):
                label = tag[2:]
                if tag.startswith("I-") and current is not None and current["label"] == label:
                    current["end"] = start + len(token)
                    continue
                current = None
                if tag != "O":
                    current = {"id": new_id(), "label": label, "start": start,
                               "end": start + len(token), "source": "human"}
                    spans.append(current)
        document = texts[index] if texts is not None else "".join(pieces)
        if texts is not None and document[position:].strip():
            raise ValueError(f"texts[{index}] goes on after the last CoNLL token of document "
                             f"{index} with {document[position:position + 20]!r}")
        out.append(check_document_item({"text": document, "spans": spans}, index))
    return out

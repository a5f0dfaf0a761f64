"""Prodigy / spaCy-style JSONL (one task per line) to and from document items.

Each line is ``{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start",
"end", "token_start", "token_end", "label"}]}`` with ``token_end`` **inclusive**, as Prodigy
writes it, and code-point character offsets (Python ``str`` offsets, as spaCy's). Tokens
come from ``tokens.tokenize`` (or ``tokenizer=``); a span must start and end on token
boundaries. Overlapping spans are kept (Prodigy's ``spans.manual`` allows them). A span's
``score`` is written as is; its ``id`` and ``source`` and the document ``id`` go to
``nbannotate_id`` / ``nbannotate_source`` keys, which Prodigy keeps and ignores.

Reading checks every offset against the text and the tokens and names the line and span
that disagree. Tasks with ``"answer": "reject"`` or ``"ignore"`` are skipped (their spans
are not labels) with a warning saying how many. Spans without ``nbannotate_id`` get fresh
ids; without ``nbannotate_source`` they are ``"human"``.

Examples
--------
>>> docs = [{"id": "d1", "text": "😀 Anna lives in Köln", "spans": [
...     {"id": "s1", "start": 16, "end": 20, "label": "LOC"}]}]
>>> line = to_jsonl(docs)
>>> import json
>>> {k: v for k, v in json.loads(line)["spans"][0].items() if not k.startswith("nb")}
{'start': 16, 'end': 20, 'token_start': 4, 'token_end': 4, 'label': 'LOC'}
>>> from_jsonl(line)[0]["spans"][0]["id"]
's1'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..records import new_id
from ._common import DocumentItem, check_document_item, check_list, warn
from .tokens import tokenize

__all__ = ["from_jsonl", "to_jsonl"]


def to_jsonl(docs: Sequence[Any], *,
             tokenizer: Callable[[str], Sequence[tuple[int, int]]] = tokenize) -> str:
    """Write document items as Prodigy JSONL, one task per line.

    Parameters
    ----------
    docs : list of dict
        Document items ``{"text", "spans", "id"?}``.
    tokenizer : callable
        ``text -> [(start, end), ...]``; default :func:`tokenize`.

    Returns
    -------
    str
        One JSON object per line (UTF-8 text, not ASCII-escaped), each ending in ``\\n``.

    Examples
    --------
    >>> to_jsonl([{"text": "Anna", "spans": [
    ...     {"id": "s", "start": 0, "end": 2, "label": "X"}]}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: document 0, span 0 (id='s'): text[0:2] 'An' does not end on a token boundary ...
    """
    lines = []
    for index, raw in enumerate(check_list(docs, "docs")):
        doc = check_document_item(raw, index)
        text = doc["text"]
        where = f"document {index}" + (f" (id={doc['id']!r})" if "id" in doc else "")
        tokens = []
        for number, (start, end) in enumerate(tokenizer(text)):
            tokens.append({"text": text[start:end], "start": start, "end": end, "id": number,
                           "ws": end < len(text) and text[end].isspace()})
        starts = {t["start"]: t["id"] for t in tokens}
        ends = {t["end"]: t["id"] for t in tokens}
        spans = []
        for number, span in enumerate(doc["spans"]):
            for edge, table in (("start", starts), ("end", ends)):
                if (span["start"] if edge == "start" else span["end"]) not in table:
                    raise ValueError(f"{where}, span {number} (id={span['id']!r}): "
                                     f"text[{span['start']}:{span['end']}] {span['text']!r} "
                                     f"does not {edge} on a token boundary (tokens: "
                                     f"{[t['text'] for t in tokens][:50]})")
            out: dict[str, Any] = {"start": span["start"], "end": span["end"],
                                   "token_start": starts[span["start"]],
                                   "token_end": ends[span["end"]], "label": span["label"]}
            if "score" in span:
                out["score"] = span["score"]
            out.update(nbannotate_id=span["id"], nbannotate_source=span["source"])
            spans.append(out)
        task: dict[str, Any] = {"text": text, "tokens": tokens, "spans": spans}
        if "id" in doc:
            task["nbannotate_id"] = doc["id"]
        lines.append(json.dumps(task, ensure_ascii=False) + "\n")
    return "".join(lines)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_tokens(task: Mapping[str, Any], text: str, where: str) -> list[Mapping[str, Any]]:
    tokens = task.get("tokens")
    if tokens is None:
        return []
    if not isinstance(tokens, list):
        raise ValueError(f"{where}: field 'tokens' must be a list, got {tokens!r}")
    for number, token in enumerate(tokens):
        here = f"{where}, token {number}"
        if not isinstance(token, Mapping) or not all(_integer(token.get(k))
                                                     for k in ("start", "end")):
            raise ValueError(f"{here}: must have integer 'start' and 'end', got {token!r}")
        start, end = token["start"], token["end"]
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"{here}: offsets [{start}:{end}] are outside the text "
                             f"({len(text)} characters)")
        if "text" in token and token["text"] != text[start:end]:
            raise ValueError(f"{here}: text[{start}:{end}] is {text[start:end]!r} but the "
                             f"token's text is {token['text']!r}")
    return tokens


def _span(raw: Any, text: str, tokens: list[Mapping[str, Any]], where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or not (_integer(raw.get("start"))
                                            and _integer(raw.get("end"))):
        raise ValueError(f"{where}: must have integer 'start' and 'end', got {raw!r}")
    start, end = raw["start"], raw["end"]
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: offsets [{start}:{end}] must satisfy 0 <= start < end <= "
                         f"{len(text)} (the text length)")
    if "text" in raw and raw["text"] != text[start:end]:
        raise ValueError(f"{where}: text[{start}:{end}] is {text[start:end]!r} but the span's "
                         f"text is {raw['text']!r}")
    first, last = raw.get("token_start"), raw.get("token_end")
    if tokens and first is not None and last is not None:
        if not (_integer(first) and _integer(last) and 0 <= first <= last < len(tokens)):
            raise ValueError(f"{where}: token_start/token_end must be token indices in "
                             f"[0, {len(tokens)}) with token_start <= token_end (inclusive), "
                             f"got {first!r}, {last!r}")
        a, b = tokens[first]["start"], tokens[last]["end"]
        if (a, b) != (start, end):
            raise ValueError(f"{where}: text[{start}:{end}] is {text[start:end]!r} but token "
                             f"offsets say [{a}:{b}] {text[a:b]!r} (tokens {first}..{last}, "
                             "token_end inclusive)")
    record: dict[str, Any] = {"id": raw.get("nbannotate_id") or new_id(), "start": start,
                              "end": end, "label": raw.get("label"),
                              "source": raw.get("nbannotate_source") or "human"}
    if raw.get("score") is not None:
        record["score"] = raw["score"]
    return record


def from_jsonl(text: str) -> list[DocumentItem]:
    """Read Prodigy JSONL into document items.

    Parameters
    ----------
    text : str
        The file content: one JSON task per line (blank lines are skipped).

    Returns
    -------
    list of DocumentItem
        One per accepted task (or task without ``answer``), in file order.

    Examples
    --------
    >>> line = ('{"text": "in Köln", "tokens": [{"text": "in", "start": 0, "end": 2, "id": 0},'
    ...         ' {"text": "Köln", "start": 3, "end": 7, "id": 1}], "spans": [{"start": 3,'
    ...         ' "end": 7, "token_start": 0, "token_end": 1, "label": "LOC"}]}')
    >>> from_jsonl(line)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: JSONL line 1, span 0: text[3:7] is 'Köln' but token offsets say [0:7] 'in Köln' ...
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    documents: list[DocumentItem] = []
    skipped = 0
    # Split on "\n" only: str.splitlines() would also break at U+2028 inside JSON strings.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"JSONL line {number}"
        try:
            task = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not valid JSON ({error.msg} at column "
                             f"{error.colno})") from None
        if not isinstance(task, Mapping) or not isinstance(task.get("text"), str):
            raise ValueError(f"{where}: must be an object with a 'text' string, got "
                             f"{line[:80]!r}")
        if task.get("answer") in ("reject", "ignore"):
            skipped += 1
            continue
        document = task["text"]
        tokens = _check_tokens(task, document, where)
        spans = task.get("spans") or []
        if not isinstance(spans, list):
            raise ValueError(f"{where}: field 'spans' must be a list, got {spans!r}")
        records = [_span(raw, document, tokens, f"{where}, span {n}")
                   for n, raw in enumerate(spans)]
        doc: dict[str, Any] = {"text": document, "spans": records}
        if isinstance(task.get("nbannotate_id"), str):
            doc["id"] = task["nbannotate_id"]
        try:
            documents.append(check_document_item(doc))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
    if skipped:
        warn(f"Prodigy JSONL: {skipped} rejected or ignored tasks were skipped")
    return documents

"""Label Studio text tasks (named-entity spans).

One task per document item: ``data`` holds the text (under ``data_key``) and the document
``id`` as ``nbannotate_id``. Each span is a ``labels`` result with ``start``, ``end``,
``text`` and ``labels`` ``[label]``; human spans go to ``annotations``, model and auto spans
to ``predictions`` (as for images).

Offsets: Label Studio stores code-point offsets for ``<Text>`` since its fix for emoji
(label-studio PR #1559), the same as Python ``str`` offsets, so they are copied as they
are (``offsets="codepoint"``). Exports from older versions counted UTF-16 code units
(JavaScript string positions): read and write them with ``offsets="utf16"``. Reading
checks every result's ``text`` against the document and names the result when they
differ.

Examples
--------
>>> docs = [{"id": "d1", "text": "😀 Anna lives in Köln", "spans": [
...     {"id": "s1", "start": 16, "end": 20, "label": "LOC"}]}]
>>> value = to_labelstudio_text(docs)[0]["annotations"][0]["result"][0]["value"]
>>> value
{'start': 16, 'end': 20, 'text': 'Köln', 'labels': ['LOC']}
>>> to_labelstudio_text(docs, offsets="utf16")[0]["annotations"][0]["result"][0]["value"]["start"]
17
>>> from_labelstudio_text(to_labelstudio_text(docs))[0]["spans"][0]["text"]
'Köln'
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .._common import DocumentItem, check_document_item, check_list
from ._common import (
    PREFIX,
    Results,
    common_fields,
    load_tasks,
    make_task,
    offset_converters,
    result_base,
    validated,
    warn_skipped,
)

__all__ = ["from_labelstudio_text", "to_labelstudio_text"]


def to_labelstudio_text(docs: Sequence[Any], *, from_name: str = "label", to_name: str = "text",
                        data_key: str = "text", offsets: str = "codepoint"
                        ) -> list[dict[str, Any]]:
    """Convert document items to Label Studio tasks.

    Parameters
    ----------
    docs : list of dict
        Document items ``{"text", "spans", "id"?}``.
    from_name : str
        Name of the ``<Labels>`` control.
    to_name : str
        Name of the ``<Text>`` object.
    data_key : str
        The task data key ``<Text value="$text">`` reads.
    offsets : {"codepoint", "utf16"}
        Offset units to write (see the module notes).

    Returns
    -------
    list of dict
        One task per document.

    Examples
    --------
    >>> task = to_labelstudio_text([{"text": "Anna", "spans": [
    ...     {"id": "s", "start": 0, "end": 4, "label": "PER", "source": "model",
    ...      "score": 0.75}]}])[0]
    >>> task["predictions"][0]["score"], task["predictions"][0]["result"][0]["origin"]
    (0.75, 'prediction')
    """
    tasks = []
    for index, raw in enumerate(check_list(docs, "docs")):
        doc = check_document_item(raw, index)
        to_ls, _ = offset_converters(doc["text"], offsets)
        results = []
        for span in doc["spans"]:
            result = result_base(span, "labels", from_name, to_name)
            result["value"] = {"start": to_ls(span["start"]), "end": to_ls(span["end"]),
                               "text": span["text"], "labels": [span["label"]]}
            results.append((span, result))
        data: dict[str, Any] = {data_key: doc["text"]}
        if "id" in doc:
            data[PREFIX + "id"] = doc["id"]
        tasks.append(make_task(data, results))
    return tasks


def from_labelstudio_text(tasks: Any, *, from_name: str | Collection[str] | None = None,
                          to_name: str | None = None, data_key: str = "text",
                          offsets: str = "codepoint", predictions: bool = True
                          ) -> list[DocumentItem]:
    """Read Label Studio text tasks into document items.

    Parameters
    ----------
    tasks : list of dict or str
        Tasks as exported ("JSON" export), or that JSON text.
    from_name, to_name : str, optional
        Read only results of these controls / this object (default: all).
    data_key : str
        The task data key holding the text.
    offsets : {"codepoint", "utf16"}
        Offset units of the file (see the module notes).
    predictions : bool
        Also read the first prediction, as in ``from_labelstudio_images``.

    Returns
    -------
    list of DocumentItem
        One per task; ``id`` from ``data.nbannotate_id`` when present.

    Examples
    --------
    >>> task = {"data": {"text": "I ❤️ Köln"}, "annotations": [{"result": [  # ❤️ is 2 code points
    ...     {"id": "x", "type": "labels", "from_name": "label", "to_name": "text",
    ...      "value": {"start": 5, "end": 9, "text": "Köln", "labels": ["LOC"]}}]}]}
    >>> span = from_labelstudio_text([task])[0]["spans"][0]
    >>> span["start"], span["text"], span["source"]
    (5, 'Köln', 'human')
    """
    documents: list[DocumentItem] = []
    skipped: dict[str, int] = {}
    for index, task in enumerate(load_tasks(tasks)):
        results = Results(task, index, predictions=predictions, from_name=from_name,
                          to_name=to_name, types=("labels",))
        for kind, count in results.skipped.items():
            skipped[kind] = skipped.get(kind, 0) + count
        text = task["data"].get(data_key)
        if not isinstance(text, str):
            raise ValueError(f"{results.where}: field 'data.{data_key}' must be the text, got "
                             f"{text!r}")
        _, from_ls = offset_converters(text, offsets)
        spans = []
        for number, (result, source, score, where) in enumerate(results.entries):
            value = result["value"]
            record = common_fields(result, source, score, number, "labels", where)
            for key in ("start", "end"):
                if isinstance(value.get(key), bool) or not isinstance(value.get(key), int):
                    raise ValueError(f"{where}: field 'value.{key}' must be an integer offset, "
                                     f"got {value.get(key)!r}")
            try:
                start, end = from_ls(value["start"]), from_ls(value["end"])
            except ValueError as error:
                raise ValueError(f"{where}: {error}") from None
            given = value.get("text")
            if isinstance(given, str) and text[start:end] != given:
                raise ValueError(f"{where}: text[{value['start']}:{value['end']}] is "
                                 f"{text[start:end]!r} but the result says {given!r} "
                                 f"(offsets={offsets!r}; exports of older Label Studio "
                                 "versions need offsets='utf16')")
            record.update(start=start, end=end)
            spans.append(validated("span", record, where, text=text))
        doc: dict[str, Any] = {"text": text, "spans": spans}
        if isinstance(task["data"].get(PREFIX + "id"), str):
            doc["id"] = task["data"][PREFIX + "id"]
        try:
            documents.append(check_document_item(doc, index))
        except ValueError as error:
            raise ValueError(f"{results.where}: {error}") from None
    warn_skipped(skipped, "text tasks read labels results")
    return documents

"""Shared pieces of the Label Studio converters: tasks, results, sources, offsets."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from ...records import validate_record
from .._common import check_list, warn

# Record fields Label Studio has no place for go under keys starting with this prefix.
PREFIX = "nbannotate_"


def load_tasks(tasks: Any) -> list[Mapping[str, Any]]:
    """Accept a list of task dicts or the JSON text of one."""
    if isinstance(tasks, (str, bytes)):
        try:
            tasks = json.loads(tasks)
        except json.JSONDecodeError as error:
            raise ValueError(f"Label Studio JSON line {error.lineno}: {error.msg}") from None
    if isinstance(tasks, Mapping):
        tasks = [tasks]
    out = check_list(tasks, "tasks")
    for index, task in enumerate(out):
        if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
            raise ValueError(f"Label Studio task {index}: must be a dict with a 'data' dict, "
                             f"got {task!r}")
    return out


def result_base(record: Mapping[str, Any], kind: str, from_name: str,
                to_name: str) -> dict[str, Any]:
    """The fields every result written for ``record`` has."""
    result: dict[str, Any] = {"id": record["id"], "type": kind, "from_name": from_name,
                              "to_name": to_name,
                              "origin": "manual" if record["source"] == "human" else "prediction"}
    if "score" in record:
        result["score"] = record["score"]
    if record["source"] == "auto":
        result[PREFIX + "source"] = "auto"
    return result


def make_task(data: dict[str, Any], results: Sequence[tuple[Mapping[str, Any], dict[str, Any]]]
              ) -> dict[str, Any]:
    """A task: human records' results as an annotation, model/auto ones as a prediction."""
    task: dict[str, Any] = {"data": data}
    human = [result for record, result in results if record["source"] == "human"]
    model = [(record, result) for record, result in results if record["source"] != "human"]
    if human:
        task["annotations"] = [{"result": human}]
    if model:
        prediction: dict[str, Any] = {"model_version": "nbannotate",
                                      "result": [result for _, result in model]}
        scores = [record["score"] for record, _ in model if "score" in record]
        if scores:
            prediction["score"] = sum(scores) / len(scores)
        task["predictions"] = [prediction]
    return task


class Results:
    """The results of one task to read, with where each came from for messages.

    The first annotation that was not cancelled gives human records; with ``predictions``
    the first prediction's results follow as model records, except those whose id an
    annotation result repeats (a prediction the annotator accepted or edited).
    """

    def __init__(self, task: Mapping[str, Any], index: int, *, predictions: bool,
                 from_name: str | Collection[str] | None, to_name: str | None,
                 types: Collection[str]) -> None:
        self.where = f"Label Studio task {index}"
        if task.get("id") is not None:
            self.where += f" (id={task['id']!r})"
        names = {from_name} if isinstance(from_name, str) else from_name
        self.entries: list[tuple[Mapping[str, Any], str, float | None, str]] = []
        self.skipped: dict[str, int] = {}
        annotations = [a for a in check_list(task.get("annotations"), f"{self.where} annotations")
                       if isinstance(a, Mapping) and not a.get("was_cancelled")]
        sources: list[tuple[Mapping[str, Any], str, str]] = []
        if annotations:
            sources.append((annotations[0], "human", "annotation"))
        if predictions:
            found = check_list(task.get("predictions"), f"{self.where} predictions")
            if found and isinstance(found[0], Mapping):
                sources.append((found[0], "model", "prediction"))
        human_ids: set[Any] = set()
        for container, source, name in sources:
            # to_labelstudio_* put each record's score on its result; the prediction's mean
            # score is a default only for predictions from elsewhere.
            ours = container.get("model_version") == "nbannotate"
            score = None if ours else container.get("score")
            results = check_list(container.get("result"), f"{self.where} {name} result")
            for number, result in enumerate(results):
                where = f"{self.where}, {name} result {number}"
                if not isinstance(result, Mapping):
                    raise ValueError(f"{where}: must be a dict, got {result!r}")
                where += f" (id={result.get('id')!r})"
                if source == "model" and result.get("id") and result.get("id") in human_ids:
                    continue
                if source == "human":
                    human_ids.add(result.get("id"))
                if ((names is not None and result.get("from_name") not in names)
                        or (to_name is not None and result.get("to_name") != to_name)):
                    continue
                if result.get("type") not in types:
                    kind = str(result.get("type"))
                    self.skipped[kind] = self.skipped.get(kind, 0) + 1
                    continue
                if not isinstance(result.get("value"), Mapping):
                    raise ValueError(f"{where}: field 'value' must be a dict, got "
                                     f"{result.get('value')!r}")
                self.entries.append((result, source, score, where))


def warn_skipped(skipped: Mapping[str, int], what: str) -> None:
    """Warn (attributed to the user's call) about result types that were not read."""
    if skipped:
        listed = ", ".join(f"{count} {kind!r}" for kind, count in sorted(skipped.items()))
        warn(f"Label Studio results not read ({what}): {listed}", 2)


def common_fields(result: Mapping[str, Any], source: str, score: float | None, index: int,
                  label_key: str | None, where: str) -> dict[str, Any]:
    """``id``, ``label``, ``source`` and ``score`` of the record a result describes."""
    record: dict[str, Any] = {"id": str(result.get("id") or f"result-{index}"),
                              "source": result.get(PREFIX + "source") or source}
    if result.get("score") is not None:
        record["score"] = result["score"]
    elif score is not None and source != "human":
        record["score"] = score
    if label_key is not None:
        labels = result["value"].get(label_key)
        if (not isinstance(labels, list) or len(labels) != 1
                or not isinstance(labels[0], str)):
            raise ValueError(f"{where}: field 'value.{label_key}' must be a list of exactly one "
                             f"label (records hold one label), got {labels!r}")
        record["label"] = labels[0]
    return record


def validated(kind: str, record: dict[str, Any], where: str, **context: Any) -> dict[str, Any]:
    """Validate a record read from a result, naming the result in errors."""
    try:
        return validate_record(record, kind=kind, **context)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None


def number(value: Mapping[str, Any], key: str, where: str) -> float:
    """``value[key]`` as a float, or an error naming the field."""
    got = value.get(key)
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise ValueError(f"{where}: field 'value.{key}' must be a number, got {got!r}")
    return float(got)


def texts_of(value: Mapping[str, Any], where: str) -> str:
    """A textarea's ``text`` list as one string (several entries joined by newlines)."""
    text = value.get("text")
    if isinstance(text, str):
        return text
    if not isinstance(text, list) or not all(isinstance(t, str) for t in text):
        raise ValueError(f"{where}: field 'value.text' must be a list of strings, got {text!r}")
    return "\n".join(text)


def offset_converters(text: str, offsets: str) -> tuple[Callable[[int], int],
                                                        Callable[[int], int]]:
    """``(to_label_studio, from_label_studio)`` offset maps for ``offsets`` units."""
    if offsets == "codepoint":
        return (lambda i: i), (lambda i: i)
    if offsets != "utf16":
        raise ValueError(f"offsets must be 'codepoint' or 'utf16', got {offsets!r}")
    units = [0]
    for char in text:
        units.append(units[-1] + (2 if ord(char) > 0xFFFF else 1))
    back = {unit: index for index, unit in enumerate(units)}

    def from_ls(unit: int) -> int:
        if unit not in back:
            raise ValueError(f"UTF-16 offset {unit} falls inside a surrogate pair or past the "
                             f"end ({units[-1]} units)")
        return back[unit]

    return (lambda i: units[i]), from_ls

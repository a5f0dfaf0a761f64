"""Label Studio audio tasks (time regions, with channel and transcription).

One task per clip item: ``data`` holds the audio (under ``data_key``) and the duration as
``nbannotate_duration``. Each region is a ``labels`` result with ``start``, ``end`` (seconds),
``channel`` (when the record has one), ``labels`` ``[label]`` and ``original_length`` (the
clip duration); its ``text`` becomes a ``textarea`` result with the same ``id`` (Label
Studio's per-region transcription). Human regions go to ``annotations``, model and auto
regions to ``predictions``.

Examples
--------
>>> clips = [{"audio": "a.wav", "duration": 3.0, "regions": [
...     {"id": "r1", "label": "bird", "start": 0.5, "end": 1.25, "channel": 1,
...      "text": "tweet"}]}]
>>> results = to_labelstudio_audio(clips)[0]["annotations"][0]["result"]
>>> results[0]["value"], results[1]["value"]["text"]
({'start': 0.5, 'end': 1.25, 'channel': 1, 'labels': ['bird']}, ['tweet'])
>>> from_labelstudio_audio(to_labelstudio_audio(clips))[0]["regions"][0]["text"]
'tweet'
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .._common import ClipItem, check_clip_item, check_list
from ._common import (
    PREFIX,
    Results,
    common_fields,
    load_tasks,
    make_task,
    number,
    result_base,
    texts_of,
    validated,
    warn_skipped,
)

__all__ = ["from_labelstudio_audio", "to_labelstudio_audio"]


def to_labelstudio_audio(clips: Sequence[Any], *, from_name: str = "label",
                         to_name: str = "audio", text_from_name: str = "transcription",
                         data_key: str = "audio") -> list[dict[str, Any]]:
    """Convert clip items to Label Studio tasks.

    Parameters
    ----------
    clips : list of dict
        Clip items ``{"audio", "duration", "regions"}``.
    from_name : str
        Name of the ``<Labels>`` control.
    to_name : str
        Name of the ``<Audio>`` object.
    text_from_name : str
        Name of the per-region ``<TextArea>`` control for transcriptions.
    data_key : str
        The task data key ``<Audio value="$audio">`` reads.

    Returns
    -------
    list of dict
        One task per clip.

    Examples
    --------
    >>> task = to_labelstudio_audio([{"audio": "a.wav", "duration": 2, "regions": [
    ...     {"id": "r", "label": "dog", "start": 0, "end": 1.5}]}])[0]
    >>> task["data"], task["annotations"][0]["result"][0]["original_length"]
    ({'audio': 'a.wav', 'nbannotate_duration': 2.0}, 2.0)
    """
    tasks = []
    for index, raw in enumerate(check_list(clips, "clips")):
        clip = check_clip_item(raw, index)
        results = []
        for region in clip["regions"]:
            where = {"start": region["start"], "end": region["end"]}
            if "channel" in region:
                where["channel"] = region["channel"]
            result = result_base(region, "labels", from_name, to_name)
            result.update(original_length=clip["duration"],
                          value={**where, "labels": [region["label"]]})
            results.append((region, result))
            if "text" in region:
                result = result_base(region, "textarea", text_from_name, to_name)
                result.update(original_length=clip["duration"],
                              value={**where, "text": [region["text"]]})
                results.append((region, result))
        data = {data_key: clip["audio"], PREFIX + "duration": clip["duration"]}
        tasks.append(make_task(data, results))
    return tasks


def from_labelstudio_audio(tasks: Any, *, from_name: str | Collection[str] | None = None,
                           to_name: str | None = None, data_key: str = "audio",
                           predictions: bool = True) -> list[ClipItem]:
    """Read Label Studio audio tasks into clip items.

    Parameters
    ----------
    tasks : list of dict or str
        Tasks as exported ("JSON" export), or that JSON text.
    from_name, to_name : str, optional
        Read only results of these controls / this object (default: all).
    data_key : str
        The task data key holding the audio.
    predictions : bool
        Also read the first prediction, as in ``from_labelstudio_images``.

    Returns
    -------
    list of ClipItem
        One per task; the duration from ``data.nbannotate_duration``, else the results'
        ``original_length``. A ``textarea`` result gives the ``text`` of the region with
        the same id; one without a region is skipped with a warning.

    Examples
    --------
    >>> task = {"data": {"audio": "a.wav"}, "annotations": [{"result": [
    ...     {"id": "x", "type": "labels", "original_length": 4.0,
    ...      "value": {"start": 1, "end": 2.5, "channel": 0, "labels": ["speech"]}}]}]}
    >>> clip = from_labelstudio_audio([task])[0]
    >>> clip["duration"], clip["regions"][0]["end"], clip["regions"][0]["channel"]
    (4.0, 2.5, 0)
    """
    clips: list[ClipItem] = []
    skipped: dict[str, int] = {}
    for index, task in enumerate(load_tasks(tasks)):
        results = Results(task, index, predictions=predictions, from_name=from_name,
                          to_name=to_name, types=("labels", "textarea"))
        for kind, count in results.skipped.items():
            skipped[kind] = skipped.get(kind, 0) + count
        audio = task["data"].get(data_key)
        if not isinstance(audio, str):
            raise ValueError(f"{results.where}: field 'data.{data_key}' must be the audio file "
                             f"name or URL, got {audio!r}")
        duration = task["data"].get(PREFIX + "duration")
        for result, *_ in results.entries:
            duration = duration if duration is not None else result.get("original_length")
        if duration is None:
            raise ValueError(f"{results.where}: cannot tell the clip duration: no "
                             f"data.{PREFIX}duration and no result with original_length")
        regions: dict[str, dict[str, Any]] = {}
        texts: dict[str, str] = {}
        for number_, (result, source, score, where) in enumerate(results.entries):
            value = result["value"]
            if result["type"] == "textarea":
                texts[str(result.get("id"))] = texts_of(value, where)
                continue
            record = common_fields(result, source, score, number_, "labels", where)
            record.update(start=number(value, "start", where), end=number(value, "end", where))
            if value.get("channel") is not None:
                record["channel"] = value["channel"]
            if record["id"] in regions:
                raise ValueError(f"{where}: repeats the id of another region result")
            regions[record["id"]] = validated("region", record, where, duration=duration)
        for rid, text in texts.items():
            if rid in regions:
                regions[rid]["text"] = text
            else:
                skipped["textarea without a region"] = (
                    skipped.get("textarea without a region", 0) + 1)
        clip = {"audio": audio, "duration": duration, "regions": list(regions.values())}
        try:
            clips.append(check_clip_item(clip, index))
        except ValueError as error:
            raise ValueError(f"{results.where}: {error}") from None
    warn_skipped(skipped, "audio tasks read labels and per-region textarea results")
    return clips

"""Store API: records, history, the annotations frame, meta, errors, schema and rollback."""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from nbannotate.store import ANNOTATION_COLUMNS, SCHEMA_VERSION, Store

BOX = {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "labels.db", annotator="ana") as opened:
        yield opened


@contextlib.contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain SQLite connection, as another program would open the file."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def replay(events: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for event in events:
        records = state.setdefault(event["item_id"], {})
        if event["event"] == "remove":
            del records[event["record_id"]]
        else:
            records[event["record_id"]] = event["record"]
    return state


# -- writes and reads -----------------------------------------------------------------------


def test_add_normalizes_commits_and_upserts_by_id(store: Store) -> None:
    stored = store.add("img-1", BOX)
    assert stored == {**BOX, "x": 10.0, "y": 20.0, "w": 30.0, "h": 40.0, "source": "human"}
    assert store.get("img-1") == [stored]
    generated = store.add("img-1", {"x": 1, "y": 1, "w": 1, "h": 1, "label": "dog"})
    assert isinstance(generated["id"], str) and generated["id"]
    store.add("img-1", {**BOX, "label": "dog", "source": "model", "score": 0.5}, "bob")
    assert [(r["id"], r["label"]) for r in store.get("img-1")] == [
        ("b1", "dog"), (generated["id"], "dog")]  # an update keeps the record's place
    assert [(e["event"], e["record_id"], e["annotator"]) for e in store.history("img-1")] == [
        ("add", "b1", "ana"), ("add", generated["id"], "ana"), ("update", "b1", "bob")]
    assert len(store) == 2


def test_item_ids_are_text_and_ints_name_the_same_item(store: Store) -> None:
    store.add(5, {"label": "cat"})
    store.add(np.int64(5), {"label": "dog"})  # type: ignore[arg-type]
    store.add("05", {"label": "eel"})
    assert store.items() == ["5", "05"]
    assert [r["label"] for r in store.get("5")] == ["cat", "dog"]
    assert store.history(5)[0]["item_id"] == "5"
    for bad in (1.5, True, None, ["a"]):
        with pytest.raises(TypeError, match="item_id must be a str or an int"):
            store.add(bad, {"label": "cat"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="item_id must be a non-empty string"):
        store.get("")


def test_kind_is_passed_to_the_validator(store: Store) -> None:
    with pytest.raises(ValueError, match="missing field 'text'"):
        store.add("clip", {"start": 0, "end": 2, "label": "bird"})  # inferred as a span
    stored = store.add("clip", {"start": 0, "end": 2, "label": "bird"}, kind="region")
    assert (stored["start"], stored["end"]) == (0.0, 2.0)
    assert store.history("clip")[0]["kind"] == "region"
    assert store.annotations()["kind"].tolist() == ["region"]
    with pytest.raises(ValueError, match="item 'clip': kind must be one of"):
        store.add("clip", {"label": "bird"}, kind="blob")


def test_validation_context_is_passed_to_the_validator(store: Store) -> None:
    span = store.add("doc", {"start": 0, "end": 4, "label": "PER"}, text="Anna lives here")
    assert span["text"] == "Anna"
    with pytest.raises(ValueError, match=r"item 'img': record \(id='b1'\): field 'label' must "
                                         r"be one of \['dog'\], got 'cat'"):
        store.add("img", BOX, labels=["dog"])
    with pytest.raises(ValueError, match=r"item 'img': record 0 \(id='b1'\): field 'x' must be "
                                         r"inside the image"):
        store.replace("img", [BOX], image_size=(20, 20))
    with pytest.raises(ValueError, match=r"field 'label' must be a string, got \['a', 'b'\]"):
        store.add("row", {"label": ["a", "b"]})
    assert store.add("row", {"label": ["a", "b"]}, multi=True)["label"] == ["a", "b"]
    assert store.items() == ["doc", "row"]


def test_replace_sets_the_whole_list_and_logs_only_changes(store: Store) -> None:
    a, b, c = ({"id": i, "label": "cat"} for i in "abc")
    store.replace("doc", [a, b])
    store.replace("doc", [b, a])  # reorder only: no events
    assert [r["id"] for r in store.get("doc")] == ["b", "a"]
    store.replace("doc", [{**b, "label": "dog"}, c], annotator="bob")
    assert [(r["id"], r["label"]) for r in store.get("doc")] == [("b", "dog"), ("c", "cat")]
    assert [(e["event"], e["record_id"]) for e in store.history("doc")] == [
        ("replace", "a"), ("replace", "b"), ("remove", "a"), ("replace", "b"), ("replace", "c")]
    assert store.history("doc")[2]["record"] == {**a, "source": "human"}
    assert store.history("doc")[2]["annotator"] == "bob"
    assert store.replace("doc", []) == []
    assert store.get("doc") == [] and store.items() == []


def test_remove_returns_the_record_and_logs_it(store: Store) -> None:
    store.add("img", BOX)
    store.add("img", {**BOX, "id": "b2"})
    removed = store.remove("img", "b1", annotator="bob")
    assert removed["id"] == "b1" and removed["w"] == 30.0
    assert [r["id"] for r in store.get("img")] == ["b2"]
    event = store.history("img")[-1]
    assert (event["event"], event["record"], event["annotator"]) == ("remove", removed, "bob")
    store.add("img", BOX)  # a removed id may come back, at the end
    assert [r["id"] for r in store.get("img")] == ["b2", "b1"]


def test_history_orders_events_and_replays_to_the_current_state(store: Store) -> None:
    store.add("a", {"id": "1", "label": "cat"})
    store.add("b", {"id": "1", "label": "dog"}, annotator="bob")
    store.add("a", {"id": "1", "label": "eel"})
    store.replace("b", [{"id": "2", "label": "cat"}])
    store.remove("a", "1")
    store.add("a", {"id": "3", "label": "fox", "source": "auto", "score": 0.99})
    events = store.history()
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert all(e["at"].tzinfo == UTC for e in events)
    assert set(events[0]) == {"seq", "event", "item_id", "record_id", "kind", "source",
                              "annotator", "owner", "at", "record"}
    assert events[-1]["source"] == "auto"
    assert store.history("a") == [e for e in events if e["item_id"] == "a"]
    assert store.history("never") == []
    state = replay(events)
    assert {item: list(records.values()) for item, records in state.items()} == {
        item: store.get(item) for item in ("a", "b")}


def test_items_in_order_first_annotated(store: Store) -> None:
    for item in ("z", "a", "m"):
        store.add(item, {"id": "r", "label": "cat"})
    store.add("z", {"id": "s", "label": "cat"})
    store.remove("a", "r")
    assert store.items() == ["z", "m"]
    store.add("a", {"id": "r", "label": "cat"})
    assert store.items() == ["z", "a", "m"]


# -- the annotations frame ------------------------------------------------------------------


def test_annotations_frame(store: Store) -> None:
    store.add("img", BOX)
    store.add("img", {"id": "k", "x": 3, "y": 4, "label": "nose", "source": "model",
                      "score": 0.25})
    store.add("doc", {"id": "s", "start": 0, "end": 4, "text": "Anna", "label": "PER"},
              annotator="bob")
    store.add("clip", {"id": "r", "start": 0.5, "end": 1.0, "label": "bird"})
    store.add("row", {"id": "c", "label": ["cat", "dog"]}, kind="class", multi=True)
    store.add("img", {"id": "p", "points": [[0, 0], [4, 0], [0, 3]], "label": "cat"})
    frame = store.annotations()
    assert tuple(frame.columns) == ANNOTATION_COLUMNS
    assert frame["item_id"].tolist() == ["img", "img", "img", "doc", "clip", "row"]
    assert frame["id"].tolist() == ["b1", "k", "p", "s", "r", "c"]
    assert frame["kind"].tolist() == ["box", "keypoint", "polygon", "span", "region", "class"]
    assert frame.loc[0, ["x", "y", "w", "h"]].tolist() == [10.0, 20.0, 30.0, 40.0]
    assert frame.loc[1, ["x", "y"]].tolist() == [3.0, 4.0] and math.isnan(frame.loc[1, "w"])
    assert frame.loc[3, ["start", "end"]].tolist() == [0.0, 4.0]
    assert frame.loc[4, ["start", "end"]].tolist() == [0.5, 1.0]
    assert frame["score"].isna().tolist() == [True, False, True, True, True, True]
    assert frame.loc[1, "score"] == 0.25 and frame.loc[1, "source"] == "model"
    assert frame.loc[5, "label"] == ["cat", "dog"]
    assert frame.loc[3, "annotator"] == "bob"
    assert frame["record"].tolist() == [*store.get("img"), *store.get("doc"),
                                        *store.get("clip"), *store.get("row")]
    assert frame["score"].dtype == np.float64 and frame["w"].dtype == np.float64
    assert isinstance(frame["updated_at"].dtype, pd.DatetimeTZDtype)
    assert str(frame["updated_at"].dt.tz) == "UTC"
    assert frame.loc[3, "updated_at"] == pd.Timestamp(store.history("doc")[0]["at"])


def test_empty_store_gives_an_empty_frame_with_the_columns(store: Store) -> None:
    frame = store.annotations()
    assert tuple(frame.columns) == ANNOTATION_COLUMNS and len(frame) == 0
    assert frame["x"].dtype == np.float64 and frame["score"].dtype == np.float64
    assert isinstance(frame["updated_at"].dtype, pd.DatetimeTZDtype)


# -- meta, len, repr, lifetime --------------------------------------------------------------


def test_meta_values_are_json_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    with Store(path) as store:
        assert store.get_meta("schema_version") == SCHEMA_VERSION
        assert store.get_meta("labels") is None and store.get_meta("labels", []) == []
        store.set_meta("labels", ["cat", "dog"])
        store.set_meta("task", {"kind": "box", "size": (640, 480)})
        store.set_meta("labels", ["cat"])
        value = store.get_meta("task")
        value["kind"] = "changed"  # a copy: the store is not affected
        with pytest.raises(ValueError, match="'schema_version' is reserved"):
            store.set_meta("schema_version", 99)
        with pytest.raises(TypeError, match=r"meta value for 'x' must be JSON.*set"):
            store.set_meta("x", {1, 2})
        with pytest.raises(ValueError, match="meta value for 'x' must be JSON"):
            store.set_meta("x", math.nan)
        with pytest.raises(TypeError, match="meta key must be a non-empty str"):
            store.get_meta(3)  # type: ignore[arg-type]
    with Store(path) as store:
        assert store.get_meta("labels") == ["cat"]
        assert store.get_meta("task") == {"kind": "box", "size": [640, 480]}
        assert store.get_meta("x", "none") == "none"
        assert store.get_meta("schema_version") == SCHEMA_VERSION


def test_len_repr_close_and_context_manager(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    store = Store(path)
    store.add("a", {"label": "cat"})
    store.add("a", {"label": "dog"})
    store.add("b", {"label": "cat"})
    assert len(store) == 3
    assert repr(store) == f"Store({str(path)!r}, items=2, records=3)"
    store.close()
    store.close()
    assert repr(store) == f"Store({str(path)!r}, closed)"
    with pytest.raises(ValueError, match="is closed"):
        store.add("c", {"label": "cat"})
    with pytest.raises(ValueError, match="is closed"):
        len(store)
    with Store(path) as again:
        assert again.items() == ["a", "b"]
    with pytest.raises(ValueError, match="is closed"):
        again.get("a")


def test_reopening_resumes(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    with Store(path, annotator="ana") as store:
        store.add("img", BOX)
        before = store.history()
    with Store(path) as store:
        assert store.history() == before
        store.add("img", {**BOX, "id": "b2"})
        assert [r["id"] for r in store.get("img")] == ["b1", "b2"]
        assert store.history("img")[-1]["annotator"] is None
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- bad input ------------------------------------------------------------------------------


def test_malformed_record_names_item_and_problem_and_writes_nothing(store: Store) -> None:
    with pytest.raises(ValueError, match=r"item 'img-7': record \(id='b1'\): field 'w' must be "
                                         r"a non-negative size, got -3"):
        store.add("img-7", {**BOX, "w": -3})
    with pytest.raises(TypeError, match="item 'img-7': a record must be a dict, got list"):
        store.add("img-7", [1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"item 'img-7'.*cannot tell the kind"):
        store.add("img-7", {"colour": "red"})
    with pytest.raises(TypeError, match="annotator must be a str or None"):
        store.add("img-7", BOX, annotator=7)  # type: ignore[arg-type]
    assert len(store) == 0 and store.history() == []


def test_failed_replace_leaves_the_previous_list_intact(store: Store) -> None:
    before = store.replace("img", [BOX, {**BOX, "id": "b2"}])
    history = store.history()
    with pytest.raises(ValueError, match=r"item 'img': record 1 \(id='b3'\): field 'h' must "):
        store.replace("img", [{**BOX, "label": "dog"}, {**BOX, "id": "b3", "h": "tall"}])
    with pytest.raises(ValueError, match=r"item 'img': record 1 has a duplicate id 'b1'"):
        store.replace("img", [BOX, BOX])
    with pytest.raises(TypeError, match="item 'img': records must be a list of dicts"):
        store.replace("img", BOX)  # type: ignore[arg-type]
    assert store.get("img") == before and store.history() == history


def test_failure_inside_a_transaction_rolls_back(store: Store) -> None:
    before = store.replace("img", [BOX, {**BOX, "id": "b2"}])
    history = store.history()
    with raw(store.path) as conn:  # make the store fail half-way through a write
        conn.execute("CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.record_id = 'bad'"
                     " BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    new = [{**BOX, "label": "dog"}, {**BOX, "id": "b3"}, {**BOX, "id": "bad"}]
    with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
        store.replace("img", new)  # b2 deleted, b1 updated, b3 inserted, then the failure
    with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
        store.add("img", {**BOX, "id": "bad"})
    assert store.get("img") == before and store.history() == history
    store.add("img", {**BOX, "id": "b4"})  # the store is still usable
    assert [r["id"] for r in store.get("img")] == ["b1", "b2", "b4"]
    with raw(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_removing_a_missing_record_is_a_key_error(store: Store) -> None:
    store.add("img", BOX)
    with pytest.raises(KeyError, match="item 'img' has no record with id 'nope'"):
        store.remove("img", "nope")
    with pytest.raises(KeyError, match="item 'other' has no record with id 'b1'"):
        store.remove("other", "b1")
    assert len(store.history()) == 1 and len(store) == 1


def test_unusable_paths_say_the_path_and_what_is_wrong(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "labels.db"
    with pytest.raises(FileNotFoundError, match=re.escape(f"{missing}: the directory "
                                                          f"{missing.parent} does not exist")):
        Store(missing)
    regular = tmp_path / "notes.txt"
    regular.write_text("hello")
    under_file = regular / "labels.db"
    with pytest.raises(NotADirectoryError, match=re.escape(f"{regular} is a file, not a dir")):
        Store(under_file)
    with pytest.raises(NotADirectoryError, match=re.escape(f"{regular} is a file")):
        Store(regular / "deeper" / "labels.db")
    with pytest.raises(IsADirectoryError, match=re.escape(f"{tmp_path}: it is a directory")):
        Store(tmp_path)
    with pytest.raises(ValueError, match="path must name a file, got ':memory:'"):
        Store(":memory:")
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike, got int"):
        Store(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout must be a positive"):
        Store(tmp_path / "labels.db", timeout=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_text_file_is_not_a_store_and_is_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    path.write_text("item,label\n1,cat\n")
    with pytest.raises(ValueError, match=re.escape(f"{path} is not an nbannotate store: it is "
                                                   "not an SQLite database")):
        Store(path)
    assert path.read_text() == "item,label\n1,cat\n"


@pytest.mark.parametrize("schema", [
    "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE meta (name TEXT, data BLOB)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('a', '1')",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
    " INSERT INTO meta VALUES ('format', '\"other\"'), ('schema_version', '1')",
])
def test_foreign_sqlite_database_is_refused_and_not_modified(tmp_path: Path,
                                                             schema: str) -> None:
    path = tmp_path / "other.db"
    with raw(path) as conn:
        conn.executescript(schema)
    content = path.read_bytes()
    with pytest.raises(ValueError, match=re.escape(f"{path} is not an nbannotate store: it is "
                                                   "an SQLite database with other tables")):
        Store(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    path.touch()
    with Store(path) as store:
        store.add("a", {"label": "cat"})
    with Store(path) as store:
        assert len(store) == 1


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    Store(path).close()
    with raw(path) as conn:
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')")
    with pytest.raises(ValueError, match=r"written by a newer nbannotate \(store schema version "
                                         rf"99; this version reads up to {SCHEMA_VERSION}\)"):
        Store(path)

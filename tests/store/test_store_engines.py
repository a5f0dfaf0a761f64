"""The same store, on SQLite and on a real PostgreSQL: records, history, meta, datasets, team
records, resume, rollback, labels_since; and PostgreSQL's own errors (URL, password, schema)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from nbannotate.store import SCHEMA_VERSION, Store, StoreConnectionError

BOX = {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat"}

Opener = Callable[..., Store]


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """``open_store(**options)`` opens the same store again (a file, or a fresh database)."""
    location = (str(tmp_path / "labels.db") if request.param == "sqlite"
                else request.getfixturevalue("postgres_url"))
    opened: list[Store] = []

    def open_(**options: Any) -> Store:
        store = Store(location, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def test_records_history_and_frame_behave_alike(open_store: Opener) -> None:
    store = open_store(annotator="ana")
    stored = store.add("img-1", BOX)
    assert stored == {**BOX, "x": 10.0, "y": 20.0, "w": 30.0, "h": 40.0, "source": "human"}
    store.add("img-1", {**BOX, "label": "dog"}, "bob")
    store.replace("doc", [{"id": "s", "start": 0, "end": 4, "text": "Anna", "label": "PER"},
                          {"id": "t", "start": 5, "end": 9, "text": "Bert", "label": "PER"}])
    store.replace("doc", [{"id": "t", "start": 5, "end": 9, "text": "Bert", "label": "ORG"}])
    assert store.remove("img-1", "b1")["label"] == "dog"
    store.add(7, {"id": "c", "label": "cat"})
    assert store.items() == ["doc", "7"]
    assert [r["label"] for r in store.get("doc")] == ["ORG"]
    assert [(e["event"], e["item_id"], e["record_id"], e["annotator"])
            for e in store.history()] == [
        ("add", "img-1", "b1", "ana"), ("update", "img-1", "b1", "bob"),
        ("replace", "doc", "s", "ana"), ("replace", "doc", "t", "ana"),
        ("remove", "doc", "s", "ana"), ("replace", "doc", "t", "ana"),
        ("remove", "img-1", "b1", "ana"), ("add", "7", "c", "ana")]
    frame = store.annotations()
    assert frame["item_id"].tolist() == ["doc", "7"]
    assert frame.loc[0, ["start", "end"]].tolist() == [5.0, 9.0]
    assert frame["owner"].tolist() == ["", ""]
    assert len(store) == 2
    with pytest.raises(KeyError, match="item 'doc' has no record with id 's'"):
        store.remove("doc", "s")


def test_reopening_resumes_with_meta_and_history(open_store: Opener) -> None:
    store = open_store(annotator="ana")
    store.add("a", {"id": "1", "label": "cat"})
    store.set_meta("labels", ["cat", "dog"])
    before = store.history()
    store.close()
    again = open_store()
    assert again.history() == before
    assert again.get_meta("labels") == ["cat", "dog"]
    assert again.get_meta("schema_version") == SCHEMA_VERSION
    assert again.get_meta("format") == "nbannotate"
    again.add("a", {"id": "2", "label": "dog"})
    assert [r["id"] for r in again.get("a")] == ["1", "2"]
    assert again.history()[-1]["seq"] > before[-1]["seq"]


def test_one_database_holds_several_datasets(open_store: Opener) -> None:
    reviews = open_store(dataset="reviews-2026", annotator="ana")
    photos = open_store(dataset="photos")
    default = open_store()
    reviews.add("1", {"id": "c", "label": "pos"})
    reviews.set_meta("labels", ["pos", "neg"])
    photos.add("1", {"id": "c", "label": "cat"})  # same item id, another dataset
    photos.add("2", BOX)
    assert [r["label"] for r in reviews.get("1")] == ["pos"]
    assert [r["label"] for r in photos.get("1")] == ["cat"]
    assert (len(reviews), len(photos), len(default)) == (1, 2, 0)
    assert photos.get_meta("labels") is None and reviews.get_meta("labels") == ["pos", "neg"]
    assert [e["item_id"] for e in photos.history()] == ["1", "2"]
    assert reviews.labels_since(0)[0][0]["record"]["label"] == "pos"
    assert default.datasets() == ["photos", "reviews-2026"]
    assert "dataset='photos'" in repr(photos)
    with pytest.raises(TypeError, match="dataset must be a non-empty str"):
        open_store(dataset="")


def test_each_annotator_keeps_their_own_records_of_an_item(open_store: Opener) -> None:
    store = open_store()
    store.replace("r1", [{"id": "class", "label": "pos"}], annotator="ana", own=True)
    store.replace("r1", [{"id": "class", "label": "neg"}], annotator="bo", own=True)
    store.add("r1", {"id": "class", "label": "pos", "source": "model", "score": 0.7}, "m")  # shared
    assert [(r["label"], r["source"]) for r in store.get("r1")] == [
        ("pos", "model"), ("pos", "human"), ("neg", "human")]
    assert [r["label"] for r in store.get("r1", annotator="bo")] == ["neg"]
    store.replace("r1", [{"id": "class", "label": "neg"}], annotator="ana", own=True)
    store.remove("r1", "class", "bo", own=True)
    frame = store.annotations()
    assert list(zip(frame["owner"], frame["label"], strict=True)) == [("", "pos"),
                                                                     ("ana", "neg")]
    assert [(e["owner"], e["event"]) for e in store.history("r1")] == [
        ("ana", "replace"), ("bo", "replace"), ("", "add"), ("ana", "replace"), ("bo", "remove")]
    with pytest.raises(TypeError, match="own=True needs an annotator"):
        store.add("r2", {"label": "pos"}, own=True)
    with pytest.raises(KeyError, match="no record of annotator 'bo' with id 'class'"):
        store.remove("r1", "class", "bo", own=True)


def test_labels_since_returns_everyones_labels_in_order(open_store: Opener) -> None:
    ana, bo = open_store(annotator="ana"), open_store(annotator="bo")
    events, cursor = bo.labels_since(0)
    assert (events, cursor) == ([], 0)
    ana.add("1", {"label": "cat"})
    bo.add("2", {"label": "dog"})
    ana.add("3", {"label": "cat"})
    events, cursor = bo.labels_since(cursor, limit=2)
    assert [(e["item_id"], e["annotator"]) for e in events] == [("1", "ana"), ("2", "bo")]
    events, cursor = ana.labels_since(cursor)
    assert [e["item_id"] for e in events] == ["3"]
    assert ana.labels_since(cursor) == ([], cursor)
    with pytest.raises(TypeError, match="cursor must be a non-negative int"):
        ana.labels_since(-1)


def test_wait_for_labels_wakes_on_another_writer(open_store: Opener) -> None:
    watcher, writer = open_store(), open_store(annotator="bo")
    _, cursor = watcher.labels_since(0)
    assert not watcher.wait_for_labels(cursor, timeout=0.2)
    timer = threading.Timer(0.3, lambda: writer.add("x", {"label": "cat"}))
    start = time.monotonic()
    timer.start()
    try:
        assert watcher.wait_for_labels(cursor, timeout=20)
    finally:
        timer.join()
    assert time.monotonic() - start < 10
    events, _ = watcher.labels_since(cursor)
    assert [e["item_id"] for e in events] == ["x"]


def test_threads_writing_at_once_lose_nothing(open_store: Opener) -> None:
    store = open_store()
    errors: list[BaseException] = []

    def write(t: int) -> None:
        try:
            for i in range(25):
                store.add("shared", {"id": f"{t}-{i}", "label": "cat"}, f"t{t}")
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert {r["id"] for r in store.get("shared")} == {
        f"{t}-{i}" for t in range(4) for i in range(25)}
    seqs = [e["seq"] for e in store.history()]
    assert seqs == sorted(seqs) and len(set(seqs)) == 100


# -- PostgreSQL only ------------------------------------------------------------------------


def test_postgres_failed_write_rolls_back(postgres_url: str) -> None:
    with Store(postgres_url, annotator="ana") as store:
        before = store.replace("img", [BOX, {**BOX, "id": "b2"}])
        history = store.history()
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("CREATE FUNCTION nbannotate.boom() RETURNS trigger AS $$ BEGIN"
                         " RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql")
            conn.execute("CREATE TRIGGER boom BEFORE INSERT ON nbannotate.events FOR EACH ROW"
                         " WHEN (NEW.record_id = 'bad') EXECUTE FUNCTION nbannotate.boom()")
        with pytest.raises(psycopg.errors.RaiseException, match="injected failure"):
            store.replace("img", [{**BOX, "label": "dog"}, {**BOX, "id": "b3"},
                                  {**BOX, "id": "bad"}])
        assert store.get("img") == before and store.history() == history
        store.add("img", {**BOX, "id": "b4"})
        assert [r["id"] for r in store.get("img")] == ["b1", "b2", "b4"]


def test_postgres_tables_live_in_their_own_schema(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.meta (name text)")  # the user's own table
    with Store(postgres_url) as store:
        store.set_meta("k", 1)
        assert store.get_meta("k") == 1
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        tables = {name for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'nbannotate'")}
        assert {"schema_version", "meta", "annotations", "events", "claims"} <= tables
        assert conn.execute("SELECT count(*) FROM public.meta").fetchone()[0] == 0
        assert conn.execute("SELECT max(version) FROM nbannotate.schema_version"
                            ).fetchone()[0] == SCHEMA_VERSION


def test_postgres_newer_schema_version_names_the_url_without_password(
        postgres_url: str) -> None:
    Store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO nbannotate.schema_version VALUES (99, 'later')")
    shown = postgres_url.replace(urlsplit(postgres_url).password or "", "***")
    with pytest.raises(ValueError, match=re.escape(
            f"{shown} was written by a newer nbannotate (store schema version 99; this "
            f"version reads up to {SCHEMA_VERSION})")) as error:
        Store(postgres_url)
    assert urlsplit(postgres_url).password not in str(error.value)


def test_postgres_foreign_schema_is_refused(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA nbannotate")
        conn.execute("CREATE TABLE nbannotate.photos (id int)")
    with pytest.raises(ValueError, match=r"is not an nbannotate store: its schema 'nbannotate' "
                                         r"holds other tables \(photos\)"):
        Store(postgres_url)


def test_postgres_connection_errors_name_the_url_and_cause(postgres_server: Any,
                                                          postgres_url: str) -> None:
    password = postgres_server.password
    cases = {
        postgres_server.url(urlsplit(postgres_url).path[1:], password="wrong-pw"):
            "password authentication failed",
        postgres_server.url("no_such_db"): 'database "no_such_db" does not exist',
        f"postgresql://postgres:{password}@127.0.0.1:{_closed_port()}/x": "Connection refused",
    }
    for url, cause in cases.items():
        shown = url.replace(urlsplit(url).password or "", "***")
        with pytest.raises(StoreConnectionError, match=re.escape(
                f"cannot connect to the store {shown}: ")) as error:
            Store(url, timeout=3)
        assert cause in str(error.value)
        assert password not in str(error.value) and "wrong-pw" not in str(error.value)
    with Store(postgres_url) as store:
        assert password not in repr(store) and "***" in repr(store)
        assert store.location == store.path and password not in store.location


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once closed

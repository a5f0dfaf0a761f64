"""A network drop while labeling, with a real PostgreSQL stopped and restarted mid-run: labels
made offline are kept locally and written when the server is back, or refused visibly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nbannotate.store import Store, StoreConnectionError, StoreOfflineError

from ..pg_server import PostgresServer


@pytest.fixture
def server(postgres_server: PostgresServer) -> Iterator[PostgresServer]:
    yield postgres_server
    if not postgres_server.running():  # a failed test must not leave the server down
        postgres_server.start()


def masked(url: str) -> str:
    return url.replace(urlsplit(url).password or "", "***")


def test_labels_made_while_the_server_is_down_are_kept_and_written_later(
        server: PostgresServer, postgres_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default pending file goes in the working directory
    store = Store(postgres_url, annotator="ana", dataset="d")
    outcomes: list[str] = []
    errors: list[tuple[int, StoreOfflineError, int]] = []
    kept_files: list[Path] = []
    for i in range(60):
        if i == 20:
            server.stop("fast")  # ends every session, as a crash or a network drop would
        if i == 40:
            server.start()
        try:
            store.add(f"item-{i}", {"id": "class", "label": "cat"})
            outcomes.append("written")
        except StoreOfflineError as error:
            errors.append((i, error, store.pending))
            outcomes.append("kept")
            kept_files += (tmp_path / ".nbannotate").glob("pending-*.db")
    assert outcomes == ["written"] * 20 + ["kept"] * 20 + ["written"] * 20
    assert len(set(kept_files)) == 1
    for i, error, pending in errors:
        assert error.kept and error.pending == pending == i - 19
        assert re.search(rf"cannot connect to the store {re.escape(masked(postgres_url))}:"
                         rf".*; the change to item 'item-{i}' is kept in .*pending-\w+\.db "
                         rf"\({error.pending} waiting\)", str(error))
    assert store.pending == 0  # the first write after the restart wrote the kept ones first
    assert list((tmp_path / ".nbannotate").glob("*.db")) == []
    assert store.items() == [f"item-{i}" for i in range(60)]  # in the order they were made
    events = store.history()
    assert [e["item_id"] for e in events] == [f"item-{i}" for i in range(60)]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)  # their own times
    store.close()


def test_reads_while_offline_say_the_url_and_the_cause(server: PostgresServer,
                                                       postgres_url: str) -> None:
    store = Store(postgres_url)
    store.add("a", {"label": "cat"})
    server.stop("fast")
    try:
        with pytest.raises(StoreConnectionError, match=re.escape(
                f"cannot connect to the store {masked(postgres_url)}: ")) as error:
            store.get("a")
        assert server.password not in str(error.value)
    finally:
        server.start()
    assert [r["label"] for r in store.get("a")] == ["cat"]  # reconnects by itself
    store.close()


def test_kept_labels_survive_the_kernel_and_are_written_when_reopened(
        server: PostgresServer, postgres_url: str, tmp_path: Path) -> None:
    pending = tmp_path / "kept" / "pending.db"
    store = Store(postgres_url, annotator="ana", pending=pending)
    store.set_meta("labels", ["cat", "dog"])
    server.stop("fast")
    try:
        for i, label in enumerate(["cat", "dog", "cat"]):
            with pytest.raises(StoreOfflineError) as error:
                store.replace(f"r{i}", [{"id": "class", "label": label}])
            assert error.value.kept and error.value.pending == i + 1
        with pytest.raises(StoreOfflineError):
            store.set_meta("last", "r2")
        assert pending.exists() and store.pending == 4
        with pytest.raises(StoreConnectionError):
            store.sync()  # still down: nothing is lost
        assert store.pending == 4
    finally:
        server.start()
    del store  # the kernel died with labels still kept locally
    with Store(postgres_url, pending=pending) as again:  # the next session writes them
        assert again.pending == 0 and not pending.exists()
        assert [again.get(f"r{i}")[0]["label"] for i in range(3)] == ["cat", "dog", "cat"]
        assert again.get_meta("last") == "r2"
        assert {e["annotator"] for e in again.history()} == {"ana"}


def test_refuse_mode_refuses_visibly_and_keeps_nothing(server: PostgresServer,
                                                       postgres_url: str,
                                                       tmp_path: Path) -> None:
    pending = tmp_path / "pending.db"
    store = Store(postgres_url, offline="refuse", pending=pending)
    server.stop("fast")
    try:
        with pytest.raises(StoreOfflineError, match="the change to item 'a' was NOT saved "
                                                    r"\(offline='refuse'\)") as error:
            store.add("a", {"label": "cat"})
        assert not error.value.kept and store.pending == 0 and not pending.exists()
    finally:
        server.start()
    assert store.get("a") == []
    store.add("a", {"label": "dog"})
    assert [r["label"] for r in store.get("a")] == ["dog"]
    store.close()
    with pytest.raises(ValueError, match="offline must be 'keep' or 'refuse'"):
        Store(postgres_url, offline="drop")
    with pytest.raises(ValueError, match="pending= applies to PostgreSQL stores only"):
        Store(tmp_path / "x.db", pending=pending)


def test_a_queue_keeps_a_finished_item_offline_and_writes_it_when_back(
        server: PostgresServer, postgres_url: str, tmp_path: Path) -> None:
    store = Store(postgres_url, annotator="ana", pending=tmp_path / "p.db")
    queue = store.queue(lease=30, keepalive=False)
    item = queue.claim(["a", "b"])
    assert item == "a"
    server.stop("fast")
    try:
        with pytest.raises(StoreOfflineError) as error:
            queue.complete(item, [{"id": "class", "label": "cat"}], kind="class")
        assert error.value.kept
        with pytest.raises(StoreConnectionError):
            queue.claim(["b"])  # no claim without the shared queue
    finally:
        server.start()
    queue.heartbeat()  # what the background thread does: the kept label is written
    assert store.pending == 0
    assert store.get("a", annotator="ana")[0]["label"] == "cat"
    assert [(c["item_id"], c["state"]) for c in store.claims()] == [("a", "done")]
    assert queue.claim(["a", "b"]) == "b"
    queue.close()
    store.close()


def test_a_restart_between_writes_is_invisible(server: PostgresServer,
                                               postgres_url: str) -> None:
    store = Store(postgres_url)
    store.add("a", {"label": "cat"})
    server.stop("fast")
    server.start()  # the store's connection is dead, the server is up again
    store.add("b", {"label": "dog"})  # reconnects, no error, nothing kept
    assert store.pending == 0 and store.items() == ["a", "b"]
    store.close()

"""Store durability and concurrency: SIGKILL mid-stream, two processes, many threads, locks."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from nbannotate.store import Store
from nbannotate.store._sqlite import retry

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).resolve().parent / "_store_writer.py"


def start_writer(path: Path, name: str, iterations: int) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, str(WRITER), str(path), name, str(iterations)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        raise AssertionError(f"writer did not start: {line!r} {proc.communicate()[1]}")


def acks(lines: list[str]) -> list[tuple[str, str]]:
    """The (item id, record id) of every ``ack ITEM RECORD`` line."""
    return [(words[1], words[2]) for words in (line.split() for line in lines)
            if words[:1] == ["ack"]]


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def current(store: Store) -> set[tuple[str, str]]:
    frame = store.annotations()
    return set(zip(frame["item_id"], frame["id"], strict=True))


def test_sigkill_during_writes_loses_no_acknowledged_record(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    proc = start_writer(path, "k", 0)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        wait_ready(proc)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        lines: list[str] = []
        while len(acks(lines)) < 300:
            line = proc.stdout.readline()
            assert line, f"writer stopped early: {proc.communicate()[1]}"
            lines.append(line)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
        lines += proc.stdout.read().splitlines()  # acknowledged before the kill, not yet read
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stdout.close()
        proc.stderr.close()  # type: ignore[union-attr]
    assert len(acks(lines)) >= 300
    acknowledged = set(acks(lines))
    assert integrity(path) == "ok"
    with Store(path) as store:
        missing = acknowledged - current(store)
        assert not missing, f"{len(missing)} acknowledged records lost, e.g. {sorted(missing)[:3]}"
        store.add("after-kill", {"label": "cat"})  # still writable
        assert "after-kill" in store.items()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"  # created by the two writers at the same time
    procs = {name: start_writer(path, name, 150) for name in ("A", "B")}
    try:
        for proc in procs.values():
            wait_ready(proc)
        for proc in procs.values():
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = {name: proc.communicate(timeout=120) for name, proc in procs.items()}
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for name, proc in procs.items():
        assert proc.returncode == 0, outputs[name][1]
        assert outputs[name][0].splitlines()[-1] == "done"
    written = {name: acks(out.splitlines()) for name, (out, _) in outputs.items()}
    # 150 own + 150 shared + 30 * 3 batch records + 15 updates of common/c, per writer
    assert [len(written[name]) for name in ("A", "B")] == [405, 405]
    assert integrity(path) == "ok"
    with Store(path) as store:
        assert current(store) == set(written["A"]) | set(written["B"])
        assert len(store) == 2 * (150 + 150 + 90) + 1
        for k in range(7):  # both writers added to every shared item
            events = store.history(f"shared-{k}")
            assert {e["event"] for e in events} == {"add"}
            expected = sum(1 for i in range(150) if i % 7 == k)
            assert Counter(e["annotator"] for e in events) == {"A": expected, "B": expected}
        common = store.history("common")
        assert [e["event"] for e in common] == ["add"] + ["update"] * 29
        assert Counter(e["annotator"] for e in common) == {"A": 15, "B": 15}
        assert store.get("common")[0]["label"] == common[-1]["annotator"]
        seqs = [e["seq"] for e in store.history()]
        assert len(seqs) == 2 * (150 + 150 + 90 + 15) and len(set(seqs)) == len(seqs)


def test_threads_share_one_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "labels.db", annotator="main")
    threads, per_thread = 6, 40
    barrier = threading.Barrier(threads + 2)  # writers, the reader and this thread
    errors: list[BaseException] = []
    reads: list[int] = []

    def write(t: int) -> None:
        try:
            barrier.wait(timeout=60)
            for i in range(per_thread):
                store.add(f"t{t}-{i}", {"id": f"r{t}-{i}", "label": "cat"}, f"thread-{t}")
                store.add("shared", {"id": f"r{t}-{i}", "label": "dog"}, f"thread-{t}")
                if i % 10 == 0:
                    store.replace(f"t{t}-batch", [{"id": f"b{i}-{k}", "label": "x"}
                                                  for k in range(3)])
        except BaseException as error:
            errors.append(error)

    def read() -> None:
        try:
            barrier.wait(timeout=60)
            for _ in range(20):
                reads.append(len(store.annotations()))
                assert all(r["label"] == "dog" for r in store.get("shared"))
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
    workers.append(threading.Thread(target=read))
    for worker in workers:
        worker.start()
    barrier.wait(timeout=60)
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    assert errors == []
    assert len(reads) == 20 and reads == sorted(reads)  # each read sees a committed state
    assert len(store) == threads * (2 * per_thread + 3)
    assert len(store.get("shared")) == threads * per_thread
    history = store.history("shared")
    assert Counter(e["annotator"] for e in history) == {
        f"thread-{t}": per_thread for t in range(threads)}
    assert [r["id"] for r in store.get("t0-batch")] == ["b30-0", "b30-1", "b30-2"]
    store.close()


def test_write_waits_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    store = Store(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process or notebook is writing
    done = threading.Event()

    def write() -> None:
        store.add("a", {"label": "cat"})
        done.set()

    worker = threading.Thread(target=write)
    worker.start()
    assert not done.wait(0.2)  # cannot commit while the other writer holds the lock
    other.execute("COMMIT")
    other.close()
    worker.join(timeout=60)
    assert done.is_set()
    assert [r["label"] for r in store.get("a")] == ["cat"]
    store.close()


def test_write_gives_up_after_timeout_and_leaves_store_usable(tmp_path: Path) -> None:
    path = tmp_path / "labels.db"
    store = Store(path, timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match=r"locked.*labels\.db.*stayed busy"):
        store.add("a", {"label": "cat"})
    assert store.get("a") == []  # reads are not blocked by a writer in WAL mode
    other.execute("ROLLBACK")
    other.close()
    store.add("a", {"label": "cat"})
    assert len(store) == 1
    store.close()


def test_retry_covers_busy_errors_outside_the_busy_handler() -> None:
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "ok"

    assert retry(flaky, 5.0, "store x") == "ok"
    assert len(calls) == 3

    def broken() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("no such table: annotations")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retry(broken, 5.0, "store x")
    assert len(calls) == 1  # other errors are not retried

    def always_busy() -> None:
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError, match="store x stayed busy"):
        retry(always_busy, 0.01, "store x")

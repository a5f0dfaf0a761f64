"""Stores written by schema version 1 (one dataset per file) open, and are migrated in place."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from nbannotate.store import SCHEMA_VERSION, Store

# written by nbannotate before datasets and the shared queue (schema version 1)
V1 = Path(__file__).resolve().parent / "fixtures" / "store-v1.db"


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(V1, path)
    return path


def test_the_fixture_is_a_version_1_store() -> None:
    with contextlib.closing(sqlite3.connect(V1)) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                            ).fetchone() == ("1",)
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "schema_version" not in tables and "dataset" not in _columns(V1, "annotations")


def test_version_1_store_opens_with_everything_in_the_default_dataset(v1_copy: Path) -> None:
    with Store(v1_copy) as store:
        assert store.dataset == "default"
        assert store.items() == ["img-1", "7", "doc"]
        assert [(r["id"], r["label"]) for r in store.get("img-1")] == [("b1", "dog"),
                                                                       ("b2", "dog")]
        assert store.get("doc")[0]["text"] == "Anna"
        assert store.get("gone") == []
        assert [(e["seq"], e["event"], e["item_id"], e["annotator"])
                for e in store.history()] == [
            (1, "add", "img-1", "ana"), (2, "add", "img-1", "bob"),
            (3, "update", "img-1", "ana"), (4, "add", "7", "ana"), (5, "replace", "doc", "ana"),
            (6, "add", "gone", "ana"), (7, "remove", "gone", "bob")]
        assert store.get_meta("labels") == ["cat", "dog"]
        assert store.get_meta("task") == {"kind": "box"}
        assert store.get_meta("schema_version") == SCHEMA_VERSION
        assert store.get_meta("created_at").startswith("2026-")
        store.add("new", {"label": "cat"})  # numbering continues after the old events
        assert store.history("new")[0]["seq"] == 8
        with store.queue(annotator="ana", lease=60, keepalive=False) as queue:
            assert queue.claim(["img-1", "x"]) == "img-1"
    assert "dataset" in _columns(v1_copy, "annotations")
    with contextlib.closing(sqlite3.connect(v1_copy)) as conn:
        assert [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY 1")
                ] == [1, 2]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # what an older nbannotate reads to say "written by a newer nbannotate"
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                            ).fetchall() == [(str(SCHEMA_VERSION),)]
    with Store(v1_copy) as again:  # opening again changes nothing more
        assert len(again.history()) == 8


def test_two_processes_opening_a_version_1_store_migrate_it_once(v1_copy: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, types; from pathlib import Path;"
            "p = types.ModuleType('nbannotate'); p.__path__ = [sys.argv[2]];"
            "sys.modules['nbannotate'] = p;"
            "from nbannotate.store import Store;"
            "s = Store(sys.argv[1]); print(len(s.history())); s.close()")
    package = str(Path(__file__).resolve().parents[2] / "nbannotate")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(v1_copy), package],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], outs
    assert [out.strip() for out, _ in outs] == ["7", "7", "7"]
    with contextlib.closing(sqlite3.connect(v1_copy)) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone() == (2,)


def test_other_datasets_join_a_migrated_store(v1_copy: Path) -> None:
    with Store(v1_copy, dataset="second") as second:
        assert second.items() == [] and second.get_meta("labels") is None
        second.add("img-1", {"label": "cat"})
        assert second.datasets() == ["default", "second"]
    with Store(v1_copy) as first:
        assert len(first.get("img-1")) == 2


def _columns(path: Path, table: str) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}

"""Several annotator processes share one queue (real connections, SQLite file or PostgreSQL):
no double assignment outside overlap, nothing lost, a SIGKILLed annotator's item returns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from nbannotate.store import Store
from nbannotate.store._queue import capacity

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "_queue_worker.py"
ITEMS = 60


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return str(request.getfixturevalue("postgres_url"))


class Annotators:
    """Worker processes, started together; their output lines, read at the end."""

    def __init__(self) -> None:
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def start(self, location: str, name: str, *, lease: float = 30.0, overlap: float = 0.0,
              idle: float = 1.0, mode: str = "label") -> subprocess.Popen[str]:
        args = [location, "team", name, str(ITEMS), str(lease), str(overlap), str(idle), mode]
        proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT)
        self.procs[name] = proc
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.strip() != "ready":
            proc.kill()
            raise AssertionError(f"annotator {name} did not start: {line!r} "
                                 f"{proc.communicate()[1]}")
        return proc

    def go(self, *names: str) -> None:
        for name in names:
            stdin = self.procs[name].stdin
            assert stdin is not None
            stdin.write("go\n")
            stdin.flush()

    def finish(self, *names: str) -> dict[str, list[list[str]]]:
        lines = {}
        for name in names:
            out, err = self.procs[name].communicate(timeout=180)
            assert self.procs[name].returncode == 0, err
            lines[name] = [line.split() for line in out.splitlines()]
            assert lines[name][-1] == ["finished"], err
        return lines

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


@pytest.fixture
def annotators() -> Iterator[Annotators]:
    group = Annotators()
    yield group
    group.stop()


def labels_by_item(location: str) -> dict[str, list[str]]:
    """Each item's labels (one per annotator who labeled it) as the store holds them."""
    with Store(location, dataset="team") as store:
        frame = store.annotations()
    found: dict[str, list[str]] = {}
    for item, owner, label in zip(frame["item_id"], frame["owner"], frame["label"],
                                  strict=True):
        assert owner == label  # each annotator's own record, labeled with their name
        found.setdefault(item, []).append(label)
    return found


def test_three_annotators_share_the_queue_without_double_work(location: str,
                                                             annotators: Annotators) -> None:
    names = ("ana", "bo", "cy")
    for name in names:
        annotators.start(location, name)
    annotators.go(*names)
    lines = annotators.finish(*names)
    claims = Counter(words[1] for name in names for words in lines[name]
                     if words[0] == "claim")
    done = {(name, words[1]) for name in names for words in lines[name] if words[0] == "done"}
    assert sorted(claims) == sorted(f"item-{i}" for i in range(ITEMS))
    assert set(claims.values()) == {1}  # no item was served twice
    found = labels_by_item(location)
    assert {(label, item) for item, labels in found.items() for label in labels} == done
    assert all(len(labels) == 1 for labels in found.values())
    per_annotator = Counter(name for name, _ in done)
    assert sum(per_annotator.values()) == ITEMS and len(per_annotator) >= 2


def test_overlap_items_are_labeled_by_two_different_annotators(location: str,
                                                             annotators: Annotators) -> None:
    names = ("ana", "bo", "cy")
    for name in names:
        annotators.start(location, name, overlap=0.4)
    annotators.go(*names)
    lines = annotators.finish(*names)
    shared = {f"item-{i}" for i in range(ITEMS) if capacity("team", f"item-{i}", 0.4, 2) == 2}
    # The overlap share is a stable hash per id: 0.4 of the items on average; the bounds
    # (the mean is 24, one standard deviation 3.8) say the share is honoured.
    assert 10 <= len(shared) <= 40
    served: dict[str, list[str]] = {}
    for name in names:
        for words in lines[name]:
            if words[0] == "claim":
                served.setdefault(words[1], []).append(name)
    assert {item for item, who in served.items() if len(who) == 2} == shared
    assert all(len(set(who)) == len(who) for who in served.values())  # different annotators
    assert all(len(served[item]) == 1 for item in set(served) - shared)
    found = labels_by_item(location)
    assert {item: sorted(labels) for item, labels in found.items()} == {
        item: sorted(who) for item, who in served.items()}
    assert len(found) == ITEMS


def test_a_killed_annotators_item_is_labeled_by_another_after_the_lease(
        location: str, annotators: Annotators) -> None:
    lease = 2.0
    holder = annotators.start(location, "dead", lease=lease, mode="hold")
    annotators.go("dead")
    assert holder.stdout is not None
    held = holder.stdout.readline().split()
    assert held[0] == "holding"
    item = held[1]
    for name in ("ana", "bo"):
        annotators.start(location, name, lease=lease, idle=3 * lease)
    annotators.go("ana", "bo")
    time.sleep(lease * 1.5)  # renewed in the background: nobody is served the item
    os.kill(holder.pid, signal.SIGKILL)
    killed_at = time.time()
    assert holder.wait(timeout=30) == -signal.SIGKILL
    lines = annotators.finish("ana", "bo")
    claims = [(name, words[1], float(words[2])) for name in ("ana", "bo")
              for words in lines[name] if words[0] == "claim"]
    assert sorted(i for _, i, _ in claims) == sorted(f"item-{i}" for i in range(ITEMS))
    (taker, _, at), = [c for c in claims if c[1] == item]
    assert at > killed_at  # only once its holder was gone (and its lease ran out)
    found = labels_by_item(location)
    assert found[item] == [taker] and len(found) == ITEMS
    with Store(location, dataset="team") as store:
        assert {c["annotator"] for c in store.claims() if c["item_id"] == item} == {taker}

"""Team mode with real annotator processes, each running a ``label(...)`` session on one
dataset (an SQLite file, and a real PostgreSQL): no item given to two annotators outside the
overlap, nothing lost, a SIGKILLed annotator's item labeled by another after the lease, the
overlap share labeled by different annotators, and every kernel's model learning from
everyone's labels."""

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
WORKER = Path(__file__).resolve().parent / "_team_worker.py"
ITEMS = 40
IDS = [f"d{i}" for i in range(ITEMS)]


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return str(request.getfixturevalue("postgres_url"))


class Annotators:
    """Annotator processes, started together; their output lines, read at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # the working directory (pending files would go there)
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def start(self, location: str, name: str, *, lease: float = 30.0, overlap: float = 0.0,
              idle: float = 4.0, mode: str = "label") -> subprocess.Popen[str]:
        args = [location, "team", name, str(ITEMS), str(lease), str(overlap), str(idle), mode]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1",
               "OPENBLAS_NUM_THREADS": "1"}
        proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.folder, env=env)
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
            out, err = self.procs[name].communicate(timeout=300)
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
def annotators(tmp_path: Path) -> Iterator[Annotators]:
    group = Annotators(tmp_path)
    yield group
    group.stop()


def done_items(lines: list[list[str]]) -> list[str]:
    return [line[1] for line in lines if line[0] == "done"]


def figure(lines: list[list[str]], name: str) -> int:
    return next(int(line[1]) for line in lines if line[0] == name)


def test_three_annotator_sessions_label_every_item_exactly_once(location: str,
                                                                annotators: Annotators) -> None:
    names = ("ana", "bo", "cy")
    for name in names:
        annotators.start(location, name)
    annotators.go(*names)
    out = annotators.finish(*names)
    labeled = {name: done_items(out[name]) for name in names}
    every = [item for items in labeled.values() for item in items]
    assert Counter(every).most_common(1)[0][1] == 1  # no item labeled twice
    assert sorted(every) == sorted(IDS)  # nothing lost
    assert all(len(items) >= 3 for items in labeled.values())  # all three took part
    with Store(location, dataset="team") as store:
        table = store.annotations()
        assert sorted(table["item_id"]) == sorted(IDS)
        owners = dict(zip(table["item_id"], table["owner"], strict=True))
        assert all(owners[item] == name for name, items in labeled.items() for item in items)
        claims = store.claims()
        assert sorted(c["item_id"] for c in claims) == sorted(IDS)
        assert {c["state"] for c in claims} == {"done"}
    for name in names:  # each kernel's model learned from everyone's labels
        assert figure(out[name], "n_human") == ITEMS


def test_an_item_held_by_a_killed_annotator_is_labeled_by_another_after_the_lease(
        location: str, annotators: Annotators) -> None:
    doomed = annotators.start(location, "doomed", lease=2.0, mode="hold")
    annotators.go("doomed")
    assert doomed.stdout is not None
    line = doomed.stdout.readline().split()
    assert line[0] == "holding"
    held = line[1]
    with Store(location, dataset="team") as store:
        assert [(c["item_id"], c["annotator"], c["state"]) for c in store.claims()] == [
            (held, "doomed", "held")]
    time.sleep(3.0)  # the background renewal keeps the lease past its first 2 s
    with Store(location, dataset="team") as store:
        assert [c["item_id"] for c in store.claims() if c["state"] == "held"] == [held]
    doomed.send_signal(signal.SIGKILL)
    killed = time.time()
    doomed.wait(10)
    annotators.start(location, "ana", idle=5.0)
    annotators.go("ana")
    out = annotators.finish("ana")["ana"]
    labeled = done_items(out)
    assert sorted(labeled) == sorted(IDS)  # the dead annotator's item too
    at = next(float(line[2]) for line in out if line[:2] == ["done", held])
    assert at - killed > 0.5  # served only once the lease had run out
    with Store(location, dataset="team") as store:
        done = {c["item_id"]: c["annotator"] for c in store.claims() if c["state"] == "done"}
        assert done[held] == "ana" and len(done) == ITEMS


def test_the_overlap_share_is_labeled_by_two_different_annotators(location: str,
                                                                  annotators: Annotators) -> None:
    for name in ("ana", "bo"):
        annotators.start(location, name, overlap=0.5)
    annotators.go("ana", "bo")
    out = annotators.finish("ana", "bo")
    labeled = {name: done_items(out[name]) for name in ("ana", "bo")}
    for items in labeled.values():
        assert len(items) == len(set(items))  # nobody labels an item twice
    counts = Counter(labeled["ana"] + labeled["bo"])
    shared = {item for item in IDS if capacity("team", item, 0.5, 2) == 2}
    assert 8 <= len(shared) <= 32  # the hashed share of 40 items (mean 20, sd 3.2)
    assert {item for item, n in counts.items() if n == 2} == shared
    assert {item for item, n in counts.items() if n == 1} == set(IDS) - shared
    with Store(location, dataset="team") as store:
        table = store.annotations()
        owners = table.groupby("item_id")["owner"].apply(sorted).to_dict()
    assert all(owners[item] == ["ana", "bo"] for item in shared)
    for name in ("ana", "bo"):
        assert figure(out[name], "n_human") == ITEMS


def test_an_answer_after_the_lease_ran_out_is_kept_and_the_person_is_told(
        location: str, annotators: Annotators) -> None:
    late = annotators.start(location, "late", lease=2.0, mode="late")
    annotators.go("late")
    assert late.stdout is not None and late.stdin is not None
    line = late.stdout.readline().split()
    assert line[0] == "holding"
    item = line[1]
    late.send_signal(signal.SIGSTOP)  # the kernel sleeps (a laptop lid closed): no renewal
    try:
        time.sleep(3.0)
        annotators.start(location, "ana", idle=3.0)
        annotators.go("ana")
        assert item in done_items(annotators.finish("ana")["ana"])  # ana got the item
    finally:
        late.send_signal(signal.SIGCONT)
    late.stdin.write("answer\n")
    late.stdin.flush()
    out = annotators.finish("late")["late"]
    message = " ".join(next(line[1:] for line in out if line[0] == "message"))
    assert f"the lease on item '{item}' had expired" in message
    assert "your label is kept" in message
    with Store(location, dataset="team") as store:
        table = store.annotations()
        owners = sorted(table.loc[table["item_id"] == item, "owner"])
    assert owners == ["ana", "late"]  # both answers kept, nothing lost


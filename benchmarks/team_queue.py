"""The shared queue on PostgreSQL: eight annotator processes label one dataset at once.

Starts a throwaway PostgreSQL cluster (as the tests do: ``initdb`` + ``pg_ctl`` on 127.0.0.1,
as the ``postgres`` user when run as root; unlike the tests' server, with fsync on), then:

1. **Throughput.** ``--annotators`` processes (8) each label ``--items`` items (1,000), all
   following the same priority order (the team's most uncertain items first: the hardest case
   for contention). Each loop: learn of everyone's new labels (``labels_since``, as a kernel
   refitting on the team's labels would), claim the next item (``Queue.claim``), store its
   label and mark it finished (``Queue.complete``: one transaction). No time is spent
   "looking" at an item, so the figures are the store's own.
   Reports labels per second (all annotators together), p50/p95 of getting the next item
   (the ``claim`` call), p50/p95 of storing a label, and double assignments: items finished
   by more than one annotator, or claimed by more than one (must be 0, no overlap here).
2. **A dead annotator.** One process claims an item with a 2 s lease (renewed in the
   background while it lives) and is SIGKILLed; another annotator asks for that item every
   10 ms. Reports the time from the kill until the item is served again (between 2/3 of
   the lease and the lease, since the last renewal came at most a third of a lease before).

3. **Sessions** (``--sessions``). The same, with each process running a team-mode
   ``label(...)`` session (whole-item classes over generated features, a LogisticRegression
   refitting in the background on everyone's labels) and answering every item it shows
   through ``session.submit``, as a key press does. "Next item" is then the whole step a
   person waits for: the label stored and the item finished, taught to the model, the next
   item claimed in the model's order and put on screen. Eight such processes share this
   machine's cores with their refits, so the figures include that contention.

Usage: ``python benchmarks/team_queue.py [--quick] [--annotators N] [--items N] [--sessions]``
(``--quick``: 100 items per annotator).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _lab import table  # benchmarks/ is on sys.path when run as a script

from nbannotate.store import Store
from tests.pg_server import PostgresServer


def annotator(url: str, name: str, total: int, start: Any, results: Any) -> None:
    """One annotator: claim and label until no item is open."""
    store = Store(url, dataset="bench", annotator=name)
    queue = store.queue(lease=600)
    remaining = {f"item-{i:05d}": None for i in range(total)}  # an ordered set
    cursor = 0
    claim_ms: list[float] = []
    label_ms: list[float] = []
    labeled: list[str] = []
    start.wait()
    while remaining:
        events, cursor = store.labels_since(cursor)
        for event in events:
            remaining.pop(event["item_id"], None)
        began = time.perf_counter()
        item = queue.claim(remaining)
        claim_ms.append((time.perf_counter() - began) * 1000)
        if item is None:
            break
        began = time.perf_counter()
        queue.complete(item, [{"id": "class", "label": "pos"}], kind="class")
        label_ms.append((time.perf_counter() - began) * 1000)
        labeled.append(item)
        remaining.pop(item, None)
    ended = time.time()
    queue.close()
    store.close()
    results.put((name, labeled, claim_ms, label_ms, ended))


def session_annotator(url: str, name: str, total: int, start: Any, results: Any) -> None:
    """One annotator running a team-mode ``label()`` session: answer until nothing is shown."""
    import numpy as np

    from nbannotate import label

    rng = np.random.default_rng(0)  # the same items in every process
    features = rng.normal(size=(total, 8))
    truth = (features[:, 0] + 0.5 * features[:, 1] > 0).astype(int)
    images = rng.random((total, 8, 8))
    ids = [f"item-{i:05d}" for i in range(total)]
    session = label(images, labels=[0, 1], features=features, store=url, annotator=name,
                    ids=ids, dataset="sessions",
                    learner_options={"cv": 0, "semi_supervised": False})
    position = {key: i for i, key in enumerate(ids)}
    next_ms: list[float] = []
    labeled: list[str] = []
    start.wait()
    while session.current is not None:
        item = str(session.current)
        began = time.perf_counter()
        session.submit(int(truth[position[item]]))  # stored, taught, next item claimed
        next_ms.append((time.perf_counter() - began) * 1000)
        labeled.append(item)
    ended = time.time()
    session.wait(120)
    learned = session.learner.n_human
    session.close()
    results.put((name, labeled, next_ms, learned, ended))


def sessions(server: PostgresServer, annotators: int, items: int) -> list[list[Any]]:
    url = server.create_database("sessions")
    Store(url, dataset="sessions").close()
    total = annotators * items
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=session_annotator, args=(url, f"s{k}", total, start, results))
             for k in range(annotators)]
    for proc in procs:
        proc.start()
    time.sleep(20.0)  # every process imported nbannotate and opened its session
    began = time.time()
    start.set()
    done = [results.get(timeout=3600) for _ in procs]
    for proc in procs:
        proc.join(timeout=120)
    wall = max(ended for *_, ended in done) - began
    labeled = [item for _, items_, *_ in done for item in items_]
    steps = [ms for _, _, next_ms, _, _ in done for ms in next_ms]
    with Store(url, dataset="sessions") as store:
        finished: dict[str, int] = {}
        for claim in store.claims():
            if claim["state"] == "done":
                finished[claim["item_id"]] = finished.get(claim["item_id"], 0) + 1
        stored = set(store.annotations()["item_id"])
    doubled = sum(1 for count in finished.values() if count > 1)
    doubled += len(labeled) - len(set(labeled))
    per = [len(items_) for _, items_, *_ in done]
    learned = [n for *_, n, _ in done]
    return [
        ["annotator sessions (processes)", annotators],
        ["items labeled / in the pool", f"{len(set(labeled))} / {total}"],
        ["items lost (finished, no label stored)", len(set(finished) - stored)],
        ["labels per annotator (min-max)", f"{min(per)}-{max(per)}"],
        ["wall time (s)", round(wall, 2)],
        ["labels per second", round(len(labeled) / wall, 1)],
        ["submit -> next item on screen p50 (ms)", round(statistics.median(steps), 2)],
        ["submit -> next item on screen p95 (ms)", round(percentile(steps, 95), 2)],
        ["double assignments", doubled],
        ["labels each kernel's model learned (min)", min(learned)],
    ]


def holder(url: str, ready: Any) -> None:
    """Claim one item with a 2 s lease and wait to be killed."""
    store = Store(url, dataset="dead", annotator="doomed")
    queue = store.queue(lease=2.0)
    ready.put(queue.claim(["item-0"]))
    time.sleep(3600)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def throughput(server: PostgresServer, annotators: int, items: int) -> list[list[Any]]:
    url = server.create_database("bench")
    Store(url, dataset="bench").close()  # create the tables before the clock starts
    total = annotators * items
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=annotator, args=(url, f"a{k}", total, start, results))
             for k in range(annotators)]
    for proc in procs:
        proc.start()
    time.sleep(3.0)  # every process imported and connected
    began = time.time()
    start.set()
    done = [results.get(timeout=1800) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    wall = max(ended for *_, ended in done) - began
    labeled = [item for _, items_, *_ in done for item in items_]
    claims = [ms for _, _, claim_ms, _, _ in done for ms in claim_ms]
    labels = [ms for _, _, _, label_ms, _ in done for ms in label_ms]
    with Store(url, dataset="bench") as store:
        finished: dict[str, int] = {}
        for claim in store.claims():
            if claim["state"] == "done":
                finished[claim["item_id"]] = finished.get(claim["item_id"], 0) + 1
        frame = store.annotations()
    doubled = sum(1 for count in finished.values() if count > 1)
    doubled += len(labeled) - len(set(labeled))
    assert len(finished) == total == len(set(frame["item_id"])), "labels lost"
    per = [len(items_) for _, items_, *_ in done]
    return [
        ["annotator processes", annotators],
        ["items labeled", len(set(labeled))],
        ["labels per annotator (min-max)", f"{min(per)}-{max(per)}"],
        ["wall time (s)", round(wall, 2)],
        ["labels per second", round(total / wall, 1)],
        ["next item: claim p50 (ms)", round(statistics.median(claims), 2)],
        ["next item: claim p95 (ms)", round(percentile(claims, 95), 2)],
        ["store label + finish p50 (ms)", round(statistics.median(labels), 2)],
        ["store label + finish p95 (ms)", round(percentile(labels, 95), 2)],
        ["double assignments", doubled],
    ]


def dead_annotator(server: PostgresServer) -> list[list[Any]]:
    url = server.create_database("dead")
    Store(url, dataset="dead").close()
    ctx = mp.get_context("spawn")
    ready = ctx.Queue()
    proc = ctx.Process(target=holder, args=(url, ready))
    proc.start()
    item = ready.get(timeout=60)
    time.sleep(2.5)  # longer than the lease: it is renewed while the process lives
    with Store(url, dataset="dead", annotator="rescuer") as store:
        queue = store.queue(lease=600)
        assert queue.claim([item]) is None, "served while its holder was alive"
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        killed = time.monotonic()
        proc.join()
        while queue.claim([item]) is None:
            time.sleep(0.01)
        returned = time.monotonic() - killed
        queue.close()
    return [["lease (s)", 2.0], ["kill -> item served to another (s)", round(returned, 2)]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 items per annotator")
    parser.add_argument("--annotators", type=int, default=8)
    parser.add_argument("--items", type=int, default=None, help="items per annotator (1000)")
    parser.add_argument("--sessions", action="store_true",
                        help="only the label() sessions (part 3)")
    args = parser.parse_args()
    items = args.items or (100 if args.quick else 1000)
    with PostgresServer(fsync=True) as server:  # durable commits, as in production
        if args.sessions:
            table(f"label() sessions on PostgreSQL: {args.annotators} annotators x {items} "
                  "items", ["measure", "value"], sessions(server, args.annotators, items))
            return
        table(f"Shared queue on PostgreSQL: {args.annotators} annotators x {items} items",
              ["measure", "value"], throughput(server, args.annotators, items))
        table("A SIGKILLed annotator's item returns to the queue", ["measure", "value"],
              dead_annotator(server))


if __name__ == "__main__":
    main()

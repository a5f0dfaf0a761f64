"""The shared queue on SQLite and PostgreSQL, in one process: claims, leases, overlap, names."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nbannotate.store import AnnotatorInUseError, LeaseLostError, Queue, Store
from nbannotate.store._queue import capacity

Opener = Callable[..., Store]
IDS = [f"item-{i}" for i in range(12)]


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    location = (str(tmp_path / "team.db") if request.param == "sqlite"
                else request.getfixturevalue("postgres_url"))
    opened: list[Store] = []

    def open_(**options: Any) -> Store:
        store = Store(location, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def queue(store: Store, name: str, **options: Any) -> Queue:
    return store.queue(annotator=name, keepalive=False, **options)


def test_claims_follow_the_order_and_skip_held_and_finished_items(open_store: Opener) -> None:
    store = open_store(dataset="d")
    ana, bo = queue(store, "ana"), queue(store, "bo")
    assert ana.claim(IDS) == "item-0"
    assert bo.claim(IDS) == "item-1"  # item-0 is held by ana
    assert ana.claim(IDS) == "item-0"  # one's own held item is served again
    assert ana.complete("item-0", [{"label": "pos"}], kind="class") is True
    assert ana.claim(IDS) == "item-2"  # finished by ana
    assert bo.claim(["item-0", "item-2", "item-3"]) == "item-3"
    bo.release("item-1")
    assert ana.claim(["item-1", "item-4"]) == "item-1"  # released: back in the queue
    assert ana.held == ["item-1", "item-2"] and bo.held == ["item-3"]
    assert store.get("item-0", annotator="ana")[0]["label"] == "pos"
    states = {(c["item_id"], c["annotator"]): c["state"] for c in store.claims()}
    assert states == {("item-0", "ana"): "done", ("item-1", "ana"): "held",
                      ("item-2", "ana"): "held", ("item-3", "bo"): "held"}
    assert bo.claim(["item-0", "item-1", "item-2"]) is None


def test_an_expired_lease_returns_the_item_and_renewal_keeps_it(open_store: Opener) -> None:
    store = open_store()
    ana, bo = queue(store, "ana", lease=0.6), queue(store, "bo", lease=0.6)
    assert ana.claim(["a", "b"]) == "a"
    for _ in range(3):  # renewed while on screen: never handed out
        time.sleep(0.3)
        ana.renew("a")
        assert bo.claim(["a"]) is None
    time.sleep(0.9)  # ana's kernel stopped renewing
    assert bo.claim(["a", "b"]) == "a"
    with pytest.raises(LeaseLostError, match="'ana' no longer holds item 'a'"):
        ana.renew("a")
    assert ana.held == []
    # a late label is kept, and says the lease had lapsed
    assert ana.complete("a", [{"label": "x"}], kind="class") is False
    assert bo.complete("a", [{"label": "y"}], kind="class") is True
    assert [r["label"] for r in store.get("a")] == ["x", "y"]


def test_overlap_items_go_to_different_annotators_up_to_the_count(open_store: Opener) -> None:
    store = open_store(dataset="ov")
    ids = [f"r{i}" for i in range(40)]
    shared = {i for i in ids if capacity("ov", i, 0.5, 2) == 2}
    # Overlap items are chosen by a stable hash of (dataset, id): 0.5 of 40 ids is 20 on
    # average; the bounds (about 3 standard deviations) say the share is honoured.
    assert 10 < len(shared) < 30
    queues = [queue(store, name, overlap=0.5, overlap_annotators=2)
              for name in ("ana", "bo", "cy")]
    done: Counter[str] = Counter()
    labeled_by: dict[str, set[str]] = {}
    progress = True
    while progress:
        progress = False
        for q in queues:
            item = q.claim(ids)
            if item is None:
                continue
            progress = True
            assert q.annotator not in labeled_by.get(item, set())
            q.complete(item, [{"label": q.annotator}], kind="class")
            labeled_by.setdefault(item, set()).add(q.annotator)
            done[q.annotator] += 1
    assert {i for i, who in labeled_by.items() if len(who) == 2} == shared
    assert all(len(labeled_by[i]) == 1 for i in set(ids) - shared)
    assert set(labeled_by) == set(ids)
    assert sum(done.values()) == len(ids) + len(shared)
    frame = store.annotations()
    per_item = frame.groupby("item_id")["owner"].nunique()
    assert per_item.to_dict() == {i: (2 if i in shared else 1) for i in ids}


def test_overlap_share_follows_the_hash_everywhere() -> None:
    ids = [str(i) for i in range(20_000)]
    share = sum(capacity("reviews", i, 0.3, 2) == 2 for i in ids) / len(ids)
    assert abs(share - 0.3) < 0.015
    assert [capacity("reviews", i, 0.3, 3) for i in ids[:50]] == [
        capacity("reviews", i, 0.3, 3) for i in ids[:50]]
    assert {capacity("reviews", i, 1.0, 3) for i in ids[:50]} == {3}
    assert {capacity("reviews", i, 0.0, 3) for i in ids[:50]} == {1}


def test_one_live_session_per_annotator_name(open_store: Opener) -> None:
    store = open_store()
    first = queue(store, "ana", presence=30)
    with pytest.raises(AnnotatorInUseError, match=r"annotator 'ana' is already labeling dataset "
                                                  r"'default' of .* in another live session"):
        queue(open_store(), "ana")
    assert first.claim(["a"]) == "a"
    first.close()
    assert store.claims() == []  # closing released the held item
    second = queue(store, "ana")  # the name is free once the session ended
    assert second.claim(["a"]) == "a"
    second.close()


def test_a_dead_sessions_name_frees_after_presence(open_store: Opener) -> None:
    store = open_store()
    queue(store, "ana", presence=0.5)  # never closed, never renewed: its kernel died
    with pytest.raises(AnnotatorInUseError):
        queue(store, "ana")
    time.sleep(0.7)
    assert queue(store, "ana").claim(["a"]) == "a"


def test_a_taken_name_is_reported_at_the_next_claim(open_store: Opener) -> None:
    store = open_store()
    old = queue(store, "ana", presence=0.4)
    time.sleep(0.6)  # the old session was silent too long (laptop asleep)
    new = queue(store, "ana", presence=30)
    with pytest.raises(AnnotatorInUseError):
        old.claim(["a"])
    assert new.claim(["a"]) == "a"


def test_background_renewal_keeps_leases_while_alive(open_store: Opener) -> None:
    store = open_store()
    with store.queue(annotator="ana", lease=0.6, presence=0.6) as ana, \
            store.queue(annotator="bo", lease=0.6, keepalive=False) as bo:
        assert ana.claim(["a"]) == "a"
        time.sleep(1.5)  # more than two leases
        assert bo.claim(["a"]) is None
        assert ana.last_error is None
        with pytest.raises(AnnotatorInUseError):
            queue(store, "ana")


def test_bad_arguments_name_the_argument(open_store: Opener) -> None:
    store = open_store()
    for options, error, message in [
        ({"lease": 0}, ValueError, "lease must be a positive"),
        ({"lease": "10"}, TypeError, "lease must be a number of seconds"),
        ({"overlap": 1.5}, ValueError, "overlap must be between 0 and 1"),
        ({"overlap_annotators": 1}, ValueError, "overlap_annotators must be at least 2"),
        ({"overlap_annotators": 2.0}, TypeError, "overlap_annotators must be an int"),
    ]:
        with pytest.raises(error, match=message):
            store.queue(annotator="ana", keepalive=False, **options)
    with pytest.raises(TypeError, match="unexpected keyword argument 'leese'"):
        store.queue(annotator="ana", leese=3)
    with pytest.raises(TypeError, match="queue\\(\\) needs an annotator name"):
        store.queue()
    q = queue(store, "ana")
    with pytest.raises(TypeError, match="item_id must be a str or an int"):
        q.claim([1.5])  # type: ignore[list-item]
    q.close()
    with pytest.raises(ValueError, match="queue of annotator 'ana' is closed"):
        q.claim(["a"])

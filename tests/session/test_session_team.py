"""Team mode of ``label(...)`` in one process: two sessions (as two notebooks would) on one
store, driven through the session's Python API. Claims through the shared queue, releases on
skip and close, everyone's labels in each model and in ``session.labels``, overlap, the
structured tasks, bad arguments, and faults on a real PostgreSQL (unreachable, wrong password,
a network drop while labeling)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from sklearn.datasets import load_digits

from nbannotate import label
from nbannotate.store import AnnotatorInUseError, Store, StoreConnectionError
from nbannotate.widget.panel import charts_from_stats

from ..pg_server import PostgresServer

N = 40
IDS = [f"d{i}" for i in range(N)]


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    data = load_digits()
    truth = {key: int(t) for key, t in zip(IDS, data.target[:N], strict=True)}
    return data.images[:N] / 16, data.data[:N] / 16, truth


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # pending files of PostgreSQL stores go in the working dir
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return str(request.getfixturevalue("postgres_url"))


def session(digits, location, name, **options):
    images, features, _ = digits
    settings = {"labels": range(10), "features": features, "store": location,
                "annotator": name, "ids": IDS, "learner_options": {"cv": 0}, "team": True,
                **options}
    return label(images, **settings)


def answer(s, truth):
    return s.submit(truth[s.current])


def held(location, dataset="default"):
    with Store(location, dataset=dataset) as store:
        return sorted((c["item_id"], c["annotator"]) for c in store.claims()
                      if c["state"] == "held")


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# -- the shared queue ---------------------------------------------------------------------------
def test_two_sessions_never_show_the_same_item_and_each_answer_finishes_it(digits, location):
    _, _, truth = digits
    ana, bo = session(digits, location, "ana"), session(digits, location, "bo")
    try:
        assert ana.current is not None and bo.current is not None
        assert ana.current != bo.current
        assert held(location) == sorted([(ana.current, "ana"), (bo.current, "bo")])
        answered = []
        for i in range(30):
            s = (ana, bo)[i % 2]
            other = (bo, ana)[i % 2]
            answered.append(answer(s, truth))
            assert s.current != other.current
        assert len(set(answered)) == 30
        with Store(location) as store:
            done = [c for c in store.claims() if c["state"] == "done"]
            assert sorted(c["item_id"] for c in done) == sorted(answered)
            owners = dict(zip(store.annotations()["item_id"], store.annotations()["owner"],
                              strict=True))
        assert {owners[item] for item in answered[0::2]} == {"ana"}
        assert {owners[item] for item in answered[1::2]} == {"bo"}
    finally:
        ana.close()
        bo.close()
    assert held(location) == []  # closing released the items on screen


def test_the_item_is_finished_in_the_queue_before_the_next_one_appears(digits, location):
    _, _, truth = digits
    ana = session(digits, location, "ana")
    states = []

    def on_new_item(change):  # read through another connection, as another kernel would
        with Store(location) as other:
            states.append(sorted((c["item_id"], c["state"]) for c in other.claims()))

    try:
        ana.annotator.observe(on_new_item, "items_shown")
        first = answer(ana, truth)
        second = answer(ana, truth)
        assert [dict(s).get(first) for s in states] == ["done", "done"]
        assert dict(states[1]).get(second) == "done"
    finally:
        ana.close()


def test_a_skipped_item_goes_back_to_the_queue_for_the_others(digits, location):
    ana, bo = session(digits, location, "ana"), session(digits, location, "bo")
    try:
        skipped = ana.skip()
        assert (skipped, "ana") not in held(location)
        assert ana.current != skipped
        bo.skip()  # bo's next item comes in the same order: the one ana gave back is open
        seen = set()
        while bo.current is not None and bo.current != skipped and len(seen) < N:
            seen.add(bo.skip())
        assert bo.current == skipped
    finally:
        ana.close()
        bo.close()


def test_every_kernel_learns_from_everyones_labels(digits, location):
    _, _, truth = digits
    ana, bo = session(digits, location, "ana"), session(digits, location, "bo")
    try:
        bo_items = [answer(bo, truth) for _ in range(12)]
        # ana's kernel hears of them in the background and refits on them
        assert wait_until(lambda: ana.learner.n_human == 12)
        assert ana.wait(60)
        taught = ana.learner.labels
        assert sorted(IDS[i] for i in taught["id"]) == sorted(bo_items)
        assert ana.learner.model is not None  # a model fitted on bo's labels only
        assert ana.counts["human"] == 12 and ana.counts["remaining"] == N - 12
        ana_items = [answer(ana, truth) for _ in range(5)]
        assert not set(ana_items) & set(bo_items)  # finished items are not served again
        table = ana.labels
        assert list(table.columns) == ["id", "label", "source", "score", "annotator"]
        assert sorted(table.loc[table["annotator"] == "bo", "id"]) == sorted(bo_items)
        assert sorted(table.loc[table["annotator"] == "ana", "id"]) == sorted(ana_items)
        assert all(truth[i] == lab for i, lab in zip(table["id"], table["label"], strict=True))
        # the dashboard stats and the panel's chart: per-annotator counts and throughput
        assert wait_until(lambda: bo.learner.n_human == 17)
        bo.wait(60)
        stats = bo.dashboard.stats
        assert [(name, n) for name, n, _ in stats.annotators] == [("bo", 12), ("ana", 5)]
        assert all(rate > 0 for _, _, rate in stats.annotators)
        chart = charts_from_stats(stats, [str(i) for i in range(10)])["annotators"]
        assert chart["names"] == ["bo", "ana"] and chart["items"] == [12, 5]
        progress = bo.team.progress()
        assert list(progress.columns) == ["annotator", "items", "per_minute"]
    finally:
        ana.close()
        bo.close()


def test_overlap_items_go_to_two_different_annotators(digits, tmp_path):
    _, _, truth = digits
    location = str(tmp_path / "overlap.db")
    ana = session(digits, location, "ana", overlap=1.0)
    bo = session(digits, location, "bo", overlap=1.0)
    try:
        done: dict[str, list[str]] = {"ana": [], "bo": []}
        for _ in range(4 * N):
            progressed = False
            for s, name in ((ana, "ana"), (bo, "bo")):
                if s.current is not None:
                    done[name].append(answer(s, truth))
                    progressed = True
            if not progressed:
                break
        assert sorted(done["ana"]) == sorted(IDS) == sorted(done["bo"])
        table = ana.labels
        assert table.groupby("id")["annotator"].apply(sorted).tolist() == [["ana", "bo"]] * N
    finally:
        ana.close()
        bo.close()


def test_structured_sessions_share_the_queue_and_learn_from_each_other(tmp_path):
    docs = [f"Anna met Boris in Oslo on day {i}." for i in range(12)]
    ids = [f"doc{i}" for i in range(12)]
    location = tmp_path / "spans.db"

    def spans_of(doc_id):
        text = docs[ids.index(doc_id)]
        return [{"start": text.index("Anna"), "end": text.index("Anna") + 4, "label": "PER"},
                {"start": text.index("Oslo"), "end": text.index("Oslo") + 4, "label": "LOC"}]

    ana = label(docs, task="spans", labels=["PER", "LOC"], store=location, annotator="ana",
                ids=ids, team=True)
    bo = label(docs, task="spans", labels=["PER", "LOC"], store=location, annotator="bo",
               ids=ids, team=True)
    try:
        assert ana.current != bo.current
        bo_items = [bo.submit(spans_of(bo.current)) for _ in range(3)]
        assert wait_until(lambda: ana._runner.n_trained >= 3)  # ana's model learns bo's spans
        ana.wait_for_model(60)
        assert ana.counts["human"] == 3
        ana_items = [ana.submit(spans_of(ana.current)) for _ in range(3)]
        assert not set(ana_items) & set(bo_items)
        table = ana.labels
        assert "annotator" in table.columns
        assert sorted(set(table.loc[table["annotator"] == "bo", "item_id"])) == sorted(bo_items)
        assert sorted(set(table.loc[table["annotator"] == "ana", "item_id"])) == sorted(ana_items)
        assert ana.model is not None
    finally:
        ana.close()
        bo.close()
    with Store(location) as store:
        assert sorted(c["item_id"] for c in store.claims()) == sorted(ana_items + bo_items)


def test_boxes_sessions_claim_through_the_queue(tmp_path):
    images = [np.full((24, 32), i * 10, dtype=np.uint8) for i in range(6)]
    ids = [f"img{i}" for i in range(6)]
    location = tmp_path / "boxes.db"
    ana = label(images, task="boxes", labels=["cat"], store=location, annotator="ana",
                ids=ids, team=True)
    bo = label(images, task="boxes", labels=["cat"], store=location, annotator="bo",
               ids=ids, team=True)
    try:
        assert ana.current != bo.current
        box = [{"x": 2, "y": 2, "w": 10, "h": 8, "label": "cat"}]
        first = ana.submit(box)
        assert held(str(location)) == sorted([(ana.current, "ana"), (bo.current, "bo")])
        assert first not in (ana.current, bo.current)
    finally:
        ana.close()
        bo.close()


# -- bad input ----------------------------------------------------------------------------------
def test_team_mode_needs_ids_and_an_annotator(digits, tmp_path):
    images, features, _ = digits
    with pytest.raises(TypeError, match=r"^ids is required in team mode"):
        label(images, labels=range(10), features=features, store=tmp_path / "a.db",
              annotator="ana", team=True)
    with pytest.raises(TypeError, match=r"team mode needs annotator="):
        label(images, labels=range(10), features=features, store=tmp_path / "a.db",
              ids=IDS, team=True)
    with pytest.raises(TypeError, match=r"^lease= is an option of team mode"):
        label(images, labels=range(10), features=features, store=tmp_path / "a.db",
              lease=60)
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'leese'"):
        label(images, labels=range(10), features=features, store=tmp_path / "a.db",
              leese=60)
    with pytest.raises(ValueError, match=r"overlap must be between 0 and 1"):
        session(digits, str(tmp_path / "a.db"), "ana", overlap=1.5)


def test_the_same_annotator_name_twice_at_once_is_refused(digits, location):
    ana = session(digits, location, "ana")
    try:
        with pytest.raises(AnnotatorInUseError, match=r"annotator 'ana' is already labeling"):
            session(digits, location, "ana")
        assert ana.current is not None  # the first session is unharmed
    finally:
        ana.close()
    session(digits, location, "ana").close()  # free again once closed


def test_a_postgresql_url_turns_team_mode_on_and_needs_ids(digits, postgres_url):
    images, features, _ = digits
    with pytest.raises(TypeError, match=r"^ids is required in team mode"):
        label(images, labels=range(10), features=features, store=postgres_url,
              annotator="ana")
    s = label(images, labels=range(10), features=features, store=postgres_url,
              annotator="ana", ids=IDS, dataset="digits-2026", lease=60)
    try:
        assert s.team is not None and s.team.queue.lease == 60
        assert held(postgres_url, "digits-2026") == [(s.current, "ana")]
    finally:
        s.close()


def test_an_unreachable_server_and_a_wrong_password_name_the_url_without_the_password(
        digits, postgres_server: PostgresServer, postgres_url: str):
    images, features, _ = digits
    port = postgres_server.port
    for url, cause in ((f"postgresql://ana:s3cret@127.0.0.1:{port + 1}/labels",
                        "refused|connect"),
                       (postgres_server.url(urlsplit(postgres_url).path.lstrip("/"),
                                            password="wrong-s3cret"), "password")):
        with pytest.raises(StoreConnectionError) as caught:
            label(images, labels=range(10), features=features, store=url, annotator="ana",
                  ids=IDS)
        message = str(caught.value)
        assert "s3cret" not in message and ":***@127.0.0.1" in message
        assert re.search(cause, message, re.IGNORECASE)


# -- a network drop while labeling --------------------------------------------------------------
@pytest.fixture
def server(postgres_server: PostgresServer) -> Iterator[PostgresServer]:
    yield postgres_server
    if not postgres_server.running():  # a failed test must not leave the server down
        postgres_server.start()


def test_a_network_drop_keeps_the_labels_and_writes_them_when_the_server_is_back(
        digits, server, postgres_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, _, truth = digits
    ana = label(digits[0], labels=range(10), features=digits[1], store=postgres_url,
                annotator="ana", ids=IDS, learner_options={"cv": 0})
    try:
        before = [answer(ana, truth) for _ in range(3)]
        on_screen = ana.current
        server.stop("fast")  # every connection ends, as a network drop would
        offline = answer(ana, truth)  # the person labels on: the label is kept locally
        assert offline == on_screen
        assert ana.current is None  # no next item can be claimed while the store is away
        status = " · ".join(ana.widget.panel["lines"])
        assert "out of reach" in status
        assert ana.store.pending == 1 and list((tmp_path / ".nbannotate").glob("pending-*.db"))
        assert "out of reach" in ana._finished_text("All items are labeled.")
        assert ana.learner.n_human == 4  # the model keeps learning from it
        server.start()
        # the background follower writes the kept label, and the next item appears
        assert wait_until(lambda: ana.store.pending == 0 and ana.current is not None, 60)
        assert "the store is back: 1 label change(s)" in ana.team.message or \
            "the store is back" in ana.team.message
        with Store(postgres_url) as store:
            stored = set(store.annotations()["item_id"])
            done = {c["item_id"] for c in store.claims() if c["state"] == "done"}
        assert set(before) | {offline} <= stored
        assert set(before) | {offline} == done
        assert answer(ana, truth) not in stored
    finally:
        ana.close()


def test_the_panel_tells_how_far_the_team_agrees(digits, tmp_path):
    location = str(tmp_path / "agree.db")
    ana = session(digits, location, "ana", overlap=1.0)
    bo = session(digits, location, "bo", overlap=1.0)
    try:
        _, _, truth = digits
        for _ in range(4):  # every item goes to both: the same answers, so they agree
            answer(ana, truth)
            answer(bo, truth)
        for s in (ana, bo):
            s.wait()
        assert wait_until(lambda: any(line.startswith("agreement: Krippendorff's alpha 1.00")
                                      for line in ana.widget.panel["lines"]))
    finally:
        ana.close()
        bo.close()

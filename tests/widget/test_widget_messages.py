"""Change messages through ipywidgets' real comm handling (no kernel needed)."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate import ImageAnnotator


def make(**kwargs):
    return ImageAnnotator(np.zeros((100, 200, 3), dtype=np.uint8), labels=["cat", "dog"],
                          **kwargs)


def test_browser_add_update_remove_apply_without_echo(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    box = {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat", "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "boxes", "op": "add", "record": box}]})
    assert [b["id"] for b in w.boxes] == ["b1"]
    assert w.boxes[0]["x"] == 10.0
    comm.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "boxes", "op": "update", "record": {**box, "label": "dog", "x": 12}}]})
    assert w.boxes[0]["label"] == "dog" and w.boxes[0]["x"] == 12.0
    comm.from_browser({"type": "changes", "seq": 3,
                       "changes": [{"field": "boxes", "op": "remove", "record": {"id": "b1"}}]})
    assert w.boxes == []
    # Each edit is acknowledged, and the list itself is never sent back.
    assert comm.custom() == [{"type": "ack", "seq": 1, "revision": 1},
                             {"type": "ack", "seq": 2, "revision": 2},
                             {"type": "ack", "seq": 3, "revision": 3}]
    assert not any("boxes" in state for state in comm.state_updates())
    assert [c["op"] for c in seen] == ["add", "update", "remove"]
    assert seen[2]["record"]["label"] == "dog"  # the removed record as it was
    assert seen[0]["owner"] is w and seen[0]["field"] == "boxes"


def test_each_applied_batch_counts_one_revision_that_rides_on_the_ack(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    revisions = []
    w.observe(lambda change: revisions.append(change["new"]), names="revision")
    box = {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat", "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1, "changes": [
        {"field": "boxes", "op": "add", "record": box},
        {"field": "boxes", "op": "update", "record": {**box, "label": "dog"}}]})
    assert w.revision == 1 and revisions == [1]  # one batch, one revision
    # A rejected batch counts nothing.
    comm.from_browser({"type": "changes", "seq": 2, "changes": [
        {"field": "boxes", "op": "remove", "record": {"id": "missing"}}]})
    assert w.revision == 1
    # The kernel does not send the count as state (the ack carries it); the browser saves
    # it back, which sets the same value and so notifies no observer again.
    assert not any("revision" in state for state in comm.state_updates())
    w.set_state({"revision": 1})  # what ipywidgets does with the browser's update
    assert revisions == [1]
    comm.from_browser({"type": "changes", "seq": 3, "changes": [
        {"field": "boxes", "op": "remove", "record": {"id": "b1"}}]})
    assert comm.custom()[-1] == {"type": "ack", "seq": 3, "revision": 2}
    assert revisions == [1, 2]


def test_invalid_browser_change_is_rejected_with_message_and_state_resent(comm_recorder):
    w = make(boxes=[{"id": "keep", "x": 0, "y": 0, "w": 5, "h": 5, "label": "cat"}])
    comm = comm_recorder(w)
    comm.from_browser({"type": "changes", "seq": 9, "changes": [{
        "field": "boxes", "op": "add",
        "record": {"id": "bad", "x": 190, "y": 0, "w": 30, "h": 5, "label": "cat"}}]})
    assert [b["id"] for b in w.boxes] == ["keep"]
    replies = comm.custom()
    assert replies[0]["type"] == "error" and replies[0]["seq"] == 9
    assert "inside the image" in replies[0]["message"]
    assert any("boxes" in state for state in comm.state_updates())


def test_removing_an_unknown_record_is_an_error_not_a_crash(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "boxes", "op": "remove", "record": {"id": "nope"}}]})
    assert comm.custom()[0]["type"] == "error"
    assert "nope" in comm.custom()[0]["message"]


def test_python_assignment_is_sent_whole_and_validated(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    w.boxes = [{"x": 1, "y": 2, "w": 3, "h": 4, "label": "dog"}]
    assert any("boxes" in state for state in comm.state_updates())
    with pytest.raises(ValueError, match=r"boxes: record 0.*'label' must be one of"):
        w.boxes = [{"x": 1, "y": 2, "w": 3, "h": 4, "label": "bird"}]
    with pytest.raises(ValueError, match=r"'w' must be a non-negative size"):
        w.boxes = [{"x": 1, "y": 2, "w": -3, "h": 4, "label": "dog"}]
    assert w.boxes[0]["label"] == "dog"


def test_unknown_keyword_argument_is_a_type_error():
    with pytest.raises(TypeError, match="colour"):
        ImageAnnotator(np.zeros((4, 4)), labels=["a"], colour="red")


def test_repr_is_cheap_and_never_prints_bytes():
    text = repr(make())
    assert text == "ImageAnnotator(200x100, 0 boxes, 0 keypoints)"


def test_apply_change_is_thread_safe():
    import threading

    w = make()

    def add_many(prefix):
        for i in range(100):
            w.apply_change("boxes", "add", {"id": f"{prefix}{i}", "x": 1, "y": 1, "w": 2,
                                            "h": 2, "label": "cat"})

    threads = [threading.Thread(target=add_many, args=(p,)) for p in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(w.boxes) == 400
    assert len({b["id"] for b in w.boxes}) == 400


def test_a_batch_of_changes_applies_all_or_nothing(comm_recorder):
    w = make(boxes=[{"id": "a", "x": 0, "y": 0, "w": 5, "h": 5, "label": "cat"}])
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    comm.from_browser({"type": "changes", "seq": 4, "changes": [
        {"field": "boxes", "op": "update",
         "record": {"id": "a", "x": 1, "y": 1, "w": 5, "h": 5, "label": "dog"}},
        {"field": "boxes", "op": "remove", "record": {"id": "missing"}}]})
    assert w.boxes[0]["label"] == "cat" and w.boxes[0]["x"] == 0.0  # first change rolled back
    assert comm.custom()[0]["type"] == "error"
    assert seen == []


def test_an_observer_of_a_browser_edit_may_wait_for_a_thread_that_sets_the_widget(comm_recorder):
    # A model's thread publishes suggestions while the browser's edit is being applied and an
    # observer of that edit waits for the thread (as a live refit does): it must not deadlock.
    import threading

    w = make()
    comm = comm_recorder(w)
    published = threading.Event()

    def publish() -> None:
        w.suggestions = [{"x": 1, "y": 1, "w": 5, "h": 5, "label": "dog", "score": 0.9}]
        published.set()

    waited: list[bool] = []

    def wait_for_the_model(_change: object) -> None:
        thread = threading.Thread(target=publish, daemon=True)
        thread.start()
        waited.append(published.wait(10))

    w.observe(wait_for_the_model, names="boxes")
    box = {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat", "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "boxes", "op": "add", "record": box}]})
    assert waited == [True]
    assert [b["id"] for b in w.boxes] == ["b1"] and w.suggestions[0]["label"] == "dog"


def test_a_set_from_another_thread_during_a_browser_edit_is_sent_and_validated(comm_recorder):
    # While the kernel applies a browser edit of `boxes` (not echoed back), another thread
    # sets `boxes` itself: that value is new to the browser, so it is sent, and it is checked.
    import threading

    w = make()
    comm = comm_recorder(w)
    results: list[object] = []

    def set_from_python(value: list[dict]) -> None:
        try:
            w.boxes = value
            results.append("set")
        except Exception as error:  # the test reads it
            results.append(error)

    def during_the_edit(change: dict) -> None:
        if threading.current_thread() is not threading.main_thread() or results:
            return
        bad = [{"id": "far", "x": 500, "y": 0, "w": 10, "h": 10, "label": "cat"}]
        good = [{"id": "py", "x": 1, "y": 2, "w": 3, "h": 4, "label": "dog"}]
        for value in (bad, good):
            thread = threading.Thread(target=set_from_python, args=(value,))
            thread.start()
            thread.join(10)

    w.observe(during_the_edit, names="boxes")
    box = {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat", "source": "human"}
    comm.from_browser({"type": "changes", "seq": 1,
                       "changes": [{"field": "boxes", "op": "add", "record": box}]})
    assert isinstance(results[0], ValueError) and "inside the image" in str(results[0])
    assert results[1] == "set"
    assert [b["id"] for b in w.boxes] == ["py"]
    sent = [state["boxes"] for state in comm.state_updates() if "boxes" in state]
    assert [[b["id"] for b in value] for value in sent] == [["py"]]
    assert comm.custom()[0] == {"type": "ack", "seq": 1, "revision": 1}

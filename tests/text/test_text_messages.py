"""TextAnnotator change messages through ipywidgets' real comm handling (no kernel needed)."""

from __future__ import annotations

import json

from nbannotate import TextAnnotator

TEXT = "😀 Anna lives in Köln"


def make(**kwargs):
    return TextAnnotator(TEXT, labels=["PER", "LOC"], **kwargs)


def message(seq, *changes):
    return {"type": "changes", "seq": seq,
            "changes": [{"field": f, "op": op, "record": r} for f, op, r in changes]}


def span(rid, start, end, label="PER", **extra):
    return {"id": rid, "start": start, "end": end, "label": label,
            "text": TEXT[start:end], "source": "human", **extra}


def test_browser_edits_apply_without_echo_and_call_back(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    seen = []
    w.on_change(seen.append)
    comm.from_browser(message(1, ("spans", "add", span("a", 2, 6))))
    comm.from_browser(message(2, ("spans", "add", span("b", 2, 12, "LOC"))))  # overlapping
    comm.from_browser(message(3, ("spans", "update", span("a", 2, 6, "LOC"))))
    comm.from_browser(message(4, ("spans", "remove", {"id": "b"})))
    assert w.spans == [span("a", 2, 6, "LOC")]
    assert comm.custom() == [{"type": "ack", "seq": n, "revision": n} for n in (1, 2, 3, 4)]
    assert not any("spans" in state for state in comm.state_updates())
    assert [(c["op"], c["record"]["id"]) for c in seen] == [
        ("add", "a"), ("add", "b"), ("update", "a"), ("remove", "b")]
    assert seen[0]["owner"] is w and seen[0]["field"] == "spans"


def rejected(w, comm, record, field="spans", op="add"):
    before = list(getattr(w, field))
    comm.from_browser(message(9, (field, op, record)))
    reply = comm.custom()[-1]
    assert reply["type"] == "error" and reply["seq"] == 9
    assert getattr(w, field) == before
    assert any(field in state for state in comm.state_updates())  # the browser is reset
    return reply["message"]


def test_span_beyond_the_text_is_rejected(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    bad = {"id": "x", "start": 16, "end": 21, "label": "LOC", "source": "human", "text": "Köln!"}
    assert "at most the document length (20)" in rejected(w, comm, bad)


def test_text_mismatch_is_rejected(comm_recorder):
    # What a browser that counted UTF-16 units instead of code points would send.
    w = make()
    comm = comm_recorder(w)
    bad = {**span("x", 3, 7), "text": "Anna"}
    assert "text[3:7] = 'nna '" in rejected(w, comm, bad)


def test_unknown_label_is_rejected(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    assert "'label' must be one of ['PER', 'LOC'], got 'ORG'" in rejected(
        w, comm, span("x", 2, 6, "ORG"))


def test_unaligned_span_is_rejected_when_snapping(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    assert "does not start and end on token boundaries" in rejected(w, comm, span("x", 3, 6))
    comm.from_browser(message(10, ("spans", "add", span("ok", 2, 12))))
    assert comm.custom()[-1] == {"type": "ack", "seq": 10, "revision": 1}


def test_exact_characters_are_accepted_without_snapping(comm_recorder):
    w = make(snap=None)
    comm = comm_recorder(w)
    comm.from_browser(message(1, ("spans", "add", span("x", 3, 6))))
    assert comm.custom() == [{"type": "ack", "seq": 1, "revision": 1}]
    assert w.spans[0]["text"] == "nna"


def test_custom_tokens_are_what_the_kernel_checks(comm_recorder):
    w = make(snap=lambda t: [(i, i + 1) for i, c in enumerate(t) if not c.isspace()])
    comm = comm_recorder(w)
    comm.from_browser(message(1, ("spans", "add", span("x", 3, 5))))  # "nn": two char tokens
    assert comm.custom() == [{"type": "ack", "seq": 1, "revision": 1}]
    assert "token boundaries" in rejected(w, comm, span("y", 1, 3))  # starts on a space


def test_python_ranges_come_back_even_when_not_aligned(comm_recorder):
    # A span set from Python (not token-aligned), deleted then restored by undo in the browser.
    w = make(spans=[span("p", 3, 6)])
    comm = comm_recorder(w)
    comm.from_browser(message(1, ("spans", "remove", {"id": "p"})))
    comm.from_browser(message(2, ("spans", "add", span("p", 3, 6))))
    assert comm.custom() == [{"type": "ack", "seq": n, "revision": n} for n in (1, 2)]
    assert w.spans == [span("p", 3, 6)]


def test_accepting_a_suggestion_is_one_message_of_two_changes(comm_recorder):
    w = make(suggestions=[{"id": "s", "start": 2, "end": 6, "label": "PER", "score": 0.8}])
    comm = comm_recorder(w)
    seen = []
    w.on_change(lambda c: seen.append((c["field"], c["op"])))
    comm.from_browser(message(1, ("suggestions", "remove", {"id": "s"}),
                              ("spans", "add", span("s", 2, 6))))
    assert w.suggestions == [] and w.spans == [span("s", 2, 6)]
    assert seen == [("suggestions", "remove"), ("spans", "add")]
    assert comm.custom() == [{"type": "ack", "seq": 1, "revision": 1}]


def test_an_edit_message_does_not_grow_with_the_number_of_spans(comm_recorder):
    text = "word " * 5000
    spans = [{"start": 5 * i, "end": 5 * i + 4, "label": "PER"} for i in range(5000)]
    w = TextAnnotator(text, labels=["PER"], spans=spans[:-1])
    comm = comm_recorder(w)
    record = {"id": "new", **spans[-1], "text": "word", "source": "human"}
    edit = message(1, ("spans", "add", record))
    assert len(json.dumps(edit)) < 300
    comm.from_browser(edit)
    assert len(w.spans) == 5000
    sent = json.dumps([m["data"] for m in comm.sent])
    assert len(sent) < 200  # only the ack goes back


def test_python_assignment_is_sent_whole(comm_recorder):
    w = make()
    comm = comm_recorder(w)
    w.spans = [{"start": 2, "end": 6, "label": "PER"}]
    assert any("spans" in state for state in comm.state_updates())

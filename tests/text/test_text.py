"""TextAnnotator without a browser: arguments, validation, snapping, change messages."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from nbannotate import TextAnnotator
from nbannotate.formats.tokens import tokenize
from nbannotate.text._tokens_snap import WINDOW, custom_tokens, is_token_aligned, utf16_offsets

ROOT = Path(__file__).resolve().parents[2]
TEXT = "😀 Anna lives in Köln"
ANNA = {"id": "a", "start": 2, "end": 6, "label": "PER", "text": "Anna", "source": "human"}


def make(**kwargs):
    return TextAnnotator(TEXT, labels=["PER", "LOC"], **kwargs)


def change(seq, field, op, record):
    return {"type": "changes", "seq": seq, "changes": [{"field": field, "op": op,
                                                         "record": record}]}


# -- arguments ----------------------------------------------------------------------------
def test_defaults_and_contract_names():
    w = make()
    assert (w.text, w.labels, w.spans, w.suggestions, w.label) == (TEXT, ["PER", "LOC"], [], [],
                                                                   "PER")
    assert w.snap == "token" and w.snap_mode == "token" and w.token_offsets == b""
    assert repr(w) == "TextAnnotator(20 characters, 0 spans, 0 suggestions)"


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"labels": "PER"}, TypeError, "labels must be a list of strings, got str"),
    ({"labels": []}, ValueError, "at least one label"),
    ({"labels": ["A", "A"]}, ValueError, "duplicates"),
    ({"labels": ["A", 3]}, TypeError, "non-empty strings, got 3"),
    ({"labels": ["A"], "label": "B"}, ValueError, r"label must be one of \['A'\], got 'B'"),
    ({"labels": ["A"], "snap": "word"}, ValueError, "snap must be 'token', None or a tokenizer"),
    ({"labels": ["A"], "snap": 3}, TypeError, "snap must be 'token', None or a tokenizer"),
    ({"labels": ["A"], "colour": "red"}, TypeError, "colour"),
])
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        TextAnnotator(TEXT, **kwargs)


def test_text_must_be_a_string():
    with pytest.raises(TypeError, match="text must be a str, got bytes"):
        TextAnnotator(b"abc", labels=["A"])


# -- validation ----------------------------------------------------------------------------
def test_spans_get_their_text_from_the_document_whatever_it_contains():
    text = "e\u0301cole 👩‍👩‍👧 東京 שלום\tx\ny"
    spans = [{"start": s, "end": e, "label": "A"} for s, e in tokenize(text)]
    w = TextAnnotator(text, labels=["A"], spans=spans)
    for span in w.spans:
        assert text[span["start"]:span["end"]] == span["text"]
        assert span["source"] == "human" and len(span["id"]) == 12


@pytest.mark.parametrize(("span", "match"), [
    ({"start": 2, "end": 99, "label": "PER"}, r"'end' must be at most the document length \(20\)"),
    ({"start": 2, "end": 6, "label": "PER", "text": "Otto"},
     r"'text' must be the document's text\[2:6\] = 'Anna'"),
    ({"start": 2, "end": 6, "label": "ORG"}, r"'label' must be one of \['PER', 'LOC'\]"),
    ({"start": 6, "end": 2, "label": "PER"}, "greater than start"),
    ({"start": 2, "end": 6}, "missing field 'label'"),
])
def test_invalid_spans_from_python_are_rejected(span, match):
    with pytest.raises(ValueError, match=match):
        make(spans=[span])
    w = make(spans=[ANNA])
    with pytest.raises(ValueError, match=match):
        w.spans = [span]
    assert w.spans == [ANNA]


def test_suggestions_are_model_spans_with_a_score():
    w = make(suggestions=[{"start": 2, "end": 6, "label": "PER", "score": 0.75}])
    assert w.suggestions[0]["source"] == "model" and w.suggestions[0]["score"] == 0.75
    with pytest.raises(ValueError, match=r"'score' must be a number in \[0, 1\]"):
        w.suggestions = [{"start": 2, "end": 6, "label": "PER", "score": 1.5}]


def test_label_must_be_known():
    w = make()
    w.label = "LOC"
    with pytest.raises(ValueError, match="label must be one of"):
        w.label = "ORG"


def test_text_cannot_change_under_its_spans_but_load_replaces_both():
    w = make(spans=[ANNA], suggestions=[{"start": 16, "end": 20, "label": "LOC"}])
    with pytest.raises(ValueError, match=r"text: the current spans do not fit the new text"):
        w.text = "short"
    assert w.text == TEXT
    with pytest.raises(ValueError, match="at most the document length"):
        w.load("tiny", spans=[{"start": 0, "end": 9, "label": "PER"}])
    assert w.text == TEXT and len(w.spans) == 1  # nothing changed
    w.load("Bob met Ada", spans=[{"start": 8, "end": 11, "label": "PER"}])
    assert w.text == "Bob met Ada" and [s["text"] for s in w.spans] == ["Ada"]
    assert w.suggestions == []


def test_accept_and_reject_suggestions_from_python():
    w = make(suggestions=[{"id": "s1", "start": 2, "end": 6, "label": "PER", "score": 0.9},
                          {"id": "s2", "start": 16, "end": 20, "label": "LOC", "score": 0.4}])
    assert [s["id"] for s in w.reject_suggestions("s2")] == ["s2"]
    accepted = w.accept_suggestions()
    assert accepted == [{"id": "s1", "start": 2, "end": 6, "label": "PER", "text": "Anna",
                         "source": "human"}]
    assert w.spans == accepted and w.suggestions == []
    with pytest.raises(ValueError, match=r"no suggestion with id\(s\) \['nope'\]"):
        w.accept_suggestions(["nope"])
    # A suggestion that repeats a span (same range and label) is only removed.
    w.suggestions = [{"id": "s3", "start": 2, "end": 6, "label": "PER", "score": 0.5}]
    assert w.accept_suggestions() == [] and w.suggestions == [] and len(w.spans) == 1


# -- snapping ------------------------------------------------------------------------------
def test_custom_tokenizer_crosses_as_int32_utf16_offsets():
    text = "a😀b cd"

    def by_char(t):
        return [(i, i + 1) for i, c in enumerate(t) if not c.isspace()]

    w = TextAnnotator(text, labels=["X"], snap=by_char)
    assert w.snap is by_char and w.snap_mode == "custom"
    got = np.frombuffer(w.token_offsets, dtype="<i4").reshape(-1, 2).tolist()
    assert got == [[0, 1], [1, 3], [3, 4], [5, 6], [6, 7]]
    w.snap = None
    assert (w.snap_mode, w.token_offsets) == ("none", b"")
    w.snap = "token"
    assert w.snap_mode == "token"


@pytest.mark.parametrize(("tokens", "error", "match"), [
    ([(0, 2), (1, 3)], ValueError, "in order and not overlap"),
    ([(0, 99)], ValueError, r"0 <= start < end <= 5"),
    ([(2, 2)], ValueError, "start < end"),
    ([(0, 1, 2)], TypeError, "pairs"),
    (None, TypeError, "pairs"),
])
def test_a_bad_tokenizer_is_rejected(tokens, error, match):
    with pytest.raises(error, match=match):
        custom_tokens("hello", lambda _t: tokens)


def test_utf16_offsets():
    assert utf16_offsets("abc", np.array([0, 3])).tolist() == [0, 3]
    assert utf16_offsets("😀a𝄞b", np.array([0, 1, 2, 3, 4])).tolist() == [0, 2, 3, 5, 6]


def test_token_alignment_by_window_matches_the_whole_document():
    rng = random.Random(3)
    pieces = ["Anna", "Köln", "😀", "東京", ",", "e\u0301", "👍🏽", "🇩🇪", "\u200d", "x_1", ".",
              " ", " ", "\n", "\t"]
    for _ in range(30):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(5, 60)))
        tokens = tokenize(text)
        starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 12) + 1):
                assert is_token_aligned(text, start, end) == (start in starts and end in ends), (
                    text, start, end)


def test_token_alignment_without_spaces_falls_back_to_the_whole_text():
    text = "東京" * (WINDOW + 50) + "abc" + "x" * (2 * WINDOW)
    assert is_token_aligned(text, 3, 4)
    end = len(text)
    assert is_token_aligned(text, 2 * (WINDOW + 50), end)
    assert not is_token_aligned(text, 2 * (WINDOW + 50) + 1, end)


def test_tokens_fixture_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_tokens",
                                                  ROOT / "tests/fixtures/make_tokens.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stored = json.loads((ROOT / "tests/fixtures/tokens.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(module.build(), ensure_ascii=False)), (
        "run python tests/fixtures/make_tokens.py (and check js/text/tokens.ts with vitest)")

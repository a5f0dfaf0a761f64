"""Text formats: tokenizer, CoNLL BIO, Prodigy JSONL, Label Studio text."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from nbannotate.formats import (
    DroppedSpansWarning,
    from_conll,
    from_jsonl,
    from_labelstudio_text,
    snap_span,
    to_conll,
    to_jsonl,
    to_labelstudio_text,
    tokenize,
)

EMOJI = "😀 Anna lives in Köln."
COMBINING = "Cafe\u0301 Zoe\u0308 visited Mu\u0308nchen"  # decomposed é, ë, ü
CJK = "我住在北京。東京タワー"
HINDI = "मेरा नाम अनुष्का है"


def span(text: str, piece: str, label: str, occurrence: int = 0, **extra: Any) -> dict[str, Any]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(piece, start + 1)
    return {"id": extra.pop("id", f"{label}-{start}"), "start": start,
            "end": start + len(piece), "label": label, "text": piece, "source": "human",
            **extra}


def documents() -> list[dict[str, Any]]:
    return [
        {"id": "emoji", "text": EMOJI, "spans": [span(EMOJI, "Anna", "PER"),
                                                 span(EMOJI, "Köln", "LOC")]},
        {"id": "marks", "text": COMBINING, "spans": [
            span(COMBINING, "Zoe\u0308", "PER", source="model", score=0.625),
            span(COMBINING, "Mu\u0308nchen", "LOC", source="auto", score=0.99)]},
        {"text": CJK, "spans": [span(CJK, "北京", "LOC"), span(CJK, "東京タワー", "FAC")]},
        {"text": HINDI, "spans": [span(HINDI, "अनुष्का", "PER")]},
        {"text": "no entities here", "spans": []},
    ]


def key(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["start"], s["end"], s["label"], s["text"])


# ---------------------------------------------------------------- tokenizer


@pytest.mark.parametrize(("text", "tokens"), [
    (EMOJI, ["😀", "Anna", "lives", "in", "Köln", "."]),
    (COMBINING, ["Cafe\u0301", "Zoe\u0308", "visited", "Mu\u0308nchen"]),
    (CJK, ["我", "住", "在", "北", "京", "。", "東", "京", "タ", "ワ", "ー"]),
    (HINDI, ["मेरा", "नाम", "अनुष्का", "है"]),
    ("👩‍🔬 ok 👍🏽 🇩🇪!", ["👩‍🔬", "ok", "👍🏽", "🇩🇪", "!"]),
    ("don't  3.5\tkm\n", ["don", "'", "t", "3", ".", "5", "km"]),
    ("", []),
])
def test_tokenize_gives_code_point_offsets(text: str, tokens: list[str]) -> None:
    offsets = tokenize(text)
    assert [text[s:e] for s, e in offsets] == tokens
    assert all(e > s for s, e in offsets)
    assert offsets == sorted(offsets)


def test_tokenize_offsets_after_an_emoji_are_python_offsets() -> None:
    assert tokenize(EMOJI)[1] == (2, 6)  # the emoji is one code point (two UTF-16 units)


def test_snap_span_widens_to_tokens() -> None:
    assert snap_span(EMOJI, 3, 5) == (2, 6)
    assert snap_span(EMOJI, 5, 9) == (2, 12)
    with pytest.raises(ValueError, match=r"span \[1:2\] \(' '\) covers no token"):
        snap_span(EMOJI, 1, 2)
    with pytest.raises(ValueError, match=r"0 <= start < end <= 21"):
        snap_span(EMOJI, 4, 40)


# ---------------------------------------------------------------- CoNLL


def test_conll_round_trip_with_original_texts_gives_exact_spans() -> None:
    docs = documents()
    text = to_conll(docs)
    back = from_conll(text, texts=[d["text"] for d in docs])
    assert [d["text"] for d in back] == [d["text"] for d in docs]
    for want, got in zip(docs, back, strict=True):
        assert [key(s) for s in got["spans"]] == [key(s) for s in want["spans"]]
        assert all(s["source"] == "human" for s in got["spans"])


def test_conll_round_trip_rebuilds_text_with_single_spaces() -> None:
    back = from_conll(to_conll(documents()))
    assert back[0]["text"] == "😀 Anna lives in Köln ."
    assert [key(s) for s in back[0]["spans"]] == [(2, 6, "PER", "Anna"), (16, 20, "LOC", "Köln")]
    assert [s["text"] for s in back[1]["spans"]] == ["Zoe\u0308", "Mu\u0308nchen"]
    assert [(s["text"], s["label"]) for s in back[2]["spans"]] == [("北 京", "LOC"),
                                                                  ("東 京 タ ワ ー", "FAC")]
    assert back[4] == {"text": "no entities here", "spans": []}


def test_conll_writes_iob2_columns() -> None:
    text = to_conll(documents()[2:3])
    assert text.splitlines()[3:5] == ["北 B-LOC", "京 I-LOC"]
    assert text.endswith("ー I-FAC\n\n")


def test_conll_overlaps_raise_listing_the_spans() -> None:
    text = "New York City is big"
    docs = [{"id": "d", "text": text, "spans": [
        span(text, "New York City", "LOC", id="a"), span(text, "York", "GPE", id="b")]}]
    with pytest.raises(ValueError, match=r"document 0 \(id='d'\): overlapping spans cannot be "
                                         r"written as BIO tags: span 'b' GPE \[4:8\] 'York' "
                                         r"overlaps span 'a' LOC \[0:13\] 'New York City'"):
        to_conll(docs)


def test_conll_overlap_drop_warns_and_records_the_dropped_spans() -> None:
    text = "New York City is big"
    docs = [{"text": "plain", "spans": []}, {"text": text, "spans": [
        span(text, "York", "GPE", id="b"), span(text, "New York City", "LOC", id="a"),
        span(text, "City is", "X", id="c"), span(text, "big", "ADJ", id="d")]}]
    dropped = r"2 spans left out .*document 1: span 'b' GPE \[4:8\] 'York'; document 1: span 'c'"
    with pytest.warns(DroppedSpansWarning, match=dropped) as rec:
        out = to_conll(docs, on_overlap="drop")
    assert [(d, s["id"]) for d, s in rec[0].message.dropped] == [(1, "b"), (1, "c")]
    assert out.splitlines()[2:] == ["New B-LOC", "York I-LOC", "City I-LOC", "is O",
                                    "big B-ADJ", ""]


def test_conll_misaligned_spans_are_reported() -> None:
    text = "Anna lives in Köln"
    docs = [{"text": text, "spans": [span(text, "nna", "PER", id="p"),
                                     span(text, "Köln", "LOC", id="l")]}]
    with pytest.raises(ValueError, match=r"document 0: spans not on token boundaries cannot "
                                         r"be written as BIO tags: span 'p' PER \[1:4\] 'nna'"):
        to_conll(docs)
    with pytest.warns(DroppedSpansWarning, match=r"span 'p' PER \[1:4\] 'nna'") as rec:
        out = to_conll(docs, on_misaligned="drop")
    assert rec[0].message.dropped[0][1]["id"] == "p"
    assert out.splitlines()[0] == "Anna O" and "Köln B-LOC" in out


def test_conll_rejects_labels_with_spaces_and_bad_options() -> None:
    docs = [{"text": "Anna", "spans": [{"start": 0, "end": 4, "label": "first name"}]}]
    with pytest.raises(ValueError, match=r"cannot hold a label that is empty or contains "
                                         r"whitespace"):
        to_conll(docs)
    with pytest.raises(ValueError, match=r"on_overlap must be 'raise' or 'drop', got 'keep'"):
        to_conll([], on_overlap="keep")


def test_conll_docstart_keeps_empty_documents() -> None:
    docs = [{"text": "Anna", "spans": [{"start": 0, "end": 4, "label": "PER"}]},
            {"text": "   ", "spans": []}, {"text": "Bob", "spans": []}]
    with pytest.warns(UserWarning, match=r"documents \[1\] have no tokens and were not written"):
        assert len(from_conll(to_conll(docs))) == 2
    text = to_conll(docs, docstart=True)
    assert text.startswith("-DOCSTART- O\n\nAnna B-PER\n\n-DOCSTART- O\n\n-DOCSTART- O\n\n")
    back = from_conll(text, texts=[d["text"] for d in docs])
    assert [d["text"] for d in back] == ["Anna", "   ", "Bob"]
    assert back[0]["spans"][0]["text"] == "Anna"


def test_conll_reads_conll2003_four_columns_sentences_and_iob1() -> None:
    text = ("-DOCSTART- -X- -X- O\n\n"
            "EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n"
            "call NN I-NP O\n. . O O\n\n"
            "Peter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n\n"
            "-DOCSTART- -X- -X- O\n\n"
            "In IN O O\nEurope NNP B-NP I-LOC\nParis NNP B-NP B-LOC\n")
    docs = from_conll(text)
    assert [d["text"] for d in docs] == ["EU rejects German call .\nPeter Blackburn",
                                         "In Europe Paris"]
    assert [(s["text"], s["label"]) for s in docs[0]["spans"]] == [
        ("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")]
    assert [s["text"] for s in docs[1]["spans"]] == ["Europe", "Paris"]


def test_conll_an_i_tag_of_another_label_starts_a_new_span() -> None:
    doc = from_conll("Anna B-PER\nSmith I-LOC\nand O\nBob I-PER\nJones I-PER\n")[0]
    assert [(s["text"], s["label"]) for s in doc["spans"]] == [
        ("Anna", "PER"), ("Smith", "LOC"), ("Bob Jones", "PER")]


@pytest.mark.parametrize(("text", "message"), [
    ("Anna B-PER\nlives O\n\nin\n", r"CoNLL line 4: expected 'token TAG', got 'in'"),
    ("Anna PER\n", r"CoNLL line 1: tag must be 'O', 'B-<label>' or 'I-<label>', got 'PER'"),
    ("Anna B-\n", r"CoNLL line 1: tag must be"),
])
def test_conll_read_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_conll(text)


def test_conll_read_with_texts_reports_mismatches() -> None:
    conll = "Anna B-PER\nlives O\n\nBob B-PER\n"
    with pytest.raises(ValueError, match=r"texts has 1 entries but the CoNLL text holds 2 "
                                         r"documents"):
        from_conll(conll, texts=["Anna lives"])
    with pytest.raises(ValueError, match=r"CoNLL line 2: token 'lives' is not next in "
                                         r"texts\[0\] at offset 5 \(the text has 'loves"):
        from_conll(conll, texts=["Anna loves", "Bob"])
    with pytest.raises(ValueError, match=r"texts\[1\] goes on after the last CoNLL token"):
        from_conll(conll, texts=["Anna lives", "Bob Dylan"])


# ---------------------------------------------------------------- Prodigy JSONL


def test_jsonl_round_trip_keeps_ids_sources_scores_and_overlaps() -> None:
    docs = documents()
    docs[0]["spans"].append(span(EMOJI, "Anna lives", "CLAUSE", id="overlap"))
    back = from_jsonl(to_jsonl(docs))
    assert back == [{**d, "spans": d["spans"]} for d in docs]


def test_jsonl_layout_is_prodigy_style() -> None:
    line = json.loads(to_jsonl(documents()[:1]).splitlines()[0])
    assert line["text"] == EMOJI and line["nbannotate_id"] == "emoji"
    assert line["tokens"][1] == {"text": "Anna", "start": 2, "end": 6, "id": 1, "ws": True}
    assert line["tokens"][4]["ws"] is False  # "Köln" is followed by "."
    assert line["spans"][1] == {"start": 16, "end": 20, "token_start": 4, "token_end": 4,
                                "label": "LOC", "nbannotate_id": "LOC-16",
                                "nbannotate_source": "human"}
    multi = json.loads(to_jsonl(documents()[2:3]))["spans"][1]
    assert (multi["token_start"], multi["token_end"]) == (6, 10)  # token_end inclusive


def test_jsonl_keeps_line_separators_inside_texts() -> None:
    text = "first\u2028second\x85third"
    docs = [{"text": text, "spans": [span(text, "second", "X", id="s")]}]
    written = to_jsonl(docs)
    assert written.count("\n") == 1
    assert from_jsonl(written) == docs


def test_jsonl_reads_foreign_tasks_and_skips_rejected_ones() -> None:
    accepted = {"text": "Anna in Köln", "answer": "accept",
                "spans": [{"start": 8, "end": 12, "label": "LOC", "text": "Köln",
                           "score": 0.5}]}
    rejected = {"text": "Bob", "answer": "reject", "spans": [{"start": 0, "end": 3,
                                                              "label": "LOC"}]}
    text = json.dumps(accepted) + "\n\n" + json.dumps(rejected) + "\n"
    with pytest.warns(UserWarning, match=r"1 rejected or ignored tasks were skipped"):
        docs = from_jsonl(text)
    assert len(docs) == 1
    only = docs[0]["spans"][0]
    assert (only["text"], only["label"], only["score"], only["source"]) == (
        "Köln", "LOC", 0.5, "human")
    assert len(only["id"]) == 12


def _task(**span_fields: Any) -> str:
    text = "Anna lebt in Köln"
    tokens = [{"text": text[s:e], "start": s, "end": e, "id": i}
              for i, (s, e) in enumerate(tokenize(text))]
    return json.dumps({"text": text, "tokens": tokens, "spans": [span_fields]})


@pytest.mark.parametrize(("line", "message"), [
    (_task(start=13, end=17, token_start=2, token_end=3, label="LOC"),
     r"JSONL line 2, span 0: text\[13:17\] is 'Köln' but token offsets say \[10:17\] "
     r"'in Köln' \(tokens 2\.\.3, token_end inclusive\)"),
    (_task(start=13, end=17, token_start=3, token_end=9, label="LOC"),
     r"JSONL line 2, span 0: token_start/token_end must be token indices in \[0, 4\)"),
    (_task(start=13, end=17, text="Koln", label="LOC"),
     r"JSONL line 2, span 0: text\[13:17\] is 'Köln' but the span's text is 'Koln'"),
    (_task(start=13, end=30, label="LOC"),
     r"JSONL line 2, span 0: offsets \[13:30\] must satisfy 0 <= start < end <= 17"),
    (_task(start=13, end=17, label=5), r"JSONL line 2: .*field 'label' must be a string"),
    (_task(start="13", end=17, label="LOC"), r"JSONL line 2, span 0: must have integer"),
    ('{"text": "a", "tokens": [{"text": "b", "start": 0, "end": 1}]}',
     r"JSONL line 2, token 0: text\[0:1\] is 'a' but the token's text is 'b'"),
    ('{"text": "a", spans: []}', r"JSONL line 2: not valid JSON \(Expecting property name"),
    ('["a"]', r"JSONL line 2: must be an object with a 'text' string"),
])
def test_jsonl_read_errors_name_line_and_span(line: str, message: str) -> None:
    good = json.dumps({"text": "ok", "spans": []})
    with pytest.raises(ValueError, match=message):
        from_jsonl(good + "\n" + line + "\n")


def test_jsonl_write_rejects_spans_off_token_boundaries() -> None:
    docs = [{"id": "d", "text": "Köln", "spans": [{"id": "s", "start": 0, "end": 2,
                                                   "label": "X"}]}]
    with pytest.raises(ValueError, match=r"document 0 \(id='d'\), span 0 \(id='s'\): "
                                         r"text\[0:2\] 'Kö' does not end on a token boundary"):
        to_jsonl(docs)


# ---------------------------------------------------------------- Label Studio text


def test_labelstudio_text_round_trip_in_code_points_and_utf16() -> None:
    docs = documents()
    for offsets in ("codepoint", "utf16"):
        tasks = json.loads(json.dumps(to_labelstudio_text(docs, offsets=offsets)))
        assert from_labelstudio_text(tasks, offsets=offsets) == docs


def test_labelstudio_text_layout_and_offset_units() -> None:
    tasks = to_labelstudio_text(documents()[:2], from_name="ner", to_name="doc",
                                data_key="content")
    assert tasks[0]["data"] == {"content": EMOJI, "nbannotate_id": "emoji"}
    result = tasks[0]["annotations"][0]["result"][1]
    assert result == {"id": "LOC-16", "type": "labels", "from_name": "ner", "to_name": "doc",
                      "origin": "manual", "value": {"start": 16, "end": 20, "text": "Köln",
                                                    "labels": ["LOC"]}}
    assert "annotations" not in tasks[1]
    assert [r["value"]["labels"] for r in tasks[1]["predictions"][0]["result"]] == [
        ["PER"], ["LOC"]]
    assert tasks[1]["predictions"][0]["score"] == pytest.approx((0.625 + 0.99) / 2)
    utf16 = to_labelstudio_text(documents()[:1], offsets="utf16")
    assert utf16[0]["annotations"][0]["result"][1]["value"]["start"] == 17


def test_labelstudio_text_reports_offsets_that_do_not_match() -> None:
    tasks = to_labelstudio_text(documents()[:1], offsets="utf16")
    with pytest.raises(ValueError, match=r"Label Studio task 0, annotation result 0 "
                                         r"\(id='PER-2'\): text\[3:7\] is 'nna ' but the result "
                                         r"says 'Anna' \(offsets='codepoint'; .*offsets='utf16'"):
        from_labelstudio_text(tasks)
    inside = to_labelstudio_text(documents()[:1], offsets="utf16")
    inside[0]["annotations"][0]["result"][0]["value"].update(start=1, text="\ude00 Anna")
    with pytest.raises(ValueError, match=r"result 0 \(id='PER-2'\): UTF-16 offset 1 falls "
                                         r"inside a surrogate pair"):
        from_labelstudio_text(inside, offsets="utf16")
    with pytest.raises(ValueError, match=r"offsets must be 'codepoint' or 'utf16'"):
        to_labelstudio_text(documents()[:1], offsets="bytes")


def test_warnings_point_at_the_calling_line() -> None:
    text = "New York"
    docs = [{"text": text, "spans": [span(text, "New York", "LOC"), span(text, "York", "X")]}]
    rejected = json.dumps({"text": "a", "answer": "ignore"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        to_conll(docs, on_overlap="drop")
        to_conll([{"text": "", "spans": []}])
        from_jsonl(rejected)
    assert [type(w.message).__name__ for w in caught] == [
        "DroppedSpansWarning", "UserWarning", "UserWarning"]
    assert {w.filename for w in caught} == {__file__}

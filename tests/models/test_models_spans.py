"""SpanTagger on generated documents with planted entities (known answers)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.feature_extraction import FeatureHasher

from nbannotate.formats.tokens import tokenize
from nbannotate.models import DroppedAnnotationsWarning, SpanTagger, item_uncertainty
from nbannotate.models._bio import viterbi_bio
from nbannotate.models._metrics import span_f1
from nbannotate.models._synthetic import make_entity_documents
from nbannotate.models._token_features import TokenHasher, token_feature_lists
from nbannotate.records import validate_span


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[list[str], list[list[dict]]]]:
    return {"train": make_entity_documents(40, seed=1, holdout=False),
            "test": make_entity_documents(60, seed=2, holdout=True)}


def test_f1_improves_with_more_documents_and_generalises_to_unseen_names(corpus) -> None:
    docs, spans = corpus["train"]
    test_docs, test_spans = corpus["test"]  # names and places never seen in training
    scores = [span_f1(SpanTagger().fit(docs[:n], spans[:n]).predict(test_docs), test_spans)
              for n in (3, 40)]
    assert scores[1] > scores[0] + 0.1
    assert scores[1] > 0.75


def test_predictions_are_valid_span_records_with_code_point_offsets(corpus) -> None:
    tagger = SpanTagger().fit(*corpus["train"])
    text = "🎉😀 Yesterday in Lagos, Dr. Anna Novak met the team from Globex 🎉."
    found = tagger.predict([text])[0]
    assert [(s["text"], s["label"]) for s in found] == [
        ("Lagos", "LOC"), ("Anna Novak", "PER"), ("Globex", "ORG")]
    ids = set()
    for span in found:
        assert validate_span(span, text=text) == span
        assert span["text"] == text[span["start"]:span["end"]]
        assert span["source"] == "model" and 0.0 <= span["score"] <= 1.0
        ids.add(span["id"])
    assert len(ids) == len(found)
    assert found[0]["start"] == text.index("Lagos")  # emoji count as one character each


def test_uncertainty_is_higher_on_unfamiliar_documents(corpus) -> None:
    docs, spans = corpus["train"]
    tagger = SpanTagger().fit(docs, spans)
    familiar = tagger.uncertainty(docs[:20])
    unfamiliar = tagger.uncertainty(["Xq Zvv Prr Ttq, Mmo Lkk Jjj Hhh Qqq Www."] * 2)
    assert familiar.shape == (20,) and np.all((familiar >= 0) & (familiar <= 1))
    assert unfamiliar.mean() > familiar.mean()
    assert item_uncertainty(tagger, docs[:3]).tolist() == pytest.approx(
        tagger.uncertainty(docs[:3]).tolist())
    records, scores = tagger.suggest(docs[:3])
    assert scores.tolist() == pytest.approx(familiar[:3].tolist())
    assert len(records) == 3


def test_overlapping_training_spans_are_left_out_with_a_warning() -> None:
    docs = ["Anna Lee met Boris in Oslo.", "Boris met Anna Lee in Lima."]
    spans = [[{"start": 0, "end": 8, "label": "PER"}, {"start": 5, "end": 8, "label": "PER"},
              {"start": 13, "end": 18, "label": "PER"}, {"start": 22, "end": 26, "label": "LOC"}],
             [{"start": 0, "end": 5, "label": "PER"}, {"start": 10, "end": 18, "label": "PER"},
              {"start": 22, "end": 26, "label": "LOC"}]]
    with pytest.warns(DroppedAnnotationsWarning, match=r"left out 1 .*items\[0\] 'PER' \[5:8\]") \
            as caught:
        tagger = SpanTagger().fit(docs, spans)
    assert caught[0].message.dropped == [(0, spans[0][1])]
    assert tagger.n_dropped_ == 1
    assert [s["text"] for s in tagger.predict(["Anna Lee met Boris in Oslo."])[0]] == \
        ["Anna Lee", "Boris", "Oslo"]


def test_spans_not_on_token_boundaries_are_widened_to_tokens() -> None:
    docs = ["Anna met Boris.", "Boris met Anna."] * 3
    spans = [[{"start": 1, "end": 3, "label": "PER"}], [{"start": 0, "end": 5, "label": "PER"}]] * 3
    tagger = SpanTagger().fit(docs, spans)
    assert [s["text"] for s in tagger.predict(["Anna met Boris."])[0]] == ["Anna"]


def test_bad_items_and_annotations_name_the_item() -> None:
    with pytest.raises(TypeError, match=r"items\[1\] must be a str"):
        SpanTagger().fit(["ok", 3], [[], []])
    with pytest.raises(ValueError, match=r"annotations\[1\]\[0\].*<= 2"):
        SpanTagger().fit(["abc", "ab"], [[], [{"start": 0, "end": 5, "label": "A"}]])
    with pytest.raises(ValueError, match=r"label 'B' is not one of labels=\['A'\]"):
        SpanTagger(labels=["A"]).fit(["ab cd"], [[{"start": 0, "end": 2, "label": "B"}]])


def test_documents_without_spans_or_tokens() -> None:
    tagger = SpanTagger().fit(["nothing here", "   "], [[], []])
    assert tagger.predict(["nothing at all", "", "  \n"]) == [[], [], []]
    assert tagger.uncertainty(["", "a b"]).tolist() == [0.0, 0.0]


def test_sgd_classifier_learns_incrementally(corpus) -> None:
    docs, spans = corpus["train"]
    test_docs, test_spans = corpus["test"]
    tagger = SpanTagger(classifier="sgd", labels=["LOC", "ORG", "PER"])
    tagger.partial_fit(docs[:3], spans[:3])
    first = span_f1(tagger.predict(test_docs), test_spans)
    for start in range(3, 40, 6):
        tagger.partial_fit(docs[start:start + 6], spans[start:start + 6])
    assert span_f1(tagger.predict(test_docs), test_spans) > first
    with pytest.raises(ValueError, match="partial_fit needs classifier='sgd'"):
        SpanTagger().partial_fit(docs[:1], spans[:1])


def test_viterbi_finds_the_best_valid_tag_sequence() -> None:
    rng = np.random.default_rng(0)
    for _ in range(150):
        n = int(rng.integers(1, 5))
        proba = rng.dirichlet(np.full(5, 0.4), n)  # O, B-0, I-0, B-1, I-1
        best, best_score = None, -np.inf
        for tags in itertools.product(range(5), repeat=n):
            valid = all(not (t > 0 and t % 2 == 0 and (i == 0 or tags[i - 1] not in (t, t - 1)))
                        for i, t in enumerate(tags))
            score = np.log(np.clip(proba[np.arange(n), tags], 1e-12, 1)).sum()
            if valid and score > best_score + 1e-12:
                best, best_score = tags, score
        got = viterbi_bio(proba)
        got_score = np.log(np.clip(proba[np.arange(n), got], 1e-12, 1)).sum()
        assert got_score == pytest.approx(best_score), (proba, got, best)


def test_hashed_features_match_scikit_learns_feature_hasher() -> None:
    docs, _ = make_entity_documents(5, seed=4)
    for n_features in (64, 2**18):
        hasher = TokenHasher(n_features)
        reference = FeatureHasher(n_features, input_type="string", alternate_sign=False)
        for doc in [*docs, "😀 x", "A"]:
            tokens = tokenize(doc)
            fast = hasher.transform(doc, tokens)
            slow = reference.transform(token_feature_lists(doc, tokens))
            assert abs(fast - slow).sum() == 0

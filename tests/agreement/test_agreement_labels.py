"""Whole-item labels: Cohen's kappa against scikit-learn, Fleiss and Krippendorff by hand."""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

import nbannotate
from nbannotate import Store
from nbannotate.agreement import agreement, fleiss_kappa, krippendorff_alpha


def rows(table: dict[str, str]) -> list[dict[str, object]]:
    """``{"ana": "aab", ...}``: one label per item, item i is the i-th letter."""
    return [{"item": f"i{n}", "annotator": who, "label": label}
            for who, labels in table.items() for n, label in enumerate(labels)]


def test_pairwise_cohen_kappa_is_scikit_learns() -> None:
    rng = np.random.default_rng(3)
    truth = rng.choice(list("xyz"), size=60)
    table = {}
    for who, noise in (("ana", 0.1), ("bo", 0.3), ("cy", 0.6)):
        noisy = np.where(rng.random(60) < noise, rng.choice(list("xyz"), size=60), truth)
        table[who] = "".join(noisy)
    result = agreement(rows(table))
    assert result.kind == "class"
    assert list(zip(result.pairs["annotator_a"], result.pairs["annotator_b"], strict=True)) == [
        ("ana", "bo"), ("ana", "cy"), ("bo", "cy")]
    for (a, b), kappa, items in zip(combinations(sorted(table), 2), result.pairs["cohen_kappa"],
                                    result.pairs["items"], strict=True):
        assert items == 60
        assert kappa == pytest.approx(cohen_kappa_score(list(table[a]), list(table[b])))
    # per label: label against the rest, compared with scikit-learn on the binary labels
    for row in result.labels.itertuples():
        kappas = [cohen_kappa_score([c == row.label for c in table[a]],
                                    [c == row.label for c in table[b]])
                  for a, b in combinations(sorted(table), 2)]
        assert row.mean_cohen_kappa == pytest.approx(np.mean(kappas))


def test_cohen_kappa_uses_only_the_items_both_labeled() -> None:
    data = rows({"ana": "abab", "bo": "abba"})
    data.append({"item": "extra", "annotator": "ana", "label": "a"})
    pair = agreement(data).pairs.iloc[0]
    assert pair["items"] == 4
    assert pair["observed"] == 0.5
    assert pair["cohen_kappa"] == pytest.approx(cohen_kappa_score(list("abab"), list("abba")))


# Worked example, three annotators, four items, three categories:
#   item 0: a a a    item 1: a a b    item 2: b c c    item 3: c c c
# Fleiss: P_i = sum_j n_ij (n_ij - 1) / (3 * 2) = 6/6, 2/6, 2/6, 6/6  ->  P = 2/3;
#   p = (a 5/12, b 2/12, c 5/12), P_e = (25 + 4 + 25) / 144 = 3/8;
#   kappa = (2/3 - 3/8) / (1 - 3/8) = (7/24) / (15/24) = 7/15.
# Krippendorff (nominal): ordered pairs of different values per unit / (m - 1):
#   item 1: (9 - (4 + 1)) / 2 = 2, item 2: 2, others 0 -> 4; n = 12, n_c = (5, 2, 5),
#   sum_{c != k} n_c n_k = 144 - 54 = 90; alpha = 1 - 11 * 4 / 90 = 23/45.
# Label "a" against the rest (n_a = 3, 2, 0, 0, p = 5/12):
#   Fleiss: 1 - sum n (3 - n) / (N m (m - 1) p q) = 1 - 2 / (4 * 3 * 2 * 35/144) = 23/35;
#   Krippendorff: disagreement 2 (item 1), n_c = (5, 7), 144 - 74 = 70,
#   alpha = 1 - 11 * 2 / 70 = 24/35.
WORKED = {"ana": "aabc", "bo": "aacc", "cy": "abcc"}


def test_fleiss_and_krippendorff_match_the_worked_example() -> None:
    result = agreement(rows(WORKED))
    assert result.overall["fleiss_kappa"] == pytest.approx(7 / 15)
    assert result.overall["krippendorff_alpha"] == pytest.approx(23 / 45)
    assert result.overall["items"] == 4
    a = result.labels.set_index("label").loc["a"]
    assert a["fleiss_kappa"] == pytest.approx(23 / 35)
    assert a["krippendorff_alpha"] == pytest.approx(24 / 35)
    assert a["ratings"] == 5
    assert list(result.labels["label"]) == ["a", "b", "c"]


def test_krippendorff_takes_missing_ratings_and_fleiss_varying_annotators() -> None:
    # Two categories: items 0..3 as below with three annotators, item 4 one rating (not
    # pairable), item 5 two ratings a/b.
    #   0: a a a   1: a a b   2: b b b   3: a b b   4: a   5: a b
    # Krippendorff: disagreements 2 (item 1) + 2 (item 3) + 2 / 1 (item 5) = 6;
    #   n = 14 (7 a, 7 b), 196 - 98 = 98; alpha = 1 - 13 * 6 / 98 = 10/49.
    # Fleiss with each item's own m: P_i = 1, 1/3, 1, 1/3, 0 -> P = 8/15; p = (1/2, 1/2),
    #   P_e = 1/2; kappa = (8/15 - 1/2) / (1/2) = 1/15.
    ratings = {"0": {"a": "a", "b": "a", "c": "a"}, "1": {"a": "a", "b": "a", "c": "b"},
               "2": {"a": "b", "b": "b", "c": "b"}, "3": {"a": "a", "b": "b", "c": "b"},
               "4": {"a": "a"}, "5": {"b": "a", "c": "b"}}
    assert krippendorff_alpha(ratings) == pytest.approx(10 / 49)
    assert fleiss_kappa(ratings) == pytest.approx(1 / 15)
    assert math.isnan(fleiss_kappa({"0": {"a": "x", "b": "x"}}))
    assert math.isnan(krippendorff_alpha({"0": {"a": "x"}}))


def test_multi_label_records_count_per_label() -> None:
    data = [{"item": 1, "annotator": "ana", "label": ["cat", "dog"]},
            {"item": 1, "annotator": "bo", "label": ["dog", "cat"]},
            {"item": 2, "annotator": "ana", "label": ["cat"]},
            {"item": 2, "annotator": "bo", "label": ["dog"]}]
    result = agreement(data)
    assert result.pairs.iloc[0]["observed"] == 0.5
    labels = result.labels.set_index("label")
    assert labels.loc["cat", "ratings"] == 3
    assert labels.loc["dog", "ratings"] == 3


def test_a_store_is_read_with_its_annotators_and_human_records_only(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    with Store(path) as store:
        for who, labels in WORKED.items():
            for n, label in enumerate(labels):
                store.add(f"i{n}", {"label": label}, annotator=who)
        store.add("i0", {"label": "c", "source": "model", "score": 0.4}, annotator="ana")
        from_store = nbannotate.agreement(store)
    from_path = agreement(path)
    for result in (from_store, from_path):
        assert result.overall["fleiss_kappa"] == pytest.approx(7 / 15)
    pd.testing.assert_frame_equal(from_store.pairs, agreement(rows(WORKED)).pairs)
    with pytest.raises(ValueError, match="dataset='other'"):
        agreement(path, dataset="other")


def test_a_frame_with_a_record_column_or_field_columns() -> None:
    frame = pd.DataFrame(rows(WORKED))
    assert agreement(frame).overall["fleiss_kappa"] == pytest.approx(7 / 15)
    wrapped = pd.DataFrame({"item_id": frame["item"], "annotator": frame["annotator"],
                            "record": [{"label": x} for x in frame["label"]]})
    assert agreement(wrapped).overall["krippendorff_alpha"] == pytest.approx(23 / 45)


def test_bad_input_names_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="has no 'annotator'"):
        agreement([{"item": 1, "label": "a"}])
    with pytest.raises(ValueError, match="several kinds"):
        agreement([{"item": 1, "annotator": "a", "label": "x"},
                   {"item": 1, "annotator": "b", "label": "x", "x": 1, "y": 1, "w": 1, "h": 1}])
    with pytest.raises(ValueError, match="kind must be one of"):
        agreement([], kind="boxes")
    with pytest.raises(ValueError, match="threshold must be"):
        agreement([], threshold=0)
    with pytest.raises(TypeError, match="dataset='x'"):
        agreement([], dataset="x")
    with pytest.raises(TypeError, match="got int"):
        agreement(5)
    with pytest.raises(TypeError):
        agreement([], kinds="class")  # type: ignore[call-arg]


def test_the_public_name_is_callable_however_it_was_first_reached() -> None:
    import nbannotate.agreement as package

    data = rows(WORKED)
    assert package(data).overall == nbannotate.agreement(data).overall
    assert "agreement" in nbannotate.__all__


def test_a_postgresql_store_is_read_per_dataset(postgres_url: str) -> None:
    """The team store (a real PostgreSQL): one database, two datasets, agreement per dataset."""
    with Store(postgres_url, dataset="reviews") as store:
        for who, labels in WORKED.items():
            for n, label in enumerate(labels):
                store.add(f"i{n}", {"label": label}, annotator=who)
    with Store(postgres_url, dataset="other") as other:
        other.add("i0", {"label": "x"}, annotator="ana")
        other.add("i0", {"label": "y"}, annotator="ben")
    result = agreement(postgres_url, dataset="reviews")
    assert result.overall["fleiss_kappa"] == pytest.approx(7 / 15)
    pd.testing.assert_frame_equal(result.pairs, agreement(rows(WORKED)).pairs)
    with pytest.raises(ValueError, match="holds no such dataset"):
        agreement(postgres_url, dataset="missing")

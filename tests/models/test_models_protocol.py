"""The StructuredModel protocol, item uncertainty, and what every built-in model shares:
scikit-learn-style parameters, clear errors, documented public API with running examples."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import nbannotate.models as models
from nbannotate.models import (
    DroppedAnnotationsWarning,
    FrameTagger,
    KeypointLocator,
    PixelClassifier,
    SpanTagger,
    StructuredModel,
    WindowDetector,
    item_uncertainty,
    proba_uncertainty,
    records_uncertainty,
)
from nbannotate.models._metrics import average_precision, event_f1, span_f1

MODULES = sorted(info.name for info in pkgutil.walk_packages(models.__path__,
                                                             "nbannotate.models."))
BUILT_INS = [SpanTagger, FrameTagger, WindowDetector, KeypointLocator, PixelClassifier]


class ScoredBoxes:
    """A user's own model: fixed boxes with the scores it was built with."""

    def __init__(self, scores: dict[str, list[float]]) -> None:
        self.scores = scores

    def fit(self, items: Any, annotations: Any) -> ScoredBoxes:
        return self

    def predict(self, items: Any) -> list[list[dict[str, Any]]]:
        return [[{"id": f"{item}-{k}", "x": 0, "y": 0, "w": 1, "h": 1, "label": "a",
                  "source": "model", "score": s} for k, s in enumerate(self.scores[item])]
                for item in items]


def test_a_user_object_with_fit_and_predict_is_a_structured_model() -> None:
    model = ScoredBoxes({"a": [0.9, 0.6], "b": [0.95], "c": []})
    assert isinstance(model, StructuredModel)
    assert not isinstance(object(), StructuredModel)

    class OnlyFit:
        def fit(self, items: Any, annotations: Any) -> OnlyFit:
            return self

    assert not isinstance(OnlyFit(), StructuredModel)


def test_item_uncertainty_falls_back_to_record_scores() -> None:
    model = ScoredBoxes({"a": [0.9, 0.6], "b": [0.95], "c": []})
    assert item_uncertainty(model, ["a", "b", "c"]).tolist() == pytest.approx([0.4, 0.05, 1.0])
    assert item_uncertainty(model, ["a", "c"], reduce="mean", empty=0.0).tolist() == \
        pytest.approx([0.25, 0.0])


def test_item_uncertainty_prefers_the_models_own_measure() -> None:
    class WithUncertainty(ScoredBoxes):
        def uncertainty(self, items: Any) -> np.ndarray:
            return np.array([0.7 for _ in items])

    model = WithUncertainty({"a": [0.99]})
    assert item_uncertainty(model, ["a"]).tolist() == [0.7]


def test_item_uncertainty_reports_bad_predictions() -> None:
    class Short(ScoredBoxes):
        def predict(self, items: Any) -> list[list[dict[str, Any]]]:
            return []

    with pytest.raises(ValueError, match="one list of records per item"):
        item_uncertainty(Short({}), ["a"])

    class BadScore(ScoredBoxes):
        def predict(self, items: Any) -> list[list[dict[str, Any]]]:
            return [[{"label": "a", "score": 3.0}] for _ in items]

    with pytest.raises(ValueError, match=r"items\[0\].*score must be in \[0, 1\]"):
        item_uncertainty(BadScore({}), ["a"])
    with pytest.raises(TypeError, match="predict"):
        item_uncertainty(object(), ["a"])


def test_records_and_proba_uncertainty() -> None:
    assert records_uncertainty([{"score": 0.8}, {}]) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="reduce"):
        records_uncertainty([], reduce="max")
    sure = np.array([[1.0, 0.0, 0.0]] * 20)
    unsure = np.vstack([sure, [[1 / 3, 1 / 3, 1 / 3]] * 3])
    assert proba_uncertainty(sure) == 0.0
    assert proba_uncertainty(unsure) == pytest.approx(1.0)  # an even split scales to 1
    assert 0.0 < proba_uncertainty(unsure, top=0.5) < 1.0


def test_metrics_score_known_cases() -> None:
    gold = [[{"start": 0, "end": 4, "label": "A"}, {"start": 5, "end": 9, "label": "B"}]]
    assert span_f1([[{"start": 0, "end": 4, "label": "A"}]], gold) == pytest.approx(2 / 3)
    regions = [[{"start": 1.0, "end": 2.0, "label": "a"}]]
    assert event_f1([[{"start": 1.2, "end": 2.0, "label": "a"}]], regions) == 0.0
    box = {"x": 0, "y": 0, "w": 10, "h": 10, "label": "a"}
    ranked_wrong = [[{**box, "x": 60, "score": 0.9}, {**box, "score": 0.5}]]
    assert average_precision(ranked_wrong, [[box]]) == pytest.approx(0.5)


@pytest.mark.parametrize("cls", BUILT_INS)
def test_built_ins_follow_the_protocol_and_scikit_learn_conventions(cls: type) -> None:
    model = cls()
    assert isinstance(model, StructuredModel)
    params = model.get_params()
    assert "n_threads" in params
    twin = clone(model.set_params(n_threads=2))
    assert twin.get_params()["n_threads"] == 2
    with pytest.raises(TypeError):
        cls(no_such_option=1)
    with pytest.raises(NotFittedError, match="fit"):
        model.predict([])


@pytest.mark.parametrize(("cls", "param", "value"), [
    (SpanTagger, "C", -1.0), (FrameTagger, "hop_seconds", 0.5), (WindowDetector, "cells", 1),
    (KeypointLocator, "patch_size", 2), (PixelClassifier, "classifier", "svm")])
def test_bad_parameters_fail_at_fit_naming_the_parameter(cls: type, param: str,
                                                         value: Any) -> None:
    with pytest.raises(ValueError, match=param):
        cls(**{param: value}).fit([], [])


@pytest.mark.parametrize("cls", [SpanTagger, FrameTagger, WindowDetector, KeypointLocator])
def test_fit_checks_the_shape_of_its_arguments(cls: type) -> None:
    with pytest.raises(ValueError, match="2 entries but items has 1"):
        cls().fit(["x"], [[], []])
    with pytest.raises(TypeError, match="single str"):
        cls().fit("x", [[]])
    with pytest.raises(TypeError, match=r"annotations\[0\]\[0\] must be a dict"):
        cls().fit(["x"], [["not a record"]])


def test_dropped_annotations_warning_carries_the_records() -> None:
    warning = DroppedAnnotationsWarning("m", [(2, {"label": "a"})])
    assert isinstance(warning, UserWarning)
    assert warning.dropped == [(2, {"label": "a"})]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring examples of {name} failed"


@pytest.mark.parametrize("name", models.__all__)
def test_public_names_have_numpy_docstrings_with_examples(name: str) -> None:
    value = getattr(models, name)
    doc = inspect.getdoc(value) or ""
    assert "Examples\n--------\n>>> " in doc, name
    if inspect.isclass(value) and name in {c.__name__ for c in BUILT_INS}:
        assert "Parameters\n----------" in doc, name


def test_fitted_models_pickle_without_their_caches() -> None:
    import pickle

    from nbannotate.models._synthetic import make_texture_image

    image, truth = make_texture_image(seed=0, size=(48, 64))
    scribbles = np.full(truth.shape, -1)
    scribbles[::5, ::5] = truth[::5, ::5]
    pixels = PixelClassifier().fit(image, scribbles)
    tagger = SpanTagger().fit(["Anna met Boris."], [[{"start": 0, "end": 4, "label": "PER"}]])
    for model, item in ((pixels, image), (tagger, "Anna met Boris.")):
        model.predict([item])  # fills the caches
        copy = pickle.loads(pickle.dumps(model))
        assert not {"_cache", "_hasher"} & set(copy.__dict__)
        mine, theirs = model.predict([item])[0], copy.predict([item])[0]
        assert [{k: v for k, v in r.items() if k != "id"} for r in mine] == \
            [{k: v for k, v in r.items() if k != "id"} for r in theirs]

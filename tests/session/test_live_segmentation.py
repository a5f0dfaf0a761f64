"""LiveSegmentation: refits in a background thread after strokes, coalesced, capped at one
BLAS thread, publishing mask suggestions and the uncertainty overlay."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from nbannotate import ImageAnnotator, LiveSegmentation
from nbannotate.models import PixelClassifier
from nbannotate.models._synthetic import make_texture_image

NAMES = ["background", "disc", "box"]


@pytest.fixture(scope="module")
def scene() -> tuple[np.ndarray, np.ndarray]:
    image, truth = make_texture_image(seed=2, size=(96, 128), contrast=0.8)
    return image, truth


def scribble(w: ImageAnnotator, truth: np.ndarray, per_label: int, seed: int = 0) -> None:
    """Short strokes inside each region, painted through the Python API."""
    rng = np.random.default_rng(seed)
    for k, name in enumerate(NAMES):
        inner = truth == k
        ys, xs = np.nonzero(inner)
        done = 0
        while done < per_label:
            i = int(rng.integers(xs.size))
            x, y = int(xs[i]), int(ys[i])
            end = min(truth.shape[1] - 1, x + 6)
            if inner[y, x:end + 1].all() and (y < 2 or inner[y - 2, x:end + 1].all()) and (
                    y + 2 >= truth.shape[0] or inner[y + 2, x:end + 1].all()):
                w.paint(name, [[x + 0.5, y + 0.5], [end + 0.5, y + 0.5]], radius=1.5)
                done += 1


def predicted(w: ImageAnnotator, truth: np.ndarray) -> np.ndarray:
    from nbannotate.formats.rle import rle_to_mask

    labels = np.full(truth.shape, -1)
    for record in w.mask_suggestions:
        labels[rle_to_mask(record["mask"])] = NAMES.index(record["label"])
    return labels


class GatedClassifier(PixelClassifier):
    """The real classifier, whose fit waits for a gate and records what it saw."""

    def fit(self, items, annotations):
        self.__dict__.setdefault("calls", []).append(
            ({m["label"] for m in annotations}, threadpool_info()))
        entered = self.__dict__.get("entered")
        if entered is not None:
            entered.set()
        gate = self.__dict__.get("gate")
        if gate is not None:
            assert gate.wait(30)
        return super().fit(items, annotations)


def test_refits_publish_suggestions_and_uncertainty_that_match_the_regions(scene):
    image, truth = scene
    w = ImageAnnotator(image, labels=NAMES)
    with LiveSegmentation(w) as live:
        scribble(w, truth, per_label=6)
        assert live.wait(60)
        assert live.error is None and live.refits >= 1
        assert sorted(s["label"] for s in w.mask_suggestions) == sorted(NAMES)
        assert all(s["source"] == "model" and 0 < s["score"] <= 1 for s in w.mask_suggestions)
        accuracy = (predicted(w, truth) == truth).mean()
        assert accuracy > 0.85, accuracy
        assert w.uncertainty_png[:4] == b"\x89PNG"
        first = live.mean_uncertainty
        assert first is not None and 0 <= first <= 1
        # More strokes: the model learns from them.
        scribble(w, truth, per_label=12, seed=1)
        assert live.wait(60)
        assert (predicted(w, truth) == truth).mean() >= accuracy - 0.02
        # Accepting turns the prediction into masks: every pixel labelled, strokes kept.
        painted = w.mask_array("disc")
        w.accept_mask_suggestions()
        union = sum(w.mask_array(n).astype(int) for n in NAMES)
        assert (union == 1).all() and (w.mask_array("disc") >= painted).all()
        assert live.wait(60) and live.error is None


def test_strokes_during_a_refit_are_coalesced_and_the_kernel_is_not_blocked(scene):
    image, _ = scene
    model = GatedClassifier(labels=NAMES)
    model.gate, model.entered = threading.Event(), threading.Event()
    w = ImageAnnotator(image, labels=NAMES)
    live = LiveSegmentation(w, model)
    try:
        w.paint("background", [[2, 2], [10, 2]], radius=1)
        w.paint("disc", [[64, 48]], radius=1)
        assert model.entered.wait(30)  # the first refit is running (blocked at its gate)
        # Painting goes on while it runs: each stroke returns at once.
        for x in range(20, 60, 4):
            w.paint("box", [[x, 90]], radius=1)
        assert live.running and len(model.calls) == 1
        model.gate.set()
        assert live.wait(60)
        # The ten strokes made one more refit, which saw all three labels.
        assert len(model.calls) == 2, [c[0] for c in model.calls]
        assert model.calls[-1][0] == set(NAMES)
        assert "box" in {s["label"] for s in w.mask_suggestions}
        # BLAS/OpenMP pools were capped at one thread during the fits.
        for _, info in model.calls:
            assert all(pool["num_threads"] == 1 for pool in info), info
    finally:
        model.gate.set()
        live.close()


def test_one_label_clears_suggestions_and_waits(scene):
    image, truth = scene
    w = ImageAnnotator(image, labels=NAMES)
    with LiveSegmentation(w) as live:
        scribble(w, truth, per_label=2)
        assert live.wait(60) and w.mask_suggestions
        w.erase([[0, 0], [127, 95]], radius=200)  # everything erased
        assert live.wait(60)
        assert w.mask_suggestions == [] and w.uncertainty_png == b""
        assert live.status == "waiting for strokes of at least two labels"


def test_a_failing_model_is_reported_in_the_widget_and_the_thread_survives(scene):
    image, _ = scene

    class WrongShape(PixelClassifier):
        def predict_proba(self, image):
            return np.zeros((3, 3, 2))

    w = ImageAnnotator(image, labels=NAMES)
    with LiveSegmentation(w, WrongShape(labels=NAMES)) as live:
        w.paint("disc", [[64, 48]], radius=2)
        w.paint("box", [[10, 10]], radius=2)
        assert live.wait(60)
        assert "predict_proba gave shape (3, 3, 2)" in live.error
        assert w.error.startswith("Live segmentation failed")
        live.model = PixelClassifier(labels=NAMES)
        live.refit()
        assert live.wait(60)
        assert live.error is None and w.error == "" and w.mask_suggestions


def test_a_new_image_during_a_refit_drops_its_result(scene):
    image, _ = scene
    model = GatedClassifier(labels=NAMES)
    model.gate, model.entered = threading.Event(), threading.Event()
    w = ImageAnnotator(image, labels=NAMES)
    with LiveSegmentation(w, model) as live:
        w.paint("disc", [[64, 48]], radius=2)
        w.paint("box", [[10, 10]], radius=2)
        assert model.entered.wait(30)
        w.set_image(image[:50, :60])
        model.gate.set()
        assert live.wait(60)
        assert w.mask_suggestions == []
        assert live.refits == 0


def test_close_stops_observing_and_arguments_are_checked(scene):
    image, truth = scene
    w = ImageAnnotator(image, labels=NAMES)
    live = LiveSegmentation(w)
    live.close()
    assert not live._thread.is_alive()
    scribble(w, truth, per_label=2)
    assert not live.running and live.refits == 0 and w.mask_suggestions == []
    with pytest.raises(RuntimeError, match="closed"):
        live.refit()
    with pytest.raises(TypeError, match="annotator must be an ImageAnnotator"):
        LiveSegmentation(object())
    from sklearn.cluster import KMeans

    with pytest.raises(TypeError, match="KMeans has no predict_proba"):
        LiveSegmentation(w, KMeans())
    with pytest.raises(TypeError, match="uncertainty must be True or False"):
        LiveSegmentation(w, uncertainty="yes")
    with pytest.raises(TypeError, match="unexpected keyword"):
        LiveSegmentation(w, labels=NAMES)


def test_a_given_image_must_be_an_array_of_the_annotators_size():
    w = ImageAnnotator(np.zeros((30, 40, 3), dtype=np.uint8), labels=["a", "b"])
    with pytest.raises(TypeError, match="image must be a numpy array"):
        LiveSegmentation(w, image="pixels.png")
    with pytest.raises(ValueError, match=r"image must have the annotator's size .* \(30, 40\), "
                                         r"got \(10, 10\)"):
        LiveSegmentation(w, image=np.zeros((10, 10)))
    live = LiveSegmentation(w, image=np.zeros((30, 40), dtype=np.uint8))
    try:
        assert live.status == "idle"
    finally:
        live.close()

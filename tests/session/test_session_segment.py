"""Segment sessions (``task="segment"``) through their public Python API, on generated images
with known regions (textured background, disc, box): the most uncertain image comes next,
pre-segmented well above chance; masks and polygons in the store; origins of masks (drawn,
accepted by Enter or in Python, corrected, auto) by the pixel rule; the live refit on the
image shown and how it keeps out of the session's refit; Back, resume and bad input."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest

from nbannotate import ImageAnnotator, Store, label
from nbannotate.formats.rle import mask_to_rle, rle_to_mask, rle_to_string
from nbannotate.image import mask_ops as ops
from nbannotate.models import PixelClassifier, item_uncertainty
from nbannotate.models._polygons import polygon_mask
from nbannotate.models._synthetic import make_texture_image

NAMES = ["background", "disc", "box"]
SIZE = (96, 128)


@pytest.fixture(scope="module")
def scenes():
    made = [make_texture_image(seed=seed, size=SIZE, contrast=0.6) for seed in range(7)]
    return [image for image, _ in made], [truth for _, truth in made]


def truth_masks(truth: np.ndarray) -> list[dict]:
    return [{"label": name, "mask": mask_to_rle(truth == k)} for k, name in enumerate(NAMES)]


def label_map(records: list[dict], shape=SIZE) -> np.ndarray:
    """Each pixel's label index from mask records (-1: none)."""
    out = np.full(shape, -1)
    for record in records:
        out[rle_to_mask(record["mask"])] = NAMES.index(record["label"])
    return out


def accuracy(records: list[dict], truth: np.ndarray) -> float:
    return float((label_map(records, truth.shape) == truth).mean())


def make(scenes, path, **options):
    images, _ = scenes
    return label(images, task="segment", labels=NAMES, store=path, **options)


class GatedPixelClassifier(PixelClassifier):
    """A PixelClassifier whose fits in the live refit thread wait until the test says so."""

    gate = threading.Event()

    def fit(self, items, annotations):
        if threading.current_thread().name == "nbannotate-segment-live":
            assert self.gate.wait(30), "the test never released the live fit"
        return super().fit(items, annotations)


# -- the queue and the pre-segmentation ------------------------------------------------------
def test_the_most_uncertain_image_comes_next_pre_segmented(scenes, tmp_path):
    images, truth = scenes
    session = make(scenes, tmp_path / "s.db")
    assert isinstance(session.annotator, ImageAnnotator)
    assert session.annotator.tool == "brush" and session.reason == "cold"
    first = session.current
    session.submit(truth_masks(truth[first]))
    assert session.wait_for_model(60)
    after_one = session.current
    assert after_one != first
    # The refit drew its segmentation in on the untouched image, one mask per label.
    suggestions = session.suggestions
    assert sorted(s["label"] for s in suggestions) == sorted(NAMES)
    assert all(s["source"] == "model" and 0 < s["score"] <= 1 for s in suggestions)
    assert accuracy(suggestions, truth[after_one]) > 0.85  # chance: about 0.33
    session.submit(truth_masks(truth[after_one]))
    model = session.model  # the model that picked the image now shown (fitted on one image)
    assert session.reason == "model" and "least sure" in session.widget.panel["message"]
    left = [p for p in range(len(images)) if p not in (first, after_one)]
    doubt = item_uncertainty(model, [images[p] for p in left])
    assert session.current == left[int(np.argmax(doubt))]
    assert session.wait_for_model(60)
    fitted_on_two = session.model
    assert fitted_on_two is not model and session._runner.n_trained == 2
    assert accuracy(session.suggestions, truth[session.current]) > 0.85
    session.close()


def test_the_item_uncertainty_is_the_mean_of_the_least_sure_tenth_of_pixels(scenes):
    images, truth = scenes
    model = PixelClassifier(labels=NAMES).fit(images[:1], [truth_masks(truth[0])])
    proba = np.moveaxis(model.predict_proba(images[3]), 2, 0)
    per_pixel = (1 - proba.max(axis=0)) / (1 - 1 / 3)
    worst = np.sort(per_pixel.ravel())[::-1][:per_pixel.size // 10]
    assert item_uncertainty(model, [images[3]])[0] == pytest.approx(worst.mean(), rel=0.05)


def test_refits_compute_features_of_new_images_only_and_learn_the_same(scenes, monkeypatch):
    """The session refits a clone of its model after each image: the clones share the rows
    sampled from each image, so only a new image's features are computed."""
    from sklearn.base import clone

    import nbannotate.models.pixel_classifier as module

    images, truth = scenes
    seen = []
    original = module.pixel_features
    monkeypatch.setattr(module, "pixel_features",
                        lambda image, **kw: seen.append(image.shape) or original(image, **kw))
    prototype = PixelClassifier(labels=NAMES, cache_size=0)  # no whole-image feature cache
    annotations = [truth_masks(t) for t in truth[:3]]
    clone(prototype).fit(images[:2], annotations[:2])
    assert len(seen) == 2
    fitted = clone(prototype).fit(images[:3], annotations[:3])
    assert len(seen) == 3  # the third image only
    fresh = PixelClassifier(labels=NAMES).fit(images[:3], annotations[:3])
    assert np.array_equal(fitted.predict_proba(images[4]), fresh.predict_proba(images[4]))
    # Polygons train as the pixels they contain.
    points = disc_polygon(truth[0])
    as_polygon = [r for r in annotations[0] if r["label"] != "disc"]
    as_mask = [*as_polygon, {"label": "disc", "mask": mask_to_rle(polygon_mask(points, SIZE))}]
    one = PixelClassifier(labels=NAMES).fit([images[0]], [[*as_polygon, {"label": "disc",
                                                                        "points": points}]])
    two = PixelClassifier(labels=NAMES).fit([images[0]], [as_mask])
    assert np.array_equal(one.predict_proba(images[1]), two.predict_proba(images[1]))


# -- the store and origins --------------------------------------------------------------------
def disc_polygon(truth: np.ndarray, corners: int = 24) -> list[list[float]]:
    rows, cols = np.nonzero(truth == 1)
    cy, cx = rows.mean() + 0.5, cols.mean() + 0.5
    radius = np.sqrt((truth == 1).sum() / np.pi)
    angles = np.linspace(0, 2 * np.pi, corners, endpoint=False)
    return [[float(np.clip(cx + radius * np.cos(a), 0, SIZE[1])),
             float(np.clip(cy + radius * np.sin(a), 0, SIZE[0]))] for a in angles]


def test_masks_and_polygons_are_stored_as_drawn_and_polygons_train_the_model(scenes,
                                                                            tmp_path):
    _images, truth = scenes
    session = make(scenes, tmp_path / "s.db")
    pos = session.current
    points = disc_polygon(truth[pos])
    records = [r for r in truth_masks(truth[pos]) if r["label"] != "disc"]
    records.append({"label": "disc", "points": points})
    session.submit(records)
    with Store(tmp_path / "s.db") as store:
        stored = store.get(pos)
        kinds = dict(zip(store.annotations()["record"].map(lambda r: r["id"]),
                         store.annotations()["kind"], strict=True))
    assert sorted((r["label"], kinds[r["id"]]) for r in stored) == [
        ("background", "mask"), ("box", "mask"), ("disc", "polygon")]
    polygon = next(r for r in stored if r["label"] == "disc")
    assert polygon["points"] == points and "mask" not in polygon
    # The model learned the disc from the polygon's pixels.
    assert session.wait_for_model(60)
    disc = [s for s in session.suggestions if s["label"] == "disc"]
    assert disc and (rle_to_mask(disc[0]["mask"]) == (truth[session.current] == 1)).mean() > 0.9
    table = session.labels
    assert list(table.columns) == ["item_id", "id", "kind", "label", "origin", "score",
                                   "edited", "annotator"]
    assert set(table["kind"]) == {"mask", "polygon"} and set(table["origin"]) == {"human"}
    session.close()


def test_polygon_pixels_are_those_whose_centre_is_inside():
    def inside(x, y, points):  # even-odd rule, one point at a time
        hit = False
        for (xa, ya), (xb, yb) in zip(points, points[1:] + points[:1], strict=True):
            if (ya <= y < yb) or (yb <= y < ya):
                hit ^= x >= xa + (y - ya) * (xb - xa) / (yb - ya)
        return hit

    rng = np.random.default_rng(1)
    for _ in range(20):
        points = rng.uniform(-4, 24, size=(int(rng.integers(3, 8)), 2)).tolist()
        expected = [[inside(c + 0.5, r + 0.5, points) for c in range(20)] for r in range(16)]
        assert polygon_mask(points, (16, 20)).tolist() == expected


def test_origins_of_masks_accepted_corrected_drawn_rejected_and_auto(scenes, tmp_path,
                                                                      comm_recorder):
    images, truth = scenes
    session = make(scenes, tmp_path / "s.db")
    session.submit(truth_masks(truth[session.current]))  # given records: drawn by a person
    assert session.wait_for_model(60)
    widget = session.annotator

    # 1. Enter in the browser: the mask_edit that paints every unpainted suggested pixel.
    accepted_pos, shown = session.current, session.suggestions
    comm = comm_recorder(widget)
    edits = [{"label": s["label"], "op": "add",
              "rle": rle_to_string(s["mask"])} for s in shown]
    comm.from_browser({"type": "mask_edit", "seq": 1, "edits": edits})
    assert comm.custom()[-1] == {"type": "mask_ack", "seq": 1}
    assert session.suggestions == []  # every suggestion was taken
    assert {r["id"] for r in session.records} == {s["id"] for s in shown}
    session.submit()

    # 2. Accepted in Python, then one region corrected with the brush: accepted, edited.
    assert session.wait_for_model(60)
    corrected_pos, shown = session.current, session.suggestions
    assert sorted(session.accept()) == sorted(s["id"] for s in shown)
    disc = truth[corrected_pos] == 1
    row, col = np.argwhere(disc)[len(np.argwhere(disc)) // 2]
    widget.paint("box", [[col + 0.5, row + 0.5]], radius=3)
    session.submit()

    # 3. Scribbles painted from scratch, one suggestion rejected, the others left.
    assert session.wait_for_model(60)
    drawn_pos, shown = session.current, session.suggestions
    rejected = shown[0]["id"]
    session.reject([rejected])
    for k, name in enumerate(NAMES):
        rows, cols = np.nonzero(truth[drawn_pos] == k)
        middle = len(rows) // 2
        widget.paint(name, [[cols[middle] + 0.5, rows[middle] + 0.5]], radius=2)
    session.submit()

    table = session.labels.set_index(["item_id", "label"])
    for name in NAMES:
        row_ = table.loc[(accepted_pos, name)]
        assert row_["origin"] == "accepted" and not row_["edited"] and 0 < row_["score"] <= 1
    # The box dab took pixels from the disc: both masks differ from what was suggested.
    assert set(table.loc[corrected_pos]["origin"]) == {"accepted"}
    assert table.loc[corrected_pos]["edited"].to_dict() == {"background": False, "disc": True,
                                                           "box": True}
    assert set(table.loc[drawn_pos]["origin"]) == {"human"}
    assert table.loc[drawn_pos]["score"].isna().all()
    with Store(tmp_path / "s.db") as store:  # accepted pixels are the suggestion's pixels
        for record in store.get(accepted_pos):
            suggested = next(s for s in session._log.reviews[accepted_pos]["suggested"].values()
                             if s["label"] == record["label"])
            assert record["mask"] == suggested["mask"] and record["source"] == "human"
    how = session.rejected.set_index("id")["how"]
    assert how[rejected] == "rejected"
    assert (how.drop(rejected).loc[lambda h: h.index.isin([s["id"] for s in shown])]
            == "ignored").all()

    # 4. Auto-accept stores the model's masks of the images left, kept apart as "auto".
    assert session.wait_for_model(60)
    result = session.auto_accept(0.0)
    assert result["items"] == len(images) - 5  # all but the four done and the one shown
    auto = session.labels.query("origin == 'auto'")
    assert len(auto) == result["records"] and auto["score"].between(0, 1).all()
    edits = session.edits
    assert edits["accepted"] == 6 and edits["human"] == 6 and edits["edited"] == 2
    session.close()


# -- the live refit -----------------------------------------------------------------------------
def test_a_stroke_refits_live_on_the_image_shown_without_touching_the_session_model(
        scenes, tmp_path):
    _images, truth = scenes
    session = make(scenes, tmp_path / "s.db")
    prototype = session.model_prototype
    session.submit(truth_masks(truth[session.current]))
    assert session.wait_for_model(60)
    pos, model, rounds = session.current, session.model, session._runner.rounds
    live = session._task.live
    assert live.wait(60) and session.annotator.uncertainty_png[:4] == b"\x89PNG"
    before = {s["label"]: s["id"] for s in session.annotator.mask_suggestions}
    wrong = label_map(session.annotator.mask_suggestions) != truth[pos]
    row, col = np.argwhere(wrong)[0] if wrong.any() else (10, 10)
    session.annotator.paint(NAMES[truth[pos][row, col]], [[col + 0.5, row + 0.5]], radius=3)
    assert live.wait(60) and live.refits == 1 and live.error is None
    after = {s["label"]: s["id"] for s in session.annotator.mask_suggestions}
    assert after == before  # same ids per label: an accepted mask is still recognized
    assert accuracy(session.annotator.mask_suggestions, truth[pos]) > 0.85
    # The session's model and its rounds are untouched; the prototype was never fitted.
    assert session.model is model and session._runner.rounds == rounds
    assert not hasattr(prototype, "is_fitted_")
    # The person touched the image: a later session refit does not swap its suggestions.
    session._runner.teach(0, truth_masks(truth[0]))
    assert session.wait_for_model(60)
    assert {s["label"]: s["id"] for s in session.annotator.mask_suggestions} == before
    session.close()


def test_a_live_refit_in_flight_is_dropped_when_the_image_changes(scenes, tmp_path):
    _images, truth = scenes
    GatedPixelClassifier.gate.clear()
    session = make(scenes, tmp_path / "s.db", model=GatedPixelClassifier(labels=NAMES))
    live = session._task.live
    first = session.current
    session.annotator.paint("background", [[5, 5], [60, 5]], radius=3)
    session.annotator.paint("disc", [[5, 90], [60, 90]], radius=3)
    assert live.running  # waiting for the gate
    session.submit(truth_masks(truth[first]))
    assert session.wait_for_model(60)  # the session's refit is not held up by the live one
    shown = [dict(s) for s in session.annotator.mask_suggestions]
    assert shown and session.current != first
    GatedPixelClassifier.gate.set()
    assert live.wait(60)
    assert session.annotator.mask_suggestions == shown and live.refits == 0
    session.close()
    assert not live.running


class LiveFailingPixelClassifier(PixelClassifier):
    """A PixelClassifier whose fits fail in the live refit thread only."""

    def fit(self, items, annotations):
        if threading.current_thread().name == "nbannotate-segment-live":
            raise MemoryError("no room for the live refit")
        return super().fit(items, annotations)


def test_a_failing_live_refit_is_shown_in_the_widget_and_the_session_goes_on(scenes,
                                                                          tmp_path):
    _images, truth = scenes
    session = make(scenes, tmp_path / "s.db", model=LiveFailingPixelClassifier(labels=NAMES))
    live = session._task.live
    session.annotator.paint("background", [[5, 5], [60, 5]], radius=3)
    session.annotator.paint("disc", [[5, 90], [60, 90]], radius=3)
    assert live.wait(60)
    assert session.annotator.error == ("Live segmentation failed: MemoryError: no room for "
                                       "the live refit")
    assert live.status == "failed" and live.refits == 0
    session.submit(truth_masks(truth[session.current]))
    assert session.annotator.error == ""  # it was about the image before
    assert session.wait_for_model(60) and session.suggestions  # the session's refit works
    session.close()


# -- back, resume, other items, bad input -----------------------------------------------------
def test_back_and_resume_keep_masks_and_origins(scenes, tmp_path):
    _images, truth = scenes
    path = tmp_path / "resume.db"
    session = make(scenes, path)
    first = session.submit(truth_masks(truth[session.current]))
    assert session.wait_for_model(60)
    second = session.current
    session.accept()
    session.submit()
    ids = sorted(r["id"] for r in session.store.get(second))
    assert session.undo() == second  # Back: the accepted masks come back as they were
    assert sorted(r["id"] for r in session.records) == ids
    assert session.store.get(second) == []
    session.submit()
    origins = session.labels[["item_id", "id", "origin", "edited"]].values.tolist()
    session.close()

    again = label(_images, task="segment", store=path)  # labels from the store
    assert again.counts["human"] == 2 and again.current not in (first, second)
    assert again.labels[["item_id", "id", "origin", "edited"]].values.tolist() == origins
    assert again.wait_for_model(60) and again._runner.n_trained == 2
    assert accuracy(again.suggestions, truth[again.current]) > 0.85
    again.close()


def test_paths_and_png_bytes_are_items(scenes, tmp_path):
    from PIL import Image

    images, truth = scenes
    path = tmp_path / "scene.png"
    Image.fromarray(images[1]).save(path)
    buffer = io.BytesIO()
    Image.fromarray(images[2]).save(buffer, format="PNG")
    session = label([images[0], str(path), buffer.getvalue()], task="segment", labels=NAMES,
                    store=tmp_path / "s.db")
    session.submit(truth_masks(truth[0]))
    assert session.wait_for_model(60) and not session._runner.last_error
    shown = []
    for _ in range(2):  # the path and the bytes: scored, shown pre-segmented, accepted
        shown.append(session.current)
        assert accuracy(session.suggestions, truth[session.current]) > 0.85
        session.accept()
        session.submit()
    assert sorted(shown) == [1, 2]
    assert set(session.labels.query("item_id > 0")["origin"]) == {"accepted"}
    assert session.finished and session._runner.last_error == ""
    session.close()


def test_bad_input_raises_clear_errors(scenes, tmp_path):
    _images, truth = scenes
    with pytest.raises(TypeError, match=r"annotator_options may not set \['tool'\]"):
        make(scenes, tmp_path / "a.db", annotator_options={"tool": "box"})
    with pytest.raises(TypeError, match="image"):
        label(["a text"], task="segment", labels=NAMES, store=tmp_path / "b.db")
    with pytest.raises(TypeError, match="brush_width"):
        make(scenes, tmp_path / "c.db", annotator_options={"brush_width": 3})
    session = make(scenes, tmp_path / "d.db", annotator_options={"brush_radius": 4})
    assert session.annotator.brush_radius == 4
    pos = session.current
    with pytest.raises(ValueError, match="size"):
        session.submit([{"label": "disc", "mask": mask_to_rle(np.ones((5, 5), bool))}])
    with pytest.raises(ValueError, match="label"):
        session.submit([{"label": "cloud", "mask": mask_to_rle(truth[pos] == 1)}])
    with pytest.raises(ValueError, match="no mask suggestion awaiting review"):
        session.accept(["nope"])
    assert session.store.get(pos) == [] and session.current == pos
    session.close()


def test_accepting_keeps_painted_pixels_and_counts_pixels_not_ids(scenes, tmp_path):
    """The rule: a mask the annotator made is taken from a suggestion when it holds at least
    half of the suggestion's pixels; painting first and accepting after merges both."""
    _images, truth = scenes
    session = make(scenes, tmp_path / "s.db")
    session.submit(truth_masks(truth[session.current]))
    assert session.wait_for_model(60)
    widget = session.annotator
    shown = {s["label"]: s for s in session.suggestions}
    box = rle_to_mask(shown["box"]["mask"])
    rows, cols = np.nonzero(box)
    widget.paint("disc", [[cols[0] + 0.5, rows[0] + 0.5]], radius=2)  # over a box pixel
    painted = widget.mask_array("disc")
    session.accept([shown["box"]["id"]])
    assert not (widget.mask_array("box") & painted).any()  # the person's pixels win
    records = {r["label"]: r for r in session.records}
    assert records["box"]["id"] == shown["box"]["id"]
    assert records["disc"]["id"] != shown["disc"]["id"]  # a dab: far from half the disc
    assert {s["label"] for s in session.suggestions} == {"background", "disc"}
    total = SIZE[0] * SIZE[1]
    held = ops.area(ops.intersection(ops.toggles_of(records["box"]["mask"]),
                                     ops.toggles_of(shown["box"]["mask"]), total), total)
    assert held / box.sum() > 0.5
    session.close()

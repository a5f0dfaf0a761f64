"""Items that cannot be shown: ``label()`` refuses a first item it cannot show, with an error
that names it; a later one is skipped and reported (``session.errors``, the message above the
item), never called labeled, and still reported after a restart."""

from __future__ import annotations

import numpy as np
import pytest

from nbannotate import Store, label
from nbannotate.media.images import png_bytes


def image_files(folder, n, *, missing=()):
    """``n`` PNG paths with a square each; the positions in ``missing`` are not written."""
    paths = []
    for i in range(n):
        path = folder / f"img-{i}.png"
        if i not in missing:
            pixels = np.zeros((24, 24), np.uint8)
            pixels[4 + i % 8:12 + i % 8, 6:14] = 255
            path.write_bytes(png_bytes(pixels))
        paths.append(path)
    return paths


def classify(paths, store, **options):
    return label(paths, labels=["a", "b"], features=np.eye(len(paths)), store=store,
                 learner_options={"cv": 0}, **options)


# -- the first item -----------------------------------------------------------------------------
def test_label_refuses_a_first_item_it_cannot_show_and_names_it(tmp_path):
    paths = image_files(tmp_path, 3, missing={0})
    with pytest.raises(ValueError, match=r"items\[0\] cannot be shown: .*no image file at "
                                         r".*img-0\.png"):
        classify(paths, tmp_path / "c.db")
    with pytest.raises(ValueError, match=r"items\[0\] cannot be shown: .*no image file at "
                                         r".*img-0\.png"):
        label(paths, task="boxes", labels=["square"], store=tmp_path / "b.db")
    with Store(tmp_path / "b.db") as store:  # nothing was saved for a session refused
        assert store.get_meta("skipped") is None and store.items() == []


def test_an_unsupported_first_item_is_a_type_error_naming_items(tmp_path):
    with pytest.raises(TypeError, match=r"items\[0\] must be an image .* got object"):
        label([object(), object()], labels=["a"], features=np.eye(2),
              store=tmp_path / "c.db")


def test_a_bad_annotator_option_keeps_its_own_error(tmp_path):
    paths = image_files(tmp_path, 2)
    with pytest.raises(TypeError, match="colour") as raised:
        label(paths, task="boxes", labels=["square"], store=tmp_path / "b.db",
              annotator_options={"colour": "red"})
    assert "items[0]" not in str(raised.value)


# -- later items --------------------------------------------------------------------------------
def test_a_later_item_that_cannot_be_shown_is_reported_not_labeled_in_classify(tmp_path):
    paths = image_files(tmp_path, 4, missing={2})
    session = classify(paths, tmp_path / "c.db")
    while not session.finished:
        session.submit("a")
    assert session.skipped == [2]
    assert list(session.errors) == [2] and "img-2.png" in session.errors[2]
    assert session.counts["human"] == 3 and session.counts["skipped"] == 1
    status = " · ".join(session.widget.panel["lines"])
    assert status.startswith("1 item could not be shown (first: item 2: ")
    assert session.annotator.view["kind"] == "done"
    message = session.annotator.view["text"]
    assert "All items are labeled" not in message
    assert "1 item could not be shown (first: item 2:" in message
    assert "session.errors" in message
    session.close()


def test_a_later_item_that_cannot_be_shown_is_reported_not_labeled_in_boxes(tmp_path):
    paths = image_files(tmp_path, 5, missing={1, 3})
    ids = [f"scan-{i}" for i in range(5)]
    session = label(paths, task="boxes", labels=["square"], ids=ids,
                    store=tmp_path / "b.db")
    while not session.finished:
        session.submit([])
    assert session.skipped == ["scan-1", "scan-3"]
    assert list(session.errors) == ["scan-1", "scan-3"]
    assert all(reason.startswith("no image file at ") for reason in session.errors.values())
    assert " · ".join(session.widget.panel["lines"]).startswith(
        "2 items could not be shown (first: item 'scan-1': ")
    assert "All items are done" not in session.widget.panel["message"]
    assert "2 items could not be shown" in session.widget.panel["message"]
    assert session.counts == {"human": 3, "auto": 0, "remaining": 0, "skipped": 2}
    session.close()


def test_a_person_s_skip_is_not_an_error_and_both_are_told_apart(tmp_path):
    paths = image_files(tmp_path, 4, missing={3})
    session = label(paths, task="boxes", labels=["square"], store=tmp_path / "b.db")
    session.skip()  # item 0, by the person
    while not session.finished:
        session.submit([])
    assert session.skipped == [0, 3] and list(session.errors) == [3]
    text = session.widget.panel["message"]
    assert "1 item could not be shown" in text and "1 skipped item(s) were not labeled" in text
    session.close()


def test_the_errors_survive_a_restart(tmp_path):
    paths = image_files(tmp_path, 4, missing={1})
    session = label(paths, task="boxes", labels=["square"], store=tmp_path / "b.db")
    session.submit([])  # item 0; item 1 cannot be shown, item 2 comes next
    assert session.current == 2 and list(session.errors) == [1]
    reason = session.errors[1]
    session.close()

    again = label(paths, task="boxes", labels=["square"], store=tmp_path / "b.db")
    assert again.skipped == [1] and again.errors == {1: reason}
    assert "1 item could not be shown (first: item 1:" in " · ".join(again.widget.panel["lines"])
    while not again.finished:
        again.submit([])
    assert "All items are done" not in again.widget.panel["message"]
    again.close()

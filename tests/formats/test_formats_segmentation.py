"""Segmentation formats: PNG label masks, the PNG reader, Label Studio brush masks and
polygons, and COCO segmentation fed from a PNG label mask."""

from __future__ import annotations

import io
import json
import struct
import warnings
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from nbannotate.formats import (
    from_coco,
    from_labelstudio_images,
    from_png_masks,
    mask_to_rle,
    rle_to_mask,
    to_coco,
    to_labelstudio_images,
    to_png_masks,
)
from nbannotate.formats._png import read_png
from nbannotate.formats.labelstudio._brush import brush_to_mask, mask_to_brush
from nbannotate.media.images import PNG_SIGNATURE, _chunk, png_bytes

LABELS = ["sky", "road", "car", "person"]


def blob(height: int, width: int, rows: slice, cols: slice) -> dict[str, Any]:
    mask = np.zeros((height, width), dtype=bool)
    mask[rows, cols] = True
    return mask_to_rle(mask)


def scene() -> dict[str, Any]:
    """A 30x40 image: sky on top, road below, a car on the road (drawn after it)."""
    road = np.zeros((30, 40), dtype=bool)
    road[18:, :] = True
    road[20:26, 5:15] = False  # the car's place is cut out of the road
    return {"image": "street/0001.png", "width": 40, "height": 30, "masks": [
        {"id": "m-sky", "label": "sky", "mask": blob(30, 40, slice(0, 12), slice(None)),
         "source": "human"},
        {"id": "m-road", "label": "road", "mask": mask_to_rle(road), "source": "model",
         "score": 0.75},
        {"id": "m-car", "label": "car", "mask": blob(30, 40, slice(20, 26), slice(5, 15)),
         "source": "auto", "score": 0.96},
    ]}


# ---------------------------------------------------------------- PNG label masks


def test_png_label_mask_round_trip_keeps_every_record() -> None:
    item = scene()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = to_png_masks(item, LABELS)
        masks = from_png_masks(data, LABELS)
    assert masks == item["masks"]  # ids, labels, sources, scores, runs; written order
    png = read_png(data)
    assert (png.color_type, png.bit_depth, png.values.shape) == (0, 8, (30, 40))
    assert png.values[0, 0] == 1 and png.values[29, 39] == 2 and png.values[22, 7] == 3
    assert png.values[15, 20] == 0  # background between sky and road
    assert from_png_masks(data) == masks  # labels stored in the file


def test_png_label_mask_opens_in_pillow_with_the_same_values() -> None:
    data = to_png_masks(scene(), LABELS)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "L" and image.size == (40, 30)
        assert "nbannotate" in image.info  # the iTXt chunk
        values = np.asarray(image)
    assert (values == read_png(data).values).all()


def test_png_label_mask_goes_16_bit_past_255_labels() -> None:
    labels = [f"class {i}" for i in range(300)]
    item = {"image": "a.png", "width": 5, "height": 4, "masks": [
        {"id": "last", "label": "class 299", "mask": blob(4, 5, slice(1, 3), slice(2, 5))}]}
    data = to_png_masks(item, labels)
    png = read_png(data)
    assert png.bit_depth == 16 and png.values.dtype == np.uint16 and png.values.max() == 300
    assert from_png_masks(data, labels)[0]["label"] == "class 299"
    with pytest.raises(ValueError, match="at most 65535 labels"):
        to_png_masks(item, [str(i) for i in range(65536)])


def test_overlapping_masks_the_later_one_wins_with_a_warning() -> None:
    first = {"id": "a", "label": "car", "mask": blob(10, 10, slice(0, 6), slice(0, 6))}
    second = {"id": "b", "label": "person", "mask": blob(10, 10, slice(4, 8), slice(4, 8))}
    item = {"image": "o.png", "width": 10, "height": 10, "masks": [first, second]}
    with pytest.warns(UserWarning, match=r"'o.png': masks overlap, and 4 pixels went to the "
                                         "later mask's label"):
        data = to_png_masks(item, LABELS)
    car, person = from_png_masks(data, LABELS)
    assert person == {**second, "source": "human"}
    expected = rle_to_mask(first["mask"]) & ~rle_to_mask(second["mask"])
    assert (rle_to_mask(car["mask"]) == expected).all() and car["id"] == "a"
    # Reversed order: the car is painted last and keeps its whole square.
    item["masks"] = [second, first]
    with pytest.warns(UserWarning, match="4 pixels"):
        person, car = from_png_masks(to_png_masks(item, LABELS), LABELS)
    assert car["mask"] == first["mask"]


def test_masks_of_one_label_merge_into_one_record() -> None:
    item = {"image": "m.png", "width": 6, "height": 4, "masks": [
        {"id": "c1", "label": "car", "mask": blob(4, 6, slice(0, 2), slice(0, 2)),
         "source": "model", "score": 0.5},
        {"id": "c2", "label": "car", "mask": blob(4, 6, slice(2, 4), slice(4, 6))}]}
    (merged,) = from_png_masks(to_png_masks(item, LABELS), LABELS)
    assert merged["label"] == "car" and merged["source"] == "human" and "score" not in merged
    assert merged["id"] not in ("c1", "c2")
    union = rle_to_mask(item["masks"][0]["mask"]) | rle_to_mask(item["masks"][1]["mask"])
    assert (rle_to_mask(merged["mask"]) == union).all()


def test_png_label_mask_edge_cases() -> None:
    empty = {"image": "e.png", "width": 3, "height": 2}
    assert from_png_masks(to_png_masks(empty, LABELS), LABELS) == []
    blank = {**empty, "masks": [{"id": "z", "label": "sky",
                                 "mask": {"size": [2, 3], "counts": [6]}}]}
    assert from_png_masks(to_png_masks(blank, LABELS), LABELS) == []  # no pixels, no record
    one = {"image": "1.png", "width": 1, "height": 1, "masks": [
        {"id": "p", "label": "person", "mask": {"size": [1, 1], "counts": [0, 1]}}]}
    assert from_png_masks(to_png_masks(one, LABELS), LABELS)[0]["mask"]["counts"] == [0, 1]
    shapes = {**empty, "boxes": [{"label": "car", "x": 0, "y": 0, "w": 1, "h": 1}],
              "polygons": [{"label": "car", "points": [[0, 0], [1, 0], [0, 1]]}]}
    with pytest.warns(UserWarning, match=r"holds masks only: 1 boxes, 1 polygons of 'e.png'"):
        to_png_masks(shapes, LABELS)


def test_stored_records_apply_only_where_the_labels_agree() -> None:
    data = to_png_masks(scene(), LABELS)
    sky, road, bus = from_png_masks(data, ["sky", "road", "bus", "person"])
    assert (sky["id"], road["id"], road["score"]) == ("m-sky", "m-road", 0.75)
    assert bus["label"] == "bus" and bus["id"] != "m-car" and bus["source"] == "human"
    assert bus["mask"] == scene()["masks"][2]["mask"]


def test_png_label_mask_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "labels" / "0001 ü.png"
    path.parent.mkdir()
    path.write_bytes(to_png_masks(scene(), LABELS))
    assert [m["id"] for m in from_png_masks(path, LABELS)] == ["m-sky", "m-road", "m-car"]
    with pytest.raises(FileNotFoundError, match="no PNG file at"):
        from_png_masks(tmp_path / "missing.png", LABELS)


def test_voc_style_palette_png_with_a_void_border() -> None:
    values = np.zeros((12, 16), dtype=np.uint8)
    values[2:10, 3:9] = 3
    values[1, 2:10] = values[10, 2:10] = 255  # VOC marks object borders 255
    image = Image.fromarray(values, mode="P")
    image.putpalette([0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0] + [224, 224, 192] * 252)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    with pytest.raises(ValueError, match=r"pixel value 255 \(16 pixels, first at row 1, column "
                                         r"2\) is not a label: 4 labels give values 1 to 4 "
                                         r"\(pass ignore=\[255\]"):
        from_png_masks(buffer.getvalue(), LABELS)
    (car,) = from_png_masks(buffer.getvalue(), LABELS, ignore=[255])
    assert car["label"] == "car" and car["source"] == "human"
    assert (rle_to_mask(car["mask"]) == (values == 3)).all()


def test_png_label_mask_read_errors_say_what_is_wrong() -> None:
    rgb = png_bytes(np.zeros((2, 2, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"PNG label mask: expected one label index per pixel "
                                         r"\(a gray or palette PNG\), got an RGB image"):
        from_png_masks(rgb, LABELS)
    gray = png_bytes(np.ones((2, 2), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"pass labels \(the file has no 'nbannotate' chunk"):
        from_png_masks(gray)
    with pytest.raises(ValueError, match=r"ignore\[0\] must be a non-negative pixel value"):
        from_png_masks(gray, LABELS, ignore=[-1])
    with pytest.raises(TypeError, match="data must be PNG bytes or a path"):
        from_png_masks(np.ones((2, 2)), LABELS)  # type: ignore[arg-type]
    corrupt = bytearray(gray)
    corrupt[45] ^= 0xFF  # inside the IDAT chunk's data
    with pytest.raises(ValueError, match=r"the IDAT chunk at byte 33 fails its CRC check"):
        from_png_masks(bytes(corrupt), LABELS)
    with pytest.raises(ValueError, match=r"truncated"):
        from_png_masks(gray[:-20], LABELS)
    with pytest.raises(ValueError, match=r"not a PNG file \(it starts with b'\\xff\\xd8"):
        from_png_masks(b"\xff\xd8\xff\xe0 jpeg", LABELS)


def test_png_label_mask_write_errors_name_the_record() -> None:
    item = scene()
    with pytest.raises(ValueError, match=r"image item \('street/0001.png'\) masks: record 2 "
                                         r"\(id='m-car'\): field 'label' must be one of"):
        to_png_masks(item, ["sky", "road"])
    item["masks"][0]["mask"] = {"size": [2, 2], "counts": [4]}
    with pytest.raises(ValueError, match=r"record 0 \(id='m-sky'\): field 'mask' must be a size "
                                         r"matching the image \(40, 30\)"):
        to_png_masks(item, LABELS)
    with pytest.raises(ValueError, match=r"labels must name at least one label"):
        to_png_masks(scene(), [])


# ---------------------------------------------------------------- the PNG reader


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _filtered(rows: list[bytes], bpp: int, filters: list[int]) -> bytes:
    """Apply PNG row filters (each row's type from ``filters``, cycling)."""
    out = bytearray()
    prior = bytes(len(rows[0]))
    for y, row in enumerate(rows):
        kind = filters[y % len(filters)]
        out.append(kind)
        for i, value in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            predictor = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
            out.append((value - predictor) & 0xFF)
        prior = row
    return bytes(out)


def _rows(values: np.ndarray, depth: int) -> list[bytes]:
    """Pack (H, W, C) sample values into PNG scanlines."""
    if depth == 16:
        return [row.astype(">u2").tobytes() for row in values.reshape(values.shape[0], -1)]
    if depth == 8:
        return [row.astype(np.uint8).tobytes() for row in values.reshape(values.shape[0], -1)]
    out = []
    for row in values.reshape(values.shape[0], -1):
        bits = ((row[:, None] >> np.arange(depth - 1, -1, -1)) & 1).astype(np.uint8).ravel()
        out.append(np.packbits(bits).tobytes())
    return out


def encode_png(values: np.ndarray, depth: int, color: int, filters: list[int],
               interlace: bool) -> bytes:
    """A PNG written with the given row filters, optionally Adam7-interlaced."""
    arr = values if values.ndim == 3 else values[:, :, None]
    height, width, channels = arr.shape
    bpp = max(1, channels * depth // 8)
    if interlace:
        passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                  (1, 0, 2, 2), (0, 1, 1, 2))
        raw = b"".join(_filtered(_rows(arr[y0::dy, x0::dx], depth), bpp, filters)
                       for x0, y0, dx, dy in passes
                       if arr[y0::dy, x0::dx].size)
    else:
        raw = _filtered(_rows(arr, depth), bpp, filters)
    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, int(interlace))
    chunks = _chunk(b"IHDR", header)
    if color == 3:
        chunks += _chunk(b"PLTE", bytes(range(3 * 2 ** depth)) if depth < 8 else bytes(768))
    data = zlib.compress(raw, 9)
    half = len(data) // 2  # two IDAT chunks, as encoders may split the stream
    chunks += _chunk(b"IDAT", data[:half]) + _chunk(b"IDAT", data[half:])
    return PNG_SIGNATURE + chunks + _chunk(b"IEND", b"")


@pytest.mark.parametrize("interlace", [False, True])
@pytest.mark.parametrize(("color", "depth", "channels"), [
    (0, 1, 1), (0, 2, 1), (0, 4, 1), (0, 8, 1), (0, 16, 1), (3, 1, 1), (3, 4, 1), (3, 8, 1),
    (2, 8, 3), (2, 16, 3), (4, 8, 2), (6, 8, 4), (6, 16, 4)])
def test_png_reader_undoes_every_filter_depth_and_interlacing(color: int, depth: int,
                                                              channels: int,
                                                              interlace: bool) -> None:
    rng = np.random.default_rng(depth * 10 + color)
    values = rng.integers(0, 2 ** depth, size=(13, 11, channels))
    values[:4] = values[0]  # flat rows too, where filters predict well
    data = encode_png(values, depth, color, [0, 1, 2, 3, 4, 4, 3, 1], interlace)
    png = read_png(data)
    expected = values[:, :, 0] if channels == 1 else values
    assert png.values.shape == expected.shape and (png.values == expected).all()
    assert (png.color_type, png.bit_depth) == (color, depth)


def test_png_reader_matches_pillow_on_its_own_files() -> None:
    rng = np.random.default_rng(7)
    smooth = (np.add.outer(np.arange(40), np.arange(50)) % 7).astype(np.uint8)
    for values in (smooth, rng.integers(0, 256, (40, 50), dtype=np.uint8)):
        for options in ({}, {"optimize": True}, {"compress_level": 0}):
            buffer = io.BytesIO()
            Image.fromarray(values, mode="L").save(buffer, format="PNG", **options)
            assert (read_png(buffer.getvalue()).values == values).all()
    wide = rng.integers(0, 65536, (9, 7)).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(wide).save(buffer, format="PNG")
    assert (read_png(buffer.getvalue()).values == wide).all()


def test_png_reader_rejects_bad_filters_and_headers() -> None:
    good = encode_png(np.zeros((2, 2), dtype=np.uint8), 8, 0, [0], False)
    raw = zlib.compress(b"\x00\x00\x00\x07\x00\x00")
    bad = good[:33] + _chunk(b"IDAT", raw) + _chunk(b"IEND", b"")
    with pytest.raises(ValueError, match=r"row 1 has an unknown filter type 7"):
        read_png(bad)
    header = struct.pack(">IIBBBBB", 2, 2, 3, 0, 0, 0, 0)  # gray cannot be 3-bit
    with pytest.raises(ValueError, match=r"colour type 0 with bit depth 3 is not valid PNG"):
        read_png(PNG_SIGNATURE + _chunk(b"IHDR", header) + good[33:])


# ---------------------------------------------------------------- Label Studio brush masks


def test_brush_code_has_label_studios_bit_layout() -> None:
    # 1x2 image, left pixel inside: 8 RGBA values 255,255,255,255,0,0,0,0.
    # Header: count 8 (32 bits), word size 8 - 1 = 00111, field sizes 3,4,8,16 - 1 =
    # 0010 0011 0111 1111; then two repeat chunks: 1 | 00 | 011 (4 values) | 11111111 and
    # 1 | 00 | 011 | 00000000; zero padding to a whole byte.
    bits = ("0" * 28 + "1000" + "00111" + "0010" + "0011" + "0111" + "1111"
            + "1" + "00" + "011" + "11111111" + "1" + "00" + "011" + "00000000")
    bits += "0" * (-len(bits) % 8)
    expected = [int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)]
    mask = np.array([[True, False]])
    assert mask_to_brush(mask) == expected
    assert brush_to_mask(expected, 2, 1).tolist() == [[True, False]]


def test_brush_decoder_reads_literal_chunks_and_long_runs() -> None:
    # A literal chunk (flag 0) of 4 values 9, 9, 9, 0 (alpha 0: outside) then a repeat of
    # 4 x 200 (inside), as other encoders may write them.
    bits = ("0" * 28 + "1000" + "00111" + "0010" + "0011" + "0111" + "1111"
            + "0" + "00" + "011" + "00001001" * 3 + "00000000"
            + "1" + "00" + "011" + "11001000")
    bits += "0" * (-len(bits) % 8)
    code = [int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)]
    assert brush_to_mask(code, 2, 1).tolist() == [[False, True]]
    big = np.zeros((300, 400), dtype=bool)  # runs longer than one 16-bit field
    big[150:, :] = True
    big[10, 10] = True
    assert (brush_to_mask(mask_to_brush(big), 400, 300) == big).all()


def test_brush_decoder_errors_name_the_field() -> None:
    code = mask_to_brush(np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match=r"rle: the code counts 16 values; a 3x2 RGBA image "
                                         "has 24"):
        brush_to_mask(code, 3, 2)
    with pytest.raises(ValueError, match=r"rle: the code is truncated"):
        brush_to_mask(code[:5], 2, 2)
    with pytest.raises(ValueError, match=r"must be a list of byte values"):
        brush_to_mask([256], 1, 1)


def test_labelstudio_brush_and_polygon_round_trip() -> None:
    item = scene()
    item["polygons"] = [{"id": "g", "label": "person", "points": [[4, 3], [36.5, 3], [20, 11]],
                         "source": "model", "score": 0.5}]
    tasks = json.loads(json.dumps(to_labelstudio_images([item])))
    human = tasks[0]["annotations"][0]["result"]
    sky = next(r for r in human if r["id"] == "m-sky")
    assert sky["type"] == "brushlabels" and sky["value"]["brushlabels"] == ["sky"]
    assert sky["original_width"] == 40 and sky["original_height"] == 30
    model = tasks[0]["predictions"][0]["result"]
    polygon = next(r for r in model if r["id"] == "g")
    assert polygon["value"]["points"] == [[10.0, 10.0], [91.25, 10.0], [50.0, 100 * 11 / 30]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (back,) = from_labelstudio_images(tasks)
    assert back["masks"] == item["masks"]
    for got, want in zip(back["polygons"][0]["points"], item["polygons"][0]["points"],
                         strict=True):
        assert got == pytest.approx(want, abs=1e-9)


def test_labelstudio_brush_read_errors_name_the_result() -> None:
    tasks = to_labelstudio_images([scene()])
    tasks[0]["annotations"][0]["result"][0]["original_width"] = 41
    with pytest.raises(ValueError, match=r"annotation result 0 \(id='m-sky'\): a brush mask of "
                                         r"41x30 does not fit the image \(40x30\)"):
        from_labelstudio_images(tasks)
    tasks = to_labelstudio_images([scene()])
    tasks[0]["annotations"][0]["result"][0]["value"]["rle"] = [0, 0, 0, 1]
    with pytest.raises(ValueError, match=r"result 0 \(id='m-sky'\): field 'value.rle': the code "
                                         r"counts 1 values; a 40x30 RGBA image has 4800"):
        from_labelstudio_images(tasks)
    tasks[0]["annotations"][0]["result"][0]["value"]["format"] = "png"
    with pytest.raises(ValueError, match=r"field 'value.format' must be 'rle', got 'png'"):
        from_labelstudio_images(tasks)


# ---------------------------------------------------------------- COCO segmentation


def test_png_label_mask_to_coco_and_back_keeps_the_masks() -> None:
    item = scene()
    masks = from_png_masks(to_png_masks(item, LABELS), LABELS)
    data = json.loads(json.dumps(to_coco([{**item, "masks": masks}], LABELS)))
    areas = {a["nbannotate_id"]: a["area"] for a in data["annotations"]}
    assert areas == {"m-sky": 480.0, "m-road": 420.0, "m-car": 60.0}
    assert from_coco(data).items[0]["masks"] == item["masks"]

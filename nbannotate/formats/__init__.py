"""Conversion between nbannotate records and the formats other tools read and write.

Records keep one meaning everywhere (pixels, code-point offsets, seconds; see
:mod:`nbannotate.records`); conversion to other conventions happens only here. Converters
work on three item shapes:

* image item ``{"image", "width", "height", "boxes", "keypoints", "polygons", "masks"}``:
  COCO (:func:`to_coco`), YOLO (:func:`to_yolo`), Pascal VOC (:func:`to_voc`),
  Label Studio (:func:`to_labelstudio_images`);
* document item ``{"text", "spans", "id"?}``: CoNLL BIO (:func:`to_conll`), Prodigy JSONL
  (:func:`to_jsonl`), Label Studio (:func:`to_labelstudio_text`);
* clip item ``{"audio", "duration", "regions"}``: Audacity labels (:func:`to_audacity`,
  regions only), Label Studio (:func:`to_labelstudio_audio`), pandas
  (:func:`regions_dataframe`).

Each ``to_*`` has a matching ``from_*``; a round trip gives back the same records, with
the ids, sources, scores and texts that the format can carry (under ``nbannotate_*`` keys
where it has no field of its own). Invalid input raises ``ValueError`` naming where:
file line, document, annotation or result index, and field.

Examples
--------
>>> from nbannotate.formats import from_conll, to_conll
>>> docs = [{"text": "Anna lives in Köln", "spans": [{"start": 14, "end": 18, "label": "LOC"}]}]
>>> from_conll(to_conll(docs))[0]["spans"][0]["text"]
'Köln'
"""

from ._common import ClipItem, DocumentItem, ImageItem
from .audacity import from_audacity, to_audacity
from .coco import CocoData, from_coco, to_coco
from .conll import DroppedSpansWarning, from_conll, to_conll
from .dataframe import REGION_COLUMNS, regions_dataframe, regions_from_dataframe
from .labelstudio import (
    from_labelstudio_audio,
    from_labelstudio_images,
    from_labelstudio_text,
    to_labelstudio_audio,
    to_labelstudio_images,
    to_labelstudio_text,
)
from .prodigy import from_jsonl, to_jsonl
from .rle import mask_to_rle, rle_area, rle_bbox, rle_from_string, rle_to_mask, rle_to_string
from .tokens import snap_span, tokenize
from .voc import from_voc, to_voc
from .yolo import from_yolo, read_yolo_dir, to_yolo, write_yolo_dir

__all__ = [
    "REGION_COLUMNS",
    "ClipItem",
    "CocoData",
    "DocumentItem",
    "DroppedSpansWarning",
    "ImageItem",
    "from_audacity",
    "from_coco",
    "from_conll",
    "from_jsonl",
    "from_labelstudio_audio",
    "from_labelstudio_images",
    "from_labelstudio_text",
    "from_voc",
    "from_yolo",
    "mask_to_rle",
    "read_yolo_dir",
    "regions_dataframe",
    "regions_from_dataframe",
    "rle_area",
    "rle_bbox",
    "rle_from_string",
    "rle_to_mask",
    "rle_to_string",
    "snap_span",
    "to_audacity",
    "to_coco",
    "to_conll",
    "to_jsonl",
    "to_labelstudio_audio",
    "to_labelstudio_images",
    "to_labelstudio_text",
    "to_voc",
    "to_yolo",
    "tokenize",
    "write_yolo_dir",
]

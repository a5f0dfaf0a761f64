"""Conversion between nbannotate records and the formats other tools read and write.

Records keep one meaning everywhere (pixels, code-point offsets, seconds; see
:mod:`nbannotate.records`); conversion to other conventions happens only here. Converters
work on three item shapes:

* image item ``{"image", "width", "height", "boxes", "keypoints", "polygons", "masks"}``:
  COCO (:func:`to_coco`; polygons and RLE masks too), YOLO (:func:`to_yolo`), Pascal VOC
  (:func:`to_voc`), Label Studio (:func:`to_labelstudio_images`; polygons, brush masks,
  box transcriptions), PNG label masks (:func:`to_png_masks`), OCR line list JSONL
  (:func:`to_ocr_jsonl`);
* document item ``{"text", "spans", "id"?}``: CoNLL BIO (:func:`to_conll`), Prodigy JSONL
  (:func:`to_jsonl`), Label Studio (:func:`to_labelstudio_text`);
* clip item ``{"audio", "duration", "regions"}``: Audacity labels (:func:`to_audacity`,
  regions only), Label Studio (:func:`to_labelstudio_audio`; transcriptions as textarea
  results), NeMo speech manifests (:func:`to_nemo_manifest`), pandas
  (:func:`regions_dataframe`), and from a list of transcribed regions, WebVTT
  (:func:`to_webvtt`) and SRT (:func:`to_srt`) subtitles;
* video item ``{"video", "width", "height", "num_frames", "fps"?, "tracks"}`` (tracks of
  keyframed boxes, 0-based frames): CVAT for video 1.1 XML (:func:`to_cvat_video`), Label
  Studio ``videorectangle`` (:func:`to_labelstudio_video`), COCO with per-frame images and
  ``track_id`` (:func:`to_coco_video`); and from a list of tracks, MOT Challenge ``gt.txt``
  (:func:`to_mot`) and pandas (:func:`tracks_frame`, per frame or per keyframe).

Transcriptions (a box's or a region's ``text``) are plain text in any script, right-to-left
and mixed-direction included; files are written as UTF-8 text, not escaped to ASCII.

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
from ._tracks import VideoItem
from .audacity import from_audacity, to_audacity
from .coco import CocoData, from_coco, to_coco
from .coco_video import from_coco_video, to_coco_video
from .conll import DroppedSpansWarning, from_conll, to_conll
from .cvat_video import from_cvat_video, to_cvat_video
from .dataframe import REGION_COLUMNS, regions_dataframe, regions_from_dataframe
from .labelstudio import (
    from_labelstudio_audio,
    from_labelstudio_images,
    from_labelstudio_text,
    from_labelstudio_video,
    to_labelstudio_audio,
    to_labelstudio_images,
    to_labelstudio_text,
    to_labelstudio_video,
)
from .mot import from_mot, to_mot
from .nemo import from_nemo_manifest, to_nemo_manifest
from .ocr import from_ocr_jsonl, to_ocr_jsonl
from .png_masks import from_png_masks, to_png_masks
from .prodigy import from_jsonl, to_jsonl
from .rle import mask_to_rle, rle_area, rle_bbox, rle_from_string, rle_to_mask, rle_to_string
from .srt import from_srt, to_srt
from .tokens import snap_span, tokenize
from .tracks_frame import TRACK_COLUMNS, tracks_frame, tracks_from_frame
from .voc import from_voc, to_voc
from .webvtt import from_webvtt, to_webvtt
from .yolo import from_yolo, read_yolo_dir, to_yolo, write_yolo_dir

__all__ = [
    "REGION_COLUMNS",
    "TRACK_COLUMNS",
    "ClipItem",
    "CocoData",
    "DocumentItem",
    "DroppedSpansWarning",
    "ImageItem",
    "VideoItem",
    "from_audacity",
    "from_coco",
    "from_coco_video",
    "from_conll",
    "from_cvat_video",
    "from_jsonl",
    "from_labelstudio_audio",
    "from_labelstudio_images",
    "from_labelstudio_text",
    "from_labelstudio_video",
    "from_mot",
    "from_nemo_manifest",
    "from_ocr_jsonl",
    "from_png_masks",
    "from_srt",
    "from_voc",
    "from_webvtt",
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
    "to_coco_video",
    "to_conll",
    "to_cvat_video",
    "to_jsonl",
    "to_labelstudio_audio",
    "to_labelstudio_images",
    "to_labelstudio_text",
    "to_labelstudio_video",
    "to_mot",
    "to_nemo_manifest",
    "to_ocr_jsonl",
    "to_png_masks",
    "to_srt",
    "to_voc",
    "to_webvtt",
    "to_yolo",
    "tokenize",
    "tracks_frame",
    "tracks_from_frame",
    "write_yolo_dir",
]

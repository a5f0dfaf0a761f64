"""ImageAnnotator: bounding boxes and keypoints on an image, drawn in the browser.

Everything a person does with the pointer (draw, move, resize, place and drag keypoints,
zoom, pan) runs in the browser at frame rate; a finished gesture reaches Python once, as a
change of one or a few records, so ``w.boxes`` / ``w.keypoints`` are always up to date after
a gesture, also while a cell is running.

Keys (while the pointer is over the widget or focus is in it; shown by its ``?`` button):

====================  ==========================================================
``B`` ``K`` ``S``     box, keypoint and select tools
``1``–``9``           label of the selection (or of the next new annotation)
``Tab``/``Shift+Tab`` select the next / previous annotation (polygon tool: polygon)
``Delete``            remove the selection (a suggestion: reject it)
``Enter`` / ``X``     accept / reject the selected suggestion
``V``                 toggle the selected keypoint's visibility (COCO 2 ⇄ 1)
``Ctrl+Z``            undo (``Ctrl+Shift+Z`` or ``Ctrl+Y``: redo), Cmd on a Mac
``Escape``            cancel the gesture, or clear the selection
``+`` ``-`` ``0``     zoom in, zoom out, fit (the wheel zooms around the pointer)
``Space`` + drag      pan (or drag with the middle button; in the select tool, drag)
``Enter`` ``F2``      with ``transcribe=True``: edit the selected box's text (or
                      double-click the box)
``P`` ``R`` ``E``     polygon, brush ("paint") and eraser tools
``[`` / ``]``         smaller / larger brush and eraser
``Enter``             close the polygon being drawn; with no suggestion selected,
                      accept the mask suggestions (where nothing is painted)
``Backspace``         remove the last point of the polygon being drawn
``U``                 show / hide the uncertainty overlay
====================  ==========================================================

Segmentation: the polygon tool adds a point per click; double-click, Enter or a click on
the first point closes the polygon (``w.polygons``). Drag a vertex to move it, click an
edge of the selected polygon to insert one there, select a vertex and press Delete to remove
it. The brush paints the current label into a full-resolution mask (``w.masks``, COCO RLE;
``w.mask_array(label)`` gives a boolean array); the eraser clears whatever label is painted.
A finished stroke reaches Python once, as the pixels it changed. Every stroke and polygon
edit is undoable. ``w.mask_suggestions`` (a model's masks) are drawn translucent where
nothing is painted; see :mod:`nbannotate.image._masks` and
:class:`nbannotate.LiveSegmentation`.

Transcription (``transcribe=True``, for OCR data): finishing a box opens a text field at it;
the text is saved in the box's ``text``. In the field only these keys act (typed letters are
text, never shortcuts):

====================  ==========================================================
``Enter``             save the text (one undoable edit) and go back to drawing
``Escape``            leave the text as it was
``Tab``/``Shift+Tab`` save, then transcribe the next / previous box in reading order
                      (lines top to bottom, grouped by vertical overlap; within a line
                      left to right, or right to left: ``reading_direction``)
====================  ==========================================================

Suggestions (``w.suggestions``, model output with ``source="model"`` and a ``score``) are
drawn dashed with their score. Accepting one (click it and press Enter, or "Accept all")
moves it, in one undoable step, from ``suggestions`` to ``boxes`` (or ``keypoints``) as a
person's record: same ``id`` (so it can be traced back to the model's output), same geometry
and label, ``source="human"`` and no ``score`` (it is no longer a prediction). Accepting a box
also accepts the keypoint suggestions whose ``box_id`` is that box. Editing a suggestion
(moving, resizing, relabeling it) accepts it with the edit. Rejecting removes it. Setting
``w.suggestions`` never touches ``boxes`` or ``keypoints``: nothing a person drew is replaced
by a suggestion.

Examples
--------
>>> import numpy as np
>>> from nbannotate import ImageAnnotator
>>> w = ImageAnnotator(np.zeros((48, 64, 3), dtype=np.uint8), labels=["cat", "dog"])
>>> w.image_size
(64, 48)
>>> w.boxes = [{"x": 4, "y": 4, "w": 10, "h": 8, "label": "dog"}]
>>> w.boxes[0]["source"]
'human'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from os import PathLike
from typing import Any

import numpy as np
import traitlets

from ..media.display import COLORMAPS, DisplayWindow, colormap_lut
from ..media.images import pil_values, read_image
from ..records import validate_records
from ..records.reading_order import DIRECTIONS
from ..widget.base import AnnotatorWidget, static_file
from ..widget.labels import label_names
from ._args import TOOLS, check_records, check_skeleton, check_tool_options
from ._full import FullImageLoader, image_traits
from ._levels import LEVELS_MIME
from ._masks import MaskEditor, default_brush_radius, record_list
from ._preview import ImageSource, prepare_image
from ._review import image_values, uncertainty_png
from ._suggestions import accept_records, pick_suggestions, validate_suggestions

__all__ = ["ImageAnnotator"]


class ImageAnnotator(AnnotatorWidget):
    """Draw, move and resize boxes and place keypoints on an image.

    Parameters
    ----------
    image : ndarray, PIL.Image, str, PathLike or bytes
        Any numeric array: H×W (or H×W×1), RGB, RGBA or more channels; uint8, uint16, any
        int, bool or float of any range (NaN/inf shown transparent). A PIL image; a path; or
        encoded bytes (PNG 8/16-bit, JPEG upright by its EXIF orientation, TIFF, WebP, BMP).
        Sent as a binary buffer. Images larger than 1024 px on their long side are shown from
        a preview first; the full resolution follows when the browser asks for it
        (``image_data`` is empty until then). Coordinates are in the image's own pixels.
    vmin, vmax : float, optional
        The contrast window. Default (:mod:`nbannotate.media.display`): uint8 and integers in
        [0, 255] as they are, floats in [0, 1] as they are, bool as 0/255, anything else
        auto-contrasted to its 0.5–99.5 percentiles. A single-channel image that is not uint8
        is sent as 16-bit levels: the window control in the toolbar (two sliders, "Auto")
        re-colours it in the browser, ``w.vmin``/``w.vmax`` follow, and the readout shows
        the original value under the pointer. The records never change.
    colormap : str
        Of a single-channel image: "gray" (default), "viridis", "magma", "inferno", "plasma",
        "cividis", "hot", "green", "magenta", "red", "blue", "cyan".
    channels : int or list of int, optional
        The channels to show of an image with more than 4 (default: the first three).
    labels : list of str
        Box labels; number keys 1–9 pick them.
    keypoint_labels : list of str, optional
        Names of the keypoints of one instance, in order (the keypoint tool places them in this
        order, skipping those already placed).
    skeleton : list of (str, str), optional
        Pairs of keypoint labels joined by a line.
    boxes, keypoints : list of dict, optional
        Initial records (original-image pixels); see :mod:`nbannotate.records`.
    suggestions : list of dict, optional
        Model records (boxes and keypoints) to review; their ``source`` becomes ``"model"``.
    label : str, optional
        The label for new annotations (default: the first label of the tool).
    polygons, masks : list of dict, optional
        Initial polygon and mask records (masks: COCO RLE of the whole image).
    mask_suggestions : list of dict, optional
        A model's masks, drawn translucent where nothing is painted.
    brush_radius : float, optional
        Radius of the brush and eraser in image pixels (default: 1/80 of the long side).
    tool : {"box", "keypoint", "select", "polygon", "brush", "eraser"}
        The tool in use.
    transcribe : bool
        Finishing a box opens a text field for its transcription (``text``); see above.
    reading_direction : {"auto", "ltr", "rtl"}
        Where Tab goes next within a line of boxes: left to right, right to left, or
        (``"auto"``) right to left once most transcribed boxes start with a letter of a
        right-to-left script (Hebrew, Arabic, ...).

    Attributes
    ----------
    boxes, keypoints, suggestions : list of dict
        The records. Setting one from Python replaces the list and redraws it; edits in the
        browser arrive as changes (see :meth:`on_change`).
    polygons, masks, mask_suggestions : list of dict
        Polygon and mask records (masks: COCO RLE); the brush's strokes arrive as the pixels
        they changed (see :mod:`nbannotate.image._masks`). ``mask_array(label)`` gives a
        boolean array; ``paint``/``erase`` stroke from Python.
    image_size : (int, int)
        (width, height) of the original image: every coordinate is in its pixels.

    Examples
    --------
    >>> import numpy as np
    >>> w = ImageAnnotator(np.zeros((100, 200)), labels=["cat", "dog"],
    ...                    keypoint_labels=["nose", "tail"], skeleton=[("nose", "tail")])
    >>> w.tool, w.label
    ('box', 'cat')
    >>> w.suggestions = [{"id": "s1", "x": 5, "y": 5, "w": 20, "h": 10, "label": "dog",
    ...                   "score": 0.9}]
    >>> w.accept_suggestions()
    ['s1']
    >>> w.boxes[0]["source"], "score" in w.boxes[0]
    ('human', False)
    """

    _record_fields = ("boxes", "keypoints", "suggestions", "polygons", "masks")

    #: Full-resolution encoded image (empty until the browser asks, when there is a preview).
    image_data = traitlets.Bytes(b"").tag(sync=True)
    image_mime = traitlets.Unicode("image/png").tag(sync=True)
    image_width = traitlets.Int(0).tag(sync=True)
    image_height = traitlets.Int(0).tag(sync=True)
    #: The contrast window (values at or below ``vmin`` show as the colormap's start, at or
    #: above ``vmax`` as its end); moved in the browser or set here, display only.
    vmin = traitlets.Float(0.0).tag(sync=True)
    vmax = traitlets.Float(255.0).tag(sync=True)
    #: The colormap of a single-channel image (see nbannotate.media.display.COLORMAPS).
    colormap = traitlets.Enum(COLORMAPS, default_value="gray").tag(sync=True)
    #: The colormap's 256 RGB entries (768 bytes), for the browser's window mapping.
    colormap_lut = traitlets.Bytes(b"").tag(sync=True)
    #: The window the data gave (the browser's "Auto" button goes back to it).
    auto_vmin = traitlets.Float(0.0).tag(sync=True)
    auto_vmax = traitlets.Float(255.0).tag(sync=True)
    #: Single-channel images sent as 16-bit levels: value = levels_offset + level *
    #: levels_step; the finite values span [value_min, value_max]. Empty for other images.
    levels_offset = traitlets.Float(0.0).tag(sync=True)
    levels_step = traitlets.Float(1.0).tag(sync=True)
    value_min = traitlets.Float(0.0).tag(sync=True)
    value_max = traitlets.Float(255.0).tag(sync=True)
    #: Display-sized preview shown first (empty when the image is small).
    preview_data = traitlets.Bytes(b"").tag(sync=True)
    preview_mime = traitlets.Unicode("image/png").tag(sync=True)
    #: Image pixels per preview pixel.
    preview_scale = traitlets.Int(1).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    keypoint_labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    skeleton = traitlets.List().tag(sync=True)
    boxes = traitlets.List().tag(sync=True)
    keypoints = traitlets.List().tag(sync=True)
    suggestions = traitlets.List().tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    tool = traitlets.Enum(TOOLS, default_value="box").tag(sync=True)
    #: Finishing a box opens a text field for its transcription (the box's ``text``).
    transcribe = traitlets.Bool(False).tag(sync=True)
    #: The order of Tab between boxes: lines top to bottom, then "ltr" or "rtl" ("auto":
    #: right to left when most of the boxes' texts are in a right-to-left script).
    reading_direction = traitlets.Enum(DIRECTIONS, default_value="auto").tag(sync=True)
    polygons = traitlets.List().tag(sync=True)
    masks = traitlets.List().tag(sync=True)
    #: Radius of the brush and the eraser, in image pixels (``[`` and ``]`` change it).
    brush_radius = traitlets.Float(8.0).tag(sync=True)
    mask_suggestions = traitlets.List().tag(sync=True)
    #: The uncertainty overlay: a PNG stretched over the image (empty: none).
    uncertainty_png = traitlets.Bytes(b"").tag(sync=True)
    #: Show the uncertainty overlay (the ``U`` key toggles it).
    show_uncertainty = traitlets.Bool(False).tag(sync=True)

    _esm = static_file("image.js")
    _css = static_file("image.css")

    def __init__(self, image: Any, labels: Sequence[str] | None = None, *,
                 keypoint_labels: Sequence[str] | None = None,
                 skeleton: Sequence[tuple[str, str]] | None = None,
                 boxes: Sequence[dict[str, Any]] | None = None,
                 keypoints: Sequence[dict[str, Any]] | None = None,
                 suggestions: Sequence[dict[str, Any]] | None = None,
                 label: str | None = None, tool: str = "box",
                 transcribe: bool = False, reading_direction: str = "auto",
                 polygons: Sequence[dict[str, Any]] | None = None,
                 masks: Sequence[dict[str, Any]] | None = None,
                 mask_suggestions: Sequence[dict[str, Any]] | None = None,
                 brush_radius: float | None = None, vmin: float | None = None,
                 vmax: float | None = None, colormap: str = "gray",
                 channels: Any = None) -> None:
        label_list = label_names(labels, "labels")
        kp_labels = label_names(keypoint_labels, "keypoint_labels", required=False)
        pairs = check_skeleton(skeleton, kp_labels)
        label = check_tool_options(tool, label, transcribe, reading_direction, label_list,
                                   kp_labels)
        # The widget opens before its preview is made: the browser sets it up (model, module,
        # view) while the preview is decoded here, and the preview follows in one message.
        self._channels = channels
        source = prepare_image(image, defer_preview=True, vmin=vmin, vmax=vmax,
                               colormap=colormap, channels=channels, levels=True)
        self._image_input = image  # as given, for image_array() (no copy)
        self._full_image = FullImageLoader(
            source, publish=lambda data: setattr(self, "image_data", data),
            has_data=lambda: bool(self.image_data))
        radius = default_brush_radius(*source.size) if brush_radius is None else brush_radius
        # Records are validated (against the image size) before the widget opens, and sent
        # with it in one message.
        super().__init__(labels=label_list, keypoint_labels=kp_labels, skeleton=pairs,
                         label=label, tool=tool, transcribe=transcribe,
                         reading_direction=reading_direction,
                         boxes=check_records(boxes, "boxes"),
                         keypoints=check_records(keypoints, "keypoints"),
                         suggestions=check_records(suggestions, "suggestions"),
                         polygons=record_list(polygons, "polygons"),
                         masks=record_list(masks, "masks"),
                         mask_suggestions=record_list(mask_suggestions, "mask_suggestions"),
                         brush_radius=radius, **image_traits(source),
                         **self._display_traits(source, colormap))
        self._mask_editor = MaskEditor(
            get_masks=lambda: self.masks, set_masks=self._store_masks,
            labels=lambda: self.labels, lock=self._apply_lock, size=source.size)
        if source.preview_pending:
            with self.hold_sync():
                for name, value in image_traits(source.finish_preview()).items():
                    self.set_trait(name, value)

    # -- the image (the full resolution: nbannotate.image._full) ------------------------------
    @property
    def image_size(self) -> tuple[int, int]:
        """(width, height) of the original image in pixels."""
        return (self.image_width, self.image_height)

    def load_full_image(self, *, wait: bool = False) -> None:
        """Send the full-resolution image to the browser (it asks by itself after the preview).

        Arrays are PNG-encoded in a background thread, so the kernel keeps answering while a
        large image is encoded.

        Parameters
        ----------
        wait : bool
            Return only once ``image_data`` is set.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((2000, 100), dtype=np.uint8), labels=["a"])
        >>> len(w.image_data)
        0
        >>> w.load_full_image(wait=True)
        >>> w.image_data[:4]
        b'\\x89PNG'
        """
        self._full_image.load(wait=wait)

    def pixel_values(self, x: float, y: float) -> list[float] | None:
        """The original value(s) of image pixel (x, y): one per channel; None outside.

        What the toolbar's readout shows under the pointer for images that are not sent as
        levels (RGB, uint8, files); levels are read in the browser itself.

        Examples
        --------
        >>> w = ImageAnnotator(np.arange(12, dtype=np.float32).reshape(3, 4) * 10,
        ...                    labels=["a"])
        >>> w.pixel_values(2.5, 1.2), w.pixel_values(9, 9)
        ([60.0], None)
        """
        values = self._original_values()
        col, row = int(np.floor(x)), int(np.floor(y))
        if not (0 <= row < values.shape[0] and 0 <= col < values.shape[1]):
            return None
        pixel = np.atleast_1d(values[row, col])
        return [float(v) for v in pixel]

    def _original_values(self) -> np.ndarray:
        generation = self._full_image.generation
        cached = self._values_cache
        if cached is not None and cached[0] == generation:
            return cached[1]
        image = self._image_input
        if type(image).__module__.startswith("PIL."):
            values = pil_values(image)
        elif isinstance(image, (bytes, bytearray, memoryview, str, PathLike)):
            values = read_image(image if not isinstance(image, memoryview) else bytes(image))
        else:
            values = np.asarray(image)
        if values.ndim == 3 and values.shape[2] == 1:
            values = values[:, :, 0]
        self._values_cache = (generation, values)
        return values

    _values_cache: tuple[int, np.ndarray] | None = None

    def _send_pixel(self, content: dict[str, Any]) -> None:
        x, y = content.get("x"), content.get("y")
        if not all(isinstance(v, (int, float)) and np.isfinite(v) for v in (x, y)):
            return
        self.send({"type": "pixel", "x": x, "y": y, "values": self.pixel_values(x, y)})

    @staticmethod
    def _display_traits(source: ImageSource, colormap: str) -> dict[str, Any]:
        """The window, colormap and levels traits of ``source``."""
        window = source.window or DisplayWindow(0.0, 255.0, colormap, True)
        out: dict[str, Any] = {"vmin": window.vmin, "vmax": window.vmax,
                               "colormap_lut": colormap_lut(colormap).tobytes()}
        auto = source.auto_window or (window.vmin, window.vmax)
        out.update(auto_vmin=auto[0], auto_vmax=auto[1])
        levels = source.levels
        if levels is not None:
            out.update(levels_offset=levels.offset, levels_step=levels.step,
                       value_min=levels.low, value_max=levels.high)
        else:
            out.update(levels_offset=0.0, levels_step=1.0, value_min=0.0, value_max=255.0)
        return out

    @traitlets.observe("colormap")
    def _colormap_changed(self, change: dict[str, Any]) -> None:
        self.colormap_lut = colormap_lut(change["new"]).tobytes()
        if self.image_mime != LEVELS_MIME:
            self._redisplay()

    @traitlets.observe("vmin", "vmax")
    def _window_changed(self, _change: dict[str, Any]) -> None:
        # Levels are windowed by the browser; other images are mapped again here.
        if self.image_mime != LEVELS_MIME and not self._redisplaying:
            self._redisplay()

    _redisplaying = False

    def _redisplay(self) -> None:
        """Show the image again with the current window (arrays that are not levels)."""
        image = self._image_input
        if not (isinstance(image, np.ndarray) or hasattr(image, "__array__")) \
                or self.vmax <= self.vmin:
            return
        source = prepare_image(image, vmin=self.vmin, vmax=self.vmax, colormap=self.colormap,
                               channels=self._channels)
        self._full_image.replace(source)
        self._redisplaying = True
        try:
            with self.hold_sync():
                for name, value in image_traits(source).items():
                    self.set_trait(name, value)
        finally:
            self._redisplaying = False

    @property
    def _image_generation(self) -> int:
        """Grows with every new image (a result computed for an older one is dropped)."""
        return self._full_image.generation

    def _while_image(self, generation: int) -> contextlib.AbstractContextManager[bool]:
        """Hold the image steady: yields whether ``generation`` is still the image shown."""
        return self._full_image.holding(generation)

    def image_array(self) -> np.ndarray:
        """The image with its original values (as given: uint16, float, ...), for a model.

        This is what models should see, never the display mapping (contrast window,
        colormap). Encoded images (paths, bytes) are decoded with Pillow, upright, keeping
        16-bit and float values.

        Examples
        --------
        >>> import numpy as np
        >>> ImageAnnotator(np.zeros((5, 7)), labels=["a"]).image_array().shape
        (5, 7)
        """
        return image_values(self._image_input)

    def set_image(self, image: Any, *, boxes: Sequence[dict[str, Any]] | None = None,
                  keypoints: Sequence[dict[str, Any]] | None = None,
                  suggestions: Sequence[dict[str, Any]] | None = None,
                  polygons: Sequence[dict[str, Any]] | None = None,
                  masks: Sequence[dict[str, Any]] | None = None) -> None:
        """Show another image, with its records (none by default).

        Parameters
        ----------
        image
            Any form the constructor accepts.
        boxes, keypoints, suggestions, polygons, masks : list of dict, optional
            The records of the new image (replacing the current ones; mask suggestions and
            the uncertainty overlay are cleared).

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((10, 10)), labels=["a"])
        >>> w.set_image(np.zeros((20, 30)), boxes=[{"x": 1, "y": 1, "w": 25, "h": 5,
        ...                                          "label": "a"}])
        >>> w.image_size, len(w.boxes)
        ((30, 20), 1)
        """
        source = prepare_image(image, colormap=self.colormap, channels=self._channels,
                               levels=True)
        box_list = check_records(boxes, "boxes")
        kp_list = check_records(keypoints, "keypoints")
        suggestion_list = check_records(suggestions, "suggestions")
        # Validate against the new size before anything changes.
        width, height = source.size
        box_list = validate_records(box_list, name="boxes", kind="box",
                                    image_size=(width, height), labels=self.labels)
        kp_list = validate_records(kp_list, name="keypoints", kind="keypoint",
                                   image_size=(width, height),
                                   labels=self.keypoint_labels or None)
        shapes = {name: validate_records(check_records(value, name), name=name, kind=name[:-1],
                                         image_size=(width, height), labels=self.labels)
                  for name, value in (("polygons", polygons), ("masks", masks))}
        self._full_image.replace(source)
        self._mask_editor.size = source.size
        self._image_input = image
        with self.hold_sync():
            self.boxes = []
            self.keypoints = []
            self.suggestions = []
            self.polygons = []
            self.masks = []
            self.mask_suggestions = []
            self.uncertainty_png = b""
            for name, value in {**image_traits(source),
                                **self._display_traits(source, self.colormap)}.items():
                self.set_trait(name, value)
            self.boxes = box_list
            self.keypoints = kp_list
            self.suggestions = suggestion_list
            self.polygons = shapes["polygons"]
            self.masks = shapes["masks"]

    def _handle_custom_message(self, content: dict[str, Any], buffers: list[Any]) -> None:
        kind = content.get("type")
        if kind == "load_full":
            self.load_full_image()
        elif kind == "mask_edit":
            self._receive_mask_edit(content)
        elif kind == "pixel":
            self._send_pixel(content)
        else:
            super()._handle_custom_message(content, buffers)

    # -- masks (the editing: nbannotate.image._masks.MaskEditor) ------------------------------
    def _store_masks(self, value: list[dict[str, Any]], silent: bool) -> None:
        if silent:  # a stroke the browser painted: it has these masks already
            self._set_from_browser("masks", value)
        else:
            self.masks = value

    def mask_array(self, label: str) -> np.ndarray:
        """The pixels of ``label`` in ``masks`` as a boolean array (height, width).

        Every mask record with that label counts (their union); no mask gives all False.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((4, 6)), labels=["a", "b"])
        >>> w.mask_array("b").shape, w.mask_array("b").any()
        ((4, 6), np.False_)
        """
        return self._mask_editor.mask_array(label)

    def paint(self, label: str, points: Any, radius: float | None = None) -> list[str]:
        """Paint a brush stroke from Python, as the brush does in the browser.

        The pixels whose centre lies within ``radius`` of the path get ``label`` (and leave any
        other label's mask). The widget redraws the masks.

        Parameters
        ----------
        label : str
            One of ``labels``.
        points : list of [x, y]
            The stroke's path in image pixels (one point paints a disc).
        radius : float, optional
            In image pixels (default: ``brush_radius``).

        Returns
        -------
        list of str
            The labels whose masks changed.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((20, 20)), labels=["a", "b"])
        >>> w.paint("a", [[5, 5]], radius=2), int(w.mask_array("a").sum())
        (['a'], 12)
        """
        return self._mask_editor.paint(label, points, radius, default_radius=self.brush_radius)

    def erase(self, points: Any, radius: float | None = None) -> list[str]:
        """Erase along a stroke from Python, as the eraser does: every label loses those pixels.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((20, 20)), labels=["a"])
        >>> _ = w.paint("a", [[2, 10], [18, 10]], radius=3)
        >>> w.erase([[10, 0], [10, 19]], radius=2), bool(w.mask_array("a")[10, 10])
        (['a'], False)
        """
        return self._mask_editor.erase(points, radius, default_radius=self.brush_radius)

    def _receive_mask_edit(self, content: dict[str, Any]) -> None:
        seq = content.get("seq")
        editor = self._mask_editor
        try:
            changes = editor.edit(editor.parse_edits(content.get("edits")), silent=True)
        except (TypeError, ValueError) as error:
            self.send({"type": "mask_error", "seq": seq, "message": str(error)})
            self.send_state("masks")
            return
        self.send({"type": "mask_ack", "seq": seq})
        value = self.masks
        for op, record in changes:
            change = {"owner": self, "field": "masks", "op": op, "record": record,
                      "value": value}
            for callback in list(self._change_callbacks):
                callback(change)

    def accept_mask_suggestions(self, labels: Iterable[str] | str | None = None) -> list[str]:
        """Copy mask suggestions into ``masks`` where the person has not painted.

        What the browser's *Accept masks* (or Enter) does: each suggested pixel that no mask
        covers gets the suggestion's label (where suggestions overlap, the later one wins);
        pixels a person painted keep their label. The suggestions stay (the widget shows
        them only where they differ from the masks: after accepting, nowhere).

        Parameters
        ----------
        labels : str or list of str, optional
            Accept only the suggestions of these labels (default: all).

        Returns
        -------
        list of str
            The ids of the mask records that changed.

        Examples
        --------
        >>> import numpy as np
        >>> from nbannotate.formats import mask_to_rle
        >>> w = ImageAnnotator(np.zeros((10, 10)), labels=["a", "b"])
        >>> left = np.zeros((10, 10), dtype=bool); left[:, :5] = True
        >>> w.mask_suggestions = [{"label": "a", "mask": mask_to_rle(left), "score": 0.8}]
        >>> _ = w.paint("b", [[1, 1]], radius=1)
        >>> _ = w.accept_mask_suggestions()
        >>> int(w.mask_array("a").sum()), int(w.mask_array("b").sum())
        (46, 4)
        """
        wanted = None if labels is None else ({labels} if isinstance(labels, str)
                                              else set(labels))
        return self._mask_editor.accept(self.mask_suggestions, wanted)

    def reject_mask_suggestions(self) -> list[str]:
        """Remove every mask suggestion; returns their ids.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((4, 4)), labels=["a"], mask_suggestions=[
        ...     {"id": "m", "label": "a", "mask": {"size": [4, 4], "counts": [5, 1, 10]}}])
        >>> w.reject_mask_suggestions(), w.mask_suggestions
        (['m'], [])
        """
        gone = [r["id"] for r in self.mask_suggestions]
        self.mask_suggestions = []
        return gone

    def set_uncertainty(self, values: Any) -> None:
        """Show where a model is unsure: ``values`` in [0, 1], one per pixel (or a coarser grid).

        The array is stretched over the image (so a reduced grid works: it is reduced to at
        most 512 px on its long side anyway) and drawn more opaque where it is higher; the
        ``U`` key (``show_uncertainty``) shows or hides it. ``None`` removes it.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((30, 40)), labels=["a"])
        >>> w.set_uncertainty(np.linspace(0, 1, 12).reshape(3, 4))
        >>> w.uncertainty_png[:4]
        b'\\x89PNG'
        """
        self.uncertainty_png = uncertainty_png(values)

    # -- suggestions (the picking and accepting: nbannotate.image._suggestions) -------------
    def accept_suggestions(self, ids: Iterable[str] | str | None = None, *,
                           min_score: float | None = None) -> list[str]:
        """Turn suggestions into people's records (all of them, or those in ``ids``).

        As accepting in the browser: same id, geometry and label, ``source="human"``, no
        ``score``. A suggested box and the suggested keypoints whose ``box_id`` is that box form
        one instance, accepted together.

        Parameters
        ----------
        ids : str or list of str, optional
            The suggestions to accept (default: all).
        min_score : float, optional
            Accept only those with at least this score.

        Returns
        -------
        list of str
            The ids of the accepted records (a new id when a record already had that id).

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((50, 50)), labels=["a"], suggestions=[
        ...     {"id": "s1", "x": 1, "y": 1, "w": 9, "h": 9, "label": "a", "score": 0.4}])
        >>> w.accept_suggestions(min_score=0.5)
        []
        """
        chosen = pick_suggestions(self.suggestions, ids, min_score)
        boxes, keypoints, accepted = accept_records(chosen, self.boxes, self.keypoints)
        gone = {r["id"] for r in chosen}
        with self.hold_sync():
            self.suggestions = [s for s in self.suggestions if s["id"] not in gone]
            self.boxes = boxes
            self.keypoints = keypoints
        return accepted

    def reject_suggestions(self, ids: Iterable[str] | str | None = None) -> list[str]:
        """Remove suggestions (all, or those in ``ids``, a box with its keypoints); returns ids.

        Examples
        --------
        >>> import numpy as np
        >>> w = ImageAnnotator(np.zeros((50, 50)), labels=["a"], suggestions=[
        ...     {"id": "s1", "x": 1, "y": 1, "w": 9, "h": 9, "label": "a", "score": 0.4}])
        >>> w.reject_suggestions("s1"), w.suggestions
        (['s1'], [])
        """
        gone = [r["id"] for r in pick_suggestions(self.suggestions, ids, None,
                                                   whole_instance=False)]
        self.suggestions = [s for s in self.suggestions if s["id"] not in set(gone)]
        return gone

    # -- validation (constructor arguments: nbannotate.image._args) -----------------------
    def _context(self, field: str) -> dict[str, Any]:
        size = self.image_size
        if field == "keypoints":
            return {"kind": "keypoint", "image_size": size,
                    "labels": self.keypoint_labels or None}
        if field in ("polygons", "masks"):
            return {"kind": field[:-1], "image_size": size, "labels": self.labels or None}
        return {"kind": "box", "image_size": size, "labels": self.labels or None}

    def _validate_record(self, field: str, record: dict[str, Any]) -> dict[str, Any]:
        if field == "suggestions":
            kind = "keypoint" if "w" not in record else "box"
            field = "keypoints" if kind == "keypoint" else "boxes"
        return validate_records([record], name=field, **self._context(field))[0]

    @traitlets.validate("boxes", "keypoints")
    def _validate_list(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        field = proposal["trait"].name
        if self._is_silent(field):
            return proposal["value"]  # already validated record by record
        return validate_records(proposal["value"], name=field, **self._context(field))

    @traitlets.validate("suggestions")
    def _validate_suggestions(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._is_silent("suggestions"):
            return proposal["value"]
        return validate_suggestions(proposal["value"], self._context)

    def _segmentation_context(self) -> dict[str, Any]:
        return {"image_size": self.image_size, "labels": list(self.labels) or None}

    @traitlets.validate("polygons")
    def _validate_polygons(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._is_silent("polygons"):
            return proposal["value"]
        return validate_records(proposal["value"], kind="polygon", name="polygons",
                                **self._segmentation_context())

    @traitlets.validate("masks")
    def _validate_masks(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        if self._is_silent("masks"):
            return proposal["value"]
        return validate_records(proposal["value"], kind="mask", name="masks",
                                **self._segmentation_context())

    @traitlets.validate("mask_suggestions")
    def _validate_mask_suggestions(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        out = validate_records(proposal["value"], kind="mask", name="mask_suggestions",
                               **self._segmentation_context())
        for record in out:
            record["source"] = "model"
        return out

    @traitlets.validate("brush_radius")
    def _validate_brush_radius(self, proposal: dict[str, Any]) -> float:
        value = proposal["value"]
        longest = max(self.image_width, self.image_height, 1)
        if not np.isfinite(value) or not 0 < value <= longest:
            raise ValueError(f"brush_radius must be a number of image pixels in (0, {longest}], "
                             f"got {value!r}")
        return float(value)

    @traitlets.validate("vmin", "vmax")
    def _validate_window(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not np.isfinite(value):
            raise ValueError(f"{proposal['trait'].name} must be a finite number, got {value!r}")
        return value

    @traitlets.validate("label")
    def _validate_label(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        names = list(self.labels) + list(self.keypoint_labels)
        if value and names and value not in names:
            raise ValueError(f"label must be one of {names}, got {value!r}")
        return value

    @traitlets.validate("tool")
    def _validate_tool(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] == "keypoint" and not self.keypoint_labels:
            raise ValueError("tool='keypoint' needs keypoint_labels, got none")
        return proposal["value"]

    @traitlets.observe("tool")
    def _tool_changed(self, change: dict[str, Any]) -> None:
        # The label follows the tool: a keypoint name for keypoints, a box label otherwise.
        names = self.keypoint_labels if change["new"] == "keypoint" else self.labels
        if names and self.label not in names:
            self.label = names[0]

    def _repr_summary(self) -> str:
        text = (f"{self.image_width}x{self.image_height}, {len(self.boxes)} boxes, "
                f"{len(self.keypoints)} keypoints")
        if self.suggestions:
            text += f", {len(self.suggestions)} suggestions"
        if self.polygons or self.masks:
            text += f", {len(self.polygons)} polygons, {len(self.masks)} masks"
        return text

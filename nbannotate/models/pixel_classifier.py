"""PixelClassifier: segmentation from scribbles (a few painted strokes per label).

Every pixel is described by colour, gradient, blob and texture features at several scales
(:mod:`._pixel_features`); a classifier learns from the painted pixels only and labels every
pixel, with a per-pixel uncertainty (``1 - max probability``, scaled to [0, 1]). Paint more
where the uncertainty is high, refit, repeat.

Features are computed once per image and cached (keyed by the image's bytes), so a refit
after new strokes costs only the classifier. Large images are processed on a reduced
working grid (block means; at most ``max_pixels`` pixels) and the probabilities interpolated
back to full resolution.

Two ways to call it:

* one image: ``fit(image, scribbles)`` then ``predict(image) -> (labels, uncertainty)`` and
  ``predict_masks(image) -> mask records``. ``scribbles`` is an H×W int array (``-1``
  unpainted, ``k`` the index of label ``k``) or a list of mask records (each record's
  pixels are painted with its label; later records win where they overlap). Polygon
  records (``points``) count as the pixels whose centre they contain.
* the :class:`~nbannotate.models.protocol.StructuredModel` protocol: ``fit(items,
  annotations)`` with lists of images and of mask-record lists, ``predict(items)`` giving a
  list of mask records per image. A list (or tuple) as first argument means several images;
  an array or a path means one.

Examples
--------
>>> from nbannotate.models._synthetic import make_texture_image
>>> image, truth = make_texture_image(seed=0)
>>> scribbles = np.full(truth.shape, -1)
>>> scribbles[::9, ::9] = truth[::9, ::9]          # about 1% of the pixels
>>> model = PixelClassifier(labels=["background", "disc", "box"]).fit(image, scribbles)
>>> labels, uncertainty = model.predict(image)
>>> bool((labels == truth).mean() > 0.9)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any

import numpy as np

from ._base import ModelBase, check_choice, check_number, model_record, unit_uncertainty
from ._inputs import as_image, check_fit_args
from ._pixel_features import DEFAULT_SIGMAS, FeatureCache, content_key, pixel_features, upsample
from ._pixel_training import RowCache, TrainingPixels, balanced_subsample

__all__ = ["PixelClassifier"]

_CLASSIFIERS = ("forest", "extra_trees", "hist_gradient_boosting", "logistic")


def _is_single(value: Any) -> bool:
    return isinstance(value, (np.ndarray, str, PathLike)) or (
        hasattr(value, "mode") and hasattr(value, "convert"))


class PixelClassifier(ModelBase):
    """Label every pixel of an image from scribbles; predict labels, uncertainty and masks.

    Parameters
    ----------
    labels : sequence of str, optional
        Label names; index ``k`` of an int scribble array is ``labels[k]``. By default the
        labels of the mask records (sorted), or ``"0", "1", ...`` for int scribbles.
    classifier : {"forest", "extra_trees", "hist_gradient_boosting", "logistic"}
        ``"forest"``: a random forest of ``n_estimators`` trees of depth ``max_depth``.
    n_estimators : int, default 10
    max_depth : int, default 10
    sigmas : tuple of float, default (1, 2, 4, 8)
        Feature scales, in working-grid pixels.
    max_pixels : int, default 1_000_000
        Images with more pixels are processed on a grid reduced by an integer factor.
    predict_factor : int, default 1
        Further reduction of the grid the classifier predicts on (probabilities are
        interpolated back): 2 predicts 4 times fewer pixels.
    max_samples : int, default 20000
        Painted pixels used for training (a class-balanced subsample when more are painted:
        first of each image, before its rows are gathered, then of all images together).
    background : str, optional
        A label left out of :meth:`predict_masks` (e.g. ``"background"``).
    cache_size : int, default 2
        Images whose features are kept.
    n_threads : int or None, default 1
        Threads for the classifier and cap on BLAS/OpenMP threads.
    random_state : int or None, default 0

    Attributes
    ----------
    labels_ : list of str
    classes_ : ndarray
        Label indices seen in the scribbles.
    n_pixel_features_ : int
        Features per pixel (they depend on the images' channels: gray, RGB and RGBA images
        give 3 channels, an image of more than four channels all of its own).

    Examples
    --------
    >>> from nbannotate.models._synthetic import make_texture_image
    >>> image, truth = make_texture_image(seed=1)
    >>> painted = np.zeros(truth.shape, dtype=bool)
    >>> painted[::7, ::7] = True
    >>> from nbannotate.formats.rle import mask_to_rle
    >>> records = [{"label": name, "mask": mask_to_rle(painted & (truth == k))}
    ...            for k, name in enumerate(["background", "disc", "box"])]
    >>> model = PixelClassifier(background="background").fit(image, records)
    >>> sorted(m["label"] for m in model.predict_masks(image))
    ['box', 'disc']
    """

    _transient = (*ModelBase._transient, "_rows")

    def __init__(self, labels: Sequence[str] | None = None, *, classifier: str = "forest",
                 n_estimators: int = 10, max_depth: int = 10,
                 sigmas: tuple[float, ...] = DEFAULT_SIGMAS, max_pixels: int = 1_000_000,
                 predict_factor: int = 1, max_samples: int = 20_000,
                 background: str | None = None, cache_size: int = 2,
                 n_threads: int | None = 1, random_state: int | None = 0) -> None:
        self.labels = labels
        self.classifier = classifier
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.sigmas = sigmas
        self.max_pixels = max_pixels
        self.predict_factor = predict_factor
        self.max_samples = max_samples
        self.background = background
        self.cache_size = cache_size
        self.n_threads = n_threads
        self.random_state = random_state

    # ------------------------------------------------------------------ checks
    def _check_params(self) -> None:
        check_choice("classifier", self.classifier, _CLASSIFIERS)
        check_number("n_estimators", self.n_estimators, low=1, integer=True)
        check_number("max_depth", self.max_depth, low=1, integer=True)
        if (isinstance(self.sigmas, (str, bytes)) or not isinstance(self.sigmas, Sequence)
                or not self.sigmas):
            raise ValueError(f"sigmas must be a non-empty tuple of positive numbers, got "
                             f"{self.sigmas!r}")
        for sigma in self.sigmas:
            check_number("sigmas", sigma, low=0, low_open=True)
        check_number("max_pixels", self.max_pixels, low=64, integer=True)
        check_number("predict_factor", self.predict_factor, low=1, high=16, integer=True)
        check_number("max_samples", self.max_samples, low=10, integer=True)
        check_number("cache_size", self.cache_size, low=0, integer=True)
        if self.labels is not None and (isinstance(self.labels, str) or not all(
                isinstance(x, str) and x for x in self.labels)):
            raise ValueError(f"labels must be a list of non-empty strings, got {self.labels!r}")
        if self.background is not None and not isinstance(self.background, str):
            raise ValueError(f"background must be a label name (str) or None, got "
                             f"{self.background!r}")

    # ------------------------------------------------------------------ features
    def _factor(self, shape: tuple[int, ...]) -> int:
        pixels = shape[0] * shape[1]
        factor = 1
        while pixels / (factor * factor) > self.max_pixels:
            factor += 1
        return factor

    def _settings(self) -> tuple[tuple[float, ...], int]:
        """What the features depend on besides the image."""
        return tuple(float(s) for s in self.sigmas), int(self.max_pixels)

    def _features(self, item: Any, index: int) -> tuple[np.ndarray, tuple[int, int], int]:
        """Working-grid features, the full image size and the working factor (cached)."""
        key = (content_key(item), self._settings())
        cache: FeatureCache = self.__dict__.setdefault("_cache", FeatureCache())
        found = cache.get(key)
        if found is not None:
            return found
        image = as_image(item, index, all_channels=True)
        factor = self._factor(image.shape)
        features = pixel_features(image, factor=factor,
                                  sigmas=tuple(float(s) for s in self.sigmas))
        found = (features, (image.shape[0], image.shape[1]), factor)
        cache.put(key, found, self.cache_size)
        return found

    def __sklearn_clone__(self) -> PixelClassifier:
        """An unfitted copy (``sklearn.base.clone``) sharing this model's caches of features
        and training rows, so that refitting a fresh clone after each new image (what a
        labeling session does) computes features for the new image only."""
        twin = super().__sklearn_clone__()
        twin.__dict__["_cache"] = self.__dict__.setdefault("_cache", FeatureCache())
        twin.__dict__["_rows"] = self.__dict__.setdefault("_rows", RowCache())
        return twin

    def _new_model(self) -> Any:
        jobs = self.n_threads
        if self.classifier == "forest":
            from sklearn.ensemble import RandomForestClassifier

            return RandomForestClassifier(n_estimators=self.n_estimators,
                                          max_depth=self.max_depth, n_jobs=jobs,
                                          random_state=self.random_state)
        if self.classifier == "extra_trees":
            from sklearn.ensemble import ExtraTreesClassifier

            return ExtraTreesClassifier(n_estimators=self.n_estimators,
                                        max_depth=self.max_depth, n_jobs=jobs,
                                        random_state=self.random_state)
        if self.classifier == "hist_gradient_boosting":
            from sklearn.ensemble import HistGradientBoostingClassifier

            return HistGradientBoostingClassifier(max_iter=self.n_estimators * 5,
                                                  max_depth=self.max_depth,
                                                  early_stopping=False,
                                                  random_state=self.random_state)
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))

    # ------------------------------------------------------------------ API
    def fit(self, items: Any, annotations: Any) -> PixelClassifier:
        """Learn from scribbles: ``fit(image, scribbles)`` or ``fit(images, annotations)``.

        Parameters
        ----------
        items : ndarray, path, or list of them
            One image, or a list of images: any numeric array (uint8, uint16, float of any
            range, NaN as missing; gray, RGB, RGBA or more channels), its values scaled by
            the rule of :func:`nbannotate.features.image_values`, never by a display mapping.
        annotations : ndarray, list of mask records, or a list of those (one per image)
            For one image: an H×W int array (-1 unpainted, k = label index) or a list of
            mask records. For a list of images: one such entry per image.

        Returns
        -------
        PixelClassifier
            ``self``, fitted.
        """
        self._check_params()
        if _is_single(items):
            items, scribbles = [items], [annotations]
        else:
            items = list(items)
            if isinstance(annotations, np.ndarray) or not isinstance(annotations, Sequence) \
                    or isinstance(annotations, (str, bytes)):
                raise TypeError("with a list of images, annotations must be a list with one "
                                "scribble array or mask-record list per image")
            if annotations and all(isinstance(a, np.ndarray) for a in annotations):
                if len(annotations) != len(items):
                    raise ValueError(f"annotations has {len(annotations)} entries but items "
                                     f"has {len(items)}")
                scribbles = list(annotations)
            else:
                items, scribbles = check_fit_args(items, annotations)
        gather = TrainingPixels(self._features, self.__dict__.setdefault("_rows", RowCache()),
                                labels=self.labels, settings=self._settings(),
                                max_samples=self.max_samples, random_state=self.random_state)
        with self._thread_limit():
            features, target, names = gather(items, scribbles)
            keep = balanced_subsample(target, self.max_samples, self.random_state)
            self.labels_ = names
            self.n_pixel_features_ = int(features.shape[1])
            self.classes_ = np.unique(target)
            if self.classes_.size < 2:
                self.model_ = None
            else:
                self.model_ = self._new_model()
                self.model_.fit(features[keep], target[keep])
        self.is_fitted_ = True
        return self

    def _proba(self, item: Any, index: int) -> np.ndarray:
        """Per-pixel probabilities at full resolution, channels first: ``(n_labels, H, W)``."""
        features, shape, factor = self._features(item, index)
        fitted = getattr(self, "n_pixel_features_", features.shape[2])
        if features.shape[2] != fitted:
            scales = len(self.sigmas)
            channels = [(width - 3 * scales) // (1 + scales)
                        for width in (features.shape[2], fitted)]
            raise ValueError(f"items[{index}] has {channels[0]} channels but the model was "
                             f"fitted on images of {channels[1]} (gray, RGB and RGBA count as "
                             "3)")
        step = self.predict_factor
        grid = features[::step, ::step] if step > 1 else features
        n_labels = len(self.labels_)
        flat = grid.reshape(-1, grid.shape[2])
        proba = np.zeros((flat.shape[0], n_labels), dtype=np.float32)
        if self.model_ is None:
            proba[:, int(self.classes_[0])] = 1.0
        else:
            from sklearn import config_context

            classes = np.asarray(self.model_.classes_, dtype=np.int64)
            with config_context(assume_finite=True):  # features are finite by construction
                proba[:, classes] = self.model_.predict_proba(flat)
        # one contiguous plane per label: interpolation, argmax and max then run on planes
        planes = np.ascontiguousarray(proba.T).reshape(n_labels, grid.shape[0], grid.shape[1])
        return np.stack([upsample(plane, shape, factor * step) for plane in planes])

    def predict_proba(self, image: Any) -> np.ndarray:
        """Per-pixel label probabilities of one image, ``(H, W, len(labels_))`` float32.

        Examples
        --------
        >>> image = np.zeros((20, 20)); image[:, 10:] = 1
        >>> scribbles = np.full((20, 20), -1); scribbles[5, 2] = 0; scribbles[5, 17] = 1
        >>> PixelClassifier().fit(image, scribbles).predict_proba(image).shape
        (20, 20, 2)
        """
        self._check_fitted()
        with self._thread_limit():
            return np.moveaxis(self._proba(image, 0), 0, 2)

    @staticmethod
    def _best(proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per pixel, the most probable label and its probability (plane by plane: much
        faster than ``argmax(axis=0)`` on big images)."""
        labels = np.zeros(proba.shape[1:], dtype=np.int64)
        top = proba[0].copy()
        for k in range(1, proba.shape[0]):
            better = proba[k] > top
            labels[better] = k
            np.maximum(top, proba[k], out=top)
        return labels, top

    def _labels_uncertainty(self, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        labels, top = self._best(proba)
        k = proba.shape[0]
        uncertainty = (1.0 - top) / (1.0 - 1.0 / k) if k > 1 else np.zeros_like(top)
        return labels, np.clip(uncertainty, 0.0, 1.0).astype(np.float32)

    def _masks(self, proba: np.ndarray) -> list[dict[str, Any]]:
        from ..formats.rle import mask_to_rle

        labels = self._best(proba)[0]
        records = []
        for k, name in enumerate(self.labels_):
            if name == self.background:
                continue
            inside = labels == k
            if not inside.any():
                continue
            score = float(proba[k][inside].mean())
            records.append(model_record(name, score, mask=mask_to_rle(inside)))
        return records

    def predict(self, items: Any) -> Any:
        """``predict(image) -> (labels, uncertainty)``, or ``predict(images)`` -> mask records.

        Parameters
        ----------
        items : ndarray, path, or list of them
            One image, or a list of images.

        Returns
        -------
        (ndarray of int (H, W), ndarray of float (H, W)) for one image
            Each pixel's label index (into :attr:`labels_`) and its uncertainty in [0, 1]
            (``1 - max probability``, scaled so that an even split is 1).
        list of list of dict for a list of images
            Per image, one mask record per predicted label (see :meth:`predict_masks`).
        """
        self._check_fitted()
        if _is_single(items):
            with self._thread_limit():
                return self._labels_uncertainty(self._proba(items, 0))
        return self.suggest(items)[0]

    def predict_masks(self, image: Any) -> list[dict[str, Any]]:
        """Mask records of one image: one per predicted label (except ``background``).

        Each record's ``mask`` is COCO uncompressed RLE of the full image, ``score`` the mean
        probability of its label over its pixels.

        Examples
        --------
        >>> import numpy as np
        >>> image = np.zeros((40, 40)); image[:, 20:] = 1.0      # dark left, bright right
        >>> painted = [{"label": "dark", "mask": {"size": [40, 40], "counts": [0, 200, 1400]}},
        ...            {"label": "bright", "mask": {"size": [40, 40], "counts": [1400, 200]}}]
        >>> model = PixelClassifier(labels=["dark", "bright"], random_state=0)
        >>> masks = model.fit(image, painted).predict_masks(image)
        >>> sorted(m["label"] for m in masks)
        ['bright', 'dark']
        """
        self._check_fitted()
        with self._thread_limit():
            return self._masks(self._proba(image, 0))

    def _suggest_one(self, item: Any, index: int) -> tuple[list[dict[str, Any]], float]:
        proba = self._proba(item, index)
        step = max(1, int(np.sqrt(proba.shape[1] * proba.shape[2] / 250_000)))
        sample = proba[:, ::step, ::step].reshape(proba.shape[0], -1).T
        return self._masks(proba), unit_uncertainty(sample, 0.1)

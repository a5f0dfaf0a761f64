"""How far annotators agree: chance-corrected kappas for labels, matched F1 for everything drawn.

:func:`agreement` reads records with their item and annotator (a DataFrame, a list of dicts,
or a :class:`nbannotate.Store`) and returns DataFrames per pair of annotators and per label:

* whole-item labels: Cohen's kappa per pair (scikit-learn's), Fleiss' kappa and
  Krippendorff's alpha (nominal) over every annotator, per label and overall;
* spans: exact-match F1 and overlap F1;
* boxes, polygons and masks: F1 of an IoU >= 0.5 one-to-one matching (Hungarian) and the
  mean IoU of matched pairs; regions the same with time IoU;
* keypoints: COCO's object keypoint similarity (OKS), with documented sigmas.

The package itself is callable, so ``nbannotate.agreement(...)`` is :func:`agreement`
whether ``nbannotate.agreement`` was first reached as the function or as this package.

Examples
--------
>>> from nbannotate.agreement import agreement
>>> spans = [{"item": "d1", "annotator": "ana", "label": "PER", "start": 0, "end": 4},
...          {"item": "d1", "annotator": "bo", "label": "PER", "start": 0, "end": 5}]
>>> result = agreement(spans, kind="span")
>>> result.pairs[["exact_f1", "overlap_f1"]]
   exact_f1  overlap_f1
0       0.0         1.0
"""

import sys
from types import ModuleType
from typing import Any

from ._agreement import Agreement, agreement
from ._best import RESOLUTIONS, best_answers
from ._labels import cohen_kappa, fleiss_kappa, krippendorff_alpha
from ._similarity import COCO_PERSON_SIGMAS, DEFAULT_SIGMA, oks

__all__ = [
    "COCO_PERSON_SIGMAS",
    "DEFAULT_SIGMA",
    "RESOLUTIONS",
    "Agreement",
    "agreement",
    "best_answers",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "oks",
]


class _CallablePackage(ModuleType):
    """This package, callable as :func:`agreement`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Agreement:
        return agreement(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

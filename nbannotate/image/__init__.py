"""The image annotator: boxes, keypoints, polygons, brush masks (the Python side of ``js/image``).

Examples
--------
>>> from nbannotate.image import ImageAnnotator
>>> ImageAnnotator.__name__
'ImageAnnotator'
"""

from .annotator import ImageAnnotator

__all__ = ["ImageAnnotator"]

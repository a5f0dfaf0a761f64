"""The video annotator: keyframed box tracks and temporal segments (Python side of ``js/video``).

Examples
--------
>>> from nbannotate.video import VideoAnnotator
>>> VideoAnnotator.__name__
'VideoAnnotator'
"""

from .annotator import VideoAnnotator

__all__ = ["VideoAnnotator"]

"""The text annotator: entity spans over a document (the Python side of ``js/text``).

Examples
--------
>>> from nbannotate.text import TextAnnotator
>>> TextAnnotator.__name__
'TextAnnotator'
"""

from .annotator import TextAnnotator

__all__ = ["TextAnnotator"]

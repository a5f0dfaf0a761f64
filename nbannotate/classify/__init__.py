"""The class labeler: one key per label for a whole item (image, text, clip or table row).

Examples
--------
>>> from nbannotate.classify import ClassLabeler
>>> ClassLabeler.__name__
'ClassLabeler'
"""

from .labeler import ClassLabeler

__all__ = ["ClassLabeler"]

"""The labeling loop: ``label()`` and ``Session``, where widgets, learner and store meet.

Examples
--------
>>> from nbannotate.session import Session, label
>>> Session.__name__, label.__name__
('Session', 'label')
"""

from .session import Session, label

__all__ = ["Session", "label"]

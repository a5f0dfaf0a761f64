"""The labeling loop: ``label()`` and ``Session``, where widgets, learner and store meet.

Importing the package registers both kinds of session with :class:`Session` (whole-item
tasks: :mod:`._classify`; structured tasks: :mod:`._structured`).

Examples
--------
>>> from nbannotate.session import Session, label
>>> Session.__name__, label.__name__
('Session', 'label')
>>> sorted(kind.__name__ for kind in Session.kinds.values())
['ClassifySession', 'StructuredSession']
"""

from . import _classify, _structured  # noqa: F401  (each registers its kind of session)
from .session import Session, label

__all__ = ["Session", "label"]

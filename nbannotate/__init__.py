"""nbannotate: label images, text, audio and tables inside a notebook, with a live model.

Examples
--------
>>> import nbannotate
>>> nbannotate.__version__
'0.1.0'
"""

from ._version import __version__
from .image import ImageAnnotator
from .records import new_id, validate_record, validate_records

__all__ = [
    "ImageAnnotator",
    "__version__",
    "new_id",
    "validate_record",
    "validate_records",
]

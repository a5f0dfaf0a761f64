"""The audio annotator: waveform, playback, regions, transcripts (the Python side of ``js/audio``).

Examples
--------
>>> from nbannotate.audio import AudioAnnotator
>>> AudioAnnotator.__name__
'AudioAnnotator'
"""

from .annotator import AudioAnnotator

__all__ = ["AudioAnnotator"]

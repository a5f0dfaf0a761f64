"""Label Studio JSON tasks for images, text, audio and video.

Every converter writes one task per item, human records in the task's ``annotations`` and
model/auto records in its ``predictions``, and keeps what Label Studio has no field for
under ``nbannotate_*`` keys (in ``data`` or in results), which Label Studio ignores.

Examples
--------
>>> tasks = to_labelstudio_audio([{"audio": "a.wav", "duration": 1.0, "regions": []}])
>>> from_labelstudio_audio(tasks)[0]["duration"]
1.0
"""

from .audio import from_labelstudio_audio, to_labelstudio_audio
from .images import from_labelstudio_images, to_labelstudio_images
from .text import from_labelstudio_text, to_labelstudio_text
from .video import from_labelstudio_video, to_labelstudio_video

__all__ = [
    "from_labelstudio_audio",
    "from_labelstudio_images",
    "from_labelstudio_text",
    "from_labelstudio_video",
    "to_labelstudio_audio",
    "to_labelstudio_images",
    "to_labelstudio_text",
    "to_labelstudio_video",
]

"""Small generated data sets with known answers, for the models' tests, benchmarks and examples.

Nothing is downloaded: documents come from lexicons and sentence templates, audio from tones
in noise, images from shapes and markers on textured noise. Every generator takes a
``numpy.random.Generator`` (or a seed) so results repeat.

Examples
--------
>>> docs, spans = make_entity_documents(2, seed=0)
>>> all(doc[s["start"]:s["end"]] == s["text"] for doc, ss in zip(docs, spans) for s in ss)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "make_entity_documents",
    "make_keypoint_images",
    "make_shape_scenes",
    "make_texture_image",
    "make_tone_clips",
]

FIRST = ["Anna", "Boris", "Chen", "Dana", "Emil", "Fatima", "Gustav", "Hana", "Ivan", "Julia",
         "Kofi", "Lena", "Marek", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Samir", "Tara",
         "Ulla", "Viktor", "Wen", "Xavier", "Yusuf", "Zoe", "Amara", "Bjorn", "Carmen", "Dmitri"]
LAST = ["Schmidt", "Okafor", "Novak", "Tanaka", "Moreau", "Kowalski", "Haddad", "Lindqvist",
        "Romero", "Petrov", "Nguyen", "Fischer", "Costa", "Brennan", "Sato", "Mbeki", "Jansen",
        "Horvat", "Alvarez", "Kim", "Larsen", "Duarte", "Weber", "Ivanova", "Keller", "Ortiz"]
CITIES = ["Berlin", "Lagos", "Kyoto", "Lima", "Oslo", "Porto", "Quito", "Dakar", "Hanoi",
          "Zagreb", "Tunis", "Perth", "Bergen", "Leeds", "Graz", "Turku", "Cusco", "Accra",
          "New York", "São Paulo", "Buenos Aires", "Cape Town", "Köln", "Malmö", "Kraków",
          "Reykjavík", "Tel Aviv", "Las Vegas", "Hong Kong", "Rio de Janeiro"]
ORGS = ["Acme Corp", "Globex", "Initech", "Umbrella Labs", "Hooli", "Vandelay Industries",
        "Stark Systems", "Wayne Foods", "Cyberdyne", "Tyrell Group", "Soylent Co", "Aperture",
        "Massive Dynamic", "Oscorp", "Wonka Works", "Nakatomi Trading", "Gringotts Bank",
        "Monarch Solutions", "Pied Piper", "Blue Sun"]
TEMPLATES = [
    "Dr. {PER} said that the results were promising.",
    "{PER} works for {ORG} in {LOC}.",
    "Yesterday in {LOC}, {PER} met the team from {ORG} 🎉.",
    "The new office of {ORG} opens in {LOC} next month.",
    "According to {PER}, {ORG} will hire 200 engineers.",
    "Prof. {PER} moved to {LOC} in 2019.",
    "Shares of {ORG} rose 4% on Monday.",
    "{PER} and {PER} visited {LOC} last week 😀.",
    "Flights to {LOC} were cancelled because of the storm.",
    "Ms. {PER} joined {ORG} as chief scientist.",
    "The mayor of {LOC} thanked {ORG} for the donation.",
    "Reporters asked {PER} about the merger with {ORG}.",
]
FILLER = [
    "The weather was mild and the trains ran on time.",
    "Monday's meeting lasted three hours.",
    "Nobody expected the Final Report to be so short.",
    "Prices of Coffee and Tea went up again ☕.",
    "The committee will vote on Friday.",
    "It was the Best Year for the Museum.",
    "Most of the staff work from home on Tuesday.",
]


def _rng(seed: Any) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def make_entity_documents(n_docs: int, *, seed: Any = 0, sentences: tuple[int, int] = (3, 6),
                          holdout: bool | None = None) -> tuple[list[str], list[list[dict]]]:
    """Documents of template sentences with planted PER / LOC / ORG entities.

    Parameters
    ----------
    n_docs : int
    seed : int or numpy Generator
    sentences : (int, int)
        Each document has between these many sentences (inclusive).
    holdout : bool or None
        ``False`` draws names from one half of each lexicon (even positions), ``True`` from
        the other half (unseen names, to test generalisation from context), ``None`` from
        all.

    Returns
    -------
    (list of str, list of list of span records)

    Examples
    --------
    >>> docs, spans = make_entity_documents(1, seed=1)
    >>> sorted({s["label"] for s in spans[0]}) <= ["LOC", "ORG", "PER"]
    True
    """
    rng = _rng(seed)

    def pick(values: list[str]) -> str:
        pool = values if holdout is None else values[int(holdout)::2]
        return pool[int(rng.integers(len(pool)))]

    docs, annotations = [], []
    for _ in range(n_docs):
        text, spans = "", []
        for _ in range(int(rng.integers(sentences[0], sentences[1] + 1))):
            template = (FILLER[int(rng.integers(len(FILLER)))] if rng.random() < 0.25
                        else TEMPLATES[int(rng.integers(len(TEMPLATES)))])
            if text:
                text += " "
            pos = 0
            while True:
                open_ = template.find("{", pos)
                if open_ < 0:
                    text += template[pos:]
                    break
                close = template.index("}", open_)
                text += template[pos:open_]
                label = template[open_ + 1:close]
                value = (f"{pick(FIRST)} {pick(LAST)}" if label == "PER" and rng.random() < 0.7
                         else pick(LAST) if label == "PER"
                         else pick(CITIES) if label == "LOC" else pick(ORGS))
                spans.append({"start": len(text), "end": len(text) + len(value),
                              "label": label, "text": value})
                text += value
                pos = close + 1
        docs.append(text)
        annotations.append(spans)
    return docs, annotations


def make_tone_clips(n_clips: int, *, seed: Any = 0, duration: float = 10.0,
                    sample_rate: int = 16000, events: tuple[int, int] = (2, 5),
                    snr_db: float = 0.0) -> tuple[list[tuple[np.ndarray, int]], list[list[dict]]]:
    """Clips of noise with planted events: "beep" (a 1 kHz tone) and "chirp" (a rising sweep).

    Events last 0.3–1.2 s, do not overlap, and are placed at random times; the background is
    pink-ish noise whose level changes slowly. ``snr_db`` is the event-to-noise power ratio.

    Examples
    --------
    >>> clips, regions = make_tone_clips(1, duration=3.0, events=(1, 1), seed=0)
    >>> clips[0][0].shape, regions[0][0]["label"] in ("beep", "chirp")
    ((48000,), True)
    """
    rng = _rng(seed)
    n = int(duration * sample_rate)
    t = np.arange(n) / sample_rate
    clips, annotations = [], []
    for _ in range(n_clips):
        white = rng.standard_normal(n)
        spectrum = np.fft.rfft(white)
        freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
        spectrum /= np.sqrt(np.maximum(freqs, 50.0) / 50.0)
        noise = np.fft.irfft(spectrum, n)
        noise *= 1.0 + 0.5 * np.sin(2 * np.pi * t / duration * rng.uniform(0.5, 2.0))
        noise /= noise.std()
        signal = np.zeros(n)
        regions: list[dict] = []
        count = int(rng.integers(events[0], events[1] + 1))
        for _ in range(50 * count):
            if len(regions) == count:
                break
            length = rng.uniform(0.3, 1.2)
            start = rng.uniform(0.1, duration - length - 0.1)
            if any(start < r["end"] + 0.2 and start + length > r["start"] - 0.2
                   for r in regions):
                continue
            label = "beep" if rng.random() < 0.5 else "chirp"
            a, b = int(start * sample_rate), int((start + length) * sample_rate)
            local = np.arange(b - a) / sample_rate
            if label == "beep":
                wave = np.sin(2 * np.pi * 1000.0 * local)
            else:
                f0, f1 = 600.0, 3000.0
                wave = np.sin(2 * np.pi * (f0 * local + (f1 - f0) * local ** 2 / (2 * length)))
            ramp = np.minimum(1.0, np.minimum(local, local[-1] - local) / 0.01)
            signal[a:b] += wave * ramp * np.sqrt(2.0)
            regions.append({"start": round(a / sample_rate, 6), "end": round(b / sample_rate, 6),
                            "label": label})
        gain = 10 ** (snr_db / 20.0)
        mix = (gain * signal + noise) * 0.05
        clips.append((mix.astype(np.float32), sample_rate))
        annotations.append(sorted(regions, key=lambda r: r["start"]))
    return clips, annotations


def _textured_noise(rng: np.random.Generator, height: int, width: int,
                    level: float = 0.35, spread: float = 0.12) -> np.ndarray:
    from scipy import ndimage

    noise = rng.standard_normal((height, width))
    blobs = ndimage.gaussian_filter(rng.standard_normal((height, width)), 6.0)
    blobs /= blobs.std() + 1e-9
    return level + spread * (0.6 * noise + 0.8 * blobs)


def make_shape_scenes(n_images: int, *, seed: Any = 0, size: tuple[int, int] = (240, 320),
                      objects: tuple[int, int] = (1, 4), sizes: tuple[int, int] = (24, 56),
                      labels: tuple[str, ...] = ("square", "disc"),
                      brightness: tuple[float, float] = (0.35, 0.5),
                      ) -> tuple[list[np.ndarray], list[list[dict]]]:
    """Gray-on-noise scenes of bright squares and discs at known places.

    Parameters
    ----------
    n_images : int
    size : (height, width)
    objects : (int, int)
        Objects per image (inclusive range); they do not overlap.
    sizes : (int, int)
        Object side / diameter in pixels (inclusive range).
    labels : tuple of str
        Which shapes to draw: any of ``"square"``, ``"disc"``.
    brightness : (float, float)
        Range of the objects' brightness above the background (the noise spread is 0.12).

    Returns
    -------
    (list of uint8 H×W×3 arrays, list of list of box records)

    Examples
    --------
    >>> images, boxes = make_shape_scenes(1, seed=0)
    >>> images[0].shape, images[0].dtype.name
    ((240, 320, 3), 'uint8')
    """
    rng = _rng(seed)
    height, width = size
    yy, xx = np.mgrid[0:height, 0:width]
    images, annotations = [], []
    for _ in range(n_images):
        gray = _textured_noise(rng, height, width)
        boxes: list[dict] = []
        count = int(rng.integers(objects[0], objects[1] + 1))
        for _ in range(100 * count):
            if len(boxes) == count:
                break
            side = int(rng.integers(sizes[0], sizes[1] + 1))
            x, y = int(rng.integers(0, width - side)), int(rng.integers(0, height - side))
            if any(x < b["x"] + b["w"] + 4 and x + side + 4 > b["x"]
                   and y < b["y"] + b["h"] + 4 and y + side + 4 > b["y"] for b in boxes):
                continue
            label = labels[int(rng.integers(len(labels)))]
            lift = rng.uniform(*brightness)
            if label == "square":
                inside = (xx >= x) & (xx < x + side) & (yy >= y) & (yy < y + side)
            else:
                r = side / 2.0
                inside = (xx + 0.5 - x - r) ** 2 + (yy + 0.5 - y - r) ** 2 <= r * r
            gray = np.where(inside, gray + lift, gray)
            boxes.append({"x": float(x), "y": float(y), "w": float(side), "h": float(side),
                          "label": label})
        rgb = np.repeat(np.clip(gray, 0, 1)[:, :, None], 3, axis=2)
        rgb[:, :, 2] *= 0.9
        images.append(np.round(rgb * 255).astype(np.uint8))
        annotations.append(boxes)
    return images, annotations


def _marker(kind: str, radius: int) -> np.ndarray:
    yy, xx = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    if kind == "cross":
        return ((np.abs(xx) <= 1) | (np.abs(yy) <= 1)).astype(float)
    if kind == "ring":
        d = np.hypot(xx, yy)
        return ((d >= radius - 2.5) & (d <= radius - 0.5)).astype(float)
    raise ValueError(kind)


def make_keypoint_images(n_images: int, *, seed: Any = 0, size: tuple[int, int] = (160, 200),
                         radius: int = 6, with_boxes: bool = False,
                         ) -> tuple[list[np.ndarray], list[list[dict]]]:
    """Images with one "cross" and one "ring" marker each, on textured noise, plus distractors.

    The keypoint is the marker's centre pixel, recorded at its centre (``x = col + 0.5``).
    With ``with_boxes``, an "object" box around both markers is added to each image and the
    keypoints carry its ``box_id``.

    Examples
    --------
    >>> images, records = make_keypoint_images(1, seed=0)
    >>> sorted(r["label"] for r in records[0])
    ['cross', 'ring']
    """
    rng = _rng(seed)
    height, width = size
    images, annotations = [], []
    for number in range(n_images):
        gray = _textured_noise(rng, height, width, level=0.4, spread=0.08)
        records: list[dict] = []
        margin = radius + 4
        centres: list[tuple[int, int]] = []
        for kind in ("cross", "ring", "bar", "bar"):
            for _ in range(200):
                cy = int(rng.integers(margin, height - margin))
                cx = int(rng.integers(margin, width - margin))
                if all(abs(cy - a) + abs(cx - b) > 4 * radius for a, b in centres):
                    break
            centres.append((cy, cx))
            if kind == "bar":  # a distractor: a bright bar, not a keypoint
                patch = np.zeros((2 * radius + 1, 2 * radius + 1))
                patch[radius - 1:radius + 2, :] = 1.0
            else:
                patch = _marker(kind, radius)
            gray[cy - radius:cy + radius + 1, cx - radius:cx + radius + 1] += 0.45 * patch
            if kind != "bar":
                records.append({"x": cx + 0.5, "y": cy + 0.5, "label": kind, "visible": 2})
        if with_boxes:
            xs = [r["x"] for r in records]
            ys = [r["y"] for r in records]
            box = {"id": f"b{number}", "x": max(0.0, min(xs) - 20), "y": max(0.0, min(ys) - 20),
                   "label": "object"}
            box["w"] = min(float(width), max(xs) + 20) - box["x"]
            box["h"] = min(float(height), max(ys) + 20) - box["y"]
            for record in records:
                record["box_id"] = box["id"]
            records.insert(0, box)
        images.append(np.round(np.clip(gray, 0, 1) * 255).astype(np.uint8))
        annotations.append(records)
    return images, annotations


def make_texture_image(*, seed: Any = 0, size: tuple[int, int] = (192, 256),
                       contrast: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """A colour image of three regions with different texture and colour, and its truth.

    Region 0 is the background (fine noise), region 1 a disc (stripes), region 2 a rectangle
    (coarse blobs, a different hue). ``contrast`` scales the colour and texture differences
    (lower is harder). Returns ``(uint8 H×W×3 image, int H×W labels)``.

    Examples
    --------
    >>> image, truth = make_texture_image(seed=0)
    >>> image.shape, sorted(np.unique(truth).tolist())
    ((192, 256, 3), [0, 1, 2])
    """
    from scipy import ndimage

    rng = _rng(seed)
    height, width = size
    yy, xx = np.mgrid[0:height, 0:width].astype(float)
    truth = np.zeros((height, width), dtype=np.int64)
    cy, cx, r = height * rng.uniform(0.35, 0.6), width * rng.uniform(0.25, 0.4), height * 0.28
    truth[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = 1
    x0, y0 = int(width * rng.uniform(0.55, 0.65)), int(height * rng.uniform(0.15, 0.3))
    truth[y0:y0 + int(height * 0.5), x0:x0 + int(width * 0.3)] = 2
    scale = min(height, width) / 192.0
    fine = rng.standard_normal((height, width)) * 0.12
    angle = rng.uniform(0, np.pi)
    period = 7.0 * scale
    stripes = 0.15 * np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
    blobs = ndimage.gaussian_filter(rng.standard_normal((height, width)), 3.0 * scale)
    blobs = 0.2 * blobs / (blobs.std() + 1e-9)
    grey = np.array([0.45, 0.45, 0.45])
    base = grey + contrast * (np.array([[0.45, 0.45, 0.45], [0.5, 0.42, 0.4],
                                        [0.42, 0.5, 0.45]]) - grey)
    texture = np.where(truth == 1, stripes, np.where(truth == 2, blobs, fine))
    texture = fine + contrast * (texture - fine)
    image = base[truth] + texture[..., None]
    image += rng.standard_normal((height, width, 3)) * 0.04
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8), truth

"""Frames on demand from a long 1080p H.264 video: first frame, random seeks, decoding, memory.

The video is generated here with PyAV: ``--minutes`` (10) of ``--size`` (1920x1080) at
``--fps`` (25), H.264 (libx264, preset ultrafast, a keyframe every ``--gop`` frames, 50 =
2 s by default): a gradient, a scrolling band of noise texture over a quarter of the frame, a
moving square, and the frame number drawn in binary along the top so every read is checked.
Frames are built directly as YUV 4:2:0 planes to keep the generation within a few minutes.
Then, with :func:`nbannotate.media.video.open_video`:

- ``open``: opening the file (the packet scan that builds the frame index), ms;
- ``first frame``: ``open_video`` + ``frame(0)``, ms (the kernel's share of "first frame on
  screen");
- ``random seek``: ``frame(k)`` for ``--seeks`` (200) random k over the whole video,
  p50 / p95 / max, ms (target p95 <= 100 ms); every frame's drawn number is checked;
- ``sequential``: frames per second of 500 frames read as ``frames(k, k + 50)`` runs, and of
  300 ``frame(k)`` in a loop;
- ``memory``: the cache's bytes and the process's resident-memory growth (target <= 300 MB
  with the default 192 MiB cache): after the ``frame(k)`` reads, after the ``frames()`` runs
  (their 50-frame lists are freed, but the C allocator may keep the pages), and after
  ``malloc_trim`` returns those pages.

Run: ``python benchmarks/video_frames.py [--minutes 10] [--size 1920x1080] [--fps 25]
[--gop 50] [--seeks 200] [--keep PATH]``; ``--quick`` is one minute at 1280x720.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import random
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate.media.video import open_video

BITS = 16


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def block_size(width: int) -> int:
    return max(8, width // (2 * BITS)) // 2 * 2


def yuv_frame(k: int, background: np.ndarray, texture: np.ndarray, width: int,
              height: int) -> np.ndarray:
    """Frame ``k`` as a yuv420p array ``(height * 3 // 2, width)``: the background, a band of
    noise texture scrolling 4 pixels a frame (so every frame carries real detail to code), a
    moving square, and ``k`` in binary as black and white blocks along the top."""
    frame = background.copy()
    band = texture.shape[0]
    frame[height - band:height] = np.roll(texture, 4 * k, axis=1)
    side = height // 6
    x0 = (k * 7) % (width - side)
    y0 = height // 3
    frame[y0:y0 + side, x0:x0 + side] = 220
    block = block_size(width)
    for bit in range(BITS):
        frame[0:block, bit * 2 * block:(bit * 2 + 1) * block] = 235 if (k >> bit) & 1 else 16
    return frame


def read_number(rgb: np.ndarray) -> int:
    block = block_size(rgb.shape[1])
    value = 0
    for bit in range(BITS):
        patch = rgb[block // 4:block - block // 4,
                    bit * 2 * block + block // 4:(bit * 2 + 1) * block - block // 4]
        if patch.mean() > 127:
            value |= 1 << bit
    return value


def generate(path: Path, frames: int, width: int, height: int, fps: int, gop: int) -> float:
    import av

    start = time.perf_counter()
    xx = np.arange(width)[None, :]
    background = np.empty((height * 3 // 2, width), dtype=np.uint8)
    background[:height] = 40 + (xx * 80 // width)
    background[height:] = 128
    texture = np.random.default_rng(0).integers(16, 236, (height // 4, width), dtype=np.uint8)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps),
                                      options={"preset": "ultrafast", "tune": "zerolatency"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.gop_size = gop
        stream.codec_context.options = {"preset": "ultrafast", "keyint_min": str(gop),
                                        "sc_threshold": "0"}
        for k in range(frames):
            image = av.VideoFrame.from_ndarray(yuv_frame(k, background, texture, width, height),
                                               format="yuv420p")
            image.pts = k
            for packet in stream.encode(image):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--gop", type=int, default=50)
    parser.add_argument("--seeks", type=int, default=200)
    parser.add_argument("--keep", type=Path, default=None,
                        help="write (or reuse, when it exists) the video at this path")
    parser.add_argument("--quick", action="store_true", help="1 minute of 1280x720")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.size = 1.0, "1280x720"
    width, height = (int(v) for v in args.size.lower().split("x"))
    frames = round(args.minutes * 60 * args.fps)
    folder = Path(tempfile.mkdtemp())
    path = args.keep or folder / "long.mp4"
    if not path.exists():
        took = generate(path, frames, width, height, args.fps, args.gop)
        print(f"generated {frames} frames {width}x{height} @ {args.fps} fps, keyframe every "
              f"{args.gop}: {path.stat().st_size / 2**20:.1f} MiB in {took:.1f} s")

    import av  # noqa: F401  (the FFmpeg libraries are loaded before memory is measured)

    rss_before = rss_bytes()
    start = time.perf_counter()
    video = open_video(path)
    opened = time.perf_counter() - start
    first = video.frame(0)
    first_frame = time.perf_counter() - start
    assert read_number(first) == 0 and video.num_frames == frames, video

    rng = random.Random(0)
    seeks = []
    wrong = 0
    for k in (rng.randrange(video.num_frames) for _ in range(args.seeks)):
        start = time.perf_counter()
        got = video.frame(k)
        seeks.append(time.perf_counter() - start)
        wrong += read_number(got) != (k & (2**BITS - 1))

    k1 = 2 * video.num_frames // 3
    start = time.perf_counter()
    for k in range(k1, min(k1 + 300, video.num_frames)):
        video.frame(k)
    one_by_one = 300 / (time.perf_counter() - start)
    rss_frames = rss_bytes()  # after frame(k) reads only: the cache and the decoder

    k0 = video.num_frames // 3
    count = min(500, video.num_frames - k0)
    start = time.perf_counter()
    for first_k in range(k0, k0 + count, 50):  # in runs of 50, as a player prefetches
        run = video.frames(first_k, min(first_k + 50, k0 + count))
        wrong += sum(read_number(f) != first_k + i for i, f in enumerate(run))
    del run
    sequential = count / (time.perf_counter() - start)
    rss_after = rss_bytes()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)  # give the freed 50-frame lists back to the system
    rss_trimmed = rss_bytes()

    ms = 1000.0
    print(f"\n{path.name}: {video.num_frames} frames {video.width}x{video.height}, "
          f"{video.fps:g} fps, {video.duration / 60:.1f} min")
    print(f"{'open (frame index)':32s} {opened * ms:9.1f} ms")
    print(f"{'first frame (open + frame(0))':32s} {first_frame * ms:9.1f} ms")
    print(f"{'random seek p50':32s} {percentile(seeks, 50) * ms:9.1f} ms")
    print(f"{'random seek p95':32s} {percentile(seeks, 95) * ms:9.1f} ms   (target <= 100)")
    print(f"{'random seek max':32s} {max(seeks) * ms:9.1f} ms")
    print(f"{'sequential frames(), runs of 50':32s} {sequential:9.1f} frames/s")
    print(f"{'sequential frame(k) loop':32s} {one_by_one:9.1f} frames/s")
    print(f"{'cache bytes':32s} {video.cached_bytes / 2**20:9.1f} MiB "
          f"(bound {256:d} MiB)")
    growth = {"after frame(k) reads": rss_frames, "after frames() runs too": rss_after,
              "... after malloc_trim": rss_trimmed}
    for what, rss in growth.items():
        print(f"{'RSS growth ' + what:32s} {(rss - rss_before) / 2**20:9.1f} MiB"
              "   (target <= 300)")
    print(f"{'frames with a wrong number':32s} {wrong:9d}")
    print(f"{'bad frames':32s} {len(video.bad_frames()):9d}")
    print(f"{'load average (1 min) at the end':32s} {os.getloadavg()[0]:9.2f}   "
          f"({os.cpu_count()} CPUs)")
    video.close()


if __name__ == "__main__":
    main()

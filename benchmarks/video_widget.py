"""VideoAnnotator in JupyterLab + headless Chromium: first frame, playback, edit bytes, drawing.

The clip is encoded here with PyAV (moving shapes, nothing downloaded; by default a 720p H.264
clip of 20 s at 30 fps, ``tests/media/video_fixtures.make_video``). Figures:

* first frame on screen, from starting the cell ``w = VideoAnnotator(path, ...); w`` (opening
  the file, encoding the poster frame, the widget's JavaScript and the first draw);
* kernel: time to decode + encode a random frame for the browser (JPEG), p50/p95;
* playback at the native rate for a few seconds: frames shown and frames dropped (due frames
  that never reached the screen), and how many animation frames found the due frame's image
  not arrived yet (the other drops come from the screen refreshing slower than the video);
* seeking: a click on the timeline at a random frame, until that frame is on screen;
* bytes sent by the page for one track edit (``O``: outside from this frame, one keyframe), with
  10, 100 and 1,000 tracks on the video (flat: one record per edit);
* drawing one frame with 200 interpolated tracks on screen (main-thread ms per draw, measured
  around the draw call while playing).

Run: ``python benchmarks/video_widget.py [--quick] [--seconds N] [--size 1280x720]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNT_BYTES = """
(() => {
  const Native = window.WebSocket;
  const size = (d) => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
  window.__nba = {received: 0, sent: 0};
  class Counting extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => { window.__nba.received += size(e.data); });
    }
    send(data) { window.__nba.sent += size(data); return super.send(data); }
  }
  window.WebSocket = Counting;
})();
"""

ROOT_JS = "[...document.querySelectorAll('.nba-video')].at(-1)"


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):.1f}, p95 {p95:.1f} (n={len(ordered)})"


def make_clip(folder: Path, seconds: float, size: tuple[int, int], fps: int) -> Path:
    from tests.media.video_fixtures import make_video

    path = folder / f"clip_{size[0]}x{size[1]}.mp4"
    make_video(path, frames=int(seconds * fps), size=size, fps=fps)
    return path


def kernel_part(path: Path, rows: list[tuple[str, str]], quick: bool) -> None:
    from nbannotate import VideoAnnotator

    started = time.perf_counter()
    w = VideoAnnotator(str(path), ["car"])
    rows.append(("kernel: open the file + poster frame (ms)",
                 f"{(time.perf_counter() - started) * 1000:.0f}"))
    rng = np.random.default_rng(0)
    times = []
    for k in rng.integers(0, w.num_frames, size=10 if quick else 40):
        started = time.perf_counter()
        w._encoded(int(k))
        times.append((time.perf_counter() - started) * 1000)
    rows.append(("kernel: decode + JPEG-encode a random frame (ms)", percentiles(times)))
    picks = range(0, w.num_frames, max(1, w.num_frames // 10))
    full = [len(w._encoded(int(k))[0]) for k in picks]
    half = [len(w._encoded(int(k), w.width // 2)[0]) for k in picks]
    rows.append(("kernel: bytes per frame sent (JPEG q85, mean): whole / shrunk by 2 (a view "
                 "half as wide, as in these runs)",
                 f"{statistics.mean(full) / 1e3:.0f} / {statistics.mean(half) / 1e3:.0f} KB"))


def tracks_json(n: int, num_frames: int, width: int, height: int) -> str:
    """``n`` tracks: track 0 a big box at a known place, the others small and elsewhere, each
    with keyframes on the first and last frame (so every frame between is interpolated)."""
    return (f"[{{'id': f't{{i}}', 'label': 'car', 'keyframes': ["
            f"{{'frame': 0, 'x': 10.0 if i == 0 else 200 + (i * 37) % {width - 260}, "
            f"'y': 10.0 if i == 0 else 200 + (i * 53) % {height - 260}, "
            f"'w': 120.0 if i == 0 else 20.0, 'h': 120.0 if i == 0 else 20.0}}, "
            f"{{'frame': {num_frames - 1}, 'x': 10.0 if i == 0 else 210 + (i * 41) % "
            f"{width - 260}, 'y': 10.0 if i == 0 else 210 + (i * 59) % {height - 260}, "
            f"'w': 120.0 if i == 0 else 20.0, 'h': 120.0 if i == 0 else 20.0}}]}} "
            f"for i in range({n})]")


def browser_part(path: Path, rows: list[tuple[str, str]], quick: bool) -> None:
    from _lab import open_lab

    with open_lab() as lab:
        nb = lab.notebook("bench.ipynb", init_script=COUNT_BYTES)
        page = nb.page
        nb.run("from nbannotate import VideoAnnotator\nimport nbannotate.video.annotator")
        page.evaluate("() => { window.__t0 = performance.now(); }")
        nb.run_async(f"w = VideoAnnotator({str(path)!r}, ['car', 'person'])\nw")
        shown = page.wait_for_function(
            f"() => {{ const r = {ROOT_JS}; return r && r.dataset.firstImage"
            " && Number(r.dataset.firstImage); }", timeout=60_000).json_value()
        rows.append(("browser: first frame on screen after the cell starts (ms)",
                     f"{shown - page.evaluate('() => window.__t0'):.0f}"))
        page.wait_for_timeout(1500)
        canvas = page.locator(".nba-video-canvas").last
        box = canvas.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10)

        # Playback at the native rate.
        seconds = 3 if quick else 8
        page.keyboard.press(" ")
        page.wait_for_timeout(seconds * 1000)
        played = page.evaluate(f"() => {{ const d = {ROOT_JS}.dataset; return ["
                               "Number(d.played || 0), Number(d.dropped || 0),"
                               " Number(d.late || 0)]; }")
        page.keyboard.press(" ")
        fps = nb.kernel_json("w.fps")
        rows.append((f"browser: playback {seconds} s at native rate ({fps:g} fps): frames "
                     "shown / dropped", f"{played[0]} / {played[1]}"))
        rows.append(("browser: of the drops, animation frames whose due image had not "
                     "arrived (the rest: the screen refreshed slower than the video)",
                     f"{played[2]}"))

        # Seek: a click on the timeline's axis at a random frame, until that frame is on screen.
        bar = page.locator(".nba-video-timeline").last
        bar.scroll_into_view_if_needed()
        area = bar.bounding_box()
        root = page.locator(".nba-video").last
        rng = np.random.default_rng(3)
        seeks = []
        for _ in range(10 if quick else 30):
            start = float(root.get_attribute("data-timeline-start"))
            fpp = float(root.get_attribute("data-timeline-fpp"))
            x = float(rng.uniform(5, area["width"] - 5))
            frame = int(start + x * fpp)
            before = page.evaluate("() => performance.now()")
            page.mouse.click(area["x"] + x, area["y"] + 8)
            shown = page.wait_for_function(
                f"(f) => {{ const d = {ROOT_JS}.dataset; return d.shownFrame === String(f)"
                " && d.frame === String(f) && performance.now(); }", arg=frame,
                timeout=20_000).json_value()
            seeks.append(shown - before)
        rows.append(("browser: seek (click on the timeline) -> that frame on screen (ms)",
                     percentiles(seeks)))
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10)

        # Bytes per track edit with 10, 100, 1000 tracks.
        count, width, height = nb.kernel_json("[w.num_frames, w.width, w.height]")
        for n in (10, 100, 1000):
            nb.kernel_exec(f"w.frame = 5\nw.tracks = {tracks_json(n, count, width, height)}")
            page.wait_for_timeout(400)
            root = page.locator(".nba-video").last
            s = float(root.get_attribute("data-view-scale"))
            ox = float(root.get_attribute("data-view-x"))
            oy = float(root.get_attribute("data-view-y"))
            box = canvas.bounding_box()
            page.mouse.click(box["x"] + (60 - ox) * s, box["y"] + (60 - oy) * s)
            page.wait_for_function(f"() => {ROOT_JS}.dataset.selected === 't0'")
            before = page.evaluate("() => window.__nba.sent")
            page.keyboard.press("o")
            nb.wait_kernel("len(w.tracks[0]['keyframes']) > 2")
            sent = page.evaluate("() => window.__nba.sent") - before
            rows.append((f"browser: bytes sent for one track edit, {n} tracks", f"{sent} B"))

        # Drawing with 200 interpolated tracks on screen, while playing.
        nb.kernel_exec(f"w.frame = 0\nw.tracks = {tracks_json(200, count, width, height)}")
        page.wait_for_timeout(400)
        page.keyboard.press(" ")
        draws = []
        for _ in range(30 if quick else 80):
            page.wait_for_timeout(50)
            draws.append(float(page.evaluate(f"() => {ROOT_JS}.dataset.drawMs")))
        page.keyboard.press(" ")
        rows.append(("browser: one frame drawn with 200 tracks (main-thread ms)",
                     percentiles(draws)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a shorter clip, fewer runs")
    parser.add_argument("--seconds", type=float, default=None, help="clip length (default 20)")
    parser.add_argument("--size", default="1280x720", help="frame size WxH (default 1280x720)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    seconds = args.seconds or (10.0 if args.quick else 20.0)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = make_clip(Path(tmp), seconds, size, 30)  # type: ignore[arg-type]
        rows.append((f"encode the {size[0]}x{size[1]} clip, {seconds:g} s (not the widget)",
                     f"{time.perf_counter() - started:.1f} s"))
        kernel_part(path, rows, args.quick)
        browser_part(path, rows, args.quick)
    from _lab import table

    table("VideoAnnotator", ["measure", "value"], [list(r) for r in rows])


if __name__ == "__main__":
    main()

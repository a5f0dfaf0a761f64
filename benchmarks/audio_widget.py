"""AudioAnnotator on a long recording: kernel costs, then the widget in JupyterLab + Chromium.

The recording is generated in numpy (tones, chirps, noise bursts; nothing downloaded): by
default 2 hours of mono 16 kHz int16 (115.2 M samples, 230 MB).

Kernel (in this process):
* construction time (validation, peak pyramid, overview) and memory: the peak of numpy
  allocations traced while building the widget and answering requests, next to the samples;
* time to answer peak requests at random windows and zooms, playback chunks, spectrograms.

Browser (a real JupyterLab and headless Chromium, as in the e2e tests):
* first waveform drawn after the cell that builds and displays the widget starts;
* bytes received by the page over its websockets from that cell to 2 s after the first draw;
* zoom (wheel) and scroll answered: from the wheel event to the new peaks drawn;
* playback start at random places: seek on the time axis, press Space, until the playhead
  (read from ``AudioContext.currentTime``) moves; and seeking while playing;
* kernel resident memory growth over the samples' size.

Run: ``python benchmarks/audio_widget.py [--quick] [--minutes N] [--no-browser]``
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATE = 16000


def generate(minutes: float, rate: int = 16000, seed: int = 0) -> np.ndarray:
    """Mono int16 audio: a one-minute pattern (tones, a chirp, noise bursts) repeated with a
    slowly changing gain, plus fresh noise per minute offset."""
    n = int(minutes * 60 * rate)
    minute = 60 * rate
    t = np.arange(minute, dtype=np.float32) / rate
    chirp = np.sin(2 * np.pi * (300 + 150 * (t % 5)) * t)
    pattern = (0.3 * np.sin(2 * np.pi * 440 * t) * (t % 10 < 4)
               + 0.25 * chirp * ((t % 10 >= 5) & (t % 10 < 8)))
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(minute).astype(np.float32) * 0.03
    noise[(t % 20 > 17)] *= 8
    base = ((pattern + noise) * 20000).astype(np.int16)
    out = np.empty(n, dtype=np.int16)
    for i, begin in enumerate(range(0, n, minute)):
        size = min(minute, n - begin)
        gain = 0.4 + 0.6 * abs(np.sin(i / 17))
        shift = (i * 7919) % minute
        block = np.roll(base, shift)[:size]
        np.multiply(block, gain, out=out[begin:begin + size], casting="unsafe")
    return out


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.2f}  p95 {p95:7.2f}  max {ordered[-1]:7.2f}"


def kernel_part(audio: np.ndarray, rows: list[tuple[str, str]], quick: bool) -> None:
    from nbannotate import AudioAnnotator

    tracemalloc.start()
    started = time.perf_counter()
    w = AudioAnnotator(audio, sample_rate=RATE, labels=["speech", "bird", "noise"])
    built = time.perf_counter() - started
    sent: list[str] = []  # reply types only: keeping the buffers would count as widget memory
    w.send = lambda content, buffers=None: sent.append(content["type"])  # type: ignore[method-assign]
    rng = np.random.default_rng(1)
    n = w.num_samples
    peaks_ms, chunk_ms, spectro_ms = [], [], []
    for _ in range(50 if quick else 300):
        seconds = float(np.exp(rng.uniform(np.log(0.05), np.log(w.duration))))
        span = int(seconds * RATE)
        start = int(rng.integers(0, max(1, n - span)))
        t0 = time.perf_counter()
        w._handle_custom_message({"type": "peaks", "id": 1, "start": start,
                                  "end": start + span, "columns": 3000}, [])
        peaks_ms.append((time.perf_counter() - t0) * 1000)
    count = -(-n // w.chunk_samples)
    for _ in range(20 if quick else 100):
        t0 = time.perf_counter()
        w._handle_custom_message({"type": "chunk", "id": 2,
                                  "index": int(rng.integers(0, count))}, [])
        chunk_ms.append((time.perf_counter() - t0) * 1000)
    for _ in range(10 if quick else 40):
        seconds = float(np.exp(rng.uniform(np.log(1), np.log(w.duration))))
        span = int(seconds * RATE)
        start = int(rng.integers(0, max(1, n - span)))
        t0 = time.perf_counter()
        w._handle_custom_message({"type": "spectrogram", "id": 3, "start": start,
                                  "end": start + span, "columns": 1000}, [])
        spectro_ms.append((time.perf_counter() - t0) * 1000)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "request-error" not in sent
    samples = audio.nbytes
    rows += [
        ("recording", f"{w.duration / 3600:.2f} h mono {RATE} Hz int16, {n / 1e6:.1f} M samples, "
                      f"{samples / 1e6:.0f} MB"),
        ("kernel: build widget (pyramid + overview)", f"{built * 1000:.0f} ms"),
        ("kernel: pyramid size", f"{w._pyramid.nbytes / 1e6:.2f} MB "
                                 f"({w._pyramid.nbytes / samples:.1%} of the samples)"),
        ("kernel: memory held beyond the samples", f"{current / 1e6:.1f} MB"),
        ("kernel: peak traced allocation (build + requests)",
         f"{peak / 1e6:.1f} MB -> samples + peak = {(samples + peak) / samples:.2f}x samples"),
        ("kernel: peaks, 3000 columns, random window (ms)", percentiles(peaks_ms)),
        ("kernel: playback chunk 4 s (ms)", percentiles(chunk_ms)),
        ("kernel: spectrogram 1000 columns (ms)", percentiles(spectro_ms)),
        ("state sent at display", f"{len(w.overview) / 1e3:.0f} KB overview peaks "
                                  f"(+ {len(w._esm) / 1e3:.0f} KB JS module)"),
    ]


COUNT_BYTES = """
(() => {
  const Native = window.WebSocket;
  const size = (d) => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
  window.__nba = {received: 0, sent: 0, space: 0, pointerup: 0};
  class Counting extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => { window.__nba.received += size(e.data); });
    }
    send(data) { window.__nba.sent += size(data); return super.send(data); }
  }
  window.WebSocket = Counting;
  window.addEventListener('keydown', (e) => {
    if (e.key === ' ') window.__nba.space = performance.now(); }, true);
  window.addEventListener('pointerup', () => { window.__nba.pointerup = performance.now(); },
                          true);
})();
"""

WHEEL = """
async ({dx, dy, fx}) => {
  const root = document.querySelector('.nba-audio');
  const stage = root.querySelector('.nba-audio-overlay');
  const r = stage.getBoundingClientRect();
  const before = Number(root.dataset.peaksReplies || 0);
  const t0 = performance.now();
  stage.dispatchEvent(new WheelEvent('wheel', {deltaX: dx, deltaY: dy,
      clientX: r.left + fx * r.width, clientY: r.top + r.height / 2, bubbles: true,
      cancelable: true}));
  while (Number(root.dataset.peaksReplies || 0) === before) {
    await new Promise((done) => requestAnimationFrame(done));
    if (performance.now() - t0 > 10000) return -1;
  }
  await new Promise((done) => requestAnimationFrame(done));  // the frame that draws them
  return performance.now() - t0;
}
"""


ECHO = '''
import anywidget
class _Echo(anywidget.AnyWidget):
    _esm = """
    export default { render({ model, el }) {
      window.__echo = () => new Promise((resolve) => {
        const t0 = performance.now();
        const on = () => { model.off('msg:custom', on); resolve(performance.now() - t0); };
        model.on('msg:custom', on); model.send({});
      });
    } };"""
    def __init__(self):
        super().__init__()
        self.on_msg(lambda widget, content, buffers: self.send({}))
_Echo()
'''


def browser_part(minutes: float, rows: list[tuple[str, str]], quick: bool) -> None:
    from _lab import open_lab

    setup = (f"import numpy as np\nfrom nbannotate import AudioAnnotator\n"
             f"{inspect.getsource(generate)}\n"
             "def rss():\n    for line in open('/proc/self/status'):\n"
             "        if line.startswith('VmRSS'):\n"
             "            return int(line.split()[1]) * 1024\n"
             f"rss_before = rss()\naudio = generate({minutes})\n")
    show = f"w = AudioAnnotator(audio, sample_rate={RATE}, labels=['speech', 'bird', 'noise'])\nw"

    with open_lab() as lab:
        nb = lab.notebook("bench.ipynb", init_script=COUNT_BYTES)
        page = nb.page
        nb.run(setup, timeout_ms=600_000)
        page.evaluate("() => { window.__nba.received = 0; window.__nba.sent = 0; "
                      "window.__t0 = performance.now(); }")
        nb.run_async(show)  # construction + display, as a user would run it
        drawn = page.wait_for_function(
            "() => { const r = document.querySelector('.nba-audio');"
            " return r && Number(r.dataset.waveDraws || 0) > 0 && performance.now(); }",
            timeout=60_000).json_value()
        first_draw = drawn - page.evaluate("() => window.__t0")
        page.wait_for_timeout(2000)
        initial = page.evaluate("() => window.__nba.received")
        root = page.locator(".nba-audio")
        stage = page.locator(".nba-audio-overlay").bounding_box()
        rng = np.random.default_rng(2)
        zoom_ms, scroll_ms, round_trip = [], [], []
        trip = "() => Number(document.querySelector('.nba-audio').dataset.peaksRoundTrip)"
        for _ in range(3 if quick else 8):
            zoom_ms.append(page.evaluate(WHEEL, {"dx": 0, "dy": -500,
                                                 "fx": float(rng.uniform(0.1, 0.9))}))
            round_trip.append(page.evaluate(trip))
            page.wait_for_timeout(100)
        for _ in range(3 if quick else 8):
            scroll_ms.append(page.evaluate(WHEEL, {"dx": 2.5 * stage["width"], "dy": 0,
                                                   "fx": 0.5}))
            round_trip.append(page.evaluate(trip))
            page.wait_for_timeout(100)
        before_zoom = page.evaluate("() => window.__nba.received")
        zoom_ms.append(page.evaluate(WHEEL, {"dx": 0, "dy": -500, "fx": 0.5}))
        per_zoom = page.evaluate("() => window.__nba.received") - before_zoom

        axis = page.locator(".nba-audio-axis").bounding_box()
        overview = page.locator(".nba-audio-overview").bounding_box()
        play_ms, seek_ms = [], []
        for _ in range(3 if quick else 6):
            frac = float(rng.uniform(0.02, 0.98))
            page.mouse.click(overview["x"] + frac * overview["width"],
                             overview["y"] + overview["height"] / 2)
            page.wait_for_timeout(150)
            page.mouse.click(axis["x"] + axis["width"] * 0.5, axis["y"] + 10)
            target = float(root.get_attribute("data-playhead"))
            page.mouse.move(stage["x"] + 30, stage["y"] + 30)
            page.keyboard.press(" ")
            heard = page.wait_for_function(
                "(t) => { const r = document.querySelector('.nba-audio');"
                " return r.dataset.playing === 'true' && Number(r.dataset.playhead) > t"
                " + 0.005 && performance.now(); }", arg=target, timeout=20_000
            ).json_value()
            play_ms.append(heard - page.evaluate("() => window.__nba.space"))
            page.wait_for_timeout(300)
            # Seek while playing: click the axis further on.
            page.mouse.click(axis["x"] + axis["width"] * 0.8, axis["y"] + 10)
            landed = page.wait_for_function(
                "() => { const r = document.querySelector('.nba-audio');"
                " const t = Number(r.dataset.playhead);"
                " const s = Number(r.dataset.viewStart), e = Number(r.dataset.viewEnd);"
                " const want = s + 0.8 * (e - s);"
                " return t > want + 0.002 && t < want + 1 && performance.now(); }",
                timeout=20_000).json_value()
            seek_ms.append(landed - page.evaluate("() => window.__nba.pointerup"))
            page.keyboard.press(" ")
            page.wait_for_timeout(200)
        # Display only: a second view of the built widget, in a new cell.
        page.evaluate("() => { window.__t0 = performance.now(); }")
        nb.run_async("w")
        drawn = page.wait_for_function(
            "() => { const r = document.querySelectorAll('.nba-audio')[1];"
            " return r && Number(r.dataset.waveDraws || 0) > 0 && performance.now(); }",
            timeout=60_000).json_value()
        display_only = drawn - page.evaluate("() => window.__t0")
        memory = nb.kernel_json("[rss() - rss_before, audio.nbytes]")
        nb.run(ECHO)  # the floor: a trivial widget's message round trip, same moment
        page.wait_for_function("() => window.__echo")
        echo = [page.evaluate("() => window.__echo()") for _ in range(30)]
    rows += [
        ("browser: first waveform drawn, from running `w = AudioAnnotator(...); w` (ms)",
         f"{first_draw:.0f} (includes building the widget)"),
        ("browser: bytes received, that cell + 2 s", f"{initial / 1e3:.0f} KB"),
        ("browser: first waveform of a second view, from running `w` (ms)",
         f"{display_only:.0f}"),
        ("browser: zoom answered and drawn (ms)", percentiles(zoom_ms)),
        ("browser: scroll answered and drawn (ms)", percentiles(scroll_ms)),
        ("browser: of which request -> reply round trip (ms)", percentiles(round_trip)),
        ("browser: floor: empty message round trip, trivial widget (ms)", percentiles(echo)),
        ("browser: bytes per zoom in (3 views wide of peaks)", f"{per_zoom / 1e3:.1f} KB"),
        ("browser: play pressed -> playhead moving (ms)", percentiles(play_ms)),
        ("browser: seek while playing -> playhead there (ms)", percentiles(seek_ms)),
        ("kernel RSS growth (samples + widget + lab use)",
         f"{memory[0] / 1e6:.0f} MB = {memory[0] / memory[1]:.2f}x the samples"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 minutes of audio, fewer runs")
    parser.add_argument("--minutes", type=float, default=None, help="length (default 120)")
    parser.add_argument("--no-browser", action="store_true", help="kernel figures only")
    args = parser.parse_args()
    minutes = args.minutes or (10.0 if args.quick else 120.0)
    rows: list[tuple[str, str]] = []
    started = time.perf_counter()
    audio = generate(minutes)
    rows.append(("generate the recording (not part of the widget)",
                 f"{(time.perf_counter() - started):.1f} s"))
    kernel_part(audio, rows, args.quick)
    del audio
    if not args.no_browser:
        browser_part(minutes, rows, args.quick)
    width = max(len(name) for name, _ in rows)
    print(f"AudioAnnotator, {minutes:g} minutes of {RATE} Hz audio")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print("Peers measured on this machine (notes): ipyannote 0.7.0, 30 min at 16 kHz: one 154 MB "
          "base64 string, first waveform after 7.8 s; 1 min: 5.2 MB, 279 ms.")


if __name__ == "__main__":
    main()

"""Speed of the ImageAnnotator in JupyterLab + headless Chromium.

Measured in the page (``performance.now()``, and the main thread's task time from the DevTools
protocol) and on the kernel websocket:

* drag cost: main-thread time per mouse move (Chromium's ``TaskDuration`` in CPU time, and in
  wall-clock time in parentheses, over the gesture / moves) while drawing a new box over
  60 mouse moves, moving an existing box, and panning, on a 4000×3000 image with 0, 1,000 (and
  10,000) boxes; per wheel zoom step (60 steps at frame rate, including the redraw once the
  view settles); and the floor: the same mouse moves over a code cell, with no widget work;
* bytes sent on the kernel websocket per finished gesture (the change message with its
  Jupyter envelope), with 0 and 1,000 boxes;
* the preview sent first vs the full image, in bytes, for a 4000×3000 JPEG, a 4000×3000
  numpy array and a 24-megapixel JPEG (the time to the first paint is measured by
  ``benchmarks/image_first_paint.py``, from the key press that runs the cell);
* while the kernel is busy (``time.sleep``): drag cost, and the box reaching the kernel once
  it is free.

Run ``python benchmarks/image_widget.py`` (``--quick``: fewer repetitions, no 10,000 boxes;
``--only gestures bytes busy``: some parts only).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _lab import open_lab, table

from tests.e2e.harness import _FIND_PANEL, Notebook

# Count bytes the page sends on websockets (the kernel channel).
COUNT_SENDS = """
(() => {
  window.__sent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const n = typeof data === 'string' ? new TextEncoder().encode(data).length
      : (data.byteLength ?? data.size ?? 0);
    window.__sent.push([performance.now(), n]);
    return send.call(this, data);
  };
})();
"""

BOXES = """
import numpy as np
from nbannotate import ImageAnnotator
rng = np.random.default_rng(0)
def random_boxes(n, width=4000, height=3000):
    # Boxes everywhere but a strip at the top, kept free for drawing new ones.
    x = rng.uniform(0, width - 200, n); y = rng.uniform(420, height - 200, n)
    w = rng.uniform(20, 200, n); h = rng.uniform(20, 200, n)
    return [{"id": f"b{i}", "x": float(x[i]), "y": float(y[i]), "w": float(w[i]),
             "h": float(h[i]), "label": ("car", "tree", "person")[i % 3]} for i in range(n)]
y_, x_ = np.mgrid[0:3000, 0:4000]
big = np.stack([x_ * 255 // 3999, y_ * 255 // 2999, (x_ ^ y_) % 256], axis=-1).astype(np.uint8)
"""


def make_jpeg(path: Path, width: int, height: int, quality: int = 85) -> int:
    """A photo-like JPEG: a sample image scaled up with fine noise (realistic file size)."""
    from PIL import Image
    from sklearn.datasets import load_sample_images

    base = Image.fromarray(load_sample_images().images[0]).resize((width, height),
                                                                  Image.BICUBIC)
    noise = np.random.default_rng(1).normal(0, 7, (height, width, 3))
    pixels = np.clip(np.asarray(base, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=quality)
    path.write_bytes(out.getvalue())
    return len(out.getvalue())


def root_attr(nb: Notebook, cell: int, name: str) -> str | None:
    return nb.page.evaluate(
        """([cell, name]) => {
             const r = document.querySelector(`[data-e2e-cell="${cell}"] .nba-image`);
             return r ? (r.dataset[name] ?? null) : null; }""", [cell, name])


def wait_attr(nb: Notebook, cell: int, name: str, timeout_ms: int = 60_000) -> float:
    nb.page.wait_for_function(
        """([cell, name]) => {
             const r = document.querySelector(`[data-e2e-cell="${cell}"] .nba-image`);
             return r && r.dataset[name] !== undefined; }""", arg=[cell, name],
        timeout=timeout_ms)
    return float(root_attr(nb, cell, name) or "nan")


def page_point(nb: Notebook, cell: int, x: float, y: float) -> tuple[float, float]:
    stage = nb.output(cell, ".nba-image-stage")
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    scale, ox, oy = (float(v) for v in (root_attr(nb, cell, "view") or "1,0,0").split(","))
    return box["x"] + (x - ox) * scale, box["y"] + (y - oy) * scale


class MainThread:
    """Time the page's main thread spends on tasks, read through the DevTools protocol.

    Chromium's ``TaskDuration`` metric twice: in thread ticks (the main thread's CPU time:
    JavaScript, style, layout, paint, canvas work, input handling; other busy processes on the
    machine do not inflate it) and in wall-clock time (which they do).
    """

    def __init__(self, page: Any) -> None:
        self.cpu = page.context.new_cdp_session(page)
        self.cpu.send("Performance.enable", {"timeDomain": "threadTicks"})
        self.wall = page.context.new_cdp_session(page)
        self.wall.send("Performance.enable", {"timeDomain": "timeTicks"})
        self.before = (0.0, 0.0)

    @staticmethod
    def _task(session: Any) -> float:
        metrics = session.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "TaskDuration"))

    def start(self) -> None:
        self.before = (self._task(self.cpu), self._task(self.wall))

    def stop(self, count: int) -> tuple[float, float]:
        """(CPU ms, wall ms) per one of ``count`` events since :meth:`start`."""
        return ((self._task(self.cpu) - self.before[0]) * 1000 / count,
                (self._task(self.wall) - self.before[1]) * 1000 / count)


def gesture_cost(nb: Notebook, main: MainThread, start: tuple[float, float],
                 end: tuple[float, float], moves: int = 60, button: str = "left"
                 ) -> tuple[tuple[float, float], int]:
    """((CPU, wall) ms per move, websocket bytes sent) for one press-drag-release."""
    nb.page.mouse.move(*start)
    nb.page.wait_for_timeout(100)
    nb.page.evaluate("() => { window.__sent.length = 0; }")
    main.start()
    nb.page.mouse.down(button=button)
    nb.page.mouse.move(*end, steps=moves)
    nb.page.mouse.up(button=button)
    # Until the frame after mouse-up (a pan redraws its layers then).
    nb.page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                     "requestAnimationFrame(() => setTimeout(r, 0))))")
    spent = main.stop(moves)
    nb.page.wait_for_timeout(300)  # let the change message go out
    sent = int(nb.page.evaluate("() => window.__sent.reduce((a, s) => a + s[1], 0)"))
    return spent, sent


def fmt(costs: list[tuple[float, float]]) -> str:
    """Medians: CPU ms (wall ms)."""
    return (f"{statistics.median(c[0] for c in costs):.1f} "
            f"({statistics.median(c[1] for c in costs):.1f})")


# Wheel events at frame rate, dispatched in the page (the DevTools round trip of
# page.mouse.wheel is slower than a real wheel, and the view would settle between events).
WHEEL = """
([x, y, count]) => new Promise((done) => {
  const target = document.elementFromPoint(x, y);
  let n = 0;
  const step = () => {
    target.dispatchEvent(new WheelEvent('wheel', {deltaY: -20, clientX: x, clientY: y,
                                                  bubbles: true, cancelable: true}));
    if (++n < count) requestAnimationFrame(step);
    else setTimeout(() => requestAnimationFrame(() => setTimeout(done, 0)), 200);
  };
  requestAnimationFrame(step);
})
"""


def bench_drag(nb: Notebook, counts: list[int], repeats: int) -> list[list[str]]:
    main = MainThread(nb.page)
    nb.run(BOXES)
    # The floor: the same mouse moves over a code cell (input dispatch, JupyterLab's handlers,
    # frames), with no widget work.
    code = nb.page.locator(".jp-Cell").first.bounding_box()
    floor = [gesture_cost(nb, main, (code["x"] + 60, code["y"] + 10),
                          (code["x"] + 400, code["y"] + 20))[0] for _ in range(repeats + 1)]
    rows = [["none (mouse over a code cell)", fmt(floor), fmt(floor), "", "", ""]]
    for n in counts:
        cell = nb.run(f"w = ImageAnnotator(big, labels=['car', 'tree', 'person'], "
                      f"boxes=random_boxes({n}))\nw")
        wait_attr(nb, cell, "fullReady")  # the full resolution is in: nothing else going on
        nb.page.wait_for_timeout(500)
        draws, moves, sizes = [], [], []
        for r in range(repeats):
            nb.page.keyboard.press("Escape")
            # A new box over empty image (a strip kept free of boxes).
            nb.kernel_exec("w.boxes = [b for b in w.boxes if b['y'] > 420]")
            nb.page.wait_for_timeout(200)
            a = page_point(nb, cell, 100 + 600 * r, 60)
            b = page_point(nb, cell, 500 + 600 * r, 380)
            ms, sent = gesture_cost(nb, main, a, b)
            draws.append(ms)
            sizes.append(sent)
            drawn = nb.wait_kernel(f"[b for b in w.boxes if b['y'] < 400 and "
                                   f"b['x'] > {100 + 600 * r - 40}]")[0]
            # Move the new box (its layer is redrawn without it once, then only it moves).
            cx, cy = drawn["x"] + drawn["w"] / 2, drawn["y"] + drawn["h"] / 2
            ms, sent = gesture_cost(nb, main, page_point(nb, cell, cx, cy),
                                    page_point(nb, cell, cx + 150, cy + 20))
            moves.append(ms)
            sizes.append(sent)
        # Pan with the middle button, then zoom with the wheel (layers move on the
        # compositor and are redrawn once the view settles; that redraw is counted).
        center = page_point(nb, cell, 2000, 1500)
        pans = [gesture_cost(nb, main, center, (center[0] + 200, center[1] + 80),
                             button="middle")[0] for _ in range(repeats)]
        nb.page.keyboard.press("0")
        nb.page.wait_for_timeout(300)
        main.start()
        nb.page.evaluate(WHEEL, [*page_point(nb, cell, 2000, 1500), 60])
        zoom = main.stop(60)
        nb.page.keyboard.press("0")
        rows.append([f"{n:,}", fmt(draws), fmt(moves), fmt(pans), fmt([zoom]),
                     f"{max(sizes):,}"])
    return rows


def bench_image_bytes(nb: Notebook, files: dict[str, Path]) -> list[list[str]]:
    """Bytes of the preview (sent first) and of the full resolution (sent when asked for)."""
    nb.run(BOXES)
    cases = [(name, f"ImageAnnotator({str(path.name)!r}, labels=['car'])")
             for name, path in files.items()]
    cases.insert(1, ("4000×3000 numpy array", "ImageAnnotator(big, labels=['car'])"))
    rows = []
    for name, make in cases:
        cell = nb.run(f"w = {make}\nw")
        wait_attr(nb, cell, "fullReady")
        preview, full, scale, size = nb.kernel_json(
            "[len(w.preview_data), len(w.image_data), w.preview_scale, list(w.image_size)]")
        rows.append([name, f"{size[0]}×{size[1]}", f"{preview / 1e6:.2f} (1/{scale})",
                     f"{full / 1e6:.2f}"])
    return rows


def bench_busy(nb: Notebook) -> list[list[str]]:
    main = MainThread(nb.page)
    nb.run(BOXES)
    cell = nb.run("w = ImageAnnotator(big, labels=['car', 'tree', 'person'], "
                  "boxes=random_boxes(1000))\nw")
    wait_attr(nb, cell, "fullReady")
    nb.page.wait_for_timeout(500)
    nb.run_async("import time; time.sleep(5)")
    nb.page.wait_for_function(
        f"() => ({_FIND_PANEL})({json.dumps(nb.path)}).sessionContext.session.kernel.status"
        " === 'busy'")
    a, b = page_point(nb, cell, 200, 60), page_point(nb, cell, 700, 380)
    # Note when the kernel acknowledges the edit (pending back to 0), and its status then.
    nb.page.evaluate(
        """([cell, find, path]) => {
             const root = document.querySelector(`[data-e2e-cell="${cell}"] .nba-image`);
             const kernel = eval(find)(path).sessionContext.session.kernel;
             const m = window.__ack = {up: null, ack: null, status: null};
             window.addEventListener('pointerup', () => { m.up = performance.now(); },
                                     {capture: true, once: true});
             new MutationObserver((_, observer) => {
               if (m.up === null || root.dataset.pending !== '0') return;
               m.ack = performance.now() - m.up; m.status = kernel.status;
               observer.disconnect();
             }).observe(root, {attributes: true, attributeFilter: ['data-pending']}); }""",
        [cell, _FIND_PANEL, nb.path])
    cost, _ = gesture_cost(nb, main, a, b)
    nb.page.wait_for_function("() => window.__ack.ack !== null", timeout=30_000)
    acked = nb.page.evaluate("() => [window.__ack.ack, window.__ack.status]")
    started = time.monotonic()
    nb.wait_kernel("[b for b in w.boxes if b['y'] < 400]", timeout_s=30)
    readable = time.monotonic() - started
    return [["draw a box during time.sleep(5)", f"{fmt([cost])} ms per move",
             f"edit acknowledged {acked[0]:.0f} ms after mouse-up (kernel {acked[1]} then)",
             f"readable by a cell {readable:.1f} s later (when the sleep ended)"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", nargs="+", choices=["gestures", "bytes", "busy"],
                        default=["gestures", "bytes", "busy"], help="run only these parts")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    counts = [0, 1000] if args.quick else [0, 1000, 10000]
    load_start = os.getloadavg()[0]

    with open_lab() as lab:
        files = {}
        for name, (w, h) in {"4000×3000 JPEG": (4000, 3000),
                             "6000×4000 JPEG (24 MP)": (6000, 4000)}.items():
            path = lab.server.root / f"photo_{w}x{h}.jpg"
            size = make_jpeg(path, w, h)
            files[f"{name}, {size / 1e6:.1f} MB"] = path

        def notebook(name: str) -> Notebook:
            return lab.notebook(name, init_script=COUNT_SENDS)

        drag_rows = (bench_drag(notebook("drag.ipynb"), counts, repeats)
                     if "gestures" in args.only else [])
        byte_rows = (bench_image_bytes(notebook("bytes.ipynb"), files)
                     if "bytes" in args.only else [])
        busy_rows = bench_busy(notebook("busy.ipynb")) if "busy" in args.only else []
    if drag_rows:
        table("Gestures on a 4000×3000 image: main-thread ms per mouse move, CPU (wall clock),"
              " 60 moves per gesture",
              ["boxes", "draw new box", "move a box", "pan (middle button)", "wheel zoom step",
               "max bytes sent per gesture"], drag_rows)
    if byte_rows:
        table("Image bytes (MB): the preview is sent first, the full resolution when the "
              "browser asks for it (zoomed in)", ["image", "size", "preview", "full"], byte_rows)
    if busy_rows:
        table("Busy kernel", ["gesture", "cost", "state", "result"], busy_rows)
    print(f"\nload average during the run: {load_start:.1f} -> {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores); wall-clock figures grow with it, CPU time does not")


if __name__ == "__main__":
    main()

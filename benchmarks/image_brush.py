"""Speed and size of ImageAnnotator's brush, and of the live pixel classifier behind it.

In a real JupyterLab + headless Chromium (the e2e harness):

* **brush**: the main thread's time per pointer move while painting a stroke of 60 moves on a
  4000×3000 image (Chromium's ``TaskDuration`` in CPU time of the main thread, and in
  wall-clock time in parentheses), at the fitted zoom and at about 1:1, for the brush and the
  eraser, with and without a model's mask suggestions shown; and the floor (the same moves
  over a code cell, no widget work). Also the time from pointer-up to the kernel's ``mask_ack``;
* **bytes**: bytes the page sends on its websockets for one stroke (the ``mask_edit`` message
  in its Jupyter envelope), for the same stroke (in image pixels) on 400×300, 1000×750 and
  4000×3000 images, and for a long stroke; and for accepting a model's masks (Enter) on
  4000×3000;
* **load**: the main thread's time to show mask suggestions set from Python on 4000×3000
  (decoding the RLE records into the suggestion map and colouring the overlay), and the size
  of the synced records.

Headless (this process):

* **live**: ``LiveSegmentation`` refit + predict + publishing (suggestion RLE records and the
  uncertainty PNG) per stroke at 1024×768 and 4000×3000, and the kernel's time to apply one
  stroke message to masks (run-length set operations, no decoding);
* **accuracy**: pixel accuracy against the number of painted pixels when the strokes go where
  the live model is unsure (its uncertainty map) versus at random places (1024×768 generated
  textures, ``nbannotate.models._synthetic``). ``benchmarks/pixel_classifier.py`` has the
  classifier's own accuracy-versus-painted-pixels table.

Run ``python benchmarks/image_brush.py`` (``--quick``: fewer repetitions; ``--only brush bytes
load live accuracy``: some parts).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _lab import open_lab, table
from image_widget import COUNT_SENDS, MainThread, page_point, root_attr, wait_attr

from tests.e2e.harness import Notebook

PICTURE = """
import numpy as np
from nbannotate import ImageAnnotator
def picture(width, height):
    y_, x_ = np.mgrid[0:height, 0:width]
    return np.stack([x_ * 255 // (width - 1), y_ * 255 // (height - 1), (x_ ^ y_) % 256],
                    axis=-1).astype(np.uint8)
"""


def frames(nb: Notebook) -> None:
    nb.page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                     "requestAnimationFrame(() => setTimeout(r, 0))))")


def stroke(nb: Notebook, cell: int, main: MainThread | None, start: tuple[float, float],
           end: tuple[float, float], moves: int = 60) -> dict[str, float]:
    """Paint one stroke between image points; costs per move, bytes and time to the ack."""
    a, b = page_point(nb, cell, *start), page_point(nb, cell, *end)
    nb.page.mouse.move(*a)
    nb.page.wait_for_timeout(100)
    nb.page.evaluate("() => { window.__sent.length = 0; }")
    if main:
        main.start()
    nb.page.mouse.down()
    nb.page.mouse.move(*b, steps=moves)
    frames(nb)
    cost = main.stop(moves) if main else (float("nan"), float("nan"))
    up = nb.page.evaluate("() => performance.now()")
    nb.page.mouse.up()
    nb.page.wait_for_function(
        f"""() => document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                 ?.dataset.maskPending === '0'""", timeout=30_000)
    acked = nb.page.evaluate("() => performance.now()")
    nb.page.wait_for_timeout(100)
    sent = nb.page.evaluate("() => window.__sent.reduce((a, s) => a + s[1], 0)")
    return {"cpu": cost[0], "wall": cost[1], "bytes": float(sent), "ack": acked - up}


def widget(nb: Notebook, width: int, height: int, radius: float, extra: str = "") -> int:
    cell = nb.run(f"w = ImageAnnotator(picture({width}, {height}), labels=['sky', 'tree', "
                  f"'road'], tool='brush', brush_radius={radius}){extra}\nw")
    wait_attr(nb, cell, "fullReady")
    nb.page.wait_for_timeout(300)
    return cell


def med(values: list[float], digits: int = 1) -> str:
    return f"{statistics.median(values):.{digits}f}"


def bench_brush(nb: Notebook, repeats: int) -> list[list[str]]:
    main = MainThread(nb.page)
    nb.run(PICTURE)
    code = nb.page.locator(".jp-Cell").first.bounding_box()
    floor = []
    for _ in range(repeats):
        nb.page.mouse.move(code["x"] + 60, code["y"] + 10)
        main.start()
        nb.page.mouse.down()
        nb.page.mouse.move(code["x"] + 400, code["y"] + 20, steps=60)
        frames(nb)
        floor.append(main.stop(60))
        nb.page.mouse.up()
    rows = [["none (mouse over a code cell)", "", f"{med([c[0] for c in floor])} "
             f"({med([c[1] for c in floor])})", "", ""]]
    cell = widget(nb, 4000, 3000, 40)
    scale = float((root_attr(nb, cell, "view") or "1").split(",")[0])

    def run(name: str, start: tuple[float, float], end: tuple[float, float], zoom: str,
            step: tuple[float, float] = (0, 150)) -> None:
        # Each repeat on fresh pixels (a stroke over its own paint changes nothing).
        results = [stroke(nb, cell, main, (start[0] + i * step[0], start[1] + i * step[1]),
                          (end[0] + i * step[0], end[1] + i * step[1]))
                   for i in range(repeats)]
        rows.append([name, zoom, f"{med([r['cpu'] for r in results])} "
                     f"({med([r['wall'] for r in results])})",
                     med([r["ack"] for r in results], 0), med([r["bytes"] for r in results], 0)])

    fitted = f"fit ({scale:.2f})"
    run("brush r=40, 1500 px stroke", (500, 400), (2000, 1000), fitted)
    nb.page.keyboard.press("2")
    run("brush over another label", (600, 1200), (1900, 200), fitted)
    nb.page.keyboard.press("e")
    run("eraser r=40, across the strokes", (700, 150), (700, 1500), fitted, step=(150, 0))
    nb.page.keyboard.press("r")
    nb.kernel_exec("from nbannotate.formats import mask_to_rle\n"
                   "_m = np.zeros((3000, 4000), bool); _m[:, :2000] = True\n"
                   "w.mask_suggestions = [{'label': 'sky', 'mask': mask_to_rle(_m)}, "
                   "{'label': 'road', 'mask': mask_to_rle(~_m)}]")
    wait_suggestions(nb, cell)
    run("brush, suggestions shown", (2500, 2000), (3800, 2600), fitted)
    # About 1:1: zoom in with the keys around the stage's centre.
    nb.page.mouse.move(*page_point(nb, cell, 2000, 1500))
    while float((root_attr(nb, cell, "view") or "1").split(",")[0]) < 0.95:
        nb.page.keyboard.press("+")
    nb.page.wait_for_timeout(400)
    scale, ox, oy = (float(v) for v in (root_attr(nb, cell, "view") or "1,0,0").split(","))
    cx, cy = ox + 300 / scale, oy + 250 / scale
    run("brush r=40, 400 px stroke", (cx - 200, cy - 150), (cx + 200, cy), f"{scale:.2f}",
        step=(0, 90))
    return rows


def wait_suggestions(nb: Notebook, cell: int) -> None:
    nb.page.wait_for_function(
        f"""() => Number(document.querySelector('[data-e2e-cell="{cell}"] .nba-image')
                 ?.dataset.suggestedPixels) > 0""", timeout=60_000)


def bench_bytes(nb: Notebook, repeats: int) -> list[list[str]]:
    nb.run(PICTURE)
    rows = []
    for width, height in ((400, 300), (1000, 750), (4000, 3000)):
        cell = widget(nb, width, height, 10)
        short = [stroke(nb, cell, None, (100, 100 + 30 * i), (300, 200 + 30 * i), 30)
                 for i in range(repeats)]
        row = [f"{width}×{height}", med([r["bytes"] for r in short], 0)]
        if width == 4000:
            long = stroke(nb, cell, None, (100, 500), (3900, 2900), 80)
            row.append(f"{long['bytes']:.0f}")
            nb.kernel_exec("from nbannotate.formats import mask_to_rle\n"
                           "_yy, _xx = np.mgrid[0:3000, 0:4000]\n"
                           "_m = (_xx - 2000) ** 2 + (_yy - 1500) ** 2 < 1200 ** 2\n"
                           "w.mask_suggestions = [{'label': 'sky', 'mask': mask_to_rle(~_m)}, "
                           "{'label': 'road', 'mask': mask_to_rle(_m)}]")
            wait_suggestions(nb, cell)
            main = MainThread(nb.page)
            nb.page.evaluate("() => { window.__sent.length = 0; }")
            nb.page.mouse.move(*page_point(nb, cell, 2000, 1500))
            main.start()
            nb.page.keyboard.press("Enter")
            frames(nb)
            cost = main.stop(1)
            nb.page.wait_for_timeout(500)
            sent = nb.page.evaluate("() => window.__sent.reduce((a, s) => a + s[1], 0)")
            row.append(f"{sent:.0f} ({cost[0]:.0f} ms CPU)")
        else:
            row += ["", ""]
        rows.append(row)
    return rows


def bench_load(nb: Notebook) -> list[list[str]]:
    nb.run(PICTURE)
    cell = widget(nb, 4000, 3000, 40)
    main = MainThread(nb.page)
    rows = []
    for name, code in (
            ("2 labels, two half-planes",
             "_m = np.zeros((3000, 4000), bool); _m[:, :2000] = True\n"
             "_s = [{'label': 'sky', 'mask': mask_to_rle(_m)}, "
             "{'label': 'road', 'mask': mask_to_rle(~_m)}]"),
            ("3 labels, blobs (a model's output)",
             "from scipy import ndimage\n"
             "_n = ndimage.gaussian_filter(np.random.default_rng(0).random((750, 1000)), 12)\n"
             "_n = np.kron(_n, np.ones((4, 4)))\n"
             "_q = np.quantile(_n, [1 / 3, 2 / 3])\n"
             "_s = [{'label': l, 'mask': mask_to_rle(m)} for l, m in (('sky', _n < _q[0]), "
             "('tree', (_n >= _q[0]) & (_n < _q[1])), ('road', _n >= _q[1]))]")):
        nb.kernel_exec("import json\nfrom nbannotate.formats import mask_to_rle\n"
                       "w.mask_suggestions = []\n" + code)
        size = nb.kernel_json("len(json.dumps(_s))")
        nb.page.wait_for_timeout(300)
        main.start()
        began = time.perf_counter()
        nb.kernel_exec("w.mask_suggestions = _s")
        wait_suggestions(nb, cell)
        frames(nb)
        wall = (time.perf_counter() - began) * 1000
        cost = main.stop(1)
        rows.append([name, f"{size:,} B", f"{cost[0]:.0f}", f"{wall:.0f}"])
    return rows


def bench_live(quick: bool) -> list[list[str]]:
    from nbannotate import ImageAnnotator, LiveSegmentation
    from nbannotate.formats.rle import rle_to_string
    from nbannotate.image.mask_ops import rle_of, stroke_toggles
    from nbannotate.models._synthetic import make_texture_image

    rows = []
    sizes = [(768, 1024)] if quick else [(768, 1024), (3000, 4000)]
    for height, width in sizes:
        image, truth = make_texture_image(seed=0, size=(height, width), contrast=0.6)
        w = ImageAnnotator(image, labels=["background", "disc", "box"])
        live = LiveSegmentation(w)
        rng = np.random.default_rng(0)
        times, cpu = [], []
        for index in range(12 if not quick else 6):
            k = index % 3
            ys, xs = np.nonzero(truth == k)
            i = int(rng.integers(xs.size))
            began = time.process_time()
            w.paint(w.labels[k], [[xs[i] + 0.5, ys[i] + 0.5]], radius=4)
            live.wait(300)
            if index >= 3:  # every label painted: these refits fit and predict
                times.append(live.fit_seconds * 1000)
                cpu.append((time.process_time() - began) * 1000)
        suggestion_kb = len(json.dumps(w.mask_suggestions)) / 1e3
        png_kb = len(w.uncertainty_png) / 1e3
        # The kernel's share of a stroke: one mask_edit message applied to the masks.
        rle = rle_to_string(rle_of(height, width, stroke_toggles(
            [[width / 3, height / 3], [width / 2, height / 2]], 30, height, width)))
        message = {"type": "mask_edit", "seq": 1, "edits": [
            {"label": "disc", "op": "add", "rle": rle}]}
        apply = []
        for _ in range(5):
            began = time.perf_counter()
            w._handle_custom_message(message, [])
            apply.append((time.perf_counter() - began) * 1000)
        rows.append([f"{width}×{height}", f"{statistics.median(times):.0f}",
                     f"{statistics.median(cpu):.0f}", f"{suggestion_kb:.0f}", f"{png_kb:.0f}",
                     f"{statistics.median(apply):.1f}", str(len(rle["counts"]))])
        live.close()
    return rows


def bench_accuracy(quick: bool) -> list[list[str]]:
    from nbannotate import ImageAnnotator, LiveSegmentation
    from nbannotate.formats.rle import rle_to_mask
    from nbannotate.models._synthetic import make_texture_image

    image, truth = make_texture_image(seed=5, size=(768, 1024), contrast=0.6)
    checkpoints = [6, 12, 24, 48] if quick else [6, 12, 24, 48, 96]
    seeds = [0] if quick else [0, 1, 2]
    results: dict[str, dict[int, list[tuple[float, int]]]] = {"unsure": {}, "random": {}}
    for seed in seeds:
        for method in results:
            rng = np.random.default_rng(seed)
            w = ImageAnnotator(image, labels=["background", "disc", "box"])
            live = LiveSegmentation(w)
            for k in range(3):  # one dab per label to start
                ys, xs = np.nonzero(truth == k)
                i = int(rng.integers(xs.size))
                w.paint(w.labels[k], [[xs[i] + 0.5, ys[i] + 0.5]], radius=3)
            dabs = 3
            while dabs < checkpoints[-1]:
                live.wait(300)
                if method == "unsure" and live.last_uncertainty is not None:
                    u = live.last_uncertainty.copy()
                    picks = []
                    for _ in range(3):
                        y, x = np.unravel_index(np.argmax(u), u.shape)
                        picks.append((y, x))
                        u[max(0, y - 40):y + 40, max(0, x - 40):x + 40] = 0
                else:
                    picks = [(int(rng.integers(truth.shape[0])), int(rng.integers(truth.shape[1])))
                             for _ in range(3)]
                for y, x in picks:
                    w.paint(w.labels[int(truth[y, x])], [[x + 0.5, y + 0.5]], radius=3)
                dabs += 3
                if dabs in checkpoints:
                    live.wait(300)
                    labels = np.full(truth.shape, -1)
                    for record in w.mask_suggestions:
                        labels[rle_to_mask(record["mask"])] = w.labels.index(record["label"])
                    painted = sum(int(w.mask_array(n).sum()) for n in w.labels)
                    results[method].setdefault(dabs, []).append(
                        (float((labels == truth).mean()), painted))
            live.close()
    rows = []
    for dabs in checkpoints[1:]:
        row = [str(dabs)]
        for method in ("random", "unsure"):
            values = results[method].get(dabs, [])
            row += [f"{np.mean([v[1] for v in values]):.0f}",
                    f"{np.mean([v[0] for v in values]):.3f}"]
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parts = ["brush", "bytes", "load", "live", "accuracy"]
    parser.add_argument("--only", nargs="+", choices=parts, default=parts,
                        help="run only these parts")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    load_start = os.getloadavg()[0]
    brush_rows: list[list[str]] = []
    byte_rows: list[list[str]] = []
    load_rows: list[list[str]] = []
    if {"brush", "bytes", "load"} & set(args.only):
        with open_lab() as lab:

            def notebook(name: str) -> Notebook:
                return lab.notebook(name, init_script=COUNT_SENDS)

            if "brush" in args.only:
                brush_rows = bench_brush(notebook("brush.ipynb"), repeats)
            if "bytes" in args.only:
                byte_rows = bench_bytes(notebook("bytes.ipynb"), repeats)
            if "load" in args.only:
                load_rows = bench_load(notebook("load.ipynb"))
    live_rows = bench_live(args.quick) if "live" in args.only else []
    accuracy_rows = bench_accuracy(args.quick) if "accuracy" in args.only else []
    if brush_rows:
        table("Brush on a 4000×3000 image: main-thread ms per pointer move, CPU (wall clock), "
              "60 moves per stroke", ["stroke", "zoom", "per move", "up→kernel ack ms",
                                      "bytes sent"], brush_rows)
    if byte_rows:
        table("Bytes sent per stroke (the same 224 px long stroke, r=10, in image pixels)",
              ["image", "stroke", "long stroke (3800×2400 px)", "accept masks (Enter)"],
              byte_rows)
    if load_rows:
        table("Mask suggestions set from Python on 4000×3000: records size and the browser's "
              "main-thread CPU ms to show them", ["suggestions", "JSON", "main thread CPU",
                                                 "cell→shown wall"], load_rows)
    if live_rows:
        table("LiveSegmentation per stroke (refit + predict + publish), ms; kernel apply of "
              "one stroke message", ["image", "refit wall", "CPU (all threads)",
                                     "suggestions KB", "uncertainty PNG KB",
                                     "apply stroke ms", "stroke RLE chars"], live_rows)
    if accuracy_rows:
        table("Pixel accuracy vs dabs (r=3) placed at random or where the live model is most "
              "unsure (1024×768, contrast 0.6)",
              ["dabs", "random: painted px", "accuracy", "unsure: painted px", "accuracy"],
              accuracy_rows)
    print(f"\nload average during the run: {load_start:.1f} -> {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores); wall-clock figures grow with it, CPU time does not")


if __name__ == "__main__":
    main()

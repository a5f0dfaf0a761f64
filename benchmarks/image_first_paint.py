"""First paint of an ImageAnnotator in JupyterLab + headless Chromium, from the key press.

A code cell holding ``ImageAnnotator(<image>, labels=[...])`` is in the notebook, selected;
the clock starts at the real key press that runs it (a ``keydown`` listener in the page) and
stops when the widget draws its first image (``data-first-paint-at``, set in the frame that
draws it). Two keys: Ctrl+Enter runs the cell in place; Shift+Enter runs it and, the cell
being the last one, makes JupyterLab add and focus a new cell, work that shares the page's
main thread with the widget.

The same is measured for two things that are not the widget, so the figures can be read
against what JupyterLab itself costs on this machine: ``print('x')``, and
``IPython.display.Image`` of an already-encoded 1000×750 JPEG (the size of the widget's
preview: the kernel does no image work, the page decodes and shows it).

The kernel's share that no widget design avoids is printed too: making the preview of the
4000×3000 JPEG (Pillow decodes it at 1/4 scale) inside a running cell, with no widget.

Also printed, per image: Python's share (building the widget, in the kernel, measured by the
cell), the widget's own time from ``render()`` to the first paint, and when the full
resolution is decoded and ready (asked for after the first paint).

With ``--peers``, the same for jupyter-bbox-widget 0.7.0 and ipyannotations 0.5.1 on the
4000×3000 JPEG, when they are installed (not dependencies of nbannotate): "shown" is then
the first frame in which an ``<img>`` of the output is loaded or a canvas of the output has a
painted pixel at its centre.

Run ``python benchmarks/image_first_paint.py`` (``--repeats N``, default 7; ``--quick``: 3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _lab import open_lab, table
from image_widget import make_jpeg, root_attr, wait_attr

from tests.e2e.harness import _FIND_PANEL, Notebook

KEYS = {"Ctrl+Enter": "Control+Enter", "Shift+Enter": "Shift+Enter"}

# The key press that runs the cell starts the clock.
KEY_CLOCK = """
(() => {
  window.addEventListener('keydown', (event) => {
    const run = event.key === 'Enter' && (event.shiftKey || event.ctrlKey);
    if (run) window.__keyAt = performance.now();
  }, true);
})();
"""

# Deletes the cells a previous run added (so every run starts from the same page), then adds
# the cell to run.
INSERT = """({path, code, keep}) => {
  const notebook = (__FIND__)(path).content;
  const shared = notebook.model.sharedModel;
  while (shared.cells.length > keep) shared.deleteCell(shared.cells.length - 1);
  const index = shared.cells.length;
  shared.insertCell(index, {cell_type: 'code', source: code});
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  notebook.mode = 'command';
  notebook.widgets[index].node.setAttribute('data-e2e-cell', String(index));
  notebook.widgets[index].node.scrollIntoView();
  return index;
}""".replace("__FIND__", _FIND_PANEL)

# Resolves window.__shownAt when `selector` appears in the cell's output, in the next frame.
WATCH_OUTPUT = """([cell, selector]) => {
  window.__shownAt = null;
  const node = document.querySelector(`[data-e2e-cell="${cell}"]`);
  const found = () => {
    if (!node.querySelector(selector)) return false;
    requestAnimationFrame(() => { window.__shownAt = performance.now(); });
    return true;
  };
  if (found()) return;
  const observer = new MutationObserver(() => { if (found()) observer.disconnect(); });
  observer.observe(node, {subtree: true, childList: true});
}"""


# Peers: "shown" is the first frame in which an <img> of the output is loaded or a canvas of
# the output has a painted pixel at its centre.
WATCH_PIXELS = """([cell]) => {
  window.__shownAt = null;
  const node = document.querySelector(`[data-e2e-cell="${cell}"]`);
  const painted = () => {
    for (const img of node.querySelectorAll('.jp-OutputArea-output img')) {
      const shown = img.complete && img.naturalWidth > 0;
      if (shown && img.getBoundingClientRect().width > 0) return true;
    }
    for (const canvas of node.querySelectorAll('.jp-OutputArea-output canvas')) {
      if (!canvas.width || !canvas.height) continue;
      const ctx = canvas.getContext('2d');
      if (ctx && ctx.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data[3] > 0) {
        return true;
      }
    }
    return false;
  };
  const tick = () => {
    if (painted()) window.__shownAt = performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

PEERS = {
    "jupyter-bbox-widget 0.7.0": ("jupyter_bbox_widget",
                                  "from jupyter_bbox_widget import BBoxWidget\n"
                                  "BBoxWidget(image={path!r}, classes=['car'])"),
    "ipyannotations 0.5.1 (BoxAnnotator)": ("ipyannotations",
                                            "from ipyannotations.images import BoxAnnotator\n"
                                            "_b = BoxAnnotator(options=['car'])\n"
                                            "_b.display(__import__('pathlib').Path({path!r}))\n_b"),
}


def run_by_key(nb: Notebook, code: str, key: str, selector: str | None,
               keep: int) -> tuple[int, float]:
    """Put ``code`` in a new cell, select it, press ``key``; (cell index, ms to shown).

    ``selector``: an element of the output that means "shown" ("pixels": painted pixels,
    see ``WATCH_PIXELS``; None: the widget's first paint). The cells after the first
    ``keep`` (earlier runs) are deleted first.
    """
    cell = nb.page.evaluate(INSERT, {"path": nb.path, "code": code, "keep": keep})
    nb.page.wait_for_timeout(300)
    nb.page.locator(f'[data-e2e-cell="{cell}"] .jp-InputArea-prompt').click()
    nb.page.wait_for_timeout(300)
    if selector == "pixels":
        nb.page.evaluate(WATCH_PIXELS, [cell])
    elif selector:
        nb.page.evaluate(WATCH_OUTPUT, [cell, selector])
    nb.page.keyboard.press(key)
    if selector:
        nb.page.wait_for_function("() => window.__shownAt !== null", timeout=60_000)
        shown = nb.page.evaluate("() => window.__shownAt")
    else:
        shown = wait_attr(nb, cell, "firstPaintAt")
    elapsed = float(shown) - float(nb.page.evaluate("() => window.__keyAt"))
    nb.page.wait_for_function(
        f"() => ({_FIND_PANEL})({nb.path!r}).sessionContext.session.kernel.status === 'idle'")
    nb.page.wait_for_timeout(300)
    return cell, elapsed


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.0f}" if values else "-"


def spread(values: list[float]) -> str:
    return f"{min(values):.0f}–{max(values):.0f}"


def bench_baselines(nb: Notebook, repeats: int, keep: int) -> list[list[str]]:
    rows = []
    for name, code, selector in [
            ("print('x')", "print('x')", ".jp-OutputArea-output"),
            ("IPython Image, 1000×750 JPEG", "Image(preview)", ".jp-OutputArea-output img")]:
        row = [name, "-"]
        for key in KEYS.values():
            times = [run_by_key(nb, code, key, selector, keep)[1] for _ in range(repeats)]
            row += [f"{median(times)} ({spread(times)})"]
        rows.append([*row, "-", "-"])
    return rows


def bench_preview_alone(nb: Notebook, jpeg: Path, repeats: int) -> list[list[str]]:
    """The kernel's unavoidable share: making the preview of the JPEG inside a running cell
    (the page and the server are busy with the cell meanwhile), with no widget."""
    times = []
    for _ in range(repeats):
        nb.run(f"_s = _t.perf_counter()\nprepare_image({jpeg.name!r}).preview\n"
               "_preview_ms = (_t.perf_counter() - _s) * 1000")
        times.append(float(nb.kernel_json("_preview_ms")))
        nb.page.wait_for_timeout(300)
    return [["preview of the 4000×3000 JPEG alone (in a cell, no widget)",
             f"{median(times)} ({spread(times)})", "-", "-", "-", "-"]]


def bench_widget(nb: Notebook, cases: list[tuple[str, str]], repeats: int,
                 keep: int) -> list[list[str]]:
    rows = []
    for name, make in cases:
        code = (f"import time as _t\n_s = _t.perf_counter()\nw = {make}\n"
                "_build_ms = (_t.perf_counter() - _s) * 1000\nw")
        row, builds, renders, fulls = [name], [], [], []
        per_key = []
        for key in KEYS.values():
            times = []
            for _ in range(repeats):
                cell, elapsed = run_by_key(nb, code, key, None, keep)
                times.append(elapsed)
                renders.append(float(root_attr(nb, cell, "firstPaint") or "nan"))
                fulls.append(wait_attr(nb, cell, "fullReady") - renders[-1])
                builds.append(float(nb.kernel_json("_build_ms")))
            per_key.append(f"{median(times)} ({spread(times)})")
        rows.append([*row, median(builds), *per_key, median(renders), f"+{median(fulls)}"])
    return rows


def bench_peers(nb: Notebook, jpeg: Path, repeats: int, keep: int) -> list[list[str]]:
    """The peers on the 4000×3000 JPEG, when they are installed in the kernel's environment."""
    rows = []
    for name, (module, make) in PEERS.items():
        if not nb.kernel_json(f"__import__('importlib.util').util.find_spec({module!r}) "
                              "is not None"):
            print(f"({name} is not installed: pip install it to measure it)")
            continue
        row = [f"{name}, 4000×3000 JPEG", "-"]
        for key in KEYS.values():
            times = [run_by_key(nb, make.format(path=jpeg.name), key, "pixels", keep)[1]
                     for _ in range(repeats)]
            row.append(f"{median(times)} ({spread(times)})")
        rows.append([*row, "-", "-"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per case and key")
    parser.add_argument("--quick", action="store_true", help="3 runs per case and key")
    parser.add_argument("--peers", action="store_true",
                        help="also jupyter-bbox-widget and ipyannotations, if installed")
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats
    load_start = os.getloadavg()[0]
    with open_lab() as lab:
        cases = []
        for label, (w, h) in {"4000×3000 JPEG": (4000, 3000),
                              "6000×4000 JPEG (24 MP)": (6000, 4000)}.items():
            path = lab.server.root / f"photo_{w}x{h}.jpg"
            size = make_jpeg(path, w, h)
            cases.append((f"{label}, {size / 1e6:.1f} MB",
                          f"ImageAnnotator({path.name!r}, labels=['car'])"))
        cases.insert(1, ("4000×3000 numpy array", "ImageAnnotator(big, labels=['car'])"))
        jpeg = lab.server.root / "photo_4000x3000.jpg"
        nb = lab.notebook("paint.ipynb", init_script=KEY_CLOCK)
        # Warm up: the widget's module once per page, Pillow once per kernel.
        warm = nb.run(SETUP)
        wait_attr(nb, warm, "firstPaint")
        baseline_rows = [*bench_baselines(nb, repeats, warm + 1),
                         *bench_preview_alone(nb, jpeg, repeats)]
        widget_rows = bench_widget(nb, cases, repeats, warm + 1)
        peer_rows = (bench_peers(nb, jpeg, repeats, warm + 1) if args.peers else [])
    table(f"First paint, ms from the key press (median and range of {repeats} runs)",
          ["shown", "Python build", *[f"{k} → shown" for k in KEYS], "render → paint",
           "full res ready"], baseline_rows + widget_rows + peer_rows)
    print(f"\nload average during the run: {load_start:.1f} -> {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores); wall-clock figures grow with it")


SETUP = """
import numpy as np
import PIL.Image, PIL.JpegImagePlugin
from IPython.display import Image
import time as _t
from nbannotate import ImageAnnotator
from nbannotate.image._preview import prepare_image
y_, x_ = np.mgrid[0:3000, 0:4000]
big = np.stack([x_ * 255 // 3999, y_ * 255 // 2999, (x_ ^ y_) % 256], axis=-1).astype(np.uint8)
import io
from sklearn.datasets import load_sample_images
_out = io.BytesIO()
PIL.Image.fromarray(load_sample_images().images[0]).resize((1000, 750)).save(
    _out, "JPEG", quality=85)
preview = _out.getvalue()
ImageAnnotator(np.zeros((10, 10)), labels=['a'])
"""

if __name__ == "__main__":
    main()

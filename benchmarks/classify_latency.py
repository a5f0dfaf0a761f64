"""Key press to next item on screen for a ClassLabeler whose callback shows the next item.

A ClassLabeler over scikit-learn's digits (8×8 images, scaled up) in a real JupyterLab +
headless Chromium; its ``on_submit`` callback shows the next digit with a note naming it
(``shown #k``). For each key press the page records ``performance.now()`` at the keydown
(a capturing listener on window, first to see it) and when the note of the next item is in
the DOM (a MutationObserver on the output); the difference is the loop as a person sees it:
browser -> kernel, the callback, the next item encoded and sent -> browser, drawn. No
learner, no store: the labeler alone.

The same script measures whichever nbannotate the kernel imports (``PYTHONPATH``), so the
figure before a change is taken by pointing it at the earlier source tree (with its front end
built): ``PYTHONPATH=/path/to/earlier python benchmarks/classify_latency.py``.

Run: ``python benchmarks/classify_latency.py [--presses 60]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _lab import open_lab, table

SETUP = """
import nbannotate
from sklearn.datasets import load_digits
from nbannotate import ClassLabeler
digits = load_digits()
state = {"k": 0}
def next_item(value):
    state["k"] += 1
    w.show(digits.images[state["k"]] / 16, note=f"shown #{state['k']}")
w = ClassLabeler(digits.images[0] / 16, labels=range(10), note="shown #0")
w.on_submit(next_item)
w
"""

# Installed before the page's own scripts, so that its keydown listener is the first one.
KEYDOWN = """
window.__nba = {pressed: null, expect: 1, seen: []};
window.addEventListener('keydown', () => { window.__nba.pressed = performance.now(); }, true);
"""

PROBE = """
(index) => {
  const out = document.querySelector(`[data-e2e-cell="${index}"] .jp-OutputArea`);
  new MutationObserver(() => {
    const probe = window.__nba;
    if (probe.pressed !== null && out.textContent.includes(`shown #${probe.expect}`)) {
      probe.seen.push(performance.now() - probe.pressed);
      probe.pressed = null;
      probe.expect += 1;
    }
  }).observe(out, {subtree: true, childList: true, characterData: true, attributes: true});
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args()
    with open_lab() as lab:
        nb = lab.notebook("classify_latency.ipynb", init_script=KEYDOWN)
        cell = nb.run(SETUP)
        source = nb.kernel_json("nbannotate.__file__")
        image = nb.output(cell, ".nba-classify img")
        image.wait_for(state="visible")
        nb.page.evaluate(PROBE, cell)
        for k in range(args.presses):
            image.hover()
            nb.page.keyboard.press(str((k * 7) % 10))
            nb.page.wait_for_function(f"() => window.__nba.seen.length > {k}", timeout=30_000)
        seen = np.asarray(nb.page.evaluate("() => window.__nba.seen"), dtype=float)
        shown = int(nb.kernel_json("state['k']"))
    table(f"ClassLabeler: key press -> next item on screen (ms), nbannotate from {source}",
          ["presses", "items shown", "median", "p95", "max"],
          [[len(seen), shown, float(np.median(seen)), float(np.percentile(seen, 95)),
            float(seen.max())]])


if __name__ == "__main__":
    main()

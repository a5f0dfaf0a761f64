"""Time from an answer to the next item on screen in a labeling Session, store commit included.

Part 1 (headless, always): ``Session.submit(label)`` does everything a key press does on the
kernel side: commit the label to the SQLite store (WAL, one transaction), teach the learner
(the refit runs in its background thread), pick the next item (``learner.next``), encode it
(PNG) and update the widgets. Pools: scikit-learn's digits (1,797 8×8 images, 64 pixel
features) and a synthetic pool of 50,000 8×8 images with 64-d features (10 classes). Printed
per pool: ``submit()`` median / p95 in ms over ``--steps`` answers (a person's pace is
simulated by nothing: answers come back to back while refits run), and the store commit alone
(``Store.replace`` of one class record) for comparison.

Part 2 (browser, skipped with ``--no-browser``): the digits session in a real JupyterLab +
headless Chromium. For each key press, the page records ``performance.now()`` at the keydown
and when the next item's note appears (a MutationObserver); the difference is the whole loop
as a person sees it: browser → kernel (the labeler's action message), store commit, teach,
next item, widget updates → browser, while the learner refits in its background thread after every
answer (no cell running: ipykernel 7.4 routes a comm's messages to the shell that last
published on it, the main shell here, so a running cell delays key handling until it ends).

Run: ``python benchmarks/session_latency.py [--quick] [--steps 60] [--no-browser]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbannotate import Store, label


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def synthetic(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, n)
    centers = rng.normal(0.0, 1.0, (10, 64))
    features = centers[y] + 1.5 * rng.standard_normal((n, 64))
    images = np.clip((features.reshape(n, 8, 8) + 4) / 8, 0, 1)
    return images, features, y


def headless(name: str, images: np.ndarray, features: np.ndarray, truth: np.ndarray,
             steps: int) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="nba-bench-"))
    session = label(images, labels=range(10), features=features, store=folder / "s.db")
    times = []
    for _ in range(steps):
        answer = int(truth[session.current])
        start = time.perf_counter()
        session.submit(answer)
        times.append((time.perf_counter() - start) * 1000)
    session.wait()
    refits = len(session.learner.history)
    session.close()
    commits = []
    with Store(folder / "commit.db") as store:
        for i in range(steps):
            start = time.perf_counter()
            store.replace(i, [{"id": "class", "label": "3", "source": "human"}], kind="class")
            commits.append((time.perf_counter() - start) * 1000)
    return {"pool": name, "items": len(images), "answers": steps,
            "submit_median": pct(times, 50), "submit_p95": pct(times, 95),
            "commit_median": pct(commits, 50), "refits": refits}


BROWSER_SETUP = """
from sklearn.datasets import load_digits
from nbannotate import label
digits = load_digits()
session = label(digits.images / 16, labels=range(10), features=digits.data / 16,
                store="bench.db")
session
"""

# Installed before the page's own scripts: its keydown listener is the first to see a key
# (the labeler stops its keys from reaching listeners after its own).
KEYDOWN = """
window.__nba = {pressed: null, seen: []};
window.addEventListener('keydown', () => { window.__nba.pressed = performance.now(); }, true);
"""

INSTALL_PROBE = """
(index) => {
  const out = document.querySelector(`[data-e2e-cell="${index}"] .jp-OutputArea`);
  const note = out.querySelector('.nba-classify-note');
  window.__nba.pressed = null;
  new MutationObserver(() => {
    if (window.__nba.pressed !== null) {
      window.__nba.seen.push(performance.now() - window.__nba.pressed);
      window.__nba.pressed = null;
    }
  }).observe(note, {subtree: true, childList: true, characterData: true});
}
"""


def browser(steps: int) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, LabServer, Notebook

    server = LabServer(Path(tempfile.mkdtemp(prefix="nba-bench-lab-"))).start()
    rows = []
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = chromium.new_context(viewport={"width": 1280, "height": 1000})
            context.add_init_script(KEYDOWN)
            page = context.new_page()
            nb = Notebook(page, server, server.create_notebook("bench.ipynb")).open()
            cell = nb.run(BROWSER_SETUP)
            image = nb.output(cell, ".nba-classify img")
            image.wait_for(state="visible")
            page.evaluate(INSTALL_PROBE, cell)
            page.evaluate("() => { window.__nba.seen = []; }")
            for _ in range(steps):
                digit = int(nb.kernel_json("int(digits.target[session.current])"))
                before = len(page.evaluate("() => window.__nba.seen"))
                image.hover()
                page.keyboard.press(str(digit))
                page.wait_for_function(f"() => window.__nba.seen.length > {before}",
                                       timeout=30_000)
            seen = page.evaluate("() => window.__nba.seen")
            refits = int(nb.kernel_json("len(session.learner.history)"))
            rows.append({"answers": len(seen), "median": pct(seen, 50), "p95": pct(seen, 95),
                         "refits": refits})
            chromium.close()
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="digits only, 20 answers")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    steps = 20 if args.quick else args.steps
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    digits = load_digits()
    pools = [("digits", digits.images / 16, digits.data / 16, digits.target)]
    if not args.quick:
        pools.append(("synthetic", *synthetic(50_000)))
    print("Session.submit(): store commit + teach + next item shown (headless, ms)")
    print(f"{'pool':<10} {'items':>7} {'answers':>8} {'median':>8} {'p95':>8} "
          f"{'commit only':>12} {'refits':>7}")
    for name, images, features, truth in pools:
        r = headless(name, images, features, truth, steps)
        print(f"{r['pool']:<10} {r['items']:>7} {r['answers']:>8} {r['submit_median']:>8.1f} "
              f"{r['submit_p95']:>8.1f} {r['commit_median']:>12.2f} {r['refits']:>7}")
    if args.no_browser:
        return
    print("\nKey press to next item on screen, JupyterLab + Chromium, digits (ms)")
    print(f"{'answers':>8} {'median':>8} {'p95':>8} {'refits':>7}")
    for row in browser(max(10, steps // 2)):
        print(f"{row['answers']:>8} {row['median']:>8.1f} {row['p95']:>8.1f} "
              f"{row['refits']:>7}")


if __name__ == "__main__":
    main()

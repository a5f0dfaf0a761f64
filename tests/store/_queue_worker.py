"""One annotator process of the shared queue; used by tests/store/test_queue_processes.py.

Usage: ``python _queue_worker.py LOCATION DATASET NAME ITEMS LEASE OVERLAP IDLE [hold]``

Prints ``ready`` once the store is open, then waits for ``go`` on stdin so that several
annotators start together. Then, over the items ``item-0`` .. ``item-{ITEMS-1}``:

* default mode: claims the next open item, prints ``claim ITEM TIME``, labels it (the label is
  the annotator's name) and prints ``done ITEM`` once committed; when nothing is open it
  polls until nothing has been open for IDLE seconds, then prints ``finished``;
* ``hold``: claims one item, prints ``holding ITEM`` and sleeps while the queue renews the
  lease in the background (until it is killed).
"""

from __future__ import annotations

import sys
import time
import types
from pathlib import Path

# Import nbannotate.store without nbannotate/__init__.py (the widget stack: seconds per process)
_package = types.ModuleType("nbannotate")
_package.__path__ = [str(Path(__file__).resolve().parents[2] / "nbannotate")]
sys.modules.setdefault("nbannotate", _package)

from nbannotate.store import Store  # noqa: E402


def main(location: str, dataset: str, name: str, items: int, lease: float, overlap: float,
         idle: float, mode: str) -> int:
    store = Store(location, dataset=dataset, annotator=name)
    queue = store.queue(lease=lease, overlap=overlap, overlap_annotators=2)
    order = [f"item-{i}" for i in range(items)]
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    if mode == "hold":
        print(f"holding {queue.claim(order)}", flush=True)
        while True:
            time.sleep(60)
    last = time.monotonic()
    while time.monotonic() - last < idle:
        item = queue.claim(order)
        if item is None:
            time.sleep(0.05)
            continue
        print(f"claim {item} {time.time():.6f}", flush=True)
        queue.complete(item, [{"id": "class", "label": name}], kind="class")
        print(f"done {item}", flush=True)
        last = time.monotonic()
    queue.close()
    store.close()
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], args[1], args[2], int(args[3]), float(args[4]), float(args[5]),
                  float(args[6]), args[7] if len(args) > 7 else "label"))

"""Write annotations to a store in a loop; used by tests/test_store_concurrency.py.

Usage: ``python _store_writer.py PATH NAME ITERATIONS`` (``ITERATIONS`` 0 means forever).

Prints ``ready`` once imported, then waits for ``go`` on stdin so that several writers start
together. After each write has returned (been committed) it prints one line per record
written, ``ack ITEM RECORD_ID``, flushed, and ``done`` at the end. Each iteration writes:

* one record to an item of its own (``NAME-item-I``);
* one record to an item shared with other writers (``shared-K``);
* every 5th iteration, three records at once to an item of its own (``replace``);
* every 10th iteration, an update of one record shared with other writers (``common/c``).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

# Import nbannotate.store without running nbannotate/__init__.py, which loads the whole widget
# stack (IPython, ipywidgets: seconds per process). The store needs only nbannotate.records.
_package = types.ModuleType("nbannotate")
_package.__path__ = [str(Path(__file__).resolve().parents[2] / "nbannotate")]
sys.modules.setdefault("nbannotate", _package)

from nbannotate.store import Store  # noqa: E402


def main(path: str, name: str, iterations: int) -> int:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    with Store(path, annotator=name) as store:
        i = 0
        while iterations == 0 or i < iterations:
            rid = f"{name}-{i}"
            store.add(f"{name}-item-{i}", {"id": rid, "label": "cat"})
            print(f"ack {name}-item-{i} {rid}", flush=True)
            store.add(f"shared-{i % 7}", {"id": rid, "x": i, "y": 1, "w": 2, "h": 3,
                                          "label": "dog"})
            print(f"ack shared-{i % 7} {rid}", flush=True)
            if i % 5 == 0:
                batch = [{"id": f"{rid}-{k}", "start": float(k), "end": k + 0.5, "label": "bird"}
                         for k in range(3)]
                store.replace(f"{name}-batch-{i}", batch)
                for record in batch:
                    print(f"ack {name}-batch-{i} {record['id']}", flush=True)
            if i % 10 == 0:
                store.add("common", {"id": "c", "label": name})
                print("ack common c", flush=True)
            i += 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))

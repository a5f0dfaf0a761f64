"""One annotator process running a team-mode ``label(...)`` session; used by
tests/session/test_session_team_processes.py.

Usage: ``python _team_worker.py LOCATION DATASET NAME ITEMS LEASE OVERLAP IDLE [hold]``

Opens ``label(digits, ..., store=LOCATION, annotator=NAME, ids=..., dataset=DATASET,
lease=LEASE, overlap=OVERLAP)`` over the first ITEMS of scikit-learn's digits (ids ``d0`` ..),
prints ``ready`` and waits for ``go`` on stdin so that several annotators start together.

* default mode: answers every item the session shows with its true digit, as a person pressing
  its key would (``session.submit``), printing ``done ITEM TIME`` after each answer; when the
  session shows nothing it waits (the session asks the queue again in the background) until
  nothing has been shown for IDLE seconds, then prints ``n_human N`` (the labels this kernel's
  model learned from: everyone's), ``refits N`` and ``finished``;
* ``hold``: prints ``holding ITEM`` (the item on screen, leased to it and renewed in the
  background) and sleeps until it is killed;
* ``late``: prints ``holding ITEM``, waits for a line on stdin (meanwhile the test may stop the
  process past its lease), then answers the item and prints ``message TEXT`` (the session's
  message line) and ``finished``.
"""

from __future__ import annotations

import sys
import time

from sklearn.datasets import load_digits

from nbannotate import label


def main(location: str, dataset: str, name: str, items: int, lease: float, overlap: float,
         idle: float, mode: str) -> int:
    digits = load_digits()
    ids = [f"d{i}" for i in range(items)]
    truth = {key: int(t) for key, t in zip(ids, digits.target[:items], strict=True)}
    session = label(digits.images[:items] / 16, labels=range(10),
                    features=digits.data[:items] / 16, store=location, annotator=name,
                    ids=ids, dataset=dataset, lease=lease, overlap=overlap, team=True,
                    learner_options={"cv": 0})
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    if mode == "hold":
        print(f"holding {session.current}", flush=True)
        while True:
            time.sleep(60)
    if mode == "late":
        shown = session.current
        print(f"holding {shown}", flush=True)
        sys.stdin.readline()
        session.submit(truth[str(shown)])
        print("message " + " · ".join(session.widget.panel["lines"]), flush=True)
        session.close()
        print("finished", flush=True)
        return 0
    last = time.monotonic()
    while time.monotonic() - last < idle:
        shown = session.current
        if shown is None:
            time.sleep(0.05)
            continue
        session.submit(truth[str(shown)])
        print(f"done {shown} {time.time():.6f}", flush=True)
        last = time.monotonic()
    session.wait(60)
    print(f"n_human {session.learner.n_human}", flush=True)
    print(f"refits {len(session.learner.history)}", flush=True)
    session.close()
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], args[1], args[2], int(args[3]), float(args[4]), float(args[5]),
                  float(args[6]), args[7] if len(args) > 7 else "label"))

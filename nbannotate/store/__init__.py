"""Durable annotation storage: an SQLite file with an append-only history and a current view.

A :class:`Store` keeps two things for every item (an image, a document, a clip, a row):

* the **current annotations**: the item's records as they are now, in order;
* the **history**: every change ever made, oldest first, each with who made it (the
  annotator), when (UTC), the item id, the record and the event: ``"add"``, ``"update"``,
  ``"remove"`` or ``"replace"``.

Every write is one SQLite transaction and returns only after it has committed, so a label
that the person saw as saved survives the kernel being killed. Several threads (one
connection each) and several processes (two notebooks on one dataset) may write to the same
file at once. Every SQL statement lives in ``_sql.py`` and everything SQLite-specific in
``_sqlite.py``, so that another engine (PostgreSQL) can later sit behind the same interface.

Item ids are ``str`` or ``int``; they are stored as text and always returned as ``str``
(``5`` and ``"5"`` name the same item). Records are validated and normalized by
:func:`nbannotate.records.validate_record` before they are stored.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.db"
>>> with Store(path, annotator="ana") as store:
...     box = store.add("img-1", {"id": "b1", "x": 10, "y": 20, "w": 30, "h": 40, "label": "cat"})
...     [event["event"] for event in store.history("img-1")]
['add']
>>> Store(path).get("img-1")[0]["w"]
30.0
"""

from ._frame import ANNOTATION_COLUMNS
from ._sql import SCHEMA_VERSION
from ._store import Store

__all__ = ["ANNOTATION_COLUMNS", "SCHEMA_VERSION", "Store"]

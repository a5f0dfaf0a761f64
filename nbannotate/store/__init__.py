"""Durable annotation storage: an SQLite file or a PostgreSQL database, with an append-only
history, a current view, and a shared queue for teams.

A :class:`Store` keeps two things for every item (an image, a document, a clip, a row):

* the **current annotations**: the item's records as they are now, in order;
* the **history**: every change ever made, oldest first, each with who made it (the
  annotator), when (UTC), the item id, the record and the event: ``"add"``, ``"update"``,
  ``"remove"`` or ``"replace"``.

Every write is one transaction and returns only after it has committed, so a label that
the person saw as saved survives the kernel being killed. Several threads (one connection
each) and several processes (two notebooks on one dataset) may write to the same file at
once. ``Store("postgresql://user@host:port/db")`` gives the same interface on PostgreSQL
(psycopg 3, the ``team`` extra), for several machines; one database (or file) holds several
datasets, named by ``dataset=``. Every SQL statement lives in ``_sql.py``, the tables and
their migrations in ``_schema.py``, each engine in ``_sqlite.py`` and ``_postgres.py``.

Teams label through :class:`Queue` (``store.queue(annotator=...)``): leased claims of the
next item, overlap items for several annotators, and :meth:`Store.labels_since` to learn of
everyone's labels.

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

from ._errors import (
    AnnotatorInUseError,
    LeaseLostError,
    StoreConnectionError,
    StoreOfflineError,
)
from ._frame import ANNOTATION_COLUMNS
from ._queue import Queue
from ._schema import DEFAULT_DATASET, SCHEMA_VERSION
from ._store import Store

__all__ = ["ANNOTATION_COLUMNS", "DEFAULT_DATASET", "SCHEMA_VERSION", "AnnotatorInUseError",
           "LeaseLostError", "Queue", "Store", "StoreConnectionError", "StoreOfflineError"]

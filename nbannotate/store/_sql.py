"""Every SQL statement the store runs, in one place (so that another engine can follow)."""

from __future__ import annotations

SCHEMA_VERSION = 1
"""Version of the store's tables; a store written by a newer version is refused."""

FORMAT = "nbannotate"
"""Value of the ``format`` meta key that marks a database as an nbannotate store."""

RESERVED_META = frozenset({"format", "schema_version", "created_at"})

SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # n gives the order in which items were first annotated
    "CREATE TABLE items (n INTEGER PRIMARY KEY, item_id TEXT NOT NULL UNIQUE)",
    "CREATE TABLE annotations (item_id TEXT NOT NULL, record_id TEXT NOT NULL,"
    " position INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, annotator TEXT,"
    " updated_at TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (item_id, record_id))",
    "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL,"
    " record_id TEXT NOT NULL, event TEXT NOT NULL"
    " CHECK (event IN ('add', 'update', 'remove', 'replace')), kind TEXT NOT NULL,"
    " source TEXT NOT NULL, annotator TEXT, at TEXT NOT NULL, record TEXT NOT NULL)",
    "CREATE INDEX events_by_item ON events (item_id, seq)",
)
TABLES = frozenset({"meta", "items", "annotations", "events"})

LIST_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
GET_META = "SELECT value FROM meta WHERE key = ?"
SET_META = ("INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
ADD_ITEM = "INSERT INTO items (item_id) VALUES (?) ON CONFLICT (item_id) DO NOTHING"
FIND = ("SELECT kind, source, record, position FROM annotations"
        " WHERE item_id = ? AND record_id = ?")
CURRENT = ("SELECT record_id, kind, source, record, position FROM annotations"
           " WHERE item_id = ? ORDER BY position")
NEXT_POSITION = "SELECT COALESCE(MAX(position) + 1, 0) FROM annotations WHERE item_id = ?"
INSERT = ("INSERT INTO annotations (item_id, record_id, position, kind, source, annotator,"
          " updated_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
UPDATE = ("UPDATE annotations SET position = ?, kind = ?, source = ?, annotator = ?,"
          " updated_at = ?, record = ? WHERE item_id = ? AND record_id = ?")
MOVE = "UPDATE annotations SET position = ? WHERE item_id = ? AND record_id = ?"
DELETE = "DELETE FROM annotations WHERE item_id = ? AND record_id = ?"
LOG = ("INSERT INTO events (item_id, record_id, event, kind, source, annotator, at, record)"
       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
GET = "SELECT record FROM annotations WHERE item_id = ? ORDER BY position"
ITEMS = ("SELECT item_id FROM items WHERE EXISTS"
         " (SELECT 1 FROM annotations a WHERE a.item_id = items.item_id) ORDER BY n")
COUNT = "SELECT COUNT(*) FROM annotations"
COUNTS = "SELECT COUNT(DISTINCT item_id), COUNT(*) FROM annotations"
ANNOTATIONS = ("SELECT a.item_id, a.kind, a.annotator, a.updated_at, a.record"
               " FROM annotations a JOIN items i ON i.item_id = a.item_id"
               " ORDER BY i.n, a.position")
_EVENTS = ("SELECT seq, event, item_id, record_id, kind, source, annotator, at, record"
           " FROM events")
HISTORY = _EVENTS + " WHERE item_id = ? ORDER BY seq"
HISTORY_ALL = _EVENTS + " ORDER BY seq"

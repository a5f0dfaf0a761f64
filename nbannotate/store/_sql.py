"""Every SQL statement the store runs, in one place, written once for SQLite and PostgreSQL.

Parameters are written ``?``; the PostgreSQL engine sends them as ``%s``. The few statements
that differ between engines (passing a list of ids, row locks) come in pairs, one per dialect.
Every statement names its dataset first.
"""

from __future__ import annotations

import json

from ._schema import FORMAT, SCHEMA_VERSION

__all__ = ["FORMAT", "SCHEMA_VERSION"]

RESERVED_META = frozenset({"format", "schema_version", "created_at"})

GET_META = "SELECT value FROM meta WHERE dataset = ? AND key = ?"
SET_META = ("INSERT INTO meta (dataset, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (dataset, key) DO UPDATE SET value = excluded.value")
ADD_ITEM = ("INSERT INTO items (dataset, item_id) VALUES (?, ?)"
            " ON CONFLICT (dataset, item_id) DO NOTHING")
# (dataset, item_id, owner) name one list of records: the item's shared list (owner '') or
# the list one annotator keeps of the item in team mode
FIND = ("SELECT kind, source, record, position FROM annotations"
        " WHERE dataset = ? AND item_id = ? AND owner = ? AND record_id = ?")
CURRENT = ("SELECT record_id, kind, source, record, position FROM annotations"
           " WHERE dataset = ? AND item_id = ? AND owner = ? ORDER BY position")
NEXT_POSITION = ("SELECT COALESCE(MAX(position) + 1, 0) FROM annotations"
                 " WHERE dataset = ? AND item_id = ? AND owner = ?")
INSERT = ("INSERT INTO annotations (dataset, item_id, owner, record_id, position, kind, source,"
          " annotator, updated_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
UPDATE = ("UPDATE annotations SET position = ?, kind = ?, source = ?, annotator = ?,"
          " updated_at = ?, record = ?"
          " WHERE dataset = ? AND item_id = ? AND owner = ? AND record_id = ?")
MOVE = ("UPDATE annotations SET position = ?"
        " WHERE dataset = ? AND item_id = ? AND owner = ? AND record_id = ?")
DELETE = ("DELETE FROM annotations"
          " WHERE dataset = ? AND item_id = ? AND owner = ? AND record_id = ?")
LOG = ("INSERT INTO events (dataset, item_id, owner, record_id, event, kind, source, annotator,"
       " at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
GET = ("SELECT record FROM annotations WHERE dataset = ? AND item_id = ?"
       " ORDER BY owner, position")
GET_OWN = ("SELECT record FROM annotations WHERE dataset = ? AND item_id = ? AND owner = ?"
           " ORDER BY position")
ITEMS = ("SELECT item_id FROM items WHERE dataset = ? AND EXISTS (SELECT 1 FROM annotations a"
         " WHERE a.dataset = items.dataset AND a.item_id = items.item_id) ORDER BY n")
COUNT = "SELECT COUNT(*) FROM annotations WHERE dataset = ?"
COUNTS = "SELECT COUNT(DISTINCT item_id), COUNT(*) FROM annotations WHERE dataset = ?"
ANNOTATIONS = ("SELECT a.item_id, a.kind, a.annotator, a.owner, a.updated_at, a.record"
               " FROM annotations a JOIN items i"
               " ON i.dataset = a.dataset AND i.item_id = a.item_id"
               " WHERE a.dataset = ? ORDER BY i.n, a.owner, a.position")
DATASETS = ("SELECT DISTINCT dataset FROM meta WHERE dataset <> '' UNION"
            " SELECT DISTINCT dataset FROM items ORDER BY 1")
_EVENTS = ("SELECT seq, event, item_id, record_id, kind, source, annotator, owner, at,"
           " record FROM events")
HISTORY = _EVENTS + " WHERE dataset = ? AND item_id = ? ORDER BY seq"
HISTORY_ALL = _EVENTS + " WHERE dataset = ? ORDER BY seq"
SINCE = _EVENTS + " WHERE dataset = ? AND seq > ? ORDER BY seq LIMIT ?"
LAST_SEQ = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE dataset = ?"

# -- the shared queue -----------------------------------------------------------------------

# the live session of an annotator name: take it if free, expired or already ours
TAKE_NAME = ("INSERT INTO annotators (dataset, annotator, token, alive_until)"
             " VALUES (?, ?, ?, ?) ON CONFLICT (dataset, annotator) DO UPDATE"
             " SET token = excluded.token, alive_until = excluded.alive_until"
             " WHERE annotators.token = excluded.token OR annotators.alive_until < ?"
             " RETURNING token")
NAME_HOLDER = "SELECT token, alive_until FROM annotators WHERE dataset = ? AND annotator = ?"
DROP_NAME = "DELETE FROM annotators WHERE dataset = ? AND annotator = ? AND token = ?"

# (dataset, item_id, capacity) rows for a list of candidates, from JSON [[id, capacity], ...]
ENQUEUE = {
    "sqlite": "INSERT INTO queue (dataset, item_id, capacity) SELECT ?,"
              " json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)"
              " WHERE true ON CONFLICT (dataset, item_id) DO NOTHING",
    "postgresql": "INSERT INTO queue (dataset, item_id, capacity) SELECT ?, c.value ->> 0,"
                  " (c.value ->> 1)::integer FROM jsonb_array_elements(?::jsonb) AS c(value)"
                  " ON CONFLICT (dataset, item_id) DO NOTHING",
}
# An item is open to annotator A when A has not finished it and fewer than its capacity of
# other annotators hold it (an unexpired lease) or have finished it. One correlated lookup
# per candidate on the claims' primary key; A's own finished claim counts as the capacity.
# params: annotator, now
_OPEN = ("(SELECT COALESCE(SUM(CASE WHEN o.annotator = ?"
         " THEN (CASE WHEN o.state = 'done' THEN q.capacity ELSE 0 END)"
         " WHEN o.state = 'done' OR o.until > ? THEN 1 ELSE 0 END), 0)"
         " FROM claims o WHERE o.dataset = q.dataset AND o.item_id = q.item_id) < q.capacity")
# The first open candidate, in priority order. SQLite: the candidates as a JSON list; params:
# candidates, dataset, annotator, now. PostgreSQL: looked up on the primary key (whatever the
# table's statistics say) and locked, skipping rows another claim has locked; params:
# dataset, candidates (a list), annotator, now, candidates.
PICK = {
    "sqlite": "WITH c AS (SELECT CAST(key AS INTEGER) AS rank, value AS item_id"
              " FROM json_each(?)) SELECT q.item_id FROM c JOIN queue q"
              f" ON q.dataset = ? AND q.item_id = c.item_id WHERE {_OPEN}"
              " ORDER BY c.rank LIMIT 1",
    "postgresql": "SELECT q.item_id FROM queue q WHERE q.dataset = ?"
                  f" AND q.item_id = ANY(?::text[]) AND {_OPEN}"
                  " ORDER BY array_position(?::text[], q.item_id) LIMIT 1"
                  " FOR UPDATE OF q SKIP LOCKED",
}


def pick_params(dialect: str, candidates: list[str], dataset: str, annotator: str,
                now: float) -> tuple[object, ...]:
    """The parameters of ``PICK[dialect]``."""
    if dialect == "sqlite":
        return (json.dumps(candidates, ensure_ascii=False), dataset, annotator, now)
    return (dataset, candidates, annotator, now, candidates)


# params: dataset, item, annotator, now (run while holding the item's row lock)
STILL_OPEN = f"SELECT COUNT(*) FROM queue q WHERE q.dataset = ? AND q.item_id = ? AND {_OPEN}"
# the item's queue row, locked until the end of the transaction (PostgreSQL)
LOCK_ITEM = {
    "sqlite": "SELECT 1 FROM queue WHERE dataset = ? AND item_id = ?",
    "postgresql": "SELECT 1 FROM queue WHERE dataset = ? AND item_id = ? FOR UPDATE",
}
DROP_EXPIRED = ("DELETE FROM claims WHERE dataset = ? AND item_id = ? AND state = 'held'"
                " AND until <= ?")
HOLD = ("INSERT INTO claims (dataset, item_id, annotator, state, claimed_at, until)"
        " VALUES (?, ?, ?, 'held', ?, ?) ON CONFLICT (dataset, item_id, annotator)"
        " DO UPDATE SET until = excluded.until WHERE claims.state = 'held'")
RENEW = ("UPDATE claims SET until = ? WHERE dataset = ? AND item_id = ? AND annotator = ?"
         " AND state = 'held'")
RELEASE = ("DELETE FROM claims WHERE dataset = ? AND item_id = ? AND annotator = ?"
           " AND state = 'held'")
HELD_BY = ("SELECT COUNT(*) FROM claims WHERE dataset = ? AND item_id = ? AND annotator = ?"
           " AND state = 'held'")
FINISH = ("INSERT INTO claims (dataset, item_id, annotator, state, claimed_at, until)"
          " VALUES (?, ?, ?, 'done', ?, ?) ON CONFLICT (dataset, item_id, annotator)"
          " DO UPDATE SET state = 'done', until = excluded.until")
CLAIMS = ("SELECT item_id, annotator, state, claimed_at, until FROM claims WHERE dataset = ?"
          " ORDER BY item_id, claimed_at")

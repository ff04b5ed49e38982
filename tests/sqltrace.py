"""What the store tests share: the SQL a call runs, and how SQLite plans it."""

from __future__ import annotations

from collections.abc import Callable

from tracker.store import Store


def statements(store: Store, call: Callable[[], object]) -> list[str]:
    """The SQL ``call`` runs, with its parameters filled in."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    return seen


def plan(store: Store, sql: str) -> list[str]:
    return [row[3] for row in store.db.conn.execute("EXPLAIN QUERY PLAN " + sql)]

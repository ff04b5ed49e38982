"""The journal's storage: one SQLite file, opened through sqlite-utils.

``Store`` is the only way the rest of Tracker reads or writes the journal.
"""

from tracker.store.journal import Store

__all__ = ["Store"]

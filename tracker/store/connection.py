"""Opening the journal file safely: privacy, pragmas, recognising foreign files, migrating.

The rules, in order:
- the folder is created 0700 and the file 0600 before SQLite ever touches them, so the ``-wal``
  and ``-shm`` files (which SQLite creates with the database's own permissions) are 0600 too;
- a file that is not SQLite, or a SQLite database of another application, is refused with a
  message naming it, and is never modified;
- WAL mode, foreign keys, a busy timeout and full synchronous writes are switched on;
- pending migrations are applied, each in its own transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from tracker import paths
from tracker.errors import TrackerError
from tracker.store import schema

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


class JournalFileError(TrackerError):
    """The file given as the journal can't be used as one."""


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not an SQLite database, without opening it for writing."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise JournalFileError(
            f"{path} is not a Tracker journal (it isn't an SQLite database). "
            "Nothing was changed; choose another file with --db."
        )


def _check_is_ours(db: Database, path: Path) -> None:
    """Refuse a database that holds tables but isn't a Tracker journal."""
    names = set(db.table_names())
    if not names:
        return
    applied = (
        {m.name for m in schema.migrations.applied(db)} if "_sqlite_migrations" in names else set()
    )
    if not applied and names - {"_sqlite_migrations"}:
        raise JournalFileError(
            f"{path} is an SQLite database of another application, not a Tracker journal. "
            "Nothing was changed; choose another file with --db."
        )
    known = schema.migration_names()
    unknown = applied - known
    if unknown:
        raise JournalFileError(
            f"{path} was written by a newer version of Tracker. "
            "Please update Tracker to open it; nothing was changed."
        )


def connect(path: Path | str, *, migrate: bool = True, create: bool = True) -> Database:
    """Open the journal at ``path`` (creating it if ``create``) and bring its schema up to date.

    A file that isn't a Tracker journal is refused before anything is written to it: no chmod,
    no PRAGMA that changes the file, no migration.
    """
    path = Path(path)
    if str(path) == ":memory:":
        db = Database(memory=True, execute_plugins=False)
        _configure(db)
        if migrate:
            schema.migrations.apply(db)
        return db
    if path.is_dir():
        raise JournalFileError(f"{path} is a folder; --db needs a file name.")
    if path.exists():
        _check_header(path)
    elif not create:
        raise JournalFileError(
            f"There is no journal at {path} yet. Open the app with `tracker` to start one, "
            "or check the --db path."
        )
    else:
        paths.ensure_private_dir(path.parent if str(path.parent) else Path("."))
        try:
            paths.create_private_file(path)
        except OSError as error:
            raise JournalFileError(f"Can't create {path}: {error.strerror or error}.") from error
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise JournalFileError(f"Can't open {path}: {error}.") from error
    db = Database(conn, execute_plugins=False)
    try:
        _check_is_ours(db, path)  # reads only
        paths.ensure_private_dir(path.parent if str(path.parent) else Path("."))
        paths.make_private(path)
        _configure(db)
        if migrate:
            schema.migrations.apply(db)
    except JournalFileError:
        db.close()
        raise
    except sqlite3.DatabaseError as error:
        db.close()
        raise JournalFileError(
            f"{path} can't be read as a Tracker journal ({error}). Nothing was changed."
        ) from error
    for sidecar in paths.sidecar_files(path):
        paths.make_private(sidecar)
    return db


def _configure(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if not db.memory:
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise JournalFileError("The journal could not be switched to write-ahead logging.")
    db.execute("PRAGMA synchronous = FULL")

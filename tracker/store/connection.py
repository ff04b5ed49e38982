"""Opening the journal file safely: privacy, pragmas, recognising foreign or damaged files, keys.

The rules, in order:
- a new journal is made whole under a temporary name and renamed into place, so a journal file
  either doesn't exist or holds the full schema; an empty or unknown file is never "migrated";
- the folder is created 0700 and the file 0600 before SQLite ever touches them, so the ``-wal``
  and ``-shm`` files (which SQLite creates with the database's own permissions) are 0600 too;
- a file that is not a Tracker journal (text, JSON, another application's database) or is
  damaged (cut short, a broken header, a blank first page) is refused with a message naming it,
  and is never modified: no chmod, no PRAGMA that writes, no migration;
- an encrypted journal (SQLCipher) needs its passphrase; a wrong one is a clear error;
- WAL mode, foreign keys, secure delete, a busy timeout and full synchronous writes are switched
  on, and pending migrations are applied, each in its own transaction.

The app never deletes ``-wal`` or ``-journal`` files: SQLite replays them on open.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from tracker import paths
from tracker.errors import TrackerError
from tracker.store import driver, schema

BUSY_TIMEOUT_MS = int(driver.BUSY_TIMEOUT_S * 1000)
SQLITE_HEADER = b"SQLite format 3\x00"
PEEK_BYTES = 4096

FileKind = Literal["missing", "empty", "sqlite", "encrypted", "damaged", "text"]


class JournalFileError(TrackerError):
    """The file given as the journal can't be used as one. Nothing was changed."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class NotAJournal(JournalFileError):
    """Another kind of file: text, JSON, another application's database, an empty file."""


class DamagedJournal(JournalFileError):
    """A Tracker journal (or what should be one) that SQLite can't read as a whole."""


class PassphraseNeeded(JournalFileError):
    """The journal is encrypted and no passphrase was given."""


class WrongPassphrase(JournalFileError):
    """The passphrase doesn't open the journal (or the file isn't a journal at all)."""


class EncryptionUnavailable(JournalFileError):
    """The journal is encrypted but SQLCipher can't be loaded here."""


@dataclass(frozen=True)
class FileState:
    kind: FileKind
    detail: str = ""


def _wal_beside(path: Path) -> bool:
    """A ``-wal`` file with frames in it sits beside the journal."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 32  # more than its header
    except OSError:
        return False


def inspect_file(path: Path) -> FileState:
    """What ``path`` holds, judged from its first bytes only (never opened by SQLite)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return FileState("missing")
    if size == 0:
        return FileState("empty")
    with open(path, "rb") as handle:
        head = handle.read(PEEK_BYTES)
    if head.startswith(SQLITE_HEADER):
        if len(head) < 100:
            return FileState("damaged", f"it is cut short ({size} bytes)")
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(head[28:32], "big")
        valid_for = head[92:96] == head[24:28]
        if page_size < 512 or page_size & (page_size - 1):
            return FileState("damaged", "its header is broken")
        if valid_for and pages and size < pages * page_size and not _wal_beside(path):
            # With a -wal beside it, a shorter file is what a checkpoint cut off mid-way leaves
            # (page 1, with the new size, is written first): SQLite replays the -wal on opening.
            return FileState("damaged", f"it is cut short ({size} of {pages * page_size} bytes)")
        return FileState("sqlite")
    # A plain SQLite file whose first 16 bytes were overwritten still has the fixed bytes of
    # the rest of the header (payload fractions 64, 32, 32 at offsets 21-23).
    if len(head) >= 100 and head[21:24] == b"\x40\x20\x20":
        return FileState("damaged", "its header is broken")
    if not head.strip(b"\x00"):
        return FileState("damaged", "its first page is blank")
    text = _as_text(head)
    if text is not None:
        if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
            return FileState("text", "it is a JSON file")
        return FileState("text", "it is a text file")
    # SQLCipher pages are indistinguishable from random bytes: many different byte values.
    # (Checked only after text: a random salt can start with "{" as easily as with anything.)
    if len(head) >= 1024 and len(set(head[:1024])) >= 160:
        return FileState("encrypted")
    return FileState("text", "it isn't an SQLite database")


def _as_text(head: bytes) -> str | None:
    """``head`` as text when it is printable UTF-8 (allowing a character cut at the end)."""
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        body = text.lstrip("\ufeff")
        if all(ch.isprintable() or ch in "\t\r\n" for ch in body[:1000]):
            return text
        return None
    return None


def connect(
    path: Path | str,
    *,
    migrate: bool = True,
    create: bool = True,
    passphrase: str | None = None,
    check: bool = False,
) -> Database:
    """Open the journal at ``path`` (creating it if ``create``) and bring its schema up to date.

    ``passphrase`` opens an encrypted journal; given for a journal that doesn't exist yet, the
    new journal is encrypted with it. ``check`` first reads the whole file through a read-only
    connection (SQLite's quick_check), so that damage inside it is found before anything is
    written (the store asks for this on the first open of each day). A file that isn't a usable
    Tracker journal raises a :class:`JournalFileError` before anything is written to it.
    """
    try:
        return _connect(path, migrate=migrate, create=create, passphrase=passphrase, check=check)
    except OSError as error:  # a file or folder we may not read or change, a full disk
        where = Path(path)
        raise JournalFileError(
            f"{where} can't be used: {error.strerror or error}. Nothing was changed.", where
        ) from error


def _connect(
    path: Path | str, *, migrate: bool, create: bool, passphrase: str | None, check: bool
) -> Database:
    path = Path(path)
    if str(path) == ":memory:":
        db = Database(memory=True, execute_plugins=False)
        _configure(db)
        if migrate:
            schema.migrations.apply(db)
        return db
    if path.is_dir():
        raise JournalFileError(f"{path} is a folder; --db needs a file name.", path)
    state = inspect_file(path)
    new = state.kind == "missing"
    if new:
        if not create:
            raise JournalFileError(
                f"There is no journal at {path} yet. Open the app with `tracker` to start one, "
                "or check the --db path.",
                path,
            )
        _create(path, passphrase=passphrase, migrate=migrate)
        state = FileState("encrypted" if passphrase else "sqlite")
    else:
        _refuse(path, state)
    if state.kind == "encrypted":
        if passphrase is None:
            raise PassphraseNeeded(f"{path} is encrypted; its passphrase is needed.", path)
        check_key(path, passphrase)
    if check and not new:
        _check_whole_file(path, passphrase if state.kind == "encrypted" else None)
    if state.kind == "encrypted":
        assert passphrase is not None
        conn = _open_encrypted(path, passphrase)
    else:
        conn = driver.connect_plain(path)
    db = Database(conn, execute_plugins=False)
    try:
        _check_is_ours(db, path, new=new)  # reads only
        paths.ensure_private_dir(path.parent if str(path.parent) else Path("."))
        paths.make_private(path)
        _configure(db)
        if migrate:
            schema.migrations.apply(db)
    except JournalFileError:
        db.close()
        raise
    except driver.DatabaseError as error:
        db.close()
        raise DamagedJournal(
            f"{path} can't be read as a Tracker journal ({error}). Nothing was changed.", path
        ) from error
    for sidecar in paths.sidecar_files(path):
        paths.make_private(sidecar)
    return db


def _refuse(path: Path, state: FileState) -> None:
    if state.kind == "empty":
        raise NotAJournal(
            f"{path} is an empty file (0 bytes), not a Tracker journal. Nothing was changed.",
            path,
        )
    if state.kind == "text":
        raise NotAJournal(
            f"{path} is not a Tracker journal ({state.detail}). Nothing was changed; "
            "choose another file with --db.",
            path,
        )
    if state.kind == "damaged":
        raise DamagedJournal(
            f"{path} is damaged: {state.detail}. Nothing was changed.",
            path,
        )


def check_key(path: Path, passphrase: str) -> None:
    """Try the passphrase through a read-only connection; a wrong one changes nothing."""
    reason = driver.cipher_unavailable_reason()
    if reason:
        raise EncryptionUnavailable(f"{path} looks encrypted, but {reason}.", path)
    if passphrase and _opens(path, passphrase):
        return
    if passphrase and _opens_newest_backup(path, passphrase):
        # The passphrase is right (it opens the latest backup): the journal itself is damaged.
        raise DamagedJournal(
            f"{path} is damaged: its passphrase opens the latest backup but not the file. "
            "Nothing was changed.",
            path,
        )
    raise WrongPassphrase(
        f"That passphrase doesn't open {path}. Nothing was changed. "
        "(If the passphrase is right, the file is damaged or isn't a Tracker journal.)",
        path,
    )


def _opens(path: Path, passphrase: str) -> bool:
    try:
        conn = driver.connect_read_only(path, passphrase)
    except driver.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.Error:
        return False
    finally:
        conn.close()
    return True


def _opens_newest_backup(path: Path, passphrase: str) -> bool:
    from tracker.store.backup import list_backups  # the backups know the journal, not vice versa

    try:
        newest = next((b.path for b in list_backups(path) if b.kind != "kept"), None)
    except OSError:
        return False
    return (
        newest is not None
        and inspect_file(newest).kind == "encrypted"
        and _opens(newest, passphrase)
    )


def _check_whole_file(path: Path, passphrase: str | None) -> None:
    """SQLite's quick_check through a read-only connection: damage inside the file is found
    before a read-write connection could write to it or fold a -wal file into it."""
    try:
        conn = driver.connect_read_only(path, passphrase)
        try:
            result = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            conn.close()
    except driver.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise DamagedJournal(
            f"{path} is damaged (SQLite's check says: {result.splitlines()[0]}). "
            "Nothing was changed.",
            path,
        )


def _open_encrypted(path: Path, passphrase: str) -> Any:
    """The read-write SQLCipher connection, once check_key has accepted the passphrase."""
    conn = driver.connect_encrypted(path, passphrase)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as error:
        conn.close()
        raise WrongPassphrase(
            f"That passphrase doesn't open {path}. Nothing was changed.", path
        ) from error
    return conn


def _create(path: Path, *, passphrase: str | None, migrate: bool) -> None:
    """Make a new journal whole under a temporary name, then rename it into place."""
    folder = path.parent if str(path.parent) else Path(".")
    paths.ensure_private_dir(folder)
    tmp = folder / f".{path.name}.new-{os.getpid()}"
    try:
        paths.create_private_file(tmp)
    except OSError as error:
        raise JournalFileError(f"Can't create {path}: {error.strerror or error}.", path) from error
    try:
        if passphrase is not None:
            reason = driver.cipher_unavailable_reason()
            if reason:
                raise EncryptionUnavailable(f"Can't make an encrypted journal: {reason}.", path)
            conn = driver.connect_encrypted(tmp, passphrase)
        else:
            conn = driver.connect_plain(tmp)
        db = Database(conn, execute_plugins=False)
        try:
            db.execute("PRAGMA secure_delete = ON")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = DELETE")
            if migrate:
                schema.migrations.apply(db)
        finally:
            db.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            raise JournalFileError(f"{path} appeared while the journal was being made.", path)
        os.replace(tmp, path)
        paths.fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _check_is_ours(db: Database, path: Path, *, new: bool) -> None:
    """Refuse a database that isn't a Tracker journal, or is from a newer Tracker."""
    names = set(db.table_names())
    applied = (
        {m.name for m in schema.migrations.applied(db)} if "_sqlite_migrations" in names else set()
    )
    if not applied and names - {"_sqlite_migrations"}:
        raise NotAJournal(
            f"{path} is an SQLite database of another application, not a Tracker journal. "
            "Nothing was changed; choose another file with --db.",
            path,
        )
    if not applied and not new:
        raise NotAJournal(
            f"{path} is an empty SQLite database, not a Tracker journal. Nothing was changed.",
            path,
        )
    if applied - schema.migration_names():
        raise JournalFileError(
            f"{path} was written by a newer version of Tracker. "
            "Please update Tracker to open it; nothing was changed.",
            path,
        )


def _configure(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    # Deleted and overwritten text is zeroed in the file, not left readable in free space.
    db.execute("PRAGMA secure_delete = ON")
    if not db.memory:
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise JournalFileError("The journal could not be switched to write-ahead logging.")
    db.execute("PRAGMA synchronous = FULL")


def open_raw(path: Path, passphrase: str | None) -> Any:
    """A bare connection to ``path`` keyed like a journal (for backups and checks): plain
    SQLite when ``passphrase`` is None, else SQLCipher with that key. No checks, no pragmas."""
    if passphrase is None:
        return driver.connect_plain(path)
    reason = driver.cipher_unavailable_reason()
    if reason:
        raise EncryptionUnavailable(f"{path} needs encryption, but {reason}.", path)
    return driver.connect_encrypted(path, passphrase)


def is_encrypted(db: Database) -> bool:
    return driver.is_cipher_connection(db.conn)

"""Copies of the journal kept beside it: automatic rotating backups, on-demand ones, and restore.

For a journal at ``<dir>/<name>`` the backups live in ``<dir>/<name>-backups/``:

- ``daily/YYYY-MM-DD.db``: the first time the journal is opened each day; the newest 7 are kept;
- ``weekly/YYYY-Www.db`` (ISO week): the first daily backup of each week; the newest 4 are kept;
- ``manual/YYYY-MM-DD-HHMMSS.db``: made by ``tracker backup``; never pruned;
- ``kept/<stem>-before-restore-YYYY-MM-DD-HHMMSS.db``: the journal as it was before a restore;
  never pruned.

Every backup is made with SQLite's online backup API (safe while the journal is in use), keyed
like the journal (an encrypted journal gives encrypted backups), checked, switched out of WAL mode
so that it is one self-contained file, synced to disk and renamed into place; so a backup file
either doesn't exist or is whole. Folders are 0700 and files 0600, whatever the umask.

Nothing here reads the clock: ``today`` and ``now`` are passed in.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tracker import paths
from tracker.errors import TrackerError
from tracker.paths import backups_dir, daily_backup_path
from tracker.store import driver, schema
from tracker.store.connection import (
    DamagedJournal,
    EncryptionUnavailable,
    inspect_file,
    open_raw,
)

if TYPE_CHECKING:
    from tracker.store.journal import Store

BackupKind = Literal["daily", "weekly", "manual", "kept"]
KINDS: tuple[BackupKind, ...] = ("daily", "weekly", "manual", "kept")
KEEP_DAILY = 7
KEEP_WEEKLY = 4
SUFFIX = ".db"

_DAILY_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.db$")
_WEEKLY_NAME = re.compile(r"^(\d{4})-W(\d{2})\.db$")
# A manual backup; "-2", "-3" ... when several are made in the same second.
_MANUAL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{6})(?:-\d+)?\.db$")
_KEPT_NAME = re.compile(r"^.*-before-restore-(\d{4}-\d{2}-\d{2}-\d{6})(?:-\d+)?\.db$")
_STAMP = "%Y-%m-%d-%H%M%S"


# --- where backups live ---------------------------------------------------------------------


def _folder(db_path: Path, kind: BackupKind) -> Path:
    return backups_dir(db_path) / kind


def _private_dir(folder: Path) -> None:
    """Create ``folder`` (a folder inside the backups folder) as 0700, whatever the umask, and
    tighten it and the backups folder to 0700 if they exist already."""
    old = os.umask(0o077)
    try:
        folder.mkdir(parents=True, mode=paths.PRIVATE_DIR_MODE, exist_ok=True)
    finally:
        os.umask(old)
    paths.make_private(folder, paths.PRIVATE_DIR_MODE)
    if folder.parent.name.endswith("-backups"):
        paths.make_private(folder.parent, paths.PRIVATE_DIR_MODE)


def weekly_path(db_path: Path, day: date) -> Path:
    year, week, _ = day.isocalendar()
    return _folder(db_path, "weekly") / f"{year}-W{week:02d}{SUFFIX}"


def _free_name(folder: Path, stem: str) -> Path:
    """``folder/stem.db``, or ``stem-2.db``, ``stem-3.db`` ... if that is taken."""
    candidate = folder / f"{stem}{SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{SUFFIX}"
        number += 1
    return candidate


def manual_path(db_path: Path, now: datetime) -> Path:
    """A free name for a manual backup made at ``now``."""
    return _free_name(_folder(db_path, "manual"), now.strftime(_STAMP))


def kept_path(db_path: Path, now: datetime) -> Path:
    """A free name for keeping the journal as it was before a restore at ``now``."""
    db_path = Path(db_path)
    folder = _folder(db_path, "kept")
    stem = f"{db_path.stem or db_path.name}-before-restore-{now.strftime(_STAMP)}"
    candidate = _free_name(folder, stem)
    # Its -wal/-shm/-journal may have to move beside it too: all of those names must be free.
    while any(side.exists() for side in paths.sidecar_files(candidate)):
        stem += "-x"
        candidate = _free_name(folder, stem)
    return candidate


def backup_files(db_path: Path) -> list[Path]:
    """Every backup file of the journal at ``db_path`` in all four folders (``.db`` files only;
    never half-made temporary files or the sidecars of a kept journal)."""
    found: list[Path] = []
    for kind in KINDS:
        folder = _folder(db_path, kind)
        if folder.is_dir():
            found += sorted(
                p
                for p in folder.iterdir()
                if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.is_file()
            )
    return found


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: BackupKind
    made: date | datetime
    size: int

    @property
    def moment(self) -> datetime:
        """``made`` as a datetime (a day-only backup counts from the start of its day)."""
        if isinstance(self.made, datetime):
            return self.made
        return datetime.combine(self.made, time.min)

    def describe_made(self) -> str:
        if isinstance(self.made, datetime):
            return self.made.strftime("%Y-%m-%d %H:%M")
        if self.kind == "weekly":
            year, week, _ = self.made.isocalendar()
            return f"week {week} of {year}"
        return self.made.isoformat()


def _made(kind: BackupKind, name: str) -> date | datetime | None:
    try:
        if kind == "daily" and (m := _DAILY_NAME.match(name)):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if kind == "weekly" and (m := _WEEKLY_NAME.match(name)):
            return date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if kind == "manual" and (m := _MANUAL_NAME.match(name)):
            return datetime.strptime(m[1], _STAMP)
        if kind == "kept" and (m := _KEPT_NAME.match(name)):
            return datetime.strptime(m[1], _STAMP)
    except ValueError:
        return None
    return None


def backup_info(path: Path) -> BackupInfo | None:
    """What the name of a file in a backups folder says about it; None for any other file."""
    path = Path(path)
    kind = path.parent.name
    if kind not in KINDS or not path.parent.parent.name.endswith("-backups"):
        return None
    made = _made(kind, path.name)
    if made is None:
        return None
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    return BackupInfo(path, kind, made, size)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of the journal at ``db_path``, newest first. Files whose names we didn't
    give them are left out."""
    found = [info for path in backup_files(db_path) if (info := backup_info(path)) is not None]
    order = {"manual": 0, "daily": 1, "weekly": 2, "kept": 3}
    found.sort(key=lambda b: (b.moment, -order[b.kind], b.path.name), reverse=True)
    return found


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --- making a backup --------------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _temp_beside(dest: Path, what: str) -> Path:
    return dest.with_name(f".{dest.name}.{what}-{os.getpid()}")


def _remove_temp(tmp: Path) -> None:
    for each in (tmp, *paths.sidecar_files(tmp)):
        with contextlib.suppress(FileNotFoundError):
            each.unlink()


def applied_migrations(conn: Any) -> set[str] | None:
    """Our migrations recorded in the database, or None when it has no ``_sqlite_migrations``."""
    has_table = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()[0]
    if not has_table:
        return None
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (schema.MIGRATION_SET,)
    ).fetchall()
    return {row[0] for row in rows}


def sqlite_check(conn: Any, pragma: str = "integrity_check") -> str:
    """ "ok", or what SQLite's check found (the first few problems)."""
    rows = conn.execute(f"PRAGMA {pragma}(5)").fetchall()
    problems = [str(row[0]) for row in rows]
    return "ok" if problems == ["ok"] else "; ".join(problems)


def _online_copy(source: Any, dest: Path, passphrase: str | None) -> Path:
    """Copy the database behind the open connection ``source`` into ``dest`` with the online
    backup API, keyed with ``passphrase``; check it, make it one file (no WAL), sync it and
    rename it into place. ``dest`` is replaced if it exists."""
    dest = Path(dest)
    tmp = _temp_beside(dest, "tmp")
    _remove_temp(tmp)
    paths.create_private_file(tmp)  # 0600 before SQLite writes a byte
    try:
        target = open_raw(tmp, passphrase)
        try:
            source.backup(target)
            problem = sqlite_check(target)
            if problem != "ok":
                raise DamagedJournal(
                    f"The backup copy failed its check ({problem}); no backup was made.", dest
                )
            if not applied_migrations(target):
                raise TrackerError("The copy holds no Tracker journal; no backup was made.")
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        _fsync_file(tmp)
        os.chmod(tmp, paths.PRIVATE_FILE_MODE)
        os.replace(tmp, dest)
        paths.fsync_dir(dest.parent)
    except BaseException:
        _remove_temp(tmp)
        raise
    return dest


def make_backup(store: Store, dest: Path) -> Path:
    """Copy the open journal into ``dest`` (replacing it), keyed like the journal. Returns
    ``dest``. The copy is checked before it is renamed into place."""
    dest = Path(dest)
    with store._lock:
        return _online_copy(store.db.conn, dest, store.passphrase)


def _copy_file(source: Path, dest: Path) -> None:
    """Copy a (closed, single-file) backup to ``dest`` as 0600, atomically."""
    tmp = _temp_beside(dest, "tmp")
    _remove_temp(tmp)
    paths.create_private_file(tmp)
    try:
        with open(source, "rb") as reading, open(tmp, "wb") as writing:
            shutil.copyfileobj(reading, writing, 1024 * 1024)
            writing.flush()
            os.fsync(writing.fileno())
        os.chmod(tmp, paths.PRIVATE_FILE_MODE)
        os.replace(tmp, dest)
        paths.fsync_dir(dest.parent)
    except BaseException:
        _remove_temp(tmp)
        raise


def manual_backup(store: Store, now: datetime) -> Path:
    """A backup in ``manual/`` named after ``now`` (never pruned)."""
    path = _journal_path(store)
    folder = _folder(path, "manual")
    _private_dir(folder)
    return make_backup(store, manual_path(path, now))


def _journal_path(store: Store) -> Path:
    if store.path is None:
        raise TrackerError("A journal kept only in memory has no backups.")
    return store.path


def _prune(folder: Path, pattern: re.Pattern[str], keep: int, made: Path) -> None:
    """Keep the newest ``keep`` by the date in their names, and always the one just ``made``
    (dates from a pretended future, with --today, must not push out today's real backup)."""
    names = sorted((p for p in folder.iterdir() if pattern.match(p.name)), reverse=True)
    for old in names[keep:]:
        if old.name == made.name:
            continue
        with contextlib.suppress(FileNotFoundError):
            old.unlink()


def daily_backup(store: Store, today: date) -> Path | None:
    """Make today's backup if there isn't one yet, and rotate (7 daily, 4 weekly).

    Returns the new backup's path, or None when today's already exists (or the journal is in
    memory). A journal that fails SQLite's quick check is not backed up, so it can never push
    good backups out of the rotation: :class:`DamagedJournal` is raised instead.
    """
    if store.path is None:
        return None
    path = store.path
    dest = daily_backup_path(path, today)
    if dest.exists():
        return None
    with store._lock:
        try:
            problem = sqlite_check(store.db.conn, "quick_check")
        except driver.DatabaseError as error:
            problem = str(error)
        if problem != "ok":
            raise DamagedJournal(
                f"{path} is damaged ({problem}), so today's backup wasn't made and the "
                "earlier backups were left as they are.",
                path,
            )
        _private_dir(dest.parent)
        make_backup(store, dest)
    weekly = weekly_path(path, today)
    _private_dir(weekly.parent)
    if not weekly.exists():
        _copy_file(dest, weekly)
    _prune(dest.parent, _DAILY_NAME, KEEP_DAILY, dest)
    _prune(weekly.parent, _WEEKLY_NAME, KEEP_WEEKLY, weekly)
    return dest


def restore_command(db_path: Path, backup: Path) -> str:
    """The command that puts ``backup`` back, with ``--db`` unless it is the default journal."""
    import shlex

    default = paths.same_path(db_path, paths.default_db_path())
    where = "" if default else f" --db {shlex.quote(str(db_path))}"
    return f"tracker{where} restore {shlex.quote(str(backup))}"


def run_daily_backup_quietly(store: Store, today: date) -> str | None:
    """:func:`daily_backup` for the app's start and the CLI's writes: never raises for an
    ordinary problem, but returns one sentence to show in a notification."""
    try:
        daily_backup(store, today)
    except DamagedJournal as error:
        where = f"{error.path}" if error.path else "The journal"
        return (
            f"{where} looks damaged, so today's backup wasn't made (your earlier backups are "
            "safe). `tracker doctor` tells you more."
        )
    except OSError as error:
        return (
            f"Today's backup couldn't be saved ({error.strerror or error}); your journal itself "
            "is fine."
        )
    except TrackerError as error:
        return f"Today's backup couldn't be made: {error.message}"
    except driver.Error as error:
        return f"Today's backup couldn't be made ({error}); your journal itself is fine."
    return None


# --- checking a backup ------------------------------------------------------------------------


@contextlib.contextmanager
def read_only(path: Path, passphrase: str | None) -> Iterator[Any]:
    """A connection that can only read ``path`` (SQLCipher with ``passphrase`` when given).

    Opened ``mode=ro``, it can't write the file, and it never checkpoints or removes a -wal file
    when it closes (a read-write connection would fold the -wal into the file)."""
    if passphrase is not None and driver.cipher_unavailable_reason():
        raise EncryptionUnavailable(
            f"{path} needs encryption, but {driver.cipher_unavailable_reason()}.", path
        )
    conn = driver.connect_read_only(path, passphrase)
    try:
        yield conn
    finally:
        conn.close()


def check_backup(path: Path, passphrase: str | None) -> str | None:
    """None when ``path`` is a good backup of a Tracker journal, else one plain sentence saying
    what is wrong. The file is never modified."""
    path = Path(path)
    state = inspect_file(path)
    if state.kind == "missing":
        return f"There is no file at {path}."
    if state.kind == "empty":
        return f"{path} is an empty file (0 bytes), not a Tracker backup."
    if state.kind == "text":
        return f"{path} is not a Tracker backup ({state.detail})."
    if state.kind == "damaged":
        return f"{path} is damaged: {state.detail}."
    key: str | None = None
    if state.kind == "encrypted":
        if passphrase is None:
            return f"{path} is encrypted; its passphrase is needed to check it."
        reason = driver.cipher_unavailable_reason()
        if reason:
            return f"{path} looks encrypted, but {reason}."
        key = passphrase
    try:
        with read_only(path, key) as conn:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except driver.DatabaseError:
                if key is not None:
                    return f"That passphrase doesn't open {path}."
                raise
            applied = applied_migrations(conn)
            if not applied:
                tables = conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                if tables:
                    return (
                        f"{path} is an SQLite database of another application, "
                        "not a Tracker backup."
                    )
                return f"{path} is an empty SQLite database, not a Tracker backup."
            if applied - schema.migration_names():
                return (
                    f"{path} was written by a newer version of Tracker; "
                    "please update Tracker to use it."
                )
            problem = sqlite_check(conn)
            if problem != "ok":
                return f"{path} is damaged (SQLite's check found: {problem})."
    except driver.DatabaseError as error:
        return f"{path} can't be read as a Tracker backup ({error})."
    except OSError as error:
        return f"{path} can't be read ({error.strerror or error})."
    return None


def backup_contents(path: Path, passphrase: str | None) -> dict[str, int]:
    """How many rows each journal area of a (checked) backup holds, read without writing."""
    key = passphrase if inspect_file(Path(path)).kind == "encrypted" else None
    with read_only(Path(path), key) as conn:
        return {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in schema.JOURNAL_TABLES
        }


def latest_good_backup(db_path: Path, passphrase: str | None) -> Path | None:
    """The newest manual, daily or weekly backup that passes :func:`check_backup`.

    Without a passphrase an encrypted backup can't be checked; the newest one that at least
    looks like an encrypted database is suggested then."""
    for info in list_backups(db_path):
        if info.kind == "kept":
            continue  # what a restore set aside: it may be the damaged journal itself
        if passphrase is None and inspect_file(info.path).kind == "encrypted":
            return info.path
        if check_backup(info.path, passphrase) is None:
            return info.path
    return None


# --- restoring ----------------------------------------------------------------------------------


def _healthy_journal(db_path: Path, passphrase: str | None) -> Any | None:
    """An open connection to the journal when it is a readable, undamaged Tracker journal
    (opened with ``passphrase`` if it is encrypted); None when it can't be used as one.

    It is judged through a read-only connection first, so a damaged journal and its -wal are
    left exactly as they are (a read-write connection would fold the -wal into the file)."""
    kind = inspect_file(db_path).kind
    if kind not in ("sqlite", "encrypted"):
        return None
    if kind == "encrypted" and (passphrase is None or driver.cipher_unavailable_reason()):
        return None
    key = passphrase if kind == "encrypted" else None
    try:
        with read_only(db_path, key) as conn:
            if not applied_migrations(conn) or sqlite_check(conn, "quick_check") != "ok":
                return None
    except driver.DatabaseError:
        return None
    conn = open_raw(db_path, key)
    conn.execute(f"PRAGMA busy_timeout = {int(driver.BUSY_TIMEOUT_S * 1000)}")
    return conn


def _set_aside(db_path: Path, kept: Path) -> None:
    """Keep the journal file and its sidecars in ``kept``, byte for byte.

    The journal is hard-linked first (copied where links aren't possible), so its name never
    stands empty; the -wal/-shm/-journal files are moved, never deleted, so that none of them
    can be replayed onto the restored journal."""
    _private_dir(kept.parent)
    if db_path.exists():
        try:
            os.link(db_path, kept)
        except OSError:
            _copy_file(db_path, kept)
    for side, kept_side in zip(
        paths.sidecar_files(db_path), paths.sidecar_files(kept), strict=True
    ):
        if side.exists():
            os.replace(side, kept_side)
    paths.fsync_dir(kept.parent)
    paths.fsync_dir(db_path.parent)


def _prepare_copy(source: Path, db_path: Path, key: str | None) -> Path:
    """The backup copied beside the journal, in WAL mode like a journal, synced: ready to be
    renamed into place."""
    tmp = _temp_beside(db_path, "restore")
    _remove_temp(tmp)
    paths.create_private_file(tmp)
    try:
        with open(source, "rb") as reading, open(tmp, "wb") as writing:
            shutil.copyfileobj(reading, writing, 1024 * 1024)
        conn = open_raw(tmp, key)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        _fsync_file(tmp)
        os.chmod(tmp, paths.PRIVATE_FILE_MODE)
    except BaseException:
        _remove_temp(tmp)
        raise
    return tmp


def restore(db_path: Path, source: Path, *, passphrase: str | None, now: datetime) -> Path | None:
    """Replace the journal at ``db_path`` with the backup ``source``.

    The backup is checked first; a bad one raises :class:`TrackerError` and nothing changes.
    The journal as it was is kept in ``kept/`` (a checked copy when it opens, else the file and
    its sidecars set aside unchanged); the returned path is that copy, or None when there was no
    journal file to keep. Either the old journal or the restored one is in place at any moment.
    ``passphrase`` opens an encrypted backup and an encrypted journal.
    """
    db_path = Path(db_path)
    source = Path(source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise TrackerError(f"{source} is the journal itself; nothing was changed.")
    problem = check_backup(source, passphrase)
    if problem:
        raise TrackerError(f"{problem} Nothing was changed.")
    source_key = passphrase if inspect_file(source).kind == "encrypted" else None
    kept = kept_path(db_path, now)
    journal = _healthy_journal(db_path, passphrase)
    if journal is not None:
        journal_key = passphrase if driver.is_cipher_connection(journal) else None
        if (journal_key is None) == (source_key is None):
            try:
                _private_dir(kept.parent)
                _online_copy(journal, kept, journal_key)
                with read_only(source, source_key) as reading:
                    # One write transaction on the live journal: other connections (the app
                    # in another window) see either the old journal or the restored one.
                    reading.backup(journal)
                journal.execute("PRAGMA journal_mode = WAL")
            finally:
                journal.close()
            paths.make_private(db_path)
            return kept
        journal.close()  # plain <-> encrypted: the file itself is replaced below
    tmp = _prepare_copy(source, db_path, source_key)
    try:
        had_journal = db_path.exists()
        if had_journal or any(side.exists() for side in paths.sidecar_files(db_path)):
            _set_aside(db_path, kept)
        os.replace(tmp, db_path)
        paths.fsync_dir(db_path.parent)
    except BaseException:
        _remove_temp(tmp)
        raise
    return kept if had_journal else None

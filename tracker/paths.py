"""Where the journal lives on disk, and keeping it private there.

The default is ``journal.db`` in the user data folder that platformdirs names for "tracker"
(``~/.local/share/tracker`` on Linux). ``--db PATH`` or the ``TRACKER_DB`` environment variable
choose another file. Folders we create are 0700; the database and everything derived from it
are 0600, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
from datetime import date
from pathlib import Path

APP_DIR_NAME = "tracker"
ENV_VAR = "TRACKER_DB"
DB_FILENAME = "journal.db"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """The per-user data folder for Tracker (not created here)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The database file to use: the ``--db`` option, else ``$TRACKER_DB``, else the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def backups_dir(db_path: Path) -> Path:
    """The folder holding the backups of the journal at ``db_path`` (``tracker/store/backup.py``
    makes them)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + "-backups")


def daily_backup_path(db_path: Path, day: date) -> Path:
    """Where the day's automatic backup of the journal at ``db_path`` is kept. Here rather than
    with the backups, so that a quick command can see today's is made without loading them."""
    return backups_dir(db_path) / "daily" / f"{day.isoformat()}.db"


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) if needed. A folder we create is 0700.

    An existing folder that is not ours to judge (say, the current directory) is left alone;
    only Tracker's own data folder is tightened to 0700.
    """
    if not folder.exists():
        old = os.umask(0o077)
        try:
            folder.mkdir(parents=True, mode=PRIVATE_DIR_MODE, exist_ok=True)
        finally:
            os.umask(old)
        os.chmod(folder, PRIVATE_DIR_MODE)
    elif _named_like_ours(folder) and same_path(folder, data_dir()):
        make_private(folder, PRIVATE_DIR_MODE)


def _named_like_ours(folder: Path) -> bool:
    """Whether ``folder`` could be the data folder, which is always named ``tracker``: checked
    before asking platformdirs, so a journal kept elsewhere (``--db``) doesn't import it."""
    return APP_DIR_NAME in (folder.name, folder.resolve().name)


def same_path(one: Path, other: Path) -> bool:
    """Whether two paths name the same place (False when either can't be resolved)."""
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def make_private(path: Path, mode: int = PRIVATE_FILE_MODE) -> None:
    """Tighten ``path`` to ``mode`` if it is looser (never loosen it)."""
    with contextlib.suppress(FileNotFoundError):
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)


def create_private_file(path: Path) -> None:
    """Create ``path`` as an empty 0600 file if it does not exist yet."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)
    make_private(path)


def sidecar_files(db_path: Path) -> list[Path]:
    """The files SQLite keeps beside the database."""
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as a 0600 file, replacing it atomically.

    The text goes to a temporary file in the same folder first, so a crash or a full disk
    leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (best effort: not every system can)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

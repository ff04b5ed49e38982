"""Encrypting a journal at rest, decrypting it, and changing its passphrase (SQLCipher).

Each conversion writes the new copy under a temporary name, checks it (integrity, and the same
rows in every table), and only then swaps it in with one atomic rename, so the journal is whole
at every moment: either the old file or the new one. The old copy's bytes are overwritten with
zeros before it is removed (best effort: a disk that remaps blocks, or a snapshot, may still hold
them; the README says so).

The journal must not be open anywhere else while it is converted: SQLite removes the ``-wal``
file when the last connection closes, so one that is still there after ours closed means another
window has the journal open, and nothing is done.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import paths
from tracker.errors import TrackerError
from tracker.store import driver
from tracker.store.connection import (
    EncryptionUnavailable,
    connect,
    inspect_file,
    open_raw,
)

MIN_PASSPHRASE = 8


@dataclass
class Converted:
    """What a conversion did: the journal, and how its backups went."""

    journal: Path
    backups_done: list[Path] = field(default_factory=list)
    backups_left: list[Path] = field(default_factory=list)


def check_new_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise TrackerError(
            f"passphrase: please use at least {MIN_PASSPHRASE} characters "
            "(a few words you'll remember works well)."
        )
    if "\x00" in passphrase:
        raise TrackerError("passphrase: it can't contain a NUL character.")
    return passphrase


def encrypt_journal(path: Path, passphrase: str, backups: Iterable[Path] = ()) -> Converted:
    """Encrypt the plain journal at ``path`` (and its plain backups) with ``passphrase``."""
    _need_cipher()
    check_new_passphrase(passphrase)
    state = inspect_file(path).kind
    if state == "encrypted":
        raise TrackerError(f"{path} is already encrypted; `tracker passphrase` changes the key.")
    _settle(path, None)
    _convert(path, source_key=None, target_key=passphrase)
    return _convert_backups(path, backups, "sqlite", None, passphrase)


def decrypt_journal(path: Path, passphrase: str, backups: Iterable[Path] = ()) -> Converted:
    """Turn the encrypted journal at ``path`` (and the backups that share its passphrase) back
    into plain SQLite files."""
    _need_cipher()
    if inspect_file(path).kind != "encrypted":
        raise TrackerError(f"{path} isn't encrypted; nothing was changed.")
    _settle(path, passphrase)
    _convert(path, source_key=passphrase, target_key=None)
    return _convert_backups(path, backups, "encrypted", passphrase, None)


def change_passphrase(path: Path, old: str, new: str, backups: Iterable[Path] = ()) -> Converted:
    """Re-key the journal at ``path`` (and the backups that share its passphrase) from ``old``
    to ``new``."""
    _need_cipher()
    check_new_passphrase(new)
    if inspect_file(path).kind != "encrypted":
        raise TrackerError(f"{path} isn't encrypted; `tracker encrypt` encrypts it.")
    _settle(path, old)
    _convert(path, source_key=old, target_key=new)
    return _convert_backups(path, backups, "encrypted", old, new)


# --- the work ------------------------------------------------------------------------------------


def _need_cipher() -> None:
    reason = driver.cipher_unavailable_reason()
    if reason:
        raise EncryptionUnavailable(f"Encryption isn't available: {reason}.")


def _clear_leftovers(path: Path) -> None:
    """Zero and remove the copies an interrupted conversion (a crash, a power cut) left beside
    the journal: they hold its old bytes, perhaps unencrypted."""
    for pattern in (f".{path.name}.old-*", f".{path.name}.converting-*"):
        for leftover in path.parent.glob(pattern):
            pid = leftover.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _running(int(pid)):
                continue  # another conversion is under way right now
            _shred(leftover)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _settle(path: Path, passphrase: str | None) -> None:
    """Open the journal the normal way (checks it's ours and up to date), fold the WAL into the
    file, close, and make sure no other connection still has it open."""
    _clear_leftovers(path)
    db = connect(path, create=False, passphrase=passphrase)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
    except driver.OperationalError as error:
        db.close()
        raise _busy(path) from error
    db.close()
    if any(sidecar.exists() for sidecar in paths.sidecar_files(path)):
        raise _busy(path)


def _busy(path: Path) -> TrackerError:
    return TrackerError(
        f"{path} is open in another window. Close Tracker there and try again; nothing was changed."
    )


def _convert_backups(
    path: Path, backups: Iterable[Path], kind: str, old: str | None, new: str | None
) -> Converted:
    """Convert each backup of ``kind``. A backup with -wal/-shm files beside it (a damaged
    journal kept aside by restore) is left exactly as it is, and named, with its files: opening
    it to convert it would fold its -wal into it."""
    result = Converted(path)
    for backup in backups:
        sidecars = [p for p in paths.sidecar_files(backup) if p.exists()]
        state = inspect_file(backup).kind
        if sidecars:
            result.backups_left.extend([backup, *sidecars])
        elif state == kind:
            _try_convert(backup, old, new, result)
        elif kind == "sqlite" and state != "encrypted":  # unreadable, so still plain text
            result.backups_left.append(backup)
    return result


def _try_convert(path: Path, old: str | None, new: str | None, result: Converted) -> None:
    try:
        _convert(path, source_key=old, target_key=new)
    except TrackerError:
        result.backups_left.append(path)
    except driver.Error:  # a wrong key, or a damaged backup
        result.backups_left.append(path)
    else:
        result.backups_done.append(path)


def _convert(path: Path, *, source_key: str | None, target_key: str | None) -> None:
    """Write ``path`` re-keyed (None = plain) to a temporary file, check it, swap it in."""
    tmp = path.with_name(f".{path.name}.converting-{os.getpid()}")
    paths.create_private_file(tmp)
    try:
        source = driver.connect_encrypted(path, source_key)
        try:
            counts = _counts(source)
            target = _quote(str(tmp))
            key = driver.quote_key(target_key or "")
            source.execute(f"ATTACH DATABASE {target} AS converted KEY {key}")
            source.execute("SELECT sqlcipher_export('converted')")
            version = source.execute("PRAGMA user_version").fetchone()[0]
            source.execute(f"PRAGMA converted.user_version = {int(version)}")
            source.execute("DETACH DATABASE converted")
        finally:
            source.close()
        check = open_raw(tmp, target_key)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok" or _counts(check) != counts:
                raise TrackerError(
                    f"The new copy of {path} didn't check out ({ok}); nothing was changed."
                )
        finally:
            check.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        _swap(path, tmp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _counts(conn: Any) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in names}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _swap(path: Path, new: Path) -> None:
    """Replace ``path`` with ``new`` atomically, then zero and remove the old bytes."""
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    os.link(path, old)  # the old content stays reachable until the swap is done
    os.replace(new, path)
    paths.make_private(path)
    # The rename must be on disk before the old bytes are zeroed: otherwise a power cut could
    # keep the old name pointing at the zeroed file.
    paths.fsync_dir(path.parent)
    _shred(old)
    paths.fsync_dir(path.parent)


def _shred(path: Path) -> None:
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            chunk = b"\x00" * 65536
            left = size
            while left > 0:
                left -= handle.write(chunk[: min(left, len(chunk))])
            handle.flush()
            os.fsync(handle.fileno())
    with contextlib.suppress(FileNotFoundError):
        path.unlink()

"""The two SQLite drivers Tracker can use: the standard library's, and SQLCipher's for encryption.

A plain journal is opened with :mod:`sqlite3`. An encrypted one is opened with ``sqlcipher3``
(the SQLCipher build of the same DB-API module), which is imported only when it is needed. The
two modules raise their own exception classes, so code that catches database errors catches the
tuples below (``Error``, ``DatabaseError``, ``OperationalError``, ``IntegrityError``) instead of
the :mod:`sqlite3` classes alone; sqlite-utils only knows the standard ones.
"""

from __future__ import annotations

import sqlite3
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

BUSY_TIMEOUT_S = 5.0


@cache
def _cipher_module() -> ModuleType | None:
    try:
        from sqlcipher3 import dbapi2  # type: ignore[import-untyped,unused-ignore]
    except Exception:  # ImportError, or a wheel built for another platform
        return None
    return dbapi2  # type: ignore[no-any-return,unused-ignore]


def cipher_unavailable_reason() -> str | None:
    """Why encryption can't be used here, or None when it can."""
    if _cipher_module() is None:
        return (
            "encryption needs the sqlcipher3 package, which isn't installed for this Python "
            "(pip install sqlcipher3; it has no ready-made build for some platforms). "
            "Tracker works without it, unencrypted"
        )
    return None


_ERROR_NAMES = frozenset({"Error", "DatabaseError", "OperationalError", "IntegrityError"})


def __getattr__(name: str) -> tuple[type[Exception], ...]:
    """``driver.Error``, ``driver.DatabaseError``, ``driver.OperationalError`` and
    ``driver.IntegrityError``: catch these, never sqlite3's classes alone, because an encrypted
    journal raises sqlcipher3's. They are worked out when an ``except`` clause asks, so that a
    plain journal never pays for importing SQLCipher (sqlcipher3's classes join the tuple once
    it has been imported: before that, nothing can raise them)."""
    if name not in _ERROR_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found: list[type[Exception]] = [getattr(sqlite3, name)]
    module = sys.modules.get("sqlcipher3.dbapi2")
    if module is not None:
        found.append(getattr(module, name))
    return tuple(found)


def quote_key(passphrase: str) -> str:
    """``passphrase`` as an SQL string literal for ``PRAGMA key``, which takes no parameters."""
    if "\x00" in passphrase:
        raise ValueError("a passphrase can't contain a NUL character")
    return "'" + passphrase.replace("'", "''") + "'"


def connect_plain(path: Path | str) -> sqlite3.Connection:
    return sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_S)


def connect_encrypted(path: Path | str, passphrase: str | None) -> Any:
    """A SQLCipher connection keyed with ``passphrase`` (not yet checked: the key is only tried
    when the first page is read); with None, unkeyed, which reads plain SQLite files (used to
    convert between the two). Raises RuntimeError when SQLCipher isn't available."""
    module = _cipher_module()
    if module is None:
        raise RuntimeError(cipher_unavailable_reason())
    conn = module.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    # Without this SQLCipher writes its own messages to stderr on a wrong passphrase.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if passphrase is not None:
        conn.execute(f"PRAGMA key = {quote_key(passphrase)}")
    return conn


def connect_read_only(path: Path | str, passphrase: str | None) -> Any:
    """A connection that can only read ``path`` (SQLCipher keyed with ``passphrase`` when given).

    Opened ``mode=ro``, it can't write the file, and when it closes it never checkpoints or
    removes a ``-wal`` file (a read-write connection folds the ``-wal`` into the file)."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    if passphrase is None:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    module = _cipher_module()
    if module is None:
        raise RuntimeError(cipher_unavailable_reason())
    conn = module.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {quote_key(passphrase)}")
    return conn


def is_cipher_connection(conn: Any) -> bool:
    module = sys.modules.get("sqlcipher3.dbapi2")  # not imported: no SQLCipher connection exists
    return module is not None and isinstance(conn, module.Connection)

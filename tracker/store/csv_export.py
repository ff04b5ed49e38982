"""The journal as CSV files, one per area, for people who keep their own spreadsheets.

Each file has a header row and one row per entry, oldest first, with names instead of internal ids
and words instead of codes. A cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, which spreadsheets hide,
so opening the file never runs anything. Files are written 0600, like every export.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tracker.domain import vocab
from tracker.domain.schedules import stored_schedule
from tracker.paths import ensure_private_dir, write_private_text
from tracker.store.journal import Store

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _words(vocabulary: dict[str, str]) -> Callable[[Any], str]:
    return lambda code: vocab.label(vocabulary, code)


def _schedule(text: Any) -> str:
    schedule = stored_schedule(text)
    return schedule.describe() if schedule else ""


def _tags(text: Any) -> str:
    try:
        tags = json.loads(text or "[]")
    except ValueError:
        return ""
    return "; ".join(vocab.label(vocab.APPROACH_TAGS, tag) for tag in tags if isinstance(tag, str))


def _average(row: dict[str, Any]) -> str:
    scores = [row[d] for d in vocab.FIT_DIMENSIONS]
    return f"{sum(scores) / len(scores):.1f}"


# file name -> (SQL, [(header, column or function of the row)])
Column = tuple[str, Callable[[dict[str, Any]], Any]]
_AREAS: dict[str, tuple[str, list[Column]]] = {
    "groups": (
        "SELECT * FROM groups ORDER BY created_at, id",
        [
            ("name", lambda r: r["name"]),
            ("kind", lambda r: _words(vocab.PILLARS)(r["pillar"])),
            ("format", lambda r: _words(vocab.FORMATS)(r["format"])),
            ("status", lambda r: _words(vocab.STATUSES)(r["status"])),
            ("approach", lambda r: _tags(r["tags"])),
            ("meets", lambda r: _schedule(r["schedule"])),
            ("where", lambda r: r["location"]),
            ("notes", lambda r: r["notes"]),
            ("notes shared with mentor", lambda r: _yes(r.get("note_shared"))),
            ("added", lambda r: r["created_at"][:10]),
        ],
    ),
    "attendance": (
        "SELECT a.*, g.name AS group_name FROM attendance AS a JOIN groups AS g "
        "ON g.id = a.group_id ORDER BY a.date, a.time, a.id",
        [
            ("date", lambda r: r["date"]),
            ("time", lambda r: r["time"]),
            ("group", lambda r: r["group_name"]),
            ("went", lambda r: _yes(r["attended"])),
            ("shared", lambda r: _yes(r["shared"])),
            ("note", lambda r: r["note"]),
            ("note shared with mentor", lambda r: _yes(r.get("note_shared"))),
        ],
    ),
    "people": (
        "SELECT * FROM people ORDER BY created_at, id",
        [
            ("alias", lambda r: r["alias"]),
            ("role", lambda r: _words(vocab.ROLES)(r["role"])),
            ("phone", lambda r: r["phone"]),
            ("email", lambda r: r["email"]),
            ("notes", lambda r: r["notes"]),
            ("notes shared with mentor", lambda r: _yes(r.get("note_shared"))),
        ],
    ),
    "contacts": (
        "SELECT c.*, p.alias FROM contacts AS c JOIN people AS p ON p.id = c.person_id "
        "ORDER BY c.date, c.id",
        [
            ("date", lambda r: r["date"]),
            ("person", lambda r: r["alias"]),
            ("how", lambda r: _words(vocab.CONTACT_METHODS)(r["method"])),
            ("note", lambda r: r["note"]),
            ("note shared with mentor", lambda r: _yes(r.get("note_shared"))),
        ],
    ),
    "service": (
        "SELECT s.*, g.name AS group_name FROM service AS s LEFT JOIN groups AS g "
        "ON g.id = s.group_id ORDER BY s.date, s.id",
        [
            ("date", lambda r: r["date"]),
            ("what", lambda r: _words(vocab.SERVICE_KINDS)(r["kind"])),
            ("group", lambda r: r["group_name"]),
            ("minutes", lambda r: r["minutes"]),
            ("note", lambda r: r["note"]),
            ("note shared with mentor", lambda r: _yes(r.get("note_shared"))),
        ],
    ),
    "fit_ratings": (
        "SELECT f.*, g.name AS group_name FROM fit_ratings AS f JOIN groups AS g "
        "ON g.id = f.group_id ORDER BY f.date, f.id",
        [
            ("date", lambda r: r["date"]),
            ("group", lambda r: r["group_name"]),
            *[
                (words.lower(), (lambda d: lambda r: r[d])(dim))
                for dim, words in vocab.FIT_DIMENSIONS.items()
            ],
            ("overall", _average),
            ("note", lambda r: r["note"]),
            ("note shared with mentor", lambda r: _yes(r.get("note_shared"))),
        ],
    ),
    "excused_weeks": (
        "SELECT * FROM excused_weeks ORDER BY week",
        [
            ("week of", lambda r: r["week"]),
            ("reason", lambda r: _words(vocab.EXCUSE_REASONS)(r["reason"])),
            ("note", lambda r: r["note"]),
        ],
    ),
}

CSV_FILES = tuple(f"{name}.csv" for name in _AREAS)


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def export_csv(store: Store, directory: Path) -> dict[str, int]:
    """Write one CSV per area into ``directory`` (created 0700 if missing); rows per file."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(20, "Not a folder", str(directory))
    ensure_private_dir(directory)
    written: dict[str, int] = {}
    texts: dict[str, str] = {}
    with store.snapshot():  # one consistent snapshot of every area
        for name, (sql, columns) in _AREAS.items():
            rows = [dict(row) for row in store.db.query(sql)]
            texts[name] = _csv_text(
                [header for header, _ in columns],
                ([_cell(value(row)) for _, value in columns] for row in rows),
            )
            written[name] = len(rows)
    for name, text in texts.items():
        # A byte-order mark, so spreadsheet programs read the text as UTF-8.
        write_private_text(directory / f"{name}.csv", "\ufeff" + text)
    return written

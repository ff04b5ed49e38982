"""Export the whole journal as versioned JSON, and import it back, all or nothing.

The format is documented in docs/export-format.md and described by ``journal.schema.json``.
Rows refer to each other by UUID, never by integer key, so journals from two devices can later be
merged without duplicates. Output is deterministic: exporting, importing into an empty journal
and exporting again gives byte-identical text.

Version 2 added excused weeks and suggestion feedback; a version-1 file still imports (it simply
has none of either). Version 3 added ``note_shared`` to the rows of the six journal areas; in a
version-1 or version-2 file every note imports as private, whatever the file says.

Reading is strict, because a file may come from anywhere: NaN and Infinity, a key given twice in
one object, a lone surrogate escape (``"\\ud800"``), nesting deeper than any export has, a number
with thousands of digits, a truncated file or one that isn't UTF-8 are each refused with a
message naming the file. A UTF-8 byte-order mark, as some editors write, is accepted. Meetings,
contacts, service and ratings dated more than a day after today (a day of slack for time zones)
are refused, as they are when typed.
"""

from __future__ import annotations

import json
import math
import re
import sys
from datetime import date, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    ExcusedWeekFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.errors import InvalidField, TrackerError
from tracker.store.journal import (
    Store,
    attendance_values,
    check_weekly_goal,
    contact_values,
    excused_week_values,
    feedback_values,
    group_values,
    person_values,
    rating_values,
    service_values,
)
from tracker.store.schema import JOURNAL_TABLES

FORMAT_NAME = "tracker-journal"
FORMAT_VERSION = 3
# The first version whose rows carry ``note_shared``.
SHARED_NOTES_VERSION = 3

_STAMPS = ("uuid", "created_at", "updated_at")
# An export is at most five levels deep (settings -> goal_changes -> list -> change -> value);
# anything much deeper is not an export, and would only strain the checks that follow.
MAX_DEPTH = 32
# Dated rows may be up to a day ahead of today: the file may come from a device whose date,
# in its time zone, is already tomorrow.
FUTURE_SLACK = timedelta(days=1)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Import writes a journal area's rows in a savepoint of this name, at most this many values to a
# statement (the least SQLite allows, whatever it was built with).
_SAVEPOINT = "import_rows"
_MAX_PARAMETERS = 999


class ImportRefused(TrackerError):
    """An import file that was not applied. Nothing in the journal changed."""


def export_journal(store: Store) -> dict[str, Any]:
    """The whole journal as a JSON-ready dict."""
    with store.snapshot() as db:  # one read snapshot, so the export is self-consistent

        def rows(sql: str) -> list[dict[str, Any]]:
            return list(db.query(sql))

        groups = rows(
            "SELECT uuid, name, pillar, tags, format, location, schedule, status, catalogue_slug, "
            "notes, note_shared, created_at, updated_at FROM groups ORDER BY created_at, uuid"
        )
        for group in groups:
            group["tags"] = json.loads(group["tags"])
        attendance = rows(
            'SELECT a.uuid, g.uuid AS "group", a.date, a.time, a.attended, a.shared, a.note, '
            "a.note_shared, a.created_at, a.updated_at "
            "FROM attendance a JOIN groups g ON g.id = a.group_id "
            "ORDER BY a.date, a.time, a.created_at, a.uuid"
        )
        for entry in attendance:
            entry["attended"] = bool(entry["attended"])
            entry["shared"] = bool(entry["shared"])
        people = rows(
            "SELECT uuid, alias, role, phone, email, notes, note_shared, created_at, updated_at "
            "FROM people ORDER BY created_at, uuid"
        )
        contacts = rows(
            "SELECT c.uuid, p.uuid AS person, c.date, c.method, c.note, c.note_shared, "
            "c.created_at, c.updated_at FROM contacts c JOIN people p ON p.id = c.person_id "
            "ORDER BY c.date, c.created_at, c.uuid"
        )
        service = rows(
            'SELECT s.uuid, s.date, s.kind, g.uuid AS "group", s.minutes, s.note, s.note_shared, '
            "s.created_at, s.updated_at FROM service s LEFT JOIN groups g ON g.id = s.group_id "
            "ORDER BY s.date, s.created_at, s.uuid"
        )
        ratings = rows(
            'SELECT r.uuid, g.uuid AS "group", r.date, r.welcome, r.relevance, r.format_comfort, '
            "r.practical, r.would_return, r.note, r.note_shared, r.created_at, r.updated_at "
            "FROM fit_ratings r JOIN groups g ON g.id = r.group_id "
            "ORDER BY r.date, r.created_at, r.uuid"
        )
        for row in [*groups, *attendance, *people, *contacts, *service, *ratings]:
            row["note_shared"] = bool(row["note_shared"])
        excused = rows(
            "SELECT uuid, week, reason, note, created_at, updated_at FROM excused_weeks "
            "ORDER BY week, uuid"
        )
        feedback = rows(
            "SELECT uuid, slug, status, until, created_at, updated_at FROM suggestion_feedback "
            "ORDER BY slug, uuid"
        )
        settings = {
            row["key"]: json.loads(row["value"])
            for row in db.query("SELECT key, value FROM settings ORDER BY key")
        }
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "settings": settings,
        "groups": groups,
        "attendance": attendance,
        "people": people,
        "contacts": contacts,
        "service": service,
        "fit_ratings": ratings,
        "excused_weeks": excused,
        "suggestion_feedback": feedback,
    }


def export_json_text(store: Store) -> str:
    return json.dumps(export_journal(store), indent=2, ensure_ascii=False) + "\n"


def read_export_file(path: Path) -> dict[str, Any]:
    """Read and parse an export file, with a clear message for each way it can be wrong."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as error:
        raise ImportRefused(f"{path} doesn't exist.") from error
    except IsADirectoryError as error:
        raise ImportRefused(f"{path} is a folder, not an export file.") from error
    except OSError as error:
        raise ImportRefused(f"Can't read {path}: {error.strerror or error}.") from error
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark is dropped
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"{path} is not a text file, so it can't be a Tracker export."
        ) from error
    if not text.strip():
        raise ImportRefused(f"{path} is empty, so it can't be a Tracker export.")
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except _Unreadable as error:
        raise ImportRefused(f"{path} {error.problem}; it can't be imported.") from error
    except json.JSONDecodeError as error:
        # JSON text can't hold a raw line break inside a string, so a string that never ends
        # means the file does, too soon.
        cut_short = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        raise ImportRefused(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            + ("; it ends too soon, so it may have been cut short." if cut_short else ".")
        ) from error
    except RecursionError as error:
        raise ImportRefused(
            f"{path} is nested too deeply to be a Tracker export; it can't be imported."
        ) from error
    except ValueError as error:  # Python's limit on the digits of an integer
        raise ImportRefused(
            f"{path} holds a number with more than {sys.get_int_max_str_digits()} digits, "
            "which no Tracker export has; it can't be imported."
        ) from error
    _check_values(data, str(path))
    return data


class _Unreadable(ValueError):
    """Raised from inside the JSON parser's hooks; ``problem`` completes "FILE ..."."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _refuse_constant(name: str) -> Any:
    raise _Unreadable(f"holds {name}, which is not a number Tracker can store")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 reads as infinity
        raise _Unreadable(f"holds the number {text[:20]}, which is too large to store")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            shown = key if len(key) <= 40 else key[:39] + "…"
            raise _Unreadable(
                f"gives the key {json.dumps(shown)} twice in one object, so it's unclear "
                "which one is meant"
            )
        result[key] = value
    return result


def _check_values(data: object, source: str) -> None:
    """Refuse values no JSON text should hold and Tracker can't store: lone surrogates,
    NaN and infinities, and nesting deeper than :data:`MAX_DEPTH`. Walks without recursion."""
    if _nothing_to_refuse(data):
        return
    # Walk again, keeping the path to each value, to say where the first problem is.
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if len(where) > MAX_DEPTH:
            raise ImportRefused(f"{source} is nested too deeply to be a Tracker export.")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ImportRefused(
                    f"{source} holds a broken character at {_where(where)} (a lone surrogate, "
                    "such as \\ud800, is half of a character); it can't be imported."
                )
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ImportRefused(
                    f"{source} holds {value} at {_where(where)}, which is not a number Tracker "
                    "can store."
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str) or _SURROGATE.search(key):
                    raise ImportRefused(
                        f"{source} holds a broken key at {_where(where)}; it can't be imported."
                    )
                stack.append((item, (*where, key)))
        elif isinstance(value, list | tuple):
            stack.extend((item, (*where, str(i))) for i, item in enumerate(value))


def _nothing_to_refuse(data: object) -> bool:
    """Whether :func:`_check_values` passes ``data``: its walk, without keeping paths."""
    search = _SURROGATE.search
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, str):
            if not value.isascii() and search(value):
                return False
        elif isinstance(value, float):
            if not math.isfinite(value):
                return False
        elif isinstance(value, dict):
            depth += 1
            for key, item in value.items():
                if not isinstance(key, str) or search(key):
                    return False
                stack.append((item, depth))
        elif isinstance(value, list | tuple):
            depth += 1
            stack.extend([(item, depth) for item in value])
    return True


def _where(parts: tuple[str, ...]) -> str:
    shown = "/".join(part if len(part) <= 40 else part[:39] + "…" for part in parts[:8])
    return (shown + ("/…" if len(parts) > 8 else "")) or "the top level"


def _schema() -> dict[str, Any]:
    text = resources.files("tracker.store").joinpath("journal.schema.json").read_text("utf-8")
    return json.loads(text)


# --- the quick schema check -----------------------------------------------------------------------
#
# jsonschema takes seconds over a ten-year journal (a $ref lookup and a validator object for every
# value). jsonschema-rs checks the same schema in milliseconds. It only says yes or no here: when
# it passes a file, jsonschema would too (tests/test_transfer_speed.py checks they agree); when it
# doesn't, jsonschema runs as before, so every message about a file that breaks the schema is the
# same as it always was.


def _no_network(uri: str) -> Any:
    raise ValueError(f"the export schema refers to {uri}, and Tracker never fetches anything")


@cache
def _quick_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_schema(), retriever=_no_network)


def _quickly_valid(data: object) -> bool:
    """True when jsonschema-rs finds ``data`` matches the export schema; False when it doesn't,
    or can't say (then jsonschema judges the file, as it always did)."""
    try:
        return bool(_quick_validator().is_valid(data))
    except Exception:
        return False


def check_export(data: object, source: str = "the file") -> dict[str, Any]:
    """Check the shape of an export; raise ImportRefused naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportRefused(f"{source} is not a Tracker journal export.")
    version = data.get("version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise ImportRefused(
            f"{source} was exported by a newer version of Tracker (format {version}); "
            "please update Tracker to import it."
        )
    _check_values(data, source)
    if _quickly_valid(data):
        return data  # jsonschema would find nothing wrong either (see _quick_validator)
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise ImportRefused(
            f"{source} doesn't match the export format at {where}: {error.message}."
        )
    return data


def import_journal(
    store: Store, data: object, *, replace: bool = False, source: str = "the file"
) -> dict[str, int]:
    """Load an export into the journal in one transaction. Returns how many rows of each kind.

    A journal that already holds entries is refused unless ``replace`` is true, in which case
    its entries are replaced. Settings, excused weeks and suggestion feedback don't count as
    entries: without ``replace`` they are merged, the file winning for the same key, week or
    slug. Any problem anywhere leaves the journal exactly as it was.

    The counts returned are those of the journal areas (``schema.JOURNAL_TABLES``).
    """
    export = _private_unless_v3(check_export(data, source))
    if not replace and not store.is_empty():
        raise ImportRefused(
            "This journal already has entries. Import into a new file with --db, "
            "or use --replace to replace everything in it."
        )
    counts: dict[str, int] = {}
    try:
        with store.atomic() as db:
            if replace:
                for table in (
                    "attendance",
                    "fit_ratings",
                    "service",
                    "contacts",
                    "groups",
                    "people",
                    "settings",
                    "excused_weeks",
                    "suggestion_feedback",
                ):
                    db.execute(f"DELETE FROM {table}")
            _import_settings(db, export["settings"])
            group_ids = _import_rows(db, "groups", export["groups"], _group_row, {}, ids=True)
            person_ids = _import_rows(db, "people", export["people"], _person_row, {}, ids=True)
            refs = {"group": group_ids, "person": person_ids}
            latest = store.today() + FUTURE_SLACK
            for table, convert in (
                ("attendance", _attendance_row),
                ("contacts", _contact_row),
                ("service", _service_row),
                ("fit_ratings", _rating_row),
            ):
                _import_rows(
                    db,
                    table,
                    export[table],
                    lambda r, refs, convert=convert: convert(r, refs, latest=latest),
                    refs,
                )
            # Version 1 files have neither; the file's rows take the place of the journal's
            # for the same week or slug (in replace mode the tables are empty already).
            excused = export.get("excused_weeks", [])
            feedback = export.get("suggestion_feedback", [])
            db.conn.executemany(
                "DELETE FROM excused_weeks WHERE week = ?", [[r["week"]] for r in excused]
            )
            db.conn.executemany(
                "DELETE FROM suggestion_feedback WHERE slug = ?", [[r["slug"]] for r in feedback]
            )
            today = store.today()
            _import_rows(
                db,
                "excused_weeks",
                excused,
                lambda r, refs: _excused_week_row(r, today=today),
                {},
            )
            _import_rows(db, "suggestion_feedback", feedback, _feedback_row, {})
            for table in ("groups", "people", "attendance", "contacts", "service", "fit_ratings"):
                counts[table] = len(export[table])
    except TrackerError as error:  # InvalidField and ImportRefused included
        raise ImportRefused(f"{source} was not imported: {error.message}") from error
    if replace:
        store.wipe()  # the replaced entries' text goes from the -wal file too
    return counts


def _private_unless_v3(export: dict[str, Any]) -> dict[str, Any]:
    """Files before version 3 had no share flags: every note in them is private, even if a row
    (say, one edited by hand) claims otherwise. The caller's dict is not changed."""
    if export["version"] >= SHARED_NOTES_VERSION:
        return export
    return export | {
        table: [{**row, "note_shared": False} for row in export[table]] for table in JOURNAL_TABLES
    }


def _import_settings(db: Any, settings: dict[str, Any]) -> None:
    for key, value in sorted(settings.items()):
        if key == "weekly_goal":
            value = check_weekly_goal(value)
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )


def _import_rows(
    db: Any,
    table: str,
    records: list[dict[str, Any]],
    convert: Any,
    refs: dict[str, dict[str, int]],
    *,
    ids: bool = False,
) -> dict[str, int]:
    """Check every record, then write them all (see :func:`_write_rows`). With ``ids``, returns
    each new row's id by its UUID.

    The problem reported is the first in the file's order, as when each row was written as soon
    as it was checked: so before reporting a record that fails its check, the rows before it are
    written, in case the journal refuses one of those."""
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(records, start=1):
        try:
            values = convert(record, refs)
        except Exception as error:
            _write_rows(db, table, rows, ids=False)  # raises if the journal refuses one
            if isinstance(error, InvalidField):
                raise ImportRefused(f"{_label(table, number, record)}: {error.message}") from error
            raise
        rows.append({name: record[name] for name in _STAMPS} | values)
    return _write_rows(db, table, rows, ids=ids)


def _label(table: str, number: int, record: dict[str, Any]) -> str:
    return f"{table.replace('_', ' ')} entry {number} ({record['uuid']})"


def _write_rows(db: Any, table: str, rows: list[dict[str, Any]], *, ids: bool) -> dict[str, int]:
    """Write ``rows`` into ``table``, in order, many rows to an ``INSERT`` statement, all in one
    savepoint.

    A statement per row would have the search index (FTS5) write out its pending words after
    every row: twice as slow. Every trigger still fires for every row, in order, and the rows get
    the ids they would have got one at a time. No temporary table holds the rows on the way (it
    could spill into an unencrypted temporary file). If the journal refuses a statement, the
    savepoint is rolled back and the rows are written one at a time, to name the row it refuses
    (:func:`_write_each`)."""
    if not rows:
        return {}
    names = tuple(rows[0])
    if any(tuple(row) != names for row in rows):
        return _write_each(db, table, rows)
    one = "(" + ", ".join("?" * len(names)) + ")"
    per = max(1, _MAX_PARAMETERS // len(names))
    conn = db.conn
    conn.execute(f"SAVEPOINT {_SAVEPOINT}")
    try:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            conn.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row.values()],
            )
        found: dict[str, int] = {}
        if ids:
            wanted = {row["uuid"] for row in rows}
            found = {
                uuid: row_id
                for uuid, row_id in conn.execute(f"SELECT uuid, id FROM {table}")
                if uuid in wanted
            }
    except Exception as error:  # sqlite3.IntegrityError: duplicate uuid, name...
        if not conn.in_transaction:  # SQLite ended the whole transaction: nothing was written
            raise ImportRefused(
                f"the {table.replace('_', ' ')} entries were refused by the journal: {error}."
            ) from error
        conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
        conn.execute(f"RELEASE {_SAVEPOINT}")
        return _write_each(db, table, rows)
    conn.execute(f"RELEASE {_SAVEPOINT}")
    return found


def _write_each(db: Any, table: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Write ``rows`` one statement each; the first the journal refuses raises ImportRefused."""
    ids: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        try:
            cursor = db.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        except Exception as error:  # sqlite3.IntegrityError: duplicate uuid, name...
            raise ImportRefused(
                f"{_label(table, number, row)} was refused by the journal: {error}."
            ) from error
        ids[row["uuid"]] = int(cursor.lastrowid or 0)
    return ids


def _ref(
    refs: dict[str, dict[str, int]], kind: str, value: str | None, *, optional: bool = False
) -> int | None:
    if value is None and optional:
        return None
    if value not in refs[kind]:
        raise InvalidField(kind, f"{kind}: refers to a {kind} ({value}) that isn't in the file.")
    return refs[kind][value]


def _day(value: str, field: str = "date") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidField(field, f"{field}: {value!r} is not a real date.") from error


def _time(value: str | None) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise InvalidField("time", f"time: {value!r} is not a time on the clock.") from error


def _group_row(r: dict[str, Any], refs: Any) -> dict[str, Any]:
    f = GroupFields(
        name=r["name"],
        pillar=r["pillar"],
        tags=tuple(r["tags"]),
        format=r["format"],
        location=r["location"],
        schedule=r["schedule"],
        status=r["status"],
        catalogue_slug=r["catalogue_slug"],
        notes=r["notes"],
        note_shared=r["note_shared"],
    ).validated()
    return group_values(f)


def _attendance_row(
    r: dict[str, Any], refs: dict[str, dict[str, int]], *, latest: date
) -> dict[str, Any]:
    group_id = _ref(refs, "group", r["group"])
    assert group_id is not None
    f = AttendanceFields(
        group_id=group_id,
        date=_day(r["date"]),
        time=_time(r["time"]),
        attended=r["attended"],
        shared=r["shared"],
        note=r["note"],
        note_shared=r["note_shared"],
    ).validated(today=latest)
    return attendance_values(f)


def _person_row(r: dict[str, Any], refs: Any) -> dict[str, Any]:
    f = PersonFields(
        alias=r["alias"],
        role=r["role"],
        phone=r["phone"],
        email=r["email"],
        notes=r["notes"],
        note_shared=r["note_shared"],
    ).validated()
    return person_values(f)


def _contact_row(
    r: dict[str, Any], refs: dict[str, dict[str, int]], *, latest: date
) -> dict[str, Any]:
    person_id = _ref(refs, "person", r["person"])
    assert person_id is not None
    f = ContactFields(
        person_id=person_id,
        date=_day(r["date"]),
        method=r["method"],
        note=r["note"],
        note_shared=r["note_shared"],
    ).validated(today=latest)
    return contact_values(f)


def _service_row(
    r: dict[str, Any], refs: dict[str, dict[str, int]], *, latest: date
) -> dict[str, Any]:
    f = ServiceFields(
        date=_day(r["date"]),
        kind=r["kind"],
        group_id=_ref(refs, "group", r["group"], optional=True),
        minutes=r["minutes"],
        note=r["note"],
        note_shared=r["note_shared"],
    ).validated(today=latest)
    return service_values(f)


def _rating_row(
    r: dict[str, Any], refs: dict[str, dict[str, int]], *, latest: date
) -> dict[str, Any]:
    group_id = _ref(refs, "group", r["group"])
    assert group_id is not None
    f = FitFields(
        group_id=group_id,
        date=_day(r["date"]),
        welcome=r["welcome"],
        relevance=r["relevance"],
        format_comfort=r["format_comfort"],
        practical=r["practical"],
        would_return=r["would_return"],
        note=r["note"],
        note_shared=r["note_shared"],
    ).validated(today=latest)
    return rating_values(f)


def _excused_week_row(r: dict[str, Any], *, today: date) -> dict[str, Any]:
    week = _day(r["week"], "week")
    f = ExcusedWeekFields(week=week, reason=r["reason"], note=r["note"]).validated(today=today)
    if f.week != week:
        raise InvalidField("week", f"week: {r['week']} is not a Monday, so it names no week.")
    return excused_week_values(f)


def _feedback_row(r: dict[str, Any], refs: Any) -> dict[str, Any]:
    until = None if r["until"] is None else _day(r["until"], "until")
    values = feedback_values(r["slug"], r["status"], until)
    if values["slug"] != r["slug"]:
        raise InvalidField("slug", f"slug: {r['slug']!r} doesn't name a suggestion.")
    return values

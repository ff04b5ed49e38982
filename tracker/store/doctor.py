"""``tracker doctor``: a look at the journal file, its backups and its surroundings, in plain words.

Doctor only reads. The journal is opened read-only (``mode=ro`` for a plain file; an encrypted
one is opened with its key and only read), nothing is chmod-ed, migrated or repaired, and a
damaged file gives findings, never an exception.
"""

from __future__ import annotations

import shutil
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tracker import paths
from tracker.store import driver, schema
from tracker.store.backup import (
    applied_migrations,
    backup_files,
    backups_dir,
    check_backup,
    latest_good_backup,
    list_backups,
    read_only,
    restore_command,
    sqlite_check,
)
from tracker.store.connection import inspect_file

LOW_DISK_BYTES = 100 * 1024 * 1024
DISK_FACTOR = 3
STALE_BACKUP_DAYS = 8


@dataclass(frozen=True)
class Finding:
    ok: bool
    area: str
    message: str


def _restore_hint(db_path: Path, passphrase: str | None) -> str:
    good = latest_good_backup(db_path, passphrase)
    if good is None:
        return (
            "There is no good backup to bring back; please keep the file as it is, "
            "a copy of it may still be rescued."
        )
    return f"`{restore_command(db_path, good)}` brings back the latest good backup."


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


def _permissions(db_path: Path) -> Finding:
    folder = db_path.parent if str(db_path.parent) else Path(".")
    loose: list[str] = []
    # Tracker's own data folder should be private. A folder the person chose with --db (their
    # home, a project folder) is theirs to judge: the files in it are what must be private.
    if paths.same_path(folder, paths.data_dir()):
        folder_mode = _mode(folder)
        if folder_mode is not None and folder_mode & 0o077:
            loose.append(f"the folder {folder} ({folder_mode:04o})")
    files = [db_path, *paths.sidecar_files(db_path), *backup_files(db_path)]
    for each in files:
        mode = _mode(each)
        if mode is not None and mode & ~paths.PRIVATE_FILE_MODE & 0o777:
            loose.append(f"{each} ({mode:04o})")
    folders = [backups_dir(db_path)]
    if folders[0].is_dir():
        folders += [p for p in folders[0].iterdir() if p.is_dir()]
    for each in folders:
        mode = _mode(each)
        if mode is not None and mode & 0o077:
            loose.append(f"the folder {each} ({mode:04o})")
    if not loose:
        return Finding(True, "permissions", "Only you can read the journal and its backups.")
    shown = 8
    listed = "; ".join(loose[:shown])
    if len(loose) > shown:
        listed += f"; and {len(loose) - shown} more"
    return Finding(
        False,
        "permissions",
        f"Other people on this computer may be able to read: {listed}. "
        f"`chmod 700` on folders and `chmod 600` on files makes them private (doctor changed "
        "nothing).",
    )


def _disk_space(db_path: Path) -> Finding:
    folder = db_path.parent if str(db_path.parent) else Path(".")
    try:
        free = shutil.disk_usage(folder).free
    except OSError as error:
        return Finding(False, "disk space", f"The free space couldn't be read ({error}).")
    size = sum(p.stat().st_size for p in (db_path, *paths.sidecar_files(db_path)) if p.exists())
    need = max(LOW_DISK_BYTES, DISK_FACTOR * size)
    text = _size(free)
    if free < need:
        return Finding(
            False,
            "disk space",
            f"Only {text} is free on this disk; the journal and its backups need room to grow "
            "safely, so please free some space.",
        )
    return Finding(True, "disk space", f"{text} free.")


def _size(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.0f} MB"


def _backups(db_path: Path, passphrase: str | None, today: date) -> Finding:
    made = [b for b in list_backups(db_path) if b.kind != "kept"]
    if not made:
        return Finding(
            False,
            "backups",
            "There are no backups yet. One is made each day the app opens; "
            "`tracker backup` makes one now.",
        )
    newest = made[0]
    count = f"{len(made)} backup{'s' if len(made) != 1 else ''}"
    day = newest.moment.date()
    problem = check_backup(newest.path, passphrase)
    if problem and not (passphrase is None and inspect_file(newest.path).kind == "encrypted"):
        return Finding(
            False,
            "backups",
            f"{count}; the newest ({day.isoformat()}) can't be used: {problem} "
            "`tracker backup` makes a fresh one.",
        )
    age = (today - day).days
    if age > STALE_BACKUP_DAYS:
        return Finding(
            False,
            "backups",
            f"{count}; the newest is from {day.isoformat()}, {age} days ago. "
            "`tracker backup` makes a fresh one.",
        )
    checked = "checked and good" if problem is None else "encrypted, not checked without its key"
    return Finding(True, "backups", f"{count}; the newest is from {day.isoformat()} ({checked}).")


def _inside(conn: Any, db_path: Path, passphrase: str | None) -> list[Finding]:
    """The file, integrity, foreign keys and schema version, read through ``conn``."""
    how = "an encrypted" if passphrase is not None else "a"
    findings = [Finding(True, "file", f"{db_path} is {how} Tracker journal.")]
    try:
        applied = applied_migrations(conn)
    except driver.DatabaseError as error:
        if passphrase is not None:
            return [
                Finding(
                    False,
                    "file",
                    f"That passphrase doesn't open {db_path} (or the file is damaged). "
                    "Nothing was changed.",
                )
            ]
        return [
            Finding(
                False,
                "file",
                f"{db_path} can't be read ({error}). {_restore_hint(db_path, passphrase)}",
            )
        ]
    if not applied:
        return [
            Finding(
                False,
                "file",
                f"{db_path} is an SQLite database but not a Tracker journal. Check the --db path.",
            )
        ]
    try:
        problem = sqlite_check(conn)
    except driver.DatabaseError as error:
        problem = str(error)
    if problem == "ok":
        findings.append(Finding(True, "integrity", "SQLite's full check found no problems."))
    else:
        findings.append(
            Finding(
                False,
                "integrity",
                f"{db_path} is damaged (SQLite's check found: {problem}). "
                + _restore_hint(db_path, passphrase),
            )
        )
    try:
        orphans = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    except driver.DatabaseError as error:
        findings.append(Finding(False, "foreign keys", f"They couldn't be checked ({error})."))
    else:
        if orphans:
            findings.append(
                Finding(
                    False,
                    "foreign keys",
                    f"{orphans} entr{'ies point' if orphans != 1 else 'y points'} at a group or "
                    "person that is no longer in the journal.",
                )
            )
        else:
            findings.append(
                Finding(True, "foreign keys", "Every entry points at a group or person it knows.")
            )
    for kept in (_week_totals(conn), _group_totals(conn), _rating_totals(conn)):
        if kept is not None:
            findings.append(kept)
    version, latest = len(applied), schema.latest_version()
    if applied - schema.migration_names():
        findings.append(
            Finding(
                False,
                "schema",
                "The journal was written by a newer version of Tracker; please update Tracker.",
            )
        )
    elif version < latest:
        findings.append(
            Finding(
                True,
                "schema",
                f"Version {version} of {latest}: it will be updated when the journal is opened.",
            )
        )
    else:
        findings.append(Finding(True, "schema", f"Up to date (version {version})."))
    return findings


# The weeks whose kept total (attendance_weeks, schema m006) differs from the meetings attended
# counted afresh: a week missing on either side, or with another number. The Monday is worked
# out here another way than the triggers do (%w: Sunday 0 ... Saturday 6).
_TOTALS_DIFFER = """
    WITH kept AS (SELECT week, attended FROM attendance_weeks),
    counted AS (
        SELECT date(date, '-' || ((CAST(strftime('%w', date) AS INTEGER) + 6) % 7) || ' days')
            AS week, count(*) AS attended
        FROM attendance WHERE attended = 1 GROUP BY 1
    )
    SELECT count(*) FROM (
        SELECT week FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted)
        UNION
        SELECT week FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)
    )
"""


_FRESH_COUNT = (
    "Exporting the journal (`tracker export --out journal.json`) and importing it into a new "
    "file (`tracker --db new.db import journal.json`) counts them afresh."
)


def _kept_totals(
    conn: Any, *, table: str, differ_sql: str, area: str, fine: str, wrong: str, unit: str
) -> Finding | None:
    """Whether totals kept by triggers in ``table`` match their rows counted afresh
    (``differ_sql`` counts the ``unit``s that differ); None for a journal from before they were
    kept (they are made when it is next opened). ``wrong`` ends with "({differ})."."""
    try:
        kept = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()[0]
        if not kept:
            return None
        count = int(conn.execute(differ_sql).fetchone()[0])
    except driver.DatabaseError as error:
        return Finding(False, area, f"They couldn't be checked ({error}).")
    if not count:
        return Finding(True, area, fine)
    differ = f"1 {unit} differs" if count == 1 else f"{count} {unit}s differ"
    return Finding(False, area, wrong.format(differ=differ) + " " + _FRESH_COUNT)


def _week_totals(conn: Any) -> Finding | None:
    """Whether the weekly meeting totals the dashboard reads match the meetings logged."""
    return _kept_totals(
        conn,
        table="attendance_weeks",
        differ_sql=_TOTALS_DIFFER,
        area="weekly totals",
        fine="The meetings attended each week add up to the meetings logged.",
        wrong="The count of meetings attended each week, which the dashboard and `tracker "
        "status` read, doesn't match the meetings logged ({differ}). Your meetings themselves "
        "are all there.",
        unit="week",
    )


# The groups whose kept meeting totals (group_totals, schema m007) differ from their meetings
# counted afresh: a group missing on either side, or with another count or first or last day.
# Only the meetings of groups in the journal count, as in the rating totals below.
_GROUP_TOTALS_DIFFER = """
    WITH kept AS (SELECT group_id, attended, missed, shared, first, last FROM group_totals),
    counted AS (
        SELECT group_id, sum(attended) AS attended, sum(1 - attended) AS missed,
            sum(shared) AS shared, min(CASE WHEN attended = 1 THEN date END) AS first,
            max(CASE WHEN attended = 1 THEN date END) AS last
        FROM attendance WHERE group_id IN (SELECT id FROM groups) GROUP BY group_id
    )
    SELECT count(*) FROM (
        SELECT group_id FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted)
        UNION
        SELECT group_id FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)
    )
"""


def _group_totals(conn: Any) -> Finding | None:
    """Whether each group's meeting totals, which Compare and the dashboard read, match the
    meetings logged."""
    return _kept_totals(
        conn,
        table="group_totals",
        differ_sql=_GROUP_TOTALS_DIFFER,
        area="group totals",
        fine="The meetings of each group add up to the meetings logged.",
        wrong="The meeting totals of each group, which Compare and the dashboard read, don't "
        "match the meetings logged ({differ}). Your meetings themselves are all there.",
        unit="group",
    )


# The groups whose kept fit-rating totals (fit_totals, schema m006) differ from their ratings
# counted afresh: a group missing on either side, or with another count or score total. Only
# the ratings of groups in the journal count; one pointing at a missing group is the foreign-key
# check's finding.
_RATING_TOTALS_DIFFER = """
    WITH kept AS (SELECT group_id, ratings, score_total FROM fit_totals),
    counted AS (
        SELECT group_id, count(*) AS ratings,
            sum(welcome + relevance + format_comfort + practical + would_return) AS score_total
        FROM fit_ratings WHERE group_id IN (SELECT id FROM groups) GROUP BY group_id
    )
    SELECT count(*) FROM (
        SELECT group_id FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted)
        UNION
        SELECT group_id FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)
    )
"""


def _rating_totals(conn: Any) -> Finding | None:
    """Whether the fit-rating totals of each group, which suggestions and fit trends read,
    match the ratings logged."""
    return _kept_totals(
        conn,
        table="fit_totals",
        differ_sql=_RATING_TOTALS_DIFFER,
        area="rating totals",
        fine="The fit ratings of each group add up to the ratings logged.",
        wrong="The fit-rating totals of each group, which the suggestions and fit trends "
        "read, don't match the ratings logged ({differ}). Your ratings themselves are all "
        "there.",
        unit="group",
    )


def examine(db_path: Path, passphrase: str | None, today: date) -> list[Finding]:
    """What doctor finds about the journal at ``db_path``, one :class:`Finding` per area."""
    db_path = Path(db_path)
    state = inspect_file(db_path)
    findings: list[Finding] = []
    readable = False
    if state.kind == "missing":
        findings.append(Finding(False, "file", f"There is no journal at {db_path}."))
    elif state.kind == "empty":
        findings.append(
            Finding(
                False,
                "file",
                f"{db_path} is an empty file (0 bytes), not a journal. "
                + _restore_hint(db_path, passphrase),
            )
        )
    elif state.kind == "text":
        findings.append(
            Finding(False, "file", f"{db_path} is not a Tracker journal ({state.detail}).")
        )
    elif state.kind == "damaged":
        findings.append(
            Finding(
                False,
                "file",
                f"{db_path} is damaged: {state.detail}. " + _restore_hint(db_path, passphrase),
            )
        )
    elif state.kind == "encrypted" and passphrase is None:
        findings.append(
            Finding(False, "file", f"{db_path} is encrypted; its passphrase is needed to check it.")
        )
    elif state.kind == "encrypted" and driver.cipher_unavailable_reason():
        findings.append(
            Finding(
                False,
                "file",
                f"{db_path} is encrypted, but {driver.cipher_unavailable_reason()}.",
            )
        )
    else:
        readable = True
    # Permissions first: reading a WAL journal may add its (empty) -wal/-shm files.
    permissions = _permissions(db_path)
    if readable:
        key = passphrase if state.kind == "encrypted" else None
        try:
            with read_only(db_path, key) as conn:
                inside = _inside(conn, db_path, key)
        except driver.DatabaseError as error:
            inside = [
                Finding(
                    False,
                    "file",
                    f"{db_path} can't be read ({error}). " + _restore_hint(db_path, key),
                )
            ]
        findings += inside
    findings.append(permissions)
    findings.append(_disk_space(db_path))
    findings.append(_backups(db_path, passphrase, today))
    return findings

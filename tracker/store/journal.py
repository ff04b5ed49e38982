"""The journal store: every read and write of the five journal areas, and nothing else.

All SQL lives here (and in ``schema.py`` and ``transfer.py``). Methods take and return the plain
dataclasses of :mod:`tracker.domain.models`. Each write validates its fields first, so a bad
value raises :class:`~tracker.errors.InvalidField` before anything touches the file, and writes
that touch several rows run inside one ``db.atomic()`` transaction.

One connection is shared by the UI thread and worker threads, so every method holds a lock.
"""

from __future__ import annotations

import json
import re
import threading
import uuid as uuid_module
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sqlite_utils import Database

from tracker.clock import Clock
from tracker.domain import models, vocab
from tracker.domain.dates import week_start
from tracker.errors import InvalidField, NotFound, TrackerError
from tracker.paths import daily_backup_path
from tracker.store import driver, schema
from tracker.store.connection import DamagedJournal, connect, is_encrypted

if TYPE_CHECKING:
    from tracker.domain.engagement import FitHistory, SupportContact
    from tracker.domain.models import (
        Attendance,
        AttendanceFields,
        Contact,
        ContactFields,
        ExcusedWeek,
        ExcusedWeekFields,
        FitFields,
        FitRating,
        Group,
        GroupComparison,
        GroupFields,
        Person,
        PersonFields,
        ServiceEntry,
        ServiceFields,
    )
    from tracker.domain.profile import Profile, Thresholds
    from tracker.domain.search import Found, Results, SearchQuery
    from tracker.domain.suggestions import Feedback, RatedGroup
    from tracker.meetings.model import ParsedFeed
    from tracker.store.meetings import DirectoryMeeting, ImportResult, MeetingSource
    from tracker.store.search import Cursor

DEFAULT_WEEKLY_GOAL = 1


GOAL_CHANGES_KEY = "goal_changes"
EARLIEST_DAY = date(1900, 1, 1)
WEEKLY_GOAL_MAX = 21
FEEDBACK_STATUSES = ("dismissed", "snoozed")
# A catalogue slug ("smart-recovery") or an advice key ("advice:volunteer").
_SUGGESTION_SLUG = re.compile(r"[a-z0-9][a-z0-9:-]{0,99}")
_FIT_SUM = "(welcome + relevance + format_comfort + practical + would_return)"
_FIT_MEAN = f"{_FIT_SUM} / 5.0"


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


# In the order of Group's fields.
_GROUP_FIELDS = (
    "name",
    "pillar",
    "tags",
    "format",
    "location",
    "schedule",
    "status",
    "catalogue_slug",
    "notes",
    "note_shared",
    "id",
    "uuid",
    "created_at",
    "updated_at",
)
_GROUP_COLUMNS = ", ".join(_GROUP_FIELDS)
# The areas of the log of changes (schema m008) that what is kept in memory depends on.
_GROUPS = frozenset({"groups"})
_RATED = frozenset({"groups", "ratings"})
_new_object = object.__new__
_set_attribute = object.__setattr__


def _groups(rows: list[tuple[Any, ...]]) -> list[Group]:
    """Groups from rows of ``_GROUP_COLUMNS``, made about three times faster than through
    ``Group(...)``: a frozen dataclass's ``__init__`` sets its fourteen fields one
    ``object.__setattr__`` at a time, this sets them all at once, and tags that many groups
    share are read once. tests/test_kept_figures.py checks both ways give equal groups."""
    parsed: dict[str | None, tuple[str, ...]] = {}
    made: list[Group] = []
    for row in rows:
        values = dict(zip(_GROUP_FIELDS, row, strict=True))
        tags = values["tags"]
        if tags not in parsed:
            parsed[tags] = tuple(json.loads(tags or "[]"))
        values["tags"] = parsed[tags]
        values["note_shared"] = bool(values["note_shared"])
        group = _new_object(models.Group)
        _set_attribute(group, "__dict__", values)
        made.append(group)
    return made


def _attendance(row: dict[str, Any]) -> Attendance:
    return models.Attendance(
        id=row["id"],
        uuid=row["uuid"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        date=_day(row["date"]),
        time=_time(row["time"]),
        attended=bool(row["attended"]),
        shared=bool(row["shared"]),
        note=row["note"],
        note_shared=bool(row["note_shared"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _person(row: dict[str, Any]) -> Person:
    last = row.get("last_contact")
    return models.Person(
        id=row["id"],
        uuid=row["uuid"],
        alias=row["alias"],
        role=row["role"],
        phone=row["phone"],
        email=row["email"],
        notes=row["notes"],
        note_shared=bool(row["note_shared"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        last_contact=_day(last) if last else None,
        contact_count=row.get("contact_count") or 0,
    )


def _contact(row: dict[str, Any]) -> Contact:
    return models.Contact(
        id=row["id"],
        uuid=row["uuid"],
        person_id=row["person_id"],
        person_alias=row["person_alias"],
        date=_day(row["date"]),
        method=row["method"],
        note=row["note"],
        note_shared=bool(row["note_shared"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _service(row: dict[str, Any]) -> ServiceEntry:
    return models.ServiceEntry(
        id=row["id"],
        uuid=row["uuid"],
        date=_day(row["date"]),
        kind=row["kind"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        minutes=row["minutes"],
        note=row["note"],
        note_shared=bool(row["note_shared"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _rating(row: dict[str, Any]) -> FitRating:
    return models.FitRating(
        id=row["id"],
        uuid=row["uuid"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        date=_day(row["date"]),
        welcome=row["welcome"],
        relevance=row["relevance"],
        format_comfort=row["format_comfort"],
        practical=row["practical"],
        would_return=row["would_return"],
        note=row["note"],
        note_shared=bool(row["note_shared"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _excused_week(row: dict[str, Any]) -> ExcusedWeek:
    return models.ExcusedWeek(
        id=row["id"],
        uuid=row["uuid"],
        week=_day(row["week"]),
        reason=row["reason"],
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


_ATTENDANCE_SELECT = """
    SELECT attendance.*, groups.name AS group_name
    FROM attendance JOIN groups ON groups.id = attendance.group_id
"""
_CONTACT_SELECT = """
    SELECT contacts.*, people.alias AS person_alias
    FROM contacts JOIN people ON people.id = contacts.person_id
"""
_SERVICE_SELECT = """
    SELECT service.*, groups.name AS group_name
    FROM service LEFT JOIN groups ON groups.id = service.group_id
"""
_RATING_SELECT = """
    SELECT fit_ratings.*, groups.name AS group_name
    FROM fit_ratings JOIN groups ON groups.id = fit_ratings.group_id
"""
# Every shared, non-empty note in [:since, :until], one SELECT per journal area; ``rank`` orders
# the kinds within a day. Group and person notes take the UTC date of ``updated_at`` as their day.
_SHARED_NOTES = """
    SELECT a.date AS day, 'meeting' AS kind, 0 AS rank, g.name AS about, a.note AS text,
        a.time AS at, a.id AS row_id
    FROM attendance a JOIN groups g ON g.id = a.group_id
    WHERE a.note_shared = 1 AND a.note != '' AND a.date BETWEEN :since AND :until
    UNION ALL
    SELECT c.date, 'contact', 1, p.alias, c.note, NULL, c.id
    FROM contacts c JOIN people p ON p.id = c.person_id
    WHERE c.note_shared = 1 AND c.note != '' AND c.date BETWEEN :since AND :until
    UNION ALL
    SELECT s.date, 'service', 2, s.kind, s.note, NULL, s.id
    FROM service s
    WHERE s.note_shared = 1 AND s.note != '' AND s.date BETWEEN :since AND :until
    UNION ALL
    SELECT r.date, 'rating', 3, g.name, r.note, NULL, r.id
    FROM fit_ratings r JOIN groups g ON g.id = r.group_id
    WHERE r.note_shared = 1 AND r.note != '' AND r.date BETWEEN :since AND :until
    UNION ALL
    SELECT min(substr(g.updated_at, 1, 10), :until), 'group', 4, g.name, g.notes, NULL, g.id
    FROM groups g
    WHERE g.note_shared = 1 AND g.notes != '' AND :since <= :until
    UNION ALL
    SELECT min(substr(p.updated_at, 1, 10), :until), 'person', 5, p.alias, p.notes, NULL, p.id
    FROM people p
    WHERE p.note_shared = 1 AND p.notes != '' AND :since <= :until
    ORDER BY day, rank, at, row_id
"""
_PEOPLE_SELECT = """
    SELECT people.*,
        (SELECT max(date) FROM contacts WHERE contacts.person_id = people.id) AS last_contact,
        (SELECT count(*) FROM contacts WHERE contacts.person_id = people.id) AS contact_count
    FROM people
"""


class Changes(NamedTuple):
    """What the log of changes (schema m008) says since a reader last looked
    (:meth:`Store.changes`)."""

    serial: int  # the latest entry's number: what to ask after next time
    areas: frozenset[str]  # the areas changed since: "weeks", "groups", "ratings"
    earliest: date | None  # the earliest week changed since (None: none)
    complete: bool  # False when entries since were already dropped: assume everything changed


class Store:
    """The journal in one SQLite file."""

    def __init__(
        self,
        db: Database,
        *,
        path: Path | None = None,
        clock: Clock | None = None,
        new_uuid: Callable[[], str] | None = None,
        passphrase: str | None = None,
    ) -> None:
        self.db = db
        self.path = path
        # Kept in memory while the journal is open, to key its backups the same way.
        self.passphrase = passphrase if is_encrypted(db) else None
        self.clock = clock or Clock.system()
        self._new_uuid = new_uuid or (lambda: str(uuid_module.uuid4()))
        self._lock = threading.RLock()
        self._reading = False  # inside snapshot(): no writes
        # Figures worked out from the journal and kept in memory while it is open, by the
        # modules that work them out (tracker.insights keeps the settled weeks here).
        self.kept: dict[str, Any] = {}

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        clock: Clock | None = None,
        new_uuid: Callable[[], str] | None = None,
        create: bool = True,
        passphrase: str | None = None,
    ) -> Store:
        """Open the journal at ``path``; with ``create=False`` a missing file is an error.

        ``passphrase`` unlocks an encrypted journal (or encrypts a new one). The first open of
        each day (no backup made today yet) checks the whole file, read-only, first."""
        clock = clock or Clock.system()
        return cls(
            connect(
                path,
                create=create,
                passphrase=passphrase,
                check=_first_open_today(path, clock.today()),
            ),
            path=None if str(path) == ":memory:" else Path(path),
            clock=clock,
            new_uuid=new_uuid,
            passphrase=passphrase,
        )

    def close(self) -> None:
        with self._lock:
            self.db.close()

    @property
    def encrypted(self) -> bool:
        return is_encrypted(self.db)

    # --- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction (or a savepoint inside one), holding the store's lock.

        A new transaction takes the write lock first (``BEGIN IMMEDIATE``), waiting up to the
        busy timeout while another window writes. A deferred ``BEGIN`` would take it only at the
        first write; by then the search index's triggers may have read, and SQLite never waits
        to turn a reading transaction into a writing one: it says "locked" at once.
        """
        with self._lock, self._translated():
            if self._reading:
                # It would be a savepoint in a read transaction: refused at once when another
                # window writes, and rolled back unseen when the snapshot ends.
                raise RuntimeError("Store.atomic() inside Store.snapshot(): writes need atomic()")
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                with self.db.atomic():  # a savepoint inside the transaction just begun
                    yield self.db
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        """One read transaction: every read inside it sees the same journal, and it never
        holds up another window's writes (use :meth:`atomic` to write)."""
        with self._lock, _readable(self.path):
            conn = self.db.conn
            if conn.in_transaction:
                yield self.db
                return
            conn.execute("BEGIN")
            self._reading = True
            try:
                yield self.db
            finally:
                self._reading = False
                if conn.in_transaction:
                    conn.rollback()  # nothing was written: ending it is all that is needed

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Turn the database's constraint errors into sentences a person can act on."""
        try:
            yield
        except driver.IntegrityError as error:
            text = str(error)
            if "groups.name" in text:
                raise InvalidField(
                    "name", "name: you already have a group with that name."
                ) from error
            if "people.alias" in text:
                raise InvalidField(
                    "alias", "alias: you already have someone with that alias."
                ) from error
            if "FOREIGN KEY" in text:
                raise TrackerError(
                    "That entry points at a group or person that no longer exists; "
                    "nothing was saved."
                ) from error
            raise TrackerError(
                f"That wasn't saved because the journal refused it ({text})."
            ) from error
        except driver.DatabaseError as error:
            raise _unavailable(
                error, "couldn't be written", "; nothing was saved", self.path
            ) from error

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self._lock, _readable(self.path):
            return list(self.db.query(sql, params))

    def _tuples(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """Like :meth:`_rows`, as plain tuples: cheaper for aggregates of many rows."""
        with self._lock, _readable(self.path):
            return list(self.db.execute(sql, params).fetchall())

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: Any = ()) -> Any:
        with self._lock, _readable(self.path):
            row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    def _stamp(self) -> dict[str, str]:
        now = self.clock.timestamp()
        return {"created_at": now, "updated_at": now}

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        record = {"uuid": self._new_uuid(), **self._stamp(), **values}
        with self.atomic() as db:
            cursor = db.execute(
                f"INSERT INTO {table} ({', '.join(record)}) "
                f"VALUES ({', '.join('?' * len(record))})",
                list(record.values()),
            )
            return int(cursor.lastrowid or 0)

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        """Change one row. Afterwards the old text is wiped from the files too (see _delete)."""
        values = {**values, "updated_at": self.clock.timestamp()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.atomic() as db:
            cursor = db.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id]
            )
            if cursor.rowcount == 0:
                raise NotFound("That entry no longer exists; it may have been deleted elsewhere.")
        self.wipe()

    def _delete(self, table: str, row_id: int) -> None:
        with self.atomic() as db:
            cursor = db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
            if cursor.rowcount == 0:
                raise NotFound("That entry no longer exists; it may have been deleted elsewhere.")
        self.wipe()

    def wipe(self) -> None:
        """After a delete or an edit: wipe the old text from the files too.

        secure_delete zeroes freed space in the database pages, but in WAL mode the page images
        that still hold the old text stay in the ``-wal`` file until a checkpoint. So once the
        change has committed, a best-effort ``wal_checkpoint(TRUNCATE)`` copies the clean pages
        into the database and empties the ``-wal``. It is skipped inside a caller's transaction
        (the next edit or delete made on its own does it), waits at most briefly for another
        connection's readers, and never raises: the change itself is already saved.
        """
        with self._lock:
            conn = self.db.conn
            if self.db.memory or conn.in_transaction:
                return
            try:
                waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
                conn.execute("PRAGMA busy_timeout = 100")
                try:
                    # A deleted or edited note's words stay in the search index's older
                    # segments until they are merged; 'optimize' merges them, and
                    # secure_delete zeroes the pages it frees.
                    try:
                        for index, _columns in schema.SEARCH_INDEXES.values():
                            conn.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")
                        conn.commit()
                    except driver.Error:
                        conn.rollback()
                        raise
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(waited)}")
            except driver.Error:
                pass  # busy or locked: the pages are wiped at the next checkpoint instead

    def today(self) -> date:
        return self.clock.today()

    # --- search and the timeline (the SQL is in store/search.py) --------------------------

    def search(self, query: SearchQuery, *, limit: int = 50, offset: int = 0) -> Results:
        """The entries ``query`` finds, best first. Raises InvalidField for a bad filter."""
        from tracker.store import search

        return search.search(self, query, limit=limit, offset=offset)

    def timeline(
        self, query: SearchQuery, *, after: Cursor | None = None, limit: int = 100
    ) -> list[Found]:
        """Dated entries, newest first, a page at a time (see store/search.py)."""
        from tracker.store import search

        return search.timeline(self, query, after=after, limit=limit)

    # --- meeting directories (the SQL is in store/meetings.py) -----------------------------

    def import_meetings(self, feed: ParsedFeed, *, name: str, location: str) -> ImportResult:
        """Bring a parsed feed into the meeting list called ``name`` (made if new), in one
        transaction: meetings are matched by slug, and those that left the feed are removed, or
        marked gone if they are in the person's groups. Raises InvalidField for a bad name."""
        from tracker.store import meetings

        return meetings.import_meetings(self, feed, name=name, location=location)

    def meeting_sources(self) -> list[MeetingSource]:
        """Every imported meeting list, by name."""
        from tracker.store import meetings

        return meetings.meeting_sources(self)

    def get_meeting_source(self, name: str) -> MeetingSource:
        """The meeting list called ``name`` (ignoring case); NotFound names the lists there are."""
        from tracker.store import meetings

        return meetings.get_meeting_source(self, name)

    def remove_meeting_source(self, name: str) -> int:
        """Remove a meeting list and its meetings; returns how many meetings went. Groups made
        from them stay in the journal."""
        from tracker.store import meetings

        return meetings.remove_meeting_source(self, name)

    def directory(self, *, include_gone: bool = True) -> list[DirectoryMeeting]:
        """Every meeting of every list, by name (ignoring case), then slug."""
        from tracker.store import meetings

        return meetings.directory(self, include_gone=include_gone)

    def get_directory_meeting(self, meeting_id: int) -> DirectoryMeeting:
        from tracker.store import meetings

        return meetings.get_directory_meeting(self, meeting_id)

    def add_meeting_to_groups(self, meeting_id: int, fields: GroupFields) -> Group:
        """Add a group made from a directory meeting and link the two. Refused (TrackerError)
        when the meeting is already in the person's groups."""
        from tracker.store import meetings

        return meetings.add_meeting_to_groups(self, meeting_id, fields)

    def directory_count(self) -> int:
        """How many meetings the meeting lists hold (gone ones included)."""
        from tracker.store import meetings

        return meetings.directory_count(self)

    def data_version(self) -> int:
        """Changes whenever another connection (say, `tracker log` in a shell) commits."""
        return int(self._scalar("PRAGMA data_version"))

    def schema_version(self) -> int:
        with self._lock:
            return schema.schema_version(self.db)

    def is_empty(self) -> bool:
        """True when no journal area holds a row (settings don't count)."""
        return all(
            self._scalar(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1)") == 0
            for table in schema.JOURNAL_TABLES
        )

    def counts(self) -> dict[str, int]:
        return {
            table: self._scalar(f"SELECT count(*) FROM {table}") for table in schema.JOURNAL_TABLES
        }

    # --- settings ------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self._scalar("SELECT value FROM settings WHERE key = ?", [key])
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.atomic() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value)],
            )

    def settings(self) -> dict[str, Any]:
        return {
            row["key"]: json.loads(row["value"])
            for row in self._rows("SELECT * FROM settings ORDER BY key")
        }

    @property
    def weekly_goal(self) -> int:
        value = self.get_setting("weekly_goal", DEFAULT_WEEKLY_GOAL)
        return (
            value
            if isinstance(value, int) and 1 <= value <= WEEKLY_GOAL_MAX
            else DEFAULT_WEEKLY_GOAL
        )

    def set_weekly_goal(self, goal: object, *, since: date | None = None) -> None:
        """Set the weekly goal, from the week of ``since`` (default: this week) on.

        Earlier weeks with meetings logged keep the goal they had: the change is recorded in
        ``goal_changes``, so raising the goal never rewrites the weeks before it.
        """
        goal = check_weekly_goal(goal)
        start = week_start(since or self.today())
        with self.atomic():
            changes = self.goal_changes
            earlier = self._scalar(
                "SELECT count(*) FROM attendance WHERE date < ?", [start.isoformat()]
            )
            if not earlier:
                # Nothing logged before that week (a new journal, the first-run questions):
                # the goal applies from the start, to meetings logged later for earlier weeks too.
                changes, start = [], EARLIEST_DAY
            elif not changes:
                # The goal so far applied from the start (a journal from before goal changes
                # were recorded, or one still on the default).
                changes = [(EARLIEST_DAY, self.weekly_goal)]
            kept = [(day, value) for day, value in changes if day < start]
            kept.append((start, goal))
            merged: list[tuple[date, int]] = []
            for day, value in kept:
                if not merged or merged[-1][1] != value:
                    merged.append((day, value))
            self.set_setting("weekly_goal", goal)
            self.set_setting(
                GOAL_CHANGES_KEY,
                [{"from": day.isoformat(), "goal": value} for day, value in merged],
            )

    @property
    def goal_changes(self) -> list[tuple[date, int]]:
        """(first Monday, weekly goal) for each change of goal, oldest first. Entries that can't
        be read are left out."""
        stored = self._lenient_setting(GOAL_CHANGES_KEY)
        changes: list[tuple[date, int]] = []
        if not isinstance(stored, list):
            return changes
        for item in stored:
            if not isinstance(item, dict):
                continue
            day, value = item.get("from"), item.get("goal")
            try:
                start = date.fromisoformat(day) if isinstance(day, str) else None
            except ValueError:
                start = None
            if start is None or isinstance(value, bool) or not isinstance(value, int):
                continue
            if 1 <= value <= WEEKLY_GOAL_MAX:
                changes.append((week_start(start), value))
        return sorted(changes)

    def _lenient_setting(self, key: str) -> Any:
        """A setting's value, or None when it is missing or not even JSON (a hand edit)."""
        try:
            return self.get_setting(key)
        except ValueError:
            return None

    @property
    def profile(self) -> Profile:
        """The person's answers to the first-run questions; defaults for anything not understood."""
        from tracker.domain.profile import PROFILE_KEY, Profile

        return Profile.from_json(self._lenient_setting(PROFILE_KEY))

    def set_profile(self, profile: Profile) -> Profile:
        from tracker.domain.profile import PROFILE_KEY

        clean = profile.validated()
        self.set_setting(PROFILE_KEY, clean.to_json())
        return clean

    @property
    def thresholds(self) -> Thresholds:
        """When the engagement rule notices a drop; defaults for anything not understood."""
        from tracker.domain.profile import THRESHOLDS_KEY, Thresholds

        return Thresholds.from_json(self._lenient_setting(THRESHOLDS_KEY))

    def set_thresholds(self, thresholds: Thresholds) -> Thresholds:
        from tracker.domain.profile import THRESHOLDS_KEY

        clean = thresholds.validated()
        self.set_setting(THRESHOLDS_KEY, clean.to_json())
        return clean

    # --- groups --------------------------------------------------------------------------------

    def add_group(self, fields: GroupFields) -> Group:
        clean = fields.validated()
        return self.get_group(self._insert("groups", group_values(clean)))

    def update_group(self, group_id: int, fields: GroupFields) -> Group:
        clean = fields.validated()
        self._update("groups", group_id, group_values(clean))
        return self.get_group(group_id)

    def get_group(self, group_id: int) -> Group:
        rows = self._tuples(f"SELECT {_GROUP_COLUMNS} FROM groups WHERE id = ?", [group_id])
        if not rows:
            raise NotFound("That group no longer exists.")
        return _groups(rows)[0]

    def list_groups(self, *, include_not_for_me: bool = True) -> list[Group]:
        """Every group, by name. The dashboard and the suggestions read them on every refresh,
        so they are kept in memory until a group changes (:meth:`changes`), and the rows come
        as tuples, each group made by :func:`_groups`."""
        where = "" if include_not_for_me else "WHERE status != 'not-for-me'"
        groups: tuple[Group, ...] = self._kept(
            f"groups {where}",
            _GROUPS,
            lambda: tuple(
                _groups(self._tuples(f"SELECT {_GROUP_COLUMNS} FROM groups {where} ORDER BY name"))
            ),
        )
        return list(groups)

    def group_history(self, group_id: int) -> dict[str, int]:
        """How many entries refer to a group: what deleting it would touch."""
        return {
            "attendance": self._scalar(
                "SELECT count(*) FROM attendance WHERE group_id = ?", [group_id]
            ),
            "fit_ratings": self._scalar(
                "SELECT count(*) FROM fit_ratings WHERE group_id = ?", [group_id]
            ),
            "service": self._scalar("SELECT count(*) FROM service WHERE group_id = ?", [group_id]),
        }

    def delete_group(
        self,
        group_id: int,
        *,
        history: Literal["refuse", "delete", "move"] = "refuse",
        move_to: int | None = None,
    ) -> None:
        """Delete a group. What happens to its history is the caller's explicit choice.

        - ``refuse`` (default): only delete a group with no attendance, ratings or service.
        - ``delete``: delete its attendance and fit ratings too; service entries stay, no longer
          naming a group.
        - ``move``: move its attendance, ratings and service to the group ``move_to``.
        """
        self.get_group(group_id)
        counts = self.group_history(group_id)
        with self.atomic() as db:
            if history == "refuse" and any(counts.values()):
                raise TrackerError(
                    "This group has history in the journal; choose whether to delete it or "
                    "move it to another group."
                )
            if history == "move":
                if move_to is None or move_to == group_id:
                    raise InvalidField(
                        "move_to", "move_to: choose another group to move the history to."
                    )
                self.get_group(move_to)
                for table in ("attendance", "fit_ratings", "service"):
                    db.execute(
                        f"UPDATE {table} SET group_id = ? WHERE group_id = ?", [move_to, group_id]
                    )
            elif history == "delete":
                db.execute("DELETE FROM attendance WHERE group_id = ?", [group_id])
                db.execute("DELETE FROM fit_ratings WHERE group_id = ?", [group_id])
                db.execute(
                    "UPDATE service SET group_id = NULL, updated_at = ? WHERE group_id = ?",
                    [self.clock.timestamp(), group_id],
                )
            db.execute("DELETE FROM groups WHERE id = ?", [group_id])
        self.wipe()

    # --- attendance ----------------------------------------------------------------------------

    def log_attendance(self, fields: AttendanceFields) -> Attendance:
        clean = fields.validated(today=self.today())
        return self.get_attendance(self._insert("attendance", attendance_values(clean)))

    def update_attendance(self, entry_id: int, fields: AttendanceFields) -> Attendance:
        clean = fields.validated(today=self.today())
        self._update("attendance", entry_id, attendance_values(clean))
        return self.get_attendance(entry_id)

    def delete_attendance(self, entry_id: int) -> None:
        self._delete("attendance", entry_id)

    def get_attendance(self, entry_id: int) -> Attendance:
        row = self._one(_ATTENDANCE_SELECT + " WHERE attendance.id = ?", [entry_id])
        if row is None:
            raise NotFound("That attendance entry no longer exists.")
        return _attendance(row)

    def list_attendance(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        group_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Attendance]:
        """Newest first."""
        where, params = _date_filter("attendance.date", since, until)
        if group_id is not None:
            where.append("attendance.group_id = ?")
            params.append(group_id)
        sql = (
            _ATTENDANCE_SELECT
            + _where(where)
            + " ORDER BY attendance.date DESC, attendance.time DESC, attendance.id DESC"
        )
        return [_attendance(row) for row in self._rows(*_page(sql, params, limit, offset))]

    def first_meeting_date(self) -> date | None:
        """The date of the earliest meeting logged (attended or missed), if any."""
        value = self._scalar("SELECT min(date) FROM attendance")
        return _day(value) if value else None

    def last_attended(self) -> Attendance | None:
        rows = self._rows(
            _ATTENDANCE_SELECT + " WHERE attended = 1 "
            "ORDER BY attendance.date DESC, attendance.time DESC, attendance.id DESC LIMIT 1"
        )
        return _attendance(rows[0]) if rows else None

    def meetings_per_day(self, since: date, until: date) -> dict[date, int]:
        """Meetings attended on each day in [since, until] (days with none are left out)."""
        rows = self._rows(
            "SELECT date, count(*) AS n FROM attendance "
            "WHERE attended = 1 AND date BETWEEN ? AND ? GROUP BY date",
            [since.isoformat(), until.isoformat()],
        )
        return {_day(row["date"]): row["n"] for row in rows}

    def logged_sessions(
        self, since: date, until: date, *, attended_only: bool = False
    ) -> set[tuple[int, date]]:
        """(group id, date) pairs already logged in [since, until]: attended or missed, or
        with ``attended_only`` only the meetings attended."""
        only = "attended = 1 AND " if attended_only else ""
        rows = self._rows(
            f"SELECT DISTINCT group_id, date FROM attendance WHERE {only}date BETWEEN ? AND ?",
            [since.isoformat(), until.isoformat()],
        )
        return {(row["group_id"], _day(row["date"])) for row in rows}

    # --- people and contacts -------------------------------------------------------------------

    def add_person(self, fields: PersonFields) -> Person:
        clean = fields.validated()
        return self.get_person(self._insert("people", person_values(clean)))

    def update_person(self, person_id: int, fields: PersonFields) -> Person:
        clean = fields.validated()
        self._update("people", person_id, person_values(clean))
        return self.get_person(person_id)

    def get_person(self, person_id: int) -> Person:
        row = self._one(_PEOPLE_SELECT + " WHERE people.id = ?", [person_id])
        if row is None:
            raise NotFound("That person is no longer in the journal.")
        return _person(row)

    def list_people(self) -> list[Person]:
        return [_person(row) for row in self._rows(_PEOPLE_SELECT + " ORDER BY alias")]

    def support_contacts(self, roles: Collection[str]) -> list[SupportContact]:
        """The people whose role is one of ``roles``, in the order of :meth:`list_people`, each
        with the day of their latest contact: all the engagement rule needs. Unlike
        list_people it doesn't count everyone's contacts, so it reads one index entry a person."""
        from tracker.domain.engagement import SupportContact

        rows = self._tuples(
            "SELECT alias, role, "
            "(SELECT max(date) FROM contacts WHERE contacts.person_id = people.id) "
            "FROM people WHERE role IN (SELECT value FROM json_each(?)) ORDER BY alias",
            [json.dumps(sorted(set(roles)))],
        )
        return [
            SupportContact(alias, role, _day(last) if last else None) for alias, role, last in rows
        ]

    def delete_person(self, person_id: int, *, with_contacts: bool = False) -> None:
        """Delete a person. Their contact log goes too, but only when asked for explicitly."""
        self.get_person(person_id)
        with self.atomic() as db:
            count = db.execute(
                "SELECT count(*) FROM contacts WHERE person_id = ?", [person_id]
            ).fetchone()[0]
            if count and not with_contacts:
                raise TrackerError(
                    f"This person has {count} logged contact{'s' if count != 1 else ''}; "
                    "confirm that those should be deleted too."
                )
            db.execute("DELETE FROM contacts WHERE person_id = ?", [person_id])
            db.execute("DELETE FROM people WHERE id = ?", [person_id])
        self.wipe()

    def log_contact(self, fields: ContactFields) -> Contact:
        clean = fields.validated(today=self.today())
        return self.get_contact(self._insert("contacts", contact_values(clean)))

    def update_contact(self, contact_id: int, fields: ContactFields) -> Contact:
        clean = fields.validated(today=self.today())
        self._update("contacts", contact_id, contact_values(clean))
        return self.get_contact(contact_id)

    def delete_contact(self, contact_id: int) -> None:
        self._delete("contacts", contact_id)

    def get_contact(self, contact_id: int) -> Contact:
        row = self._one(_CONTACT_SELECT + " WHERE contacts.id = ?", [contact_id])
        if row is None:
            raise NotFound("That contact no longer exists.")
        return _contact(row)

    def list_contacts(
        self, *, person_id: int | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Contact]:
        """Newest first."""
        where: list[str] = []
        params: list[Any] = []
        if person_id is not None:
            where.append("contacts.person_id = ?")
            params.append(person_id)
        sql = _CONTACT_SELECT + _where(where) + " ORDER BY contacts.date DESC, contacts.id DESC"
        return [_contact(row) for row in self._rows(*_page(sql, params, limit, offset))]

    # --- service -------------------------------------------------------------------------------

    def add_service(self, fields: ServiceFields) -> ServiceEntry:
        clean = fields.validated(today=self.today())
        return self.get_service(self._insert("service", service_values(clean)))

    def update_service(self, entry_id: int, fields: ServiceFields) -> ServiceEntry:
        clean = fields.validated(today=self.today())
        self._update("service", entry_id, service_values(clean))
        return self.get_service(entry_id)

    def delete_service(self, entry_id: int) -> None:
        self._delete("service", entry_id)

    def get_service(self, entry_id: int) -> ServiceEntry:
        row = self._one(_SERVICE_SELECT + " WHERE service.id = ?", [entry_id])
        if row is None:
            raise NotFound("That service entry no longer exists.")
        return _service(row)

    def list_service(
        self, *, since: date | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ServiceEntry]:
        """Newest first."""
        where, params = _date_filter("service.date", since, None)
        sql = _SERVICE_SELECT + _where(where) + " ORDER BY service.date DESC, service.id DESC"
        return [_service(row) for row in self._rows(*_page(sql, params, limit, offset))]

    # --- fit ratings ---------------------------------------------------------------------------

    def add_rating(self, fields: FitFields) -> FitRating:
        clean = fields.validated(today=self.today())
        return self.get_rating(self._insert("fit_ratings", rating_values(clean)))

    def update_rating(self, rating_id: int, fields: FitFields) -> FitRating:
        clean = fields.validated(today=self.today())
        self._update("fit_ratings", rating_id, rating_values(clean))
        return self.get_rating(rating_id)

    def delete_rating(self, rating_id: int) -> None:
        self._delete("fit_ratings", rating_id)

    def get_rating(self, rating_id: int) -> FitRating:
        row = self._one(_RATING_SELECT + " WHERE fit_ratings.id = ?", [rating_id])
        if row is None:
            raise NotFound("That rating no longer exists.")
        return _rating(row)

    def list_ratings(
        self, *, group_id: int | None = None, limit: int | None = None, offset: int = 0
    ) -> list[FitRating]:
        """Newest first."""
        where: list[str] = []
        params: list[Any] = []
        if group_id is not None:
            where.append("fit_ratings.group_id = ?")
            params.append(group_id)
        sql = (
            _RATING_SELECT + _where(where) + " ORDER BY fit_ratings.date DESC, fit_ratings.id DESC"
        )
        return [_rating(row) for row in self._rows(*_page(sql, params, limit, offset))]

    # --- notes shared with a mentor ------------------------------------------------------------

    def shared_notes(self, since: date, until: date) -> list[tuple[date, str, str, str]]:
        """(day, kind, about, text) for every non-empty note marked "share with my mentor" whose
        day is in [since, until], and every shared note about a group or a person, oldest first.
        A private note is never returned.

        ``kind`` and ``about``, by journal area:

        - ``meeting``: attendance; about = the group's name; day = the meeting's date;
        - ``contact``: about = the person's alias; day = the contact's date;
        - ``service``: about = the service kind code (the caller puts it into words);
        - ``rating``: a fit rating; about = the group's name; day = the rating's date;
        - ``group``: a group's notes; about = its name;
        - ``person``: a person's notes; about = their alias.

        Group and person notes have no date of their own, so a shared one belongs to every
        review; its day is the date the group or person was last changed (the UTC date of
        ``updated_at``), or ``until`` if that is later. Within a day the order is the kinds as
        listed above, then meeting time, then the order the entries were made.
        """
        params = {
            "since": _check_date("since", since).isoformat(),
            "until": _check_date("until", until).isoformat(),
        }
        rows = self._rows(_SHARED_NOTES, params)
        return [(_day(row["day"]), row["kind"], row["about"], row["text"]) for row in rows]

    def set_note_shared(self, table: str, row_id: int, shared: bool) -> None:
        """Mark one entry's note as shared with a mentor, or private again.

        ``table`` is one of the six journal areas (``schema.NOTE_COLUMNS``). An empty note can't
        be shared. Raises NotFound when the entry is gone.
        """
        column = schema.NOTE_COLUMNS.get(table) if isinstance(table, str) else None
        if column is None:
            raise InvalidField("table", f"table: {table!r} is not a journal area with notes.")
        if not isinstance(shared, bool):
            raise InvalidField(
                "note_shared", "note_shared: tick the box to share this note, or leave it private."
            )
        with self.atomic() as db:
            row = db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [row_id]).fetchone()
            if row is None:
                raise NotFound("That entry no longer exists; it may have been deleted elsewhere.")
            if shared and not row[0]:
                raise InvalidField(
                    "note_shared", "note_shared: this entry has no note to share yet."
                )
            self._update(table, row_id, {"note_shared": int(shared)})

    # --- excused weeks --------------------------------------------------------------------------

    def excuse_week(self, fields: ExcusedWeekFields) -> ExcusedWeek:
        """Set a week aside. Excusing a week again updates its reason and note (same UUID)."""
        clean = fields.validated(today=self.today())
        values = {"uuid": self._new_uuid(), **self._stamp(), **excused_week_values(clean)}
        with self.atomic() as db:
            db.execute(
                f"INSERT INTO excused_weeks ({', '.join(values)}) "
                f"VALUES ({', '.join('?' * len(values))}) "
                "ON CONFLICT(week) DO UPDATE SET reason = excluded.reason, "
                "note = excluded.note, updated_at = excluded.updated_at",
                list(values.values()),
            )
            row = self._one("SELECT * FROM excused_weeks WHERE week = ?", [values["week"]])
        assert row is not None
        return _excused_week(row)

    def unexcuse_week(self, day: date) -> bool:
        """Count ``day``'s week as usual again. False when it wasn't excused."""
        monday = week_start(_check_date("week", day))
        with self.atomic() as db:
            cursor = db.execute("DELETE FROM excused_weeks WHERE week = ?", [monday.isoformat()])
        self.wipe()
        return cursor.rowcount > 0

    def list_excused_weeks(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[ExcusedWeek]:
        """Newest first: the excused weeks that overlap [since, until]."""
        start = week_start(_check_date("since", since)) if since is not None else None
        end = _check_date("until", until) if until is not None else None
        where, params = _date_filter("week", start, end)
        rows = self._rows(
            "SELECT * FROM excused_weeks" + _where(where) + " ORDER BY week DESC", params
        )
        return [_excused_week(row) for row in rows]

    def excused_week_starts(self) -> set[date]:
        """The Mondays of every excused week."""
        return {_day(row["week"]) for row in self._rows("SELECT week FROM excused_weeks")}

    # --- aggregates for the engagement rule and the suggestions ---------------------------------

    def meetings_by_week(self, since: date | None = None) -> dict[date, int]:
        """Meetings attended in each week of the whole history, or of the weeks from the one
        ``since`` falls in (key: the Monday; missed meetings and weeks without any are left
        out), oldest week first.

        Read from ``attendance_weeks``, the weekly totals that triggers keep in step with every
        write to ``attendance`` (schema m006): one row per week, however many meetings there
        are. `tracker doctor` checks them against the meetings themselves."""
        if since is None:
            rows = self._tuples("SELECT week, attended FROM attendance_weeks ORDER BY week")
        else:
            rows = self._tuples(
                "SELECT week, attended FROM attendance_weeks WHERE week >= ? ORDER BY week",
                [week_start(since).isoformat()],
            )
        return {_day(week): count for week, count in rows}

    def changes(self, after: int) -> Changes:
        """What the log of changes (schema m008) says since the entry numbered ``after``. Read
        it before what it is about, so that a change made in between is seen next time."""
        with self._lock, _readable(self.path):
            conn = self.db.conn
            oldest, latest = conn.execute("SELECT min(serial), max(serial) FROM changes").fetchone()
            if latest is None:  # nothing logged yet; a reader that had seen entries is elsewhere
                return Changes(0, frozenset(), None, complete=after == 0)
            rows = conn.execute(
                "SELECT area, min(week) FROM changes WHERE serial > ? GROUP BY area", [after]
            ).fetchall()
        weeks = [week for area, week in rows if area == "weeks"]
        return Changes(
            serial=latest,
            areas=frozenset(area for area, _week in rows),
            earliest=_day(weeks[0]) if weeks and weeks[0] is not None else None,
            complete=oldest <= after + 1 and after <= latest,
        )

    @property
    def writing(self) -> bool:
        """Inside a write that isn't committed yet (:meth:`atomic`): what is read now may be
        rolled back, so it must not be kept."""
        return self.db.conn.in_transaction and not self._reading

    def _kept(self, name: str, areas: frozenset[str], load: Callable[[], Any]) -> Any:
        """``load()``, or what it gave last time when nothing in ``areas`` has changed since."""
        if self.writing:
            return load()
        kept = self.kept.get(name)
        changes = self.changes(kept[0] if kept is not None else 0)
        if kept is not None and changes.complete and not changes.areas & areas:
            value = kept[1]
        else:
            value = load()
        self.kept[name] = (changes.serial, value)
        return value

    def attended_sessions(self, since: date, until: date) -> set[tuple[int, date]]:
        """(group id, date) pairs of meetings attended (not missed) in [since, until]."""
        return self.logged_sessions(since, until, attended_only=True)

    def groups_attended_since(self, day: date) -> set[int]:
        """The groups with a meeting attended on ``day`` or later."""
        # Left to itself, SQLite answers the DISTINCT by walking attendance_by_group, every
        # meeting ever logged; the date index reads only the meetings since ``day``.
        rows = self._tuples(
            "SELECT DISTINCT group_id FROM attendance INDEXED BY attendance_by_date "
            "WHERE attended = 1 AND date >= ?",
            [day.isoformat()],
        )
        return {group_id for (group_id,) in rows}

    def rating_averages(self) -> list[tuple[int, str, date, float]]:
        """Every fit rating as (group id, group name, date, mean of its five scores), oldest
        first."""
        rows = self._tuples(
            f"SELECT r.group_id, g.name, r.date, {_FIT_MEAN} AS mean "
            "FROM fit_ratings r JOIN groups g ON g.id = r.group_id ORDER BY r.date, r.id"
        )
        return [(group_id, name, _day(day), mean) for group_id, name, day, mean in rows]

    def fit_histories(
        self, group_ids: Collection[int], *, rated_since: date | None = None
    ) -> list[FitHistory]:
        """The fit ratings of the groups ``group_ids`` in brief: for each group with ratings (and
        with ``rated_since``, only those whose latest rating is on that day or later), its latest
        rating, how many ratings it has and the mean of the others.

        Two index lookups a group (``fit_by_group``: the day of its latest rating, then the
        ratings of that day, of which the higher five-score sum is the latest) and its row of
        ``fit_totals`` (schema m006), from which the mean of the other ratings is worked out
        exactly (:meth:`FitHistory.from_totals`): the same histories, however many ratings
        there are, as :func:`~tracker.domain.engagement.fit_histories` makes of
        :meth:`rating_averages`, but with that mean exact rather than rounded rating by rating.
        """
        from tracker.domain.engagement import FitHistory

        ids = sorted({int(group_id) for group_id in group_ids})
        since = rated_since.isoformat() if rated_since is not None else None
        # Each group's ratings of its latest day, found through fit_by_group: the higher
        # five-score sum of them is the latest rating.
        rows = self._tuples(
            f"SELECT w.value, g.name, r.date, max({_FIT_SUM}), t.ratings, t.score_total "
            "FROM json_each(?1) w JOIN fit_totals t ON t.group_id = w.value "
            "JOIN groups g ON g.id = w.value "
            "JOIN fit_ratings r ON r.group_id = w.value "
            "AND r.date = (SELECT max(date) FROM fit_ratings WHERE group_id = w.value) "
            "WHERE ?2 IS NULL OR r.date >= ?2 GROUP BY w.value",
            [json.dumps(ids), since],
        )
        return [
            FitHistory.from_totals(
                group_id,
                name,
                _day(day),
                latest_sum=latest_sum,
                ratings=ratings,
                score_total=score_total,
            )
            for group_id, name, day, latest_sum, ratings, score_total in rows
        ]

    def rated_groups(self) -> list[RatedGroup]:
        """Each group with fit ratings, by name, with the mean of its ratings' five-score means.

        Read from ``fit_totals`` (schema m006), one row a rated group, so the mean is exact:
        ``score_total / (5 * ratings)``, the one division rounded once, where an ``avg()`` over
        every rating would round each rating's mean first (and might make an average of exactly
        3.5 a hair below it). Kept in memory until a group or a rating changes
        (:meth:`changes`)."""
        rated: tuple[RatedGroup, ...] = self._kept("rated groups", _RATED, self._rated_groups)
        return list(rated)

    def _rated_groups(self) -> tuple[RatedGroup, ...]:
        from tracker.domain.suggestions import RatedGroup

        rows = self._tuples(
            "SELECT g.name, g.pillar, g.tags, g.format, t.score_total, t.ratings "
            "FROM fit_totals t JOIN groups g ON g.id = t.group_id ORDER BY g.name"
        )
        parsed: dict[str, tuple[str, ...]] = {}  # many groups have the same tags

        def tags_of(text: str) -> tuple[str, ...]:
            if text not in parsed:
                parsed[text] = tuple(json.loads(text or "[]"))
            return parsed[text]

        return tuple(
            RatedGroup(name, pillar, tags_of(tags), fmt, score_total / (5 * ratings))
            for name, pillar, tags, fmt, score_total, ratings in rows
        )

    # --- suggestion feedback ---------------------------------------------------------------------

    def suggestion_feedback(self) -> dict[str, Feedback]:
        """What the person said about suggestions, by slug."""
        from tracker.domain.suggestions import Feedback

        return {
            row["slug"]: Feedback(
                slug=row["slug"],
                status=row["status"],
                until=_day(row["until"]) if row["until"] else None,
            )
            for row in self._rows("SELECT slug, status, until FROM suggestion_feedback")
        }

    def dismiss_suggestion(self, slug: str) -> None:
        """Stop showing a suggestion (until the feedback is cleared)."""
        self._set_feedback(check_suggestion_slug(slug), "dismissed", None)

    def snooze_suggestion(self, slug: str, until: date) -> None:
        """Leave a suggestion out until ``until`` (a day after today)."""
        clean = check_suggestion_slug(slug)
        day = _check_date("until", until)
        if day <= self.today():
            raise InvalidField("until", "until: choose a day after today.")
        self._set_feedback(clean, "snoozed", day)

    def clear_suggestion_feedback(self, slug: str) -> bool:
        """Undo a dismiss or a snooze. False when there was none."""
        clean = check_suggestion_slug(slug)
        with self.atomic() as db:
            cursor = db.execute("DELETE FROM suggestion_feedback WHERE slug = ?", [clean])
        self.wipe()
        return cursor.rowcount > 0

    def _set_feedback(self, slug: str, status: str, until: date | None) -> None:
        values = {
            "uuid": self._new_uuid(),
            **self._stamp(),
            **feedback_values(slug, status, until),
        }
        with self.atomic() as db:
            db.execute(
                f"INSERT INTO suggestion_feedback ({', '.join(values)}) "
                f"VALUES ({', '.join('?' * len(values))}) "
                "ON CONFLICT(slug) DO UPDATE SET status = excluded.status, "
                "until = excluded.until, updated_at = excluded.updated_at",
                list(values.values()),
            )

    # --- compare -------------------------------------------------------------------------------

    def compare_groups(self, group_ids: list[int] | None = None) -> list[GroupComparison]:
        """Side-by-side figures for the given groups (all groups when None), by name.

        The meeting figures come from ``group_totals`` (schema m007), one row a group that
        triggers keep in step with every write, so this costs the same on one year or fifty.
        """
        groups = self.list_groups()
        if group_ids is not None:
            wanted = set(group_ids)
            groups = [g for g in groups if g.id in wanted]
        stats = {
            row["group_id"]: row
            for row in self._rows(
                "SELECT group_id, attended, missed, shared, first, last FROM group_totals"
            )
        }
        dims = list(vocab.FIT_DIMENSIONS)
        averages = {
            row["group_id"]: row
            for row in self._rows(
                "SELECT group_id, count(*) AS n, "
                + ", ".join(f"avg({d}) AS {d}" for d in dims)
                + " FROM fit_ratings GROUP BY group_id"
            )
        }
        latest = {
            row["group_id"]: row
            for row in self._rows(
                "SELECT * FROM fit_ratings AS r WHERE r.id = ("
                "SELECT id FROM fit_ratings WHERE group_id = r.group_id "
                "ORDER BY date DESC, id DESC LIMIT 1)"
            )
        }
        result = []
        for group in groups:
            s = stats.get(group.id) or {}
            a = averages.get(group.id)
            last = latest.get(group.id)
            result.append(
                models.GroupComparison(
                    group=group,
                    times_attended=s.get("attended") or 0,
                    times_missed=s.get("missed") or 0,
                    times_shared=s.get("shared") or 0,
                    first_attended=_day(s["first"]) if s.get("first") else None,
                    last_attended=_day(s["last"]) if s.get("last") else None,
                    ratings_count=a["n"] if a else 0,
                    latest={d: last[d] for d in dims} if last else {},
                    average={d: float(a[d]) for d in dims} if a else {},
                )
            )
        return result


def check_weekly_goal(goal: object) -> int:
    if isinstance(goal, str) and goal.strip().isascii() and goal.strip().isdigit():
        goal = int(goal.strip())
    if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= WEEKLY_GOAL_MAX:
        raise InvalidField(
            "weekly goal", f"weekly goal: choose a number of meetings from 1 to {WEEKLY_GOAL_MAX}."
        )
    return goal


def check_suggestion_slug(slug: object) -> str:
    """A catalogue slug ("smart-recovery") or an advice key ("advice:volunteer")."""
    text = slug.strip() if isinstance(slug, str) else ""
    if not _SUGGESTION_SLUG.fullmatch(text):
        raise InvalidField("slug", f"slug: {slug!r} doesn't name a suggestion.")
    return text


def _check_date(field_name: str, value: object) -> date:
    if not isinstance(value, date):
        raise InvalidField(field_name, f"{field_name}: please give a date.")
    return value.date() if isinstance(value, datetime) else value


def _page(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    if limit is None:
        return sql, params
    return sql + " LIMIT ? OFFSET ?", [*params, limit, offset]


def _first_open_today(path: Path | str, today: date) -> bool:
    if str(path) == ":memory:":
        return False
    return not daily_backup_path(Path(path), today).exists()


@contextmanager
def _readable(path: Path | None) -> Iterator[None]:
    """A read that fails (the file went away, the disk failed) becomes a sentence, not a crash."""
    try:
        yield
    except driver.DatabaseError as error:
        raise _unavailable(error, "couldn't be read", "", path) from error


def _unavailable(error: Exception, what: str, then: str, path: Path | None) -> TrackerError:
    text = str(error)
    if "locked" in text or "busy" in text:
        return TrackerError("The journal is busy in another window; please try again in a moment.")
    if "malformed" in text or "not a database" in text:
        where = f" ({path})" if path else ""
        return DamagedJournal(
            f"The journal{where} {what}: the file is damaged ({text}){then}.", path
        )
    return TrackerError(f"The journal {what} ({text}){then}.")


def _where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _date_filter(
    column: str, since: date | None, until: date | None
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append(f"{column} >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append(f"{column} <= ?")
        params.append(until.isoformat())
    return where, params


def group_values(f: GroupFields) -> dict[str, Any]:
    return {
        "name": f.name,
        "pillar": f.pillar,
        "tags": json.dumps(list(f.tags)),
        "format": f.format,
        "location": f.location,
        "schedule": f.schedule,
        "status": f.status,
        "catalogue_slug": f.catalogue_slug,
        "notes": f.notes,
        "note_shared": int(f.note_shared),
    }


def attendance_values(f: AttendanceFields) -> dict[str, Any]:
    return {
        "group_id": f.group_id,
        "date": f.date.isoformat(),
        "time": f.time.strftime("%H:%M") if f.time else None,
        "attended": int(f.attended),
        "shared": int(f.shared),
        "note": f.note,
        "note_shared": int(f.note_shared),
    }


def person_values(f: PersonFields) -> dict[str, Any]:
    return {
        "alias": f.alias,
        "role": f.role,
        "phone": f.phone,
        "email": f.email,
        "notes": f.notes,
        "note_shared": int(f.note_shared),
    }


def contact_values(f: ContactFields) -> dict[str, Any]:
    return {
        "person_id": f.person_id,
        "date": f.date.isoformat(),
        "method": f.method,
        "note": f.note,
        "note_shared": int(f.note_shared),
    }


def service_values(f: ServiceFields) -> dict[str, Any]:
    return {
        "date": f.date.isoformat(),
        "kind": f.kind,
        "group_id": f.group_id,
        "minutes": f.minutes,
        "note": f.note,
        "note_shared": int(f.note_shared),
    }


def rating_values(f: FitFields) -> dict[str, Any]:
    return {
        "group_id": f.group_id,
        "date": f.date.isoformat(),
        "note": f.note,
        "note_shared": int(f.note_shared),
        **f.scores(),
    }


def excused_week_values(f: ExcusedWeekFields) -> dict[str, Any]:
    return {"week": f.week.isoformat(), "reason": f.reason, "note": f.note}


def feedback_values(slug: str, status: str, until: date | None) -> dict[str, Any]:
    """The columns of a suggestion_feedback row, checked: a snooze needs a day, a dismissal has
    none."""
    if status not in FEEDBACK_STATUSES:
        raise InvalidField("status", f"status: must be dismissed or snoozed (got {status!r}).")
    if status == "snoozed" and until is None:
        raise InvalidField("until", "until: a snoozed suggestion needs a day to come back.")
    if status == "dismissed" and until is not None:
        raise InvalidField("until", "until: a dismissed suggestion has no day to come back.")
    return {
        "slug": check_suggestion_slug(slug),
        "status": status,
        "until": until.isoformat() if until is not None else None,
    }

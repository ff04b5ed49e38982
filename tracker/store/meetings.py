"""Meeting directories: the SQL behind importing public meeting lists and browsing them.

A meeting list (a *source*) is imported from a Meeting Guide or BMLT feed, already parsed into a
:class:`~tracker.meetings.model.ParsedFeed`. Its meetings are kept by (source, slug): importing
the same source again adds, updates and removes meetings so that the file matches the feed, in
one transaction, with one SELECT of the rows already there and bulk statements for the writes
(20,000 meetings take a fraction of a second).

A meeting the person added to their groups is never lost when it leaves the feed: it is kept and
marked gone (``gone_since``), and comes back to life if the feed lists it again. Deleting that
group clears the link, and a trigger (migration m005) then deletes the gone meeting, which no
longer has a reason to be kept.

The directories are public data: they are not part of the journal export, and they don't make a
journal "non-empty". Text from a feed is stored exactly as given; screens show it literally.
"""

from __future__ import annotations

import json
import operator
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.domain.models import Group, GroupFields, clean_line
from tracker.errors import NotFound, TrackerError
from tracker.meetings.model import ATTENDANCE, FEED_FORMATS, FeedMeeting, ParsedFeed

if TYPE_CHECKING:
    from tracker.store.journal import Store

SOURCE_NAME_MAX = 80
SOURCE_LOCATION_MAX = 2000

# Every FeedMeeting field, in the order of the columns that hold it. ``group`` is a keyword in
# SQL, so the feed's group name is kept in ``group_name`` (not to be confused with ``group_id``,
# the person's own group made from the meeting).
FIELDS = (
    "slug",
    "name",
    "days",
    "time",
    "end_time",
    "timezone",
    "types",
    "attendance",
    "address",
    "approximate",
    "location",
    "location_notes",
    "region",
    "group",
    "group_notes",
    "notes",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "website",
    "updated",
)
COLUMNS = tuple("group_name" if name == "group" else name for name in FIELDS)
_COLUMN_LIST = ", ".join(COLUMNS)
_SLUG = FIELDS.index("slug")
_DAYS = FIELDS.index("days")
_TYPES = FIELDS.index("types")
_APPROXIMATE = FIELDS.index("approximate")


@dataclass(frozen=True, kw_only=True)
class MeetingSource:
    """One imported meeting list."""

    id: int
    name: str
    location: str  # the path or web address it was imported from, as given
    format: str  # a key of FEED_FORMATS
    imported_at: str  # UTC timestamp of the last import
    meetings: int  # listed now (gone_since IS NULL)
    gone: int  # kept because they're in the person's groups, no longer listed
    # The last import's summary: records, meetings, skipped [{position, slug, reason}],
    # normalised {description: n}, off_spec {field: n}, and the counts of its ImportResult.
    report: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DirectoryMeeting(FeedMeeting):
    """A meeting as the directory keeps it."""

    id: int
    source_id: int
    source: str  # the source's name
    gone_since: date | None = None  # left the feed on this day; kept as it is in the groups
    group_id: int | None = None  # the person's group made from it


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    """What an import did. ``added + updated + unchanged`` is the number of meetings in the feed;
    a meeting that ``returned`` is counted there too (as updated or unchanged)."""

    source: MeetingSource
    created: bool  # a new source
    added: int
    updated: int
    unchanged: int
    gone: int  # left the feed, kept (in the person's groups), now marked gone
    removed: int  # left the feed, deleted (not in the person's groups)
    returned: int  # had been marked gone, listed again


# --- writing ------------------------------------------------------------------------------------


_FIELD_VALUES = operator.attrgetter(*FIELDS)


def _stored_rows(meetings: tuple[FeedMeeting, ...]) -> list[tuple[Any, ...]]:
    """Each meeting's column values, in the order of COLUMNS. The same days and types come
    again and again, so each distinct list is written as JSON once."""
    texts: dict[tuple[Any, ...], str] = {}

    def as_json(items: tuple[Any, ...]) -> str:
        text = texts.get(items)
        if text is None:
            text = texts[items] = json.dumps(list(items), ensure_ascii=False)
        return text

    rows = []
    for meeting in meetings:
        values = list(_FIELD_VALUES(meeting))
        values[_DAYS] = as_json(tuple(meeting.days))
        values[_TYPES] = as_json(tuple(meeting.types))
        values[_APPROXIMATE] = int(bool(meeting.approximate))
        rows.append(tuple(values))
    return rows


_CLOCK_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
_WEEK_DAYS = frozenset(range(7))


def _problem(meeting: FeedMeeting) -> str | None:
    """Why a meeting can't be stored (a slip of the feed reader, never the feed's fault)."""
    if not isinstance(meeting.slug, str) or not meeting.slug:
        return "has no slug"
    if not isinstance(meeting.name, str) or not meeting.name.strip():
        return "has no name"
    days = meeting.days
    if not _WEEK_DAYS.issuperset(days) or any(type(d) is not int for d in days):
        return f"has days {list(days)!r} outside 0 (Sunday) to 6 (Saturday)"
    for label, value in (("time", meeting.time), ("end time", meeting.end_time)):
        if value is not None and not (isinstance(value, str) and _CLOCK_TIME.fullmatch(value)):
            return f"has the {label} {value!r}, not HH:MM"
    if meeting.attendance not in ATTENDANCE:
        return f"has the attendance {meeting.attendance!r}"
    return None


def _report(feed: ParsedFeed, counts: dict[str, int]) -> str:
    report = {
        "records": feed.records,
        "meetings": len(feed.meetings),
        "skipped": [
            {"position": s.position, "slug": s.slug, "reason": s.reason} for s in feed.skipped
        ],
        "normalised": dict(feed.normalised.most_common()),
        "off_spec": dict(feed.off_spec.most_common()),
        **counts,
    }
    return json.dumps(report, ensure_ascii=False)


def import_meetings(store: Store, feed: ParsedFeed, *, name: str, location: str) -> ImportResult:
    """Bring the meetings of ``feed`` into the source ``name`` (see Store.import_meetings)."""
    label = clean_line("name", name, required=True, max_len=SOURCE_NAME_MAX)
    where = clean_line("location", location, required=True, max_len=SOURCE_LOCATION_MAX)
    if feed.format not in FEED_FORMATS:
        raise TrackerError(f"{feed.format!r} is not a meeting list format Tracker knows.")
    for position, meeting in enumerate(feed.meetings, start=1):
        problem = _problem(meeting)
        if problem is not None:
            raise TrackerError(
                f"The meeting list wasn't imported: meeting {position} ({meeting.slug!r}) "
                f"{problem}. Nothing was changed."
            )
    incoming = _stored_rows(feed.meetings)
    today = store.today().isoformat()
    now = store.clock.timestamp()
    with store.atomic() as db:
        conn = db.conn
        found = conn.execute("SELECT id FROM meeting_sources WHERE name = ?", [label]).fetchone()
        created = found is None
        if created:
            cursor = conn.execute(
                "INSERT INTO meeting_sources (name, location, format, imported_at) "
                "VALUES (?, ?, ?, ?)",
                [label, where, feed.format, now],
            )
            source_id = int(cursor.lastrowid or 0)
        else:
            source_id = int(found[0])
        # slug -> (id, values, gone_since, group_id): the one read of the rows already there.
        existing: dict[str, tuple[int, tuple[Any, ...], str | None, int | None]] = {
            row[1 + _SLUG]: (row[0], tuple(row[1:-2]), row[-2], row[-1])
            for row in conn.execute(
                f"SELECT id, {_COLUMN_LIST}, gone_since, group_id FROM meetings "
                "WHERE source_id = ?",
                [source_id],
            )
        }
        final: dict[str, tuple[Any, ...]] = {}
        added = updated = unchanged = returned = 0
        for values in incoming:
            slug = values[_SLUG]
            before = final.get(slug)
            if before is None and slug in existing:
                before = existing[slug][1]
                if existing[slug][2] is not None:
                    returned += 1
            if before is None:
                added += 1
            elif before == values:
                unchanged += 1
            else:
                updated += 1
            final[slug] = values  # a slug listed twice: the later record wins
        new_rows: list[tuple[Any, ...]] = []
        changed_rows: list[tuple[Any, ...]] = []
        back_ids: list[tuple[int]] = []
        for slug, values in final.items():
            old = existing.get(slug)
            if old is None:
                new_rows.append((source_id, *values))
            elif old[1] != values:
                changed_rows.append((*values, old[0]))
            elif old[2] is not None:
                back_ids.append((old[0],))
        gone_ids: list[tuple[str, int]] = []
        removed_ids: list[tuple[int]] = []
        for slug, (row_id, _values, gone_since, group_id) in existing.items():
            if slug in final:
                continue
            if group_id is None:
                removed_ids.append((row_id,))
            elif gone_since is None:
                gone_ids.append((today, row_id))
        conn.executemany("DELETE FROM meetings WHERE id = ?", removed_ids)
        conn.executemany("UPDATE meetings SET gone_since = ? WHERE id = ?", gone_ids)
        conn.executemany("UPDATE meetings SET gone_since = NULL WHERE id = ?", back_ids)
        assignments = ", ".join(f"{column} = ?" for column in COLUMNS)
        conn.executemany(
            f"UPDATE meetings SET {assignments}, gone_since = NULL WHERE id = ?", changed_rows
        )
        conn.executemany(
            f"INSERT INTO meetings (source_id, {_COLUMN_LIST}) "
            f"VALUES (?, {', '.join('?' * len(COLUMNS))})",
            new_rows,
        )
        counts = {
            "added": added,
            "updated": updated,
            "unchanged": unchanged,
            "gone": len(gone_ids),
            "removed": len(removed_ids),
            "returned": returned,
        }
        conn.execute(
            "UPDATE meeting_sources SET location = ?, format = ?, imported_at = ?, report = ? "
            "WHERE id = ?",
            [where, feed.format, now, _report(feed, counts), source_id],
        )
        source = _sources(db, "WHERE s.id = ?", [source_id])[0]
    return ImportResult(source=source, created=created, **counts)


def remove_meeting_source(store: Store, name: str) -> int:
    """Delete a source and its meetings; returns how many meetings went. Groups made from them
    stay (no longer linked)."""
    with store.atomic() as db:
        source = _named(db, name)
        count = source.meetings + source.gone
        db.execute("DELETE FROM meeting_sources WHERE id = ?", [source.id])
    store.wipe()
    return count


def add_meeting_to_groups(store: Store, meeting_id: int, fields: GroupFields) -> Group:
    """Add a group made from a meeting, and link the meeting to it, in one transaction."""
    clean = fields.validated()
    with store.atomic() as db:
        row = db.execute(
            "SELECT m.id, g.name FROM meetings m LEFT JOIN groups g ON g.id = m.group_id "
            "WHERE m.id = ?",
            [meeting_id],
        ).fetchone()
        if row is None:
            raise NotFound(_NO_MEETING)
        if row[1] is not None:
            raise TrackerError(f"This meeting is already in your groups, as “{row[1]}”.")
        group = store.add_group(clean)
        db.execute("UPDATE meetings SET group_id = ? WHERE id = ?", [group.id, meeting_id])
    return group


# --- reading ------------------------------------------------------------------------------------

_NO_MEETING = "That meeting is no longer in the meeting lists; it may have been removed."

_SOURCE_SELECT = """
    SELECT s.id, s.name, s.location, s.format, s.imported_at, s.report,
        (SELECT count(*) FROM meetings WHERE source_id = s.id AND gone_since IS NULL) AS listed,
        (SELECT count(*) FROM meetings WHERE source_id = s.id AND gone_since IS NOT NULL) AS gone
    FROM meeting_sources s
"""
_MEETING_SELECT = (
    "SELECT m.id, m.source_id, s.name, m.gone_since, m.group_id, "
    + ", ".join("m." + column for column in COLUMNS)
    + " FROM meetings m JOIN meeting_sources s ON s.id = m.source_id"
)
_MEETING_ORDER = " ORDER BY m.name COLLATE NOCASE, m.slug, s.name, m.id"


def _report_of(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _sources(db: Any, where: str = "", params: Any = ()) -> list[MeetingSource]:
    return [
        MeetingSource(
            id=row[0],
            name=row[1],
            location=row[2],
            format=row[3],
            imported_at=row[4],
            report=_report_of(row[5]),
            meetings=row[6],
            gone=row[7],
        )
        for row in db.execute(f"{_SOURCE_SELECT} {where} ORDER BY s.name", params).fetchall()
    ]


def _named(db: Any, name: str) -> MeetingSource:
    """The source called ``name`` (ignoring case), or NotFound naming the sources there are."""
    label = name.strip() if isinstance(name, str) else ""
    found = _sources(db, "WHERE s.name = ?", [label]) if label else []
    if found:
        return found[0]
    names = [source.name for source in _sources(db)]
    if not names:
        raise NotFound("No meeting lists have been imported yet.")
    listed = ", ".join(f"“{n}”" for n in names)
    are = "The one there is" if len(names) == 1 else "The ones there are"
    raise NotFound(f"There's no meeting list called “{label}”. {are}: {listed}.")


def meeting_sources(store: Store) -> list[MeetingSource]:
    with store.snapshot() as db:
        return _sources(db)


def get_meeting_source(store: Store, name: str) -> MeetingSource:
    with store.snapshot() as db:
        return _named(db, name)


_ROW_NAMES = ("id", "source_id", "source", "gone_since", "group_id", *FIELDS)
_NEW = object.__new__
_SET = object.__setattr__


def _meetings(rows: list[tuple[Any, ...]]) -> list[DirectoryMeeting]:
    """Rows of _MEETING_SELECT as DirectoryMeetings.

    Ten thousand meetings are read each time the Meetings screen opens, so this is the hot
    path: the same days and types lists come back again and again, and each distinct JSON text
    is read once; each meeting's attributes are set in one go, which costs half as much as the
    frozen dataclass's ``__init__`` (it has no ``__post_init__`` or slots to skip; the tests
    compare the result with the constructor's)."""
    lists: dict[str, tuple[Any, ...]] = {}

    def parsed(text: str) -> tuple[Any, ...]:
        value = lists[text] = tuple(json.loads(text))
        return value

    days, types = _ROW_NAMES.index("days"), _ROW_NAMES.index("types")
    approximate = _ROW_NAMES.index("approximate")
    result = []
    for row in rows:
        values = dict(zip(_ROW_NAMES, row, strict=False))  # the SELECT gives every name
        values["days"] = lists[row[days]] if row[days] in lists else parsed(row[days])
        values["types"] = lists[row[types]] if row[types] in lists else parsed(row[types])
        values["approximate"] = bool(row[approximate])
        if row[3] is not None:
            values["gone_since"] = date.fromisoformat(row[3])
        meeting = _NEW(DirectoryMeeting)
        _SET(meeting, "__dict__", values)
        result.append(meeting)
    return result


def directory(store: Store, *, include_gone: bool = True) -> list[DirectoryMeeting]:
    where = "" if include_gone else " WHERE m.gone_since IS NULL"
    with store.snapshot() as db:
        rows = db.execute(_MEETING_SELECT + where + _MEETING_ORDER).fetchall()
    return _meetings(rows)


def get_directory_meeting(store: Store, meeting_id: int) -> DirectoryMeeting:
    with store.snapshot() as db:
        rows = db.execute(_MEETING_SELECT + " WHERE m.id = ?", [meeting_id]).fetchall()
    if not rows:
        raise NotFound(_NO_MEETING)
    return _meetings(rows)[0]


def directory_count(store: Store) -> int:
    """How many meetings the directories hold, gone ones included (as ``directory()`` lists)."""
    with store.snapshot() as db:
        return int(db.execute("SELECT count(*) FROM meetings").fetchone()[0])

"""The journal's schema, as an ordered list of sqlite-utils migrations.

Each migration runs once, inside its own transaction, and is recorded in ``_sqlite_migrations``
under the set name ``tracker``. Never edit a migration that has shipped; add a new one.

The tables carry CHECK constraints so that a bad row cannot exist even if a bug, an import or a
hand edit in the sqlite3 shell tries to write one. The schema is documented in docs/schema.md.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "tracker"
migrations = Migrations(MIGRATION_SET)

# Shared column definitions: every journal row has these.
_ROW = """
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-*')
"""


def _day(column: str) -> str:
    """A required calendar date in ISO form.

    ``date(x, '+0 days')`` normalises the date (2026-02-30 becomes 2026-03-02) and gives NULL for
    garbage, so comparing it with ``x`` refuses both; plain ``date(x)`` would let 2026-02-30 in.
    """
    return (
        f"{column} TEXT NOT NULL "
        f"CHECK (date({column}, '+0 days') IS {column} AND {column} >= '1900-01-01')"
    )


def _choice(column: str, codes: tuple[str, ...], *, nullable: bool = False) -> str:
    options = ", ".join(f"'{code}'" for code in codes)
    if nullable:
        return f"{column} TEXT CHECK ({column} IS NULL OR {column} IN ({options}))"
    return f"{column} TEXT NOT NULL CHECK ({column} IN ({options}))"


def _flag(column: str, default: int) -> str:
    return f"{column} INTEGER NOT NULL DEFAULT {default} CHECK ({column} IN (0, 1))"


def _text(column: str, max_len: int) -> str:
    return f"{column} TEXT NOT NULL DEFAULT '' CHECK (length({column}) <= {max_len})"


def _rating(column: str) -> str:
    return f"{column} INTEGER NOT NULL CHECK ({column} BETWEEN 1 AND 5)"


@migrations()
def m001_journal(db: Database) -> None:
    """The five journal areas and the settings table."""
    # The vocabularies are spelled out here, not imported, so this migration stays exactly as it
    # shipped even when the vocabularies grow (a later migration widens the CHECK then).
    pillars = ("peer", "family", "professional", "online", "holistic")
    formats = ("in-person", "online", "hybrid")
    statuses = ("trying", "regular", "home-group", "paused", "not-for-me")
    roles = ("sponsor", "mentor", "peer-coach", "therapist", "friend", "other")
    methods = ("call", "text", "in-person", "video")
    kinds = ("set-up", "coffee", "greeter", "moderator", "secretary", "chair", "speaker", "other")
    statements = [
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
        f"""
        CREATE TABLE groups (
            {_ROW},
            name TEXT NOT NULL COLLATE NOCASE UNIQUE
                CHECK (length(trim(name)) > 0 AND length(name) <= 80),
            {_choice("pillar", pillars)},
            tags TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(tags) AND json_type(tags) = 'array'),
            {_choice("format", formats)},
            {_text("location", 500)},
            schedule TEXT CHECK (schedule IS NULL OR schedule GLOB '*RRULE:*'),
            {_choice("status", statuses)},
            catalogue_slug TEXT,
            {_text("notes", 4000)}
        )
        """,
        f"""
        CREATE TABLE attendance (
            {_ROW},
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE RESTRICT,
            {_day("date")},
            time TEXT CHECK (
                time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND time < '24:00')
            ),
            {_flag("attended", 1)},
            {_flag("shared", 0)},
            {_text("note", 4000)},
            CHECK (attended = 1 OR shared = 0)
        )
        """,
        f"""
        CREATE TABLE people (
            {_ROW},
            alias TEXT NOT NULL COLLATE NOCASE UNIQUE
                CHECK (length(trim(alias)) > 0 AND length(alias) <= 40),
            {_choice("role", roles)},
            {_text("phone", 30)},
            {_text("email", 200)},
            {_text("notes", 4000)}
        )
        """,
        f"""
        CREATE TABLE contacts (
            {_ROW},
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
            {_day("date")},
            {_choice("method", methods)},
            {_text("note", 4000)}
        )
        """,
        f"""
        CREATE TABLE service (
            {_ROW},
            {_day("date")},
            {_choice("kind", kinds)},
            group_id INTEGER REFERENCES groups(id) ON DELETE RESTRICT,
            minutes INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 1440),
            {_text("note", 4000)}
        )
        """,
        f"""
        CREATE TABLE fit_ratings (
            {_ROW},
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE RESTRICT,
            {_day("date")},
            {_rating("welcome")},
            {_rating("relevance")},
            {_rating("format_comfort")},
            {_rating("practical")},
            {_rating("would_return")},
            {_text("note", 4000)}
        )
        """,
        "CREATE INDEX attendance_by_date ON attendance(date, attended)",
        "CREATE INDEX attendance_by_group ON attendance(group_id, date)",
        "CREATE INDEX contacts_by_person ON contacts(person_id, date)",
        "CREATE INDEX service_by_date ON service(date)",
        "CREATE INDEX service_by_group ON service(group_id)",
        "CREATE INDEX fit_by_group ON fit_ratings(group_id, date)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m002_engagement(db: Database) -> None:
    """Excused weeks and the person's answers to suggestions (issue 3, "Engagement")."""
    reasons = ("illness", "travel", "other")
    feedback = ("dismissed", "snoozed")
    statements = [
        # An excused week is stored by its Monday; %w is 1 for Monday.
        f"""
        CREATE TABLE excused_weeks (
            {_ROW},
            {_day("week")} UNIQUE CHECK (strftime('%w', week) = '1'),
            {_choice("reason", reasons)},
            {_text("note", 500)}
        )
        """,
        # A catalogue slug ("smart-recovery") or an advice key ("advice:volunteer").
        f"""
        CREATE TABLE suggestion_feedback (
            {_ROW},
            slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
            {_choice("status", feedback)},
            until TEXT CHECK (
                until IS NULL OR (date(until, '+0 days') IS until AND until >= '1900-01-01')
            ),
            CHECK (status = 'dismissed' OR until IS NOT NULL)
        )
        """,
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m003_shareable_notes(db: Database) -> None:
    """A "share with my mentor" flag beside every journal note (issue 6, "Mentor review").

    Notes are private by default: existing rows get 0. SQLite allows a CHECK on an added column
    with a constant default. Everything is spelled out here so this migration stays exactly as it
    shipped.
    """
    column = "note_shared INTEGER NOT NULL DEFAULT 0 CHECK (note_shared IN (0, 1))"
    for table in ("groups", "attendance", "people", "contacts", "service", "fit_ratings"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")


@migrations()
def m004_search(db: Database) -> None:
    """Full-text search (issue 7, "Find anything"): an FTS5 index beside each journal area.

    Each index is an external-content FTS5 table (``attendance_fts`` and so on) that stores only
    the words, kept in step by sqlite-utils' insert, update and delete triggers, and filled from
    the rows already there. It lives in the same file, so an encrypted journal's index is
    encrypted too. Words are matched without case or accents, and by their stem (porter), so
    "meetings" finds "meeting". Spelled out here so this migration stays exactly as it shipped.
    """
    tokenize = "porter unicode61 remove_diacritics 2"
    indexed = {
        "groups": ["name", "notes"],
        "attendance": ["note"],
        "people": ["alias", "notes"],
        "contacts": ["note"],
        "service": ["note"],
        "fit_ratings": ["note"],
    }
    for table, columns in indexed.items():
        db.table(table).enable_fts(columns, create_triggers=True, tokenize=tokenize, replace=True)


@migrations()
def m005_meetings(db: Database) -> None:
    """Meeting directories (issue 5): public meeting lists imported into the file, to browse
    offline. They are public data, not journal entries: not exported, not counted.

    ``meetings.group_id`` is the group the person made from a meeting; deleting that group only
    clears the link. A meeting that has left its list is kept (``gone_since``) only while it is
    in the person's groups, so when the link is cleared the trigger ``meetings_gone_unlinked``
    deletes it. Spelled out here so this migration stays exactly as it shipped.
    """
    formats = ("meeting-guide", "bmlt")
    attendance = ("in_person", "online", "hybrid", "inactive")

    def clock_time(column: str) -> str:
        return (
            f"{column} TEXT CHECK ({column} IS NULL "
            f"OR ({column} GLOB '[0-2][0-9]:[0-5][0-9]' AND {column} < '24:00'))"
        )

    statements = [
        f"""
        CREATE TABLE meeting_sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE
                CHECK (length(trim(name)) > 0 AND length(name) <= 80),
            location TEXT NOT NULL CHECK (length(location) <= 2000),
            {_choice("format", formats)},
            imported_at TEXT NOT NULL CHECK (imported_at GLOB '[0-9][0-9][0-9][0-9]-*'),
            report TEXT NOT NULL DEFAULT '{{}}'
                CHECK (json_valid(report) AND json_type(report) = 'object')
        )
        """,
        f"""
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES meeting_sources(id) ON DELETE CASCADE,
            slug TEXT NOT NULL CHECK (length(slug) > 0),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            days TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(days) AND json_type(days) = 'array'),
            {clock_time("time")},
            {clock_time("end_time")},
            timezone TEXT CHECK (timezone IS NULL OR length(timezone) > 0),
            types TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(types) AND json_type(types) = 'array'),
            {_choice("attendance", attendance)},
            address TEXT NOT NULL DEFAULT '',
            {_flag("approximate", 0)},
            location TEXT NOT NULL DEFAULT '',
            location_notes TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            group_name TEXT NOT NULL DEFAULT '',
            group_notes TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            conference_url TEXT NOT NULL DEFAULT '',
            conference_url_notes TEXT NOT NULL DEFAULT '',
            conference_phone TEXT NOT NULL DEFAULT '',
            conference_phone_notes TEXT NOT NULL DEFAULT '',
            website TEXT NOT NULL DEFAULT '',
            updated TEXT CHECK (
                updated IS NULL OR strftime('%Y-%m-%dT%H:%M:%S', updated) IS updated
            ),
            gone_since TEXT CHECK (
                gone_since IS NULL
                OR (date(gone_since, '+0 days') IS gone_since AND gone_since >= '1900-01-01')
            ),
            group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
            UNIQUE (source_id, slug)
        )
        """,
        "CREATE INDEX meetings_by_group ON meetings(group_id)",
        """
        CREATE TRIGGER meetings_gone_unlinked AFTER UPDATE OF group_id ON meetings
        WHEN NEW.group_id IS NULL AND NEW.gone_since IS NOT NULL
        BEGIN
            DELETE FROM meetings WHERE id = NEW.id;
        END
        """,
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m006_running_totals(db: Database) -> None:
    """Running totals kept up to date by triggers (issue 8, "Speed"), so the dashboard reads one
    short row per week and per rated group instead of going over every meeting and every rating
    on each refresh. Neither table is a journal area: both are made from journal rows, so they
    are not exported and not counted. Spelled out here so this migration stays exactly as it
    shipped.

    ``attendance_weeks`` holds one row for each week (its Monday) with at least one meeting
    attended, and how many; a week whose last attended meeting goes is deleted, so no row holds
    0. Three triggers on ``attendance`` keep it in step with every write: insert, delete, and an
    update that changes ``date`` or ``attended``. A delete removes the week's row when this was
    its last meeting and otherwise subtracts one, so the count never drops below 1.

    ``fit_totals`` holds one row for each group with fit ratings: how many, and the sum over them
    of the five scores (``score_total``, an integer, so the mean of the ratings' five-score means,
    ``score_total / (5 * ratings)``, is exact). Three triggers on ``fit_ratings`` keep it in step:
    insert, delete, and an update that moves a rating to another group or changes its five-score
    sum. The row goes with the group's last rating, the same way as a week's. The group is a
    foreign key with ``ON DELETE CASCADE``, so a total can never hold up deleting a group.

    Both tables are filled from the rows already there. Only the ratings of groups in the journal
    count in ``fit_totals``: a rating whose group is gone (possible only after a hand edit with
    foreign keys off) is left out, so a journal like that still opens and the rating can still
    be edited or deleted.
    """
    # The Monday of the week of a date: 'weekday 0' moves forward to the Sunday (a Sunday stays
    # put), then back six days.
    new_week = "date(NEW.date, 'weekday 0', '-6 days')"
    old_week = "date(OLD.date, 'weekday 0', '-6 days')"
    add_new = f"""
            INSERT INTO attendance_weeks (week, attended) SELECT {new_week}, 1
            WHERE NEW.attended = 1
            ON CONFLICT (week) DO UPDATE SET attended = attended + 1;
    """
    remove_old = f"""
            DELETE FROM attendance_weeks
            WHERE OLD.attended = 1 AND week = {old_week} AND attended = 1;
            UPDATE attendance_weeks SET attended = attended - 1
            WHERE OLD.attended = 1 AND week = {old_week};
    """

    def five(row: str) -> str:
        """The sum of a rating's five scores."""
        return (
            f"({row}.welcome + {row}.relevance + {row}.format_comfort + {row}.practical"
            f" + {row}.would_return)"
        )

    # Only the ratings of a group in the journal count: with foreign keys off (the sqlite3
    # shell's default), a hand edit can leave a rating pointing at no group.
    add_rating = f"""
            INSERT INTO fit_totals (group_id, ratings, score_total)
            SELECT NEW.group_id, 1, {five("NEW")}
            WHERE EXISTS (SELECT 1 FROM groups WHERE id = NEW.group_id)
            ON CONFLICT (group_id) DO UPDATE SET
                ratings = ratings + 1, score_total = score_total + excluded.score_total;
    """
    remove_rating = f"""
            DELETE FROM fit_totals WHERE group_id = OLD.group_id AND ratings = 1;
            UPDATE fit_totals SET ratings = ratings - 1, score_total = score_total - {five("OLD")}
            WHERE group_id = OLD.group_id;
    """
    statements = [
        f"""
        CREATE TABLE attendance_weeks (
            {_day("week")} PRIMARY KEY CHECK (strftime('%w', week) = '1'),
            attended INTEGER NOT NULL CHECK (attended > 0)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TRIGGER attendance_weeks_insert AFTER INSERT ON attendance
        WHEN NEW.attended = 1
        BEGIN
            {add_new}
        END
        """,
        f"""
        CREATE TRIGGER attendance_weeks_delete AFTER DELETE ON attendance
        WHEN OLD.attended = 1
        BEGIN
            {remove_old}
        END
        """,
        f"""
        CREATE TRIGGER attendance_weeks_update AFTER UPDATE OF date, attended ON attendance
        WHEN (OLD.attended = 1 OR NEW.attended = 1)
            AND (OLD.attended IS NOT NEW.attended OR {old_week} IS NOT {new_week})
        BEGIN
            {remove_old}
            {add_new}
        END
        """,
        """
        INSERT INTO attendance_weeks (week, attended)
        SELECT date(date, 'weekday 0', '-6 days') AS week, count(*) FROM attendance
        WHERE attended = 1 GROUP BY week
        """,
        """
        CREATE TABLE fit_totals (
            group_id INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
            ratings INTEGER NOT NULL CHECK (ratings > 0),
            score_total INTEGER NOT NULL
        )
        """,
        f"""
        CREATE TRIGGER fit_totals_insert AFTER INSERT ON fit_ratings
        BEGIN
            {add_rating}
        END
        """,
        f"""
        CREATE TRIGGER fit_totals_delete AFTER DELETE ON fit_ratings
        BEGIN
            {remove_rating}
        END
        """,
        f"""
        CREATE TRIGGER fit_totals_update
        AFTER UPDATE OF group_id, welcome, relevance, format_comfort, practical, would_return
        ON fit_ratings
        WHEN OLD.group_id IS NOT NEW.group_id OR {five("OLD")} IS NOT {five("NEW")}
        BEGIN
            {remove_rating}
            {add_rating}
        END
        """,
        """
        INSERT INTO fit_totals (group_id, ratings, score_total)
        SELECT group_id, count(*),
            sum(welcome + relevance + format_comfort + practical + would_return)
        FROM fit_ratings WHERE group_id IN (SELECT id FROM groups) GROUP BY group_id
        """,
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m007_group_totals(db: Database) -> None:
    """Each group's meeting totals, kept up to date by triggers (issue 8, "Speed"), so comparing
    groups (the Compare screen, the dashboard's Groups panel on every refresh) reads one row per
    group instead of every meeting ever logged. Like m006's tables it is made from journal rows,
    so it is not exported and not counted. Spelled out here so it stays exactly as it shipped.

    ``group_totals`` holds one row for each group with at least one meeting logged: meetings
    attended, missed and shared at, and the first and last day attended (NULL while none was
    attended). Three triggers on ``attendance`` keep it in step: insert, delete, and an update
    that changes ``group_id``, ``date``, ``attended`` or ``shared``. A delete takes the row away
    with the group's last meeting; when the meeting was the first or last day attended, that day
    is looked up again among the group's other meetings (through ``attendance_by_group``). An
    update is a delete of the old row followed by an insert of the new one. The group is a
    foreign key with ``ON DELETE CASCADE``, and, as in ``fit_totals``, only meetings of a group
    in the journal count.
    """
    attended_day = "CASE WHEN NEW.attended = 1 THEN NEW.date END"
    add_new = f"""
            INSERT INTO group_totals (group_id, attended, missed, shared, first, last)
            SELECT NEW.group_id, NEW.attended, 1 - NEW.attended, NEW.shared,
                {attended_day}, {attended_day}
            WHERE EXISTS (SELECT 1 FROM groups WHERE id = NEW.group_id)
            ON CONFLICT (group_id) DO UPDATE SET
                attended = attended + excluded.attended,
                missed = missed + excluded.missed,
                shared = shared + excluded.shared,
                first = coalesce(min(first, excluded.first), first, excluded.first),
                last = coalesce(max(last, excluded.last), last, excluded.last);
    """

    def looked_up(edge: str) -> str:
        """The group's first (``min``) or last (``max``) day attended, among its meetings now."""
        return (
            f"(SELECT {edge}(date) FROM attendance WHERE group_id = OLD.group_id AND attended = 1)"
        )

    remove_old = f"""
            DELETE FROM group_totals
            WHERE group_id = OLD.group_id AND attended + missed = 1;
            UPDATE group_totals SET
                attended = attended - OLD.attended,
                missed = missed - (1 - OLD.attended),
                shared = shared - OLD.shared,
                first = CASE WHEN OLD.attended = 1 AND first = OLD.date
                    THEN {looked_up("min")} ELSE first END,
                last = CASE WHEN OLD.attended = 1 AND last = OLD.date
                    THEN {looked_up("max")} ELSE last END
            WHERE group_id = OLD.group_id;
    """
    statements = [
        """
        CREATE TABLE group_totals (
            group_id INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
            attended INTEGER NOT NULL CHECK (attended >= 0),
            missed INTEGER NOT NULL CHECK (missed >= 0),
            shared INTEGER NOT NULL CHECK (shared >= 0),
            first TEXT,
            last TEXT,
            CHECK (attended + missed > 0)
        )
        """,
        f"""
        CREATE TRIGGER group_totals_insert AFTER INSERT ON attendance
        BEGIN
            {add_new}
        END
        """,
        f"""
        CREATE TRIGGER group_totals_delete AFTER DELETE ON attendance
        BEGIN
            {remove_old}
        END
        """,
        f"""
        CREATE TRIGGER group_totals_update
        AFTER UPDATE OF group_id, date, attended, shared ON attendance
        WHEN OLD.group_id IS NOT NEW.group_id OR OLD.date IS NOT NEW.date
            OR OLD.attended IS NOT NEW.attended OR OLD.shared IS NOT NEW.shared
        BEGIN
            {remove_old}
            {add_new}
        END
        """,
        """
        INSERT INTO group_totals (group_id, attended, missed, shared, first, last)
        SELECT group_id, sum(attended), sum(1 - attended), sum(shared),
            min(CASE WHEN attended = 1 THEN date END), max(CASE WHEN attended = 1 THEN date END)
        FROM attendance WHERE group_id IN (SELECT id FROM groups) GROUP BY group_id
        """,
    ]
    for statement in statements:
        db.execute(statement)


# How many entries ``changes`` keeps: a reader further behind than this works everything out again.
CHANGES_KEPT = 1000


@migrations()
def m008_changes(db: Database) -> None:
    """A short log of what changed (issue 8, "Speed"), so that figures worked out from the
    journal can be kept in memory between refreshes and worked out again only when, and only
    from where, something they depend on changed. Kept exactly as it shipped.

    Each entry names an ``area``: ``weeks`` with the Monday of a week whose meetings changed
    (from m006's weekly totals, themselves kept by triggers on ``attendance``), ``groups`` for
    any change to a group, ``ratings`` for any change to a group's fit-rating totals (m006).
    With the week, the strength score and the runs, worked out week by week over the whole
    history, are worked out again only from the earliest week that changed: after logging a
    meeting this week, that is this week alone. Triggers add the entries, so a change made by
    any window or command is seen.

    The ``serial`` only grows (AUTOINCREMENT: a committed number is never used again, even
    after deletes; a rolled-back write's numbers are, so readers keep nothing they read inside
    an uncommitted write), so a reader remembers the last one it saw and asks what came after
    it. One more
    trigger keeps only the last ``CHANGES_KEPT`` entries; a reader whose last serial is older
    than those left works everything out again. The log holds areas and weeks, never what was
    in them, and is not exported (an imported journal logs its rows as they are written).
    """
    statements = [
        """
        CREATE TABLE changes (
            serial INTEGER PRIMARY KEY AUTOINCREMENT,
            area TEXT NOT NULL CHECK (area IN ('weeks', 'groups', 'ratings')),
            week TEXT
        )
        """
    ]
    logged = {
        "attendance_weeks": (
            "weeks",
            {"INSERT": "NEW.week", "UPDATE": "min(OLD.week, NEW.week)", "DELETE": "OLD.week"},
        ),
        "groups": ("groups", {}),
        "fit_totals": ("ratings", {}),
    }
    for table, (area, weeks) in logged.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            week = weeks.get(event, "NULL")
            statements.append(
                f"""
        CREATE TRIGGER changes_{table}_{event.lower()} AFTER {event} ON {table}
        BEGIN
            INSERT INTO changes (area, week) VALUES ('{area}', {week});
        END
        """
            )
    statements.append(
        f"""
        CREATE TRIGGER changes_kept AFTER INSERT ON changes
        BEGIN
            DELETE FROM changes WHERE serial <= NEW.serial - {CHANGES_KEPT};
        END
        """
    )
    for statement in statements:
        db.execute(statement)


# The journal areas a person fills in: what ``Store.counts()`` reports and ``is_empty()`` checks.
JOURNAL_TABLES = ("groups", "attendance", "people", "contacts", "service", "fit_ratings")
# The note column of each journal area; m003 gave each a ``note_shared`` flag beside it.
NOTE_COLUMNS = {
    "groups": "notes",
    "attendance": "note",
    "people": "notes",
    "contacts": "note",
    "service": "note",
    "fit_ratings": "note",
}
# Tables added by m002. They travel in the export but are not journal areas of their own: like
# settings, they don't make a journal "non-empty" and an import merges them by week / slug.
ENGAGEMENT_TABLES = ("excused_weeks", "suggestion_feedback")
# The full-text index of each journal area (m004), and the columns it covers.
SEARCH_INDEXES = {
    "groups": ("groups_fts", ("name", "notes")),
    "attendance": ("attendance_fts", ("note",)),
    "people": ("people_fts", ("alias", "notes")),
    "contacts": ("contacts_fts", ("note",)),
    "service": ("service_fts", ("note",)),
    "fit_ratings": ("fit_ratings_fts", ("note",)),
}


def schema_version(db: Database) -> int:
    """How many of our migrations this database has had."""
    return len(migrations.applied(db))


def migration_names() -> set[str]:
    """The names of every migration this version of Tracker knows."""
    return {m.name for m in migrations.pending(Database(memory=True, execute_plugins=False))}


def latest_version() -> int:
    return len(migration_names())

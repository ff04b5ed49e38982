"""The running totals (schemas m006 and m007, issue 8), kept in step by triggers with every way
the journal is written:

- ``attendance_weeks`` holds the meetings attended in each week; ``Store.meetings_by_week()``
  reads it;
- ``group_totals`` (m007) holds each group's meetings attended, missed and shared at, and its
  first and last day attended; ``Store.compare_groups()`` reads it. Every attendance test
  below checks it too (``check`` calls ``check_groups``);
- ``fit_totals`` holds each rated group's number of fit ratings and the sum of their five
  scores; ``Store.rated_groups()`` and ``Store.fit_histories()`` read it.

Every test compares the kept totals with the rows counted afresh in Python (``week_start`` of
each attended meeting's date; each group's meetings, or its ratings and their scores, added
up), so the triggers are checked against a definition that shares no SQL with them.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid as uuid_module
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.domain.dates import week_start
from tracker.domain.models import AttendanceFields, FitFields, GroupFields
from tracker.store import Store, schema
from tracker.store.connection import connect
from tracker.store.transfer import ImportRefused, export_journal, import_journal

TODAY = date(2026, 11, 26)  # a Thursday
MONDAY = date(2026, 11, 23)  # its week's Monday
SUNDAY = date(2026, 11, 22)  # the Sunday before: the week of Monday 2026-11-16
# What meetings_by_week() counted before m006: a GROUP BY over every attendance row.
OLD_MEETINGS_BY_WEEK = """
    SELECT date(date, '-' || ((CAST(strftime('%w', date) AS INTEGER) + 6) % 7) || ' days')
        AS week, count(*) FROM attendance WHERE attended = 1 GROUP BY week
"""


def open_store(path: Path | str = ":memory:") -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


@pytest.fixture
def group(store: Store) -> int:
    return store.add_group(GroupFields(name="Tuesday Night NA")).id


def counted(db: Any) -> dict[date, int]:
    """The meetings attended per week, counted in Python from the attendance rows."""
    days = [row[0] for row in db.execute("SELECT date FROM attendance WHERE attended = 1")]
    return dict(Counter(week_start(date.fromisoformat(day)) for day in days))


def kept(db: Any) -> dict[date, int]:
    """The rows of attendance_weeks, as they are."""
    rows = db.execute("SELECT week, attended FROM attendance_weeks").fetchall()
    return {date.fromisoformat(week): n for week, n in rows}


GroupFigures = tuple[int, int, int, str | None, str | None]


def groups_counted(db: Any) -> dict[int, GroupFigures]:
    """Each group's (attended, missed, shared, first day attended, last day attended), counted
    in Python from the attendance rows of the groups in the journal."""
    rows = db.execute(
        "SELECT group_id, date, attended, shared FROM attendance "
        "WHERE group_id IN (SELECT id FROM groups)"
    ).fetchall()
    figures: dict[int, GroupFigures] = {}
    for group_id, day, attended, shared in rows:
        went, missed, spoke, first, last = figures.get(group_id, (0, 0, 0, None, None))
        if attended:
            first = day if first is None else min(first, day)
            last = day if last is None else max(last, day)
        figures[group_id] = (went + attended, missed + 1 - attended, spoke + shared, first, last)
    return figures


def groups_kept(db: Any) -> dict[int, GroupFigures]:
    """The rows of group_totals, as they are."""
    rows = db.execute(
        "SELECT group_id, attended, missed, shared, first, last FROM group_totals"
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def check_groups(store: Store) -> dict[int, GroupFigures]:
    """The kept group totals equal the fresh count, and compare_groups() shows them."""
    expected = groups_counted(store.db)
    assert groups_kept(store.db) == expected
    for figures in store.compare_groups():
        went, missed, spoke, first, last = expected.get(figures.group.id, (0, 0, 0, None, None))
        assert (figures.times_attended, figures.times_missed, figures.times_shared) == (
            went,
            missed,
            spoke,
        )
        assert figures.first_attended == (date.fromisoformat(first) if first else None)
        assert figures.last_attended == (date.fromisoformat(last) if last else None)
    return expected


def check(store: Store) -> dict[date, int]:
    """The kept totals equal the fresh count, meetings_by_week() returns them oldest week
    first, and no week is kept at 0. The group totals are checked too."""
    check_groups(store)
    expected = counted(store.db)
    assert kept(store.db) == expected
    by_week = store.meetings_by_week()
    assert by_week == expected
    assert list(by_week) == sorted(expected)
    assert all(n > 0 for n in by_week.values())
    return by_week


def log(store: Store, group_id: int, day: date, *, attended: bool = True, **more: Any) -> int:
    fields = AttendanceFields(group_id=group_id, date=day, attended=attended, **more)
    return store.log_attendance(fields).id


def edit(store: Store, entry_id: int, **changes: Any) -> None:
    fields = store.get_attendance(entry_id).fields
    store.update_attendance(entry_id, dataclasses.replace(fields, **changes))


def raw_attendance(group_id: int, day: str, attended: int = 1) -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "created_at": "2026-11-26T12:00:00Z",
        "updated_at": "2026-11-26T12:00:00Z",
        "group_id": group_id,
        "date": day,
        "attended": attended,
    }


def insert_raw(conn: Any, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        conn.execute(
            f"INSERT INTO attendance ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


# --- the table ----------------------------------------------------------------------------------


def test_a_new_journal_has_the_table_and_its_three_triggers(store: Store) -> None:
    assert "m006_running_totals" in [m.name for m in schema.migrations.applied(store.db)]
    assert set(store.db["attendance_weeks"].columns_dict) == {"week", "attended"}
    triggers = {
        row[0]
        for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attendance' "
            "AND name LIKE 'attendance_weeks%'"
        )
    }
    assert triggers == {
        "attendance_weeks_insert",
        "attendance_weeks_delete",
        "attendance_weeks_update",
    }
    # Derived from attendance: not a journal area, so not counted or exported.
    assert "attendance_weeks" not in schema.JOURNAL_TABLES
    assert "attendance_weeks" not in export_journal(store)
    assert store.meetings_by_week() == {}


@pytest.mark.parametrize(
    ("week", "attended"),
    [
        ("2026-11-24", 1),  # a Tuesday
        ("2026-11-22", 1),  # a Sunday
        ("2026-02-30", 1),  # no such day
        ("1899-12-25", 1),  # before 1900 (a Monday)
        ("23 Nov 2026", 1),
        ("2026-11-23", 0),  # a week is kept only while it has a meeting
        ("2026-11-23", -1),
        ("2026-11-23", None),
    ],
)
def test_check_constraints_refuse_a_bad_row(store: Store, week: str, attended: Any) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO attendance_weeks (week, attended) VALUES (?, ?)", [week, attended]
        )


# --- every way the store writes attendance ------------------------------------------------------


def test_log_edit_and_delete_keep_the_totals(store: Store, group: int) -> None:
    first = log(store, group, MONDAY)
    assert check(store) == {MONDAY: 1}
    log(store, group, MONDAY + timedelta(days=2), attended=False)  # a missed meeting: no change
    assert check(store) == {MONDAY: 1}
    sunday = log(store, group, SUNDAY)  # a Sunday belongs to the week before
    second = log(store, group, TODAY, time=time(19, 0))
    assert check(store) == {MONDAY: 2, SUNDAY - timedelta(days=6): 1}

    edit(store, second, note="Shared for the first time")  # no date or attended change
    edit(store, second, date=MONDAY + timedelta(days=1))  # another day of the same week
    assert check(store) == {MONDAY: 2, SUNDAY - timedelta(days=6): 1}
    edit(store, sunday, date=SUNDAY + timedelta(days=1))  # Sunday -> Monday: the next week
    assert check(store) == {MONDAY: 3}
    edit(store, first, attended=False)  # attended -> missed
    assert check(store) == {MONDAY: 2}
    edit(store, first, attended=True, date=date(2026, 1, 1))  # missed -> attended, elsewhere
    assert check(store) == {MONDAY: 2, date(2025, 12, 29): 1}

    store.delete_attendance(first)  # the week's only meeting: its row goes
    assert check(store) == {MONDAY: 2}
    store.delete_attendance(second)
    store.delete_attendance(sunday)
    assert check(store) == {}


def test_deleting_or_moving_a_group_keeps_the_totals(store: Store, group: int) -> None:
    other = store.add_group(GroupFields(name="SMART Online", pillar="online", format="online")).id
    third = store.add_group(GroupFields(name="Family Circle", pillar="family")).id
    for weeks_back in range(5):
        log(store, group, MONDAY - timedelta(weeks=weeks_back))
        log(store, other, MONDAY - timedelta(weeks=weeks_back, days=-1))
    log(store, other, MONDAY - timedelta(weeks=9), attended=False)
    log(store, third, MONDAY - timedelta(weeks=7))
    assert check(store)[MONDAY] == 2

    store.delete_group(third, history="move", move_to=group)  # a move changes no week
    assert check(store)[MONDAY - timedelta(weeks=7)] == 1
    store.delete_group(other, history="delete")
    assert check(store) == {MONDAY - timedelta(weeks=n): 1 for n in (0, 1, 2, 3, 4, 7)}
    store.delete_group(group, history="delete")
    assert check(store) == {}


def test_bulk_sql_writes_keep_the_totals(store: Store, group: int) -> None:
    """Writes of many rows at once, as tracker demo does (a staging table and one INSERT ...
    SELECT) and as someone might in the sqlite3 shell."""
    days = [MONDAY - timedelta(days=n) for n in range(0, 400, 3)]
    with store.atomic() as db:
        db.execute("CREATE TEMP TABLE staging (day TEXT, attended INTEGER)")
        db.conn.executemany(
            "INSERT INTO temp.staging VALUES (?, ?)",
            [(day.isoformat(), int(n % 4 != 0)) for n, day in enumerate(days)],
        )
        db.execute(
            "INSERT INTO attendance (uuid, created_at, updated_at, group_id, date, attended) "
            "SELECT lower(hex(randomblob(18))), '2026-11-26T12:00:00Z', "
            "'2026-11-26T12:00:00Z', ?, day, attended FROM temp.staging",
            [group],
        )
        db.execute("DROP TABLE temp.staging")
    assert sum(check(store).values()) == sum(1 for n in range(len(days)) if n % 4)

    with store.atomic() as db:
        db.execute("UPDATE attendance SET date = date(date, '-3 days') WHERE id % 3 = 0")
        db.execute("UPDATE attendance SET attended = 1 - attended WHERE id % 5 = 0")
    check(store)
    with store.atomic() as db:
        db.execute("DELETE FROM attendance WHERE date < '2026-06-01'")
    check(store)


def test_a_write_that_is_rolled_back_leaves_the_totals_as_they_were(
    store: Store, group: int
) -> None:
    log(store, group, MONDAY)
    before = check(store)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), store.atomic() as db:
        insert_raw(db, [raw_attendance(group, "2026-11-24"), raw_attendance(group, "2026-01-01")])
        db.execute("DELETE FROM attendance WHERE date = ?", [MONDAY.isoformat()])
        raise Undo
    assert check(store) == before


def test_import_keeps_the_totals(tmp_path: Path, store: Store, group: int) -> None:
    for n in range(30):
        log(store, group, MONDAY - timedelta(days=5 * n), attended=n % 3 != 0)
    exported = export_journal(store)
    expected = check(store)

    into = open_store(tmp_path / "copy.db")
    assert check(into) == {}
    import_journal(into, exported)
    assert check(into) == expected

    # --replace into a journal with other meetings: theirs go, the file's come in.
    other = open_store(tmp_path / "other.db")
    elsewhere = other.add_group(GroupFields(name="Elsewhere")).id
    log(other, elsewhere, date(2020, 3, 4))
    import_journal(other, exported, replace=True)
    assert check(other) == expected

    # A refused import changes nothing, the totals included.
    bad = dict(exported)
    bad["attendance"] = [*exported["attendance"], dict(exported["attendance"][0])]  # same uuid
    with pytest.raises(ImportRefused):
        import_journal(other, bad, replace=True)
    assert check(other) == expected
    into.close()
    other.close()


def test_the_demo_keeps_the_totals(tmp_path: Path) -> None:
    """tracker demo writes attendance through a staging table and one INSERT ... SELECT."""
    demo = open_store(tmp_path / "demo.db")
    fill_demo(demo, years=2, today=TODAY)
    by_week = check(demo)
    assert (
        sum(by_week.values())
        == demo.db.execute("SELECT count(*) FROM attendance WHERE attended = 1").fetchone()[0]
    )
    assert len(by_week) > 50
    demo.close()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["log", "edit", "delete"]),
        st.dates(min_value=date(2024, 1, 1), max_value=TODAY),
        st.booleans(),
        st.integers(min_value=0, max_value=1000),
    ),
    max_size=30,
)


@given(operations=OPERATIONS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_run_of_logs_edits_and_deletes_keeps_the_totals(
    operations: list[tuple[str, date, bool, int]],
) -> None:
    store = open_store()
    groups = [store.add_group(GroupFields(name=name)).id for name in ("NA", "SMART")]
    entries: list[int] = []
    for kind, day, attended, pick in operations:
        # Shared only at a meeting attended; some edits move the meeting to the other group.
        shared = attended and pick % 3 == 0
        if kind == "log" or not entries:
            entries.append(log(store, groups[pick % 2], day, attended=attended, shared=shared))
        elif kind == "edit":
            moved = {"group_id": groups[pick % 2]} if pick % 5 == 0 else {}
            edit(
                store,
                entries[pick % len(entries)],
                date=day,
                attended=attended,
                shared=shared,
                **moved,
            )
        else:
            store.delete_attendance(entries.pop(pick % len(entries)))
        check(store)
    store.close()


# --- the group totals (m007) -------------------------------------------------------------------


def test_a_new_journal_has_the_group_totals_and_their_three_triggers(store: Store) -> None:
    assert set(store.db["group_totals"].columns_dict) == {
        "group_id",
        "attended",
        "missed",
        "shared",
        "first",
        "last",
    }
    triggers = {
        row[0]
        for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'group_totals%'"
        )
    }
    assert triggers == {"group_totals_insert", "group_totals_delete", "group_totals_update"}
    assert "group_totals" not in schema.JOURNAL_TABLES
    assert "group_totals" not in export_journal(store)


def test_shared_first_and_last_days_follow_every_edit(store: Store, group: int) -> None:
    missed = log(store, group, MONDAY - timedelta(weeks=3), attended=False)
    assert check_groups(store) == {group: (0, 1, 0, None, None)}
    only = log(store, group, MONDAY - timedelta(weeks=2), shared=True)
    later = MONDAY - timedelta(weeks=2)
    assert check_groups(store)[group] == (1, 1, 1, later.isoformat(), later.isoformat())
    # The only meeting attended moves: first and last move with it (with a missed one beside).
    edit(store, only, date=MONDAY)
    assert check_groups(store)[group] == (1, 1, 1, MONDAY.isoformat(), MONDAY.isoformat())
    edit(store, only, shared=False)
    assert check_groups(store)[group][2] == 0
    early = log(store, group, date(2020, 5, 5))
    assert check_groups(store)[group] == (2, 1, 0, "2020-05-05", MONDAY.isoformat())
    edit(store, early, attended=False)  # the first day attended goes: the next one is found
    assert check_groups(store)[group] == (1, 2, 0, MONDAY.isoformat(), MONDAY.isoformat())
    store.delete_attendance(only)  # the last meeting attended goes
    assert check_groups(store)[group] == (0, 2, 0, None, None)
    store.delete_attendance(missed)
    store.delete_attendance(early)
    assert check_groups(store) == {}


def test_a_meeting_whose_group_is_gone_is_left_out(store: Store, group: int) -> None:
    """With foreign keys off (the sqlite3 shell's default), a hand edit can leave a meeting
    pointing at no group: it counts for nobody, and it can still be deleted."""
    log(store, group, MONDAY)
    store.db.execute("PRAGMA foreign_keys = OFF")
    insert_raw(store.db, [raw_attendance(999, MONDAY.isoformat())])
    store.db.execute("DELETE FROM attendance WHERE group_id = 999")
    store.db.execute("PRAGMA foreign_keys = ON")
    check(store)


# --- the migration ------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(rows=st.lists(st.tuples(DAYS, st.booleans()), max_size=40))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_migration_fills_the_table_from_the_rows_already_there(
    rows: list[tuple[date, bool]],
) -> None:
    """A journal at version 5 gets its totals from its attendance rows, and meetings_by_week()
    then returns exactly what the GROUP BY of version 5 returned."""
    db = connect(":memory:", migrate=False)
    schema.migrations.apply(db, stop_before="m006_running_totals")
    db.execute(
        "INSERT INTO groups (uuid, created_at, updated_at, name, pillar, format, status) VALUES "
        "(?, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z', 'NA', 'peer', 'in-person', "
        "'regular')",
        [str(uuid_module.uuid4())],
    )
    insert_raw(db, [raw_attendance(1, day.isoformat(), int(attended)) for day, attended in rows])
    before = {date.fromisoformat(week): n for week, n in db.execute(OLD_MEETINGS_BY_WEEK)}

    schema.migrations.apply(db)
    store = Store(db, clock=Clock.fixed(TODAY))
    assert check(store) == before
    # And the triggers work from there on, at the far ends of the calendar too.
    insert_raw(db, [raw_attendance(1, day) for day in ("1900-01-01", "2200-12-31", "2000-02-29")])
    assert check(store)[date(1900, 1, 1)] >= 1
    store.close()


@given(days=st.lists(DAYS, min_size=1, max_size=20))
@settings(max_examples=60, deadline=None)
def test_the_triggers_find_the_same_monday_as_week_start(days: list[date]) -> None:
    store = open_store()
    group = store.add_group(GroupFields(name="NA")).id
    with store.atomic() as db:
        insert_raw(db, [raw_attendance(group, day.isoformat()) for day in days])
    assert kept(store.db) == dict(Counter(week_start(day) for day in days))
    store.close()


# --- the fit-rating totals ----------------------------------------------------------------------

SCORES = ("welcome", "relevance", "format_comfort", "practical", "would_return")


def fit_counted(db: Any) -> dict[int, tuple[int, int]]:
    """Each rated group's (ratings, score total), counted in Python from the rating rows."""
    totals: dict[int, tuple[int, int]] = {}
    for row in db.execute(f"SELECT group_id, {', '.join(SCORES)} FROM fit_ratings"):
        n, total = totals.get(row[0], (0, 0))
        totals[row[0]] = (n + 1, total + sum(row[1:]))
    return totals


def fit_kept(db: Any) -> dict[int, tuple[int, int]]:
    """The rows of fit_totals, as they are."""
    rows = db.execute("SELECT group_id, ratings, score_total FROM fit_totals").fetchall()
    return {group_id: (n, total) for group_id, n, total in rows}


def check_fit(store: Store) -> dict[int, tuple[int, int]]:
    """The kept totals equal the fresh count, and rated_groups() gives each group the mean of
    its ratings' five-score means exactly: the fraction, rounded once to a float."""
    expected = fit_counted(store.db)
    assert fit_kept(store.db) == expected
    names = dict(store.db.execute("SELECT id, name FROM groups").fetchall())
    means = {names[g]: Fraction(total, 5 * n) for g, (n, total) in expected.items()}
    rated = store.rated_groups()
    assert [g.name for g in rated] == sorted(means, key=str.casefold)
    assert {g.name: g.average for g in rated} == {name: float(f) for name, f in means.items()}
    return expected


def rate(store: Store, group_id: int, day: date, *scores: int) -> int:
    welcome, relevance, format_comfort, practical, would_return = scores
    fields = FitFields(
        group_id=group_id,
        date=day,
        welcome=welcome,
        relevance=relevance,
        format_comfort=format_comfort,
        practical=practical,
        would_return=would_return,
    )
    return store.add_rating(fields).id


def rerate(store: Store, rating_id: int, **changes: Any) -> None:
    fields = store.get_rating(rating_id).fields
    store.update_rating(rating_id, dataclasses.replace(fields, **changes))


def raw_rating(group_id: int, day: str, *scores: int) -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "created_at": "2026-11-26T12:00:00Z",
        "updated_at": "2026-11-26T12:00:00Z",
        "group_id": group_id,
        "date": day,
        **dict(zip(SCORES, scores, strict=True)),
    }


def test_a_new_journal_has_the_fit_totals_and_their_three_triggers(store: Store) -> None:
    assert set(store.db["fit_totals"].columns_dict) == {"group_id", "ratings", "score_total"}
    triggers = {
        row[0]
        for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'fit_ratings' "
            "AND name LIKE 'fit_totals%'"
        )
    }
    assert triggers == {"fit_totals_insert", "fit_totals_delete", "fit_totals_update"}
    assert "fit_totals" not in schema.JOURNAL_TABLES
    assert "fit_totals" not in export_journal(store)
    assert store.rated_groups() == []
    assert fit_kept(store.db) == {}


@pytest.mark.parametrize("ratings", [0, -1, None])
def test_a_group_is_kept_only_while_it_has_ratings(store: Store, group: int, ratings: Any) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO fit_totals (group_id, ratings, score_total) VALUES (?, ?, 15)",
            [group, ratings],
        )


def test_rate_edit_and_delete_keep_the_fit_totals(store: Store, group: int) -> None:
    other = store.add_group(GroupFields(name="SMART Online", pillar="online", format="online")).id
    first = rate(store, group, MONDAY, 5, 4, 4, 3, 5)
    assert check_fit(store) == {group: (1, 21)}
    second = rate(store, group, TODAY, 1, 2, 3, 4, 5)
    third = rate(store, other, TODAY, 2, 2, 2, 2, 2)
    assert check_fit(store) == {group: (2, 36), other: (1, 10)}

    rerate(store, second, note="Quieter this week", date=SUNDAY)  # no score or group change
    assert check_fit(store) == {group: (2, 36), other: (1, 10)}
    rerate(store, second, welcome=5)  # one score: +4
    assert check_fit(store) == {group: (2, 40), other: (1, 10)}
    rerate(store, first, welcome=4, practical=4)  # 4 4 4 4 5: the same sum, 21
    assert check_fit(store) == {group: (2, 40), other: (1, 10)}
    rerate(store, second, group_id=other)  # to another group
    assert check_fit(store) == {group: (1, 21), other: (2, 29)}
    rerate(store, first, group_id=other, relevance=1)  # another group and another sum at once
    assert check_fit(store) == {other: (3, 47)}  # the group's last rating went: its row too

    store.delete_rating(third)
    assert check_fit(store) == {other: (2, 37)}
    store.delete_rating(first)
    store.delete_rating(second)
    assert check_fit(store) == {}


def test_deleting_or_moving_a_group_keeps_the_fit_totals(store: Store, group: int) -> None:
    other = store.add_group(GroupFields(name="SMART Online", pillar="online", format="online")).id
    third = store.add_group(GroupFields(name="Family Circle", pillar="family")).id
    for n in range(4):
        rate(store, group, MONDAY - timedelta(weeks=n), 4, 4, 4, 4, n + 1)
        rate(store, other, MONDAY - timedelta(weeks=n), 2, 3, 2, 3, 2)
    rate(store, third, MONDAY, 5, 5, 5, 5, 5)
    assert check_fit(store) == {group: (4, 74), other: (4, 48), third: (1, 25)}

    with pytest.raises(Exception, match="has history"):
        store.delete_group(third)  # refused: nothing changes
    assert check_fit(store) == {group: (4, 74), other: (4, 48), third: (1, 25)}
    store.delete_group(third, history="move", move_to=group)
    assert check_fit(store) == {group: (5, 99), other: (4, 48)}
    store.delete_group(other, history="delete")
    assert check_fit(store) == {group: (5, 99)}
    store.delete_group(group, history="delete")
    assert check_fit(store) == {}


def test_a_group_with_ratings_cant_be_deleted_behind_the_totals_back(
    store: Store, group: int
) -> None:
    """The ratings refer to their group ON DELETE RESTRICT, so no rating (and no total) is ever
    deleted along with a group: SQLite would fire the ratings' delete triggers for a cascade
    too, but there is none. A total left without ratings (only by a hand edit) goes with its
    group (ON DELETE CASCADE), so it never holds a deletion up."""
    rate(store, group, MONDAY, 4, 4, 4, 4, 4)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("DELETE FROM groups WHERE id = ?", [group])
    assert check_fit(store) == {group: (1, 20)}

    empty = store.add_group(GroupFields(name="Family Circle", pillar="family")).id
    store.db.execute("INSERT INTO fit_totals VALUES (?, 2, 30)", [empty])  # a hand edit
    store.delete_group(empty)  # it has no history, so nothing refuses
    assert fit_kept(store.db) == {group: (1, 20)}


def test_a_rating_whose_group_is_gone_is_left_out(store: Store, group: int) -> None:
    """Only a hand edit with foreign keys off can leave a rating pointing at no group. It is
    not counted (the foreign-key check of tracker doctor reports it), and it can still be
    edited and deleted."""
    kept_rating = rate(store, group, MONDAY, 4, 4, 4, 4, 4)
    stray = rate(store, group, TODAY, 2, 2, 2, 2, 2)
    store.db.execute("PRAGMA foreign_keys = OFF")
    store.db.execute("UPDATE fit_ratings SET group_id = 999 WHERE id = ?", [stray])
    insert_raw_ratings(store.db, [raw_rating(998, "2026-11-20", 1, 1, 1, 1, 1)])
    store.db.execute("PRAGMA foreign_keys = ON")
    assert fit_kept(store.db) == {group: (1, 20)}
    store.db.execute("UPDATE fit_ratings SET welcome = 5 WHERE id = ?", [stray])
    store.delete_rating(stray)
    store.delete_rating(kept_rating)
    assert fit_kept(store.db) == {}


def test_bulk_sql_writes_keep_the_fit_totals(store: Store, group: int) -> None:
    other = store.add_group(GroupFields(name="SMART Online", pillar="online", format="online")).id
    days = [MONDAY - timedelta(days=n) for n in range(0, 300, 2)]
    with store.atomic() as db:
        db.execute("CREATE TEMP TABLE staging (day TEXT, grp INTEGER, score INTEGER)")
        db.conn.executemany(
            "INSERT INTO temp.staging VALUES (?, ?, ?)",
            [(day.isoformat(), (group, other)[n % 2], n % 5 + 1) for n, day in enumerate(days)],
        )
        db.execute(
            "INSERT INTO fit_ratings (uuid, created_at, updated_at, group_id, date, welcome, "
            "relevance, format_comfort, practical, would_return) "
            "SELECT lower(hex(randomblob(18))), '2026-11-26T12:00:00Z', "
            "'2026-11-26T12:00:00Z', grp, day, score, score, 3, 6 - score, 5 FROM temp.staging"
        )
        db.execute("DROP TABLE temp.staging")
    assert sum(n for n, _total in check_fit(store).values()) == len(days)

    with store.atomic() as db:
        db.execute("UPDATE fit_ratings SET welcome = 1 + welcome % 5 WHERE id % 3 = 0")
        # Half of NA's ratings move to SMART (NA's have odd ids).
        db.execute("UPDATE fit_ratings SET group_id = ? WHERE id % 4 = 1", [other])
        db.execute("UPDATE fit_ratings SET group_id = group_id, date = date(date, '-1 day')")
    check_fit(store)
    with store.atomic() as db:
        db.execute("DELETE FROM fit_ratings WHERE group_id = ?", [other])
    assert set(check_fit(store)) == {group}


def test_a_rating_rolled_back_leaves_the_fit_totals_as_they_were(store: Store, group: int) -> None:
    rate(store, group, MONDAY, 3, 4, 5, 4, 3)
    before = check_fit(store)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), store.atomic() as db:
        insert_raw_ratings(db, [raw_rating(group, "2026-11-24", 1, 1, 1, 1, 1)])
        db.execute("UPDATE fit_ratings SET welcome = 5")
        db.execute("DELETE FROM fit_ratings WHERE date = ?", [MONDAY.isoformat()])
        raise Undo
    assert check_fit(store) == before


def insert_raw_ratings(conn: Any, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        conn.execute(
            f"INSERT INTO fit_ratings ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


def test_import_keeps_the_fit_totals(tmp_path: Path, store: Store, group: int) -> None:
    other = store.add_group(GroupFields(name="SMART Online", pillar="online", format="online")).id
    for n in range(12):
        rate(store, (group, other)[n % 2], MONDAY - timedelta(days=9 * n), *[n % 5 + 1] * 5)
    exported = export_journal(store)
    expected_means = {g.name: g.average for g in store.rated_groups()}
    check_fit(store)

    into = open_store(tmp_path / "copy.db")
    import_journal(into, exported)
    check_fit(into)
    assert {g.name: g.average for g in into.rated_groups()} == expected_means

    other_journal = open_store(tmp_path / "other.db")
    elsewhere = other_journal.add_group(GroupFields(name="Elsewhere")).id
    rate(other_journal, elsewhere, date(2020, 3, 4), 1, 1, 1, 1, 1)
    import_journal(other_journal, exported, replace=True)  # theirs go, the file's come in
    check_fit(other_journal)
    assert {g.name: g.average for g in other_journal.rated_groups()} == expected_means

    bad = dict(exported)
    bad["fit_ratings"] = [*exported["fit_ratings"], dict(exported["fit_ratings"][0])]  # same uuid
    with pytest.raises(ImportRefused):
        import_journal(other_journal, bad, replace=True)
    assert {g.name: g.average for g in other_journal.rated_groups()} == expected_means
    check_fit(other_journal)
    into.close()
    other_journal.close()


def test_the_demo_keeps_the_fit_totals(tmp_path: Path) -> None:
    demo = open_store(tmp_path / "demo.db")
    fill_demo(demo, years=2, today=TODAY)
    totals = check_fit(demo)
    assert len(totals) > 3
    assert sum(n for n, _total in totals.values()) == demo.counts()["fit_ratings"]
    demo.close()


RATING_OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["rate", "edit", "move", "delete"]),
        st.tuples(*[st.integers(1, 5)] * 5),
        st.integers(min_value=0, max_value=1000),
    ),
    max_size=30,
)


@given(operations=RATING_OPERATIONS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_run_of_ratings_edits_moves_and_deletes_keeps_the_fit_totals(
    operations: list[tuple[str, tuple[int, ...], int]],
) -> None:
    store = open_store()
    groups = [store.add_group(GroupFields(name=name)).id for name in ("NA", "SMART", "Yoga")]
    entries: list[int] = []
    for kind, scores, pick in operations:
        if kind == "rate" or not entries:
            entries.append(rate(store, groups[pick % 3], MONDAY, *scores))
        elif kind == "edit":
            rerate(store, entries[pick % len(entries)], **dict(zip(SCORES, scores, strict=True)))
        elif kind == "move":
            rerate(store, entries[pick % len(entries)], group_id=groups[pick % 3])
        else:
            store.delete_rating(entries.pop(pick % len(entries)))
        check_fit(store)
    store.close()


@given(
    rows=st.lists(
        st.tuples(st.integers(0, 3), st.tuples(*[st.integers(1, 5)] * 5)),
        max_size=40,
    )
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_migration_fills_the_fit_totals_from_the_ratings_already_there(
    rows: list[tuple[int, tuple[int, ...]]],
) -> None:
    """A journal at version 5 gets its fit totals from its ratings. A rating whose group is
    gone (group 4 here, possible only after a hand edit with foreign keys off) is left out, so
    the journal still opens; tracker doctor reports that rating as pointing at a missing
    group."""
    db = connect(":memory:", migrate=False)
    schema.migrations.apply(db, stop_before="m006_running_totals")
    for name in ("NA", "SMART", "Yoga"):
        db.execute(
            "INSERT INTO groups (uuid, created_at, updated_at, name, pillar, format, status) "
            "VALUES (?, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z', ?, 'peer', "
            "'in-person', 'regular')",
            [str(uuid_module.uuid4()), name],
        )
    db.execute("PRAGMA foreign_keys = OFF")
    insert_raw_ratings(db, [raw_rating(pick + 1, "2026-01-07", *scores) for pick, scores in rows])
    db.execute("PRAGMA foreign_keys = ON")
    expected = {g: t for g, t in fit_counted(db).items() if g <= 3}

    schema.migrations.apply(db)
    assert fit_kept(db) == expected
    db.execute("DELETE FROM fit_ratings WHERE group_id = 4")
    store = Store(db, clock=Clock.fixed(TODAY))
    check_fit(store)
    # And the triggers work from there on.
    rate(store, 1, MONDAY, 5, 5, 5, 5, 5)
    check_fit(store)
    store.close()

"""The weekly totals (schema m006, issue 8): ``attendance_weeks`` holds the meetings attended in
each week, kept in step by triggers with every way attendance is written, and
``Store.meetings_by_week()`` reads it.

Every test compares the kept totals with the meetings counted afresh in Python from the
attendance rows (``week_start`` of each attended meeting's date), so the triggers are checked
against a definition that shares no SQL with them.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid as uuid_module
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.domain.dates import week_start
from tracker.domain.models import AttendanceFields, GroupFields
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


def check(store: Store) -> dict[date, int]:
    """The kept totals equal the fresh count, meetings_by_week() returns them oldest week
    first, and no week is kept at 0."""
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
    assert "m006_week_totals" in [m.name for m in schema.migrations.applied(store.db)]
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
        if kind == "log" or not entries:
            entries.append(log(store, groups[pick % 2], day, attended=attended))
        elif kind == "edit":
            edit(store, entries[pick % len(entries)], date=day, attended=attended)
        else:
            store.delete_attendance(entries.pop(pick % len(entries)))
        check(store)
    store.close()


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
    schema.migrations.apply(db, stop_before="m006_week_totals")
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

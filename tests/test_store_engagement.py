"""The store side of "Engagement": the m002 migration, excused weeks, the aggregates the
engagement rule and the suggestions read, profile and thresholds, suggestion feedback, and how
all of it travels through export and import."""

from __future__ import annotations

import copy
import dataclasses
import json
import sqlite3
import uuid as uuid_module
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database
from sqltrace import plan, statements

from tracker.clock import Clock
from tracker.domain.catalogue import CatalogueEntry
from tracker.domain.dates import week_start
from tracker.domain.engagement import SupportContact, fit_histories
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    ExcusedWeekFields,
    FitFields,
    GroupFields,
    PersonFields,
)
from tracker.domain.profile import PROFILE_KEY, THRESHOLDS_KEY, Profile, Thresholds
from tracker.domain.suggestions import (
    LEARNED_APPROACH_PER_POINT,
    LEARNED_HIGH,
    LEARNED_LOW,
    LEARNED_MIDPOINT,
    Feedback,
    RatedGroup,
    Reason,
    rank_suggestions,
)
from tracker.errors import InvalidField, TrackerError
from tracker.store import Store, schema
from tracker.store.connection import connect
from tracker.store.transfer import (
    FORMAT_VERSION,
    ImportRefused,
    check_export,
    export_journal,
    export_json_text,
    import_journal,
)

TODAY = date(2026, 11, 26)  # a Thursday
MONDAY = date(2026, 11, 23)  # the Monday of TODAY's week


def open_store(path: Path | str, clock: Clock | None = None) -> Store:
    return Store.open(path, clock=clock or Clock.fixed(TODAY))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


class Ticking:
    """A clock source that moves on one second each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def ticking_clock() -> Clock:
    return Clock(now=Ticking(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))


def rating(group_id: int, day: date, *values: int) -> FitFields:
    welcome, relevance, format_comfort, practical, would_return = values
    return FitFields(
        group_id=group_id,
        date=day,
        welcome=welcome,
        relevance=relevance,
        format_comfort=format_comfort,
        practical=practical,
        would_return=would_return,
    )


def went(store: Store, group_id: int, day: date, *, attended: bool = True) -> None:
    store.log_attendance(AttendanceFields(group_id=group_id, date=day, attended=attended))


def _stamps() -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "created_at": "2026-11-26T12:00:00Z",
        "updated_at": "2026-11-26T12:00:00Z",
    }


def _raw_insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    row = {**_stamps(), **values}
    conn.execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


# --- the migration ------------------------------------------------------------------------------


def test_a_new_journal_has_both_new_tables(store: Store) -> None:
    db = store.db
    row = {"id", "uuid", "created_at", "updated_at"}
    assert set(db["excused_weeks"].columns_dict) == row | {"week", "reason", "note"}
    assert set(db["suggestion_feedback"].columns_dict) == row | {"slug", "status", "until"}
    applied = [m.name for m in schema.migrations.applied(db)]
    assert applied[:2] == ["m001_journal", "m002_engagement"]
    assert store.schema_version() == schema.latest_version() == len(applied)
    # The new tables are not journal areas: an empty journal with an excused week is still empty.
    assert set(schema.ENGAGEMENT_TABLES).isdisjoint(schema.JOURNAL_TABLES)
    store.excuse_week(ExcusedWeekFields(week=TODAY))
    store.dismiss_suggestion("smart-recovery")
    assert store.is_empty()


def test_a_journal_made_at_m001_is_upgraded_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    schema.migrations.apply(db, stop_before="m002_engagement")
    assert [m.name for m in schema.migrations.applied(db)] == ["m001_journal"]
    assert "excused_weeks" not in db.table_names()
    old = Store(db, path=path, clock=Clock.fixed(TODAY))
    # Rows are written as that version of Tracker wrote them: the store of today writes columns
    # that later migrations added.
    _raw_insert(
        db.conn,
        "groups",
        {
            "id": 1,
            "name": "NA Downtown",
            "pillar": "peer",
            "format": "in-person",
            "status": "trying",
        },
    )
    _raw_insert(db.conn, "attendance", {"group_id": 1, "date": "2026-11-17"})
    db.conn.commit()
    old.set_weekly_goal(3)
    before = {table: list(db.query(f"SELECT * FROM {table}")) for table in ("groups", "attendance")}
    old.close()

    store = open_store(path)
    assert [m.name for m in schema.migrations.applied(store.db)][:2] == [
        "m001_journal",
        "m002_engagement",
    ]
    for table, rows in before.items():
        after = list(store.db.query(f"SELECT * FROM {table}"))
        assert [{name: row[name] for name in rows[0]} for row in after] == rows
    assert store.weekly_goal == 3
    assert store.excused_week_starts() == set()
    assert store.suggestion_feedback() == {}
    saved = store.excuse_week(ExcusedWeekFields(week=TODAY, reason="travel"))
    assert saved.week == MONDAY
    store.close()


# --- constraints: bad rows cannot exist ----------------------------------------------------------


@pytest.fixture
def conn(store: Store) -> sqlite3.Connection:
    return store.db.conn


GOOD_ROWS: dict[str, dict[str, Any]] = {
    "excused_weeks": {"week": "2026-11-23", "reason": "illness", "note": ""},
    "suggestion_feedback": {"slug": "advice:volunteer", "status": "snoozed", "until": "2026-12-01"},
}

BAD_ROWS = [
    ("excused_weeks", {"week": "2026-11-26"}),  # a Thursday
    ("excused_weeks", {"week": "2026-11-29"}),  # a Sunday
    ("excused_weeks", {"week": "2026-02-30"}),
    ("excused_weeks", {"week": "garbage"}),
    ("excused_weeks", {"week": None}),
    ("excused_weeks", {"week": "1899-12-25"}),  # a Monday, but too long ago
    ("excused_weeks", {"reason": "holiday"}),
    ("excused_weeks", {"reason": None}),
    ("excused_weeks", {"note": "x" * 501}),
    ("suggestion_feedback", {"slug": ""}),
    ("suggestion_feedback", {"slug": "x" * 101}),
    ("suggestion_feedback", {"status": "hidden"}),
    ("suggestion_feedback", {"until": None}),  # snoozed without a day
    ("suggestion_feedback", {"until": "2026-13-01"}),
    ("suggestion_feedback", {"status": "dismissed", "until": "soon"}),
]


def test_the_good_rows_are_accepted(conn: sqlite3.Connection) -> None:
    """The control for the constraint test below."""
    for table, values in GOOD_ROWS.items():
        _raw_insert(conn, table, values)
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1
    _raw_insert(conn, "suggestion_feedback", {"slug": "na", "status": "dismissed", "until": None})


@pytest.mark.parametrize(("table", "change"), BAD_ROWS, ids=lambda v: repr(v)[:40])
def test_check_constraints_refuse_bad_rows(
    conn: sqlite3.Connection, table: str, change: dict[str, Any]
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        _raw_insert(conn, table, {**GOOD_ROWS[table], **change})
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_one_row_per_week_and_per_slug(conn: sqlite3.Connection) -> None:
    for table, values in GOOD_ROWS.items():
        _raw_insert(conn, table, values)
        with pytest.raises(sqlite3.IntegrityError):
            _raw_insert(conn, table, values)


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
@settings(max_examples=60, deadline=None)
def test_the_sql_accepts_a_week_exactly_when_it_is_a_monday(day: date) -> None:
    db = Database(memory=True)
    schema.migrations.apply(db)
    row = {**_stamps(), "week": day.isoformat(), "reason": "other"}
    sql = f"INSERT INTO excused_weeks ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
    if day.weekday() == 0:
        db.execute(sql, list(row.values()))
    else:
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(sql, list(row.values()))
    db.close()


# --- excused weeks ------------------------------------------------------------------------------


def test_excuse_a_week_from_any_of_its_days(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    saved = store.excuse_week(ExcusedWeekFields(week=date(2026, 11, 29), reason="Illness"))
    assert saved.week == MONDAY
    assert saved.reason == "illness"
    assert saved.note == ""
    assert saved.created_at == saved.updated_at
    assert store.excused_week_starts() == {MONDAY}

    again = store.excuse_week(
        ExcusedWeekFields(week=date(2026, 11, 25), reason="travel", note="  visiting mum  ")
    )
    assert (again.id, again.uuid, again.created_at) == (saved.id, saved.uuid, saved.created_at)
    assert again.updated_at > saved.updated_at
    assert (again.week, again.reason, again.note) == (MONDAY, "travel", "visiting mum")
    assert store.list_excused_weeks() == [again]
    assert again.fields == ExcusedWeekFields(week=MONDAY, reason="travel", note="visiting mum")
    store.close()


def test_unexcuse_and_list(store: Store) -> None:
    weeks = [date(2025, 12, 29), date(2026, 1, 5), date(2026, 6, 1), MONDAY]
    for monday in weeks:
        store.excuse_week(ExcusedWeekFields(week=monday + timedelta(days=2)))
    listed = store.list_excused_weeks()
    assert [w.week for w in listed] == sorted(weeks, reverse=True)
    # since/until pick the weeks that overlap the range, even when it starts mid-week.
    assert [w.week for w in store.list_excused_weeks(since=date(2026, 1, 1))] == [
        MONDAY,
        date(2026, 6, 1),
        date(2026, 1, 5),
        date(2025, 12, 29),
    ]
    assert [w.week for w in store.list_excused_weeks(since=date(2026, 1, 5))] == [
        MONDAY,
        date(2026, 6, 1),
        date(2026, 1, 5),
    ]
    assert [
        w.week for w in store.list_excused_weeks(since=date(2026, 1, 6), until=date(2026, 6, 1))
    ] == [date(2026, 6, 1), date(2026, 1, 5)]
    assert [w.week for w in store.list_excused_weeks(until=date(2026, 5, 31))] == [
        date(2026, 1, 5),
        date(2025, 12, 29),
    ]

    assert store.unexcuse_week(date(2026, 1, 11)) is True  # the Sunday of that week
    assert store.unexcuse_week(date(2026, 1, 5)) is False
    assert store.excused_week_starts() == set(weeks) - {date(2026, 1, 5)}
    assert store.unexcuse_week(date(2027, 1, 4)) is False


def test_excused_week_validation(store: Store) -> None:
    latest = MONDAY + timedelta(weeks=8)
    assert store.excuse_week(ExcusedWeekFields(week=latest + timedelta(days=6))).week == latest
    cases: list[tuple[ExcusedWeekFields, str]] = [
        (ExcusedWeekFields(week=latest + timedelta(days=7)), "week"),
        (ExcusedWeekFields(week=date(1899, 12, 31)), "week"),
        (ExcusedWeekFields(week="2026-11-23"), "week"),  # type: ignore[arg-type]
        (ExcusedWeekFields(week=MONDAY, reason="holiday"), "reason"),
        (ExcusedWeekFields(week=MONDAY, note="x" * 501), "note"),
        (ExcusedWeekFields(week=MONDAY, note="bell\x07"), "note"),
    ]
    for fields, name in cases:
        with pytest.raises(InvalidField) as caught:
            store.excuse_week(fields)
        assert caught.value.field == name
        assert name in str(caught.value)
    assert store.excused_week_starts() == {latest}
    assert ExcusedWeekFields(week=MONDAY, note="x" * 500).validated(today=TODAY).note == "x" * 500
    with pytest.raises(InvalidField, match="week"):
        store.unexcuse_week("2026-11-23")  # type: ignore[arg-type]


def test_the_week_of_a_datetime_is_its_date_s_week(store: Store) -> None:
    saved = store.excuse_week(ExcusedWeekFields(week=datetime(2026, 11, 24, 23, 30)))
    assert saved.week == MONDAY
    assert store.unexcuse_week(datetime(2026, 11, 29, 8, 0)) is True


# --- aggregates ---------------------------------------------------------------------------------


@pytest.fixture
def two_groups(store: Store) -> tuple[int, int]:
    na = store.add_group(GroupFields(name="NA Downtown", tags=("12-step",)))
    smart = store.add_group(
        GroupFields(name="SMART Online", pillar="online", format="online", tags=("secular",))
    )
    return na.id, smart.id


def test_meetings_by_week_across_a_year_boundary(store: Store, two_groups: tuple[int, int]) -> None:
    na, smart = two_groups
    # 2026-12-28 is a Monday; its week runs to Sunday 2027-01-03.
    went(store, na, date(2025, 12, 28))  # a Sunday: the week of Monday 2025-12-22
    went(store, na, date(2025, 12, 29))  # Monday
    went(store, smart, date(2026, 1, 1))  # Thursday, same week as the 29th
    went(store, na, date(2026, 1, 4))  # Sunday, same week
    went(store, na, date(2026, 1, 5))  # the next Monday
    went(store, smart, date(2026, 1, 6), attended=False)  # missed: not counted
    went(store, na, date(2026, 3, 9), attended=False)  # a week with only a missed meeting
    went(store, smart, TODAY)
    went(store, na, TODAY)
    assert store.meetings_by_week() == {
        date(2025, 12, 22): 1,
        date(2025, 12, 29): 3,
        date(2026, 1, 5): 1,
        MONDAY: 2,
    }


@given(
    days=st.lists(
        st.tuples(st.dates(min_value=date(1990, 1, 1), max_value=TODAY), st.booleans()),
        max_size=25,
    )
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_meetings_by_week_agrees_with_week_start(days: list[tuple[date, bool]]) -> None:
    store = open_store(":memory:")
    group = store.add_group(GroupFields(name="NA")).id
    expected: dict[date, int] = {}
    for day, attended in days:
        went(store, group, day, attended=attended)
        if attended:
            expected[week_start(day)] = expected.get(week_start(day), 0) + 1
    assert store.meetings_by_week() == expected
    store.close()


def test_attended_sessions_and_groups_attended_since(
    store: Store, two_groups: tuple[int, int]
) -> None:
    na, smart = two_groups
    yoga = store.add_group(GroupFields(name="Recovery yoga", pillar="holistic")).id
    went(store, na, date(2026, 11, 2))
    went(store, na, date(2026, 11, 10))
    went(store, na, date(2026, 11, 10))  # twice on one day: still one session
    went(store, smart, date(2026, 11, 12), attended=False)
    went(store, smart, date(2026, 11, 20))
    went(store, yoga, date(2026, 11, 24), attended=False)

    assert store.attended_sessions(date(2026, 11, 3), date(2026, 11, 20)) == {
        (na, date(2026, 11, 10)),
        (smart, date(2026, 11, 20)),
    }
    assert store.attended_sessions(date(2026, 11, 2), date(2026, 11, 2)) == {
        (na, date(2026, 11, 2))
    }
    assert store.attended_sessions(date(2026, 11, 21), TODAY) == set()

    assert store.groups_attended_since(date(2026, 11, 1)) == {na, smart}
    assert store.groups_attended_since(date(2026, 11, 11)) == {smart}
    assert store.groups_attended_since(date(2026, 11, 20)) == {smart}
    assert store.groups_attended_since(date(2026, 11, 21)) == set()


def test_rating_averages_and_rated_groups(store: Store, two_groups: tuple[int, int]) -> None:
    na, smart = two_groups
    store.add_group(GroupFields(name="Unrated group"))
    store.add_rating(rating(smart, date(2026, 11, 20), 4, 5, 3, 4, 5))  # mean 4.2
    store.add_rating(rating(na, date(2026, 10, 1), 1, 2, 3, 4, 5))  # mean 3.0
    store.add_rating(rating(na, date(2026, 11, 1), 5, 5, 5, 5, 4))  # mean 4.8
    store.add_rating(rating(na, date(2026, 11, 20), 2, 2, 2, 2, 2))  # same day as SMART's

    averages = store.rating_averages()
    assert [(g, name, day) for g, name, day, _ in averages] == [
        (na, "NA Downtown", date(2026, 10, 1)),
        (na, "NA Downtown", date(2026, 11, 1)),
        (smart, "SMART Online", date(2026, 11, 20)),  # added first that day
        (na, "NA Downtown", date(2026, 11, 20)),
    ]
    assert [mean for *_, mean in averages] == pytest.approx([3.0, 4.8, 4.2, 2.0])

    # The averages are exact: NA's three ratings add up to 15 + 24 + 10 = 49 points over 15
    # scores, and 49 / 15 is that fraction rounded once to a float, where averaging the
    # ratings' own means (3.0, 4.8, 2.0, each already rounded) may land an ulp away from it.
    rated = store.rated_groups()
    assert rated == [
        RatedGroup(
            name="NA Downtown",
            pillar="peer",
            tags=("12-step",),
            format="in-person",
            average=49 / 15,
        ),
        RatedGroup(
            name="SMART Online",
            pillar="online",
            tags=("secular",),
            format="online",
            average=21 / 5,
        ),
    ]
    assert rated[0].average == pytest.approx((3.0 + 4.8 + 2.0) / 3, abs=1e-9)


def five_scores(total: int) -> tuple[int, ...]:
    """Five scores from 1 to 5 that add up to ``total`` (5 to 25)."""
    base, extra = divmod(total, 5)
    return tuple(base + 1 if n < extra else base for n in range(5))


@pytest.mark.parametrize(
    ("sums", "boundary"),
    [
        ((5, 19, 23, 23), LEARNED_HIGH),  # 70 points over 20 scores: 3.5
        ((5, 16, 22, 7), LEARNED_LOW),  # 50 over 20: 2.5
    ],
)
def test_an_average_of_exactly_a_threshold_counts_for_the_suggestions(
    store: Store, two_groups: tuple[int, int], sums: tuple[int, ...], boundary: float
) -> None:
    """A group rated exactly 3.5 (or 2.5) on average teaches something, as the suggestions'
    rule says ("3.5 or more", "2.5 or less"). Averaging the ratings' rounded means one by one
    misses these by a hair (3.4999999999999996, 2.5000000000000004), so this needs the exact
    average."""
    na, _smart = two_groups
    for n, total in enumerate(sums):
        store.add_rating(rating(na, date(2026, 10, 1) + timedelta(days=n), *five_scores(total)))
    assert sum(total / 5 for total in sums) / len(sums) != boundary  # rounded one by one
    [rated] = store.rated_groups()
    assert rated.average == boundary

    twelve_step = CatalogueEntry(
        slug="another-12-step",
        name="Another 12-step group",
        pillar="peer",
        approaches=("12-step",),
        audience="both",
        formats=("online",),
        description="A test entry.",
        how_to_find=(),
        search_phrases=(),
        barriers=(),
        website=None,
    )
    [suggestion] = rank_suggestions(
        [twelve_step],
        profile=Profile(),
        groups=[],
        rated=store.rated_groups(),
        feedback={},
        today=TODAY,
        slipping=False,
    )
    weight = LEARNED_APPROACH_PER_POINT * (boundary - LEARNED_MIDPOINT)
    assert suggestion.reasons == (
        Reason(f"12-step, like NA Downtown which you rated {boundary:.1f}", weight),
    )


def test_no_ratings_no_averages(store: Store, two_groups: tuple[int, int]) -> None:
    assert store.rating_averages() == []
    assert store.rated_groups() == []


# --- what the dashboard reads, without reading every row (issue 8) -----------------------------


def test_the_dashboard_reads_through_indexes_not_every_row(
    store: Store, two_groups: tuple[int, int]
) -> None:
    na, smart = two_groups
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor")).id
    for n in range(20):
        went(store, na if n % 2 else smart, TODAY - timedelta(days=4 * n))
        store.add_rating(rating(na, TODAY - timedelta(days=9 * n), 3, 4, 4, 5, 3))
        store.log_contact(ContactFields(person_id=sam, date=TODAY - timedelta(days=3 * n)))
    calls: dict[str, Callable[[], object]] = {
        "meetings_by_week": store.meetings_by_week,
        "groups_attended_since": lambda: store.groups_attended_since(TODAY - timedelta(days=90)),
        "fit_histories": lambda: store.fit_histories([na, smart]),
        "rated_groups": store.rated_groups,
        "support_contacts": lambda: store.support_contacts(("sponsor", "mentor")),
    }
    for name, call in calls.items():
        steps = [step for sql in statements(store, call) for step in plan(store, sql)]
        assert steps, name
        for table in ("attendance", "fit_ratings", "contacts"):
            # A SCAN reads the whole table (or index); a SEARCH only the rows it needs.
            scans = [step for step in steps if f"{step} ".startswith(f"SCAN {table} ")]
            assert scans == [], (name, steps)
    [weekly] = statements(store, store.meetings_by_week)
    assert "attendance_weeks" in weekly and "FROM attendance " not in weekly + " "
    since = statements(store, calls["groups_attended_since"])
    assert any("attendance_by_date" in step for sql in since for step in plan(store, sql))
    # The rated groups and their averages come from the running totals, not the ratings (read
    # afresh here: the call above left them kept in memory, behind a look at the log of changes).
    store.kept.clear()
    [rated] = [sql for sql in statements(store, store.rated_groups) if "FROM changes" not in sql]
    assert "fit_totals" in rated and "fit_ratings" not in rated


fit_days = st.dates(min_value=date(2025, 1, 1), max_value=TODAY)
scores = st.tuples(*[st.integers(1, 5)] * 5)


@given(
    ratings=st.lists(st.tuples(st.integers(0, 3), fit_days, scores), max_size=30),
    asked=st.sets(st.integers(0, 4), max_size=5),
    rated_since=st.none() | fit_days,
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fit_histories_are_what_the_domain_makes_of_every_rating(
    ratings: list[tuple[int, date, tuple[int, ...]]], asked: set[int], rated_since: date | None
) -> None:
    store = open_store(":memory:")
    ids = [store.add_group(GroupFields(name=f"Group {n}")).id for n in range(4)]
    for pick, day, values in ratings:
        store.add_rating(rating(ids[pick], day, *values))
    wanted = {ids[n] for n in asked if n < len(ids)} | ({999} if 4 in asked else set())
    expected = [
        h
        for h in fit_histories(store.rating_averages())
        if h.group_id in wanted and (rated_since is None or h.latest_date >= rated_since)
    ]
    found = sorted(store.fit_histories(wanted, rated_since=rated_since), key=lambda h: h.group_id)
    expected.sort(key=lambda h: h.group_id)
    # The same histories, except that the store's earlier mean is exact: the domain's adds up
    # the ratings' means, each already rounded, so it may be an ulp away.
    assert [dataclasses.replace(h, earlier=None) for h in found] == [
        dataclasses.replace(h, earlier=None) for h in expected
    ]
    for mine, theirs in zip(found, expected, strict=True):
        assert (mine.earlier is None) == (theirs.earlier is None)
        if mine.earlier is not None:
            assert mine.earlier == pytest.approx(theirs.earlier, abs=1e-9)
    # Exact: the points of every rating but the latest (the last in (date, points) order), as
    # one fraction, rounded once.
    for history in found:
        rated = sorted((day, sum(v)) for pick, day, v in ratings if ids[pick] == history.group_id)
        *others, (latest_day, latest_points) = rated
        assert (history.latest_date, history.latest) == (latest_day, latest_points / 5)
        assert history.count == len(rated)
        assert history.earlier == (
            float(Fraction(sum(p for _day, p in others), 5 * len(others))) if others else None
        )
    store.close()


def test_of_two_ratings_on_the_same_day_the_higher_is_the_latest(
    store: Store, two_groups: tuple[int, int]
) -> None:
    na, smart = two_groups
    day = TODAY - timedelta(days=3)
    store.add_rating(rating(na, date(2026, 6, 1), 1, 1, 1, 1, 1))
    store.add_rating(rating(na, day, 5, 5, 5, 5, 4))  # 4.8, then a lower one the same day
    store.add_rating(rating(na, day, 2, 2, 2, 2, 2))  # earlier: (1.0 + 2.0) / 2
    store.add_rating(rating(smart, day, 2, 2, 2, 2, 2))  # the other way round
    store.add_rating(rating(smart, day, 4, 4, 4, 4, 4))
    histories = {h.group_id: h for h in store.fit_histories([na, smart])}
    assert (histories[na].latest, histories[na].earlier, histories[na].count) == (4.8, 1.5, 3)
    assert (histories[smart].latest, histories[smart].earlier) == (4.0, 2.0)
    # Rated on or after the day: both; after it: neither.
    assert len(store.fit_histories([na, smart], rated_since=day)) == 2
    assert store.fit_histories([na, smart], rated_since=day + timedelta(days=1)) == []


def test_support_contacts_are_list_people_narrowed_to_the_roles(store: Store) -> None:
    people = {
        alias: store.add_person(PersonFields(alias=alias, role=role)).id
        for alias, role in [
            ("zoë", "sponsor"),
            ("Amir", "mentor"),
            ("bea", "friend"),
            ("Cal", "peer-coach"),
            ("dee", "sponsor"),
        ]
    }
    for alias, days in [("zoë", [3, 30]), ("Amir", [1]), ("bea", [0]), ("Cal", [9, 2])]:
        for n in days:
            store.log_contact(
                ContactFields(person_id=people[alias], date=TODAY - timedelta(days=n))
            )
    roles = ("sponsor", "mentor", "peer-coach")
    expected = [
        SupportContact(p.alias, p.role, p.last_contact)
        for p in store.list_people()
        if p.role in roles
    ]
    assert store.support_contacts(roles) == expected
    assert [c.alias for c in expected] == ["Amir", "Cal", "dee", "zoë"]  # by alias, no case
    assert expected[1].last_contact == TODAY - timedelta(days=2)
    assert expected[2].last_contact is None
    assert store.support_contacts(()) == []


def test_profile_round_trip(store: Store) -> None:
    assert store.profile == Profile()
    saved = store.set_profile(
        Profile(
            journal_for="Supporting a loved one",
            approaches=("secular", "12-step", "secular"),
            formats=("online",),
            barriers=("transport",),
            asked=True,
        )
    )
    assert saved == Profile(
        journal_for="loved-one",
        approaches=("12-step", "secular"),
        formats=("online",),
        barriers=("transport",),
        asked=True,
    )
    assert store.profile == saved
    assert store.get_setting(PROFILE_KEY) == saved.to_json()


def test_thresholds_round_trip(store: Store) -> None:
    assert store.thresholds == Thresholds()
    saved = store.set_thresholds(Thresholds(baseline_weeks=8, fit_drop=1.257))
    assert saved == Thresholds(baseline_weeks=8, fit_drop=1.26)
    assert store.thresholds == saved
    assert store.get_setting(THRESHOLDS_KEY)["baseline_weeks"] == 8


def test_bad_profile_and_thresholds_are_refused_and_change_nothing(store: Store) -> None:
    store.set_thresholds(Thresholds(missed_weeks=3))
    with pytest.raises(InvalidField) as caught:
        store.set_thresholds(Thresholds(missed_weeks=99))
    assert caught.value.field == "missed_weeks"
    with pytest.raises(InvalidField):
        store.set_profile(Profile(formats=("telepathy",)))
    assert store.thresholds == Thresholds(missed_weeks=3)
    assert store.profile == Profile()


@pytest.mark.parametrize(
    "raw",
    ["not json at all", "[1, 2, 3]", '"a string"', "null", '{"asked": "yes", "formats": 7}'],
)
def test_garbage_settings_read_as_defaults(store: Store, raw: str) -> None:
    for key in (PROFILE_KEY, THRESHOLDS_KEY):
        store.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, raw])
    assert store.profile == Profile()
    assert store.thresholds == Thresholds()


def test_partly_understood_settings_keep_what_they_can(store: Store) -> None:
    store.db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)",
        [
            PROFILE_KEY,
            json.dumps({"journal_for": "me", "formats": ["online", "teleport"], "asked": 1}),
            THRESHOLDS_KEY,
            json.dumps({"score_drop": 20, "meeting_days": 1000, "fit_drop": "0.75"}),
        ],
    )
    assert store.profile == Profile(journal_for="me", formats=("online",))
    assert store.thresholds == Thresholds(score_drop=20, fit_drop=0.75)


# --- suggestion feedback ------------------------------------------------------------------------


def test_dismiss_snooze_and_clear(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    assert store.suggestion_feedback() == {}
    store.dismiss_suggestion("smart-recovery")
    store.snooze_suggestion("advice:volunteer", date(2026, 12, 10))
    assert store.suggestion_feedback() == {
        "smart-recovery": Feedback(slug="smart-recovery", status="dismissed", until=None),
        "advice:volunteer": Feedback(
            slug="advice:volunteer", status="snoozed", until=date(2026, 12, 10)
        ),
    }
    uuid_before = store._scalar(
        "SELECT uuid FROM suggestion_feedback WHERE slug = 'smart-recovery'"
    )

    # Changing one's mind updates the same row.
    store.snooze_suggestion("smart-recovery", date(2026, 11, 27))
    store.dismiss_suggestion("advice:volunteer")
    assert store.suggestion_feedback() == {
        "smart-recovery": Feedback(
            slug="smart-recovery", status="snoozed", until=date(2026, 11, 27)
        ),
        "advice:volunteer": Feedback(slug="advice:volunteer", status="dismissed", until=None),
    }
    assert store._scalar("SELECT count(*) FROM suggestion_feedback") == 2
    assert (
        store._scalar("SELECT uuid FROM suggestion_feedback WHERE slug = 'smart-recovery'")
        == uuid_before
    )

    assert store.clear_suggestion_feedback("smart-recovery") is True
    assert store.clear_suggestion_feedback("smart-recovery") is False
    assert store.clear_suggestion_feedback("never-seen") is False
    assert list(store.suggestion_feedback()) == ["advice:volunteer"]
    store.close()


@pytest.mark.parametrize(
    "slug", ["", "  ", "Smart-Recovery", "-leading-dash", "a b", "x" * 101, "émoji", None, 7]
)
def test_bad_slugs_are_refused(store: Store, slug: Any) -> None:
    for write in (
        lambda: store.dismiss_suggestion(slug),
        lambda: store.snooze_suggestion(slug, date(2026, 12, 1)),
        lambda: store.clear_suggestion_feedback(slug),
    ):
        with pytest.raises(InvalidField) as caught:
            write()
        assert caught.value.field == "slug"
        assert str(caught.value).startswith("slug: ")
    assert store.suggestion_feedback() == {}


def test_the_longest_slug_and_a_trimmed_one_are_accepted(store: Store) -> None:
    longest = "a" * 100
    store.dismiss_suggestion(longest)
    store.dismiss_suggestion("  mara  ")
    assert set(store.suggestion_feedback()) == {longest, "mara"}


def test_a_snooze_must_end_after_today(store: Store) -> None:
    for until in (TODAY, TODAY - timedelta(days=1), "2026-12-01"):
        with pytest.raises(InvalidField) as caught:
            store.snooze_suggestion("mara", until)  # type: ignore[arg-type]
        assert caught.value.field == "until"
    assert store.suggestion_feedback() == {}
    store.snooze_suggestion("mara", TODAY + timedelta(days=1))
    assert store.suggestion_feedback()["mara"].until == date(2026, 11, 27)


# --- export and import --------------------------------------------------------------------------


def fill(store: Store) -> None:
    na = store.add_group(GroupFields(name="NA Downtown")).id
    went(store, na, date(2026, 11, 17))
    store.add_rating(rating(na, date(2026, 11, 17), 4, 4, 4, 4, 4))
    store.excuse_week(ExcusedWeekFields(week=date(2026, 8, 12), reason="travel", note="Lisbon"))
    store.excuse_week(ExcusedWeekFields(week=date(2026, 3, 3), reason="illness"))
    store.dismiss_suggestion("smart-recovery")
    store.snooze_suggestion("advice:volunteer", date(2026, 12, 24))
    store.set_profile(Profile(journal_for="me", formats=("online",), asked=True))
    store.set_thresholds(Thresholds(score_drop=20))


def test_export_includes_the_new_tables_and_round_trips(tmp_path: Path, store: Store) -> None:
    fill(store)
    text = export_json_text(store)
    data = json.loads(text)
    assert data["version"] == FORMAT_VERSION >= 2
    assert [(w["week"], w["reason"], w["note"]) for w in data["excused_weeks"]] == [
        ("2026-03-02", "illness", ""),
        ("2026-08-10", "travel", "Lisbon"),
    ]
    assert [(f["slug"], f["status"], f["until"]) for f in data["suggestion_feedback"]] == [
        ("advice:volunteer", "snoozed", "2026-12-24"),
        ("smart-recovery", "dismissed", None),
    ]
    excused = {w.uuid for w in store.list_excused_weeks()}
    assert {w["uuid"] for w in data["excused_weeks"]} == excused
    assert all("id" not in row for row in data["excused_weeks"] + data["suggestion_feedback"])
    # Profile and thresholds travel with the settings.
    assert data["settings"][PROFILE_KEY] == store.profile.to_json()
    assert data["settings"][THRESHOLDS_KEY] == store.thresholds.to_json()

    target = open_store(tmp_path / "copy.db")
    import_journal(target, json.loads(text))
    assert export_json_text(target) == text
    assert [dataclasses.replace(w, id=0) for w in target.list_excused_weeks()] == [
        dataclasses.replace(w, id=0) for w in store.list_excused_weeks()
    ]
    assert target.suggestion_feedback() == store.suggestion_feedback()
    assert target.profile == store.profile
    assert target.thresholds == store.thresholds
    target.close()


def test_a_version_1_export_still_imports(tmp_path: Path, store: Store) -> None:
    na = store.add_group(GroupFields(name="NA Downtown")).id
    went(store, na, date(2026, 11, 17))
    store.set_weekly_goal(2)
    data = export_journal(store)
    del data["excused_weeks"], data["suggestion_feedback"]
    data["version"] = 1
    check_export(data)

    target = open_store(tmp_path / "v1.db")
    counts = import_journal(target, data)
    assert counts["groups"] == counts["attendance"] == 1
    assert target.list_excused_weeks() == []
    assert target.suggestion_feedback() == {}
    assert target.weekly_goal == 2
    assert json.loads(export_json_text(target)) == {
        **data,
        "version": FORMAT_VERSION,
        "excused_weeks": [],
        "suggestion_feedback": [],
    }
    target.close()


def test_a_version_2_export_must_have_the_new_tables(store: Store) -> None:
    fill(store)
    for table in ("excused_weeks", "suggestion_feedback"):
        data = export_journal(store)
        del data[table]
        with pytest.raises(ImportRefused, match="the top level") as caught:
            check_export(data, "b.json")
        assert table in str(caught.value)


def test_replace_clears_the_new_tables_too(tmp_path: Path, store: Store) -> None:
    fill(store)
    other = open_store(tmp_path / "other.db")
    other.add_group(GroupFields(name="Yoga"))
    other.excuse_week(ExcusedWeekFields(week=date(2026, 1, 5)))
    other.dismiss_suggestion("mara")
    import_journal(other, export_journal(store), replace=True)
    assert export_json_text(other) == export_json_text(store)
    assert date(2026, 1, 5) not in other.excused_week_starts()
    assert "mara" not in other.suggestion_feedback()
    other.close()


def test_without_replace_they_merge_like_settings(tmp_path: Path, store: Store) -> None:
    """Excused weeks and feedback don't make a journal non-empty; the file wins per week/slug."""
    fill(store)
    target = open_store(tmp_path / "t.db")
    target.excuse_week(ExcusedWeekFields(week=date(2026, 3, 4), reason="other", note="mine"))
    target.excuse_week(ExcusedWeekFields(week=date(2026, 1, 5)))
    target.snooze_suggestion("smart-recovery", date(2026, 12, 1))
    target.dismiss_suggestion("mara")
    assert target.is_empty()

    import_journal(target, export_journal(store))
    weeks = {w.week: (w.reason, w.note) for w in target.list_excused_weeks()}
    assert weeks == {
        date(2026, 8, 10): ("travel", "Lisbon"),
        date(2026, 3, 2): ("illness", ""),  # the file's
        date(2026, 1, 5): ("other", ""),  # kept
    }
    feedback = target.suggestion_feedback()
    assert feedback["smart-recovery"].status == "dismissed"  # the file's
    assert feedback["mara"].status == "dismissed"  # kept
    assert len(feedback) == 3
    target.close()


def _bad(data: dict[str, Any], table: str, **change: Any) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    broken[table][-1].update(change)
    return broken


@pytest.mark.parametrize(
    ("table", "change", "words"),
    [
        ("excused_weeks", {"week": "2026-08-12"}, "not a Monday"),
        ("excused_weeks", {"week": "2026-02-30"}, "not a real date"),
        ("excused_weeks", {"week": "2027-06-07"}, "weeks ahead"),
        ("excused_weeks", {"reason": "holiday"}, "reason"),
        ("excused_weeks", {"note": "x" * 501}, "500"),
        ("suggestion_feedback", {"slug": "Not A Slug"}, "slug"),
        ("suggestion_feedback", {"slug": " smart-recovery"}, "slug"),
        ("suggestion_feedback", {"status": "hidden"}, "status"),
        ("suggestion_feedback", {"status": "dismissed", "until": "2026-12-01"}, "until"),
        ("suggestion_feedback", {"status": "snoozed", "until": None}, "until"),
    ],
)
def test_a_bad_new_row_refuses_the_whole_import(
    tmp_path: Path, store: Store, table: str, change: dict[str, Any], words: str
) -> None:
    fill(store)
    broken = _bad(export_journal(store), table, **change)
    check_export(broken)  # the shape is fine; the importer must find the problem
    target = open_store(tmp_path / "t.db")
    target.dismiss_suggestion("kept")
    before = export_json_text(target)
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, broken, source="b.json")
    message = str(caught.value)
    assert message.startswith("b.json was not imported: ")
    assert f"{table.replace('_', ' ')} entry 2" in message
    assert words in message
    assert export_json_text(target) == before
    target.close()


def test_duplicate_weeks_in_a_file_are_refused(tmp_path: Path, store: Store) -> None:
    fill(store)
    data = export_journal(store)
    data["excused_weeks"][1]["week"] = data["excused_weeks"][0]["week"]
    target = open_store(tmp_path / "t.db")
    with pytest.raises(ImportRefused, match="excused weeks entry 2"):
        import_journal(target, data)
    assert target.list_excused_weeks() == []
    assert target.is_empty()
    target.close()


def test_a_failed_write_is_a_sentence(store: Store) -> None:
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(TrackerError, match="nothing was saved"):
        store.excuse_week(ExcusedWeekFields(week=TODAY))
    with pytest.raises(TrackerError, match="nothing was saved"):
        store.dismiss_suggestion("mara")
    store.db.execute("PRAGMA query_only = OFF")
    assert store.excused_week_starts() == set()


# --- goal changes --------------------------------------------------------------------------------


def test_a_new_goal_applies_from_its_week_and_earlier_weeks_keep_theirs(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "goals.db", clock=Clock.fixed(TODAY))
    assert store.goal_changes == []
    # Before anything is logged, a goal applies from the start (the first-run questions).
    store.set_weekly_goal(3)
    assert store.goal_changes == [(date(1900, 1, 1), 3)]
    store.set_weekly_goal(1)
    group = store.add_group(GroupFields(name="NA Downtown"))
    store.log_attendance(AttendanceFields(group_id=group.id, date=date(2025, 3, 4)))
    store.set_weekly_goal(2, since=date(2026, 1, 7))  # a Wednesday: from Mon 5 Jan
    assert store.goal_changes == [(date(1900, 1, 1), 1), (date(2026, 1, 5), 2)]
    store.set_weekly_goal(3)  # this week
    store.set_weekly_goal(4)  # changed again the same week: replaces it
    assert store.goal_changes == [
        (date(1900, 1, 1), 1),
        (date(2026, 1, 5), 2),
        (date(2026, 11, 23), 4),
    ]
    store.set_weekly_goal(2)  # back to the goal before: the two stretches join up
    assert store.goal_changes == [(date(1900, 1, 1), 1), (date(2026, 1, 5), 2)]
    assert store.weekly_goal == 2
    # A goal set from an earlier week replaces what came after it.
    store.set_weekly_goal(1, since=date(2025, 6, 2))
    assert store.goal_changes == [(date(1900, 1, 1), 1)]
    # Weeks before the first meeting logged are no one's: a goal from then applies throughout.
    store.set_weekly_goal(2, since=date(2025, 3, 3))
    assert store.goal_changes == [(date(1900, 1, 1), 2)]


def test_goal_changes_read_forgivingly(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "odd.db", clock=Clock.fixed(TODAY))
    store.set_setting(
        "goal_changes",
        [
            {"from": "2026-02-04", "goal": 2},
            {"from": "not a day", "goal": 2},
            {"from": "2026-03-02", "goal": 99},
            {"from": "2026-03-09", "goal": True},
            "junk",
            {"from": "2026-01-05", "goal": 1},
        ],
    )
    assert store.goal_changes == [(date(2026, 1, 5), 1), (date(2026, 2, 2), 2)]
    store.set_setting("goal_changes", {"not": "a list"})
    assert store.goal_changes == []
    store.db.execute("UPDATE settings SET value = '{oops' WHERE key = 'goal_changes'")
    assert store.goal_changes == []

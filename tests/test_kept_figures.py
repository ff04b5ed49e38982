"""Figures kept in memory between refreshes (issue 8, "Speed"), and the log of changes (schema
m008) that says when, and from which week, they must be worked out again:
- the strength score, the runs and the windows (``insights.consistency_of``), kept as the
  settled weeks of the journal;
- the groups and the rated groups (``Store.list_groups``, ``Store.rated_groups``).

Every test compares what is kept with the same figures worked out afresh (``store.kept``
cleared, so nothing is kept), after writes made by this window, by another one and by a write
that is rolled back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqltrace import statements

from tracker.clock import Clock
from tracker.domain.engagement import Consistency
from tracker.domain.models import (
    AttendanceFields,
    ExcusedWeekFields,
    FitFields,
    Group,
    GroupFields,
)
from tracker.insights import consistency_of, gather
from tracker.store import Store, schema

TODAY = date(2026, 11, 26)  # a Thursday
MONDAY = date(2026, 11, 23)  # its week's Monday
FIRST = date(2025, 1, 6)


class MovableClock:
    """A clock source whose day a test can move, forwards or back."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 12, tzinfo=UTC)


def open_store(path: Path, clock: Clock | None = None) -> Store:
    return Store.open(path, clock=clock or Clock.fixed(TODAY))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


def went(store: Store, group_id: int, day: date, *, attended: bool = True) -> int:
    fields = AttendanceFields(group_id=group_id, date=day, attended=attended)
    return store.log_attendance(fields).id


def afresh(store: Store, call: Callable[[Store], Any]) -> Any:
    """``call(store)`` with nothing kept: every figure worked out from the journal."""
    kept = dict(store.kept)
    store.kept.clear()
    try:
        return call(store)
    finally:
        store.kept.clear()
        store.kept.update(kept)


def same_as_afresh(store: Store) -> Consistency:
    kept = consistency_of(store)
    fresh = afresh(store, consistency_of)
    assert kept == fresh
    assert kept.runs == fresh.runs
    assert kept.settled() == fresh.settled()
    return kept


def rate(store: Store, group_id: int, score: int) -> None:
    """A fit rating today, the same score on all five."""
    fields = dict.fromkeys(("welcome", "relevance", "format_comfort", "practical"), score)
    store.add_rating(FitFields(group_id=group_id, date=TODAY, would_return=score, **fields))


def a_year_of_meetings(store: Store) -> int:
    group = store.add_group(GroupFields(name="NA Downtown")).id
    day = FIRST
    while day <= TODAY:
        if day.toordinal() % 3:
            went(store, group, day)
        day += timedelta(days=4)
    return group


# --- the log of changes ---------------------------------------------------------------------------


def test_the_log_names_each_area_and_the_week_of_each_change(store: Store) -> None:
    start = store.changes(0)
    assert start == (0, frozenset(), None, True)
    group = store.add_group(GroupFields(name="NA Downtown")).id
    after_group = store.changes(start.serial)
    assert after_group.areas == {"groups"} and after_group.earliest is None
    entry = went(store, group, TODAY)
    went(store, group, TODAY - timedelta(weeks=3))
    logged = store.changes(after_group.serial)
    assert logged.areas == {"weeks"} and logged.earliest == MONDAY - timedelta(weeks=3)
    # A missed meeting is not in the weekly totals: nothing of the weeks changed.
    went(store, group, TODAY - timedelta(weeks=9), attended=False)
    assert store.changes(logged.serial).areas == frozenset()
    # Moving a meeting logs both weeks; the earlier one is the one that counts.
    moved = AttendanceFields(group_id=group, date=TODAY - timedelta(weeks=20))
    store.update_attendance(entry, moved)
    assert store.changes(logged.serial).earliest == MONDAY - timedelta(weeks=20)
    rate(store, group, 4)
    assert store.changes(logged.serial).areas == {"weeks", "ratings"}
    store.excuse_week(ExcusedWeekFields(week=TODAY))  # compared by value, not logged
    latest = store.changes(0)
    assert store.changes(latest.serial) == (latest.serial, frozenset(), None, True)


def test_the_log_keeps_its_last_entries_and_says_when_some_are_gone(store: Store) -> None:
    group = store.add_group(GroupFields(name="NA Downtown")).id
    seen = store.changes(0).serial
    with store.atomic():
        for n in range(schema.CHANGES_KEPT + 5):
            went(store, group, FIRST + timedelta(weeks=n % 80))
    entries = store.db.execute("SELECT count(*), max(serial) FROM changes").fetchone()
    assert entries == (schema.CHANGES_KEPT, seen + schema.CHANGES_KEPT + 5)
    assert store.changes(seen).complete is False
    latest = store.changes(seen).serial
    assert store.changes(latest - schema.CHANGES_KEPT + 1).complete
    assert store.changes(latest).complete
    # A serial from another journal (higher than any here) is not taken on trust.
    assert store.changes(latest + 10).complete is False


def test_a_new_journal_has_an_empty_log(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    try:
        assert store.changes(0) == (0, frozenset(), None, True)
        assert store.changes(5).complete is False
    finally:
        store.close()


# --- the strength score, runs and windows ---------------------------------------------------------


def test_after_a_meeting_this_week_only_this_week_is_read_again(store: Store) -> None:
    group = a_year_of_meetings(store)
    first = consistency_of(store)
    went(store, group, TODAY)
    reads = statements(store, lambda: consistency_of(store))
    weekly = [sql for sql in reads if "FROM attendance_weeks" in sql]
    assert weekly == [
        "SELECT week, attended FROM attendance_weeks WHERE week >= "
        f"'{MONDAY.isoformat()}' ORDER BY week"
    ]
    after = same_as_afresh(store)
    assert after.weeks[-1].meetings == first.weeks[-1].meetings + 1
    # Nothing kept at all: every week is read.
    reads = statements(store, lambda: afresh(store, consistency_of))
    assert "SELECT week, attended FROM attendance_weeks ORDER BY week" in reads


def test_an_old_meeting_logged_later_is_counted_from_its_week_on(store: Store) -> None:
    group = a_year_of_meetings(store)
    consistency_of(store)
    old = FIRST + timedelta(weeks=10, days=2)
    went(store, group, old)
    reads = statements(store, lambda: consistency_of(store))
    weekly = [sql for sql in reads if "FROM attendance_weeks" in sql]
    assert weekly == [
        "SELECT week, attended FROM attendance_weeks WHERE week >= "
        f"'{(FIRST + timedelta(weeks=10)).isoformat()}' ORDER BY week"
    ]
    same_as_afresh(store)


def test_excused_weeks_goal_changes_and_a_new_first_day_are_seen(store: Store) -> None:
    group = a_year_of_meetings(store)
    same_as_afresh(store)
    store.excuse_week(ExcusedWeekFields(week=FIRST + timedelta(weeks=30), reason="illness"))
    excused = same_as_afresh(store)
    assert any(w.excused for w in excused.weeks)
    store.unexcuse_week(FIRST + timedelta(weeks=30))
    assert not any(w.excused for w in same_as_afresh(store).weeks)
    store.set_weekly_goal(3, since=TODAY - timedelta(weeks=8))
    assert same_as_afresh(store).weeks[-1].goal == 3
    store.set_weekly_goal(2, since=TODAY - timedelta(weeks=4))
    assert same_as_afresh(store).weeks[-1].goal == 2
    # A missed meeting before the first one moves the journal's first day back.
    went(store, group, FIRST - timedelta(weeks=5), attended=False)
    earlier = same_as_afresh(store)
    assert earlier.weeks[0].start == FIRST - timedelta(weeks=5)


def test_another_window_writing_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    mine, theirs = open_store(path), open_store(path)
    try:
        group = a_year_of_meetings(mine)
        before = same_as_afresh(mine)
        went(theirs, group, FIRST + timedelta(weeks=2, days=1))
        went(theirs, group, TODAY)
        after = same_as_afresh(mine)
        assert after != before
        assert after.weeks[2].meetings == before.weeks[2].meetings + 1
    finally:
        mine.close()
        theirs.close()


def test_nothing_is_kept_from_a_write_that_is_rolled_back(store: Store) -> None:
    group = a_year_of_meetings(store)
    before = consistency_of(store)
    groups_before = store.list_groups()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), store.atomic():
        went(store, group, FIRST + timedelta(weeks=3, days=1))
        store.add_group(GroupFields(name="SMART Online"))
        inside = consistency_of(store)
        assert inside != before
        assert len(store.list_groups()) == 2
        raise Undo
    # The next changes after the rollback take the same serials the rolled-back ones had: had
    # the figures from inside the write been kept, they would now pass for up to date.
    went(store, group, FIRST + timedelta(weeks=7))
    store.add_group(GroupFields(name="Refuge Recovery"))
    after = same_as_afresh(store)
    assert after.weeks[3].meetings == before.weeks[3].meetings
    assert after.weeks[7].meetings == before.weeks[7].meetings + 1
    assert [g.name for g in store.list_groups()] == ["NA Downtown", "Refuge Recovery"]
    assert len(groups_before) == 1


def test_a_clock_moved_back_or_on_is_followed(tmp_path: Path) -> None:
    moment = MovableClock(TODAY)
    store = open_store(tmp_path / "journal.db", Clock(now=moment))
    try:
        a_year_of_meetings(store)
        same_as_afresh(store)
        moment.day = TODAY - timedelta(weeks=6)
        back = same_as_afresh(store)
        assert back.weeks[-1].start == MONDAY - timedelta(weeks=6) and back.weeks[-1].current
        moment.day = TODAY + timedelta(weeks=3)
        on = same_as_afresh(store)
        assert on.weeks[-1].start == MONDAY + timedelta(weeks=3)
    finally:
        store.close()


def test_a_damaged_log_is_worked_around_by_starting_again(store: Store) -> None:
    """A hand edit that empties the log: the serials seem to go back, so nothing kept is
    trusted."""
    group = a_year_of_meetings(store)
    consistency_of(store)
    store.db.execute("DELETE FROM changes")
    store.db.conn.commit()
    went(store, group, FIRST + timedelta(days=1))
    same_as_afresh(store)


day_offsets = st.integers(-40, (TODAY - FIRST).days + 2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("log"), day_offsets, st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 1000), st.booleans()),
        st.tuples(st.just("move"), st.integers(0, 1000), day_offsets),
        st.tuples(st.just("excuse"), day_offsets, st.booleans()),
        st.tuples(st.just("goal"), st.integers(1, 4), st.integers(0, 60)),
        st.tuples(st.just("clock"), st.integers(-20, 20), st.booleans()),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_kept_figures_always_match_figures_worked_out_afresh(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[Any, Any, Any]]
) -> None:
    moment = MovableClock(TODAY)
    path = tmp_path_factory.mktemp("kept") / "journal.db"
    store = open_store(path, Clock(now=moment))
    other = open_store(path, Clock(now=moment))  # another window, writing now and then
    try:
        group = store.add_group(GroupFields(name="NA Downtown")).id
        for n in range(0, 300, 9):
            went(store, group, FIRST + timedelta(days=n))
        same_as_afresh(store)

        def day(offset: int) -> date:
            """A day of the journal, never after the clock's today."""
            return min(FIRST + timedelta(days=offset), moment.day)

        for n, (kind, a, b) in enumerate(steps):
            writer = other if n % 3 == 2 else store
            entries = [row[0] for row in writer.db.execute("SELECT id FROM attendance")]
            if kind == "log":
                went(writer, group, day(a), attended=b)
            elif kind == "delete" and entries:
                writer.delete_attendance(entries[a % len(entries)])
            elif kind == "move" and entries:
                entry = entries[a % len(entries)]
                old = writer.db.execute(
                    "SELECT attended FROM attendance WHERE id = ?", [entry]
                ).fetchone()[0]
                moved = AttendanceFields(group_id=group, date=day(b), attended=bool(old))
                writer.update_attendance(entry, moved)
            elif kind == "excuse":
                week = day(a)
                if b:
                    writer.excuse_week(ExcusedWeekFields(week=week))
                else:
                    writer.unexcuse_week(week)
            elif kind == "goal":
                writer.set_weekly_goal(a, since=moment.day - timedelta(weeks=b))
            elif kind == "clock":
                moment.day = TODAY + timedelta(weeks=a)
            same_as_afresh(store)
    finally:
        store.close()
        other.close()


# --- the groups and the rated groups --------------------------------------------------------------


def test_groups_are_read_again_only_when_a_group_changes(store: Store) -> None:
    na = store.add_group(GroupFields(name="NA Downtown")).id
    assert [g.name for g in store.list_groups()] == ["NA Downtown"]
    again = statements(store, store.list_groups)
    assert [sql for sql in again if "FROM groups" in sql] == []
    # Logging a meeting changes no group.
    went(store, na, TODAY)
    assert [sql for sql in statements(store, store.list_groups) if "FROM groups" in sql] == []
    store.add_group(GroupFields(name="SMART Online", pillar="online", format="online"))
    names = [g.name for g in store.list_groups()]
    assert names == ["NA Downtown", "SMART Online"]
    store.update_group(na, GroupFields(name="NA Old Town", status="home-group"))
    first = store.list_groups()[0]
    assert (first.name, first.status) == ("NA Old Town", "home-group")
    assert store.list_groups() == afresh(store, lambda s: s.list_groups())
    # The two ways of asking are kept apart.
    store.update_group(na, GroupFields(name="NA Old Town", status="not-for-me"))
    assert [g.name for g in store.list_groups(include_not_for_me=False)] == ["SMART Online"]
    assert len(store.list_groups()) == 2
    quiet = store.add_group(GroupFields(name="Zed Online")).id
    assert len(store.list_groups()) == 3
    store.delete_group(quiet)
    assert [g.name for g in store.list_groups()] == ["NA Old Town", "SMART Online"]
    # What is handed out is a new list each time: changing it changes nothing kept.
    handed = store.list_groups()
    handed.clear()
    assert len(store.list_groups()) == 2


def test_kept_groups_are_the_groups_read_the_slow_way(store: Store) -> None:
    def slow_way(row: dict[str, Any]) -> Group:
        """The group through its own constructor, from the row as SQLite holds it."""
        tags = tuple(json.loads(row["tags"] or "[]"))
        return Group(**{**row, "tags": tags, "note_shared": bool(row["note_shared"])})

    store.add_group(GroupFields(name="A", tags=("12-step", "secular"), notes="[bold]x[/]"))
    store.add_group(GroupFields(name="B", schedule=None, catalogue_slug="smart-recovery"))
    store.add_group(GroupFields(name="C", tags=("12-step", "secular"), note_shared=True))
    slow = [slow_way(row) for row in store.db.query("SELECT * FROM groups ORDER BY name")]
    fast = store.list_groups()
    assert fast == slow
    assert [repr(g) for g in fast] == [repr(g) for g in slow]
    assert [vars(g) for g in fast] == [vars(g) for g in slow]
    assert all(type(g.note_shared) is bool and type(g.tags) is tuple for g in fast)
    assert [store.get_group(g.id) for g in slow] == slow


def test_rated_groups_follow_ratings_and_groups_from_any_window(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    mine, theirs = open_store(path), open_store(path)
    try:
        na = mine.add_group(GroupFields(name="NA Downtown")).id
        assert mine.rated_groups() == []
        rate(theirs, na, 4)
        assert [(g.name, g.average) for g in mine.rated_groups()] == [("NA Downtown", 4.0)]
        rate(theirs, na, 2)
        assert [g.average for g in mine.rated_groups()] == [3.0]
        theirs.update_group(na, GroupFields(name="NA Old Town"))
        assert [g.name for g in mine.rated_groups()] == ["NA Old Town"]
        assert [g.name for g in mine.list_groups()] == ["NA Old Town"]
        assert mine.rated_groups() == afresh(mine, lambda s: s.rated_groups())
    finally:
        mine.close()
        theirs.close()


def test_gather_is_the_same_kept_or_afresh(store: Store) -> None:
    group = a_year_of_meetings(store)
    first = gather(store)
    assert first == afresh(store, gather)
    went(store, group, TODAY - timedelta(days=1))
    store.add_group(GroupFields(name="SMART Online", pillar="online", format="online"))
    assert gather(store) == afresh(store, gather)


def test_a_journal_from_before_the_log_gets_one(tmp_path: Path) -> None:
    """A journal at schema 7 gets the log when it is opened, empty: its first figures are
    worked out from every week, and it logs what changes from then on."""
    path = tmp_path / "old.db"
    fixture = Path(__file__).parent / "fixtures" / "schemas" / "v7.db"
    path.write_bytes(fixture.read_bytes())
    store = open_store(path)
    try:
        assert store.changes(0) == (0, frozenset(), None, True)
        same_as_afresh(store)
        group = store.list_groups()[0].id
        went(store, group, date(2026, 1, 20))
        assert store.changes(0).earliest == date(2026, 1, 19)
        same_as_afresh(store)
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        triggers = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'changes%'"
            )
        }
    conn.close()
    assert len(triggers) == 10

"""Meeting directories in the journal file: importing parsed feeds, browsing, linking to groups.

Feeds are built here as ParsedFeed/FeedMeeting values (the feed reader is tested on its own).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.clock import Clock
from tracker.domain.models import AttendanceFields, GroupFields
from tracker.errors import InvalidField, NotFound, TrackerError
from tracker.meetings.model import ATTENDANCE, FeedMeeting, ParsedFeed, Skipped
from tracker.store import Store, schema
from tracker.store import meetings as store_meetings
from tracker.store.doctor import examine
from tracker.store.meetings import DirectoryMeeting
from tracker.store.transfer import export_journal, export_json_text, import_journal

TODAY = date(2026, 11, 26)  # a Thursday
LATER = date(2026, 12, 10)
FIXTURES = Path(__file__).parent / "fixtures" / "schemas"
FEED_FIELDS = [f.name for f in dataclasses.fields(FeedMeeting)]


def open_store(path: Path | str, today: date = TODAY) -> Store:
    return Store.open(path, clock=Clock.fixed(today))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


def meeting(slug: str, **values: Any) -> FeedMeeting:
    defaults: dict[str, Any] = {"name": f"Meeting {slug}", "days": (2,), "time": "19:00"}
    return FeedMeeting(slug=slug, **(defaults | values))


def feed(*meetings: FeedMeeting, **values: Any) -> ParsedFeed:
    values.setdefault("records", len(meetings))
    values.setdefault("format", "meeting-guide")
    return ParsedFeed(meetings=meetings, **values)


def as_feed_meeting(found: DirectoryMeeting) -> FeedMeeting:
    return FeedMeeting(**{name: getattr(found, name) for name in FEED_FIELDS})


def listed(store: Store, source: str | None = None) -> dict[str, DirectoryMeeting]:
    """The directory's meetings (gone ones too) by slug, of one source or of the only one."""
    found = [m for m in store.directory() if source is None or m.source == source]
    by_slug = {m.slug: m for m in found}
    assert len(by_slug) == len(found)
    return by_slug


def raw_state(store: Store) -> tuple[list[Any], list[Any], list[Any]]:
    """Every row of the two directory tables and of groups, straight from SQL."""
    db = store.db
    return (
        db.execute("SELECT * FROM meeting_sources ORDER BY id").fetchall(),
        db.execute("SELECT * FROM meetings ORDER BY id").fetchall(),
        db.execute("SELECT id, name FROM groups ORDER BY id").fetchall(),
    )


def link(store: Store, meeting_id: int, name: str) -> int:
    return store.add_meeting_to_groups(meeting_id, GroupFields(name=name)).id


# --- importing ----------------------------------------------------------------------------------


def test_an_import_creates_the_source_and_its_meetings(store: Store) -> None:
    parsed = feed(
        meeting("tue-night", name="Tuesday Night", days=(2,), time="19:30", end_time="20:30"),
        meeting("sun-online", name="Sunday Online", days=(0,), attendance="online"),
        records=4,
        skipped=(Skipped(3, "no-day", "no day or time"), Skipped(4, "", "no name")),
        normalised=Counter({"a time written as 7:30 PM": 2}),
        off_spec=Counter({"types": 1}),
    )
    result = store.import_meetings(parsed, name="  Sussex AA ", location="/tmp/sussex.json")

    assert result.created
    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert (result.gone, result.removed, result.returned) == (0, 0, 0)
    source = result.source
    assert source.name == "Sussex AA"  # trimmed
    assert source.location == "/tmp/sussex.json"
    assert source.format == "meeting-guide"
    assert source.imported_at == store.clock.timestamp()
    assert (source.meetings, source.gone) == (2, 0)
    assert source.report["records"] == 4
    assert source.report["skipped"] == [
        {"position": 3, "slug": "no-day", "reason": "no day or time"},
        {"position": 4, "slug": "", "reason": "no name"},
    ]
    assert source.report["normalised"] == {"a time written as 7:30 PM": 2}
    assert source.report["off_spec"] == {"types": 1}
    assert store.meeting_sources() == [source]
    assert store.get_meeting_source("sussex aa") == source

    found = listed(store)
    assert {slug: as_feed_meeting(m) for slug, m in found.items()} == {
        m.slug: m for m in parsed.meetings
    }
    assert {m.source for m in found.values()} == {"Sussex AA"}
    assert {m.source_id for m in found.values()} == {source.id}
    assert store.directory_count() == 2
    assert store.is_empty()  # public lists are not journal entries


def test_a_reimport_updates_by_slug_without_duplicates(store: Store) -> None:
    first = store.import_meetings(
        feed(meeting("a"), meeting("b"), meeting("c")), name="Area", location="first.json"
    )
    before = listed(store)
    result = store.import_meetings(
        feed(
            meeting("b", name="Meeting b, moved", address="2 New Road"),
            meeting("c"),
            meeting("d"),
            format="bmlt",
        ),
        name="AREA",
        location="second.json",
    )

    assert not result.created
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert (result.gone, result.removed, result.returned) == (0, 1, 0)
    assert result.source.id == first.source.id
    assert result.source.name == "Area"  # the name as first given
    assert (result.source.location, result.source.format) == ("second.json", "bmlt")
    assert result.source.report["records"] == 3
    after = listed(store)
    assert sorted(after) == ["b", "c", "d"]
    assert after["b"].name == "Meeting b, moved"
    assert after["b"].address == "2 New Road"
    assert after["b"].id == before["b"].id  # updated in place
    assert after["c"] == before["c"]
    assert [s.name for s in store.meeting_sources()] == ["Area"]


def test_unchanged_meetings_are_not_rewritten(store: Store) -> None:
    store.import_meetings(feed(*(meeting(f"m{i}") for i in range(5))), name="A", location="x")
    store.db.execute("CREATE TEMP TABLE writes (id INTEGER)")
    store.db.execute(
        "CREATE TEMP TRIGGER count_writes AFTER UPDATE ON main.meetings "
        "BEGIN INSERT INTO writes VALUES (NEW.id); END"
    )
    ids = {m.slug: m.id for m in store.directory()}
    again = feed(*(meeting(f"m{i}") for i in range(5) if i != 3), meeting("m3", time="20:00"))

    result = store.import_meetings(again, name="A", location="x")

    assert (result.updated, result.unchanged) == (1, 4)
    assert [row[0] for row in store.db.execute("SELECT id FROM writes")] == [ids["m3"]]


def test_the_existing_rows_are_read_once_however_long_the_feed(store: Store) -> None:
    def selects(size: int, name: str) -> int:
        statements: list[str] = []
        store.db.conn.set_trace_callback(statements.append)
        try:
            store.import_meetings(
                feed(*(meeting(f"m{i}") for i in range(size))), name=name, location="x"
            )
            store.import_meetings(
                feed(*(meeting(f"m{i}", time="08:00") for i in range(size))),
                name=name,
                location="x",
            )
        finally:
            store.db.conn.set_trace_callback(None)
        return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))

    assert selects(3, "Small") == selects(300, "Large")


def test_meetings_that_left_the_feed_are_kept_only_if_in_my_groups(store: Store) -> None:
    store.import_meetings(feed(meeting("a"), meeting("b"), meeting("c")), name="L", location="x")
    found = listed(store)
    group_id = link(store, found["a"].id, "Tuesday group")

    result = store.import_meetings(feed(meeting("c")), name="L", location="x")

    assert (result.gone, result.removed) == (1, 1)
    assert (result.source.meetings, result.source.gone) == (1, 1)
    now = listed(store)
    assert sorted(now) == ["a", "c"]
    assert now["a"].gone_since == TODAY
    assert now["a"].group_id == group_id
    assert now["c"].gone_since is None
    assert [m.slug for m in store.directory(include_gone=False)] == ["c"]
    assert store.directory_count() == 2
    assert store.get_group(group_id).name == "Tuesday group"

    # Still gone at the next import: not counted again, and the day it went is kept.
    store.clock = Clock.fixed(LATER)
    again = store.import_meetings(feed(meeting("c")), name="L", location="x")
    assert (again.gone, again.removed) == (0, 0)
    assert listed(store)["a"].gone_since == TODAY


@pytest.mark.parametrize("changed", [False, True])
def test_a_gone_meeting_listed_again_returns(store: Store, changed: bool) -> None:
    store.import_meetings(feed(meeting("a"), meeting("b")), name="L", location="x")
    a_id = listed(store)["a"].id
    link(store, a_id, "My group")
    store.import_meetings(feed(meeting("b")), name="L", location="x")
    assert listed(store)["a"].gone_since == TODAY

    back = meeting("a", time="18:00") if changed else meeting("a")
    result = store.import_meetings(feed(back, meeting("b")), name="L", location="x")

    assert result.returned == 1
    assert (result.updated, result.unchanged) == ((1, 1) if changed else (0, 2))
    a = listed(store)["a"]
    assert a.id == a_id
    assert a.gone_since is None
    assert a.time == back.time
    assert (result.source.meetings, result.source.gone) == (2, 0)


def test_two_sources_with_the_same_slug_do_not_collide(store: Store) -> None:
    store.import_meetings(feed(meeting("tuesday", name="North Tuesday")), name="N", location="x")
    store.import_meetings(feed(meeting("tuesday", name="South Tuesday")), name="S", location="y")
    store.import_meetings(feed(meeting("tuesday", name="North, new")), name="n", location="x")

    assert listed(store, "N")["tuesday"].name == "North, new"
    assert listed(store, "S")["tuesday"].name == "South Tuesday"
    assert [(s.name, s.meetings) for s in store.meeting_sources()] == [("N", 1), ("S", 1)]


def test_a_slug_listed_twice_in_one_feed_keeps_the_later_record(store: Store) -> None:
    result = store.import_meetings(
        feed(meeting("x", name="First"), meeting("x", name="Second")), name="L", location="x"
    )
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    assert [m.name for m in store.directory()] == ["Second"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "Sussex\nAA", "Sussex\x1b[31m"])
def test_the_source_name_is_checked(store: Store, name: str) -> None:
    with pytest.raises(InvalidField) as raised:
        store.import_meetings(feed(meeting("a")), name=name, location="x")
    assert raised.value.field == "name"
    assert store.meeting_sources() == []
    assert store.directory_count() == 0


def test_a_meeting_the_feed_reader_got_wrong_is_refused_whole(store: Store) -> None:
    store.import_meetings(feed(meeting("a")), name="L", location="x")
    before = raw_state(store)
    bad = meeting("b", days=(7,))
    with pytest.raises(TrackerError, match=r"meeting 2 \('b'\).*Nothing was changed"):
        store.import_meetings(feed(meeting("c"), bad), name="L", location="y")
    assert raw_state(store) == before


# --- one transaction ----------------------------------------------------------------------------


def _fail_at_the_third_new_meeting(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.db.execute(
        "CREATE TEMP TRIGGER boom AFTER INSERT ON main.meetings WHEN NEW.slug = 'new-3' "
        "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    )


def _fail_after_every_meeting_is_written(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def power_cut(*args: Any) -> str:
        raise OSError("power cut")

    monkeypatch.setattr(store_meetings, "_report", power_cut)


@pytest.mark.parametrize(
    "fail", [_fail_at_the_third_new_meeting, _fail_after_every_meeting_is_written]
)
def test_a_failed_import_changes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch, fail: Any
) -> None:
    store.import_meetings(
        feed(meeting("keep"), meeting("change"), meeting("drop"), meeting("linked")),
        name="L",
        location="first.json",
    )
    link(store, listed(store)["linked"].id, "Linked group")
    before = raw_state(store)
    fail(store, monkeypatch)

    update = feed(
        meeting("keep"),
        meeting("change", name="Changed"),
        *(meeting(f"new-{i}") for i in range(1, 6)),
    )
    with pytest.raises((TrackerError, OSError)):
        store.import_meetings(update, name="L", location="second.json")
    with pytest.raises((TrackerError, OSError)):
        store.import_meetings(update, name="Brand new", location="third.json")

    assert raw_state(store) == before
    assert not store.db.conn.in_transaction


# --- sources ------------------------------------------------------------------------------------


def test_sources_are_listed_by_name_and_found_ignoring_case(store: Store) -> None:
    for name in ("sussex", "Atlanta", "Boston"):
        store.import_meetings(feed(meeting("a")), name=name, location=f"{name}.json")
    assert [s.name for s in store.meeting_sources()] == ["Atlanta", "Boston", "sussex"]
    assert store.get_meeting_source(" SUSSEX ").location == "sussex.json"
    with pytest.raises(NotFound) as raised:
        store.get_meeting_source("Denver")
    message = str(raised.value)
    assert "Denver" in message
    assert all(name in message for name in ("Atlanta", "Boston", "sussex"))


def test_no_sources_yet_is_said_plainly(store: Store) -> None:
    with pytest.raises(NotFound, match="No meeting lists have been imported yet"):
        store.get_meeting_source("Anything")
    with pytest.raises(NotFound):
        store.remove_meeting_source("Anything")


def test_removing_a_source_keeps_the_groups_made_from_it(store: Store) -> None:
    store.import_meetings(feed(meeting("a"), meeting("b"), meeting("c")), name="Gone", location="x")
    store.import_meetings(feed(meeting("a")), name="Stays", location="y")
    found = listed(store, "Gone")
    listed_group = link(store, found["a"].id, "From a")
    gone_group = link(store, found["b"].id, "From b")
    store.import_meetings(feed(meeting("a"), meeting("c")), name="Gone", location="x")

    assert store.remove_meeting_source("gone") == 3  # two listed, one gone

    assert [s.name for s in store.meeting_sources()] == ["Stays"]
    assert [(m.source, m.slug) for m in store.directory()] == [("Stays", "a")]
    assert {g.id for g in store.list_groups()} == {listed_group, gone_group}
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(NotFound, match="Stays"):
        store.get_meeting_source("Gone")


# --- my groups ----------------------------------------------------------------------------------


def test_a_meeting_added_to_my_groups_is_linked_once(store: Store) -> None:
    store.import_meetings(feed(meeting("a", name="Tuesday Night")), name="L", location="x")
    found = listed(store)["a"]
    schedule = "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0;BYSECOND=0"

    group = store.add_meeting_to_groups(
        found.id, GroupFields(name=" Tuesday Night ", format="hybrid", schedule=schedule)
    )

    assert group.name == "Tuesday Night"  # validated like add_group
    assert group.format == "hybrid"
    assert group.schedule is not None and "BYDAY=TU" in group.schedule
    assert store.get_directory_meeting(found.id).group_id == group.id
    with pytest.raises(TrackerError, match="Tuesday Night"):
        store.add_meeting_to_groups(found.id, GroupFields(name="Another name"))
    assert [g.name for g in store.list_groups()] == ["Tuesday Night"]


def test_a_refused_group_leaves_the_meeting_unlinked(store: Store) -> None:
    store.add_group(GroupFields(name="Taken"))
    store.import_meetings(feed(meeting("a")), name="L", location="x")
    meeting_id = listed(store)["a"].id
    for fields in (GroupFields(name="taken"), GroupFields(name=""), GroupFields(name="x" * 81)):
        with pytest.raises(InvalidField):
            store.add_meeting_to_groups(meeting_id, fields)
    assert store.get_directory_meeting(meeting_id).group_id is None
    assert [g.name for g in store.list_groups()] == ["Taken"]
    with pytest.raises(NotFound):
        store.add_meeting_to_groups(meeting_id + 100, GroupFields(name="New"))
    with pytest.raises(NotFound):
        store.get_directory_meeting(meeting_id + 100)


def test_deleting_a_linked_group_clears_the_link(store: Store) -> None:
    store.import_meetings(feed(meeting("listed"), meeting("leaves")), name="L", location="x")
    found = listed(store)
    listed_group = link(store, found["listed"].id, "Listed group")
    gone_group = link(store, found["leaves"].id, "Gone group")
    store.log_attendance(AttendanceFields(group_id=listed_group, date=TODAY))
    store.import_meetings(feed(meeting("listed")), name="L", location="x")
    assert listed(store)["leaves"].gone_since == TODAY

    store.delete_group(listed_group, history="delete")
    store.delete_group(gone_group)

    now = listed(store)
    assert now["listed"].group_id is None
    assert now["listed"].gone_since is None
    # Gone from the feed and no longer in my groups: nothing left to keep it for.
    assert "leaves" not in now
    assert store.get_meeting_source("L").gone == 0
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    # Unlinked, it can be added again.
    link(store, now["listed"].id, "Listed again")


# --- text and order -----------------------------------------------------------------------------


def test_markup_newlines_and_odd_text_round_trip_exactly(store: Store) -> None:
    odd = meeting(
        "[bold]slug[/bold]",
        name="[bold red]Not bold[/] [@click=app.quit]quit[/]",
        notes="Line one\nLine two\n\n  indented\tand tabbed 🌱",
        location="O'Brien's \"hall\"",
        region="Brighton › Kemptown",
        group_notes="مجموعة الأمل — שלום",
        conference_url="https://example.org/j?a=1&b=[2]",
        types=("O", "[b]", "ONL"),
        address="e\u0301 café",
        updated="2022-08-25T11:17:07",
    )
    store.import_meetings(feed(odd), name="[b]List[/b]", location="C:\\feeds\\[x].json")
    found = store.directory()
    assert [as_feed_meeting(m) for m in found] == [odd]
    assert found[0].source == "[b]List[/b]"
    assert store.meeting_sources()[0].location == "C:\\feeds\\[x].json"


def test_the_directory_is_ordered_by_name_ignoring_case_then_slug(store: Store) -> None:
    store.import_meetings(
        feed(meeting("3", name="beta"), meeting("2", name="Alpha"), meeting("1", name="alpha")),
        name="One",
        location="x",
    )
    store.import_meetings(feed(meeting("0", name="ALPHA")), name="Two", location="y")
    assert [(m.name, m.slug) for m in store.directory()] == [
        ("ALPHA", "0"),
        ("alpha", "1"),
        ("Alpha", "2"),
        ("beta", "3"),
    ]


# --- properties ---------------------------------------------------------------------------------

_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.just("\n"),
    max_size=20,
)
_CLOCK = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
_MEETING = st.builds(
    FeedMeeting,
    slug=st.sampled_from(["a", "b", "c", "d", "e", "[b]f", "g g"]),
    name=_TEXT.filter(lambda t: t.strip() != ""),
    days=st.lists(st.integers(0, 6), unique=True, max_size=3).map(lambda d: tuple(sorted(d))),
    time=st.none() | _CLOCK,
    end_time=st.none() | _CLOCK,
    timezone=st.sampled_from([None, "Europe/London", "America/New_York"]),
    types=st.lists(st.sampled_from(["O", "C", "ONL", "TC", "X", "[b]"]), unique=True).map(tuple),
    attendance=st.sampled_from(list(ATTENDANCE)),
    address=_TEXT,
    approximate=st.booleans(),
    location=_TEXT,
    location_notes=_TEXT,
    region=_TEXT,
    group=_TEXT,
    group_notes=_TEXT,
    notes=_TEXT,
    conference_url=_TEXT,
    conference_url_notes=_TEXT,
    conference_phone=_TEXT,
    conference_phone_notes=_TEXT,
    website=_TEXT,
    updated=st.none() | st.just("2022-08-25T11:17:07"),
)
_FEED = st.lists(_MEETING, max_size=8).map(lambda ms: feed(*ms))
_SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(store: Store) -> list[Any]:
    return store.db.execute("SELECT * FROM meetings ORDER BY id").fetchall()


@_SLOW
@given(parsed=_FEED)
def test_importing_twice_gives_the_rows_of_one_import(parsed: ParsedFeed) -> None:
    store = open_store(":memory:")
    try:
        first = store.import_meetings(parsed, name="L", location="x")
        once = _rows(store)
        second = store.import_meetings(parsed, name="L", location="x")

        assert _rows(store) == once
        for result in (first, second):
            assert result.added + result.updated + result.unchanged == len(parsed.meetings)
        assert second.added == 0
        assert (second.gone, second.removed, second.returned) == (0, 0, 0)
        # What is stored is the last record of each slug, exactly as the feed gave it.
        last = {m.slug: m for m in parsed.meetings}
        found = {m.slug: m for m in store.directory()}
        assert {slug: as_feed_meeting(m) for slug, m in found.items()} == last
        for m in found.values():  # and reads back as the dataclass itself would build it
            values = {name: getattr(m, name) for name in FEED_FIELDS}
            assert m == DirectoryMeeting(
                **values, id=m.id, source_id=m.source_id, source="L", gone_since=None
            )
    finally:
        store.close()


@_SLOW
@given(
    feeds=st.lists(_FEED, min_size=1, max_size=4),
    links=st.lists(st.sets(st.sampled_from(["a", "b", "c", "d", "e"])), min_size=4, max_size=4),
)
def test_each_import_matches_the_feed_and_keeps_my_groups_meetings(
    feeds: list[ParsedFeed], links: list[set[str]]
) -> None:
    store = open_store(":memory:")
    try:
        linked: set[str] = set()
        for number, (parsed, to_link) in enumerate(zip(feeds, links, strict=False)):
            before = listed(store)
            was_gone = {slug for slug, m in before.items() if m.gone_since is not None}
            slugs = {m.slug for m in parsed.meetings}

            result = store.import_meetings(parsed, name="L", location="x")

            assert result.created == (number == 0)
            assert result.added + result.updated + result.unchanged == len(parsed.meetings)
            assert result.added == len(slugs - set(before))
            assert result.returned == len(slugs & was_gone)
            assert result.removed == len(set(before) - slugs - linked)
            assert result.gone == len((set(before) - was_gone - slugs) & linked)
            now = listed(store)
            assert {s for s, m in now.items() if m.gone_since is None} == slugs
            assert {s for s, m in now.items() if m.gone_since is not None} == linked - slugs
            assert (result.source.meetings, result.source.gone) == (
                len(slugs),
                len(linked - slugs),
            )
            for slug in to_link & slugs - linked:
                link(store, now[slug].id, f"Group {slug}")
                linked.add(slug)
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()


# --- the rest of the journal --------------------------------------------------------------------


def test_a_v4_journal_gains_empty_directories_and_keeps_its_entries(tmp_path: Path) -> None:
    copy = tmp_path / "journal.db"
    shutil.copyfile(FIXTURES / "v4.db", copy)
    store = open_store(copy)
    try:
        groups_before = [g.name for g in store.list_groups()]
        counts_before = store.counts()
        assert store.schema_version() == schema.latest_version()
        assert store.meeting_sources() == []
        assert store.directory() == []
        store.import_meetings(feed(meeting("a")), name="L", location="x")
        group = store.add_meeting_to_groups(listed(store)["a"].id, GroupFields(name="New one"))
        assert [g.name for g in store.list_groups()] == sorted([*groups_before, group.name])
        assert store.counts() == counts_before | {"groups": counts_before["groups"] + 1}
    finally:
        store.close()


def test_the_v5_fixture_reads_back_through_the_store(tmp_path: Path) -> None:
    copy = tmp_path / "journal.db"
    shutil.copyfile(FIXTURES / "v5.db", copy)
    store = open_store(copy)
    try:
        sources = store.meeting_sources()
        assert [(s.name, s.format, s.meetings, s.gone) for s in sources] == [
            ("NA Région Île", "bmlt", 1, 0),
            ("Sussex AA", "meeting-guide", 2, 1),
        ]
        assert sources[1].report["skipped"][0]["slug"] == "no-time"
        found = store.directory()
        assert [m.name for m in found][:3] == ["Always Online", "Closed Hall", "Kemptown Tuesday"]
        online, closed, tuesday = found[:3]
        assert (online.days, online.time, online.approximate) == ((), None, True)
        assert tuesday.notes == "[bold]Not bold[/bold] [@click=app.quit]\nSecond line"
        assert tuesday.types == ("O", "D", "ONL")
        assert closed.gone_since == date(2026, 12, 1)
        assert closed.group_id is not None
        store.delete_group(closed.group_id)
        assert "Closed Hall" not in [m.name for m in store.directory()]
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()


def _journal_with_linked_meetings(store: Store) -> None:
    store.import_meetings(
        feed(meeting("listed", notes="zebra-marker"), meeting("leaves"), meeting("plain")),
        name="Marker list",
        location="marker.json",
    )
    found = listed(store)
    link(store, found["listed"].id, "Listed group")
    link(store, found["leaves"].id, "Gone group")
    store.import_meetings(
        feed(meeting("listed", notes="zebra-marker"), meeting("plain")),
        name="Marker list",
        location="marker.json",
    )


def test_the_journal_export_leaves_the_directories_out(store: Store) -> None:
    _journal_with_linked_meetings(store)
    data = export_journal(store)
    text = export_json_text(store)
    assert set(data) == {
        "format",
        "version",
        "settings",
        "groups",
        "attendance",
        "people",
        "contacts",
        "service",
        "fit_ratings",
        "excused_weeks",
        "suggestion_feedback",
    }
    assert "zebra-marker" not in text
    assert "Marker list" not in text
    assert sorted(g["name"] for g in data["groups"]) == ["Gone group", "Listed group"]


def test_a_replace_import_works_with_linked_meetings(store: Store, tmp_path: Path) -> None:
    other = open_store(tmp_path / "other.db")
    try:
        other.add_group(GroupFields(name="From the file"))
        exported = export_journal(other)
    finally:
        other.close()
    _journal_with_linked_meetings(store)

    counts = import_journal(store, exported, replace=True)

    assert counts["groups"] == 1
    assert [g.name for g in store.list_groups()] == ["From the file"]
    now = listed(store)
    assert sorted(now) == ["listed", "plain"]  # the gone one was only kept for its group
    assert {m.group_id for m in now.values()} == {None}
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_journal_with_only_directories_takes_a_plain_import(store: Store) -> None:
    store.import_meetings(feed(meeting("a")), name="L", location="x")
    exported = export_journal(store)
    exported["groups"] = []
    import_journal(store, exported)  # not refused as "already has entries"
    assert store.directory_count() == 1


def test_doctor_is_content_with_the_directories(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    store = open_store(path)
    try:
        _journal_with_linked_meetings(store)
    finally:
        store.close()
    findings = {f.area: f for f in examine(path, None, TODAY)}
    for area in ("file", "integrity", "foreign keys", "schema"):
        assert findings[area].ok, findings[area].message


def test_a_dangling_link_written_by_hand_is_what_doctor_reports(tmp_path: Path) -> None:
    """The check above can fail: a meeting pointing at a missing group is a finding."""
    path = tmp_path / "journal.db"
    store = open_store(path)
    try:
        store.import_meetings(feed(meeting("a")), name="L", location="x")
    finally:
        store.close()
    conn = sqlite3.connect(path)  # foreign keys off, as in a hand edit
    with conn:
        conn.execute("UPDATE meetings SET group_id = 999")
    conn.close()
    assert not {f.area: f for f in examine(path, None, TODAY)}["foreign keys"].ok


def test_an_encrypted_journal_keeps_its_directories(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    from tracker.store.crypto import encrypt_journal

    path = tmp_path / "journal.db"
    store = open_store(path)
    try:
        _journal_with_linked_meetings(store)
        before = store.directory()
    finally:
        store.close()
    encrypt_journal(path, "correct horse battery")
    again = Store.open(path, clock=Clock.fixed(TODAY), passphrase="correct horse battery")
    try:
        assert again.directory() == before
        assert json.dumps(again.meeting_sources()[0].report)
    finally:
        again.close()

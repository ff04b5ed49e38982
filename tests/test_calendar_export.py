"""``tracker calendar export`` and :mod:`tracker.meetings.calendar`: the person's groups as an
iCalendar file. Every file is parsed back with icalendar, and its recurrences are expanded the
way RFC 5545 says (DTSTART is the first event, then the RRULE) and compared with Tracker's own
schedules."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import Group, GroupFields
from tracker.domain.schedules import Schedule, parse_schedule
from tracker.errors import InvalidField
from tracker.meetings.calendar import (
    MEETING_LENGTH,
    calendar_entries,
    groups_calendar,
    local_timezone_name,
    timezone_named,
)
from tracker.store import Store

TODAY = date(2026, 11, 26)  # a Thursday
STAMP = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
RULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TRICKY_NAME = "[bold]NA[/bold]; Tuesday, late \\ [@click=app.quit] \"quoted\" 'x' 🌱 café"


# --- helpers ----------------------------------------------------------------------------------


def schedule_of(phrase: str, *, today: date = TODAY) -> Schedule:
    schedule = parse_schedule(phrase, today=today)
    assert schedule is not None
    return schedule


def make_group(
    name: str,
    schedule: Schedule | str | None,
    *,
    uuid: str = "0f6c1f5e-1d7b-4a53-9c39-8a1f2b3c4d5e",
    status: str = "trying",
    location: str = "",
    notes: str = "",
    fmt: str = "in-person",
    updated_at: str = "2026-11-20T08:15:00Z",
) -> Group:
    """A group record built directly (as the store returns them), so any text can be tried."""
    text = schedule.to_text() if isinstance(schedule, Schedule) else schedule
    return Group(
        id=1,
        uuid=uuid,
        created_at="2026-01-01T00:00:00Z",
        updated_at=updated_at,
        name=name,
        schedule=text,
        status=status,
        location=location,
        notes=notes,
        note_shared=bool(notes),
        format=fmt,
    )


def parsed(data: bytes) -> Calendar:
    calendar = Calendar.from_ical(data)
    assert isinstance(calendar, Calendar)
    return calendar


def unfolded(data: bytes) -> str:
    """The file's text with RFC 5545 line folding undone, so a word is never split."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def wall_time(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def rfc_occurrences(event: Any, after: datetime, before: datetime) -> list[datetime]:
    """What a calendar shows for ``event`` in [after, before): DTSTART, then what the RRULE
    gives, in the event's own wall-clock time (RFC 5545 expands rules in local time)."""
    start = wall_time(event.decoded("DTSTART"))
    rule = event["RRULE"].to_ical().decode("ascii")
    expanded = rrulestr(rule, dtstart=start).between(after, before, inc=True)
    moments = sorted({start, *expanded})
    return [moment for moment in moments if after <= moment < before]


def only_event(data: bytes) -> Any:
    events = parsed(data).events
    assert len(events) == 1
    return events[0]


def schedule_from_parts(
    freq: str, interval: int, byday: list[str], at: time, start: date
) -> Schedule:
    parts = [f"FREQ={freq}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if byday:
        parts.append("BYDAY=" + ",".join(byday))
    parts += [f"BYHOUR={at.hour}", f"BYMINUTE={at.minute}"]
    return Schedule(rule="RRULE:" + ";".join(parts), start=start)


# --- recurrences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "Tuesdays 7pm",
        "every other Saturday 10:00",
        "2nd and 4th Thursday of the month 19:30",
        "Mon, Wed and Fri 6:30pm",
        "every other week on Tuesday and Thursday 7pm",
        "every 3 weeks on Sunday 11am",
        "last Friday of the month 8pm",
        "first and third Monday of the month 18:30",
        "weekdays 7am",
        "every other day 8pm",
        "daily 9pm",
    ],
)
@pytest.mark.parametrize("timezone", [None, "America/New_York"])
def test_the_events_repeat_exactly_as_the_schedules_do(phrase: str, timezone: str | None) -> None:
    schedule = schedule_of(phrase)
    event = only_event(
        groups_calendar([make_group("A group", schedule)], timezone=timezone, stamp=STAMP)
    )
    begin = datetime.combine(TODAY - timedelta(days=400), time())
    end = datetime.combine(TODAY + timedelta(days=800), time())
    expected = schedule.occurrences(begin, end)
    assert len(expected) > 20  # the comparison covers many meetings, not just the first
    assert rfc_occurrences(event, begin, end) == expected


def test_a_schedule_that_starts_on_a_day_without_a_meeting_starts_the_event_on_its_first() -> None:
    """DTSTART is always an event in RFC 5545, so it must be a real meeting day."""
    # A Tuesday-and-Thursday rule counted from a Wednesday, every other week.
    schedule = schedule_from_parts("WEEKLY", 2, ["TU", "TH"], time(19), date(2026, 11, 25))
    event = only_event(groups_calendar([make_group("G", schedule)], timezone=None, stamp=STAMP))
    assert wall_time(event.decoded("DTSTART")) == datetime(2026, 11, 26, 19, 0)
    begin = datetime(2026, 11, 1)
    end = datetime(2027, 6, 1)
    assert rfc_occurrences(event, begin, end) == schedule.occurrences(begin, end)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    """Any schedule Tracker can describe: weekly (every 1-4 weeks), monthly by ordinal
    weekday, or every few days; any time; any start date."""
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
    at = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45, 59])))
    kind = draw(st.sampled_from(["weekly", "monthly", "daily"]))
    if kind == "daily":
        return schedule_from_parts("DAILY", draw(st.integers(1, 5)), [], at, start)
    days = draw(st.sets(st.sampled_from(RULE_DAYS), min_size=1, max_size=7))
    if kind == "weekly":
        byday = sorted(days, key=RULE_DAYS.index)
        return schedule_from_parts("WEEKLY", draw(st.integers(1, 4)), byday, at, start)
    ordinals = draw(st.sets(st.sampled_from([1, 2, 3, 4, 5, -1]), min_size=1, max_size=3))
    byday = [f"{n:+d}{day}" for day in sorted(days, key=RULE_DAYS.index) for n in sorted(ordinals)]
    return schedule_from_parts("MONTHLY", 1, byday, at, start)


@settings(max_examples=150, deadline=None)
@given(schedule=schedules(), timezone=st.sampled_from([None, "Europe/London", "Asia/Kolkata"]))
def test_any_schedule_round_trips_through_the_file(
    schedule: Schedule, timezone: str | None
) -> None:
    event = only_event(groups_calendar([make_group("G", schedule)], timezone=timezone, stamp=STAMP))
    begin = datetime.combine(schedule.start, time())
    end = begin + timedelta(days=500)
    expected = schedule.occurrences(begin, end)
    assert expected  # every drawn schedule meets within 500 days
    assert rfc_occurrences(event, begin, end) == expected
    start = event.decoded("DTSTART")
    assert event.decoded("DTEND") - start == MEETING_LENGTH


# --- what each event says ---------------------------------------------------------------------


def test_each_scheduled_group_is_one_event_with_its_details() -> None:
    groups = [
        make_group(
            "NA Downtown",
            schedule_of("Tuesdays 7pm"),
            uuid="11111111-1111-4111-8111-111111111111",
            location="Community centre, room 2; side door",
            status="home-group",
        ),
        make_group(
            "SMART Online",
            schedule_of("every other Thursday 18:00"),
            uuid="22222222-2222-4222-8222-222222222222",
            fmt="online",
            status="regular",
        ),
    ]
    calendar = parsed(groups_calendar(groups, timezone=None, stamp=STAMP))
    events = {str(event["SUMMARY"]): event for event in calendar.events}
    assert sorted(events) == ["NA Downtown", "SMART Online"]
    downtown, smart = events["NA Downtown"], events["SMART Online"]
    assert str(downtown["UID"]) == "11111111-1111-4111-8111-111111111111@tracker"
    assert str(smart["UID"]) == "22222222-2222-4222-8222-222222222222@tracker"
    assert str(downtown["LOCATION"]) == "Community centre, room 2; side door"
    assert "LOCATION" not in smart  # none given: none written
    assert str(downtown["DESCRIPTION"]) == "In person · Tuesdays at 19:00"
    assert str(smart["DESCRIPTION"]) == "Online · Every other Thursday at 18:00"
    assert str(downtown["CLASS"]) == "PRIVATE"
    assert downtown.decoded("DTSTAMP") == STAMP
    assert downtown.decoded("DTEND") - downtown.decoded("DTSTART") == timedelta(hours=1)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Tracker//Meeting schedules//EN"


def test_paused_not_for_me_and_unscheduled_groups_are_left_out() -> None:
    tuesday = schedule_of("Tuesdays 7pm")
    groups = [
        make_group("Trying", tuesday, uuid="a", status="trying"),
        make_group("Regular", tuesday, uuid="b", status="regular"),
        make_group("Home", tuesday, uuid="c", status="home-group"),
        make_group("Paused", tuesday, uuid="d", status="paused"),
        make_group("Not for me", tuesday, uuid="e", status="not-for-me"),
        make_group("No schedule", None, uuid="f"),
        make_group("Unreadable", "RRULE:FREQ=YEARLY", uuid="g"),
    ]
    data = groups_calendar(groups, timezone=None, stamp=STAMP)
    assert sorted(str(event["SUMMARY"]) for event in parsed(data).events) == [
        "Home",
        "Regular",
        "Trying",
    ]
    assert [entry.group.name for entry in calendar_entries(groups)] == ["Trying", "Regular", "Home"]


def test_notes_never_go_in_the_file() -> None:
    secret = "PRIVATE-NOTE-Q7 felt shaky; talked to Sam about using again"
    group = make_group("NA Downtown", schedule_of("Tuesdays 7pm"), notes=secret)
    assert group.note_shared  # even a note marked for the mentor stays out
    text = unfolded(groups_calendar([group], timezone="Europe/London", stamp=STAMP))
    assert "PRIVATE-NOTE-Q7" not in text
    assert "Sam" not in text
    assert "NA Downtown" in text  # the control: the file does hold the group


@pytest.mark.parametrize(
    "name",
    [
        TRICKY_NAME,
        "line one\nline two",
        "a,b;c:d\\e",
        "  spaced  out  ",
        "x" * 300,  # folded over several lines
        "🌱" * 40,  # multi-byte characters across a fold
    ],
)
def test_names_and_places_survive_exactly(name: str) -> None:
    group = make_group(name, schedule_of("Tuesdays 7pm"), location=name.strip() + " hall")
    event = only_event(groups_calendar([group], timezone=None, stamp=STAMP))
    assert str(event["SUMMARY"]) == name
    assert str(event["LOCATION"]) == name.strip() + " hall"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(
        alphabet=st.one_of(
            st.characters(blacklist_categories=("Cs", "Cc")),
            st.sampled_from(list(",;:\\[]\"'\n\t")),
        ),
        min_size=1,
        max_size=120,
    )
)
def test_any_name_survives_exactly(name: str) -> None:
    event = only_event(
        groups_calendar([make_group(name, schedule_of("Tuesdays 7pm"))], timezone=None, stamp=STAMP)
    )
    assert str(event["SUMMARY"]) == name


def test_control_characters_are_dropped_not_written() -> None:
    group = make_group("NA\x1b[31m Downtown\x07\r\nLate", schedule_of("Tuesdays 7pm"))
    data = groups_calendar([group], timezone=None, stamp=STAMP)
    assert b"\x1b" not in data and b"\x07" not in data
    assert str(only_event(data)["SUMMARY"]) == "NA[31m Downtown\nLate"


def test_the_uid_is_the_same_on_every_export() -> None:
    groups = [
        make_group("One", schedule_of("Tuesdays 7pm"), uuid="u-1"),
        make_group("Two", schedule_of("Fridays 7pm"), uuid="u-2"),
    ]
    first = parsed(groups_calendar(groups, timezone=None, stamp=STAMP))
    later = parsed(
        groups_calendar(groups, timezone="Europe/London", stamp=STAMP + timedelta(days=30))
    )
    assert {str(e["UID"]) for e in first.events} == {"u-1@tracker", "u-2@tracker"}
    assert {str(e["UID"]) for e in later.events} == {"u-1@tracker", "u-2@tracker"}
    assert [e.decoded("DTSTAMP") for e in later.events] == [STAMP + timedelta(days=30)] * 2


def test_a_changed_group_is_a_newer_version_of_its_event() -> None:
    schedule = schedule_of("Tuesdays 7pm")
    before = only_event(
        groups_calendar(
            [make_group("G", schedule, updated_at="2026-11-20T08:15:00Z")],
            timezone=None,
            stamp=STAMP,
        )
    )
    after = only_event(
        groups_calendar(
            [make_group("G", schedule_of("Wednesdays 7pm"), updated_at="2026-11-21T10:00:00Z")],
            timezone=None,
            stamp=STAMP,
        )
    )
    assert before.decoded("LAST-MODIFIED") == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert after.decoded("LAST-MODIFIED") == datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]) >= 0
    assert str(before["UID"]) == str(after["UID"])


def test_a_stamp_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        groups_calendar([], timezone=None, stamp=datetime(2026, 11, 26, 9, 30))


def test_the_stamp_is_written_in_utc() -> None:
    stamp = datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    data = groups_calendar(
        [make_group("G", schedule_of("Tuesdays 7pm"))], timezone=None, stamp=stamp
    )
    assert "DTSTAMP:20261126T143000Z" in unfolded(data)


# --- time zones -------------------------------------------------------------------------------


def test_a_named_time_zone_puts_tzid_and_its_vtimezone_in_the_file() -> None:
    group = make_group("G", schedule_of("Tuesdays 7pm"))
    data = groups_calendar([group], timezone="America/New_York", stamp=STAMP)
    calendar = parsed(data)
    event = calendar.events[0]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTEND"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART") == datetime(
        2026, 12, 1, 19, tzinfo=ZoneInfo("America/New_York")
    )
    assert [zone.tz_name for zone in calendar.timezones] == ["America/New_York"]
    # The VTIMEZONE itself (not just its name) gives the right offsets, summer and winter,
    # for years ahead: a calendar without a zone database relies on it.
    from_file = calendar.timezones[0].to_tz(lookup_tzid=False)
    real = ZoneInfo("America/New_York")
    for year in (2026, 2030, 2045):
        for month in (1, 7):
            moment = datetime(year, month, 15, 19)
            assert (
                moment.replace(tzinfo=from_file).utcoffset()
                == moment.replace(tzinfo=real).utcoffset()
            ), (year, month)


def test_without_a_time_zone_the_times_float() -> None:
    data = groups_calendar(
        [make_group("G", schedule_of("Tuesdays 7pm"))], timezone=None, stamp=STAMP
    )
    calendar = parsed(data)
    event = calendar.events[0]
    assert "TZID" not in event["DTSTART"].params
    assert event.decoded("DTSTART").tzinfo is None
    assert calendar.timezones == []
    assert "DTSTART:20261201T190000\r\n" in data.decode("utf-8")


def test_utc_times_are_written_as_utc() -> None:
    data = groups_calendar(
        [make_group("G", schedule_of("Tuesdays 7pm"))], timezone="UTC", stamp=STAMP
    )
    assert "DTSTART:20261201T190000Z" in unfolded(data)
    assert parsed(data).timezones == []


@pytest.mark.parametrize(
    "name", ["Mars/Base", "", "  ", "../../etc/passwd", "/etc/localtime", "localtime", "Europe"]
)
def test_an_unknown_time_zone_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidField) as caught:
        groups_calendar([make_group("G", schedule_of("Tuesdays 7pm"))], timezone=name, stamp=STAMP)
    assert caught.value.field == "timezone"
    assert caught.value.message.startswith("timezone: ")
    assert "Europe/London" in caught.value.message  # says what a good name looks like


def test_time_zone_names_are_checked_with_surrounding_space_ignored() -> None:
    assert timezone_named(" Asia/Tokyo ").key == "Asia/Tokyo"


# --- the machine's time zone ------------------------------------------------------------------


def test_tz_names_the_zone(tmp_path: Path) -> None:
    nowhere = tmp_path / "missing"
    assert local_timezone_name({"TZ": "Europe/London"}, nowhere, nowhere) == "Europe/London"
    assert local_timezone_name({"TZ": ":America/New_York"}, nowhere, nowhere) == "America/New_York"
    assert (
        local_timezone_name({"TZ": "/usr/share/zoneinfo/Asia/Tokyo"}, nowhere, nowhere)
        == "Asia/Tokyo"
    )


def test_tz_can_point_at_a_localtime_link(tmp_path: Path) -> None:
    link = tmp_path / "my-localtime"
    link.symlink_to("/usr/share/zoneinfo/Pacific/Auckland")
    elsewhere = tmp_path / "localtime"
    elsewhere.symlink_to("/usr/share/zoneinfo/Europe/Paris")
    assert local_timezone_name({"TZ": f":{link}"}, elsewhere, tmp_path / "timezone") == (
        "Pacific/Auckland"
    )


def test_a_tz_rule_without_a_name_means_floating(tmp_path: Path) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Europe/Paris")
    # TZ decides the local time, so the symlink (Paris) would be wrong; floating is right.
    assert local_timezone_name({"TZ": "CET-1CEST,M3.5.0,M10.5.0/3"}, link, tmp_path / "x") is None


def test_the_localtime_link_names_the_zone(tmp_path: Path) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Europe/Paris")  # needn't exist: only the name is read
    assert local_timezone_name({}, link, tmp_path / "timezone") == "Europe/Paris"
    relative = tmp_path / "relative"
    relative.symlink_to("../usr/share/zoneinfo/posix/Europe/Berlin")
    assert local_timezone_name({"TZ": ""}, relative, tmp_path / "timezone") == "Europe/Berlin"
    mac = tmp_path / "mac"
    mac.symlink_to("/var/db/timezone/zoneinfo/America/Argentina/Buenos_Aires")
    assert local_timezone_name({}, mac, tmp_path / "timezone") == "America/Argentina/Buenos_Aires"


def test_the_timezone_file_is_the_last_resort(tmp_path: Path) -> None:
    copy = tmp_path / "localtime"
    copy.write_bytes(b"TZif2 not a link")  # a copied zone file names nothing
    zone_file = tmp_path / "timezone"
    zone_file.write_text("Australia/Sydney\n", encoding="utf-8")
    assert local_timezone_name({}, copy, zone_file) == "Australia/Sydney"
    zone_file.write_text("not a zone\n", encoding="utf-8")
    assert local_timezone_name({}, copy, zone_file) is None
    assert local_timezone_name({}, tmp_path / "none", tmp_path / "none") is None


def test_a_link_to_something_that_is_not_a_zone_falls_back(tmp_path: Path) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/opt/weird/place")
    zone_file = tmp_path / "timezone"
    zone_file.write_text("Asia/Kolkata", encoding="utf-8")
    assert local_timezone_name({}, link, zone_file) == "Asia/Kolkata"


# --- the command ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder; fix today; a known machine time zone."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)


def journal(path: Path, groups: list[tuple[str, str | None, str]]) -> Path:
    """A journal with these (name, schedule phrase, status) groups."""
    store = Store.open(path, clock=Clock.fixed(TODAY))
    for name, phrase, status in groups:
        schedule = schedule_of(phrase).to_text() if phrase else None
        store.add_group(
            GroupFields(name=name, schedule=schedule, status=status, notes="private words")
        )
    store.close()
    return path


STANDARD = [
    ("NA Downtown", "Tuesdays 7pm", "home-group"),
    ("SMART Online", "every other Thursday 18:00", "trying"),
    ("Nar-Anon", "2nd and 4th Thursday of the month 19:30", "regular"),
    ("Old group", "Mondays 7pm", "paused"),
    ("Forum", None, "trying"),
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_export_writes_a_private_file_of_the_scheduled_groups(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    out = tmp_path / "meetings.ics"
    result = run("--db", str(db), "calendar", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Wrote 3 meeting schedules to {out} (times in Europe/London). Import it into your "
        "phone or desktop calendar; export again after you change a schedule and the events "
        "update.\n"
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends CRLF, as RFC 5545 says
    calendar = parsed(data)
    assert sorted(str(e["SUMMARY"]) for e in calendar.events) == [
        "NA Downtown",
        "Nar-Anon",
        "SMART Online",
    ]
    assert {e["DTSTART"].params["TZID"] for e in calendar.events} == {"Europe/London"}
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    assert "private words" not in unfolded(out.read_bytes())
    assert not list(tmp_path.glob(".meetings.ics.*"))  # no temporary file left behind


def test_export_again_updates_the_same_events(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    out = tmp_path / "meetings.ics"
    assert run("--db", str(db), "calendar", "export", "--out", str(out)).exit_code == 0
    first = {str(e["UID"]): e for e in parsed(out.read_bytes()).events}
    out.chmod(0o644)  # loosened by something else: the new file is private again

    store = Store.open(db, clock=Clock.fixed(TODAY))
    downtown = next(g for g in store.list_groups() if g.name == "NA Downtown")
    store.update_group(
        downtown.id,
        GroupFields(
            **{**vars(downtown.fields), "schedule": schedule_of("Wednesdays 8pm").to_text()}
        ),
    )
    store.close()

    result = run("--db", str(db), "calendar", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Updated {out} with 3 meeting schedules (times in")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = {str(e["UID"]): e for e in parsed(out.read_bytes()).events}
    assert set(again) == set(first)
    uid = f"{downtown.uuid}@tracker"
    assert first[uid]["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert again[uid]["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=WE"
    assert again[uid].decoded("DTSTART").hour == 20


def test_the_default_file_is_in_the_current_folder(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    result = run("--db", str(db), "calendar", "export")
    assert result.exit_code == 0, result.output
    assert "to tracker-meetings.ics" in result.stdout
    assert len(parsed((tmp_path / "tracker-meetings.ics").read_bytes()).events) == 3


def test_dash_prints_the_calendar(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    result = run("--db", str(db), "calendar", "export", "--out", "-", "--timezone", "Asia/Tokyo")
    assert result.exit_code == 0, result.output
    calendar = parsed(result.stdout_bytes)
    assert len(calendar.events) == 3
    assert {e["DTSTART"].params["TZID"] for e in calendar.events} == {"Asia/Tokyo"}
    assert result.stderr == "Wrote 3 meeting schedules (times in Asia/Tokyo).\n"
    assert not (tmp_path / "tracker-meetings.ics").exists()
    assert not (tmp_path / "-").exists()


def test_floating_times_on_request(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    result = run("calendar", "export", "--timezone", "floating", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "(local times, wherever you are)" in result.stdout
    calendar = parsed((tmp_path / "tracker-meetings.ics").read_bytes())
    assert all("TZID" not in e["DTSTART"].params for e in calendar.events)
    assert calendar.timezones == []


def test_the_machine_zone_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    monkeypatch.setenv("TZ", "America/New_York")
    assert run("--db", str(db), "calendar", "export").exit_code == 0
    calendar = parsed((tmp_path / "tracker-meetings.ics").read_bytes())
    assert {e["DTSTART"].params["TZID"] for e in calendar.events} == {"America/New_York"}


def test_names_with_markup_survive_the_command(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", [(TRICKY_NAME, "Tuesdays 7pm", "trying")])
    assert run("--db", str(db), "calendar", "export").exit_code == 0
    event = only_event((tmp_path / "tracker-meetings.ics").read_bytes())
    assert str(event["SUMMARY"]) == TRICKY_NAME


def test_no_schedules_is_exit_1_and_says_how_to_add_one(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", [("Forum", None, "trying"), ("Coffee", None, "regular")])
    result = run("--db", str(db), "calendar", "export")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("tracker: None of your groups has a schedule yet")
    assert "Meets" in result.stderr and "Tuesdays 7pm" in result.stderr
    assert not (tmp_path / "tracker-meetings.ics").exists()


def test_only_paused_schedules_is_exit_1_and_says_why(tmp_path: Path) -> None:
    db = journal(
        tmp_path / "j.db",
        [("Old", "Mondays 7pm", "paused"), ("Nope", "Fridays 7pm", "not-for-me")],
    )
    result = run("--db", str(db), "calendar", "export")
    assert result.exit_code == 1
    assert "paused or marked not for me" in result.stderr
    assert not (tmp_path / "tracker-meetings.ics").exists()


def test_a_bad_time_zone_is_one_clear_line_before_the_journal_is_opened(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-journal.db"
    result = run("--db", str(missing), "calendar", "export", "--timezone", "Mars/Base")
    assert result.exit_code == 2
    assert result.stderr.startswith("tracker: timezone: 'Mars/Base' isn't a time zone")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not missing.exists()
    assert not (tmp_path / "tracker-meetings.ics").exists()


def test_bad_places_to_write_are_refused(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("--db", str(db), "calendar", "export", "--out", str(folder))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
    result = run("--db", str(db), "calendar", "export", "--out", str(tmp_path / "nope" / "x.ics"))
    assert result.exit_code == 2
    assert "doesn't exist" in result.stderr
    assert list(folder.iterdir()) == []


def test_a_missing_journal_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = run("--db", str(missing), "calendar", "export")
    assert result.exit_code == 2
    assert result.stderr.startswith("tracker: ")
    assert not missing.exists()


_IMPORT_PROBE = textwrap.dedent(
    """
    import json, sys
    from tracker.cli import cli
    cli({args!r}, standalone_mode=False)
    watched = {{"textual", "plotext", "textual_plotext", "rich", "sqlcipher3", "icalendar"}}
    print("MODULES " + json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & watched)))
    """
)


def _modules_after(tmp_path: Path, args: list[str]) -> tuple[list[str], str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_DEBUG")}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(args=args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("MODULES ")
    return json.loads(last.removeprefix("MODULES ")), done.stdout


def test_the_export_is_a_quick_command(tmp_path: Path) -> None:
    db = journal(tmp_path / "j.db", STANDARD)
    out = tmp_path / "quick.ics"
    modules, output = _modules_after(
        tmp_path, ["--db", str(db), "calendar", "export", "--out", str(out)]
    )
    assert "Wrote 3 meeting schedules" in output  # the command really ran
    assert "icalendar" in modules  # the control: the probe sees what the command imported
    assert not {"textual", "plotext", "textual_plotext", "rich", "sqlcipher3"} & set(modules)


def test_help_does_not_import_icalendar(tmp_path: Path) -> None:
    modules, output = _modules_after(tmp_path, ["calendar", "export", "--help"])
    assert "--timezone" in output
    assert "icalendar" not in modules

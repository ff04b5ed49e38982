"""Reading meeting feeds: strict about the file, liberal about its records.

The real feeds in fixtures/meeting-guide/ are copies of public Meeting Guide feeds; the counts
asserted for them come from their README, and the attendance they state is checked against the
one Tracker derives. meeting-guide-wild.json and bmlt-get-search-results.json are hand-written:
each of their records breaks the rules (or uses a BMLT field) in a way noted beside the test.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import best_match

from tracker.errors import TrackerError
from tracker.meetings import feeds, types
from tracker.meetings.feeds import FeedError, detect_format, parse_feed
from tracker.meetings.model import ATTENDANCE, FeedMeeting, ParsedFeed, Skipped
from tracker.meetings.types import spec_validator, type_name, type_names

FIXTURES = Path(__file__).parent / "fixtures"
GUIDE = FIXTURES / "meeting-guide"
WILD = FIXTURES / "meeting-guide-wild.json"
BMLT = FIXTURES / "bmlt-get-search-results.json"
SPEC = Path(feeds.__file__).parent / "spec"
SHARED_REFERENCE = Path("/work/shared/reference/meeting-guide")
SHARED_FIXTURES = Path("/work/shared/fixtures/meeting-guide")

NO_WHEN = "no day and time that can be understood"
HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# Control characters but the newline: none may survive into a stored field.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def read(path: Path, **kwargs: Any) -> ParsedFeed:
    return parse_feed(path.read_bytes(), **kwargs)


def raw(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(path.read_bytes())
    return records


def by_slug(feed: ParsedFeed) -> dict[str, FeedMeeting]:
    return {meeting.slug: meeting for meeting in feed.meetings}


def one(record: dict[str, Any], **kwargs: Any) -> tuple[FeedMeeting | Skipped, Counter[str]]:
    """A one-record Meeting Guide feed: the meeting (or why it was skipped) and the tidy-ups."""
    feed = parse_feed(json.dumps([record]), **kwargs)
    assert feed.records == 1
    return (feed.meetings or feed.skipped)[0], feed.normalised


def meeting(**fields: Any) -> FeedMeeting:
    """The meeting read from a record with a name, a day and a time, plus ``fields``."""
    record = {"slug": "m", "name": "A meeting", "day": 1, "time": "19:00", **fields}
    result, _ = one({key: value for key, value in record.items() if value is not None})
    assert isinstance(result, FeedMeeting), result
    return result


def refusal(data: bytes | str) -> str:
    with pytest.raises(FeedError) as caught:
        parse_feed(data)
    message = str(caught.value)
    assert isinstance(caught.value, TrackerError)
    assert message.endswith(".") and ". " not in message  # one sentence
    return message


# --- the copied data files --------------------------------------------------------------------


def test_the_fixture_feeds_and_spec_files_are_unchanged_copies() -> None:
    if not SHARED_FIXTURES.exists():
        pytest.skip("the shared reference material is not here (a clone of the repo alone)")
    for name in (
        "README.md",
        "al-anon-massachusetts.json",
        "atlanta-small.json",
        "invalid-trailing-data.json",
        "sussex-aa-uk.json",
    ):
        assert (GUIDE / name).read_bytes() == (SHARED_FIXTURES / name).read_bytes(), name
    for name in (
        "feed.schema.json",
        "meeting.schema.json",
        "meeting-type.schema.json",
        "types.json",
    ):
        assert (SPEC / name).read_bytes() == (SHARED_REFERENCE / name).read_bytes(), name


def test_the_spec_folder_says_where_its_files_come_from() -> None:
    readme = (SPEC / "README.md").read_text(encoding="utf-8")
    assert "code4recovery/spec" in readme
    for name in ("feed.schema.json", "meeting.schema.json", "meeting-type.schema.json"):
        assert name in readme


# --- the real feeds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [("al-anon-massachusetts.json", 360), ("sussex-aa-uk.json", 123), ("atlanta-small.json", 6)],
)
def test_every_record_of_the_real_feeds_is_kept(name: str, count: int) -> None:
    feed = read(GUIDE / name)
    assert feed.format == "meeting-guide"
    assert feed.records == count
    assert len(feed.meetings) == count
    assert feed.skipped == ()
    assert [m.slug for m in feed.meetings] == [r["slug"] for r in raw(GUIDE / name)]


def test_derived_attendance_agrees_with_the_feeds_except_for_three_undialable_phones() -> None:
    disagreements: list[tuple[str, str, str]] = []
    phone_plus_11: set[str] = set()
    for name in ("al-anon-massachusetts.json", "sussex-aa-uk.json", "atlanta-small.json"):
        records = raw(GUIDE / name)
        feed = read(GUIDE / name)
        assert len(records) == len(feed.meetings)
        for record, kept in zip(records, feed.meetings, strict=True):
            assert kept.attendance in ATTENDANCE
            if kept.attendance != record["attendance_option"]:
                disagreements.append((kept.slug, record["attendance_option"], kept.attendance))
            if record.get("conference_phone") == "+11":
                phone_plus_11.add(record["slug"])
    assert len(disagreements) == 3
    assert {slug for slug, _, _ in disagreements} == phone_plus_11
    # Their feed calls them online on the strength of "+11" alone; Tracker can't dial that.
    assert {(theirs, ours) for _, theirs, ours in disagreements} == {("online", "inactive")}


def test_real_feed_details_are_kept() -> None:
    sussex = by_slug(read(GUIDE / "sussex-aa-uk.json"))
    records = {r["slug"]: r for r in raw(GUIDE / "sussex-aa-uk.json")}
    with_notes = [r for r in records.values() if r.get("conference_url_notes")]
    assert with_notes
    for record in with_notes:
        kept = sussex[record["slug"]]
        assert kept.conference_url == record["conference_url"].strip()
        assert kept.conference_url_notes == record["conference_url_notes"].strip()
    for slug, record in records.items():
        assert sussex[slug].end_time == record["end_time"]
        assert sussex[slug].address == record["formatted_address"]
        assert sussex[slug].region == " › ".join(record["regions"])
        assert sussex[slug].updated == record["updated"].replace(" ", "T")


def test_a_windows_apostrophe_in_a_real_feed_is_put_right() -> None:
    feed = read(GUIDE / "al-anon-massachusetts.json")
    hall = by_slug(feed)["6120-friendship-tuesday-morning-afg"]
    assert hall.location_notes == "St. Clare’s Hall"  # the feed has "St. Clare\x92s Hall"
    assert feed.normalised[feeds.WINDOWS_CHARACTERS] == 1


def test_malformed_json_is_refused_with_its_line_and_column() -> None:
    text = (GUIDE / "invalid-trailing-data.json").read_text(encoding="utf-8")
    at = text.index("invalid text")
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    message = refusal(text.encode())
    assert message == (
        f"The feed isn't valid JSON: line {line}, column {column}: "
        "there is more data after the end of the list."
    )


def test_off_spec_counts_the_field_jsonschema_names_for_each_record() -> None:
    validator = spec_validator()
    for path in (*sorted(GUIDE.glob("[!i]*.json")), WILD):
        expected: Counter[str] = Counter()
        for record in raw(path):
            error = best_match(validator.iter_errors(record))
            if error is None:
                continue
            if error.absolute_path:
                expected[str(error.absolute_path[0])] += 1
            else:
                assert error.validator == "required"
                expected[next(k for k in error.validator_value if k not in record)] += 1
        assert read(path).off_spec == expected, path.name
    # Most records of the real feeds break the strict schema, on codes such as ONL and on phones.
    al_anon = read(GUIDE / "al-anon-massachusetts.json").off_spec
    assert al_anon["types"] > 0 and al_anon["conference_phone"] > 0


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"[\xff\xfe]", "The feed isn't UTF-8 text (byte 2 can't be read)"),
        (b"", "The feed file is empty: it has no meetings in it."),
        (b"  \n", "The feed file is empty: it has no meetings in it."),
        (
            b'{"name": "x"}',
            "This file is a JSON object, not a meeting list; "
            "a Meeting Guide or BMLT feed is a list of meetings.",
        ),
        (b"42", "This file is a number, not a meeting list;"),
        (b'"meetings"', "This file is a string, not a meeting list;"),
        (b"null", "This file is null, not a meeting list;"),
        (b"true", "This file is a true/false value, not a meeting list;"),
        (b"[]", "The feed has no meetings in it; nothing was changed."),
        (b'{"meetings": []}', "The feed has no meetings in it; nothing was changed."),
        (b'[{"name": "x"}, 7]', "The feed's item 2 is a number, not a meeting;"),
        (b'["x"]', "The feed's item 1 is a string, not a meeting;"),
        (b'[{"name": "x"}, [1]]', "The feed's item 2 is a list, not a meeting;"),
        (b'[{"name": "x"}, null]', "The feed's item 2 is null, not a meeting;"),
        (
            # An object of Meeting Guide records: only BMLT wraps its list in an object.
            b'{"meetings": [{"name": "x", "slug": "x", "day": 1, "time": "19:00"}]}',
            "This file is a JSON object, not a meeting list;",
        ),
        (
            b'[{"name": "a" "slug": "b"}]',
            "The feed isn't valid JSON: line 1, column 15: a comma is missing between two items.",
        ),
        (
            b'[{"name": "a",\n  }]',
            "The feed isn't valid JSON: line 2, column 3: a field name should be here",
        ),
        (
            b'[{"name" "a"}]',
            "The feed isn't valid JSON: line 1, column 10: a colon is missing after a field name.",
        ),
        (
            b'[{"name": "a}]',
            "The feed isn't valid JSON: line 1, column 11: "
            "a piece of text in quotes is never closed.",
        ),
        (
            b"[{'name': 'a'}]",
            "The feed isn't valid JSON: line 1, column 3: a field name should be here",
        ),
        (b"[1, ]", "The feed isn't valid JSON: line 1, column 5: a value was expected here."),
        (
            b'[{"name": "a"}',
            "The feed isn't valid JSON: line 1, column 15: "
            "the file ends too soon (it may have been cut off).",
        ),
        (
            b"<!DOCTYPE html><html>Not found</html>",
            "The feed isn't valid JSON: line 1, column 1: "
            "this looks like a web page, not a meeting list.",
        ),
        (
            b'[{"name": "a\\qb"}]',
            "The feed isn't valid JSON: line 1, column 13: "
            "a backslash in a piece of text doesn't start a known escape.",
        ),
        (
            b'[{"name": "a\tb"}]',
            "The feed isn't valid JSON: line 1, column 13: "
            "a piece of text in quotes has a line break or tab in it.",
        ),
        (b"[" * 100_000, "The feed isn't a meeting list: its lists are nested too deeply."),
        (
            b"[" + b"1" * 5000 + b"]",
            "The feed isn't valid JSON: it has a number too long to read.",
        ),
    ],
)
def test_a_file_that_is_not_a_feed_is_refused(data: bytes, expected: str) -> None:
    assert refusal(data).startswith(expected)


def test_a_feed_of_more_than_fifty_thousand_records_is_refused() -> None:
    assert refusal(b"[" + b",".join([b"{}"] * 50_001) + b"]") == (
        "The feed has 50,001 records, more than the 50,000 Tracker reads from one feed."
    )
    at_the_limit = parse_feed(b"[" + b",".join([b"{}"] * 50_000) + b"]")
    assert at_the_limit.records == 50_000
    assert {s.reason for s in at_the_limit.skipped} == {"no name"}


def test_a_byte_order_mark_is_accepted() -> None:
    data = b'[{"name": "A", "slug": "a", "day": 0, "time": "09:00"}]'
    for feed in (parse_feed(b"\xef\xbb\xbf" + data), parse_feed("\ufeff" + data.decode())):
        assert [m.slug for m in feed.meetings] == ["a"]


# --- the wild feed ----------------------------------------------------------------------------


def test_wild_feed_records_meetings_and_skips() -> None:
    feed = read(WILD, default_timezone="America/Chicago")
    assert feed.format == "meeting-guide"
    assert feed.records == 14
    assert feed.skipped == (
        Skipped(4, "nameless-meeting", "no name"),
        Skipped(5, "sometime", NO_WHEN),
        Skipped(7, "monday-early-bird", "the same slug as record 2"),
        Skipped(11, "day-nine", NO_WHEN),  # day 9: nothing usable is left
        Skipped(13, "online-no-time", NO_WHEN),  # a day but no time: not an ongoing group
    )
    assert [m.slug for m in feed.meetings] == [
        "4521",
        "monday-early-bird",
        "steps-and-traditions",
        "around-the-clock-online",
        "markup-group",
        "saturday-sunrise-sat-0630",
        "far-away",
        "late-finish",
        "phone-line",
    ]


def test_wild_feed_normalisation_counts() -> None:
    assert read(WILD).normalised == Counter(
        {
            feeds.SLUG_NUMBER: 1,  # 4521
            feeds.DAY_LIST: 1,  # [2]
            feeds.TIME_12H: 2,  # "7:30 PM" / "8:30 PM" (one record), "7am"
            feeds.POSTAL_NUMBER: 1,  # 62704
            feeds.UPDATED_OTHER: 2,  # "8/25/2022 11:17:07 AM", "2024-01-05T10:00:00Z"
            feeds.CONFERENCE_EMPTY: 1,  # conference_url null and conference_phone "" (once)
            feeds.TYPES_STRING: 1,  # "O,D"
            feeds.DAY_TEXT: 2,  # "1"; ["1", 3, "Friday"]
            feeds.DAY_NAME: 2,  # "Friday"; "tue"
            feeds.TIME_SECONDS: 1,  # "18:00:00"
            feeds.TYPE_NUMBER: 1,  # 11
            feeds.TYPE_DUPLICATE: 1,  # "O" twice
            feeds.TYPE_EMPTY: 1,  # " "
            feeds.CONTROL_REMOVED: 1,  # ESC in the markup group's name and notes
            feeds.SLUG_MADE: 1,  # Saturday Sunrise has no slug
            feeds.APPROXIMATE_BOOL: 1,  # true
            feeds.TIME_OTHER: 1,  # "noon"
            feeds.ZONE_UNKNOWN: 1,  # Mars/Olympus_Mons
            feeds.URL_UNKNOWN: 1,  # example.org
            feeds.PHONE_SHORT: 1,  # "+11"
            feeds.END_DROPPED: 1,  # "late"
            feeds.UPDATED_BAD: 1,  # "sometime last spring"
        }
    )


def test_wild_feed_meetings_are_normalised() -> None:
    kept = by_slug(read(WILD, default_timezone="America/Chicago"))

    tuesday = kept["4521"]
    assert (tuesday.days, tuesday.time, tuesday.end_time) == ((2,), "19:30", "20:30")
    assert tuesday.types == ("O", "D")
    assert tuesday.address == "12 Elm St, Springfield, IL 62704, US"
    assert tuesday.approximate is False  # four parts: a street address
    assert tuesday.attendance == "in_person"
    assert (tuesday.conference_url, tuesday.conference_phone) == ("", "")
    assert tuesday.region == "Springfield › Forest Park"
    assert tuesday.updated == "2022-08-25T11:17:07"
    assert tuesday.timezone == "America/Chicago"  # none given: the default

    early = kept["monday-early-bird"]
    assert (early.days, early.time, early.end_time) == ((1,), "07:00", "08:00")
    assert early.types == ("O", "ONL", "XYZ")  # unknown codes kept as they are
    assert early.timezone == "America/New_York"
    assert early.region == "Boston › Back Bay"
    assert early.updated == "2024-01-05T10:00:00"

    steps = kept["steps-and-traditions"]
    assert (steps.days, steps.time) == ((1, 3, 5), "18:00")
    assert steps.types == ("11", "O", "BE")

    ongoing = kept["around-the-clock-online"]
    assert (ongoing.days, ongoing.time, ongoing.end_time) == ((), None, None)
    assert ongoing.attendance == "online"
    assert ongoing.conference_url_notes == "Drop in any time"

    phone = kept["phone-line"]  # "day": "" and "time": null count as not given
    assert (phone.days, phone.time) == ((), None)
    assert phone.conference_phone == "+1 646 555 0199"
    assert phone.conference_phone_notes == "Press # to join"
    assert phone.attendance == "online"

    sunrise = kept["saturday-sunrise-sat-0630"]
    assert sunrise.approximate is True
    assert sunrise.attendance == "inactive"  # only an area, and no way to join online

    far = kept["far-away"]
    assert far.timezone is None  # unknown: left as local time, not the default
    assert far.conference_url == "https://example.org/our-meeting-room"
    assert far.conference_url_notes == "Ask at the door for the link"
    assert (far.conference_phone, far.conference_phone_notes) == ("", "")
    assert far.attendance == "in_person"  # the link isn't a known conference service
    assert (far.days, far.time) == ((2,), "12:00")

    late = kept["late-finish"]
    assert late.end_time is None
    assert late.updated is None
    assert late.website == "https://example.org/meetings/late-finish"  # "www..." isn't a link


def test_markup_and_control_characters_from_a_feed() -> None:
    marked = by_slug(read(WILD))["markup-group"]
    assert marked.name == "[bold]x[/] Hope [31mGroup"
    assert marked.notes == "[@click=app.quit]Tap here[/][0m\nSecond line\nThird tabbed"
    assert not CONTROL.search(marked.name + marked.notes)


# --- the rules, one record at a time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "time"),
    [
        ("19:00", "19:00"),
        ("7:05", "07:05"),
        ("19:00:00", "19:00"),
        ("7:30 PM", "19:30"),
        ("7:30pm", "19:30"),
        ("7 PM", "19:00"),
        ("12:15 am", "00:15"),
        ("noon", "12:00"),
        (" 08:45 ", "08:45"),
    ],
)
def test_times_are_read_in_the_ways_feeds_write_them(written: str, time: str) -> None:
    assert meeting(time=written).time == time


@pytest.mark.parametrize("written", ["25:00", "19:60", "7", "soon", "", 1900, [19, 0]])
def test_a_start_time_that_cannot_be_read_skips_the_record(written: Any) -> None:
    result, _ = one({"slug": "s", "name": "N", "day": 1, "time": written})
    assert result == Skipped(1, "s", NO_WHEN)


def test_an_end_time_of_24_00_is_midnight_and_a_bad_one_is_left_out() -> None:
    assert meeting(end_time="24:00").end_time == "00:00"
    assert meeting(end_time="9:15 pm").end_time == "21:15"
    assert meeting(end_time="24:30").end_time is None


@pytest.mark.parametrize(
    ("written", "days"),
    [
        (0, (0,)),
        (6, (6,)),
        ("3", (3,)),
        (3.0, (3,)),
        ("Mon", (1,)),
        ("SATURDAY", (6,)),
        ("thurs", (4,)),
        (7, (0,)),  # ISO numbering: 7 is Sunday
        ([5, 1, 5], (1, 5)),
        ([2, 9, "nope"], (2,)),
        ("1, 3", (1, 3)),
    ],
)
def test_days_are_read_in_the_ways_feeds_write_them(written: Any, days: tuple[int, ...]) -> None:
    assert meeting(day=written).days == days


@pytest.mark.parametrize("written", [-1, 8, True, "Funday", [9], [None], 2.5, {"day": 1}])
def test_a_day_that_cannot_be_read_skips_the_record(written: Any) -> None:
    result, _ = one({"slug": "s", "name": "N", "day": written, "time": "19:00"})
    assert result == Skipped(1, "s", NO_WHEN)


def test_a_name_is_needed() -> None:
    unusable: list[Any] = [None, "", "  \t ", [], {"en": "x"}, True]
    for name in unusable:
        record = {"slug": "s", "day": 1, "time": "19:00"} | ({} if name is None else {"name": name})
        assert one(record)[0] == Skipped(1, "s", "no name")
    assert meeting(name=12).name == "12"


def test_a_skipped_record_without_a_slug_is_reported_by_position() -> None:
    feed = parse_feed(b'[{"name": "A", "day": 1, "time": "19:00"}, {"day": 2}]')
    assert feed.skipped == (Skipped(2, "", "no name"),)


def test_made_slugs_are_stable_and_tell_meetings_apart() -> None:
    def made(name: str, day: int, time: str) -> str:
        result, notes = one({"name": name, "day": day, "time": time})
        assert isinstance(result, FeedMeeting)
        assert notes[feeds.SLUG_MADE] == 1
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", result.slug), result.slug
        return result.slug

    assert made("Serenity Now!", 1, "19:00") == made("Serenity Now!", 1, "19:00")
    assert made("Serenity Now!", 1, "19:00") != made("Serenity Now!", 2, "19:00")
    assert made("Serenity Now!", 1, "19:00") != made("Serenity Now!", 1, "20:00")
    assert made("Café Serenidad", 1, "19:00").startswith("cafe-serenidad-")
    assert made("平静の会", 1, "19:00") != made("回復の会", 1, "19:00")


def test_two_records_without_slugs_that_are_the_same_meeting_are_one() -> None:
    record = {"name": "Twice", "day": 3, "time": "12:00"}
    feed = parse_feed(json.dumps([record, record]))
    assert len(feed.meetings) == 1
    assert feed.skipped == (Skipped(2, feed.meetings[0].slug, "the same slug as record 1"),)


def test_a_slug_is_kept_as_given_and_a_later_duplicate_skipped() -> None:
    records = [
        {"slug": " a-1 ", "name": "One", "day": 1, "time": "19:00"},
        {"slug": "b", "name": "No time", "day": 1},
        {"slug": "b", "name": "Two", "day": 2, "time": "19:00"},
        {"slug": "a-1", "name": "Three", "day": 3, "time": "19:00"},
    ]
    feed = parse_feed(json.dumps(records))
    assert [m.slug for m in feed.meetings] == ["a-1", "b"]
    # A skipped record doesn't claim its slug; only a kept meeting does.
    assert feed.skipped == (
        Skipped(2, "b", NO_WHEN),
        Skipped(4, "a-1", "the same slug as record 1"),
    )


def test_time_zones() -> None:
    assert meeting(timezone="Europe/London").timezone == "Europe/London"
    assert meeting(timezone="Europe/Atlantis").timezone is None
    assert meeting(timezone="../../etc/passwd").timezone is None
    assert meeting().timezone is None
    result, _ = one({"slug": "s", "name": "N", "day": 1, "time": "19:00"}, default_timezone="UTC")
    assert isinstance(result, FeedMeeting) and result.timezone == "UTC"
    result, _ = one({"slug": "s", "name": "N", "day": 1, "time": "9:00"}, default_timezone="Nope/X")
    assert isinstance(result, FeedMeeting) and result.timezone is None


def test_type_codes() -> None:
    assert meeting(types=["O", "D"]).types == ("O", "D")
    assert meeting(types="C, W ,BE").types == ("C", "W", "BE")
    assert meeting(types=["X", "x", "X"]).types == ("X", "x")
    assert meeting(types=[None, {"a": 1}, "", 11]).types == ("11",)
    assert meeting(types="").types == ()


def test_the_address_is_formatted_or_joined_from_its_parts() -> None:
    assert (
        meeting(formatted_address=" 1 A St, B, MA 02108, USA ").address
        == "1 A St, B, MA 02108, USA"
    )
    joined = meeting(address="9 Elm St", city="Ayr", state="MA", postal_code=1432, country="USA")
    assert joined.address == "9 Elm St, Ayr, MA 1432, USA"
    assert meeting(city="Ayr", state="MA").address == "Ayr, MA, USA"  # the state says so
    assert meeting(formatted_address="", city="Ayr").address == "Ayr"


@pytest.mark.parametrize(
    ("fields", "approximate"),
    [
        ({"formatted_address": "1 A St, Ayr, MA 01432, USA"}, False),
        ({"formatted_address": "Ayr, MA, USA"}, True),
        ({"formatted_address": "Ayr, MA, USA", "approximate": "no"}, False),
        ({"formatted_address": "1 A St, Ayr, MA 01432, USA", "approximate": "yes"}, True),
        ({"formatted_address": "1 A St, Ayr, MA 01432, USA", "approximate": True}, True),
        ({"formatted_address": "Ayr", "coordinates": "42.5,-71.6"}, False),
        ({"formatted_address": "1 A St, Ayr, MA, USA", "coordinates": "42,-72,43,-71"}, True),
        ({}, True),
    ],
)
def test_approximate_addresses(fields: dict[str, Any], approximate: bool) -> None:
    assert meeting(**fields).approximate is approximate


@pytest.mark.parametrize(
    ("url", "kept", "online"),
    [
        ("https://zoom.us/j/123", "https://zoom.us/j/123", True),
        ("https://us02web.zoom.us/j/123?pwd=x", "https://us02web.zoom.us/j/123?pwd=x", True),
        ("http://meet.google.com/abc-defg-hij", "http://meet.google.com/abc-defg-hij", True),
        (
            "https://teams.microsoft.com/l/meetup-join/1",
            "https://teams.microsoft.com/l/meetup-join/1",
            True,
        ),
        ("https://discord.gg/abc", "https://discord.gg/abc", True),
        ("https://zoom.us.example.com/j/1", "https://zoom.us.example.com/j/1", False),
        ("https://example.org/join", "https://example.org/join", False),
        ("zoom.us/j/123", "https://zoom.us/j/123", True),
        ("example.org/join", "", False),
        ("ftp://zoom.us/j/1", "", False),
        ("javascript:alert(1)", "", False),
        ("https://", "", False),
        ("https://[::1", "", False),
    ],
)
def test_conference_links(url: str, kept: str, online: bool) -> None:
    held = meeting(conference_url=url, conference_url_notes="Passcode 1")
    assert held.conference_url == kept
    assert held.conference_url_notes == ("Passcode 1" if kept else "")
    assert held.attendance == ("online" if online else "inactive")  # no address: not in person


@pytest.mark.parametrize(
    ("phone", "kept"),
    [
        ("+16465550123", "+16465550123"),
        (" 646-555-0123 ", "646-555-0123"),  # ten digits once the dashes are set aside
        ("646-555-012", ""),
        ("+11", ""),
        (6465550123, "6465550123"),
        ("+1 929 205 6099,,123#", "+1 929 205 6099,,123#"),
    ],
)
def test_conference_phones(phone: Any, kept: str) -> None:
    held = meeting(conference_phone=phone, conference_phone_notes="PIN 1")
    assert held.conference_phone == kept
    assert held.conference_phone_notes == ("PIN 1" if kept else "")
    assert held.attendance == ("online" if kept else "inactive")


def test_an_empty_conference_field_is_counted_when_it_is_there() -> None:
    base = {"slug": "s", "name": "N", "day": 1, "time": "19:00"}
    for empty in (
        {"conference_url": None},
        {"conference_phone": "  "},
        {"conference_url_notes": ""},
    ):
        assert one(base | empty)[1][feeds.CONFERENCE_EMPTY] == 1
    assert one(base)[1][feeds.CONFERENCE_EMPTY] == 0


@pytest.mark.parametrize(
    ("types_", "address", "online", "attendance"),
    [
        (["O"], "1 A St, Ayr, MA 01432, USA", False, "in_person"),
        (["O"], "1 A St, Ayr, MA 01432, USA", True, "hybrid"),
        (["O", "TC"], "1 A St, Ayr, MA 01432, USA", True, "online"),
        (["TC"], "1 A St, Ayr, MA 01432, USA", False, "inactive"),
        (["O"], "Ayr, MA", True, "online"),
        (["O"], "Ayr, MA", False, "inactive"),
    ],
)
def test_attendance_is_derived_as_the_meeting_list_tools_do(
    types_: list[str], address: str, online: bool, attendance: str
) -> None:
    link = "https://zoom.us/j/1" if online else None
    assert meeting(types=types_, formatted_address=address, conference_url=link).attendance == (
        attendance
    )


def test_region_website_and_text_fields() -> None:
    assert meeting(regions=["A", "", "B"], region="C").region == "A › B"
    assert meeting(region="C", sub_region="D").region == "C › D"
    assert meeting(city="Ayr").region == "Ayr"
    assert meeting(website="https://a.example", url="https://b.example").website == (
        "https://a.example"
    )
    assert meeting(website="mailto:x@y.example").website == ""
    held = meeting(location=5, location_notes="a\r\nb", group="G", group_notes="n", notes=" x ")
    assert (held.location, held.location_notes, held.group, held.group_notes, held.notes) == (
        "5",
        "a\nb",
        "G",
        "n",
        "x",
    )


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2023-08-22 21:29:56", "2023-08-22T21:29:56"),
        ("8/25/2022 11:17:07 AM", "2022-08-25T11:17:07"),
        ("2022-08-25T13:00:00+02:00", "2022-08-25T11:00:00"),
        ("August 25, 2022 1:05 PM", "2022-08-25T13:05:00"),
        ("05/06/2022 10:00", None),  # 5 June or 6 May: not guessed
        ("10:00", None),  # no date at all
        ("2023-02-30 10:00:00", None),
        ("0001-01-01T00:30:00+01:00", None),  # before the year 1 in UTC
        ("yesterday", None),
        (20230822, None),
    ],
)
def test_updated_dates(written: Any, iso: str | None) -> None:
    assert meeting(updated=written).updated == iso


def test_text_is_cleaned_and_capped() -> None:
    held = meeting(
        name="N" * 250,
        notes="line one\r\nline two\x07\u202e\x00",
        location="Hall\nB\tC",
        group="Clare\x92s \ud800group",
    )
    assert held.name == "N" * 200
    assert held.notes == "line one\nline two"
    assert held.location == "Hall B C"
    assert held.group == "Clare’s group"
    assert len(meeting(notes="x" * 5000).notes) == 4000


# --- BMLT -------------------------------------------------------------------------------------


def test_the_format_is_detected_from_the_records() -> None:
    assert detect_format(raw(BMLT)) == "bmlt"
    assert detect_format(raw(GUIDE / "atlanta-small.json")) == "meeting-guide"
    assert detect_format([{"name": "x"}, {"meeting_name": "y"}]) == "bmlt"
    assert detect_format([{"id_bigint": "1"}]) == "bmlt"
    assert detect_format([{"name": "x", "weekday": 1}]) == "meeting-guide"


def test_bmlt_records_and_skips() -> None:
    feed = read(BMLT, default_timezone="Europe/London")
    assert feed.format == "bmlt"
    assert feed.records == 8
    assert [m.slug for m in feed.meetings] == [
        "2101",
        "2102",
        "2103",
        "2104",
        "2105",
        "2107",
        "2108",
    ]
    assert feed.skipped == (Skipped(6, "2106", NO_WHEN),)  # weekday_tinyint "0"
    assert feed.off_spec == Counter()  # BMLT isn't held to the Meeting Guide schema
    assert feed.normalised == Counter()  # "19:00:00" and all-text values are how BMLT writes


def test_bmlt_fields_are_mapped() -> None:
    kept = by_slug(read(BMLT, default_timezone="Europe/London"))

    sunday = kept["2101"]
    assert (sunday.days, sunday.time, sunday.end_time) == ((0,), "19:00", "20:30")
    assert sunday.name == "Sunday Night Serenity"
    assert sunday.types == ("O", "BT", "X")
    assert sunday.attendance == "in_person"
    assert sunday.address == "123 Main St, Springfield, IL 62701, US"
    assert sunday.approximate is False
    assert sunday.location == "St. Mark's Parish Hall"
    assert sunday.location_notes == "Side door by the car park; meeting room in the basement"
    assert sunday.region == "Downtown"
    assert sunday.notes == "Coffee from 6:30pm. Everyone welcome."
    assert sunday.timezone == "Europe/London"
    assert (sunday.group, sunday.updated) == ("", None)

    online = kept["2102"]
    assert online.attendance == "online"
    assert online.timezone == "America/Chicago"
    assert online.conference_url == "https://us02web.zoom.us/j/81234567890?pwd=abcDEF123"
    assert online.conference_url_notes == "Meeting ID: 812 3456 7890 Passcode: 1234"
    assert online.conference_phone == "+16465550123,,81234567890#"
    assert online.types == ("C", "VM", "JT")
    assert online.approximate is True  # no street

    hybrid = kept["2103"]
    assert hybrid.attendance == "hybrid"
    assert hybrid.types == ("O", "HY", "BE")  # NA's B is Beginners
    assert hybrid.region == "Westside"  # the neighbourhood, with no city subsection

    assert kept["2104"].attendance == "inactive"  # in person, temporarily closed
    assert kept["2104"].types == ("C", "TC", "W")
    assert kept["2104"].address == "55 Oak Ave, Springfield, IL 62703"

    late = kept["2105"]
    assert (late.days, late.time, late.end_time) == ((4,), "23:30", "00:30")
    assert late.types == ("O", "LGBTQ", "Sm")

    assert kept["2107"].types == ("O", "S", "X")
    assert kept["2107"].days == (6,)
    assert kept["2107"].region == "Southside"
    assert kept["2108"].attendance == "online"  # hybrid, but the building is closed
    assert kept["2108"].types == ("C", "TC", "Y")


def test_bmlt_formats_list_names_the_keys() -> None:
    wrapped = {
        "meetings": raw(BMLT),
        "formats": [
            {"key_string": "B", "name_string": "Big Book", "lang": "en", "id": "2"},
            {"key_string": "Sm", "name_string": "Smoking Permitted", "lang": "en", "id": "51"},
            {"key_string": "BT", "name_string": "Basic Text", "lang": "en", "id": "3"},
            {"key_string": "ES", "name_string": "Español", "lang": "en", "id": "26"},
            "not a format",
        ],
    }
    kept = by_slug(parse_feed(json.dumps(wrapped)))
    assert kept["2103"].types == ("O", "HY", "B")  # this server's B is the Big Book
    assert kept["2105"].types == ("O", "LGBTQ", "SM")
    assert kept["2101"].types == ("O", "BT", "X")  # no Meeting Guide type is "Basic Text"
    assert kept["2107"].types == ("O", "S", "X")


def test_bmlt_attendance_without_a_venue_type_is_derived() -> None:
    records = raw(BMLT)
    for record in records:
        del record["venue_type"]
    kept = by_slug(parse_feed(json.dumps(records)))
    assert kept["2101"].attendance == "in_person"
    assert kept["2102"].attendance == "online"  # a Zoom link and no street
    assert kept["2103"].attendance == "hybrid"
    assert kept["2104"].attendance == "inactive"
    assert kept["2108"].attendance == "online"


def test_bmlt_durations_and_bad_values() -> None:
    base = raw(BMLT)[0]

    def bmlt(**fields: Any) -> FeedMeeting | Skipped:
        feed = parse_feed(json.dumps([base | fields]))
        return (feed.meetings or feed.skipped)[0]

    def end(duration: str) -> str | None:
        result = bmlt(duration_time=duration)
        assert isinstance(result, FeedMeeting)
        return result.end_time

    assert end("00:45:00") == "19:45"
    assert end("5:00") == "00:00"
    assert end("00:00:00") is None
    assert end("") is None
    assert end("long") is None
    assert bmlt(weekday_tinyint="8") == Skipped(1, "2101", NO_WHEN)
    assert bmlt(start_time="") == Skipped(1, "2101", NO_WHEN)
    assert bmlt(meeting_name="") == Skipped(1, "2101", "no name")
    made = bmlt(id_bigint="")
    assert isinstance(made, FeedMeeting) and made.slug == "sunday-night-serenity-sun-1900"
    assert bmlt(time_zone="Nowhere/Land") == bmlt(time_zone="")  # unknown: local time


# --- type names and the schema ----------------------------------------------------------------


def types_file() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = json.loads((SPEC / "types.json").read_bytes())
    return table


def test_type_names_in_the_persons_language() -> None:
    table = types_file()
    for language in ("es", "es_ES.UTF-8", "ES-mx"):
        assert type_names(language) == {code: names["es"] for code, names in table.items()}
    assert type_name("BE", "pt-BR") == table["BE"]["pt"]
    assert type_name("BE", "fr_CA@euro") == table["BE"]["fr"]
    english = {code: names["en"] for code, names in table.items()}
    assert type_names() == english
    assert type_names("de_DE.UTF-8") == english  # no German in the file
    assert type_names("C") == english
    assert type_name("O") == "Open"
    assert type_name("ONL", "es") == "ONL"  # unknown codes are shown as they are


def test_type_names_fall_back_to_english_code_by_code(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {"O": {"en": "Open", "es": "Abierta"}, "W": {"en": "Women", "es": ""}, "Q": {}}
    types._names.cache_clear()
    monkeypatch.setattr(types, "_types_table", lambda: table)
    try:
        assert type_names("es") == {"O": "Abierta", "W": "Women", "Q": "Q"}
    finally:
        types._names.cache_clear()


def test_type_names_are_a_copy() -> None:
    names = type_names("es")
    names["O"] = "changed"
    assert type_names("es")["O"] != "changed"


def test_the_schema_resolves_its_references_offline() -> None:
    validator = spec_validator()
    assert validator is spec_validator()  # cached
    assert validator.is_valid({"name": "N", "slug": "n", "day": [1, 3], "types": ["O", "BE"]})
    # The type codes live in meeting-type.schema.json, reached through a $ref to a web address.
    error = best_match(validator.iter_errors({"name": "N", "slug": "n", "types": ["ONL"]}))
    assert error is not None and list(error.absolute_path) == ["types", 0]
    assert not validator.is_valid({"name": "N"})
    assert not validator.is_valid({"name": "N", "slug": "n", "day": [7]})
    registry = validator._registry
    for name in ("feed.schema.json", "meeting.schema.json", "meeting-type.schema.json"):
        uri = json.loads((SPEC / name).read_bytes())["$id"]
        assert registry[uri].contents == json.loads((SPEC / name).read_bytes())


# --- properties -------------------------------------------------------------------------------

KEYS = [
    "name", "slug", "day", "time", "end_time", "timezone", "types", "formatted_address",
    "address", "city", "state", "postal_code", "country", "approximate", "coordinates",
    "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes",
    "regions", "region", "sub_region", "location", "notes", "group", "website", "url",
    "updated", "meeting_name", "weekday_tinyint", "start_time", "duration_time", "venue_type",
    "formats", "id_bigint", "time_zone", "virtual_meeting_link", "phone_meeting_number",
    "location_street", "location_municipality",
]  # fmt: skip
TYPICAL = [
    "19:00", "7:30 PM", "noon", "19:00:00", "01:30:00", "24:00", 0, 1, 6, 7, "1", "Monday",
    [1, 2], [3], "O,D", ["O", "TC"], "https://zoom.us/j/1", "zoom.us/j/2", "+16465550123",
    "+11", "yes", "no", "America/New_York", "Nowhere/Else", "8/25/2022 11:17:07 AM",
    "2023-08-22 21:29:56", "1 A St, Ayr, MA 01432, USA", "[bold]x[/]", "\x1b[31mred", "\ud800",
]  # fmt: skip
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(TYPICAL)
)
values = scalars | st.lists(scalars, max_size=4)
records = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), values, max_size=14)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)
)


def check_feed(feed: ParsedFeed, records: int) -> None:
    assert feed.records == records
    assert len(feed.meetings) + len(feed.skipped) == records
    assert len({m.slug for m in feed.meetings}) == len(feed.meetings)
    for kept in feed.meetings:
        assert kept.name and kept.slug
        assert kept.attendance in ATTENDANCE
        if kept.days:
            assert all(0 <= day <= 6 for day in kept.days)
            assert list(kept.days) == sorted(set(kept.days))
            assert kept.time is not None and HHMM.fullmatch(kept.time)
        else:  # an ongoing online group
            assert kept.time is None and kept.end_time is None
            assert kept.attendance in ("online", "hybrid")
        assert kept.end_time is None or HHMM.fullmatch(kept.end_time)
        for field in ("name", "slug", "address", "location", "region", "group", "notes"):
            text = getattr(kept, field)
            assert not CONTROL.search(text) and not re.search("[\ud800-\udfff]", text)
            assert text == text.strip()
        assert "\n" not in kept.name + kept.slug + kept.address


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records | scalars, max_size=8))
def test_any_list_of_records_is_read_or_refused_with_a_feed_error(items: list[Any]) -> None:
    try:
        feed = parse_feed(json.dumps(items).encode())
    except FeedError:
        return
    check_feed(feed, len(items))


@settings(max_examples=200)
@given(st.lists(records, min_size=1, max_size=8))
def test_lists_of_records_are_never_refused(items: list[dict[str, Any]]) -> None:
    check_feed(parse_feed(json.dumps(items)), len(items))


@settings(max_examples=200)
@given(json_values)
def test_any_json_value_is_read_or_refused_with_a_feed_error(value: Any) -> None:
    try:
        feed = parse_feed(json.dumps(value))
    except FeedError:
        return
    check_feed(feed, len(value if isinstance(value, list) else value["meetings"]))


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_a_feed_error(data: bytes) -> None:
    try:
        feed = parse_feed(data)
    except FeedError:
        return
    assert isinstance(feed, ParsedFeed)


def test_an_address_in_parts_with_a_us_state_or_canadian_province_is_a_full_address() -> None:
    """As the meeting-list tools read it: no country, but a state of the USA (or a province of
    Canada), is that country, so a street address in parts is a real place, not an area."""
    records = [
        {
            "slug": "us",
            "name": "Springfield Step",
            "day": 1,
            "time": "19:00",
            "address": "12 Main St",
            "city": "Springfield",
            "state": "IL",
            "postal_code": 62701,
        },
        {
            "slug": "ca",
            "name": "Montreal",
            "day": 1,
            "time": "19:00",
            "address": "1 Rue Sainte",
            "city": "Montreal",
            "state": "qc",
        },
        {
            "slug": "uk",
            "name": "Lewes",
            "day": 1,
            "time": "19:00",
            "address": "1 High St",
            "city": "Lewes",
            "state": "East Sussex",
        },
    ]
    found = {m.slug: m for m in parse_feed(json.dumps(records)).meetings}
    assert found["us"].address == "12 Main St, Springfield, IL 62701, USA"
    assert (found["us"].approximate, found["us"].attendance) == (False, "in_person")
    assert found["ca"].address.endswith(", Canada") and found["ca"].attendance == "in_person"
    # Three parts and no country the tools can infer: an area, as they read it.
    assert found["uk"].approximate is True

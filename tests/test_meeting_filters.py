"""The directory's filters and order, and a meeting made into a group (pure logic)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.schedules import stored_schedule
from tracker.errors import InvalidField
from tracker.meetings.filters import (
    TIMES_OF_DAY,
    Directory,
    MeetingFilter,
    fold,
    in_time_of_day,
    next_text,
    parse_day,
    time_of_day_key,
    when_text,
)
from tracker.meetings.model import FeedMeeting
from tracker.meetings.my_groups import group_fields_for, local_days_and_time, unique_name

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# Thursday 26 November 2026, 18:00 in London.
NOW = datetime(2026, 11, 26, 18, 0, tzinfo=LONDON)
TODAY = NOW.date()


def meeting(slug: str, **fields: object) -> FeedMeeting:
    values: dict[str, object] = {
        "name": slug.replace("-", " ").title(),
        "days": (2,),
        "time": "19:00",
    }
    values.update(fields)
    return FeedMeeting(slug=slug, **values)  # type: ignore[arg-type]


def slugs(
    directory: Directory[FeedMeeting], wanted: MeetingFilter, now: datetime = NOW
) -> list[str]:
    return [found.meeting.slug for found in directory.select(wanted, now=now).found]


TUESDAY_ONLINE = meeting("tue-online", attendance="online", conference_url="https://zoom.us/j/1")
TUESDAY_HYBRID = meeting("tue-hybrid", time="19:30", attendance="hybrid", types=("O", "W"))
TUESDAY_MORNING = meeting("tue-morning", time="07:30", types=("BE",))
THURSDAY_LATE = meeting("thu-late", days=(4,), time="20:30", types=("A", "O"))
WEEKEND = meeting("weekend", days=(0, 6), time="10:00", notes="Coffee after — café downstairs")
CLOSED = meeting("closed", days=(1,), time="12:00", attendance="inactive", types=("TC",))
ONGOING = meeting("ongoing", days=(), time=None, attendance="online", conference_url="https://x")
ALL = [TUESDAY_ONLINE, TUESDAY_HYBRID, TUESDAY_MORNING, THURSDAY_LATE, WEEKEND, CLOSED, ONGOING]


@pytest.fixture
def directory() -> Directory[FeedMeeting]:
    return Directory(ALL, type_names={"W": "Women", "BE": "Newcomer", "A": "Secular"})


def test_soonest_first_counted_from_now(directory: Directory[FeedMeeting]) -> None:
    # Thursday 18:00: tonight 20:30 first, then the weekend, then next week; then the ongoing
    # group (no set time) and the closed one.
    assert slugs(directory, MeetingFilter()) == [
        "thu-late",
        "weekend",
        "tue-morning",
        "tue-online",
        "tue-hybrid",
        "closed",
        "ongoing",
    ]
    first = directory.select(MeetingFilter(), now=NOW).found[0]
    assert first.next_time == datetime(2026, 11, 26, 20, 30, tzinfo=LONDON)
    assert next_text(first, now=NOW) == "Today 20:30"


def test_a_meeting_on_several_days_counts_its_nearest_day(
    directory: Directory[FeedMeeting],
) -> None:
    found = {f.meeting.slug: f for f in directory.select(MeetingFilter(), now=NOW).found}
    assert found["weekend"].next_time == datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)  # Saturday
    sunday_only = directory.select(MeetingFilter(days=frozenset({0})), now=NOW).found
    assert [f.meeting.slug for f in sunday_only] == ["weekend"]
    assert sunday_only[0].next_time == datetime(2026, 11, 29, 10, 0, tzinfo=LONDON)


def test_online_on_tuesday_evening(directory: Directory[FeedMeeting]) -> None:
    wanted = MeetingFilter(
        days=frozenset({2}), times=frozenset({"evening"}), ways=frozenset({"online"})
    )
    # Hybrid meetings can be joined online too; the morning one and in-person ones are out.
    assert slugs(directory, wanted) == ["tue-online", "tue-hybrid"]
    assert wanted.describe() == "online (or hybrid), Tuesday, evening"


def test_in_person_includes_hybrid_and_hybrid_only_is_hybrid(
    directory: Directory[FeedMeeting],
) -> None:
    assert "tue-hybrid" in slugs(directory, MeetingFilter(ways=frozenset({"in-person"})))
    assert "tue-online" not in slugs(directory, MeetingFilter(ways=frozenset({"in-person"})))
    assert slugs(directory, MeetingFilter(ways=frozenset({"hybrid"}))) == ["tue-hybrid"]


def test_types_by_kind_or_code_all_must_match(directory: Directory[FeedMeeting]) -> None:
    assert slugs(directory, MeetingFilter(types=frozenset({"women"}))) == ["tue-hybrid"]
    assert slugs(directory, MeetingFilter(types=frozenset({"BE"}))) == ["tue-morning"]
    assert slugs(directory, MeetingFilter(types=frozenset({"secular", "open"}))) == ["thu-late"]
    assert slugs(directory, MeetingFilter(types=frozenset({"secular", "women"}))) == []


def test_words_ignore_case_and_accents_and_match_type_names(
    directory: Directory[FeedMeeting],
) -> None:
    assert slugs(directory, MeetingFilter(text="CAFE")) == ["weekend"]
    assert slugs(directory, MeetingFilter(text="coffee downstairs")) == ["weekend"]
    assert slugs(directory, MeetingFilter(text="coffee upstairs")) == []
    assert slugs(directory, MeetingFilter(text="newcomer")) == ["tue-morning"]


def test_inactive_can_be_left_out(directory: Directory[FeedMeeting]) -> None:
    assert "closed" not in slugs(directory, MeetingFilter(include_inactive=False))
    closed = [
        f for f in directory.select(MeetingFilter(), now=NOW).found if f.meeting.slug == "closed"
    ]
    assert closed[0].next_time is None
    assert next_text(closed[0], now=NOW) == "Closed for now"


def test_limit_keeps_the_total(directory: Directory[FeedMeeting]) -> None:
    selection = directory.select(MeetingFilter(), now=NOW, limit=2)
    assert len(selection.found) == 2
    assert selection.total == len(ALL)


def test_next_time_is_counted_in_the_meetings_own_zone() -> None:
    # 18:00 in London is 13:00 in New York: a New York meeting at 14:00 today is an hour away.
    far = meeting("ny", days=(4,), time="14:00", timezone="America/New_York")
    near = meeting("london", days=(4,), time="19:30")
    directory = Directory([near, far], local_zone=LONDON)
    found = directory.select(MeetingFilter(), now=NOW).found
    assert [f.meeting.slug for f in found] == ["ny", "london"]
    assert found[0].next_time == datetime(2026, 11, 26, 14, 0, tzinfo=NEW_YORK)
    # Shown on the person's own clock: 14:00 in New York is 19:00 in London.
    assert next_text(found[0], now=NOW) == "Today 19:00"
    late = meeting("ny-late", days=(4,), time="20:00", timezone="America/New_York")
    found = Directory([late], local_zone=LONDON).select(MeetingFilter(), now=NOW).found
    assert next_text(found[0], now=NOW) == "Tomorrow 01:00"


def test_a_meeting_starting_now_is_due_now_not_next_week() -> None:
    directory = Directory([meeting("now", days=(4,), time="18:00")], local_zone=LONDON)
    assert directory.select(MeetingFilter(), now=NOW).found[0].next_time == NOW


def test_now_must_be_aware(directory: Directory[FeedMeeting]) -> None:
    with pytest.raises(ValueError):
        directory.select(MeetingFilter(), now=NOW.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("minute", "parts"),
    [
        (7 * 60, {"morning"}),
        (11 * 60 + 30, {"morning", "midday"}),
        (16 * 60 + 30, {"midday", "evening"}),
        (20 * 60 + 30, {"evening", "night"}),
        (23 * 60, {"night"}),
        (2 * 60, {"night"}),
    ],
)
def test_parts_of_the_day_overlap_as_the_meeting_tools_do(minute: int, parts: set[str]) -> None:
    assert {key for key in TIMES_OF_DAY if in_time_of_day(minute, key)} == parts


def test_day_and_time_words() -> None:
    assert [parse_day(w) for w in ("sunday", "Tue", "tues", "2", "SAT", "thursdays")] == [
        0,
        2,
        2,
        2,
        6,
        4,
    ]
    assert time_of_day_key("Afternoon") == "midday"
    with pytest.raises(InvalidField, match="day: 'someday' isn't a day"):
        parse_day("someday")
    with pytest.raises(InvalidField, match=r"^time:"):
        time_of_day_key("teatime")
    with pytest.raises(InvalidField):
        parse_day("7")


def test_when_text() -> None:
    assert when_text(WEEKEND) == "Sundays and Saturdays, 10:00"
    assert when_text(replace(TUESDAY_ONLINE, end_time="20:00")) == "Tuesdays, 19:00 to 20:00"
    assert when_text(ONGOING).startswith("Any time")
    assert when_text(meeting("daily", days=tuple(range(7)))) == "Every day, 19:00"


def test_fold() -> None:
    assert fold("  Café   CRÈME ") == "cafe creme"


meetings = st.builds(
    FeedMeeting,
    slug=st.text("abcdef", min_size=1, max_size=4),
    name=st.text(min_size=1, max_size=8),
    days=st.lists(st.integers(0, 6), max_size=3, unique=True).map(lambda d: tuple(sorted(d))),
    time=st.one_of(st.none(), st.times().map(lambda t: f"{t:%H:%M}")),
    attendance=st.sampled_from(["in_person", "online", "hybrid", "inactive"]),
    types=st.lists(st.sampled_from(["O", "C", "W", "BE", "A", "X"]), max_size=3, unique=True).map(
        tuple
    ),
    timezone=st.sampled_from([None, "America/New_York", "Asia/Tokyo"]),
)
filters = st.builds(
    MeetingFilter,
    days=st.frozensets(st.integers(0, 6), max_size=2),
    times=st.frozensets(st.sampled_from(list(TIMES_OF_DAY)), max_size=2),
    ways=st.frozensets(st.sampled_from(["online", "in-person", "hybrid"]), max_size=2),
    types=st.frozensets(st.sampled_from(["O", "women", "newcomer", "X"]), max_size=2),
    include_inactive=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(meetings, max_size=12),
    filters,
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
)
def test_every_match_passes_the_filter_and_the_order_is_by_next_time(
    items: list[FeedMeeting], wanted: MeetingFilter, now: datetime
) -> None:
    directory = Directory(items, local_zone=LONDON)
    found = directory.select(wanted, now=now).found
    everything = directory.select(MeetingFilter(), now=now).found
    assert len(everything) == len(items)
    timed = [f.next_time for f in found if f.next_time is not None]
    assert timed == sorted(timed)  # soonest first
    for f in found:
        m = f.meeting
        if wanted.days:
            assert set(m.days) & wanted.days
        if wanted.ways:
            assert m.attendance in {"hybrid"} | {w.replace("-", "_") for w in wanted.ways}
        if not wanted.include_inactive:
            assert m.attendance != "inactive"
        if f.next_time is not None:
            start = now.replace(second=0, microsecond=0)  # a meeting starting this minute is due
            assert start <= f.next_time < start + timedelta(days=7)
            assert f.next_time.strftime("%H:%M") == m.time
            assert (f.next_time.weekday() + 1) % 7 in m.days


# --- Add to my groups ------------------------------------------------------------------------


def test_group_from_a_meeting_has_its_schedule_and_format() -> None:
    fields = group_fields_for(
        replace(TUESDAY_HYBRID, days=(2, 4), types=("O", "W", "A")),
        today=TODAY,
        local_zone=LONDON,
        source="Sussex AA",
        type_names={"O": "Open", "W": "Women", "A": "Secular"},
    ).validated()
    schedule = stored_schedule(fields.schedule)
    assert schedule is not None
    assert schedule.describe() == "Tuesdays and Thursdays at 19:30"
    first = schedule.next_after(datetime(2026, 11, 26, 12, 0))
    assert first == datetime(2026, 11, 26, 19, 30)  # this Thursday
    assert fields.format == "hybrid"
    assert fields.tags == ("12-step", "secular")
    assert fields.status == "trying"
    assert "From the meeting list Sussex AA." in fields.notes
    assert "Type: Open, Women, Secular." in fields.notes


def test_an_online_meeting_elsewhere_is_converted_to_local_time() -> None:
    # Tuesday 19:00 in New York is Wednesday 00:00 in London (in November).
    far = replace(TUESDAY_ONLINE, timezone="America/New_York")
    days, at = local_days_and_time(far, today=TODAY, local_zone=LONDON) or ([], time())
    assert (days, at) == ([2], time(0, 0))  # Wednesday (Monday = 0)
    fields = group_fields_for(far, today=TODAY, local_zone=LONDON)
    schedule = stored_schedule(fields.schedule)
    assert schedule is not None and schedule.describe() == "Wednesdays at 00:00"
    assert fields.format == "online"
    assert fields.location == "https://zoom.us/j/1"
    assert "(America/New_York)" in fields.notes


def test_without_zones_times_are_taken_as_they_are() -> None:
    far = replace(TUESDAY_ONLINE, timezone="America/New_York")
    assert local_days_and_time(far, today=TODAY, local_zone=None) == ([1], time(19, 0))
    assert local_days_and_time(ONGOING, today=TODAY, local_zone=LONDON) is None
    assert group_fields_for(ONGOING, today=TODAY, local_zone=LONDON).schedule is None


def test_family_groups_and_unique_names() -> None:
    alanon = meeting("afg", name="Hope AFG")
    fields = group_fields_for(alanon, today=TODAY, local_zone=None, source="Al-Anon Mass")
    assert fields.pillar == "family" and "family" in fields.tags
    assert unique_name(TUESDAY_HYBRID, ["tue hybrid"]) == "Tue Hybrid (Tue 19:30)"
    assert unique_name(TUESDAY_HYBRID, ["Tue Hybrid", "Tue Hybrid (Tue 19:30)"], source="X") == (
        "Tue Hybrid (X)"
    )
    assert unique_name(TUESDAY_HYBRID, []) == "Tue Hybrid"


def test_a_group_from_any_meeting_is_valid() -> None:
    long = meeting("x" * 10, name="N" * 200, location="L" * 600, notes="n" * 5000, days=(0,))
    fields = group_fields_for(long, today=TODAY, local_zone=LONDON).validated()
    assert len(fields.name) <= 80 and len(fields.location) <= 500


@pytest.mark.parametrize("today", [date(2026, 3, 10), date(2026, 10, 27), TODAY])
def test_conversion_holds_for_most_of_the_year_whatever_the_week(today: date) -> None:
    """New York and London change their clocks on different dates: in the weeks between, a
    Tuesday 19:00 New York meeting is Tuesday 23:00 in London; the rest of the year it is
    Wednesday 00:00. Added in one of those weeks, the group still gets the usual time."""
    far = replace(TUESDAY_ONLINE, timezone="America/New_York")
    assert local_days_and_time(far, today=today, local_zone=LONDON) == ([2], time(0, 0))


def test_al_anon_alongside_or_fragrance_free_is_not_a_family_group() -> None:
    aa = meeting("aa", name="Big Book Study", types=("C", "FF", "AL-AN"))
    fields = group_fields_for(aa, today=TODAY, local_zone=None, source="Sussex AA")
    assert fields.pillar == "peer" and "family" not in fields.tags
    afg = meeting("afg", name="Serenity AFG (Tuesday)")
    assert group_fields_for(afg, today=TODAY, local_zone=None).pillar == "family"

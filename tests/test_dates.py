"""Reading and showing dates and times (tracker.domain.dates)."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.dates import (
    MONTH_ABBRS,
    MONTH_NAMES,
    days_ago_phrase,
    format_day,
    parse_date,
    parse_time,
    week_label,
    week_start,
)
from tracker.errors import AmbiguousDate, InvalidField

TODAY = date(2026, 11, 26)  # a Thursday


def parse(text: str, *, field: str = "date", allow_future: bool = False) -> date:
    return parse_date(text, today=TODAY, field=field, allow_future=allow_future)


# --- accepted forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("TODAY", TODAY),
        ("  today  ", TODAY),
        ("t", TODAY),
        ("yesterday", date(2026, 11, 25)),
        ("Yesterday", date(2026, 11, 25)),
        ("y", date(2026, 11, 25)),
        ("0 days ago", TODAY),
        ("2 days ago", date(2026, 11, 24)),
        ("1 day ago", date(2026, 11, 25)),
        ("a day ago", date(2026, 11, 25)),
        ("a week ago", date(2026, 11, 19)),
        ("1 week ago", date(2026, 11, 19)),
        ("two weeks ago", date(2026, 11, 12)),
        ("3  weeks   ago", date(2026, 11, 5)),
        ("a month ago", date(2026, 10, 26)),
        ("1 year ago", date(2025, 11, 26)),
    ],
)
def test_words_and_counts(text: str, expected: date) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Most recent such day on or before today (today is a Thursday).
        ("thu", TODAY),
        ("thursday", TODAY),
        ("Thurs", TODAY),
        ("tue", date(2026, 11, 24)),
        ("tues", date(2026, 11, 24)),
        ("Tuesday", date(2026, 11, 24)),
        ("wed", date(2026, 11, 25)),
        ("fri", date(2026, 11, 20)),
        ("sat", date(2026, 11, 21)),
        ("sunday", date(2026, 11, 22)),
        ("mon", date(2026, 11, 23)),
        # "last" is strictly before today.
        ("last thu", date(2026, 11, 19)),
        ("last thursday", date(2026, 11, 19)),
        ("last tue", date(2026, 11, 24)),
        ("last tuesday", date(2026, 11, 24)),
        ("LAST FRI", date(2026, 11, 20)),
    ],
)
def test_weekdays(text: str, expected: date) -> None:
    assert parse(text) == expected


def test_weekday_on_the_same_weekday_is_today() -> None:
    tuesday = date(2026, 11, 24)
    assert parse_date("tue", today=tuesday) == tuesday
    assert parse_date("last tue", today=tuesday) == date(2026, 11, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026/3/4", date(2026, 3, 4)),  # four-digit year first is always year-month-day
        ("2026.03.04", date(2026, 3, 4)),
        ("1900-01-01", date(1900, 1, 1)),
    ],
)
def test_iso_and_year_first(text: str, expected: date) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 Nov", date(2026, 11, 20)),
        ("20 nov", date(2026, 11, 20)),
        ("20 november", date(2026, 11, 20)),
        ("20 NOVEMBER", date(2026, 11, 20)),
        ("Nov 20", date(2026, 11, 20)),
        ("November 20", date(2026, 11, 20)),
        ("20th Nov", date(2026, 11, 20)),
        ("20th of November", date(2026, 11, 20)),
        ("Nov 20th", date(2026, 11, 20)),
        ("Nov. 20", date(2026, 11, 20)),
        ("1st Nov", date(2026, 11, 1)),
        ("2nd Nov", date(2026, 11, 2)),
        ("3rd Nov", date(2026, 11, 3)),
        ("26 Nov", TODAY),
        ("3 sept", date(2026, 9, 3)),
        ("20 Nov 2025", date(2025, 11, 20)),
        ("Nov 20, 2025", date(2025, 11, 20)),
        ("Nov 20 2025", date(2025, 11, 20)),
        ("20-Nov-2025", date(2025, 11, 20)),
        ("20 Nov, 2025", date(2025, 11, 20)),
        # Without a year: the most recent one on or before today.
        ("30 Dec", date(2025, 12, 30)),
        ("27 Nov", date(2025, 11, 27)),
        ("1 Jan", date(2026, 1, 1)),
        # As format_day writes it.
        ("Mon 23 Nov", date(2026, 11, 23)),
        ("Thu 27 Nov 2025", date(2025, 11, 27)),
        ("monday, 23 november", date(2026, 11, 23)),
    ],
)
def test_day_and_month(text: str, expected: date) -> None:
    assert parse(text) == expected


def test_leap_day_without_a_year_is_the_most_recent_leap_years() -> None:
    assert parse("29 Feb") == date(2024, 2, 29)
    assert parse("Feb 29th") == date(2024, 2, 29)
    assert parse_date("29 Feb", today=date(2028, 2, 28)) == date(2024, 2, 29)
    assert parse_date("29 Feb", today=date(2028, 2, 29)) == date(2028, 2, 29)
    assert parse("29 Feb 2024") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/11/2026", date(2026, 11, 20)),  # 20 can't be a month
        ("11/20/2026", date(2026, 11, 20)),
        ("20.11.2026", date(2026, 11, 20)),
        ("20-11-2026", date(2026, 11, 20)),
        ("12/12/12", date(2012, 12, 12)),  # every reading agrees
        ("25/12/25", date(2025, 12, 25)),  # day-month-year and year-month-day agree
    ],
)
def test_unambiguous_numbers(text: str, expected: date) -> None:
    assert parse(text) == expected


# --- ambiguity ------------------------------------------------------------------------------------


def test_three_way_ambiguity_asks_rather_than_guesses() -> None:
    with pytest.raises(AmbiguousDate) as caught:
        parse("03/04/05", field="met_on")
    err = caught.value
    assert err.field == "met_on"
    assert err.text == "03/04/05"
    assert err.candidates == ["5 April 2003", "4 March 2005", "3 April 2005"]
    assert "03/04/05" in str(err)
    assert "3 April 2005" in str(err)
    assert isinstance(err, InvalidField)


def test_two_way_ambiguity() -> None:
    with pytest.raises(AmbiguousDate) as caught:
        parse("3/4/2026")
    assert caught.value.field == "date"
    assert caught.value.candidates == ["4 March 2026", "3 April 2026"]


def test_ambiguity_is_checked_before_the_future() -> None:
    # 3 Dec 2026 would be in the future, but we still ask rather than pick 12 March.
    with pytest.raises(AmbiguousDate) as caught:
        parse("3/12/2026")
    assert caught.value.candidates == ["12 March 2026", "3 December 2026"]


def test_two_digit_years_count_from_today_not_the_system_clock() -> None:
    assert parse_date("25/12/25", today=TODAY) == date(2025, 12, 25)
    # Within 50 years either side of today's year, as dateutil does.
    assert parse_date("25/12/80", today=TODAY) == date(1980, 12, 25)
    later = date(2050, 1, 1)
    assert parse_date("25/12/80", today=later, allow_future=True) == date(2080, 12, 25)
    assert parse_date("25/12/00", today=later) == date(2000, 12, 25)


# --- rejections -----------------------------------------------------------------------------------


def _message(text: str) -> str:
    with pytest.raises(InvalidField) as caught:
        parse(text)
    assert not isinstance(caught.value, AmbiguousDate)
    return str(caught.value)


def test_unreadable_message_is_warm_and_shows_examples() -> None:
    assert _message("tomorow") == (
        "date: couldn't read 'tomorow'. "
        "Try 'today', 'yesterday', 'last tue', '20 Nov' or '2026-11-20'."
    )


def test_field_name_is_used() -> None:
    with pytest.raises(InvalidField) as caught:
        parse_date("blah", today=TODAY, field="met_on")
    assert caught.value.field == "met_on"
    assert str(caught.value).startswith("met_on: couldn't read 'blah'.")


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty(text: str) -> None:
    assert _message(text).startswith("date: please enter a date.")


@pytest.mark.parametrize("text", ["7", "2026", "20261120", "0"])
def test_bare_numbers(text: str) -> None:
    assert _message(text).startswith(f"date: {text!r} is just a number.")


@pytest.mark.parametrize(
    "text",
    [
        "tomorow",
        "blah",
        "next",
        "last",
        "last week",
        "nov",
        "nov 2026",
        "20",
        "1/2",
        "1/2/3",
        "20/11",
        "today at 7pm",
        "the 20th",
        "20 nov 26",
        "2026-11-20T10:00",
        "Tuesday the 24th",
        "20 Nov 2026 extra",
        "2 fortnights ago",
        "-1 days ago",
        "20/11-2026",
    ],
)
def test_nonsense_is_not_fuzzy_parsed(text: str) -> None:
    message = _message(text)
    assert ("couldn't read" in message) or ("just a number" in message)


@pytest.mark.parametrize(
    "text",
    ["31 Feb", "30 february", "32 Nov", "0 Nov", "2026-02-30", "2026-13-01", "2026-00-10",
     "29 Feb 2026", "31/02/2026", "13/13/2026", "31 Apr 2025"],
)  # fmt: skip
def test_days_not_on_the_calendar(text: str) -> None:
    message = _message(text)
    assert message == f"date: {text!r} isn't a day on the calendar. Please check the day and month."


def test_weekday_must_match_the_date() -> None:
    assert _message("Fri 23 Nov") == (
        "date: 23 November 2026 is a Monday, not a Friday. Please check the day or the date."
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-12-01", "2026-12-01"),
        ("27/11/2026", "2026-11-27"),
        ("1 Jan 2027", "2027-01-01"),
        ("tomorrow", "2026-11-27"),
        ("next tue", "2026-12-01"),
        ("next thu", "2026-12-03"),
    ],
)
def test_future_is_refused_unless_allowed(text: str, iso: str) -> None:
    assert _message(text) == (
        f"date: {iso} is in the future. Journal entries are for things that have happened."
    )
    assert parse(text, allow_future=True) == date.fromisoformat(iso)


def test_relative_forms_still_look_back_when_future_is_allowed() -> None:
    assert parse("30 Dec", allow_future=True) == date(2025, 12, 30)
    assert parse("fri", allow_future=True) == date(2026, 11, 20)


@pytest.mark.parametrize("text", ["1899-12-31", "31 Dec 1899", "1/1/1899", "200 years ago"])
def test_before_1900(text: str) -> None:
    assert "before 1900" in _message(text)


def test_absurdly_long_ago() -> None:
    assert "before 1900" in _message("999999 days ago")
    assert "before 1900" in _message("999999 years ago")


# --- format_day, days_ago_phrase, week_start ------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (TODAY, "Today"),
        (date(2026, 11, 25), "Yesterday"),
        (date(2026, 11, 23), "Mon 23 Nov"),
        (date(2026, 1, 1), "Thu 1 Jan"),
        (date(2026, 11, 27), "Fri 27 Nov"),
        (date(2025, 11, 23), "Sun 23 Nov 2025"),
        (date(2027, 1, 4), "Mon 4 Jan 2027"),
    ],
)
def test_format_day(day: date, expected: str) -> None:
    assert format_day(day, today=TODAY) == expected


def test_yesterday_across_a_year_end() -> None:
    assert format_day(date(2025, 12, 31), today=date(2026, 1, 1)) == "Yesterday"
    assert format_day(date(2025, 12, 30), today=date(2026, 1, 1)) == "Tue 30 Dec 2025"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (None, "never"),
        (0, "today"),
        (1, "yesterday"),
        (2, "2 days ago"),
        (45, "45 days ago"),
        (-1, "tomorrow"),
        (-3, "in 3 days"),
    ],
)
def test_days_ago_phrase(days: int | None, expected: str) -> None:
    assert days_ago_phrase(days) == expected


def test_week_start() -> None:
    assert week_start(TODAY) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)


# --- parse_time -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:00", time(19, 0)),
        ("7:05", time(7, 5)),
        ("07:30", time(7, 30)),
        ("19.30", time(19, 30)),
        ("1930", time(19, 30)),
        ("0730", time(7, 30)),
        ("0000", time(0, 0)),
        ("7pm", time(19, 0)),
        ("7PM", time(19, 0)),
        ("7 pm", time(19, 0)),
        ("7p", time(19, 0)),
        ("7 p.m.", time(19, 0)),
        ("7:30 pm", time(19, 30)),
        ("7:30pm", time(19, 30)),
        ("7.30pm", time(19, 30)),
        ("730pm", time(19, 30)),
        ("1230am", time(0, 30)),
        ("9am", time(9, 0)),
        ("9 a.m.", time(9, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:15 pm", time(12, 15)),
        ("noon", time(12, 0)),
        ("Noon", time(12, 0)),
        ("12 noon", time(12, 0)),
        ("midday", time(12, 0)),
        ("midnight", time(0, 0)),
        ("  19:00  ", time(19, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_time_is_none(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("25:00", "time: '25:00' isn't a time on the clock."),
        ("24:00", "time: '24:00' isn't a time on the clock."),
        ("7:60", "time: '7:60' isn't a time on the clock."),
        ("13pm", "time: '13pm' isn't a time on the clock."),
        ("0am", "time: '0am' isn't a time on the clock."),
        ("2460", "time: '2460' isn't a time on the clock."),
        ("7", "time: '7' could be morning or evening. Try '7am' or '7pm'."),
        ("12", "time: '12' could be morning or evening."),
        ("19", "time: add minutes to '19', like '19:00'."),
        ("30", "time: '30' isn't a time on the clock."),
        ("730", "time: couldn't read '730'. Try '7pm', '7:30 pm', '19:00' or 'noon'."),
        ("soon", "time: couldn't read 'soon'."),
        ("7:3", "time: couldn't read '7:3'."),
        ("19:00:00", "time: couldn't read '19:00:00'."),
    ],
)
def test_bad_times(text: str, start: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_time(text)
    assert str(caught.value).startswith(start)
    assert caught.value.field == "time"


def test_time_field_name() -> None:
    with pytest.raises(InvalidField) as caught:
        parse_time("25:00", field="starts_at")
    assert caught.value.field == "starts_at"
    assert str(caught.value).startswith("starts_at: ")


# --- properties -----------------------------------------------------------------------------------

days_up_to_today = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@settings(max_examples=300, deadline=None)
@given(days_up_to_today)
def test_iso_round_trip(d: date) -> None:
    assert parse(d.isoformat()) == d


@settings(max_examples=300, deadline=None)
@given(days_up_to_today)
def test_day_month_year_round_trip(d: date) -> None:
    assert parse(f"{d.day} {MONTH_ABBRS[d.month - 1]} {d.year}") == d
    assert parse(f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}") == d


@settings(max_examples=300, deadline=None)
@given(days_up_to_today, st.dates(min_value=date(1901, 1, 1), max_value=date(2200, 12, 31)))
def test_format_day_reads_back(d: date, today: date) -> None:
    if d <= today:
        assert parse_date(format_day(d, today=today), today=today) == d


@settings(max_examples=300, deadline=None)
@given(st.dates())
def test_week_start_is_the_monday_on_or_before(d: date) -> None:
    start = week_start(d)
    assert start.weekday() == 0
    assert 0 <= (d - start).days < 7  # (d - 7 days would overflow on 1 Jan of year 1)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1901, 1, 1)), st.integers(0, 6), st.booleans())
def test_weekday_names_look_back_at_most_a_week(today: date, wd: int, last: bool) -> None:
    name = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[wd]
    got = parse_date(f"last {name}" if last else name, today=today)
    assert got.weekday() == wd
    assert (today - got).days in (range(1, 8) if last else range(7))


@settings(max_examples=200, deadline=None)
@given(st.times())
def test_24_hour_times_round_trip(t: time) -> None:
    assert parse_time(f"{t.hour:02d}:{t.minute:02d}") == time(t.hour, t.minute)
    hour12 = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    assert parse_time(f"{hour12}:{t.minute:02d} {suffix}") == time(t.hour, t.minute)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_anything_either_parses_or_raises_invalid_field(text: str) -> None:
    try:
        got = parse(text)
    except InvalidField:
        return
    assert date(1900, 1, 1) <= got <= TODAY


def test_week_label_names_the_monday() -> None:
    today = date(2026, 11, 26)
    assert week_label(today, today=today) == "Mon 23 Nov"  # never "Today"
    assert week_label(date(2026, 11, 23), today=today) == "Mon 23 Nov"
    assert week_label(date(2026, 11, 25), today=date(2026, 11, 26)) == "Mon 23 Nov"
    assert week_label(date(2026, 1, 1), today=today) == "Mon 29 Dec 2025"  # its Monday's year
    assert week_label(date(2025, 6, 8), today=today) == "Mon 2 Jun 2025"

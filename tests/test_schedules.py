"""Recurring meeting schedules (tracker.domain.schedules)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.schedules import Schedule, parse_schedule
from tracker.errors import InvalidField

TODAY = date(2026, 11, 26)  # a Thursday
NOW = datetime(2026, 11, 26, 12, 0)


def parse(text: str) -> Schedule:
    schedule = parse_schedule(text, today=TODAY)
    assert schedule is not None
    return schedule


def upcoming(schedule: Schedule, n: int, after: datetime = NOW) -> list[datetime]:
    found: list[datetime] = []
    moment: datetime | None = after
    while len(found) < n and moment is not None:
        moment = schedule.next_after(moment)
        if moment is not None:
            found.append(moment)
    return found


def at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute))


# --- the phrases people type ------------------------------------------------------------------

TUESDAYS_7PM = "RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0;BYSECOND=0"
EVERY_OTHER_SAT_10 = "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;BYHOUR=10;BYMINUTE=0;BYSECOND=0"


@pytest.mark.parametrize(
    ("text", "rule", "described"),
    [
        ("Tuesdays 7pm", TUESDAYS_7PM, "Tuesdays at 19:00"),
        ("tuesday at 19:00", TUESDAYS_7PM, "Tuesdays at 19:00"),
        ("Tue 19:00", TUESDAYS_7PM, "Tuesdays at 19:00"),
        ("TUESDAYS 7 PM", TUESDAYS_7PM, "Tuesdays at 19:00"),
        ("tues @ 7 p.m.", TUESDAYS_7PM, "Tuesdays at 19:00"),
        ("weekly on Tuesday 1900", TUESDAYS_7PM, "Tuesdays at 19:00"),
        ("7pm Tuesdays", TUESDAYS_7PM, "Tuesdays at 19:00"),
        (
            "every Tuesday 7:30pm",
            "RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=30;BYSECOND=0",
            "Tuesdays at 19:30",
        ),
        ("every other Saturday 10:00", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("every 2nd week on Saturday at 10am", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("fortnightly Saturday 10am", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("every two weeks on Sat 10:00", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("every 2 weeks on saturdays 10.00", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("alternate Saturdays 10am", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("bi-weekly sat 10am", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        ("every fortnight on Saturday 10am", EVERY_OTHER_SAT_10, "Every other Saturday at 10:00"),
        (
            "first Monday of the month 18:30",
            "RRULE:FREQ=MONTHLY;BYDAY=+1MO;BYHOUR=18;BYMINUTE=30;BYSECOND=0",
            "First Monday of the month at 18:30",
        ),
        (
            "last Friday of the month 7:30pm",
            "RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=19;BYMINUTE=30;BYSECOND=0",
            "Last Friday of the month at 19:30",
        ),
        (
            "2nd and 4th Thursday of the month 7pm",
            "RRULE:FREQ=MONTHLY;BYDAY=+2TH,+4TH;BYHOUR=19;BYMINUTE=0;BYSECOND=0",
            "Second and fourth Thursday of the month at 19:00",
        ),
        (
            "third Wednesday monthly 6pm",
            "RRULE:FREQ=MONTHLY;BYDAY=+3WE;BYHOUR=18;BYMINUTE=0;BYSECOND=0",
            "Third Wednesday of the month at 18:00",
        ),
        (
            "every second Tuesday of the month 7pm",
            "RRULE:FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=19;BYMINUTE=0;BYSECOND=0",
            "Second Tuesday of the month at 19:00",
        ),
        (
            "first, third and last Sunday each month at noon",
            "RRULE:FREQ=MONTHLY;BYDAY=-1SU,+1SU,+3SU;BYHOUR=12;BYMINUTE=0;BYSECOND=0",
            "First, third and last Sunday of the month at 12:00",
        ),
        (
            "Mon, Wed and Fri 6:30pm",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=18;BYMINUTE=30;BYSECOND=0",
            "Mondays, Wednesdays and Fridays at 18:30",
        ),
        (
            "Mondays and Thursdays at 18:00",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=0;BYSECOND=0",
            "Mondays and Thursdays at 18:00",
        ),
        (
            "weekdays 7am",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0;BYSECOND=0",
            "Weekdays at 07:00",
        ),
        (
            "weekends 9am",
            "RRULE:FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=9;BYMINUTE=0;BYSECOND=0",
            "Weekends at 09:00",
        ),
        ("daily 8pm", "RRULE:FREQ=DAILY;BYHOUR=20;BYMINUTE=0;BYSECOND=0", "Every day at 20:00"),
        (
            "every day at 8pm",
            "RRULE:FREQ=DAILY;BYHOUR=20;BYMINUTE=0;BYSECOND=0",
            "Every day at 20:00",
        ),
        (
            "mon tue wed thu fri sat sun 8pm",
            "RRULE:FREQ=DAILY;BYHOUR=20;BYMINUTE=0;BYSECOND=0",
            "Every day at 20:00",
        ),
        (
            "every other day 8pm",
            "RRULE:FREQ=DAILY;INTERVAL=2;BYHOUR=20;BYMINUTE=0;BYSECOND=0",
            "Every other day at 20:00",
        ),
        (
            "every other weekend 9am",
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;BYHOUR=9;BYMINUTE=0;BYSECOND=0",
            "Every other weekend at 09:00",
        ),
        (
            "every other week on Mondays and Thursdays 6pm",
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=0;BYSECOND=0",
            "Every other week on Mondays and Thursdays at 18:00",
        ),
        (
            "every 3 weeks on Mon and Thu 7 p.m.",
            "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH;BYHOUR=19;BYMINUTE=0;BYSECOND=0",
            "Every 3 weeks on Mondays and Thursdays at 19:00",
        ),
        (
            "midnight fridays",
            "RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=0;BYMINUTE=0;BYSECOND=0",
            "Fridays at 00:00",
        ),
    ],
)
def test_phrases(text: str, rule: str, described: str) -> None:
    schedule = parse(text)
    assert schedule.rule == rule
    assert schedule.describe() == described
    assert parse_schedule(described, today=schedule.start) == schedule


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_means_no_schedule(text: str) -> None:
    assert parse_schedule(text, today=TODAY) is None


def test_time_property() -> None:
    assert parse("Tuesdays 7:30pm").time == time(19, 30)
    assert parse("weekdays midnight").time == time(0, 0)


# --- where a schedule starts and when it meets --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Tuesdays 7pm", date(2026, 12, 1)),
        ("Thursdays 7pm", TODAY),  # today matches, whatever the hour
        ("Thursdays 7am", TODAY),
        ("every other Saturday 10:00", date(2026, 11, 28)),
        ("every other Tuesday 7pm", date(2026, 12, 1)),  # the coming Tuesday, not the one after
        ("first Monday of the month 18:30", date(2026, 12, 7)),
        ("last Friday of the month 7:30pm", date(2026, 11, 27)),
        ("2nd and 4th Thursday of the month 7pm", TODAY),  # 26 Nov 2026 is the 4th Thursday
        ("daily 8pm", TODAY),
    ],
)
def test_start_is_the_first_meeting_day_on_or_after_today(text: str, start: date) -> None:
    assert parse(text).start == start


def test_first_monday_of_december_2026() -> None:
    schedule = parse("first Monday of the month 18:30")
    assert upcoming(schedule, 3) == [
        at("2026-12-07", 18, 30),
        at("2027-01-04", 18, 30),
        at("2027-02-01", 18, 30),
    ]


def test_every_other_saturday_counts_from_the_coming_saturday() -> None:
    schedule = parse("every other Saturday 10:00")
    assert upcoming(schedule, 4) == [
        at("2026-11-28", 10),
        at("2026-12-12", 10),
        at("2026-12-26", 10),
        at("2027-01-09", 10),
    ]


def test_every_other_week_with_two_days() -> None:
    schedule = parse("every other week on Mon and Thu 6pm")
    assert schedule.start == TODAY
    assert upcoming(schedule, 5) == [
        at("2026-11-26", 18),
        at("2026-12-07", 18),
        at("2026-12-10", 18),
        at("2026-12-21", 18),
        at("2026-12-24", 18),
    ]


def test_last_friday_and_second_and_fourth_thursday() -> None:
    assert upcoming(parse("last Friday of the month 7:30pm"), 3) == [
        at("2026-11-27", 19, 30),
        at("2026-12-25", 19, 30),
        at("2027-01-29", 19, 30),
    ]
    assert upcoming(parse("2nd and 4th Thursday of the month 7pm"), 4) == [
        at("2026-11-26", 19),
        at("2026-12-10", 19),
        at("2026-12-24", 19),
        at("2027-01-14", 19),
    ]


def test_weekdays_skip_the_weekend() -> None:
    assert upcoming(parse("weekdays 7am"), 3, after=at("2026-11-27", 8)) == [
        at("2026-11-30", 7),
        at("2026-12-01", 7),
        at("2026-12-02", 7),
    ]


def test_occurrences_are_inclusive_exclusive() -> None:
    schedule = parse("Tuesdays 7pm")
    assert schedule.occurrences(at("2026-12-01", 19), at("2026-12-15", 19)) == [
        at("2026-12-01", 19),
        at("2026-12-08", 19),
    ]
    assert schedule.occurrences(at("2026-12-01", 19, 1), at("2026-12-15", 19, 1)) == [
        at("2026-12-08", 19),
        at("2026-12-15", 19),
    ]
    assert schedule.occurrences(at("2026-12-15", 19), at("2026-12-01", 19)) == []
    assert schedule.occurrences(at("2026-12-01", 19), at("2026-12-01", 19)) == []


def test_nothing_before_the_schedule_starts() -> None:
    schedule = parse("Tuesdays 7pm")
    assert schedule.occurrences(at("2026-11-01", 0), at("2026-12-02", 0)) == [at("2026-12-01", 19)]
    assert schedule.previous_before(at("2026-12-01", 19)) is None
    assert schedule.next_after(at("2020-01-01", 0)) == at("2026-12-01", 19)


def test_next_after_and_previous_before_are_strict() -> None:
    schedule = parse("Tuesdays 7pm")
    assert schedule.next_after(at("2026-12-08", 19)) == at("2026-12-15", 19)
    assert schedule.next_after(at("2026-12-08", 18, 59)) == at("2026-12-08", 19)
    assert schedule.previous_before(at("2026-12-08", 19)) == at("2026-12-01", 19)
    assert schedule.previous_before(at("2026-12-08", 19, 1)) == at("2026-12-08", 19)


def test_weeks_start_on_monday_whatever_the_calendar_module_says() -> None:
    # Monday-to-Sunday weeks: Sun 29 Nov, then (skipping a week) Mon 7 and Sun 13 Dec, ...
    expected = [at("2026-11-29", 9), at("2026-12-07", 9), at("2026-12-13", 9), at("2026-12-21", 9)]
    before = calendar.firstweekday()
    try:
        calendar.setfirstweekday(calendar.SUNDAY)
        schedule = parse("every other week on Sun and Mon 9am")
        text = schedule.to_text()
        again = Schedule.from_text(text)
        assert upcoming(again, 4) == expected
    finally:
        calendar.setfirstweekday(before)
    assert "WKST" not in text
    assert again == schedule
    assert upcoming(schedule, 4) == expected


# --- storage ------------------------------------------------------------------------------------


def test_to_text_is_dateutils_own_string() -> None:
    schedule = parse("every other Saturday 10:00")
    assert schedule.to_text() == (
        "DTSTART:20261128T100000\n"
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;BYHOUR=10;BYMINUTE=0;BYSECOND=0"
    )
    assert Schedule.from_text(schedule.to_text()) == schedule


def test_from_text_tidies_what_it_reads() -> None:
    text = "dtstart:20261201T190000\r\nrrule:freq=weekly;byday=tu;byhour=19;byminute=0\n"
    schedule = Schedule.from_text(text)
    assert schedule == parse("Tuesdays 7pm")
    assert schedule.to_text() == "DTSTART:20261201T190000\n" + TUESDAYS_7PM


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tuesdays 7pm",
        TUESDAYS_7PM,  # no DTSTART: dateutil would count from the system clock
        "DTSTART:20261201T190000",
        "DTSTART:20261201T190000Z\n" + TUESDAYS_7PM,
        "DTSTART;TZID=Europe/London:20261201T190000\n" + TUESDAYS_7PM,
        "DTSTART:20261301T190000\n" + TUESDAYS_7PM,
        "DTSTART:20261201T190000\nRRULE:FREQ=YEARLY;BYHOUR=19;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=HOURLY;BYMINUTE=0",
        "DTSTART:20261201T190000\n" + TUESDAYS_7PM + ";COUNT=3",
        "DTSTART:20261201T190000\n" + TUESDAYS_7PM + ";UNTIL=20270101T000000",
        "DTSTART:20261201T190000\n" + TUESDAYS_7PM + ";WKST=SU",
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYHOUR=19;BYMINUTE=0",  # no day
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=TU",  # no time
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=XX;BYHOUR=19;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=19,20;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=25;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0;BYSECOND=30",
        "DTSTART:20261201T190000\nRRULE:FREQ=MONTHLY;BYDAY=+1MO,+3WE;BYHOUR=19;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=MONTHLY;BYDAY=+1MO;INTERVAL=2;BYHOUR=19;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=19;BYMINUTE=0",
        "DTSTART:20261201T190000\nEXDATE:20261208T190000\n" + TUESDAYS_7PM,
        "DTSTART:20261201T190000\n" + TUESDAYS_7PM + "\n" + TUESDAYS_7PM,
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
        "DTSTART:20261201T190000\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYDAY=WE;BYHOUR=19;BYMINUTE=0",
    ],
)
def test_from_text_refuses_what_it_cannot_describe(text: str) -> None:
    with pytest.raises(InvalidField) as caught:
        Schedule.from_text(text, field="group_schedule")
    assert caught.value.field == "group_schedule"
    assert str(caught.value).startswith("group_schedule: this saved schedule couldn't be read.")


def test_constructing_with_a_bad_rule_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        Schedule(rule="RRULE:FREQ=YEARLY;BYHOUR=1;BYMINUTE=0", start=TODAY)


# --- what the parser refuses --------------------------------------------------------------------


def _message(text: str, field: str = "schedule") -> str:
    with pytest.raises(InvalidField) as caught:
        parse_schedule(text, today=TODAY, field=field)
    assert caught.value.field == field
    return str(caught.value)


@pytest.mark.parametrize("text", ["Tuesdays", "every other Saturday", "first Monday of the month"])
def test_a_time_is_required(text: str) -> None:
    assert _message(text) == "schedule: add a time, for example 'Tuesdays 7pm'."


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("blah", "blah"),
        ("Tuesdays 7pm blah", "blah"),
        ("Tuesdys 7pm", "Tuesdys"),
        ("Tuesdays 7pm in the Hall", "Hall"),
        ("every other month first monday 7pm", None),
        ("twice a week 7pm", "twice"),
    ],
)
def test_unknown_words(text: str, word: str | None) -> None:
    message = _message(text)
    if word is None:
        assert "every few months" in message
    else:
        assert message == (
            f"schedule: couldn't read {word!r}. Try 'Tuesdays 7pm', "
            "'every other Saturday 10:00' or 'first Monday of the month 18:30'."
        )


def test_the_field_name_is_used() -> None:
    assert _message("blah", field="when").startswith("when: couldn't read 'blah'.")


@pytest.mark.parametrize("text", ["31st Monday 7pm", "6th Friday of the month 7pm", "0th Mon 7pm"])
def test_no_such_weekday_of_the_month(text: str) -> None:
    assert "a month has at most five of each weekday" in _message(text)


@pytest.mark.parametrize("text", ["7pm", "every 7pm", "every other week 10am", "at 19:00"])
def test_a_day_is_required(text: str) -> None:
    assert _message(text) == "schedule: add a day, for example 'Tuesdays 7pm'."


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Tuesdays 25:00", "schedule: '25:00' isn't a time on the clock."),
        ("Tuesdays 24:00", "schedule: '24:00' isn't a time on the clock."),
        ("Tuesdays 13pm", "schedule: '13pm' isn't a time on the clock."),
        ("Tuesdays 7:75", "schedule: '7:75' isn't a time on the clock."),
        ("Tue 7", "schedule: '7' could be morning or evening. Try '7am' or '7pm'."),
        ("Tue 19", "schedule: add minutes to '19', like '19:00'."),
        ("Tuesdays 7pm and 9pm", "schedule: please give just one time"),
    ],
)
def test_bad_times(text: str, start: str) -> None:
    assert _message(text).startswith(start)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("first weekday of the month 7pm", "name the day for a monthly meeting"),
        ("monthly on weekends 7pm", "name the day for a monthly meeting"),
        ("monthly 7pm", "name the day for a monthly meeting"),
        ("Monday monthly 7pm", "say which one in the month"),
        ("every other first Monday of the month 7pm", "every few months"),
        ("fortnightly, first Monday 7pm", "every few months"),
        ("every other day on Tuesdays 7pm", "can't also name days"),
        ("every 99 weeks on Tuesday 7pm", "every 1 to 52 weeks"),
        ("fortnightly every 3 weeks Tuesday 7pm", "say how often just once"),
    ],
)
def test_contradictions(text: str, fragment: str) -> None:
    assert fragment in _message(text)


# --- round trip over everything the parser can make ---------------------------------------------

DAY_WORDS = (
    ("Monday", "Mondays", "mon"),
    ("Tuesday", "Tuesdays", "tue", "tues"),
    ("Wednesday", "Wednesdays", "wed", "weds"),
    ("Thursday", "Thursdays", "thu", "thurs"),
    ("Friday", "Fridays", "fri"),
    ("Saturday", "Saturdays", "sat"),
    ("Sunday", "Sundays", "sun"),
)
ORDINAL_WORDS = {
    1: ("first", "1st"),
    2: ("second", "2nd"),
    3: ("third", "3rd"),
    4: ("fourth", "4th"),
    5: ("fifth", "5th"),
    -1: ("last",),
}


def _join(words: list[str], draw: st.DrawFn) -> str:
    if len(words) == 1:
        return words[0]
    style = draw(st.sampled_from(["and", "comma", "space"]))
    if style == "and":
        return ", ".join(words[:-1]) + " and " + words[-1]
    return (", " if style == "comma" else " ").join(words)


def _time_text(t: time, draw: st.DrawFn) -> str:
    styles = [
        f"{t.hour:02d}:{t.minute:02d}",
        f"{t.hour}.{t.minute:02d}",
        f"{t.hour:02d}{t.minute:02d}",
    ]
    hour12 = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    styles.append(f"{hour12}:{t.minute:02d}{suffix}")
    styles.append(f"{hour12}:{t.minute:02d} {suffix.upper()}")
    if t.minute == 0:
        styles.append(f"{hour12}{suffix}")
    return draw(st.sampled_from(styles))


@st.composite
def schedule_phrases(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """A phrase a person might type, with what it should mean."""
    t = time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    when = _time_text(t, draw)
    kind = draw(st.sampled_from(["weekly", "monthly", "daily"]))
    if kind == "daily":
        interval = draw(st.sampled_from([1, 2, 3]))
        words = {1: ["daily", "every day"], 2: ["every other day"], 3: ["every 3 days"]}
        phrase = draw(st.sampled_from(words[interval]))
        return f"{phrase} {when}", {"kind": kind, "interval": interval, "time": t}
    if kind == "monthly":
        ordinals = draw(st.sets(st.sampled_from(sorted(ORDINAL_WORDS)), min_size=1, max_size=3))
        days = draw(st.sets(st.integers(0, 6), min_size=1, max_size=2))
        ords = _join([draw(st.sampled_from(ORDINAL_WORDS[n])) for n in ordinals], draw)
        names = _join([DAY_WORDS[d][0] for d in days], draw)
        tail = draw(st.sampled_from(["of the month", "monthly", "each month", "of every month"]))
        phrase = f"{ords} {names} {tail} {when}"
        return phrase, {"kind": kind, "ordinals": ordinals, "days": days, "time": t}
    interval = draw(st.sampled_from([1, 1, 2, 2, 3]))
    days = draw(st.sets(st.integers(0, 6), min_size=1))
    names = _join([draw(st.sampled_from(DAY_WORDS[d])) for d in sorted(days)], draw)
    lead = {
        1: ["", "every", "weekly on"],
        2: ["every other", "fortnightly", "every two weeks on", "every 2nd week on"],
        3: ["every 3 weeks on", "every third week on"],
    }[interval]
    phrase = f"{draw(st.sampled_from(lead))} {names} at {when}".strip()
    return phrase, {"kind": kind, "interval": interval, "days": days, "time": t}


def _weekday_code(day: int) -> str:
    return ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day]


def _matches_meaning(schedule: Schedule, meaning: dict[str, object]) -> None:
    t = meaning["time"]
    assert isinstance(t, time)
    assert schedule.time == t
    assert f"BYHOUR={t.hour};BYMINUTE={t.minute};BYSECOND=0" in schedule.rule
    kind = meaning["kind"]
    if kind == "daily" or (meaning.get("days") == set(range(7)) and meaning["interval"] == 1):
        assert schedule.rule.startswith("RRULE:FREQ=DAILY;")
        assert "BYDAY" not in schedule.rule
    elif kind == "weekly":
        days = meaning["days"]
        assert isinstance(days, set)
        assert schedule.rule.startswith("RRULE:FREQ=WEEKLY;")
        assert ";BYDAY=" + ",".join(_weekday_code(d) for d in sorted(days)) + ";" in schedule.rule
    else:
        assert schedule.rule.startswith("RRULE:FREQ=MONTHLY;BYDAY=")
    interval = meaning.get("interval", 1)
    assert (f";INTERVAL={interval};" in schedule.rule) == (interval != 1)


def _first_meetings(schedule: Schedule, n: int) -> Iterator[datetime]:
    moment: datetime | None = datetime.combine(schedule.start, time(0, 0)) - timedelta(seconds=1)
    for _ in range(n):
        assert moment is not None
        moment = schedule.next_after(moment)
        if moment is None:
            return
        yield moment


@settings(max_examples=400, deadline=None)
@given(schedule_phrases(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_describe_round_trips(
    phrase_and_meaning: tuple[str, dict[str, object]], today: date
) -> None:
    phrase, meaning = phrase_and_meaning
    schedule = parse_schedule(phrase, today=today)
    assert schedule is not None, phrase
    _matches_meaning(schedule, meaning)

    # The start is the first meeting day on or after today, and it is itself a meeting.
    assert today <= schedule.start <= today + timedelta(days=366)
    first = list(_first_meetings(schedule, 1))
    assert first == [datetime.combine(schedule.start, schedule.time)]

    # Describe, then read the words back: the very same schedule.
    described = schedule.describe()
    again = parse_schedule(described, today=schedule.start)
    assert again == schedule, (phrase, described)
    assert again is not None and again.describe() == described

    # Storage round trip.
    assert Schedule.from_text(schedule.to_text()) == schedule


@settings(max_examples=200, deadline=None)
@given(schedule_phrases(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_meetings_fall_on_the_named_days(
    phrase_and_meaning: tuple[str, dict[str, object]], today: date
) -> None:
    phrase, meaning = phrase_and_meaning
    schedule = parse_schedule(phrase, today=today)
    assert schedule is not None
    meetings = list(_first_meetings(schedule, 12))
    assert len(meetings) == 12
    assert meetings == sorted(set(meetings))
    assert all(m.time() == schedule.time for m in meetings)
    days = meaning.get("days")
    if isinstance(days, set):
        assert {m.weekday() for m in meetings} <= days
    if meaning["kind"] == "monthly":
        ordinals = meaning["ordinals"]
        assert isinstance(ordinals, set)
        for m in meetings:
            nth = (m.day - 1) // 7 + 1
            is_last = m.day + 7 > calendar.monthrange(m.year, m.month)[1]
            assert nth in ordinals or (is_last and -1 in ordinals)
    elif meaning["kind"] == "weekly":
        interval = meaning["interval"]
        assert isinstance(interval, int)
        monday = schedule.start - timedelta(days=schedule.start.weekday())
        for m in meetings:
            assert ((m.date() - monday).days // 7) % interval == 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_anything_either_parses_or_raises_invalid_field(text: str) -> None:
    try:
        schedule = parse_schedule(text, today=TODAY)
    except InvalidField:
        return
    if schedule is not None:
        assert parse_schedule(schedule.describe(), today=schedule.start) == schedule


def test_time_on_a_day_and_unreadable_stored_schedules() -> None:
    from tracker.domain.schedules import stored_schedule

    tuesdays = parse_schedule("Tuesdays 7pm", today=date(2026, 11, 1))
    assert tuesdays is not None
    assert tuesdays.time_on(date(2026, 11, 24)) == time(19, 0)
    assert tuesdays.time_on(date(2026, 11, 25)) is None
    assert stored_schedule(tuesdays.to_text()) == tuesdays
    # A hand-edited file might hold something unreadable: it counts as no schedule.
    assert stored_schedule("RRULE:FREQ=SOMETIMES") is None
    assert stored_schedule(None) is None

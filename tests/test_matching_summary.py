"""Pure logic: matching a typed group name, the at-a-glance summary, and safe terminal text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.matching import Match, match_by_name
from tracker.domain.models import Group, Person
from tracker.domain.schedules import parse_schedule
from tracker.domain.summary import (
    QUIET_CONTACT_DAYS,
    SPARK_BARS,
    WeekCount,
    coming_up,
    contact_gaps,
    goal_dots,
    sparkline,
    this_week_phrase,
    to_log,
    weekly_counts,
)
from tracker.domain.text import one_line, printable

TODAY = date(2026, 11, 26)  # a Thursday
NOW = datetime(2026, 11, 26, 12, 0)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Item:
    name: str


# --- match_by_name ------------------------------------------------------------------------------

ITEMS = [
    Item("NA Downtown"),
    Item("Nar-Anon Family Group"),
    Item("SMART Recovery Online"),
    Item("Recovery Yoga"),
    Item("Online Art"),
    Item("Sober Hiking Group"),
]


def found(query: str, items: list[Item] = ITEMS) -> str | None:
    match = match_by_name(query, items)
    return match.found.name if match.found else None


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("NA Downtown", "NA Downtown"),  # exact
        ("na downtown", "NA Downtown"),  # case
        ("  NA   downtown  ", "NA Downtown"),  # whitespace
        ("na d", "NA Downtown"),  # prefix
        ("smart", "SMART Recovery Online"),  # prefix
        ("sMaRt rec", "SMART Recovery Online"),
        ("down", "NA Downtown"),  # word prefix
        ("yoga", "Recovery Yoga"),  # word prefix
        ("anon", "Nar-Anon Family Group"),  # a word after a hyphen
        ("FAM", "Nar-Anon Family Group"),
        ("hik", "Sober Hiking Group"),
        ("recov", "Recovery Yoga"),  # the prefix rule decides before the word rule
        ("onl", "Online Art"),  # likewise, though "SMART Recovery Online" has the word
    ],
)
def test_match_finds_one_group(query: str, name: str) -> None:
    match = match_by_name(query, ITEMS)
    assert match.found is not None
    assert match.found.name == name
    assert match.candidates == (match.found,)


def test_an_exact_name_wins_over_longer_names_it_starts() -> None:
    items = [Item("NA Downtown"), Item("NA"), Item("na evening")]
    assert found("na", items) == "NA"
    assert found("NA ", items) == "NA"


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("na", ["NA Downtown", "Nar-Anon Family Group"]),  # prefix rule, two hits
        ("gr", ["Nar-Anon Family Group", "Sober Hiking Group"]),  # word rule, two hits
    ],
)
def test_ambiguous_queries_return_the_candidates(query: str, names: list[str]) -> None:
    match = match_by_name(query, ITEMS)
    assert match.found is None
    assert [c.name for c in match.candidates] == names


@pytest.mark.parametrize("query", ["xyz", "downtown na", "art online", "-"])
def test_no_match_returns_no_candidates(query: str) -> None:
    assert match_by_name(query, ITEMS) == Match(None, ())


def test_an_empty_query_matches_nothing_in_particular() -> None:
    match = match_by_name("   ", ITEMS)
    assert match.found is None
    assert match.candidates == tuple(ITEMS)


def test_matching_uses_casefold() -> None:
    items = [Item("Straße Gruppe"), Item("Other")]
    assert found("STRASSE", items) == "Straße Gruppe"
    assert found("gruppe", items) == "Straße Gruppe"


def test_matching_works_on_groups() -> None:
    groups = [make_group(1, "NA Downtown"), make_group(2, "SMART Online")]
    match = match_by_name("smart", groups)
    assert match.found is groups[1]


_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1
)
_NAME = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


@settings(max_examples=150)
@given(
    names=st.lists(_NAME, min_size=1, max_size=8, unique_by=_normal),
    pick=st.integers(min_value=0),
    swap=st.booleans(),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_any_full_name_finds_its_item(names: list[str], pick: int, swap: bool, pad: str) -> None:
    items = [Item(n) for n in names]
    target = items[pick % len(items)]
    query = pad + (target.name.swapcase() if swap else target.name).replace(" ", "  ") + pad
    match = match_by_name(query, items)
    assert match.found is target


@given(names=st.lists(_NAME, max_size=8), query=_NAME)
def test_match_result_is_consistent(names: list[str], query: str) -> None:
    items = [Item(n) for n in names]
    match = match_by_name(query, items)
    assert all(c in items for c in match.candidates)
    if match.found is not None:
        assert match.candidates == (match.found,)
        assert _normal(match.found.name).startswith(_normal(query)) or any(
            w.startswith(_normal(query))
            for w in re.split(r"[\s\-_/(),.&:]+", _normal(match.found.name))
        )
    else:
        assert len(match.candidates) != 1
    for candidate in match.candidates:
        assert _normal(query) in _normal(candidate.name)


# --- weekly counts, goal dots, sparkline, phrase ------------------------------------------------


def test_weekly_counts_buckets_monday_to_sunday() -> None:
    per_day = {
        date(2026, 11, 8): 5,  # Sunday before the first week shown
        date(2026, 11, 9): 1,  # Monday, first week
        date(2026, 11, 15): 2,  # Sunday, first week
        date(2026, 11, 16): 1,
        date(2026, 11, 22): 1,
        date(2026, 11, 23): 2,  # Monday, this week
        date(2026, 11, 29): 1,  # Sunday, this week
        date(2026, 11, 30): 4,  # next week: not shown
    }
    weeks = weekly_counts(per_day, today=TODAY, goal=3, weeks=3)
    assert weeks == [
        WeekCount(date(2026, 11, 9), 3, 3),
        WeekCount(date(2026, 11, 16), 2, 3),
        WeekCount(date(2026, 11, 23), 3, 3),
    ]
    assert [w.met for w in weeks] == [True, False, True]
    assert [w.end for w in weeks] == [date(2026, 11, 15), date(2026, 11, 22), date(2026, 11, 29)]


def test_weekly_counts_default_twelve_weeks_with_empty_weeks() -> None:
    weeks = weekly_counts({}, today=TODAY, goal=1)
    assert len(weeks) == 12
    assert weeks[-1].start == date(2026, 11, 23)
    assert weeks[0].start == date(2026, 11, 23) - timedelta(weeks=11)
    assert all(w.meetings == 0 and not w.met for w in weeks)


@given(
    per_day=st.dictionaries(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 3, 1)),
        st.integers(min_value=0, max_value=5),
        max_size=60,
    ),
    today=st.dates(min_value=date(2026, 3, 1), max_value=date(2027, 1, 31)),
    weeks=st.integers(min_value=1, max_value=20),
    goal=st.integers(min_value=1, max_value=21),
)
def test_weekly_counts_total_is_the_sum_of_days_in_range(
    per_day: dict[date, int], today: date, weeks: int, goal: int
) -> None:
    result = weekly_counts(per_day, today=today, goal=goal, weeks=weeks)
    assert len(result) == weeks
    assert all(w.start.weekday() == 0 for w in result)
    assert all(b.start - a.start == timedelta(days=7) for a, b in itertools.pairwise(result))
    assert result[-1].start <= today <= result[-1].end
    first, last = result[0].start, result[-1].end
    assert sum(w.meetings for w in result) == sum(
        n for day, n in per_day.items() if first <= day <= last
    )
    for w in result:
        assert w.meetings == sum(n for day, n in per_day.items() if w.start <= day <= w.end)
        assert w.met == (w.meetings >= goal)


@pytest.mark.parametrize(
    ("meetings", "goal", "dots"),
    [
        (0, 1, "○"),
        (2, 3, "●●○"),
        (3, 3, "●●●"),
        (5, 3, "●●●●●"),  # beyond the goal: extra dots
        (12, 3, "●●●●●●●"),  # ... up to seven in all
        (3, 10, "●●●○○○○○○○"),
    ],
)
def test_goal_dots(meetings: int, goal: int, dots: str) -> None:
    assert goal_dots(meetings, goal) == dots


@given(meetings=st.integers(0, 40), goal=st.integers(1, 21))
def test_goal_dots_properties(meetings: int, goal: int) -> None:
    dots = goal_dots(meetings, goal)
    assert set(dots) <= {"●", "○"}
    assert dots == "●" * dots.count("●") + "○" * dots.count("○")  # filled first
    if meetings <= goal:
        assert len(dots) == goal
        assert dots.count("●") == meetings
    else:
        assert "○" not in dots
        assert goal <= len(dots) <= max(goal, 7)
        assert len(dots) >= min(meetings, 7)


def test_sparkline_examples() -> None:
    assert sparkline([]) == ""
    assert sparkline(list(range(8))) == SPARK_BARS
    assert sparkline([0, 0, 0]) == SPARK_BARS[0] * 3
    assert sparkline([3]) == SPARK_BARS[-1]
    assert sparkline([2, 0, 2], top=4) == SPARK_BARS[4] + SPARK_BARS[0] + SPARK_BARS[4]
    assert sparkline([8, 0], top=4) == SPARK_BARS[-1] + SPARK_BARS[0]  # above top: the top bar


@given(values=st.lists(st.integers(0, 50), max_size=30), top=st.none() | st.integers(0, 60))
def test_sparkline_properties(values: list[int], top: int | None) -> None:
    line = sparkline(values, top=top)
    assert len(line) == len(values)
    assert set(line) <= set(SPARK_BARS)
    for value, bar in zip(values, line, strict=True):
        if value == 0:
            assert bar == SPARK_BARS[0]
    if values and max(values) > 0 and (top is None or top <= max(values)):
        assert line[values.index(max(values))] == SPARK_BARS[-1]
    # Bigger values never get lower bars.
    order = sorted(range(len(values)), key=lambda i: values[i])
    heights = [SPARK_BARS.index(line[i]) for i in order]
    assert heights == sorted(heights)


@pytest.mark.parametrize(
    ("meetings", "goal", "phrase"),
    [
        (0, 1, "0 of 1 meeting"),
        (1, 1, "1 of 1 meeting, goal met"),
        (2, 3, "2 of 3 meetings"),
        (3, 3, "3 of 3 meetings, goal met"),
        (5, 3, "5 meetings, goal of 3 met"),
    ],
)
def test_this_week_phrase(meetings: int, goal: int, phrase: str) -> None:
    assert this_week_phrase(WeekCount(date(2026, 11, 23), meetings, goal)) == phrase


# --- coming up and to log -----------------------------------------------------------------------


def make_group(
    group_id: int,
    name: str,
    schedule: str | None = None,
    status: str = "trying",
    *,
    since: date = TODAY,
) -> Group:
    text = None
    if schedule is not None:
        parsed = parse_schedule(schedule, today=since)
        assert parsed is not None
        text = parsed.to_text()
    return Group(
        id=group_id,
        uuid=f"00000000-0000-4000-8000-{group_id:012d}",
        created_at="2026-11-01T12:00:00Z",
        updated_at="2026-11-01T12:00:00Z",
        name=name,
        schedule=text,
        status=status,
    )


def test_coming_up_is_soonest_first_and_skips_paused_groups() -> None:
    tuesday = make_group(1, "NA Downtown", "Tuesdays 7pm")
    tonight = make_group(2, "SMART Online", "Thursdays 6pm")
    morning = make_group(3, "Yoga", "Thursdays 10am")  # today's was this morning
    paused = make_group(4, "Paused group", "Fridays 7pm", status="paused")
    not_for_me = make_group(5, "Not for me", "Saturdays 10am", status="not-for-me")
    unscheduled = make_group(6, "No schedule")
    groups = [tuesday, tonight, morning, paused, not_for_me, unscheduled]

    sessions = coming_up(groups, now=NOW)
    assert [(s.group.name, s.when) for s in sessions] == [
        ("SMART Online", datetime(2026, 11, 26, 18, 0)),
        ("NA Downtown", datetime(2026, 12, 1, 19, 0)),
        ("Yoga", datetime(2026, 12, 3, 10, 0)),
    ]
    assert sessions[0].day == TODAY
    assert not any(s.logged for s in sessions)
    assert [s.group.name for s in coming_up(groups, now=NOW, limit=2)] == [
        "SMART Online",
        "NA Downtown",
    ]
    assert [s.group.name for s in coming_up(groups, now=NOW, days=1)] == ["SMART Online"]
    assert coming_up([paused, not_for_me, unscheduled], now=NOW) == []


def test_coming_up_breaks_ties_by_name() -> None:
    b = make_group(1, "beta", "Fridays 7pm")
    a = make_group(2, "Alpha", "Fridays 7pm")
    assert [s.group.name for s in coming_up([b, a], now=NOW)] == ["Alpha", "beta"]


def test_to_log_lists_recent_unlogged_meetings_newest_first() -> None:
    since = date(2026, 11, 1)
    tuesday = make_group(1, "NA Downtown", "Tuesdays 7pm", since=since)
    morning = make_group(2, "Yoga", "Thursdays 10am", since=since)
    evening = make_group(3, "SMART Online", "Thursdays 6pm", since=since)
    paused = make_group(4, "Paused", "daily 8am", status="paused", since=since)
    logged = {(morning.id, date(2026, 11, 19))}

    sessions = to_log([tuesday, morning, evening, paused], logged, now=NOW)
    assert [(s.group.name, s.when) for s in sessions] == [
        ("Yoga", datetime(2026, 11, 26, 10, 0)),
        ("NA Downtown", datetime(2026, 11, 24, 19, 0)),
        ("SMART Online", datetime(2026, 11, 19, 18, 0)),
    ]
    all_logged = {(s.group.id, s.day) for s in sessions} | logged
    assert to_log([tuesday, morning, evening], all_logged, now=NOW) == []
    assert [s.group.name for s in to_log([tuesday, morning, evening], set(), now=NOW, days=1)] == [
        "Yoga"
    ]


# --- contact gaps -------------------------------------------------------------------------------


def make_person(person_id: int, alias: str, role: str, last: date | None) -> Person:
    return Person(
        id=person_id,
        uuid=f"00000000-0000-4000-8000-{person_id:012d}",
        created_at="2026-11-01T12:00:00Z",
        updated_at="2026-11-01T12:00:00Z",
        alias=alias,
        role=role,
        last_contact=last,
        contact_count=0 if last is None else 1,
    )


def test_contact_gaps_longest_first_support_roles_only() -> None:
    people = [
        make_person(1, "Sam", "sponsor", date(2026, 11, 23)),
        make_person(2, "Jo", "mentor", None),
        make_person(3, "Alex", "peer-coach", date(2026, 11, 1)),
        make_person(4, "Kim", "friend", date(2026, 1, 1)),
        make_person(5, "bo", "sponsor", date(2026, 11, 23)),
        make_person(6, "Dr Lee", "therapist", None),
    ]
    gaps = contact_gaps(people, today=TODAY)
    assert [(g.person.alias, g.days) for g in gaps] == [
        ("Jo", None),
        ("Alex", 25),
        ("bo", 3),
        ("Sam", 3),
    ]
    assert [g.quiet for g in gaps] == [True, True, False, False]
    friends = contact_gaps(people, today=TODAY, roles=("friend",))
    assert [g.person.alias for g in friends] == ["Kim"]


def test_quiet_starts_at_a_week() -> None:
    edge = make_person(1, "Sam", "sponsor", TODAY - timedelta(days=QUIET_CONTACT_DAYS))
    just_under = make_person(2, "Jo", "sponsor", TODAY - timedelta(days=QUIET_CONTACT_DAYS - 1))
    gaps = {g.person.alias: g for g in contact_gaps([edge, just_under], today=TODAY)}
    assert QUIET_CONTACT_DAYS == 7
    assert gaps["Sam"].quiet
    assert not gaps["Jo"].quiet


# --- safe terminal text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[31mb", "a␛[31mb"),
        ("\x9b2J", "\\x9b2J"),
        ("\x85", "\\x85"),
        ("del\x7f", "del␡"),
        ("nul\x00", "nul␀"),
        ("tab\there", "tab␉here"),
        ("two\nlines", "two␊lines"),
        ("cr\r\n", "cr␍␊"),
        ("café ✓ [bold]x[/] 日本", "café ✓ [bold]x[/] 日本"),
        ("", ""),
        (None, ""),
    ],
)
def test_printable(text: str | None, shown: str) -> None:
    assert printable(text) == shown


def test_printable_keeps_newlines_only_when_asked() -> None:
    assert printable("one\ntwo\x1b", keep_newlines=True) == "one\ntwo␛"
    assert printable("a\r\nb", keep_newlines=True) == "a␍\nb"
    assert printable("one\ntwo") == "one␊two"


def test_one_line() -> None:
    assert one_line("first line\nsecond\tline   end") == "first line second line end"
    assert one_line("x\x1b[2Jy") == "x␛[2Jy"
    assert one_line("abcdef", 4) == "abc…"
    assert one_line("abcd", 4) == "abcd"
    assert one_line("  padded  ") == "padded"
    assert one_line(None) == ""


_ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80) | st.text(
    st.sampled_from("ab \n\t\r\x1b\x9b\x00\x7f\x85["), max_size=30
)


@given(text=_ANY_TEXT)
def test_printable_never_returns_a_control_character(text: str) -> None:
    shown = printable(text)
    assert not CONTROL.search(shown)
    assert printable(shown) == shown  # nothing left to replace
    if not CONTROL.search(text):
        assert shown == text


@given(text=_ANY_TEXT)
def test_printable_keep_newlines_keeps_only_newlines(text: str) -> None:
    shown = printable(text, keep_newlines=True)
    assert not CONTROL.search(shown.replace("\n", ""))
    assert shown.count("\n") == text.count("\n")
    assert shown.split("\n") == [printable(line) for line in text.split("\n")]


@given(text=_ANY_TEXT, width=st.none() | st.integers(min_value=1, max_value=40))
def test_one_line_is_one_safe_line(text: str, width: int | None) -> None:
    line = one_line(text, width)
    assert not CONTROL.search(line)
    assert "\n" not in line
    if width is not None:
        assert len(line) <= width
        if len(line) == width and line.endswith("…"):
            assert len(one_line(text)) > width


def test_printable_shows_text_reordering_characters_but_keeps_joiners() -> None:
    # A right-to-left override could make "gnp.exe" read as "exe.png"; it is shown, not obeyed.
    assert printable("a\u202egnp.exe") == "a<U+202E>gnp.exe"
    assert printable("zero\u200bwidth") == "zero<U+200B>width"
    family = "\U0001f469\u200d\U0001f467"  # emoji joined by U+200D stay joined
    assert printable(family) == family


def test_counts_read_as_words() -> None:
    from tracker.domain.text import counted, journal_counts

    assert counted(1, "meeting") == "1 meeting"
    assert counted(0, "meeting") == "0 meetings"
    assert counted(2, "person", "people") == "2 people"
    text = journal_counts(
        {"attendance": 1, "groups": 2, "people": 1, "contacts": 0, "service": 1, "fit_ratings": 3}
    )
    assert text == ("1 meeting, 2 groups, 1 person, 0 contacts, 1 service entry and 3 fit ratings")

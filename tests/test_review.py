"""The mentor review: periods, the review model, and its Markdown and HTML
(tracker.domain.review, tracker.report)."""

from __future__ import annotations

import dataclasses
import html
import os
import re
from collections.abc import Sequence
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tracker.domain.engagement import Consistency, consistency
from tracker.domain.review import (
    Milestone,
    Period,
    ReviewInput,
    SharedNote,
    build_review,
    parse_period,
)
from tracker.errors import InvalidField
from tracker.report import to_html, to_markdown
from tracker.report.markdown import md_escape

TODAY = date(2026, 11, 26)  # a Thursday
THIS_MONDAY = date(2026, 11, 23)
GOLDEN = Path(__file__).parent / "golden" / "review-90d.md"
UNKIND_WORDS = ("failed", "broke", "streak", "addict", "clean", "dirty", "missed", "lost")


def monday(weeks_back: int) -> date:
    """The Monday ``weeks_back`` weeks before this week's."""
    return THIS_MONDAY - timedelta(weeks=weeks_back)


def history(
    counts: Sequence[int], *, goal: int = 2, excused: Sequence[int] = (), today: date = TODAY
) -> Consistency:
    """A journal whose weeks (oldest first, the last being the current week) had ``counts``
    meetings (logged on the Tuesday); ``excused`` are indexes into ``counts``."""
    first = monday(len(counts) - 1)
    meetings = {first + timedelta(weeks=i, days=1): n for i, n in enumerate(counts) if n}
    excused_days = [first + timedelta(weeks=i, days=2) for i in excused]
    return consistency(meetings, excused_days, goal=goal, today=today, started=first)


def make_input(**changes: object) -> ReviewInput:
    """A review input for the last 90 days with nothing in it, changed by ``changes``."""
    base = ReviewInput(
        today=TODAY,
        period=parse_period("90d", None, today=TODAY),
        goal=2,
        consistency=history([2, 0] * 10),
        meetings=(),
        meetings_before=0,
        contacts=(),
        last_contact_before={},
        service=(),
        first_service=None,
        ratings=(),
        shared_notes=(),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# --- periods ----------------------------------------------------------------------------------


def test_the_default_period_is_the_last_30_days() -> None:
    period = parse_period(None, None, today=TODAY)
    assert period == Period(date(2026, 10, 28), TODAY, "the last 30 days")
    assert period.days == 30
    assert parse_period("", "  ", today=TODAY) == period
    assert parse_period("30d", None, today=TODAY) == period


def test_ninety_days_end_today() -> None:
    period = parse_period("90d", None, today=TODAY)
    assert (period.since, period.until) == (date(2026, 8, 29), TODAY)
    assert period.label == "the last 90 days"
    assert period.range_text == "29 Aug – 26 Nov 2026"
    assert parse_period(" 90 Days ", None, today=TODAY) == period


def test_days_end_on_until() -> None:
    period = parse_period("30d", "2026-10-31", today=TODAY)
    assert (period.since, period.until) == (date(2026, 10, 2), date(2026, 10, 31))
    assert period.label == "the 30 days to 31 Oct 2026"
    assert parse_period("1d", None, today=TODAY) == Period(TODAY, TODAY, "today")


def test_this_year() -> None:
    period = parse_period("this year", None, today=TODAY)
    assert period == Period(date(2026, 1, 1), TODAY, "2026 so far")
    assert parse_period("year", None, today=TODAY) == period
    assert parse_period("this year", "2025-12-31", today=TODAY).label == "2025"
    past = parse_period("year", "30 Jun 2025", today=TODAY)
    assert (past.since, past.until) == (date(2025, 1, 1), date(2025, 6, 30))
    assert past.label == "1 Jan – 30 Jun 2025"


def test_custom_dates_in_any_form() -> None:
    period = parse_period("1 Sep", "2026-10-31", today=TODAY)
    assert period == Period(date(2026, 9, 1), date(2026, 10, 31), "1 Sep – 31 Oct 2026")
    across = parse_period("2025-12-20", "yesterday", today=TODAY)
    assert across.label == "20 Dec 2025 – 25 Nov 2026"
    one_day = parse_period("today", "last mon", today=TODAY)
    assert one_day == Period(date(2026, 11, 23), date(2026, 11, 23), "23 Nov 2026")


def test_since_is_read_as_of_until() -> None:
    # Today is 26 Nov 2026, so "30 Nov" is 30 Nov 2025; "1 Sep" is then the one before it.
    period = parse_period("1 Sep", "30 Nov", today=TODAY)
    assert period == Period(date(2025, 9, 1), date(2025, 11, 30), "1 Sep – 30 Nov 2025")
    # Without until, the period ends today and "1 Nov" is this year's.
    this_month = parse_period("1 Nov", None, today=TODAY)
    assert this_month == Period(date(2026, 11, 1), TODAY, "1 Nov – 26 Nov 2026")
    # "1 Dec" hasn't come yet this year, so it is last year's.
    assert parse_period("1 Dec", None, today=TODAY).since == date(2025, 12, 1)
    # Words relative to a day count from until too.
    week = parse_period("last mon", "last mon", today=TODAY)
    assert (week.since, week.until) == (date(2026, 11, 16), date(2026, 11, 23))


def test_a_start_in_the_future_or_after_the_end_says_which() -> None:
    with pytest.raises(InvalidField) as future:
        parse_period("2026-12-01", "2026-10-01", today=TODAY)
    assert "is in the future" in future.value.message
    with pytest.raises(InvalidField) as after:
        parse_period("2026-11-01", "2026-10-01", today=TODAY)
    assert "after the end of the period (1 Oct 2026)" in after.value.message


@pytest.mark.parametrize(
    ("since", "until", "field"),
    [
        ("0d", None, "since"),
        ("3661d", None, "since"),
        ("banana", None, "since"),
        ("2026-12-01", None, "since"),  # in the future
        ("2026-11-01", "2026-10-01", "since"),  # after until
        ("30d", "tomorrow", "until"),
        ("30d", "2027-01-01", "until"),
        ("30d", "whenever", "until"),
        ("1 Jan 1890", None, "since"),
        ("3660d", "1900-06-01", "since"),  # reaches back before 1900
    ],
)
def test_period_errors_name_the_field(since: str, until: str | None, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_period(since, until, today=TODAY)
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{field}:")


@given(
    n=st.integers(min_value=1, max_value=3660),
    back=st.integers(min_value=0, max_value=4000),
)
def test_n_days_always_hold_exactly_n_days(n: int, back: int) -> None:
    until = TODAY - timedelta(days=back)
    period = parse_period(f"{n}d", until.isoformat(), today=TODAY)
    assert period.until == until
    assert period.days == n
    assert period.since <= period.until <= TODAY


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.dates(max_value=TODAY))
def test_a_date_range_is_taken_as_given_or_refused(since: date, until: date) -> None:
    if until < date(1900, 1, 1):
        return
    if since > until:
        with pytest.raises(InvalidField) as caught:
            parse_period(since.isoformat(), until.isoformat(), today=TODAY)
        assert caught.value.field == "since"
    else:
        period = parse_period(since.isoformat(), until.isoformat(), today=TODAY)
        assert (period.since, period.until) == (since, until)


# --- weeks, groups, strength ------------------------------------------------------------------


def test_weeks_overlapping_the_period_with_their_goal_and_excused_marked() -> None:
    # 20 weeks of history; week index 12 (Mon 5 Oct) excused; the period starts Sat 29 Aug.
    counts = [2] * 6 + [1, 3, 0, 2, 2, 2, 0, 2, 2, 2, 1, 2, 2, 1]
    review = build_review(make_input(consistency=history(counts, excused=[12])))
    starts = [w.start for w in review.weeks]
    assert starts[0] == date(2026, 8, 24)  # the week holding 29 Aug, shown whole
    assert starts[-1] == THIS_MONDAY
    assert starts == [date(2026, 8, 24) + timedelta(weeks=i) for i in range(14)]
    assert [w.meetings for w in review.weeks] == counts[6:]
    assert all(w.goal == 2 for w in review.weeks)
    assert [w.start for w in review.weeks if w.excused] == [date(2026, 10, 5)]
    assert [w.current for w in review.weeks] == [False] * 13 + [True]
    outcomes = [w.outcome for w in review.weeks]
    assert outcomes[:4] == ["not this time", "goal met", "not this time", "goal met"]
    assert outcomes[6] == "excused"
    assert outcomes[-1] == "so far"
    # 13 weeks are over: 9 met, 3 not this time (12 counted), 1 excused beside them; this week
    # is still going.
    assert (review.tally.met, review.tally.weeks, review.tally.excused) == (9, 12, 1)
    assert review.tally.still_going == review.weeks[-1]
    assert review.tally.phrase == (
        "Goal met in 9 of 12 weeks (1 excused). This week is still going: 1 of 2 meetings so far."
    )


def test_a_week_goal_changed_in_the_period_is_shown_with_its_own_goal() -> None:
    meetings = {monday(back) + timedelta(days=1): 2 for back in range(20)}
    c = consistency(
        meetings,
        [],
        goal=3,
        today=TODAY,
        started=monday(19),
        goal_changes=[(monday(19), 2), (monday(5), 3)],
    )
    review = build_review(make_input(consistency=c, goal=3))
    # Weeks of 24 Aug to 21 Sep had a goal of 2; from 28 Sep (five weeks back) a goal of 3.
    assert [w.goal for w in review.weeks] == [2] * 8 + [3] * 6
    assert [w.met for w in review.weeks] == [True] * 8 + [False] * 6


def test_this_week_joins_the_count_once_its_goal_is_met() -> None:
    met = build_review(make_input(consistency=history([2] * 19 + [3])))
    assert (met.tally.met, met.tally.weeks, met.tally.still_going) == (14, 14, None)
    assert met.weeks[-1].outcome == "goal met"
    excused = build_review(make_input(consistency=history([2] * 19 + [0], excused=[19])))
    assert (excused.tally.met, excused.tally.weeks, excused.tally.excused) == (13, 13, 1)
    assert excused.tally.still_going is None
    assert excused.tally.phrase == "Goal met in 13 of 13 weeks (1 excused)."


def test_excused_weeks_are_named_beside_the_count_not_in_it() -> None:
    # 14 weeks in the period: 3 excused, 11 met; this week (met) joins the count.
    counts = [2] * 20
    review = build_review(make_input(consistency=history(counts, excused=[8, 12, 15])))
    tally = review.tally
    assert (tally.met, tally.weeks, tally.excused, tally.still_going) == (11, 11, 3, None)
    assert tally.phrase == "Goal met in 11 of 11 weeks (3 excused)."
    assert tally.weeks + tally.excused == len(review.weeks)
    # Only excused weeks so far, and this week still going.
    young = build_review(make_input(consistency=history([0, 1], excused=[0])))
    assert young.tally.phrase == (
        "No weeks to count in this period yet (1 excused). "
        "This week is still going: 1 of 2 meetings so far."
    )


@given(
    counts=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=20),
    excused=st.sets(st.integers(min_value=0, max_value=19)),
)
def test_every_week_is_counted_excused_or_still_going(counts: list[int], excused: set[int]) -> None:
    marked = sorted(i for i in excused if i < len(counts))
    review = build_review(make_input(consistency=history(counts, excused=marked)))
    tally = review.tally
    going = 0 if tally.still_going is None else 1
    assert tally.weeks + tally.excused + going == len(review.weeks)
    assert tally.excused == sum(1 for w in review.weeks if w.excused)
    assert tally.met == sum(1 for w in review.weeks if w.met and not w.excused)
    assert f"({tally.excused} excused)" in tally.phrase or tally.excused == 0


def test_a_journal_begun_in_the_period_shows_only_its_own_weeks() -> None:
    review = build_review(make_input(consistency=history([1, 2, 2])))
    assert [w.start for w in review.weeks] == [monday(2), monday(1), monday(0)]
    assert review.strength.began_in_period
    assert review.strength.start == 0
    assert review.strength.phrase.startswith("Strength rose from 0%, when your journal began, to")
    steady = build_review(make_input(consistency=history([0] * 20)))
    assert steady.strength.phrase == "Strength held at 0% through the period."
    empty = build_review(make_input(consistency=history([], today=TODAY)))
    assert empty.weeks == ()
    assert empty.tally.phrase == "No finished weeks to count in this period yet."
    assert empty.strength.series == ()


def test_strength_from_the_week_before_the_period_to_its_end() -> None:
    c = history([2] * 10 + [0] * 10)
    review = build_review(make_input(consistency=c))
    before_period = next(w for w in c.weeks if w.start == date(2026, 8, 17))
    assert review.strength.start == before_period.percent
    assert review.strength.end == c.percent
    assert review.strength.series == tuple(
        (w.start, w.percent) for w in c.weeks if w.start >= date(2026, 8, 24)
    )
    assert not review.strength.began_in_period
    assert review.strength.end < review.strength.start
    assert "comes back as meetings come back" in review.strength.phrase


def test_groups_count_meetings_attended_in_the_period_most_first() -> None:
    meetings = [
        (date(2026, 9, 1), "SMART Online", True),
        (date(2026, 9, 3), "NA Downtown", True),
        (date(2026, 9, 8), "NA Downtown", True),
        (date(2026, 9, 10), "NA Downtown", False),  # not attended
        (date(2026, 9, 15), "Art group", True),
        (date(2026, 9, 17), "SMART Online", True),
        (date(2026, 9, 22), "NA Downtown", True),
        (date(2026, 9, 24), "Yoga", False),
        (date(2026, 8, 1), "Yoga", True),  # before the period
    ]
    review = build_review(make_input(meetings=meetings, meetings_before=40))
    assert [(g.name, g.attended) for g in review.groups] == [
        ("NA Downtown", 3),
        ("SMART Online", 2),
        ("Art group", 1),
    ]
    assert review.attended == 6
    assert review.attended_in_all == 46
    assert review.attended_phrase == "6 meetings attended in 3 groups; 46 in all."


# --- contacts ---------------------------------------------------------------------------------


def test_contact_counts_and_longest_gaps() -> None:
    since, until = date(2026, 8, 29), TODAY
    contacts = [
        (since + timedelta(days=40), "Sam", "sponsor"),
        (since + timedelta(days=10), "Sam", "sponsor"),
        (until - timedelta(days=3), "Sam", "sponsor"),
        (since + timedelta(days=20), "Jo", "mentor"),
    ]
    last_before = {
        "Sam": since - timedelta(days=5),
        "Jo": None,
        "Rae": since - timedelta(days=10),
        "Lee": None,
    }
    review = build_review(make_input(contacts=contacts, last_contact_before=last_before))
    found = {c.alias: c for c in review.contacts}
    # Sam: 5 days before, +10, +40, 3 days before the end: gaps 15, 30, 46, 3.
    assert (found["Sam"].count, found["Sam"].longest_gap) == (3, 46)
    assert found["Sam"].role_label == "Sponsor"
    # Jo: no contact before, so from the period's start (a 90-day period): 21, then 69.
    assert (found["Jo"].count, found["Jo"].longest_gap) == (1, 69)
    # Rae: last seen 10 days before the period, never in it.
    assert (found["Rae"].count, found["Rae"].longest_gap) == (0, 99)
    assert found["Rae"].gap_phrase == "99 days (no contact in this period)"
    # Lee: never contacted at all: the whole period.
    assert (found["Lee"].count, found["Lee"].longest_gap) == (0, 90)
    assert found["Lee"].role is None
    assert [c.alias for c in review.contacts] == ["Sam", "Jo", "Lee", "Rae"]


@given(
    offsets=st.lists(st.integers(min_value=0, max_value=89), max_size=12),
    extra=st.integers(min_value=0, max_value=89),
    before=st.one_of(st.none(), st.integers(min_value=1, max_value=400)),
)
def test_longest_gap_bounds_and_more_contact_never_widens_it(
    offsets: list[int], extra: int, before: int | None
) -> None:
    since = date(2026, 8, 29)
    last = None if before is None else since - timedelta(days=before)
    span = (TODAY - (last or since - timedelta(days=1))).days

    def gap(days: list[int]) -> int:
        contacts = [(since + timedelta(days=d), "Sam", "sponsor") for d in days]
        review = build_review(make_input(contacts=contacts, last_contact_before={"Sam": last}))
        (summary,) = review.contacts
        assert summary.count == len(days)
        return summary.longest_gap

    longest = gap(offsets)
    distinct = len(set(offsets))
    assert longest <= span
    assert longest * (distinct + 1) >= span  # the gaps add up to the whole span
    assert gap([*offsets, extra]) <= longest


def test_every_support_person_shows_their_role_contacted_or_not() -> None:
    contacts = [(date(2026, 10, 1), "Sam", "sponsor")]
    roles = {"Sam": "sponsor", "Rae": "peer-coach", "Jo": "mentor"}
    review = build_review(
        make_input(contacts=contacts, last_contact_before={"Rae": date(2026, 8, 1)}, roles=roles)
    )
    found = {c.alias: c for c in review.contacts}
    assert set(found) == {"Sam", "Rae", "Jo"}
    assert (found["Rae"].count, found["Rae"].role_label) == (0, "Peer recovery coach")
    assert (found["Jo"].count, found["Jo"].role_label) == (0, "Mentor")
    assert found["Sam"].role_label == "Sponsor"
    # Without roles, a person never contacted in the period has no role to show.
    bare = build_review(make_input(last_contact_before={"Rae": date(2026, 8, 1)}))
    assert bare.contacts[0].role is None


def test_a_gap_without_an_earlier_contact_starts_when_the_journal_began() -> None:
    since_1900 = parse_period("1900-01-01", None, today=TODAY)
    started = date(2026, 3, 2)
    review = build_review(
        make_input(period=since_1900, started=started, last_contact_before={"Lee": None})
    )
    # From 1 Mar 2026 (the day before the journal began) to today, not from 1899.
    assert review.contacts[0].longest_gap == (TODAY - date(2026, 3, 1)).days == 270
    # A contact before the period still counts from that contact.
    with_before = build_review(
        make_input(
            period=since_1900, started=started, last_contact_before={"Lee": date(2026, 5, 1)}
        )
    )
    assert with_before.contacts[0].longest_gap == (TODAY - date(2026, 5, 1)).days
    # A journal begun before the period: the period's start, as without ``started``.
    older = build_review(make_input(started=date(2024, 1, 1), last_contact_before={"Lee": None}))
    assert older.contacts[0].longest_gap == 90
    # A journal begun after the period ended leaves no gap at all.
    september = parse_period("2026-09-01", "2026-09-30", today=TODAY)
    later = build_review(
        make_input(period=september, started=date(2026, 10, 5), last_contact_before={"Lee": None})
    )
    assert later.contacts[0].longest_gap == 0


def test_a_contact_on_the_last_day_closes_the_gap() -> None:
    contacts = [(TODAY, "Sam", "sponsor")]
    review = build_review(
        make_input(contacts=contacts, last_contact_before={"Sam": TODAY - timedelta(days=95)})
    )
    assert review.contacts[0].longest_gap == 95


# --- service and fit --------------------------------------------------------------------------


def test_service_hours_untimed_entries_and_kinds() -> None:
    service = [
        (date(2026, 9, 5), "set-up", 60),
        (date(2026, 9, 12), "set-up", 45),
        (date(2026, 9, 19), "coffee", None),
        (date(2026, 10, 3), "greeter", 45),
        (date(2026, 10, 10), "set-up", None),
        (date(2026, 8, 1), "chair", 600),  # before the period
    ]
    review = build_review(make_input(service=service))
    s = review.service
    assert (s.entries, s.minutes, s.untimed) == (5, 150, 2)
    assert s.time_text == "2.5 hours"
    assert [(k.label, k.count) for k in s.kinds] == [
        ("Set up chairs", 3),
        ("Greeted newcomers", 1),
        ("Made coffee", 1),
    ]
    assert s.phrase == (
        "2.5 hours of service in 5 entries "
        "(2 entries have no time: counted here, not in the hours)."
    )


@pytest.mark.parametrize(
    ("minutes", "text"),
    [([30], "30 minutes"), ([60], "1 hour"), ([45, 45], "1.5 hours"), ([1], "1 minute")],
)
def test_service_time_in_words(minutes: list[int], text: str) -> None:
    service = [(date(2026, 10, 1), "coffee", m) for m in minutes]
    assert build_review(make_input(service=service)).service.time_text == text


def test_no_service_and_untimed_service() -> None:
    assert build_review(make_input()).service.phrase == "No service logged in this period."
    untimed = build_review(make_input(service=[(date(2026, 10, 1), "coffee", None)]))
    assert untimed.service.phrase == "1 service entry, none of them timed."


def test_fit_changes_latest_in_the_period_against_the_latest_before() -> None:
    ratings = [
        (date(2026, 7, 1), "NA Downtown", 3.0),
        (date(2026, 8, 1), "NA Downtown", 3.6),
        (date(2026, 10, 5), "NA Downtown", 4.0),
        (date(2026, 11, 20), "NA Downtown", 4.4),
        (date(2026, 9, 10), "SMART Online", 3.2),
        (date(2026, 7, 10), "Yoga", 4.8),  # not rated in the period
        (date(2026, 6, 1), "Art group", 4.0),
        (date(2026, 10, 1), "Art group", 3.0),
        (date(2026, 10, 1), "Art group", 3.4),  # same day: the higher is the later
        (date(2026, 5, 1), "Hiking", 3.8),
        (date(2026, 9, 9), "Hiking", 3.8),
    ]
    review = build_review(make_input(ratings=ratings))
    found = {c.group: c for c in review.fit_changes}
    assert list(found) == ["Art group", "Hiking", "NA Downtown", "SMART Online"]
    na = found["NA Downtown"]
    assert (na.latest, na.latest_day, na.previous, na.previous_day, na.ratings) == (
        4.4,
        date(2026, 11, 20),
        3.6,
        date(2026, 8, 1),
        2,
    )
    assert na.change_text == "up 0.8"
    assert found["SMART Online"].previous is None
    assert found["SMART Online"].change_text == "first rating"
    assert found["Art group"].latest == 3.4
    assert found["Art group"].change_text == "down 0.6"
    assert found["Hiking"].change_text == "no change"


def test_ratings_after_the_period_are_left_out() -> None:
    period = parse_period("2026-09-01", "2026-09-30", today=TODAY)
    ratings = [(date(2026, 9, 5), "NA", 3.0), (date(2026, 10, 5), "NA", 5.0)]
    review = build_review(make_input(period=period, ratings=ratings))
    assert [(c.latest, c.change_text) for c in review.fit_changes] == [(3.0, "first rating")]


# --- milestones -------------------------------------------------------------------------------


def runs_in(review_milestones: Sequence[Milestone]) -> list[tuple[int, date]]:
    return [(m.count, m.day) for m in review_milestones if m.kind == "run"]


def test_runs_of_4_12_26_and_52_weeks() -> None:
    c = history([1] * 60, goal=1)  # weeks from Mon 6 Oct 2025 to this one, all met
    everything = parse_period("2025-10-06", None, today=TODAY)
    review = build_review(make_input(consistency=c, period=everything, goal=1))
    assert runs_in(review.milestones) == [
        (4, monday(56)),
        (12, monday(48)),
        (26, monday(34)),
        (52, monday(8)),
    ]
    assert review.milestones[-1].line(today=TODAY) == (
        "Week of Mon 28 Sep: 52 weeks in a row meeting your goal"
    )
    last_90 = build_review(make_input(consistency=c, goal=1))
    assert runs_in(last_90.milestones) == [(52, monday(8))]


def test_excused_weeks_pause_a_run_and_a_week_short_of_the_goal_starts_again() -> None:
    # Met, met, excused, met, met (4 reached), short, then 4 more (the last is this week).
    c = history([1, 1, 0, 1, 1, 0, 1, 1, 1, 1], goal=1, excused=[2])
    review = build_review(make_input(consistency=c, goal=1))
    assert runs_in(review.milestones) == [(4, monday(5)), (4, monday(0))]


def test_the_first_service_is_a_milestone_only_in_its_period() -> None:
    first = date(2026, 9, 12)
    review = build_review(make_input(first_service=first))
    assert [(m.kind, m.day) for m in review.milestones] == [("first-service", first)]
    assert review.milestones[0].line(today=TODAY) == "Sat 12 Sep: Your first service"
    earlier = build_review(make_input(first_service=date(2026, 3, 1)))
    assert earlier.milestones == ()


@pytest.mark.parametrize("before", [8, 48, 98])
def test_the_10th_50th_and_100th_meeting(before: int) -> None:
    days = [date(2026, 10, 20), date(2026, 9, 1), date(2026, 10, 6), date(2026, 9, 15)]
    meetings = [
        (days[0], "NA", True),
        (days[1], "NA", True),
        (days[2], "NA", True),
        (days[3], "NA", False),  # not attended: not counted
    ]
    review = build_review(make_input(meetings=meetings, meetings_before=before))
    # In date order: 1 Sep is number before+1, 6 Oct before+2, 20 Oct before+3.
    target = before + 2
    assert [(m.kind, m.count, m.day) for m in review.milestones] == [
        ("meetings", target, date(2026, 10, 6))
    ]
    assert review.milestones[0].text == f"Your {target}th meeting"


@given(
    before=st.integers(min_value=0, max_value=120),
    days=st.lists(st.integers(min_value=0, max_value=89), max_size=60),
)
def test_each_round_number_passed_in_the_period_is_a_milestone(
    before: int, days: list[int]
) -> None:
    meetings = [(date(2026, 8, 29) + timedelta(days=d), "NA", True) for d in days]
    review = build_review(make_input(meetings=meetings, meetings_before=before))
    reached = [m for m in review.milestones if m.kind == "meetings"]
    assert [m.count for m in reached] == [
        n for n in (10, 50, 100) if before < n <= before + len(days)
    ]
    ordered = sorted(day for day, _name, _attended in meetings)
    for m in reached:
        assert m.day == ordered[m.count - before - 1]


def test_no_meeting_milestone_between_the_round_numbers() -> None:
    meetings = [(date(2026, 10, 1) + timedelta(days=i), "NA", True) for i in range(30)]
    review = build_review(make_input(meetings=meetings, meetings_before=11))
    assert [m.count for m in review.milestones if m.kind == "meetings"] == []
    review = build_review(make_input(meetings=meetings, meetings_before=5))
    assert [m.count for m in review.milestones if m.kind == "meetings"] == [10]


# --- notes and the first line -----------------------------------------------------------------


def test_shared_notes_in_date_order_within_the_period() -> None:
    notes = [
        SharedNote(date(2026, 11, 2), "contact", "Sam", "Talked about step work."),
        SharedNote(date(2026, 9, 3), "meeting", "NA Downtown", "First share."),
        SharedNote(date(2026, 6, 3), "meeting", "NA Downtown", "Long ago."),
    ]
    review = build_review(make_input(shared_notes=notes))
    assert [n.text for n in review.notes] == ["First share.", "Talked about step work."]


def test_the_first_line_says_what_is_in_and_what_is_out() -> None:
    notes = [
        SharedNote(date(2026, 11, 2), "contact", "Sam", "a"),
        SharedNote(date(2026, 9, 3), "meeting", "NA", "b"),
    ]
    review = build_review(make_input(shared_notes=notes))
    assert review.intro == (
        "This review covers 29 Aug – 26 Nov 2026. It includes attendance, groups, strength, "
        "contacts by alias, service, fit ratings, milestones and the 2 notes you chose to share. "
        "It leaves out every other note, phone numbers and email addresses."
    )
    none = build_review(make_input()).intro
    assert "No notes were marked to share" in none
    assert "leaves out every note, phone numbers and email addresses" in none


# --- the golden Markdown ----------------------------------------------------------------------


def golden_input() -> ReviewInput:
    """A fixed journal: 20 weeks from Mon 13 Jul 2026, goal 2, one excused week, three groups,
    a sponsor, a mentor and a coach (not contacted in the period), some service, fit ratings and
    two shared notes (one with a list in it)."""
    counts = [1, 2, 0, 1, 2, 2, 3, 2, 2, 2, 2, 0, 2, 3, 2, 2, 2, 1, 2, 1]
    excused = [11]  # Mon 28 Sep
    c = history(counts, excused=excused)
    period = parse_period("90d", None, today=TODAY)
    groups = ("NA Downtown", "SMART Online", "Parents & Friends (CRAFT)")
    meetings: list[tuple[date, str, bool]] = []
    for i, count in enumerate(counts):
        start = monday(len(counts) - 1 - i)
        for k in range(count):
            day = start + timedelta(days=1 + 2 * k)
            if period.holds(day):
                meetings.append((day, groups[k], True))
    meetings.append((date(2026, 10, 29), "SMART Online", False))
    return ReviewInput(
        today=TODAY,
        period=period,
        goal=2,
        consistency=c,
        meetings=meetings,
        meetings_before=27,
        contacts=[
            (date(2026, 9, 2), "Sam", "sponsor"),
            (date(2026, 9, 16), "Sam", "sponsor"),
            (date(2026, 10, 14), "Sam", "sponsor"),
            (date(2026, 11, 11), "Sam", "sponsor"),
            (date(2026, 11, 24), "Sam", "sponsor"),
            (date(2026, 10, 1), "Jo", "mentor"),
            (date(2026, 11, 5), "Jo", "mentor"),
        ],
        last_contact_before={
            "Sam": date(2026, 8, 26),
            "Jo": date(2026, 8, 10),
            "Rae": date(2026, 8, 3),
        },
        service=[
            (date(2026, 9, 12), "set-up", 45),
            (date(2026, 9, 26), "set-up", 45),
            (date(2026, 10, 10), "coffee", 60),
            (date(2026, 10, 24), "set-up", None),
            (date(2026, 11, 21), "greeter", 30),
        ],
        first_service=date(2026, 9, 12),
        ratings=[
            (date(2026, 7, 21), "NA Downtown", 3.6),
            (date(2026, 10, 6), "NA Downtown", 4.2),
            (date(2026, 11, 17), "NA Downtown", 4.4),
            (date(2026, 7, 23), "SMART Online", 4.0),
            (date(2026, 10, 29), "SMART Online", 3.4),
            (date(2026, 9, 8), "Parents & Friends (CRAFT)", 4.6),
        ],
        shared_notes=[
            SharedNote(
                date(2026, 11, 5),
                "contact",
                "Jo",
                "Jo asked what helps on hard evenings.\nWe made a short list together:\n"
                "- call Sam\n- a walk & music\n    (and rest)",
            ),
            SharedNote(
                date(2026, 10, 6),
                "meeting",
                "NA Downtown",
                "Shared for the first time. My hands shook, and it was fine.",
            ),
        ],
        roles={"Sam": "sponsor", "Jo": "mentor", "Rae": "peer-coach"},
        started=monday(len(counts) - 1),
    )


def test_golden_markdown() -> None:
    text = to_markdown(build_review(golden_input()))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_golden_review_wording_is_kind() -> None:
    review = build_review(golden_input())
    for text in (to_markdown(review), to_html(review)):
        low = text.lower()
        for word in UNKIND_WORDS:
            assert not re.search(rf"\b{word}\b", low), word
        assert "not this time" in low


# --- HTML -------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


class Checker(HTMLParser):
    """Records the tags, attributes, text and style of a page, and any nesting error."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self.title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._record(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._record(tag, attrs)

    def _record(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"closing a void tag {tag}")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.stack and self.stack[-1] == "style":
            self.style.append(data)
        if self.stack and self.stack[-2:] == ["head", "title"]:
            self.title.append(data)


def check_html(page: str) -> Checker:
    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


def test_html_is_well_formed_self_contained_and_printable() -> None:
    page = to_html(build_review(golden_input()))
    assert page.startswith("<!DOCTYPE html>\n")
    checker = check_html(page)
    assert "script" not in checker.tags
    for banned in ("link", "img", "iframe", "object", "embed", "a", "form", "base"):
        assert banned not in checker.tags
    for name, value in checker.attrs:
        assert name not in ("src", "href", "srcset", "action", "xlink:href")
        assert not name.startswith("on")
        for bad in ("http", "//", "url("):
            assert bad not in value.lower(), (name, value)
    style = "".join(checker.style)
    assert "@media print" in style
    assert "url(" not in style and "@import" not in style
    assert "page-break-inside" in style
    assert "".join(checker.title) == "Review: the last 90 days"
    assert '<meta charset="utf-8">' in page
    assert page.count("<svg") == 2
    assert "<title>Meetings each week against the weekly goal." in page
    assert 'aria-label="Strength each week' in page
    assert 'class="goal"' in page  # the goal line


def test_html_holds_the_same_figures_as_the_review() -> None:
    review = build_review(golden_input())
    checker = check_html(to_html(review))
    text = " ".join(" ".join(checker.text).split())
    assert review.intro in text
    assert review.tally.phrase in text
    for group in review.groups:
        assert group.name in text  # "&" was escaped and reads back as "&"
    for note in review.notes:
        for line in note.text.split("\n"):
            assert " ".join(line.split()) in text
    assert "\n    (and rest)</blockquote>" in to_html(review)  # kept as written (pre-wrap)


# --- privacy: user text stays inert -----------------------------------------------------------

HOSTILE = "<script>alert(1)</script> [bold]loud[/bold] \x1b[2J | pipe | *star* `tick` [x](y)"


def hostile_input() -> ReviewInput:
    return make_input(
        meetings=[(date(2026, 10, 1), "Group | with <b>pipes</b>", True)],
        contacts=[(date(2026, 10, 2), "Al|ias <i>", "sponsor")],
        last_contact_before={"Al|ias <i>": None},
        ratings=[(date(2026, 10, 3), "Group | with <b>pipes</b>", 4.0)],
        shared_notes=[
            SharedNote(date(2026, 10, 4), "meeting", "Group | with <b>pipes</b>", HOSTILE),
            SharedNote(
                date(2026, 10, 5),
                "person",
                "Al|ias <i>",
                "line one\n# not a heading\n```\n</blockquote><script>x</script>\n\nend\x07",
            ),
        ],
    )


def test_hostile_text_is_inert_in_markdown() -> None:
    text = to_markdown(build_review(hostile_input()))
    assert "\x1b" not in text and "\x07" not in text
    assert r"␛\[2J" in text and "␇" in text
    assert not re.search(r"(?<!\\)<", text)  # no raw HTML anywhere
    assert r"\<script\>alert(1)\</script\>" in text
    # Every table row keeps its columns: unescaped pipes only between cells.
    for line in text.splitlines():
        if line.startswith("| "):
            header_cells = None if "---" in line else len(re.findall(r"(?<!\\)\|", line))
            assert header_cells is None or header_cells in (3, 5)
    assert r"Group \| with \<b\>pipes\</b\>" in text
    # The notes stay inside their quotes: every line of each note is prefixed.
    notes = text.split("## Notes you chose to share", 1)[1]
    body = [line for line in notes.splitlines()[1:] if line and not line.startswith("**")]
    assert body and all(line.startswith(">") for line in body)
    assert "> \\`\\`\\`" in notes
    assert ">\n> end" in notes  # the blank line in a note stays in the quote


def test_hostile_text_is_inert_in_html() -> None:
    page = to_html(build_review(hostile_input()))
    checker = check_html(page)
    assert "script" not in checker.tags and "b" not in checker.tags and "i" not in checker.tags
    assert "\x1b" not in page and "\x07" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;/blockquote&gt;" in page
    assert "Al|ias &lt;i&gt;" in page
    assert "␛[2J" in page


def test_md_escape_keeps_ordinary_names_readable() -> None:
    assert md_escape("NA Downtown (Tuesdays), 7 pm") == "NA Downtown (Tuesdays), 7 pm"
    assert md_escape("a|b") == r"a\|b"
    assert md_escape("line\nbreak") == "line␊break"


def test_an_ampersand_is_escaped_so_it_cannot_start_an_entity() -> None:
    assert md_escape("Parents & Friends") == r"Parents \& Friends"
    assert md_escape("&amp; &#60;") == r"\&amp; \&#60;"
    md = MarkdownIt("commonmark")
    assert md.renderInline(md_escape("&lt;b&gt; & &copy;")) == "&amp;lt;b&amp;gt; &amp; &amp;copy;"


# --- the order of the export, and Markdown block marks in notes ------------------------------


def test_the_export_starts_with_what_it_includes_and_leaves_out() -> None:
    review = build_review(golden_input())
    lines = to_markdown(review).splitlines()
    assert lines[:3] == [review.intro, "", "# Review: the last 90 days"]
    page = to_html(review)
    assert page.index('<p class="intro">') < page.index("<h1>")
    body = page.split("<body>", 1)[1]
    assert body.index("This review covers") < body.index("<h1>")


def test_the_html_title_names_the_period_escaped() -> None:
    odd = Period(date(2026, 9, 1), date(2026, 9, 30), "<i>September</i> & more")
    page = to_html(build_review(make_input(period=odd)))
    assert "<title>Review: &lt;i&gt;September&lt;/i&gt; &amp; more</title>" in page
    assert "".join(check_html(page).title) == "Review: <i>September</i> & more"


def chart_row(text: str, week_of: str) -> str:
    (row,) = [line for line in text.splitlines() if line.startswith(week_of + " ")]
    return row


def test_an_excused_week_draws_no_marks_short_of_the_goal() -> None:
    counts = [2] * 17 + [0, 1, 2]
    review = build_review(make_input(consistency=history(counts, excused=[17, 18])))
    text = to_markdown(review)
    excused_none = chart_row(text, "Mon 9 Nov")  # no meetings, excused
    excused_one = chart_row(text, "Mon 16 Nov")  # one meeting, excused
    assert "excused" in excused_none and "▁" not in excused_none and "▇" not in excused_none
    assert "excused" in excused_one and "▁" not in excused_one and excused_one.count("▇") == 1
    short = build_review(make_input(consistency=history([2] * 18 + [1, 2])))
    not_this_time = chart_row(to_markdown(short), "Mon 16 Nov")
    assert "not this time" in not_this_time and not_this_time.count("▁") == 1


def note_markdown(text: str, *, plain: bool = False) -> list[str]:
    """The quoted lines of a review holding one shared note with ``text``."""
    note = SharedNote(date(2026, 10, 4), "meeting", "NA", text)
    out = to_markdown(build_review(make_input(shared_notes=[note])), plain=plain)
    quoted = out.split("**Sun 4 Oct · Meeting · NA**\n\n", 1)[1]
    return [line for line in quoted.splitlines() if line.startswith(">")]


NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("line", "quoted"),
    [
        ("# not a heading", r"> \# not a heading"),
        ("###### nor this", r"> \###### nor this"),
        ("> not nested", r"> \> not nested"),
        ("- not a list", r"> \- not a list"),
        ("+ not a list", r"> \+ not a list"),
        ("* not a list", r"> \* not a list"),
        ("1. not a list", r"> 1\. not a list"),
        ("12) not a list", r"> 12\) not a list"),
        ("---", r"> \---"),
        ("===", r"> \==="),
        ("    not code", "> " + NBSP * 4 + "not code"),
        ("  - not a list", "> " + NBSP * 2 + "- not a list"),
        ("   # not a heading", "> " + NBSP * 3 + "# not a heading"),
        ("2026 was a good year.", "> 2026 was a good year."),
        ("1.5 hours of sleep", "> 1.5 hours of sleep"),
        ("3.", r"> 3\."),
        ("A plain line - with marks # inside.", "> A plain line - with marks # inside."),
    ],
)
def test_a_note_line_that_starts_like_a_block_stays_text(line: str, quoted: str) -> None:
    assert note_markdown(f"Before.\n{line}\nAfter.") == ["> Before.", quoted, "> After."]


def test_note_lines_render_as_one_quoted_paragraph_of_exact_text() -> None:
    lines = [
        "First line",
        "===",
        "# two",
        "- three",
        "    four",
        "5. five",
        "---",
        "  6) six",
        "&amp; seven",
    ]
    quoted = "\n".join(note_markdown("\n".join(lines)))
    tokens = MarkdownIt("commonmark").parse(quoted)
    kinds = [t.type for t in tokens]
    assert kinds == [
        "blockquote_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "blockquote_close",
    ]
    inline = next(t for t in tokens if t.type == "inline")
    shown = [line.replace(NBSP, " ") for line in inline.content.split("\n")]
    assert [MarkdownIt("commonmark").renderInline(line) for line in shown] == [
        html.escape(line, quote=True).replace("&#x27;", "'") for line in lines
    ]


def test_plain_markdown_shows_user_text_as_written_but_printable() -> None:
    review = build_review(hostile_input())
    plain = to_markdown(review, plain=True)
    assert "Group | with <b>pipes</b>" in plain
    assert "Al|ias <i>" in plain
    assert "> # not a heading" in plain
    assert "> ```" in plain
    assert "\\" not in plain  # no escapes at all
    assert "\x1b" not in plain and "\x07" not in plain
    assert "␛[2J" in plain and "␇" in plain
    assert NBSP not in note_markdown("    indented", plain=True)[0]
    # The default, for files, escapes; apart from the escapes (and so the width of the table
    # columns, and no-break spaces for indents) the two are the same text.
    escaped = to_markdown(review)
    assert escaped != plain

    def words(text: str) -> str:
        return re.sub(r"-{3,}", "---", " ".join(text.replace(NBSP, " ").split()))

    assert words(re.sub(r"\\(.)", r"\1", escaped)) == words(plain)

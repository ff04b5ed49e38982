"""Consistency, the strength score, runs, schedule-aware attendance and the engagement rule
(tracker.domain.engagement)."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.dates import week_start
from tracker.domain.engagement import (
    SIGNAL_CODES,
    WINDOW_WEEKS,
    Consistency,
    EngagementCheck,
    FitHistory,
    FitTrend,
    Runs,
    Settled,
    Signal,
    SupportContact,
    WeekResult,
    WeeksMet,
    check_engagement,
    consistency,
    fit_histories,
    fit_trends,
    fit_trends_of,
    goal_of_week,
    quiet_days,
    runs,
    schedule_attendance,
    week_results,
    weekly_multiplier,
)
from tracker.domain.models import Group
from tracker.domain.profile import Thresholds
from tracker.domain.schedules import parse_schedule

TODAY = date(2026, 11, 26)  # a Thursday
THIS_MONDAY = date(2026, 11, 23)
M1 = 0.5 ** (math.sqrt(7) / 13)  # goal 1: 0.5 ** (7 * sqrt(1/7) / 13)
M3 = 0.5 ** (math.sqrt(21) / 13)  # goal 3: 0.5 ** (7 * sqrt(3/7) / 13)
SCORE_WORDS = ("failed", "broke", "streak", "addict", "clean", "dirty", "lost")


def monday(weeks_back: int) -> date:
    """The Monday ``weeks_back`` weeks before this week's."""
    return THIS_MONDAY - timedelta(weeks=weeks_back)


def history(
    counts: Sequence[int],
    *,
    goal: int = 1,
    excused: Sequence[int] = (),
    today: date = TODAY,
    weekday: int = 2,
) -> Consistency:
    """A journal whose weeks (oldest first, the last one being the current week) had ``counts``
    meetings, begun on the first week's Monday. ``excused`` are indexes into ``counts``."""
    first = week_start(today) - timedelta(weeks=len(counts) - 1)
    meetings = {
        first + timedelta(weeks=i, days=weekday): count for i, count in enumerate(counts) if count
    }
    excused_days = [first + timedelta(weeks=i, days=3) for i in excused]
    return consistency(meetings, excused_days, goal=goal, today=today, started=first)


def scores(c: Consistency) -> list[float]:
    return [w.score for w in c.weeks]


# --- the multiplier -----------------------------------------------------------------------------


def test_weekly_multiplier_is_seven_of_loops_daily_steps() -> None:
    assert weekly_multiplier(1) == pytest.approx(0.868, abs=0.001)
    assert weekly_multiplier(3) == pytest.approx(0.783, abs=0.001)
    for goal in (1, 2, 3, 5, 7):
        daily = 0.5 ** (math.sqrt(goal / 7) / 13)  # Loop's multiplier for goal/7 a day
        assert weekly_multiplier(goal) == pytest.approx(daily**7)


def test_a_higher_goal_moves_the_score_faster() -> None:
    values = [weekly_multiplier(goal) for goal in range(1, 15)]
    assert values == sorted(values, reverse=True)
    assert all(0.0 < value < 1.0 for value in values)


@pytest.mark.parametrize("goal", [0, -1])
def test_goal_below_one_is_refused(goal: int) -> None:
    with pytest.raises(ValueError):
        weekly_multiplier(goal)
    with pytest.raises(ValueError):
        week_results({}, [], goal=goal, today=TODAY, started=monday(3))


def test_negative_meeting_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        week_results({monday(1): -1}, [], goal=1, today=TODAY, started=monday(3))


# --- worked examples ----------------------------------------------------------------------------


def test_worked_example_goal_one() -> None:
    # Four weeks with a meeting, one without, and a current week with none yet.
    c = history([1, 1, 1, 1, 0, 0])
    expected = [1 - M1, 1 - M1**2, 1 - M1**3, 1 - M1**4, (1 - M1**4) * M1, (1 - M1**4) * M1]
    assert scores(c) == pytest.approx(expected)
    assert c.weeks[0].score == pytest.approx(0.1315, abs=0.0001)
    assert c.percent == round((1 - M1**4) * M1 * 100) == 37


def test_a_first_week_starts_from_zero() -> None:
    c = history([1, 0])
    assert c.weeks[0].score == pytest.approx(1 - M1)
    assert history([0, 0]).score == 0.0


def test_partial_credit() -> None:
    # Goal 3: two meetings give two thirds of a week's step; more than three count as three.
    two = history([2, 0], goal=3)
    assert two.weeks[0].score == pytest.approx((2 / 3) * (1 - M3))
    assert not two.weeks[0].met
    five = history([5, 0], goal=3)
    assert five.weeks[0].score == pytest.approx(1 - M3)
    assert five.weeks[0].met
    assert history([3, 0], goal=3).score == five.score


def test_the_current_week_never_lowers_the_score() -> None:
    before = history([1, 1, 1, 1, 0])  # nothing yet this week (Thursday)
    assert before.score == pytest.approx(1 - M1**4)
    assert before.this_week is not None
    assert before.this_week.current
    assert before.this_week.score == before.weeks[-2].score

    # A meeting this week raises it as a completed week would.
    after = history([1, 1, 1, 1, 1])
    assert after.score == pytest.approx(1 - M1**5)

    # Goal 3, ten full weeks, one meeting so far this week: the step would lower it, so no.
    strong = history([3] * 10 + [1], goal=3)
    assert strong.score == pytest.approx(1 - M3**10)
    assert strong.weeks[-2].score * M3 + (1 / 3) * (1 - M3) < strong.score

    # The same week once over does lower it.
    over = history([3] * 10 + [1, 0], goal=3)
    assert over.weeks[-2].score == pytest.approx((1 - M3**10) * M3 + (1 / 3) * (1 - M3))


def test_the_current_week_on_a_monday_morning() -> None:
    monday_today = history([1, 1, 1, 0], today=THIS_MONDAY, weekday=0)
    assert monday_today.score == pytest.approx(1 - M1**3)


def test_excused_weeks_are_neutral() -> None:
    c = history([1, 1, 0, 1, 0], excused=[2])
    assert c.weeks[2].excused
    assert c.weeks[2].score == c.weeks[1].score == pytest.approx(1 - M1**2)
    assert c.weeks[3].score == pytest.approx(1 - M1**3)
    # An excused week with meetings in it doesn't add either.
    busy = history([1, 1, 1, 1, 0], excused=[2])
    assert busy.weeks[2].score == busy.weeks[1].score
    assert busy.weeks[2].meetings == 1
    # An excused current week leaves the score where it was.
    now = history([1, 1, 1], excused=[2])
    assert now.score == now.weeks[1].score


def test_no_reset_to_zero() -> None:
    c = history([1] * 20 + [0, 0, 0, 0])
    assert c.score == pytest.approx((1 - M1**20) * M1**3)
    assert c.percent == 62
    assert c.score > 0.5
    # And it comes back as meetings come back.
    back = history([1] * 20 + [0, 0, 0, 1, 0])
    assert back.score == pytest.approx((1 - M1**20) * M1**3 * M1 + (1 - M1))


# --- the weeks ----------------------------------------------------------------------------------


def test_weeks_run_from_the_start_week_to_this_week() -> None:
    started = date(2026, 11, 4)  # a Wednesday
    weeks = week_results(
        {date(2026, 11, 2): 1, date(2026, 11, 8): 2, date(2026, 11, 24): 1},
        [],
        goal=2,
        today=TODAY,
        started=started,
    )
    assert [w.start for w in weeks] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        THIS_MONDAY,
    ]
    assert [w.meetings for w in weeks] == [3, 0, 0, 1]  # same week's days are added up
    assert [w.current for w in weeks] == [False, False, False, True]
    assert weeks[0].end == date(2026, 11, 8)
    assert weeks[0].met
    assert not weeks[-1].met


def test_days_outside_the_journal_are_ignored() -> None:
    inside = week_results({monday(1): 1}, [], goal=1, today=TODAY, started=monday(2))
    outside = week_results(
        {monday(1): 1, monday(5): 4, TODAY + timedelta(days=7): 3},
        [monday(8)],
        goal=1,
        today=TODAY,
        started=monday(2),
    )
    assert outside == inside


def test_no_weeks_without_a_start_or_with_a_future_start() -> None:
    assert week_results({monday(1): 1}, [], goal=1, today=TODAY, started=None) == []
    later = TODAY + timedelta(days=1)
    assert week_results({}, [], goal=1, today=TODAY, started=later) == []
    empty = consistency({}, [], goal=1, today=TODAY, started=None)
    assert empty.score == 0.0
    assert empty.percent == 0
    assert empty.this_week is None
    assert empty.series() == []
    assert empty.window(4).phrase == "no weeks yet"
    assert empty.runs == Runs(0, 0)


def test_series_gives_percent_per_week() -> None:
    c = history([1, 1, 0])
    assert c.series() == [
        (monday(2), round((1 - M1) * 100)),
        (monday(1), round((1 - M1**2) * 100)),
        (THIS_MONDAY, round((1 - M1**2) * 100)),
    ]


# --- properties ---------------------------------------------------------------------------------

Journal = tuple[int, list[int], list[bool], list[int]]

journals = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(
        st.integers(min_value=1, max_value=5),  # goal
        st.lists(st.integers(0, 6), min_size=n, max_size=n),  # meetings per week
        st.lists(st.booleans(), min_size=n, max_size=n),  # excused
        st.lists(st.integers(0, 6), min_size=n, max_size=n),  # day of the week of each entry
    )
)


def build(
    counts: Sequence[int], excused: Sequence[bool], days: Sequence[int]
) -> tuple[dict[date, int], list[date], date]:
    first = monday(len(counts) - 1)
    meetings: dict[date, int] = {}
    for i, (count, day) in enumerate(zip(counts, days, strict=True)):
        meetings[first + timedelta(weeks=i, days=day)] = count
    excused_days = [
        first + timedelta(weeks=i, days=day)
        for i, (flag, day) in enumerate(zip(excused, days, strict=True))
        if flag
    ]
    return meetings, excused_days, first


def results(
    goal: int, counts: Sequence[int], excused: Sequence[bool], days: Sequence[int]
) -> list[WeekResult]:
    meetings, excused_days, first = build(counts, excused, days)
    return week_results(meetings, excused_days, goal=goal, today=TODAY, started=first)


@given(journals)
def test_score_is_always_between_zero_and_one(journal: Journal) -> None:
    goal, counts, excused, days = journal
    meetings, excused_days, first = build(counts, excused, days)
    c = consistency(meetings, excused_days, goal=goal, today=TODAY, started=first)
    assert len(c.weeks) == len(counts)
    assert all(0.0 <= w.score <= 1.0 for w in c.weeks)
    assert 0 <= c.percent <= 100
    assert all(0 <= percent <= 100 for _, percent in c.series())


@given(journals, st.data())
def test_attending_more_never_lowers_a_score(journal: Journal, data: st.DataObject) -> None:
    goal, counts, excused, days = journal
    i = data.draw(st.integers(0, len(counts) - 1))
    more = list(counts)
    more[i] += data.draw(st.integers(1, 5))
    before = results(goal, counts, excused, days)
    after = results(goal, more, excused, days)
    for old, new in zip(before, after, strict=True):
        assert new.score >= old.score
    assert [w.score for w in after[:i]] == [w.score for w in before[:i]]


@given(journals, st.data())
def test_excusing_a_week_leaves_the_score_as_it_was_before_it(
    journal: Journal,
    data: st.DataObject,
) -> None:
    goal, counts, excused, days = journal
    i = data.draw(st.integers(0, len(counts) - 1))
    flags = list(excused)
    flags[i] = True
    weeks = results(goal, counts, flags, days)
    assert weeks[i].score == (weeks[i - 1].score if i > 0 else 0.0)
    # A completed week: the same as if it had not been in the journal at all (later weeks
    # moved up one, so the current week stays the current week).
    if i < len(counts) - 1:
        without = results(
            goal,
            counts[:i] + counts[i + 1 :],
            flags[:i] + flags[i + 1 :],
            days[:i] + days[i + 1 :],
        )
        assert [w.score for w in without] == [w.score for j, w in enumerate(weeks) if j != i]


@given(journals, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(journal: Journal, rnd: random.Random) -> None:
    goal, counts, excused, days = journal
    meetings, excused_days, first = build(counts, excused, days)
    # Split each week's count over two days of that week, and list everything shuffled.
    split: list[tuple[date, int]] = []
    for day, count in meetings.items():
        other = week_start(day) + timedelta(days=(day.weekday() + 3) % 7)
        part = rnd.randint(0, count)
        split += [(day, part), (other, count - part)]
    rnd.shuffle(split)
    shuffled: dict[date, int] = {}
    for day, count in split:
        shuffled[day] = shuffled.get(day, 0) + count
    excused_shuffled = excused_days * 2
    rnd.shuffle(excused_shuffled)
    plain = consistency(meetings, excused_days, goal=goal, today=TODAY, started=first)
    mixed = consistency(shuffled, excused_shuffled, goal=goal, today=TODAY, started=first)
    assert mixed == plain


@given(journals)
def test_runs_and_windows_stay_consistent(journal: Journal) -> None:
    goal, counts, excused, days = journal
    meetings, excused_days, first = build(counts, excused, days)
    c = consistency(meetings, excused_days, goal=goal, today=TODAY, started=first)
    assert c.runs.best >= c.runs.current >= 0
    assert c.runs.best <= sum(1 for w in c.weeks if w.met and not w.excused)
    completed = len(counts) - 1
    for window in c.windows:
        assert 0 <= window.met <= window.counted
        assert window.counted + window.excused == min(window.weeks, completed)


# --- settled weeks, kept between refreshes --------------------------------------------------------

goal_change_lists = st.lists(
    st.tuples(st.integers(0, 45), st.integers(1, 5)), max_size=3
)  # (weeks after the first Monday, goal)


@given(journals, goal_change_lists, st.data())
def test_weeks_settled_on_an_earlier_day_give_the_same_figures(
    journal: Journal, changes: list[tuple[int, int]], data: st.DataObject
) -> None:
    goal, counts, excused, days = journal
    meetings, excused_days, first = build(counts, excused, days)
    goal_changes = sorted((first + timedelta(weeks=n), value) for n, value in changes)
    kwargs: dict[str, Any] = dict(goal=goal, started=first, goal_changes=goal_changes)
    full = consistency(meetings, excused_days, today=TODAY, **kwargs)
    # The figures as they were on an earlier day: its completed weeks are settled.
    earlier_day = first + timedelta(days=data.draw(st.integers(0, (TODAY - first).days)))
    earlier = consistency(meetings, excused_days, today=earlier_day, **kwargs)
    settled = earlier.settled()
    assert all(w.completed for w in settled.weeks)
    assert settled.runs == runs(settled.weeks)
    # Then only the weeks after them are needed.
    after = {
        day: n
        for day, n in meetings.items()
        if settled.next_week is None or day >= settled.next_week
    }
    kept = consistency(after, excused_days, today=TODAY, settled=settled, **kwargs)
    assert kept == full
    assert kept.runs == full.runs
    assert kept.settled() == full.settled()
    assert kept.settled().runs == runs(full.settled().weeks)
    assert kept.weeks[: len(settled.weeks)] == settled.weeks
    # Keeping only the weeks before any one week, then working out the rest, is the same too.
    cut = monday(data.draw(st.integers(0, len(counts))))
    shorter = full.settled().before(cut)
    assert shorter.weeks == tuple(w for w in full.weeks if w.start < cut and w.completed)
    assert shorter.runs == runs(shorter.weeks)
    rest = {day: n for day, n in meetings.items() if day >= cut}
    assert consistency(rest, excused_days, today=TODAY, settled=shorter, **kwargs) == full


def test_settled_weeks_that_do_not_fit_the_journal_are_left_out() -> None:
    c = history([1, 0, 2, 1, 0])
    settled = c.settled()
    assert len(settled.weeks) == 4 and settled.runs == Runs(current=2, best=2)
    meetings = {w.start: w.meetings for w in c.weeks if w.meetings}
    first = c.weeks[0].start
    # A journal that began a week later: the settled weeks start too early, so every week is
    # worked out from the meetings.
    later = consistency(meetings, (), goal=1, today=TODAY, started=first + timedelta(weeks=1))
    assert (
        consistency(
            meetings, (), goal=1, today=TODAY, started=first + timedelta(weeks=1), settled=settled
        )
        == later
    )
    assert later.weeks[0].start == first + timedelta(weeks=1)
    # A clock set back two weeks: the settled weeks reach past the new current week.
    back = TODAY - timedelta(weeks=2)
    assert consistency(meetings, (), goal=1, today=back, started=first, settled=settled) == (
        consistency(meetings, (), goal=1, today=back, started=first)
    )
    # An empty Settled changes nothing.
    assert consistency(meetings, (), goal=1, today=TODAY, started=first, settled=Settled()) == c
    assert Settled().next_week is None and Settled().before(TODAY) == Settled()


def test_runs_carry_on_from_the_weeks_before() -> None:
    weeks = history([1, 1, 0, 1, 1, 1, 0]).weeks
    assert runs(weeks) == Runs(current=3, best=3)  # this week isn't over: the run goes on
    for cut in range(len(weeks) + 1):
        assert runs(weeks[cut:], before=runs(weeks[:cut])) == runs(weeks)


# --- windows ------------------------------------------------------------------------------------


def test_windows_in_a_long_journal() -> None:
    # 20 weeks; the last four completed: met, excused, not met, met; this week not over.
    c = history([1] * 16 + [1, 0, 0, 2, 0], excused=[17])
    assert [w.weeks for w in c.windows] == [4, 12, 52]
    assert c.window(4) == WeeksMet(weeks=4, met=2, counted=3, excused=1)
    assert c.window(4).phrase == "2 of the last 4 weeks (1 excused)"
    assert c.window(12) == WeeksMet(weeks=12, met=10, counted=11, excused=1)
    assert c.window(12).phrase == "10 of the last 12 weeks (1 excused)"
    # Only twenty weeks are over, so the year so far.
    assert c.window(52) == WeeksMet(weeks=52, met=18, counted=19, excused=1)
    assert c.window(52).phrase == "18 of 20 weeks so far (1 excused)"
    assert c.window(2) == WeeksMet(weeks=2, met=1, counted=2, excused=0)


def test_windows_in_a_young_journal() -> None:
    c = history([1, 2, 0])
    assert c.window(4) == WeeksMet(weeks=4, met=2, counted=2, excused=0)
    assert c.window(4).phrase == "2 of 2 weeks so far"
    assert history([0, 0]).window(12).phrase == "0 of 1 week so far"
    first_week = history([1])
    assert first_week.window(4) == WeeksMet(weeks=4, met=0, counted=0, excused=0)
    assert first_week.window(4).phrase == "no weeks yet"
    all_excused = history([0, 0, 0], excused=[0, 1])
    assert all_excused.window(4).phrase == "no weeks to count yet (2 excused)"


def test_full_window_without_excused_weeks() -> None:
    c = history([1, 0, 1, 1, 1, 0])
    assert c.window(4).phrase == "3 of the last 4 weeks"


# --- runs ---------------------------------------------------------------------------------------


def week(meetings: int, *, excused: bool = False, current: bool = False) -> WeekResult:
    return WeekResult(monday(0), meetings, 1, excused, current, 0.0)


def test_excused_weeks_neither_add_nor_break_a_run() -> None:
    weeks = [week(1)] * 4 + [week(0), week(1), week(0, excused=True), week(1), week(1)]
    assert runs(weeks) == Runs(current=3, best=4)
    # Even an excused week with a meeting doesn't add.
    weeks[6] = week(1, excused=True)
    assert runs(weeks) == Runs(current=3, best=4)
    # Through consistency(): the excused week is skipped, the run goes on after it.
    c = history([1, 1, 0, 1, 1, 0, 1, 0], excused=[5])
    assert c.runs == Runs(current=3, best=3)


def test_the_current_week_adds_only_once_met() -> None:
    done = [week(1), week(1), week(1)]
    assert runs([*done, week(0, current=True)]) == Runs(current=3, best=3)
    assert runs([*done, week(1, current=True)]) == Runs(current=4, best=4)
    assert runs([*done, week(1, current=True, excused=True)]) == Runs(current=3, best=3)
    assert runs([]) == Runs(0, 0)


def test_the_best_run_is_remembered() -> None:
    c = history([1] * 9 + [0, 1, 1, 1, 0])
    assert c.runs == Runs(current=3, best=9)
    assert c.runs.phrase == "3 weeks in a row meeting your goal (your best: 9)"
    gap = history([1] * 9 + [0, 0])
    assert gap.runs == Runs(current=0, best=9)
    assert gap.runs.phrase == "Your best run is 9 weeks; every week is a fresh start."


def test_run_phrases() -> None:
    assert Runs(0, 0).phrase == "Your first week meeting your goal starts a run."
    assert Runs(0, 1).phrase == "Your best run is 1 week; every week is a fresh start."
    assert Runs(4, 4).phrase == "4 weeks in a row meeting your goal (your best yet)"
    assert Runs(1, 1).phrase.startswith("1 week meeting your goal")
    assert Runs(1, 5).phrase.endswith("(your best: 5)")
    phrases = [Runs(c, b).phrase for b in range(6) for c in range(b + 1)]
    assert not any(word in phrase.lower() for phrase in phrases for word in SCORE_WORDS)


# --- baseline -----------------------------------------------------------------------------------


def test_baseline_is_the_mean_of_the_weeks_ending_four_weeks_ago() -> None:
    c = history([1] * 20 + [0])  # 20 completed weeks, every one met
    # Completed weeks 5 to 16 (of 1 to 20) have scores 1 - m**k; their mean, by the geometric sum:
    expected = 1 - (M1**5 - M1**17) / (1 - M1) / 12
    assert c.baseline(12) == pytest.approx(expected)
    assert c.baseline(4) == pytest.approx(1 - (M1**13 - M1**17) / (1 - M1) / 4)


def test_baseline_is_too_early_to_tell_in_a_young_journal() -> None:
    assert history([1] * 15 + [0]).baseline(12) is None  # 15 completed weeks
    assert history([1] * 16 + [0]).baseline(12) == pytest.approx(1 - (M1 - M1**13) / (1 - M1) / 12)
    assert history([1] * 4 + [0]).baseline(1) is None
    assert history([1] * 5 + [0]).baseline(1) == pytest.approx(1 - M1)


# --- attendance against a schedule --------------------------------------------------------------


def group(gid: int, name: str, schedule: str | None, status: str = "regular") -> Group:
    return Group(
        id=gid,
        uuid=f"uuid-{gid}",
        created_at="2026-09-01T00:00:00",
        updated_at="2026-09-01T00:00:00",
        name=name,
        schedule=schedule,
        status=status,
    )


def schedule_text(text: str, since: date) -> str:
    schedule = parse_schedule(text, today=since)
    assert schedule is not None
    return schedule.to_text()


TUESDAYS = schedule_text("every tuesday at 7pm", date(2026, 10, 1))  # from Tue 6 Oct
TUESDAY_DATES = [date(2026, 10, 6) + timedelta(weeks=i) for i in range(8)]  # to Tue 24 Nov
THURSDAYS = schedule_text("thursdays 6pm", date(2026, 11, 1))  # from Thu 5 Nov; today too


def test_weekly_schedule_attendance() -> None:
    tuesday = group(1, "Tuesday SMART", TUESDAYS)
    attended = {(1, day) for day in TUESDAY_DATES if day != date(2026, 11, 10)}
    attended |= {(1, date(2026, 11, 12)), (2, date(2026, 11, 17))}  # another day, another group
    [found] = schedule_attendance(
        [tuesday], attended, today=TODAY, since=date(2026, 9, 1), excused=[]
    )
    assert found.group == tuesday
    assert (found.expected, found.attended) == (8, 7)
    assert found.phrase == "7 of 8 scheduled sessions"


def test_schedule_attendance_counts_from_since_and_skips_excused_weeks() -> None:
    tuesday = group(1, "Tuesday SMART", TUESDAYS)
    attended = {(1, day) for day in TUESDAY_DATES}
    [found] = schedule_attendance(
        [tuesday], attended, today=TODAY, since=date(2026, 11, 1), excused=[]
    )
    assert (found.expected, found.attended) == (4, 4)
    assert found.since == date(2026, 11, 1)
    # Excusing the week of Mon 9 Nov (given as its Saturday) leaves that Tuesday out.
    [excused] = schedule_attendance(
        [tuesday], set(), today=TODAY, since=date(2026, 11, 1), excused=[date(2026, 11, 14)]
    )
    assert (excused.expected, excused.attended) == (3, 0)
    assert excused.phrase == "0 of 3 scheduled sessions"


def test_todays_session_counts_only_once_attended() -> None:
    thursday = group(3, "Thursday NA", THURSDAYS)
    earlier = {(3, date(2026, 11, 5)), (3, date(2026, 11, 19))}
    [waiting] = schedule_attendance([thursday], earlier, today=TODAY, since=TODAY, excused=[])
    assert (waiting.expected, waiting.attended) == (0, 0)
    assert waiting.phrase == "no sessions scheduled yet"
    [month] = schedule_attendance(
        [thursday], earlier, today=TODAY, since=date(2026, 11, 1), excused=[]
    )
    assert (month.expected, month.attended) == (3, 2)  # 5, 12 and 19 Nov; today not over
    done = earlier | {(3, TODAY)}
    [month] = schedule_attendance(
        [thursday], done, today=TODAY, since=date(2026, 11, 1), excused=[]
    )
    assert (month.expected, month.attended) == (4, 3)
    assert month.phrase == "3 of 4 scheduled sessions"


def test_schedule_attendance_chooses_and_sorts_groups() -> None:
    groups = [
        group(1, "tuesday SMART", TUESDAYS),
        group(2, "Paused group", TUESDAYS, status="paused"),
        group(3, "Art circle", THURSDAYS, status="trying"),
        group(4, "Not for me", TUESDAYS, status="not-for-me"),
        group(5, "No schedule", None),
        group(6, "Unreadable", "RRULE:FREQ=YEARLY"),
        group(7, "Home", THURSDAYS, status="home-group"),
    ]
    found = schedule_attendance(groups, set(), today=TODAY, since=date(2026, 9, 1), excused=[])
    assert [r.group.id for r in found] == [3, 7, 1]
    assert [r.expected for r in found] == [3, 3, 8]  # the Thursdays start on 5 Nov


def test_one_scheduled_session() -> None:
    [found] = schedule_attendance(
        [group(1, "Tuesday SMART", TUESDAYS)],
        {(1, date(2026, 11, 24))},
        today=TODAY,
        since=date(2026, 11, 23),
        excused=[],
    )
    assert found.phrase == "1 of 1 scheduled session"


# --- fit trends ---------------------------------------------------------------------------------


def test_fit_trends_compare_the_latest_rating_with_the_earlier_ones() -> None:
    ratings = [
        (1, "Tuesday SMART", date(2026, 11, 17), 2.4),
        (1, "Tuesday SMART", date(2026, 9, 1), 4.0),
        (1, "Tuesday SMART", date(2026, 10, 1), 4.2),
        (2, "art circle", date(2026, 11, 1), 4.0),
        (2, "art circle", date(2026, 10, 1), 3.0),
    ]
    trends = fit_trends(ratings, recent_groups={1, 2}, today=TODAY)
    assert [t.group_id for t in trends] == [2, 1]  # by name, ignoring case
    smart = trends[1]
    assert smart.latest == 2.4
    assert smart.earlier == pytest.approx(4.1)
    assert smart.latest_date == date(2026, 11, 17)
    assert smart.fall == pytest.approx(1.7)
    assert trends[0].fall == pytest.approx(-1.0)


def test_fit_trends_need_recent_attendance_two_ratings_and_a_recent_rating() -> None:
    ratings = [
        (1, "Not recent", date(2026, 11, 1), 2.0),
        (1, "Not recent", date(2026, 10, 1), 4.0),
        (2, "One rating", date(2026, 11, 1), 2.0),
        (3, "Old ratings", TODAY - timedelta(days=91), 2.0),
        (3, "Old ratings", date(2026, 1, 1), 4.0),
        (4, "Just in time", TODAY - timedelta(days=90), 2.0),
        (4, "Just in time", date(2026, 1, 1), 4.0),
    ]
    trends = fit_trends(ratings, recent_groups=[2, 3, 4], today=TODAY)
    assert [t.group_id for t in trends] == [4]
    wider = fit_trends(ratings, recent_groups=[2, 3, 4], today=TODAY, recent_days=120)
    assert [t.group_id for t in wider] == [4, 3]


def test_ratings_on_the_same_day_take_the_higher_as_latest() -> None:
    day = date(2026, 11, 20)
    for order in ([3.0, 4.5], [4.5, 3.0]):
        ratings = [(1, "Group", day, value) for value in order]
        [trend] = fit_trends(ratings, recent_groups=[1], today=TODAY)
        assert (trend.latest, trend.earlier) == (4.5, 3.0)


# --- quiet days ---------------------------------------------------------------------------------


def test_quiet_days() -> None:
    assert quiet_days(TODAY, TODAY, []) == 0
    assert quiet_days(TODAY + timedelta(days=3), TODAY, []) == 0
    assert quiet_days(date(2026, 11, 16), TODAY, []) == 10
    # The whole week of 16 Nov excused (given as its Wednesday): none of it counts.
    assert quiet_days(date(2026, 11, 12), TODAY, [date(2026, 11, 18)]) == 14 - 7
    # This week excused (Mon to today): 4 days off; the same day twice changes nothing.
    assert quiet_days(date(2026, 11, 12), TODAY, [TODAY, TODAY, THIS_MONDAY]) == 14 - 4
    # The quiet period starts the day after `since`: excusing the week of `since` takes the rest.
    assert quiet_days(date(2026, 11, 18), TODAY, [date(2026, 11, 16)]) == 8 - 4


@settings(max_examples=200)
@given(
    st.integers(-10, 60),
    st.lists(st.integers(0, 80), max_size=6),
)
def test_quiet_days_counts_each_day_outside_excused_weeks(
    back: int, excused_back: list[int]
) -> None:
    since = TODAY - timedelta(days=back)
    excused = [TODAY - timedelta(days=n) for n in excused_back]
    excused_weeks = {week_start(day) for day in excused}
    one_by_one = sum(
        1 for n in range(1, back + 1) if week_start(since + timedelta(days=n)) not in excused_weeks
    )
    assert quiet_days(since, TODAY, excused) == one_by_one


# --- the engagement rule ------------------------------------------------------------------------

SAM = SupportContact("Sam", "sponsor", TODAY - timedelta(days=3))
NO_CONTACT_YET = SupportContact("Jo", "mentor", None)


def check(
    c: Consistency,
    *,
    last_meeting: date | None = TODAY - timedelta(days=2),
    support: Sequence[SupportContact] = (SAM,),
    trends: Sequence[FitTrend] = (),
    excused: Sequence[date] = (),
    thresholds: Thresholds | None = None,
) -> EngagementCheck:
    return check_engagement(
        c,
        today=TODAY,
        last_meeting=last_meeting,
        support=support,
        trends=trends,
        excused=excused,
        thresholds=thresholds or Thresholds(),
    )


def codes(result: EngagementCheck) -> list[str]:
    return [signal.code for signal in result.signals]


def trend(name: str, latest: float, earlier: float, gid: int = 1) -> FitTrend:
    return FitTrend(gid, name, latest, earlier, TODAY - timedelta(days=5))


def assert_kind(result: EngagementCheck) -> None:
    for text in [result.summary, *(s.words for s in result.signals)]:
        assert not any(word in text.lower() for word in SCORE_WORDS)
        assert "[" not in text  # no markup


def test_a_healthy_journal_fires_nothing() -> None:
    c = history([1] * 30 + [1])
    result = check(c, trends=[trend("Tuesday SMART", 4.0, 4.4)])
    assert result.signals == ()
    assert not result.drop
    assert result.summary == ""
    assert not any(result.fired(code) for code in SIGNAL_CODES)


def test_never_having_logged_a_meeting_or_a_contact_is_not_a_gap() -> None:
    # A new journal with groups but no meeting logged yet: two quiet weeks are not a drop.
    c = history([0, 0, 0])
    assert not check(c, last_meeting=None, support=[NO_CONTACT_YET]).drop
    # Once a meeting has been logged, the same weeks do count.
    assert codes(check(c, last_meeting=TODAY - timedelta(days=3))) == ["missed-weeks"]
    fresh = check(history([0]), last_meeting=None, support=[])
    assert not fresh.drop


def test_strength_alone() -> None:
    # Goal 3: twenty full weeks, then every other week without meetings, the last one full.
    c = history([3] * 20 + [0, 3] * 4 + [0], goal=3)
    baseline = c.baseline(12)
    assert baseline is not None
    assert c.percent < round(baseline * 100) - 15
    result = check(c)
    assert codes(result) == ["strength"]
    assert result.signals[0].words == (
        f"Your strength is {c.percent}%, below your recent baseline of {round(baseline * 100)}%."
    )
    assert result.summary == "Things have been quieter lately."
    assert_kind(result)
    # A larger allowed drop, or a longer baseline, changes the outcome.
    drop = round(baseline * 100) - c.percent
    assert not check(c, thresholds=Thresholds(score_drop=drop)).drop
    assert check(c, thresholds=Thresholds(score_drop=drop - 1)).fired("strength")
    assert not check(c, thresholds=Thresholds(baseline_weeks=26)).drop  # too early to tell


def test_missed_weeks_alone() -> None:
    # A young journal (no baseline yet); goal 3; one meeting in each of the last two weeks.
    c = history([3, 3, 3, 3, 1, 1, 0], goal=3)
    result = check(c, last_meeting=date(2026, 11, 20))
    assert codes(result) == ["missed-weeks"]
    assert result.signals[0].words == "The last 2 weeks were below your goal of 3 meetings a week."
    assert_kind(result)
    assert not check(c, thresholds=Thresholds(missed_weeks=3)).drop


def test_missed_weeks_skip_excused_weeks() -> None:
    c = history([1, 1, 1, 0, 0, 0, 0], excused=[4])
    result = check(c)
    assert result.fired("missed-weeks")
    assert result.signals[0].words == (
        "The last 2 weeks were, excused weeks aside, below your goal of 1 meeting a week."
    )
    # Excused weeks don't break the count, and a met week does.
    assert check(c, thresholds=Thresholds(missed_weeks=3)).signals == ()
    met_between = history([1, 1, 0, 1, 0, 0], excused=[])
    assert not check(met_between).drop
    # This week, not over yet, doesn't count: one missed week so far.
    assert not check(history([1, 1, 1, 0, 0])).drop


def test_no_meeting_alone() -> None:
    # Goal 1, a long journal; the last meeting on Thu 12 Nov, nothing since (14 days).
    c = history([1] * 30 + [0, 0], weekday=3)
    result = check(c, last_meeting=date(2026, 11, 12))
    assert codes(result) == ["no-meeting"]
    assert result.signals[0].words == "It's been 14 days since your last meeting."
    assert_kind(result)
    assert not check(c, last_meeting=date(2026, 11, 13)).drop  # 13 days
    assert not check(
        c, last_meeting=date(2026, 11, 12), thresholds=Thresholds(meeting_days=15)
    ).drop
    assert not check(c, last_meeting=None).drop  # never logged: nothing to notice


def test_no_meeting_leaves_out_excused_weeks() -> None:
    c = history([1] * 30 + [0, 0], excused=[30])
    away = [date(2026, 11, 18)]
    assert not check(c, last_meeting=date(2026, 11, 12), excused=away).drop  # 7 quiet days
    result = check(c, last_meeting=date(2026, 11, 1), excused=away)
    assert codes(result) == ["no-meeting"]
    assert result.signals[0].words == (
        "It's been 18 days (not counting excused weeks) since your last meeting."
    )


def test_no_contact_alone() -> None:
    c = history([1] * 30 + [1])
    sam = SupportContact("Sam", "sponsor", date(2026, 11, 3))
    result = check(c, support=[sam, NO_CONTACT_YET])
    assert codes(result) == ["no-contact"]
    assert result.signals[0].words == (
        "It's been 23 days since you were in touch with Sam (your sponsor)."
    )
    assert_kind(result)
    # The most recent contact with anyone counts.
    jo = SupportContact("Jo", "peer-coach", date(2026, 11, 10))
    assert check(c, support=[sam, jo]).signals[0].words == (
        "It's been 16 days since you were in touch with Jo (your peer recovery coach)."
    )
    recent = SupportContact("Ali", "mentor", date(2026, 11, 20))
    assert not check(c, support=[sam, jo, recent]).drop
    assert not check(c, support=[sam], thresholds=Thresholds(contact_days=24)).drop
    # No one with a contact, or no one at all: nothing to notice.
    assert not check(c, support=[NO_CONTACT_YET]).drop
    assert not check(c, support=[]).drop


def test_no_contact_leaves_out_excused_weeks() -> None:
    c = history([1] * 30 + [1])
    sam = SupportContact("Sam", "sponsor", date(2026, 11, 8))  # 18 days
    assert check(c, support=[sam]).fired("no-contact")
    assert not check(c, support=[sam], excused=[date(2026, 11, 10)]).drop  # 11 days


def test_fit_falling_alone() -> None:
    c = history([1] * 30 + [1])
    result = check(c, trends=[trend("Tuesday SMART", 2.4, 4.1), trend("Art", 4.0, 4.2, 2)])
    assert codes(result) == ["fit-falling"]
    assert result.signals[0].words == (
        "Your latest rating of Tuesday SMART (2.4) is below its earlier average (4.1)."
    )
    assert result.summary == "A group may not be fitting as well as it did."
    assert_kind(result)
    falling = [trend("[b]Art[/b]", 3.0, 4.2, 2), trend("Tuesday SMART", 2.4, 4.1)]
    both = check(c, trends=falling)
    assert both.signals[0].words == (
        "Your latest ratings of [b]Art[/b] (3.0, earlier 4.2) and Tuesday SMART (2.4, earlier 4.1) "
        "are below their earlier averages."
    )  # group names are kept as typed, never turned into markup


def test_fit_falling_threshold() -> None:
    c = history([1] * 30 + [1])
    small = [trend("Tuesday SMART", 3.4, 4.2)]
    assert not check(c, trends=small).drop
    assert check(c, trends=small, thresholds=Thresholds(fit_drop=0.5)).fired("fit-falling")
    # A fall of exactly the threshold counts, though fifths aren't exact in floating point.
    exact = [trend("Art", 18 / 5, 23 / 5, 2), trend("Tuesday SMART", 9 / 5, 14 / 5)]
    assert [t.fall >= 1.0 for t in exact] == [False, False]  # 0.99999... in floating point
    assert check(c, trends=exact).signals[0].words == (
        "Your latest ratings of Art (3.6, earlier 4.6) and Tuesday SMART (1.8, earlier 2.8) "
        "are below their earlier averages."
    )


def test_several_signals_at_once() -> None:
    # Goal 1, thirty weeks, then three weeks without meetings; Sam last heard from in October.
    c = history([1] * 30 + [0, 0, 0, 0])
    sam = SupportContact("Sam", "sponsor", date(2026, 10, 20))
    result = check(
        c,
        last_meeting=date(2026, 11, 1),
        support=[sam],
        trends=[trend("Tuesday SMART", 2.0, 4.0)],
    )
    assert codes(result) == list(SIGNAL_CODES)
    assert result.drop
    assert result.summary == "Things have been quieter lately."
    assert_kind(result)
    fewer = check(
        c,
        last_meeting=date(2026, 11, 1),
        support=[sam],
        thresholds=Thresholds(missed_weeks=4, contact_days=60, score_drop=60),
    )
    assert codes(fewer) == ["no-meeting"]


def test_fired_refuses_unknown_codes() -> None:
    result = EngagementCheck((Signal("strength", "Your strength is 40%."),))
    assert result.fired("strength")
    assert not result.fired("no-contact")
    with pytest.raises(ValueError):
        result.fired("streak")


# --- a goal that changes --------------------------------------------------------------------------


def test_goal_of_week_uses_the_last_change_on_or_before_it() -> None:
    changes = [(date(1900, 1, 1), 1), (date(2026, 1, 5), 2), (date(2026, 11, 23), 3)]
    assert goal_of_week(date(2025, 12, 29), 3, changes) == 1
    assert goal_of_week(date(2026, 1, 5), 3, changes) == 2
    assert goal_of_week(date(2026, 11, 16), 3, changes) == 2
    assert goal_of_week(date(2026, 11, 23), 3, changes) == 3
    assert goal_of_week(date(2026, 11, 23), 3, []) == 3  # no record: the goal now, throughout
    assert goal_of_week(date(2025, 1, 6), 4, [(date(2026, 1, 5), 2)]) == 4


def test_raising_the_goal_never_rewrites_the_weeks_before() -> None:
    """Twelve weeks at one meeting a week, then the goal goes up to three this week."""
    first = week_start(TODAY) - timedelta(weeks=12)
    meetings = {first + timedelta(weeks=i, days=1): 1 for i in range(12)}
    kept = consistency(meetings, [], goal=1, today=TODAY, started=first)
    raised = consistency(
        meetings,
        [],
        goal=3,
        today=TODAY,
        started=first,
        goal_changes=[(date(1900, 1, 1), 1), (week_start(TODAY), 3)],
    )
    assert [w.met for w in raised.weeks[:-1]] == [True] * 12
    assert raised.runs == kept.runs == Runs(current=12, best=12)
    assert raised.window(12).met == 12
    assert raised.percent == kept.percent  # this week isn't over: it can't lower the score
    assert raised.goal == 3 and raised.this_week is not None and raised.this_week.goal == 3
    # Had the new goal been applied to every week, nothing would have met it.
    rewritten = consistency(meetings, [], goal=3, today=TODAY, started=first)
    assert rewritten.runs.best == 0 and rewritten.percent < kept.percent


def test_each_week_steps_with_its_own_goal() -> None:
    first = week_start(TODAY) - timedelta(weeks=2)
    meetings = {first: 1, first + timedelta(weeks=1): 1}
    c = consistency(
        meetings,
        [],
        goal=2,
        today=TODAY,
        started=first,
        goal_changes=[(first, 1), (first + timedelta(weeks=1), 2)],
    )
    m1, m2 = weekly_multiplier(1), weekly_multiplier(2)
    after_first = 1 - m1  # one of one
    after_second = after_first * m2 + 0.5 * (1 - m2)  # one of two
    assert c.weeks[0].score == pytest.approx(after_first)
    assert c.weeks[1].score == pytest.approx(after_second)
    assert [w.goal for w in c.weeks] == [1, 2, 2]


# --- the fast week_results against the straightforward one --------------------------------------


def reference_week_results(
    meetings_by_week: dict[date, int],
    excused: Sequence[date],
    *,
    goal: int,
    today: date,
    started: date | None,
    goal_changes: Sequence[tuple[date, int]] = (),
) -> list[WeekResult]:
    """The algorithm week_results had before issue 8, kept here as the definition: each week
    scans the goal changes, works out its multiplier and builds its WeekResult."""
    changes = sorted(goal_changes)
    if started is None or started > today:
        return []
    first, current = week_start(started), week_start(today)
    totals: dict[date, int] = {}
    for day, count in meetings_by_week.items():
        if first <= week_start(day) <= current:
            totals[week_start(day)] = totals.get(week_start(day), 0) + count
    excused_weeks = {week_start(day) for day in excused}
    score = 0.0
    results: list[WeekResult] = []
    start = first
    while start <= current:
        meetings = totals.get(start, 0)
        is_excused, is_current = start in excused_weeks, start == current
        week_goal = goal
        for change_start, value in changes:
            if change_start > start:
                break
            week_goal = value
        if not is_excused:
            m = weekly_multiplier(week_goal)
            done = min(meetings / week_goal, 1.0)
            stepped = min(1.0, max(0.0, score * m + done * (1.0 - m)))
            score = max(score, stepped) if is_current else stepped
        results.append(WeekResult(start, meetings, week_goal, is_excused, is_current, score))
        start += timedelta(weeks=1)
    return results


def reference_weeks_met(weeks: Sequence[WeekResult], size: int) -> WeeksMet:
    window = [w for w in weeks if w.completed][-size:]
    counted_weeks = [w for w in window if not w.excused]
    return WeeksMet(
        size,
        sum(w.met for w in counted_weeks),
        len(counted_weeks),
        len(window) - len(counted_weeks),
    )


def reference_baseline(weeks: Sequence[WeekResult], size: int) -> float | None:
    completed = [w for w in weeks if w.completed]
    if len(completed) < 4 + size:
        return None
    chosen = completed[-(4 + size) : -4]
    return math.fsum(w.score for w in chosen) / len(chosen)


FAR_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
histories = st.fixed_dictionaries(
    {
        "meetings": st.dictionaries(FAR_DAYS, st.integers(0, 30), max_size=120),
        "excused": st.lists(FAR_DAYS, max_size=40),
        "goal": st.integers(1, 21),
        "today": st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)),
        "started": st.none() | FAR_DAYS,
        "goal_changes": st.lists(st.tuples(FAR_DAYS, st.integers(1, 21)), max_size=8),
    }
)


@given(journal=histories)
@settings(max_examples=300, deadline=None)
def test_week_results_equal_the_straightforward_algorithm(journal: dict[str, Any]) -> None:
    """Same weeks, goals and scores to the last bit, for any history: goal changes in any order
    (on any day, several on one day), excused weeks, weeks outside the journal, a current week."""
    fast = week_results(
        journal["meetings"],
        journal["excused"],
        goal=journal["goal"],
        today=journal["today"],
        started=journal["started"],
        goal_changes=journal["goal_changes"],
    )
    slow = reference_week_results(
        journal["meetings"],
        journal["excused"],
        goal=journal["goal"],
        today=journal["today"],
        started=journal["started"],
        goal_changes=journal["goal_changes"],
    )
    assert fast == slow
    assert [w.score for w in fast] == [w.score for w in slow]  # floats compared exactly
    assert all(type(w) is WeekResult for w in fast)


@given(journal=histories, size=st.integers(1, 60))
@settings(max_examples=150, deadline=None)
def test_windows_runs_and_baseline_read_from_the_end_give_the_same(
    journal: dict[str, Any], size: int
) -> None:
    c = consistency(
        journal["meetings"],
        journal["excused"],
        goal=journal["goal"],
        today=journal["today"],
        started=journal["started"],
        goal_changes=journal["goal_changes"],
    )
    weeks = list(c.weeks)
    assert c.windows == tuple(reference_weeks_met(weeks, n) for n in WINDOW_WEEKS)
    assert c.window(size) == reference_weeks_met(weeks, size)
    assert c.baseline(size) == reference_baseline(weeks, size)
    run = best = 0
    for week in weeks:
        if week.excused:
            continue
        if week.met:
            run += 1
            best = max(best, run)
        elif not week.current:
            run = 0
    assert c.runs == Runs(current=run, best=best)


def test_week_results_still_refuse_what_they_refused() -> None:
    with pytest.raises(ValueError):
        week_results({}, [], goal=1, today=TODAY, started=monday(3), goal_changes=[(TODAY, 0)])
    with pytest.raises(ValueError):  # a negative count anywhere, even outside the weeks
        week_results({date(1990, 1, 1): -2}, [], goal=1, today=TODAY, started=monday(3))
    # Without weeks there is nothing to count, so no count is looked at (as before).
    assert week_results({monday(1): -1}, [], goal=1, today=TODAY, started=None) == []


# --- fit trends from each group's history in brief ----------------------------------------------


def reference_fit_trends(
    ratings: Sequence[tuple[int, str, date, float]],
    *,
    recent_groups: Sequence[int],
    today: date,
    recent_days: int,
) -> list[FitTrend]:
    """fit_trends as it was before issue 8: every rating of each group, sorted."""
    by_group: dict[int, list[tuple[date, float, str]]] = {}
    for group_id, name, day, average in ratings:
        if group_id in set(recent_groups):
            by_group.setdefault(group_id, []).append((day, average, name))
    trends: list[FitTrend] = []
    for group_id, rows in by_group.items():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda row: (row[0], row[1]))
        latest_day, latest, name = rows[-1]
        if (today - latest_day).days > recent_days:
            continue
        earlier = math.fsum(row[1] for row in rows[:-1]) / (len(rows) - 1)
        trends.append(FitTrend(group_id, name, latest, earlier, latest_day))
    trends.sort(key=lambda t: (t.group_name.casefold(), t.group_id))
    return trends


fit_averages = st.integers(5, 25).map(lambda total: total / 5.0) | st.floats(1.0, 5.0)
ratings_lists = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.sampled_from(["Tuesday SMART", "art circle", "NA", "Ärzte", "b"]),
        st.dates(min_value=date(2025, 1, 1), max_value=TODAY),
        fit_averages,
    ),
    max_size=60,
)


@given(
    ratings=ratings_lists,
    recent=st.lists(st.integers(1, 6), max_size=6),
    recent_days=st.integers(0, 400),
)
@settings(max_examples=300, deadline=None)
def test_fit_trends_equal_the_straightforward_algorithm(
    ratings: list[tuple[int, str, date, float]], recent: list[int], recent_days: int
) -> None:
    expected = reference_fit_trends(
        ratings, recent_groups=recent, today=TODAY, recent_days=recent_days
    )
    assert fit_trends(ratings, recent_groups=recent, today=TODAY, recent_days=recent_days) == (
        expected
    )
    # The same from the histories, in any order (the store reads them group by group).
    histories = list(reversed(fit_histories(ratings)))
    assert (
        fit_trends_of(histories, recent_groups=recent, today=TODAY, recent_days=recent_days)
        == expected
    )


def test_a_fit_history_in_brief() -> None:
    ratings = [
        (1, "Old name", date(2026, 10, 1), 3.4),
        (1, "NA", date(2026, 11, 20), 4.2),
        (1, "NA", date(2026, 11, 20), 2.0),  # same day, lower: not the latest
        (1, "NA", date(2026, 9, 1), 3.4),
    ]
    [history] = fit_histories(ratings)
    earlier = math.fsum([3.4, 3.4, 2.0]) / 3
    assert history == FitHistory(1, "NA", date(2026, 11, 20), 4.2, 4, earlier)
    [alone] = fit_histories(ratings[:1])
    assert alone == FitHistory(1, "Old name", date(2026, 10, 1), 3.4, 1, None)
    with pytest.raises(ValueError):
        fit_trends(ratings, recent_groups=[1], today=TODAY, recent_days=-1)


def test_a_fit_history_from_running_totals_is_exact() -> None:
    # Ratings of 17, 17 and 10 points (3.4, 3.4 and 2.0), then the latest, 21 (4.2): 65 in all.
    history = FitHistory.from_totals(
        1, "NA", date(2026, 11, 20), latest_sum=21, ratings=4, score_total=65
    )
    assert history == FitHistory(1, "NA", date(2026, 11, 20), 4.2, 4, 44 / 15)
    # 44 / 15 is the fraction rounded once; the mean of the rounded means is an ulp off it.
    assert math.fsum([3.4, 3.4, 2.0]) / 3 != 44 / 15
    assert math.fsum([3.4, 3.4, 2.0]) / 3 == pytest.approx(44 / 15, abs=1e-15)
    alone = FitHistory.from_totals(2, "SMART", TODAY, latest_sum=13, ratings=1, score_total=13)
    assert (alone.latest, alone.count, alone.earlier) == (2.6, 1, None)
    with pytest.raises(ValueError):
        FitHistory.from_totals(2, "SMART", TODAY, latest_sum=13, ratings=0, score_total=0)


rated_points = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.dates(min_value=date(2025, 1, 1), max_value=TODAY),
        st.integers(5, 25),  # a rating's five scores, added up
    ),
    max_size=60,
)


@given(
    points=rated_points,
    recent=st.lists(st.integers(1, 6), max_size=6),
    recent_days=st.integers(0, 400),
)
@settings(max_examples=300, deadline=None)
def test_fit_trends_from_running_totals_are_the_straightforward_ones_made_exact(
    points: list[tuple[int, date, int]], recent: list[int], recent_days: int
) -> None:
    """What the store does: each group's latest rating and its running totals give the same
    trends as every rating does, with the earlier mean exact instead of within an ulp."""
    names = {1: "Tuesday SMART", 2: "art circle", 3: "NA", 4: "Ärzte", 5: "b", 6: "NA"}
    ratings = [(g, names[g], day, total / 5) for g, day, total in points]
    expected = reference_fit_trends(
        ratings, recent_groups=recent, today=TODAY, recent_days=recent_days
    )
    histories = []
    for group_id in {g for g, _day, _total in points}:
        mine = sorted((day, total) for g, day, total in points if g == group_id)
        latest_day, latest_sum = mine[-1]
        histories.append(
            FitHistory.from_totals(
                group_id,
                names[group_id],
                latest_day,
                latest_sum=latest_sum,
                ratings=len(mine),
                score_total=sum(total for _day, total in mine),
            )
        )
    found = fit_trends_of(histories, recent_groups=recent, today=TODAY, recent_days=recent_days)
    assert [dataclasses.replace(t, earlier=0.0) for t in found] == [
        dataclasses.replace(t, earlier=0.0) for t in expected
    ]
    for trend, theirs in zip(found, expected, strict=True):
        assert trend.earlier == pytest.approx(theirs.earlier, abs=1e-9)
        earlier = [total for g, day, total in points if g == trend.group_id]
        earlier.remove(round(trend.latest * 5))
        assert trend.earlier == float(Fraction(sum(earlier), 5 * len(earlier)))

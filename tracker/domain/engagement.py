"""Consistency over weeks, the strength score, runs, attendance against a schedule, and the rule
that notices when engagement has dropped. Pure functions over plain data: nothing here reads the
clock, the store or the screen; ``today`` is always passed in.

Weeks run Monday to Sunday. The *current* week is the one containing ``today``; it isn't over,
so it can add to the figures but never count against anyone. An *excused* week (illness, travel)
is neutral everywhere: it neither helps nor hurts. Weeks before the journal began are not shown
as missed; they simply aren't there.

Strength
--------
The strength score follows the idea of Loop Habit Tracker's habit strength: an average of recent
weeks in which older weeks slowly count for less. Each week moves the score part of the way
towards how that week went::

    m = weekly_multiplier(goal) = 0.5 ** (7 * sqrt(goal / 7) / 13)
    v = min(meetings / goal, 1)            # 2 of 3 meetings gives 2/3: partial credit
    score = score * m + v * (1 - m)

Each week is judged by the goal that applied that week: a goal raised or lowered applies from
the week of the change, never to the weeks before it. The score starts at 0 before the first
week of the journal. A completed excused week leaves it
as it was. The current week may only raise it, ``score = max(score, score * m + v * (1 - m))``,
so a new week that has just begun never lowers anyone's strength. There is no reset to zero: a
week without meetings multiplies the score by ``m`` (about 0.87 for a goal of one meeting a week,
0.78 for three), so a strong rhythm fades gently and comes back as meetings come back.

Engagement
----------
:func:`check_engagement` notices a drop when at least one of these five signals fires (the
numbers are the person's :class:`~tracker.domain.profile.Thresholds`, shown with their defaults):

1. ``strength``: the strength now, in percent, is more than ``score_drop`` (15) points below the
   recent baseline. The baseline is the mean strength over the ``baseline_weeks`` (12) completed
   weeks that end four weeks before the current week. Until there are ``baseline_weeks + 4``
   completed weeks there is no baseline and this signal stays quiet.
2. ``missed-weeks``: counting back from the last completed week, skipping excused weeks, the
   weekly goal was not reached in at least ``missed_weeks`` (2) weeks in a row. Like the next
   signal, it stays quiet for someone who has never logged a meeting: a new journal has nothing
   to drop from.
3. ``no-meeting``: at least ``meeting_days`` (14) days since the last meeting attended, not
   counting days in excused weeks. Someone who has never logged a meeting is not told about a
   drop.
4. ``no-contact``: at least ``contact_days`` (14) days, excused weeks not counted, since the most
   recent contact with any support person (sponsor, mentor, peer recovery coach). With no
   contact logged at all, this signal stays quiet.
5. ``fit-falling``: a group attended recently, with at least two fit ratings, the latest in the
   last 90 days, whose latest rating (the mean of its five dimensions) is at least ``fit_drop``
   (1.0) below the mean of its earlier ratings.

Each signal comes with one plain sentence saying what was noticed, with the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tracker.domain import vocab
from tracker.domain.dates import week_start
from tracker.domain.models import Group
from tracker.domain.profile import Thresholds
from tracker.domain.schedules import stored_schedule
from tracker.domain.text import counted

__all__ = [
    "LOOP_HALF_LIFE",
    "SIGNAL_CODES",
    "WINDOW_WEEKS",
    "Consistency",
    "EngagementCheck",
    "FitHistory",
    "FitTrend",
    "Runs",
    "ScheduleAttendance",
    "Signal",
    "SupportContact",
    "WeekResult",
    "WeeksMet",
    "check_engagement",
    "consistency",
    "fit_histories",
    "fit_trends",
    "fit_trends_of",
    "quiet_days",
    "runs",
    "schedule_attendance",
    "week_results",
    "weekly_multiplier",
]

#: Loop Habit Tracker's constant: a once-a-day habit's strength halves in 13 days without it.
LOOP_HALF_LIFE = 13.0

#: The windows :func:`consistency` reports, in weeks.
WINDOW_WEEKS = (4, 12, 52)

#: How many completed weeks end between the baseline and the current week.
BASELINE_GAP_WEEKS = 4

SIGNAL_CODES = ("strength", "missed-weeks", "no-meeting", "no-contact", "fit-falling")

_WEEK = timedelta(weeks=1)
_PAUSED_STATUSES = ("paused", "not-for-me")
# Fit averages are fifths, which floats hold inexactly; a fall of "exactly" the threshold counts.
_FIT_EPSILON = 1e-9


def _check_goal(goal: int) -> None:
    if isinstance(goal, bool) or not isinstance(goal, int) or goal < 1:
        raise ValueError(f"the weekly goal must be a whole number of at least 1, not {goal!r}")


# --- the strength score -----------------------------------------------------------------------


def weekly_multiplier(goal: int) -> float:
    """How much of the strength score is kept from one week to the next.

    Loop's daily multiplier is ``m = 0.5 ** (sqrt(f) / 13)`` for a habit done ``f`` times a day,
    so its strength halves in ``13 / sqrt(f)`` days without it. A weekly goal of ``goal``
    meetings is ``f = goal / 7`` a day. We judge whole weeks, so one step is seven of Loop's:
    ``m ** 7 = 0.5 ** (7 * sqrt(goal / 7) / 13)``, about 0.868 for a goal of 1 and 0.783 for 3.
    A higher goal moves the score faster, as in Loop.
    """
    _check_goal(goal)
    return 0.5 ** (7 * math.sqrt(goal / 7) / LOOP_HALF_LIFE)


@dataclass(frozen=True)
class WeekResult:
    """One week of the journal, Monday ``start`` to Sunday ``end``, and the strength after it."""

    start: date
    meetings: int
    goal: int
    excused: bool
    current: bool
    score: float

    @property
    def met(self) -> bool:
        """The meetings attended reached the goal."""
        return self.meetings >= self.goal

    @property
    def end(self) -> date:
        """The Sunday of the week."""
        return self.start + timedelta(days=6)

    @property
    def completed(self) -> bool:
        """The week is over (it is not the week containing ``today``)."""
        return not self.current

    @property
    def counted(self) -> bool:
        """The week is over and not excused, so it counts in the figures."""
        return not self.current and not self.excused

    @property
    def percent(self) -> int:
        """The strength after this week, in whole percent."""
        return round(self.score * 100)


_new_object = object.__new__
_set_attribute = object.__setattr__


def _week(
    start: date, meetings: int, goal: int, excused: bool, current: bool, score: float
) -> WeekResult:
    """``WeekResult(start, meetings, goal, excused, current, score)``, made about three times
    faster: a frozen dataclass's ``__init__`` calls ``object.__setattr__`` once per field, this
    sets all six at once. :func:`week_results` makes one per week of the whole history, so this
    is most of its work. tests/test_engagement.py checks both ways give equal weeks."""
    week = _new_object(WeekResult)
    _set_attribute(
        week,
        "__dict__",
        {
            "start": start,
            "meetings": meetings,
            "goal": goal,
            "excused": excused,
            "current": current,
            "score": score,
        },
    )
    return week


def goal_of_week(week: date, goal: int, goal_changes: Sequence[tuple[date, int]] = ()) -> int:
    """The weekly goal that applied in ``week``: the last change made on or before it.

    ``goal_changes`` holds (first Monday, goal) pairs, oldest first. Without any, or before the
    first of them, ``goal`` (the goal now) applies: a person who raises their goal is judged on
    the new goal only from the week they raised it, never retroactively.
    """
    chosen = goal
    for start, value in goal_changes:
        if start > week:
            break
        chosen = value
    return chosen


def week_results(
    meetings_by_week: Mapping[date, int],
    excused: Collection[date],
    *,
    goal: int,
    today: date,
    started: date | None,
    goal_changes: Sequence[tuple[date, int]] = (),
    settled: Sequence[WeekResult] = (),
) -> list[WeekResult]:
    """Every week from the one ``started`` falls in to the one ``today`` falls in, oldest first.

    ``meetings_by_week`` maps any day to a number of meetings attended; days in the same week
    are added up. ``excused`` holds any day of each excused week. Days outside the journal's
    weeks are ignored. The list is empty when ``started`` is None or after ``today``. Each week
    is judged by the goal of that week (see :func:`goal_of_week`). The strength score is
    computed as the module notes describe. Raises :class:`ValueError` for a goal below 1 or a
    negative number of meetings.

    ``settled`` is the first weeks of the answer, worked out before (see :class:`Settled`): they
    are taken as they are and only the weeks after them are worked out, so ``meetings_by_week``
    only needs those. They are ignored unless they begin with the first week and end before the
    current one.
    """
    _check_goal(goal)
    changes = sorted(goal_changes)
    for _start, value in changes:
        _check_goal(value)
    if started is None or started > today:
        return []
    first = week_start(started)
    current = week_start(today)
    totals: dict[date, int] = {}
    for day, count in meetings_by_week.items():
        if count < 0:
            raise ValueError(f"a week can't have a negative number of meetings ({count})")
        weekday = day.weekday()
        start = day - timedelta(days=weekday) if weekday else day
        if first <= start <= current:
            totals[start] = totals.get(start, 0) + count
    excused_weeks = {week_start(day) for day in excused}

    # One pass, oldest week first, as light as it can be: this runs for every week of the
    # history. The goal changes are walked with a pointer alongside the weeks (the same choice
    # as goal_of_week), and each goal's multiplier is worked out once. The step is the module
    # notes' formula with min() and max() written out as comparisons, which give the same
    # numbers, and the weeks are made by _week.
    multipliers: dict[int, float] = {}

    def multiplier(value: int) -> float:
        if value not in multipliers:
            multipliers[value] = weekly_multiplier(value)
        return multipliers[value]

    week_goal = goal
    m = multiplier(week_goal)
    keep = 1.0 - m
    pending = iter(changes)
    change = next(pending, None)
    results: list[WeekResult] = []
    score = 0.0
    start = first
    if settled and settled[0].start == first and settled[-1].start < current:
        results.extend(settled)
        score = settled[-1].score
        start = settled[-1].start + _WEEK
    append = results.append
    totals_get = totals.get
    while True:
        while change is not None and change[0] <= start:
            if change[1] != week_goal:
                week_goal = change[1]
                m = multiplier(week_goal)
                keep = 1.0 - m
            change = next(pending, None)
        meetings = totals_get(start, 0)
        is_excused = start in excused_weeks
        is_current = start == current
        if not is_excused:
            part = 1.0 if meetings >= week_goal else meetings / week_goal  # min(..., 1.0)
            stepped = score * m + part * keep
            stepped = (stepped if stepped < 1.0 else 1.0) if stepped > 0.0 else 0.0  # clamp
            # The current week isn't over: it may only raise the score.
            if not is_current or stepped > score:
                score = stepped
        append(_week(start, meetings, week_goal, is_excused, is_current, score))
        if is_current:
            return results
        start += _WEEK


# --- windows and runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeksMet:
    """How many of the last ``weeks`` completed weeks met the goal.

    ``counted`` is the completed, non-excused weeks in the window; weeks before the journal
    began aren't in it, so a young journal counts fewer than ``weeks``. The current week is not
    in any window until it is over.
    """

    weeks: int
    met: int
    counted: int
    excused: int

    @property
    def phrase(self) -> str:
        """``3 of the last 4 weeks``, ``2 of 2 weeks so far``, ``no weeks yet``, with
        ``(1 excused)`` added when the window holds excused weeks."""
        note = f" ({self.excused} excused)" if self.excused else ""
        if self.counted == 0:
            return ("no weeks to count yet" if self.excused else "no weeks yet") + note
        journal_weeks = self.counted + self.excused
        if journal_weeks >= self.weeks:
            return f"{self.met} of the last {counted(self.weeks, 'week')}{note}"
        return f"{self.met} of {counted(journal_weeks, 'week')} so far{note}"


def _last_completed(weeks: Sequence[WeekResult], size: int) -> list[WeekResult]:
    """The last ``size`` completed weeks of ``weeks`` (fewer when there aren't as many), oldest
    first: ``[w for w in weeks if w.completed][-size:]``, read from the end only."""
    found: list[WeekResult] = []
    if size < 1:
        return found
    for week in reversed(weeks):
        if not week.current:
            found.append(week)
            if len(found) == size:
                break
    found.reverse()
    return found


def _weeks_met(weeks: Sequence[WeekResult], size: int) -> WeeksMet:
    if size < 1:
        raise ValueError(f"a window must hold at least one week, not {size}")
    window = _last_completed(weeks, size)
    counted = [w for w in window if not w.excused]
    return WeeksMet(
        weeks=size,
        met=sum(1 for w in counted if w.met),
        counted=len(counted),
        excused=len(window) - len(counted),
    )


@dataclass(frozen=True)
class Runs:
    """Weeks in a row meeting the goal: the run going on now, and the longest one ever.

    Excused weeks neither add to a run nor break it. The current week adds one once its goal is
    met; until then it is left out, because it isn't over.
    """

    current: int
    best: int

    @property
    def phrase(self) -> str:
        """A kind sentence about the runs, e.g. ``3 weeks in a row meeting your goal (your
        best: 9)``."""
        if self.best == 0:
            return "Your first week meeting your goal starts a run."
        if self.current == 0:
            return f"Your best run is {counted(self.best, 'week')}; every week is a fresh start."
        if self.current == 1:
            text = "1 week meeting your goal: a new run has begun"
        else:
            text = f"{self.current} weeks in a row meeting your goal"
        if self.best > self.current:
            return f"{text} (your best: {self.best})"
        if self.current > 1:
            return f"{text} (your best yet)"
        return text


def runs(weeks: Sequence[WeekResult], *, before: Runs | None = None) -> Runs:
    """The current and the best run of weeks meeting the goal in ``weeks`` (oldest first).

    ``before`` is the runs after the weeks that came before ``weeks``, when they are left out
    (see :class:`Settled`): the run going on then carries on into ``weeks``."""
    run, best = (before.current, before.best) if before is not None else (0, 0)
    for week in weeks:
        if week.excused:
            continue
        if week.meetings >= week.goal:  # week.met, without a property call per week
            run += 1
            if run > best:
                best = run
        elif not week.current:
            run = 0
    return Runs(current=run, best=best)


# --- consistency ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consistency:
    """Everything the journal says about consistency: each week, the windows and the runs."""

    goal: int
    weeks: tuple[WeekResult, ...]
    windows: tuple[WeeksMet, ...]
    runs: Runs
    # The runs after the completed weeks (all but the current one), when consistency() knew
    # them: what settled() hands on. Not part of the figures, so not compared.
    completed_runs: Runs | None = field(default=None, compare=False, repr=False)

    @property
    def score(self) -> float:
        """The strength now (after the latest week), 0.0 before the journal has any weeks."""
        return self.weeks[-1].score if self.weeks else 0.0

    @property
    def percent(self) -> int:
        """The strength now, in whole percent."""
        return round(self.score * 100)

    @property
    def this_week(self) -> WeekResult | None:
        """The week containing ``today``, or None when the journal hasn't begun."""
        return self.weeks[-1] if self.weeks and self.weeks[-1].current else None

    @property
    def completed(self) -> tuple[WeekResult, ...]:
        """The weeks that are over, oldest first."""
        return tuple(w for w in self.weeks if w.completed)

    def window(self, weeks: int) -> WeeksMet:
        """How many of the last ``weeks`` completed weeks met the goal."""
        for found in self.windows:
            if found.weeks == weeks:
                return found
        return _weeks_met(self.weeks, weeks)

    def distinct_windows(self) -> list[WeeksMet]:
        """The windows worth showing: a longer window that holds no more weeks than the one
        before it (in a young journal they would all say the same) is left out."""
        shown: list[WeeksMet] = []
        for window in self.windows:
            if not shown or window.counted + window.excused > shown[-1].counted + shown[-1].excused:
                shown.append(window)
        return shown

    def baseline(self, weeks: int) -> float | None:
        """The mean strength over the ``weeks`` completed weeks that end four weeks before the
        current week (completed weeks ``[-(4 + weeks), -4)``), or None when there aren't
        ``4 + weeks`` completed weeks yet: too early to tell."""
        if weeks < 1:
            raise ValueError(f"a baseline needs at least one week, not {weeks}")
        latest = _last_completed(self.weeks, BASELINE_GAP_WEEKS + weeks)
        if len(latest) < BASELINE_GAP_WEEKS + weeks:
            return None
        chosen = latest[:weeks]
        return math.fsum(w.score for w in chosen) / len(chosen)

    def series(self) -> list[tuple[date, int]]:
        """(week start, strength in percent) for every week, oldest first, for charts."""
        return [(w.start, w.percent) for w in self.weeks]

    def settled(self) -> Settled:
        """The completed weeks and the runs after them, to hand to the next :func:`consistency`
        so that it works out only the weeks from the current one on."""
        weeks = self.weeks[:-1] if self.weeks and self.weeks[-1].current else self.weeks
        kept = self.completed_runs
        return Settled(weeks, kept if kept is not None else runs(weeks))


@dataclass(frozen=True)
class Settled:
    """The first weeks of the journal, worked out by an earlier :func:`consistency`, and the
    runs after them.

    A week's result depends only on the weeks up to it, so these stay true while nothing in
    them changes: the meetings of those weeks, which of them are excused, the weekly goal and
    its changes, and the day the journal started. The caller knows what changed and keeps only
    the weeks before it (:meth:`before`); the next :func:`consistency` then works out the weeks
    after them alone, which on a long history is most of its work saved.
    """

    weeks: tuple[WeekResult, ...] = ()
    runs: Runs = Runs(current=0, best=0)

    def before(self, week: date) -> Settled:
        """The weeks that begin before ``week``, with their runs."""
        kept = len(self.weeks)
        while kept and self.weeks[kept - 1].start >= week:
            kept -= 1
        if kept == len(self.weeks):
            return self
        weeks = self.weeks[:kept]
        return Settled(weeks, runs(weeks))

    @property
    def next_week(self) -> date | None:
        """The Monday after the last settled week (None when there is none)."""
        return self.weeks[-1].start + _WEEK if self.weeks else None


def consistency(
    meetings_by_week: Mapping[date, int],
    excused: Collection[date],
    *,
    goal: int,
    today: date,
    started: date | None,
    goal_changes: Sequence[tuple[date, int]] = (),
    settled: Settled | None = None,
) -> Consistency:
    """The weeks (see :func:`week_results`), the 4, 12 and 52 week windows, and the runs.

    With ``settled`` (see :class:`Settled`), its weeks are taken as they are, and
    ``meetings_by_week`` needs to hold only the weeks after them: the answer is the same as
    without it, for less work.
    """
    weeks = tuple(
        week_results(
            meetings_by_week,
            excused,
            goal=goal,
            today=today,
            started=started,
            goal_changes=goal_changes,
            settled=settled.weeks if settled is not None else (),
        )
    )
    # The settled weeks' runs carry on, if week_results took those weeks (it leaves out any
    # that don't fit this journal).
    before: Runs | None = None
    kept = len(settled.weeks) if settled is not None else 0
    if settled is not None and 0 < kept <= len(weeks) and weeks[kept - 1] is settled.weeks[-1]:
        before = settled.runs
    else:
        kept = 0
    done = len(weeks) - 1 if weeks and weeks[-1].current else len(weeks)
    completed_runs = runs(weeks[kept:done], before=before)
    return Consistency(
        goal=goal,
        weeks=weeks,
        windows=tuple(_weeks_met(weeks, size) for size in WINDOW_WEEKS),
        runs=runs(weeks[done:], before=completed_runs),
        completed_runs=completed_runs,
    )


# --- attendance against a schedule ------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleAttendance:
    """How many of a scheduled group's sessions since ``since`` were attended.

    ``expected`` counts the sessions in ``[since, today]``, leaving out excused weeks and
    today's session unless it was already attended (the day isn't over). ``attended`` is how
    many of those have an attended entry for the group on that date.
    """

    group: Group
    since: date
    expected: int
    attended: int

    @property
    def phrase(self) -> str:
        """``7 of 8 scheduled sessions``, or ``no sessions scheduled yet``."""
        if self.expected == 0:
            return "no sessions scheduled yet"
        return f"{self.attended} of {counted(self.expected, 'scheduled session')}"


def schedule_attendance(
    groups: Iterable[Group],
    attended: Collection[tuple[int, date]],
    *,
    today: date,
    since: date,
    excused: Collection[date],
) -> list[ScheduleAttendance]:
    """Attendance against the schedule for each scheduled group, sorted by name (ignoring case).

    Only groups with a schedule Tracker can read that are not paused or "not for me" are
    included. Each counts from ``since`` or its schedule's start, whichever is later.
    ``attended`` holds (group id, date) pairs of meetings attended.
    """
    done = set(attended)
    excused_weeks = {week_start(day) for day in excused}
    until = datetime.combine(today + timedelta(days=1), time())
    results: list[ScheduleAttendance] = []
    for group in groups:
        schedule = stored_schedule(group.schedule)
        if schedule is None or group.status in _PAUSED_STATUSES:
            continue
        first = max(since, schedule.start)
        expected = hits = 0
        for moment in schedule.occurrences(datetime.combine(first, time()), until):
            day = moment.date()
            was_attended = (group.id, day) in done
            if week_start(day) in excused_weeks or (day == today and not was_attended):
                continue
            expected += 1
            hits += was_attended
        results.append(ScheduleAttendance(group, since, expected, hits))
    results.sort(key=lambda r: (r.group.name.casefold(), r.group.id))
    return results


# --- fit trends -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitTrend:
    """A group's latest fit rating against the mean of its earlier ones (five-dimension
    averages, 1 to 5)."""

    group_id: int
    group_name: str
    latest: float
    earlier: float
    latest_date: date

    @property
    def fall(self) -> float:
        """How far the latest rating is below the earlier mean (negative when it rose)."""
        return self.earlier - self.latest


@dataclass(frozen=True)
class FitHistory:
    """One group's fit ratings in brief, all :func:`fit_trends_of` needs: the latest rating,
    how many ratings there are, and the mean of the others.

    The latest rating is the last when the group's ratings are put in order of (date, average),
    so of two on the same day the higher one. ``earlier`` is the mean of the ratings before it
    (five-dimension averages), None when the latest is the only one.
    """

    group_id: int
    group_name: str
    latest_date: date
    latest: float
    count: int
    earlier: float | None

    @classmethod
    def from_totals(
        cls,
        group_id: int,
        group_name: str,
        latest_date: date,
        *,
        latest_sum: int,
        ratings: int,
        score_total: int,
    ) -> FitHistory:
        """The history from running totals, without the ratings themselves: ``latest_sum`` is
        the latest rating's five scores added up, ``ratings`` how many ratings the group has and
        ``score_total`` the five scores of all of them added up.

        Both means are exact: with whole scores, each is one division of whole numbers, rounded
        once (``(score_total - latest_sum) / (5 * (ratings - 1))`` for the earlier ratings),
        where averaging the ratings' own means would round each of them first."""
        if ratings < 1:
            raise ValueError(f"a fit history needs at least one rating, not {ratings}")
        earlier = (score_total - latest_sum) / (5 * (ratings - 1)) if ratings > 1 else None
        return cls(group_id, group_name, latest_date, latest_sum / 5, ratings, earlier)


def fit_histories(ratings: Iterable[tuple[int, str, date, float]]) -> list[FitHistory]:
    """Each group's :class:`FitHistory`, from ratings as (group id, group name, date,
    five-dimension average) in any order. The name is the latest rating's. The earlier mean is
    ``math.fsum`` of the other averages (which rounds only once, so their order doesn't matter)
    divided by how many there are."""
    latest: dict[int, tuple[date, float, str]] = {}
    averages: dict[int, list[float]] = {}
    for group_id, name, day, average in ratings:
        best = latest.get(group_id)
        if best is None or (day, average) >= (best[0], best[1]):
            latest[group_id] = (day, average, name)
        averages.setdefault(group_id, []).append(average)
    histories: list[FitHistory] = []
    for group_id, (day, average, name) in latest.items():
        others = averages[group_id]
        others.remove(average)  # one of them: the latest
        earlier = math.fsum(others) / len(others) if others else None
        histories.append(FitHistory(group_id, name, day, average, len(others) + 1, earlier))
    return histories


def fit_trends(
    ratings: Iterable[tuple[int, str, date, float]],
    *,
    recent_groups: Collection[int],
    today: date,
    recent_days: int = 90,
) -> list[FitTrend]:
    """The fit trend of each recently attended group, sorted by name (ignoring case).

    ``ratings`` are (group id, group name, date, five-dimension average) in any order. A group
    has a trend when it is in ``recent_groups``, has at least two ratings, and its latest
    rating is at most ``recent_days`` days before ``today``. Each group's ratings are put in
    order of (date, average): of two ratings on the same day, the higher is taken as the
    latest, so a same-day pair never reads as a fall. The name shown is the latest rating's.
    """
    if recent_days < 0:
        raise ValueError(f"recent_days can't be negative ({recent_days})")
    wanted = set(recent_groups)
    return fit_trends_of(
        fit_histories(row for row in ratings if row[0] in wanted),
        recent_groups=wanted,
        today=today,
        recent_days=recent_days,
    )


def fit_trends_of(
    histories: Iterable[FitHistory],
    *,
    recent_groups: Collection[int],
    today: date,
    recent_days: int = 90,
) -> list[FitTrend]:
    """:func:`fit_trends` from each group's :class:`FitHistory` (the store makes those from its
    running totals, without reading every rating): the same trends, each with the history's
    own ``earlier`` mean (exact when the history was made :meth:`~FitHistory.from_totals`)."""
    if recent_days < 0:
        raise ValueError(f"recent_days can't be negative ({recent_days})")
    wanted = set(recent_groups)
    trends: list[FitTrend] = []
    for history in histories:
        if history.group_id not in wanted or (today - history.latest_date).days > recent_days:
            continue
        earlier = history.earlier
        if earlier is None:
            continue
        trends.append(
            FitTrend(
                history.group_id, history.group_name, history.latest, earlier, history.latest_date
            )
        )
    trends.sort(key=lambda t: (t.group_name.casefold(), t.group_id))
    return trends


# --- the engagement rule ----------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """One thing the engagement rule noticed: a code from ``SIGNAL_CODES`` and a sentence."""

    code: str
    words: str


@dataclass(frozen=True)
class SupportContact:
    """A support person (by alias), their role code and the day they were last in touch."""

    alias: str
    role: str
    last_contact: date | None


@dataclass(frozen=True)
class EngagementCheck:
    """The signals that fired, in ``SIGNAL_CODES`` order."""

    signals: tuple[Signal, ...]

    @property
    def drop(self) -> bool:
        """At least one signal fired."""
        return bool(self.signals)

    def fired(self, code: str) -> bool:
        """Whether the signal ``code`` fired. Raises :class:`ValueError` for an unknown code."""
        if code not in SIGNAL_CODES:
            raise ValueError(f"unknown signal {code!r}; expected one of {SIGNAL_CODES}")
        return any(signal.code == code for signal in self.signals)

    @property
    def summary(self) -> str:
        """A gentle one-line heading for a banner, or ``""`` when nothing fired."""
        if not self.signals:
            return ""
        if all(signal.code == "fit-falling" for signal in self.signals):
            return "A group may not be fitting as well as it did."
        return "Things have been quieter lately."


def quiet_days(since: date, today: date, excused: Collection[date]) -> int:
    """The days in ``(since, today]`` that are not in an excused week (0 when ``since`` is
    ``today`` or later)."""
    if since >= today:
        return 0
    first = since + timedelta(days=1)
    days = (today - since).days
    for start in {week_start(day) for day in excused}:
        overlap = (min(start + timedelta(days=6), today) - max(start, first)).days + 1
        days -= max(overlap, 0)
    return days


def _days_words(days: int, since: date, today: date) -> str:
    text = counted(days, "day")
    if days != (today - since).days:
        text += " (not counting excused weeks)"
    return text


def _strength_signal(c: Consistency, t: Thresholds) -> Signal | None:
    baseline = c.baseline(t.baseline_weeks)
    if baseline is None:
        return None
    usual = round(baseline * 100)
    if c.percent >= usual - t.score_drop:
        return None
    return Signal(
        "strength", f"Your strength is {c.percent}%, below your recent baseline of {usual}%."
    )


def _missed_weeks_signal(c: Consistency, t: Thresholds) -> Signal | None:
    in_a_row = 0
    skipped = False
    for week in reversed(c.weeks):
        if week.current:
            continue
        if week.excused:
            skipped = True
            continue
        if week.met:
            break
        in_a_row += 1
    if in_a_row < t.missed_weeks:
        return None
    weeks = "week was" if in_a_row == 1 else f"{in_a_row} weeks were"
    aside = ", excused weeks aside," if skipped else ""
    goal = counted(c.goal, "meeting")
    return Signal(
        "missed-weeks",
        f"The last {weeks}{aside} below your goal of {goal} a week.",
    )


def _no_meeting_signal(
    last_meeting: date | None, today: date, excused: Collection[date], t: Thresholds
) -> Signal | None:
    if last_meeting is None:
        return None
    days = quiet_days(last_meeting, today, excused)
    if days < t.meeting_days:
        return None
    return Signal(
        "no-meeting",
        f"It's been {_days_words(days, last_meeting, today)} since your last meeting.",
    )


def _no_contact_signal(
    support: Sequence[SupportContact], today: date, excused: Collection[date], t: Thresholds
) -> Signal | None:
    contacted = [(p.last_contact, p) for p in support if p.last_contact is not None]
    if not contacted:
        return None
    # The most recent day; of two on that day, the first given (max keeps the first it meets).
    last, latest = max(contacted, key=lambda pair: pair[0])
    days = quiet_days(last, today, excused)
    if days < t.contact_days:
        return None
    role = vocab.ROLES.get(latest.role)
    who = latest.alias
    if role is not None and latest.role != "other":
        who += f" (your {role.lower()})"
    return Signal(
        "no-contact",
        f"It's been {_days_words(days, last, today)} since you were in touch with {who}.",
    )


def _fit_signal(trends: Sequence[FitTrend], t: Thresholds) -> Signal | None:
    falling = [trend for trend in trends if trend.fall >= t.fit_drop - _FIT_EPSILON]
    if not falling:
        return None
    if len(falling) == 1:
        trend = falling[0]
        return Signal(
            "fit-falling",
            f"Your latest rating of {trend.group_name} ({trend.latest:.1f}) is below its "
            f"earlier average ({trend.earlier:.1f}).",
        )
    parts = [f"{f.group_name} ({f.latest:.1f}, earlier {f.earlier:.1f})" for f in falling]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return Signal(
        "fit-falling",
        f"Your latest ratings of {listed} are below their earlier averages.",
    )


def check_engagement(
    c: Consistency,
    *,
    today: date,
    last_meeting: date | None,
    support: Sequence[SupportContact],
    trends: Sequence[FitTrend],
    excused: Collection[date],
    thresholds: Thresholds,
) -> EngagementCheck:
    """Apply the engagement rule (see the module notes) and say which signals fired.

    ``support`` is the people whose contact counts (callers pass sponsors, mentors and peer
    recovery coaches, ``vocab.SUPPORT_ROLES``); of two contacted on the same latest day, the
    first in ``support`` is named. ``trends`` come from :func:`fit_trends`.
    """
    found = (
        _strength_signal(c, thresholds),
        _missed_weeks_signal(c, thresholds) if last_meeting is not None else None,
        _no_meeting_signal(last_meeting, today, excused, thresholds),
        _no_contact_signal(support, today, excused, thresholds),
        _fit_signal(trends, thresholds),
    )
    return EngagementCheck(tuple(signal for signal in found if signal is not None))

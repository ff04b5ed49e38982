"""How the journal looks at a glance: this week against the goal, recent weeks, what's coming up,
and who hasn't heard from you in a while. Pure functions over plain data; ``today``/``now`` are
always passed in.

Weeks run Monday to Sunday. A week "meets the goal" when the meetings attended that week reach the
weekly goal. A missed week is just a week: it is shown, never scolded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.domain import vocab
from tracker.domain.dates import week_start
from tracker.domain.schedules import Schedule, stored_schedule

if TYPE_CHECKING:
    from tracker.domain.models import Group, Person

SPARK_BARS = "▁▂▃▄▅▆▇█"
QUIET_CONTACT_DAYS = 7


@dataclass(frozen=True)
class WeekCount:
    start: date
    meetings: int
    goal: int

    @property
    def met(self) -> bool:
        return self.meetings >= self.goal

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def weekly_counts(
    per_day: Mapping[date, int], *, today: date, goal: int, weeks: int = 12
) -> list[WeekCount]:
    """The last ``weeks`` weeks, oldest first; the last one is the current (partial) week."""
    current = week_start(today)
    starts = [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    totals = dict.fromkeys(starts, 0)
    for day, count in per_day.items():
        start = week_start(day)
        if start in totals:
            totals[start] += count
    return [WeekCount(start, totals[start], goal) for start in starts]


def goal_dots(meetings: int, goal: int) -> str:
    """●●○ for 2 of 3. Meetings beyond the goal show as extra ● (up to 7 in all)."""
    filled = min(meetings, max(goal, 7))
    return "●" * filled + "○" * max(goal - meetings, 0)


def sparkline(values: Sequence[int | None], *, top: int | None = None) -> str:
    """One bar per value, scaled to ``top`` (default: the largest value). Zero is the lowest
    bar; ``None`` (a week before the journal began) is a blank."""
    known = [v for v in values if v is not None]
    ceiling = max(top or 0, max(known, default=0), 1)
    bars = []
    for value in values:
        if value is None:
            bars.append(" ")
            continue
        index = round((len(SPARK_BARS) - 1) * min(value, ceiling) / ceiling)
        bars.append(SPARK_BARS[index])
    return "".join(bars)


def recent_weeks(
    weeks: Sequence[WeekCount], *, started: date | None
) -> tuple[list[int | None], str]:
    """The bars to draw for ``weeks`` and a kind phrase about the weeks before this one.

    Weeks that ended before the journal ``started`` are neither drawn nor counted: a new journal
    doesn't start out with a row of "missed" weeks.
    """
    values: list[int | None] = [
        w.meetings if started is not None and w.end >= started else None for w in weeks
    ]
    past = [w for w in weeks[:-1] if started is not None and w.end >= started]
    if not past:
        return values, "your first week here"
    met = sum(1 for w in past if w.met)
    plural = "s" if len(past) != 1 else ""
    return values, f"goal met in {met} of the {len(past)} week{plural} before this one"


def this_week_phrase(week: WeekCount) -> str:
    noun = "meeting" if week.goal == 1 else "meetings"
    if week.met and week.meetings > week.goal:
        return f"{week.meetings} meetings, goal of {week.goal} met"
    if week.met:
        return f"{week.meetings} of {week.goal} {noun}, goal met"
    return f"{week.meetings} of {week.goal} {noun}"


@dataclass(frozen=True)
class Session:
    """One scheduled meeting of a group, at a given local time."""

    group: Group
    when: datetime
    logged: bool = False

    @property
    def day(self) -> date:
        return self.when.date()


def _schedules(groups: Iterable[Group]) -> list[tuple[Group, Schedule]]:
    result = []
    for group in groups:
        schedule = stored_schedule(group.schedule)
        if schedule is not None and group.status not in ("paused", "not-for-me"):
            result.append((group, schedule))
    return result


def coming_up(
    groups: Iterable[Group],
    *,
    now: datetime,
    days: int = 7,
    limit: int = 6,
    logged: set[tuple[int, date]] | None = None,
) -> list[Session]:
    """Scheduled meetings from ``now`` on, soonest first (paused and not-for-me groups skipped).

    A meeting later today that is already in ``logged`` (someone logged it early) is marked.
    """
    until = now + timedelta(days=days)
    done = logged or set()
    sessions = [
        Session(group, when, logged=(group.id, when.date()) in done)
        for group, schedule in _schedules(groups)
        for when in schedule.occurrences(now, until)
    ]
    sessions.sort(key=lambda s: (s.when, s.group.name.casefold()))
    return sessions[:limit]


def to_log(
    groups: Iterable[Group],
    logged: set[tuple[int, date]],
    *,
    now: datetime,
    days: int = 7,
) -> list[Session]:
    """Scheduled meetings that have started in the last ``days`` days and aren't logged yet,
    most recent first. These are what the dashboard offers to log with one key."""
    since = datetime.combine(now.date() - timedelta(days=days), datetime.min.time())
    sessions = [
        Session(group, when)
        for group, schedule in _schedules(groups)
        for when in schedule.occurrences(since, now + timedelta(seconds=1))
        if (group.id, when.date()) not in logged
    ]
    sessions.sort(key=lambda s: (s.when, s.group.name.casefold()), reverse=True)
    return sessions


@dataclass(frozen=True)
class PersonGap:
    person: Person
    days: int | None  # None: never contacted

    @property
    def quiet(self) -> bool:
        return self.days is None or self.days >= QUIET_CONTACT_DAYS


def contact_gaps(
    people: Iterable[Person], *, today: date, roles: Sequence[str] = vocab.SUPPORT_ROLES
) -> list[PersonGap]:
    """Support people (sponsors, mentors, coaches), longest since contact first."""
    gaps = [PersonGap(p, p.days_since_contact(today)) for p in people if p.role in roles]
    gaps.sort(key=lambda g: (-(g.days if g.days is not None else 10**6), g.person.alias.casefold()))
    return gaps

"""The mentor review: a summary of a chosen period, to go through with a sponsor or mentor.

Pure functions over plain data: nothing here reads the clock, the store or the screen. Whoever
calls builds a :class:`ReviewInput` (``tracker.review_data`` does, from the store) and passes
``today`` in it. :func:`build_review` turns it into a :class:`Review`, which the renderers in
:mod:`tracker.report` write out as Markdown or HTML.

What the review holds, for the period ``since``..``until`` (both days included):

* **Attendance by week.** Every week (Monday to Sunday) of the journal that overlaps the period,
  shown whole: its meetings, the goal of that week, and whether it was excused. "Goal met in 9 of
  12 weeks (1 excused)" counts the weeks that are over and weren't excused; excused weeks are
  named beside the count, not in it, as in :attr:`tracker.domain.engagement.WeeksMet.phrase`.
  The week containing ``today`` isn't over, so it joins the count once its goal is met (or joins
  the excused ones once it is excused) and otherwise is shown as "so far". A week that didn't
  meet the goal is "not this time", never a failure.
* **Groups attended**, with the meetings attended in the period, most first.
* **Strength**: the strength going into the period (after the week before its first week; 0%
  when the journal began in it), the strength at its end, and each week's strength.
* **Contacts** with each sponsor, mentor or peer recovery coach: how many, and the longest gap in
  days, with the role of each person in the journal (contacted in the period or not). Gaps run
  from one contact to the next, starting at the last contact before the period (or, without
  one, the day before the period, or the day before the journal began when that is later, so a
  person not contacted at all has a gap as long as the period, or as the journal) and ending at
  ``until``.
* **Service**: the time given (entries without minutes are counted, not timed) and the kinds.
* **Fit ratings**: for each group rated in the period, its latest rating in the period against
  the latest one before it (or "first rating"). Of two ratings on the same day, the higher one is
  taken as the later, as in :func:`tracker.domain.engagement.fit_trends`.
* **Milestones**: 4, 12, 26 or 52 weeks in a row meeting the goal (the week the run reached that
  length overlaps the period; runs follow :func:`tracker.domain.engagement.runs`), the first
  service ever, and the 10th, 50th and 100th meeting attended.
* **The notes the person chose to share**, in date order. Nothing else they wrote is in the
  input, so nothing else can be in the review.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from tracker.domain import vocab
from tracker.domain.dates import EARLIEST, MONTH_ABBRS, WEEKDAY_ABBRS, parse_date
from tracker.domain.engagement import Consistency, WeekResult
from tracker.domain.text import counted
from tracker.errors import InvalidField

__all__ = [
    "MAX_DAYS",
    "MEETING_MILESTONES",
    "NOTE_KINDS",
    "RUN_MILESTONES",
    "ContactSummary",
    "FitChange",
    "GoalTally",
    "GroupCount",
    "KindCount",
    "Milestone",
    "Period",
    "Review",
    "ReviewInput",
    "ReviewWeek",
    "ServiceSummary",
    "SharedNote",
    "Strength",
    "build_review",
    "day_text",
    "long_date",
    "parse_period",
    "period_range",
]

#: The longest period a review may cover, in days (about ten years).
MAX_DAYS = 3660
#: Weeks in a row meeting the goal that count as a milestone.
RUN_MILESTONES = (4, 12, 26, 52)
#: Meetings attended (in all) that count as a milestone.
MEETING_MILESTONES = (10, 50, 100)

#: What a shared note was written on, in words.
NOTE_KINDS: dict[str, str] = {
    "meeting": "Meeting",
    "contact": "Contact",
    "service": "Service",
    "rating": "Fit rating",
    "group": "Group",
    "person": "Person",
}

_DAYS = re.compile(r"(?P<n>\d{1,9}) ?(?:d|days?)")
_ONE_DAY = timedelta(days=1)
_ORDINALS = {1: "st", 2: "nd", 3: "rd"}


# --- dates in words ---------------------------------------------------------------------------


def long_date(d: date) -> str:
    """``26 Nov 2026``."""
    return f"{d.day} {MONTH_ABBRS[d.month - 1]} {d.year}"


def day_text(d: date, *, today: date) -> str:
    """``Mon 23 Nov``, with the year when it isn't ``today``'s. Never "today" or "yesterday":
    a review is read later, away from the day it was made."""
    text = f"{WEEKDAY_ABBRS[d.weekday()]} {d.day} {MONTH_ABBRS[d.month - 1]}"
    return text if d.year == today.year else f"{text} {d.year}"


def period_range(since: date, until: date) -> str:
    """``28 Aug – 26 Nov 2026``; ``28 Dec 2025 – 26 Jan 2026`` across years; one day alone."""
    if since == until:
        return long_date(until)
    if since.year == until.year:
        return f"{since.day} {MONTH_ABBRS[since.month - 1]} – {long_date(until)}"
    return f"{long_date(since)} – {long_date(until)}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else _ORDINALS.get(n % 10, "th")
    return f"{n}{suffix}"


# --- the period -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days a review covers, ``since`` to ``until`` (both included), and its name."""

    since: date
    until: date
    label: str  # "the last 90 days", "2026 so far", "1 Sep – 30 Nov 2026"

    @property
    def days(self) -> int:
        """How many days the period holds."""
        return (self.until - self.since).days + 1

    @property
    def range_text(self) -> str:
        """``28 Aug – 26 Nov 2026``."""
        return period_range(self.since, self.until)

    def holds(self, day: date) -> bool:
        """``day`` falls in the period."""
        return self.since <= day <= self.until


def parse_period(since: str | None, until: str | None, *, today: date) -> Period:
    """The period a person asked for.

    ``until`` is a date; empty means ``today``. It is read first, as of ``today``.

    ``since`` is ``30d``, ``90d`` or any ``Nd`` (1 to 3660 days, ending on ``until``, so ``30d``
    starts 29 days before it), ``this year`` or ``year`` (from 1 January of ``until``'s year), or
    a date in any form :func:`~tracker.domain.dates.parse_date` reads, read as of ``until``: with
    ``until`` 30 Nov 2025, ``1 Sep`` is 1 Sep 2025 (and ``yesterday`` is 29 Nov 2025). Empty
    means ``30d``.

    Neither may be in the future, and ``since`` may not be after ``until``. Raises
    :class:`~tracker.errors.InvalidField` naming ``since`` or ``until``.
    """
    until_text = " ".join((until or "").split())
    end = parse_date(until_text, today=today, field="until") if until_text else today
    since_text = " ".join((since or "").split()).lower() or "30d"

    if m := _DAYS.fullmatch(since_text):
        n = int(m["n"])
        if not 1 <= n <= MAX_DAYS:
            raise InvalidField(
                "since",
                f"since: {since_text!r} should be between 1d and {MAX_DAYS}d (about ten years).",
            )
        start = end - timedelta(days=n - 1)
        if start < EARLIEST:
            raise InvalidField("since", f"since: {since_text!r} reaches back before 1900.")
        if end == today:
            label = "today" if n == 1 else f"the last {n} days"
        else:
            label = long_date(end) if n == 1 else f"the {n} days to {long_date(end)}"
        return Period(start, end, label)

    if since_text in ("this year", "year"):
        start = date(end.year, 1, 1)
        if end == today:
            label = f"{end.year} so far"
        elif end == date(end.year, 12, 31):
            label = str(end.year)
        else:
            label = period_range(start, end)
        return Period(start, end, label)

    # Read as of the end of the period, so a day without a year falls on or before it.
    start = parse_date(since_text, today=end, field="since", allow_future=True)
    if start > today:
        raise InvalidField(
            "since",
            f"since: {long_date(start)} is in the future. A review looks back, so please "
            "choose an earlier start.",
        )
    if start > end:
        raise InvalidField(
            "since",
            f"since: {long_date(start)} is after the end of the period ({long_date(end)}). "
            "Please choose an earlier start.",
        )
    return Period(start, end, period_range(start, end))


# --- the input --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedNote:
    """A note the person marked "share with my mentor"."""

    day: date
    kind: str  # "meeting", "contact", "service", "rating", "group", "person"
    about: str  # the group's name, the person's alias, or the service kind's words
    text: str  # the note exactly as written (user text!)

    @property
    def kind_label(self) -> str:
        return vocab.label(NOTE_KINDS, self.kind)


@dataclass(frozen=True)
class ReviewInput:
    """Everything a review is built from. ``tracker.review_data`` reads it from the store."""

    today: date
    period: Period
    goal: int  # the weekly goal now
    consistency: Consistency  # the whole history's weeks (engagement.consistency)
    meetings: Sequence[tuple[date, str, bool]]  # (day, group name, attended) within the period
    meetings_before: int  # meetings attended before period.since
    # (day, alias, role code) with sponsors, mentors and coaches, within the period
    contacts: Sequence[tuple[date, str, str]]
    # alias -> last contact before the period (None: none), for every support person
    last_contact_before: Mapping[str, date | None]
    service: Sequence[tuple[date, str, int | None]]  # (day, kind code, minutes) within the period
    first_service: date | None  # the first service ever logged
    # every fit rating up to period.until: (day, group name, five-dimension mean)
    ratings: Sequence[tuple[date, str, float]]
    shared_notes: Sequence[SharedNote]  # ONLY notes marked "share with my mentor"
    # alias -> role code (vocab.ROLES), for every support person, contacted in the period or not
    roles: Mapping[str, str] = field(default_factory=dict)
    started: date | None = None  # the journal's first day, when known


# --- the review -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewWeek:
    """One week (Monday ``start``) of the journal that overlaps the period, shown whole."""

    start: date
    meetings: int
    goal: int
    excused: bool
    current: bool  # the week containing today: not over yet
    strength: int  # in percent, after this week

    @property
    def met(self) -> bool:
        return self.meetings >= self.goal

    @property
    def outcome(self) -> str:
        """``goal met``, ``excused``, ``so far`` (this week, not over) or ``not this time``."""
        if self.excused:
            return "excused"
        if self.met:
            return "goal met"
        return "so far" if self.current else "not this time"


@dataclass(frozen=True)
class GoalTally:
    """How many of the period's weeks met the goal.

    ``weeks`` counts the weeks that are over and weren't excused, and the current week once it
    met its goal; ``excused`` counts the excused weeks (the current one too, once excused), which
    are named beside the count and not in it. ``still_going`` is the current week otherwise.
    """

    met: int
    weeks: int
    excused: int
    still_going: ReviewWeek | None

    @property
    def phrase(self) -> str:
        """``Goal met in 9 of 12 weeks (1 excused).``, and a word about this week."""
        note = f" ({self.excused} excused)" if self.excused else ""
        if self.weeks == 0:
            text = (
                f"No weeks to count in this period yet{note}."
                if self.excused
                else "No finished weeks to count in this period yet."
            )
        else:
            text = f"Goal met in {self.met} of {counted(self.weeks, 'week')}{note}."
        week = self.still_going
        if week is not None:
            text += (
                f" This week is still going: {week.meetings} of "
                f"{counted(week.goal, 'meeting')} so far."
            )
        return text


@dataclass(frozen=True)
class GroupCount:
    name: str
    attended: int


@dataclass(frozen=True)
class Strength:
    """Strength in percent going into the period (``start``), at its end, and each week."""

    start: int
    end: int
    series: tuple[tuple[date, int], ...]
    began_in_period: bool  # the journal's first week is in the period (start is then 0)

    @property
    def phrase(self) -> str:
        if not self.series:
            return "There are no journal weeks in this period yet, so there is no strength."
        if self.end == self.start:
            return f"Strength held at {self.end}% through the period."
        start = f"{self.start}%"
        if self.began_in_period:
            start += ", when your journal began,"
        if self.end > self.start:
            return f"Strength rose from {start} to {self.end}% over this period."
        return (
            f"Strength went from {start} to {self.end}% over this period. "
            "It comes back as meetings come back."
        )


@dataclass(frozen=True)
class ContactSummary:
    """Contacts with one sponsor, mentor or coach (by alias) in the period."""

    alias: str
    role: str | None  # a code of vocab.ROLES, when known
    count: int
    longest_gap: int  # days
    last_before: date | None

    @property
    def role_label(self) -> str:
        return vocab.label(vocab.ROLES, self.role)

    @property
    def gap_phrase(self) -> str:
        """``9 days``, with ``no contact in this period`` when there was none."""
        text = counted(self.longest_gap, "day")
        return f"{text} (no contact in this period)" if self.count == 0 else text


@dataclass(frozen=True)
class KindCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ServiceSummary:
    """Service in the period: entries, the minutes of those timed, and the kinds."""

    entries: int
    minutes: int
    untimed: int
    kinds: tuple[KindCount, ...]

    @property
    def time_text(self) -> str:
        """``45 minutes``, ``1 hour``, ``3.5 hours``."""
        if self.minutes < 60:
            return counted(self.minutes, "minute")
        hours = round(self.minutes / 60, 1)
        shown = f"{hours:.1f}".removesuffix(".0")
        return f"{shown} hour" if shown == "1" else f"{shown} hours"

    @property
    def phrase(self) -> str:
        if self.entries == 0:
            return "No service logged in this period."
        text = f"{self.time_text} of service in {counted(self.entries, 'entry', 'entries')}"
        if self.untimed == self.entries:
            entries = counted(self.entries, "service entry", "service entries")
            return f"{entries}, none of them timed."
        if self.untimed:
            untimed = counted(self.untimed, "entry", "entries")
            verb = "has" if self.untimed == 1 else "have"
            text += f" ({untimed} {verb} no time: counted here, not in the hours)"
        return text + "."


@dataclass(frozen=True)
class FitChange:
    """A group's latest fit rating in the period against the latest one before it."""

    group: str
    latest: float
    latest_day: date
    previous: float | None
    previous_day: date | None
    ratings: int  # ratings of the group in the period

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.latest - self.previous

    @property
    def change_text(self) -> str:
        """``up 0.6``, ``down 0.4``, ``no change`` or ``first rating``."""
        change = self.change
        if change is None:
            return "first rating"
        shown = round(abs(change), 1)
        if shown == 0:
            return "no change"
        return f"{'up' if change > 0 else 'down'} {shown:.1f}"


@dataclass(frozen=True)
class Milestone:
    """A milestone reached in the period. ``day`` is the Monday of the week for a run."""

    day: date
    kind: str  # "run", "first-service" or "meetings"
    count: int  # weeks in the run, or the meeting's number; 1 for the first service

    @property
    def text(self) -> str:
        if self.kind == "run":
            return f"{self.count} weeks in a row meeting your goal"
        if self.kind == "first-service":
            return "Your first service"
        return f"Your {_ordinal(self.count)} meeting"

    def line(self, *, today: date) -> str:
        """``Week of Mon 2 Nov: 12 weeks in a row meeting your goal``."""
        when = day_text(self.day, today=today)
        if self.kind == "run":
            when = f"Week of {when}"
        return f"{when}: {self.text}"


@dataclass(frozen=True)
class Review:
    """Everything a review shows, in plain data. See the module notes."""

    today: date
    period: Period
    intro: str
    goal: int
    weeks: tuple[ReviewWeek, ...]
    tally: GoalTally
    attended: int  # meetings attended in the period
    attended_in_all: int  # meetings attended up to the end of the period
    groups: tuple[GroupCount, ...]
    strength: Strength
    contacts: tuple[ContactSummary, ...]
    service: ServiceSummary
    fit_changes: tuple[FitChange, ...]
    milestones: tuple[Milestone, ...]
    notes: tuple[SharedNote, ...]

    @property
    def title(self) -> str:
        return f"Review: {self.period.label}"

    @property
    def made_on(self) -> str:
        """``Made on Thu 26 Nov 2026. Weekly goal: 2 meetings.``"""
        made = f"{WEEKDAY_ABBRS[self.today.weekday()]} {long_date(self.today)}"
        return f"Made on {made}. Weekly goal: {counted(self.goal, 'meeting')}."

    @property
    def attended_phrase(self) -> str:
        if self.attended == 0:
            return "No meetings attended were logged in this period."
        groups = counted(len(self.groups), "group")
        return (
            f"{counted(self.attended, 'meeting')} attended in {groups}; "
            f"{self.attended_in_all} in all."
        )

    def day(self, d: date) -> str:
        """``Mon 23 Nov`` (with the year when it isn't this year's)."""
        return day_text(d, today=self.today)


def _intro(period: Period, shared: int) -> str:
    parts = "attendance, groups, strength, contacts by alias, service, fit ratings"
    text = f"This review covers {period.range_text}. It includes {parts}"
    if shared == 0:
        return (
            f"{text} and milestones. No notes were marked to share, so it holds none. "
            "It leaves out every note, phone numbers and email addresses."
        )
    notes = "the 1 note" if shared == 1 else f"the {shared} notes"
    return (
        f"{text}, milestones and {notes} you chose to share. "
        "It leaves out every other note, phone numbers and email addresses."
    )


def _overlaps(week: WeekResult, period: Period) -> bool:
    return week.start <= period.until and week.end >= period.since


def _weeks(inp: ReviewInput) -> tuple[tuple[ReviewWeek, ...], Strength]:
    all_weeks = inp.consistency.weeks
    chosen = [i for i, w in enumerate(all_weeks) if _overlaps(w, inp.period)]
    weeks = tuple(
        ReviewWeek(w.start, w.meetings, w.goal, w.excused, w.current, w.percent)
        for w in (all_weeks[i] for i in chosen)
    )
    if not chosen:
        return weeks, Strength(0, 0, (), began_in_period=False)
    first = chosen[0]
    began = first == 0
    start = 0 if began else all_weeks[first - 1].percent
    series = tuple((w.start, w.strength) for w in weeks)
    return weeks, Strength(start, weeks[-1].strength, series, began_in_period=began)


def _tally(weeks: Sequence[ReviewWeek]) -> GoalTally:
    met = counted = excused = 0
    still_going = None
    for week in weeks:
        if week.excused:
            excused += 1
        elif week.met:
            counted += 1
            met += 1
        elif week.current:
            still_going = week
        else:
            counted += 1
    return GoalTally(met, counted, excused, still_going)


def _groups(meetings: Sequence[tuple[date, str, bool]]) -> tuple[GroupCount, ...]:
    counts = Counter(name for _day, name, attended in meetings if attended)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    return tuple(GroupCount(name, count) for name, count in ordered)


def _contacts(inp: ReviewInput) -> tuple[ContactSummary, ...]:
    period = inp.period
    days: dict[str, list[date]] = {alias: [] for alias in (*inp.last_contact_before, *inp.roles)}
    roles: dict[str, tuple[date, str]] = {}
    for day, alias, role in inp.contacts:
        if not period.holds(day):
            continue
        days.setdefault(alias, []).append(day)
        if alias not in roles or day >= roles[alias][0]:
            roles[alias] = (day, role)
    # Without a contact before the period, gaps start the day before it, or the day before the
    # journal began when that is later (a journal begun in 2024 has no gap from 1900).
    opening = period.since - _ONE_DAY
    if inp.started is not None:
        opening = max(opening, inp.started - _ONE_DAY)
    summaries = []
    for alias, found in days.items():
        found.sort()
        before = inp.last_contact_before.get(alias)
        anchor = before if before is not None else opening
        anchor = min(anchor, *found[:1], period.until)
        points = [anchor, *found, period.until]
        gap = max((b - a).days for a, b in pairwise(points))
        known = inp.roles.get(alias) or (roles[alias][1] if alias in roles else None)
        summaries.append(ContactSummary(alias, known, len(found), gap, before))
    summaries.sort(key=lambda s: (-s.count, s.alias.casefold(), s.alias))
    return tuple(summaries)


def _service(inp: ReviewInput) -> ServiceSummary:
    entries = [(day, kind, minutes) for day, kind, minutes in inp.service if inp.period.holds(day)]
    minutes = sum(m for _d, _k, m in entries if m is not None)
    untimed = sum(1 for _d, _k, m in entries if m is None)
    kinds = Counter(kind for _d, kind, _m in entries)
    ordered = sorted(
        kinds.items(),
        key=lambda item: (-item[1], vocab.label(vocab.SERVICE_KINDS, item[0]).casefold()),
    )
    return ServiceSummary(
        entries=len(entries),
        minutes=minutes,
        untimed=untimed,
        kinds=tuple(
            KindCount(code, vocab.label(vocab.SERVICE_KINDS, code), count)
            for code, count in ordered
        ),
    )


def _fit_changes(inp: ReviewInput) -> tuple[FitChange, ...]:
    period = inp.period
    by_group: dict[str, list[tuple[date, float]]] = {}
    for day, name, mean in inp.ratings:
        if day <= period.until and math.isfinite(mean):
            by_group.setdefault(name, []).append((day, mean))
    changes = []
    for name, ratings in by_group.items():
        ratings.sort()
        inside = [r for r in ratings if period.holds(r[0])]
        if not inside:
            continue
        before = [r for r in ratings if r[0] < period.since]
        latest_day, latest = inside[-1]
        previous_day, previous = before[-1] if before else (None, None)
        changes.append(FitChange(name, latest, latest_day, previous, previous_day, len(inside)))
    changes.sort(key=lambda c: (c.group.casefold(), c.group))
    return tuple(changes)


def milestones_in(inp: ReviewInput) -> tuple[Milestone, ...]:
    """The milestones reached in ``inp.period``: runs of weeks meeting the goal (from
    ``consistency``), the first service (``first_service``) and the 10th, 50th... meeting
    (``meetings_before`` and the attended ``meetings``); nothing else of ``inp`` is read."""
    period = inp.period
    found: list[Milestone] = []
    run = 0
    for week in inp.consistency.weeks:
        if week.excused:
            continue
        if week.met:
            run += 1
            if run in RUN_MILESTONES and _overlaps(week, period):
                found.append(Milestone(week.start, "run", run))
        elif not week.current:
            run = 0
    if inp.first_service is not None and period.holds(inp.first_service):
        found.append(Milestone(inp.first_service, "first-service", 1))
    number = inp.meetings_before
    for day in sorted(day for day, _name, attended in inp.meetings if attended):
        if not period.holds(day):
            continue
        number += 1
        if number in MEETING_MILESTONES:
            found.append(Milestone(day, "meetings", number))
    order = {"run": 0, "first-service": 1, "meetings": 2}
    found.sort(key=lambda m: (m.day, order.get(m.kind, 3), m.count))
    return tuple(found)


def build_review(inp: ReviewInput) -> Review:
    """The review of ``inp.period`` (see the module notes)."""
    period = inp.period
    weeks, strength = _weeks(inp)
    in_period = [m for m in inp.meetings if period.holds(m[0])]
    attended = sum(1 for _day, _name, was in in_period if was)
    notes = tuple(sorted((n for n in inp.shared_notes if period.holds(n.day)), key=lambda n: n.day))
    return Review(
        today=inp.today,
        period=period,
        intro=_intro(period, len(notes)),
        goal=inp.goal,
        weeks=weeks,
        tally=_tally(weeks),
        attended=attended,
        attended_in_all=inp.meetings_before + attended,
        groups=_groups(in_period),
        strength=strength,
        contacts=_contacts(inp),
        service=_service(inp),
        fit_changes=_fit_changes(inp),
        milestones=milestones_in(inp),
        notes=notes,
    )

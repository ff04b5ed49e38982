"""Recurring meeting schedules, typed in plain words and kept as RFC 5545 RRULE text.

:func:`parse_schedule` reads phrases such as ``Tuesdays 7pm``, ``every other Saturday 10:00``,
``first Monday of the month 18:30`` or ``Mon, Wed and Fri 6:30pm`` into a :class:`Schedule`.
A schedule is a recurrence rule made by :class:`dateutil.rrule.rrule` plus the date it counts
from. The storage form (:meth:`Schedule.to_text`) is exactly what dateutil prints for that rule,
``DTSTART:20261128T100000`` then ``RRULE:FREQ=WEEKLY;INTERVAL=2;...``.

What the parser makes, and :meth:`Schedule.describe` says back in words the parser reads
again to the same schedule:

* weekly on a set of weekdays, every week or every N weeks (``every other``, ``fortnightly``,
  ``every 3 weeks``); every day of the week every week is stored as a daily rule;
* every N days (``daily``, ``every day``, ``every other day``);
* monthly on the first to fifth or last weekday(s) (``2nd and 4th Thursday of the month``).

Each schedule has exactly one time of day. Weeks start on Monday whatever the machine's
calendar settings. All datetimes are naive local ones; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Literal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rrulestr, weekday

from tracker.domain.dates import WEEKDAY_NAMES, WEEKDAY_WORDS, parse_time
from tracker.errors import InvalidField

__all__ = ["Schedule", "parse_schedule", "stored_schedule"]

_EXAMPLES = "Try 'Tuesdays 7pm', 'every other Saturday 10:00' or 'first Monday of the month 18:30'."
_WEEKDAYS_SET = frozenset(range(5))
_WEEKENDS_SET = frozenset({5, 6})
_ALL_DAYS = frozenset(range(7))
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MAX_INTERVAL = 52
_ALLOWED_PARTS = frozenset({"FREQ", "INTERVAL", "WKST", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"})


# --- the schedule -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """What a rule says, in the terms :meth:`Schedule.describe` speaks."""

    kind: Literal["daily", "weekly", "monthly"]
    interval: int
    days: frozenset[int]  # weekdays, Monday = 0 (empty for daily)
    ordinals: frozenset[int]  # monthly only: 1..5, or -1 for last
    at: dt.time


@dataclass(frozen=True)
class Schedule:
    """A recurrence rule (``rule``, the ``RRULE:`` line) counted from the date ``start``.

    ``rule`` is normalised to exactly what dateutil prints; constructing a Schedule with a rule
    Tracker can't describe raises :class:`ValueError` (use :meth:`from_text` for stored text).
    """

    rule: str
    start: dt.date
    _rrule: rrule = field(init=False, repr=False, compare=False)
    _shape: _Shape = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shape = _shape_of(self.rule)
        rule = self.rule.strip().upper()
        rule += "" if "BYSECOND=" in rule else ";BYSECOND=0"
        rule += "" if "WKST=" in rule else ";WKST=MO"  # whatever calendar.firstweekday() says
        # ``cache=True``: the meetings worked out once are kept in the rule, so the screens that
        # ask each group "what's next?" again and again don't walk its years of history anew.
        built = rrulestr(rule, dtstart=dt.datetime.combine(self.start, shape.at), cache=True)
        if not isinstance(built, rrule):  # pragma: no cover - one RRULE line is one rrule
            raise ValueError(f"not a single recurrence rule: {self.rule!r}")
        object.__setattr__(self, "rule", str(built).splitlines()[-1])
        object.__setattr__(self, "_rrule", built)
        object.__setattr__(self, "_shape", shape)

    def to_text(self) -> str:
        """The storage form: dateutil's own ``DTSTART:...`` and ``RRULE:...`` lines."""
        return str(self._rrule)

    @classmethod
    def from_text(cls, text: str, *, field: str = "schedule") -> Schedule:
        """Read the storage form back; anything else raises :class:`InvalidField`."""
        bad = InvalidField(
            field,
            f"{field}: this saved schedule couldn't be read. Please type it again, "
            "for example 'Tuesdays 7pm' or 'first Monday of the month 18:30'.",
        )
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        # Without a DTSTART line dateutil would count from the system clock; we never let it.
        if len(lines) != 2 or not lines[0].upper().startswith("DTSTART:"):
            raise bad
        try:
            parsed = rrulestr("\n".join(lines))
            if not isinstance(parsed, rrule):
                raise ValueError("not a single rule")
            dtstart = _dtstart(lines[0])
            return cls(rule=lines[1].upper(), start=dtstart.date())
        except (ValueError, KeyError, IndexError, TypeError, OverflowError):
            raise bad from None

    @property
    def time(self) -> dt.time:
        """The meeting's time of day."""
        return self._shape.at

    def describe(self) -> str:
        """The schedule in plain words, e.g. ``Every other Saturday at 10:00``."""
        return _describe(self._shape)

    def occurrences(self, after: dt.datetime, before: dt.datetime) -> list[dt.datetime]:
        """Meetings at or after ``after`` and strictly before ``before`` (naive datetimes)."""
        if after >= before:
            return []
        return [
            moment for moment in self._rrule.between(after, before, inc=True) if moment < before
        ]

    def next_after(self, after: dt.datetime) -> dt.datetime | None:
        """The first meeting strictly after ``after``."""
        return self._rrule.after(after, inc=False)

    def time_on(self, day: dt.date) -> dt.time | None:
        """The time of the meeting on ``day``, or ``None`` when there is none that day."""
        start = dt.datetime.combine(day, dt.time())
        hits = self.occurrences(start, start + dt.timedelta(days=1))
        return hits[0].time() if hits else None

    def previous_before(self, before: dt.datetime) -> dt.datetime | None:
        """The last meeting strictly before ``before``; ``None`` before the schedule's start."""
        return self._rrule.before(before, inc=False)


@functools.lru_cache(maxsize=1024)
def stored_schedule(text: str | None) -> Schedule | None:
    """A group's stored schedule, or ``None`` when it has none or it can't be read.

    The app only ever stores schedules it can read, but a file edited by hand might hold one it
    can't; such a group is shown as unscheduled rather than breaking the screens that list it.
    A Schedule never changes, so one read of each stored text is shared (reading a rule is
    slow, and the dashboard reads every group's on each refresh).
    """
    if not text:
        return None
    try:
        return Schedule.from_text(text)
    except InvalidField:
        return None


def _dtstart(line: str) -> dt.datetime:
    match = re.fullmatch(r"DTSTART:(\d{8}T\d{6})", line.strip().upper())
    if match is None:
        raise ValueError(f"unsupported DTSTART line: {line!r}")
    # fromisoformat reads this basic form too (3.11+); strptime's first use costs a quick
    # command a few milliseconds (it imports its module and compiles its patterns).
    return dt.datetime.fromisoformat(match[1])


def _shape_of(rule: str) -> _Shape:
    """Check that ``rule`` is one Tracker can describe, and say what it means."""
    text = rule.strip().upper()
    if not text.startswith("RRULE:"):
        raise ValueError(f"not an RRULE line: {rule!r}")
    parts: dict[str, str] = {}
    for pair in text[len("RRULE:") :].split(";"):
        name, sep, value = pair.partition("=")
        if not sep or name in parts or name not in _ALLOWED_PARTS:
            raise ValueError(f"unsupported rule part {pair!r} in {rule!r}")
        parts[name] = value

    def number(name: str, low: int, high: int, default: int | None = None) -> int:
        if name not in parts:
            if default is None:
                raise ValueError(f"{name} is missing from {rule!r}")
            return default
        if not re.fullmatch(r"\d{1,3}", parts[name]) or not low <= int(parts[name]) <= high:
            raise ValueError(f"{name} is out of range in {rule!r}")
        return int(parts[name])

    number("BYSECOND", 0, 0, 0)  # meetings start on the minute
    at = dt.time(number("BYHOUR", 0, 23), number("BYMINUTE", 0, 59))
    interval = number("INTERVAL", 1, _MAX_INTERVAL, 1)
    if parts.get("WKST", "MO") != "MO":
        raise ValueError(f"weeks must start on Monday in {rule!r}")

    days: set[int] = set()
    nth: set[tuple[int, int]] = set()
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        match = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", item)
        if match is None:
            raise ValueError(f"unsupported BYDAY {item!r} in {rule!r}")
        day = _RRULE_DAYS.index(match[2])
        if match[1] is None:
            days.add(day)
        else:
            n = int(match[1])
            if n not in (1, 2, 3, 4, 5, -1):
                raise ValueError(f"unsupported BYDAY {item!r} in {rule!r}")
            nth.add((day, n))

    freq = parts.get("FREQ")
    if freq == "DAILY" and not days and not nth:
        return _Shape("daily", interval, frozenset(), frozenset(), at)
    if freq == "WEEKLY" and days and not nth:
        return _Shape("weekly", interval, frozenset(days), frozenset(), at)
    if freq == "MONTHLY" and nth and not days and interval == 1:
        nth_days = frozenset(day for day, _ in nth)
        ordinals = frozenset(n for _, n in nth)
        if nth == {(day, n) for day in nth_days for n in ordinals}:
            return _Shape("monthly", 1, nth_days, ordinals, at)
    raise ValueError(f"unsupported schedule {rule!r}")


# --- describing -------------------------------------------------------------------------------


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _days_phrase(days: frozenset[int]) -> str:
    if days == _WEEKDAYS_SET:
        return "weekdays"
    if days == _WEEKENDS_SET:
        return "weekends"
    if days == _ALL_DAYS:
        return "every day"
    return _join([WEEKDAY_NAMES[day] + "s" for day in sorted(days)])


def _describe(shape: _Shape) -> str:
    at = f" at {shape.at.hour:02d}:{shape.at.minute:02d}"
    if shape.kind == "daily":
        if shape.interval == 1:
            return "Every day" + at
        if shape.interval == 2:
            return "Every other day" + at
        return f"Every {shape.interval} days" + at
    if shape.kind == "monthly":
        order = sorted(shape.ordinals, key=lambda n: 99 if n == -1 else n)
        ordinals = _join([_ORDINAL_WORDS[n - 1] if n > 0 else "last" for n in order])
        days = _join([WEEKDAY_NAMES[day] for day in sorted(shape.days)])
        return f"{ordinals.capitalize()} {days} of the month" + at
    phrase = _days_phrase(shape.days)
    if shape.interval == 1:
        return phrase[0].upper() + phrase[1:] + at
    every = "Every other" if shape.interval == 2 else f"Every {shape.interval} weeks on"
    if shape.interval == 2 and len(shape.days) == 1:
        return f"Every other {WEEKDAY_NAMES[min(shape.days)]}" + at
    if shape.interval == 2 and shape.days == _WEEKENDS_SET:
        return "Every other weekend" + at
    if shape.days == _ALL_DAYS:
        every = "every other week" if shape.interval == 2 else f"every {shape.interval} weeks"
        return f"Every day, {every}" + at
    if shape.interval == 2:
        every = "Every other week on"
    return f"{every} {phrase}" + at


# --- parsing ----------------------------------------------------------------------------------

_FILLER = frozenset(
    {"at", "@", "on", "the", "and", "of", "in", "each", "a", "week", "weeks", "weekly", "from"}
)
_EVERY_FEW_MONTHS = (
    "{field}: Tracker can't repeat every few months yet. Try 'first Monday of the month 18:30'."
)
_MONTH_WORDS = frozenset({"month", "months", "monthly"})
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_ORDINALS = {word: n for n, word in enumerate(_ORDINAL_WORDS, start=1)} | {"last": -1}
_INTERVAL_ORDINALS = {"other": 2, "second": 2, "alternate": 2, "third": 3, "fourth": 4}
_TIMEISH = re.compile(
    r"\d{1,2}([:.]\d{2})?(am|pm|a|p)|\d{1,2}[:.]\d{2}|\d{3,4}(am|pm|a|p)?|noon|midday|midnight"
)


@dataclass
class _Reading:
    days: set[int] = field(default_factory=set)
    named_days: bool = False  # days came from weekday names (needed for monthly)
    grouped_days: bool = False  # days came from "weekdays", "weekends", "daily"
    ordinals: set[int] = field(default_factory=set)
    interval: int | None = None
    interval_days: bool = False  # "every other day": the interval counts days
    monthly: bool = False


def _weekday_word(word: str) -> int | None:
    if word in WEEKDAY_WORDS:
        return WEEKDAY_WORDS[word]
    if word.endswith("s") and word[:-1] in WEEKDAY_WORDS and len(word) > 4:
        return WEEKDAY_WORDS[word[:-1]]  # "tuesdays", "thurs" is already a word
    return None


def _ordinal_number(word: str) -> int | None:
    if word in _ORDINALS:
        return _ORDINALS[word]
    match = re.fullmatch(r"(\d{1,3})(st|nd|rd|th)", word)
    return int(match[1]) if match else None


def _interval_number(word: str) -> int | None:
    if word in _INTERVAL_ORDINALS:
        return _INTERVAL_ORDINALS[word]
    if word in _NUMBERS:
        return _NUMBERS[word]
    if re.fullmatch(r"\d{1,3}", word):
        return int(word)
    number = _ordinal_number(word)
    return number if number is not None and number > 0 else None


def _tokens(text: str) -> list[str]:
    text = re.sub(r"(?i)(?<=[\d\s])([ap])\.m\.?", r"\1m", text)  # a.m. / p.m.
    text = re.sub(r"(?i)\bbi-weekly\b", "biweekly", text)
    text = re.sub(r"[,;&+]", " ", text)
    words = text.split()
    # "7 pm" / "7:30 pm" / "12 noon" are one time.
    joined: list[str] = []
    for word in words:
        low = word.lower()
        if (
            joined
            and re.fullmatch(r"\d{1,4}([:.]\d{2})?", joined[-1])
            and low in ("am", "pm", "a", "p", "noon")
        ):
            joined[-1] = "noon" if low == "noon" else joined[-1] + low
        else:
            joined.append(word)
    return joined


def parse_schedule(text: str, *, today: dt.date, field: str = "schedule") -> Schedule | None:
    """Read a schedule typed in plain words; empty text means no schedule (``None``).

    The schedule counts from the first meeting day on or after ``today``, so "every other
    Saturday" means the coming Saturday, then every second one after it.
    """
    if not text.strip():
        return None
    words = _tokens(text)
    times = [i for i, word in enumerate(words) if _TIMEISH.fullmatch(word.lower())]
    if len(times) > 1:
        raise InvalidField(
            field,
            f"{field}: please give just one time, for example 'Tuesdays 7pm'; "
            "a second meeting time can be its own group.",
        )
    reading = _read_words([word for i, word in enumerate(words) if i not in times], field=field)
    at = parse_time(words[times[0]], field=field) if times else None
    if at is None:
        raise InvalidField(field, f"{field}: add a time, for example 'Tuesdays 7pm'.")
    return _build(reading, at=at, today=today, field=field)


def _read_words(words: list[str], *, field: str) -> _Reading:
    lows = [word.lower() for word in words]
    reading = _Reading(monthly=any(low in _MONTH_WORDS for low in lows))
    i = 0
    while i < len(lows):
        low = lows[i]
        nxt = lows[i + 1] if i + 1 < len(lows) else ""
        if low in _FILLER or low in _MONTH_WORDS:
            i += 1
        elif low == "every":
            i += 1
            if nxt in ("day", "days", "night"):
                reading.days |= _ALL_DAYS
                reading.grouped_days = True
                i += 1
            elif reading.monthly and nxt in ("other", "alternate"):
                raise InvalidField(field, _EVERY_FEW_MONTHS.format(field=field))
            elif nxt == "fortnight":
                _set_interval(reading, 2, field=field)
                i += 1
            elif (count := _interval_number(nxt)) is not None and not (
                reading.monthly or nxt in ("first", "1st")
            ):
                _set_interval(reading, count, field=field)
                i += 1
                after = lows[i] if i < len(lows) else ""
                if after in ("day", "days"):
                    reading.interval_days = True
                    i += 1
        elif low in ("fortnightly", "biweekly", "alternate"):
            _set_interval(reading, 2, field=field)
            i += 1
        elif low in ("daily", "everyday", "day", "days"):
            reading.days |= _ALL_DAYS
            reading.grouped_days = True
            i += 1
        elif low in ("weekdays", "weekday"):
            reading.days |= _WEEKDAYS_SET
            reading.grouped_days = True
            i += 1
        elif low in ("weekends", "weekend"):
            reading.days |= _WEEKENDS_SET
            reading.grouped_days = True
            i += 1
        elif (day := _weekday_word(low)) is not None:
            reading.days.add(day)
            reading.named_days = True
            i += 1
        elif (n := _ordinal_number(low)) is not None:
            if n != -1 and not 1 <= n <= 5:
                raise InvalidField(
                    field,
                    f"{field}: a month has at most five of each weekday, so {words[i]!r} "
                    "won't work. Use first to fifth, or last, "
                    "for example 'first Monday of the month 18:30'.",
                )
            reading.ordinals.add(n)
            i += 1
        else:
            if re.fullmatch(r"\d{1,2}", low):
                parse_time(low, field=field)  # a bare "7": parse_time explains about am/pm
            raise InvalidField(field, f"{field}: couldn't read {words[i]!r}. {_EXAMPLES}")
    return reading


def _set_interval(reading: _Reading, count: int, *, field: str) -> None:
    if reading.interval is not None and reading.interval != count:
        raise InvalidField(field, f"{field}: please say how often just once. {_EXAMPLES}")
    if not 1 <= count <= _MAX_INTERVAL:
        raise InvalidField(
            field, f"{field}: Tracker can repeat every 1 to {_MAX_INTERVAL} weeks. {_EXAMPLES}"
        )
    reading.interval = count


def _build(reading: _Reading, *, at: dt.time, today: dt.date, field: str) -> Schedule:
    interval = reading.interval or 1
    freq: Literal[1, 2, 3]
    byweekday: list[weekday] | None
    if reading.interval_days:
        if reading.days or reading.ordinals or reading.monthly:
            raise InvalidField(
                field,
                f"{field}: 'every {interval} days' can't also name days. "
                "Try 'every other day 8pm' or 'Tuesdays 7pm'.",
            )
        freq, byweekday = DAILY, None
    elif reading.ordinals or reading.monthly:
        if reading.interval not in (None, 1):
            raise InvalidField(field, _EVERY_FEW_MONTHS.format(field=field))
        if reading.grouped_days or not reading.named_days:
            raise InvalidField(
                field,
                f"{field}: name the day for a monthly meeting, "
                "for example 'first Monday of the month 18:30'.",
            )
        if not reading.ordinals:
            raise InvalidField(
                field,
                f"{field}: say which one in the month, "
                "for example 'first Monday of the month 18:30' or 'last Friday monthly 7pm'.",
            )
        freq = MONTHLY
        byweekday = [
            weekday(day, n) for day in sorted(reading.days) for n in sorted(reading.ordinals)
        ]
    elif not reading.days:
        raise InvalidField(field, f"{field}: add a day, for example 'Tuesdays 7pm'.")
    elif reading.days == _ALL_DAYS and interval == 1:
        freq, byweekday = DAILY, None
    else:
        freq, byweekday = WEEKLY, [weekday(day) for day in sorted(reading.days)]

    def make(start: dt.date, every: int) -> rrule:
        return rrule(
            freq,
            dtstart=dt.datetime.combine(start, at),
            interval=every,
            wkst=0,
            byweekday=byweekday,
            byhour=at.hour,
            byminute=at.minute,
            bysecond=0,
        )

    # Count from the first meeting day on or after today (found with interval 1, so that
    # "every other Tuesday" typed on a Thursday starts next Tuesday, not the one after).
    first = make(today, 1).after(dt.datetime.combine(today, at), inc=True)
    start = first.date() if first is not None else today
    rule = str(make(start, interval)).splitlines()[-1]
    return Schedule(rule=rule, start=start)

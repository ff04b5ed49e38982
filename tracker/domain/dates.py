"""Reading and showing dates and times the way a person types and says them.

Everything here is a pure function. Nothing asks the system clock: whoever calls passes
``today`` in (see :mod:`tracker.clock`), so the same text always means the same day in tests.

Dates a person may type into :func:`parse_date` (any case, spaces around ignored):

* ``today`` / ``t``, ``yesterday`` / ``y`` (and ``tomorrow``, which is only accepted with
  ``allow_future=True``);
* ``2 days ago``, ``a week ago``, ``3 weeks ago``, ``a month ago``, ``1 year ago``;
* a weekday: ``tue`` / ``tues`` / ``tuesday`` is the most recent Tuesday on or before today
  (today itself if it is a Tuesday), ``last tue`` the most recent one strictly before today,
  ``next tue`` the first one strictly after today (future, so only with ``allow_future``);
* ISO ``2026-11-20``; a four-digit year first always means year-month-day, so ``2026/3/4`` is
  4 March 2026;
* ``20 Nov``, ``20th of November``, ``Nov 20``, ``20 Nov 2025``, ``Nov 20, 2025``, optionally
  after a weekday as :func:`format_day` writes it (``Mon 23 Nov``); the weekday must then
  match. Without a year the date is the most recent one on or before today (29 Feb: the most
  recent leap year's), whether or not ``allow_future`` is set;
* numbers such as ``20/11/2026``, ``11/20/2026``, ``3/4/2026`` or ``03.04.05`` (``/``, ``.`` or
  ``-`` between them). These are read by :mod:`dateutil.parser` as month-day-year,
  day-month-year and year-month-day; if the readings disagree we raise
  :class:`~tracker.errors.AmbiguousDate` rather than guess. (Year-day-month, which dateutil
  also offers, is left out: nobody writes dates that way.) Two-digit years fall within 50
  years either side of ``today``'s year, as dateutil does, but counted from ``today``.

Whatever the text, :func:`parse_date` raises only :class:`~tracker.errors.InvalidField` (or its
subclass :class:`~tracker.errors.AmbiguousDate`): a control character (a NUL byte, an escape
code) is refused outright, a huge number is "couldn't read" or "before 1900", never an
``OverflowError``, and a message quotes at most the first few dozen characters typed. Only the
relative forms (``yesterday``, ``last tue``, ``20 Nov`` without a year, two-digit years) depend on
``today``; a full date such as ``2025-11-20`` or ``20 November 2025`` is the same day whatever
``today`` is (``today`` then only decides whether it is in the future).

Times a person may type into :func:`parse_time`: ``19:00``, ``7:30``, ``19.30``, ``1930`` (four
digits are 24-hour ``HHMM``), ``7pm``, ``7 pm``, ``7:30 pm``, ``7.30pm``, ``7p``, ``7 p.m.``,
``730pm``, ``noon``, ``midday``, ``midnight``. A bare number such as ``7`` or ``19`` is refused
(``7`` could be morning or evening; ``19`` is asked to be written ``19:00``), and so is ``730``
without am/pm.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from dateutil.parser import ParserError, parserinfo
from dateutil.parser import parse as dateutil_parse
from dateutil.relativedelta import relativedelta

from tracker.errors import AmbiguousDate, InvalidField

__all__ = [
    "MONTH_ABBRS",
    "MONTH_NAMES",
    "MONTH_WORDS",
    "WEEKDAY_ABBRS",
    "WEEKDAY_NAMES",
    "WEEKDAY_WORDS",
    "days_ago_phrase",
    "format_day",
    "parse_date",
    "parse_time",
    "week_start",
]

EARLIEST = date(1900, 1, 1)

# Fixed English names, so output never depends on the machine's locale.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBRS = tuple(name[:3] for name in WEEKDAY_NAMES)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBRS = tuple(name[:3] for name in MONTH_NAMES)

#: Lower-case words for a single weekday (Monday is 0), shared with the schedule parser.
WEEKDAY_WORDS: dict[str, int] = {}
for _i, _name in enumerate(WEEKDAY_NAMES):
    WEEKDAY_WORDS[_name.lower()] = _i
    WEEKDAY_WORDS[_name[:3].lower()] = _i
WEEKDAY_WORDS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

#: Lower-case words for a month (January is 1): names, abbreviations and "sept".
MONTH_WORDS: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES, start=1):
    MONTH_WORDS[_name.lower()] = _i
    MONTH_WORDS[_name[:3].lower()] = _i
MONTH_WORDS["sept"] = 9
del _i, _name

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

_DATE_EXAMPLES = "Try 'today', 'yesterday', 'last tue', '20 Nov' or '2026-11-20'."
_TIME_EXAMPLES = "Try '7pm', '7:30 pm', '19:00' or 'noon'."

# Control characters other than the ordinary white space a pasted line may carry (tab, CR, LF).
# Python counts \x1c-\x1f as white space, so they must be caught before the text is split.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# No date a person types is longer than this ("Wednesday, 30th of September 2026" is 33).
_LONGEST_DATE = 60
# Messages quote at most this many characters of what was typed.
_QUOTED = 40

_MONTH_RE = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAY_WORDS, key=len, reverse=True))
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

_AGO = re.compile(
    r"(?P<n>\d{1,6}|" + "|".join(_NUMBER_WORDS) + r") (?P<unit>day|week|month|year)s? ago"
)
_RELATIVE_WEEKDAY = re.compile(rf"(?:(?P<which>last|next) )?(?P<wd>{_WEEKDAY_RE})")
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")
_NUMERIC = re.compile(r"\d{1,2}(?P<sep>[-/.])\d{1,2}(?P=sep)(?:\d{2}|\d{4})")
_DAY_MONTH = re.compile(
    rf"(?:(?P<wd>{_WEEKDAY_RE}) )?{_DAY_RE} (?:of )?(?P<month>{_MONTH_RE})(?: (?P<year>\d{{4}}))?"
)
_MONTH_DAY = re.compile(
    rf"(?:(?P<wd>{_WEEKDAY_RE}) )?(?P<month>{_MONTH_RE}) {_DAY_RE}(?: (?P<year>\d{{4}}))?"
)

_TIME_24 = re.compile(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})")
_TIME_HHMM = re.compile(r"(?P<h>\d{2})(?P<m>\d{2})")
_TIME_AMPM = re.compile(r"(?P<h>\d{1,2})(?:[:.]?(?P<m>\d{2}))? ?(?P<ampm>am|pm|a|p)")


# --- dates ------------------------------------------------------------------------------------


def parse_date(text: str, *, today: date, field: str = "date", allow_future: bool = False) -> date:
    """Read a date a person typed, relative to ``today``.

    Raises :class:`InvalidField` for text that isn't a date, a day that isn't on the calendar,
    a date before 1900, or (unless ``allow_future``) a date after ``today``; raises
    :class:`AmbiguousDate` for numeric dates that could mean more than one day.
    """
    if _CONTROL.search(text):
        raise InvalidField(
            field,
            f"{field}: contains a control character (such as a NUL byte or an escape code); "
            "please remove it.",
        )
    shown = " ".join(text.split())
    if not shown:
        raise InvalidField(field, f"{field}: please enter a date. {_DATE_EXAMPLES}")
    if len(shown) > _LONGEST_DATE:
        raise InvalidField(
            field,
            f"{field}: {_quote(shown)} is too long to be a date ({len(shown)} characters). "
            f"{_DATE_EXAMPLES}",
        )
    try:
        result = _read_date(shown, shown.lower(), today=today, field=field)
    except (OverflowError, ValueError):
        # A day beyond the calendar's ends (say 'tomorrow' when today is 31 Dec 9999).
        raise _unreadable(field, shown) from None
    if result < EARLIEST:
        raise InvalidField(
            field,
            f"{field}: {result.isoformat()} is before 1900. Please check the year.",
        )
    if result > today and not allow_future:
        raise InvalidField(
            field,
            f"{field}: {result.isoformat()} is in the future. "
            "Journal entries are for things that have happened.",
        )
    return result


def _quote(shown: str) -> str:
    """The text typed, quoted for a message: control characters escaped, cut if it is long."""
    if len(shown) > _QUOTED:
        return repr(shown[: _QUOTED - 1] + "…")
    return repr(shown)


def _unreadable(field: str, shown: str) -> InvalidField:
    return InvalidField(field, f"{field}: couldn't read {_quote(shown)}. {_DATE_EXAMPLES}")


def _not_on_calendar(field: str, shown: str) -> InvalidField:
    return InvalidField(
        field,
        f"{field}: {_quote(shown)} isn't a day on the calendar. Please check the day and month.",
    )


def _too_long_ago(field: str, shown: str) -> InvalidField:
    return InvalidField(field, f"{field}: {_quote(shown)} is before 1900. Please check the number.")


def _read_date(shown: str, low: str, *, today: date, field: str) -> date:
    if low in ("today", "t"):
        return today
    if low in ("yesterday", "y"):
        return today - timedelta(days=1)
    if low == "tomorrow":
        return today + timedelta(days=1)

    if re.fullmatch(r"\d+", low):
        raise InvalidField(
            field,
            f"{field}: {_quote(shown)} is just a number. "
            "Add a month, like '20 Nov', or type a full date like '2026-11-20'.",
        )

    if m := _AGO.fullmatch(low):
        return _ago(m, today=today, field=field, shown=shown)

    if m := _RELATIVE_WEEKDAY.fullmatch(low):
        wd = WEEKDAY_WORDS[m["wd"]]
        back = (today.weekday() - wd) % 7
        if m["which"] == "last":
            return today - timedelta(days=back or 7)
        if m["which"] == "next":
            return today + timedelta(days=(wd - today.weekday()) % 7 or 7)
        return today - timedelta(days=back)

    if m := _YEAR_FIRST.fullmatch(low):
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            raise _not_on_calendar(field, shown) from None

    if _NUMERIC.fullmatch(low):
        return _numeric(shown, low, today=today, field=field)

    # Words: commas and hyphens are spaces, a full stop after a word is dropped ("Nov.").
    words = " ".join(re.sub(r"(?<=[a-z])\.|[,/-]", " ", low).split())
    if m := _DAY_MONTH.fullmatch(words) or _MONTH_DAY.fullmatch(words):
        return _day_month(m, today=today, field=field, shown=shown)

    raise _unreadable(field, shown)


def _ago(m: re.Match[str], *, today: date, field: str, shown: str) -> date:
    n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
    unit = m["unit"]
    try:
        if unit == "day":
            return today - timedelta(days=n)
        if unit == "week":
            return today - timedelta(weeks=n)
        if unit == "month":
            return today - relativedelta(months=n)
        return today - relativedelta(years=n)
    except (OverflowError, ValueError):
        raise _too_long_ago(field, shown) from None


def _day_month(m: re.Match[str], *, today: date, field: str, shown: str) -> date:
    day, month = int(m["day"]), MONTH_WORDS[m["month"]]
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 was a leap year
        raise _not_on_calendar(field, shown)
    if m["year"] is not None:
        try:
            result = date(int(m["year"]), month, day)
        except ValueError:
            raise _not_on_calendar(field, shown) from None
    else:
        recent = _most_recent(month, day, today=today)
        if recent is None:
            raise _too_long_ago(field, shown)
        result = recent
    if m["wd"] is not None:
        named = WEEKDAY_WORDS[m["wd"]]
        if named != result.weekday():
            raise InvalidField(
                field,
                f"{field}: {_long_date(result)} is a {WEEKDAY_NAMES[result.weekday()]}, "
                f"not a {WEEKDAY_NAMES[named]}. Please check the day or the date.",
            )
    return result


def _most_recent(month: int, day: int, *, today: date) -> date | None:
    """The latest ``day month`` on or before ``today`` (29 Feb: in the latest leap year)."""
    year = today.year
    while year >= EARLIEST.year - 1:
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        year -= 1
    return None


class _YearFromToday(parserinfo):
    """dateutil's two-digit-year rule, but counted from the ``today`` we were given."""

    def __init__(self, *, dayfirst: bool, yearfirst: bool, today: date) -> None:
        super().__init__(dayfirst=dayfirst, yearfirst=yearfirst)
        self._year = today.year
        self._century = today.year // 100 * 100


# (dayfirst, yearfirst): month-day-year, day-month-year, year-month-day.
_READINGS = ((False, False), (True, False), (False, True))


def _numeric(shown: str, low: str, *, today: date, field: str) -> date:
    default = datetime(today.year, today.month, today.day)
    found: set[date] = set()
    for dayfirst, yearfirst in _READINGS:
        info = _YearFromToday(dayfirst=dayfirst, yearfirst=yearfirst, today=today)
        try:
            found.add(dateutil_parse(low, info, default=default).date())
        except (ParserError, ValueError, OverflowError):
            continue
    if not found:
        raise _not_on_calendar(field, shown)
    if len(found) > 1:
        raise AmbiguousDate(field, shown, [_long_date(d) for d in sorted(found)])
    return found.pop()


def _long_date(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def format_day(d: date, *, today: date) -> str:
    """``Today``, ``Yesterday``, ``Mon 23 Nov`` in ``today``'s year, else ``Mon 23 Nov 2025``."""
    if d == today:
        return "Today"
    if d == today - timedelta(days=1):
        return "Yesterday"
    text = f"{WEEKDAY_ABBRS[d.weekday()]} {d.day} {MONTH_ABBRS[d.month - 1]}"
    return text if d.year == today.year else f"{text} {d.year}"


def week_label(d: date, *, today: date) -> str:
    """The week ``d`` falls in, by its Monday: ``Mon 23 Nov``, with the year when it isn't
    ``today``'s (never "Today" or "Yesterday": a week is named by its first day)."""
    monday = week_start(d)
    text = f"{WEEKDAY_ABBRS[0]} {monday.day} {MONTH_ABBRS[monday.month - 1]}"
    return text if monday.year == today.year else f"{text} {monday.year}"


def day_in_sentence(d: date, *, today: date) -> str:
    """Like :func:`format_day`, for the middle of a sentence: "today", "yesterday", "Mon 23 Nov"."""
    text = format_day(d, today=today)
    return text.lower() if text in ("Today", "Yesterday") else text


def days_ago_phrase(days: int | None) -> str:
    """``never``, ``today``, ``yesterday``, ``5 days ago``; negative counts read ahead."""
    if days is None:
        return "never"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"


def week_start(d: date) -> date:
    """The Monday of ``d``'s ISO week."""
    return d - timedelta(days=d.weekday())


# --- times ------------------------------------------------------------------------------------


def parse_time(text: str, *, field: str = "time") -> time | None:
    """Read a time of day; empty text means no time (``None``). See the module notes."""
    shown = " ".join(text.split())
    if not shown:
        return None
    low = shown.lower().replace("a.m.", "am").replace("p.m.", "pm").replace("a.m", "am")
    low = low.replace("p.m", "pm").strip()
    if low in ("noon", "midday", "12 noon"):
        return time(12, 0)
    if low == "midnight":
        return time(0, 0)

    hour: int
    minute: int
    if m := _TIME_AMPM.fullmatch(low):
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _off_the_clock(field, shown)
        hour = hour % 12 + (12 if m["ampm"].startswith("p") else 0)
    elif m := _TIME_24.fullmatch(low) or _TIME_HHMM.fullmatch(low):
        hour, minute = int(m["h"]), int(m["m"])
        if hour > 23 or minute > 59:
            raise _off_the_clock(field, shown)
    elif re.fullmatch(r"\d{1,2}", low):
        if 1 <= int(low) <= 12:
            raise InvalidField(
                field,
                f"{field}: {shown!r} could be morning or evening. "
                f"Try '{int(low)}am' or '{int(low)}pm'.",
            )
        if int(low) > 23:
            raise _off_the_clock(field, shown)
        raise InvalidField(field, f"{field}: add minutes to {shown!r}, like '{int(low):02d}:00'.")
    else:
        raise InvalidField(field, f"{field}: couldn't read {_quote(shown)}. {_TIME_EXAMPLES}")
    return time(hour, minute)


def _off_the_clock(field: str, shown: str) -> InvalidField:
    return InvalidField(
        field,
        f"{field}: {shown!r} isn't a time on the clock. {_TIME_EXAMPLES}",
    )

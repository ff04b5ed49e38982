"""What the Meetings directory and ``tracker meetings list`` show, and in what order.

A :class:`Directory` prepares the imported meetings once (the words to search, the minutes of
the week each meets), so that each keystroke in the directory's search box is one pass over
plain Python values: 10,000 meetings are filtered and sorted in a few milliseconds.

Times are the meeting's own: a meeting listed "Tuesday 19:00" in ``America/New_York`` is a
Tuesday evening meeting wherever the person reads the list, and the next occurrence is counted
from "now" in the meeting's own time zone (or the person's, when the feed names none).
"""

from __future__ import annotations

import heapq
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Generic, TypeVar

from tracker.errors import InvalidField
from tracker.meetings.model import ATTENDANCE, FEED_DAY_NAMES, FeedMeeting
from tracker.meetings.zones import named_zone

M = TypeVar("M", bound=FeedMeeting)

MINUTES_A_DAY = 24 * 60
MINUTES_A_WEEK = 7 * MINUTES_A_DAY

# Parts of the day, as the meeting-list tools split them. They overlap on purpose: a meeting
# at 16:30 is both "midday" and "evening". (start, end) in minutes after midnight; night wraps.
TIMES_OF_DAY: dict[str, tuple[str, int, int]] = {
    "morning": ("Morning (4am to noon)", 4 * 60, 12 * 60),
    "midday": ("Midday (11am to 5pm)", 11 * 60, 17 * 60),
    "evening": ("Evening (4pm to 9pm)", 16 * 60, 21 * 60),
    "night": ("Night (8pm to 5am)", 20 * 60, 5 * 60),
}

# How a person can ask to attend. Hybrid meetings can be attended either way.
WAYS: dict[str, tuple[str, frozenset[str]]] = {
    "in-person": ("In person (or hybrid)", frozenset({"in_person", "hybrid"})),
    "online": ("Online (or hybrid)", frozenset({"online", "hybrid"})),
    "hybrid": ("Hybrid only", frozenset({"hybrid"})),
}

# Kinds of meeting people often look for, each a set of Meeting Guide type codes (any of them).
TYPE_CHOICES: dict[str, tuple[str, frozenset[str]]] = {
    "open": ("Open to anyone", frozenset({"O"})),
    "closed": ("Closed", frozenset({"C"})),
    "newcomer": ("Newcomer", frozenset({"BE"})),
    "women": ("Women", frozenset({"W"})),
    "men": ("Men", frozenset({"M"})),
    "secular": ("Secular", frozenset({"A"})),
    "lgbtq": (
        "LGBTQ+",
        frozenset({"LGBTQ", "LGBTQIAA+", "LGBTQIA", "G", "L", "T", "BI", "GL"}),
    ),
    "young": ("Young people", frozenset({"Y"})),
    "wheelchair": ("Wheelchair access", frozenset({"X"})),
    "spanish": ("Spanish", frozenset({"S"})),
    "sign": ("Sign language", frozenset({"ASL", "QSL", "RSL"})),
}

_DAY_WORDS: dict[str, int] = {}
for _number, _name in enumerate(FEED_DAY_NAMES):
    _low = _name.lower()
    for _word in {_low, _low[:3], _low[:2], f"{_low}s", _low[:4]}:
        _DAY_WORDS[_word] = _number
_DAY_WORDS.update({"tues": 2, "weds": 3, "thur": 4, "thurs": 4})


def fold(text: str) -> str:
    """Text for matching: no case, no accents, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def parse_day(text: str, *, field: str = "day") -> int:
    """A day of the week as the feeds number it (0 = Sunday): a name, an abbreviation, or 0-6."""
    word = text.strip().lower().rstrip(".")
    if word.isdigit() and int(word) in range(7):
        return int(word)
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    raise InvalidField(
        field, f"{field}: {text.strip()!r} isn't a day of the week. Try 'tuesday', 'tue' or 2."
    )


def time_of_day_key(text: str, *, field: str = "time") -> str:
    word = text.strip().lower()
    if word in TIMES_OF_DAY:
        return word
    if word == "afternoon":
        return "midday"
    choices = ", ".join(TIMES_OF_DAY)
    raise InvalidField(field, f"{field}: {text.strip()!r} isn't a part of the day. Try {choices}.")


def minutes_of(clock: str | None) -> int | None:
    """``"19:30"`` -> 1170."""
    if not clock:
        return None
    hours, _, minutes = clock.partition(":")
    return int(hours) * 60 + int(minutes)


def in_time_of_day(minute: int, key: str) -> bool:
    _label, start, end = TIMES_OF_DAY[key]
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def zone(name: str | None) -> tzinfo | None:
    """The time zone called ``name``, or None when there is no such zone on this machine."""
    return named_zone(name.strip()) if name else None


@dataclass(frozen=True)
class MeetingFilter:
    """What the person asked to see. Empty parts don't filter."""

    days: frozenset[int] = frozenset()  # 0 = Sunday; any of them
    times: frozenset[str] = frozenset()  # keys of TIMES_OF_DAY; any of them
    ways: frozenset[str] = frozenset()  # keys of WAYS; any of them
    types: frozenset[str] = frozenset()  # TYPE_CHOICES keys or type codes; all of them
    text: str = ""  # words that must all appear (name, place, notes, group, region, types)
    source: str | None = None  # one source's name
    include_inactive: bool = True  # temporarily closed, with no way to join online

    def describe(self, type_name: dict[str, str] | None = None) -> str:
        """In words: ``online or hybrid, Tuesday, evening, "step"``."""
        names = type_name or {}
        parts: list[str] = []
        if self.ways:
            parts.append(" or ".join(WAYS[w][0].lower() for w in sorted(self.ways)))
        if self.days:
            parts.append(" or ".join(FEED_DAY_NAMES[d] for d in sorted(self.days)))
        if self.times:
            parts.append(" or ".join(sorted(self.times)))
        for code in sorted(self.types):
            if code in TYPE_CHOICES:
                parts.append(TYPE_CHOICES[code][0].lower())
            else:
                parts.append(names.get(code, code))
        if self.source:
            parts.append(f"from {self.source}")
        if self.text.strip():
            parts.append(f'"{self.text.strip()}"')
        if not self.include_inactive:
            parts.append("active only")
        return ", ".join(parts)


@dataclass(frozen=True)
class Found(Generic[M]):
    """A meeting that matched, and when it next meets (None: no set time, or inactive)."""

    meeting: M
    next_time: datetime | None


@dataclass(frozen=True)
class Selection(Generic[M]):
    found: list[Found[M]]
    total: int  # how many matched (``found`` may hold only the first ``limit``)


@dataclass
class _Prepared(Generic[M]):
    meeting: M
    words: str  # folded text to search
    codes: frozenset[str]
    starts: tuple[int, ...]  # minutes of the week (Sunday 00:00 = 0) it starts
    local_days: frozenset[int]
    minute: int | None  # minutes after midnight
    tz: tzinfo | None
    gone: bool = False
    sort_name: str = ""  # the name, folded, for ties
    slug: str = ""
    source: str = ""


def _searchable(meeting: FeedMeeting, type_names: dict[str, str], source: str) -> str:
    parts = [
        meeting.name,
        meeting.location,
        meeting.address,
        meeting.region,
        meeting.group,
        meeting.notes,
        meeting.location_notes,
        meeting.group_notes,
        source,
        *meeting.types,
        *(type_names.get(code, "") for code in meeting.types),
    ]
    return fold("\t".join(part for part in parts if part))


class Directory(Generic[M]):
    """The imported meetings, ready to filter many times over."""

    def __init__(
        self,
        meetings: Iterable[M],
        *,
        type_names: dict[str, str] | None = None,
        local_zone: tzinfo | None = None,
    ) -> None:
        self.type_names = type_names or {}
        self.local_zone = local_zone
        self._items: list[_Prepared[M]] = []
        self._rank_key: tuple[datetime, frozenset[int]] | None = None
        self._rank_cache: list[tuple[int, int, str, str, int]] = []
        for meeting in meetings:
            minute = minutes_of(meeting.time)
            starts = (
                tuple(day * MINUTES_A_DAY + minute for day in meeting.days)
                if minute is not None
                else ()
            )
            source = str(getattr(meeting, "source", ""))
            self._items.append(
                _Prepared(
                    meeting=meeting,
                    words=_searchable(meeting, self.type_names, source),
                    codes=frozenset(meeting.types),
                    starts=starts,
                    local_days=frozenset(meeting.days),
                    minute=minute,
                    tz=zone(meeting.timezone) or local_zone,
                    gone=getattr(meeting, "gone_since", None) is not None,
                    sort_name=fold(meeting.name),
                    slug=meeting.slug,
                    source=source,
                )
            )

    def __len__(self) -> int:
        return len(self._items)

    @property
    def meetings(self) -> list[M]:
        return [item.meeting for item in self._items]

    def codes(self) -> list[str]:
        """Every type code in the directory, most used first."""
        counts: dict[str, int] = {}
        for item in self._items:
            for code in item.codes:
                counts[code] = counts.get(code, 0) + 1
        return sorted(counts, key=lambda code: (-counts[code], code))

    def select(
        self, wanted: MeetingFilter, *, now: datetime, limit: int | None = None
    ) -> Selection[M]:
        """The meetings ``wanted`` asks for, the soonest first.

        Meetings with a time come first, in the order they next meet (counted from ``now``, an
        aware datetime, in each meeting's own time zone); then ongoing online groups and
        temporarily inactive meetings; then those no longer listed. Ties go by name.
        """
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        words = fold(wanted.text).split()
        ways: frozenset[str] = frozenset().union(*(WAYS[w][1] for w in wanted.ways))
        type_sets = [
            TYPE_CHOICES[key][1] if key in TYPE_CHOICES else frozenset({key})
            for key in wanted.types
        ]
        ranks = self._ranks(now, wanted.days)
        # Only prepared numbers and text are compared here; datetimes are made for the meetings
        # shown, so a keystroke costs one light pass however many meetings match.
        ranked: list[tuple[int, int, str, str, int]] = []
        source = wanted.source
        days, times, inactive = wanted.days, wanted.times, wanted.include_inactive
        single = words[0] if len(words) == 1 else None
        for index, item in enumerate(self._items):
            if single is not None:
                if single not in item.words:
                    continue
            elif words and not all(word in item.words for word in words):
                continue
            attendance = item.meeting.attendance
            if ways and attendance not in ways:
                continue
            if not inactive and attendance == "inactive":
                continue
            if days and not (item.local_days & days):
                continue
            if times and (
                item.minute is None or not any(in_time_of_day(item.minute, key) for key in times)
            ):
                continue
            if type_sets and not all(item.codes & codes for codes in type_sets):
                continue
            if source and item.source != source:
                continue
            ranked.append(ranks[index])
        chosen = sorted(ranked) if limit is None else heapq.nsmallest(limit, ranked)
        found: list[Found[M]] = []
        for band, away, _name, _slug, index in chosen:
            item = self._items[index]
            next_time = None
            if band != 1 and away < MINUTES_A_WEEK:
                next_time = self._here(now, item.tz) + timedelta(minutes=away)
            found.append(Found(item.meeting, next_time))
        return Selection(found=found, total=len(ranked))

    @staticmethod
    def _here(now: datetime, tz: tzinfo | None) -> datetime:
        """Now on the meeting's clock, to the minute."""
        here = now.astimezone(tz) if tz is not None else now
        return here.replace(second=0, microsecond=0)

    def _ranks(self, now: datetime, days: frozenset[int]) -> list[tuple[int, int, str, str, int]]:
        """Each meeting's sort key: (band, minutes until it meets, name, slug, index).

        Worked out once per minute (and per choice of days), not per keystroke."""
        key = (now.replace(second=0, microsecond=0), days)
        if self._rank_key == key:
            return self._rank_cache
        current: dict[tzinfo | None, int] = {}
        ranks: list[tuple[int, int, str, str, int]] = []
        week = MINUTES_A_WEEK
        for index, item in enumerate(self._items):
            starts = item.starts if item.meeting.attendance != "inactive" else ()
            if not starts:
                ranks.append((2 if item.gone else 1, week, item.sort_name, item.slug, index))
                continue
            minute = current.get(item.tz)
            if minute is None:
                here = self._here(now, item.tz)
                weekday = (here.weekday() + 1) % 7  # 0 = Sunday
                minute = weekday * MINUTES_A_DAY + here.hour * 60 + here.minute
                current[item.tz] = minute
            if days:
                # The next meeting on one of the days chosen (meetings on none of them are
                # filtered out anyway).
                away = min(
                    ((start - minute) % week for start in starts if start // 1440 in days),
                    default=week,
                )
            elif len(starts) == 1:
                away = (starts[0] - minute) % week
            else:
                away = min([(start - minute) % week for start in starts])
            ranks.append((2 if item.gone else 0, away, item.sort_name, item.slug, index))
        self._rank_key, self._rank_cache = key, ranks
        return ranks


def when_text(meeting: FeedMeeting) -> str:
    """``Tuesdays and Thursdays, 19:00 to 20:00`` / ``Ongoing, online``."""
    if not meeting.days or meeting.time is None:
        return "Any time (an ongoing online group)" if meeting.attendance != "inactive" else ""
    names = [f"{FEED_DAY_NAMES[d]}s" for d in meeting.days]
    if len(meeting.days) == 7:
        days = "Every day"
    elif len(names) == 1:
        days = names[0]
    else:
        days = ", ".join(names[:-1]) + f" and {names[-1]}"
    clock = meeting.time + (f" to {meeting.end_time}" if meeting.end_time else "")
    return f"{days}, {clock}"


def next_text(found: Found[Any], *, now: datetime) -> str:
    """When it next meets on the person's own clock (``now``'s time zone): ``Today 19:00``,
    ``Tomorrow 07:30``, ``Tue 19:00`` (within the week), or why there is no time."""
    meeting = found.meeting
    if found.next_time is None:
        if meeting.attendance == "inactive":
            return "Closed for now"
        return "Any time"
    when = found.next_time.astimezone(now.tzinfo)
    days = (when.date() - now.date()).days
    clock = when.strftime("%H:%M")
    if days == 0:
        return f"Today {clock}"
    if days == 1:
        return f"Tomorrow {clock}"
    return f"{when.strftime('%a')} {clock}"


def attendance_label(code: str) -> str:
    return ATTENDANCE.get(code, code)


def type_labels(codes: Sequence[str], names: dict[str, str]) -> list[str]:
    """The names of ``codes``, in the feed's order; an unknown code is shown as it is."""
    return [names.get(code, code) for code in codes]

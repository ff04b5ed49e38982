"""A meeting from a directory made into one of the person's groups ("Add to my groups").

The group gets the meeting's schedule as a weekly RRULE, so it shows in the dashboard's upcoming
meetings and counts in the schedule-aware consistency from then on. Group schedules are kept in
the person's own local time; a meeting listed in another time zone (an online meeting far away)
is converted, as of ``today``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from tracker.domain.dates import WEEKDAY_NAMES
from tracker.domain.models import LOCATION_MAX, NAME_MAX, GroupFields
from tracker.domain.schedules import parse_schedule
from tracker.meetings.filters import type_labels, when_text, zone
from tracker.meetings.model import FEED_DAY_NAMES, FeedMeeting

FORMAT_OF = {"in_person": "in-person", "online": "online", "hybrid": "hybrid"}
# Groups for families and friends, known by their name or their list's name. (The type codes
# AL-AN and AL mean an Al-Anon or Alateen meeting is held alongside, not that this one is.)
_FAMILY_WORDS = ("al-anon", "alateen", "nar-anon", "naranon", "families anonymous", " afg ")
WEEKS_LOOKED_AT = 52
_NOTES_MAX = 4000


def local_days_and_time(
    meeting: FeedMeeting, *, today: date, local_zone: tzinfo | None
) -> tuple[list[int], time] | None:
    """The meeting's days (Monday = 0) and time in the person's time zone, or None when the
    meeting has no set day and time. Without both zones, the times are taken as they are.

    Where the two zones change their clocks on different dates (New York and London do, for a
    few weeks a year), the local day and time are the ones that hold for most of the coming
    year, whatever week it is today.
    """
    if not meeting.days or meeting.time is None:
        return None
    hours, minutes = (int(part) for part in meeting.time.split(":"))
    at = time(hours, minutes)
    source_zone = zone(meeting.timezone)
    if source_zone is None or local_zone is None:
        return sorted((day + 6) % 7 for day in meeting.days), at
    days: set[int] = set()
    times: Counter[time] = Counter()
    for day in meeting.days:
        # The next date with this weekday (feeds count Sunday as 0, Python Monday as 0), then
        # every week for a year.
        ahead = ((day + 6) % 7 - today.weekday()) % 7
        first = today + timedelta(days=ahead)
        seen: Counter[tuple[int, time]] = Counter()
        for week in range(WEEKS_LOOKED_AT):
            there = datetime.combine(first + timedelta(weeks=week), at, tzinfo=source_zone)
            here = there.astimezone(local_zone)
            seen[here.weekday(), here.time().replace(tzinfo=None)] += 1
        (weekday, local_time), _count = seen.most_common(1)[0]
        days.add(weekday)
        times[local_time] += 1
    return sorted(days), times.most_common(1)[0][0]


def converted(meeting: FeedMeeting, *, local_zone: tzinfo | None) -> bool:
    """Whether the meeting's times are in another time zone than the person's."""
    source_zone = zone(meeting.timezone)
    if source_zone is None or local_zone is None or not meeting.days or meeting.time is None:
        return False
    return getattr(source_zone, "key", source_zone) != getattr(local_zone, "key", local_zone)


def schedule_text(days: Iterable[int], at: time) -> str:
    """``Tuesday, Thursday 19:30`` (days Monday = 0), as the schedule parser reads it."""
    return ", ".join(WEEKDAY_NAMES[day] for day in sorted(set(days))) + f" {at:%H:%M}"


def unique_name(meeting: FeedMeeting, taken: Iterable[str], *, source: str = "") -> str:
    """The meeting's name, or a variant the person doesn't already have as a group."""
    used = {name.casefold() for name in taken}
    base = meeting.name.strip()[:NAME_MAX]
    first = meeting.days[0] if meeting.days else None
    hints = []
    if first is not None and meeting.time:
        hints.append(f"{FEED_DAY_NAMES[first][:3]} {meeting.time}")
    if source:
        hints.append(source)
    candidates = [base] + [f"{base} ({hint})" for hint in hints]
    candidates += [f"{base} ({n})" for n in range(2, 100)]
    for candidate in candidates:
        short = candidate if len(candidate) <= NAME_MAX else base[: NAME_MAX - 8] + candidate[-8:]
        if short.casefold() not in used:
            return short
    return base  # pragma: no cover - a hundred groups of one name; the store will say so


def group_fields_for(
    meeting: FeedMeeting,
    *,
    today: date,
    local_zone: tzinfo | None,
    taken_names: Iterable[str] = (),
    source: str = "",
    type_names: dict[str, str] | None = None,
) -> GroupFields:
    """The group "Add to my groups" makes from ``meeting``."""
    schedule = None
    timing = local_days_and_time(meeting, today=today, local_zone=local_zone)
    if timing is not None:
        found = parse_schedule(schedule_text(*timing), today=today)
        schedule = found.to_text() if found is not None else None
    fmt = FORMAT_OF.get(meeting.attendance) or ("online" if meeting.conference_url else "in-person")
    words = f" {meeting.name} {source} ".casefold().replace("(", " ").replace(")", " ")
    family = any(word in words for word in _FAMILY_WORDS)
    tags = ["12-step"]
    if "A" in meeting.types:
        tags.append("secular")
    if family:
        tags.append("family")
    if fmt == "online":
        where = meeting.conference_url or "Online"
    else:
        where = ", ".join(part for part in (meeting.location, meeting.address) if part)
    return GroupFields(
        name=unique_name(meeting, taken_names, source=source),
        pillar="family" if family else "peer",
        tags=tuple(tags),
        format=fmt,
        location=where[:LOCATION_MAX],
        schedule=schedule,
        status="trying",
        notes=_notes(meeting, source=source, type_names=type_names or {}),
    )


def _notes(meeting: FeedMeeting, *, source: str, type_names: dict[str, str]) -> str:
    lines = [f"From the meeting list {source}." if source else "From a meeting list."]
    when = when_text(meeting)
    if when:
        zone_name = f" ({meeting.timezone})" if meeting.timezone else ""
        lines.append(f"Listed as: {when}{zone_name}.")
    if meeting.types:
        lines.append("Type: " + ", ".join(type_labels(meeting.types, type_names)) + ".")
    if meeting.conference_url:
        lines.append(f"Online: {meeting.conference_url}")
        if meeting.conference_url_notes:
            lines.append(meeting.conference_url_notes)
    if meeting.conference_phone:
        lines.append(f"By phone: {meeting.conference_phone}")
        if meeting.conference_phone_notes:
            lines.append(meeting.conference_phone_notes)
    if meeting.location_notes:
        lines.append(meeting.location_notes)
    if meeting.website:
        lines.append(f"More: {meeting.website}")
    text = "\n".join(lines)
    return text[:_NOTES_MAX]

"""The person's groups as an iCalendar (RFC 5545) file, for phone and desktop calendars.

:func:`groups_calendar` makes one recurring event (VEVENT) per group that has a schedule and
that the person still goes to (or is trying): groups marked "paused" or "not for me" are left
out, so a calendar never keeps reminding someone of a meeting they have stepped back from.

Each event carries:

* ``UID`` = ``<group uuid>@tracker``: the same on every export, so importing a new export
  updates the events instead of adding copies;
* ``SUMMARY`` = the group's name, ``LOCATION`` = where it meets (when known);
* ``DTSTART`` = the schedule's first meeting, at its time, and ``DTEND`` an hour later (groups
  carry no end time); ``RRULE`` = the schedule's own rule;
* ``DESCRIPTION`` = the format and the schedule in words, e.g. ``In person · Tuesdays at 19:00``;
* ``CLASS:PRIVATE``, which asks shared calendars to show the time as busy and hide the rest;
* ``LAST-MODIFIED`` and ``SEQUENCE`` from when the group was last changed, so calendars that
  keep an imported event can tell that a re-export is newer.

The group's notes never go in: they are private journal text, and a calendar file is made to be
copied to other devices and services. Nor does anything else the journal holds.

Times are either in a named IANA time zone (``DTSTART;TZID=Europe/London:...`` with the
matching VTIMEZONE in the file) or, with no zone, "floating" local times, which calendars read
as "this time wherever you are". Nothing here reads the clock: ``stamp`` is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from tracker.domain import vocab
from tracker.domain.models import Group
from tracker.domain.schedules import Schedule, stored_schedule
from tracker.errors import InvalidField
from tracker.meetings.zones import local_timezone_name, named_zone

__all__ = [
    "LEFT_OUT_STATUSES",
    "MEETING_LENGTH",
    "PRODUCT_ID",
    "UID_DOMAIN",
    "CalendarEntry",
    "calendar_entries",
    "groups_calendar",
    "local_timezone_name",
    "timezone_named",
]

PRODUCT_ID = "-//Tracker//Meeting schedules//EN"
UID_DOMAIN = "tracker"
MEETING_LENGTH = timedelta(minutes=60)  # groups keep no end time; an hour is a usual meeting
LEFT_OUT_STATUSES = frozenset({"paused", "not-for-me"})
CALENDAR_NAME = "My meetings"
# The VTIMEZONE covers this many years after the export; export again to extend it.
_ZONE_YEARS_AHEAD = 25
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)

# Text in an iCalendar file may hold tabs and (escaped) line breaks, but no other control
# characters; a name from the journal never has any, but this module doesn't rely on that.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")


@dataclass(frozen=True)
class CalendarEntry:
    """A group that goes in the calendar, with its schedule and first meeting (naive local)."""

    group: Group
    schedule: Schedule
    first: datetime


def calendar_entries(groups: Iterable[Group]) -> list[CalendarEntry]:
    """The groups :func:`groups_calendar` makes events for, in the order given.

    A group is in when it has a schedule Tracker can read and its status is neither "paused"
    nor "not for me".
    """
    entries = []
    for group in groups:
        if group.status in LEFT_OUT_STATUSES:
            continue
        schedule = stored_schedule(group.schedule)
        if schedule is None:
            continue
        first = _first_meeting(schedule)
        if first is not None:
            entries.append(CalendarEntry(group, schedule, first))
    return entries


def groups_calendar(
    groups: Iterable[Group],
    *,
    timezone: str | None,
    stamp: datetime,
    product: str = PRODUCT_ID,
) -> bytes:
    """The iCalendar file (UTF-8 bytes, CRLF lines) for ``groups``; see the module notes.

    ``timezone`` is an IANA name (the times are in that zone, and the file includes its
    VTIMEZONE) or ``None`` for floating local times; an unknown name raises
    :class:`InvalidField` for the field ``timezone``. ``stamp`` (timezone-aware) is when the
    file is made: every event's DTSTAMP. With no group to show, the calendar has no events;
    callers should say so rather than write it (RFC 5545 wants at least one component).
    """
    zone = timezone_named(timezone) if timezone is not None else None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("stamp must be a timezone-aware datetime")
    stamped = stamp.astimezone(UTC)

    calendar = Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    entries = calendar_entries(groups)
    for entry in entries:
        calendar.add_component(_event(entry, zone=zone, stamp=stamped))
    if zone is not None and entries:
        earliest = min(entry.first.date() for entry in entries)
        calendar.add_missing_timezones(
            first_date=date(earliest.year, 1, 1),
            last_date=date(max(stamped.year, earliest.year) + _ZONE_YEARS_AHEAD, 1, 1),
        )
    return calendar.to_ical()


def timezone_named(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``; anything else raises :class:`InvalidField`."""
    text = name.strip()
    zone = named_zone(text)
    if zone is None:
        shown = _CONTROL.sub("", text)[:60]
        raise InvalidField(
            "timezone",
            f"timezone: {shown!r} isn't a time zone name Tracker knows. Use a name such as "
            "Europe/London, America/New_York or Australia/Sydney.",
        )
    return zone


# --- helpers ----------------------------------------------------------------------------------


def _first_meeting(schedule: Schedule) -> datetime | None:
    """The schedule's first meeting on or after its start date.

    RFC 5545 counts DTSTART as the first event whether or not the rule would give it, so
    DTSTART must be a real meeting: a schedule may start on a day it doesn't meet.
    """
    midnight = datetime.combine(schedule.start, time())
    return schedule.next_after(midnight - timedelta(seconds=1))


def _rule(schedule: Schedule, at: time) -> vRecur:
    """The schedule's RRULE as a :class:`vRecur`, minus the parts that only repeat DTSTART's
    time of day (some calendars refuse a weekly rule with BYHOUR)."""
    rule = vRecur.from_ical(schedule.rule.removeprefix("RRULE:"))
    own = {"BYHOUR": at.hour, "BYMINUTE": at.minute, "BYSECOND": at.second}
    if all(list(rule.get(part, [own[part]])) == [own[part]] for part in _TIME_PARTS):
        for part in _TIME_PARTS:
            rule.pop(part, None)
    if "BYDAY" in rule:  # "+2TH" and "2TH" mean the same; the shorter form is the usual one
        rule["BYDAY"] = [str(day).removeprefix("+") for day in rule["BYDAY"]]
    return rule


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n"))


def _event(entry: CalendarEntry, *, zone: ZoneInfo | None, stamp: datetime) -> Event:
    group, schedule = entry.group, entry.schedule
    start = entry.first.replace(tzinfo=zone)
    event = Event()
    event.add("uid", f"{group.uuid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", _text(group.name))
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("rrule", _rule(schedule, entry.first.time()))
    if group.location.strip():
        event.add("location", _text(group.location.strip()))
    how = vocab.FORMATS.get(group.format, "")
    event.add("description", " · ".join(part for part in (how, schedule.describe()) if part))
    event.add("class", "PRIVATE")
    changed = _changed_at(group.updated_at)
    if changed is not None:
        event.add("last-modified", changed)
        event.add("sequence", max(0, int((changed - _SEQUENCE_EPOCH).total_seconds())))
    return event


def _changed_at(timestamp: str) -> datetime | None:
    """``updated_at`` ("2026-11-26T12:00:00Z", UTC) as a datetime; ``None`` if unreadable."""
    try:
        moment = datetime.fromisoformat(timestamp.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)

"""A meeting from a public meeting list, as Tracker keeps it, whatever feed it came from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

# How a meeting can be attended, named as the 12 Step Meeting List tools name it.
ATTENDANCE: dict[str, str] = {
    "in_person": "In person",
    "online": "Online",
    "hybrid": "Hybrid",
    "inactive": "Temporarily inactive",
}
FeedFormat = Literal["meeting-guide", "bmlt"]
FEED_FORMATS: dict[str, str] = {"meeting-guide": "Meeting Guide", "bmlt": "BMLT"}
# Days as the Meeting Guide specification numbers them: 0 = Sunday ... 6 = Saturday.
FEED_DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True, kw_only=True)
class FeedMeeting:
    """One meeting, normalised. Text is stored as the feed gave it (trimmed, control characters
    removed, newlines kept in notes); screens show it literally."""

    slug: str
    name: str
    days: tuple[int, ...]  # sorted, unique, 0 = Sunday ... 6 = Saturday; () = ongoing online
    time: str | None  # "HH:MM", 24-hour, in ``timezone`` (or the person's local time if None)
    end_time: str | None = None
    timezone: str | None = None  # an IANA name that zoneinfo knows
    types: tuple[str, ...] = ()  # codes as given (unknown ones kept), unique, in feed order
    attendance: str = "in_person"  # a key of ATTENDANCE
    address: str = ""  # the formatted address, "" when there is none
    approximate: bool = False  # the address is only an area (city, district), not a venue
    location: str = ""  # the venue's name
    location_notes: str = ""
    region: str = ""  # regions joined with " › "
    group: str = ""
    group_notes: str = ""
    notes: str = ""
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    website: str = ""
    updated: str | None = None  # ISO "YYYY-MM-DDTHH:MM:SS" when the feed said when


@dataclass(frozen=True)
class Skipped:
    """A record that couldn't be used: its position in the feed (1-based), slug and why."""

    position: int
    slug: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ParsedFeed:
    """What one feed file holds."""

    format: FeedFormat
    records: int  # how many records the file has
    meetings: tuple[FeedMeeting, ...]
    skipped: tuple[Skipped, ...] = ()
    # What was tidied, as "a sentence describing it" -> how many records needed it.
    normalised: Counter[str] = field(default_factory=Counter)
    # Records that don't meet the strict JSON Schema, by the field that breaks it first.
    off_spec: Counter[str] = field(default_factory=Counter)

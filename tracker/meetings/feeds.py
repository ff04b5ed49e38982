"""Reading a meeting feed file: strict about the file, liberal about its records.

Two formats are read, and told apart by the records' keys (:func:`detect_format`):

- **Meeting Guide JSON**, the format behind the Meeting Guide app and the 12 Step Meeting List
  tools (its JSON Schema and type codes are in ``spec/``);
- **BMLT GetSearchResults JSON**, used by Narcotics Anonymous service bodies: a list of meetings,
  or ``{"meetings": [...], "formats": [...]}`` when the server was asked for its formats too.

The file itself must be a feed: UTF-8 JSON holding a non-empty list of meeting objects. Anything
else raises :class:`FeedError` with one plain sentence, and nothing is imported.

Records are read as liberally as their meaning allows: times such as ``7:30 PM``, slugs and
postal codes written as numbers, other date formats, single days written as lists, type codes in
one string... Each tidy-up is counted (per kind, once per kept meeting) in
``ParsedFeed.normalised``. A record is skipped only when it can't be used: no name, no day and
time that can be understood (unless it is an ongoing online group, given no day or time at all),
or the same slug as an earlier meeting. Meeting Guide records are also checked against the strict
schema, and the field each failing record breaks first is counted in ``ParsedFeed.off_spec``.

Choices worth knowing:

- "Given" means present with a value other than null, "" or []: a key that is there but empty is
  treated like a missing one (so an online group with ``"day": ""`` and ``"time": null`` is an
  ongoing one).
- An empty conference field is counted ("empty conference field") when ``conference_url``,
  ``conference_phone`` or one of their notes is present as null or blank text.
- Day 7 is read as Sunday: days 1–6 mean the same in the specification's numbering and in the
  ISO one (Monday = 1), and in the ISO one 7 is Sunday.
- An end time of ``24:00`` is read as midnight (``00:00``).
- An ``updated`` date that could be read two ways (``05/06/2022``) is left out, not guessed.
- Text loses its control characters (newlines are kept in notes, and become spaces elsewhere),
  the characters that reorder text on screen, and any lone surrogate. Markup such as
  ``[bold]`` is kept as it is: whatever shows feed text shows it literally.
- Tidy-ups are counted only for the meetings that are kept.
- BMLT: a meeting without a street address is approximate; ``venue_type`` says how it can be
  attended (a TC format closes the in-person part), and without one it is derived as for Meeting
  Guide. Format keys are mapped to Meeting Guide codes only where they mean the same: by the
  server's format names when the file has them (``get_used_formats``), else by the common NA keys.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
import warnings
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tracker.errors import TrackerError
from tracker.meetings.model import FEED_DAY_NAMES, FeedFormat, FeedMeeting, ParsedFeed, Skipped
from tracker.meetings.zones import named_zone

MAX_RECORDS = 50_000
NAME_LIMIT = 200
TEXT_LIMIT = 4000
CODE_LIMIT = 100

BMLT_KEYS = frozenset({"weekday_tinyint", "meeting_name", "id_bigint"})

# Conference services the 12 Step Meeting List tools recognise; a link to one of them (or to a
# subdomain, such as us02web.zoom.us) makes a meeting online.
CONFERENCE_SERVICES = frozenset(
    {
        "zoom.us",
        "zoomgov.com",
        "meet.google.com",
        "teams.microsoft.com",
        "teams.live.com",
        "webex.com",
        "gotomeeting.com",
        "gotomeet.me",
        "meet.goto.com",
        "skype.com",
        "discord.gg",
        "discord.com",
        "freeconferencecall.com",
        "meet.jit.si",
        "whereby.com",
        "signal.group",
        "chat.whatsapp.com",
        "bluejeans.com",
        "ringcentral.com",
        "zoho.com",
        "facetime.apple.com",
        "t.me",
        "telegram.me",
        "gather.town",
    }
)

# BMLT format keys that mean the same as a Meeting Guide type code. Only the unambiguous ones:
# other keys are kept as they are (in NA lists "SP" or "SL" don't mean what they do in AA's).
BMLT_FORMAT_CODES: dict[str, str] = {
    "O": "O",
    "C": "C",
    "W": "W",
    "M": "M",
    "Y": "Y",
    "YP": "Y",
    "GL": "LGBTQ",
    "LGBTQ": "LGBTQ",
    "WC": "X",
    "W/C": "X",
    "B": "BE",
    "BEG": "BE",
    "ES": "S",
}
# Format names (a BMLT server's name_string) that mean a Meeting Guide type but aren't its name
# in types.json. Names are compared in lower case.
BMLT_FORMAT_NAMES: dict[str, str] = {
    "beginners": "BE",
    "beginner": "BE",
    "newcomers": "BE",
    "wheelchair accessible": "X",
    "wheelchair access": "X",
    "gay/lesbian": "LGBTQ",
    "lgbtq+": "LGBTQ",
    "lgbtqia+": "LGBTQ",
    "youth": "Y",
    "español": "S",
    "spanish speaking": "S",
    "temporarily closed": "TC",
    "temporarily closed facility": "TC",
}

# What each tidy-up is called in ParsedFeed.normalised.
NAME_NUMBER = "name written as a number"
SLUG_NUMBER = "slug written as a number"
SLUG_MADE = "slug made from the name"
DAY_TEXT = "day written as text"
DAY_NAME = "day written as a name"
DAYS_STRING = "days written as one string"
DAY_LIST = "single day written as a list"
DAY_SEVEN = "day 7 read as Sunday"
DAY_DROPPED = "a day that can't be understood left out"
TIME_12H = "time written on the 12-hour clock, like 7:30 PM"
TIME_SECONDS = "time written with seconds"
TIME_OTHER = "time written another way, like 19.00 or noon"
TIME_24 = "end time 24:00 read as midnight"
END_DROPPED = "end time that can't be understood left out"
ZONE_UNKNOWN = "unknown time zone; left as local time"
TYPES_STRING = "type codes written as one string"
TYPE_NUMBER = "type code written as a number"
TYPE_DUPLICATE = "a duplicate type code removed"
TYPE_EMPTY = "an empty type code removed"
TYPE_WRONG = "a type code that isn't text left out"
POSTAL_NUMBER = "postal code written as a number"
APPROXIMATE_BOOL = "approximate written as true or false"
CONFERENCE_EMPTY = "empty conference field"
URL_NO_SCHEME = "conference link written without https://"
URL_UNUSABLE = "conference link that isn't a web address; left out"
URL_UNKNOWN = "conference link to a service the meeting-list tools don't recognise"
PHONE_NUMBER = "conference phone written as a number"
PHONE_SHORT = "conference phone too short to dial; left out"
WEBSITE_UNUSABLE = "website that isn't a web address; left out"
UPDATED_OTHER = "updated date in another format"
UPDATED_BAD = "updated date that can't be understood; left out"
UPDATED_AMBIGUOUS = "updated date that could be read two ways; left out"
TEXT_NUMBER = "text written as a number"
WRONG_KIND = "a field of the wrong kind left out"
CONTROL_REMOVED = "control characters removed from text"
WINDOWS_CHARACTERS = "characters from an old Windows code page put right, like ’"
TEXT_SHORTENED = "a very long text shortened"
DURATION_BAD = "duration that can't be understood; no end time"

NO_NAME = "no name"
NO_WHEN = "no day and time that can be understood"

_Notes = set[str]


class FeedError(TrackerError):
    """The file isn't a meeting feed Tracker can read. The message is one plain sentence."""


# --- the file ---------------------------------------------------------------------------------


def parse_feed(data: bytes | str, *, default_timezone: str | None = None) -> ParsedFeed:
    """Read a Meeting Guide or BMLT feed. Raises :class:`FeedError` when the file isn't one."""
    text = _decode(data)
    value = _load_json(text)
    items, formats = _meeting_list(value)
    if not items:
        raise FeedError("The feed has no meetings in it; nothing was changed.")
    if len(items) > MAX_RECORDS:
        raise FeedError(
            f"The feed has {len(items):,} records, more than the {MAX_RECORDS:,} "
            "Tracker reads from one feed."
        )
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise FeedError(
                f"The feed's item {position} is {_kind(item)}, not a meeting; "
                "every item in a feed should be a meeting."
            )
    feed_format = detect_format(items)
    if isinstance(value, dict) and feed_format != "bmlt":
        raise FeedError(
            "This file is a JSON object, not a meeting list; "
            "a Meeting Guide or BMLT feed is a list of meetings."
        )
    zone = default_timezone if default_timezone and named_zone(default_timezone) else None
    if feed_format == "bmlt":
        return _read_records(items, _BmltReader(zone, _bmlt_format_table(formats)))
    return _read_records(items, _GuideReader(zone))


def detect_format(items: list[Any]) -> FeedFormat:
    """Which format a feed's records are in: "bmlt" when they carry BMLT keys
    (weekday_tinyint, meeting_name, id_bigint), otherwise "meeting-guide"."""
    for item in items:
        if isinstance(item, dict) and not BMLT_KEYS.isdisjoint(item):
            return "bmlt"
    return "meeting-guide"


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(
            f"The feed isn't UTF-8 text (byte {error.start + 1:,} can't be read); "
            "meeting feeds are UTF-8 JSON."
        ) from None


# json's messages, in plain words. Matched by how they begin.
_JSON_MESSAGES: tuple[tuple[str, str], ...] = (
    ("Expecting ',' delimiter", "a comma is missing between two items"),
    ("Expecting ':' delimiter", "a colon is missing after a field name"),
    (
        "Expecting property name enclosed in double quotes",
        "a field name should be here, in double quotes (or a comma is one too many)",
    ),
    ("Unterminated string", "a piece of text in quotes is never closed"),
    ("Invalid control character", "a piece of text in quotes has a line break or tab in it"),
    ("Invalid \\uXXXX escape", "a \\u code in a piece of text isn't four hex digits"),
    ("Invalid \\escape", "a backslash in a piece of text doesn't start a known escape"),
    ("Illegal trailing comma", "there is a comma before a closing bracket"),
    ("Expecting value", "a value was expected here"),
)
_CONTAINERS = {"[": "the list", "{": "the object"}


def _load_json(text: str) -> Any:
    stripped = text.strip()
    if not stripped:
        raise FeedError("The feed file is empty: it has no meetings in it.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise FeedError(f"The feed isn't valid JSON: {where}: {_json_problem(error)}.") from None
    except RecursionError:
        raise FeedError("The feed isn't a meeting list: its lists are nested too deeply.") from None
    except ValueError:  # an integer with thousands of digits
        raise FeedError("The feed isn't valid JSON: it has a number too long to read.") from None


def _json_problem(error: json.JSONDecodeError) -> str:
    doc = error.doc
    if error.msg.startswith("Extra data"):
        first = doc.lstrip()[:1]
        return f"there is more data after the end of {_CONTAINERS.get(first, 'the feed')}"
    rest = doc[error.pos :]
    if error.msg.startswith("Expecting value") and rest.startswith("<"):
        return "this looks like a web page, not a meeting list"
    if not rest.strip() and not error.msg.startswith("Unterminated"):
        return "the file ends too soon (it may have been cut off)"
    for start, plain in _JSON_MESSAGES:
        if error.msg.startswith(start):
            return plain
    return _sentence(error.msg)


def _sentence(message: str) -> str:
    message = message.strip().rstrip(".")
    return message[:1].lower() + message[1:]


def _meeting_list(value: Any) -> tuple[list[Any], list[Any]]:
    """The records, and the BMLT formats list when the file has one."""
    if isinstance(value, list):
        return value, []
    if isinstance(value, dict) and isinstance(value.get("meetings"), list):
        formats = value.get("formats")
        return value["meetings"], formats if isinstance(formats, list) else []
    raise FeedError(
        f"This file is {_kind(value)}, not a meeting list; "
        "a Meeting Guide or BMLT feed is a list of meetings."
    )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return "a number"
    return "null"


# --- reading the records ----------------------------------------------------------------------


class _Reader(ABC):
    """Turns one record into a meeting (or the reason it can't be one)."""

    format: FeedFormat

    @abstractmethod
    def meeting(self, record: dict[str, Any], notes: _Notes) -> FeedMeeting | str:
        """The meeting ``record`` describes, or why it can't be used."""

    def off_spec(self, record: dict[str, Any]) -> str | None:
        return None


def _read_records(items: list[Any], reader: _Reader) -> ParsedFeed:
    meetings: list[FeedMeeting] = []
    skipped: list[Skipped] = []
    normalised: Counter[str] = Counter()
    off_spec: Counter[str] = Counter()
    first_with_slug: dict[str, int] = {}
    for position, record in enumerate(items, start=1):
        broken = reader.off_spec(record)
        if broken is not None:
            off_spec[broken] += 1
        notes: _Notes = set()
        result = reader.meeting(record, notes)
        if isinstance(result, str):
            skipped.append(Skipped(position, _given_slug(record), result))
            continue
        earlier = first_with_slug.get(result.slug)
        if earlier is not None:
            skipped.append(Skipped(position, result.slug, f"the same slug as record {earlier}"))
            continue
        first_with_slug[result.slug] = position
        meetings.append(result)
        normalised.update(notes)
    return ParsedFeed(
        format=reader.format,
        records=len(items),
        meetings=tuple(meetings),
        skipped=tuple(skipped),
        normalised=normalised,
        off_spec=off_spec,
    )


def _given_slug(record: dict[str, Any]) -> str:
    """The slug a skipped record names itself by, as far as it does."""
    for key in ("slug", "id_bigint"):
        text = _plain(record.get(key), set())
        if text:
            return text[:NAME_LIMIT]
    return ""


class _GuideReader(_Reader):
    format: FeedFormat = "meeting-guide"

    def __init__(self, default_timezone: str | None) -> None:
        self.default_timezone = default_timezone
        self.spec: _SpecCheck | None = None

    def off_spec(self, record: dict[str, Any]) -> str | None:
        if self.spec is None:
            self.spec = _SpecCheck()
        return self.spec.broken_field(record)

    def meeting(self, record: dict[str, Any], notes: _Notes) -> FeedMeeting | str:
        name = _text(record.get("name"), notes, cap=NAME_LIMIT, number_note=NAME_NUMBER)
        if not name:
            return NO_NAME
        day_given = _given(record.get("day"))
        time_given = _given(record.get("time"))
        days = _days(record.get("day"), notes)
        start = _clock(record.get("time"), notes)

        url, url_online = _conference_url(record, "conference_url", notes)
        phone = _conference_phone(record, "conference_phone", notes)
        _note_empty_conference(record, notes)
        online = url_online or bool(phone)
        ongoing = not day_given and not time_given and online
        if (not days or start is None) and not ongoing:
            return NO_WHEN
        end = _clock(record.get("end_time"), notes, end=True) if days and start else None

        types = _types(record.get("types"), notes)
        address = _guide_address(record, notes)
        approximate = _approximate(record, address, notes)
        in_person = "TC" not in types and not approximate
        slug = _text(record.get("slug"), notes, cap=NAME_LIMIT, number_note=SLUG_NUMBER)
        if not slug:
            notes.add(SLUG_MADE)
            slug = _made_slug(name, days, start)
        return FeedMeeting(
            slug=slug,
            name=name,
            days=days,
            time=start,
            end_time=end,
            timezone=_zone(record.get("timezone"), self.default_timezone, notes),
            types=types,
            attendance=_attendance(online=online, in_person=in_person),
            address=address,
            approximate=approximate,
            location=_text(record.get("location"), notes),
            location_notes=_text(record.get("location_notes"), notes, multiline=True),
            region=_guide_region(record, notes),
            group=_text(record.get("group"), notes),
            group_notes=_text(record.get("group_notes"), notes, multiline=True),
            notes=_text(record.get("notes"), notes, multiline=True),
            conference_url=url,
            conference_url_notes=(
                _text(record.get("conference_url_notes"), notes, multiline=True) if url else ""
            ),
            conference_phone=phone,
            conference_phone_notes=(
                _text(record.get("conference_phone_notes"), notes, multiline=True) if phone else ""
            ),
            website=_website(record, notes),
            updated=_updated(record.get("updated"), notes),
        )


class _SpecCheck:
    """Which field of a record breaks the strict schema first, as jsonschema's ``best_match``
    would say, but fast enough for a feed of thousands of meetings.

    The meeting schema is an object with required keys and a schema for each property, so the
    errors of a record are: one per missing required key (at the top, so they win), then the
    errors of each property's value on its own. ``best_match`` takes the most relevant of them;
    which field that is depends only on each field's own most relevant error. Values repeat a lot
    between records (types, days, yes/no), so each field's verdict is remembered per value.
    """

    _ROOT_KEYWORDS = frozenset(
        {"$schema", "$id", "title", "description", "type", "required", "properties"}
    )

    def __init__(self) -> None:
        from jsonschema.exceptions import relevance

        from tracker.meetings.types import spec_validator

        self.relevance = relevance
        self.validator = spec_validator()
        schema = self.validator.schema
        self.by_field = set(schema) <= self._ROOT_KEYWORDS and schema.get("type") == "object"
        self.required: list[str] = list(schema.get("required", ()))
        self.fields: dict[str, Any] = {
            key: self.validator.evolve(schema=sub)
            for key, sub in schema.get("properties", {}).items()
        }
        self.verdicts: dict[tuple[str, str, Any], Any] = {}

    def _verdict(self, key: str, value: Any) -> Any:
        """None when the value is valid, else the relevance of its most relevant error."""
        if isinstance(value, list | dict):
            try:
                remembered: Any = json.dumps(value, sort_keys=True)
            except (ValueError, RecursionError):
                return self._judge(key, value)
        else:
            remembered = value
        slot = (key, type(value).__name__, remembered)
        if slot not in self.verdicts:
            self.verdicts[slot] = self._judge(key, value)
        return self.verdicts[slot]

    def _judge(self, key: str, value: Any) -> Any:
        validator = self.fields[key]
        if validator.is_valid(value):
            return None
        ranks = []
        for error in validator.iter_errors(value):
            error.path.appendleft(key)
            ranks.append(self.relevance(error))
        return max(ranks)

    def broken_field(self, record: dict[str, Any]) -> str | None:
        """The field the record's best error is about, or None when the record is valid."""
        if not self.by_field:
            return self._best_match(record)
        for key in self.required:
            if key not in record:
                return key
        worst: Any = None
        field: str | None = None
        try:
            for key, value in record.items():
                if key in self.fields:
                    verdict = self._verdict(key, value)
                    if verdict is not None and (worst is None or verdict > worst):
                        worst, field = verdict, key
        except TypeError:  # pragma: no cover - ranks that don't compare: ask jsonschema
            return self._best_match(record)
        return field

    def _best_match(self, record: dict[str, Any]) -> str | None:
        from jsonschema.exceptions import best_match

        error = best_match(self.validator.iter_errors(record))
        if error is None:
            return None
        if error.absolute_path:
            return str(error.absolute_path[0])
        if error.validator == "required":
            missing = [key for key in error.validator_value if key not in record]
            if missing:
                return str(missing[0])
        return "record"


class _BmltReader(_Reader):
    format: FeedFormat = "bmlt"

    def __init__(self, default_timezone: str | None, format_codes: Mapping[str, str]) -> None:
        self.default_timezone = default_timezone
        self.format_codes = format_codes

    def meeting(self, record: dict[str, Any], notes: _Notes) -> FeedMeeting | str:
        name = _text(record.get("meeting_name"), notes, cap=NAME_LIMIT, number_note=NAME_NUMBER)
        if not name:
            return NO_NAME
        weekday = _bmlt_int(record.get("weekday_tinyint"))
        days = (weekday - 1,) if weekday is not None and 1 <= weekday <= 7 else ()
        start = _clock(record.get("start_time"), set())  # "19:00:00" is how BMLT writes it
        day_given = _given(record.get("weekday_tinyint"))
        time_given = _given(record.get("start_time"))

        url, url_online = _conference_url(record, "virtual_meeting_link", notes)
        phone = _conference_phone(record, "phone_meeting_number", notes)
        types = self._types(record.get("formats"))
        address = _joined_address(
            _text(record.get("location_street"), notes),
            _text(record.get("location_municipality"), notes),
            _text(record.get("location_province"), notes),
            _text(record.get("location_postal_code_1"), notes),
            _text(record.get("location_nation"), notes),
        )
        approximate = not _text(record.get("location_street"), set())
        attendance = _bmlt_attendance(
            _bmlt_int(record.get("venue_type")),
            closed="TC" in types,
            online=url_online or bool(phone),
            approximate=approximate,
        )
        ongoing = not day_given and not time_given and attendance in ("online", "hybrid")
        if (not days or start is None) and not ongoing:
            return NO_WHEN
        end = _bmlt_end(start, record.get("duration_time"), notes) if days and start else None
        slug = _text(record.get("id_bigint"), set(), cap=NAME_LIMIT)
        if not slug:
            notes.add(SLUG_MADE)
            slug = _made_slug(name, days, start)
        region = ""
        for key in ("location_city_subsection", "location_neighborhood", "location_municipality"):
            region = _text(record.get(key), notes)
            if region:
                break
        return FeedMeeting(
            slug=slug,
            name=name,
            days=days,
            time=start,
            end_time=end,
            timezone=_zone(record.get("time_zone"), self.default_timezone, notes),
            types=types,
            attendance=attendance,
            address=address,
            approximate=approximate,
            location=_text(record.get("location_text"), notes),
            location_notes=_text(record.get("location_info"), notes, multiline=True),
            region=region,
            notes=_text(record.get("comments"), notes, multiline=True),
            conference_url=url,
            conference_url_notes=(
                _text(record.get("virtual_meeting_additional_info"), notes, multiline=True)
                if url
                else ""
            ),
            conference_phone=phone,
        )

    def _types(self, raw: Any) -> tuple[str, ...]:
        codes: list[str] = []
        for key in _types(raw, set()):
            code = self.format_codes.get(key) or BMLT_FORMAT_CODES.get(key, key)
            if code not in codes:
                codes.append(code)
        return tuple(codes)


def _bmlt_format_table(formats: list[Any]) -> dict[str, str]:
    """BMLT format key -> Meeting Guide code, for the keys whose name (from the server's formats
    list) is a type's name in types.json, in any language, or a common synonym of one."""
    known = _type_codes_by_name()
    table: dict[str, str] = {}
    for entry in formats:
        if not isinstance(entry, dict):
            continue
        key = _plain(entry.get("key_string"), set())
        name = " ".join(_plain(entry.get("name_string"), set()).lower().split())
        code = BMLT_FORMAT_NAMES.get(name) or known.get(name)
        if key and code:
            table[key] = code
    return table


@functools.cache
def _type_codes_by_name() -> dict[str, str]:
    from tracker.meetings.types import _types_table

    codes: dict[str, set[str]] = {}
    for code, names in _types_table().items():
        for name in names.values():
            codes.setdefault(" ".join(name.lower().split()), set()).add(code)
    return {name: next(iter(found)) for name, found in codes.items() if len(found) == 1}


def _bmlt_int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"[0-9]{1,3}", raw.strip()):
        return int(raw.strip())
    return None


def _bmlt_attendance(
    venue_type: int | None, *, closed: bool, online: bool, approximate: bool
) -> str:
    if venue_type == 1:
        return "inactive" if closed else "in_person"
    if venue_type == 2:
        return "online"
    if venue_type == 3:
        return "online" if closed else "hybrid"
    return _attendance(online=online, in_person=not closed and not approximate)


def _bmlt_end(start: str | None, raw: Any, notes: _Notes) -> str | None:
    if start is None or not _given(raw):
        return None
    match = re.fullmatch(r"([0-9]{1,2}):([0-5][0-9])(?::[0-5][0-9])?", str(raw).strip())
    if not match:
        notes.add(DURATION_BAD)
        return None
    minutes = int(match[1]) * 60 + int(match[2])
    if not 0 < minutes < 24 * 60:
        return None
    hour, minute = (int(part) for part in start.split(":"))
    end = (hour * 60 + minute + minutes) % (24 * 60)
    return f"{end // 60:02d}:{end % 60:02d}"


# --- fields -----------------------------------------------------------------------------------


def _given(raw: Any) -> bool:
    """Present with a value: not null, not blank text, not an empty list."""
    if raw is None:
        return False
    if isinstance(raw, str):
        return bool(raw.strip())
    if isinstance(raw, list):
        return bool(raw)
    return True


# Control characters (C0 but tab and newline, DEL, C1), the invisible characters that reorder
# text on screen, the byte-order mark and lone surrogates (which can't even be stored as UTF-8).
_UNWANTED = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


# C1 control characters in text are nearly always characters from the Windows code page 1252
# (a curly apostrophe saved as byte 0x92...). Put them right, where that code page has them.
_WINDOWS_1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_C1 = re.compile(r"[\x80-\x9f]")


def _clean(text: str, notes: _Notes, *, multiline: bool, cap: int) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if _C1.search(text):
        fixed = text.translate(_WINDOWS_1252)
        if fixed != text:
            notes.add(WINDOWS_CHARACTERS)
            text = fixed
    if not multiline:
        text = text.replace("\n", " ")
    cleaned = _UNWANTED.sub("", text)
    if cleaned != text:
        notes.add(CONTROL_REMOVED)
    cleaned = cleaned.strip()
    if len(cleaned) > cap:
        notes.add(TEXT_SHORTENED)
        cleaned = cleaned[:cap].rstrip()
    return cleaned


def _number_text(raw: Any) -> str | None:
    """A JSON number as text (12, 12.5); None for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float) and math.isfinite(raw):
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else repr(raw)
    return None


def _text(
    raw: Any,
    notes: _Notes,
    *,
    multiline: bool = False,
    cap: int = TEXT_LIMIT,
    number_note: str = TEXT_NUMBER,
) -> str:
    """A text field: text as given (cleaned), a number as text, anything else left out."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return _clean(raw, notes, multiline=multiline, cap=cap)
    number = _number_text(raw)
    if number is not None:
        notes.add(number_note)
        return number
    notes.add(WRONG_KIND)
    return ""


def _plain(raw: Any, notes: _Notes) -> str:
    """A short text or number (a slug, a key), with no notes taken."""
    return _text(raw, notes, cap=TEXT_LIMIT)


# Day names as feeds write them: "Monday", "monday", "Mon", "Mondays", "Tues", "Thurs"...
_DAY_WORDS: dict[str, int] = {
    word: number
    for number, day in enumerate(FEED_DAY_NAMES)
    for word in (day.lower(), day.lower()[:3], day.lower() + "s")
} | {"tues": 2, "weds": 3, "thur": 4, "thurs": 4}


def _one_day(raw: Any, notes: _Notes) -> int | None:
    number: int
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str):
        word = raw.strip().lower().rstrip(".")
        if re.fullmatch(r"[0-9]{1,2}", word):
            notes.add(DAY_TEXT)
            number = int(word)
        elif word in _DAY_WORDS:
            notes.add(DAY_NAME)
            return _DAY_WORDS[word]
        else:
            return None
    else:
        return None
    if 0 <= number <= 6:
        return number
    if number == 7:
        notes.add(DAY_SEVEN)
        return 0
    return None


def _days(raw: Any, notes: _Notes) -> tuple[int, ...]:
    """The days of a Meeting Guide record: sorted, unique, 0 = Sunday."""
    if not _given(raw):
        return ()
    entries: list[Any]
    if isinstance(raw, list):
        entries = raw
        if len(raw) == 1:
            notes.add(DAY_LIST)
    elif isinstance(raw, str) and "," in raw:
        notes.add(DAYS_STRING)
        entries = [part for part in raw.split(",") if part.strip()]
    else:
        entries = [raw]
    days: set[int] = set()
    for entry in entries:
        day = _one_day(entry, notes)
        if day is None:
            notes.add(DAY_DROPPED)
        else:
            days.add(day)
    return tuple(sorted(days))


_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_AM_PM = re.compile(r"[0-9]\s*[ap]\.?(?:m\.?)?$")


def _clock(raw: Any, notes: _Notes, *, end: bool = False) -> str | None:
    """A time of day as "HH:MM", or None. An end time that can't be read is noted."""
    if not _given(raw):
        return None
    found, kind = _read_clock(raw, end=end)
    if found is None:
        if end:
            notes.add(END_DROPPED)
        return None
    if kind:
        notes.add(kind)
    return found


def _read_clock(raw: Any, *, end: bool) -> tuple[str | None, str | None]:
    if not isinstance(raw, str) or len(raw) > 30:
        return None, None
    text = raw.strip()
    if match := _CLOCK.fullmatch(text):
        hour, minute = int(match[1]), int(match[2])
        second = int(match[3]) if match[3] else 0
        if end and (hour, minute, second) == (24, 0, 0):
            return "00:00", TIME_24
        if hour > 23 or minute > 59 or second > 59:
            return None, None
        return f"{hour:02d}:{minute:02d}", TIME_SECONDS if match[3] else None
    from tracker.domain.dates import parse_time

    try:
        parsed = parse_time(text)
    except TrackerError:
        return None, None
    if parsed is None:
        return None, None
    kind = TIME_12H if _AM_PM.search(text.lower()) else TIME_OTHER
    return parsed.strftime("%H:%M"), kind


def _zone(raw: Any, default: str | None, notes: _Notes) -> str | None:
    if not _given(raw):
        return default
    name = _text(raw, notes, cap=NAME_LIMIT)
    if name and named_zone(name) is not None:
        return name
    notes.add(ZONE_UNKNOWN)
    return None


def _types(raw: Any, notes: _Notes) -> tuple[str, ...]:
    """Type codes in feed order, unique; unknown codes kept as they are."""
    if not _given(raw):
        return ()
    entries: list[Any]
    if isinstance(raw, str):
        notes.add(TYPES_STRING)
        entries = raw.split(",")
    elif isinstance(raw, list):
        entries = raw
    elif _number_text(raw) is not None:
        entries = [raw]
    else:
        notes.add(WRONG_KIND)
        return ()
    codes: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            code = _clean(entry, notes, multiline=False, cap=CODE_LIMIT)
        elif (number := _number_text(entry)) is not None:
            notes.add(TYPE_NUMBER)
            code = number
        else:
            notes.add(TYPE_WRONG)
            continue
        if not code:
            notes.add(TYPE_EMPTY)
        elif code in codes:
            notes.add(TYPE_DUPLICATE)
        else:
            codes.append(code)
    return tuple(codes)


def _joined_address(street: str, city: str, state: str, postal_code: str, country: str) -> str:
    parts = (street, city, f"{state} {postal_code}".strip(), country)
    return ", ".join(part for part in parts if part)


# The postal abbreviations of the states of the USA (with DC and the territories) and of the
# provinces and territories of Canada: an address in parts with one of these and no country is
# in that country, as the meeting-list tools read it.
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
    ]
)
CANADIAN_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)


def _guide_address(record: dict[str, Any], notes: _Notes) -> str:
    formatted = _text(record.get("formatted_address"), notes)
    if formatted:
        return formatted
    state = _text(record.get("state"), notes)
    country = _text(record.get("country"), notes)
    if state and not country:
        if state.upper() in US_STATES:
            country = "USA"
        elif state.upper() in CANADIAN_PROVINCES:
            country = "Canada"
    return _joined_address(
        _text(record.get("address"), notes),
        _text(record.get("city"), notes),
        state,
        _text(record.get("postal_code"), notes, number_note=POSTAL_NUMBER),
        country,
    )


_YES = frozenset({"yes", "true", "1", "y"})
_NO = frozenset({"no", "false", "0", "n"})


def _approximate(record: dict[str, Any], address: str, notes: _Notes) -> bool:
    raw = record.get("approximate")
    if isinstance(raw, bool):
        notes.add(APPROXIMATE_BOOL)
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _YES | _NO:
        return raw.strip().lower() in _YES
    coordinates = record.get("coordinates")
    if isinstance(coordinates, str):
        parts = coordinates.split(",")
        if all(_is_number(part) for part in parts):
            if len(parts) == 2:
                return False
            if len(parts) == 4:
                return True
    if not address:
        return True
    return len([part for part in address.split(",") if part.strip()]) < 4


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _web_host(text: str) -> str | None:
    """The host of an http(s) address, or None when ``text`` isn't one."""
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.lower().rstrip(".")


def _known_service(host: str) -> bool:
    labels = host.split(".")
    return any(".".join(labels[i:]) in CONFERENCE_SERVICES for i in range(len(labels) - 1))


def _conference_url(record: dict[str, Any], key: str, notes: _Notes) -> tuple[str, bool]:
    """The conference link kept (or ""), and whether it makes the meeting online."""
    if not _given(record.get(key)):
        return "", False
    url = _text(record.get(key), notes)
    if not url:  # not text at all (noted as such)
        return "", False
    host = _web_host(url)
    if host is None:
        bare_host = _web_host("https://" + url)
        if bare_host is not None and _known_service(bare_host) and " " not in url:
            notes.add(URL_NO_SCHEME)
            url, host = "https://" + url, bare_host
    if host is None:
        notes.add(URL_UNUSABLE)
        return "", False
    if _known_service(host):
        return url, True
    notes.add(URL_UNKNOWN)
    return url, False


def _conference_phone(record: dict[str, Any], key: str, notes: _Notes) -> str:
    if not _given(record.get(key)):
        return ""
    phone = _text(record.get(key), notes, number_note=PHONE_NUMBER)
    if not phone:  # not text at all (noted as such)
        return ""
    if len(re.sub(r"[^0-9+,#]", "", phone)) >= 10:
        return phone
    notes.add(PHONE_SHORT)
    return ""


_CONFERENCE_KEYS = (
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
)


def _note_empty_conference(record: dict[str, Any], notes: _Notes) -> None:
    for key in _CONFERENCE_KEYS:
        if key in record and not _given(record[key]) and not isinstance(record[key], list):
            notes.add(CONFERENCE_EMPTY)
            return


def _attendance(*, online: bool, in_person: bool) -> str:
    if online and in_person:
        return "hybrid"
    if online:
        return "online"
    if in_person:
        return "in_person"
    return "inactive"


def _guide_region(record: dict[str, Any], notes: _Notes) -> str:
    regions = record.get("regions")
    if isinstance(regions, list):
        names = [_text(region, notes) for region in regions]
        joined = " › ".join(name for name in names if name)
        if joined:
            return joined
    parts = [_text(record.get(key), notes) for key in ("region", "sub_region")]
    joined = " › ".join(part for part in parts if part)
    return joined or _text(record.get("city"), notes)


def _website(record: dict[str, Any], notes: _Notes) -> str:
    unusable = False
    for key in ("website", "url"):
        if not _given(record.get(key)):
            continue
        address = _text(record.get(key), notes)
        if _web_host(address):
            return address
        unusable = True
    if unusable:
        notes.add(WEBSITE_UNUSABLE)
    return ""


_STRICT_UPDATED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
# Two defaults that differ in every date part: a date read the same with both has all its parts.
_DEFAULTS = (datetime(2001, 2, 3), datetime(2004, 5, 6))


def _updated(raw: Any, notes: _Notes) -> str | None:
    """When the listing was last changed, as ISO "YYYY-MM-DDTHH:MM:SS" (UTC as the feed says)."""
    if not _given(raw):
        return None
    if not isinstance(raw, str):
        notes.add(UPDATED_BAD)
        return None
    text = _clean(raw, notes, multiline=False, cap=TEXT_LIMIT)
    try:
        if _STRICT_UPDATED.fullmatch(text):
            return datetime.fromisoformat(text).isoformat()
        found = _read_date(text)
        if found is not None and found.tzinfo is not None:
            found = found.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, TypeError):
        notes.add(UPDATED_BAD)
        return None
    if found is None:
        notes.add(UPDATED_AMBIGUOUS)
        return None
    notes.add(UPDATED_OTHER)
    return found.replace(microsecond=0).isoformat()


def _read_date(text: str) -> datetime | None:
    """A date and time in any common format; None when it could be read two ways. Raises
    ValueError when it can't be read, or lacks a year, month or day."""
    if len(text) > 64:
        raise ValueError(text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    from dateutil.parser import parse

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown zone names: read as local time
        first, second = (parse(text, default=default) for default in _DEFAULTS)
        if first != second:
            raise ValueError(text)
        if parse(text, default=_DEFAULTS[0], dayfirst=True) != first:
            return None
    return first


def _made_slug(name: str, days: tuple[int, ...], start: str | None) -> str:
    """A slug for a record that has none: lower case, a-z, 0-9 and dashes, the same every time
    for the same name, days and time."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = "-".join(re.findall(r"[a-z0-9]+", ascii_name))[:80].strip("-")
    if not base:
        base = hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    parts = [base, *(FEED_DAY_NAMES[day][:3].lower() for day in days)]
    if start:
        parts.append(start.replace(":", ""))
    return "-".join(parts)

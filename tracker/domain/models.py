"""The five journal areas as plain dataclasses, and the checks every value must pass.

``*Fields`` classes hold what a person types or chooses; ``validated()`` returns a cleaned copy or
raises :class:`~tracker.errors.InvalidField` naming the field. The record classes (``Group``,
``Attendance``...) add what the store gives every row: an integer id, a stable UUID and the
created/updated timestamps. Screens and commands only ever see these dataclasses, never raw rows.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from tracker.domain import vocab
from tracker.domain.dates import week_start
from tracker.errors import InvalidField

NAME_MAX = 80
ALIAS_MAX = 40
LOCATION_MAX = 500
SHORT_TEXT_MAX = 200
NOTE_MAX = 4000
MINUTES_MAX = 24 * 60
EARLIEST_DATE = date(1900, 1, 1)
EXCUSE_NOTE_MAX = 500
EXCUSE_WEEKS_AHEAD = 8  # a week can be excused ahead of time, for planned travel

# C0 and C1 control characters, DEL included. Notes may hold newlines and tabs; nothing else.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{3,30}$")

T = TypeVar("T")

# Some dataclasses below have a field called ``date``, which hides the type inside the class body.
Day = date


def clean_line(
    field_name: str, value: str | None, *, required: bool = False, max_len: int = SHORT_TEXT_MAX
) -> str:
    """A one-line text field: trimmed, no control characters, not too long."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidField(field_name, f"{field_name}: please fill this in.")
    if len(text) > max_len:  # first, so that a huge paste is refused without scanning it
        raise InvalidField(field_name, f"{field_name}: keep it to {max_len} characters or fewer.")
    if _LINE_CONTROL.search(text):
        raise InvalidField(
            field_name,
            f"{field_name}: contains a control character (such as a line break or an escape "
            "code); please remove it.",
        )
    return text


def clean_note(field_name: str, value: str | None, *, max_len: int = NOTE_MAX) -> str:
    """A note: may span lines, trimmed, no other control characters."""
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > max_len:  # first, so that a huge paste is refused without scanning it
        raise InvalidField(field_name, f"{field_name}: keep it to {max_len} characters or fewer.")
    if _CONTROL.search(text):
        raise InvalidField(
            field_name,
            f"{field_name}: contains a control character (such as an escape code); "
            "please remove it.",
        )
    return text


def share_flag(note: str, shared: object) -> bool:
    """Whether a (cleaned) note is marked "share with my mentor".

    Notes are private unless marked. An empty note has nothing to share, so it is never marked.
    The flag must be a real bool: a stray ``1`` or ``"yes"`` is refused rather than read as
    consent to share.
    """
    if not isinstance(shared, bool):
        raise InvalidField(
            "note_shared", "note_shared: tick the box to share this note, or leave it private."
        )
    return shared and bool(note)


def check_day(field_name: str, value: object, *, today: date | None = None) -> date:
    """A real calendar date, not before 1900 and (when ``today`` is given) not in the future."""
    if not isinstance(value, date):
        raise InvalidField(field_name, f"{field_name}: please give a date.")
    if value < EARLIEST_DATE:
        raise InvalidField(field_name, f"{field_name}: {value.isoformat()} is too long ago.")
    if today is not None and value > today:
        raise InvalidField(
            field_name,
            f"{field_name}: {value.isoformat()} is in the future. "
            "Journal entries are for things that have happened.",
        )
    return value


def check_phone(value: str | None) -> str:
    phone = clean_line("phone", value, max_len=30)
    if phone and not _PHONE.match(phone):
        raise InvalidField("phone", "phone: use digits, spaces, dashes and an optional +.")
    return phone


def check_email(value: str | None) -> str:
    email = clean_line("email", value, max_len=200)
    if email and not _EMAIL.match(email):
        raise InvalidField("email", f"email: {email!r} doesn't look like an email address.")
    return email


def check_id(field_name: str, value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise InvalidField(field_name, f"{field_name}: please choose {what}.")
    return value


def check_rating(field_name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidField(field_name, f"{field_name}: rate it from 1 to 5.")
    return value


# --- Groups tried -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GroupFields:
    name: str
    pillar: str = "peer"
    tags: tuple[str, ...] = ()
    format: str = "in-person"
    location: str = ""
    schedule: str | None = None  # storage form of a Schedule (DTSTART + RRULE), or None
    status: str = "trying"
    catalogue_slug: str | None = None
    notes: str = ""
    note_shared: bool = False

    def validated(self) -> GroupFields:
        tags: list[str] = []
        for tag in self.tags:
            code = vocab.normalise_tag(tag)
            if code not in tags:
                tags.append(code)
        schedule = (self.schedule or "").strip() or None
        if schedule is not None:
            from tracker.domain.schedules import Schedule

            schedule = Schedule.from_text(schedule, field="schedule").to_text()
        slug = (self.catalogue_slug or "").strip() or None
        if slug is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
            raise InvalidField("catalogue_slug", f"catalogue_slug: {slug!r} is not a slug.")
        notes = clean_note("notes", self.notes)
        return GroupFields(
            name=clean_line("name", self.name, required=True, max_len=NAME_MAX),
            pillar=vocab.check_code("pillar", vocab.PILLARS, self.pillar),
            tags=tuple(tags),
            format=vocab.check_code("format", vocab.FORMATS, self.format),
            location=clean_line("where", self.location, max_len=LOCATION_MAX),
            schedule=schedule,
            status=vocab.check_code("status", vocab.STATUSES, self.status),
            catalogue_slug=slug,
            notes=notes,
            note_shared=share_flag(notes, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Group(GroupFields):
    id: int
    uuid: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> GroupFields:
        return fields_of(self, GroupFields)


# --- Attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AttendanceFields:
    group_id: int
    date: date
    time: time | None = None
    attended: bool = True
    shared: bool = False
    note: str = ""
    note_shared: bool = False

    def validated(self, *, today: Day | None = None) -> AttendanceFields:
        if self.time is not None and not isinstance(self.time, time):
            raise InvalidField("time", "time: please give a time such as 19:00, or leave it empty.")
        if not self.attended and self.shared:
            raise InvalidField(
                "shared", "shared: a missed meeting can't also be one you shared at."
            )
        note = clean_note("note", self.note)
        return AttendanceFields(
            group_id=check_id("group", self.group_id, "a group"),
            date=check_day("date", self.date, today=today),
            time=self.time.replace(second=0, microsecond=0) if self.time else None,
            attended=bool(self.attended),
            shared=bool(self.shared),
            note=note,
            note_shared=share_flag(note, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Attendance(AttendanceFields):
    id: int
    uuid: str
    group_name: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> AttendanceFields:
        return fields_of(self, AttendanceFields)


# --- People and contacts ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PersonFields:
    alias: str
    role: str = "sponsor"
    phone: str = ""
    email: str = ""
    notes: str = ""
    note_shared: bool = False

    def validated(self) -> PersonFields:
        notes = clean_note("notes", self.notes)
        return PersonFields(
            alias=clean_line("alias", self.alias, required=True, max_len=ALIAS_MAX),
            role=vocab.check_code("role", vocab.ROLES, self.role),
            phone=check_phone(self.phone),
            email=check_email(self.email),
            notes=notes,
            note_shared=share_flag(notes, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Person(PersonFields):
    id: int
    uuid: str
    created_at: str
    updated_at: str
    last_contact: date | None = None
    contact_count: int = 0

    @property
    def fields(self) -> PersonFields:
        return fields_of(self, PersonFields)

    def days_since_contact(self, today: date) -> int | None:
        return None if self.last_contact is None else (today - self.last_contact).days


@dataclass(frozen=True, kw_only=True)
class ContactFields:
    person_id: int
    date: date
    method: str = "call"
    note: str = ""
    note_shared: bool = False

    def validated(self, *, today: Day | None = None) -> ContactFields:
        note = clean_note("note", self.note)
        return ContactFields(
            person_id=check_id("person", self.person_id, "a person"),
            date=check_day("date", self.date, today=today),
            method=vocab.check_code("how", vocab.CONTACT_METHODS, self.method),
            note=note,
            note_shared=share_flag(note, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Contact(ContactFields):
    id: int
    uuid: str
    person_alias: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> ContactFields:
        return fields_of(self, ContactFields)


# --- Volunteer service --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ServiceFields:
    date: date
    kind: str = "set-up"
    group_id: int | None = None
    minutes: int | None = None
    note: str = ""
    note_shared: bool = False

    def validated(self, *, today: Day | None = None) -> ServiceFields:
        minutes = self.minutes
        if minutes is not None and (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 1 <= minutes <= MINUTES_MAX
        ):
            raise InvalidField("minutes", f"minutes: give a whole number from 1 to {MINUTES_MAX}.")
        group_id = self.group_id
        if group_id is not None:
            group_id = check_id("group", group_id, "a group, or none")
        note = clean_note("note", self.note)
        return ServiceFields(
            date=check_day("date", self.date, today=today),
            kind=vocab.check_code("what", vocab.SERVICE_KINDS, self.kind),
            group_id=group_id,
            minutes=minutes,
            note=note,
            note_shared=share_flag(note, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class ServiceEntry(ServiceFields):
    id: int
    uuid: str
    group_name: str | None
    created_at: str
    updated_at: str

    @property
    def fields(self) -> ServiceFields:
        return fields_of(self, ServiceFields)


# --- Find-your-fit ratings ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FitFields:
    group_id: int
    date: date
    welcome: int
    relevance: int
    format_comfort: int
    practical: int
    would_return: int
    note: str = ""
    note_shared: bool = False

    def validated(self, *, today: Day | None = None) -> FitFields:
        scores = {name: check_rating(name, getattr(self, name)) for name in vocab.FIT_DIMENSIONS}
        note = clean_note("note", self.note)
        return FitFields(
            group_id=check_id("group", self.group_id, "a group"),
            date=check_day("date", self.date, today=today),
            note=note,
            note_shared=share_flag(note, self.note_shared),
            **scores,
        )

    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in vocab.FIT_DIMENSIONS}

    @property
    def average(self) -> float:
        values = list(self.scores().values())
        return sum(values) / len(values)


@dataclass(frozen=True, kw_only=True)
class FitRating(FitFields):
    id: int
    uuid: str
    group_name: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> FitFields:
        return fields_of(self, FitFields)


# --- Excused weeks ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ExcusedWeekFields:
    """A week set aside (illness, travel...), so that it never counts against anyone."""

    week: date  # any day of the week; validated() moves it to that week's Monday
    reason: str = "other"
    note: str = ""

    def validated(self, *, today: date) -> ExcusedWeekFields:
        week = self.week.date() if isinstance(self.week, datetime) else self.week
        monday = week_start(check_day("week", week))
        latest = week_start(today) + timedelta(weeks=EXCUSE_WEEKS_AHEAD)
        if monday > latest:
            raise InvalidField(
                "week",
                f"week: the week of {monday.isoformat()} is more than {EXCUSE_WEEKS_AHEAD} weeks "
                f"ahead. You can set a week aside up to {EXCUSE_WEEKS_AHEAD} weeks in advance.",
            )
        return ExcusedWeekFields(
            week=monday,
            reason=vocab.check_code("reason", vocab.EXCUSE_REASONS, self.reason),
            note=clean_note("note", self.note, max_len=EXCUSE_NOTE_MAX),
        )


@dataclass(frozen=True, kw_only=True)
class ExcusedWeek(ExcusedWeekFields):
    id: int
    uuid: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> ExcusedWeekFields:
        return fields_of(self, ExcusedWeekFields)


# --- Views across areas -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GroupComparison:
    """One column of the compare view: how a group has gone so far."""

    group: Group
    times_attended: int
    times_missed: int
    times_shared: int
    first_attended: date | None
    last_attended: date | None
    ratings_count: int
    latest: dict[str, int] = field(default_factory=dict)  # latest rating per dimension
    average: dict[str, float] = field(default_factory=dict)  # mean over all ratings

    @property
    def latest_overall(self) -> float | None:
        return sum(self.latest.values()) / len(self.latest) if self.latest else None

    @property
    def average_overall(self) -> float | None:
        return sum(self.average.values()) / len(self.average) if self.average else None


def fields_of(record: Any, cls: type[T]) -> T:
    """The editable part of a record, as its ``*Fields`` class."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(**{name: getattr(record, name) for name in names})

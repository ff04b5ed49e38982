"""The checks every journal value must pass, shared by the five areas' ``*Fields`` classes.

Each check returns the cleaned value or raises :class:`~tracker.errors.InvalidField` naming the
field. Nothing here builds a class, so importing it costs next to nothing.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any, TypeVar

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

# Some areas' dataclasses have a field called ``date``, which hides the type inside the class
# body; they write ``Day`` instead.
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


def fields_of(record: Any, cls: type[T]) -> T:
    """The editable part of a record, as its ``*Fields`` class."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(**{name: getattr(record, name) for name in names})

"""The five journal areas as plain dataclasses, and the checks every value must pass.

``*Fields`` classes hold what a person types or chooses; ``validated()`` returns a cleaned copy or
raises :class:`~tracker.errors.InvalidField` naming the field. The record classes (``Group``,
``Attendance``...) add what the store gives every row: an integer id, a stable UUID and the
created/updated timestamps. Screens and commands only ever see these dataclasses, never raw rows.

One module per area (``groups``, ``attendance``, ``people``, ``service``, ``fit``, ``excused``),
``compare`` for the compare view's column of one group, and ``checks`` for what they share.
``from tracker.domain.models import Group`` works for every class, but loads only that class's
module: creating a frozen dataclass costs about a millisecond and a half, and a quick command
such as ``tracker log`` needs two areas of the six.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.domain.models.checks import (
    ALIAS_MAX,
    EARLIEST_DATE,
    EXCUSE_NOTE_MAX,
    EXCUSE_WEEKS_AHEAD,
    LOCATION_MAX,
    MINUTES_MAX,
    NAME_MAX,
    NOTE_MAX,
    SHORT_TEXT_MAX,
    check_day,
    check_email,
    check_id,
    check_phone,
    check_rating,
    clean_line,
    clean_note,
    fields_of,
    share_flag,
)

if TYPE_CHECKING:
    from tracker.domain.models.attendance import Attendance, AttendanceFields
    from tracker.domain.models.compare import GroupComparison
    from tracker.domain.models.excused import ExcusedWeek, ExcusedWeekFields
    from tracker.domain.models.fit import FitFields, FitRating
    from tracker.domain.models.groups import Group, GroupFields
    from tracker.domain.models.people import Contact, ContactFields, Person, PersonFields
    from tracker.domain.models.service import ServiceEntry, ServiceFields

# Each class, and the module of its area.
AREA_OF = {
    "GroupFields": "groups",
    "Group": "groups",
    "GroupComparison": "compare",
    "AttendanceFields": "attendance",
    "Attendance": "attendance",
    "PersonFields": "people",
    "Person": "people",
    "ContactFields": "people",
    "Contact": "people",
    "ServiceFields": "service",
    "ServiceEntry": "service",
    "FitFields": "fit",
    "FitRating": "fit",
    "ExcusedWeekFields": "excused",
    "ExcusedWeek": "excused",
}

__all__ = [
    "ALIAS_MAX",
    "EARLIEST_DATE",
    "EXCUSE_NOTE_MAX",
    "EXCUSE_WEEKS_AHEAD",
    "LOCATION_MAX",
    "MINUTES_MAX",
    "NAME_MAX",
    "NOTE_MAX",
    "SHORT_TEXT_MAX",
    "Attendance",
    "AttendanceFields",
    "Contact",
    "ContactFields",
    "ExcusedWeek",
    "ExcusedWeekFields",
    "FitFields",
    "FitRating",
    "Group",
    "GroupComparison",
    "GroupFields",
    "Person",
    "PersonFields",
    "ServiceEntry",
    "ServiceFields",
    "check_day",
    "check_email",
    "check_id",
    "check_phone",
    "check_rating",
    "clean_line",
    "clean_note",
    "fields_of",
    "share_flag",
]


def __getattr__(name: str) -> Any:
    """Loads a class's area the first time the class is asked for (PEP 562)."""
    area = AREA_OF.get(name)
    if area is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # A plain import statement's machinery, so that `python -X importtime` reports the area.
    value = getattr(__import__(f"{__name__}.{area}", fromlist=[name]), name)
    globals()[name] = value  # asked for once; from then on found like any other name
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

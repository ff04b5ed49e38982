"""Volunteer service entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain import vocab
from tracker.domain.models.checks import (
    MINUTES_MAX,
    Day,
    check_day,
    check_id,
    clean_note,
    fields_of,
    share_flag,
)
from tracker.errors import InvalidField


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

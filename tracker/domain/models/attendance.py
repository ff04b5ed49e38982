"""Attendance: a meeting gone to (or missed), as typed and as stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from tracker.domain.models.checks import Day, check_day, check_id, clean_note, fields_of, share_flag
from tracker.errors import InvalidField


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

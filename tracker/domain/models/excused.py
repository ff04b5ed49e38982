"""Excused weeks: weeks set aside, so that they never count against anyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.domain import vocab
from tracker.domain.dates import week_start
from tracker.domain.models.checks import (
    EXCUSE_NOTE_MAX,
    EXCUSE_WEEKS_AHEAD,
    check_day,
    clean_note,
    fields_of,
)
from tracker.errors import InvalidField


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

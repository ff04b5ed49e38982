"""Find-your-fit ratings: five scores from 1 to 5 for one group on one day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain import vocab
from tracker.domain.models.checks import (
    Day,
    check_day,
    check_id,
    check_rating,
    clean_note,
    fields_of,
    share_flag,
)


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

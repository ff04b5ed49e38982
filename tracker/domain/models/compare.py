"""The compare view's column of one group: how it has gone so far, across the areas."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.models.groups import Group


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

"""The calendar heatmap's grid: one column per week, one row per weekday, each day shaded by
how many meetings it had. Pure: ``today`` is passed in and nothing here draws anything; the
Progress screen turns the grid into coloured text.

The grid ends with the week containing ``today`` (days after today are left blank) and reaches
back ``weeks`` weeks. A column is labelled with a month when its Monday is the first Monday of
that month on the grid, as wall calendars do; a label is left out when it would run into the
next one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.dates import MONTH_ABBRS, week_start

__all__ = [
    "LEVELS",
    "CalendarGrid",
    "DayCell",
    "calendar_grid",
    "month_labels",
    "shade_level",
    "weeks_that_fit",
]

#: Shades from "no meeting" (0) to "three or more meetings" (3).
LEVELS = 4


def shade_level(meetings: int) -> int:
    """How dark a day is drawn: 0 for no meeting, 1 for one, 2 for two, 3 for three or more."""
    return max(0, min(meetings, LEVELS - 1))


@dataclass(frozen=True)
class DayCell:
    """One day of the grid."""

    day: date
    meetings: int
    excused: bool  # the day is in an excused week
    future: bool  # after today: drawn blank

    @property
    def level(self) -> int:
        return 0 if self.future else shade_level(self.meetings)


@dataclass(frozen=True)
class CalendarGrid:
    """Columns are weeks (oldest first), rows are weekdays (Monday first)."""

    weeks: tuple[date, ...]  # each column's Monday
    rows: tuple[tuple[DayCell, ...], ...]  # rows[weekday][column]
    months: tuple[tuple[int, str], ...]  # (column, "Nov") where a month's label goes

    @property
    def total(self) -> int:
        """Meetings on the grid, up to today."""
        return sum(cell.meetings for row in self.rows for cell in row if not cell.future)

    @property
    def excused_columns(self) -> tuple[int, ...]:
        """The columns whose week is excused."""
        return tuple(c for c, cell in enumerate(self.rows[0]) if cell.excused) if self.rows else ()


def month_labels(weeks: Sequence[date], *, gap: int = 2) -> list[tuple[int, str]]:
    """Where month names go over a row of week columns (Mondays, oldest first).

    A column is labelled when its Monday is the first one of its month on the grid. The very
    first column is labelled with its own month only when the next label is at least ``gap``
    columns away, so two labels never overlap.
    """
    labels: list[tuple[int, str]] = []
    for column, monday in enumerate(weeks):
        if column == 0 or monday.month != weeks[column - 1].month:
            labels.append((column, MONTH_ABBRS[monday.month - 1]))
    if len(labels) > 1 and labels[0][0] == 0 and labels[1][0] < gap:
        labels.pop(0)
    return labels


def weeks_that_fit(width: int, *, cell: int = 2, gutter: int = 4, most: int = 53) -> int:
    """How many week columns of ``cell`` characters fit in ``width`` after a ``gutter`` for the
    weekday names; at least one, at most ``most``."""
    return max(1, min(most, (width - gutter) // max(cell, 1)))


def calendar_grid(
    per_day: Mapping[date, int],
    excused: Collection[date],
    *,
    today: date,
    weeks: int,
) -> CalendarGrid:
    """The last ``weeks`` weeks up to the week containing ``today``, as a grid.

    ``per_day`` maps days to meetings attended (days not in it had none); ``excused`` holds any
    day of each excused week. ``weeks`` below one is taken as one.
    """
    count = max(weeks, 1)
    last = week_start(today)
    mondays = tuple(last - timedelta(weeks=count - 1 - i) for i in range(count))
    excused_weeks = {week_start(day) for day in excused}
    rows = tuple(
        tuple(
            DayCell(
                day=(day := monday + timedelta(days=weekday)),
                meetings=max(per_day.get(day, 0), 0) if day <= today else 0,
                excused=monday in excused_weeks,
                future=day > today,
            )
            for monday in mondays
        )
        for weekday in range(7)
    )
    return CalendarGrid(weeks=mondays, rows=rows, months=tuple(month_labels(mondays)))

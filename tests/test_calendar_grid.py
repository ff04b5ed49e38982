"""The calendar heatmap's grid (tracker.domain.calendar_grid): pure, so tested without the app."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.calendar_grid import (
    LEVELS,
    calendar_grid,
    month_labels,
    shade_level,
    weeks_that_fit,
)

TODAY = date(2026, 11, 26)  # a Thursday

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def test_a_small_grid_by_hand() -> None:
    per_day = {
        date(2026, 11, 17): 1,  # Tue, last week
        date(2026, 11, 24): 2,  # Tue, this week
        date(2026, 11, 26): 4,  # today
        date(2026, 11, 28): 9,  # Saturday: after today, not shown
        date(2026, 11, 2): 5,  # too early for a two-week grid
    }
    grid = calendar_grid(per_day, {date(2026, 11, 20)}, today=TODAY, weeks=2)
    assert grid.weeks == (date(2026, 11, 16), date(2026, 11, 23))
    assert len(grid.rows) == 7 and all(len(row) == 2 for row in grid.rows)
    tuesday, thursday, saturday = grid.rows[1], grid.rows[3], grid.rows[5]
    assert [c.day for c in tuesday] == [date(2026, 11, 17), date(2026, 11, 24)]
    assert [c.meetings for c in tuesday] == [1, 2]
    assert [c.level for c in tuesday] == [1, 2]
    assert thursday[1].day == TODAY and thursday[1].level == 3  # four meetings: the top shade
    assert saturday[1].future and saturday[1].meetings == 0 and saturday[1].level == 0
    assert not thursday[1].future
    # 20 Nov is a Friday: the whole week of 16 Nov is excused, this week is not.
    assert all(row[0].excused for row in grid.rows)
    assert not any(row[1].excused for row in grid.rows)
    assert grid.excused_columns == (0,)
    assert grid.total == 1 + 2 + 4


def test_shades() -> None:
    assert [shade_level(n) for n in range(6)] == [0, 1, 2, 3, 3, 3]
    assert shade_level(-1) == 0
    assert LEVELS == 4


def test_month_labels_go_where_a_month_begins() -> None:
    mondays = [date(2026, 9, 21) + timedelta(weeks=i) for i in range(8)]
    # 21 Sep, 28 Sep | 5 Oct ... 26 Oct | 2 Nov, 9 Nov
    assert month_labels(mondays) == [(0, "Sep"), (2, "Oct"), (6, "Nov")]
    # A first label that the next would run into is left out.
    mondays = [date(2026, 9, 28) + timedelta(weeks=i) for i in range(3)]
    assert month_labels(mondays) == [(1, "Oct")]
    assert month_labels(mondays, gap=1) == [(0, "Sep"), (1, "Oct")]
    assert month_labels([]) == []


def test_weeks_that_fit() -> None:
    # 80 columns: a 4-column gutter and two columns a week leave room for 38 weeks.
    assert weeks_that_fit(80) == 38
    assert weeks_that_fit(81) == 38
    assert weeks_that_fit(500) == 53
    assert weeks_that_fit(3) == 1
    assert weeks_that_fit(20, cell=3, gutter=5, most=10) == 5


@given(today=days, weeks=st.integers(min_value=-2, max_value=60))
def test_grid_shape(today: date, weeks: int) -> None:
    grid = calendar_grid({}, (), today=today, weeks=weeks)
    count = max(weeks, 1)
    assert len(grid.weeks) == count
    assert grid.weeks[-1] <= today < grid.weeks[-1] + timedelta(days=7)
    assert all(monday.weekday() == 0 for monday in grid.weeks)
    assert all(b - a == timedelta(weeks=1) for a, b in pairwise(grid.weeks))
    for weekday, row in enumerate(grid.rows):
        for column, cell in enumerate(row):
            assert cell.day == grid.weeks[column] + timedelta(days=weekday)
            assert cell.future == (cell.day > today)
    assert grid.total == 0


@given(
    today=days,
    weeks=st.integers(min_value=1, max_value=60),
    entries=st.dictionaries(
        st.integers(min_value=-500, max_value=10), st.integers(min_value=0, max_value=6)
    ),
)
def test_grid_counts_exactly_the_meetings_it_covers(
    today: date, weeks: int, entries: dict[int, int]
) -> None:
    per_day = {today + timedelta(days=offset): n for offset, n in entries.items()}
    grid = calendar_grid(per_day, (), today=today, weeks=weeks)
    first = grid.weeks[0]
    expected = sum(n for day, n in per_day.items() if first <= day <= today)
    assert grid.total == expected
    for row in grid.rows:
        for cell in row:
            if not cell.future:
                assert cell.meetings == per_day.get(cell.day, 0)
                assert cell.level == shade_level(cell.meetings)


@given(today=days, weeks=st.integers(min_value=1, max_value=60), excused=st.sets(days, max_size=8))
def test_excused_weeks_are_whole_columns(today: date, weeks: int, excused: set[date]) -> None:
    grid = calendar_grid({}, excused, today=today, weeks=weeks)
    excused_mondays = {day - timedelta(days=day.weekday()) for day in excused}
    for column, monday in enumerate(grid.weeks):
        marks = {row[column].excused for row in grid.rows}
        assert marks == {monday in excused_mondays}


@given(start=days, count=st.integers(min_value=0, max_value=80))
def test_month_labels_never_overlap(start: date, count: int) -> None:
    monday = start - timedelta(days=start.weekday())
    mondays = [monday + timedelta(weeks=i) for i in range(count)]
    labels = month_labels(mondays)
    columns = [column for column, _ in labels]
    assert columns == sorted(set(columns))
    assert all(b - a >= 2 for a, b in pairwise(columns))
    for column, name in labels:
        assert name == MONTHS[mondays[column].month - 1]
        # Apart from the first column, a label marks the first Monday of its month.
        if column:
            assert mondays[column - 1].month != mondays[column].month


@given(width=st.integers(min_value=0, max_value=400))
def test_the_weeks_that_fit_do_fit(width: int) -> None:
    weeks = weeks_that_fit(width)
    assert 1 <= weeks <= 53
    if weeks > 1:
        assert 4 + 2 * weeks <= width
    if weeks < 53:
        assert 4 + 2 * (weeks + 1) > width

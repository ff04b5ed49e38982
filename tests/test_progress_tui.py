"""The Progress screen (key 8): the summary figures and the charts, driven through the keyboard."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from itertools import pairwise
from math import sqrt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from rich.text import Text
from textual.widgets import Static, TabbedContent
from textual_plotext import Plot

from tracker.app import TrackerApp, create_app
from tracker.clock import Clock
from tracker.domain.engagement import WeekResult
from tracker.domain.models import AttendanceFields, ExcusedWeekFields, FitFields, GroupFields
from tracker.domain.schedules import parse_schedule
from tracker.screens.progress import (
    EMPTY_SUMMARY,
    EMPTY_WEEKS,
    CalendarView,
    Chart,
    FitBars,
    ProgressScreen,
    bar_columns,
    draw_fit,
    draw_weeks,
    palette_for,
    short_name,
)
from tracker.store import Store

ODD_NAME = "[bold]Loud[/bold] [@click=app.quit]quit[/]"

# The hand-built journal: weeks (by their Monday) and the meetings in each.
WEEK_0 = date(2026, 10, 26)  # the journal begins: Tue 27 Oct (SMART) and Sat 31 Oct (odd name)
WEEK_1 = date(2026, 11, 2)  # excused (a cold), no meetings
WEEK_2 = date(2026, 11, 9)  # Tue 10 Nov only
WEEK_3 = date(2026, 11, 16)  # Tue 17 Nov and Thu 19 Nov
WEEK_4 = date(2026, 11, 23)  # this week, so far: Tue 24 Nov
SMART_DAYS = [date(2026, 10, 27), date(2026, 11, 10), date(2026, 11, 17), date(2026, 11, 24)]
ODD_DAYS = [date(2026, 10, 31)]
OTHER_DAYS = [date(2026, 11, 19)]  # a group without a schedule
GOAL = 2


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store.open(db_path, clock=Clock.fixed(TODAY))


def add_group(store: Store, name: str, schedule: str | None = None) -> int:
    text = None
    if schedule:
        parsed = parse_schedule(schedule, today=date(2026, 10, 1))
        assert parsed is not None
        text = parsed.to_text()
    return store.add_group(GroupFields(name=name, schedule=text)).id


def rate(store: Store, group_id: int, day: date, scores: tuple[int, int, int, int, int]) -> None:
    welcome, relevance, format_comfort, practical, would_return = scores
    store.add_rating(
        FitFields(
            group_id=group_id,
            date=day,
            welcome=welcome,
            relevance=relevance,
            format_comfort=format_comfort,
            practical=practical,
            would_return=would_return,
        )
    )


def build_journal(store: Store) -> dict[str, int]:
    """A small journal whose figures are easy to work out by hand (see the WEEK_ constants)."""
    store.set_weekly_goal(GOAL)
    smart = add_group(store, "Tuesday SMART", "Tuesdays 7pm")
    odd = add_group(store, ODD_NAME, "Saturdays 10am")
    other = add_group(store, "Online forum")
    for group_id, days in ((smart, SMART_DAYS), (odd, ODD_DAYS), (other, OTHER_DAYS)):
        for day in days:
            store.log_attendance(AttendanceFields(group_id=group_id, date=day, time=time(19)))
    # A missed meeting is not a meeting attended: it counts nowhere.
    store.log_attendance(AttendanceFields(group_id=smart, date=date(2026, 11, 3), attended=False))
    store.excuse_week(ExcusedWeekFields(week=WEEK_1 + timedelta(days=2), reason="illness"))
    rate(store, smart, date(2026, 10, 27), (4, 4, 4, 4, 4))
    rate(store, smart, date(2026, 11, 17), (5, 5, 4, 4, 5))
    rate(store, odd, date(2026, 10, 31), (2, 3, 3, 2, 2))
    return {"smart": smart, "odd": odd, "other": other}


def app_for(db_path: Path) -> TrackerApp:
    return create_app(db_path=db_path, today=TODAY)


def summary(app: TrackerApp) -> str:
    return text_of(app.screen.query_one("#progress-summary", Static))


def chart_text(app: TrackerApp, selector: str) -> str:
    """What a chart shows, without colours (as rendered at its current size)."""
    chart = app.screen.query_one(selector, Chart)
    chart.render()
    return chart.plt.uncolorize(chart.plt.build())


def active_tab(app: TrackerApp) -> str:
    return app.screen.query_one("#charts", TabbedContent).active


def expected_strength() -> int:
    """The strength after the journal's weeks, worked out with the rule by hand (goal 2)."""
    m = 0.5 ** (7 * sqrt(GOAL / 7) / 13)
    score = 0.0
    score = score * m + 1.0 * (1 - m)  # WEEK_0: 2 of 2 meetings
    # WEEK_1 is excused: the score stays as it was.
    score = score * m + 0.5 * (1 - m)  # WEEK_2: 1 of 2
    score = score * m + 1.0 * (1 - m)  # WEEK_3: 2 of 2
    score = max(score, score * m + 0.5 * (1 - m))  # WEEK_4, not over: may only raise it
    return round(score * 100)


# --- the summary ---------------------------------------------------------------------------------


async def test_summary_shows_the_figures_of_a_small_journal(db_path: Path, store: Store) -> None:
    build_journal(store)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        assert isinstance(app.screen, ProgressScreen)
        text = summary(app)
        assert f"Strength {expected_strength()}%" in text
        # Completed weeks: WEEK_0 met, WEEK_1 excused, WEEK_2 not met, WEEK_3 met.
        assert "2 of the last 4 weeks (1 excused)" in text
        # The journal is 4 completed weeks old: the 12 and 52 week windows would say the same
        # again ("2 of 4 weeks so far"), so they are left out.
        assert "so far" not in text
        # The run: WEEK_3 met the goal; WEEK_2 before it didn't; this week isn't over.
        assert "1 week meeting your goal" in text
        # Tuesdays from 6 Oct (the schedule's start) to today, less 3 Nov (excused): 7.
        tuesdays = [date(2026, 10, 6) + timedelta(weeks=i) for i in range(8)]
        expected = [d for d in tuesdays if d != date(2026, 11, 3)]
        attended = [d for d in SMART_DAYS if d in expected]
        line = f"Tuesday SMART +{len(attended)} of {len(expected)} scheduled sessions"
        assert re.search(line, text)
        # Saturdays from 3 Oct to today, less 7 Nov (excused); 28 Nov is still to come.
        saturdays = [date(2026, 10, 3) + timedelta(weeks=i) for i in range(8)]
        expected_sat = [d for d in saturdays if d != date(2026, 11, 7)]
        assert f"1 of {len(expected_sat)} scheduled sessions" in text
        # A group without a schedule has no line.
        assert "Online forum" not in text


async def test_summary_is_compact_in_a_small_window(db_path: Path, store: Store) -> None:
    build_journal(store)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        text = summary(app)
        assert "Tuesday SMART 4 of 7" in text
        assert f"Strength {expected_strength()}%" in text


async def test_group_names_are_shown_literally(db_path: Path, store: Store) -> None:
    build_journal(store)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        assert ODD_NAME in summary(app)
        await press(pilot, "right", "right", "right")
        assert active_tab(app) == "tab-fit"
        # plotext labels are plain text: the name appears as typed (cut to its column).
        assert "[bold]Loud" in chart_text(app, "#fit-chart")
        await pilot.click("#progress-summary")
        await pilot.click("#fit-chart")
        await settle(pilot)
        assert app.is_running


def test_chart_labels_never_carry_control_characters() -> None:
    # The store refuses them in names, but an older journal or an import might hold one.
    assert short_name("Forum\x1b[2J", 20) == "Forum␛[2J"
    assert short_name("Tuesday\nSMART", 20) == "Tuesday SMART"
    assert short_name("A very long group name indeed", 10) == "A very lo…"


# --- the charts ----------------------------------------------------------------------------------


async def test_tabs_switch_with_the_arrow_keys(db_path: Path, store: Store) -> None:
    build_journal(store)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        assert active_tab(app) == "tab-weeks"
        assert app.screen.query_one("#weeks-chart", Chart).region.height > 0
        await press(pilot, "right")
        assert active_tab(app) == "tab-strength"
        assert app.screen.query_one("#strength-chart", Chart).region.height > 0
        await press(pilot, "right")
        assert active_tab(app) == "tab-calendar"
        calendar = app.screen.query_one("#calendar", CalendarView)
        assert calendar.region.height > 0
        await press(pilot, "right")
        assert active_tab(app) == "tab-fit"
        await press(pilot, "right")
        assert active_tab(app) == "tab-weeks"
        await press(pilot, "left")
        assert active_tab(app) == "tab-fit"


async def test_w_shows_52_weeks_then_12_again(db_path: Path, store: Store) -> None:
    group = add_group(store, "NA Downtown")
    start = TODAY - timedelta(weeks=70)
    for week in range(71):
        store.log_attendance(AttendanceFields(group_id=group, date=start + timedelta(weeks=week)))
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        key = app.screen.query_one("#weeks-key", Static)
        # One meeting every week and the goal is one: every window is full.
        windows = "4 of the last 4 weeks · 12 of the last 12 weeks · 52 of the last 52 weeks"
        assert windows in summary(app)
        # The last twelve weeks reach back to September; fifty-two reach back a year.
        months_long_ago = ("Dec", "Jan", "Feb", "Mar", "Apr", "May")
        short = chart_text(app, "#weeks-chart")
        assert "last 12 weeks" in text_of(key)
        assert not any(month in short for month in months_long_ago)
        await press(pilot, "w")
        long = chart_text(app, "#weeks-chart")
        assert "last 52 weeks" in text_of(key)
        assert any(month in long for month in months_long_ago)
        await press(pilot, "w")
        assert "last 12 weeks" in text_of(key)
        assert chart_text(app, "#weeks-chart") == short


async def test_an_empty_journal_gets_friendly_words(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        screen = app.screen
        assert "Welcome" in summary(app) and "first meeting" in summary(app)
        for name in ("weeks", "strength", "fit"):
            assert not screen.query_one(f"#{name}-chart", Chart).display
            assert screen.query_one(f"#{name}-empty", Static).display
        assert EMPTY_WEEKS in text_of(screen.query_one("#weeks-empty", Static))
        assert "Rate a group" in text_of(screen.query_one("#fit-empty", Static))
        await press(pilot, "w", "right", "right")
        assert EMPTY_WEEKS in text_of(screen.query_one("#calendar-empty", Static))
        assert not screen.query_one("#calendar", CalendarView).display


async def test_a_group_without_meetings_is_still_an_empty_chart(
    db_path: Path, store: Store
) -> None:
    add_group(store, "Tuesday SMART", "Tuesdays 7pm")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        assert app.screen.query_one("#weeks-empty", Static).display
        # The journal's weeks begin with the first meeting logged: none yet, so no figures.
        assert EMPTY_SUMMARY in summary(app)
        assert "Strength" not in summary(app)


async def test_the_progress_screen_follows_new_entries(db_path: Path, store: Store) -> None:
    ids = build_journal(store)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        before = summary(app)
        # A second meeting this week meets the goal: a new run joins the one from last week.
        app.save(
            lambda: app.store.log_attendance(AttendanceFields(group_id=ids["other"], date=TODAY))
        )
        await settle(pilot)
        after = summary(app)
        assert after != before
        assert "2 weeks in a row meeting your goal" in after


async def test_theme_toggle_recolours_the_calendar(db_path: Path, store: Store) -> None:
    build_journal(store)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8", "right", "right")
        calendar = app.screen.query_one("#calendar", CalendarView)

        def cell_colours() -> set[str]:
            rendered = calendar.render()
            assert isinstance(rendered, Text)
            return {
                str(span.style.color)
                for span in rendered.spans
                if not isinstance(span.style, str) and span.style.color is not None
            }

        dark = cell_colours()
        dark_palette = palette_for(calendar)
        await press(pilot, "ctrl+t")
        assert app.theme == "textual-light"
        light = cell_colours()
        assert light and dark and light != dark
        assert palette_for(calendar) != dark_palette
        assert not palette_for(calendar).dark
        # Every chart still draws in the light theme.
        await press(pilot, "left")
        assert "%" in chart_text(app, "#strength-chart")
        await press(pilot, "ctrl+t")
        assert app.theme == "textual-dark"


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_every_chart_fits_the_window(
    db_path: Path, store: Store, size: tuple[int, int]
) -> None:
    from tracker.demo import fill_demo

    fill_demo(store, years=2, today=TODAY)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        width, height = size
        screen = app.screen
        for tab, selector in (
            ("tab-weeks", "#weeks-chart"),
            ("tab-strength", "#strength-chart"),
            ("tab-calendar", "#calendar"),
            ("tab-fit", "#fit-chart"),
        ):
            assert active_tab(app) == tab
            region = screen.query_one(selector).region
            assert region.height >= 6, tab
            assert region.right <= width and region.bottom <= height - 1, tab  # above the footer
            if tab == "tab-calendar":
                calendar = screen.query_one("#calendar", CalendarView)
                assert calendar.grid is not None
                columns = len(calendar.grid.weeks)
                # A week takes two cells after a four-cell gutter of weekday names.
                assert 4 + 2 * columns <= calendar.region.width <= width
                if width >= 120:
                    assert columns == 53  # a whole year fits
                else:
                    assert 30 <= columns < 53
            await press(pilot, "right")


async def test_summary_fits_above_the_charts_at_80x24(db_path: Path, store: Store) -> None:
    from tracker.demo import fill_demo

    fill_demo(store, years=2, today=TODAY)
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "8")
        block = app.screen.query_one("#progress-summary", Static)
        content = block.content
        assert isinstance(content, Text)
        # Every line of the summary is on screen (nothing cut off at the bottom), and it leaves
        # the charts most of the window.
        lines = content.wrap(app.console, block.content_region.width)
        assert block.content_region.height == len(lines)
        assert len(lines) <= 7
        assert app.screen.query_one("#weeks-chart", Chart).region.height >= 10


# --- drawing, without the app --------------------------------------------------------------------


def week(start: date, meetings: int, *, excused: bool = False, current: bool = False) -> WeekResult:
    return WeekResult(
        start=start, meetings=meetings, goal=GOAL, excused=excused, current=current, score=0.0
    )


async def test_excused_weeks_are_marked_and_not_drawn_as_misses(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL):
        palette = palette_for(app.screen)
        mondays = [date(2026, 11, 2) + timedelta(weeks=i) for i in range(3)]

        def drawn(weeks: list[WeekResult]) -> str:
            plt = Plot()
            draw_weeks(plt, 60, 14, palette, weeks, GOAL)
            plt.plotsize(60, 14)
            return plt.uncolorize(plt.build())

        plain = drawn([week(mondays[0], 2), week(mondays[1], 0), week(mondays[2], 1)])
        excused = drawn(
            [week(mondays[0], 2), week(mondays[1], 0, excused=True), week(mondays[2], 1)]
        )
        assert "○" not in plain
        assert excused.count("○") == 1


@given(count=st.integers(min_value=1, max_value=60), canvas=st.integers(min_value=1, max_value=300))
def test_bars_never_touch_while_there_is_room(count: int, canvas: int) -> None:
    places = bar_columns(count, canvas)
    assert len(places) == count
    assert len({bar for _, bar in places}) == 1  # every bar is as wide as the others
    if count <= canvas:
        assert all(left >= 0 and left + bar <= canvas for left, bar in places)
    for (left, bar), (next_left, _) in pairwise(places):
        assert left + bar <= next_left
        if canvas >= 2 * count:
            assert left + bar < next_left  # a gap between neighbours


@pytest.mark.parametrize(("weeks", "width"), [(12, 78), (24, 78), (52, 156), (30, 120)])
async def test_every_week_with_meetings_is_its_own_bar(
    db_path: Path, weeks: int, width: int
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL):
        palette = palette_for(app.screen)
        first = date(2025, 1, 6)
        results = [week(first + timedelta(weeks=i), (i * 7) % 4) for i in range(weeks)]
        plt = Plot()
        draw_weeks(plt, width, 12, palette, results, GOAL)
        plt.plotsize(width, 12)
        plt._set_size(width, 12)  # as textual-plotext does, so the plot may be wider than a tty
        rows = plt.uncolorize(plt.build()).splitlines()
        bottom = rows[-3]  # above the frame and the date labels
        runs = [run for run in bottom.split(" ") if "█" in run]
        assert len(runs) == sum(1 for r in results if r.meetings)


@pytest.mark.parametrize("width", [76, 156])
async def test_every_rated_group_keeps_its_label(db_path: Path, width: int) -> None:
    """plotext leaves out a tick label that comes too close to its neighbour; seven long names
    must all still be there, cut if need be."""
    names = [
        "NA Downtown",
        "MARA Tuesday Morning",
        "SMART Online",
        "Sober Hiking Club",
        "Recovery Yoga",
        "Nar-Anon Family Group",
        "Saturday Step Study",
    ]
    groups = [FitBars(name, (4.0, 3.0, 4.0, 3.0, 5.0), 3.8, 2) for name in names]
    app = app_for(db_path)
    async with app.run_test(size=SMALL):
        plt = Plot()
        draw_fit(plt, width, 16, palette_for(app.screen), groups)
        plt.plotsize(width, 16)
        plt._set_size(width, 16)
        labels = plt.uncolorize(plt.build()).splitlines()[-1]
    for name in names:
        assert name[:4] in labels, (name, labels)

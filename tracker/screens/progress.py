"""Progress: consistency figures and charts (weekly attendance against the goal, the strength score
over time, a calendar heatmap, fit per group).

Everything is read in ``fetch()`` (a worker thread) and handed to ``show()`` as plain data. The
charts draw themselves when they render, so they always fit their size and follow the theme
(ctrl+t): colours come from the current Textual theme, never fixed for a dark background.

plotext is imported here and nowhere else; the CLI never imports screens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from math import ceil
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane, Tabs
from textual_plotext import Plot, PlotextPlot

from tracker.domain import vocab
from tracker.domain.calendar_grid import LEVELS, CalendarGrid, calendar_grid, weeks_that_fit
from tracker.domain.dates import MONTH_ABBRS, WEEKDAY_ABBRS, week_start
from tracker.domain.engagement import (
    Consistency,
    ScheduleAttendance,
    WeekResult,
    schedule_attendance,
)
from tracker.domain.text import one_line
from tracker.insights import consistency_of
from tracker.screens.base import JournalScreen
from tracker.screens.literal import literal_cell, literal_line

WIDE, TALL = 120, 40  # from this size the summary gives each scheduled group a line
SCHEDULE_WEEKS = 12  # schedule-aware attendance counts the last 12 weeks (this one included)
CALENDAR_WEEKS = 53  # the heatmap shows up to a year, as many weeks as fit
SHORT_WEEKS, LONG_WEEKS = 12, 52  # the Weeks chart, toggled with w
EMPTY_WEEKS = "Log a meeting and your weeks will show here."
EMPTY_SUMMARY = "Your progress begins with the first meeting you log; Home (1) shows how to start."
EMPTY_FIT = "Rate a group after a meeting (6, then a) and the fit of each group will show here."
STRENGTH_EXPLAINED = (
    "Each week moves strength part way towards how that week went. Quieter weeks ease it "
    "gently, never to zero; excused weeks leave it as it was."
)
FIT_DIMENSIONS = tuple(vocab.FIT_DIMENSIONS)
PLOT_FRAME_ROWS = 3  # a plotext chart's frame (top and bottom) and its row of x labels
TICK_ROOM = 8  # columns between the starts of two date labels on an x axis
FIT_AXIS = 3  # columns the Fit chart's frame and y axis take
FIVE_BARS_ROOM = 13  # columns a group needs to show its five dimensions side by side
# Mid-tone colours for the five fit dimensions: distinct from each other and readable on both
# the light and the dark background.
DIMENSION_COLOURS = (
    Color(0, 120, 212),
    Color(46, 160, 90),
    Color(230, 130, 20),
    Color(150, 80, 200),
    Color(200, 60, 100),
)


# --- data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitBars:
    """One rated group's bars: the average of each fit dimension over its ratings (1-5)."""

    name: str
    averages: tuple[float, ...]  # in FIT_DIMENSIONS order
    overall: float  # the mean of the five
    ratings: int


@dataclass(frozen=True)
class ProgressData:
    today: date
    consistency: Consistency
    excused: frozenset[date]  # Mondays of excused weeks
    per_day: dict[date, int]  # meetings per day over the calendar's weeks
    attendance: tuple[ScheduleAttendance, ...]
    fit: tuple[FitBars, ...]

    @property
    def has_meetings(self) -> bool:
        return any(week.meetings for week in self.consistency.weeks)


# --- colours -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    """The chart colours for one Textual theme."""

    dark: bool
    met: Color
    below: Color
    current: Color
    excused: Color
    goal: Color
    line: Color
    muted: Color
    text: Color
    canvas: Color
    shades: tuple[Color, ...]  # calendar: 1, 2, 3+ meetings

    @staticmethod
    def style(colour: Color) -> Style:
        return Style(color=colour.rich_color)

    @staticmethod
    def rgb(colour: Color) -> tuple[int, int, int]:
        return (colour.r, colour.g, colour.b)


_palettes: dict[str, Palette] = {}


def palette_for(widget: Widget) -> Palette:
    """The palette of the app's current theme (worked out once per theme)."""
    theme = widget.app.current_theme
    if theme.name not in _palettes:
        variables = theme.to_color_system().generate()
        surface = Color.parse(variables["surface"])
        foreground = Color.parse(variables["foreground"])
        success = Color.parse(variables["success"])
        primary = Color.parse(variables["primary"])
        warning = Color.parse(variables["warning"])
        if theme.dark:
            shades = (
                surface.blend(success, 0.45),
                surface.blend(success, 0.75),
                success.lighten(0.12),
            )
            below = primary.lighten(0.08)
            excused = warning
        else:
            shades = (surface.blend(success, 0.55), success.darken(0.1), success.darken(0.3))
            below = primary.lighten(0.15)
            excused = warning.darken(0.12)
        _palettes[theme.name] = Palette(
            dark=theme.dark,
            met=success if theme.dark else success.darken(0.1),
            below=below,
            current=surface.blend(below, 0.5),
            excused=excused,
            goal=surface.blend(foreground, 0.7),
            line=primary.lighten(0.2) if theme.dark else primary,
            muted=surface.blend(foreground, 0.45),
            text=foreground,
            canvas=surface,
            shades=shades,
        )
    return _palettes[theme.name]


# --- small helpers for labels --------------------------------------------------------------------


def short_day(day: date) -> str:
    """``7 Sep``."""
    return f"{day.day} {MONTH_ABBRS[day.month - 1]}"


def short_name(name: str, width: int) -> str:
    """A group name for a chart label: one line, no control characters, cut to ``width``."""
    return one_line(name, max(width, 2))


def week_ticks(mondays: Sequence[date], per_week: float) -> tuple[list[int], list[str]]:
    """Tick positions (1-based) and labels for week bars ``per_week`` columns apart: the latest
    week is always labelled, then every k-th week back so that labels (``7 Sep``) never crowd."""
    count = len(mondays)
    if not count:
        return [], []
    step = max(1, ceil(TICK_ROOM / max(per_week, 0.1)))
    positions = list(range(count, 0, -step))[::-1]
    return positions, [short_day(mondays[p - 1]) for p in positions]


def month_ticks(mondays: Sequence[date], room: int) -> tuple[list[int], list[str]]:
    """Tick positions (1-based) and labels for a weekly series over ``room`` columns: the first
    week of every month, or of every 2nd, 3rd, 6th or 12th month when space is short. A short
    history is labelled by week instead."""
    starts = [i + 1 for i, d in enumerate(mondays) if i == 0 or d.month != mondays[i - 1].month]
    if len(starts) < 3:
        return week_ticks(mondays, room / max(len(mondays), 1))
    per_column = len(mondays) / max(room, 1)
    for every in (1, 2, 3, 6, 12):
        chosen = [p for p in starts if (mondays[p - 1].month - 1) % every == 0] or starts[:1]
        gaps = [b - a for a, b in pairwise(chosen)]
        if not gaps or min(gaps) / per_column >= 10:
            break
    labels = [
        f"{MONTH_ABBRS[mondays[p - 1].month - 1]} {mondays[p - 1].year}"
        if mondays[p - 1].month == 1 or p == chosen[0]
        else MONTH_ABBRS[mondays[p - 1].month - 1]
        for p in chosen
    ]
    return chosen, labels


def window_phrases(c: Consistency) -> list[str]:
    """The 4, 12 and 52 week phrases worth showing (see ``Consistency.distinct_windows``)."""
    return [window.phrase for window in c.distinct_windows()]


def short_phrase(row: ScheduleAttendance) -> str:
    """``9 of 12``: the attendance phrase for a narrow window."""
    return f"{row.attended} of {row.expected}" if row.expected else "none yet"


def key_line(*items: tuple[str, Color | None, str]) -> Text:
    """A chart's key: ``■ goal met  ■ below goal ...`` in the chart's colours."""
    text = Text(no_wrap=False)
    for glyph, colour, words in items:
        if text:
            text.append("  ")
        text.append(glyph, style=Style(color=colour.rich_color) if colour else "")
        text.append(f" {words}", style="dim")
    return text


# --- widgets -------------------------------------------------------------------------------------

DrawFunction = Callable[[Plot, int, int, Palette], None]


class Chart(PlotextPlot):
    """A plotext chart drawn afresh at every render, so it fits its size and the theme."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.draw: DrawFunction | None = None

    def set_draw(self, draw: DrawFunction | None) -> None:
        self.draw = draw
        self.refresh()

    def render(self) -> RenderResult:
        self.plt.clear_figure()
        if self.draw is not None and self.size.width > 8 and self.size.height > 4:
            self.draw(self.plt, self.size.width, self.size.height, palette_for(self))
        return super().render()


class CalendarView(Widget):
    """A GitHub-style heatmap of meetings per day, drawn with Rich text in theme colours."""

    DEFAULT_CSS = """
    CalendarView { height: auto; width: auto; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.per_day: dict[date, int] = {}
        self.excused: frozenset[date] = frozenset()
        self.today: date | None = None
        self.grid: CalendarGrid | None = None

    def set_data(self, per_day: dict[date, int], excused: frozenset[date], today: date) -> None:
        self.per_day, self.excused, self.today = per_day, excused, today
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        weeks = weeks_that_fit(container.width, cell=2, gutter=4, most=CALENDAR_WEEKS)
        return 4 + 2 * weeks

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 10  # the month row, seven days, a blank line and the key

    def render(self) -> RenderResult:
        if self.today is None:
            return Text()
        weeks = weeks_that_fit(self.size.width or 80, cell=2, gutter=4, most=CALENDAR_WEEKS)
        self.grid = grid = calendar_grid(self.per_day, self.excused, today=self.today, weeks=weeks)
        palette = palette_for(self)
        text = Text(no_wrap=True, overflow="crop")
        months = [" "] * (4 + 2 * len(grid.weeks) + 2)
        for column, name in grid.months:
            start = 4 + 2 * column
            months[start : start + len(name)] = list(name)
        text.append("".join(months).rstrip() + "\n", style="dim")
        for weekday, row in enumerate(grid.rows):
            text.append(f"{WEEKDAY_ABBRS[weekday]} ", style="dim")
            for cell in row:
                if cell.future:
                    text.append("  ")
                elif cell.level:
                    text.append("■ ", style=palette.style(palette.shades[cell.level - 1]))
                elif cell.excused:
                    text.append("○ ", style=palette.style(palette.excused))
                else:
                    text.append("· ", style=palette.style(palette.muted))
            text.append("\n")
        text.append("\n")
        text.append("    less ", style="dim")
        text.append("· ", style=palette.style(palette.muted))
        for level in range(1, LEVELS):
            text.append("■ ", style=palette.style(palette.shades[level - 1]))
        text.append("more", style="dim")
        text.append("   ○", style=palette.style(palette.excused))
        text.append(" excused week", style="dim")
        meetings = grid.total
        text.append(
            f"   {meetings} {'meeting' if meetings == 1 else 'meetings'} "
            f"in these {len(grid.weeks)} weeks",
            style="dim",
        )
        return text


# --- the screen ----------------------------------------------------------------------------------


class ProgressScreen(JournalScreen):
    SECTION = "progress"
    TITLE_TEXT = "your progress"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "toggle_weeks", "12/52 weeks"),
        Binding("right", "next_chart", "Next chart", key_display="←→"),
        Binding("left", "previous_chart", "Previous chart", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: ProgressData | None = None
        self.weeks_shown = SHORT_WEEKS

    def compose_body(self) -> ComposeResult:
        with Vertical(id="progress"):
            yield Static("", id="progress-summary")
            with TabbedContent(id="charts"):
                with TabPane("Weeks", id="tab-weeks"):
                    yield Chart(id="weeks-chart")
                    yield Static("", classes="chart-key", id="weeks-key")
                    yield Static("", classes="chart-empty", id="weeks-empty")
                with TabPane("Strength", id="tab-strength"):
                    yield Chart(id="strength-chart")
                    yield Static("", classes="chart-key", id="strength-key")
                    yield Static("", classes="chart-empty", id="strength-empty")
                with TabPane("Calendar", id="tab-calendar"):
                    yield CalendarView(id="calendar")
                    yield Static("", classes="chart-empty", id="calendar-empty")
                with TabPane("Fit", id="tab-fit"):
                    yield Chart(id="fit-chart")
                    yield Static("", classes="chart-key", id="fit-key")
                    yield Static("", classes="chart-empty", id="fit-empty")

    def on_mount(self) -> None:
        # JournalScreen.on_mount runs as well (Textual calls each class's handler).
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._draw_keys())
        # The arrow keys switch charts from anywhere on the screen, and the key bar says so.
        tabs = self.query_one("#charts", TabbedContent).query_one(Tabs)
        tabs.can_focus = False
        tabs.blur()

    # --- data ----------------------------------------------------------------------------------

    def fetch(self) -> ProgressData:
        store = self.store
        today = store.today()
        excused = frozenset(store.excused_week_starts())
        this_week = week_start(today)
        calendar_from = this_week - timedelta(weeks=CALENDAR_WEEKS - 1)
        schedule_from = this_week - timedelta(weeks=SCHEDULE_WEEKS - 1)
        fit = tuple(
            FitBars(
                name=row.group.name,
                averages=tuple(row.average.get(d, 0.0) for d in FIT_DIMENSIONS),
                overall=row.average_overall,
                ratings=row.ratings_count,
            )
            for row in sorted(
                store.compare_groups(),
                key=lambda r: (-r.ratings_count, r.group.name.casefold()),
            )
            if row.ratings_count and row.average_overall is not None
        )
        return ProgressData(
            today=today,
            consistency=consistency_of(store, excused),
            excused=excused,
            per_day=store.meetings_per_day(calendar_from, today),
            attendance=tuple(
                schedule_attendance(
                    store.list_groups(),
                    store.attended_sessions(schedule_from, today),
                    today=today,
                    since=schedule_from,
                    excused=excused,
                )
            ),
            fit=fit,
        )

    def show(self, data: ProgressData) -> None:
        self.data = data
        self._show_summary(data)
        has_weeks = data.has_meetings
        self._toggle("weeks", has_weeks, EMPTY_WEEKS)
        self._toggle("strength", has_weeks, EMPTY_WEEKS)
        self._toggle("fit", bool(data.fit), EMPTY_FIT)
        self.query_one("#calendar", CalendarView).display = has_weeks
        empty = self.query_one("#calendar-empty", Static)
        empty.display = not has_weeks
        empty.update(Text(EMPTY_WEEKS))
        if has_weeks:
            self.query_one("#calendar", CalendarView).set_data(
                data.per_day, data.excused, data.today
            )
        self._draw_charts()
        self._draw_keys()

    def _toggle(self, name: str, shown: bool, empty_words: str) -> None:
        self.query_one(f"#{name}-chart", Chart).display = shown
        self.query_one(f"#{name}-key", Static).display = shown
        empty = self.query_one(f"#{name}-empty", Static)
        empty.display = not shown
        empty.update(Text(empty_words))

    # --- the summary ---------------------------------------------------------------------------

    def _show_summary(self, data: ProgressData) -> None:
        c = data.consistency
        text = Text()
        if not c.weeks:
            text.append("Welcome. ", style="bold")
            text.append(EMPTY_SUMMARY)
            self.query_one("#progress-summary", Static).update(text)
            return
        text.append(f"Strength {c.percent}%", style="bold")
        text.append("   ")
        text.append(c.runs.phrase)
        text.append("\n")
        goal = f"{c.goal} {'meeting' if c.goal == 1 else 'meetings'} a week"
        text.append(f"Goal met ({goal}): ", style="bold")
        text.append(" · ".join(window_phrases(c)))
        if data.attendance:
            text.append("\n")
            text.append(f"Scheduled sessions, last {SCHEDULE_WEEKS} weeks:", style="bold")
            size = self.app.size
            if size.width >= WIDE and size.height >= TALL:
                # Room for a line each, names in a column.
                width = min(max(len(one_line(r.group.name)) for r in data.attendance), 48)
                for row in data.attendance:
                    text.append("\n  ")
                    text.append_text(literal_cell(row.group.name, width))
                    text.append(f"  {row.phrase}")
            else:
                for index, row in enumerate(data.attendance):
                    text.append(" · " if index else " ", style="dim" if index else "")
                    text.append_text(literal_line(row.group.name, width=32))
                    text.append(f" {short_phrase(row)}")
        self.query_one("#progress-summary", Static).update(text)

    # --- charts --------------------------------------------------------------------------------

    def _draw_charts(self) -> None:
        data = self.data
        if data is None:
            return
        weeks = data.consistency.weeks[-self.weeks_shown :]
        goal = data.consistency.goal
        self.query_one("#weeks-chart", Chart).set_draw(
            lambda plt, width, height, palette: draw_weeks(plt, width, height, palette, weeks, goal)
        )
        series = data.consistency.series()
        self.query_one("#strength-chart", Chart).set_draw(
            lambda plt, width, height, palette: draw_strength(plt, width, height, palette, series)
        )
        fit = data.fit
        self.query_one("#fit-chart", Chart).set_draw(
            lambda plt, width, height, palette: draw_fit(plt, width, height, palette, fit)
        )

    def _draw_keys(self) -> None:
        """The keys under the charts, in the current theme's colours."""
        data = self.data
        if data is None:
            return
        palette = palette_for(self)
        goal = data.consistency.goal
        shown = min(self.weeks_shown, len(data.consistency.weeks))
        weeks_key = key_line(
            ("■", palette.met, "goal met"),
            ("■", palette.below, "not this time"),
            ("■", palette.current, "so far"),
            ("○", palette.excused, "excused"),
            ("─", palette.goal, f"goal ({goal})"),
        )
        weeks_key.append(f"   last {shown} weeks", style="dim")
        self.query_one("#weeks-key", Static).update(weeks_key)
        self.query_one("#strength-key", Static).update(Text(STRENGTH_EXPLAINED, style="dim"))
        chart_width = self.query_one("#fit-chart", Chart).size.width or self.app.size.width
        count, five = fit_layout(len(data.fit), chart_width)
        if five:
            fit_key = key_line(
                *(
                    ("■", colour, label)
                    for colour, label in zip(
                        DIMENSION_COLOURS, vocab.FIT_SHORT.values(), strict=True
                    )
                )
            )
            fit_key.append("\nThe average of your ratings of each group, from 1 to 5.", style="dim")
        else:
            fit_key = key_line(("■", palette.line, "overall fit"))
            fit_key.append(
                "\nThe mean of the five dimensions, averaged over your ratings (1 to 5). "
                "A wider window shows each dimension.",
                style="dim",
            )
        if count < len(data.fit):
            fit_key.append(f" Showing the {count} groups you rated most often.", style="dim")
        self.query_one("#fit-key", Static).update(fit_key)
        self.query_one("#calendar", CalendarView).refresh()

    def on_resize(self) -> None:
        if self.data is not None:
            self._show_summary(self.data)
        self.call_after_refresh(self._draw_keys)

    # --- actions -------------------------------------------------------------------------------

    def action_toggle_weeks(self) -> None:
        self.weeks_shown = LONG_WEEKS if self.weeks_shown == SHORT_WEEKS else SHORT_WEEKS
        self._draw_charts()
        self._draw_keys()

    def action_next_chart(self) -> None:
        self._switch_chart(1)

    def action_previous_chart(self) -> None:
        self._switch_chart(-1)

    def _switch_chart(self, step: int) -> None:
        tabs = self.query_one("#charts", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if tabs.active in panes:
            tabs.active = panes[(panes.index(tabs.active) + step) % len(panes)]


# --- drawing (plotext) ---------------------------------------------------------------------------


def bar_columns(count: int, canvas: int) -> list[tuple[int, int]]:
    """Where ``count`` bars go across ``canvas`` columns: (first column, width) for each, in
    whole columns, so that bars never touch while there are at least two columns a bar. With
    less room than that each bar gets one column, side by side, centred."""
    if count <= 0:
        return []
    slot = canvas / count
    if slot < 2:
        offset = max((canvas - count) // 2, 0)
        return [(offset + i, 1) for i in range(count)]
    bar = max(1, min(round(slot * 0.6), int(slot) - 1))
    return [(int(i * slot + (slot - bar) / 2), bar) for i in range(count)]


def whole_rows(height: int, top: float, *, spare: int = 0) -> tuple[float, float]:
    """The top of a y axis from 0 that gives each unit the same whole number of rows (so the
    bars and the tick labels line up), with room for ``top`` and ``spare`` rows above it; and
    the rows a unit takes. A chart too short for that gets 0 to ``top``."""
    intervals = height - PLOT_FRAME_ROWS - 1  # between the bottom row and the top one
    per_unit = (intervals - spare) // top if top > 0 else 0
    if per_unit < 1:
        return top, max(intervals, 1) / max(top, 1)
    return intervals / per_unit, per_unit


def draw_weeks(
    plt: Plot,
    width: int,
    height: int,
    palette: Palette,
    weeks: Sequence[WeekResult],
    goal: int,
) -> None:
    """Bars of meetings per week against the goal line; excused weeks in their own colour, marked
    with a ring when they had no meeting, never drawn as a miss.

    The x axis counts terminal columns, and each bar is drawn column by column as a vertical
    line: plotext's own bars, when narrow, can run into each other.
    """
    if not weeks:
        return
    top = max([goal, *(w.meetings for w in weeks)]) + 1
    upper, per_unit = whole_rows(height, top)
    step = max(1, ceil(2 / per_unit))  # a label every other row at most
    ticks = list(range(0, top + 1, step))
    labels = [str(tick) for tick in ticks]
    plt.yticks([float(t) for t in ticks], labels)
    # The frame takes a column each side, and the y axis its labels and one more for the ticks.
    canvas = max(width - max(len(label) for label in labels) - 2, 1)
    plt.xlim(0, canvas - 1)
    plt.ylim(0, upper)
    plt.hline(goal, palette.rgb(palette.goal))
    places = bar_columns(len(weeks), canvas)
    for week, (left, bar) in zip(weeks, places, strict=True):
        if week.current:
            colour = palette.met if week.met else palette.current
        elif week.excused:
            colour = palette.excused
        else:
            colour = palette.met if week.met else palette.below
        if week.meetings:
            for column in range(left, left + bar):
                plt.plot(
                    [column, column], [0, week.meetings], color=palette.rgb(colour), marker="█"
                )
        elif week.excused:
            plt.text(
                "○",
                left + (bar - 1) // 2,
                0,
                color=palette.rgb(palette.excused),
                background=palette.rgb(palette.canvas),
            )
    slot = canvas / len(weeks)
    per_week = slot if slot >= 2 else 1  # see bar_columns
    positions, names = week_ticks([w.start for w in weeks], per_week)
    centres = [left + (bar - 1) // 2 for left, bar in places]
    plt.xticks([float(centres[p - 1]) for p in positions], names)


def draw_strength(
    plt: Plot,
    width: int,
    height: int,
    palette: Palette,
    series: Sequence[tuple[date, int]],
) -> None:
    """The strength score (0-100) week by week over the whole history."""
    if not series:
        return
    xs = list(range(1, len(series) + 1))
    ys = [percent for _, percent in series]
    if len(series) == 1:
        plt.scatter(xs, ys, color=palette.rgb(palette.line), marker="●")
    else:
        plt.plot(xs, ys, color=palette.rgb(palette.line), marker="braille")
    plt.ylim(0, 100)
    # Only the quarters that fall on a row, so a label never sits beside the wrong height.
    rows = max(height - PLOT_FRAME_ROWS - 1, 1)
    ticks = [t for t in (0, 25, 50, 75, 100) if abs(t * rows / 100 - round(t * rows / 100)) < 0.2]
    plt.yticks([float(t) for t in ticks], [f"{tick}%" for tick in ticks])
    plt.xlim(0.5, len(series) + 0.5)
    positions, labels = month_ticks([day for day, _ in series], width - 7)
    plt.xticks([float(p) for p in positions], labels)


def fit_layout(groups: int, width: int) -> tuple[int, bool]:
    """How the Fit chart fits ``groups`` rated groups into a chart ``width`` wide: how many
    groups it shows (those rated most often first) and whether each gets its five dimensions
    (True) or one bar of overall fit (False)."""
    room = max(width - FIT_AXIS, 1)
    shown = max(min(groups, room // 5), 1)
    return shown, room // shown >= FIVE_BARS_ROOM


def draw_columns(plt: Plot, left: int, bar: int, height: float, colour: Color) -> None:
    """One bar, drawn column by column as vertical lines on an x axis that counts columns."""
    for column in range(left, left + bar):
        plt.plot([column, column], [0, height], color=Palette.rgb(colour), marker="█")


def draw_fit(
    plt: Plot,
    width: int,
    height: int,
    palette: Palette,
    groups: Sequence[FitBars],
) -> None:
    """Each rated group's five dimension averages side by side; when the chart is too narrow for
    that, one bar of overall fit per group; and when even that doesn't fit, the groups rated
    most often."""
    if not groups:
        return
    count, five = fit_layout(len(groups), width)
    shown = groups[:count]
    # Overall fit keeps a row above the bars for their numbers.
    upper, per_unit = whole_rows(height, 5, spare=0 if five else 1)
    ticks = [1, 2, 3, 4, 5] if per_unit >= 2 else [1, 3, 5]
    plt.yticks([float(t) for t in ticks], [str(tick) for tick in ticks])
    canvas = max(width - 3, 1)  # the frame, and one column of labels and one of ticks
    plt.xlim(0, canvas - 1)
    plt.ylim(0, upper)
    slot = canvas / count
    centres: list[int] = []
    if five:
        dimensions = len(FIT_DIMENSIONS)
        each = max(int(slot * 0.8) // dimensions, 1)
        for index, group in enumerate(shown):
            left = int(index * slot + (slot - each * dimensions) / 2)
            for i, colour in enumerate(DIMENSION_COLOURS):
                draw_columns(plt, left + i * each, each, group.averages[i], colour)
            centres.append(left + (each * dimensions - 1) // 2)
    else:
        for group, (left, bar) in zip(shown, bar_columns(count, canvas), strict=True):
            draw_columns(plt, left, bar, group.overall, palette.line)
            centre = left + (bar - 1) // 2
            centres.append(centre)
            plt.text(
                f"{group.overall:.1f}",
                centre,
                group.overall + 1 / per_unit,  # one row above the bar
                color=palette.rgb(palette.text),
                background=palette.rgb(palette.canvas),
                alignment="center",
            )
    # plotext quietly leaves out a tick label that comes close to its neighbour, so labels keep
    # a few columns apart.
    plt.xticks([float(c) for c in centres], [short_name(g.name, int(slot) - 4) for g in shown])

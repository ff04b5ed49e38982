"""The dashboard: how am I doing this week, what's next, who haven't I talked to, what happened
lately. Meetings from a group's schedule can be logged from here with one key (l)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain import vocab
from tracker.domain.dates import day_in_sentence, days_ago_phrase, format_day, week_start
from tracker.domain.models import Attendance, GroupComparison, ServiceEntry
from tracker.domain.summary import (
    PersonGap,
    Session,
    WeekCount,
    coming_up,
    contact_gaps,
    goal_dots,
    recent_weeks,
    sparkline,
    this_week_phrase,
    to_log,
    weekly_counts,
)
from tracker.insights import Insights, gather
from tracker.screens import actions
from tracker.screens.base import JournalScreen, put
from tracker.screens.literal import compose_line, literal_cell, literal_line
from tracker.screens.textlines import TextLines

WEEKS_SHOWN = 12
RECENT_MAX = 30
WIDE = 120  # from this width the dashboard also shows your groups at a glance
ACTIVE = ("home-group", "regular", "trying")


@dataclass(frozen=True)
class DashboardData:
    today: date
    goal: int
    weeks: list[WeekCount]
    to_log: list[Session]
    coming_up: list[Session]
    people: list[PersonGap]
    recent: list[Attendance | ServiceEntry]
    group_count: int
    groups: list[GroupComparison]
    started: date | None
    insights: Insights


class DashboardScreen(JournalScreen):
    SECTION = "home"
    TITLE_TEXT = "your journal, private to this computer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", "Log"),
        Binding("a", "log_form", "Log other"),
        Binding("g", "app.go('groups')", "Groups"),
        Binding("p", "app.go('people')", "People"),
        Binding("i", "app.go('suggest')", "Suggestions"),
        Binding("s", "app.settings", "Settings"),
        Binding("x", "app.excuse", "Excuse a week", show=False),
        Binding("f", "app.go('fit')", "Fit", show=False),
        Binding("m", "app.go('meetings')", "Meetings", show=False),
        Binding("c", "app.go('compare')", "Compare", show=False),
        Binding("w", "goal", "Weekly goal", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: DashboardData | None = None
        self.offered: list[tuple[Session, bool]] = []
        self._sessions_shown: list[tuple[str | None, str]] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="dashboard"):
            yield Static("", id="week-line")
            yield Static("", id="weeks-line")
            yield Static("", id="welcome")
            yield Static("", id="banner")
            with Horizontal(id="dash-middle"):
                with Vertical(id="sessions-box", classes="panel"):
                    yield Static("", classes="panel-title", id="sessions-title")
                    yield OptionList(id="sessions")
                    yield Static("", id="no-sessions")
                with Vertical(id="groups-box", classes="panel"):
                    yield Static(Text("Your groups", style="bold"), classes="panel-title")
                    yield Static("", id="groups")
                with Vertical(id="people-box", classes="panel"):
                    yield Static(Text("People", style="bold"), classes="panel-title")
                    yield Static("", id="people")
            with Vertical(id="recent-box", classes="panel"):
                yield Static(Text("Recent", style="bold"), classes="panel-title")
                yield TextLines(id="recent")

    # --- data ----------------------------------------------------------------------------------

    def fetch(self) -> DashboardData:
        store = self.store
        today = store.today()
        now = self.tracker.now()
        goal = store.weekly_goal
        first_week = week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
        per_day = store.meetings_per_day(first_week, today)
        groups = store.list_groups()
        logged = store.logged_sessions(today - timedelta(days=8), today)
        # Enough for a tall terminal; a short one shows the first few.
        attendance = store.list_attendance(limit=RECENT_MAX)
        service = store.list_service(limit=RECENT_MAX // 3)
        entries: list[Attendance | ServiceEntry] = [*attendance, *service]
        recent = sorted(entries, key=lambda e: (e.date, e.created_at), reverse=True)[:RECENT_MAX]
        return DashboardData(
            today=today,
            goal=goal,
            weeks=weekly_counts(per_day, today=today, goal=goal, weeks=WEEKS_SHOWN),
            to_log=to_log(groups, logged, now=now, days=7)[:4],
            coming_up=coming_up(groups, now=now, days=7, limit=10, logged=logged),
            people=contact_gaps(store.list_people(), today=today)[:8],
            groups=sorted(
                (c for c in store.compare_groups() if c.group.status in ACTIVE),
                key=lambda c: (c.group.status != "home-group", -c.times_attended),
            )[:8],
            recent=recent,
            group_count=len(groups),
            started=store.first_meeting_date(),
            insights=gather(store),
        )

    def show(self, data: DashboardData) -> None:
        self.data = data
        self._show_weeks(data)
        self._show_banner(data)
        self._show_sessions(data)
        self._show_people(data)
        self._show_groups(data)
        self._show_recent(data)

    # --- rendering -----------------------------------------------------------------------------

    def _show_weeks(self, data: DashboardData) -> None:
        week = data.weeks[-1]
        line = Text()
        line.append("This week  ", style="bold")
        line.append(this_week_phrase(week))
        line.append("  ")
        line.append(goal_dots(week.meetings, data.goal), style="green" if week.met else "")
        figures = data.insights.consistency
        if figures.weeks:
            this_week = figures.this_week
            if this_week is not None and this_week.excused:
                line.append("  excused", style="dim")
            line.append("   ·   ", style="dim")
            line.append("Strength ", style="bold")
            line.append(f"{figures.percent}%", style="cyan")
            if figures.runs.current > 1:
                line.append(f"  · {figures.runs.current} weeks in a row", style="dim")
        put(self.query_one("#week-line", Static), line)
        values, phrase = recent_weeks(data.weeks, started=data.started)
        # The count of weeks that met the goal comes from the engagement figures, so excused
        # weeks and goals changed along the way are counted the same everywhere.
        window = data.insights.consistency.window(WEEKS_SHOWN)
        if window.counted or window.excused:
            phrase = f"goal met in {window.phrase}"
        line = Text()
        line.append(f"Last {WEEKS_SHOWN} weeks ", style="bold")
        line.append(sparkline(values, top=max(data.goal * 2, 1)), style="cyan")
        line.append(f"  {phrase}", style="dim")
        weeks_line = self.query_one("#weeks-line", Static)
        put(weeks_line, line)
        weeks_line.display = data.started is not None

    def _show_banner(self, data: DashboardData) -> None:
        """A gentle note when things have gone quieter, with what might help."""
        banner = self.query_one("#banner", Static)
        check = data.insights.check
        banner.display = check.drop
        if not check.drop:
            return
        # One line each, cut to the width: a short terminal keeps room for what's coming up.
        width = max(self.size.width - 8, 20)
        short = self.app.size.height < 32
        text = Text()
        text.append(check.summary, style="bold")
        for signal in check.signals[: 2 if short else 3]:
            text.append("\n · ")
            text.append_text(literal_line(signal.words, width=width))
        for advice in data.insights.advice[:1]:
            text.append("\n → ")
            text.append_text(literal_line(advice.words, width=width))
        top = data.insights.top(3)
        if top:
            names = " · ".join(s.entry.name for s in top)
            text.append("\nYou might try: ", style="bold")
            text.append_text(literal_line(names, width=width - 15))
            text.append("\n")
            text.append("i", style="bold")
            text.append(" shows why, and how to find them", style="dim")
        put(banner, text)

    def _show_sessions(self, data: DashboardData) -> None:
        sessions = self.query_one("#sessions", OptionList)
        highlighted = sessions.highlighted
        # What the list offers, in its order: each scheduled meeting and whether it is to log.
        offered = [(session, True) for session in data.to_log]
        offered += [
            (session, False)
            for session in data.coming_up
            if not any(
                s.group.id == session.group.id and s.when == session.when for s in data.to_log
            )
        ]
        self.offered = offered
        options = [
            Option(
                self._session_line(session, data.today, to_log=to_log),
                id=f"{'log' if to_log else 'next'}:{session.group.id}:{session.when.isoformat()}",
            )
            for session, to_log in offered
        ]
        shown = [(option.id, str(option.prompt)) for option in options]
        if shown != self._sessions_shown:
            # Rebuilt only when they change: a refresh after an unrelated write keeps the list.
            self._sessions_shown = shown
            sessions.clear_options()
            sessions.add_options(options)
            if options:
                sessions.highlighted = min(highlighted or 0, len(options) - 1)
        sessions.display = bool(options)
        title = Text("Coming up", style="bold")
        if data.to_log:
            title = Text.assemble(
                ("● To log", "bold yellow"), (" (l)", "dim"), (" and coming up", "bold")
            )
        put(self.query_one("#sessions-title", Static), title)
        no_sessions = self.query_one("#no-sessions", Static)
        no_sessions.display = not options
        if data.group_count:
            put(
                no_sessions,
                Text.assemble(
                    "Nothing scheduled in the next week. Give a group a schedule (g, then e) "
                    "to see it here; ",
                    ("a", "bold"),
                    " logs any meeting.",
                    style="dim",
                ),
            )
        else:
            put(no_sessions, Text("Your groups' meetings will show here.", style="dim"))
        welcome = self.query_one("#welcome", Static)
        welcome.display = data.group_count == 0
        put(
            welcome,
            Text.assemble(
                ("Welcome. ", "bold"),
                "This is your private journal of the support you find in recovery; it stays "
                "on this computer. Start with a group you go to, or would like to try:\n",
                ("  g", "bold"),
                " then ",
                ("a", "bold"),
                "  pick one from the starter catalogue\n",
                ("  g", "bold"),
                " then ",
                ("n", "bold"),
                "  add one you know\n",
                "Then log each meeting with ",
                ("l", "bold"),
                ". ",
                ("?", "bold"),
                " shows every key.",
            ),
        )

    def _session_line(self, session: Session, today: date, *, to_log: bool) -> Text:
        if session.day == today:
            day = "Today"
        elif to_log:
            day = f"{session.when:%a} {session.day.day}"  # "Tue 24": it was this past week
        else:
            day = f"{session.when:%a}"  # "Tue": within the coming week
        home = " (home)" if session.group.status == "home-group" else ""
        if session.logged:
            home = " ✓ logged"
        # Fit the line to the panel, so a long group name is cut, never wrapped. The list's
        # scrollbar takes its width from the lines when there are more meetings than rows, and
        # it appears only once they are in: its room is kept either way.
        sessions = self.query_one("#sessions", OptionList)
        panel = (sessions.size.width or 40) - sessions.styles.scrollbar_size_vertical
        room = max(panel - 16 - len(home) - 1, 8)
        line = compose_line(
            ("● " if to_log else "  ", "yellow"),
            (f"{day:<7}{session.when:%H:%M}  ", "bold" if to_log else ""),
            literal_line(session.group.name, width=room),
        )
        line.append(home, style="green" if session.logged else "dim")
        return line

    def on_resize(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        self._show_groups_column()
        self.call_after_refresh(self._refit_sessions)

    def _refit_sessions(self) -> None:
        """Fit the meeting lines to the list again once its width is settled (a line is cut to
        the width the list has when it is made; nothing is redrawn if they come out the
        same)."""
        if self.data is not None:
            self._show_sessions(self.data)

    def _show_groups_column(self) -> None:
        wide = self.app.size.width >= WIDE
        box = self.query_one("#groups-box")
        shown = wide and bool(self.data and self.data.groups)
        if box.display != shown:
            box.display = shown
            self.call_after_refresh(self._refit_sessions)  # the other panels' widths change

    def _show_groups(self, data: DashboardData) -> None:
        text = Text()
        if not data.groups:
            text.append("Groups you go to will show here.", style="dim")
        for row in data.groups:
            text.append_text(literal_cell(row.group.name, 22))
            last = (
                day_in_sentence(row.last_attended, today=data.today)
                if row.last_attended
                else "not yet"
            )
            text.append(f" {row.times_attended:>4}× ", style="dim")
            text.append(f"{last:<11}")
            if row.latest_overall is not None:
                text.append(f" fit {row.latest_overall:.1f}", style="dim")
            text.append("\n")
        put(self.query_one("#groups", Static), text)
        self._show_groups_column()

    def _show_people(self, data: DashboardData) -> None:
        text = Text()
        if not data.people:
            text.append("No sponsor or mentor yet.\n", style="dim")
            text.append("p, then a adds one (by alias).", style="dim")
        for gap in data.people:
            role = vocab.label(vocab.ROLES, gap.person.role).split()[0].lower()
            text.append_text(literal_cell(gap.person.alias, 10))
            text.append(f" {role:<10}", style="dim")
            since = "no contact yet" if gap.days is None else days_ago_phrase(gap.days)
            text.append(f" {since}", style="yellow" if gap.quiet else "")
            text.append("\n")
        put(self.query_one("#people", Static), text)

    def _show_recent(self, data: DashboardData) -> None:
        lines: list[Text] = []
        if not data.recent:
            lines.append(
                Text(
                    "Nothing logged yet. Your meetings, service and more will show here.",
                    style="dim",
                )
            )
        for entry in data.recent:
            line = Text(f"{format_day(entry.date, today=data.today):<11} ")
            if isinstance(entry, Attendance):
                line.append_text(literal_cell(entry.group_name, 22))
                if not entry.attended:
                    line.append("  missed  ", style="dim")
                elif entry.shared:
                    line.append("  shared  ", style="green")
                else:
                    line.append("  went    ", style="dim")
            else:
                kind = vocab.label(vocab.SERVICE_KINDS, entry.kind)
                line.append(f"{kind:<22}")
                line.append("  service ", style="magenta")
            if entry.note:
                line.append_text(
                    literal_line(entry.note, width=max(self.size.width - 48, 20), style="dim")
                )
            lines.append(line)
        self.query_one("#recent", TextLines).show(lines)

    # --- actions -------------------------------------------------------------------------------

    def action_log(self) -> None:
        """Log the highlighted scheduled meeting; with none to log, open the short form."""
        index = self.query_one("#sessions", OptionList).highlighted
        if self.data is None or index is None or index >= len(self.offered):
            actions.open_attendance_form(self.tracker)
            return
        session, to_log = self.offered[index]
        if session.logged:
            self.notify("That meeting is already logged. Press a to log another one.", timeout=4)
        elif to_log or session.day == self.data.today:
            actions.log_session(self.tracker, session.group, session.day, session.when.time())
        else:
            actions.open_attendance_form(self.tracker, group_id=session.group.id)

    @on(OptionList.OptionSelected, "#sessions")
    def _session_chosen(self) -> None:
        self.action_log()

    def action_log_form(self) -> None:
        actions.open_attendance_form(self.tracker)

    def action_goal(self) -> None:
        actions.open_goal_form(self.tracker)

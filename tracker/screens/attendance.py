"""Meetings: every meeting logged, attended or missed, newest first."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tracker.domain.dates import format_day
from tracker.domain.models import Attendance
from tracker.screens import actions
from tracker.screens.lists import Column, ListScreen, table_day
from tracker.screens.literal import compose_line, literal, literal_line


class MeetingsScreen(ListScreen):
    SECTION = "meetings"
    TITLE_TEXT = "meetings you went to (and missed)"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Date", 11),
        Column("Time", 5),
        Column("Group", 22, 30),
        Column("", 6),
        Column("Note", 18, 70),
    ]
    EMPTY_TEXT = (
        "No meetings logged yet. Press a to log one, or use `tracker log GROUP` in a shell."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Log a meeting"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
    ]

    def fetch_page(self, offset: int, limit: int) -> list[Attendance]:
        return self.store.list_attendance(limit=limit, offset=offset)

    def fetch_summary(self) -> dict[str, int]:
        return self.store.counts()

    def cells(self, entry: Attendance) -> list[Text | str]:
        today = self.tracker.today()
        if not entry.attended:
            went = Text("missed", style="dim")
        elif entry.shared:
            went = Text("shared", style="green")
        else:
            went = Text("went")
        return [
            table_day(entry.date, today),
            entry.time.strftime("%H:%M") if entry.time else "",
            literal_line(entry.group_name),
            went,
            literal_line(entry.note, style="dim"),
        ]

    def summary_text(self, summary: Any, records: list[Attendance]) -> Text:
        if not summary or not summary.get("attendance"):
            return Text()
        return Text(
            f"{summary['attendance']} meetings in your journal.  Enter edits · d deletes",
            style="dim",
        )

    def detail(self, entry: Attendance) -> Text:
        today = self.tracker.today()
        line = compose_line((format_day(entry.date, today=today), "bold"))
        if entry.time:
            line.append(f" {entry.time:%H:%M}")
        line.append("  ")
        line.append_text(literal_line(entry.group_name, style="bold"))
        line.append(
            "  " + ("missed" if not entry.attended else "shared" if entry.shared else "went"),
            style="dim",
        )
        if entry.note:
            line.append("\n")
            line.append_text(literal(entry.note))
        return line

    def add(self) -> None:
        actions.open_attendance_form(self.tracker)

    def edit(self, entry: Attendance) -> None:
        actions.open_attendance_form(self.tracker, entry=entry)

    def delete(self, entry: Attendance) -> None:
        what = compose_line(
            "the meeting at ",
            literal_line(entry.group_name),
            f" on {format_day(entry.date, today=self.tracker.today())}",
        )
        actions.delete_entry(
            self.tracker,
            what,
            lambda: self.store.delete_attendance(entry.id),
            "Deleted that meeting.",
        )

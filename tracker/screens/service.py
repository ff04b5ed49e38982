"""Volunteer service: what you gave back, when, and for how long."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tracker.domain import vocab
from tracker.domain.dates import format_day
from tracker.domain.models import ServiceEntry
from tracker.screens import actions
from tracker.screens.lists import Column, ListScreen, table_day
from tracker.screens.literal import compose_line, literal, literal_line


class ServiceScreen(ListScreen):
    SECTION = "service"
    TITLE_TEXT = "volunteer service"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Date", 11),
        Column("What", 22),
        Column("Group", 0, 24),
        Column("Min", 4),
        Column("Note", 24, 60),
    ]
    EMPTY_TEXT = (
        "No service logged yet. Setting up chairs, making coffee or greeting newcomers all count. "
        "Press a to log some."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Log service"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
    ]

    def fetch_page(self, offset: int, limit: int) -> list[ServiceEntry]:
        return self.store.list_service(limit=limit, offset=offset)

    def fetch_summary(self) -> list[ServiceEntry]:
        today = self.store.today()
        return self.store.list_service(since=date(today.year, 1, 1))

    def cells(self, entry: ServiceEntry) -> list[Text | str]:
        today = self.tracker.today()
        return [
            table_day(entry.date, today),
            vocab.label(vocab.SERVICE_KINDS, entry.kind),
            literal_line(entry.group_name) if entry.group_name else Text("—", style="dim"),
            str(entry.minutes) if entry.minutes else "",
            literal_line(entry.note, style="dim"),
        ]

    def summary_text(self, this_year: list[ServiceEntry], records: list[ServiceEntry]) -> Text:
        if not records:
            return Text()
        minutes = sum(e.minutes or 0 for e in this_year)
        hours = f"{minutes / 60:.1f}".rstrip("0").rstrip(".")
        return Text(
            f"This year: {len(this_year)} time{'s' if len(this_year) != 1 else ''}, "
            f"about {hours} hours.  Thank you.",
            style="dim",
        )

    def detail(self, entry: ServiceEntry) -> Text:
        line = compose_line(
            (format_day(entry.date, today=self.tracker.today()), "bold"),
            "  ",
            (vocab.label(vocab.SERVICE_KINDS, entry.kind), "bold"),
        )
        if entry.group_name:
            line.append(" at ")
            line.append_text(literal_line(entry.group_name))
        if entry.minutes:
            line.append(f", {entry.minutes} minutes", style="dim")
        if entry.note:
            line.append("\n")
            line.append_text(literal(entry.note))
        return line

    def add(self) -> None:
        actions.open_service_form(self.tracker)

    def edit(self, entry: ServiceEntry) -> None:
        actions.open_service_form(self.tracker, entry=entry)

    def delete(self, entry: ServiceEntry) -> None:
        what = Text(
            f"{vocab.label(vocab.SERVICE_KINDS, entry.kind).lower()} on "
            f"{format_day(entry.date, today=self.tracker.today())}"
        )
        actions.delete_entry(
            self.tracker,
            what,
            lambda: self.store.delete_service(entry.id),
            "Deleted that service entry.",
        )

"""Groups tried: the list, adding from the catalogue or by hand, editing, deleting with care."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tracker.domain import vocab
from tracker.domain.models import GroupComparison
from tracker.domain.schedules import stored_schedule
from tracker.screens import actions
from tracker.screens.lists import Column, ListScreen, table_day
from tracker.screens.literal import literal, literal_line


def schedule_words(schedule: str | None) -> str:
    parsed = stored_schedule(schedule)
    return parsed.describe() if parsed else ""


class GroupsScreen(ListScreen):
    SECTION = "groups"
    TITLE_TEXT = "groups you have tried"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Group", 22, 30),
        Column("Status", 10),
        Column("Kind", 0, 12),
        Column("Format", 0, 10),
        Column("Meets", 20, 32),
        Column("Went", 4),
        Column("Last went", 11),
    ]
    EMPTY_TEXT = (
        "No groups yet. Press a to pick one from the starter catalogue, or n to add one you know."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Catalogue"),
        Binding("n", "add_by_hand", "By hand"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("l", "log", "Log"),
        Binding("r", "rate", "Rate"),
        Binding("c", "app.go('compare')", "Compare", show=False),
    ]

    def fetch_page(self, offset: int, limit: int) -> list[GroupComparison]:
        rows = self.store.compare_groups()
        order = {"home-group": 0, "regular": 1, "trying": 2, "paused": 3, "not-for-me": 4}
        rows.sort(key=lambda c: (order.get(c.group.status, 5), c.group.name.casefold()))
        return rows[offset : offset + limit]

    def cells(self, row: GroupComparison) -> list[Text | str]:
        group = row.group
        today = self.tracker.today()
        return [
            literal_line(group.name),
            vocab.label(vocab.STATUSES, group.status),
            vocab.label(vocab.PILLARS, group.pillar).split()[0],
            vocab.label(vocab.FORMATS, group.format),
            schedule_words(group.schedule) or Text("no schedule", style="dim"),
            str(row.times_attended),
            table_day(row.last_attended, today) if row.last_attended else Text("—", style="dim"),
        ]

    def summary_text(self, summary: Any, records: list[GroupComparison]) -> Text:
        if not records:
            return Text()
        active = sum(1 for r in records if r.group.status in ("home-group", "regular", "trying"))
        plural = "s" if len(records) != 1 else ""
        return Text(
            f"{len(records)} group{plural}, {active} active.  "
            "Enter edits · l logs a meeting · r rates how it fits",
            style="dim",
        )

    def detail(self, row: GroupComparison) -> Text:
        group = row.group
        text = Text()
        text.append_text(literal(group.name, style="bold"))
        text.append(
            f"  {vocab.label(vocab.PILLARS, group.pillar)} · "
            f"{vocab.label(vocab.FORMATS, group.format)} · "
            f"{vocab.label(vocab.STATUSES, group.status)}",
            style="dim",
        )
        if group.tags:
            text.append("\nApproach: ")
            text.append_text(
                literal(", ".join(vocab.label(vocab.APPROACH_TAGS, t) for t in group.tags))
            )
        if group.schedule:
            text.append(f"\nMeets: {schedule_words(group.schedule)}")
        if group.location:
            text.append("\nWhere: ")
            text.append_text(literal_line(group.location))
        if row.latest_overall is not None:
            text.append(
                f"\nFit: latest {row.latest_overall:.1f} of 5, average {row.average_overall:.1f} "
                f"over {row.ratings_count} rating{'s' if row.ratings_count != 1 else ''}"
            )
        if group.notes:
            text.append("\n")
            text.append_text(literal(group.notes))
        return text

    def add(self) -> None:
        actions.open_catalogue(self.tracker)

    def action_add_by_hand(self) -> None:
        actions.open_group_form(self.tracker)

    def edit(self, row: GroupComparison) -> None:
        actions.open_group_form(self.tracker, group=row.group)

    def delete(self, row: GroupComparison) -> None:
        actions.delete_group(self.tracker, row.group)

    def action_log(self) -> None:
        row = self.current()
        actions.open_attendance_form(self.tracker, group_id=row.group.id if row else None)

    def action_rate(self) -> None:
        row = self.current()
        actions.open_rating_form(self.tracker, group_id=row.group.id if row else None)

    def key_of(self, record: GroupComparison) -> str:
        return str(record.group.id)

"""Compare groups side by side: how often you went, and how each fits, dimension by dimension."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tracker.domain import vocab
from tracker.domain.dates import format_day
from tracker.domain.models import GroupComparison
from tracker.screens.base import JournalScreen
from tracker.screens.fit import score_style
from tracker.screens.lists import JournalTable
from tracker.screens.literal import literal_line

COLUMN_WIDTH = 18


class CompareScreen(JournalScreen):
    SECTION = "compare"
    TITLE_TEXT = "groups side by side"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "toggle_all", "Show all / active"),
    ]

    show_all = False

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[GroupComparison] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("", classes="list-summary", id="summary")
            yield JournalTable(id="compare", cursor_type="row", zebra_stripes=True)
            yield Static("", classes="list-empty", id="empty")
            yield Static(
                Text(
                    "Fit rows show the latest rating, then the average of all your ratings of that "
                    "group (1–5). Overall is the mean of the five dimensions.",
                    style="dim",
                ),
                classes="detail",
                id="explain",
            )

    def fetch(self) -> list[GroupComparison]:
        return self.store.compare_groups()

    def show(self, rows: list[GroupComparison]) -> None:
        self.rows = rows
        # Groups with nothing to compare yet (no meetings, no ratings) are hidden unless asked for.
        shown = [r for r in rows if self.show_all or r.times_attended or r.ratings_count]
        shown.sort(key=lambda r: (-r.times_attended, r.group.name.casefold()))
        table = self.query_one("#compare", DataTable)
        table.clear(columns=True)
        empty = self.query_one("#empty", Static)
        table.display = bool(shown)
        empty.display = not shown
        hidden = len(rows) - len(shown)
        summary = f"{len(shown)} groups" + (
            f" ({hidden} with no meetings or ratings hidden; x shows all)" if hidden else ""
        )
        self.query_one("#summary", Static).update(Text(summary, style="dim"))
        if not shown:
            empty.update(
                Text(
                    "Log a meeting or rate a group, and it will show here side by side.",
                    style="dim",
                )
            )
            return
        table.add_column("", width=14, key="what")
        for row in shown:
            table.add_column(
                literal_line(row.group.name, width=COLUMN_WIDTH, style="bold"),
                width=COLUMN_WIDTH,
                key=str(row.group.id),
            )
        today = self.tracker.today()

        def line(label: str, values: list[Text | str]) -> None:
            table.add_row(Text(label, style="bold"), *values, key=label)

        line("Status", [vocab.label(vocab.STATUSES, r.group.status) for r in shown])
        line("Kind", [vocab.label(vocab.PILLARS, r.group.pillar) for r in shown])
        line("Format", [vocab.label(vocab.FORMATS, r.group.format) for r in shown])
        line("Went", [str(r.times_attended) for r in shown])
        line("Missed", [str(r.times_missed) for r in shown])
        line("Shared", [str(r.times_shared) for r in shown])
        line(
            "Last went",
            [format_day(r.last_attended, today=today) if r.last_attended else "—" for r in shown],
        )
        line("Ratings", [str(r.ratings_count) for r in shown])
        for name, label in vocab.FIT_SHORT.items():
            line(label, [self._score(r.latest.get(name), r.average.get(name)) for r in shown])
        line(
            "Overall", [self._score(r.latest_overall, r.average_overall, bold=True) for r in shown]
        )

    @staticmethod
    @staticmethod
    def _score(latest: float | None, average: float | None, *, bold: bool = False) -> Text:
        """ "4  avg 4.2": the latest rating (a whole number, or one decimal for Overall), then the
        average of all ratings."""
        if latest is None or average is None:
            return Text("—", style="dim")
        text = Text()
        latest_text = f"{latest:.1f}" if bold else f"{latest:g}"
        text.append(latest_text, style=("bold " if bold else "") + score_style(latest))
        text.append(f"  avg {average:.1f}", style="dim")
        return text

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.show(self.rows)

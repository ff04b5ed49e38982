"""Find your fit: dated ratings of how well each group fits, on five honest dimensions."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tracker.domain import vocab
from tracker.domain.dates import format_day
from tracker.domain.models import FitRating
from tracker.screens import actions
from tracker.screens.lists import Column, ListScreen, table_day
from tracker.screens.literal import compose_line, literal, literal_line

SHORT = {
    "welcome": "Welc",
    "relevance": "Path",
    "format_comfort": "Frmt",
    "practical": "Prac",
    "would_return": "Back",
}


def score_style(score: float) -> str:
    return "green" if score >= 4 else "yellow" if score >= 3 else "red"


class FitScreen(ListScreen):
    SECTION = "fit"
    TITLE_TEXT = "find your fit"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Date", 11),
        Column("Group", 18, 28),
        *[Column(SHORT[name], 4) for name in vocab.FIT_DIMENSIONS],
        Column("Avg", 4),
        Column("Note", 0, 50),
    ]
    EMPTY_TEXT = (
        "No ratings yet. After a meeting, press a to rate how the group fits you. "
        "Not every group is right for everyone; keep exploring."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Rate a group"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("c", "app.go('compare')", "Compare"),
    ]

    def fetch_page(self, offset: int, limit: int) -> list[FitRating]:
        return self.store.list_ratings(limit=limit, offset=offset)

    def cells(self, rating: FitRating) -> list[Text | str]:
        today = self.tracker.today()
        scores = [
            Text(str(v), style=score_style(v), justify="center") for v in rating.scores().values()
        ]
        return [
            table_day(rating.date, today),
            literal_line(rating.group_name),
            *scores,
            Text(f"{rating.average:.1f}", style="bold " + score_style(rating.average)),
            literal_line(rating.note, style="dim"),
        ]

    def summary_text(self, summary: Any, records: list[FitRating]) -> Text:
        if not records:
            return Text()
        return Text(
            "Welc = felt welcome · Path = relevant to my path · Frmt = format and size · "
            "Prac = practical fit · Back = would return",
            style="dim",
        )

    def detail(self, rating: FitRating) -> Text:
        text = compose_line(
            (format_day(rating.date, today=self.tracker.today()), "bold"),
            "  ",
            literal_line(rating.group_name, style="bold"),
            f"  {rating.average:.1f} of 5 overall (the mean of the five)",
        )
        text.append("\n")
        text.append(
            "  ".join(
                f"{label}: {getattr(rating, name)}" for name, label in vocab.FIT_DIMENSIONS.items()
            ),
            style="dim",
        )
        if rating.note:
            text.append("\n")
            text.append_text(literal(rating.note))
        return text

    def add(self) -> None:
        actions.open_rating_form(self.tracker)

    def edit(self, rating: FitRating) -> None:
        actions.open_rating_form(self.tracker, rating=rating)

    def delete(self, rating: FitRating) -> None:
        what = compose_line(
            "the rating of ",
            literal_line(rating.group_name),
            f" from {format_day(rating.date, today=self.tracker.today())}",
        )
        actions.delete_entry(
            self.tracker, what, lambda: self.store.delete_rating(rating.id), "Deleted that rating."
        )

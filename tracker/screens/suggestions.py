"""Suggestions: groups from the starter catalogue you haven't tried, ranked for you, each with its
reasons and how to find one. Try one (a), set it aside for good (d) or for two weeks (z)."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain.dates import format_day
from tracker.domain.suggestions import SNOOZE_DAYS, Suggestion
from tracker.insights import Insights, gather
from tracker.screens import actions
from tracker.screens.base import JournalScreen
from tracker.screens.catalogue import entry_detail
from tracker.screens.literal import literal, literal_line

WIDE = 110


class SuggestionsScreen(JournalScreen):
    SECTION = "suggest"
    TITLE_TEXT = "groups you might try, and why"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "try_it", "Try it"),
        Binding("d", "not_for_me", "Not for me"),
        Binding("z", "snooze", "Snooze"),
        Binding("u", "undo", "Undo"),
        Binding("s", "app.settings", "Settings"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.insights: Insights | None = None
        self.shown: list[Suggestion] = []
        self.last_feedback: tuple[str, str] | None = None  # (slug, name) to undo

    def compose_body(self) -> ComposeResult:
        with Vertical(id="suggest-body", classes="list-body"):
            yield Static("", id="suggest-status")
            with Horizontal(id="suggest-main"):
                yield OptionList(id="suggestions")
                with VerticalScroll(id="suggest-detail-box"):
                    yield Static("", id="suggest-detail")

    def fetch(self) -> Insights:
        return gather(self.store)

    def show(self, insights: Insights) -> None:
        self.insights = insights
        self.shown = insights.suggestions
        self._show_status(insights)
        listing = self.query_one("#suggestions", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        # Cut each line to the list's width (two fifths of the screen when wide), never wrap.
        width = self.app.size.width
        room = max((width * 2 // 5 if width >= WIDE else width) - 8, 12)
        for number, suggestion in enumerate(self.shown, start=1):
            line = Text()
            line.append(f"{number:>2} ", style="dim")
            line.append_text(literal_line(suggestion.entry.name, width=room, style="bold"))
            line.append("\n   ")
            line.append_text(literal_line(suggestion.why, width=room, style="dim"))
            listing.add_option(Option(line, id=suggestion.entry.slug))
        if self.shown:
            listing.highlighted = min(highlighted or 0, len(self.shown) - 1)
        self._show_detail()

    def _show_status(self, insights: Insights) -> None:
        # One line each, cut to the width; a short terminal gets the first few, so the list
        # keeps its room.
        width = max(self.size.width - 4, 20)
        short = self.app.size.height < 32
        text = Text()
        check = insights.check
        if check.drop:
            text.append(check.summary, style="bold")
            for signal in check.signals[: 2 if short else None]:
                text.append("\n · ")
                text.append_text(literal_line(signal.words, width=width))
        else:
            text.append(
                "Ideas for whenever you'd like to try something new, ranked for you.",
                style="bold",
            )
        for advice in insights.advice[: 1 if short else None]:
            text.append("\n → ")
            text.append_text(literal_line(advice.words, width=width))
        if not insights.profile.asked:
            text.append("\nAnswer a few questions under Settings (s) and these fit you better.")
        self.query_one("#suggest-status", Static).update(text)

    def _current(self) -> Suggestion | None:
        listing = self.query_one("#suggestions", OptionList)
        if listing.highlighted is None or not self.shown:
            return None
        return self.shown[min(listing.highlighted, len(self.shown) - 1)]

    @on(OptionList.OptionHighlighted, "#suggestions")
    def _show_detail(self) -> None:
        detail = self.query_one("#suggest-detail", Static)
        suggestion = self._current()
        if suggestion is None:
            detail.update(
                Text(
                    "No suggestions right now: you've tried, turned down or snoozed everything "
                    "in the starter catalogue. u undoes your last choice here; "
                    "`tracker suggest --undo SLUG` brings back any other.",
                    style="dim",
                )
            )
            return
        text = Text()
        text.append_text(literal(suggestion.entry.name, style="bold"))
        reasons = [r for r in suggestion.reasons if r.weight > 0]
        if reasons:
            text.append("\nWhy: ", style="bold green")
            text.append_text(literal("; ".join(r.words for r in reasons) + "."))
        for caveat in suggestion.caveats:
            text.append("\nBut: ", style="bold yellow")
            text.append_text(literal(caveat + "."))
        text.append("\n")
        text.append_text(entry_detail(suggestion.entry, header=False))
        text.append("\n\n")
        text.append("a", style="bold")
        text.append(" adds it to your groups to try · ", style="dim")
        text.append("d", style="bold")
        text.append(" not for me · ", style="dim")
        text.append("z", style="bold")
        text.append(f" not now ({SNOOZE_DAYS} days)", style="dim")
        detail.update(text)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")

    # --- actions -------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#suggestions")
    def action_try_it(self) -> None:
        suggestion = self._current()
        if suggestion is not None and self.insights is not None:
            formats = self.insights.profile.formats
            actions.open_group_form(self.tracker, entry=suggestion.entry, formats=formats)

    def action_not_for_me(self) -> None:
        suggestion = self._current()
        if suggestion is None:
            return
        entry = suggestion.entry
        self.last_feedback = (entry.slug, entry.name)
        self.tracker.save(
            lambda: self.store.dismiss_suggestion(entry.slug),
            message=f"{entry.name} won't be suggested again (u undoes this).",
        )

    def action_snooze(self) -> None:
        suggestion = self._current()
        if suggestion is None:
            return
        entry = suggestion.entry
        until = self.tracker.today() + timedelta(days=SNOOZE_DAYS)
        self.last_feedback = (entry.slug, entry.name)
        self.tracker.save(
            lambda: self.store.snooze_suggestion(entry.slug, until),
            message=f"{entry.name} is snoozed until "
            f"{format_day(until, today=self.tracker.today())} (u undoes this).",
        )

    def action_undo(self) -> None:
        if self.last_feedback is None:
            self.notify("Nothing to undo here.", markup=False)
            return
        slug, name = self.last_feedback
        self.last_feedback = None
        self.tracker.save(
            lambda: self.store.clear_suggestion_feedback(slug),
            message=f"{name} is back among the suggestions.",
        )

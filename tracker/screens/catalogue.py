"""The starter catalogue: browse and search the kinds of support the guide describes, and pick
one to add as a group."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tracker.domain import vocab
from tracker.domain.catalogue import CatalogueEntry, load_catalogue, search_catalogue
from tracker.domain.suggestions import tried_slugs
from tracker.screens.literal import literal, literal_line


class CatalogueScreen(ModalScreen[CatalogueEntry | None]):
    """Returns the chosen entry, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="catalogue-screen")
        self.entries: list[CatalogueEntry] = []
        self.shown: list[CatalogueEntry] = []
        self.tried: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="catalogue"):
            yield Static(Text("Starter catalogue: kinds of support to try", style="bold"))
            with Horizontal(id="catalogue-filters"):
                yield Input(
                    placeholder="Search, e.g. smart, online, family",
                    id="catalogue-search",
                    compact=True,
                )
                yield Select(
                    [(label, code) for code, label in vocab.PILLARS.items()],
                    prompt="any kind",
                    id="catalogue-pillar",
                    compact=True,
                )
                yield Select(
                    [(label, code) for code, label in vocab.FORMATS.items()],
                    prompt="any format",
                    id="catalogue-format",
                    compact=True,
                )
            with Horizontal(id="catalogue-main"):
                yield OptionList(id="catalogue-list")
                with VerticalScroll(id="catalogue-detail-box"):
                    yield Static("", id="catalogue-detail")
            yield Static(
                Text(
                    "Type to search · ↑↓ choose · Enter adds it as a group · Esc cancels",
                    style="dim",
                )
            )

    def on_mount(self) -> None:
        self.query_one("#catalogue-search", Input).focus()
        self.run_worker(self._load, thread=True, name="load catalogue")

    def _load(self) -> None:
        entries = load_catalogue()
        tried = tried_slugs(self.app.store.list_groups(), entries)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._loaded, entries, tried)

    def _loaded(self, entries: list[CatalogueEntry], tried: set[str]) -> None:
        self.entries = entries
        self.tried = tried
        self.refilter()

    @on(Input.Changed, "#catalogue-search")
    @on(Select.Changed)
    def refilter(self) -> None:
        query = self.query_one("#catalogue-search", Input).value
        pillar = self.query_one("#catalogue-pillar", Select).value
        fmt = self.query_one("#catalogue-format", Select).value
        self.shown = search_catalogue(
            self.entries,
            query,
            pillar=None if pillar is Select.NULL else str(pillar),
            format=None if fmt is Select.NULL else str(fmt),
        )
        listing = self.query_one("#catalogue-list", OptionList)
        listing.clear_options()
        # Each entry takes two lines, cut to the list's width rather than wrapped.
        room = max((listing.size.width or 32) - 4, 12)
        for entry in self.shown:
            line = Text()
            line.append("✓ " if entry.slug in self.tried else "  ", style="green")
            line.append_text(literal_line(entry.name, width=room))
            kind = vocab.label(vocab.PILLARS, entry.pillar).split()[0].lower()
            formats = ", ".join(vocab.label(vocab.FORMATS, f).lower() for f in entry.formats)
            line.append("\n")
            line.append_text(literal_line(f"    {kind} · {formats}", width=room + 2, style="dim"))
            listing.add_option(Option(line, id=entry.slug))
        if self.shown:
            listing.highlighted = 0
        self._show_detail()

    def _current(self) -> CatalogueEntry | None:
        listing = self.query_one("#catalogue-list", OptionList)
        if listing.highlighted is None or not self.shown:
            return None
        return self.shown[listing.highlighted]

    @on(OptionList.OptionHighlighted, "#catalogue-list")
    def _show_detail(self) -> None:
        entry = self._current()
        detail = self.query_one("#catalogue-detail", Static)
        if entry is None:
            detail.update(
                Text("Nothing matches. Try fewer words, or clear the filters.", style="dim")
            )
            return
        detail.update(entry_detail(entry, tried=entry.slug in self.tried))

    def action_move(self, step: int) -> None:
        listing = self.query_one("#catalogue-list", OptionList)
        if not self.shown:
            return
        current = listing.highlighted or 0
        listing.highlighted = max(0, min(len(self.shown) - 1, current + step))

    @on(Input.Submitted, "#catalogue-search")
    @on(OptionList.OptionSelected, "#catalogue-list")
    def _chosen(self) -> None:
        entry = self._current()
        if entry is not None:
            self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)


def entry_detail(entry: CatalogueEntry, *, tried: bool = False, header: bool = True) -> Text:
    """What a catalogue entry is, what it helps with, and how to find one near you."""
    text = Text()
    if header:
        text.append_text(literal(entry.name, style="bold"))
        text.append("\n")
    kind = vocab.label(vocab.PILLARS, entry.pillar)
    formats = "/".join(vocab.label(vocab.FORMATS, f) for f in entry.formats)
    parts = [kind] if formats == kind else [kind, formats]
    text.append(" · ".join([*parts, vocab.label(vocab.AUDIENCES, entry.audience)]), style="dim")
    if tried:
        text.append("\nAlready in your journal.", style="green")
    text.append("\n\n")
    text.append_text(literal(entry.description))
    if entry.approaches:
        text.append("\n\nApproach: ", style="bold")
        text.append(", ".join(vocab.label(vocab.APPROACH_TAGS, a) for a in entry.approaches))
    if entry.barriers:
        text.append("\nHelps with: ", style="bold")
        text.append(", ".join(vocab.label(vocab.BARRIERS, b).lower() for b in entry.barriers))
    if entry.how_to_find:
        text.append("\n\nHow to find one\n", style="bold")
        for step in entry.how_to_find:
            text.append("• ")
            text.append_text(literal(step))
            text.append("\n")
    phrases = entry.search_phrases_for("your area")
    if phrases:
        text.append("\nSearch for\n", style="bold")
        for phrase in phrases:
            text.append("  ")
            text.append_text(literal(f"“{phrase}”"))
            text.append("\n")
    if entry.website:
        text.append("\nWebsite: ", style="bold")
        text.append_text(literal(entry.website))
    return text

"""The Search screen: find anything in the journal, from anywhere, with ``/``.

A box at the top reads words and filters (see :mod:`tracker.domain.search`); the results update
as the person types, a moment after the last key, in a worker thread, so the screen never waits
on the database. Below them, the highlighted result's whole note.

Matched words come from the store between two marker characters. They are turned into our own
highlight style here, piece by piece: user text is appended to ``rich.text.Text`` as plain
strings, so ``[bold]`` or ``[@click=app.quit]`` in a note shows as typed and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tracker.domain.dates import format_day
from tracker.domain.search import Found, Results, SearchQuery, marked_segments, parse_query
from tracker.domain.text import counted, printable
from tracker.errors import InvalidField, TrackerError
from tracker.screens import actions
from tracker.screens.base import TitleBar
from tracker.screens.keybar import KeyBar
from tracker.screens.lists import WIDE, table_day

if TYPE_CHECKING:
    from tracker.app import TrackerApp
    from tracker.store import Store

#: Our highlight for matched words (the only styling a match gets). Readable on both themes.
MATCH_STYLE = "bold #1b1b1b on #e8c170"
PLACEHOLDER = 'words, "a phrase", shar*  ·  kind:contact person:sam since:march'
EMPTY_STATUS = "Type to search your notes, groups and people."
HINT = (
    ("coffee chair", "entries with both words (in any form: meeting finds meetings)"),
    ('"first time"', "a phrase, word for word"),
    ("shar*", "words that start with it: shared, sharing"),
    ("call OR text", "either word;  -online or NOT online leaves a word out"),
    ("kind:contact", "only contacts (meeting, contact, service, fit, group, person)"),
    ("group:smart", "one group;  person:sam one person (or person:sponsor)"),
    ("method:call", "contacts made that way: call, text, in-person, video"),
    ("since:march", 'and until:"last week", in:2025, since:"last 90 days"'),
)
NOTHING_FOUND = "Nothing found. Try fewer words, or shar* for words that start with it."
DEBOUNCE = 0.15  # seconds after the last key before the search runs
PAGE = 50  # results read at a time; more as the highlight nears the end


# --- text with our highlights ---------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def marked_text(text: str, *, style: str = "", one_line: bool = False) -> Text:
    """Text from the store with its matches in :data:`MATCH_STYLE`, everything else literal.

    Each piece is appended as a plain string (never parsed as markup), after control characters
    are made visible. ``one_line`` turns newlines and runs of spaces into single spaces.
    """
    result = Text(style=style)
    for piece, matched in marked_segments(text):
        shown = _SPACES.sub(" ", piece) if one_line else piece
        result.append(printable(shown, keep_newlines=not one_line), MATCH_STYLE if matched else "")
    return result


def _cell(text: str | Text, width: int, style: str = "") -> Text:
    """Our own short text, cut or padded to ``width`` cells."""
    cell = text.copy() if isinstance(text, Text) else Text(printable(text), style=style)
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


def clip_to_match(text: Text, width: int) -> Text:
    """``text`` cut at the start, when its first match would be out of sight in ``width``."""
    matches = [span for span in text.spans if span.style == MATCH_STYLE]
    if width <= 0 or not matches or matches[0].end <= width - 1:
        return text
    first = matches[0].start
    start = max(first - width // 4, 0)
    space = text.plain.find(" ", start, first)
    if 0 <= space < first - width // 8:  # start at a word, unless that leaves no context
        start = space + 1
    clipped = Text("…")
    clipped.append_text(text[start:])
    return clipped


INDENT = 23  # where a result's second line starts: under its "about"


def result_line(found: Found, *, today: date, width: int = 0) -> Text:
    """A result in two lines: day, kind, about and detail; then the snippet, indented, cut
    so that its first match shows in ``width`` cells (0: not cut)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append_text(_cell(table_day(found.day, today) if found.day else "", 11, "dim"))
    line.append(" ")
    line.append_text(_cell(found.label, 10, "bold"))
    line.append(" ")
    line.append_text(marked_text(found.about, style="bold", one_line=True))
    if found.detail:
        line.append("  ")
        line.append(printable(found.detail), style="dim")
    line.append("\n" + " " * INDENT)
    if found.snippet:
        snippet = marked_text(found.snippet, one_line=True)
        line.append_text(clip_to_match(snippet, width - INDENT) if width else snippet)
    else:
        line.append("(no note)", style="dim")
    return line


def preview(found: Found, *, today: date) -> Text:
    """The whole of a result: when, what, and all of its note with the matches highlighted."""
    text = Text()
    text.append(found.label, style="bold")
    if found.day is not None:
        text.append("  ·  ")
        text.append(format_day(found.day, today=today))
    text.append("\n")
    text.append_text(marked_text(found.about, style="bold", one_line=True))
    if found.detail:
        text.append("  ·  ", style="dim")
        text.append(printable(found.detail), style="dim")
    text.append("\n\n")
    if found.note:
        text.append_text(marked_text(found.note))
    else:
        text.append("No note written.", style="dim")
    return text


def status_line(query: SearchQuery, results: Results) -> Text:
    """``23 entries · contacts with 'sam', since 1 Mar 2026``."""
    text = Text()
    if not results.total:
        text.append(NOTHING_FOUND)
    else:
        text.append(counted(results.total, "entry", "entries"), style="bold")
        text.append(", best match first" if query.match else ", newest first", style="dim")
    if query.has_filters:
        text.append(" · ")
        text.append(printable(query.describe()))
    return text


def hint() -> Text:
    text = Text("You can search:\n", style="bold")
    for example, meaning in HINT:
        text.append(f"  {example:<14}", style="bold")
        text.append(f"{meaning}\n", style="dim")
    text.append("\n↓ or Tab moves to the results · Enter opens one · Esc goes back", style="dim")
    return text


# --- opening what was found ----------------------------------------------------------------------


def open_found(app: TrackerApp, found: Found) -> None:
    """Open the edit form of the entry ``found`` stands for (read afresh in a worker).

    A milestone isn't an entry: nothing happens.
    """
    openers: dict[str, tuple[Callable[[Store, int], Any], Callable[[Any], None]]] = {
        "attendance": (
            lambda store, i: store.get_attendance(i),
            lambda entry: actions.open_attendance_form(app, entry=entry),
        ),
        "contact": (
            lambda store, i: store.get_contact(i),
            lambda contact: actions.open_contact_form(app, contact=contact),
        ),
        "service": (
            lambda store, i: store.get_service(i),
            lambda entry: actions.open_service_form(app, entry=entry),
        ),
        "rating": (
            lambda store, i: store.get_rating(i),
            lambda rating: actions.open_rating_form(app, rating=rating),
        ),
        "group": (
            lambda store, i: store.get_group(i),
            lambda group: actions.open_group_form(app, group=group),
        ),
        "person": (
            lambda store, i: store.get_person(i),
            lambda person: actions.open_person_form(app, person=person),
        ),
    }
    opener = openers.get(found.kind)
    if opener is None:
        return
    fetch, show = opener
    actions.with_data(app, lambda store: fetch(store, found.id), show)


def found_key(found: Found) -> str:
    return f"{found.kind}:{found.id}"


# --- the screen ----------------------------------------------------------------------------------


class ResultList(OptionList):
    """The results. Up on the first one goes back to the search box."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open")]

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted <= 0:
            self.screen.query_one("#search-input", Input).focus()
            return
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        # No wrapping round to the top: the next page loads as the end comes near.
        if self.highlighted is not None and self.highlighted >= self.option_count - 1:
            return
        super().action_cursor_down()


class SearchBox(Input):
    """The search box. Down moves into the results (as Tab does)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_results", "Results", key_display="↓"),
    ]


class SearchScreen(ModalScreen[None]):
    """Search the journal. Esc goes back to where the person was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("slash", "to_box", "Search box", key_display="/"),
    ]
    AUTO_FOCUS = "#search-input"

    def __init__(self) -> None:
        super().__init__(classes="search-screen")
        self.found: list[Found] = []
        self.total = 0
        self.query_text = ""  # what the shown results were searched for
        self.searched: SearchQuery | None = None
        self._timer: Timer | None = None
        self._generation = 0
        self._searching = False
        self._loading_more = False
        self._enter_waiting = False
        self._stale = False
        self._options_width = 0

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar("search your journal")
        with Vertical(id="search-body"):
            yield SearchBox(placeholder=PLACEHOLDER, id="search-input", compact=True)
            yield Static(Text(EMPTY_STATUS, style="dim"), id="search-status")
            with Horizontal(id="search-main"):
                with Vertical(id="search-left"):
                    yield ResultList(id="search-results")
                    with VerticalScroll(id="search-hint-box", can_focus=False):
                        yield Static(hint(), id="search-hint")
                with VerticalScroll(id="search-preview-box", can_focus=False):
                    yield Static("", id="search-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_layout()
        self._show_found()
        self.watch(self.app, "revision", self._journal_changed, init=False)

    def on_resize(self) -> None:
        self._show_layout()
        if self.found and self._list_width() != self._options_width:
            self._show_found(keep_key=self._highlighted_key())

    def _list_width(self) -> int:
        """The cells a result line has: the screen less padding and the scroll bar; three
        fifths of that beside the preview when wide."""
        width = self.app.size.width - 2
        if width + 2 >= WIDE:
            width = width * 3 // 5
        return max(width - 2, 20)

    def _option(self, found: Found) -> Option:
        line = result_line(found, today=self.tracker.today(), width=self._options_width)
        return Option(line, id=found_key(found))

    def _show_layout(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")

    # --- searching -------------------------------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.search_now)

    def search_now(self, *, keep: bool = False) -> None:
        """Search for what the box holds (``keep``: as many results as shown, same place)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.query_one("#search-input", Input).value
        self._generation += 1
        generation = self._generation
        limit = max(PAGE, len(self.found)) if keep else PAGE
        today = self.tracker.today()
        store = self.tracker.store
        self._searching = True

        def work() -> None:
            worker = get_current_worker()
            try:
                query = parse_query(text, today=today)
                results = store.search(query, limit=limit) if not query.is_empty else None
            except TrackerError as error:
                if not worker.is_cancelled:
                    self.app.call_from_thread(self._failed, generation, error)
                return
            if not worker.is_cancelled:
                self.app.call_from_thread(self._arrived, generation, text, query, results, keep)

        self.run_worker(work, thread=True, exclusive=True, group="search", name="search")

    def _current_generation(self, generation: int) -> bool:
        return generation == self._generation and self.is_attached

    def _arrived(
        self,
        generation: int,
        text: str,
        query: SearchQuery,
        results: Results | None,
        keep: bool,
    ) -> None:
        if not self._current_generation(generation):
            return
        self._searching = False
        self._loading_more = False
        key = self._highlighted_key() if keep else None
        self.query_text = text
        self.searched = query if results is not None else None
        self.found = list(results.found) if results is not None else []
        self.total = results.total if results is not None else 0
        status = self.query_one("#search-status", Static)
        if results is None:
            status.update(Text(EMPTY_STATUS, style="dim"))
        else:
            status.update(status_line(query, results))
        self._show_found(keep_key=key)
        if self._enter_waiting:
            self._enter_waiting = False
            self.action_to_results()

    def _failed(self, generation: int, error: TrackerError) -> None:
        """A search that can't be read: say how to fix it; the last results stay."""
        if not self._current_generation(generation):
            return
        self._searching = False
        self._loading_more = False  # a page that failed may be asked for again
        self._enter_waiting = False
        style = "yellow" if isinstance(error, InvalidField) else "red"
        self.query_one("#search-status", Static).update(Text(printable(error.message), style))

    def _show_found(self, keep_key: str | None = None) -> None:
        listing = self.query_one("#search-results", ResultList)
        highlighted = listing.highlighted
        listing.clear_options()
        self._options_width = self._list_width()
        listing.add_options(self._option(found) for found in self.found)
        empty = self.searched is None
        listing.display = not empty
        self.query_one("#search-hint-box").display = empty
        if self.found:
            index = 0
            if keep_key is not None:
                index = next(
                    (i for i, f in enumerate(self.found) if found_key(f) == keep_key),
                    min(highlighted or 0, len(self.found) - 1),
                )
            listing.highlighted = index
        self._show_preview()

    def _more(self) -> None:
        """Read the next page of results when the highlight nears the end."""
        if self._loading_more or self._searching or self.searched is None:
            return
        if len(self.found) >= self.total:
            return
        self._loading_more = True
        generation, query, offset = self._generation, self.searched, len(self.found)
        store = self.tracker.store

        def work() -> None:
            try:
                results = store.search(query, limit=PAGE, offset=offset)
            except TrackerError as error:
                self.app.call_from_thread(self._failed, generation, error)
                return
            self.app.call_from_thread(self._more_arrived, generation, results)

        self.run_worker(work, thread=True, group="search-more", name="more results")

    def _more_arrived(self, generation: int, results: Results) -> None:
        if not self._current_generation(generation):
            return
        self._loading_more = False
        seen = {found_key(f) for f in self.found}
        new = [f for f in results.found if found_key(f) not in seen]
        self.found.extend(new)
        self.query_one("#search-results", ResultList).add_options(
            self._option(found) for found in new
        )

    # --- the highlighted result ------------------------------------------------------------------

    def current(self) -> Found | None:
        listing = self.query_one("#search-results", ResultList)
        index = listing.highlighted
        if index is None or not self.found or index >= len(self.found):
            return None
        return self.found[index]

    def _highlighted_key(self) -> str | None:
        found = self.current()
        return found_key(found) if found is not None else None

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlight_moved(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()
        if event.option_index >= len(self.found) - 10:
            self._more()

    def _show_preview(self) -> None:
        found = self.current()
        box = self.query_one("#search-preview-box")
        box.display = found is not None
        if found is not None:
            self.query_one("#search-preview", Static).update(
                preview(found, today=self.tracker.today())
            )
            box.scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        found = self.current()
        if found is not None:
            open_found(self.tracker, found)

    # --- keys ------------------------------------------------------------------------------------

    @on(Input.Submitted, "#search-input")
    def _enter_in_box(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None or self._searching:
            # The results for what was just typed aren't in yet: go there when they are.
            self._enter_waiting = True
            if self._timer is not None:
                self.search_now()
            return
        self.action_to_results()

    def action_to_results(self) -> None:
        listing = self.query_one("#search-results", ResultList)
        if not self.found:
            return
        listing.focus()
        listing.highlighted = 0

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        listing = self.query_one("#search-results", ResultList)
        if event.widget is listing and listing.highlighted is None and self.found:
            listing.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "/" goes back to the box from the results; in the box it is just a character.
        return not (action == "to_box" and isinstance(self.focused, Input))

    def action_to_box(self) -> None:
        box = self.query_one("#search-input", Input)
        box.focus()
        box.select_all()

    def action_close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(None)

    # --- keeping up with the journal -------------------------------------------------------------

    def _journal_changed(self, _revision: int) -> None:
        if self.is_current:
            self._refresh()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self._refresh()

    def _refresh(self) -> None:
        if self.searched is not None or self.query_one("#search-input", Input).value:
            self.search_now(keep=True)


def open_search(app: TrackerApp) -> None:
    """``/`` and the command palette: the search screen, or its box when already there."""
    if isinstance(app.screen, SearchScreen):
        app.screen.action_to_box()
        return
    app.push_screen(SearchScreen())

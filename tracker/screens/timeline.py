"""The Timeline: everything in the journal in date order, newest first, with the milestones.

It loads lazily: a page of entries at a time (``Store.timeline`` continues after the last entry
shown, so page 40 costs what page 1 does), fetched in a worker as the cursor or the scroll nears
the end. The milestones are worked out once per load and each page takes those among its days.
A filter box reads the same words and filters as search, and starts again from the first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from tracker.domain.dates import format_day, week_label
from tracker.domain.search import Found, SearchQuery, parse_query, strip_marks
from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.screens.base import JournalScreen
from tracker.screens.lists import WIDE, JournalTable, table_day
from tracker.screens.literal import literal, literal_line
from tracker.screens.search import DEBOUNCE, marked_text, open_found
from tracker.store.search import cursor_after
from tracker.timeline_data import milestones, shows_milestones, with_milestones

PAGE_SIZE = 100
MILESTONE_STYLE = "bold dark_orange"
PLACEHOLDER = 'Filter: words, "a phrase"  ·  kind:meeting group:smart person:sam since:march'
EVERYTHING = "Everything, newest first"


@dataclass(frozen=True)
class _Loaded:
    """The first page(s) of a load, read in a worker."""

    text: str
    query: SearchQuery
    rows: list[Found]  # entries and the milestones among them, newest first
    last_entry: Found | None  # the oldest entry read: the next page starts after it
    entries: int  # how many entries (not milestones) were read
    exhausted: bool
    milestones: list[Found] | None  # None: not worked out (the query leaves them out)
    revision: int


@dataclass(frozen=True)
class _Refused:
    """A filter that can't be read."""

    text: str
    message: str


@dataclass(frozen=True)
class _Request:
    text: str
    limit: int
    revision: int
    today: date
    milestones: tuple[int, list[Found]] | None


def row_key(found: Found) -> str:
    return f"{found.kind}:{found.id}"


def first_line(note: str) -> str:
    """The note's first line with words in it (match markers kept: see ``marked_text``)."""
    for line in note.splitlines():
        if strip_marks(line).strip():
            return line
    return ""


def describe(query: SearchQuery) -> str:
    """What the timeline shows, in words: ``Contacts with 'sam', since 1 Mar 2026``."""
    if query.is_empty:
        return EVERYTHING
    words = query.describe()
    if not query.kinds:
        words = f"entries {words}" if words else "entries"
    if query.words:
        joined = ", ".join(f'"{word}"' for word in query.words)
        words = f"{words}{',' if query.has_filters else ''} mentioning {joined}"
    return words[:1].upper() + words[1:] + ", newest first"


def flow(text: str, widths: list[int]) -> list[str]:
    """``text`` in as many pieces as ``widths``, each piece whole words that fit its width
    (the last piece takes the rest, to be cut with an ellipsis if it must)."""
    words = text.split()
    pieces: list[str] = []
    for width in widths[:-1]:
        piece: list[str] = []
        while words and len(" ".join([*piece, words[0]])) <= width:
            piece.append(words.pop(0))
        if not piece and words and not pieces:
            piece.append(words.pop(0))  # one long word: cut, rather than leave a gap
        pieces.append(" ".join(piece))
    pieces.append(" ".join(words))
    return pieces


class FilterBox(Input):
    """The filter. Down (or Enter) goes back to the entries."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_table", "Entries", show=False),
    ]


class TimelineScreen(JournalScreen):
    SECTION = "timeline"
    TITLE_TEXT = "everything in date order"
    AUTO_FOCUS = "#table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "filter", "Filter"),
        Binding("e", "edit", "Open"),
        Binding("escape", "back", "Home", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Found] = {}
        self.query_used: SearchQuery | None = None
        self.filter_text = ""  # what the filter box held when the last load began
        self.shown_text: str | None = None  # what the rows shown were loaded for
        self.last_entry: Found | None = None
        self.entries = 0
        self.exhausted = True
        self._paging = False
        self._loading = False  # a load from the first page is on its way: no paging meanwhile
        self._generation = 0
        self._milestones: tuple[int, list[Found]] | None = None  # (revision, milestones)
        self._request: _Request | None = None
        self._timer: Timer | None = None
        self._wide = False

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body", id="timeline-body"):
            yield FilterBox(placeholder=PLACEHOLDER, id="timeline-filter", compact=True)
            yield Static(Text(EVERYTHING, style="dim"), id="timeline-status")
            yield JournalTable(id="table", cursor_type="row", zebra_stripes=True)
            yield Static("", classes="list-empty", id="empty")
            yield Static("", classes="detail", id="detail")

    def on_mount(self) -> None:
        self._wide = self.app.size.width >= WIDE
        self._add_columns()
        table = self.query_one("#table", DataTable)
        self.watch(table, "scroll_y", self._scrolled, init=False)

    # --- columns ---------------------------------------------------------------------------------

    def _widths(self) -> list[int]:
        """Day, kind, about, detail and note; the note takes the room that's left."""
        if self._wide:
            day, kind, about, detail = 11, 11, 36, 28
        else:
            day, kind, about, detail = 11, 11, 15, 12
        # Padding of the body (2), the cells (2 each) and room for the scroll bar (2).
        room = self.app.size.width - 2 - 2 * 5 - 2
        return [day, kind, about, detail, max(room - day - kind - about - detail, 12)]

    def _add_columns(self) -> None:
        table = self.query_one("#table", DataTable)
        labels = ("Date", "Kind", "About", "Detail", "Note")
        for index, (label, width) in enumerate(zip(labels, self._widths(), strict=True)):
            table.add_column(label, width=width, key=str(index))

    def on_resize(self) -> None:
        wide = self.app.size.width >= WIDE
        table = self.query_one("#table", DataTable)
        if wide == self._wide and [c.width for c in table.columns.values()] == self._widths():
            return
        self._wide = wide
        key = self.current_key()
        table.clear(columns=True)
        self._add_columns()
        rows = list(self.rows.values())
        self.rows = {}
        self._append(rows)
        if key in self.rows:
            table.move_cursor(row=table.get_row_index(key))

    # --- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load from the first page: as many entries as are shown when only the journal
        changed (so the cursor keeps its place), one page for a new filter."""
        self._generation += 1
        self._paging = False
        self._loading = True
        same = self.filter_text == self.shown_text
        limit = max(PAGE_SIZE, self.entries) if same else PAGE_SIZE
        self._request = _Request(
            self.filter_text, limit, self.tracker.revision, self.tracker.today(), self._milestones
        )
        super().reload()

    def fetch(self) -> _Loaded | _Refused:
        request = self._request
        assert request is not None
        try:
            query = parse_query(request.text, today=request.today)
            page = self.store.timeline(query, limit=request.limit)
        except TrackerError as error:  # a filter that can't be read, or a journal that can't
            return _Refused(request.text, error.message)
        found: list[Found] | None = None
        if shows_milestones(query):
            cached = request.milestones
            fresh = cached is not None and cached[0] == request.revision
            found = cached[1] if cached is not None and fresh else milestones(self.store)
        exhausted = len(page) < request.limit
        rows = with_milestones(page, found or [], previous=None, last_page=exhausted, query=query)
        return _Loaded(
            text=request.text,
            query=query,
            rows=rows,
            last_entry=page[-1] if page else None,
            entries=len(page),
            exhausted=exhausted,
            milestones=found,
            revision=request.revision,
        )

    def show(self, data: _Loaded | _Refused) -> None:
        self._loading = False
        status = self.query_one("#timeline-status", Static)
        if isinstance(data, _Refused):
            # Say how to fix the filter; what was shown stays.
            status.update(Text(printable(data.message), style="yellow"))
            return
        if data.milestones is not None:
            self._milestones = (data.revision, data.milestones)
        table = self.query_one("#table", DataTable)
        same = data.text == self.shown_text
        keep, row = self.current_key(), table.cursor_row
        table.clear()
        self.rows = {}
        self._append(data.rows)
        self.query_used = data.query
        self.shown_text = data.text
        self.last_entry = data.last_entry
        self.entries = data.entries
        self.exhausted = data.exhausted
        status.update(Text(describe(data.query), style="dim"))
        empty = self.query_one("#empty", Static)
        if data.query.is_empty:
            message = "Nothing in your journal yet. What you log shows here, newest first."
        else:
            message = "Nothing matches. Try fewer words or filters."
        empty.update(Text(message, style="dim"))
        empty.display = not data.rows
        table.display = bool(data.rows)
        if same and keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        elif data.rows:
            table.move_cursor(row=min(row, len(data.rows) - 1) if same else 0, animate=False)
        if not same:
            table.scroll_home(animate=False)
        self._update_detail()

    def _append(self, rows: list[Found]) -> None:
        table = self.query_one("#table", DataTable)
        for found in rows:
            key = row_key(found)
            if key in self.rows:
                continue
            self.rows[key] = found
            table.add_row(*self.cells(found), key=key)

    def _more(self) -> None:
        """The next page, read in a worker, when the cursor or the scroll nears the end."""
        if self.exhausted or self._paging or self._loading or self.last_entry is None:
            return  # (while a new load is on its way, the rows shown are about to go)
        query = self.query_used
        if query is None:
            return
        self._paging = True
        generation, after = self._generation, self.last_entry
        found = self._milestones[1] if self._milestones and shows_milestones(query) else []
        store = self.store

        def work() -> None:
            try:
                page = store.timeline(query, after=cursor_after(after), limit=PAGE_SIZE)
            except TrackerError as error:
                self.app.call_from_thread(self._page_failed, generation, error)
                return
            last_page = len(page) < PAGE_SIZE
            rows = with_milestones(
                page, found, previous=after.day, last_page=last_page, query=query
            )
            self.app.call_from_thread(
                self._more_arrived, generation, rows, page[-1] if page else after, len(page)
            )

        self.run_worker(work, thread=True, group="page", name="timeline page")

    def _more_arrived(
        self, generation: int, rows: list[Found], last_entry: Found, entries: int
    ) -> None:
        if generation != self._generation or not self.is_attached:
            return  # a newer load replaced what this page continued
        self._paging = False
        self.exhausted = entries < PAGE_SIZE
        self.last_entry = last_entry
        self.entries += entries
        self._append(rows)

    def _page_failed(self, generation: int, error: TrackerError) -> None:
        if generation == self._generation:
            self._paging = False
            self.exhausted = True
            self.notify(error.message, severity="error", markup=False)

    def _scrolled(self, _scroll_y: float) -> None:
        table = self.query_one("#table", DataTable)
        if table.max_scroll_y - table.scroll_y <= table.size.height * 2:
            self._more()

    # --- what a row shows ------------------------------------------------------------------------

    def cells(self, found: Found) -> list[Text]:
        today = self.tracker.today()
        day = table_day(found.day, today) if found.day else ""
        if found.kind == "milestone":
            # Its words flow on across the about, detail and note cells, so a narrow
            # table shows all of "12 weeks in a row meeting your goal".
            # A piece that continues in the next cell sits against it (justified right).
            flowing = flow(strip_marks(found.about), self._widths()[2:])
            parts = [literal_line(part, style=MILESTONE_STYLE) for part in flowing]
            for part, after in zip(parts, flowing[1:], strict=False):
                if after:
                    part.justify = "right"
            return [
                Text(day, style=MILESTONE_STYLE),
                Text("★ Milestone", style=MILESTONE_STYLE),
                *parts,
            ]
        return [
            Text(day),
            Text(found.label),
            literal_line(strip_marks(found.about)),
            literal_line(found.detail, style="dim"),
            marked_text(first_line(found.note), style="dim", one_line=True),
        ]

    def detail(self, found: Found) -> Text:
        today = self.tracker.today()
        text = Text()
        if found.kind == "milestone":
            text.append("★ ", style=MILESTONE_STYLE)
            text.append_text(literal(strip_marks(found.about), style=MILESTONE_STYLE))
            if found.day is not None:
                when = format_day(found.day, today=today)
                if found.detail == "run":
                    when = f"the week of {week_label(found.day, today=today)}"
                text.append(f"\nReached {when}. Well done.", style="dim")
            return text
        if found.day is not None:
            text.append(format_day(found.day, today=today), style="bold")
            text.append("  ")
        text.append(found.label)
        text.append("  ")
        text.append_text(literal_line(strip_marks(found.about), style="bold"))
        if found.detail:
            text.append("  ")
            text.append_text(literal_line(found.detail, style="dim"))
        if strip_marks(found.note):
            text.append("\n")
            text.append_text(marked_text(found.note))
        return text

    # --- the highlighted row ---------------------------------------------------------------------

    def current_key(self) -> str | None:
        return self.query_one("#table", JournalTable).cursor_key()

    def current(self) -> Found | None:
        key = self.current_key()
        return self.rows.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_detail()
        if event.cursor_row >= len(self.rows) - 20:
            self._more()

    def _update_detail(self) -> None:
        found = self.current()
        detail = self.query_one("#detail", Static)
        detail.update(self.detail(found) if found is not None else Text())
        detail.display = found is not None

    @on(DataTable.RowSelected, "#table")
    def _selected(self) -> None:
        self.action_edit()

    # --- the filter ------------------------------------------------------------------------------

    @on(Input.Changed, "#timeline-filter")
    def _filter_typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._apply_filter)

    def _apply_filter(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.query_one("#timeline-filter", Input).value
        if text != self.filter_text or text != self.shown_text:
            self.filter_text = text
            self.reload()

    @on(Input.Submitted, "#timeline-filter")
    def _filter_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._apply_filter()
        self.action_to_table()

    # --- keys ------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#timeline-filter", Input).focus()

    def action_to_table(self) -> None:
        self.query_one("#table", DataTable).focus()

    def action_back(self) -> None:
        if self.focused is self.query_one("#timeline-filter", Input):
            self.action_to_table()
        else:
            self.tracker.action_go("home")

    def action_edit(self) -> None:
        found = self.current()
        if found is not None:
            open_found(self.tracker, found)  # a milestone opens nothing

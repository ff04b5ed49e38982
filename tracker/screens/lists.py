"""The list screen every journal area is built on: a table of entries, a detail panel for the
highlighted one, and add / edit / delete keys.

Long lists load a page at a time: the next page is fetched in a worker as the cursor nears the
end, so ten years of meetings never have to be formatted up front.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, cast

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tracker.screens.base import JournalScreen


def table_day(day: date, today: date) -> str:
    """A date in 11 cells: "Tue 24 Nov" this year, "24 Nov 2025" before."""
    if day.year == today.year:
        return f"{day:%a} {day.day} {day:%b}"
    return f"{day.day} {day:%b %Y}"


def _one_line_cell(
    console: Console, cell: Text, inner: int, padding: int, pre_style: Style, post_style: Style
) -> list[Segment]:
    """The segments Rich gives a one-line, left-aligned text cell ``inner`` cells wide with
    ``padding`` spaces each side, under ``pre_style`` and over ``post_style``: what Textual's
    table gets from Rich for such a cell (tests/test_speed_tui.py checks they are the same)."""
    line = cell.copy()
    line.truncate(inner, overflow=cell.overflow or "fold", pad=cell.justify == "left")
    if line.style:  # Rich joins the lines it made, which turns a text's own style into a span
        style, line.style = line.style, ""
        line.stylize_before(style)
    (cropped,) = Segment.split_and_crop_lines(line.render(console, end=""), inner, pad=True)
    space = Segment(" " * padding, Style.null()) if padding else None
    segments = [space, *cropped, space] if space else cropped
    return list(Segment.apply_style(segments, pre_style, post_style))


class _StylesForAPass:
    """A component's styles during one drawing pass of a table: its Rich style is worked out
    once, and anything else is read from the styles themselves."""

    __slots__ = ("_styles", "rich_style")

    def __init__(self, styles: RenderStyles) -> None:
        self._styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class JournalTable(DataTable[Any]):
    """A table of journal rows: Home and End go to the first and last row.

    It keeps its rendered rows when it gains or loses the focus. Textual's table throws them
    all away on every change of style, and a change of focus is one: each section switch
    (the focus leaves, then comes back) re-rendered every visible cell, 50-150 ms for a
    screenful of ten years of meetings. Its rendered rows, cells and lines are already kept
    per focus state, so only a real change of styles (the theme, the stylesheet, a class on
    the table or around it) needs them thrown away.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    _styled_for: tuple[object, ...] | None = None

    def _style_inputs(self) -> tuple[object, ...]:
        app = self.app
        return (
            app.theme,
            getattr(app, "_css_update_count", 0),
            tuple(frozenset(node.classes) for node in self.ancestors_with_self),
        )

    _sized_for: int | None = None

    def _on_resize(self, event: events.Resize) -> None:
        # Textual's table (its own handler runs after this one) starts a new generation of
        # cached rows on every resize, drawing every cell again. Only a new width can change a
        # drawn row; a new height (the table grows when its data arrives and the "nothing here"
        # line goes) shows more or fewer of them, so then the rows already drawn are kept: a
        # section's first opening drew its whole table twice, ~70 ms each on ten years.
        if event.size.width == self._sized_for:
            event.prevent_default()
        self._sized_for = event.size.width
        # Draw every visible line now (a new generation's included), so that the rows kept for
        # the focus changes of later visits are complete.
        self._styles_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        inputs = self._style_inputs()
        if inputs != self._styled_for:
            self._styled_for = inputs
            super().notify_style_update()
            return
        # Only a pseudo-class (the focus, the hover) changed: forget the looked-up styles, keep
        # the rendered rows (their cache keys hold the pseudo-class state).
        Widget.notify_style_update(self)
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()
        self.refresh()

    # --- one drawing pass ----------------------------------------------------------------------
    # Textual's table asks for its own style and its components' styles (header, row stripes)
    # again for every line it draws, and each answer walks up through every widget around it:
    # about a fifth of drawing a screenful of rows. Within one pass (one render_lines call)
    # nothing can change them, so each is worked out once per pass.

    _drawing: dict[tuple[str, ...], Any] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawing = {}
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    @property
    def rich_style(self) -> Style:
        drawing = self._drawing
        if drawing is None:
            return super().rich_style
        style = drawing.get(())
        if style is None:
            style = drawing[()] = super().rich_style
        return cast(Style, style)

    def get_component_styles(self, *names: str) -> RenderStyles:
        drawing = self._drawing
        if drawing is None:
            return super().get_component_styles(*names)
        styles = drawing.get(names)
        if styles is None:
            styles = drawing[names] = _StylesForAPass(super().get_component_styles(*names))
        return cast(RenderStyles, styles)

    # --- one cell -----------------------------------------------------------------------------
    # Textual draws each cell through Rich's whole pipeline (a padded, styled renderable,
    # wrapped, justified, measured and cut into lines): ~70 us a cell, and a first screenful of
    # meetings is a few hundred cells (Compare, a column a group, over five hundred). A one-line
    # text cell, left-aligned, comes out of Rich's own steps for that case, taken directly, in
    # a quarter of the time; anything else (the header, labels, fixed cells, other alignments,
    # tabs or line breaks, rows taller than one line) is left to Textual. Cached as Textual does.

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # header, labels
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(key)
        if lines is not None:
            return lines
        row = self.rows.get(row_key)
        cell = self._get_row_renderables(row_index).cells[column_index] if row else None
        inner = width - 2 * self.cell_padding
        if (
            row is None
            or row.height != 1
            or not isinstance(cell, Text)
            or inner < 1
            or cell.justify not in (None, "default", "left")
            or cell.no_wrap is False
            or cell.overflow == "ignore"
            or "\n" in cell.plain
            or "\t" in cell.plain
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        lines = [
            _one_line_cell(
                self.app.console,
                cell,
                inner,
                self.cell_padding,
                pre_style + component_style,
                post_style,
            )
        ]
        self._cell_render_cache[key] = lines
        return lines

    def cursor_key(self) -> str | None:
        """The key of the highlighted row (None for an empty table)."""
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None


WIDE = 110  # from this many columns of terminal, tables show their wide layout


@dataclass(frozen=True)
class Column:
    """A table column: its width at 80 columns (0 hides it), and at WIDE columns and more.

    ``None`` lets the column take the width of its content.
    """

    label: str
    width: int | None
    wide: int | None = -1  # -1: the same as ``width``

    def width_for(self, screen_width: int) -> int | None:
        if screen_width >= WIDE and self.wide != -1:
            return self.wide
        return self.width


class ListScreen(JournalScreen):
    """Subclasses set COLUMNS and implement fetch_page, cells, detail, add, edit and delete."""

    COLUMNS: ClassVar[list[Column]] = []
    PAGE_SIZE: ClassVar[int] = 200
    EMPTY_TEXT: ClassVar[str] = "Nothing here yet. Press a to add the first one."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("delete", "delete", "Delete", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, Any] = {}
        self.exhausted = True
        self._paging = False

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("", classes="list-summary", id="summary")
            yield JournalTable(id="table", cursor_type="row", zebra_stripes=True)
            yield Static("", classes="list-empty", id="empty")
            yield Static("", classes="detail", id="detail")

    def on_mount(self) -> None:
        self._layout_width = self.app.size.width
        self._add_columns()

    def _visible_columns(self) -> list[tuple[int, Column]]:
        return [(i, c) for i, c in enumerate(self.COLUMNS) if c.width_for(self._layout_width) != 0]

    def _add_columns(self) -> None:
        table = self.query_one("#table", DataTable)
        for index, column in self._visible_columns():
            table.add_column(
                column.label, width=column.width_for(self._layout_width), key=str(index)
            )

    def on_resize(self) -> None:
        # Switch between the narrow and the wide layout when the terminal crosses WIDE columns.
        width = self.app.size.width
        if (width >= WIDE) != (self._layout_width >= WIDE):
            self._layout_width = width
            table = self.query_one("#table", DataTable)
            table.clear(columns=True)
            self._add_columns()
            records = list(self.records.values())
            self.records = {}
            self._append(records)

    # --- loading -------------------------------------------------------------------------------

    def fetch(self) -> tuple[list[Any], Any, int]:
        # Reload as many rows as are shown now, so the cursor keeps its place.
        limit = max(self.PAGE_SIZE, len(self.records))
        return self.fetch_page(0, limit), self.fetch_summary(), limit

    def fetch_page(self, offset: int, limit: int) -> list[Any]:
        """Rows ``offset`` to ``offset + limit``, in display order. Runs in a worker thread."""
        return []

    def fetch_summary(self) -> Any:
        return None

    def show(self, data: tuple[list[Any], Any, int]) -> None:
        records, summary, limit = data
        table = self.query_one("#table", DataTable)
        keep = self.current_key()
        row = table.cursor_row
        table.clear()
        self.records = {}
        self._append(records)
        self.exhausted = len(records) < limit
        self.query_one("#summary", Static).update(self.summary_text(summary, records))
        empty = self.query_one("#empty", Static)
        empty.update(Text(self.EMPTY_TEXT, style="dim"))
        empty.display = not records
        table.display = bool(records)
        if keep in self.records:
            table.move_cursor(row=table.get_row_index(keep))
        elif records:
            table.move_cursor(row=min(row, len(records) - 1))
        self._update_detail()

    def _append(self, records: list[Any]) -> None:
        table = self.query_one("#table", DataTable)
        for record in records:
            key = self.key_of(record)
            if key in self.records:
                continue
            self.records[key] = record
            cells = self.cells(record)
            table.add_row(*(cells[i] for i, _column in self._visible_columns()), key=key)

    def _more(self) -> None:
        if self.exhausted or self._paging:
            return
        self._paging = True
        offset = len(self.records)

        def work() -> None:
            page = self.fetch_page(offset, self.PAGE_SIZE)
            self.app.call_from_thread(self._more_arrived, page)

        self.run_worker(work, thread=True, group="page", name="next page")

    def _more_arrived(self, page: list[Any]) -> None:
        self._paging = False
        self.exhausted = len(page) < self.PAGE_SIZE
        self._append(page)

    # --- what subclasses show ------------------------------------------------------------------

    def key_of(self, record: Any) -> str:
        return str(record.id)

    def cells(self, record: Any) -> list[Text | str]:
        """The table cells for one record (user text as literal Text)."""
        return []

    def detail(self, record: Any) -> Text:
        return Text()

    def summary_text(self, summary: Any, records: list[Any]) -> Text:
        return Text()

    # --- the highlighted entry -----------------------------------------------------------------

    def current_key(self) -> str | None:
        return self.query_one("#table", JournalTable).cursor_key()

    def current(self) -> Any | None:
        key = self.current_key()
        return self.records.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_detail()
        if event.cursor_row >= len(self.records) - 20:
            self._more()

    def _update_detail(self) -> None:
        record = self.current()
        detail = self.query_one("#detail", Static)
        detail.update(self.detail(record) if record is not None else Text())
        detail.display = record is not None

    @on(DataTable.RowSelected, "#table")
    def _selected(self) -> None:
        self.action_edit()

    # --- keys ----------------------------------------------------------------------------------

    def action_add(self) -> None:
        self.add()

    def action_edit(self) -> None:
        record = self.current()
        if record is not None:
            self.edit(record)

    def action_delete(self) -> None:
        record = self.current()
        if record is not None:
            self.delete(record)

    # Each list screen overrides these three with its own form and confirmation.

    def add(self) -> None:
        """Open the form for a new entry."""

    def edit(self, record: Any) -> None:
        """Open the form for ``record``."""

    def delete(self, record: Any) -> None:
        """Ask, then delete ``record``."""

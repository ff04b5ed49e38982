"""A panel of single lines of text (one per entry) that draws each line once.

A ``Static`` turns all of its text into cells again whenever any of it changes. The dashboard's
Recent panel is forty lines, and logging a meeting adds one at the top and moves the others down:
as a ``Static`` that meant ~8 ms of drawing on every refresh (docs/performance.md). Here each line
is drawn through Textual's line API (``render_line``) and the drawn line is kept by what it
shows, so after a write only the new line is drawn; the others are found again, wherever they
moved to.

The lines are ``rich.text.Text`` made by the screen (``tracker.screens.literal``), so user text
is never read as markup. A line is never wrapped: one longer than the panel is cut at its edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

# Drawn lines kept: a tall dashboard shows about forty, and the ones that just moved off the
# bottom may come back when an entry is deleted.
KEPT_LINES = 256

LineKey = tuple[str, tuple[Any, ...], str]


def _key(line: Text) -> LineKey:
    """What a line shows: its characters and their styles."""
    return (line.plain, tuple(line.spans), str(line.style))


class TextLines(Widget):
    """Lines of text, one per entry, each drawn once and reused while it shows the same."""

    DEFAULT_CSS = """
    TextLines {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: tuple[Text, ...] = ()
        self._keys: tuple[LineKey, ...] = ()
        self._drawn: LRUCache[tuple[LineKey, int, Style], Strip] = LRUCache(KEPT_LINES)

    @property
    def content(self) -> Text:
        """Everything shown, as one text (a line per entry)."""
        return Text("\n").join(self._lines)

    @property
    def lines(self) -> tuple[Text, ...]:
        return self._lines

    def show(self, lines: Sequence[Text]) -> None:
        """Show ``lines``; nothing is repainted when they are what is shown already. A text
        with line breaks in it is shown as the lines it holds."""
        lines = [
            part
            for line in lines
            for part in (line.split("\n", allow_blank=True) if "\n" in line.plain else (line,))
        ]
        keys = tuple(_key(line) for line in lines)
        if keys == self._keys:
            return
        self._lines, self._keys = tuple(lines), keys
        # A panel whose height is set (not by its lines) keeps its size: no new layout needed.
        height = self.styles.height
        self.refresh(layout=height is None or height.is_auto)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cell_len(line.plain) for line in self._lines), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.visual_style.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, base)
        key = (self._keys[y], width, base)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = self._draw(self._lines[y], width, base)
        return drawn

    def _draw(self, line: Text, width: int, base: Style) -> Strip:
        """One line as cells, in the panel's colours, cut or filled to ``width``."""
        line = line.copy()
        if line.style:  # the line's own style, as a span: rendering puts spans over it
            style, line.style = line.style, ""
            line.stylize_before(style)
        line.stylize_before(base)  # the panel's colours, under the line's own styles
        return Strip(line.render(self.app.console)).crop_extend(0, width, base)

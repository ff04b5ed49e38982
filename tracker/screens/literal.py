"""Rendering user text literally in the TUI.

Strings given to Textual widgets are parsed as markup by default; a note containing
``[@click=app.quit]`` would become a live action and ``[/]`` can crash the app. So user text is
always wrapped in ``rich.text.Text`` (which is never parsed) after control characters have been
replaced by visible stand-ins.
"""

from __future__ import annotations

from rich.text import Text

from tracker.domain.text import one_line, printable


def literal(text: str | None, style: str = "") -> Text:
    """User text, shown exactly as typed (newlines kept), with control characters made visible."""
    return Text(printable(text, keep_newlines=True), style=style)


def literal_line(text: str | None, width: int | None = None, style: str = "") -> Text:
    """User text squeezed onto one line, cut to ``width`` terminal cells with an ellipsis."""
    line = Text(one_line(text), style=style, no_wrap=True, overflow="ellipsis")
    if width is not None:
        line.truncate(width, overflow="ellipsis")
    return line


def literal_cell(text: str | None, width: int, style: str = "") -> Text:
    """User text on one line, cut or padded to exactly ``width`` cells (for aligned columns)."""
    cell = literal_line(text, width, style)
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


def compose_line(*parts: str | Text | tuple[str, str]) -> Text:
    """Join our own styled pieces and literal user pieces into one Text.

    A plain ``str`` is *our* text (still literal: no markup is parsed); a ``(text, style)`` tuple
    is our text with a style; a ``Text`` is appended as it is.
    """
    line = Text()
    for part in parts:
        if isinstance(part, Text):
            line.append_text(part)
        elif isinstance(part, tuple):
            line.append(printable(part[0]), style=part[1])
        else:
            line.append(printable(part))
    return line

"""Making user text safe to put on a terminal.

Notes, names and imported data are shown literally. Control characters (an escape sequence can
move the cursor, change colours or retitle the terminal) are replaced by visible stand-ins, so
they can be seen and never act. Markup such as ``[bold]`` needs no treatment here: plain
terminal output doesn't interpret it, and the TUI renders user text as ``rich.text.Text``
(see ``tracker.screens.literal``), never as markup.
"""

from __future__ import annotations

import re

# C0 and C1 controls, and the invisible characters that reorder text (bidi embeddings, overrides
# and isolates) or hide it (zero-width space, BOM), which can make a note display as something it
# isn't. Joiners (U+200C, U+200D) stay: scripts and emoji need them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC, ␊ for LF...
    if code == 0x7F:
        return "␡"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def printable(text: str | None, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character replaced by a visible stand-in."""
    if not text:
        return ""
    if keep_newlines:
        return "\n".join(_CONTROL.sub(_stand_in, line) for line in text.split("\n"))
    return _CONTROL.sub(_stand_in, text)


def one_line(text: str | None, width: int | None = None) -> str:
    """A note squeezed onto one line (newlines become spaces), cut to ``width`` with an ellipsis."""
    flat = printable(" ".join((text or "").split()))
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``1 meeting``, ``2 meetings``; ``plural`` for words that don't just take an s."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def journal_counts(counts: dict[str, int]) -> str:
    """What a journal holds, in words: "12 meetings, 3 groups, 1 person, ..."."""
    parts = [
        counted(counts.get("attendance", 0), "meeting"),
        counted(counts.get("groups", 0), "group"),
        counted(counts.get("people", 0), "person", "people"),
        counted(counts.get("contacts", 0), "contact"),
        counted(counts.get("service", 0), "service entry", "service entries"),
        counted(counts.get("fit_ratings", 0), "fit rating"),
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1]

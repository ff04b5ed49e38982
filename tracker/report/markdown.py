"""A mentor review as Markdown that reads just as well as plain text.

It opens with the line saying what the review includes and leaves out, then the heading,
short aligned tables and lists, and text charts in fenced blocks. Everything a person typed
(group names, aliases, notes) goes through :func:`tracker.domain.text.printable`, so no control
character reaches the file, and then has the characters Markdown gives a meaning to
backslash-escaped, so a name like ``A | B``, ``<b>`` or ``&amp;`` can't open a table cell, a
tag, an entity, a link or emphasis. Notes are block quotes with every line prefixed, so a note
can't end the quote, and a line of a note that starts like a heading, a list, a rule or code
(``#``, ``>``, ``-``, ``+``, ``*``, ``1.``, ``===``, four spaces) stays a line of text: its
first mark is escaped, and its leading spaces become no-break spaces (U+00A0), which look the
same but indent nothing.

``to_markdown(review, plain=True)`` leaves the escaping out (user text is still made printable):
for showing the review on screen, where the text is shown as it is and escapes would be noise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker.domain.review import Review, ReviewWeek
from tracker.domain.summary import sparkline
from tracker.domain.text import printable

__all__ = ["md_escape", "to_markdown"]

# Characters that can start emphasis, code, links, images, raw HTML, entities, table cells,
# strikethrough or an escape.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# The first mark of a line that would start a heading, a list, a setext underline or a rule
# (``>``, ``*``, ``_``, backticks and ``~`` are escaped everywhere already).
# Matches up to the mark (for ``1. `` and ``2)``: after the number; ``1.5`` is no list).
_BLOCK_MARK = re.compile(r"\d{1,9}(?=[.)](?: |$))|(?=[#=+-])")
_NBSP = "\u00a0"
_BAR = "▇"
_GOAL_LEFT = "▁"
_MAX_BAR = 10
_NONE = "–"


def md_escape(text: str | None) -> str:
    """User text made safe for one line of Markdown: printable, with Markdown's characters
    escaped."""
    return _SPECIAL.sub(r"\\\1", printable(text))


def _note_line(line: str) -> str:
    """One line of a note (already printable) made safe to start a line of a block quote."""
    text = line.lstrip(" ")
    if not text:
        return ""
    indent = len(line) - len(text)
    text = _SPECIAL.sub(r"\\\1", text)
    if indent:
        # No-break spaces look the same but aren't indentation: no code block, no list.
        return _NBSP * indent + text
    if m := _BLOCK_MARK.match(text):
        return f"{text[: m.end()]}\\{text[m.end() :]}"
    return text


def _note_lines(text: str, *, plain: bool = False) -> list[str]:
    clean = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    lines = printable(clean, keep_newlines=True).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not plain:
        lines = [_note_line(line) for line in lines]
    return lines or [""]


@dataclass(frozen=True)
class _Style:
    """How user text is written: escaped for a Markdown file, or as it is (``plain``)."""

    plain: bool

    def text(self, text: str | None) -> str:
        return printable(text) if self.plain else md_escape(text)

    def note(self, text: str) -> list[str]:
        return _note_lines(text, plain=self.plain)


def _width(text: str) -> int:
    """How many terminal columns ``text`` takes (wide East Asian characters take two)."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """An aligned Markdown table; cells are already escaped."""
    widths = [
        max([_width(headers[i]), 3, *(_width(row[i]) for row in rows)]) for i in range(len(headers))
    ]
    rules = [("-" * (w - 1) + ":") if r else ("-" * w) for w, r in zip(widths, right, strict=True)]
    lines = [
        "| " + " | ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)) + " |",
        "| " + " | ".join(rules) + " |",
    ]
    for row in rows:
        cells = (_pad(c, w, right=r) for c, w, r in zip(row, widths, right, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _week_rows(review: Review) -> list[str]:
    weeks = review.weeks
    scale = min(max(max(w.goal for w in weeks), max(w.meetings for w in weeks), 1), _MAX_BAR)
    labels = [f"{review.day(w.start)}" for w in weeks]
    counts = [f"{w.meetings}/{w.goal}" for w in weeks]
    label_w = max(_width("Week of"), *(_width(label) for label in labels))
    count_w = max(_width(c) for c in counts)
    outcome_w = max(_width(w.outcome) for w in weeks)
    bar_w = max(scale, _width("Meetings") - count_w - 1)
    rows = [
        f"{_pad('Week of', label_w)}  {_pad('Meetings', bar_w + 1 + count_w)}  "
        f"{_pad('', outcome_w)}  Strength"
    ]
    for week, label, count in zip(weeks, labels, counts, strict=True):
        rows.append(
            f"{_pad(label, label_w)}  {_pad(_bar(week, scale), bar_w)} "
            f"{_pad(count, count_w, right=True)}  {_pad(week.outcome, outcome_w)}  "
            f"{week.strength:>7}%"
        )
    return [row.rstrip() for row in rows]


def _bar(week: ReviewWeek, scale: int) -> str:
    """``▇▇▁`` for 2 of 3: a block per meeting, a low mark for each still short of the goal
    (none in an excused week: it had no goal to fall short of)."""
    filled = min(week.meetings, scale)
    short = 0 if week.excused else max(min(week.goal, scale) - filled, 0)
    return _BAR * filled + _GOAL_LEFT * short


def _attendance(review: Review, style: _Style) -> list[str]:
    out = ["## Attendance by week", "", review.tally.phrase, ""]
    if not review.weeks:
        return out
    out += ["```text", *_week_rows(review), "```", ""]
    out += [
        "Each ▇ is a meeting attended and each ▁ a meeting still short of that week's goal "
        "(an excused week has none). "
        "A week that overlaps the period is shown whole. Excused weeks (illness, travel) "
        "neither help nor hurt.",
        "",
    ]
    return out


def _groups(review: Review, style: _Style) -> list[str]:
    out = ["## Groups attended", "", review.attended_phrase, ""]
    if review.groups:
        rows = [[style.text(g.name), str(g.attended)] for g in review.groups]
        out += [_table(["Group", "Meetings attended"], rows, [False, True]), ""]
    return out


def _strength(review: Review, style: _Style) -> list[str]:
    strength = review.strength
    out = ["## Strength", "", strength.phrase, ""]
    if strength.series:
        line = sparkline([percent for _start, percent in strength.series], top=100)
        first = review.day(strength.series[0][0])
        last = review.day(strength.series[-1][0])
        out += ["```text", f"{line}  weeks of {first} to {last}", "```", ""]
    out += [
        "Strength (0–100%) is an average of recent weeks in which older weeks count for less. "
        "A quieter week lowers it gently; meetings bring it back.",
        "",
    ]
    return out


def _contacts(review: Review, style: _Style) -> list[str]:
    out = ["## Sponsors, mentors and coaches", ""]
    if not review.contacts:
        return [*out, "No sponsor, mentor or coach is in the journal yet.", ""]
    rows = [
        [style.text(c.alias), style.text(c.role_label) or _NONE, str(c.count), c.gap_phrase]
        for c in review.contacts
    ]
    out += [
        _table(["Person", "Role", "Contacts", "Longest gap"], rows, [False, False, True, False])
    ]
    out += [
        "",
        "People appear by alias. The longest gap is the most days between one contact and the "
        "next, from the last contact before the period (or, without one, the start of the period "
        "or of the journal, whichever is later) to the end of the period.",
        "",
    ]
    return out


def _service(review: Review, style: _Style) -> list[str]:
    service = review.service
    out = ["## Service", "", service.phrase, ""]
    if service.kinds:
        out += [f"- {style.text(k.label)}: {k.count}" for k in service.kinds]
        out.append("")
    return out


def _fit(review: Review, style: _Style) -> list[str]:
    out = ["## Fit ratings", ""]
    if not review.fit_changes:
        return [*out, "No groups were rated in this period.", ""]
    rows = []
    for change in review.fit_changes:
        latest = f"{change.latest:.1f} ({review.day(change.latest_day)})"
        before = _NONE
        if change.previous is not None and change.previous_day is not None:
            before = f"{change.previous:.1f} ({review.day(change.previous_day)})"
        rows.append([style.text(change.group), latest, before, change.change_text])
    out += [_table(["Group", "Latest", "Before", "Change"], rows, [False] * 4)]
    out += [
        "",
        "A rating is the mean of five answers from 1 to 5: felt welcome, relevant to my path, "
        "format and size, practical fit, and would return.",
        "",
    ]
    return out


def _milestones(review: Review, style: _Style) -> list[str]:
    out = ["## Milestones", ""]
    if not review.milestones:
        return [*out, "No milestones fell in this period. Every week still adds to the rhythm.", ""]
    out += [f"- {m.line(today=review.today)}" for m in review.milestones]
    return [*out, ""]


def _notes(review: Review, style: _Style) -> list[str]:
    out = ["## Notes you chose to share", ""]
    if not review.notes:
        return [*out, "No notes were marked to share.", ""]
    for note in review.notes:
        about = style.text(note.about)
        heading = f"{review.day(note.day)} · {style.text(note.kind_label)}"
        out += [f"**{heading}{' · ' + about if about else ''}**", ""]
        out += [f"> {line}".rstrip(" ") for line in style.note(note.text)]
        out.append("")
    return out


_SECTIONS: tuple[Callable[[Review, _Style], list[str]], ...] = (
    _attendance,
    _groups,
    _strength,
    _contacts,
    _service,
    _fit,
    _milestones,
    _notes,
)


def to_markdown(review: Review, *, plain: bool = False) -> str:
    """The review as a Markdown document, ending with one newline. It starts with the line
    saying what it includes and leaves out, then the heading.

    ``plain`` leaves out the Markdown escaping of user text (which is still made printable), for
    showing the text as it is on screen; files get the default.
    """
    style = _Style(plain)
    lines = [review.intro, "", f"# {style.text(review.title)}", "", review.made_on, ""]
    for section in _SECTIONS:
        lines += section(review, style)
    return "\n".join(lines).rstrip("\n") + "\n"

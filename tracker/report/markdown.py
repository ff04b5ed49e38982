"""A mentor review as Markdown that reads just as well as plain text.

Headings, short aligned tables and lists, and text charts in fenced blocks. Everything a person
typed (group names, aliases, notes) goes through :func:`tracker.domain.text.printable`, so no
control character reaches the file, and then has the characters Markdown gives a meaning to
backslash-escaped, so a name like ``A | B`` or ``<b>`` can't open a table cell, a tag, a link
or emphasis. Notes are block quotes with every line prefixed, so a note can't end the quote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from tracker.domain.review import Review, ReviewWeek
from tracker.domain.summary import sparkline
from tracker.domain.text import printable

__all__ = ["md_escape", "to_markdown"]

# Characters that can start emphasis, code, links, images, raw HTML, table cells,
# strikethrough or an escape.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_BAR = "▇"
_GOAL_LEFT = "▁"
_MAX_BAR = 10
_NONE = "–"


def md_escape(text: str | None) -> str:
    """User text made safe for one line of Markdown: printable, with Markdown's characters
    escaped."""
    return _SPECIAL.sub(r"\\\1", printable(text))


def _note_lines(text: str) -> list[str]:
    clean = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    lines = [
        _SPECIAL.sub(r"\\\1", line) for line in printable(clean, keep_newlines=True).split("\n")
    ]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines or [""]


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
    """``▇▇▁`` for 2 of 3: a block per meeting, a low mark for each still short of the goal."""
    filled = min(week.meetings, scale)
    return _BAR * filled + _GOAL_LEFT * max(min(week.goal, scale) - filled, 0)


def _attendance(review: Review) -> list[str]:
    out = ["## Attendance by week", "", review.tally.phrase, ""]
    if not review.weeks:
        return out
    out += ["```text", *_week_rows(review), "```", ""]
    out += [
        "Each ▇ is a meeting attended and each ▁ a meeting still short of that week's goal. "
        "A week that overlaps the period is shown whole. Excused weeks (illness, travel) "
        "neither help nor hurt.",
        "",
    ]
    return out


def _groups(review: Review) -> list[str]:
    out = ["## Groups attended", "", review.attended_phrase, ""]
    if review.groups:
        rows = [[md_escape(g.name), str(g.attended)] for g in review.groups]
        out += [_table(["Group", "Meetings attended"], rows, [False, True]), ""]
    return out


def _strength(review: Review) -> list[str]:
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


def _contacts(review: Review) -> list[str]:
    out = ["## Sponsors, mentors and coaches", ""]
    if not review.contacts:
        return [*out, "No sponsor, mentor or coach is in the journal yet.", ""]
    rows = [
        [md_escape(c.alias), md_escape(c.role_label) or _NONE, str(c.count), c.gap_phrase]
        for c in review.contacts
    ]
    out += [
        _table(["Person", "Role", "Contacts", "Longest gap"], rows, [False, False, True, False])
    ]
    out += [
        "",
        "People appear by alias. The longest gap is the most days between one contact and the "
        "next, counted from the last contact before the period (or its start) to its end.",
        "",
    ]
    return out


def _service(review: Review) -> list[str]:
    service = review.service
    out = ["## Service", "", service.phrase, ""]
    if service.kinds:
        out += [f"- {md_escape(k.label)}: {k.count}" for k in service.kinds]
        out.append("")
    return out


def _fit(review: Review) -> list[str]:
    out = ["## Fit ratings", ""]
    if not review.fit_changes:
        return [*out, "No groups were rated in this period.", ""]
    rows = []
    for change in review.fit_changes:
        latest = f"{change.latest:.1f} ({review.day(change.latest_day)})"
        before = _NONE
        if change.previous is not None and change.previous_day is not None:
            before = f"{change.previous:.1f} ({review.day(change.previous_day)})"
        rows.append([md_escape(change.group), latest, before, change.change_text])
    out += [_table(["Group", "Latest", "Before", "Change"], rows, [False] * 4)]
    out += [
        "",
        "A rating is the mean of five answers from 1 to 5: felt welcome, relevant to my path, "
        "format and size, practical fit, and would return.",
        "",
    ]
    return out


def _milestones(review: Review) -> list[str]:
    out = ["## Milestones", ""]
    if not review.milestones:
        return [*out, "No milestones fell in this period. Every week still adds to the rhythm.", ""]
    out += [f"- {m.line(today=review.today)}" for m in review.milestones]
    return [*out, ""]


def _notes(review: Review) -> list[str]:
    out = ["## Notes you chose to share", ""]
    if not review.notes:
        return [*out, "No notes were marked to share.", ""]
    for note in review.notes:
        about = md_escape(note.about)
        heading = f"{review.day(note.day)} · {md_escape(note.kind_label)}"
        out += [f"**{heading}{' · ' + about if about else ''}**", ""]
        out += [f"> {line}".rstrip() for line in _note_lines(note.text)]
        out.append("")
    return out


def to_markdown(review: Review) -> str:
    """The review as a Markdown document, ending with one newline."""
    lines = [f"# {md_escape(review.title)}", "", review.intro, "", review.made_on, ""]
    for section in (
        _attendance,
        _groups,
        _strength,
        _contacts,
        _service,
        _fit,
        _milestones,
        _notes,
    ):
        lines += section(review)
    return "\n".join(lines).rstrip("\n") + "\n"

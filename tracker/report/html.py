"""A mentor review as one self-contained, printable HTML5 page.

No script, no external assets, no links: styles are inline in ``<style>``, and the two charts
(weekly attendance against the goal, and strength) are inline SVG with a ``<title>`` and an
``aria-label`` saying what they show; the same figures are also in a table. A Content Security
Policy in a ``<meta>`` tag forbids scripts and loading anything, should the file ever be opened
somewhere that would try. The page opens with the box saying what the review includes and
leaves out, before the heading. Every piece of text goes through
:func:`tracker.domain.text.printable` and then :func:`html.escape` (quotes included).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from tracker.domain.dates import MONTH_ABBRS
from tracker.domain.review import Review, ReviewWeek
from tracker.domain.text import printable

__all__ = ["to_html"]

_NONE = "–"

_STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1d2a2e; background: #ffffff; line-height: 1.5;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
}
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 {
  font-size: 1.15rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid #c9d6d8;
}
p { margin: .4rem 0; }
.intro {
  background: #f1f6f6; border-left: 4px solid #3b7c80; padding: .6rem .8rem; margin: 0 0 1rem;
}
.muted, .explain, .legend { color: #4f5f63; }
.explain, .legend { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .95rem; }
th, td {
  text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e1e8e9; vertical-align: top;
}
th { border-bottom: 2px solid #c9d6d8; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.name { overflow-wrap: anywhere; }
svg { display: block; width: 100%; height: auto; margin: .4rem 0; }
svg text { font-family: inherit; fill: #4f5f63; }
.met { fill: #2f6f73; }
.short { fill: #9cc3c5; }
.sofar { fill: #d5e8e9; stroke: #2f6f73; stroke-width: 1; }
.excused { fill: #eceff0; stroke: #9aa7aa; stroke-width: 1; stroke-dasharray: 3 2; }
.goal { fill: none; stroke: #1d2a2e; stroke-width: 1.5; stroke-dasharray: 5 3; }
.axis { stroke: #9aa7aa; stroke-width: 1; }
.grid { stroke: #e1e8e9; stroke-width: 1; }
.line { fill: none; stroke: #2f6f73; stroke-width: 2; }
.dot { fill: #2f6f73; }
.swatch {
  display: inline-block; width: .8rem; height: .8rem; margin: 0 .25rem 0 .6rem;
  vertical-align: -.1rem; border: 1px solid #9aa7aa;
}
.swatch.met { background: #2f6f73; }
.swatch.short { background: #9cc3c5; }
.swatch.sofar { background: #d5e8e9; }
.swatch.excused { background: #eceff0; border-style: dashed; }
.swatch.goal { background: none; border: none; border-top: 2px dashed #1d2a2e; height: 0; }
ul { padding-left: 1.3rem; }
.note { margin: .8rem 0; }
.note p { margin: 0; font-weight: 600; }
blockquote {
  margin: .3rem 0 0; padding: .4rem .8rem; background: #f7fafa;
  border-left: 4px solid #b9cfd1; white-space: pre-wrap; overflow-wrap: anywhere;
}
section, figure, tr, .note { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0; }
@page { margin: 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1, h2 { break-after: avoid; page-break-after: avoid; }
  section.long { break-inside: auto; page-break-inside: auto; }
  thead { display: table-header-group; }
  .intro { border-left-color: #000000; }
}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(text: str | None) -> str:
    """User text (or any text) made safe for HTML: printable, then escaped with quotes."""
    return html.escape(printable(text), quote=True)


def _note(text: str) -> str:
    clean = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).rstrip()
    return html.escape(printable(clean, keep_newlines=True), quote=True)


def _num(value: float) -> str:
    """A coordinate, short and stable: ``12.5``, ``40``."""
    return f"{value:.1f}".removesuffix(".0")


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], classes: Sequence[str]
) -> list[str]:
    """A table; cells are already escaped."""
    head = "".join(
        f'<th class="{c}">{h}</th>' if c else f"<th>{h}</th>"
        for h, c in zip(headers, classes, strict=True)
    )
    out = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(
            f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>"
            for v, c in zip(row, classes, strict=True)
        )
        out.append(f"<tr>{cells}</tr>")
    return [*out, "</tbody>", "</table>"]


# --- charts -----------------------------------------------------------------------------------

_W = 680
_LEFT = 40
_RIGHT = 14
_TOP = 14


def _label_every(n: int) -> int:
    return max(1, math.ceil(n / 13))


def _week_class(week: ReviewWeek) -> str:
    if week.excused:
        return "excused"
    if week.met:
        return "met"
    return "sofar" if week.current else "short"


def _attendance_svg(review: Review) -> list[str]:
    weeks = review.weeks
    height, bottom = 190, 32
    plot_h = height - _TOP - bottom
    plot_w = _W - _LEFT - _RIGHT
    top = max(max(w.goal for w in weeks), max(w.meetings for w in weeks), 1)
    slot = plot_w / len(weeks)
    bar_w = max(slot * 0.62, 1.0)
    base = _TOP + plot_h

    def y(value: float) -> float:
        return base - plot_h * min(value, top) / top

    words = f"Meetings each week against the weekly goal. {review.tally.phrase}"
    out = [
        f'<svg viewBox="0 0 {_W} {height}" role="img" aria-label="{_e(words)}">',
        f"<title>{_e(words)}</title>",
        f'<line class="axis" x1="{_LEFT}" y1="{_num(base)}" x2="{_W - _RIGHT}" '
        f'y2="{_num(base)}" />',
        f'<text x="{_LEFT - 6}" y="{_num(base + 4)}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{_LEFT - 6}" y="{_num(y(top) + 4)}" text-anchor="end" font-size="11">'
        f"{top}</text>",
    ]
    goal_points: list[str] = []
    every = _label_every(len(weeks))
    for i, week in enumerate(weeks):
        x0 = _LEFT + i * slot
        bx = x0 + (slot - bar_w) / 2
        if week.excused:
            bar_top = y(week.goal)
        else:
            bar_top = y(week.meetings) if week.meetings else base - 1.5
        noun = "meeting" if week.meetings == 1 else "meetings"
        tip = f"{review.day(week.start)}: {week.meetings} {noun}, goal {week.goal}, {week.outcome}"
        out.append(
            f'<rect class="{_week_class(week)}" x="{_num(bx)}" y="{_num(bar_top)}" '
            f'width="{_num(bar_w)}" height="{_num(base - bar_top)}"><title>{_e(tip)}</title>'
            "</rect>"
        )
        goal_y = _num(y(week.goal))
        goal_points += [f"{_num(x0)},{goal_y}", f"{_num(x0 + slot)},{goal_y}"]
        if i % every == 0:
            label = f"{week.start.day} {MONTH_ABBRS[week.start.month - 1]}"
            out.append(
                f'<text x="{_num(x0 + slot / 2)}" y="{_num(base + 16)}" text-anchor="middle" '
                f'font-size="10">{_e(label)}</text>'
            )
    out.append(f'<polyline class="goal" points="{" ".join(goal_points)}" />')
    out.append("</svg>")
    return out


def _strength_svg(review: Review) -> list[str]:
    series = review.strength.series
    height, bottom = 170, 28
    plot_h = height - _TOP - bottom
    plot_w = _W - _LEFT - _RIGHT
    base = _TOP + plot_h
    slot = plot_w / len(series)

    def y(percent: int) -> float:
        return base - plot_h * percent / 100

    words = f"Strength each week, from 0 to 100%. {review.strength.phrase}"
    out = [
        f'<svg viewBox="0 0 {_W} {height}" role="img" aria-label="{_e(words)}">',
        f"<title>{_e(words)}</title>",
    ]
    for level in (0, 50, 100):
        cls = "axis" if level == 0 else "grid"
        out.append(
            f'<line class="{cls}" x1="{_LEFT}" y1="{_num(y(level))}" x2="{_W - _RIGHT}" '
            f'y2="{_num(y(level))}" />'
        )
        out.append(
            f'<text x="{_LEFT - 6}" y="{_num(y(level) + 4)}" text-anchor="end" font-size="11">'
            f"{level}%</text>"
        )
    points = [(_LEFT + (i + 0.5) * slot, y(percent)) for i, (_d, percent) in enumerate(series)]
    if len(points) > 1:
        joined = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
        out.append(f'<polyline class="line" points="{joined}" />')
    every = _label_every(len(series))
    for i, ((start, percent), (px, py)) in enumerate(zip(series, points, strict=True)):
        tip = f"{review.day(start)}: {percent}%"
        out.append(
            f'<circle class="dot" cx="{_num(px)}" cy="{_num(py)}" r="3"><title>{_e(tip)}</title>'
            "</circle>"
        )
        if i % every == 0:
            label = f"{start.day} {MONTH_ABBRS[start.month - 1]}"
            out.append(
                f'<text x="{_num(px)}" y="{_num(base + 16)}" text-anchor="middle" '
                f'font-size="10">{_e(label)}</text>'
            )
    for index in sorted({0, len(points) - 1}):
        px, py = points[index]
        out.append(
            f'<text x="{_num(px)}" y="{_num(max(py - 8, _TOP))}" text-anchor="middle" '
            f'font-size="11">{series[index][1]}%</text>'
        )
    out.append("</svg>")
    return out


# --- sections ---------------------------------------------------------------------------------


def _attendance(review: Review) -> list[str]:
    out = ['<section class="long" id="attendance">', "<h2>Attendance by week</h2>"]
    out.append(f"<p>{_e(review.tally.phrase)}</p>")
    if not review.weeks:
        return [*out, "</section>"]
    out += ["<figure>", *_attendance_svg(review)]
    out.append(
        '<figcaption class="legend">'
        '<span class="swatch met"></span>goal met'
        '<span class="swatch short"></span>not this time'
        '<span class="swatch sofar"></span>this week so far'
        '<span class="swatch excused"></span>excused'
        '<span class="swatch goal"></span>the weekly goal'
        "</figcaption>"
    )
    out.append("</figure>")
    rows = [
        [
            _e(review.day(w.start)),
            str(w.meetings),
            str(w.goal),
            _e(w.outcome),
            f"{w.strength}%",
        ]
        for w in review.weeks
    ]
    out += _table(
        ["Week of", "Meetings", "Goal", "", "Strength"],
        rows,
        ["", "num", "num", "", "num"],
    )
    out.append(
        '<p class="explain">A week that overlaps the period is shown whole. Excused weeks '
        "(illness, travel) neither help nor hurt.</p>"
    )
    return [*out, "</section>"]


def _groups(review: Review) -> list[str]:
    out = ['<section id="groups">', "<h2>Groups attended</h2>"]
    out.append(f"<p>{_e(review.attended_phrase)}</p>")
    if review.groups:
        rows = [[_e(g.name), str(g.attended)] for g in review.groups]
        out += _table(["Group", "Meetings attended"], rows, ["name", "num"])
    return [*out, "</section>"]


def _strength(review: Review) -> list[str]:
    out = ['<section id="strength">', "<h2>Strength</h2>"]
    out.append(f"<p>{_e(review.strength.phrase)}</p>")
    if review.strength.series:
        out += ["<figure>", *_strength_svg(review), "</figure>"]
    out.append(
        '<p class="explain">Strength (0–100%) is an average of recent weeks in which older weeks '
        "count for less. A quieter week lowers it gently; meetings bring it back.</p>"
    )
    return [*out, "</section>"]


def _contacts(review: Review) -> list[str]:
    out = ['<section id="contacts">', "<h2>Sponsors, mentors and coaches</h2>"]
    if not review.contacts:
        return [*out, "<p>No sponsor, mentor or coach is in the journal yet.</p>", "</section>"]
    rows = [
        [_e(c.alias), _e(c.role_label) or _NONE, str(c.count), _e(c.gap_phrase)]
        for c in review.contacts
    ]
    out += _table(["Person", "Role", "Contacts", "Longest gap"], rows, ["name", "", "num", ""])
    out.append(
        '<p class="explain">People appear by alias. The longest gap is the most days between one '
        "contact and the next, from the last contact before the period (or, without one, the "
        "start of the period or of the journal, whichever is later) to the end of the period.</p>"
    )
    return [*out, "</section>"]


def _service(review: Review) -> list[str]:
    service = review.service
    out = ['<section id="service">', "<h2>Service</h2>", f"<p>{_e(service.phrase)}</p>"]
    if service.kinds:
        out.append("<ul>")
        out += [f"<li>{_e(k.label)}: {k.count}</li>" for k in service.kinds]
        out.append("</ul>")
    return [*out, "</section>"]


def _fit(review: Review) -> list[str]:
    out = ['<section id="fit">', "<h2>Fit ratings</h2>"]
    if not review.fit_changes:
        return [*out, "<p>No groups were rated in this period.</p>", "</section>"]
    rows = []
    for change in review.fit_changes:
        latest = f"{change.latest:.1f} ({review.day(change.latest_day)})"
        before = _NONE
        if change.previous is not None and change.previous_day is not None:
            before = f"{change.previous:.1f} ({review.day(change.previous_day)})"
        rows.append([_e(change.group), _e(latest), _e(before), _e(change.change_text)])
    out += _table(["Group", "Latest", "Before", "Change"], rows, ["name", "", "", ""])
    out.append(
        '<p class="explain">A rating is the mean of five answers from 1 to 5: felt welcome, '
        "relevant to my path, format and size, practical fit, and would return.</p>"
    )
    return [*out, "</section>"]


def _milestones(review: Review) -> list[str]:
    out = ['<section id="milestones">', "<h2>Milestones</h2>"]
    if not review.milestones:
        text = "No milestones fell in this period. Every week still adds to the rhythm."
        return [*out, f"<p>{_e(text)}</p>", "</section>"]
    out.append("<ul>")
    out += [f"<li>{_e(m.line(today=review.today))}</li>" for m in review.milestones]
    return [*out, "</ul>", "</section>"]


def _notes(review: Review) -> list[str]:
    out = ['<section class="long" id="notes">', "<h2>Notes you chose to share</h2>"]
    if not review.notes:
        return [*out, "<p>No notes were marked to share.</p>", "</section>"]
    for note in review.notes:
        heading = " · ".join(
            part for part in (review.day(note.day), note.kind_label, note.about) if part
        )
        out += [
            '<div class="note">',
            f"<p>{_e(heading)}</p>",
            f"<blockquote>{_note(note.text)}</blockquote>",
            "</div>",
        ]
    return [*out, "</section>"]


def to_html(review: Review) -> str:
    """The review as one HTML5 document, ending with one newline."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(review.title)}</title>",
        "<style>",
        _STYLE,
        "</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f'<p class="intro">{_e(review.intro)}</p>',
        f"<h1>{_e(review.title)}</h1>",
        f'<p class="muted">{_e(review.made_on)}</p>',
        "</header>",
    ]
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
        out += section(review)
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"

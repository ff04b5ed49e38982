"""``tracker search``: find anything in the journal from the shell.

It registers itself on the ``cli`` group (``tracker/cli.py`` imports this module at its very
bottom). A quick command: the store and the query reader are imported only when it runs, and
never Textual, rich or plotext.

The store marks the matched words with two control characters
(:data:`~tracker.domain.search.MARK_START` / ``MARK_END``). Here the marked text is split into
plain pieces, every piece goes through :func:`~tracker.domain.text.printable`, and only then are
the matched pieces made bold, so the only styling on the terminal is our own.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.cli import Failure, _clock, _open_store, cli, db_option
from tracker.errors import InvalidField

if TYPE_CHECKING:
    from tracker.domain.search import Found, Results, SearchQuery

T = TypeVar("T")

DEFAULT_LIMIT = 20
# "Mon 23 Nov 2025", the widest date format_day gives; "Fit rating", the widest label.
_DATE_WIDTH = 15
_LABEL_WIDTH = 10
_NOTHING_TO_FIND = (
    "Tell me what to look for: some words (tracker search coffee), a phrase in quotes "
    "(tracker search '\"first time\"'), or a filter such as --kind contact or --since march."
)


@cli.command(
    "search",
    short_help="Find anything in your journal: words, phrases, filters.",
    # "-online" leaves a word out: it is part of the search, not an unknown option.
    context_settings={"ignore_unknown_options": True},
)
@click.argument("words", nargs=-1, type=click.UNPROCESSED)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="K",
    help="Only this kind: attendance (or meeting), contact, service, rating (or fit), group, "
    "person. Repeat it, or use commas, for several.",
)
@click.option("--group", metavar="NAME", help="Only entries about this group (part of its name).")
@click.option(
    "--person", metavar="ALIAS", help="Only this person and your contacts with them (an alias)."
)
@click.option(
    "--method",
    "methods",
    multiple=True,
    metavar="HOW",
    help="Only contacts made this way: call, text, in-person, video. Repeat it, or use commas.",
)
@click.option("--since", metavar="WHEN", help="From this day or period: march, 'last 90 days'...")
@click.option("--until", metavar="WHEN", help="Up to this day or the end of this period.")
@click.option("--in", "during", metavar="WHEN", help="Within this period: 2025, 'last month'...")
@click.option(
    "--limit",
    default=DEFAULT_LIMIT,
    show_default=True,
    type=int,
    metavar="N",
    help="Show at most this many entries.",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@db_option
@click.pass_context
def search_command(
    ctx: click.Context,
    words: tuple[str, ...],
    kinds: tuple[str, ...],
    group: str | None,
    person: str | None,
    methods: tuple[str, ...],
    since: str | None,
    until: str | None,
    during: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Find entries in your journal: meetings, contacts, service, fit ratings, groups and people.

    \b
    tracker search coffee                 notes with "coffee" (and "coffees")
    tracker search first time             notes with both words
    tracker search '"first time"'         the phrase
    tracker search shar*                  words that start with "shar"
    tracker search call OR text           either word
    tracker search meeting -online        leave out notes with "online"
    tracker search step --since march     since the start of March
    tracker search --kind contact --person sam --in "last 90 days"
    tracker search --person sponsor --method call --in march

    Filters can be typed with the words too: kind:contact group:smart person:sam
    method:call since:march until:"last week" in:2025. --person takes an alias or a
    role (sponsor, mentor, coach). The best matches come first; with only filters,
    the newest.
    """
    from tracker.domain.search import build_query
    from tracker.domain.text import one_line

    if limit < 1:
        raise Failure("--limit: choose a number from 1 up.")
    for word in words:
        if re.match(r"--[A-Za-z]", word):  # a mistyped option, not a word to leave out
            name = word.split("=", 1)[0]
            known = [opt for param in ctx.command.params for opt in param.opts if "--" in opt]
            raise click.NoSuchOption(name, possibilities=known, ctx=ctx)
    text = " ".join(words)
    # The search is read before the journal is opened: a typo never asks for a passphrase.
    today = _clock(ctx).today()
    query = _friendly(
        lambda: build_query(
            text,
            today=today,
            kinds=kinds,
            group=group,
            person=person,
            methods=methods,
            since=since,
            until=until,
            during=during,
        )
    )
    if query.is_empty:
        if text.strip():
            raise click.UsageError(
                f"{one_line(text)!r} has nothing to look for: a search needs a word with letters "
                "or digits in it, or a filter such as --kind contact or --since march.",
                ctx,
            )
        raise click.UsageError(_NOTHING_TO_FIND, ctx)
    store = _open_store(ctx)
    results = _friendly(lambda: store.search(query, limit=limit))
    if as_json:
        click.echo(json.dumps(search_json(query, results), indent=2, ensure_ascii=False))
        return
    bold = not click.utils.should_strip_ansi(sys.stdout, ctx.color)
    for line in result_lines(query, results, today=today, bold=bold):
        click.echo(line)


def _friendly(action: Callable[[], T]) -> T:
    """Run ``action``; a mistake in the search becomes one line naming the field, exit 2."""
    from tracker.domain.text import printable

    try:
        return action()
    except InvalidField as error:
        raise Failure(printable(error.message)) from error


def search_json(query: SearchQuery, results: Results) -> dict[str, Any]:
    """What ``--json`` prints: the query, its filters, the counts and the results."""
    from tracker.domain.search import KINDS

    return {
        "query": query.text,
        "filters": {
            "kinds": [kind for kind in KINDS if kind in query.kinds],
            "group": query.group,
            "person": query.person,
            "methods": sorted(query.methods),
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
        },
        "total": results.total,
        "shown": len(results.found),
        "results": [found.to_json() for found in results.found],
    }


def heading(query: SearchQuery, total: int) -> str:
    """``3 entries for coffee · contacts, since 1 Mar 2026``, or ``Nothing found for ...``."""
    from tracker.domain.text import counted, one_line

    subject = ""
    if query.text.strip():
        subject = f" for {one_line(query.text)}"
    filters = one_line(query.describe())
    if filters:
        subject += f" · {filters}"
    if total == 0:
        return f"Nothing found{subject}."
    return f"{counted(total, 'entry', 'entries')}{subject}"


def result_lines(query: SearchQuery, results: Results, *, today: date, bold: bool) -> list[str]:
    """The human output, line by line. ``bold`` styles the matched words (a terminal only)."""
    lines = [heading(query, results.total)]
    if not results.found:
        if results.total == 0:
            lines.append(_hint(query))
        return lines
    lines.append("")
    for found in results.found:
        lines.extend(_entry_lines(found, today=today, bold=bold))
    shown = len(results.found)
    if results.total > shown:
        lines.append("")
        lines.append(f"Showing {shown} of {results.total}; --limit {results.total} shows them all.")
    return lines


def _hint(query: SearchQuery) -> str:
    if query.match is None:
        return "No entries fit those filters; a wider date range or fewer filters may find some."
    if query.has_filters:
        return "Try fewer words, the start of a word with * (shar*), or fewer filters."
    return "Try fewer words, or the start of a word with * (shar* finds shared and sharing)."


def _entry_lines(found: Found, *, today: date, bold: bool) -> list[str]:
    from tracker.domain.dates import format_day
    from tracker.domain.text import one_line

    day = format_day(found.day, today=today) if found.day else ""
    about = marked_line(found.about, bold=bold)
    detail = one_line(found.detail)
    first = f"{day:<{_DATE_WIDTH}}  {found.label:<{_LABEL_WIDTH}}  {about}"
    if detail:
        first += f" · {detail}"
    lines = [first.rstrip()]
    snippet = marked_line(found.snippet, bold=bold)
    if snippet:
        lines.append(f"    {snippet}")
    return lines


def marked_line(text: str, *, bold: bool) -> str:
    """Marked text from the store on one line: white space (newlines too) squeezed, every piece
    made printable, and the matched pieces bold when ``bold``."""
    from tracker.domain.search import marked_segments
    from tracker.domain.text import printable

    flat = " ".join(text.split())  # the markers are not white space, so they stay in place
    pieces = []
    for piece, matched in marked_segments(flat):
        shown = printable(piece)
        pieces.append(click.style(shown, bold=True) if matched and bold else shown)
    return "".join(pieces)

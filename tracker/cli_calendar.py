"""``tracker calendar export``: the person's groups with schedules, as an iCalendar file.

It registers itself on the ``cli`` group (``tracker/cli.py`` imports this module at its very
bottom). A quick command: the store, the calendar builder and icalendar are imported only when
it runs, and never Textual, rich or plotext.

The file is written like everything else derived from the journal: private (0600) and atomically
(a temporary file, then a rename), so a calendar app never reads half of one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli import Failure, _clock, _open_store, cli, db_option
from tracker.errors import InvalidField

if TYPE_CHECKING:
    from tracker.domain.models import Group

DEFAULT_OUT = "tracker-meetings.ics"
FLOATING = "floating"


class NothingToExport(Failure):
    """No group has a schedule to put in a calendar: one sentence on stderr, exit code 1."""

    exit_code = 1


@cli.group("calendar", short_help="Your groups' meeting times, for your phone's calendar.")
def calendar_group() -> None:
    """Put your groups' meeting times in your phone or desktop calendar."""


@calendar_group.command(
    "export", short_help="Write your groups with schedules as an iCalendar (.ics) file."
)
@click.option(
    "--out",
    default=DEFAULT_OUT,
    show_default=True,
    metavar="PATH",
    help="Write to this file (created private, 0600; replaced if it exists). '-' prints it.",
)
@click.option(
    "--timezone",
    "zone",
    metavar="NAME",
    default=None,
    help="The time zone the meeting times are in, such as Europe/London. Default: this "
    "computer's. 'floating' keeps plain local times that follow you wherever you are.",
)
@db_option
@click.pass_context
def export_calendar_command(ctx: click.Context, out: str, zone: str | None) -> None:
    """Write your groups' meeting schedules as an iCalendar file, to import into a phone or
    desktop calendar so that it can remind you.

    Each group with a schedule becomes one repeating event (an hour long). Paused groups and
    groups marked "not for me" are left out, and so are your notes: they stay in Tracker.
    Export again after you change a schedule and import the new file: the events update
    rather than appear twice.

    \b
    tracker calendar export
    tracker calendar export --out ~/meetings.ics --timezone America/New_York
    """
    from tracker.domain.text import counted, printable
    from tracker.meetings.calendar import (
        LEFT_OUT_STATUSES,
        calendar_entries,
        groups_calendar,
        local_timezone_name,
        timezone_named,
    )

    # The options are checked before the journal is opened: a typo never asks for a passphrase.
    if zone is None:
        timezone = local_timezone_name(os.environ)
    elif zone.strip().lower() == FLOATING:
        timezone = None
    else:
        try:
            timezone = timezone_named(zone).key
        except InvalidField as error:
            raise Failure(printable(error.message)) from error
    to_stdout = out == "-"
    path = Path(out).expanduser()
    if not to_stdout:
        if not out.strip():
            raise Failure(f"--out: give a file name, for example --out {DEFAULT_OUT}.")
        if path.is_dir():
            raise Failure(
                f"--out: {printable(str(path))} is a folder; give a file name, "
                f"for example {printable(str(path / DEFAULT_OUT))}."
            )
        if not path.parent.is_dir():
            raise Failure(f"The folder {printable(str(path.parent))} doesn't exist.")

    store = _open_store(ctx)
    groups = store.list_groups()
    entries = calendar_entries(groups)
    if not entries:
        raise NothingToExport(_nothing_to_export(groups, LEFT_OUT_STATUSES))
    data = groups_calendar(groups, timezone=timezone, stamp=_clock(ctx).now())

    where = f"times in {timezone}" if timezone else "local times, wherever you are"
    what = counted(len(entries), "meeting schedule")
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        click.echo(f"Wrote {what} ({where}).", err=True)
        return
    from tracker.paths import write_private_text

    existed = path.exists()
    write_private_text(path, data.decode("utf-8"))
    shown = printable(str(path))
    done = f"Updated {shown} with {what}" if existed else f"Wrote {what} to {shown}"
    click.echo(
        f"{done} ({where}). Import it into your phone or desktop calendar; "
        "export again after you change a schedule and the events update."
    )


def _nothing_to_export(groups: list[Group], left_out: frozenset[str]) -> str:
    """Why there is nothing to export, and what would change that."""
    from tracker.domain.schedules import stored_schedule

    scheduled = [group for group in groups if stored_schedule(group.schedule) is not None]
    if scheduled and all(group.status in left_out for group in scheduled):
        return (
            "Your groups with a schedule are all paused or marked not for me, so there is "
            "nothing to put in a calendar. Set a group back to trying or regular in the app "
            "when you'd like its meetings in your calendar again."
        )
    return (
        "None of your groups has a schedule yet, so there is nothing to put in a calendar. "
        "In the app, open Groups, press e on a group and fill in Meets (for example "
        "'Tuesdays 7pm'), then export again."
    )

"""``tracker meetings``: bring in public meeting lists and browse them from the shell.

- ``tracker meetings import SOURCE [--name LABEL]``: a Meeting Guide or BMLT feed, from a file
  or (only when the person gives one) a web address;
- ``tracker meetings list``: filter and sort what was imported;
- ``tracker meetings sources`` / ``remove``: the lists imported so far;
- ``tracker meetings add SLUG``: "Add to my groups" from the shell.

It registers itself on the ``cli`` group (``tracker/cli.py`` imports it at its very bottom). A
quick command: it never imports Textual, rich or plotext. Text from a feed is printed through
:func:`~tracker.domain.text.printable`, so a feed can't send escape codes to the terminal.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli import Failure, _clock, _open_store, cli, db_option
from tracker.domain.text import counted, printable
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.meetings.filters import Found
    from tracker.meetings.model import ParsedFeed
    from tracker.store.meetings import DirectoryMeeting, ImportResult

MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_LIMIT = 50


def _local_zone() -> Any:
    from tracker.meetings.filters import zone
    from tracker.meetings.zones import local_timezone_name

    return zone(local_timezone_name(os.environ))


@cli.group("meetings")
def meetings() -> None:
    """Public meeting lists, kept offline in your journal.

    \b
    Import a Meeting Guide or BMLT feed once (from a file, or a web address you give),
    then browse it here or in the app (press b) without going online again:
      tracker meetings import area-meetings.json --name "Area 1"
      tracker meetings list --day tue --time evening --online
      tracker meetings add some-meeting-slug      make it one of your groups
    """


# --- import --------------------------------------------------------------------------------


def _read_source(source: str) -> tuple[bytes, str]:
    """The feed's bytes, and where they came from (an absolute path or the address)."""
    from tracker.meetings.fetch import FetchError, fetch, host_of, is_web_address

    if is_web_address(source):
        address = source.strip()
        click.echo(
            f"Downloading the meeting list from {printable(host_of(address))} "
            f"({printable(address)}).\nThis is the only thing Tracker ever fetches. Nothing from "
            "your journal is sent; the site sees this computer's internet address, as with any "
            "web page."
        )
        try:
            return fetch(address), address
        except FetchError as error:
            raise Failure(error.message) from None
    path = Path(source).expanduser()
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise Failure(f"source: {source} is a folder; give the feed file inside it.")
        if size > MAX_FILE_BYTES:
            raise Failure(
                f"source: {source} is bigger than {MAX_FILE_BYTES // (1024 * 1024)} MB, more "
                "than any meeting list should be; nothing was changed."
            )
        return path.read_bytes(), str(path.resolve())
    except FileNotFoundError:
        raise Failure(f"source: there is no file {source}; nothing was changed.") from None
    except OSError as error:
        raise Failure(f"source: {source} couldn't be read ({error.strerror}).") from None


def _default_name(source: str, location: str, existing: list[Any]) -> str:
    """A list imported before from the same place keeps its name. Otherwise the file's name or
    the web site's, made different from the other lists' names (two files both called
    meetings.json are two lists, not one replacing the other)."""
    from tracker.meetings.fetch import host_of, is_web_address

    for known in existing:
        if known.location == location:
            return str(known.name)
    base = host_of(source) if is_web_address(source) else Path(source).stem
    base = (base.strip() or "Meeting list")[:75]
    taken = {str(known.name).casefold() for known in existing}
    name, number = base, 2
    while name.casefold() in taken:
        name, number = f"{base} ({number})", number + 1
    return name


@meetings.command("import")
@click.argument("source")
@click.option(
    "--name",
    "label",
    metavar="LABEL",
    help="What to call this list (default: the file name or the web site).",
)
@click.option(
    "--timezone",
    metavar="ZONE",
    help="The time zone the list's times are in, when the feed doesn't say "
    "(an IANA name such as Europe/London; default: your own).",
)
@db_option
@click.pass_context
def import_command(
    ctx: click.Context, source: str, label: str | None, timezone: str | None, **_: Any
) -> None:
    """Import a meeting list (Meeting Guide or BMLT JSON) from a file or web address.

    Importing the same list again updates it: meetings are matched by their slug, meetings that
    left the list are removed (or, if you made one of them your group, kept and marked as no
    longer listed). Everything happens in one step; a broken file changes nothing.
    """
    from tracker.meetings.feeds import FeedError, parse_feed
    from tracker.meetings.filters import zone

    if timezone is not None and zone(timezone.strip()) is None:
        raise Failure(
            f"timezone: {timezone!r} isn't a time zone this computer knows. "
            "Use an IANA name such as Europe/London or America/New_York."
        )
    data, location = _read_source(source)
    try:
        feed = parse_feed(data, default_timezone=timezone.strip() if timezone else None)
    except FeedError as error:
        message = error.message
        if "nothing was changed" not in message.lower():
            message += " Nothing was changed."
        raise Failure(message) from None
    store = _open_store(ctx, create=True)
    name = label.strip() if label and label.strip() else None
    if name is None:
        name = _default_name(source, location, store.meeting_sources())
    try:
        result = store.import_meetings(feed, name=name, location=location)
    except TrackerError as error:
        raise Failure(error.message) from None
    for line in import_summary(feed, result, shown_from=source):
        click.echo(line)


def import_summary(feed: ParsedFeed, result: ImportResult, *, shown_from: str) -> list[str]:
    """The import's report, in plain lines."""
    from tracker.meetings.model import FEED_FORMATS

    source = result.source
    kind = FEED_FORMATS.get(feed.format, feed.format)
    verb = "Imported" if result.created else "Updated"
    lines = [
        f"{verb} {printable(source.name)} from {printable(shown_from)} "
        f"({kind} feed, {counted(feed.records, 'record')})."
    ]
    changes = [
        f"{result.added} new" if result.added else "",
        f"{result.updated} changed" if result.updated else "",
        f"{result.unchanged} unchanged" if result.unchanged else "",
        f"{result.returned} listed again" if result.returned else "",
        f"{result.removed} no longer listed and removed" if result.removed else "",
        f"{result.gone} no longer listed, kept because they are among your groups"
        if result.gone
        else "",
    ]
    said = ", ".join(part for part in changes if part)
    lines.append(
        f"  {counted(source.meetings, 'meeting')} in this list now"
        + (f": {said}." if said else ".")
    )
    if feed.normalised:
        lines.append("  Tidied while reading (the meaning was clear):")
        for what, count in sorted(feed.normalised.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    {count:>5}  {printable(what)}")
    if feed.skipped:
        lines.append(f"  Skipped {counted(len(feed.skipped), 'record')} that couldn't be used:")
        for skip in feed.skipped[:50]:
            slug = printable(skip.slug) if skip.slug else "(no slug)"
            lines.append(f"    record {skip.position}, {slug}: {printable(skip.reason)}")
        if len(feed.skipped) > 50:
            lines.append(
                f"    ... and {len(feed.skipped) - 50} more "
                "(tracker meetings sources --json lists them all)."
            )
    if feed.off_spec:
        fields = ", ".join(
            f"{printable(name)} {count}"
            for name, count in sorted(feed.off_spec.items(), key=lambda item: (-item[1], item[0]))[
                :6
            ]
        )
        total = sum(feed.off_spec.values())
        verb = "doesn't" if total == 1 else "don't"
        lines.append(
            f"  {counted(total, 'record')} {verb} follow the strict Meeting Guide specification;\n"
            f"  read anyway (the field that differs first: {fields})."
        )
    lines.append("Browse them with: tracker meetings list   (or press b in the app)")
    return lines


# --- list ----------------------------------------------------------------------------------


@meetings.command("list")
@click.option(
    "--day",
    "days",
    multiple=True,
    metavar="DAY",
    help="A day of the week (repeatable): tue, tuesday or 2 (0 = Sunday).",
)
@click.option(
    "--time",
    "times",
    multiple=True,
    metavar="PART",
    help="morning, midday, evening or night (repeatable).",
)
@click.option("--online", "way", flag_value="online", help="Online or hybrid meetings.")
@click.option("--in-person", "way", flag_value="in-person", help="In-person or hybrid meetings.")
@click.option("--hybrid", "way", flag_value="hybrid", help="Hybrid meetings only.")
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="CODE",
    help="A type code (W, BE, A ...) or a kind (women, newcomer, secular, lgbtq ...); "
    "repeatable, all must match.",
)
@click.option(
    "--search",
    "text",
    default="",
    metavar="TEXT",
    help="Words to find in the name, place, notes or group.",
)
@click.option("--source", metavar="NAME", help="Only this meeting list.")
@click.option("--active", is_flag=True, help="Leave out temporarily closed meetings.")
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=None,
    help=f"How many to show (default: {DEFAULT_LIMIT}, or all of them with --json).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per meeting.")
@db_option
@click.pass_context
def list_command(
    ctx: click.Context,
    days: tuple[str, ...],
    times: tuple[str, ...],
    way: str | None,
    types: tuple[str, ...],
    text: str,
    source: str | None,
    active: bool,
    limit: int | None,
    as_json: bool,
    **_: Any,
) -> None:
    """Meetings from the imported lists, the soonest first."""
    from tracker.meetings.filters import Directory, MeetingFilter, parse_day, time_of_day_key
    from tracker.meetings.types import environment_language, type_names

    try:
        wanted = MeetingFilter(
            days=frozenset(parse_day(day) for day in days),
            times=frozenset(time_of_day_key(part) for part in times),
            ways=frozenset({way}) if way else frozenset(),
            types=frozenset(_type_key(code) for code in types),
            text=text,
            source=source.strip() if source else None,
            include_inactive=not active,
        )
    except TrackerError as error:
        raise Failure(error.message) from None
    store = _open_store(ctx)
    if wanted.source:
        try:
            wanted = replace(wanted, source=store.get_meeting_source(wanted.source).name)
        except TrackerError as error:
            raise Failure(error.message) from None
    names = type_names(environment_language(os.environ))
    directory = Directory(store.directory(), type_names=names)
    now = _clock(ctx).now()
    if limit is None and not as_json:
        limit = DEFAULT_LIMIT
    selection = directory.select(wanted, now=now, limit=limit)
    if as_json:
        click.echo(
            json.dumps(
                [_as_json(found, names) for found in selection.found], indent=2, ensure_ascii=False
            )
        )
        return
    if not len(directory):
        click.echo(
            "No meeting lists yet. Import one with: tracker meetings import FILE-OR-ADDRESS\n"
            "(a Meeting Guide or BMLT feed; many area web sites publish one)."
        )
        return
    described = wanted.describe(names)
    heading = counted(selection.total, "meeting") + (f" · {described}" if described else "")
    click.echo(heading + ", soonest first" if selection.total else heading)
    for found in selection.found:
        click.echo(_line(found, now=now, names=names))
    if selection.total > len(selection.found):
        click.echo(
            f"\nShowing {len(selection.found)} of {selection.total}; narrow it down "
            f"(--day, --time, --online, --type, --search) or use --limit {selection.total}."
        )
    elif not selection.total:
        click.echo("Nothing matches all of that; try fewer filters.")


def _type_key(code: str) -> str:
    from tracker.meetings.filters import TYPE_CHOICES

    word = code.strip()
    if word.lower() in TYPE_CHOICES:
        return word.lower()
    if not word:
        raise Failure("type: give a type code such as W or BE, or a kind such as women.")
    return word.upper() if word.isascii() and len(word) <= 12 else word


def _line(found: Found[DirectoryMeeting], *, now: datetime, names: dict[str, str]) -> str:
    from tracker.meetings.filters import attendance_label, next_text, type_labels

    meeting = found.meeting
    when = next_text(found, now=now)
    where = meeting.region or meeting.location or ""
    bits = [attendance_label(meeting.attendance)]
    if where and meeting.attendance != "online":
        bits.append(where)
    kinds = type_labels(meeting.types, names)[:3]
    if kinds:
        bits.append(", ".join(kinds))
    if meeting.gone_since is not None:
        bits.append("no longer listed")
    if meeting.group_id is not None:
        bits.append("one of your groups")
    zone_note = f" ({meeting.timezone})" if meeting.timezone else ""
    return (
        f"{when:<15} {printable(meeting.name)}{printable(zone_note)}\n"
        f"{'':<15} {printable(' · '.join(bits))}   [{printable(meeting.slug)}]"
    )


def _as_json(found: Found[DirectoryMeeting], names: dict[str, str]) -> dict[str, Any]:
    meeting = found.meeting
    return {
        "source": meeting.source,
        "slug": meeting.slug,
        "name": meeting.name,
        "days": list(meeting.days),
        "time": meeting.time,
        "end_time": meeting.end_time,
        "timezone": meeting.timezone,
        "types": list(meeting.types),
        "type_names": [names.get(code, code) for code in meeting.types],
        "attendance": meeting.attendance,
        "address": meeting.address,
        "approximate": meeting.approximate,
        "location": meeting.location,
        "region": meeting.region,
        "conference_url": meeting.conference_url,
        "conference_phone": meeting.conference_phone,
        "notes": meeting.notes,
        "next": found.next_time.isoformat() if found.next_time else None,
        "gone_since": meeting.gone_since.isoformat() if meeting.gone_since else None,
        "group_id": meeting.group_id,
    }


# --- sources, remove, add ------------------------------------------------------------------


@meetings.command("sources")
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON, with each list's last import report."
)
@db_option
@click.pass_context
def sources_command(ctx: click.Context, as_json: bool, **_: Any) -> None:
    """The meeting lists imported so far."""
    from tracker.meetings.model import FEED_FORMATS

    store = _open_store(ctx)
    found = store.meeting_sources()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": s.name,
                        "location": s.location,
                        "format": s.format,
                        "imported_at": s.imported_at,
                        "meetings": s.meetings,
                        "gone": s.gone,
                        "report": s.report,
                    }
                    for s in found
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not found:
        click.echo("No meeting lists yet. Import one with: tracker meetings import FILE-OR-ADDRESS")
        return
    for source in found:
        gone = f", {source.gone} no longer listed (among your groups)" if source.gone else ""
        click.echo(
            f"{printable(source.name)}: {counted(source.meetings, 'meeting')}{gone} · "
            f"{FEED_FORMATS.get(source.format, source.format)} · imported "
            f"{source.imported_at[:10]} from {printable(source.location)}"
        )


@meetings.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Don't ask first.")
@db_option
@click.pass_context
def remove_command(ctx: click.Context, name: str, yes: bool, **_: Any) -> None:
    """Remove an imported meeting list. Groups you made from it stay."""
    store = _open_store(ctx)
    try:
        source = store.get_meeting_source(name)
    except TrackerError as error:
        raise Failure(error.message) from None
    everything = counted(source.meetings + source.gone, "meeting")
    if not yes and not click.confirm(
        f"Remove {printable(source.name)} and its {everything}? Your groups stay as they are.",
        default=False,
    ):
        raise Failure("Nothing was removed.")
    removed = store.remove_meeting_source(source.name)
    click.echo(
        f"Removed {printable(source.name)} ({counted(removed, 'meeting')}). "
        "Groups you made from it are still in your journal."
    )


@meetings.command("add")
@click.argument("slug")
@click.option("--source", metavar="NAME", help="The list it is in, when two lists have that slug.")
@db_option
@click.pass_context
def add_command(ctx: click.Context, slug: str, source: str | None, **_: Any) -> None:
    """Make a meeting one of your groups, with its schedule (see `tracker meetings list`)."""
    from tracker.meetings.types import environment_language, type_names

    store = _open_store(ctx)
    wanted = slug.strip()
    matches = [
        m
        for m in store.directory()
        if m.slug == wanted and (source is None or m.source.casefold() == source.strip().casefold())
    ]
    if not matches:
        raise Failure(
            f"slug: no imported meeting has the slug {wanted!r}. "
            "`tracker meetings list` shows each meeting's slug in [brackets]."
        )
    if len(matches) > 1:
        lists = ", ".join(sorted(m.source for m in matches))
        raise Failure(f"slug: {wanted!r} is in more than one list ({lists}); add --source NAME.")
    meeting = matches[0]
    group = _add_to_groups(store, meeting, names=type_names(environment_language(os.environ)))
    from tracker.domain.schedules import stored_schedule
    from tracker.meetings.filters import when_text
    from tracker.meetings.my_groups import converted

    schedule = stored_schedule(group.schedule)
    if schedule is None:
        click.echo(
            f"Added {printable(group.name)} to your groups. It has no set day and time, so it "
            "won't show among your upcoming meetings; log it whenever you go."
        )
        return
    zone_note = ""
    if converted(meeting, local_zone=_local_zone()):
        zone_note = f" (your time; the list says {when_text(meeting)}, {meeting.timezone})"
    click.echo(
        f"Added {printable(group.name)} to your groups, {schedule.describe()}"
        f"{printable(zone_note)}. It shows in your upcoming meetings from now on."
    )


def _add_to_groups(store: Any, meeting: DirectoryMeeting, *, names: dict[str, str]) -> Any:
    from tracker.meetings.my_groups import group_fields_for

    fields = group_fields_for(
        meeting,
        today=store.today(),
        local_zone=_local_zone(),
        taken_names=[g.name for g in store.list_groups()],
        source=meeting.source,
        type_names=names,
    )
    try:
        return store.add_meeting_to_groups(meeting.id, fields)
    except TrackerError as error:
        raise Failure(error.message) from None

"""The ``tracker`` command.

``tracker`` alone opens the app. The other commands are quick shell captures and tools: they must
start fast, so this module never imports Textual or plotext at the top (only ``tracker`` alone
does, when it opens the app). Errors are one sentence on stderr with exit code 2.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker import __version__
from tracker.clock import Clock
from tracker.errors import InvalidField, TrackerError

if TYPE_CHECKING:
    from tracker.domain.summary import WeekCount
    from tracker.insights import Insights
    from tracker.store import Store

F = TypeVar("F", bound=Callable[..., Any])

PASSPHRASE_ENV = "TRACKER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "TRACKER_NEW_PASSPHRASE"
DB_HELP = (
    "The journal file to use. Default: $TRACKER_DB if set, else journal.db in your user data "
    "folder."
)


class Failure(click.ClickException):
    """A problem reported as one sentence on stderr, with exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        from tracker.domain.text import printable

        # Messages can quote what a file or a server said: no escape code reaches the terminal.
        click.echo(f"tracker: {printable(self.format_message(), keep_newlines=True)}", err=True)


# Commands kept in modules of their own, imported only when one of them is run (or the help
# lists them), so that quick commands such as `tracker log` don't pay for loading them.
LAZY_COMMANDS = {
    "backup": "tracker.cli_backup",
    "restore": "tracker.cli_backup",
    "doctor": "tracker.cli_backup",
    "calendar": "tracker.cli_calendar",
    "encrypt": "tracker.cli_crypto",
    "decrypt": "tracker.cli_crypto",
    "passphrase": "tracker.cli_crypto",
    "meetings": "tracker.cli_meetings",
    "search": "tracker.cli_search",
}


class TrackerGroup(click.Group):
    """Turns Tracker's own errors into one clear line, never a traceback; loads the commands of
    LAZY_COMMANDS when they are first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            importlib.import_module(LAZY_COMMANDS[cmd_name])  # its commands add themselves
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except TrackerError as error:
            raise Failure(restore_hint(error)) from error
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            raise Failure(f"{error.strerror or error}{where}.") from error
        except Exception as error:
            from tracker.store import driver

            if isinstance(error, driver.Error):
                raise Failure(f"The journal couldn't be used: {error}.") from error
            if os.environ.get("TRACKER_DEBUG"):
                raise
            raise Failure(
                f"Something unexpected went wrong ({type(error).__name__}: {error}). "
                "Nothing else was changed."
            ) from error


def db_option(command: F) -> F:
    """``--db PATH``, accepted by every command (and by ``tracker`` itself)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value:
            ctx.ensure_object(dict)["db"] = value
        return value

    return click.option(
        "--db",
        "db",
        metavar="PATH",
        help=DB_HELP,
        expose_value=False,
        callback=remember,
        is_eager=False,
    )(command)


def _parse_today(ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD.") from error


def _settings(ctx: click.Context) -> dict[str, Any]:
    root = ctx.find_root()
    return root.ensure_object(dict)


def _db_path(ctx: click.Context) -> Path:
    from tracker.paths import resolve_db_path

    # Subcommands share the root's dict, and their --db is parsed last, so the innermost wins:
    # `tracker --db a.db log x --db b.db` uses b.db.
    return resolve_db_path(_settings(ctx).get("db"))


def _clock(ctx: click.Context) -> Clock:
    today = _settings(ctx).get("today")
    return Clock.fixed(today) if today else Clock.system()


def _open_store(ctx: click.Context, *, create: bool = False) -> Store:
    """The journal for this command. Only commands that fill a journal create a missing file,
    so a mistyped --db is reported instead of quietly starting an empty journal. An encrypted
    journal asks for its passphrase (without echo)."""
    from tracker.store.connection import PassphraseNeeded
    from tracker.store.journal import Store as JournalStore  # imported late: --help stays fast

    path = _db_path(ctx)
    try:
        store = JournalStore.open(path, clock=_clock(ctx), create=create)
    except PassphraseNeeded:
        store = JournalStore.open(
            path,
            clock=_clock(ctx),
            create=False,
            passphrase=read_passphrase(f"Passphrase for {path}"),
        )
    ctx.call_on_close(lambda: _finish(store))
    return store


def _finish(store: Store) -> None:
    """After a command: the day's backup, the first time the journal is used each day (one
    file check on the other days, without loading the backups' module), then close the
    journal."""
    from tracker.paths import daily_backup_path

    try:
        today = store.today()
        if store.path is not None and not daily_backup_path(store.path, today).exists():
            from tracker.store.backup import run_daily_backup_quietly

            problem = run_daily_backup_quietly(store, today)
            if problem:
                click.echo(f"tracker: {problem}", err=True)
    finally:
        store.close()


def read_passphrase(prompt: str, *, confirm: bool = False, env: str = PASSPHRASE_ENV) -> str:
    """A passphrase from the ``env`` variable ($TRACKER_PASSPHRASE), else typed at the terminal
    without echo, else one line of standard input (for scripts). ``confirm`` asks twice at a
    terminal."""
    import sys

    from_env = os.environ.get(env)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        import getpass

        try:
            first = getpass.getpass(f"{prompt}: ")
            if not first:
                raise Failure("No passphrase given; nothing was changed.")
            if confirm and getpass.getpass("Type it again: ") != first:
                raise Failure("The two passphrases differ; nothing was changed.")
        except (EOFError, KeyboardInterrupt) as error:
            raise Failure("No passphrase given; nothing was changed.") from error
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise Failure("No passphrase given; nothing was changed.")
    return line


@click.group(
    cls=TrackerGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@db_option
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="TRACKER_TODAY",
    hidden=True,
    callback=_parse_today,
    help="Pretend today is this date (for trying things out and for tests).",
)
@click.option(
    "--discreet",
    is_flag=True,
    envvar="TRACKER_DISCREET",
    help="Open the app with a neutral title and header (also a setting in the app).",
)
@click.version_option(__version__, "--version", prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, today: date | None, discreet: bool) -> None:
    """Tracker: a private journal of your community support in recovery.

    Run `tracker` on its own to open the app. Everything stays in one file on this computer
    (see --db); nothing is ever sent anywhere.

    \b
    Quick capture from the shell:
      tracker log "NA Downtown"                 log today's meeting
      tracker log smart --date "last tue" --shared --note "first share"
      tracker status                            this week, at a glance
    """
    obj = ctx.ensure_object(dict)
    obj["today"] = today
    obj["discreet"] = discreet
    if ctx.invoked_subcommand is None:
        _run_app(ctx)


def _run_app(ctx: click.Context) -> None:
    from tracker.app import create_app  # Textual is imported only here
    from tracker.store.connection import JournalFileError, PassphraseNeeded

    settings = _settings(ctx)
    path = _db_path(ctx)

    def build() -> Any:
        # An encrypted journal opens on the app's lock screen unless $TRACKER_PASSPHRASE is set.
        return create_app(
            db_path=path,
            today=settings.get("today"),
            ask_profile=True,
            passphrase=os.environ.get(PASSPHRASE_ENV),
            discreet=settings.get("discreet") or None,
        )

    try:
        app = build()
    except PassphraseNeeded:
        raise
    except JournalFileError as error:
        if not _offer_restore(ctx, error):
            raise
        app = build()
    import sys

    from tracker.screens.lock import NEUTRAL_TITLE, discreet_setting

    neutral = app.discreet or not app.unlocked or discreet_setting(app.store)
    with window_title(sys.stdout, NEUTRAL_TITLE if neutral else None):
        app.run()


@contextlib.contextmanager
def window_title(stream: Any, title: str | None) -> Iterator[None]:
    """Show ``title`` as the terminal window's title while the app runs, then put the old one
    back (xterm's title stack, which most terminals keep; others ignore these sequences).
    Textual doesn't set the title, so without this the window shows the command line."""
    if title is None or not stream.isatty():
        yield
        return
    stream.write(f"\x1b[22;0t\x1b]2;{title}\x07")
    stream.flush()
    try:
        yield
    finally:
        stream.write("\x1b[23;0t")
        stream.flush()


def _latest_backup(path: Path) -> Path | None:
    from tracker.store.backup import latest_good_backup

    try:
        return latest_good_backup(path, os.environ.get(PASSPHRASE_ENV))
    except (TrackerError, OSError):
        return None


def restore_hint(error: TrackerError) -> str:
    """The error's sentence, plus the way back to the latest good backup when there is one."""
    from tracker.store.connection import DamagedJournal, NotAJournal

    path = getattr(error, "path", None)
    if not isinstance(error, DamagedJournal | NotAJournal) or path is None:
        return error.message
    backup = _latest_backup(path)
    if backup is None:
        return error.message + " There is no backup of it to go back to."
    from tracker.store.backup import restore_command

    return (
        f"{error.message} The latest good backup is {backup}; "
        f"`{restore_command(path, backup)}` brings it back (the damaged file is kept)."
    )


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _offer_restore(ctx: click.Context, error: Exception) -> bool:
    """At a terminal, offer to put the latest good backup in place of a damaged journal."""
    from tracker.store.connection import DamagedJournal, NotAJournal

    path = getattr(error, "path", None)
    if not isinstance(error, DamagedJournal | NotAJournal) or path is None:
        return False
    if not _interactive():
        return False
    backup = _latest_backup(path)
    if backup is None:
        return False
    from tracker.store.backup import backups_dir, restore

    click.echo(f"{error}", err=True)
    click.echo(f"The latest good backup is {backup}.", err=True)
    if not click.confirm(
        "Put it in place of the journal? The file there now is kept, unchanged, in "
        f"{backups_dir(path) / 'kept'}",
        default=False,
        err=True,
    ):
        return False
    passphrase = None
    from tracker.store.connection import inspect_file

    if inspect_file(backup).kind == "encrypted":
        passphrase = read_passphrase(f"Passphrase for {backup}")
    kept = restore(path, backup, passphrase=passphrase, now=_clock(ctx).local_now())
    click.echo(f"Restored. The file that was there is kept as {kept}.", err=True)
    return True


# --- tracker log -------------------------------------------------------------------------------


@cli.command("log", short_help="Record a meeting you went to (or missed).")
@click.argument("group")
@click.option(
    "--date",
    "when",
    default="today",
    show_default=True,
    metavar="WHEN",
    help="When: today, yesterday, 'last tue', '20 Nov', 2026-11-20 ...",
)
@click.option(
    "--time", "at", default="", metavar="TIME", help="The meeting's time, e.g. 19:00 or 7pm."
)
@click.option("--missed", is_flag=True, help="Record that you missed this meeting.")
@click.option("--shared", is_flag=True, help="You shared at the meeting.")
@click.option(
    "--note", default="", metavar="TEXT", help="A short note (private unless --share-note)."
)
@click.option(
    "--share-note", is_flag=True, help="Show the note to your mentor in reviews (tracker review)."
)
@db_option
@click.pass_context
def log_command(
    ctx: click.Context,
    group: str,
    when: str,
    at: str,
    missed: bool,
    shared: bool,
    note: str,
    share_note: bool,
) -> None:
    """Record a meeting you went to (or missed).

    GROUP is part of a group's name: the whole name, the start of it, or the start of any word
    in it, ignoring case ("na", "downtown", "smart on"). If it matches no group, or several,
    nothing is written and the candidates are listed.
    """
    from tracker.domain.dates import day_in_sentence, parse_date, parse_time
    from tracker.domain.matching import match_by_name
    from tracker.domain.models import AttendanceFields
    from tracker.domain.schedules import stored_schedule
    from tracker.domain.text import printable

    if missed and shared:
        raise Failure(
            "--missed and --shared can't both be given: you can't share at a meeting you missed."
        )
    if share_note and not note.strip():
        raise Failure("--share-note: give the note to share with --note.")
    store = _open_store(ctx)
    today = store.today()
    day = _field(lambda: parse_date(when, today=today, field="--date"))
    meeting_time = _field(lambda: parse_time(at, field="--time"))
    groups = store.list_groups()
    if not groups:
        raise Failure(
            "There are no groups in your journal yet. "
            "Open the app with `tracker` and press 2, then a, to add one."
        )
    match = match_by_name(group, groups)
    if match.found is None:
        names = ", ".join(printable(g.name) for g in (match.candidates or groups))
        if match.candidates:
            raise Failure(
                f"{printable(group)!r} matches {len(match.candidates)} groups: {names}. "
                "Type more of the name."
            )
        raise Failure(f"No group matches {printable(group)!r}. Your groups: {names}.")
    chosen = match.found
    if meeting_time is None and chosen.schedule:
        schedule = stored_schedule(chosen.schedule)
        meeting_time = schedule.time_on(day) if schedule else None
    already = store.logged_sessions(day, day)
    entry = _field(
        lambda: store.log_attendance(
            AttendanceFields(
                group_id=chosen.id,
                date=day,
                time=meeting_time,
                attended=not missed,
                shared=shared,
                note=note,
                note_shared=share_note,
            )
        )
    )
    from tracker.domain.summary import this_week_phrase

    what = "Noted that you missed" if missed else "Logged"
    extras = " (shared)" if shared else ""
    when_text = day_in_sentence(entry.date, today=today)
    click.echo(f"{what} {printable(entry.group_name)}, {when_text}{extras}.")
    if entry.note_shared:
        click.echo("Its note will be in your reviews with your mentor.")
    if (chosen.id, day) in already:
        click.echo("You had already logged this group that day, so this is a second entry.")
    click.echo(f"This week: {this_week_phrase(_this_week(store, today))}.")


def _this_week(store: Store, today: date) -> WeekCount:
    from tracker.domain.dates import week_start
    from tracker.domain.summary import weekly_counts

    per_day = store.meetings_per_day(week_start(today), today)
    return weekly_counts(per_day, today=today, goal=store.weekly_goal, weeks=1)[-1]


T = TypeVar("T")


def _field(action: Callable[[], T]) -> T:
    try:
        return action()
    except InvalidField as error:
        raise Failure(error.message) from error


# --- tracker status ----------------------------------------------------------------------------


@cli.command("status", short_help="This week, your last meeting, time since your sponsor.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@db_option
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """This week against your goal, your last meeting, and time since each sponsor or mentor."""
    from tracker.domain.dates import day_in_sentence, days_ago_phrase, format_day
    from tracker.domain.summary import contact_gaps, goal_dots, this_week_phrase
    from tracker.domain.text import printable
    from tracker.domain.vocab import ROLES, label
    from tracker.insights import gather, insights_json

    store = _open_store(ctx)
    today = store.today()
    goal = store.weekly_goal
    week = _this_week(store, today)
    last = store.last_attended()
    gaps = contact_gaps(store.list_people(), today=today)
    insights = gather(store)
    if as_json:
        payload: dict[str, Any] = {
            "today": today.isoformat(),
            "week": {
                "start": week.start.isoformat(),
                "end": week.end.isoformat(),
                "meetings": week.meetings,
                "goal": goal,
                "goal_met": week.met,
            },
            "last_meeting": None
            if last is None
            else {
                "group": last.group_name,
                "date": last.date.isoformat(),
                "days_ago": (today - last.date).days,
                "shared": last.shared,
            },
            "support_people": [
                {
                    "alias": gap.person.alias,
                    "role": gap.person.role,
                    "last_contact": gap.person.last_contact.isoformat()
                    if gap.person.last_contact
                    else None,
                    "days_since_contact": gap.days,
                }
                for gap in gaps
            ],
            **insights_json(insights),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"This week (from {format_day(week.start, today=today)}): "
        f"{this_week_phrase(week)}  {goal_dots(week.meetings, goal)}"
    )
    if last is None:
        click.echo("Last meeting: none logged yet. `tracker log GROUP` records one.")
    else:
        days = (today - last.date).days
        when = day_in_sentence(last.date, today=today)
        if days > 1:
            when += f" ({days_ago_phrase(days)})"
        click.echo(f"Last meeting: {printable(last.group_name)}, {when}.")
    if not gaps:
        click.echo(
            "No sponsor or mentor in the journal yet; you can add one under People in the app."
        )
    for gap in gaps:
        role = label(ROLES, gap.person.role).lower()
        when = (
            "no contact logged yet"
            if gap.days is None
            else f"last contact {days_ago_phrase(gap.days)}"
        )
        click.echo(f"{printable(gap.person.alias)} ({role}): {when}.")
    _echo_engagement(insights)


def _echo_engagement(insights: Insights) -> None:
    from tracker.domain.text import printable
    from tracker.insights import goal_met_phrase

    c = insights.consistency
    if not c.weeks:
        return
    click.echo(f"Strength: {c.percent}%. {goal_met_phrase(c)}")
    click.echo(c.runs.phrase)
    if insights.check.drop:
        click.echo("")
        click.echo(insights.check.summary)
        for signal in insights.check.signals:
            click.echo(f"  · {printable(signal.words)}")
        for advice in insights.advice:
            click.echo(f"  → {printable(advice.words)}")
        if insights.suggestions:
            names = ", ".join(s.entry.name for s in insights.top(3))
            click.echo(f"Groups you might try: {names}. See `tracker suggest` for why.")


# --- tracker suggest ---------------------------------------------------------------------------


@cli.command("suggest", short_help="Groups you haven't tried, ranked for you, with reasons.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--all", "show_all", is_flag=True, help="List every suggestion, not just the top 5.")
@click.option("--place", default="", metavar="TOWN", help="A town to put in the search phrases.")
@click.option("--try", "try_slug", metavar="SLUG", help="Add this suggestion to your groups.")
@click.option("--dismiss", metavar="SLUG", help="Not for me: never suggest this again.")
@click.option("--snooze", metavar="SLUG", help="Not now: hide it for two weeks.")
@click.option("--undo", metavar="SLUG", help="Bring back a dismissed or snoozed suggestion.")
@db_option
@click.pass_context
def suggest_command(
    ctx: click.Context,
    as_json: bool,
    show_all: bool,
    place: str,
    try_slug: str | None,
    dismiss: str | None,
    snooze: str | None,
    undo: str | None,
) -> None:
    """Groups from the starter catalogue that you haven't tried and haven't turned down, ranked by
    your profile, your barriers, your fit ratings and how things are going, each with its
    reasons and how to find one.

    Act on one with --try, --dismiss, --snooze or --undo, using the slug shown in brackets.
    """
    from tracker.domain.text import printable
    from tracker.insights import gather, suggestion_json

    store = _open_store(ctx)
    chosen = [opt for opt in (try_slug, dismiss, snooze, undo) if opt]
    if len(chosen) > 1:
        raise Failure("Choose one of --try, --dismiss, --snooze and --undo at a time.")
    if chosen:
        click.echo(_act_on_suggestion(store, try_slug, dismiss, snooze, undo))
        return
    insights = gather(store)
    shown = insights.suggestions if show_all else insights.top(5)
    if as_json:
        payload = {
            "today": insights.today.isoformat(),
            "drop": insights.check.drop,
            "signals": [{"code": s.code, "words": s.words} for s in insights.check.signals],
            "advice": [{"key": a.key, "words": a.words} for a in insights.advice],
            "suggestions": [suggestion_json(s, place=place) for s in shown],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if insights.check.drop:
        click.echo(insights.check.summary)
        for signal in insights.check.signals:
            click.echo(f"  · {printable(signal.words)}")
        click.echo("")
    for advice in insights.advice:
        click.echo(f"→ {printable(advice.words)}")
    if insights.advice:
        click.echo("")
    if not shown:
        click.echo(
            "No suggestions right now: you've tried or set aside everything in the starter "
            "catalogue. `tracker suggest --undo SLUG` brings one back."
        )
        return
    for number, suggestion in enumerate(shown, start=1):
        entry = suggestion.entry
        click.echo(f"{number}. {entry.name}  [{entry.slug}]")
        click.echo(f"   Why: {printable(suggestion.why)}.")
        for caveat in suggestion.caveats:
            click.echo(f"   But: {printable(caveat)}.")
        if entry.how_to_find:
            click.echo(f"   How to find one: {entry.how_to_find[0]}")
        phrases = entry.search_phrases_for(place)
        if phrases:
            click.echo("   Search for: " + "; ".join(f'"{printable(p)}"' for p in phrases))
    remaining = len(insights.suggestions) - len(shown)
    if remaining > 0:
        click.echo(f"\n{remaining} more with --all.")


def _act_on_suggestion(
    store: Store, try_slug: str | None, dismiss: str | None, snooze: str | None, undo: str | None
) -> str:
    from datetime import timedelta

    from tracker.domain.catalogue import get_entry, load_catalogue
    from tracker.domain.suggestions import SNOOZE_DAYS

    slug = (try_slug or dismiss or snooze or undo or "").strip().lower()
    if undo:
        if store.clear_suggestion_feedback(slug):
            return f"{slug} can be suggested again."
        return f"{slug} wasn't dismissed or snoozed; nothing to undo."
    entry = get_entry(load_catalogue(), slug)
    if entry is None:
        raise Failure(
            f"There is no suggestion called {slug!r}; `tracker suggest --all` lists them with "
            "their slugs."
        )
    if dismiss:
        store.dismiss_suggestion(slug)
        return f"Got it: {entry.name} won't be suggested again (--undo {slug} brings it back)."
    if snooze:
        until = store.today() + timedelta(days=SNOOZE_DAYS)
        store.snooze_suggestion(slug, until)
        return f"{entry.name} is snoozed until {until:%a} {until.day} {until:%b}."
    group = store.add_group(entry.group_fields(store.profile.formats))
    return (
        f"Added {group.name} to your groups, as one you're trying. "
        f"Log a visit with: tracker log {_quoted(group.name)}"
    )


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)


# --- tracker excuse ----------------------------------------------------------------------------


@cli.command("excuse", short_help="Mark a week as excused (illness, travel, other).")
@click.argument("week", required=False, default="today")
@click.option(
    "--reason",
    default="other",
    show_default=True,
    help="illness, travel or other.",
)
@click.option("--note", default="", help="A short private note.")
@click.option("--remove", is_flag=True, help="Take the excuse off that week.")
@click.option("--list", "show_list", is_flag=True, help="List the excused weeks.")
@db_option
@click.pass_context
def excuse_command(
    ctx: click.Context, week: str, reason: str, note: str, remove: bool, show_list: bool
) -> None:
    """Mark the week containing WEEK as excused. WEEK is any day of it, like 'today',
    'a week ago', 'last mon' or 2026-11-16. An excused week never counts against you: it doesn't
    lower your strength, break a run, or count as a missed week.
    """
    from tracker.domain.dates import parse_date, week_label
    from tracker.domain.models import ExcusedWeekFields
    from tracker.domain.text import printable
    from tracker.domain.vocab import EXCUSE_REASONS, label

    store = _open_store(ctx)
    today = store.today()
    if show_list:
        weeks = store.list_excused_weeks()
        if not weeks:
            click.echo("No excused weeks yet.")
        for excused in weeks:
            extra = f" — {printable(excused.note)}" if excused.note else ""
            click.echo(
                f"Week of {week_label(excused.week, today=today)}: "
                f"{label(EXCUSE_REASONS, excused.reason).lower()}{extra}"
            )
        return
    day = _field(lambda: parse_date(week, today=today, field="week", allow_future=True))
    if remove:
        if store.unexcuse_week(day):
            click.echo(f"The week of {week_label(day, today=today)} counts as usual again.")
        else:
            click.echo(f"The week of {week_label(day, today=today)} wasn't excused.")
        return
    saved = _field(lambda: store.excuse_week(ExcusedWeekFields(week=day, reason=reason, note=note)))
    click.echo(
        f"The week of {week_label(saved.week, today=today)} is excused "
        f"({label(EXCUSE_REASONS, saved.reason).lower()}). It won't count against you."
    )


# --- export and import -------------------------------------------------------------------------


@cli.command("export", short_help="Write the whole journal as versioned JSON, or CSV files.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one versioned file. csv: one file per area, for spreadsheets (needs --out DIR).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (json) or folder (csv), created private (0600 files, 0700 folder). "
    "Default for json: print to stdout.",
)
@db_option
@click.pass_context
def export_command(ctx: click.Context, fmt: str, out: Path | None) -> None:
    """Write the whole journal as versioned JSON (see docs/export-format.md), or as one CSV file
    per area (groups, attendance, people, contacts, service, fit_ratings, excused_weeks)."""
    from tracker.domain.text import journal_counts
    from tracker.paths import write_private_text

    store = _open_store(ctx)
    if fmt == "csv":
        from tracker.store.csv_export import export_csv

        if out is None:
            raise Failure("--out: give a folder for the CSV files, e.g. --out journal-csv.")
        written = export_csv(store, out)
        files = ", ".join(f"{name}.csv ({rows})" for name, rows in written.items())
        click.echo(f"Wrote {files} to {out}.", err=True)
        return
    from tracker.store.transfer import export_json_text

    text = export_json_text(store)
    if out is None:
        click.echo(text, nl=False)
        return
    if out.is_dir():
        raise Failure(f"--out: {out} is a folder; give a file name for the JSON export.")
    if out.parent and not out.parent.exists():
        raise Failure(f"The folder {out.parent} doesn't exist.")
    write_private_text(out, text)
    counts = store.counts()
    click.echo(
        f"Exported {journal_counts(counts)} to {out}.",
        err=True,
    )


# --- tracker review ----------------------------------------------------------------------------


@cli.command("review", short_help="A summary of a period to go through with your mentor.")
@click.option(
    "--since",
    default="30d",
    show_default=True,
    help="30d, 90d, 'this year', or a date.",
)
@click.option("--until", default=None, help="The last day of the period (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="md: Markdown, readable as plain text. html: one printable page.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (created private, 0600). Default: print to stdout.",
)
@db_option
@click.pass_context
def review_command(
    ctx: click.Context, since: str, until: str | None, fmt: str, out: Path | None
) -> None:
    """A summary of a period to go through with your sponsor or mentor: attendance by week,
    groups, strength, contacts (by alias), service, fit ratings, milestones, and only the notes
    you marked "share with my mentor". Every other note stays private.
    """
    from tracker.domain.review import build_review, parse_period
    from tracker.paths import write_private_text
    from tracker.review_data import review_input

    store = _open_store(ctx)
    period = _field(lambda: parse_period(since, until, today=store.today()))
    review = build_review(review_input(store, period))
    if fmt == "html":
        from tracker.report.html import to_html

        text = to_html(review)
    else:
        from tracker.report.markdown import to_markdown

        text = to_markdown(review)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    if out.parent and not out.parent.exists():
        raise Failure(f"The folder {out.parent} doesn't exist.")
    write_private_text(out, text)
    click.echo(f"{review.intro}\nWrote the review to {out}.", err=True)


@cli.command("import", short_help="Read back an export, all or nothing.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Replace everything in a journal that already has entries."
)
@db_option
@click.pass_context
def import_command(ctx: click.Context, path: Path, replace: bool) -> None:
    """Read a journal written by `tracker export`.

    All or nothing: if anything in the file is wrong, nothing changes.
    """
    from tracker.domain.text import journal_counts
    from tracker.store.transfer import check_export, import_journal, read_export_file

    data = check_export(read_export_file(path), str(path))
    store = _open_store(ctx, create=True)
    counts = import_journal(store, data, replace=replace, source=str(path))
    click.echo(f"Imported {journal_counts(counts)} into {store.path}.")


# --- demo --------------------------------------------------------------------------------------


@cli.command("demo", short_help="Fill a new journal with sample data, to try the app.")
@click.option(
    "--years",
    default=None,
    type=int,
    help="How many years of history, 1 to 60.  [default: 2; heavy 10; stress 50]",
)
@click.option(
    "--seed", default=7, show_default=True, type=int, help="Seed, for the same data every time."
)
@click.option(
    "--lapse",
    is_flag=True,
    help="End the history in a quiet spell (no meetings or sponsor contact for three weeks), "
    "to see the engagement check and its suggestions.",
)
@click.option(
    "--size",
    type=click.Choice(["normal", "heavy", "stress"]),
    default="normal",
    show_default=True,
    help="For benchmarks, bigger journals: heavy, about 7 meetings a week across 40 groups; "
    "stress, about 40 a week, over 100,000 meetings (it takes ten seconds or so).",
)
@db_option
@click.pass_context
def demo_command(ctx: click.Context, years: int | None, seed: int, lapse: bool, size: str) -> None:
    """Fill a new, empty journal with realistic sample data, to try the app.

    It refuses a journal that already has entries. Try: tracker --db demo.db demo --lapse
    """
    from tracker.demo import DEFAULT_YEARS, fill_demo
    from tracker.domain.text import counted, journal_counts

    years = DEFAULT_YEARS[size] if years is None else years
    if not 1 <= years <= 60:
        raise Failure("--years: choose from 1 to 60.")
    store = _open_store(ctx, create=True)
    summary = fill_demo(store, years=years, today=store.today(), seed=seed, lapse=lapse, size=size)
    kind = "" if size == "normal" else f"{size} "
    ending = ", ending in a quiet spell" if lapse else ""
    click.echo(
        f"Filled {store.path} with {counted(summary.years, 'year')} of {kind}sample data"
        f"{ending}: {journal_counts(store.counts())}."
    )
    click.echo(f"Open it with: tracker --db {store.path}")


def main() -> None:
    """The ``tracker`` command."""
    try:
        cli(prog_name="tracker")
    except SystemExit as done:
        leave(done.code)
        raise


def leave(code: object) -> None:
    """Ends the process at once after a command or the app, without Python's teardown of every
    module and object it loaded: that takes 30-45 ms after a quick command here (as long as the
    command's own work) and about 0.3 s after the app, and the shell waits for it. What the
    teardown would do that matters is done here first: the ``atexit`` handlers run (coverage,
    a library's clean-up) and the output is flushed; the journal is closed by then. Returns,
    for Python's ordinary exit, when another thread is still running, the exit code isn't a
    number, the output can't be flushed (a closed pipe, reported as Python reports it), or the
    ``atexit`` handlers can't be run from here."""
    import atexit
    import sys
    import threading

    # CPython's own, and not public: where it is missing, the ordinary exit runs the handlers.
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if code is None:
        code = 0
    if (
        run_exit_handlers is None
        or not isinstance(code, int)
        or isinstance(code, bool)
        or threading.active_count() > 1
    ):
        return
    run_exit_handlers()  # and forgets them, so an ordinary exit won't run them again
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()

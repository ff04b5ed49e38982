"""``tracker backup``, ``tracker restore`` and ``tracker doctor``.

These register themselves on the ``cli`` group (``tracker/cli.py`` imports this module at its
very bottom). Like every quick command they import the store only when they run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from tracker.cli import Failure, _clock, _db_path, _open_store, cli, db_option, read_passphrase


@cli.command("backup", short_help="Make a backup of your journal now (or list the backups).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Write the backup to this file instead of the backups folder.",
)
@click.option("--force", is_flag=True, help="With --out: replace a file that is already there.")
@click.option("--list", "show_list", is_flag=True, help="List the backups, newest first.")
@db_option
@click.pass_context
def backup_command(ctx: click.Context, out: Path | None, force: bool, show_list: bool) -> None:
    """Make a backup of your journal now.

    Without --out it goes into the backups folder beside the journal (JOURNAL-backups/manual),
    where it is never pruned. A backup of an encrypted journal is encrypted with the same
    passphrase. Backups are also made automatically, once a day, when the journal is opened.
    """
    from tracker.store import backup

    path = _db_path(ctx)
    if show_list:
        _list_backups(path)
        return
    if out is not None and out.exists() and not force:
        raise Failure(f"{out} already exists; nothing was changed (--force replaces it).")
    if out is not None and out.resolve() == path.resolve():
        raise Failure(f"{out} is the journal itself; nothing was changed.")
    store = _open_store(ctx)
    try:
        if out is None:
            made = backup.manual_backup(store, _clock(ctx).local_now())
        else:
            made = backup.make_backup(store, out)
    finally:
        store.close()
    size = backup.human_size(made.stat().st_size)
    click.echo(f"Backup saved to {made} ({size}).")


def _list_backups(path: Path) -> None:
    from tracker.store import backup

    found = backup.list_backups(path)
    if not found:
        click.echo(f"There are no backups of {path} yet; `tracker backup` makes one.")
        return
    click.echo(f"Backups of {path}, newest first:")
    for info in found:
        click.echo(
            f"  {info.kind:<7} {info.describe_made():<17} {backup.human_size(info.size):>9}"
            f"  {info.path}"
        )


@cli.command("restore", short_help="Bring back a backup (your current journal is kept).")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Don't ask before replacing the journal.")
@db_option
@click.pass_context
def restore_command(ctx: click.Context, source: Path, yes: bool) -> None:
    """Replace your journal with the backup SOURCE.

    The backup is checked first. Your current journal is never thrown away: it is kept in the
    backups folder (JOURNAL-backups/kept), even when it is damaged.
    """
    from tracker.domain.text import journal_counts
    from tracker.store import backup
    from tracker.store.connection import inspect_file

    path = _db_path(ctx)
    passphrase: str | None = None
    source_plain = inspect_file(source).kind != "encrypted"
    journal_encrypted = inspect_file(path).kind == "encrypted"
    if source_plain:
        problem = backup.check_backup(source, None)  # before asking for anything
        if problem:
            raise Failure(f"{problem} Nothing was changed.")
        if journal_encrypted:
            # A plain backup put back into an encrypted journal is encrypted again with its key.
            passphrase = read_passphrase(f"Passphrase for {path}")
            _check_journal_key(path, passphrase)
    else:
        passphrase = read_passphrase(f"Passphrase for {source}")
        problem = backup.check_backup(source, passphrase)
        if problem:
            raise Failure(f"{problem} Nothing was changed.")
    counts = backup.backup_contents(source, None if source_plain else passphrase)
    made = _backup_date(source)
    click.echo(f"{source} is a good backup{made}. It holds {journal_counts(counts)}.")
    kept_folder = backup.backups_dir(path) / "kept"
    reencrypt = source_plain and journal_encrypted and passphrase is not None
    if reencrypt:
        click.echo("The backup isn't encrypted; the journal will be encrypted again afterwards.")
    if not yes and not click.confirm(
        f"Replace your journal with this backup? Your current journal is kept in {kept_folder}.",
        default=False,
    ):
        click.echo("Nothing was changed.")
        return
    kept = backup.restore(
        path,
        source,
        passphrase=None if source_plain else passphrase,
        now=_clock(ctx).local_now(),
    )
    click.echo(f"Your journal {path} now holds the backup.")
    if kept is not None:
        click.echo(f"The journal as it was is kept in {kept}.")
    if reencrypt and passphrase is not None and inspect_file(path).kind == "sqlite":
        from tracker.store.crypto import encrypt_journal

        encrypt_journal(path, passphrase)
        click.echo("It is encrypted again, with the same passphrase.")


def _check_journal_key(path: Path, passphrase: str) -> None:
    """Refuse a wrong passphrase for the current journal (a damaged one can't be checked)."""
    import contextlib

    from tracker.store.connection import DamagedJournal, check_key

    with contextlib.suppress(DamagedJournal):
        check_key(path, passphrase)


def _backup_date(source: Path) -> str:
    from tracker.store import backup

    info = backup.backup_info(source)
    if info is not None:
        return f" from {info.describe_made()}"
    stamp = datetime.fromtimestamp(source.stat().st_mtime)
    return f" (saved {stamp:%Y-%m-%d %H:%M})"


@cli.command("doctor", short_help="Check the journal, its backups and its surroundings.")
@db_option
@click.pass_context
def doctor_command(ctx: click.Context) -> None:
    """Check the journal and report in plain words: the file, its integrity, foreign keys, the
    schema version, the weekly, group and rating totals kept for the dashboard, permissions,
    free disk space and the backups. Doctor only reads; it never changes anything. Exit code 0
    when all is well, 1 when something needs attention."""
    from tracker.store.connection import inspect_file
    from tracker.store.doctor import examine

    path = _db_path(ctx)
    passphrase: str | None = None
    if inspect_file(path).kind == "encrypted":
        passphrase = read_passphrase(f"Passphrase for {path}")
    findings = examine(path, passphrase, _clock(ctx).today())
    for finding in findings:
        mark = "✓" if finding.ok else "!"
        click.echo(f"{mark} {finding.area}: {finding.message}")
    attention = sum(not finding.ok for finding in findings)
    if not attention:
        click.echo("All looks well. Nothing was changed.")
        return
    things = "thing needs" if attention == 1 else "things need"
    click.echo(f"{attention} {things} attention (see above). Nothing was changed.")
    ctx.exit(1)

"""``tracker encrypt``, ``tracker decrypt`` and ``tracker passphrase``: encryption at rest.

The journal is converted whole (see :mod:`tracker.store.crypto`), and so are its backups, so that
a plain copy of an encrypted journal isn't left lying in the backups folder.
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli import (
    NEW_PASSPHRASE_ENV,
    Failure,
    _db_path,
    cli,
    db_option,
    read_passphrase,
)
from tracker.domain.text import counted


def _backups(path: Path) -> list[Path]:
    from tracker.store.backup import backup_files

    return backup_files(path)


def _new_passphrase() -> str:
    click.echo(
        "Choose a passphrase: a few words you'll remember. Without it the journal can't be "
        "opened by anyone, including you, so keep it somewhere safe.",
        err=True,
    )
    return read_passphrase("New passphrase", confirm=True, env=NEW_PASSPHRASE_ENV)


def _report(verb: str, done: list[Path], left: list[Path], why_left: str) -> None:
    if done:
        click.echo(f"{verb} {counted(len(done), 'backup')} too.")
    if left:
        click.echo(why_left)
        for path in left:
            click.echo(f"  {path}")


@cli.command("encrypt", short_help="Encrypt your journal with a passphrase.")
@db_option
@click.pass_context
def encrypt_command(ctx: click.Context) -> None:
    """Encrypt the journal (and its backups) with a passphrase, using SQLCipher.

    From then on, the app opens on a lock screen and every command asks for the passphrase.
    `tracker passphrase` changes it; `tracker decrypt` turns encryption off again.
    """
    from tracker.store import crypto, driver

    reason = driver.cipher_unavailable_reason()
    if reason:
        raise Failure(f"Encryption isn't available: {reason}.")
    path = _db_path(ctx)
    if not path.exists():
        raise Failure(f"There is no journal at {path} yet; nothing was changed.")
    passphrase = crypto.check_new_passphrase(_new_passphrase())
    result = crypto.encrypt_journal(path, passphrase, _backups(path))
    click.echo(f"Encrypted {path}.")
    _report(
        "Encrypted",
        result.backups_done,
        result.backups_left,
        "These backups couldn't be read, so they are not encrypted; "
        "delete them if you don't need them:",
    )


@cli.command("decrypt", short_help="Turn off encryption (store the journal as plain SQLite).")
@db_option
@click.pass_context
def decrypt_command(ctx: click.Context) -> None:
    """Decrypt the journal (and the backups that share its passphrase) back to plain SQLite."""
    from tracker.store import crypto

    path = _db_path(ctx)
    passphrase = read_passphrase(f"Passphrase for {path}")
    result = crypto.decrypt_journal(path, passphrase, _backups(path))
    click.echo(f"Decrypted {path}; it is a plain SQLite file again.")
    _report(
        "Decrypted",
        result.backups_done,
        result.backups_left,
        "These backups use an older passphrase and were left as they were:",
    )


@cli.command("passphrase", short_help="Change the passphrase of an encrypted journal.")
@db_option
@click.pass_context
def passphrase_command(ctx: click.Context) -> None:
    """Change the passphrase of the encrypted journal (and of the backups that share it)."""
    from tracker.store import crypto

    path = _db_path(ctx)
    old = read_passphrase(f"Current passphrase for {path}")
    new = crypto.check_new_passphrase(_new_passphrase())
    result = crypto.change_passphrase(path, old, new, _backups(path))
    click.echo(f"Changed the passphrase of {path}.")
    _report(
        "Re-keyed",
        result.backups_done,
        result.backups_left,
        "These backups use an older passphrase and were left as they were:",
    )

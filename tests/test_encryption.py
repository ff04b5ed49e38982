"""Encryption at rest: `tracker encrypt`, `decrypt` and `passphrase`, and what the bytes hold.

The raw files are read directly: an encrypted journal, its write-ahead log and its backups must
hold none of the text that was written into them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import AttendanceFields, ContactFields, GroupFields, PersonFields
from tracker.errors import TrackerError
from tracker.store import Store, crypto, driver
from tracker.store.connection import (
    EncryptionUnavailable,
    PassphraseNeeded,
    WrongPassphrase,
    inspect_file,
)

TODAY = date(2026, 11, 26)
SECRET = "Marigold-Lantern-7731"  # a note nobody else would write
GROUP = "Thursday Harbour Circle"
ALIAS = "Ozymandias"
PASSPHRASE = "quiet river stones"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    for name in ("TRACKER_DB", "TRACKER_DEBUG", "TRACKER_PASSPHRASE", "TRACKER_NEW_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str, env: dict[str, str | None] | None = None, stdin: str = "") -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=stdin)


def fill(store: Store) -> None:
    group = store.add_group(GroupFields(name=GROUP, notes=f"group {SECRET}")).id
    store.log_attendance(AttendanceFields(group_id=group, date=TODAY, note=f"meeting {SECRET}"))
    person = store.add_person(PersonFields(alias=ALIAS, role="sponsor")).id
    store.log_contact(ContactFields(person_id=person, date=TODAY, note=f"call {SECRET}"))


def make_journal(path: Path, passphrase: str | None = None) -> Path:
    store = Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)
    fill(store)
    store.close()
    return path


def raw(path: Path) -> bytes:
    """The file's bytes with those of its -wal beside it (empty when there is none)."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def readable(path: Path) -> list[bytes]:
    """Which of the journal's texts can be read in the raw bytes (as `strings` would)."""
    data = raw(path)
    return [word.encode() for word in (SECRET, GROUP, ALIAS) if word.encode() in data]


# --- the store ------------------------------------------------------------------------------------


def test_a_new_encrypted_journal_holds_no_plaintext_even_in_its_wal(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = Store.open(path, clock=Clock.fixed(TODAY), passphrase=PASSPHRASE)
    fill(store)
    # While open, recent writes sit in the -wal file: it must be encrypted too.
    assert path.with_name("j.db-wal").exists()
    assert readable(path) == []
    assert store.encrypted
    store.close()
    assert not raw(path).startswith(b"SQLite format 3")
    assert inspect_file(path).kind == "encrypted"
    assert readable(path) == []


def test_a_plain_journal_does_hold_its_text_so_the_check_above_can_fail(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "plain.db")
    assert set(readable(path)) == {SECRET.encode(), GROUP.encode(), ALIAS.encode()}


def test_opening_needs_the_passphrase_and_refuses_a_wrong_one(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db", PASSPHRASE)
    before = path.read_bytes()
    with pytest.raises(PassphraseNeeded) as needed:
        Store.open(path)
    assert str(path) in needed.value.message
    with pytest.raises(WrongPassphrase) as wrong:
        Store.open(path, passphrase="not it at all")
    assert "doesn't open" in wrong.value.message and str(path) in wrong.value.message
    assert path.read_bytes() == before
    store = Store.open(path, passphrase=PASSPHRASE)
    assert [g.name for g in store.list_groups()] == [GROUP]
    store.close()


def test_quotes_and_unicode_in_a_passphrase_work(tmp_path: Path) -> None:
    odd = "it's a 'quoted' ünïcödé pass; DROP TABLE groups; --"
    path = make_journal(tmp_path / "j.db", odd)
    store = Store.open(path, passphrase=odd)
    assert [g.name for g in store.list_groups()] == [GROUP]
    store.close()
    with pytest.raises(WrongPassphrase):
        Store.open(path, passphrase="it's a")


def test_encrypt_change_and_decrypt_keep_every_row(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db")
    store = Store.open(path)
    before = store.counts()
    store.close()

    crypto.encrypt_journal(path, PASSPHRASE)
    assert inspect_file(path).kind == "encrypted" and readable(path) == []
    crypto.change_passphrase(path, PASSPHRASE, "a brand new phrase")
    with pytest.raises(WrongPassphrase):
        Store.open(path, passphrase=PASSPHRASE)
    store = Store.open(path, passphrase="a brand new phrase")
    assert store.counts() == before
    store.close()

    crypto.decrypt_journal(path, "a brand new phrase")
    assert inspect_file(path).kind == "sqlite"
    store = Store.open(path)
    assert store.counts() == before and not store.encrypted
    store.close()
    # No temporary or old copies are left beside the journal.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.db"]


def test_a_short_passphrase_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db")
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="at least 8"):
        crypto.encrypt_journal(path, "short")
    assert path.read_bytes() == before


def test_encrypting_a_journal_open_in_another_window_is_refused(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db")
    other = Store.open(path)  # the app, open elsewhere
    try:
        with pytest.raises(TrackerError, match="open in another window"):
            crypto.encrypt_journal(path, PASSPHRASE)
        assert inspect_file(path).kind == "sqlite"
        assert [g.name for g in other.list_groups()] == [GROUP]
    finally:
        other.close()


def test_without_sqlcipher_plain_journals_work_and_encryption_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted = make_journal(tmp_path / "e.db", PASSPHRASE)
    plain = make_journal(tmp_path / "p.db")
    monkeypatch.setattr(driver, "_cipher_module", lambda: None)
    store = Store.open(plain)
    assert [g.name for g in store.list_groups()] == [GROUP]
    store.close()
    with pytest.raises(EncryptionUnavailable, match="sqlcipher3"):
        Store.open(encrypted, passphrase=PASSPHRASE)
    result = run("--db", str(plain), "encrypt", env={"TRACKER_NEW_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 2
    assert "Encryption isn't available" in result.output and "sqlcipher3" in result.output
    assert inspect_file(plain).kind == "sqlite"


# --- the commands ---------------------------------------------------------------------------------


def test_tracker_encrypt_then_every_command_asks_for_the_passphrase(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db")
    result = run("--db", str(path), "encrypt", env={"TRACKER_NEW_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert f"Encrypted {path}" in result.output
    assert readable(path) == []

    # The passphrase typed (here: one line of standard input, as a script would give it).
    logged = run("--db", str(path), "log", GROUP, stdin=PASSPHRASE + "\n")
    assert logged.exit_code == 0, logged.output
    status = run("--db", str(path), "status", "--json", env={"TRACKER_PASSPHRASE": PASSPHRASE})
    assert status.exit_code == 0, status.output
    assert '"meetings": 2' in status.output.replace(" ", "").replace(
        '"meetings":2', '"meetings": 2'
    )
    assert readable(path) == []

    wrong = run("--db", str(path), "status", env={"TRACKER_PASSPHRASE": "nope nope nope"})
    assert wrong.exit_code == 2
    assert "That passphrase doesn't open" in wrong.output


def test_tracker_passphrase_and_decrypt(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db", PASSPHRASE)
    changed = run(
        "--db",
        str(path),
        "passphrase",
        env={"TRACKER_PASSPHRASE": PASSPHRASE, "TRACKER_NEW_PASSPHRASE": "another fine phrase"},
    )
    assert changed.exit_code == 0, changed.output
    assert "Changed the passphrase" in changed.output
    old = run("--db", str(path), "status", env={"TRACKER_PASSPHRASE": PASSPHRASE})
    assert old.exit_code == 2

    decrypted = run("--db", str(path), "decrypt", env={"TRACKER_PASSPHRASE": "another fine phrase"})
    assert decrypted.exit_code == 0, decrypted.output
    assert inspect_file(path).kind == "sqlite"
    assert run("--db", str(path), "status").exit_code == 0


def test_a_wrong_passphrase_prints_one_clear_line_and_no_sqlcipher_noise(tmp_path: Path) -> None:
    """SQLCipher logs to the process's real stderr unless told not to: run a real process."""
    path = make_journal(tmp_path / "j.db", PASSPHRASE)
    env = {
        **os.environ,
        "TRACKER_PASSPHRASE": "definitely wrong",
        "TRACKER_TODAY": TODAY.isoformat(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(path), "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"tracker: That passphrase doesn't open {path}. Nothing was changed. "
        "(If the passphrase is right, the file is damaged or isn't a Tracker journal.)"
    ]


def test_encrypting_converts_the_backups_and_new_backups_are_encrypted(tmp_path: Path) -> None:
    from tracker.store.backup import backup_files

    path = make_journal(tmp_path / "j.db")
    assert run("--db", str(path), "backup").exit_code == 0
    assert run("--db", str(path), "status").exit_code == 0  # the day's automatic backup
    plain_backups = backup_files(path)
    assert len(plain_backups) >= 2
    assert all(SECRET.encode() in b.read_bytes() for b in plain_backups)

    result = run("--db", str(path), "encrypt", env={"TRACKER_NEW_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert f"Encrypted {len(plain_backups)} backups too." in result.output
    env = {"TRACKER_PASSPHRASE": PASSPHRASE}
    assert run("--db", str(path), "backup", env=env).exit_code == 0
    backups = backup_files(path)
    assert len(backups) == len(plain_backups) + 1
    for backup in backups:
        assert inspect_file(backup).kind == "encrypted", backup
        assert readable(backup) == [], backup
        store = Store(driver_db(backup, PASSPHRASE))
        assert [g.name for g in store.list_groups()] == [GROUP]
        store.close()


def driver_db(path: Path, passphrase: str) -> Any:
    from sqlite_utils import Database

    return Database(driver.connect_encrypted(path, passphrase), execute_plugins=False)


def test_a_damaged_journal_is_left_alone_and_the_latest_good_backup_is_named(
    tmp_path: Path,
) -> None:
    from tracker.store.backup import latest_good_backup

    path = make_journal(tmp_path / "j.db")
    assert run("--db", str(path), "status").exit_code == 0  # makes today's backup
    backup = latest_good_backup(path, None)
    assert backup is not None
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut short
    damaged = path.read_bytes()

    result = run("--db", str(path), "status")
    assert result.exit_code == 2
    assert f"{path} is damaged: it is cut short" in result.output
    assert f"The latest good backup is {backup}" in result.output
    assert "restore" in result.output
    assert path.read_bytes() == damaged

    restored = run("--db", str(path), "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert run("--db", str(path), "status").exit_code == 0
    kept = [p for p in (tmp_path / "j.db-backups" / "kept").iterdir() if p.suffix == ".db"]
    assert [p.read_bytes() for p in kept] == [damaged]


@pytest.mark.parametrize("first", [b"{", b"[", b" ", b"\n", b"\xef\xbb\xbf{"])
def test_an_encrypted_file_is_known_whatever_its_random_salt_starts_with(
    tmp_path: Path, first: bytes
) -> None:
    """The first 16 bytes of an SQLCipher file are a random salt; one that happens to start
    like JSON or text must still be taken for an encrypted journal."""
    import random

    for seed in range(50):
        body = random.Random(seed).randbytes(8192)
        path = tmp_path / f"e{seed}.db"
        path.write_bytes(first + body[len(first) :])
        assert inspect_file(path).kind == "encrypted", (first, seed)


def test_json_and_text_files_are_told_apart_from_encrypted_ones(tmp_path: Path) -> None:
    cases = {
        "export.json": ('\ufeff{"format": "tracker"}', "it is a JSON file"),
        "list.json": ("  [1, 2, 3]\n" * 500, "it is a JSON file"),
        "notes.txt": ("Dear diary, ünïcode ☕\n" * 400, "it is a text file"),
    }
    for name, (content, detail) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        state = inspect_file(path)
        assert (state.kind, state.detail) == ("text", detail), name


def test_encrypt_names_the_backups_it_could_not_encrypt(tmp_path: Path) -> None:
    from tracker.store.backup import backups_dir

    path = make_journal(tmp_path / "j.db")
    kept = backups_dir(path) / "kept"
    kept.mkdir(parents=True)
    damaged = kept / "journal-before-restore-2026-11-20-120000.db"
    damaged.write_bytes(path.read_bytes()[:3000])  # what restore keeps of a damaged journal
    result = run("--db", str(path), "encrypt", env={"TRACKER_NEW_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert "These backups couldn't be read, so they are not encrypted" in result.output
    assert f"  {damaged}" in result.output.splitlines()


def test_an_empty_passphrase_is_no_passphrase(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db", PASSPHRASE)
    for env, stdin in (({"TRACKER_PASSPHRASE": ""}, "\n"), ({}, "")):
        result = run("--db", str(path), "status", env=env, stdin=stdin)
        assert result.exit_code == 2
        assert result.output == "tracker: No passphrase given; nothing was changed.\n"
    with pytest.raises(WrongPassphrase):
        Store.open(path, passphrase="")


def test_a_damaged_encrypted_journal_is_called_damaged_not_a_wrong_passphrase(
    tmp_path: Path,
) -> None:
    from tracker.store.backup import daily_backup_path

    path = make_journal(tmp_path / "j.db", PASSPHRASE)
    env = {"TRACKER_PASSPHRASE": PASSPHRASE}
    assert run("--db", str(path), "status", env=env).exit_code == 0  # makes today's backup
    path.write_bytes(path.read_bytes()[:5000])
    damaged = path.read_bytes()
    result = run("--db", str(path), "status", env=env)
    assert result.exit_code == 2
    assert f"{path} is damaged: its passphrase opens the latest backup" in result.output
    assert f"The latest good backup is {daily_backup_path(path, TODAY)}" in result.output
    assert path.read_bytes() == damaged
    wrong = run("--db", str(path), "status", env={"TRACKER_PASSPHRASE": "not the one at all"})
    assert "That passphrase doesn't open" in wrong.output


def test_encrypt_leaves_a_kept_journal_with_a_wal_exactly_as_it_is(tmp_path: Path) -> None:
    from tracker.store.backup import backups_dir

    path = make_journal(tmp_path / "j.db")
    kept = backups_dir(path) / "kept"
    kept.mkdir(parents=True)
    aside = kept / "journal-before-restore-2026-11-20-120000.db"
    aside.write_bytes(path.read_bytes())
    wal = aside.with_name(aside.name + "-wal")
    wal.write_bytes(b"WAL frames of a damaged journal " + SECRET.encode())
    before = {aside: aside.read_bytes(), wal: wal.read_bytes()}
    result = run("--db", str(path), "encrypt", env={"TRACKER_NEW_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in before} == before
    lines = result.output.splitlines()
    assert f"  {aside}" in lines and f"  {wal}" in lines


def test_copies_left_by_an_interrupted_conversion_are_wiped_next_time(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "j.db")
    leftover = tmp_path / ".j.db.old-2147480000"  # no such process
    leftover.write_bytes(path.read_bytes())
    crypto.encrypt_journal(path, PASSPHRASE)
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.db"]

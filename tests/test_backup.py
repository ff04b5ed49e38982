"""Backups: rotating daily/weekly copies, on-demand ones, checks, and restore.

Every test works on a copy of a small demo journal (or a tiny one made on the spot) in its own
temporary folder, with ``today`` fixed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.domain.models import GroupFields
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.backup import (
    BackupInfo,
    backup_files,
    backups_dir,
    check_backup,
    daily_backup,
    daily_backup_path,
    latest_good_backup,
    list_backups,
    make_backup,
    manual_backup,
    restore,
    run_daily_backup_quietly,
    weekly_path,
)
from tracker.store.connection import DamagedJournal, connect, inspect_file

TODAY = date(2026, 11, 26)  # a Thursday
NOW = datetime(2026, 11, 26, 18, 30, 5)
PASSPHRASE = "correct horse battery staple"
SECRET_NOTE = "MY-PRIVATE-NOTE-4711 about my sponsor"


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed one-year demo journal, copied by the tests that need one."""
    path = tmp_path_factory.mktemp("template") / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    fill_demo(store, years=1, today=TODAY)
    store.close()
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def demo(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "data" / "journal.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(demo_template, path)
    os.chmod(path, 0o600)
    return path


def open_store(path: Path, passphrase: str | None = None) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)


def group_names(path: Path, passphrase: str | None = None) -> list[str]:
    store = open_store(path, passphrase)
    try:
        return sorted(g.name for g in store.list_groups())
    finally:
        store.close()


def small_journal(path: Path, names: tuple[str, ...] = ("NA Downtown",), **kw: str) -> Path:
    store = open_store(path, kw.get("passphrase"))
    for name in names:
        store.add_group(GroupFields(name=name, notes=SECRET_NOTE))
    store.close()
    return path


def counts(path: Path) -> dict[str, int]:
    store = open_store(path)
    try:
        return store.counts()
    finally:
        store.close()


def dump(path: Path) -> list[str]:
    """The whole content of a plain database as SQL, read without writing."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def zero_middle_page(path: Path) -> None:
    """Damage a journal the way a failing disk would: one page in the middle becomes zeros."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    pages = path.stat().st_size // page_size
    assert pages > 10
    with open(path, "r+b") as handle:
        handle.seek((pages // 2) * page_size)
        handle.write(b"\x00" * page_size)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def iso_week_name(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}.db"


# --- daily and weekly rotation ---------------------------------------------------------------


def test_first_backup_of_the_day_makes_daily_and_weekly(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    made = daily_backup(store, TODAY)
    store.close()
    folder = tmp_path / "journal.db-backups"
    assert made == folder / "daily" / "2026-11-26.db"
    assert names_in(folder / "weekly") == {"2026-W48.db"}
    # A backup is one self-contained file: not in WAL mode, no -wal beside it.
    assert made.read_bytes()[18:20] == b"\x01\x01"
    assert names_in(folder / "daily") == {"2026-11-26.db"}
    assert check_backup(made, None) is None
    assert group_names(made) == ["NA Downtown"]


def test_second_call_the_same_day_does_nothing(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    made = daily_backup(store, TODAY)
    assert made is not None
    before = made.stat()
    store.add_group(GroupFields(name="Added later"))
    assert daily_backup(store, TODAY) is None
    store.close()
    after = made.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert group_names(made) == ["NA Downtown"]


def test_forty_days_keep_seven_daily_and_four_weekly(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    first = date(2026, 10, 1)
    days = [first + timedelta(days=n) for n in range(40)]
    for day in days:
        assert daily_backup(store, day) is not None
    store.close()
    folder = backups_dir(path)
    assert names_in(folder / "daily") == {f"{d.isoformat()}.db" for d in days[-7:]}
    weeks = sorted({d.isocalendar()[:2] for d in days})[-4:]
    assert names_in(folder / "weekly") == {f"{y}-W{w:02d}.db" for y, w in weeks}
    assert len(backup_files(path)) == 11


def test_twenty_days_with_a_gap(tmp_path: Path) -> None:
    """Days the app wasn't opened make no backup; the newest seven days that did are kept, and
    the weekly copy is the first backup made in each week."""
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    days = [TODAY - timedelta(days=n) for n in range(40, 0, -2)]  # every other day: 20 days
    for index, day in enumerate(days):
        store.add_group(GroupFields(name=f"Group {index}"))
        daily_backup(store, day)
    store.close()
    folder = backups_dir(path)
    assert names_in(folder / "daily") == {f"{d.isoformat()}.db" for d in days[-7:]}
    newest_weeks = sorted({iso_week_name(d) for d in days})[-4:]
    assert names_in(folder / "weekly") == set(newest_weeks)
    # The weekly copy of the newest week was made on the first day of that week we saw.
    first_that_week = min(d for d in days if iso_week_name(d) == newest_weeks[-1])
    groups = group_names(folder / "weekly" / newest_weeks[-1])
    assert len(groups) == 1 + days.index(first_that_week) + 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=25, unique=True)
)
def test_rotation_property(tmp_path: Path, offsets: list[int]) -> None:
    """For any days the app is opened on (in order), the newest 7 days and the newest 4 ISO
    weeks have a backup, and nothing else is kept."""
    folder = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    path = small_journal(folder / "journal.db")
    days = sorted(date(2026, 1, 1) + timedelta(days=n) for n in offsets)
    store = open_store(path)
    for day in days:
        daily_backup(store, day)
    store.close()
    assert names_in(backups_dir(path) / "daily") == {f"{d}.db" for d in days[-7:]}
    assert names_in(backups_dir(path) / "weekly") == set(
        sorted({iso_week_name(d) for d in days})[-4:]
    )


def test_backups_are_private_whatever_the_umask(tmp_path: Path, umask_022: None) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    daily_backup(store, TODAY)
    manual_backup(store, NOW)
    out = make_backup(store, tmp_path / "elsewhere.db")
    store.close()
    folder = backups_dir(path)
    folders = [folder, *(p for p in folder.iterdir() if p.is_dir())]
    assert {p.name for p in folders} == {"journal.db-backups", "daily", "weekly", "manual"}
    for each in folders:
        assert mode(each) == 0o700, each
    files = backup_files(path)
    assert len(files) == 3
    for each in [*files, out]:
        assert mode(each) == 0o600, each


def test_a_loose_backups_folder_is_tightened(tmp_path: Path, umask_022: None) -> None:
    path = small_journal(tmp_path / "journal.db")
    (backups_dir(path) / "daily").mkdir(parents=True, mode=0o755)
    os.chmod(backups_dir(path), 0o755)
    store = open_store(path)
    daily_backup(store, TODAY)
    store.close()
    assert mode(backups_dir(path)) == 0o700
    assert mode(backups_dir(path) / "daily") == 0o700


def test_manual_backups_never_collide_and_are_listed_newest_first(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    daily_backup(store, TODAY - timedelta(days=1))
    one = manual_backup(store, NOW)
    two = manual_backup(store, NOW)
    store.close()
    assert one.name == "2026-11-26-183005.db"
    assert two != one and two.exists() and one.exists()
    listed = list_backups(path)
    assert [b.kind for b in listed] == ["manual", "manual", "daily", "weekly"]
    assert listed[0].made == NOW and isinstance(listed[0], BackupInfo)
    assert listed[2].made == TODAY - timedelta(days=1)
    assert listed[0].size == one.stat().st_size


# --- a damaged journal ----------------------------------------------------------------------


def test_a_damaged_journal_is_not_backed_up_and_good_backups_stay(demo: Path) -> None:
    store = open_store(demo)
    for n in range(9, 0, -1):
        daily_backup(store, TODAY - timedelta(days=n))
    store.close()
    before = {p: p.read_bytes() for p in backup_files(demo)}
    assert len(before) == 7 + 2
    zero_middle_page(demo)
    # Opened without the first-open check, as when the damage happens later in the day.
    store = Store(connect(demo), path=demo, clock=Clock.fixed(TODAY))
    try:
        with pytest.raises(DamagedJournal) as caught:
            daily_backup(store, TODAY)
        assert str(demo) in str(caught.value)
        sentence = run_daily_backup_quietly(store, TODAY)
    finally:
        store.close()
    assert sentence is not None and "damaged" in sentence and "tracker doctor" in sentence
    after = {p: p.read_bytes() for p in backup_files(demo)}
    assert after == before
    assert not (backups_dir(demo) / "daily" / f"{TODAY}.db").exists()
    assert latest_good_backup(demo, None) == backups_dir(demo) / "daily" / "2026-11-25.db"


def test_the_first_open_of_the_day_finds_damage_inside_and_changes_nothing(
    demo: Path,
) -> None:
    """A zeroed page in the middle, with a -wal file not yet folded in: the day's first open
    reads the whole file read-only and refuses it, so neither file is written."""
    store = open_store(demo)
    daily_backup(store, TODAY - timedelta(days=1))
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    # A write that touches only the first pages (settings), not the zeroed one in the middle:
    # a newer copy of that page in the -wal would hide the damage, as SQLite reads the -wal first.
    store.set_setting("only_in_the_wal", True)
    wal = demo.with_name(demo.name + "-wal")
    pending = wal.read_bytes()
    assert pending  # the new setting is only in the -wal
    zero_middle_page(demo)
    damaged = demo.read_bytes()
    store.db.conn.close()  # like a crash: nothing more happens to the files
    # (closing the connection may fold the -wal; put back the state a crash would leave)
    demo.write_bytes(damaged)
    wal.write_bytes(pending)
    with pytest.raises(DamagedJournal) as caught:
        open_store(demo)
    assert caught.value.path == demo
    assert f"{demo} is damaged" in caught.value.message
    assert demo.read_bytes() == damaged
    assert wal.read_bytes() == pending


def test_quiet_daily_backup_reports_a_folder_problem_without_raising(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    backups_dir(path).write_text("a file where the backups folder should be")
    store = open_store(path)
    try:
        sentence = run_daily_backup_quietly(store, TODAY)
    finally:
        store.close()
    assert sentence is not None
    assert "backup couldn't be saved" in sentence and "journal itself is fine" in sentence
    assert backups_dir(path).read_text() == "a file where the backups folder should be"


def test_quiet_daily_backup_returns_none_when_all_is_well(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    try:
        assert run_daily_backup_quietly(store, TODAY) is None
        assert run_daily_backup_quietly(store, TODAY) is None
    finally:
        store.close()
    assert (backups_dir(path) / "daily" / f"{TODAY}.db").exists()


def test_a_full_disk_leaves_no_half_made_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)

    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tracker.store.backup._fsync_file", no_space)
    try:
        sentence = run_daily_backup_quietly(store, TODAY)
    finally:
        store.close()
    assert sentence is not None and "No space left on device" in sentence
    assert names_in(backups_dir(path) / "daily") == set()


# --- encryption ---------------------------------------------------------------------------------


def test_an_encrypted_journal_gets_encrypted_backups(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db", passphrase=PASSPHRASE)
    store = open_store(path, PASSPHRASE)
    daily = daily_backup(store, TODAY)
    manual = manual_backup(store, NOW)
    store.close()
    assert daily is not None
    for made in (daily, manual, backups_dir(path) / "weekly" / "2026-W48.db"):
        raw = made.read_bytes()
        assert b"MY-PRIVATE-NOTE-4711" not in raw
        assert b"NA Downtown" not in raw
        assert not raw.startswith(b"SQLite format 3")
        assert inspect_file(made).kind == "encrypted"
        assert check_backup(made, PASSPHRASE) is None
        assert group_names(made, PASSPHRASE) == ["NA Downtown"]
    assert "passphrase" in (check_backup(daily, None) or "")
    assert "doesn't open" in (check_backup(daily, "not the passphrase") or "")


# --- check_backup ---------------------------------------------------------------------------


def other_apps_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('beach.jpg')")
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def good_backup(tmp_path: Path) -> Path:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    made = daily_backup(store, TODAY)
    store.close()
    assert made is not None
    return made


def test_check_backup_accepts_a_good_one(good_backup: Path) -> None:
    before = good_backup.read_bytes()
    assert check_backup(good_backup, None) is None
    assert check_backup(good_backup, "ignored for a plain file") is None
    assert good_backup.read_bytes() == before


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p, good: p.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2]), "cut"),
        (lambda p, good: p.write_text(json.dumps({"groups": []})), "JSON"),
        (lambda p, good: p.write_text("hello, these are my notes\n"), "text file"),
        (lambda p, good: p.write_bytes(b""), "empty file"),
        (lambda p, good: other_apps_database(p), "another application"),
        (lambda p, good: sqlite3.connect(p).execute("PRAGMA user_version = 1"), "empty SQLite"),
    ],
    ids=["truncated", "json", "text", "empty", "other-app", "empty-sqlite"],
)
def test_check_backup_refuses_what_is_not_a_good_backup(
    tmp_path: Path, good_backup: Path, make: Callable[[Path, Path], object], words: str
) -> None:
    bad = tmp_path / "bad.db"
    make(bad, good_backup)
    before = bad.read_bytes()
    problem = check_backup(bad, None)
    assert problem is not None
    assert str(bad) in problem and words in problem
    assert bad.read_bytes() == before


def test_check_backup_refuses_a_backup_from_a_newer_tracker(
    tmp_path: Path, good_backup: Path
) -> None:
    newer = tmp_path / "newer.db"
    shutil.copyfile(good_backup, newer)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('tracker', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    assert "newer version of Tracker" in (check_backup(newer, None) or "")


def test_check_backup_refuses_a_damaged_page(tmp_path: Path, demo: Path) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(demo, damaged)
    zero_middle_page(damaged)
    problem = check_backup(damaged, None)
    assert problem is not None and str(damaged) in problem


def test_check_backup_of_a_missing_file(tmp_path: Path) -> None:
    assert "no file" in (check_backup(tmp_path / "nowhere.db", None) or "")


# --- restore ------------------------------------------------------------------------------------


def test_restore_brings_rows_back_and_keeps_the_journal(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db", ("Before",))
    store = open_store(path)
    made = daily_backup(store, TODAY)
    store.add_group(GroupFields(name="After the backup"))
    store.close()
    assert made is not None
    as_it_was = dump(path)

    kept = restore(path, made, passphrase=None, now=NOW)

    assert group_names(path) == ["Before"]
    assert kept is not None and kept.parent == backups_dir(path) / "kept"
    assert kept.name == "journal-before-restore-2026-11-26-183005.db"
    assert dump(kept) == as_it_was
    assert mode(path) == 0o600 and mode(kept) == 0o600
    assert check_backup(kept, None) is None


def test_restore_while_the_journal_is_open_elsewhere(tmp_path: Path) -> None:
    """The app may be open in another window: it sees the restored journal, whole."""
    path = small_journal(tmp_path / "journal.db", ("Before",))
    app = open_store(path)
    made = daily_backup(app, TODAY)
    app.add_group(GroupFields(name="After the backup"))
    assert made is not None and Path(f"{path}-wal").exists()

    kept = restore(path, made, passphrase=None, now=NOW)

    assert sorted(g.name for g in app.list_groups()) == ["Before"]
    app.add_group(GroupFields(name="Written after the restore"))
    assert app.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    app.close()
    assert group_names(path) == ["Before", "Written after the restore"]
    assert kept is not None and group_names(kept) == ["After the backup", "Before"]


def test_restore_over_a_damaged_journal_moves_it_aside_unchanged(demo: Path) -> None:
    store = open_store(demo)
    made = daily_backup(store, TODAY - timedelta(days=1))
    store.close()
    assert made is not None
    zero_middle_page(demo)
    # A -wal and a -journal beside the damaged file: kept with it, never deleted.
    wal, rollback = Path(f"{demo}-wal"), Path(f"{demo}-journal")
    wal.write_bytes(b"wal bytes that may hold someone's last entries")
    rollback.write_bytes(b"rollback journal bytes")
    damaged = demo.read_bytes()

    kept = restore(demo, made, passphrase=None, now=NOW)

    assert kept is not None
    assert kept.read_bytes() == damaged
    assert Path(f"{kept}-wal").read_bytes() == b"wal bytes that may hold someone's last entries"
    assert Path(f"{kept}-journal").read_bytes() == b"rollback journal bytes"
    assert not rollback.exists()
    assert not wal.exists() or b"someone's" not in wal.read_bytes()
    assert check_backup(demo, None) is None
    assert mode(demo) == 0o600
    assert counts(demo) == counts(made)


@pytest.mark.parametrize("content", [b"", b'{"groups": []}', b"SQLite format 3\x00" + b"\x07" * 50])
def test_restore_over_an_empty_or_foreign_file(tmp_path: Path, content: bytes) -> None:
    path = small_journal(tmp_path / "journal.db", ("Kept safe",))
    store = open_store(path)
    made = daily_backup(store, TODAY)
    store.close()
    assert made is not None
    path.write_bytes(content)
    kept = restore(path, made, passphrase=None, now=NOW)
    assert kept is not None and kept.read_bytes() == content
    assert group_names(path) == ["Kept safe"]


def test_restore_when_the_journal_is_gone(tmp_path: Path, good_backup: Path) -> None:
    path = tmp_path / "new-home" / "journal.db"
    path.parent.mkdir()
    assert restore(path, good_backup, passphrase=None, now=NOW) is None
    assert group_names(path) == ["NA Downtown"]


def test_restore_refuses_a_bad_backup_and_changes_nothing(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db", ("Mine",))
    bad = tmp_path / "bad.db"
    other_apps_database(bad)
    folder = tmp_path
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    with pytest.raises(TrackerError) as caught:
        restore(path, bad, passphrase=None, now=NOW)

    assert str(bad) in str(caught.value) and "Nothing was changed" in str(caught.value)
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert not backups_dir(path).exists()


def test_restore_refuses_the_journal_itself(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    with pytest.raises(TrackerError, match="journal itself"):
        restore(path, path, passphrase=None, now=NOW)


def test_restore_an_encrypted_backup(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db", ("Before",), passphrase=PASSPHRASE)
    store = open_store(path, PASSPHRASE)
    made = daily_backup(store, TODAY)
    store.add_group(GroupFields(name="After"))
    store.close()
    assert made is not None
    with pytest.raises(TrackerError, match="doesn't open"):
        restore(path, made, passphrase="wrong", now=NOW)
    kept = restore(path, made, passphrase=PASSPHRASE, now=NOW)
    assert group_names(path, PASSPHRASE) == ["Before"]
    assert kept is not None and inspect_file(kept).kind == "encrypted"
    assert group_names(kept, PASSPHRASE) == ["After", "Before"]
    assert b"After" not in kept.read_bytes() and inspect_file(path).kind == "encrypted"


# --- the commands -----------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)
    monkeypatch.delenv("TRACKER_PASSPHRASE", raising=False)


def run(*args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def test_cli_backup_into_the_manual_folder(tmp_path: Path, cli_env: None) -> None:
    path = small_journal(tmp_path / "journal.db")
    result = run("--db", str(path), "backup")
    assert result.exit_code == 0, result.output
    made = backups_dir(path) / "manual" / "2026-11-26-120000.db"
    assert f"Backup saved to {made}" in result.output
    assert check_backup(made, None) is None
    again = run("--db", str(path), "backup")
    assert again.exit_code == 0
    assert len(list((backups_dir(path) / "manual").iterdir())) == 2


def test_cli_backup_out(tmp_path: Path, cli_env: None, umask_022: None) -> None:
    path = small_journal(tmp_path / "journal.db")
    out = tmp_path / "usb" / "copy.db"
    out.parent.mkdir()
    result = run("--db", str(path), "backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert mode(out) == 0o600
    assert group_names(out) == ["NA Downtown"]

    before = out.read_bytes()
    refused = run("--db", str(path), "backup", "--out", str(out))
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr and "nothing was changed" in refused.stderr
    assert out.read_bytes() == before
    forced = run("--db", str(path), "backup", "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output


def test_cli_backup_list(tmp_path: Path, cli_env: None) -> None:
    path = small_journal(tmp_path / "journal.db")
    assert "no backups" in run("--db", str(path), "backup", "--list").output
    store = open_store(path)
    daily_backup(store, TODAY - timedelta(days=2))
    store.close()
    run("--db", str(path), "backup")
    lines = run("--db", str(path), "backup", "--list").output.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["manual", "daily", "weekly"]
    assert "2026-11-26 12:00" in lines[1] and "2026-11-24" in lines[2]


def test_cli_restore_yes(tmp_path: Path, cli_env: None) -> None:
    path = small_journal(tmp_path / "journal.db", ("Before",))
    store = open_store(path)
    made = daily_backup(store, TODAY)
    store.add_group(GroupFields(name="After"))
    store.close()
    result = run("--db", str(path), "restore", str(made), "--yes")
    assert result.exit_code == 0, result.output
    assert "It holds 0 meetings, 1 group, 0 people" in result.output
    assert "from 2026-11-26" in result.output
    kept = next((backups_dir(path) / "kept").iterdir())
    assert f"kept in {kept}" in result.output
    assert group_names(path) == ["Before"]


def test_cli_restore_asks_first(tmp_path: Path, cli_env: None) -> None:
    path = small_journal(tmp_path / "journal.db", ("Before",))
    store = open_store(path)
    made = daily_backup(store, TODAY)
    store.add_group(GroupFields(name="After"))
    store.close()
    result = run("--db", str(path), "restore", str(made), input="n\n")
    assert result.exit_code == 0
    assert "Replace your journal with this backup?" in result.output
    assert "Nothing was changed." in result.output
    assert group_names(path) == ["After", "Before"]
    assert not (backups_dir(path) / "kept").exists()


def test_cli_restore_refuses_a_bad_backup(tmp_path: Path, cli_env: None) -> None:
    path = small_journal(tmp_path / "journal.db")
    bad = tmp_path / "notes.json"
    bad.write_text("{}")
    before = path.read_bytes()
    result = run("--db", str(path), "restore", str(bad), "--yes")
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "Nothing was changed" in result.stderr
    assert path.read_bytes() == before


def test_cli_restore_over_a_damaged_journal(demo: Path, cli_env: None) -> None:
    store = open_store(demo)
    made = daily_backup(store, TODAY - timedelta(days=1))
    store.close()
    zero_middle_page(demo)
    damaged = demo.read_bytes()
    result = run("--db", str(demo), "restore", str(made), "--yes")
    assert result.exit_code == 0, (result.output, result.stderr)
    kept = next((backups_dir(demo) / "kept").glob("*.db"))
    assert kept.read_bytes() == damaged
    assert check_backup(demo, None) is None


def test_cli_encrypted_backup_and_restore(tmp_path: Path, cli_env: None) -> None:
    path = small_journal(tmp_path / "journal.db", ("Before",), passphrase=PASSPHRASE)
    env: dict[str, str | None] = {"TRACKER_PASSPHRASE": PASSPHRASE}
    result = run("--db", str(path), "backup", env=env)
    assert result.exit_code == 0, (result.output, result.stderr)
    made = next((backups_dir(path) / "manual").iterdir())
    assert b"MY-PRIVATE-NOTE-4711" not in made.read_bytes()
    assert inspect_file(made).kind == "encrypted"
    store = open_store(path, PASSPHRASE)
    store.add_group(GroupFields(name="After"))
    store.close()
    wrong = run("--db", str(path), "restore", str(made), "--yes", env={"TRACKER_PASSPHRASE": "x"})
    assert wrong.exit_code == 2 and "doesn't open" in wrong.stderr
    done = run("--db", str(path), "restore", str(made), "--yes", env=env)
    assert done.exit_code == 0, (done.output, done.stderr)
    assert group_names(path, PASSPHRASE) == ["Before"]


def test_cli_a_plain_backup_restored_into_an_encrypted_journal_is_encrypted_again(
    tmp_path: Path, cli_env: None
) -> None:
    path = small_journal(tmp_path / "journal.db", ("Now",), passphrase=PASSPHRASE)
    plain = small_journal(tmp_path / "old-plain.db", ("Long ago",))
    env: dict[str, str | None] = {"TRACKER_PASSPHRASE": PASSPHRASE}
    wrong = run("--db", str(path), "restore", str(plain), "--yes", env={"TRACKER_PASSPHRASE": "no"})
    assert wrong.exit_code == 2 and "doesn't open" in wrong.stderr
    assert group_names(path, PASSPHRASE) == ["Now"]
    done = run("--db", str(path), "restore", str(plain), "--yes", env=env)
    assert done.exit_code == 0, (done.output, done.stderr)
    assert "will be encrypted again" in done.output
    assert "It is encrypted again, with the same passphrase." in done.output
    assert inspect_file(path).kind == "encrypted"
    assert SECRET_NOTE.encode() not in path.read_bytes()
    assert group_names(path, PASSPHRASE) == ["Long ago"]


def test_the_restore_command_names_db_only_for_a_journal_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker import paths
    from tracker.store.backup import restore_command

    default = tmp_path / "data" / "journal.db"
    monkeypatch.setattr(paths, "default_db_path", lambda: default)
    backup = tmp_path / "data" / "journal.db-backups" / "daily" / "2026-11-25.db"
    assert restore_command(default, backup) == f"tracker restore {backup}"
    other = tmp_path / "my files" / "j.db"
    assert restore_command(other, backup) == f"tracker --db '{other}' restore {backup}"


class _NoApp:
    """Stands in for the TUI: records that it would have opened."""

    opened: ClassVar[list[Path]] = []

    discreet = False
    unlocked = False  # skips reading the journal's settings for the window title

    def __init__(self, db_path: Path, **_: object) -> None:
        self.db_path = db_path

    def run(self) -> None:
        _NoApp.opened.append(self.db_path)


@pytest.mark.parametrize("answer", ["y", "n"])
def test_tracker_at_a_terminal_offers_the_latest_good_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    import tracker.app
    import tracker.cli

    path = small_journal(tmp_path / "j.db", ("NA Downtown", "SMART Online"))
    store = open_store(path)
    daily_backup(store, TODAY)
    store.close()
    path.write_bytes(path.read_bytes()[:5000])  # cut short
    damaged = path.read_bytes()

    def fake_create_app(db_path: Path, **kw: object) -> _NoApp:
        store = Store.open(db_path)  # what the real factory does first
        store.close()
        return _NoApp(db_path)

    monkeypatch.setattr(tracker.cli, "_interactive", lambda: True)
    monkeypatch.setattr(tracker.app, "create_app", fake_create_app)
    _NoApp.opened = []
    result = CliRunner().invoke(
        cli, ["--db", str(path)], input=answer + "\n", env={"TRACKER_TODAY": TODAY.isoformat()}
    )
    assert f"{path} is damaged: it is cut short" in result.output
    assert "The latest good backup is" in result.output
    if answer == "y":
        assert result.exit_code == 0, result.output
        assert _NoApp.opened == [path]
        assert group_names(path) == ["NA Downtown", "SMART Online"]
        kept = [p for p in (backups_dir(path) / "kept").iterdir() if p.suffix == ".db"]
        assert [p.read_bytes() for p in kept] == [damaged]
    else:
        assert result.exit_code == 2
        assert _NoApp.opened == []
        assert path.read_bytes() == damaged
        assert not (backups_dir(path) / "kept").exists()


def test_backups_from_a_pretended_future_never_push_out_todays(tmp_path: Path) -> None:
    path = small_journal(tmp_path / "journal.db")
    store = open_store(path)
    try:
        for n in range(1, 9):  # trying things out with --today in the future
            daily_backup(store, TODAY + timedelta(days=365 + n))
        made = daily_backup(store, TODAY)
    finally:
        store.close()
    assert made is not None and made.exists()
    assert daily_backup_path(path, TODAY).exists() and weekly_path(path, TODAY).exists()

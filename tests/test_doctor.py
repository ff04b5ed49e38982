"""``tracker doctor``: what it finds, in plain words, and that it never changes anything."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from tracker import paths
from tracker.cli import cli
from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.store import Store, schema
from tracker.store.backup import backup_files, backups_dir, daily_backup
from tracker.store.doctor import Finding, examine

TODAY = date(2026, 11, 26)
PASSPHRASE = "a quiet morning"
GiB = 1024**3


class Usage(NamedTuple):
    total: int
    used: int
    free: int


@pytest.fixture(autouse=True)
def plenty_of_space(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk is roomy unless a test says otherwise (the real free space varies)."""
    monkeypatch.setattr(
        "tracker.store.doctor.shutil.disk_usage", lambda _p: Usage(100 * GiB, 50 * GiB, 50 * GiB)
    )


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    fill_demo(store, years=1, today=TODAY)
    store.close()
    return path


def journal_at(folder: Path, template: Path, *, backup_on: date | None = TODAY) -> Path:
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / "journal.db"
    shutil.copyfile(template, path)
    os.chmod(path, 0o600)
    if backup_on is not None:
        store = Store.open(path, clock=Clock.fixed(TODAY))
        daily_backup(store, backup_on)
        store.close()
    return path


@pytest.fixture
def demo(tmp_path: Path, demo_template: Path) -> Path:
    return journal_at(tmp_path / "data", demo_template)


def by_area(findings: list[Finding]) -> dict[str, Finding]:
    areas = [f.area for f in findings]
    assert len(areas) == len(set(areas)), areas
    return {f.area: f for f in findings}


def not_ok(findings: list[Finding]) -> set[str]:
    return {f.area for f in findings if not f.ok}


def zero_middle_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as handle:
        handle.seek((pages // 2) * 4096)
        handle.write(b"\x00" * 4096)


def everything_in(folder: Path) -> dict[Path, tuple[bytes, int]]:
    """Every file that holds something, with its mode. (Reading a WAL-mode journal lets SQLite
    add an empty -wal and a -shm index beside it; those hold nothing of the journal.)"""
    return {
        p: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith("-shm") and p.stat().st_size
    }


# --- examine ------------------------------------------------------------------------------------


def test_a_healthy_journal_is_all_ok(demo: Path) -> None:
    findings = examine(demo, None, TODAY)
    assert not_ok(findings) == set(), findings
    areas = by_area(findings)
    assert set(areas) == {
        "file",
        "integrity",
        "foreign keys",
        "weekly totals",
        "group totals",
        "rating totals",
        "schema",
        "permissions",
        "disk space",
        "backups",
    }
    assert f"version {schema.latest_version()}" in areas["schema"].message
    # Today's daily backup and its weekly copy.
    assert areas["backups"].message.startswith("2 backups; the newest is from 2026-11-26")


def test_doctor_changes_nothing(demo: Path) -> None:
    os.chmod(demo, 0o644)
    before = everything_in(demo.parent)
    examine(demo, None, TODAY)
    assert everything_in(demo.parent) == before


def test_loose_permissions_are_reported_not_changed(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The journal is in Tracker's own data folder, which should be private too.
    monkeypatch.setattr(paths, "data_dir", lambda: demo.parent)
    backup = backup_files(demo)[0]
    os.chmod(demo, 0o644)
    os.chmod(demo.parent, 0o755)
    os.chmod(backup, 0o604)
    os.chmod(backups_dir(demo), 0o711)
    finding = by_area(examine(demo, None, TODAY))["permissions"]
    assert not finding.ok
    for named in (f"{demo} (0644)", f"{demo.parent} (0755)", f"{backup} (0604)", "(0711)"):
        assert named in finding.message
    assert "changed nothing" in finding.message
    assert stat.S_IMODE(demo.stat().st_mode) == 0o644
    assert stat.S_IMODE(demo.parent.stat().st_mode) == 0o755
    assert stat.S_IMODE(backup.stat().st_mode) == 0o604


def test_a_folder_the_person_chose_is_theirs_to_judge(demo: Path) -> None:
    """With --db in, say, a project folder, only the journal's own files must be private."""
    os.chmod(demo.parent, 0o755)
    assert by_area(examine(demo, None, TODAY))["permissions"].ok
    os.chmod(demo, 0o640)
    finding = by_area(examine(demo, None, TODAY))["permissions"]
    assert not finding.ok and f"{demo} (0640)" in finding.message
    assert f"{demo.parent} (" not in finding.message


def test_a_damaged_journal_gives_findings_and_the_way_out(
    tmp_path: Path, demo_template: Path
) -> None:
    path = journal_at(tmp_path / "data", demo_template, backup_on=TODAY - timedelta(days=1))
    zero_middle_page(path)
    wal = Path(f"{path}-wal")
    before = path.read_bytes()
    findings = examine(path, None, TODAY)
    assert path.read_bytes() == before
    assert not wal.exists() or wal.stat().st_size == 0
    integrity = by_area(findings)["integrity"]
    assert not integrity.ok
    assert "damaged" in integrity.message
    good = backups_dir(path) / "daily" / "2026-11-25.db"
    assert f"tracker --db {path} restore {good}" in integrity.message


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (lambda whole: b"", "empty file"),
        (lambda whole: whole[: 3 * 4096], "cut short"),
        (lambda whole: b"SQLite format 3\x00\x10\x00" + b"\x00" * 200, "can't be read"),
        (lambda whole: b"\x00" * 16 + whole[16:], "header is broken"),
    ],
    ids=["empty", "truncated", "header-only", "bad-header"],
)
def test_a_damaged_file(
    tmp_path: Path, demo_template: Path, cut: Callable[[bytes], bytes], words: str
) -> None:
    path = journal_at(tmp_path / "data", demo_template)
    content = cut(demo_template.read_bytes())
    path.write_bytes(content)
    findings = examine(path, None, TODAY)
    found = by_area(findings)["file"]
    assert not found.ok and words in found.message
    good = backups_dir(path) / "daily" / "2026-11-26.db"
    assert f"tracker --db {path} restore {good}" in found.message
    assert path.read_bytes() == content
    assert {f.area for f in findings} == {"file", "permissions", "disk space", "backups"}


def test_no_backups_is_a_finding(tmp_path: Path, demo_template: Path) -> None:
    path = journal_at(tmp_path / "data", demo_template, backup_on=None)
    findings = examine(path, None, TODAY)
    assert not_ok(findings) == {"backups"}
    assert "no backups yet" in by_area(findings)["backups"].message
    assert "tracker backup" in by_area(findings)["backups"].message


def test_an_old_newest_backup_is_a_finding(tmp_path: Path, demo_template: Path) -> None:
    path = journal_at(tmp_path / "data", demo_template, backup_on=TODAY - timedelta(days=9))
    finding = by_area(examine(path, None, TODAY))["backups"]
    assert not finding.ok and "9 days ago" in finding.message
    recent = journal_at(tmp_path / "other", demo_template, backup_on=TODAY - timedelta(days=8))
    assert by_area(examine(recent, None, TODAY))["backups"].ok


def test_a_bad_newest_backup_is_a_finding(demo: Path) -> None:
    newest = backup_files(demo)[0]
    newest.write_bytes(newest.read_bytes()[:5000])
    finding = by_area(examine(demo, None, TODAY))["backups"]
    assert not finding.ok and "can't be used" in finding.message


def test_little_free_space_is_a_finding(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "tracker.store.doctor.shutil.disk_usage",
        lambda _p: Usage(GiB, GiB - 50 * 1024**2, 50 * 1024**2),
    )
    finding = by_area(examine(demo, None, TODAY))["disk space"]
    assert not finding.ok and "50 MB" in finding.message


def test_free_space_is_judged_against_the_journal_size(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = demo.stat().st_size
    room = 120 * 1024**2
    with open(demo, "ab") as handle:  # a big journal, as far as the size check knows
        handle.truncate(room // 2)
    monkeypatch.setattr(
        "tracker.store.doctor.shutil.disk_usage", lambda _p: Usage(GiB, GiB - room, room)
    )
    assert not by_area(examine(demo, None, TODAY))["disk space"].ok
    with open(demo, "ab") as handle:
        handle.truncate(size)
    assert by_area(examine(demo, None, TODAY))["disk space"].ok


def test_orphaned_entries_are_counted(demo: Path) -> None:
    conn = sqlite3.connect(demo)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE attendance SET group_id = 9999 WHERE id IN (1, 2)")
    conn.commit()
    conn.close()
    finding = by_area(examine(demo, None, TODAY))["foreign keys"]
    assert not finding.ok and finding.message.startswith("2 entries point")


def tampered_totals(
    demo: Path, tamper: str, area: str, *, differ: str, kept: str
) -> dict[str, Finding]:
    """Run ``tamper`` on the journal (SQL, as a hand edit would), then examine it: the kept totals
    of ``area`` are a finding that says how many ``differ`` and that the ``kept`` entries
    themselves are all there, and doctor changed nothing. Returns every finding by area."""
    conn = sqlite3.connect(demo)
    conn.executescript(tamper)
    conn.commit()
    conn.close()
    before = everything_in(demo.parent)
    findings = by_area(examine(demo, None, TODAY))
    finding = findings[area]
    assert not finding.ok
    assert f"({differ})" in finding.message
    assert f"Your {kept} themselves are all there" in finding.message
    assert "tracker export" in finding.message and "import" in finding.message
    assert everything_in(demo.parent) == before  # reported, not repaired
    return findings


def test_weekly_totals_that_match_the_meetings(demo: Path) -> None:
    finding = by_area(examine(demo, None, TODAY))["weekly totals"]
    assert finding.ok
    assert finding.message == "The meetings attended each week add up to the meetings logged."


@pytest.mark.parametrize(
    ("tamper", "weeks"),
    [
        # A week's count changed, a week dropped, a week that has no meetings added: each is one
        # week that differs.
        (
            "UPDATE attendance_weeks SET attended = attended + 1 WHERE week = (SELECT max(week) "
            "FROM attendance_weeks)",
            1,
        ),
        ("DELETE FROM attendance_weeks WHERE week = (SELECT min(week) FROM attendance_weeks)", 1),
        ("INSERT INTO attendance_weeks VALUES ('1999-01-04', 2)", 1),
        # With the insert trigger dropped (a hand edit): three meetings the totals miss,
        # two in one week.
        (
            "DROP TRIGGER attendance_weeks_insert; "
            "INSERT INTO attendance (uuid, created_at, updated_at, group_id, date) "
            "SELECT lower(hex(randomblob(18))), created_at, updated_at, group_id, day "
            "FROM attendance, (SELECT '2001-05-07' AS day UNION ALL SELECT '2001-05-13' "
            "UNION ALL SELECT '2001-06-01') WHERE attendance.id = 1",
            2,
        ),
    ],
)
def test_weekly_totals_that_differ_are_a_finding(demo: Path, tamper: str, weeks: int) -> None:
    differ = "1 week differs" if weeks == 1 else f"{weeks} weeks differ"
    tampered_totals(demo, tamper, "weekly totals", differ=differ, kept="meetings")


def test_rating_totals_that_match_the_ratings(demo: Path) -> None:
    finding = by_area(examine(demo, None, TODAY))["rating totals"]
    assert finding.ok
    assert finding.message == "The fit ratings of each group add up to the ratings logged."


@pytest.mark.parametrize(
    ("tamper", "groups"),
    [
        # A group's count or score total changed, a group dropped, a group without ratings
        # added: each is one group that differs.
        (
            "UPDATE fit_totals SET ratings = ratings + 1 WHERE group_id = "
            "(SELECT max(group_id) FROM fit_totals)",
            1,
        ),
        (
            "UPDATE fit_totals SET score_total = score_total - 1 WHERE group_id = "
            "(SELECT min(group_id) FROM fit_totals)",
            1,
        ),
        ("DELETE FROM fit_totals WHERE group_id = (SELECT min(group_id) FROM fit_totals)", 1),
        (
            "INSERT INTO groups (uuid, created_at, updated_at, name, pillar, format, status) "
            "VALUES ('00000000-0000-4000-8000-000000000001', '2026-01-05T10:00:00Z', "
            "'2026-01-05T10:00:00Z', 'Never rated', 'peer', 'in-person', 'trying'); "
            "INSERT INTO fit_totals VALUES (last_insert_rowid(), 1, 15)",
            1,
        ),
        # With the update trigger dropped (a hand edit): two ratings moved to another group
        # leave both groups' totals behind.
        (
            "DROP TRIGGER fit_totals_update; "
            "UPDATE fit_ratings SET group_id = (SELECT max(group_id) FROM fit_totals) "
            "WHERE id IN (SELECT id FROM fit_ratings WHERE group_id = "
            "(SELECT min(group_id) FROM fit_totals) LIMIT 2)",
            2,
        ),
    ],
)
def test_rating_totals_that_differ_are_a_finding(demo: Path, tamper: str, groups: int) -> None:
    differ = "1 group differs" if groups == 1 else f"{groups} groups differ"
    findings = tampered_totals(demo, tamper, "rating totals", differ=differ, kept="ratings")
    assert findings["weekly totals"].ok  # the other totals are fine


def test_group_totals_that_match_the_meetings(demo: Path) -> None:
    finding = by_area(examine(demo, None, TODAY))["group totals"]
    assert finding.ok
    assert finding.message == "The meetings of each group add up to the meetings logged."


@pytest.mark.parametrize(
    ("tamper", "groups"),
    [
        # A count, a shared count or a last day changed, a group dropped: one group differs.
        (
            "UPDATE group_totals SET attended = attended + 1 WHERE group_id = "
            "(SELECT max(group_id) FROM group_totals)",
            1,
        ),
        (
            "UPDATE group_totals SET shared = shared + 1 WHERE group_id = "
            "(SELECT min(group_id) FROM group_totals)",
            1,
        ),
        (
            "UPDATE group_totals SET last = '1999-01-01' WHERE group_id = "
            "(SELECT min(group_id) FROM group_totals)",
            1,
        ),
        ("DELETE FROM group_totals WHERE group_id = (SELECT min(group_id) FROM group_totals)", 1),
        # With the update trigger dropped (a hand edit): meetings moved to another group leave
        # both groups' totals behind.
        (
            "DROP TRIGGER group_totals_update; "
            "UPDATE attendance SET group_id = (SELECT max(group_id) FROM group_totals) "
            "WHERE id IN (SELECT id FROM attendance WHERE group_id = "
            "(SELECT min(group_id) FROM group_totals) LIMIT 2)",
            2,
        ),
    ],
)
def test_group_totals_that_differ_are_a_finding(demo: Path, tamper: str, groups: int) -> None:
    differ = "1 group differs" if groups == 1 else f"{groups} groups differ"
    findings = tampered_totals(demo, tamper, "group totals", differ=differ, kept="meetings")
    assert findings["weekly totals"].ok and findings["rating totals"].ok


def test_an_older_schema_will_be_updated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    schema.migrations.apply(db, stop_before="m002_engagement")
    db.close()
    os.chmod(path, 0o600)
    os.chmod(tmp_path, 0o700)
    finding = by_area(examine(path, None, TODAY))["schema"]
    assert finding.ok
    assert f"Version 1 of {schema.latest_version()}" in finding.message
    assert "updated when the journal is opened" in finding.message
    # The running totals are made when it is opened: nothing to check yet.
    areas = by_area(examine(path, None, TODAY))
    assert not {"weekly totals", "group totals", "rating totals"} & set(areas)


def test_a_newer_schema_is_a_finding(demo: Path) -> None:
    conn = sqlite3.connect(demo)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('tracker', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    finding = by_area(examine(demo, None, TODAY))["schema"]
    assert not finding.ok and "newer version of Tracker" in finding.message


def test_another_apps_database(tmp_path: Path) -> None:
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (name TEXT)")
    conn.commit()
    conn.close()
    finding = by_area(examine(path, None, TODAY))["file"]
    assert not finding.ok and "not a Tracker journal" in finding.message


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    folder = tmp_path / "secret"
    folder.mkdir(mode=0o700)
    path = folder / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY), passphrase=PASSPHRASE)
    fill_demo(store, years=1, today=TODAY)
    daily_backup(store, TODAY)
    store.close()
    return path


def test_an_encrypted_journal(encrypted: Path) -> None:
    assert not_ok(examine(encrypted, PASSPHRASE, TODAY)) == set()
    without = by_area(examine(encrypted, None, TODAY))["file"]
    assert not without.ok and "passphrase is needed" in without.message
    wrong = by_area(examine(encrypted, "not it", TODAY))["file"]
    assert not wrong.ok and "doesn't open" in wrong.message


# --- the command --------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_PASSPHRASE", raising=False)
    yield


def doctor(path: Path, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), "doctor"], env=env)


def test_cli_doctor_healthy(demo: Path, cli_env: None) -> None:
    result = doctor(demo)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("✓ file: ")
    assert all(line.startswith("✓ ") for line in lines[:-1])
    assert lines[-1] == "All looks well. Nothing was changed."


def test_cli_doctor_damaged(tmp_path: Path, demo_template: Path, cli_env: None) -> None:
    path = journal_at(tmp_path / "data", demo_template, backup_on=TODAY - timedelta(days=1))
    zero_middle_page(path)
    result = doctor(path)
    assert result.exit_code == 1, result.output
    assert "! integrity: " in result.output
    assert " restore " in result.output
    assert result.output.splitlines()[-1].endswith("attention (see above). Nothing was changed.")


def test_cli_doctor_encrypted(encrypted: Path, cli_env: None) -> None:
    result = doctor(encrypted, env={"TRACKER_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert "encrypted Tracker journal" in result.output
    wrong = doctor(encrypted, env={"TRACKER_PASSPHRASE": "nope"})
    assert wrong.exit_code == 1 and "! file: That passphrase doesn't open" in wrong.output

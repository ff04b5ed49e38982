"""The journal store: schema, constraints, privacy, atomicity, CRUD, export and import."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import sqlite3
import stat
import uuid as uuid_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import paths
from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.domain.schedules import parse_schedule
from tracker.errors import InvalidField, NotFound, TrackerError
from tracker.store import Store, schema
from tracker.store.connection import BUSY_TIMEOUT_MS, JournalFileError
from tracker.store.transfer import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ImportRefused,
    check_export,
    export_journal,
    export_json_text,
    import_journal,
    read_export_file,
)

TODAY = date(2026, 11, 26)  # a Thursday
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SCORES = ("welcome", "relevance", "format_comfort", "practical", "would_return")

# The documented schema (docs/schema.md): table -> columns.
ROW = {"id", "uuid", "created_at", "updated_at"}
EXPECTED_COLUMNS = {
    "settings": {"key", "value"},
    "groups": ROW
    | {
        "name",
        "pillar",
        "tags",
        "format",
        "location",
        "schedule",
        "status",
        "catalogue_slug",
        "notes",
        "note_shared",
    },
    "attendance": ROW | {"group_id", "date", "time", "attended", "shared", "note", "note_shared"},
    "people": ROW | {"alias", "role", "phone", "email", "notes", "note_shared"},
    "contacts": ROW | {"person_id", "date", "method", "note", "note_shared"},
    "service": ROW | {"date", "kind", "group_id", "minutes", "note", "note_shared"},
    "fit_ratings": ROW | {"group_id", "date", *SCORES, "note", "note_shared"},
}


# --- helpers ------------------------------------------------------------------------------------


def open_store(path: Path | str, clock: Clock | None = None) -> Store:
    return Store.open(path, clock=clock or Clock.fixed(TODAY))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


class Ticking:
    """A clock source that moves on one second each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def ticking_clock() -> Clock:
    return Clock(now=Ticking(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))


def scores(*values: int) -> dict[str, int]:
    return dict(zip(SCORES, values, strict=True))


def rating(group_id: int, day: date, *values: int, note: str = "") -> FitFields:
    return FitFields(group_id=group_id, date=day, note=note, **scores(*values))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def file_counts(path: Path) -> dict[str, int]:
    """Row counts read through a separate connection, straight from the file."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (*schema.JOURNAL_TABLES, "settings")
        }
    finally:
        conn.close()


def fill(store: Store) -> dict[str, Any]:
    """A small journal touching every area and every kind of field."""
    schedule = parse_schedule("Tuesdays 7pm", today=TODAY)
    assert schedule is not None
    na = store.add_group(
        GroupFields(
            name="NA Downtown",
            tags=("12-step", "Medication-assisted friendly"),
            location="St Mary's hall",
            schedule=schedule.to_text(),
            status="home-group",
            notes="Two lines\nof notes",
        )
    )
    smart = store.add_group(
        GroupFields(name="SMART Online", pillar="online", format="online", catalogue_slug="smart")
    )
    a1 = store.log_attendance(
        AttendanceFields(group_id=na.id, date=date(2026, 11, 24), time=time(19), shared=True)
    )
    a2 = store.log_attendance(
        AttendanceFields(group_id=smart.id, date=date(2026, 11, 20), note="[bold]x[/] ok")
    )
    a3 = store.log_attendance(
        AttendanceFields(group_id=na.id, date=date(2026, 11, 17), attended=False)
    )
    sam = store.add_person(
        PersonFields(alias="Sam", role="sponsor", phone="+44 20 7946 0000", email="s@e.org")
    )
    jo = store.add_person(PersonFields(alias="Jo", role="mentor"))
    c1 = store.log_contact(ContactFields(person_id=sam.id, date=date(2026, 11, 23), method="text"))
    c2 = store.log_contact(ContactFields(person_id=jo.id, date=date(2026, 11, 1), note="coffee"))
    s1 = store.add_service(
        ServiceFields(date=date(2026, 11, 24), kind="coffee", group_id=na.id, minutes=30)
    )
    s2 = store.add_service(ServiceFields(date=date(2026, 11, 2), kind="moderator"))
    r1 = store.add_rating(rating(smart.id, date(2026, 11, 20), 4, 5, 3, 4, 5, note="good"))
    store.set_weekly_goal(2)
    return {
        "groups": [na, smart],
        "attendance": [a1, a2, a3],
        "people": [sam, jo],
        "contacts": [c1, c2],
        "service": [s1, s2],
        "fit_ratings": [r1],
    }


# --- migrations ---------------------------------------------------------------------------------


def test_a_new_file_gets_every_table_and_column(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert not path.exists()
    store = open_store(path)
    db = store.db
    assert set(EXPECTED_COLUMNS) | {"_sqlite_migrations"} <= set(db.table_names())
    for table, columns in EXPECTED_COLUMNS.items():
        assert set(db[table].columns_dict) == columns, table
    assert db["attendance"].columns_dict["id"] is int
    assert db["attendance"].columns_dict["date"] is str
    assert db["fit_ratings"].columns_dict["welcome"] is int
    assert set(schema.JOURNAL_TABLES) == set(EXPECTED_COLUMNS) - {"settings"}
    assert store.is_empty()
    assert store.counts() == dict.fromkeys(schema.JOURNAL_TABLES, 0)
    store.close()


def test_migrations_are_recorded_and_not_applied_twice(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(path)
    rows = list(
        store.db.query(
            "SELECT name, applied_at FROM _sqlite_migrations WHERE migration_set = ? "
            "ORDER BY rowid",
            [schema.MIGRATION_SET],
        )
    )
    assert schema.MIGRATION_SET == "tracker"
    assert [r["name"] for r in rows] == [m.name for m in schema.migrations._migrations]
    assert len(rows) >= 1
    assert store.schema_version() == schema.latest_version() == len(rows)
    assert schema.migrations.pending(store.db) == []
    store.close()

    again = open_store(path)
    rows_again = list(again.db.query("SELECT name, applied_at FROM _sqlite_migrations"))
    assert rows_again == rows
    assert again.schema_version() == schema.latest_version()
    again.close()


def test_pragmas(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    timeout = store.db.execute("PRAGMA busy_timeout").fetchone()[0]
    assert timeout > 0
    assert timeout == BUSY_TIMEOUT_MS


# --- constraints: bad rows cannot exist ----------------------------------------------------------


def _stamps() -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "created_at": "2026-11-26T12:00:00Z",
        "updated_at": "2026-11-26T12:00:00Z",
    }


def _valid_rows(group_id: int, person_id: int) -> dict[str, dict[str, Any]]:
    return {
        "groups": {
            "name": "Valid group",
            "pillar": "peer",
            "tags": "[]",
            "format": "in-person",
            "status": "trying",
        },
        "attendance": {"group_id": group_id, "date": "2026-11-20", "attended": 1, "shared": 0},
        "people": {"alias": "Valid person", "role": "sponsor"},
        "contacts": {"person_id": person_id, "date": "2026-11-20", "method": "call"},
        "service": {"date": "2026-11-20", "kind": "set-up", "minutes": 30},
        "fit_ratings": {"group_id": group_id, "date": "2026-11-20", **scores(3, 3, 3, 3, 3)},
    }


def _raw_insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    conn.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, dict[str, dict[str, Any]]]]:
    """A raw connection (foreign keys on) to a journal with one group and one person."""
    store = open_store(tmp_path / "raw.db")
    group = store.add_group(GroupFields(name="Existing group"))
    person = store.add_person(PersonFields(alias="Existing person"))
    conn = store.db.conn
    yield conn, _valid_rows(group.id, person.id)
    store.close()


def test_the_valid_baseline_rows_are_accepted(
    raw: tuple[sqlite3.Connection, dict[str, dict[str, Any]]],
) -> None:
    """The control for the constraint tests below: each base row on its own is fine."""
    conn, rows = raw
    for table, values in rows.items():
        _raw_insert(conn, table, {**_stamps(), **values})
    for table in rows:
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1


BAD_ROWS = [
    ("fit_ratings", {"welcome": 0}),
    ("fit_ratings", {"would_return": 6}),
    ("fit_ratings", {"relevance": None}),
    ("attendance", {"date": "2026-02-30"}),
    ("attendance", {"date": "garbage"}),
    ("attendance", {"date": "2026-11-5"}),
    ("contacts", {"date": "2026-04-31"}),
    ("attendance", {"date": "1899-12-31"}),
    ("attendance", {"time": "25:00"}),
    ("attendance", {"time": "7pm"}),
    ("attendance", {"attended": 2}),
    ("attendance", {"attended": 0, "shared": 1}),
    ("attendance", {"group_id": 9999}),
    ("attendance", {"note": "x" * 4001}),
    ("groups", {"pillar": "cult"}),
    ("groups", {"status": "gone"}),
    ("groups", {"format": "telepathy"}),
    ("groups", {"name": ""}),
    ("groups", {"name": "   "}),
    ("groups", {"name": "x" * 81}),
    ("groups", {"tags": '{"a": 1}'}),
    ("groups", {"tags": "not json"}),
    ("groups", {"schedule": "every tuesday"}),
    ("groups", {"uuid": "short"}),
    ("groups", {"created_at": "yesterday"}),
    ("people", {"role": "boss"}),
    ("people", {"alias": ""}),
    ("contacts", {"method": "pigeon"}),
    ("contacts", {"person_id": 9999}),
    ("service", {"kind": "nap"}),
    ("service", {"minutes": 0}),
    ("service", {"minutes": 2000}),
    ("service", {"group_id": 9999}),
    ("fit_ratings", {"group_id": 9999}),
]


@pytest.mark.parametrize(("table", "change"), BAD_ROWS, ids=lambda v: repr(v)[:40])
def test_check_constraints_refuse_bad_rows(
    raw: tuple[sqlite3.Connection, dict[str, dict[str, Any]]], table: str, change: dict[str, Any]
) -> None:
    conn, rows = raw
    before = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError):
        _raw_insert(conn, table, {**_stamps(), **rows[table], **change})
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == before


def test_group_names_are_unique_ignoring_case(
    raw: tuple[sqlite3.Connection, dict[str, dict[str, Any]]],
) -> None:
    conn, rows = raw
    with pytest.raises(sqlite3.IntegrityError):
        _raw_insert(conn, "groups", {**_stamps(), **rows["groups"], "name": "EXISTING GROUP"})
    with pytest.raises(sqlite3.IntegrityError):
        _raw_insert(conn, "people", {**_stamps(), **rows["people"], "alias": "existing PERSON"})


def test_uuids_are_unique(raw: tuple[sqlite3.Connection, dict[str, dict[str, Any]]]) -> None:
    conn, rows = raw
    stamps = _stamps()
    _raw_insert(conn, "service", {**stamps, **rows["service"]})
    with pytest.raises(sqlite3.IntegrityError):
        _raw_insert(conn, "service", {**stamps, **rows["service"]})


def test_a_referenced_group_cannot_be_deleted_behind_the_store(
    raw: tuple[sqlite3.Connection, dict[str, dict[str, Any]]],
) -> None:
    conn, rows = raw
    _raw_insert(conn, "attendance", {**_stamps(), **rows["attendance"]})
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM groups WHERE id = ?", [rows["attendance"]["group_id"]])


# --- privacy: file permissions ------------------------------------------------------------------


@pytest.mark.usefixtures("umask_022")
def test_new_folder_and_files_are_private(tmp_path: Path) -> None:
    outer = tmp_path / "new"
    folder = outer / "deeper"
    path = folder / "journal.db"
    store = open_store(path)
    assert mode(folder) == 0o700
    assert mode(outer) == 0o700
    assert mode(path) == 0o600
    group = store.add_group(GroupFields(name="NA"))
    store.log_attendance(AttendanceFields(group_id=group.id, date=TODAY))
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    assert wal.exists()
    assert shm.exists()
    assert mode(wal) == 0o600
    assert mode(shm) == 0o600
    assert mode(path) == 0o600
    store.close()


@pytest.mark.usefixtures("umask_022")
def test_an_existing_loose_journal_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    open_store(path).close()
    os.chmod(path, 0o644)
    assert mode(path) == 0o644
    store = open_store(path)
    assert mode(path) == 0o600
    store.add_group(GroupFields(name="NA"))
    assert mode(path.with_name("j.db-wal")) == 0o600
    store.close()


@pytest.mark.usefixtures("umask_022")
def test_the_data_folder_is_tightened_but_another_folder_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only Tracker's own data folder is ours to make 0700 when it already exists looser."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    ours = paths.data_dir()
    assert ours.name == paths.APP_DIR_NAME
    elsewhere = tmp_path / "shared"
    for folder in (ours, elsewhere):
        folder.mkdir(parents=True)
        os.chmod(folder, 0o755)
        open_store(folder / "journal.db").close()
    assert mode(ours) == 0o700
    assert mode(elsewhere) == 0o755
    # A link with another name that leads to the data folder is still the data folder.
    os.chmod(ours, 0o755)
    link = tmp_path / "link"
    link.symlink_to(ours)
    open_store(link / "journal.db").close()
    assert mode(ours) == 0o700


# --- foreign files are refused and untouched ----------------------------------------------------


def test_a_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    os.chmod(path, 0o644)
    before = path.stat()
    with pytest.raises(JournalFileError) as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    assert "not a Tracker journal" in str(caught.value)
    assert path.read_bytes() == b"hello"
    after = path.stat()
    assert after.st_mtime_ns == before.st_mtime_ns
    assert mode(path) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_another_apps_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE foo (x INTEGER)")
    conn.execute("INSERT INTO foo VALUES (42)")
    conn.commit()
    conn.close()
    os.chmod(path, 0o644)
    content = path.read_bytes()
    before = path.stat()

    with pytest.raises(JournalFileError) as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    assert "another application" in str(caught.value)

    assert path.read_bytes() == content  # e.g. not switched to WAL mode (header bytes 18-19)
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert mode(path) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT x FROM foo").fetchall() == [(42,)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    conn.close()


def test_a_damaged_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    content = b"SQLite format 3\x00" + bytes(range(256)) * 8
    path.write_bytes(content)
    with pytest.raises(JournalFileError) as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content


def test_a_journal_from_a_newer_tracker_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(path)
    store.add_group(GroupFields(name="NA"))
    store.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [schema.MIGRATION_SET, "m999_from_the_future", "2030-01-01 00:00:00"],
    )
    store.db.conn.commit()
    store.close()
    with pytest.raises(JournalFileError, match="newer version") as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    assert file_counts(path)["groups"] == 1


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalFileError, match="folder"):
        open_store(tmp_path)


# --- atomicity ----------------------------------------------------------------------------------


def test_an_error_inside_atomic_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(path)
    with pytest.raises(RuntimeError, match="boom"), store.atomic():
        group = store.add_group(GroupFields(name="NA"))
        store.log_attendance(AttendanceFields(group_id=group.id, date=TODAY))
        person = store.add_person(PersonFields(alias="Sam"))
        store.log_contact(ContactFields(person_id=person.id, date=TODAY))
        store.add_service(ServiceFields(date=TODAY, group_id=group.id))
        store.add_rating(rating(group.id, TODAY, 1, 2, 3, 4, 5))
        store.set_weekly_goal(3)
        assert store.counts()["attendance"] == 1  # visible inside the transaction
        raise RuntimeError("boom")
    assert store.is_empty()
    assert store.settings() == {}
    assert set(file_counts(path).values()) == {0}
    # The store is still usable afterwards.
    store.add_group(GroupFields(name="NA"))
    assert file_counts(path)["groups"] == 1
    store.close()


def _bad_last_record(export: dict[str, Any]) -> dict[str, Any]:
    """The export with only its very last record broken (a date not on the calendar)."""
    broken = copy.deepcopy(export)
    assert broken["fit_ratings"], "the last table must have a record to break"
    broken["fit_ratings"][-1]["date"] = "2026-02-30"
    check_export(broken)  # still passes the schema; the problem is only found while importing
    return broken


def test_import_with_a_bad_last_record_into_an_empty_journal_changes_nothing(
    tmp_path: Path, store: Store
) -> None:
    fill(store)
    broken = _bad_last_record(export_journal(store))
    target = open_store(tmp_path / "target.db")
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, broken, source="backup.json")
    assert "fit ratings entry 1" in str(caught.value)
    assert "2026-02-30" in str(caught.value)
    assert target.is_empty()
    assert target.settings() == {}
    assert set(file_counts(tmp_path / "target.db").values()) == {0}
    target.close()


def test_import_replace_with_a_bad_last_record_keeps_the_old_journal(
    tmp_path: Path, store: Store
) -> None:
    fill(store)
    broken = _bad_last_record(export_journal(store))
    target = open_store(tmp_path / "target.db")
    target.add_group(GroupFields(name="Kept group"))
    target.set_weekly_goal(5)
    before_counts = target.counts()
    before_text = export_json_text(target)
    with pytest.raises(ImportRefused):
        import_journal(target, broken, replace=True)
    assert target.counts() == before_counts
    assert export_json_text(target) == before_text
    assert [g.name for g in target.list_groups()] == ["Kept group"]
    assert target.weekly_goal == 5
    target.close()


# --- CRUD ---------------------------------------------------------------------------------------


def test_groups_crud(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    added = store.add_group(
        GroupFields(
            name="  NA Downtown  ",
            pillar="Peer support",
            tags=("12-step", "My Tag", "12-step"),
            status="home group",
        )
    )
    assert added.name == "NA Downtown"
    assert added.pillar == "peer"
    assert added.tags == ("12-step", "my-tag")
    assert added.status == "home-group"
    assert STAMP.match(added.created_at)
    assert added.created_at == added.updated_at
    assert store.get_group(added.id) == added

    updated = store.update_group(added.id, GroupFields(name="NA Uptown", status="regular"))
    assert updated.name == "NA Uptown"
    assert updated.status == "regular"
    assert updated.tags == ()
    assert updated.uuid == added.uuid
    assert updated.created_at == added.created_at
    assert updated.updated_at > added.updated_at

    store.add_group(GroupFields(name="beta"))
    store.add_group(GroupFields(name="Alpha"))
    store.add_group(GroupFields(name="Gamma", status="not-for-me"))
    assert [g.name for g in store.list_groups()] == ["Alpha", "beta", "Gamma", "NA Uptown"]
    assert "Gamma" not in [g.name for g in store.list_groups(include_not_for_me=False)]

    store.delete_group(added.id)
    with pytest.raises(NotFound):
        store.get_group(added.id)
    with pytest.raises(NotFound):
        store.delete_group(added.id)
    with pytest.raises(NotFound):
        store.update_group(added.id, GroupFields(name="Ghost"))
    assert "Ghost" not in [g.name for g in store.list_groups()]
    store.close()


def test_duplicate_group_name_is_an_invalid_name(store: Store) -> None:
    store.add_group(GroupFields(name="NA Downtown"))
    with pytest.raises(InvalidField) as caught:
        store.add_group(GroupFields(name="na downtown"))
    assert caught.value.field == "name"
    assert store.counts()["groups"] == 1


def test_attendance_crud(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    group = store.add_group(GroupFields(name="NA"))
    other = store.add_group(GroupFields(name="SMART"))
    mid = store.log_attendance(
        AttendanceFields(
            group_id=group.id, date=date(2026, 11, 20), time=time(19, 5, 33), note="  ok  "
        )
    )
    assert mid.group_name == "NA"
    assert mid.time == time(19, 5)
    assert mid.note == "ok"
    assert mid.attended is True
    assert mid.shared is False
    assert store.get_attendance(mid.id) == mid
    new = store.log_attendance(AttendanceFields(group_id=other.id, date=date(2026, 11, 25)))
    old = store.log_attendance(
        AttendanceFields(group_id=group.id, date=date(2026, 11, 2), attended=False)
    )
    same_day_late = store.log_attendance(
        AttendanceFields(group_id=other.id, date=date(2026, 11, 20), time=time(21))
    )
    assert [a.id for a in store.list_attendance()] == [new.id, same_day_late.id, mid.id, old.id]
    assert [a.id for a in store.list_attendance(group_id=group.id)] == [mid.id, old.id]
    assert [a.id for a in store.list_attendance(since=date(2026, 11, 20))] == [
        new.id,
        same_day_late.id,
        mid.id,
    ]
    assert [a.id for a in store.list_attendance(until=date(2026, 11, 19))] == [old.id]
    assert [a.id for a in store.list_attendance(limit=2, offset=1)] == [same_day_late.id, mid.id]

    updated = store.update_attendance(
        mid.id,
        AttendanceFields(group_id=other.id, date=date(2026, 11, 21), shared=True, note="moved"),
    )
    assert (updated.group_name, updated.date, updated.shared, updated.note) == (
        "SMART",
        date(2026, 11, 21),
        True,
        "moved",
    )
    assert updated.time is None
    assert updated.uuid == mid.uuid
    assert updated.created_at == mid.created_at
    assert updated.updated_at > mid.updated_at

    store.delete_attendance(mid.id)
    with pytest.raises(NotFound):
        store.get_attendance(mid.id)
    with pytest.raises(NotFound):
        store.delete_attendance(mid.id)
    with pytest.raises(NotFound):
        store.update_attendance(mid.id, AttendanceFields(group_id=group.id, date=TODAY))
    assert store.counts()["attendance"] == 3
    store.close()


def test_people_and_contacts_crud(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    sam = store.add_person(
        PersonFields(alias=" Sam ", role="Sponsor", phone="+1 (555) 010-0000", email="sam@x.org")
    )
    assert (sam.alias, sam.role, sam.phone, sam.email) == (
        "Sam",
        "sponsor",
        "+1 (555) 010-0000",
        "sam@x.org",
    )
    assert sam.last_contact is None
    assert sam.contact_count == 0
    assert store.get_person(sam.id) == sam
    jo = store.add_person(PersonFields(alias="jo", role="mentor"))
    assert [p.alias for p in store.list_people()] == ["jo", "Sam"]

    updated = store.update_person(sam.id, PersonFields(alias="Sammy", role="mentor"))
    assert (updated.alias, updated.role, updated.email) == ("Sammy", "mentor", "")
    assert updated.uuid == sam.uuid
    assert updated.created_at == sam.created_at
    assert updated.updated_at > sam.updated_at

    c_mid = store.log_contact(ContactFields(person_id=sam.id, date=date(2026, 11, 10)))
    c_new = store.log_contact(
        ContactFields(person_id=sam.id, date=date(2026, 11, 20), method="In person")
    )
    c_old = store.log_contact(ContactFields(person_id=jo.id, date=date(2026, 10, 1)))
    assert c_new.method == "in-person"
    assert c_new.person_alias == "Sammy"
    assert store.get_contact(c_mid.id) == c_mid
    assert [c.id for c in store.list_contacts()] == [c_new.id, c_mid.id, c_old.id]
    assert [c.id for c in store.list_contacts(person_id=sam.id)] == [c_new.id, c_mid.id]
    assert [c.id for c in store.list_contacts(limit=1, offset=1)] == [c_mid.id]
    person = store.get_person(sam.id)
    assert person.last_contact == date(2026, 11, 20)
    assert person.contact_count == 2
    assert person.days_since_contact(TODAY) == 6

    moved = store.update_contact(
        c_mid.id, ContactFields(person_id=jo.id, date=date(2026, 11, 11), method="video")
    )
    assert (moved.person_alias, moved.date, moved.method) == ("jo", date(2026, 11, 11), "video")
    assert moved.uuid == c_mid.uuid
    assert moved.created_at == c_mid.created_at
    assert moved.updated_at > c_mid.updated_at

    store.delete_contact(c_old.id)
    with pytest.raises(NotFound):
        store.get_contact(c_old.id)
    with pytest.raises(NotFound):
        store.delete_contact(c_old.id)
    with pytest.raises(NotFound):
        store.update_contact(c_old.id, ContactFields(person_id=jo.id, date=TODAY))
    with pytest.raises(NotFound):
        store.get_person(9999)
    with pytest.raises(NotFound):
        store.update_person(9999, PersonFields(alias="Nobody"))
    with pytest.raises(NotFound):
        store.delete_person(9999)
    store.close()


def test_service_crud(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    group = store.add_group(GroupFields(name="NA"))
    s_mid = store.add_service(
        ServiceFields(date=date(2026, 11, 10), kind="Made coffee", group_id=group.id, minutes=45)
    )
    assert (s_mid.kind, s_mid.group_name, s_mid.minutes) == ("coffee", "NA", 45)
    assert store.get_service(s_mid.id) == s_mid
    s_new = store.add_service(ServiceFields(date=date(2026, 11, 20)))
    assert s_new.group_id is None
    assert s_new.group_name is None
    assert s_new.minutes is None
    s_old = store.add_service(ServiceFields(date=date(2026, 9, 1), kind="greeter"))
    assert [s.id for s in store.list_service()] == [s_new.id, s_mid.id, s_old.id]
    assert [s.id for s in store.list_service(since=date(2026, 11, 10))] == [s_new.id, s_mid.id]
    assert [s.id for s in store.list_service(limit=1)] == [s_new.id]

    updated = store.update_service(
        s_mid.id, ServiceFields(date=date(2026, 11, 11), kind="chair", minutes=60)
    )
    assert (updated.kind, updated.group_id, updated.minutes) == ("chair", None, 60)
    assert updated.uuid == s_mid.uuid
    assert updated.created_at == s_mid.created_at
    assert updated.updated_at > s_mid.updated_at

    store.delete_service(s_mid.id)
    with pytest.raises(NotFound):
        store.get_service(s_mid.id)
    with pytest.raises(NotFound):
        store.delete_service(s_mid.id)
    with pytest.raises(NotFound):
        store.update_service(s_mid.id, ServiceFields(date=TODAY))
    store.close()


def test_fit_ratings_crud(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db", ticking_clock())
    group = store.add_group(GroupFields(name="NA"))
    other = store.add_group(GroupFields(name="SMART"))
    r_mid = store.add_rating(rating(group.id, date(2026, 11, 10), 5, 4, 3, 2, 1, note="first"))
    assert r_mid.scores() == scores(5, 4, 3, 2, 1)
    assert r_mid.average == pytest.approx(3.0)
    assert r_mid.group_name == "NA"
    assert store.get_rating(r_mid.id) == r_mid
    r_new = store.add_rating(rating(other.id, date(2026, 11, 20), 3, 3, 3, 3, 3))
    r_old = store.add_rating(rating(group.id, date(2026, 10, 1), 1, 1, 1, 1, 1))
    assert [r.id for r in store.list_ratings()] == [r_new.id, r_mid.id, r_old.id]
    assert [r.id for r in store.list_ratings(group_id=group.id)] == [r_mid.id, r_old.id]

    updated = store.update_rating(r_mid.id, rating(group.id, date(2026, 11, 10), 2, 2, 2, 2, 2))
    assert updated.scores() == scores(2, 2, 2, 2, 2)
    assert updated.note == ""
    assert updated.uuid == r_mid.uuid
    assert updated.created_at == r_mid.created_at
    assert updated.updated_at > r_mid.updated_at

    store.delete_rating(r_mid.id)
    with pytest.raises(NotFound):
        store.get_rating(r_mid.id)
    with pytest.raises(NotFound):
        store.delete_rating(r_mid.id)
    with pytest.raises(NotFound):
        store.update_rating(r_mid.id, rating(group.id, TODAY, 1, 1, 1, 1, 1))
    store.close()


def test_uuids_are_version_4_and_unique(store: Store) -> None:
    rows = fill(store)
    extra = [store.add_group(GroupFields(name=f"Group {n}")) for n in range(20)]
    uuids = [r.uuid for kind in rows.values() for r in kind] + [g.uuid for g in extra]
    assert all(UUID4.match(u) for u in uuids), uuids
    assert len(set(uuids)) == len(uuids)


def test_an_entry_pointing_at_a_missing_group_is_refused(store: Store) -> None:
    with pytest.raises(TrackerError, match="no longer exists"):
        store.log_attendance(AttendanceFields(group_id=9999, date=TODAY))
    with pytest.raises(TrackerError, match="no longer exists"):
        store.log_contact(ContactFields(person_id=9999, date=TODAY))
    assert store.is_empty()


# --- validation ---------------------------------------------------------------------------------

_NOTE = "x" * 4001


def _invalid_writes(store: Store) -> list[tuple[str, Any]]:
    g = store.add_group(GroupFields(name="NA")).id
    p = store.add_person(PersonFields(alias="Sam")).id
    tomorrow = TODAY + timedelta(days=1)
    return [
        ("date", lambda: store.log_attendance(AttendanceFields(group_id=g, date=tomorrow))),
        ("date", lambda: store.log_contact(ContactFields(person_id=p, date=tomorrow))),
        ("date", lambda: store.add_service(ServiceFields(date=tomorrow))),
        ("date", lambda: store.add_rating(rating(g, tomorrow, 3, 3, 3, 3, 3))),
        ("date", lambda: store.add_service(ServiceFields(date=date(1899, 12, 31)))),
        ("date", lambda: store.log_attendance(AttendanceFields(group_id=g, date="2026-11-20"))),  # type: ignore[arg-type]
        ("welcome", lambda: store.add_rating(rating(g, TODAY, 0, 3, 3, 3, 3))),
        ("would_return", lambda: store.add_rating(rating(g, TODAY, 3, 3, 3, 3, 6))),
        ("relevance", lambda: store.add_rating(rating(g, TODAY, 3, True, 3, 3, 3))),
        ("alias", lambda: store.add_person(PersonFields(alias="   "))),
        ("alias", lambda: store.add_person(PersonFields(alias="Sam\x1b[2J"))),
        ("email", lambda: store.add_person(PersonFields(alias="Jo", email="not-an-email"))),
        ("phone", lambda: store.add_person(PersonFields(alias="Jo", phone="call me"))),
        ("role", lambda: store.add_person(PersonFields(alias="Jo", role="boss"))),
        ("name", lambda: store.add_group(GroupFields(name="NA\x1b[31mRed"))),
        ("name", lambda: store.add_group(GroupFields(name="Two\nlines"))),
        ("name", lambda: store.add_group(GroupFields(name="C1\x9bchar"))),
        ("name", lambda: store.add_group(GroupFields(name=""))),
        ("name", lambda: store.add_group(GroupFields(name="n" * 81))),
        ("pillar", lambda: store.add_group(GroupFields(name="X", pillar="cult"))),
        ("format", lambda: store.add_group(GroupFields(name="X", format="telepathy"))),
        ("status", lambda: store.add_group(GroupFields(name="X", status="gone"))),
        ("tags", lambda: store.add_group(GroupFields(name="X", tags=("no good!",)))),
        ("schedule", lambda: store.add_group(GroupFields(name="X", schedule="whenever"))),
        ("catalogue_slug", lambda: store.add_group(GroupFields(name="X", catalogue_slug="A B"))),
        ("notes", lambda: store.add_group(GroupFields(name="X", notes=_NOTE))),
        (
            "note",
            lambda: store.log_attendance(AttendanceFields(group_id=g, date=TODAY, note=_NOTE)),
        ),
        ("note", lambda: store.log_contact(ContactFields(person_id=p, date=TODAY, note="\x1b]0;"))),
        ("note", lambda: store.add_service(ServiceFields(date=TODAY, note=_NOTE))),
        ("note", lambda: store.add_rating(rating(g, TODAY, 3, 3, 3, 3, 3, note=_NOTE))),
        (
            "shared",
            lambda: store.log_attendance(
                AttendanceFields(group_id=g, date=TODAY, attended=False, shared=True)
            ),
        ),
        ("group", lambda: store.log_attendance(AttendanceFields(group_id=0, date=TODAY))),
        ("person", lambda: store.log_contact(ContactFields(person_id=-1, date=TODAY))),
        ("minutes", lambda: store.add_service(ServiceFields(date=TODAY, minutes=0))),
        ("minutes", lambda: store.add_service(ServiceFields(date=TODAY, minutes=1441))),
        ("what", lambda: store.add_service(ServiceFields(date=TODAY, kind="nap"))),
        ("how", lambda: store.log_contact(ContactFields(person_id=p, date=TODAY, method="owl"))),
    ]


def test_validation_errors_name_the_field_and_write_nothing(store: Store) -> None:
    writes = _invalid_writes(store)
    before = store.counts()
    for field, write in writes:
        with pytest.raises(InvalidField) as caught:
            write()
        assert caught.value.field == field, (field, caught.value.message)
        assert caught.value.message
    assert store.counts() == before


def test_the_limits_themselves_are_accepted(store: Store) -> None:
    """The other side of the validation boundaries: today, 1 and 5, 4000 characters..."""
    g = store.add_group(GroupFields(name="n" * 80, notes="y" * 4000))
    entry = store.log_attendance(AttendanceFields(group_id=g.id, date=TODAY, note="x" * 4000))
    assert len(entry.note) == 4000
    store.add_rating(rating(g.id, TODAY, 1, 5, 1, 5, 1))
    store.add_service(ServiceFields(date=date(1900, 1, 1), minutes=1440))
    store.add_service(ServiceFields(date=TODAY, minutes=1, note="tab\there\nand a line"))
    assert store.counts()["service"] == 2


# --- deleting groups and people -----------------------------------------------------------------


def _group_with_history(store: Store) -> tuple[int, int]:
    group = store.add_group(GroupFields(name="NA"))
    target = store.add_group(GroupFields(name="SMART"))
    store.log_attendance(AttendanceFields(group_id=group.id, date=date(2026, 11, 20)))
    store.log_attendance(AttendanceFields(group_id=group.id, date=date(2026, 11, 13)))
    store.log_attendance(AttendanceFields(group_id=target.id, date=date(2026, 11, 19)))
    store.add_rating(rating(group.id, date(2026, 11, 20), 3, 3, 3, 3, 3))
    store.add_service(ServiceFields(date=date(2026, 11, 20), group_id=group.id))
    return group.id, target.id


def test_delete_group_refuses_when_it_has_history(store: Store) -> None:
    group_id, _ = _group_with_history(store)
    before = store.counts()
    with pytest.raises(TrackerError, match="history"):
        store.delete_group(group_id)
    assert store.counts() == before
    assert store.get_group(group_id).name == "NA"
    lonely = store.add_group(GroupFields(name="No history"))
    store.delete_group(lonely.id)
    with pytest.raises(NotFound):
        store.get_group(lonely.id)


def test_delete_group_with_its_history(store: Store) -> None:
    group_id, target_id = _group_with_history(store)
    service = store.list_service()[0]
    store.delete_group(group_id, history="delete")
    with pytest.raises(NotFound):
        store.get_group(group_id)
    assert [(a.group_id, a.date) for a in store.list_attendance()] == [
        (target_id, date(2026, 11, 19))
    ]
    assert store.list_ratings() == []
    kept = store.get_service(service.id)
    assert kept.group_id is None
    assert kept.group_name is None
    assert kept.uuid == service.uuid


def test_delete_group_moving_its_history(store: Store) -> None:
    group_id, target_id = _group_with_history(store)
    store.delete_group(group_id, history="move", move_to=target_id)
    with pytest.raises(NotFound):
        store.get_group(group_id)
    assert {a.group_id for a in store.list_attendance()} == {target_id}
    assert store.counts()["attendance"] == 3
    assert [r.group_id for r in store.list_ratings()] == [target_id]
    assert [s.group_name for s in store.list_service()] == ["SMART"]


@pytest.mark.parametrize("move_to", ["self", None, 9999])
def test_delete_group_move_needs_another_existing_group(store: Store, move_to: Any) -> None:
    group_id, _ = _group_with_history(store)
    before = export_json_text(store)
    target = group_id if move_to == "self" else move_to
    with pytest.raises(TrackerError):
        store.delete_group(group_id, history="move", move_to=target)
    assert export_json_text(store) == before


def test_delete_person_needs_with_contacts_when_there_are_contacts(store: Store) -> None:
    sam = store.add_person(PersonFields(alias="Sam"))
    jo = store.add_person(PersonFields(alias="Jo"))
    store.log_contact(ContactFields(person_id=sam.id, date=date(2026, 11, 20)))
    store.log_contact(ContactFields(person_id=sam.id, date=date(2026, 11, 21)))
    store.log_contact(ContactFields(person_id=jo.id, date=date(2026, 11, 22)))
    with pytest.raises(TrackerError, match="2 logged contacts"):
        store.delete_person(sam.id)
    assert store.get_person(sam.id).contact_count == 2
    store.delete_person(sam.id, with_contacts=True)
    with pytest.raises(NotFound):
        store.get_person(sam.id)
    assert [c.person_alias for c in store.list_contacts()] == ["Jo"]
    nobody = store.add_person(PersonFields(alias="Nobody"))
    store.delete_person(nobody.id)
    assert [p.alias for p in store.list_people()] == ["Jo"]


# --- views across areas -------------------------------------------------------------------------


def test_compare_groups_on_a_hand_made_journal(store: Store) -> None:
    a = store.add_group(GroupFields(name="Alpha"))
    store.add_group(GroupFields(name="Beta"))
    c = store.add_group(GroupFields(name="Gamma"))

    def log(group_id: int, day: date, *, attended: bool = True, shared: bool = False) -> None:
        store.log_attendance(
            AttendanceFields(group_id=group_id, date=day, attended=attended, shared=shared)
        )

    log(a.id, date(2026, 10, 30), attended=False)  # a miss before the first meeting
    log(a.id, date(2026, 11, 2), shared=True)
    log(a.id, date(2026, 11, 9), attended=False)
    log(a.id, date(2026, 11, 16))
    log(a.id, date(2026, 11, 20), shared=True)
    log(a.id, date(2026, 11, 25), attended=False)  # a miss after the last meeting
    log(c.id, date(2026, 11, 3), attended=False)
    store.add_rating(rating(a.id, date(2026, 11, 2), 5, 4, 3, 2, 1))
    store.add_rating(rating(a.id, date(2026, 11, 20), 3, 3, 3, 3, 3))
    store.add_rating(rating(a.id, date(2026, 11, 1), 1, 1, 1, 1, 1))  # added last, dated earliest

    result = store.compare_groups()
    assert [r.group.name for r in result] == ["Alpha", "Beta", "Gamma"]
    alpha, beta, gamma = result
    assert (alpha.times_attended, alpha.times_missed, alpha.times_shared) == (3, 3, 2)
    assert alpha.first_attended == date(2026, 11, 2)
    assert alpha.last_attended == date(2026, 11, 20)
    assert alpha.ratings_count == 3
    assert alpha.latest == scores(3, 3, 3, 3, 3)
    assert alpha.average == pytest.approx(
        {
            "welcome": 9 / 3,
            "relevance": 8 / 3,
            "format_comfort": 7 / 3,
            "practical": 6 / 3,
            "would_return": 5 / 3,
        }
    )
    assert alpha.latest_overall == pytest.approx(3.0)
    assert alpha.average_overall == pytest.approx(35 / 15)

    assert (beta.times_attended, beta.times_missed, beta.times_shared) == (0, 0, 0)
    assert beta.first_attended is None
    assert beta.last_attended is None
    assert beta.ratings_count == 0
    assert beta.latest == {}
    assert beta.average == {}
    assert beta.latest_overall is None

    assert (gamma.times_attended, gamma.times_missed) == (0, 1)
    assert gamma.first_attended is None
    assert gamma.last_attended is None

    only = store.compare_groups([c.id, a.id])
    assert [r.group.name for r in only] == ["Alpha", "Gamma"]
    assert store.compare_groups([]) == []


def test_meetings_per_day_logged_sessions_and_last_attended(store: Store) -> None:
    assert store.last_attended() is None
    a = store.add_group(GroupFields(name="Alpha"))
    b = store.add_group(GroupFields(name="Beta"))
    store.log_attendance(AttendanceFields(group_id=a.id, date=date(2026, 11, 23), attended=False))
    assert store.last_attended() is None  # a missed meeting isn't one attended

    def log(group_id: int, day: date, at: time | None = None, attended: bool = True) -> int:
        entry = store.log_attendance(
            AttendanceFields(group_id=group_id, date=day, time=at, attended=attended)
        )
        return entry.id

    log(a.id, date(2026, 11, 16))
    log(b.id, date(2026, 11, 16))
    log(a.id, date(2026, 11, 18), attended=False)
    log(a.id, date(2026, 11, 20), time(7))
    evening = log(b.id, date(2026, 11, 20), time(19))
    log(a.id, date(2026, 11, 20))  # no time
    log(b.id, date(2026, 11, 26), attended=False)
    log(a.id, date(2026, 10, 1))

    assert store.meetings_per_day(date(2026, 11, 16), date(2026, 11, 26)) == {
        date(2026, 11, 16): 2,
        date(2026, 11, 20): 3,
    }
    assert store.meetings_per_day(date(2026, 11, 17), date(2026, 11, 19)) == {}
    assert store.logged_sessions(date(2026, 11, 18), date(2026, 11, 26)) == {
        (a.id, date(2026, 11, 18)),
        (a.id, date(2026, 11, 20)),
        (b.id, date(2026, 11, 20)),
        (a.id, date(2026, 11, 23)),
        (b.id, date(2026, 11, 26)),
    }
    last = store.last_attended()
    assert last is not None
    assert last.id == evening
    assert last.group_name == "Beta"


def test_weekly_goal(store: Store) -> None:
    assert store.weekly_goal == 1
    store.set_weekly_goal(3)
    assert store.weekly_goal == 3
    # Nothing logged yet: the goal applies from the start.
    assert store.settings() == {
        "weekly_goal": 3,
        "goal_changes": [{"from": "1900-01-01", "goal": 3}],
    }
    store.set_weekly_goal(" 4 ")
    assert store.weekly_goal == 4
    store.set_weekly_goal(21)
    assert store.weekly_goal == 21
    for bad in (0, 22, "abc", "", -1, 2.5, True, None):
        with pytest.raises(InvalidField) as caught:
            store.set_weekly_goal(bad)
        assert caught.value.field == "weekly goal"
        assert store.weekly_goal == 21
    store.set_setting("weekly_goal", "garbage")  # hand-edited: read as the default
    assert store.weekly_goal == 1


@pytest.mark.parametrize("bad", ["²", "①", "٣٣"])
def test_weekly_goal_unicode_digits_are_an_invalid_field(store: Store, bad: str) -> None:
    """str.isdigit() is true for these; they must still be refused as InvalidField."""
    with pytest.raises(InvalidField) as caught:
        store.set_weekly_goal(bad)
    assert caught.value.field == "weekly goal"
    assert store.weekly_goal == 1


# --- export and import --------------------------------------------------------------------------


def test_export_round_trip_is_byte_identical_and_keeps_uuids(tmp_path: Path, store: Store) -> None:
    rows = fill(store)
    text = export_json_text(store)
    data = json.loads(text)
    assert data["format"] == FORMAT_NAME
    assert data["version"] == FORMAT_VERSION
    # The goal was set after meetings were logged: the weeks before keep the default.
    assert data["settings"] == {
        "weekly_goal": 2,
        "goal_changes": [{"from": "1900-01-01", "goal": 1}, {"from": "2026-11-23", "goal": 2}],
    }
    for table, records in rows.items():
        assert {r["uuid"] for r in data[table]} == {r.uuid for r in records}, table
        assert all("id" not in r for r in data[table])

    # References are by UUID, never by integer key.
    group_uuids = {g.uuid: g.name for g in rows["groups"]}
    person_uuids = {p.uuid: p.alias for p in rows["people"]}
    by_uuid = {a.uuid: a for a in rows["attendance"]}
    for entry in data["attendance"]:
        assert "group_id" not in entry
        assert group_uuids[entry["group"]] == by_uuid[entry["uuid"]].group_name
    for entry in data["contacts"]:
        assert entry["person"] in person_uuids
    assert {s["group"] for s in data["service"]} == {rows["groups"][0].uuid, None}
    assert [r["group"] for r in data["fit_ratings"]] == [rows["groups"][1].uuid]

    target = open_store(tmp_path / "copy.db")
    counts = import_journal(target, json.loads(text))
    assert counts == {table: len(records) for table, records in rows.items()}
    assert export_json_text(target) == text
    assert target.weekly_goal == 2
    na = next(g for g in target.list_groups() if g.name == "NA Downtown")
    assert na == dataclasses.replace(rows["groups"][0], id=na.id)
    notes = {a.uuid: a.note for a in target.list_attendance()}
    assert notes[rows["attendance"][1].uuid] == "[bold]x[/] ok"
    target.close()


def test_import_refuses_a_journal_with_entries_unless_replacing(
    tmp_path: Path, store: Store
) -> None:
    fill(store)
    data = export_journal(store)
    target = open_store(tmp_path / "target.db")
    target.add_group(GroupFields(name="Old group"))
    before = export_json_text(target)
    with pytest.raises(ImportRefused, match="already has entries"):
        import_journal(target, data)
    assert export_json_text(target) == before

    import_journal(target, data, replace=True)
    assert export_json_text(target) == export_json_text(store)
    assert "Old group" not in [g.name for g in target.list_groups()]
    target.close()


def test_import_into_a_journal_holding_only_settings(tmp_path: Path, store: Store) -> None:
    """Settings alone don't make a journal non-empty, so the import goes ahead without
    --replace; the file's settings then apply (they must not collide with the old ones)."""
    fill(store)
    data = export_journal(store)
    target = open_store(tmp_path / "settings-only.db")
    target.set_weekly_goal(4)
    assert target.is_empty()
    import_journal(target, data)
    assert target.weekly_goal == 2
    assert export_json_text(target) == export_json_text(store)
    target.close()


def _minimal_export(store: Store) -> dict[str, Any]:
    fill(store)
    return export_journal(store)


def test_check_export_refuses_other_formats_and_newer_versions(store: Store) -> None:
    data = _minimal_export(store)
    assert check_export(data) is data
    for bad in ([], "text", None, {**data, "format": "something-else"}, {"version": 1}):
        with pytest.raises(ImportRefused, match="not a Tracker journal export"):
            check_export(bad, "x.json")
    with pytest.raises(ImportRefused, match="newer version") as caught:
        check_export({**data, "version": FORMAT_VERSION + 1}, "x.json")
    assert "x.json" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["groups"][0].pop("status"), "groups/0"),
        (lambda d: d["fit_ratings"][0].update(welcome=7), "fit_ratings/0/welcome"),
        (lambda d: d["attendance"][1].update(attended="yes"), "attendance/1/attended"),
        (lambda d: d["people"][0].update(uuid="not-a-uuid"), "people/0/uuid"),
        (lambda d: d.pop("contacts"), "the top level"),
        (lambda d: d.update(extra=1), "the top level"),
    ],
)
def test_check_export_names_where_the_schema_is_broken(
    store: Store, change: Any, where: str
) -> None:
    data = _minimal_export(store)
    change(data)
    with pytest.raises(ImportRefused) as caught:
        check_export(data, "backup.json")
    message = str(caught.value)
    assert message.startswith("backup.json doesn't match the export format at ")
    assert f" at {where}:" in message
    with pytest.raises(ImportRefused):
        import_journal(store, data, replace=True)


def test_a_dangling_reference_is_refused(tmp_path: Path, store: Store) -> None:
    data = _minimal_export(store)
    stranger = str(uuid_module.uuid4())
    data["attendance"][0]["group"] = stranger
    check_export(data)
    target = open_store(tmp_path / "t.db")
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, data, source="b.json")
    assert stranger in str(caught.value)
    assert "attendance entry 1" in str(caught.value)
    assert target.is_empty()
    target.close()


def test_an_impossible_time_in_an_import_is_refused_cleanly(tmp_path: Path, store: Store) -> None:
    """29:00 fits the schema's pattern, so the importer itself must refuse it, as ImportRefused."""
    data = _minimal_export(store)
    data["attendance"][0]["time"] = "29:00"
    check_export(data)
    target = open_store(tmp_path / "t.db")
    with pytest.raises(ImportRefused, match="attendance entry 1"):
        import_journal(target, data)
    assert target.is_empty()
    target.close()


def test_duplicate_uuids_in_an_import_are_refused(tmp_path: Path, store: Store) -> None:
    data = _minimal_export(store)
    data["groups"][1]["uuid"] = data["groups"][0]["uuid"]
    target = open_store(tmp_path / "t.db")
    with pytest.raises(ImportRefused, match="groups entry 2"):
        import_journal(target, data)
    assert target.is_empty()
    target.close()


def test_read_export_file_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "tracker-journal",\n  "version": 1,,\n}\n', encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        read_export_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 3, column 16" in message


def test_read_export_file_other_problems(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="doesn't exist"):
        read_export_file(tmp_path / "missing.json")
    with pytest.raises(ImportRefused, match="folder"):
        read_export_file(tmp_path)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportRefused, match="not a text file"):
        read_export_file(binary)
    good = tmp_path / "good.json"
    good.write_text('{"format": "tracker-journal"}', encoding="utf-8")
    assert read_export_file(good) == {"format": "tracker-journal"}


# --- property: any valid attendance survives export -> import -> export --------------------------

_NOTE_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n"), max_size=60),
    st.sampled_from(["[bold]x[/]", "[red]alert[/red]", "\\[escaped]", "[link=http://x]y[/link]"]),
)
_ENTRY = st.tuples(
    st.integers(0, 2),  # which group
    st.dates(min_value=date(2020, 1, 1), max_value=TODAY),
    st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
    st.booleans(),  # attended
    st.booleans(),  # shared (only kept when attended)
    _NOTE_TEXT,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(_ENTRY, max_size=12))
def test_export_import_export_is_identical_for_any_attendance(
    entries: list[tuple[int, date, time | None, bool, bool, str]],
) -> None:
    source = open_store(":memory:")
    groups = [source.add_group(GroupFields(name=n)).id for n in ("NA", "SMART [x]", "Yoga")]
    expected_notes: dict[str, str] = {}
    for which, day, at, attended, shared, note in entries:
        entry = source.log_attendance(
            AttendanceFields(
                group_id=groups[which],
                date=day,
                time=at,
                attended=attended,
                shared=shared and attended,
                note=note,
            )
        )
        assert entry.note == note.strip()
        expected_notes[entry.uuid] = note.strip()
    text = export_json_text(source)

    target = open_store(":memory:")
    import_journal(target, json.loads(text))
    assert export_json_text(target) == text
    assert {a.uuid: a.note for a in target.list_attendance()} == expected_notes

    def facts(store: Store) -> list[tuple[str, str, bool, bool]]:
        return sorted(
            (str(a.date), str(a.time), a.attended, a.shared) for a in store.list_attendance()
        )

    assert facts(target) == facts(source)
    assert len(facts(target)) == len(entries)
    source.close()
    target.close()


def test_a_failing_disk_is_reported_as_a_sentence_not_a_crash(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "j.db", clock=Clock.fixed(date(2026, 11, 26)))
    gid = store.add_group(GroupFields(name="NA Downtown")).id

    # Simulate the database refusing writes (as a full disk or a read-only file would).
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(TrackerError, match=r"couldn.t be written.*nothing was saved"):
        store.log_attendance(AttendanceFields(group_id=gid, date=date(2026, 11, 25)))
    store.db.execute("PRAGMA query_only = OFF")
    assert store.list_attendance() == []

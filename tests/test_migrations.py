"""Every released schema version migrates to the current one with every row intact.

tests/fixtures/schemas/vN.db is a journal exactly as schema version N left it (made by
make_fixtures.py in that folder). Each test works on a copy; the fixtures are never opened for
writing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tracker.clock import Clock
from tracker.domain.dates import week_start
from tracker.store import Store, schema

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "schemas"
TODAY_CLOCK = Clock.fixed(date(2026, 11, 26))


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maker = _load_maker()


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("v*.db"), key=lambda p: int(p.stem[1:]))


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to ``path`` or create anything beside it."""
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def tables(conn: Any) -> list[str]:
    """The tables that hold rows of their own: not the search index (m004), which is made
    from them (tests/test_search_store.py checks that it is built and kept in step)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%\\_fts' ESCAPE '\\' AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\' "
            "ORDER BY name"
        )
    ]


def _key(table: str) -> str:
    return {
        "settings": "key",
        "_sqlite_migrations": "name",
        "attendance_weeks": "week",
        "fit_totals": "group_id",
        "group_totals": "group_id",
        "changes": "serial",
    }.get(table, "id")


def rows_by_key(conn: Any, table: str) -> dict[Any, dict[str, Any]]:
    cursor = conn.execute(f"SELECT * FROM [{table}]")
    names = [d[0] for d in cursor.description]
    key = _key(table)
    return {row[names.index(key)]: dict(zip(names, row, strict=True)) for row in cursor}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


VERSIONS = [int(p.stem[1:]) for p in fixture_files()]
LATEST = schema.latest_version()


def test_there_is_a_fixture_for_every_schema_version() -> None:
    # A new migration needs its fixture: python tests/fixtures/schemas/make_fixtures.py
    assert [*range(1, LATEST + 1)] == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_each_fixture_is_a_whole_journal_at_its_version(version: int) -> None:
    path = maker.fixture_path(version)
    for suffix in ("-wal", "-shm", "-journal"):
        assert not path.with_name(path.name + suffix).exists()
    header = path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x01\x01"  # rollback journal: the file holds everything
    conn = read_only(path)
    try:
        applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == maker.migration_order()[:version]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        empty = [t for t in tables(conn) if not conn.execute(f"SELECT 1 FROM [{t}]").fetchone()]
        assert empty == []  # every table of that version has rows
    finally:
        conn.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_fixture_is_what_its_version_made(version: int, tmp_path: Path) -> None:
    """Rebuilding from today's migrations gives the same schema and rows: a shipped migration
    was not edited (add a new one instead)."""
    rebuilt = tmp_path / f"v{version}.db"
    maker.build(version, rebuilt)
    ours, theirs = read_only(maker.fixture_path(version)), read_only(rebuilt)
    try:
        sql = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        assert theirs.execute(sql).fetchall() == ours.execute(sql).fetchall()
        for table in tables(ours):
            assert rows_by_key(theirs, table) == rows_by_key(ours, table), table
    finally:
        ours.close()
        theirs.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_every_row_survives_migration_to_the_latest_version(version: int, tmp_path: Path) -> None:
    fixture = maker.fixture_path(version)
    before_digest, before_stat = digest(fixture), fixture.stat()
    before_listing = sorted(p.name for p in FIXTURES.iterdir())
    copy = tmp_path / "journal.db"
    shutil.copyfile(fixture, copy)

    original = read_only(fixture)
    try:
        original_tables = tables(original)
        original_rows = {t: rows_by_key(original, t) for t in original_tables}
    finally:
        original.close()

    store = Store.open(copy, clock=TODAY_CLOCK, create=False)
    try:
        assert store.schema_version() == schema.latest_version()
        db = store.db
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        for table in original_tables:
            migrated = rows_by_key(db, table)
            for key, row in original_rows[table].items():
                assert key in migrated, (table, key)
                now = migrated[key]
                # every original column, with its value unchanged (type included)
                assert {c: now[c] for c in row} == row, (table, key)
                assert {c: type(now[c]) for c in row} == {c: type(v) for c, v in row.items()}
                if table in schema.NOTE_COLUMNS and "note_shared" not in row:
                    assert now["note_shared"] == 0  # notes from before sharing stay private
            if table == "_sqlite_migrations":
                assert set(migrated) == schema.migration_names()
            else:
                assert set(migrated) == set(original_rows[table]), table  # and nothing added
        # The app reads the migrated rows back as they were typed.
        groups = original_rows["groups"]
        assert {g.name: g.notes for g in store.list_groups()} == {
            g["name"]: g["notes"] for g in groups.values()
        }
        notes = {a.id: a.note for a in store.list_attendance()}
        assert notes == {i: a["note"] for i, a in original_rows["attendance"].items()}
        # The weekly totals (m006) are the attended meetings of each week, counted afresh.
        attended = Counter(
            week_start(date.fromisoformat(a["date"]))
            for a in original_rows["attendance"].values()
            if a["attended"]
        )
        assert store.meetings_by_week() == dict(sorted(attended.items()))
        assert store.meetings_by_week() == {date(2026, 1, 5): 1, date(2026, 1, 12): 1}
        # And the fit totals (m006) are each group's ratings and their five scores, added up.
        scores = ("welcome", "relevance", "format_comfort", "practical", "would_return")
        ratings: Counter[int] = Counter()
        score_totals: Counter[int] = Counter()
        for r in original_rows["fit_ratings"].values():
            ratings[r["group_id"]] += 1
            score_totals[r["group_id"]] += sum(r[s] for s in scores)
        totals = db.execute("SELECT group_id, ratings, score_total FROM fit_totals").fetchall()
        assert {g: (n, total) for g, n, total in totals} == {
            g: (ratings[g], score_totals[g]) for g in ratings
        }
        # And the group totals (m007) are each group's meetings, counted afresh.
        went: Counter[int] = Counter()
        missed: Counter[int] = Counter()
        spoke: Counter[int] = Counter()
        days: dict[int, list[str]] = {}
        for a in original_rows["attendance"].values():
            went[a["group_id"]] += a["attended"]
            missed[a["group_id"]] += 1 - a["attended"]
            spoke[a["group_id"]] += a["shared"]
            if a["attended"]:
                days.setdefault(a["group_id"], []).append(a["date"])
        kept = db.execute(
            "SELECT group_id, attended, missed, shared, first, last FROM group_totals"
        ).fetchall()
        assert {row[0]: tuple(row[1:]) for row in kept} == {
            g: (
                went[g],
                missed[g],
                spoke[g],
                min(days[g]) if g in days else None,
                max(days[g]) if g in days else None,
            )
            for g in went + missed
        }
        compared = {c.group.id: (c.times_attended, c.times_missed) for c in store.compare_groups()}
        assert compared == {g: {1: (2, 0), 2: (0, 1)}.get(g, (0, 0)) for g in compared}
        assert {1, 2} <= set(compared)
        assert {(g.name, g.average) for g in store.rated_groups()} == {
            ("Tuesday Night NA 🌙", 21 / 5),
            ("مجموعة الأمل", 12 / 5),
        }
        assert {p.alias for p in store.list_people()} == {
            p["alias"] for p in original_rows["people"].values()
        }
    finally:
        store.close()

    # A second open finds nothing left to do.
    again = Store.open(copy, clock=TODAY_CLOCK, create=False)
    assert again.schema_version() == schema.latest_version()
    again.close()

    assert digest(fixture) == before_digest
    assert fixture.stat().st_mtime_ns == before_stat.st_mtime_ns
    assert sorted(p.name for p in FIXTURES.iterdir()) == before_listing

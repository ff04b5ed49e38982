"""Export and import of a ten-year journal (issue 8, "Speed"): the quick paths give exactly what
the slow ones gave.

Import writes each journal area many rows to a statement, and checks the file's shape with the
schema turned into plain functions, falling back to jsonschema for anything it doesn't pass; so
a heavy journal must round-trip byte for byte, search must find what it found before, every
trigger must see every row in order, the first problem in the file's order must be the one
reported, and the quick schema check must agree with jsonschema on every file it judges.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.domain.models import ExcusedWeekFields
from tracker.domain.search import parse_query
from tracker.store import driver
from tracker.store import transfer as transfer_module
from tracker.store.journal import Store
from tracker.store.schema import JOURNAL_TABLES
from tracker.store.transfer import (
    ImportRefused,
    check_export,
    export_journal,
    export_json_text,
    import_journal,
)

TODAY = date(2026, 11, 26)
TABLES = (*JOURNAL_TABLES, "excused_weeks", "suggestion_feedback")
# The table behind each kind of search result.
KIND_TABLES = {
    "attendance": "attendance",
    "contact": "contacts",
    "service": "service",
    "rating": "fit_ratings",
    "group": "groups",
    "person": "people",
}


def open_store(path: Path | str, passphrase: str | None = None) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)


@pytest.fixture(scope="module")
def heavy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    """The ten-year heavy demo journal, with a few weeks set aside and answers to suggestions,
    and its export."""
    store = open_store(tmp_path_factory.mktemp("heavy") / "source.db")
    fill_demo(store, years=10, today=TODAY, size="heavy")
    store.excuse_week(ExcusedWeekFields(week=date(2025, 2, 12), reason="illness", note="Flu."))
    store.excuse_week(ExcusedWeekFields(week=date(2026, 7, 1), reason="travel"))
    store.snooze_suggestion("smart-recovery", date(2026, 12, 3))
    store.dismiss_suggestion("advice:volunteer")
    yield store, export_json_text(store)
    store.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "target.db")
    yield store
    store.close()


def ids_in_order(store: Store, table: str) -> list[str]:
    return [row[0] for row in store.db.conn.execute(f"SELECT uuid FROM {table} ORDER BY id")]


def found(store: Store, words: str) -> set[tuple[str, str]]:
    """Everything a search finds, as (kind, UUID)."""
    results = store.search(parse_query(words, today=TODAY), limit=100_000)
    assert results.total == len(results.found)
    uuids = {
        (kind, row_id): uuid
        for kind, table in KIND_TABLES.items()
        for row_id, uuid in store.db.conn.execute(f"SELECT id, uuid FROM {table}")
    }
    return {(hit.kind, uuids[(hit.kind, hit.id)]) for hit in results.found}


# --- the round trip --------------------------------------------------------------------------


def test_the_heavy_journal_round_trips_byte_for_byte(
    heavy: tuple[Store, str], target: Store
) -> None:
    source, text = heavy
    data = json.loads(text)
    assert len(data["attendance"]) > 3000  # many statements' worth of rows
    counts = import_journal(target, data)
    assert counts == source.counts()
    assert export_json_text(target) == text
    # Rows are numbered in the file's order, as when they were written one at a time.
    for table in TABLES:
        assert ids_in_order(target, table) == [row["uuid"] for row in data[table]], table


def test_search_finds_in_the_import_what_it_found_in_the_original(
    heavy: tuple[Store, str], target: Store
) -> None:
    source, text = heavy
    data = json.loads(text)
    import_journal(target, data)
    noted = [row for row in data["attendance"] if row["note"]]
    assert len(noted) > 1000
    for row in (noted[0], noted[len(noted) // 2], noted[-1], *data["contacts"][-1:]):
        word = max(re.findall(r"[A-Za-z]{4,}", row["note"]), key=len)
        kind = "attendance" if row in data["attendance"] else "contact"
        hits = found(target, word)
        assert (kind, row["uuid"]) in hits, word
        assert hits == found(source, word), word
    group = data["groups"][-1]
    assert ("group", group["uuid"]) in found(target, f'"{group["name"]}"')


def test_every_trigger_sees_every_row_in_order(heavy: tuple[Store, str], target: Store) -> None:
    """Import doesn't depend on which triggers the journal has: a trigger added here, as a later
    migration might add one, sees each row as it is written."""
    _, text = heavy
    data = json.loads(text)
    conn = target.db.conn
    conn.execute("CREATE TEMP TABLE seen (n INTEGER PRIMARY KEY, uuid TEXT, note TEXT)")
    conn.execute(
        "CREATE TEMP TRIGGER watch AFTER INSERT ON main.attendance BEGIN "
        "INSERT INTO seen (uuid, note) "
        "SELECT NEW.uuid, note FROM attendance WHERE id = NEW.id; END"
    )
    import_journal(target, data)
    seen = conn.execute("SELECT uuid, note FROM seen ORDER BY n").fetchall()
    assert seen == [(row["uuid"], row["note"]) for row in data["attendance"]]


@pytest.mark.skipif(
    driver.cipher_unavailable_reason() is not None, reason="sqlcipher3 isn't installed"
)
def test_an_encrypted_journal_imports_the_same(heavy: tuple[Store, str], tmp_path: Path) -> None:
    _, text = heavy
    store = open_store(tmp_path / "locked.db", passphrase="correct horse battery staple")
    try:
        assert store.encrypted
        import_journal(store, json.loads(text))
        assert export_json_text(store) == text
    finally:
        store.close()


# --- the first problem is the one reported, and nothing is written -----------------------------


def test_a_row_refused_deep_in_the_file_is_named_and_nothing_is_written(
    heavy: tuple[Store, str], target: Store
) -> None:
    _, text = heavy
    data = json.loads(text)
    twin = data["attendance"][5]["uuid"]
    data["attendance"][3000]["uuid"] = twin
    word = max(re.findall(r"[A-Za-z]{4,}", data["attendance"][10]["note"] or "meeting"), key=len)
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, data, source="b.json")
    assert str(caught.value) == (
        f"b.json was not imported: attendance entry 3001 ({twin}) was refused by the journal: "
        "UNIQUE constraint failed: attendance.uuid."
    )
    assert target.is_empty()
    assert target.settings() == {}
    assert found(target, word) == set()


def test_a_refused_row_before_a_bad_one_is_the_problem_reported(
    heavy: tuple[Store, str], target: Store
) -> None:
    _, text = heavy
    data = json.loads(text)
    groups = data["groups"]
    # Names are unique whatever their (ASCII) case. Both are set here: the demo's names come in
    # a different order each time, and SQLite's NOCASE leaves a name such as "Recovery Café"
    # and its upper case apart (it folds only ASCII letters).
    groups[0]["name"] = "Harbour Tuesday Group"
    groups[1]["name"] = "HARBOUR TUESDAY GROUP"
    groups[2]["pillar"] = "astrology"
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, data)
    message = str(caught.value)
    assert f"groups entry 2 ({groups[1]['uuid']}) was refused by the journal: " in message
    assert "UNIQUE constraint failed: groups.name" in message
    assert target.is_empty()


def test_a_bad_row_before_a_refused_one_is_the_problem_reported(
    heavy: tuple[Store, str], target: Store
) -> None:
    _, text = heavy
    data = json.loads(text)
    groups = data["groups"]
    groups[1]["pillar"] = "astrology"
    groups[2]["name"] = groups[0]["name"]
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, data)
    message = str(caught.value)
    assert f"groups entry 2 ({groups[1]['uuid']}): pillar" in message
    assert "refused by the journal" not in message
    assert target.is_empty()


def test_a_bad_row_after_many_good_ones_leaves_the_journal_as_it_was(
    heavy: tuple[Store, str], target: Store
) -> None:
    _, text = heavy
    data = json.loads(text)
    data["contacts"][-1]["method"] = "carrier pigeon"
    target.set_weekly_goal(3)
    with pytest.raises(ImportRefused, match=f"contacts entry {len(data['contacts'])} "):
        import_journal(target, data)
    assert target.is_empty()
    assert target.weekly_goal == 3
    assert target.counts() == dict.fromkeys(JOURNAL_TABLES, 0)


# --- the quick schema check agrees with jsonschema ---------------------------------------------

UUID = "0b7c2f4e-5d1a-4c3b-9e8f-1a2b3c4d5e6f"
STRINGS = (
    UUID,
    "2026-03-05",
    "2026-03-05T19:30:00Z",
    "19:30",
    "tracker-journal",
    "",
    "x",
    "not-a-uuid",
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-2, 7)
    | st.sampled_from([0.0, 1.0, 3.0, 2.5, -1.5, 6.0])
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(STRINGS)
    | st.text(max_size=4)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=4,
)


@pytest.fixture(scope="module")
def small(heavy: tuple[Store, str]) -> dict[str, Any]:
    """Two rows of each kind from the heavy export: a service entry with a group and one
    without, a snoozed suggestion and a dismissed one."""
    data = json.loads(heavy[1])
    result = {**data, **{table: data[table][:2] for table in TABLES}}
    result["service"] = [
        next(row for row in data["service"] if row["group"] is not None),
        next(row for row in data["service"] if row["group"] is None),
    ]
    assert {row["until"] is None for row in result["suggestion_feedback"]} == {True, False}
    assert all(len(result[table]) == 2 for table in TABLES)
    return result


def jsonschema_only(data: object) -> str:
    """What check_export says about ``data`` with jsonschema alone, as before the quick check."""
    with mock.patch.object(transfer_module, "_quickly_valid", lambda data: False):
        return outcome(data)


def outcome(data: object) -> str:
    try:
        check_export(data, "f.json")
    except ImportRefused as error:
        return str(error)
    return "fine"


@st.composite
def changed(draw: st.DrawFn, small: dict[str, Any]) -> dict[str, Any]:
    """``small`` with a few random changes: a value replaced (often by one from elsewhere in
    the file, so that many changed files still fit the schema), a key taken away or added."""
    data = json.loads(json.dumps(small))
    elsewhere = st.sampled_from(
        sorted(
            {
                json.dumps(value)
                for table in TABLES
                for row in small[table]
                for value in row.values()
            }
        )
    ).map(json.loads)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "top", *TABLES, *TABLES]))
        draw_value: st.SearchStrategy[Any] = VALUES
        if where == "top":
            holder: Any = data
            key = draw(st.sampled_from([*data, "version", "version", "extra"]))
            if key == "version":
                draw_value = st.sampled_from([1, 2, 3, 4, 2.0, "3", None])
        else:
            rows = data.get(where)
            if not isinstance(rows, list) or not rows:
                continue  # an earlier change took the table away
            holder = rows[draw(st.integers(0, len(rows) - 1))]
            if not isinstance(holder, dict):
                continue
            key = draw(st.sampled_from([*holder, "extra"]))
            draw_value = elsewhere | VALUES
        if key in holder and draw(st.integers(0, 4)) == 0:
            del holder[key]
        else:
            holder[key] = draw(draw_value)
    return data


def assert_agrees(export: dict[str, Any]) -> str:
    """The quick check (jsonschema-rs) passes ``export`` exactly when jsonschema finds nothing
    wrong with it, and check_export says what it said with jsonschema alone, message and all."""
    validator = jsonschema.Draft202012Validator(transfer_module._schema())
    assert transfer_module._quickly_valid(export) == (
        next(validator.iter_errors(export), None) is None
    )
    expected = jsonschema_only(export)
    assert outcome(export) == expected
    return expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_quick_check_agrees_with_jsonschema(small: dict[str, Any], data: st.DataObject) -> None:
    assert_agrees(data.draw(changed(small)))


def test_the_quick_check_judges_the_edge_cases_as_jsonschema_does(small: dict[str, Any]) -> None:
    cases: list[tuple[str, int, str, object]] = [
        ("fit_ratings", 0, "welcome", 4.0),  # a whole float is an integer to JSON Schema
        ("fit_ratings", 0, "welcome", 4.5),
        ("fit_ratings", 0, "welcome", True),  # but a boolean is not
        ("fit_ratings", 0, "welcome", 0),
        ("fit_ratings", 0, "welcome", 6),
        ("service", 0, "group", None),
        ("service", 1, "group", UUID),
        ("service", 0, "group", "not-a-uuid"),
        ("service", 0, "minutes", 30.0),
        ("attendance", 0, "time", None),
        ("attendance", 0, "time", "7:30"),
        ("attendance", 0, "attended", 1),
        ("groups", 0, "name", ""),
        ("groups", 0, "tags", ["a", 1]),
        ("people", 0, "note_shared", None),
        ("suggestion_feedback", 0, "until", None),
        ("suggestion_feedback", 0, "until", "3 Dec"),
    ]
    messages = set()
    for table, index, key, value in cases:
        export = json.loads(json.dumps(small))
        export[table][index][key] = value
        messages.add(assert_agrees(export))
    for key, top in (
        ("format", "tracker-journal-2"),
        ("version", 2.0),
        ("version", "3"),
        ("settings", []),
        ("groups", {}),
        ("extra", 1),
    ):
        messages.add(assert_agrees(json.loads(json.dumps(small)) | {key: top}))
    assert "fine" in messages and len(messages) > 10
    # What a file must hold depends on its version.
    for version, missing, fine in (
        (2, "note_shared", True),
        (3, "note_shared", False),
        (1, "excused_weeks", True),
        (2, "excused_weeks", False),
    ):
        export = json.loads(json.dumps(small)) | {"version": version}
        if missing == "note_shared":
            del export["contacts"][1]["note_shared"]
        else:
            del export["excused_weeks"]
        assert (assert_agrees(export) == "fine") is fine, (version, missing)


def test_a_tuple_is_read_as_the_list_it_holds(small: dict[str, Any]) -> None:
    """Only the Python API can pass values json.loads never makes; jsonschema-rs reads a tuple
    as an array, and the import stores it as the list it is."""
    export = json.loads(json.dumps(small))
    export["groups"][0]["tags"] = ("a", "b")
    assert outcome(export) == "fine"


# --- the quick walk for values JSON can't hold -------------------------------------------------

ODD = st.sampled_from(["ok", "caf\u00e9", "\ud800", "a\udfffb", float("nan"), float("inf"), 1.5])
NESTED = st.recursive(
    st.none() | st.integers() | ODD,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(st.sampled_from(["k", "\ud83d", "\u00e9"]) | st.integers(0, 2), inner)
    ),
    max_leaves=8,
)


def deep(depth: int, inside: object) -> object:
    for _ in range(depth):
        inside = [inside]
    return inside


def refusal(value: object, *, quick: bool) -> str | None:
    patch = mock.patch.object(transfer_module, "_nothing_to_refuse", lambda value: False)
    try:
        if quick:
            transfer_module._check_values(value, "f.json")
        else:
            with patch:
                transfer_module._check_values(value, "f.json")
    except ImportRefused as error:
        return str(error)
    return None


@settings(max_examples=200, deadline=None)
@given(value=NESTED, depth=st.integers(0, 34))
def test_the_quick_walk_refuses_exactly_what_the_full_walk_does(value: object, depth: int) -> None:
    nested = deep(depth, value)
    assert refusal(nested, quick=True) == refusal(nested, quick=False)
    assert transfer_module._nothing_to_refuse(nested) == (refusal(nested, quick=False) is None)


def test_the_heavy_export_has_nothing_to_refuse(heavy: tuple[Store, str]) -> None:
    source, _ = heavy
    data = export_journal(source)
    assert transfer_module._nothing_to_refuse(data)
    data["people"][-1]["notes"] = "\ud800"
    assert not transfer_module._nothing_to_refuse(data)
    assert check_export(json.loads(heavy[1])) == json.loads(heavy[1])

"""Issue 6, "share with my mentor": the note_shared flag on every note, from the m003 migration
through the models, the store, export and import, to the checkbox in the entry forms.

Notes are private by default, and a private note must never come out of ``shared_notes()``.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import uuid as uuid_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pilot import SMALL, TODAY, press, settle
from textual.widgets import Checkbox, TextArea

from tracker.app import create_app
from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.errors import InvalidField, NotFound
from tracker.screens.forms import FormScreen
from tracker.store import Store, schema
from tracker.store.connection import connect
from tracker.store.transfer import (
    FORMAT_VERSION,
    ImportRefused,
    check_export,
    export_journal,
    export_json_text,
    import_journal,
)

NOTE_TABLES = ("groups", "attendance", "people", "contacts", "service", "fit_ratings")
NOTE_COLUMN = {
    "groups": "notes",
    "attendance": "note",
    "people": "notes",
    "contacts": "note",
    "service": "note",
    "fit_ratings": "note",
}


class Settable:
    """A clock source that stays where a test puts it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def open_store(path: Path | str, clock: Clock | None = None) -> Store:
    return Store.open(path, clock=clock or Clock.fixed(TODAY))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


def scores(group_id: int, day: date, note: str = "", note_shared: bool = False) -> FitFields:
    return FitFields(
        group_id=group_id,
        date=day,
        welcome=4,
        relevance=4,
        format_comfort=3,
        practical=5,
        would_return=4,
        note=note,
        note_shared=note_shared,
    )


def _stamps() -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "created_at": "2026-11-01T12:00:00Z",
        "updated_at": "2026-11-01T12:00:00Z",
    }


def _raw_insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    row = {**_stamps(), **values}
    conn.execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


# --- the six areas, each with a way to add, update and read an entry with a note --------------


@dataclass(frozen=True)
class Area:
    table: str
    add: Callable[[Store, str, bool], Any]  # (store, note, note_shared) -> record
    update: Callable[[Store, Any, str, bool], Any]
    get: Callable[[Store, int], Any]


def _with_note(fields: Any, note: str, shared: bool) -> Any:
    import dataclasses

    name = "notes" if hasattr(fields, "notes") else "note"
    return dataclasses.replace(fields, **{name: note, "note_shared": shared})


def _unique(prefix: str) -> str:
    return f"{prefix} {uuid_module.uuid4().hex[:8]}"


def _group_id(store: Store) -> int:
    groups = store.list_groups()
    return groups[0].id if groups else store.add_group(GroupFields(name="NA Downtown")).id


def _person_id(store: Store) -> int:
    people = store.list_people()
    return people[0].id if people else store.add_person(PersonFields(alias="Sam")).id


DAY = date(2026, 11, 20)

AREAS = [
    Area(
        "groups",
        lambda s, n, f: s.add_group(GroupFields(name=_unique("Group"), notes=n, note_shared=f)),
        lambda s, r, n, f: s.update_group(r.id, _with_note(r.fields, n, f)),
        lambda s, i: s.get_group(i),
    ),
    Area(
        "attendance",
        lambda s, n, f: s.log_attendance(
            AttendanceFields(group_id=_group_id(s), date=DAY, note=n, note_shared=f)
        ),
        lambda s, r, n, f: s.update_attendance(r.id, _with_note(r.fields, n, f)),
        lambda s, i: s.get_attendance(i),
    ),
    Area(
        "people",
        lambda s, n, f: s.add_person(PersonFields(alias=_unique("Jo"), notes=n, note_shared=f)),
        lambda s, r, n, f: s.update_person(r.id, _with_note(r.fields, n, f)),
        lambda s, i: s.get_person(i),
    ),
    Area(
        "contacts",
        lambda s, n, f: s.log_contact(
            ContactFields(person_id=_person_id(s), date=DAY, note=n, note_shared=f)
        ),
        lambda s, r, n, f: s.update_contact(r.id, _with_note(r.fields, n, f)),
        lambda s, i: s.get_contact(i),
    ),
    Area(
        "service",
        lambda s, n, f: s.add_service(
            ServiceFields(date=DAY, kind="coffee", note=n, note_shared=f)
        ),
        lambda s, r, n, f: s.update_service(r.id, _with_note(r.fields, n, f)),
        lambda s, i: s.get_service(i),
    ),
    Area(
        "fit_ratings",
        lambda s, n, f: s.add_rating(scores(_group_id(s), DAY, n, f)),
        lambda s, r, n, f: s.update_rating(r.id, _with_note(r.fields, n, f)),
        lambda s, i: s.get_rating(i),
    ),
]


def stored_flag(store: Store, table: str, row_id: int) -> Any:
    return store.db.execute(f"SELECT note_shared FROM {table} WHERE id = ?", [row_id]).fetchone()[0]


# --- the migration ------------------------------------------------------------------------------


def test_a_new_journal_has_the_flag_on_all_six_tables_and_nowhere_else(store: Store) -> None:
    assert "m003_shareable_notes" in [m.name for m in schema.migrations.applied(store.db)]
    for table in store.db.table_names():
        assert ("note_shared" in store.db[table].columns_dict) == (table in NOTE_TABLES), table
    assert set(schema.NOTE_COLUMNS) == set(NOTE_TABLES) == set(schema.JOURNAL_TABLES)


def test_a_journal_made_at_m002_is_upgraded_with_every_note_private(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    schema.migrations.apply(db, stop_before="m003_shareable_notes")
    assert [m.name for m in schema.migrations.applied(db)] == ["m001_journal", "m002_engagement"]
    assert "note_shared" not in db["groups"].columns_dict
    conn = db.conn
    _raw_insert(
        conn,
        "groups",
        {
            "id": 1,
            "name": "NA Downtown",
            "pillar": "peer",
            "format": "in-person",
            "status": "regular",
            "notes": "Friendly crowd",
        },
    )
    _raw_insert(
        conn,
        "people",
        {"id": 1, "alias": "Sam", "role": "sponsor", "notes": "Call after 6"},
    )
    _raw_insert(
        conn, "attendance", {"group_id": 1, "date": "2026-11-17", "note": "Spoke about step one"}
    )
    _raw_insert(
        conn,
        "contacts",
        {"person_id": 1, "date": "2026-11-18", "method": "call", "note": "Good talk"},
    )
    _raw_insert(conn, "service", {"date": "2026-11-19", "kind": "coffee", "note": "Made coffee"})
    _raw_insert(
        conn,
        "fit_ratings",
        {
            "group_id": 1,
            "date": "2026-11-17",
            "welcome": 5,
            "relevance": 4,
            "format_comfort": 4,
            "practical": 3,
            "would_return": 5,
            "note": "Felt at home",
        },
    )
    conn.commit()
    before = {table: list(db.query(f"SELECT * FROM {table}")) for table in NOTE_TABLES}
    db.close()

    store = open_store(path)
    assert [m.name for m in schema.migrations.applied(store.db)][:3] == [
        "m001_journal",
        "m002_engagement",
        "m003_shareable_notes",
    ]
    for table, rows in before.items():
        after = list(store.db.query(f"SELECT * FROM {table}"))
        assert len(after) == len(rows) == 1, table
        assert {name: after[0][name] for name in rows[0]} == rows[0], table
        assert after[0]["note_shared"] == 0, table
    # Read through the store: every note is there, and private.
    assert store.get_group(1).notes == "Friendly crowd" and not store.get_group(1).note_shared
    assert not store.get_person(1).note_shared
    assert [a.note_shared for a in store.list_attendance()] == [False]
    assert [c.note_shared for c in store.list_contacts()] == [False]
    assert [s.note_shared for s in store.list_service()] == [False]
    assert [r.note_shared for r in store.list_ratings()] == [False]
    assert store.shared_notes(date(1900, 1, 1), date(2100, 1, 1)) == []
    # And the upgraded journal can share from now on.
    store.set_note_shared("attendance", store.list_attendance()[0].id, True)
    assert store.shared_notes(date(2026, 11, 1), TODAY) == [
        (date(2026, 11, 17), "meeting", "NA Downtown", "Spoke about step one")
    ]
    store.close()


@pytest.mark.parametrize("table", NOTE_TABLES)
def test_the_sql_refuses_any_flag_but_0_or_1(store: Store, table: str) -> None:
    area = next(a for a in AREAS if a.table == table)
    record = area.add(store, "a note", False)
    conn = store.db.conn
    conn.execute(f"UPDATE {table} SET note_shared = 1 WHERE id = ?", [record.id])  # the control
    assert stored_flag(store, table, record.id) == 1
    for bad in (2, -1, None, "yes", 0.5):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(f"UPDATE {table} SET note_shared = ? WHERE id = ?", [bad, record.id])
    assert stored_flag(store, table, record.id) == 1


# --- models and the CRUD of each area -----------------------------------------------------------


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.table)
def test_each_area_keeps_the_flag_through_add_update_and_get(store: Store, area: Area) -> None:
    private = area.add(store, "Just for me", False)
    assert private.note_shared is False
    assert stored_flag(store, area.table, private.id) == 0

    shared = area.update(store, private, "Just for me", True)
    assert shared.note_shared is True
    assert area.get(store, private.id).note_shared is True
    assert stored_flag(store, area.table, private.id) == 1

    # Editing something else keeps the choice: the record's fields carry the flag.
    edited = area.update(store, shared, "Something to talk through", True)
    assert area.get(store, private.id).note_shared is True
    assert stored_flag(store, area.table, private.id) == 1

    again = area.update(store, edited, "Something to talk through", False)
    assert again.note_shared is False
    assert area.get(store, private.id).note_shared is False

    added_shared = area.add(store, "Share this one", True)
    assert area.get(store, added_shared.id).note_shared is True
    assert stored_flag(store, area.table, added_shared.id) == 1
    assert area.get(store, private.id).note_shared is False


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.table)
def test_an_empty_note_is_never_stored_as_shared(store: Store, area: Area) -> None:
    record = area.add(store, "   \n ", True)
    assert record.note_shared is False
    assert stored_flag(store, area.table, record.id) == 0
    # Clearing the note of a shared entry makes it private too.
    shared = area.update(store, record, "Worth sharing", True)
    assert shared.note_shared is True
    cleared = area.update(store, shared, "", True)
    assert cleared.note_shared is False
    assert stored_flag(store, area.table, record.id) == 0


FIELDS_WITH_NOTES: list[Callable[[str, Any], Any]] = [
    lambda n, f: GroupFields(name="G", notes=n, note_shared=f),
    lambda n, f: AttendanceFields(group_id=1, date=DAY, note=n, note_shared=f),
    lambda n, f: PersonFields(alias="P", notes=n, note_shared=f),
    lambda n, f: ContactFields(person_id=1, date=DAY, note=n, note_shared=f),
    lambda n, f: ServiceFields(date=DAY, note=n, note_shared=f),
    lambda n, f: scores(1, DAY, n, f),
]

NOTE_TEXT = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=30)


@given(
    make=st.sampled_from(FIELDS_WITH_NOTES),
    note=NOTE_TEXT | st.sampled_from(["", " ", "\n\n", " \t "]),
    shared=st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_validated_shares_exactly_when_asked_and_there_is_a_note(
    make: Callable[[str, Any], Any], note: str, shared: bool
) -> None:
    clean = make(note, shared).validated()
    assert clean.note_shared is (shared and note.strip() != "")
    assert make(note, False).validated().note_shared is False  # private by default, always


@pytest.mark.parametrize("make", FIELDS_WITH_NOTES)
@pytest.mark.parametrize("bad", [1, 0, "yes", "false", None])
def test_a_flag_that_is_not_a_bool_is_refused(make: Callable[[str, Any], Any], bad: Any) -> None:
    with pytest.raises(InvalidField) as caught:
        make("A note", bad).validated()
    assert caught.value.field == "note_shared"


def test_the_flag_is_off_unless_given() -> None:
    assert GroupFields(name="G").note_shared is False
    assert AttendanceFields(group_id=1, date=DAY).note_shared is False
    assert PersonFields(alias="P").note_shared is False
    assert ContactFields(person_id=1, date=DAY).note_shared is False
    assert ServiceFields(date=DAY).note_shared is False
    assert scores(1, DAY).note_shared is False


# --- shared_notes() -----------------------------------------------------------------------------


def test_shared_notes_lists_the_shared_ones_in_the_period_oldest_first(tmp_path: Path) -> None:
    source = Settable(noon(date(2026, 10, 1)))
    store = open_store(tmp_path / "j.db", Clock(now=source))
    na = store.add_group(GroupFields(name="NA Downtown")).id
    smart = store.add_group(GroupFields(name="SMART Online")).id
    sam = store.add_person(PersonFields(alias="Sam")).id
    source.moment = noon(TODAY)

    # Shared, inside the period (Nov 1 - Nov 20):
    store.log_attendance(
        AttendanceFields(
            group_id=na,
            date=date(2026, 11, 5),
            time=time(19, 0),
            note="Evening one",
            note_shared=True,
        )
    )
    store.log_attendance(
        AttendanceFields(
            group_id=smart,
            date=date(2026, 11, 5),
            time=time(9, 0),
            note="Morning one",
            note_shared=True,
        )
    )
    store.log_contact(
        ContactFields(person_id=sam, date=date(2026, 11, 5), note="Called Sam", note_shared=True)
    )
    store.add_service(
        ServiceFields(date=date(2026, 11, 1), kind="greeter", note="Greeted", note_shared=True)
    )
    store.add_rating(scores(smart, date(2026, 11, 20), "Fits well", True))
    # Private, or outside the period, or with no note: never listed.
    store.log_attendance(
        AttendanceFields(group_id=na, date=date(2026, 11, 6), note="Private thought")
    )
    store.log_contact(
        ContactFields(person_id=sam, date=date(2026, 10, 31), note="Too early", note_shared=True)
    )
    store.add_rating(scores(na, date(2026, 11, 21), "Too late", True))
    store.add_service(ServiceFields(date=date(2026, 11, 2), kind="coffee", note_shared=True))
    # A group's and a person's notes take the day they were last changed.
    source.moment = noon(date(2026, 11, 10))
    store.update_group(na, GroupFields(name="NA Downtown", notes="My home group", note_shared=True))
    store.update_person(sam, PersonFields(alias="Sam", notes="Sponsor since May", note_shared=True))
    source.moment = noon(date(2026, 11, 12))
    store.update_group(smart, GroupFields(name="SMART Online", notes="Private about SMART"))

    notes = store.shared_notes(date(2026, 11, 1), date(2026, 11, 20))
    assert notes == [
        (date(2026, 11, 1), "service", "greeter", "Greeted"),
        (date(2026, 11, 5), "meeting", "SMART Online", "Morning one"),
        (date(2026, 11, 5), "meeting", "NA Downtown", "Evening one"),
        (date(2026, 11, 5), "contact", "Sam", "Called Sam"),
        (date(2026, 11, 10), "group", "NA Downtown", "My home group"),
        (date(2026, 11, 10), "person", "Sam", "Sponsor since May"),
        (date(2026, 11, 20), "rating", "SMART Online", "Fits well"),
    ]
    # The ends of the period are included; a period of one day has that day's notes. Shared
    # notes about a group or a person belong to every review.
    timeless = notes[4:6]
    assert store.shared_notes(date(2026, 11, 20), date(2026, 11, 20)) == [*timeless, notes[-1]]
    assert store.shared_notes(date(2026, 11, 21), date(2026, 11, 30)) == [
        *timeless,
        (date(2026, 11, 21), "rating", "NA Downtown", "Too late"),
    ]
    # Before the day it was last changed, a group's note takes the period's last day.
    assert store.shared_notes(date(2026, 10, 1), date(2026, 10, 31)) == [
        (date(2026, 10, 31), "contact", "Sam", "Too early"),
        (date(2026, 10, 31), "group", "NA Downtown", "My home group"),
        (date(2026, 10, 31), "person", "Sam", "Sponsor since May"),
    ]
    assert store.shared_notes(date(2026, 11, 20), date(2026, 11, 1)) == []
    with pytest.raises(InvalidField):
        store.shared_notes("2026-11-01", date(2026, 11, 20))  # type: ignore[arg-type]
    store.close()


def test_a_group_note_day_is_the_utc_date_of_its_last_change(tmp_path: Path) -> None:
    # 21:30 on Nov 9 in New York is 02:30 on Nov 10 in UTC.
    evening = datetime(2026, 11, 9, 21, 30, tzinfo=timezone(timedelta(hours=-5)))
    store = open_store(tmp_path / "j.db", Clock(now=Settable(evening)))
    store.add_group(GroupFields(name="Recovery Dharma", notes="Calm", note_shared=True))
    # In every review; dated by the last change (UTC), or the period's end if that is earlier.
    assert store.shared_notes(date(2026, 11, 9), date(2026, 11, 9)) == [
        (date(2026, 11, 9), "group", "Recovery Dharma", "Calm")
    ]
    assert store.shared_notes(date(2026, 11, 10), date(2026, 12, 10)) == [
        (date(2026, 11, 10), "group", "Recovery Dharma", "Calm")
    ]
    store.close()


KINDS = ("meeting", "contact", "service", "rating", "group", "person")

entries = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
        st.booleans(),  # shared?
        st.booleans(),  # has a note?
    ),
    max_size=25,
)
periods = st.tuples(
    st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 1, 31)),
    st.integers(min_value=0, max_value=400),
)


@given(entries=entries, period=periods)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_shared_notes_is_exactly_the_shared_set_and_never_a_private_note(
    entries: list[tuple[str, date, bool, bool]], period: tuple[date, int]
) -> None:
    source = Settable(noon(date(2026, 1, 1)))
    store = open_store(":memory:", Clock(now=source))
    base = store.add_group(GroupFields(name="Base group")).id
    person = store.add_person(PersonFields(alias="Base person")).id
    expected: list[tuple[date, str, str, str]] = []
    private: set[str] = set()
    for number, (kind, day, shared, has_note) in enumerate(entries):
        note = f"note {number}" if has_note else ""
        source.moment = noon(day)  # the day a group or person note takes
        if kind == "meeting":
            store.log_attendance(
                AttendanceFields(group_id=base, date=day, note=note, note_shared=shared)
            )
            about = "Base group"
        elif kind == "contact":
            store.log_contact(
                ContactFields(person_id=person, date=day, note=note, note_shared=shared)
            )
            about = "Base person"
        elif kind == "service":
            store.add_service(ServiceFields(date=day, kind="chair", note=note, note_shared=shared))
            about = "chair"
        elif kind == "rating":
            store.add_rating(scores(base, day, note, shared))
            about = "Base group"
        elif kind == "group":
            about = f"Group {number}"
            store.add_group(GroupFields(name=about, notes=note, note_shared=shared))
        else:
            about = f"Person {number}"
            store.add_person(PersonFields(alias=about, notes=note, note_shared=shared))
        if shared and has_note:
            expected.append((day, kind, about, note))
        elif has_note:
            private.add(note)

    start, length = period
    end = start + timedelta(days=length)
    result = store.shared_notes(start, end)
    # Notes about a group or a person belong to every review, dated no later than its end.
    wanted = [
        (min(day, end), kind, about, text) if kind in ("group", "person") else entry
        for entry in expected
        for day, kind, about, text in [entry]
        if kind in ("group", "person") or start <= day <= end
    ]
    assert sorted(result) == sorted(wanted)
    assert [entry[0] for entry in result] == sorted(entry[0] for entry in result)
    assert not {text for _day, _kind, _about, text in result} & private
    assert store.shared_notes(date(1900, 1, 1), date(2100, 1, 1)).__len__() == len(expected)
    store.close()


# --- set_note_shared() --------------------------------------------------------------------------


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.table)
def test_set_note_shared_toggles_one_entry(tmp_path: Path, area: Area) -> None:
    source = Settable(noon(date(2026, 11, 21)))
    store = open_store(tmp_path / "j.db", Clock(now=source))
    record = area.add(store, "Talk this through", False)
    other = area.add(store, "Keep private", False)
    source.moment = noon(date(2026, 11, 22))

    store.set_note_shared(area.table, record.id, True)
    after = area.get(store, record.id)
    assert after.note_shared is True
    assert after.updated_at == "2026-11-22T12:00:00Z"  # a change like any other
    assert after.uuid == record.uuid
    assert area.get(store, other.id).note_shared is False
    assert [text for *_rest, text in store.shared_notes(date(2026, 11, 1), TODAY)] == [
        "Talk this through"
    ]

    store.set_note_shared(area.table, record.id, False)
    assert area.get(store, record.id).note_shared is False
    assert store.shared_notes(date(2026, 11, 1), TODAY) == []
    store.close()


def test_set_note_shared_refuses_what_it_cannot_do(store: Store) -> None:
    group = store.add_group(GroupFields(name="NA Downtown"))  # no notes
    for table in ("settings", "excused_weeks", "suggestion_feedback", "groups; DROP TABLE x", ""):
        with pytest.raises(InvalidField):
            store.set_note_shared(table, group.id, True)
    with pytest.raises(InvalidField, match="no note to share"):
        store.set_note_shared("groups", group.id, True)
    with pytest.raises(InvalidField):
        store.set_note_shared("groups", group.id, 1)  # type: ignore[arg-type]
    store.set_note_shared("groups", group.id, False)  # private stays private: fine
    assert stored_flag(store, "groups", group.id) == 0
    for table in NOTE_TABLES:
        with pytest.raises(NotFound):
            store.set_note_shared(table, 999, False)


# --- export and import --------------------------------------------------------------------------


def fill(store: Store) -> dict[str, bool]:
    """One shared and one private note in each area; returns {note: shared}."""
    flags: dict[str, bool] = {}
    for area in AREAS:
        for shared in (True, False):
            note = f"{area.table} {'shared' if shared else 'private'}"
            area.add(store, note, shared)
            flags[note] = shared
    return flags


def flags_in(data: dict[str, Any]) -> dict[str, bool]:
    return {
        row[NOTE_COLUMN[table]]: row["note_shared"]
        for table in NOTE_TABLES
        for row in data[table]
        if row[NOTE_COLUMN[table]]
    }


def test_export_carries_the_flags_and_round_trips_byte_identical(
    tmp_path: Path, store: Store
) -> None:
    flags = fill(store)
    text = export_json_text(store)
    data = json.loads(text)
    assert data["version"] == FORMAT_VERSION == 3
    for table in NOTE_TABLES:
        assert data[table], table
        assert all(isinstance(row["note_shared"], bool) for row in data[table]), table
    assert flags_in(data) == flags

    target = open_store(tmp_path / "copy.db")
    import_journal(target, json.loads(text))
    assert export_json_text(target) == text
    assert sorted(target.shared_notes(date(1900, 1, 1), TODAY)) == sorted(
        store.shared_notes(date(1900, 1, 1), TODAY)
    )
    assert len(target.shared_notes(date(1900, 1, 1), TODAY)) == 6
    target.close()


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_export_imports_with_every_note_private(
    tmp_path: Path, store: Store, version: int
) -> None:
    fill(store)
    data = export_journal(store)
    data["version"] = version
    for table in NOTE_TABLES:
        for row in data[table]:
            del row["note_shared"]
    if version == 1:
        del data["excused_weeks"], data["suggestion_feedback"]
    check_export(data)

    target = open_store(tmp_path / "old.db")
    counts = import_journal(target, data)
    assert counts == dict.fromkeys(NOTE_TABLES, 2)
    exported = export_journal(target)
    assert set(flags_in(exported).values()) == {False}
    assert len(flags_in(exported)) == 12  # every note arrived
    assert target.shared_notes(date(1900, 1, 1), TODAY) == []
    target.close()


def test_an_older_export_that_claims_a_shared_note_still_imports_it_as_private(
    tmp_path: Path, store: Store
) -> None:
    """Only a version-3 file can mark a note shared; in an older one the key can't be trusted."""
    fill(store)
    data = export_journal(store)
    data["version"] = 2
    original = copy.deepcopy(data)
    target = open_store(tmp_path / "old.db")
    import_journal(target, data)
    assert data == original  # the caller's data is left as it was
    assert target.shared_notes(date(1900, 1, 1), TODAY) == []
    target.close()


def test_a_version_3_export_must_say_whether_each_note_is_shared(store: Store) -> None:
    fill(store)
    for table in NOTE_TABLES:
        data = export_journal(store)
        del data[table][0]["note_shared"]
        with pytest.raises(ImportRefused, match=table) as caught:
            check_export(data, "x.json")
        assert "note_shared" in str(caught.value)
    data = export_journal(store)
    data["attendance"][0]["note_shared"] = "yes"
    with pytest.raises(ImportRefused, match="attendance/0/note_shared"):
        check_export(data, "x.json")


def test_an_imported_shared_flag_on_an_empty_note_is_dropped(tmp_path: Path, store: Store) -> None:
    na = store.add_group(GroupFields(name="NA Downtown")).id
    store.log_attendance(AttendanceFields(group_id=na, date=DAY))
    data = export_journal(store)
    data["attendance"][0]["note_shared"] = True
    target = open_store(tmp_path / "t.db")
    import_journal(target, data)
    assert [a.note_shared for a in target.list_attendance()] == [False]
    target.close()


# --- the forms ----------------------------------------------------------------------------------


async def test_log_a_meeting_with_a_shared_note_through_the_form(tmp_path: Path) -> None:
    db_path = tmp_path / "journal.db"
    setup = open_store(db_path)
    gid = setup.add_group(GroupFields(name="NA Downtown", status="home-group")).id
    setup.close()
    app = create_app(db_path=db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "3", "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        names = [spec.name for spec in form.fields]
        assert names.index("note_shared") == names.index("note") + 1
        box = form.query_one("#input-note_shared", Checkbox)
        assert box.value is False  # private unless ticked
        note = form.query_one("#input-note", TextArea)
        note.focus()
        await settle(pilot)
        await pilot.press(*"Ask Sam about service")
        await press(pilot, "tab")
        assert form.focused is box
        await press(pilot, "space")
        assert box.value is True
        await press(pilot, "ctrl+s")
        (entry,) = app.store.list_attendance()
        assert (entry.group_id, entry.note, entry.note_shared) == (
            gid,
            "Ask Sam about service",
            True,
        )
        assert app.store.shared_notes(TODAY, TODAY) == [
            (TODAY, "meeting", "NA Downtown", "Ask Sam about service")
        ]

        # Editing shows the box ticked; unticking makes the note private again.
        await press(pilot, "e")
        box = app.screen.query_one("#input-note_shared", Checkbox)
        assert box.value is True
        box.focus()
        await press(pilot, "space", "ctrl+s")
        assert app.store.get_attendance(entry.id).note_shared is False
        assert app.store.shared_notes(TODAY, TODAY) == []


async def test_every_entry_form_has_the_share_box_right_after_its_note(tmp_path: Path) -> None:
    db_path = tmp_path / "journal.db"
    setup = open_store(db_path)
    setup.add_group(GroupFields(name="NA Downtown"))
    setup.add_person(PersonFields(alias="Sam"))
    setup.close()
    app = create_app(db_path=db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for keys, note in (
            (("2", "n"), "notes"),
            (("3", "a"), "note"),
            (("4", "a"), "notes"),
            (("4", "c"), "note"),
            (("5", "a"), "note"),
            (("6", "a"), "note"),
        ):
            await press(pilot, *keys)
            form = app.screen
            assert isinstance(form, FormScreen), keys
            names = [spec.name for spec in form.fields]
            assert names.index("note_shared") == names.index(note) + 1, keys
            share = form.fields[names.index("note_shared")]
            assert (share.label, share.kind) == ("Share note", "flag")
            assert "private unless you tick this" in share.help
            assert form.query_one("#input-note_shared", Checkbox).value is False, keys
            await press(pilot, "escape")

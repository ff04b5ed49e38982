"""The search index and the timeline in the store (tracker/store/search.py, migration m004):
the index stays in step with every write, queries and filters find the right entries, the
timeline pages through everything exactly once, and the index keeps the journal's promises
(encrypted with it, no trace of deleted words, built for journals made before it existed)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.domain.search import Found, parse_query, strip_marks
from tracker.errors import InvalidField
from tracker.store import Store, schema
from tracker.store.search import cursor_after
from tracker.store.transfer import export_journal, import_journal
from tracker.timeline_data import milestones, with_milestones

TODAY = date(2026, 11, 26)
FIXTURES = Path(__file__).parent / "fixtures" / "schemas"


def open_store(path: Path | str, passphrase: str | None = None) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "journal.db")
    yield s
    s.close()


def rating(group_id: int, day: date, note: str = "", score: int = 4) -> FitFields:
    return FitFields(
        group_id=group_id,
        date=day,
        welcome=score,
        relevance=score,
        format_comfort=score,
        practical=score,
        would_return=score,
        note=note,
    )


class Journal:
    """A small journal with one of everything, and notes we can look for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.smart = store.add_group(
            GroupFields(name="Thursday SMART", notes="Worksheet on cravings; cameras optional.")
        )
        self.na = store.add_group(GroupFields(name="NA Downtown", notes="Coffee after, upstairs."))
        self.sam = store.add_person(PersonFields(alias="Sam", role="sponsor", notes="Early riser"))
        self.jo = store.add_person(PersonFields(alias="Jo", role="mentor"))
        self.first = store.log_attendance(
            AttendanceFields(
                group_id=self.smart.id,
                date=date(2026, 3, 5),
                shared=True,
                note="First time I shared. Hands shaking, but people were kind.",
            )
        )
        self.later = store.log_attendance(
            AttendanceFields(
                group_id=self.smart.id, date=date(2026, 4, 2), note="Quieter meeting tonight."
            )
        )
        self.na_meeting = store.log_attendance(
            AttendanceFields(
                group_id=self.na.id, date=date(2025, 12, 1), note="Meetings feel long sometimes."
            )
        )
        self.call = store.log_contact(
            ContactFields(
                person_id=self.sam.id,
                date=date(2026, 3, 10),
                method="call",
                note="Talked about the first time sharing.",
            )
        )
        self.call2 = store.log_contact(
            ContactFields(
                person_id=self.sam.id, date=date(2026, 3, 24), method="call", note="Short check-in."
            )
        )
        self.text = store.log_contact(
            ContactFields(
                person_id=self.jo.id, date=date(2026, 3, 12), method="text", note="Coffee plans."
            )
        )
        self.service = store.add_service(
            ServiceFields(
                date=date(2026, 5, 1), kind="coffee", group_id=self.na.id, note="Made the coffee."
            )
        )
        self.rating = store.add_rating(
            rating(self.smart.id, date(2026, 3, 6), note="Welcoming; felt at home.")
        )


@pytest.fixture
def journal(store: Store) -> Journal:
    return Journal(store)


def search(store: Store, text: str, **kw: object) -> list[Found]:
    return list(store.search(parse_query(text, today=TODAY), **kw).found)  # type: ignore[arg-type]


def keys(found: list[Found]) -> list[tuple[str, int]]:
    return [(f.kind, f.id) for f in found]


# --- the index stays in step --------------------------------------------------------------------

Area = tuple[
    str,
    Callable[[Journal, str], int],  # add an entry with this note; its id
    Callable[[Journal, int, str], None],  # change its note
    Callable[[Journal, int], None],  # delete it
]


def _attendance(j: Journal, note: str) -> int:
    return j.store.log_attendance(
        AttendanceFields(group_id=j.na.id, date=date(2026, 6, 1), note=note)
    ).id


def _contact(j: Journal, note: str) -> int:
    return j.store.log_contact(
        ContactFields(person_id=j.jo.id, date=date(2026, 6, 1), note=note)
    ).id


def _service(j: Journal, note: str) -> int:
    return j.store.add_service(ServiceFields(date=date(2026, 6, 1), note=note)).id


def _rating(j: Journal, note: str) -> int:
    return j.store.add_rating(rating(j.na.id, date(2026, 6, 1), note=note)).id


def _group(j: Journal, note: str) -> int:
    return j.store.add_group(GroupFields(name="Saturday Walk", notes=note)).id


def _person(j: Journal, note: str) -> int:
    return j.store.add_person(PersonFields(alias="Riley", role="friend", notes=note)).id


AREAS: list[Area] = [
    (
        "attendance",
        _attendance,
        lambda j, i, n: j.store.update_attendance(
            i, replace(j.store.get_attendance(i).fields, note=n)
        ),
        lambda j, i: j.store.delete_attendance(i),
    ),
    (
        "contact",
        _contact,
        lambda j, i, n: j.store.update_contact(i, replace(j.store.get_contact(i).fields, note=n)),
        lambda j, i: j.store.delete_contact(i),
    ),
    (
        "service",
        _service,
        lambda j, i, n: j.store.update_service(i, replace(j.store.get_service(i).fields, note=n)),
        lambda j, i: j.store.delete_service(i),
    ),
    (
        "rating",
        _rating,
        lambda j, i, n: j.store.update_rating(i, replace(j.store.get_rating(i).fields, note=n)),
        lambda j, i: j.store.delete_rating(i),
    ),
    (
        "group",
        _group,
        lambda j, i, n: j.store.update_group(i, replace(j.store.get_group(i).fields, notes=n)),
        lambda j, i: j.store.delete_group(i),
    ),
    (
        "person",
        _person,
        lambda j, i, n: j.store.update_person(i, replace(j.store.get_person(i).fields, notes=n)),
        lambda j, i: j.store.delete_person(i),
    ),
]


@pytest.mark.parametrize("area", AREAS, ids=[a[0] for a in AREAS])
def test_the_index_follows_an_insert_an_edit_and_a_delete(journal: Journal, area: Area) -> None:
    kind, add, edit, delete = area
    entry = add(journal, "A tangerine on the windowsill")
    assert keys(search(journal.store, "tangerine")) == [(kind, entry)]
    edit(journal, entry, "A pomegranate instead")
    assert search(journal.store, "tangerine") == []
    assert keys(search(journal.store, "pomegranate")) == [(kind, entry)]
    delete(journal, entry)
    assert search(journal.store, "pomegranate") == []
    # The rest of the journal is still found.
    assert ("attendance", journal.first.id) in keys(search(journal.store, "shared"))
    db = journal.store.db
    for table, (index, _columns) in schema.SEARCH_INDEXES.items():
        db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        assert (
            db.execute(f"SELECT count(*) FROM {index}").fetchone()[0]
            == db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        )


def test_names_and_aliases_are_found_and_renamed(journal: Journal) -> None:
    assert keys(search(journal.store, "smart")) == [("group", journal.smart.id)]
    found = search(journal.store, "sam")[0]
    assert (found.kind, found.id) == ("person", journal.sam.id)
    assert "sponsor" in found.detail.lower() and "2 contacts" in found.detail
    journal.store.update_group(
        journal.smart.id, replace(journal.smart.fields, name="Thursday Recovery")
    )
    assert search(journal.store, "smart") == []
    assert keys(search(journal.store, "recovery")) == [("group", journal.smart.id)]


def test_a_group_result_answers_when_i_first_went(journal: Journal) -> None:
    (found,) = search(journal.store, '"thursday smart"')
    assert found.kind == "group"
    assert "first went 5 Mar 2026" in found.detail
    assert "2 meetings" in found.detail


def test_many_rows_written_at_once_are_indexed(store: Store) -> None:
    group = store.add_group(GroupFields(name="Morning Circle"))
    with store.atomic():
        for n in range(200):
            store.log_attendance(
                AttendanceFields(
                    group_id=group.id,
                    date=date(2026, 1, 1) + timedelta(days=n),
                    note=f"entry number{n} daisy",
                )
            )
    assert store.search(parse_query("daisy", today=TODAY)).total == 200
    assert len(search(store, "number17")) == 1


# --- queries ------------------------------------------------------------------------------------


def test_words_prefixes_phrases_and_stems(journal: Journal) -> None:
    store = journal.store
    # "shar*" finds shared and sharing; stemming finds "shared" for "share" too.
    assert set(keys(search(store, "shar*"))) == {
        ("attendance", journal.first.id),
        ("contact", journal.call.id),
    }
    assert set(keys(search(store, "share"))) == set(keys(search(store, "shar*")))
    assert set(keys(search(store, '"first time"'))) == {
        ("attendance", journal.first.id),
        ("contact", journal.call.id),
    }
    # The words of a phrase apart, or the other way round, are not the phrase.
    assert search(store, '"time first"') == []
    assert keys(search(store, "meeting")) == [
        ("attendance", journal.later.id),
        ("attendance", journal.na_meeting.id),
    ] or set(keys(search(store, "meeting"))) == {
        ("attendance", journal.later.id),
        ("attendance", journal.na_meeting.id),
    }
    assert set(keys(search(store, "coffee -made"))) == {
        ("group", journal.na.id),
        ("contact", journal.text.id),
    }
    assert set(keys(search(store, "cravings OR welcoming"))) == {
        ("group", journal.smart.id),
        ("rating", journal.rating.id),
    }


def test_accents_and_case_do_not_matter(store: Store) -> None:
    group = store.add_group(GroupFields(name="Café Circle", notes="Très BIEN"))
    assert keys(search(store, "cafe")) == [("group", group.id)]
    assert keys(search(store, "tres bien")) == [("group", group.id)]


def test_better_matches_come_first(store: Store) -> None:
    group = store.add_group(GroupFields(name="Circle"))
    once = store.log_attendance(
        AttendanceFields(group_id=group.id, date=date(2026, 5, 1), note="hope and then more words")
    )
    twice = store.log_attendance(
        AttendanceFields(group_id=group.id, date=date(2026, 4, 1), note="hope and then more hope")
    )
    found = search(store, "hope")
    assert keys(found) == [("attendance", twice.id), ("attendance", once.id)]
    assert found[0].rank < found[1].rank


def test_matches_are_marked_and_the_text_stays_literal(store: Store) -> None:
    group = store.add_group(GroupFields(name="[bold]Circle[/]"))
    note = "[link=https://x]tap[/link] the [@click=app.quit]quokka[/] and \\[escaped]"
    entry = store.log_attendance(
        AttendanceFields(group_id=group.id, date=date(2026, 5, 1), note=note)
    )
    (found,) = search(store, "quokka")
    assert found.id == entry.id
    assert "\x02quokka\x03" in found.note
    assert strip_marks(found.note) == note
    assert strip_marks(found.snippet) in note
    assert found.about == "[bold]Circle[/]"


def test_a_long_note_is_shown_around_its_match(store: Store) -> None:
    group = store.add_group(GroupFields(name="Circle"))
    words = [f"w{n}" for n in range(100)]
    words[60] = "lighthouse"
    store.log_attendance(
        AttendanceFields(group_id=group.id, date=date(2026, 5, 1), note=" ".join(words))
    )
    (found,) = search(store, "lighthouse")
    snippet = strip_marks(found.snippet)
    assert "lighthouse" in snippet and "w0 " not in snippet
    assert len(snippet.split()) <= 16


def test_limit_offset_and_total(store: Store) -> None:
    group = store.add_group(GroupFields(name="Circle"))
    for n in range(30):
        store.log_attendance(
            AttendanceFields(
                group_id=group.id, date=date(2026, 1, 1) + timedelta(days=n), note="candle"
            )
        )
    first = store.search(parse_query("candle", today=TODAY), limit=10)
    second = store.search(parse_query("candle", today=TODAY), limit=10, offset=10)
    assert first.total == second.total == 30
    assert len(first.found) == len(second.found) == 10
    assert not set(keys(list(first.found))) & set(keys(list(second.found)))


# --- filters ------------------------------------------------------------------------------------


def test_kind_filter(journal: Journal) -> None:
    assert keys(search(journal.store, "first kind:contact")) == [("contact", journal.call.id)]
    assert set(keys(search(journal.store, "coffee kind:service,group"))) == {
        ("service", journal.service.id),
        ("group", journal.na.id),
    }


def test_group_filter_takes_part_of_a_name(journal: Journal) -> None:
    found = keys(search(journal.store, "group:thursday"))
    assert found[0] == ("group", journal.smart.id)  # the group itself, then its entries
    assert set(found[1:]) == {
        ("attendance", journal.first.id),
        ("attendance", journal.later.id),
        ("rating", journal.rating.id),
    }
    assert keys(search(journal.store, "time group:smart")) == [("attendance", journal.first.id)]
    with pytest.raises(InvalidField) as caught:
        search(journal.store, "group:bowling")
    assert caught.value.field == "group" and "bowling" in caught.value.message


def test_every_call_with_my_sponsor_in_march(journal: Journal) -> None:
    found = search(journal.store, "kind:contact person:sam in:march")
    assert keys(found) == [("contact", journal.call2.id), ("contact", journal.call.id)]
    with pytest.raises(InvalidField) as caught:
        search(journal.store, "person:nobody")
    assert caught.value.field == "person"


def test_date_filters_leave_out_groups_and_people(journal: Journal) -> None:
    assert set(keys(search(journal.store, "coffee since:march"))) == {
        ("contact", journal.text.id),
        ("service", journal.service.id),
    }
    assert keys(search(journal.store, "meetings until:2025")) == [
        ("attendance", journal.na_meeting.id)
    ]
    assert search(journal.store, "coffee since:yesterday") == []


def test_filters_alone_list_newest_first(journal: Journal) -> None:
    found = search(journal.store, "since:march until:march")
    assert [f.day for f in found] == sorted((f.day for f in found), reverse=True)
    assert {f.kind for f in found} == {"attendance", "contact", "rating"}
    assert store_total(journal, "since:march until:march") == len(found) == 5


def store_total(journal: Journal, text: str) -> int:
    return journal.store.search(parse_query(text, today=TODAY)).total


# --- the timeline -------------------------------------------------------------------------------


def _everything(store: Store) -> list[tuple[str, int]]:
    query = parse_query("", today=TODAY)
    pages: list[Found] = []
    page = store.timeline(query, limit=7)
    while page:
        pages.extend(page)
        page = store.timeline(query, after=cursor_after(page[-1]), limit=7)
    return keys(pages)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3)), min_size=0, max_size=60))
def test_the_timeline_pages_through_everything_once_newest_first(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[int, int]]
) -> None:
    store = open_store(tmp_path_factory.mktemp("t") / "journal.db")
    try:
        group = store.add_group(GroupFields(name="Circle"))
        person = store.add_person(PersonFields(alias="Sam"))
        expected = []
        for back, kind in entries:
            day = TODAY - timedelta(days=back)
            if kind == 0:
                e = store.log_attendance(AttendanceFields(group_id=group.id, date=day)).id
            elif kind == 1:
                e = store.log_contact(ContactFields(person_id=person.id, date=day)).id
            elif kind == 2:
                e = store.add_service(ServiceFields(date=day)).id
            else:
                e = store.add_rating(rating(group.id, day)).id
            expected.append((day, kind, e))
        expected.sort(reverse=True)
        names = ("attendance", "contact", "service", "rating")
        assert _everything(store) == [(names[k], e) for _d, k, e in expected]
    finally:
        store.close()


def test_the_timeline_filters_like_search(journal: Journal) -> None:
    page = journal.store.timeline(parse_query("kind:contact person:sam", today=TODAY))
    assert keys(page) == [("contact", journal.call2.id), ("contact", journal.call.id)]
    page = journal.store.timeline(parse_query("first", today=TODAY))
    assert keys(page) == [("contact", journal.call.id), ("attendance", journal.first.id)]
    # Filtered by words, the matched words are marked as in search; the text is all there.
    assert all("\x02first\x03" in found.note.lower() for found in page)
    assert strip_marks(page[1].note) == journal.first.note
    missed = journal.store.log_attendance(
        AttendanceFields(group_id=journal.na.id, date=date(2026, 6, 2), attended=False)
    )
    (top,) = journal.store.timeline(parse_query("", today=TODAY), limit=1)
    assert (top.id, top.detail) == (missed.id, "missed")


def test_each_milestone_lands_on_exactly_one_page(store: Store) -> None:
    group = store.add_group(GroupFields(name="Circle"))
    start = TODAY - timedelta(days=7 * 60)
    for week in range(60):
        store.log_attendance(
            AttendanceFields(group_id=group.id, date=start + timedelta(days=7 * week))
        )
    store.add_service(ServiceFields(date=start + timedelta(days=3)))
    found = milestones(store)
    texts = [m.about for m in found]
    assert "Your 10th meeting" in texts and "Your 50th meeting" in texts
    assert "Your first service" in texts and "52 weeks in a row meeting your goal" in texts
    query = parse_query("", today=TODAY)
    shown: list[Found] = []
    previous = None
    page = store.timeline(query, limit=9)
    while page:
        after = cursor_after(page[-1])
        following = store.timeline(query, after=after, limit=9)
        shown.extend(
            with_milestones(page, found, previous=previous, last_page=not following, query=query)
        )
        previous = page[-1].day
        page = following
    assert sorted((m.day, m.about) for m in shown if m.kind == "milestone") == sorted(
        (m.day, m.about) for m in found
    )
    days = [f.day for f in shown]
    assert days == sorted(days, reverse=True)
    # With words or a kind chosen, milestones stay out.
    filtered = parse_query("kind:attendance", today=TODAY)
    page = store.timeline(filtered)
    assert with_milestones(page, found, previous=None, last_page=True, query=filtered) == page


# --- the index keeps the journal's promises -----------------------------------------------------


def test_a_journal_from_before_search_is_indexed_when_it_opens(tmp_path: Path) -> None:
    copy = tmp_path / "journal.db"
    shutil.copyfile(FIXTURES / "v3.db", copy)
    store = open_store(copy)
    try:
        notes = {a.id: a.note for a in store.list_attendance() if a.note.split()}
        assert notes
        for entry_id, note in notes.items():
            word = max(note.split(), key=len).strip(".,;:!?\"'()")
            found = keys(search(store, f'"{word}"'))
            assert ("attendance", entry_id) in found, word
        for group in store.list_groups():
            assert ("group", group.id) in keys(search(store, f'"{group.name}"'))
    finally:
        store.close()


def test_the_index_is_inside_an_encrypted_journal(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "journal.db"
    store = open_store(path, passphrase="correct horse battery")
    try:
        group = store.add_group(GroupFields(name="Circle"))
        store.log_attendance(
            AttendanceFields(group_id=group.id, date=date(2026, 5, 1), note="periwinkle sky")
        )
        assert len(search(store, "periwinkle")) == 1
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
        assert "attendance_fts" in tables
    finally:
        store.close()
    raw = path.read_bytes() + (
        path.with_name(path.name + "-wal").read_bytes()
        if path.with_name(path.name + "-wal").exists()
        else b""
    )
    assert b"periwinkle" not in raw
    assert b"SQLite format 3" not in raw[:16]
    again = open_store(path, passphrase="correct horse battery")
    try:
        assert len(search(again, "periwinkle")) == 1
    finally:
        again.close()


def _raw(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.parametrize("how", ["delete", "edit"])
def test_a_deleted_or_edited_word_leaves_no_trace_in_the_index(tmp_path: Path, how: str) -> None:
    path = tmp_path / "journal.db"
    store = open_store(path)
    try:
        group = store.add_group(GroupFields(name="Circle"))
        for n in range(40):  # other notes around it, so the index has several pages
            store.log_attendance(
                AttendanceFields(
                    group_id=group.id,
                    date=date(2026, 1, 1) + timedelta(days=n),
                    note=f"ordinary words {n} about the evening",
                )
            )
        entry = store.log_attendance(
            AttendanceFields(
                group_id=group.id, date=date(2026, 5, 1), note="zyxwvutsrqponmlk elmstreetbridge"
            )
        )
        assert b"elmstreetbridge" in _raw(path) or b"lmstreetbridge" in _raw(path)
        if how == "delete":
            store.delete_attendance(entry.id)
        else:
            store.update_attendance(entry.id, replace(entry.fields, note="nothing much"))
        assert search(store, "elmstreetbridge") == []
        raw = _raw(path)
        # FTS5 stores a word's stem ("elmstreetbridg") after the prefix it shares with the
        # word before it: look for the tail of the stem.
        assert b"streetbridg" not in raw
        assert b"tsrqponmlk" not in raw
        assert len(search(store, "evening")) == 40
    finally:
        store.close()


def test_export_and_import_keep_search_working(journal: Journal, tmp_path: Path) -> None:
    data = export_journal(journal.store)
    other = open_store(tmp_path / "other.db")
    try:
        import_journal(other, data, replace=True)
        assert len(search(other, '"first time"')) == 2
        assert len(search(other, "sam")) == 1
        # Replacing again doesn't leave the old rows' words behind.
        import_journal(other, data, replace=True)
        assert len(search(other, '"first time"')) == 2
    finally:
        other.close()


def test_encrypting_and_decrypting_a_journal_keeps_its_index(journal: Journal) -> None:
    pytest.importorskip("sqlcipher3")
    from tracker.store.crypto import decrypt_journal, encrypt_journal

    path = journal.store.path
    assert path is not None
    journal.store.close()
    encrypt_journal(path, "correct horse battery")
    store = open_store(path, passphrase="correct horse battery")
    try:
        assert len(search(store, '"first time"')) == 2
        store.log_contact(ContactFields(person_id=journal.jo.id, date=TODAY, note="marigold"))
    finally:
        store.close()
    decrypt_journal(path, "correct horse battery")
    store = open_store(path)
    try:
        assert len(search(store, "marigold")) == 1
        assert len(search(store, '"first time"')) == 2
    finally:
        store.close()


def test_a_write_waits_for_another_windows_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's triggers read before they write. In a deferred transaction SQLite would then
    refuse at once ("locked") instead of waiting; Store.atomic takes the write lock first."""
    import sqlite3
    import threading
    import time

    monkeypatch.setattr("tracker.store.connection.BUSY_TIMEOUT_MS", 5000)
    path = tmp_path / "journal.db"
    store = open_store(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        group = store.add_group(GroupFields(name="Circle"))
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
        release.start()
        started = time.monotonic()
        entry = store.log_attendance(
            AttendanceFields(group_id=group.id, date=date(2026, 11, 24), note="waited")
        )
        release.join()
        assert time.monotonic() - started >= 0.25  # it waited for the lock, then wrote
        assert keys(search(store, "waited")) == [("attendance", entry.id)]
        # A read snapshot (as an export takes) doesn't hold up the other window's writes.
        with store.snapshot():
            store.list_groups()
            other.execute("INSERT INTO settings(key, value) VALUES ('k', '1')")
    finally:
        other.close()
        store.close()


def test_calls_with_my_sponsor_by_role_and_method(journal: Journal) -> None:
    found = search(journal.store, "person:sponsor method:call in:march")
    assert keys(found) == [("contact", journal.call2.id), ("contact", journal.call.id)]
    assert search(journal.store, "person:mentors method:call") == []
    assert keys(search(journal.store, "method:text")) == [("contact", journal.text.id)]
    # A person whose alias is a role word is found by alias first.
    riley = journal.store.add_person(PersonFields(alias="Mentor Mo", role="friend"))
    assert ("person", riley.id) in keys(search(journal.store, "person:mentor"))
    with pytest.raises(InvalidField) as caught:
        search(journal.store, "method:pigeon")
    assert caught.value.field == "method"


def test_no_writes_inside_a_read_snapshot(store: Store) -> None:
    with store.snapshot(), pytest.raises(RuntimeError):
        store.add_group(GroupFields(name="Circle"))
    store.add_group(GroupFields(name="Circle"))  # and after it, writes work as ever
    assert [g.name for g in store.list_groups()] == ["Circle"]


@pytest.mark.parametrize("years", [1, 10])
def test_timeline_milestones_are_the_mentor_reviews_for_everything(
    tmp_path: Path, years: int
) -> None:
    """The timeline works its milestones out from the weeks and the daily counts alone; they are
    exactly the ones the full review of the whole history finds."""
    from tracker.demo import fill_demo
    from tracker.domain.review import Period, build_review
    from tracker.review_data import review_input

    journal = Store.open(tmp_path / f"demo{years}.db", clock=Clock.fixed(TODAY))
    try:
        fill_demo(journal, years=years, today=TODAY, size="heavy" if years == 10 else "normal")
        journal.add_service(ServiceFields(date=TODAY - timedelta(days=3)))
        since = min(journal.first_meeting_date() or TODAY, journal.list_service()[-1].date)
        review = build_review(review_input(journal, Period(since, TODAY, "everything")))
        expected = [(m.day, m.text, m.kind) for m in review.milestones]
        found = milestones(journal)
        assert [(f.day, f.about, f.detail) for f in reversed(found)] == expected
        assert {m.kind for m in review.milestones} >= {"run", "meetings", "first-service"}
    finally:
        journal.close()

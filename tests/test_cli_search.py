"""``tracker search``: words, prefixes, phrases, OR and -word, every filter, --json, the friendly
errors, inert user text, an index that keeps up with changes, old and encrypted journals.

Each journal here is written through the Store with notes whose words are known, so every test
can say which entries a search must find and which it must leave out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.domain.search import build_query
from tracker.errors import InvalidField
from tracker.store import Store

TODAY = date(2026, 11, 26)  # a Thursday
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "schemas"
ESC = "\x1b"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder; fix today; no debug tracebacks or passphrase."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    for name in ("TRACKER_DB", "TRACKER_DEBUG", "TRACKER_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str, env: dict[str, str | None] | None = None, color: bool = False) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, color=color)


def open_store(path: Path, passphrase: str | None = None) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)


@dataclass(frozen=True)
class Journal:
    """A journal with known notes; ``ids`` names each entry (``"coffee-jo"`` -> (kind, id))."""

    path: Path
    ids: dict[str, tuple[str, int]]

    def key(self, kind: str, entry_id: int) -> str:
        return next(name for name, pair in self.ids.items() if pair == (kind, entry_id))


def fill(store: Store) -> dict[str, tuple[str, int]]:
    smart = store.add_group(
        GroupFields(name="Thursday SMART", notes="Small room; a kind facilitator.")
    ).id
    na = store.add_group(GroupFields(name="NA Downtown")).id
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor")).id
    jo = store.add_person(PersonFields(alias="Jo", role="mentor")).id

    def meeting(group: int, day: date, note: str, shared: bool = False) -> tuple[str, int]:
        fields = AttendanceFields(group_id=group, date=day, note=note, shared=shared)
        return "attendance", store.log_attendance(fields).id

    def contact(person: int, day: date, note: str, method: str = "call") -> tuple[str, int]:
        fields = ContactFields(person_id=person, date=day, method=method, note=note)
        return "contact", store.log_contact(fields).id

    ids = {
        "first-share": meeting(
            smart, date(2026, 3, 5), "Shared for the first time. My voice shook.", True
        ),
        "first-apart": meeting(
            na, date(2026, 1, 15), "The first meeting; I sat at the back the whole time."
        ),
        "coffee-chair": meeting(na, date(2026, 6, 2), "Coffee with the chair afterwards."),
        "coffee-online": meeting(smart, date(2025, 5, 1), "Online tonight, coffee in hand."),
        "sharing": meeting(na, date(2026, 11, 19), "The sharing circle went long."),
        "coffee-lots": meeting(na, date(2024, 2, 1), "Coffee, coffee, coffee: so much coffee."),
        "sam-first": contact(sam, date(2026, 3, 10), "Told Sam about the first time I shared."),
        "sam-coffee": contact(sam, date(2026, 9, 20), "Quick coffee check-in.", "text"),
        "jo-walk": contact(jo, date(2025, 12, 1), "Coffee and a walk by the canal.", "video"),
        "service": (
            "service",
            store.add_service(
                ServiceFields(
                    date=date(2026, 4, 4),
                    kind="set-up",
                    group_id=na,
                    minutes=30,
                    note="Made the coffee for twenty.",
                )
            ).id,
        ),
        "rating": (
            "rating",
            store.add_rating(
                FitFields(
                    group_id=smart,
                    date=date(2026, 3, 12),
                    welcome=5,
                    relevance=4,
                    format_comfort=4,
                    practical=3,
                    would_return=5,
                    note="Felt welcome; the coffee was cold.",
                )
            ).id,
        ),
        "group-smart": ("group", smart),
        "group-na": ("group", na),
        "person-sam": ("person", sam),
        "person-jo": ("person", jo),
    }
    return ids


def make_journal(path: Path, passphrase: str | None = None) -> Journal:
    store = open_store(path, passphrase)
    try:
        ids = fill(store)
    finally:
        store.close()
    return Journal(path, ids)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return make_journal(tmp_path / "journal.db")


def search_json(journal: Journal | Path, *args: str) -> dict[str, Any]:
    path = journal.path if isinstance(journal, Journal) else journal
    result = run("--db", str(path), "search", *args, "--json", "--limit", "100")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def found(journal: Journal, *args: str) -> set[str]:
    """The names of the entries a search finds (every one of them: --limit 100)."""
    data = search_json(journal, *args)
    assert data["shown"] == data["total"] == len(data["results"])
    return {journal.key(r["kind"], r["id"]) for r in data["results"]}


COFFEE = {
    "coffee-chair",
    "coffee-online",
    "coffee-lots",
    "sam-coffee",
    "jo-walk",
    "service",
    "rating",
}


# --- words, prefixes, phrases, OR and -word ------------------------------------------------------


def test_a_word_finds_every_entry_whose_note_has_it_and_nothing_else(journal: Journal) -> None:
    assert found(journal, "coffee") == COFFEE
    assert found(journal, "COFFEE") == COFFEE  # case doesn't matter


def test_several_words_must_all_be_there(journal: Journal) -> None:
    assert found(journal, "coffee", "chair") == {"coffee-chair"}
    assert found(journal, "coffee chair") == {"coffee-chair"}  # one argument or two, the same


def test_a_prefix_finds_the_words_that_start_with_it(journal: Journal) -> None:
    assert found(journal, "shar*") == {"first-share", "sharing", "sam-first"}
    result = run("--db", str(journal.path), "search", "shar")
    assert result.exit_code == 0
    assert result.output.startswith("Nothing found for shar.")


def test_a_phrase_needs_the_words_together(journal: Journal) -> None:
    assert found(journal, '"first time"') == {"first-share", "sam-first"}
    # The same two words without quotes also find the note where they are apart.
    assert found(journal, "first", "time") == {"first-share", "sam-first", "first-apart"}


def test_or_finds_either_word(journal: Journal) -> None:
    assert found(journal, "walk", "OR", "voice") == {"jo-walk", "first-share"}


def test_minus_and_not_leave_entries_out(journal: Journal) -> None:
    assert found(journal, "coffee", "-online") == COFFEE - {"coffee-online"}
    assert found(journal, "coffee", "NOT", "online") == COFFEE - {"coffee-online"}


def test_names_are_searched_too(journal: Journal) -> None:
    assert "group-smart" in found(journal, "smart")
    assert found(journal, "facilitator") == {"group-smart"}  # a group's own notes


# --- filters ------------------------------------------------------------------------------------


def test_kind_filter_as_an_option_and_typed_inline(journal: Journal) -> None:
    contacts = {"sam-coffee", "jo-walk"}
    assert found(journal, "coffee", "--kind", "contact") == contacts
    assert found(journal, "coffee kind:contact") == contacts
    assert found(journal, "coffee", "--kind", "contact,service") == contacts | {"service"}
    assert found(journal, "coffee", "--kind", "contact", "--kind", "fit") == contacts | {"rating"}
    assert found(journal, "coffee", "--kind", "meeting") == {
        "coffee-chair",
        "coffee-online",
        "coffee-lots",
    }


def test_group_filter(journal: Journal) -> None:
    assert found(journal, "coffee", "--group", "thursday") == {"coffee-online", "rating"}
    assert found(journal, "coffee group:na") == {"coffee-chair", "coffee-lots", "service"}


def test_person_filter(journal: Journal) -> None:
    assert found(journal, "coffee", "--person", "sam") == {"sam-coffee"}
    assert found(journal, "person:jo") == {"jo-walk", "person-jo"}


def test_since_march_is_the_most_recent_march(journal: Journal) -> None:
    # Today is 26 Nov 2026: "march" is 1 Mar 2026.
    since_march = {"coffee-chair", "sam-coffee", "service", "rating"}
    assert found(journal, "coffee", "--since", "march") == since_march
    assert found(journal, "coffee since:march") == since_march
    data = search_json(journal, "coffee", "--since", "march")
    assert data["filters"]["since"] == "2026-03-01"
    assert all(r["date"] >= "2026-03-01" for r in data["results"])


def test_until_and_in(journal: Journal) -> None:
    assert found(journal, "coffee", "--until", "2025-12-31") == {
        "coffee-online",
        "coffee-lots",
        "jo-walk",
    }
    assert found(journal, "coffee", "--in", "2025") == {"coffee-online", "jo-walk"}
    assert found(journal, "coffee in:2024") == {"coffee-lots"}
    assert found(journal, "coffee", "--since", "march", "--until", "april") == {
        "service",
        "rating",
    }


def test_last_90_days(journal: Journal) -> None:
    # 90 days up to 26 Nov 2026 start on 29 Aug 2026.
    assert found(journal, "--since", "last 90 days") == {"sam-coffee", "sharing"}
    assert found(journal, 'since:"last 90 days"', "coffee") == {"sam-coffee"}
    assert found(journal, "--in", "last 90 days", "--kind", "meeting") == {"sharing"}


def test_filters_alone_list_the_newest_first(journal: Journal) -> None:
    data = search_json(journal, "--kind", "meeting")
    days = [r["date"] for r in data["results"]]
    assert len(days) == 6
    assert days == sorted(days, reverse=True)


def test_a_date_filter_leaves_out_groups_and_people(journal: Journal) -> None:
    assert "group-smart" in found(journal, "smart")
    assert found(journal, "smart", "--since", "2020-01-01") == set()


# --- human output ---------------------------------------------------------------------------------


def test_human_output_has_a_heading_and_each_entry_with_its_snippet(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "coffee", "--kind", "contact")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2 entries for coffee · contacts"
    assert ESC not in result.output  # not a terminal: no styling
    sam = next(i for i, line in enumerate(lines) if "Sam" in line)
    assert lines[sam].startswith("Sun 20 Sep")
    assert "Contact" in lines[sam] and "Text" in lines[sam] and "Sponsor" in lines[sam]
    assert lines[sam + 1] == "    Quick coffee check-in."
    jo = next(i for i, line in enumerate(lines) if "Jo ·" in line)
    assert lines[jo].startswith("Mon 1 Dec 2025")  # another year: the year is shown


def test_heading_describes_the_filters(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "coffee", "--since", "march")
    assert result.output.splitlines()[0] == "4 entries for coffee · since 1 Mar 2026"
    result = run("--db", str(journal.path), "search", '"first time"')
    assert result.output.splitlines()[0] == '2 entries for "first time"'
    result = run("--db", str(journal.path), "search", "--person", "sam", "--kind", "contact")
    assert result.output.splitlines()[0] == "2 entries · contacts, with 'sam'"


def test_nothing_found_is_said_plainly(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "zebra")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Nothing found for zebra."
    assert "*" in lines[1]  # a hint: try the start of a word


def test_more_than_shown_says_how_many_and_mentions_limit(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "coffee", "--limit", "2")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "7 entries for coffee"
    assert sum(line.startswith("    ") for line in result.output.splitlines()) == 2
    assert "Showing 2 of 7; --limit 7 shows them all." in result.output
    everything = run("--db", str(journal.path), "search", "coffee", "--limit", "7")
    assert "Showing" not in everything.output


def test_matched_words_are_bold_only_at_a_terminal(journal: Journal) -> None:
    styled = run("--db", str(journal.path), "search", "walk", color=True)
    assert styled.exit_code == 0
    assert "\x1b[1mwalk\x1b[0m" in styled.output
    assert "\x1b[1mCoffee" not in styled.output  # only the matched word
    plain = run("--db", str(journal.path), "search", "walk")
    assert ESC not in plain.output
    assert "Coffee and a walk by the canal." in plain.output


# --- --json -------------------------------------------------------------------------------------


def test_json_shape(journal: Journal) -> None:
    result = run(
        "--db", str(journal.path), "search", "coffee", "--kind", "contact", "--since", "2025"
    )
    assert result.exit_code == 0
    data = search_json(journal, "coffee", "--kind", "contact", "--since", "2025")
    assert set(data) == {"query", "filters", "total", "shown", "results"}
    assert data["query"] == "coffee"
    assert data["filters"] == {
        "kinds": ["contact"],
        "group": None,
        "person": None,
        "methods": [],
        "since": "2025-01-01",
        "until": None,
    }
    assert data["total"] == data["shown"] == 2
    first = data["results"][0]
    assert set(first) == {
        "kind",
        "id",
        "date",
        "about",
        "detail",
        "note",
        "snippet",
        "matches",
        "rank",
    }
    by_key = {journal.key(r["kind"], r["id"]): r for r in data["results"]}
    assert by_key["jo-walk"]["date"] == "2025-12-01"
    assert by_key["jo-walk"]["about"] == "Jo"
    assert by_key["jo-walk"]["note"] == "Coffee and a walk by the canal."


def test_json_counts_what_is_shown_and_what_matched(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "coffee", "--limit", "3", "--json")
    data = json.loads(result.output)
    assert (data["total"], data["shown"], len(data["results"])) == (7, 3, 3)


def test_json_match_offsets_point_at_the_matched_words(journal: Journal) -> None:
    data = search_json(journal, "coffee OR walk")
    assert data["results"]
    for result in data["results"]:
        for part in ("note", "snippet", "about"):
            for start, end in result["matches"][part]:
                assert result[part][start:end].lower() in ("coffee", "walk")
    jo = next(r for r in data["results"] if journal.key(r["kind"], r["id"]) == "jo-walk")
    assert jo["matches"]["note"] == [[0, 6], [13, 17]]  # "Coffee and a walk by the canal."
    lots = next(r for r in data["results"] if journal.key(r["kind"], r["id"]) == "coffee-lots")
    assert len(lots["matches"]["note"]) == 4


def test_json_text_is_plain_without_markers(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "smart", "--json")
    assert "\\u0002" not in result.output and "\\u0003" not in result.output
    data = json.loads(result.output)
    group = next(r for r in data["results"] if r["kind"] == "group")
    assert group["about"] == "Thursday SMART"
    assert group["matches"]["about"] == [[9, 14]]


# --- ranking --------------------------------------------------------------------------------------


def test_ranking_best_first(journal: Journal) -> None:
    data = search_json(journal, "coffee OR walk")
    ranks = [r["rank"] for r in data["results"]]
    assert ranks == sorted(ranks)  # bm25: lower is better, and the best comes first
    # The only note with both words comes before every note with just one of them.
    assert journal.key(data["results"][0]["kind"], data["results"][0]["id"]) == "jo-walk"
    assert ranks[0] < ranks[1]


def test_a_word_said_often_in_a_short_note_ranks_above_a_passing_mention(
    journal: Journal,
) -> None:
    order = [journal.key(r["kind"], r["id"]) for r in search_json(journal, "coffee")["results"]]
    assert order.index("coffee-lots") < order.index("coffee-online")


# --- friendly errors ----------------------------------------------------------------------------


def _refused(result: Result, field: str) -> str:
    """One line on stderr naming the field, exit code 2, no traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"tracker: {field}: ")
    return lines[0]


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (['"first time'], "query", "quote is open"),
        (["coffee", "-"], "query", "'-' needs a word"),
        (["coffee", "OR"], "query", "'OR' is out of place"),
        (["coffee", "AND"], "query", "'AND' is out of place"),
        (["coffee", "AND", "AND", "chair"], "query", "'AND' is out of place"),
        (["NOT"], "query", "'NOT' is out of place"),
        (["-coffee"], "query", "only what to leave out"),
        (["coffee", "--kind", "pizza"], "kind", "'pizza' isn't a kind"),
        (["coffee kind:pizza"], "kind", "'pizza' isn't a kind"),
        (["coffee", "--group", "Knitting"], "group", "no group called 'Knitting'"),
        (["coffee", "--person", "Alex"], "person", "no person called 'Alex'"),
        (["coffee", "--since", "the day after never"], "since", ""),
        (["coffee", "--since", "april", "--until", "march"], "since", "swap them"),
        (["coffee since:"], "since", "needs something after the colon"),
    ],
)
def test_mistakes_get_one_friendly_line(
    journal: Journal, args: list[str], field: str, words: str
) -> None:
    line = _refused(run("--db", str(journal.path), "search", *args), field)
    assert words in line


def test_and_at_the_start_gets_a_friendly_line(journal: Journal) -> None:
    line = _refused(run("--db", str(journal.path), "search", "AND", "coffee"), "query")
    assert "'AND' is out of place" in line


def test_nothing_to_search_for_is_a_usage_message(journal: Journal) -> None:
    for args in ([], ["   "]):
        result = run("--db", str(journal.path), "search", *args)
        assert result.exit_code == 2
        assert "Usage: " in result.output and "Tell me what to look for" in result.output
        assert "Traceback" not in result.output
    result = run("--db", str(journal.path), "search", "&", "🙂")
    assert result.exit_code == 2
    assert "has nothing to look for" in result.output


def test_a_limit_below_one_is_refused(journal: Journal) -> None:
    result = run("--db", str(journal.path), "search", "coffee", "--limit", "0")
    assert result.exit_code == 2
    assert result.output.startswith("tracker: --limit:")


def test_a_mistyped_journal_path_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = run("--db", str(missing), "search", "coffee")
    assert result.exit_code == 2
    assert result.output.startswith("tracker: ")
    assert not missing.exists()


# --- user text is shown literally -----------------------------------------------------------------


def test_markup_and_control_characters_in_notes_are_printed_inertly(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    store = open_store(path)
    group = store.add_group(GroupFields(name="[bold red]Loud[/] <b>Group</b>")).id
    markup = store.log_attendance(
        AttendanceFields(group_id=group, date=TODAY, note="[blink]kettle[/blink] <i>on</i>")
    ).id
    escaped = store.log_attendance(AttendanceFields(group_id=group, date=TODAY, note="placeholder"))
    # The models refuse control characters, but a journal written by another tool may hold them.
    hostile = f"kettle {ESC}[31mred{ESC}[0m {ESC}]2;new title\x07 and\x08more"
    with store.atomic() as db:
        db.execute("UPDATE attendance SET note = ? WHERE id = ?", [hostile, escaped.id])
    store.close()

    for color in (False, True):
        result = run("--db", str(path), "search", "kettle", color=color)
        assert result.exit_code == 0, result.output
        out = result.output
        # The only escapes on a terminal are our own bold and reset around "kettle".
        ours = out.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[39m", "")
        ours = ours.replace("\x1b[49m", "")
        assert ESC not in ours
        assert "\x07" not in out and "\x08" not in out
        assert "[blink]" in out and "<i>on</i>" in out
        assert "[bold red]Loud[/] <b>Group</b>" in out
        assert "␛[31mred␛[0m" in out and "␇" in out and "␈more" in out

    data = json.loads(run("--db", str(path), "search", "kettle", "--json").output)
    assert {r["id"] for r in data["results"]} == {markup, escaped.id}
    notes = {r["note"] for r in data["results"]}
    assert hostile in notes  # JSON keeps the text exactly, escaped by the JSON encoder
    assert "[blink]kettle[/blink] <i>on</i>" in notes


# --- the index keeps up -------------------------------------------------------------------------


def test_the_index_follows_log_edit_and_delete(journal: Journal) -> None:
    db = str(journal.path)
    assert found(journal, "pancake") == set()
    logged = run("--db", db, "log", "na downtown", "--note", "Pancake breakfast after.")
    assert logged.exit_code == 0, logged.output
    data = search_json(journal, "pancake")
    assert data["total"] == 1
    entry = data["results"][0]
    assert (entry["kind"], entry["about"], entry["date"]) == (
        "attendance",
        "NA Downtown",
        TODAY.isoformat(),
    )

    store = open_store(journal.path)
    try:
        old = next(a for a in store.list_attendance() if a.id == entry["id"])
        store.update_attendance(
            old.id,
            AttendanceFields(group_id=old.group_id, date=old.date, note="Waffles this time."),
        )
    finally:
        store.close()
    assert search_json(journal, "pancake")["total"] == 0
    assert [r["id"] for r in search_json(journal, "waffles")["results"]] == [entry["id"]]

    store = open_store(journal.path)
    try:
        store.delete_attendance(entry["id"])
    finally:
        store.close()
    assert search_json(journal, "waffles")["total"] == 0
    assert found(journal, "coffee") == COFFEE  # the rest is untouched


def test_renaming_a_group_is_searchable_at_once(journal: Journal) -> None:
    store = open_store(journal.path)
    try:
        group_id = journal.ids["group-na"][1]
        group = next(g for g in store.list_groups() if g.id == group_id)
        store.update_group(group_id, GroupFields(name="Riverside NA", notes=group.notes))
    finally:
        store.close()
    assert found(journal, "riverside") == {"group-na"}
    assert "group-na" not in found(journal, "downtown")


# --- old and encrypted journals -------------------------------------------------------------------


def test_a_journal_migrated_from_v3_is_searchable_at_once(tmp_path: Path) -> None:
    copy = tmp_path / "v3.db"
    shutil.copyfile(FIXTURES / "v3.db", copy)
    data = search_json(copy, "coffee")
    kinds = sorted(r["kind"] for r in data["results"])
    assert kinds == ["group", "service"]  # the group's notes, and "Made the coffee ☕ for 20"
    service = next(r for r in data["results"] if r["kind"] == "service")
    assert service["note"] == "Made the coffee ☕ for 20"
    # Accents don't matter: "zoe" finds "Zoë brought café au lait".
    zoe = search_json(copy, "zoe")
    assert [r["kind"] for r in zoe["results"]] == ["attendance"]
    assert zoe["results"][0]["note"].startswith("Zoë brought")
    # People by alias, and a phrase across the old notes.
    assert [r["kind"] for r in search_json(copy, "sam")["results"]] == ["person"]
    assert search_json(copy, '"step one"')["total"] == 1


def test_an_encrypted_journal_is_searched_the_same_way(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    passphrase = "quiet river stones"
    journal = make_journal(tmp_path / "secret.db", passphrase)
    raw = journal.path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"canal" not in raw  # the notes and their index are encrypted

    env: dict[str, str | None] = {"TRACKER_PASSPHRASE": passphrase}
    result = run("--db", str(journal.path), "search", "coffee", "--json", "--limit", "50", env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {journal.key(r["kind"], r["id"]) for r in data["results"]} == COFFEE
    human = run("--db", str(journal.path), "search", '"first time"', env=env)
    assert human.output.splitlines()[0] == '2 entries for "first time"'

    wrong = run("--db", str(journal.path), "search", "coffee", env={"TRACKER_PASSPHRASE": "no"})
    assert wrong.exit_code == 2
    assert "Traceback" not in wrong.output and "canal" not in wrong.output
    for suffix in ("", "-wal"):
        part = journal.path.with_name(journal.path.name + suffix)
        if part.exists():
            assert b"canal" not in part.read_bytes()


def test_a_typo_is_reported_before_asking_for_a_passphrase(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    journal = make_journal(tmp_path / "secret.db", "quiet river stones")
    result = run("--db", str(journal.path), "search", '"open')
    _refused(result, "query")  # no passphrase was needed to say so


# --- properties -----------------------------------------------------------------------------------

# Pieces people type, and the characters FTS5 gives meaning to.
_PIECES = st.sampled_from(
    [
        "coffee",
        "shar*",
        "*",
        '"',
        '"first time"',
        "-",
        "-online",
        "OR",
        "AND",
        "NOT",
        "(",
        ")",
        ":",
        "^",
        "kind:",
        "kind:contact",
        "kind:nope",
        "group:smart",
        "group:nobody",
        "person:sam",
        "since:march",
        'since:"last 90 days"',
        "until:2020",
        "in:2025",
        "NEAR(a b)",
        "col:coffee",
        "'",
        "“",
        "🙂",
        "é",
    ]
)
_TYPED = st.lists(_PIECES | st.text(max_size=10), max_size=8).map(" ".join) | st.text(max_size=40)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("property") / "journal.db"
    make_journal(path)
    store = open_store(path)
    yield store
    store.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed=_TYPED)
def test_anything_typed_gives_results_or_a_friendly_mistake(
    shared_store: Store, typed: str
) -> None:
    try:
        query = build_query(typed, today=TODAY)
        results = shared_store.search(query, limit=5)
    except InvalidField as error:
        assert error.field in ("query", "kind", "group", "person", "since", "until", "in")
        assert error.message.startswith(f"{error.field}: ")
        return
    assert 0 <= len(results.found) <= min(5, results.total)
    if query.is_empty:
        assert results.total == 0


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(typed=st.lists(_PIECES | st.text(max_size=10), min_size=1, max_size=6))
def test_the_command_never_shows_a_traceback(journal: Journal, typed: list[str]) -> None:
    result = run("--db", str(journal.path), "search", "--", *typed)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.startswith(("tracker: ", "Usage: "))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.integers(min_value=1, max_value=4000))
def test_last_n_days_keeps_exactly_the_entries_in_that_window(
    shared_store: Store, days: int
) -> None:
    query = build_query(f'since:"last {days} days"', today=TODAY, kinds=["meeting", "contact"])
    first = TODAY - timedelta(days=days - 1)
    every = shared_store.search(
        build_query("", today=TODAY, kinds=["meeting", "contact"]), limit=99
    )
    expected = {(f.kind, f.id) for f in every.found if f.day is not None and f.day >= first}
    got = shared_store.search(query, limit=99)
    assert {(f.kind, f.id) for f in got.found} == expected


# --- a quick command ------------------------------------------------------------------------------

_PROBE = textwrap.dedent(
    """
    import json, sys
    from tracker.cli import cli
    cli({args!r}, standalone_mode=False)
    heavy = {{"textual", "rich", "plotext", "textual_plotext"}}
    print("MODULES " + json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & heavy)))
    """
)


def test_search_does_not_import_the_ui_or_rich(tmp_path: Path, journal: Journal) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "TRACKER_TODAY": TODAY.isoformat(),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE.format(args=["--db", str(journal.path), "search", "coffee", "--limit", "1"]),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "7 entries for coffee"  # the search really ran
    assert lines[-1] == "MODULES []"


def test_every_call_with_my_sponsor_in_march(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor"))
    jo = store.add_person(PersonFields(alias="Jo", role="mentor"))
    for who, day, method in [
        (sam, date(2026, 3, 3), "call"),
        (sam, date(2026, 3, 9), "text"),
        (jo, date(2026, 3, 10), "call"),
        (sam, date(2026, 4, 2), "call"),
        (sam, date(2026, 3, 28), "call"),
    ]:
        store.log_contact(ContactFields(person_id=who.id, date=day, method=method))
    store.close()
    args = ("--db", str(path), "--today", str(TODAY), "search")
    result = run(*args, "--person", "sponsor", "--method", "call", "--in", "march", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["date"] for r in data["results"]] == ["2026-03-28", "2026-03-03"]
    assert data["filters"]["methods"] == ["call"]
    inline = run(*args, "person:sponsor", "method:call", "in:march")
    assert inline.exit_code == 0 and "2 entries" in inline.stdout
    wrong = run(*args, "--method", "fax")
    assert wrong.exit_code == 2 and "method:" in wrong.stderr

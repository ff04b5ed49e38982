"""The demo journal: fills every area, only a new journal, the same for the same seed, all valid."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.clock import Clock
from tracker.demo import DemoSummary, fill_demo
from tracker.domain.catalogue import load_catalogue
from tracker.domain.models import GroupFields
from tracker.domain.schedules import Schedule
from tracker.errors import InvalidField, TrackerError
from tracker.insights import gather
from tracker.store.journal import Store
from tracker.store.transfer import export_journal, import_journal

TODAY = date(2026, 11, 26)
STIGMA = re.compile(r"\b(addicts?|junkies?|junky|clean|dirty|abusers?|substance abuse)\b", re.I)
_STAMPS = ("uuid", "created_at", "updated_at")


def open_store(path: Path) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


def filled(path: Path, *, years: int = 2, seed: int = 7) -> tuple[Store, DemoSummary]:
    store = open_store(path)
    return store, fill_demo(store, years=years, today=TODAY, seed=seed)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store, summary = filled(tmp_path_factory.mktemp("demo") / "j.db")
    yield store, summary
    store.close()


def content(store: Store) -> dict[str, Any]:
    """The export without UUIDs and timestamps; references become the group name or alias."""
    data = export_journal(store)
    names = {g["uuid"]: g["name"] for g in data["groups"]}
    aliases = {p["uuid"]: p["alias"] for p in data["people"]}
    result: dict[str, Any] = {"settings": data["settings"]}
    for table in ("groups", "attendance", "people", "contacts", "service", "fit_ratings"):
        rows = []
        for row in data[table]:
            row = {k: v for k, v in row.items() if k not in _STAMPS}
            if "group" in row:
                row["group"] = names.get(row["group"])
            if "person" in row:
                row["person"] = aliases[row["person"]]
            rows.append(row)
        # Same-day rows are ordered by uuid in the export; order them by content instead.
        result[table] = sorted(rows, key=repr)
    return result


def all_notes(store: Store) -> list[str]:
    texts: list[str] = []
    for g in store.list_groups():
        texts += [g.name, g.location, g.notes]
    for p in store.list_people():
        texts += [p.alias, p.notes]
    texts += [a.note for a in store.list_attendance()]
    texts += [c.note for c in store.list_contacts()]
    texts += [s.note for s in store.list_service()]
    texts += [r.note for r in store.list_ratings()]
    return texts


@pytest.mark.parametrize("years", [1, 2])
def test_fills_every_area(tmp_path: Path, years: int) -> None:
    store, summary = filled(tmp_path / "j.db", years=years)
    counts = store.counts()
    assert summary == DemoSummary(
        years=years,
        groups=counts["groups"],
        attendance=counts["attendance"],
        people=counts["people"],
        contacts=counts["contacts"],
        service=counts["service"],
        fit_ratings=counts["fit_ratings"],
    )
    assert all(n > 0 for n in counts.values()), counts
    assert 5 <= summary.groups <= 8
    assert 2 <= summary.people <= 3


def test_refuses_a_journal_with_entries_and_changes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "j.db")
    store.add_group(GroupFields(name="My group"))
    before = export_journal(store)
    with pytest.raises(TrackerError, match="already has entries") as caught:
        fill_demo(store, today=TODAY)
    assert "tracker --db demo.db demo" in str(caught.value)
    assert export_journal(store) == before
    assert store.settings() == {}


@pytest.mark.parametrize("years", [0, 61, -1, True])
def test_rejects_years_out_of_range_without_writing(tmp_path: Path, years: int) -> None:
    store = open_store(tmp_path / "j.db")
    with pytest.raises(InvalidField) as caught:
        fill_demo(store, years=years, today=TODAY)
    assert caught.value.field == "years"
    assert str(caught.value) == "years: choose from 1 to 60."
    assert store.is_empty()
    assert store.settings() == {}


def test_nothing_is_dated_after_today(two_years: tuple[Store, DemoSummary]) -> None:
    store, _ = two_years
    # Today's meeting is left for the person to log.
    assert max(a.date for a in store.list_attendance()) < TODAY
    assert max(c.date for c in store.list_contacts()) <= TODAY
    assert max(s.date for s in store.list_service()) <= TODAY
    assert max(r.date for r in store.list_ratings()) <= TODAY


def test_same_seed_same_content_other_seed_other_content(tmp_path: Path) -> None:
    first, _ = filled(tmp_path / "a.db", seed=3)
    again, _ = filled(tmp_path / "b.db", seed=3)
    other, _ = filled(tmp_path / "c.db", seed=4)
    assert content(first) == content(again)
    assert content(first)["attendance"] != content(other)["attendance"]
    assert content(first)["contacts"] != content(other)["contacts"]


def test_two_years_span_about_two_years_and_end_recently(
    two_years: tuple[Store, DemoSummary],
) -> None:
    store, _ = two_years
    entries = store.list_attendance()
    earliest = min(a.date for a in entries)
    two_years_ago = TODAY - timedelta(days=730)
    assert two_years_ago - timedelta(days=28) <= earliest <= two_years_ago + timedelta(days=28)
    # The dashboard looks alive: meetings in the last fortnight, a recent sponsor contact.
    recent = [a for a in entries if a.attended and a.date >= TODAY - timedelta(days=14)]
    assert len(recent) >= 2
    sponsor = next(p for p in store.list_people() if p.role == "sponsor")
    assert sponsor.days_since_contact(TODAY) is not None
    assert sponsor.days_since_contact(TODAY) <= 7  # type: ignore[operator]


def test_weekly_goal_is_two(two_years: tuple[Store, DemoSummary]) -> None:
    store, _ = two_years
    assert store.weekly_goal == 2


def test_every_row_passes_validation_on_import(
    two_years: tuple[Store, DemoSummary], tmp_path: Path
) -> None:
    store, _ = two_years
    fresh = open_store(tmp_path / "copy.db")
    counts = import_journal(fresh, export_journal(store))
    assert counts == store.counts()
    assert content(fresh) == content(store)


def test_no_stigmatising_words(tmp_path: Path) -> None:
    for seed in (1, 2):
        store, _ = filled(tmp_path / f"{seed}.db", years=3, seed=seed)
        for text in all_notes(store):
            assert not STIGMA.search(text), text


def test_realistic_shape(two_years: tuple[Store, DemoSummary]) -> None:
    store, _ = two_years
    groups = {g.name: g for g in store.list_groups()}
    statuses = {g.status for g in groups.values()}
    assert {"home-group", "not-for-me", "regular"} <= statuses
    slugs = {entry.slug for entry in load_catalogue()}
    linked = [g.catalogue_slug for g in groups.values() if g.catalogue_slug]
    assert len(linked) >= 4 and set(linked) <= slugs
    assert {g.pillar for g in groups.values()} >= {"peer", "online", "holistic", "family"}

    entries = store.list_attendance()
    attended = [a for a in entries if a.attended]
    assert any(not a.attended for a in entries)
    assert 0.2 <= sum(a.shared for a in attended) / len(attended) <= 0.4
    assert 0.35 <= sum(bool(a.note) for a in attended) / len(attended) <= 0.65
    # Every entry falls on one of its group's scheduled meetings, at the scheduled time.
    for entry in entries:
        schedule = Schedule.from_text(groups[entry.group_name].schedule or "")
        assert entry.time == schedule.time
        moment = datetime.combine(entry.date, schedule.time)
        assert schedule.occurrences(moment, moment + timedelta(minutes=1)) == [moment]

    compare = {c.group.status: c for c in store.compare_groups()}
    home, tried = compare["home-group"], compare["not-for-me"]
    assert tried.times_attended <= 4 and tried.ratings_count >= 1
    assert home.latest_overall is not None and tried.latest_overall is not None
    assert home.latest_overall >= 4 > tried.latest_overall
    home_ratings = sorted(store.list_ratings(group_id=home.group.id), key=lambda r: r.date)
    assert home_ratings[-1].average >= home_ratings[0].average

    notes = all_notes(store)
    assert any("[" in note and "]" in note for note in notes)
    assert {c.method for c in store.list_contacts()} >= {"call", "text", "in-person"}
    assert {s.kind for s in store.list_service()} >= {"set-up", "coffee", "moderator"}


def test_ten_years_is_quick(tmp_path: Path) -> None:
    started = time.perf_counter()
    _, summary = filled(tmp_path / "j.db", years=10)
    assert time.perf_counter() - started < 10
    assert summary.attendance > 1000


# --- heavy and stress journals, for benchmarks ---------------------------------------------------

SCOLDING = re.compile(r"\b(failed|failure|broke|broken|streak|relapsed?)\b", re.I)
SUPPORT = ("sponsor", "mentor")


def fill_size(path: Path | str, size: str, **options: Any) -> tuple[Store, DemoSummary]:
    store = Store.open(path, clock=Clock.fixed(TODAY))
    return store, fill_demo(store, today=TODAY, size=size, **options)


@pytest.fixture(scope="module")
def heavy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store, summary = fill_size(tmp_path_factory.mktemp("heavy") / "j.db", "heavy")
    yield store, summary
    store.close()


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    """Built once: about ten seconds."""
    store, summary = fill_size(tmp_path_factory.mktemp("stress") / "j.db", "stress")
    yield store, summary
    store.close()


def weeks_since_first_meeting(store: Store) -> float:
    first = store.first_meeting_date()
    assert first is not None
    return (TODAY - first).days / 7


def with_note(entries: list[Any]) -> float:
    return sum(bool(entry.note) for entry in entries) / len(entries)


def rows_of(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the journal areas in id order, without UUIDs and timestamps."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    for table in ("groups", "people", "attendance", "contacts", "service", "fit_ratings"):
        cursor = store.db.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [d[0] for d in cursor.description]
        dump[table] = [
            tuple(v for n, v in zip(names, row, strict=True) if n not in _STAMPS) for row in cursor
        ]
    return dump


def test_heavy_is_ten_years_of_about_seven_meetings_a_week_across_40_groups(
    heavy: tuple[Store, DemoSummary],
) -> None:
    store, summary = heavy
    counts = store.counts()
    assert summary.size == "heavy" and summary.years == 10
    assert (summary.groups, summary.people) == (counts["groups"], counts["people"]) == (40, 3)
    assert summary.attendance == counts["attendance"]
    weeks = weeks_since_first_meeting(store)
    assert 9.9 * 365.25 <= weeks * 7 <= 10.1 * 365.25
    attended = [a for a in store.list_attendance() if a.attended]
    assert 6.3 <= len(attended) / weeks <= 7.7
    # Every group was tried; some meetings were missed and logged so.
    assert {a.group_name for a in store.list_attendance()} == {g.name for g in store.list_groups()}
    assert 0.02 <= 1 - len(attended) / counts["attendance"] <= 0.15
    assert 450 <= counts["service"] <= 550
    assert 250 <= counts["fit_ratings"] <= 350


def test_heavy_has_three_sponsors_or_mentors_in_touch_about_weekly(
    heavy: tuple[Store, DemoSummary],
) -> None:
    store, _ = heavy
    people = store.list_people()
    assert len(people) == 3 and {p.role for p in people} <= set(SUPPORT)
    assert any(p.role == "sponsor" for p in people)
    for person in people:
        contacts = store.list_contacts(person_id=person.id)
        weeks = (TODAY - min(c.date for c in contacts)).days / 7
        assert 0.8 <= len(contacts) / weeks <= 1.2, person.alias
        # Weekly: usually about a week between contacts, never five weeks without a word.
        days = sorted({c.date for c in contacts})
        gaps = sorted((b - a).days for a, b in pairwise(days))
        assert gaps[len(gaps) // 2] <= 8 and gaps[-1] <= 35, person.alias
        assert person.days_since_contact(TODAY) is not None
    sponsor = next(p for p in people if p.role == "sponsor")
    assert sponsor.days_since_contact(TODAY) <= 7  # type: ignore[operator]


def test_heavy_has_notes_on_most_entries(heavy: tuple[Store, DemoSummary]) -> None:
    store, _ = heavy
    for entries in (
        store.list_attendance(),
        store.list_contacts(),
        store.list_service(),
        store.list_ratings(),
    ):
        assert with_note(entries) >= 0.6
    assert all(g.notes for g in store.list_groups())


def test_heavy_is_realistic(heavy: tuple[Store, DemoSummary]) -> None:
    store, _ = heavy
    groups = {g.name: g for g in store.list_groups()}
    statuses = [g.status for g in groups.values()]
    assert statuses.count("home-group") == 1
    assert {"regular", "paused", "not-for-me"} <= set(statuses)
    slugs = {entry.slug for entry in load_catalogue()}
    assert {g.catalogue_slug for g in groups.values() if g.catalogue_slug} <= slugs
    entries = store.list_attendance()
    # Every entry falls on one of its group's scheduled meetings, at the scheduled time, and
    # no two meetings attended are at the same moment.
    schedules = {name: Schedule.from_text(g.schedule or "") for name, g in groups.items()}
    for entry in entries:
        schedule = schedules[entry.group_name]
        assert entry.time == schedule.time
        moment = datetime.combine(entry.date, schedule.time)
        assert schedule.occurrences(moment, moment + timedelta(minutes=1)) == [moment]
    moments = [(a.date, a.time) for a in entries if a.attended]
    assert len(moments) == len(set(moments))
    # Quieter spells (holidays, colds, a harder patch) among ordinary busy weeks.
    per_week = store.meetings_by_week()
    first = min(per_week)
    weeks = [per_week.get(first + timedelta(weeks=n), 0) for n in range((TODAY - first).days // 7)]
    assert sorted(weeks)[len(weeks) // 2] >= 6
    assert sum(n <= 3 for n in weeks) >= 10
    # Nothing after today, and the dashboard looks alive.
    assert max(a.date for a in entries) < TODAY
    assert max(c.date for c in store.list_contacts()) <= TODAY
    assert max(s.date for s in store.list_service()) <= TODAY
    assert max(r.date for r in store.list_ratings()) <= TODAY
    assert len(store.list_attendance(since=TODAY - timedelta(days=7))) >= 4


def test_heavy_rows_are_valid_and_usable(heavy: tuple[Store, DemoSummary], tmp_path: Path) -> None:
    store, _ = heavy
    # Import checks every row again, as typed entries are checked.
    fresh = open_store(tmp_path / "copy.db")
    assert import_journal(fresh, export_journal(store)) == store.counts()
    assert content(fresh) == content(store)
    insights = gather(store)
    assert insights.consistency.goal == store.weekly_goal == 5
    assert not insights.check.drop
    assert insights.suggestions
    assert len(store.compare_groups()) == 40


def test_heavy_lapse_ends_in_a_quiet_spell_the_check_notices(tmp_path: Path) -> None:
    store, _ = fill_size(tmp_path / "j.db", "heavy", years=2, lapse=True)
    quiet = TODAY - timedelta(days=21)
    assert store.list_attendance(since=quiet) == []
    assert not [c for c in store.list_contacts() if c.date >= quiet]
    assert store.list_service(since=quiet) == []
    assert gather(store).check.drop


def test_stress_has_over_100000_meetings_and_proportionate_everything(
    stress: tuple[Store, DemoSummary], heavy: tuple[Store, DemoSummary]
) -> None:
    store, summary = stress
    counts = store.counts()
    assert summary.size == "stress" and summary.years == 50
    assert summary.attendance == counts["attendance"] >= 100_000
    weeks = weeks_since_first_meeting(store)
    assert 49.9 * 365.25 <= weeks * 7 <= 50.1 * 365.25
    assert 35 <= counts["attendance"] / weeks <= 50
    # Per meeting logged, about as many contacts, service entries and ratings as the heavy one.
    heavy_counts = heavy[0].counts()
    for table in ("contacts", "service", "fit_ratings"):
        ratio = counts[table] / counts["attendance"]
        heavy_ratio = heavy_counts[table] / heavy_counts["attendance"]
        assert 0.5 <= ratio / heavy_ratio <= 2, table
    assert counts["groups"] > 40 and counts["people"] > 3


def test_stress_rows_are_valid_and_usable(stress: tuple[Store, DemoSummary]) -> None:
    store, _ = stress
    db = store.db
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for index in ("attendance_fts", "contacts_fts", "service_fts", "fit_ratings_fts"):
        db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
    # The search index holds every note (the triggers fired for every row).
    found = db.execute(
        "SELECT count(*) FROM attendance_fts WHERE attendance_fts MATCH 'glad'"
    ).fetchone()[0]
    assert (
        found
        == db.execute("SELECT count(*) FROM attendance WHERE note LIKE '%glad%'").fetchone()[0]
        > 0
    )
    latest = store.list_attendance(limit=50)
    assert len(latest) == 50 and latest[0].date < TODAY
    assert len(store.list_people()) == store.counts()["people"]
    insights = gather(store)
    assert insights.consistency.runs.best > 0
    assert not insights.check.drop
    assert sum(c.times_attended for c in store.compare_groups()) == sum(
        1 for _ in db.execute("SELECT 1 FROM attendance WHERE attended = 1")
    )


def test_big_journals_use_warm_words(
    heavy: tuple[Store, DemoSummary], stress: tuple[Store, DemoSummary]
) -> None:
    for store, _ in (heavy, stress):
        texts: set[str] = set()
        for table, column in (
            ("groups", "name"),
            ("groups", "notes"),
            ("groups", "location"),
            ("people", "notes"),
            ("attendance", "note"),
            ("contacts", "note"),
            ("service", "note"),
            ("fit_ratings", "note"),
        ):
            texts |= {row[0] for row in store.db.execute(f"SELECT DISTINCT {column} FROM {table}")}
        assert len(texts) > 150
        for text in texts:
            assert not STIGMA.search(text) and not SCOLDING.search(text), text


def test_heavy_same_seed_same_journal_other_seed_other_journal(tmp_path: Path) -> None:
    def journal(name: str, seed: int) -> Store:
        numbers = iter(range(10**6))
        store = Store.open(
            tmp_path / name,
            clock=Clock.fixed(TODAY),
            new_uuid=lambda: f"00000000-0000-4000-8000-{next(numbers):012d}",
        )
        fill_demo(store, today=TODAY, seed=seed, size="heavy", years=3)
        return store

    first, again, other = journal("a.db", 5), journal("b.db", 5), journal("c.db", 6)
    # With the store's UUIDs and clock fixed, the exports are identical, UUIDs and all.
    assert export_journal(first) == export_journal(again)
    assert rows_of(first) == rows_of(again)
    assert rows_of(first)["attendance"] != rows_of(other)["attendance"]
    assert rows_of(first)["contacts"] != rows_of(other)["contacts"]


def test_stress_same_seed_same_rows(tmp_path: Path) -> None:
    first, _ = fill_size(tmp_path / "a.db", "stress", years=2, seed=11)
    again, _ = fill_size(tmp_path / "b.db", "stress", years=2, seed=11)
    assert rows_of(first) == rows_of(again)


@pytest.mark.parametrize("size", ["huge", "", None, 3, "Heavy"])
def test_rejects_an_unknown_size_without_writing(tmp_path: Path, size: Any) -> None:
    store = open_store(tmp_path / "j.db")
    with pytest.raises(InvalidField) as caught:
        fill_demo(store, today=TODAY, size=size)
    assert caught.value.field == "size"
    assert store.is_empty() and store.settings() == {}


@pytest.mark.parametrize("size", ["heavy", "stress"])
def test_big_sizes_check_years_too(tmp_path: Path, size: str) -> None:
    store = open_store(tmp_path / "j.db")
    for years in (0, 61):
        with pytest.raises(InvalidField, match="choose from 1 to 60"):
            fill_demo(store, today=TODAY, size=size, years=years)
    assert store.is_empty()


def test_normal_is_the_default_size(tmp_path: Path) -> None:
    default, summary = filled(tmp_path / "a.db", years=2)
    named = open_store(tmp_path / "b.db")
    named_summary = fill_demo(named, today=TODAY, size="normal")
    assert summary.size == named_summary.size == "normal" and named_summary.years == 2
    assert rows_of(default) == rows_of(named)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), years=st.integers(1, 2), lapse=st.booleans())
def test_any_heavy_journal_is_consistent(seed: int, years: int, lapse: bool) -> None:
    store, summary = fill_size(":memory:", "heavy", years=years, seed=seed, lapse=lapse)
    counts = store.counts()
    assert summary.attendance == counts["attendance"] > 0
    assert (summary.groups, summary.people) == (40, 3)
    assert summary.contacts == counts["contacts"] and summary.service == counts["service"]
    last = TODAY - timedelta(days=22 if lapse else 1)
    entries = store.list_attendance()
    assert max(a.date for a in entries) <= last
    assert all(a.attended or not a.shared for a in entries)
    assert max(c.date for c in store.list_contacts()) <= (last if lapse else TODAY)
    assert min(a.date for a in entries) >= TODAY - timedelta(days=round(years * 365.25))
    assert 4.5 <= sum(a.attended for a in entries) / weeks_since_first_meeting(store) <= 8.5


# --- the command --------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(
        cli, list(args), env={"TRACKER_TODAY": TODAY.isoformat(), **(env or {})}
    )


def test_demo_command_heavy_prints_its_counts(tmp_path: Path) -> None:
    path = tmp_path / "heavy.db"
    result = run_cli("--db", str(path), "demo", "--size", "heavy", "--years", "2")
    assert result.exit_code == 0, result.output
    store = open_store(path)
    counts = store.counts()
    assert counts["groups"] == 40 and counts["people"] == 3
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"Filled {path} with 2 years of heavy sample data: ")
    assert (
        f"{counts['attendance']} meetings, 40 groups, 3 people, {counts['contacts']} contacts"
        in (first)
    )
    assert gather(store).suggestions


def test_demo_command_default_years_follow_the_size(tmp_path: Path) -> None:
    path = tmp_path / "heavy.db"
    result = run_cli("--db", str(path), "demo", "--size", "heavy", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "with 10 years of heavy sample data" in result.stdout
    assert weeks_since_first_meeting(open_store(path)) * 7 >= 9.9 * 365.25


def test_demo_command_refuses_an_unknown_size(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    result = run_cli("--db", str(path), "demo", "--size", "huge")
    assert result.exit_code == 2
    assert "'--size'" in result.output and "heavy" in result.output
    assert not path.exists()

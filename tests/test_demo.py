"""The demo journal: fills every area, only a new journal, the same for the same seed, all valid."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracker.clock import Clock
from tracker.demo import DemoSummary, fill_demo
from tracker.domain.catalogue import load_catalogue
from tracker.domain.models import GroupFields
from tracker.domain.schedules import Schedule
from tracker.errors import InvalidField, TrackerError
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

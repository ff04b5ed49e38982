"""``tracker suggest``, ``tracker excuse``, ``tracker demo --lapse`` and the engagement part of
``tracker status``: what they print, what they write, and how they refuse bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import AttendanceFields, ContactFields, GroupFields, PersonFields
from tracker.domain.profile import Profile
from tracker.store import Store

TODAY = date(2026, 11, 26)  # a Thursday
MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def open_store(path: Path) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("tracker: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A person in recovery for whom stigma gets in the way, who goes to NA."""
    path = tmp_path / "journal.db"
    store = open_store(path)
    na = store.add_group(
        GroupFields(name="NA Downtown", tags=("12-step",), catalogue_slug="narcotics-anonymous")
    )
    store.log_attendance(AttendanceFields(group_id=na.id, date=TODAY - timedelta(days=2)))
    store.set_profile(Profile(journal_for="me", barriers=("stigma",), asked=True))
    store.close()
    return path


def slugs(payload: dict[str, Any]) -> list[str]:
    return [s["slug"] for s in payload["suggestions"]]


# --- suggest -------------------------------------------------------------------------------------


def test_suggest_ranks_for_the_profile_with_reasons(journal: Path) -> None:
    payload = as_json(run(journal, "suggest", "--json", "--all"))
    assert payload["drop"] is False
    found = slugs(payload)
    assert "narcotics-anonymous" not in found  # already tried
    # Stigma: anonymous online options come first.
    first = payload["suggestions"][0]
    assert "online" in first["formats"]
    assert any("stigma" in reason for reason in first["reasons"])
    # Family support is for families: for a person in recovery it comes after everything else.
    audiences = [s["audience"] for s in payload["suggestions"]]
    family = [i for i, a in enumerate(audiences) if a == "family"]
    others = [i for i, a in enumerate(audiences) if a != "family"]
    assert family and others and min(family) > max(others)


def test_suggest_text_shows_why_and_how_to_find(journal: Path) -> None:
    result = run(journal, "suggest", "--place", "Leeds")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. ")
    assert lines[1].startswith("   Why: ")
    assert "How to find one:" in result.stdout
    assert result.stdout.count("\n1. ") + lines[0].startswith("1. ") == 1
    assert "more with --all." in result.stdout


def test_dismiss_snooze_undo_and_try(journal: Path) -> None:
    top = slugs(as_json(run(journal, "suggest", "--json")))
    first, second, third = top[:3]

    dismissed = run(journal, "suggest", "--dismiss", first)
    assert dismissed.exit_code == 0 and "won't be suggested again" in dismissed.stdout
    after = slugs(as_json(run(journal, "suggest", "--json", "--all")))
    assert first not in after

    snoozed = run(journal, "suggest", "--snooze", second)
    assert snoozed.exit_code == 0 and "Thu 10 Dec" in snoozed.stdout
    assert second not in slugs(as_json(run(journal, "suggest", "--json", "--all")))
    # Two weeks later it is back.
    later = CliRunner().invoke(
        cli,
        ["--db", str(journal), "suggest", "--json", "--all"],
        env={"TRACKER_TODAY": "2026-12-10"},
    )
    assert second in slugs(as_json(later))

    undone = run(journal, "suggest", "--undo", first)
    assert undone.exit_code == 0 and "can be suggested again" in undone.stdout
    assert first in slugs(as_json(run(journal, "suggest", "--json", "--all")))
    nothing = run(journal, "suggest", "--undo", first)
    assert "nothing to undo" in nothing.stdout

    tried = run(journal, "suggest", "--try", third)
    assert tried.exit_code == 0, tried.output
    assert "Added" in tried.stdout and "tracker log" in tried.stdout
    store = open_store(journal)
    try:
        group = next(g for g in store.list_groups() if g.catalogue_slug == third)
        assert group.status == "trying"
    finally:
        store.close()
    assert third not in slugs(as_json(run(journal, "suggest", "--json", "--all")))


def test_suggest_refuses_unknown_slugs_and_two_actions(journal: Path) -> None:
    assert_error(run(journal, "suggest", "--dismiss", "no-such-thing"), "no-such-thing")
    assert_error(
        run(journal, "suggest", "--dismiss", "sober-hiking", "--snooze", "recovery-yoga"),
        "one of",
    )
    store = open_store(journal)
    try:
        assert store.suggestion_feedback() == {}  # nothing was written
    finally:
        store.close()


def test_try_respects_the_formats_that_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "online.db"
    store = open_store(path)
    store.set_profile(Profile(formats=("online",), asked=True))
    store.close()
    payload = as_json(run(path, "suggest", "--json", "--all"))
    assert all("online" in s["formats"] for s in payload["suggestions"])
    assert run(path, "suggest", "--try", "mara").exit_code == 0
    store = open_store(path)
    try:
        assert [g.format for g in store.list_groups()] == ["online"]  # MARA is in person or online
    finally:
        store.close()


# --- excuse --------------------------------------------------------------------------------------


def test_excusing_a_week_keeps_it_from_counting(tmp_path: Path) -> None:
    path = tmp_path / "weeks.db"
    store = open_store(path)
    na = store.add_group(GroupFields(name="NA Downtown"))
    # Four weeks: met, missed, missed, met (goal 1); then this week.
    for week in (4, 1):
        store.log_attendance(AttendanceFields(group_id=na.id, date=MONDAY - timedelta(weeks=week)))
    store.close()
    before = as_json(run(path, "status", "--json"))["consistency"]
    assert before["weeks_met"]["4"] == {"met": 2, "counted": 4, "excused": 0}

    result = run(path, "excuse", "2026-11-04", "--reason", "illness", "--note", "flu")
    assert result.exit_code == 0, result.output
    assert "The week of Mon 2 Nov is excused (illness)" in result.stdout
    after = as_json(run(path, "status", "--json"))["consistency"]
    assert after["weeks_met"]["4"] == {"met": 2, "counted": 3, "excused": 1}
    assert after["strength_percent"] > before["strength_percent"]

    listing = run(path, "excuse", "--list")
    assert listing.stdout.strip() == "Week of Mon 2 Nov: illness — flu"

    removed = run(path, "excuse", "2026-11-02", "--remove")
    assert "counts as usual again" in removed.stdout
    assert as_json(run(path, "status", "--json"))["consistency"] == before
    again = run(path, "excuse", "2026-11-02", "--remove")
    assert "wasn't excused" in again.stdout


def test_excuse_refuses_bad_input_and_writes_nothing(journal: Path) -> None:
    assert_error(run(journal, "excuse", "today", "--reason", "holiday"), "reason")
    assert_error(run(journal, "excuse", "someday"), "week")
    assert_error(run(journal, "excuse", "2027-06-01"), "week")
    assert run(journal, "excuse", "--list").stdout.strip() == "No excused weeks yet."


# --- demo --lapse and status ---------------------------------------------------------------------


def test_a_demo_that_ends_in_a_lapse_shows_the_drop(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    filled = run(path, "demo", "--years", "1", "--lapse")
    assert filled.exit_code == 0, filled.output
    assert "ending in a quiet spell" in filled.stdout
    payload = as_json(run(path, "status", "--json"))
    engagement = payload["engagement"]
    assert engagement["drop"] is True
    codes = [s["code"] for s in engagement["signals"]]
    assert {"no-meeting", "no-contact", "missed-weeks"} <= set(codes)
    assert payload["last_meeting"]["days_ago"] >= 21
    assert [a["key"] for a in engagement["advice"]][:2] == ["reach-out", "online-this-week"]
    assert len(payload["suggestions"]) == 3
    text = run(path, "status").stdout
    assert "Things have been quieter lately." in text
    assert "Groups you might try:" in text


def test_a_demo_without_a_lapse_is_steady(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    assert run(path, "demo", "--years", "1").exit_code == 0
    engagement = as_json(run(path, "status", "--json"))["engagement"]
    assert engagement["drop"] is False, engagement


def test_status_names_the_quiet_sponsor(tmp_path: Path) -> None:
    path = tmp_path / "quiet.db"
    store = open_store(path)
    na = store.add_group(GroupFields(name="NA Downtown"))
    for week in range(6):
        day = TODAY - timedelta(weeks=week, days=1)
        store.log_attendance(AttendanceFields(group_id=na.id, date=day))
    sam = store.add_person(PersonFields(alias="[bold]Sam[/]", role="sponsor"))
    store.log_contact(ContactFields(person_id=sam.id, date=TODAY - timedelta(days=20)))
    store.close()
    signals = as_json(run(path, "status", "--json"))["engagement"]["signals"]
    assert [s["code"] for s in signals] == ["no-contact"]
    assert "[bold]Sam[/]" in signals[0]["words"]
    assert "20 days" in signals[0]["words"]


def test_a_first_meeting_is_a_start_not_a_drop(tmp_path: Path) -> None:
    """Groups added long before, the first meeting logged today: weeks begin today."""
    path = tmp_path / "new.db"
    store = open_store(path)
    na = store.add_group(GroupFields(name="NA Downtown"))
    store.close()
    assert run(path, "log", "NA").exit_code == 0
    payload = as_json(run(path, "status", "--json"))
    assert payload["engagement"] == {"drop": False, "signals": [], "advice": []}
    assert payload["consistency"]["weeks_met"]["4"] == {"met": 0, "counted": 0, "excused": 0}
    assert payload["consistency"]["current_run_weeks"] == 1  # this week's goal is already met
    assert na.id == 1


def test_an_imported_profile_that_makes_no_sense_is_read_as_unanswered(tmp_path: Path) -> None:
    source = tmp_path / "odd.json"
    export = tmp_path / "journal.db"
    store = open_store(export)
    store.add_group(GroupFields(name="NA Downtown"))
    store.close()
    assert run(export, "export", "--out", str(source)).exit_code == 0
    data = json.loads(source.read_text())
    data["settings"]["profile"] = {"journal_for": ["me"], "barriers": [{"x": 1}], "asked": 1}
    data["settings"]["engagement"] = {"meeting_days": "soon"}
    source.write_text(json.dumps(data))
    target = tmp_path / "target.db"
    assert run(target, "import", str(source)).exit_code == 0
    assert run(target, "status").exit_code == 0
    assert as_json(run(target, "suggest", "--json"))["suggestions"]


def test_excused_weeks_are_named_by_their_monday(journal: Path) -> None:
    assert "The week of Mon 23 Nov is excused" in run(journal, "excuse", "today").stdout
    assert "The week of Mon 24 Nov 2025 is excused" in run(journal, "excuse", "2025-11-26").stdout
    listed = run(journal, "excuse", "--list").stdout.splitlines()
    assert listed == ["Week of Mon 23 Nov: other", "Week of Mon 24 Nov 2025: other"]

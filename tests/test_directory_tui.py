"""Pilot tests of the Meeting directory (b): filtering by keys, details, Add to my groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from textual.widgets import DataTable, Input, Select, Static

from tracker.app import TrackerApp, create_app
from tracker.clock import Clock
from tracker.domain.schedules import stored_schedule
from tracker.meetings.feeds import parse_feed
from tracker.screens.dashboard import DashboardScreen
from tracker.screens.directory import DirectoryScreen
from tracker.screens.forms import FormScreen
from tracker.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
FEEDS = FIXTURES / "meeting-guide"
MARKUP_NAME = "[bold]Loud[/] [@click=app.quit]quit[/] [link=https://x.example]x[/link]"


@pytest.fixture(autouse=True)
def london(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


def import_feed(db: Path, path: Path, name: str) -> None:
    store = Store.open(db, clock=Clock.fixed(TODAY))
    try:
        store.import_meetings(parse_feed(path.read_bytes()), name=name, location=str(path))
    finally:
        store.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    import_feed(path, FEEDS / "sussex-aa-uk.json", "Sussex AA")
    import_feed(path, FEEDS / "al-anon-massachusetts.json", "Al-Anon MA")
    markup = [
        {
            "slug": "markup",
            "name": MARKUP_NAME,
            "day": 2,
            "time": "19:15",
            "notes": "Bring [red]tea[/red]\x1b[2J",
            "conference_url": "https://zoom.us/j/999",
            "formatted_address": "Online",
        }
    ]
    (tmp_path / "markup.json").write_text(json.dumps(markup))
    import_feed(path, tmp_path / "markup.json", "Odd list")
    return path


def app_on(db: Path) -> TrackerApp:
    return create_app(db_path=db, today=TODAY)


def screen_of(app: TrackerApp) -> DirectoryScreen:
    assert isinstance(app.screen, DirectoryScreen)
    return app.screen


def rows(app: TrackerApp) -> list[str]:
    screen = screen_of(app)
    return [found.meeting.slug for found in screen.shown.values()]


async def choose(pilot: Any, widget_id: str, label_start: str) -> None:
    """Open a filter's list with Enter, move to the option, and pick it, by keys only."""
    screen = screen_of(pilot.app)
    select = screen.query_one(widget_id, Select)
    select.focus()
    await settle(pilot)
    await press(pilot, "enter")
    options = [str(prompt) for prompt, _value in select._options]
    target = next(i for i, label in enumerate(options) if label.startswith(label_start))
    current = next((i for i, (_p, value) in enumerate(select._options) if value == select.value), 0)
    for _ in range(target - current):
        await press(pilot, "down")
    await press(pilot, "enter")


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_online_meetings_on_tuesday_evening(db: Path, size: tuple[int, int]) -> None:
    app = app_on(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        screen = screen_of(app)
        assert screen.selection_total == 483 + 1
        await choose(pilot, "#directory-day", "Tuesday")
        await choose(pilot, "#directory-time", "Evening")
        await choose(pilot, "#directory-way", "Online")
        status = text_of(screen.query_one("#directory-status", Static))
        assert status.startswith(
            f"{screen.selection_total} meetings · online (or hybrid), Tuesday, evening"
        )
        assert 0 < screen.selection_total < 60
        for found in screen.shown.values():
            meeting = found.meeting
            assert 2 in meeting.days and meeting.attendance in ("online", "hybrid")
            assert "16:00" <= (meeting.time or "") < "21:00"
        times = [f.next_time for f in screen.shown.values()]
        assert times == sorted(times)  # type: ignore[type-var]
        # x clears every filter.
        screen.query_one("#table", DataTable).focus()
        await press(pilot, "x")
        assert screen.selection_total == 484


async def test_words_filter_and_details_are_literal(db: Path) -> None:
    app = app_on(db)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "b", "f")
        screen = screen_of(app)
        assert isinstance(app.focused, Input)
        for key in "loud":
            await pilot.press(key)
        await pilot.pause(0.3)
        await settle(pilot)
        assert rows(app) == ["markup"]
        await press(pilot, "down")  # to the table
        detail = text_of(screen.query_one("#directory-detail", Static))
        assert MARKUP_NAME in detail  # shown as typed, not styled or run
        assert "Bring [red]tea[/red]" in detail
        assert "\x1b" not in detail
        assert "Link: https://zoom.us/j/999" in detail
        assert app.is_running  # [@click=app.quit] did nothing


async def test_add_to_my_groups_shows_on_the_dashboard(db: Path) -> None:
    app = app_on(db)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "b", "f")
        for key in "rehoboth beach speaker":
            await pilot.press(key if key != " " else "space")
        await pilot.pause(0.3)
        await settle(pilot)
        screen = screen_of(app)
        assert rows(app) == ["rehoboth-beach-speaker"]
        await press(pilot, "down", "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-name Input", Input).value == "Rehoboth Beach Speaker"
        assert form.query_one("#field-schedule Input", Input).value == "Sundays at 19:00"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, DirectoryScreen)
        group = next(g for g in app.store.list_groups() if g.name == "Rehoboth Beach Speaker")
        schedule = stored_schedule(group.schedule)
        assert schedule is not None and schedule.describe() == "Sundays at 19:00"
        linked = [m for m in app.store.directory() if m.group_id == group.id]
        assert [m.slug for m in linked] == ["rehoboth-beach-speaker"]
        detail = text_of(screen.query_one("#directory-detail", Static))
        assert "One of your groups: Rehoboth Beach Speaker" in detail
        # Twice is not offered: it says so.
        await press(pilot, "a")
        assert isinstance(app.screen, DirectoryScreen)
        # The dashboard's coming-up list has it (Sunday is within the week).
        await press(pilot, "1")
        assert isinstance(app.screen, DashboardScreen)
        dashboard = " ".join(text_of(w) for w in app.screen.query(Static))
        assert "Rehoboth Beach Speaker" in dashboard


async def test_empty_directory_says_how_to_import(tmp_path: Path) -> None:
    app = create_app(db_path=tmp_path / "empty.db", today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        empty = text_of(screen_of(app).query_one("#empty", Static))
        assert "No meeting lists yet" in empty
        assert "tracker meetings import" in empty
        await press(pilot, "a", "c", "x")  # nothing highlighted: nothing happens, no crash
        assert isinstance(app.screen, DirectoryScreen)


async def test_copy_link(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_on(db)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "b", "f")
        for key in "loud":
            await pilot.press(key)
        await pilot.pause(0.3)
        await press(pilot, "down", "c")
        assert copied == ["https://zoom.us/j/999"]

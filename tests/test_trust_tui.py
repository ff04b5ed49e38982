"""Pilot tests for the app's side of trust: the lock screen, discreet mode, the hide key, the idle
lock, two windows (or a shell) writing at once, and a busy journal."""

from __future__ import annotations

import asyncio
import html
import os
import re
import sqlite3
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from pilot import LARGE, SMALL, TODAY, press, settle
from rich.text import Text
from textual.widgets import Checkbox, DataTable, Input, Select

import tracker.app as app_module
from tracker.app import TrackerApp, create_app
from tracker.clock import Clock
from tracker.domain.models import AttendanceFields, GroupFields
from tracker.domain.schedules import parse_schedule
from tracker.screens.attendance import MeetingsScreen
from tracker.screens.base import JournalScreen
from tracker.screens.dashboard import DashboardScreen
from tracker.screens.forms import FormScreen
from tracker.screens.help import HelpScreen
from tracker.screens.lock import HiddenScreen, LockScreen
from tracker.store import Store
from tracker.store.backup import daily_backup_path

PASSPHRASE = "blue kettle at dawn"
GROUP = "NA Downtown"
BUSY = "The journal is busy in another window; please try again in a moment."


# --- helpers -------------------------------------------------------------------------------------


def screen_lines(app: TrackerApp) -> list[str]:
    """What the terminal shows, line by line (from the app's own screenshot)."""
    svg = app.export_screenshot()
    rows: dict[float, list[str]] = defaultdict(list)
    for y, text in re.findall(r'<text [^>]*y="([0-9.]+)"[^>]*>([^<]*)</text>', svg):
        rows[float(y)].append(html.unescape(text).replace("\xa0", " "))
    return ["".join(parts) for _y, parts in sorted(rows.items())]


def screen_text(app: TrackerApp) -> str:
    return "\n".join(screen_lines(app))


def add_group(store: Store, name: str = GROUP, schedule: str | None = None) -> int:
    text = None
    if schedule:
        parsed = parse_schedule(schedule, today=date(2026, 10, 1))
        assert parsed is not None
        text = parsed.to_text()
    return store.add_group(GroupFields(name=name, schedule=text, status="home-group")).id


def table_rows(app: TrackerApp) -> list[list[str]]:
    table = app.screen.query_one("#table", DataTable)
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


async def wait_until(pilot: Any, condition: Callable[[], bool], seconds: float = 8.0) -> None:
    """Let the app run (timers, workers) until ``condition`` holds; fail after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.05)
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


def record_notifications(app: TrackerApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    notify = app.notify

    def recording(message: str, **options: Any) -> None:
        seen.append(message)
        notify(message, **options)

    monkeypatch.setattr(app, "notify", recording)
    return seen


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def plain(db_path: Path) -> Path:
    """A plain journal with one group and one meeting logged (so Home names the group)."""
    store = Store.open(db_path, clock=Clock.fixed(TODAY))
    group_id = add_group(store)
    store.log_attendance(AttendanceFields(group_id=group_id, date=date(2026, 11, 24)))
    store.close()
    return db_path


@pytest.fixture
def encrypted(db_path: Path) -> Path:
    """The same, encrypted with PASSPHRASE."""
    store = Store.open(db_path, clock=Clock.fixed(TODAY), passphrase=PASSPHRASE)
    assert store.encrypted
    group_id = add_group(store)
    store.log_attendance(AttendanceFields(group_id=group_id, date=date(2026, 11, 24)))
    store.close()
    return db_path


# --- the lock screen -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_lock_screen_shows_nothing_until_the_right_passphrase(
    encrypted: Path, size: tuple[int, int], capfd: pytest.CaptureFixture[str]
) -> None:
    app = create_app(db_path=encrypted, today=TODAY)
    assert not app.unlocked
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert "Type its passphrase and press Enter" in shown
        assert "Downtown" not in shown
        assert "Tracker" not in shown and app.title == "Notes"
        # No journal screen exists yet, so nothing could have read the journal.
        assert not any(isinstance(s, JournalScreen) for s in app.screen_stack)
        assert isinstance(app.focused, Input) and app.focused.password

        await type_text(pilot, "not it")
        await press(pilot, "enter")
        assert isinstance(app.screen, LockScreen)
        assert "didn't open it" in screen_text(app)
        assert app.screen.query_one("#lock-input", Input).value == ""
        assert not app.unlocked
        # The app's keys do nothing while locked (even with the box not focused): no
        # section, no help, no command palette.
        box = app.screen.query_one("#lock-input", Input)
        app.set_focus(None)
        for key in ("2", "question_mark", "ctrl+p", "ctrl+t"):
            await press(pilot, key)
            assert isinstance(app.screen, LockScreen), key
        assert "Downtown" not in screen_text(app)
        assert app.theme == "textual-dark"
        await press(pilot, "tab")
        assert app.focused is box and box.value == ""

        await type_text(pilot, PASSPHRASE)
        await press(pilot, "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded
        )
        assert app.store.encrypted
        assert "Downtown" in screen_text(app)
        assert app.title == "Tracker"
        # A wrong passphrase made no noise on the terminal's error stream.
    assert capfd.readouterr().err == ""


async def test_unlocking_continues_the_usual_start(encrypted: Path) -> None:
    """After the passphrase: today's backup (encrypted too), then the first-run questions."""
    daily = daily_backup_path(encrypted, TODAY)
    app = create_app(db_path=encrypted, today=TODAY, ask_profile=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert not daily.exists()  # nothing is read, nor copied, before the passphrase
        await type_text(pilot, PASSPHRASE)
        await press(pilot, "enter")
        await wait_until(pilot, daily.exists)
        form = app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Welcome to Tracker"
    backup = daily.read_bytes()
    assert not backup.startswith(b"SQLite format 3") and b"Downtown" not in backup


async def test_an_empty_passphrase_is_asked_for_again(encrypted: Path) -> None:
    app = create_app(db_path=encrypted, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, LockScreen)
        assert "type the passphrase first" in screen_text(app)


async def test_a_given_passphrase_opens_without_the_lock_screen(encrypted: Path) -> None:
    app = create_app(db_path=encrypted, today=TODAY, passphrase=PASSPHRASE)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Downtown" in screen_text(app)


# --- the hide key --------------------------------------------------------------------------------


async def test_hide_key_on_a_plain_journal_shows_a_neutral_page_until_esc(plain: Path) -> None:
    app = create_app(db_path=plain, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "Downtown" in screen_text(app)
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, HiddenScreen)
        shown = screen_text(app)
        assert "Notes" in shown and "Thursday 26 November" in shown
        for word in ("Downtown", "Tracker", "Home", "Meetings", "journal"):
            assert word not in shown, word
        # The app's keys wait: no section switch behind the page.
        await press(pilot, "3")
        assert isinstance(app.screen, HiddenScreen)
        assert app.current_mode == "home"
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert "Downtown" in screen_text(app)
        assert app.title == "Tracker"


async def test_hide_key_works_inside_a_form_and_comes_back_to_it(plain: Path) -> None:
    app = create_app(db_path=plain, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "a")  # log any meeting: a form, the cursor in its first field
        form = app.screen
        assert isinstance(form, FormScreen)
        day = form.query_one("#input-date", Input)
        day.focus()
        day.value = ""
        await type_text(pilot, "yesterday")
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, HiddenScreen)
        assert "yesterday" not in screen_text(app)
        await press(pilot, "ctrl+l")
        assert app.screen is form
        assert day.value == "yesterday"


async def test_hide_key_on_an_encrypted_journal_locks_it(encrypted: Path) -> None:
    app = create_app(db_path=encrypted, today=TODAY, passphrase=PASSPHRASE)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert isinstance(app.screen, MeetingsScreen)
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, LockScreen)
        assert app.locked
        shown = screen_text(app)
        assert "Downtown" not in shown and "Meetings" not in shown
        # Neither Esc, the hide key again, nor a section key leaves the lock screen.
        app.set_focus(None)
        for key in ("escape", "ctrl+l", "1"):
            await press(pilot, key)
            assert isinstance(app.screen, LockScreen), key
        await press(pilot, "tab")
        assert isinstance(app.focused, Input)
        await type_text(pilot, PASSPHRASE + "x")
        await press(pilot, "enter")
        assert isinstance(app.screen, LockScreen)
        assert "didn't open it" in screen_text(app)
        await type_text(pilot, PASSPHRASE)
        await press(pilot, "enter")
        # Back where the person was.
        assert isinstance(app.screen, MeetingsScreen)
        assert app.current_mode == "meetings"
        assert "Downtown" in screen_text(app)


async def test_a_write_that_finishes_while_locked_waits_behind_the_lock(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(db_path=encrypted, today=TODAY, passphrase=PASSPHRASE)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        seen = record_notifications(app, monkeypatch)
        release = threading.Event()

        def slow_write() -> str:
            release.wait(5)
            return "done"

        app.save(slow_write, message=f"Logged {GROUP}.")
        await pilot.press("ctrl+l")  # not press(): that would wait for the write
        await pilot.pause()
        assert app.locked
        release.set()
        await settle(pilot)
        # The write finished, but its message didn't appear over (or instead of) the lock.
        assert isinstance(app.screen, LockScreen)
        assert seen == []
        await type_text(pilot, PASSPHRASE)
        await press(pilot, "enter")
        assert isinstance(app.screen, DashboardScreen)
        assert seen == [f"Logged {GROUP}."]


# --- the idle lock -------------------------------------------------------------------------------


class FakeIdleClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def with_lock_after(path: Path, minutes: int, passphrase: str | None = PASSPHRASE) -> None:
    store = Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)
    store.set_setting("lock_after_minutes", minutes)
    store.close()


async def test_idle_lock_counts_from_the_last_key(encrypted: Path) -> None:
    with_lock_after(encrypted, 5)
    app = create_app(db_path=encrypted, today=TODAY, passphrase=PASSPHRASE)
    clock = FakeIdleClock()
    app.idle_clock = clock
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.lock_after_minutes == 5
        clock.now += 4 * 60
        app.check_idle_lock()
        assert not app.locked
        await press(pilot, "down")  # a key: the idle time starts again
        clock.now += 4 * 60
        app.check_idle_lock()
        assert not app.locked
        clock.now += 61
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "Downtown" not in screen_text(app)


async def test_idle_lock_timer_locks_by_itself(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_lock_after(encrypted, 1)
    monkeypatch.setattr(app_module, "IDLE_CHECK_EVERY", 0.05)
    app = create_app(db_path=encrypted, today=TODAY, passphrase=PASSPHRASE)
    clock = FakeIdleClock()
    app.idle_clock = clock
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert not app.locked
        clock.now += 60
        await wait_until(pilot, lambda: app.locked, seconds=3)
        assert isinstance(app.screen, LockScreen)


async def test_a_plain_journal_never_locks_by_itself(plain: Path) -> None:
    with_lock_after(plain, 1, passphrase=None)
    app = create_app(db_path=plain, today=TODAY)
    clock = FakeIdleClock()
    app.idle_clock = clock
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.lock_after_minutes == 0
        clock.now += 3600
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


# --- discreet mode -------------------------------------------------------------------------------


async def test_discreet_flag_makes_the_title_and_header_neutral(plain: Path) -> None:
    app = create_app(db_path=plain, today=TODAY, discreet=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert (app.title, app.sub_title) == ("Notes", "")
        header = screen_lines(app)[0]
        assert "Thu 26 Nov" in header and header.lstrip().startswith("Notes")
        for word in ("Tracker", "journal", "private"):
            assert word not in header, word


async def test_discreet_setting_and_the_usual_header(plain: Path) -> None:
    usual = create_app(db_path=plain, today=TODAY)
    async with usual.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert usual.title == "Tracker"
        assert "Tracker" in screen_lines(usual)[0]
    store = Store.open(plain, clock=Clock.fixed(TODAY))
    store.set_setting("discreet", True)
    store.close()
    app = create_app(db_path=plain, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.title == "Notes"
        assert "Tracker" not in screen_lines(app)[0]


async def test_settings_form_saves_discreet_mode_and_the_idle_lock(encrypted: Path) -> None:
    app = create_app(db_path=encrypted, today=TODAY, passphrase=PASSPHRASE)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, FormScreen)
        box = form.query_one("#input-discreet", Checkbox)
        assert box.value is False
        box.focus()
        await press(pilot, "space")
        choice = form.query_one("#input-lock_after", Select)
        assert choice.value == 0
        choice.value = 15
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        assert app.store.get_setting("discreet") is True
        assert app.store.get_setting("lock_after_minutes") == 15
        # At once, without a restart.
        assert app.discreet and app.lock_after_minutes == 15
        assert "Tracker" not in screen_lines(app)[0]
        # And it opens the form again with what was saved.
        await press(pilot, "s")
        assert app.screen.query_one("#input-discreet", Checkbox).value is True
        assert app.screen.query_one("#input-lock_after", Select).value == 15


async def test_settings_of_a_plain_journal_offer_no_idle_lock(plain: Path) -> None:
    app = create_app(db_path=plain, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query("#input-discreet")
        assert not form.query("#input-lock_after")


async def test_help_documents_the_hide_key(plain: Path) -> None:
    app = create_app(db_path=plain, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "ctrl+l" in screen_text(app)


# --- two at once ---------------------------------------------------------------------------------


@pytest.fixture
def quick_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "OUTSIDE_CHANGES_EVERY", 0.05)


def logged_in(path: Path) -> list[tuple[date, bool]]:
    store = Store.open(path, clock=Clock.fixed(TODAY))
    try:
        return sorted((e.date, e.attended) for e in store.list_attendance())
    finally:
        store.close()


def meeting_days(app: TrackerApp) -> list[str]:
    return [row[0] for row in table_rows(app)]


@pytest.fixture
def empty_with_group(db_path: Path) -> Path:
    store = Store.open(db_path, clock=Clock.fixed(TODAY))
    add_group(store)
    store.close()
    return db_path


@pytest.mark.usefixtures("quick_polling")
async def test_a_second_connection_writing_shows_up_without_a_restart(
    empty_with_group: Path,
) -> None:
    app = create_app(db_path=empty_with_group, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert table_rows(app) == []
        other = Store.open(empty_with_group, clock=Clock.fixed(TODAY))
        try:
            group = other.list_groups()[0]
            other.log_attendance(AttendanceFields(group_id=group.id, date=date(2026, 11, 20)))
        finally:
            other.close()
        await wait_until(pilot, lambda: len(table_rows(app)) == 1)
        assert GROUP in table_rows(app)[0]
        # The app saves one through its own form meanwhile: both land.
        await press(pilot, "a")
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MeetingsScreen)
        await wait_until(pilot, lambda: len(table_rows(app)) == 2)
    assert logged_in(empty_with_group) == [(date(2026, 11, 20), True), (TODAY, True)]


@pytest.mark.usefixtures("quick_polling")
async def test_tracker_log_from_a_shell_shows_up_without_a_restart(
    empty_with_group: Path,
) -> None:
    app = create_app(db_path=empty_with_group, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        await press(pilot, "a")
        await press(pilot, "ctrl+s")  # today, from the app
        assert len(table_rows(app)) == 1
        env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat()}
        env.pop("TRACKER_PASSPHRASE", None)
        shell = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tracker",
            "--db",
            str(empty_with_group),
            "log",
            GROUP,
            "--date",
            "yesterday",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await shell.communicate()
        assert shell.returncode == 0, (out, err)
        await wait_until(pilot, lambda: len(table_rows(app)) == 2)
        assert all(GROUP in row for row in table_rows(app))
    assert logged_in(empty_with_group) == [(date(2026, 11, 25), True), (TODAY, True)]


# --- a busy journal ------------------------------------------------------------------------------


@pytest.fixture
def scheduled(db_path: Path) -> Path:
    """A group that met on Tuesday (so Home offers to log it with l), nothing logged yet."""
    store = Store.open(db_path, clock=Clock.fixed(TODAY))
    add_group(store, schedule="Tuesdays 7pm")
    store.close()
    return db_path


@pytest.fixture
def write_lock(scheduled: Path) -> Iterator[sqlite3.Connection]:
    """Another connection, ready to hold the journal's write lock (BEGIN IMMEDIATE)."""
    conn = sqlite3.connect(scheduled, isolation_level=None, check_same_thread=False)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


async def test_a_busy_journal_is_retried_and_the_write_lands(
    scheduled: Path, write_lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.store.connection.BUSY_TIMEOUT_MS", 5000)
    app = create_app(db_path=scheduled, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        seen = record_notifications(app, monkeypatch)
        write_lock.execute("BEGIN IMMEDIATE")
        timer = threading.Timer(0.4, lambda: write_lock.execute("ROLLBACK"))
        timer.start()
        await press(pilot, "l")
        timer.join()
        entries = app.store.list_attendance()
        assert [(e.date, e.time) for e in entries] == [(date(2026, 11, 24), time(19, 0))]
        assert BUSY not in seen
        assert any(message.startswith(f"Logged {GROUP}") for message in seen)


async def test_a_journal_busy_too_long_is_reported_kindly(
    scheduled: Path, write_lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.store.connection.BUSY_TIMEOUT_MS", 150)
    app = create_app(db_path=scheduled, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        seen = record_notifications(app, monkeypatch)
        write_lock.execute("BEGIN IMMEDIATE")
        await press(pilot, "l")
        assert seen == [BUSY]
        assert app.store.list_attendance() == []
        assert isinstance(app.screen, DashboardScreen)  # nothing crashed
        # Once the other window is done, the same key works.
        write_lock.execute("ROLLBACK")
        await press(pilot, "l")
        assert len(app.store.list_attendance()) == 1


# --- crashes never show a passphrase or a note --------------------------------------------------


async def test_an_unexpected_error_while_unlocking_is_a_message_not_a_crash(
    encrypted: Path,
) -> None:
    app = create_app(db_path=encrypted, today=TODAY)

    def opener(passphrase: str) -> Store:
        raise PermissionError(13, "Permission denied", str(encrypted))

    app.opener = opener
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press(*"secret words", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = "\n".join(screen_lines(app))
        assert "couldn't be opened (PermissionError)" in shown
        assert "secret words" not in shown


async def test_a_crash_report_leaves_out_the_values_of_local_variables(
    plain: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(db_path=plain, today=TODAY)

    def boom() -> None:
        note = "-".join(["Private", "note", "text", str(4400 + 71)])  # only a local holds it
        raise RuntimeError(f"boom with {len(note)} characters")

    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            app.call_later(boom)
            await settle(pilot)
    report = capsys.readouterr().err  # where Textual prints the report as the app exits
    assert "RuntimeError" in report and "boom" in report
    assert "Private-note-text-4471" not in report


# --- the terminal window's title ----------------------------------------------------------------


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.written += text

    def flush(self) -> None:
        pass


def test_the_window_title_is_neutral_while_the_app_runs_then_put_back() -> None:
    from tracker.cli import window_title

    terminal = _Terminal(tty=True)
    with window_title(terminal, "Notes"):
        assert terminal.written == "\x1b[22;0t\x1b]2;Notes\x07"  # saved, then set
    assert terminal.written.endswith("\x1b[23;0t")  # put back
    for quiet in (_Terminal(tty=False), _Terminal(tty=True)):
        with window_title(quiet, None if quiet.tty else "Notes"):
            pass
        assert quiet.written == ""  # not a terminal, or nothing to hide: nothing written

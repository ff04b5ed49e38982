"""Covering the journal: the lock screen (encrypted journals) and the plain "hidden" screen.

Both are neutral on purpose: a title ("Notes"), the date, and for the lock screen one
passphrase box. Nothing from the journal (names, counts, section names) is ever on them, and
notifications are not shown over them (see app.tcss), so a glance at the screen reveals nothing.

The lock screen works in one of two ways:
- **unlock**: at start, before the journal is open. ``opener(passphrase)`` opens it in a worker
  thread (SQLCipher's key derivation takes a moment); a wrong passphrase is said on the screen.
- **verify**: locking again later (the hide key, or idle time). The journal stays open (an
  honest limit: its contents are in this program's memory); the typed passphrase is compared
  with the one that opened it.

Also here: the two privacy settings and how they are read from the journal.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store import Store

NEUTRAL_TITLE = "Notes"
LOCKED_TEXT = "This journal is locked. Type its passphrase and press Enter."
WRONG_TEXT = "That passphrase didn't open it. Please try again."
EMPTY_TEXT = "Please type the passphrase first."
OPENING_TEXT = "Opening…"

# Settings kept in the journal's settings table.
DISCREET_SETTING = "discreet"
LOCK_AFTER_SETTING = "lock_after_minutes"
LOCK_AFTER_CHOICES = (0, 1, 5, 15, 30)  # minutes; 0 = never


def discreet_setting(store: Store) -> bool:
    return store.get_setting(DISCREET_SETTING, False) is True


def lock_after_setting(store: Store) -> int:
    """Minutes of no keys or mouse before an encrypted journal locks itself (0: never)."""
    value = store.get_setting(LOCK_AFTER_SETTING, 0)
    if not store.encrypted or isinstance(value, bool) or value not in LOCK_AFTER_CHOICES:
        return 0
    return int(value)


def lock_after_label(minutes: int) -> str:
    if minutes == 0:
        return "Never"
    return f"After {minutes} minute{'' if minutes == 1 else 's'} without a key press"


def _date_line(day: date) -> Text:
    return Text(f"{day:%A} {day.day} {day:%B}", style="dim")


class CoverScreen(Screen[None]):
    """What the lock and hidden screens share: no journal data, and a neutral look."""

    def __init__(self, today: date, *, classes: str = "") -> None:
        super().__init__(classes=f"cover {classes}".strip())
        self.today = today


class HiddenScreen(CoverScreen):
    """The hide key on a plain journal: a blank page of notes. Esc or ctrl+l goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.reveal", "Back", show=False),
    ]

    def __init__(self, today: date) -> None:
        super().__init__(today, classes="hidden-screen")

    def compose(self) -> ComposeResult:
        with Vertical(id="cover-page"):
            yield Static(Text(NEUTRAL_TITLE, style="bold"), id="cover-title")
            yield Static(_date_line(self.today), id="cover-date")


class LockScreen(CoverScreen):
    """Asks for the passphrase; see the module's notes for its two ways of working.

    ``on_open`` gets the opened store (unlock); ``on_verified`` is called with no arguments
    (verify). Every result reaches the app on the UI thread.
    """

    AUTO_FOCUS = "#lock-input"
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(
        self,
        today: date,
        *,
        opener: Callable[[str], Store] | None = None,
        on_open: Callable[[Store], None] | None = None,
        expected: str | None = None,
        on_verified: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(today, classes="lock-screen")
        if (opener is None) == (expected is None):
            raise ValueError("a lock screen either opens the journal or verifies a passphrase")
        self.opener = opener
        self.on_open = on_open
        self.expected = expected
        self.on_verified = on_verified
        self.busy = False

    @property
    def verifying(self) -> bool:
        return self.expected is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="cover-page"):
            yield Static(Text(NEUTRAL_TITLE, style="bold"), id="cover-title")
            yield Static(_date_line(self.today), id="cover-date")
            with Vertical(id="lock-box"):
                yield Static(Text(LOCKED_TEXT), id="lock-text")
                yield Input(
                    password=True,
                    placeholder="Passphrase",
                    id="lock-input",
                    compact=True,
                    select_on_focus=False,
                )
                yield Static("", id="lock-message")
                yield Static(Text("ctrl+q quits", style="dim"), id="lock-keys")

    def say(self, message: str, *, problem: bool = True) -> None:
        line = self.query_one("#lock-message", Static)
        line.update(Text(message))
        line.set_class(problem, "-problem")

    @on(Input.Submitted, "#lock-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        typed = event.value
        if not typed:
            self.say(EMPTY_TEXT)
            return
        if self.verifying:
            self._verify(typed)
        else:
            self._open(typed)

    def _verify(self, typed: str) -> None:
        assert self.expected is not None
        if hmac.compare_digest(typed.encode("utf-8"), self.expected.encode("utf-8")):
            self._clear()
            if self.on_verified is not None:
                self.on_verified()
        else:
            self._wrong(WRONG_TEXT)

    def _open(self, typed: str) -> None:
        opener = self.opener
        assert opener is not None
        self.busy = True
        field = self.query_one("#lock-input", Input)
        field.disabled = True
        self.say(OPENING_TEXT, problem=False)

        def work() -> None:
            try:
                store = opener(typed)
            except TrackerError as error:
                self.app.call_from_thread(self._open_failed, error)
                return
            except Exception as error:  # never a crash here: its report would show ``typed``
                problem = TrackerError(
                    f"The journal couldn't be opened ({type(error).__name__}). "
                    "`tracker doctor` may tell you more."
                )
                self.app.call_from_thread(self._open_failed, problem)
                return
            self.app.call_from_thread(self._opened, store)

        self.run_worker(work, thread=True, exclusive=True, group="unlock", name="unlock")

    def _opened(self, store: Store) -> None:
        self.busy = False
        self._clear()
        if self.on_open is not None:
            self.on_open(store)

    def _open_failed(self, error: TrackerError) -> None:
        from tracker.store.connection import WrongPassphrase

        self.busy = False
        field = self.query_one("#lock-input", Input)
        field.disabled = False
        # Our own sentence for a wrong passphrase: the store's names the file, and the file's
        # name may say more than the person wants on screen.
        self._wrong(WRONG_TEXT if isinstance(error, WrongPassphrase) else error.message)

    def _wrong(self, message: str) -> None:
        self._clear()
        self.say(message)

    def _clear(self) -> None:
        field = self.query_one("#lock-input", Input)
        field.value = ""
        # After a refresh: a field that was disabled a moment ago can't take the focus yet.
        self.call_after_refresh(field.focus)

    def on_screen_resume(self) -> None:
        if not self.busy:
            self.query_one("#lock-input", Input).focus()

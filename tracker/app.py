"""The Textual app, and ``create_app``: the one factory for the CLI, the tests and benchmarks."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Input, TextArea

from tracker.clock import Clock
from tracker.errors import TrackerError
from tracker.screens.dashboard import DashboardScreen
from tracker.screens.lock import (
    NEUTRAL_TITLE,
    CoverScreen,
    HiddenScreen,
    LockScreen,
    discreet_setting,
    lock_after_setting,
)
from tracker.store import Store
from tracker.store.connection import PassphraseNeeded

T = TypeVar("T")

THEMES = ("textual-dark", "textual-light")
OUTSIDE_CHANGES_EVERY = 2.0  # seconds between checks for writes from other processes
IDLE_CHECK_EVERY = 5.0  # seconds between checks for the idle lock
# Textual hides a mode switch for 50 ms so a half-built screen never shows. A section already
# built needs no hiding: it is shown on the next frame (docs/performance.md).
QUICK_SWITCH_MASK = 0.005
# Python's full garbage collection walks every object, and a journal's screens hold hundreds of
# thousands of them (rendered lines, cached cells): a pause of 0.2-0.4 s on this machine, at a
# random keystroke. While the app runs, full collections happen only when the person has left
# the keyboard for this long; the young generations are still collected as usual.
COLLECT_WHEN_IDLE_FOR = 10.0  # seconds
NO_AUTOMATIC_FULL_COLLECTION = 1_000_000_000


def _later(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A section screen, imported from ``tracker.screens.<module>`` when first opened."""

    def make() -> Screen[Any]:
        from importlib import import_module

        screen: type[Screen[Any]] = getattr(import_module(f"tracker.screens.{module}"), name)
        return screen()

    return make


class TrackerApp(App[None]):
    """A private journal of community support."""

    CSS_PATH = "app.tcss"
    TITLE = "Tracker"
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, Any]] = {
        "home": DashboardScreen,
        # The other sections are imported the first time they are opened, so start-up pays
        # only for Home (the Progress charts alone bring in plotext).
        "groups": _later("groups", "GroupsScreen"),
        "meetings": _later("attendance", "MeetingsScreen"),
        "people": _later("people", "PeopleScreen"),
        "service": _later("service", "ServiceScreen"),
        "fit": _later("fit", "FitScreen"),
        "compare": _later("compare", "CompareScreen"),
        "progress": _later("progress", "ProgressScreen"),
        "suggest": _later("suggestions", "SuggestionsScreen"),
        "review": _later("review", "ReviewScreen"),
        "timeline": _later("timeline", "TimelineScreen"),
        "directory": _later("directory", "DirectoryScreen"),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "go('home')", "Home", show=False),
        Binding("2", "go('groups')", "Groups", show=False),
        Binding("3", "go('meetings')", "Meetings", show=False),
        Binding("4", "go('people')", "People", show=False),
        Binding("5", "go('service')", "Service", show=False),
        Binding("6", "go('fit')", "Fit", show=False),
        Binding("7", "go('compare')", "Compare", show=False),
        Binding("8", "go('progress')", "Progress", show=False),
        Binding("9", "go('suggest')", "Suggestions", show=False),
        Binding("0", "go('review')", "Review", show=False),
        Binding("t", "go('timeline')", "Timeline", show=False),
        Binding("b", "go('directory')", "Meeting directory", show=False),
        # Not a priority binding: a "/" typed into a field stays a "/".
        Binding("slash", "search", "Search", key_display="/"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        # Works from any screen, even inside a form's field.
        Binding("ctrl+l", "hide", "Hide", priority=True, show=False),
    ]

    # While the mentor view is open, the app's own actions are limited to the theme, hiding and
    # quitting (the mentor view's own keys, Esc and scrolling, are the screen's, not the app's).
    mentor_view = False
    MENTOR_VIEW_ACTIONS = frozenset({"quit", "toggle_theme", "hide"})
    # While the journal is covered (locked or hidden), only these (Tab moves the focus).
    COVERED_ACTIONS = frozenset(
        {"quit", "help_quit", "hide", "reveal", "focus_next", "focus_previous"}
    )

    # Goes up by one after every write, so screens know to reload.
    # Nothing draws it, so a change repaints nothing by itself (only the screens that reload).
    revision: reactive[int] = reactive(0, init=False, repaint=False)

    def __init__(
        self,
        store: Store | None,
        clock: Clock,
        *,
        ask_profile: bool = False,
        opener: Callable[[str], Store] | None = None,
        discreet: bool = False,
    ) -> None:
        """``store`` is the open journal, or None for an encrypted one still to be unlocked
        with ``opener(passphrase)`` on the lock screen. ``discreet`` forces discreet mode on
        (the journal's own setting can turn it on too)."""
        if store is None and opener is None:
            raise ValueError("the app needs a journal, or a way to open one")
        super().__init__()
        self._store = store
        self.opener = opener
        self.clock = clock
        # On first run the app asks a few optional questions (see screens/settings.py).
        self.ask_profile = ask_profile
        self.discreet_forced = discreet
        self.discreet = discreet
        # The idle lock: seconds from ``idle_clock`` (replaceable in tests).
        self.idle_clock: Callable[[], float] = time.monotonic
        self.last_activity = self.idle_clock()
        self.lock_after_minutes = 0
        # The screen covering the journal (lock or hidden), and what waits until it goes.
        self.cover: CoverScreen | None = None
        self._waiting: list[Callable[[], object]] = []
        self._waiting_lock = threading.Lock()
        self._started = False
        self._built_modes: set[str] = set()
        self._quick_switch = False
        self._gc_threshold: tuple[int, ...] | None = None
        self._collected_at = float("-inf")
        self._apply_discreet()

    @property
    def store(self) -> Store:
        """The open journal. Screens only exist once it is open (after the lock screen)."""
        if self._store is None:
            raise RuntimeError("The journal is not open yet (it is still locked).")
        return self._store

    @property
    def unlocked(self) -> bool:
        return self._store is not None

    # --- start and stop ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._defer_full_collections()
        if self._store is None:
            assert self.opener is not None
            self._cover_with(
                LockScreen(self.clock.today(), opener=self.opener, on_open=self._opened)
            )
            return
        self._start()

    def _opened(self, store: Store) -> None:
        """The right passphrase: the lock screen goes, and the app starts as usual."""
        self._store = store
        self._uncover()
        self._start()

    def _start(self) -> None:
        store = self.store
        # Read before the first frame (tiny queries), so the saved theme shows without a flash.
        saved = store.get_setting("theme")
        self.theme = saved if saved in self.available_themes else THEMES[0]
        self.apply_privacy(discreet=discreet_setting(store), lock_after=lock_after_setting(store))
        self.switch_mode("home")
        self._started = True
        if self.ask_profile:
            from tracker.screens.settings import ask_first_run

            ask_first_run(self)
        self._data_version: int | None = None
        self._look_for_outside_changes()
        self.set_interval(OUTSIDE_CHANGES_EVERY, self._look_for_outside_changes)
        self.last_activity = self.idle_clock()
        self.set_interval(IDLE_CHECK_EVERY, self.check_idle_lock)
        self._daily_backup()

    def _daily_backup(self) -> None:
        """The first time the app opens each day, a backup (see tracker/store/backup.py)."""
        store, today = self.store, self.today()

        def work() -> None:
            from tracker.store.backup import run_daily_backup_quietly

            sentence = run_daily_backup_quietly(store, today)
            if sentence:
                self.call_from_thread(self.notify, sentence, markup=False)

        self.run_worker(work, thread=True, group="backup", name="daily backup")

    def _look_for_outside_changes(self) -> None:
        """Show what `tracker log` (or another window) wrote, without a restart."""

        def work() -> None:
            version, seen = self.store.data_version(), self._data_version
            self._data_version = version
            if seen is not None and version != seen:
                self.call_from_thread(self._outside_change)

        self.run_worker(work, thread=True, exclusive=True, group="outside", name="outside")

    def _outside_change(self) -> None:
        self.revision += 1

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None
        if self._store is not None:
            self._store.close()

    # --- staying quick -------------------------------------------------------------------------

    def _defer_full_collections(self) -> None:
        """Full garbage collections wait for an idle moment (see COLLECT_WHEN_IDLE_FOR); the
        setting is put back when the app closes."""
        self._gc_threshold = gc.get_threshold()
        young, middle = self._gc_threshold[:2]
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_COLLECTION)
        self.set_interval(IDLE_CHECK_EVERY, self.collect_when_idle)

    def collect_when_idle(self) -> bool:
        """Run a full garbage collection when there has been no key or mouse for a while and
        none ran since. True when it ran."""
        idle_since = self.last_activity
        if self.idle_clock() - idle_since < COLLECT_WHEN_IDLE_FOR:
            return False
        if self._collected_at >= idle_since:
            return False
        gc.collect()
        self._collected_at = self.idle_clock()
        return True

    def switch_mode(self, mode: str) -> AwaitMount:
        self._quick_switch = mode in self._built_modes
        try:
            return super().switch_mode(mode)
        finally:
            self._quick_switch = False
            self._built_modes.add(mode)

    def delay_update(self, delay: float = 0.05) -> None:
        super().delay_update(QUICK_SWITCH_MASK if self._quick_switch else delay)

    def _fatal_error(self) -> None:
        """Report a crash without the values of local variables.

        Textual's own report shows them, and here they can hold a passphrase or the text of a
        note. (This overrides a private Textual method; tests/test_trust_tui.py checks it.)
        """
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def watch_theme(self, theme: str) -> None:
        if not self.is_running or self._store is None:
            return

        def remember() -> None:
            if self.store.get_setting("theme") != theme:
                self.store.set_setting("theme", theme)

        self.save(remember, refresh=False)

    # --- privacy: discreet mode, hiding, locking -----------------------------------------------

    def apply_privacy(self, *, discreet: bool | None = None, lock_after: int | None = None) -> None:
        """Apply the journal's privacy settings (discreet mode, the idle lock's minutes)."""
        if discreet is not None:
            self.discreet = self.discreet_forced or discreet
            self._apply_discreet()
        if lock_after is not None:
            self.lock_after_minutes = lock_after if self.unlocked and self.store.encrypted else 0
            self.last_activity = self.idle_clock()

    def _apply_discreet(self) -> None:
        # A neutral title (always while covered); the header hides its words (app.tcss). The
        # terminal window's title is set by the `tracker` command (cli.window_title).
        self.title = NEUTRAL_TITLE if self.discreet or self.covered else self.TITLE
        self.sub_title = ""
        self.set_class(self.discreet, "-discreet")

    @property
    def covered(self) -> bool:
        return self.cover is not None

    @property
    def locked(self) -> bool:
        return isinstance(self.cover, LockScreen)

    def action_hide(self) -> None:
        """ctrl+l: at once, a neutral screen. An encrypted journal locks; a plain one hides
        until Esc or ctrl+l again."""
        if isinstance(self.cover, HiddenScreen):
            self.action_reveal()
        elif self.cover is None:
            if self._store is not None and self._store.encrypted:
                self.lock()
            else:
                self._cover_with(HiddenScreen(self.today()))

    def action_reveal(self) -> None:
        """Back from the hidden screen (a plain journal; a locked one needs its passphrase)."""
        if isinstance(self.cover, HiddenScreen):
            self._uncover()

    def lock(self) -> None:
        """Lock an open encrypted journal: its passphrase is asked before anything shows."""
        store = self._store
        if store is None or store.passphrase is None or self.locked:
            return
        if isinstance(self.cover, HiddenScreen):
            self._uncover()
        self._cover_with(
            LockScreen(self.today(), expected=store.passphrase, on_verified=self._verified)
        )

    def _verified(self) -> None:
        self._uncover()
        self.last_activity = self.idle_clock()

    def check_idle_lock(self) -> None:
        """Lock an encrypted journal after ``lock_after_minutes`` without a key or the mouse."""
        if self.lock_after_minutes <= 0 or self.covered or not self.unlocked:
            return
        if self.idle_clock() - self.last_activity >= self.lock_after_minutes * 60:
            self.lock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.last_activity = self.idle_clock()
        await super().on_event(event)

    def _cover_with(self, screen: CoverScreen) -> None:
        with self._waiting_lock:
            self.cover = screen
        self._apply_discreet()
        super().push_screen(screen)

    def _uncover(self) -> None:
        """Take the cover away, then do what waited for it (in order)."""
        with self._waiting_lock:
            cover, self.cover = self.cover, None
            waiting, self._waiting = self._waiting, []
        if cover is not None and self.screen is cover:
            super().pop_screen()
        self._apply_discreet()
        for step in waiting:
            step()

    def _after_cover(self, step: Callable[[], object]) -> bool:
        """While the journal is covered, keep ``step`` for later (True); else False."""
        with self._waiting_lock:
            if self.cover is None:
                return False
            self._waiting.append(step)
            return True

    # Nothing may appear over the cover: screens pushed by work that finishes meanwhile (a form
    # after its data loaded) wait until it goes, and only the cover itself can take it away.

    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        def later() -> None:
            super(TrackerApp, self).push_screen(screen, callback)

        if screen is not self.cover and not wait_for_dismiss and self._after_cover(later):
            return AwaitComplete.nothing()
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload]

    def pop_screen(self) -> AwaitComplete:
        if self.cover is not None and self.screen is self.cover:
            return AwaitComplete.nothing()
        return super().pop_screen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        def show() -> None:
            super(TrackerApp, self).notify(
                message, title=title, severity=severity, timeout=timeout, markup=markup
            )

        if not self._after_cover(show):
            show()

    # --- navigation ----------------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if mode not in self.MODES or self.covered or not self._started:
            return
        # Close any open form or dialog first, so the section shows at once.
        while (
            len(self.screen_stack) > 1 and isinstance(self.screen, Screen) and self.screen.is_modal
        ):
            self.pop_screen()
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_search(self) -> None:
        if self.covered or not self._started or self.mentor_view:
            return
        from tracker.screens.search import open_search

        open_search(self)

    def action_help(self) -> None:
        from tracker.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    # --- writes --------------------------------------------------------------------------------

    def save(
        self,
        action: Callable[[], T],
        *,
        message: str | None = None,
        then: Callable[[T], None] | None = None,
        on_error: Callable[[TrackerError], None] | None = None,
        refresh: bool = True,
    ) -> None:
        """Run a write in a worker thread; then refresh the screens and confirm on the UI thread."""

        def work() -> None:
            try:
                result = action()
            except TrackerError as error:
                self.call_from_thread(failed, error)
                return
            self.call_from_thread(done, result)

        def failed(error: TrackerError) -> None:
            if not self._after_cover(lambda: failed(error)):
                (on_error or self.show_error)(error)

        def done(result: T) -> None:
            # A form closes itself when its write is done: not while the journal is covered.
            if self._after_cover(lambda: done(result)):
                return
            if refresh:
                self.revision += 1
            if message:
                self.notify(message, markup=False)
            if then is not None:
                then(result)

        self.run_worker(work, thread=True, group="writes", name="save")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (self.covered or not self._started) and action not in self.COVERED_ACTIONS:
            return False
        if self.mentor_view and action not in self.MENTOR_VIEW_ACTIONS:
            return False
        if action == "search" and isinstance(self.focused, Input | TextArea):
            return False  # "/" types itself there: the key bar shouldn't offer it
        return super().check_action(action, parameters)

    def action_settings(self) -> None:
        from tracker.screens.settings import open_settings

        open_settings(self)

    def action_excuse(self) -> None:
        from tracker.screens.settings import open_excuse_form

        open_excuse_form(self)

    def show_error(self, error: TrackerError) -> None:
        self.notify(error.message, severity="error", markup=False, timeout=8)

    # --- the command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from tracker.screens import actions

        yield from actions.palette_commands(self)
        yield from super().get_system_commands(screen)

    # --- things screens ask for ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.local_now()

    def today(self) -> date:
        return self.clock.today()


def create_app(
    db_path: str | Path | None = None,
    today: date | None = None,
    *,
    clock: Clock | None = None,
    store: Store | None = None,
    ask_profile: bool = False,
    passphrase: str | None = None,
    discreet: bool | None = None,
) -> TrackerApp:
    """Build the app on a journal file (default: the user's own) and a clock (default: real time).

    ``today`` fixes the date (at noon) for tests, demos and benchmarks. An unusable journal file
    raises :class:`~tracker.errors.TrackerError` before any screen is drawn. ``ask_profile``
    asks the first-run questions when they haven't been asked yet (``tracker`` turns it on).

    ``passphrase`` opens an encrypted journal; without it, an encrypted journal opens on the
    lock screen, which asks for it. ``discreet=True`` turns discreet mode on whatever the
    journal's setting says (``tracker --discreet``, TRACKER_DISCREET=1).
    """
    from tracker.paths import resolve_db_path

    if clock is None:
        clock = Clock.fixed(today) if today is not None else Clock.system()
    opener: Callable[[str], Store] | None = None
    if store is None:
        path = resolve_db_path(db_path)
        try:
            store = Store.open(path, clock=clock, passphrase=passphrase)
        except PassphraseNeeded:
            app_clock = clock

            def opener(typed: str) -> Store:
                return Store.open(path, clock=app_clock, passphrase=typed)

    return TrackerApp(
        store=store,
        clock=clock,
        ask_profile=ask_profile,
        opener=opener,
        discreet=bool(discreet),
    )

"""The Textual app, and ``create_app``: the one factory for the CLI, the tests and benchmarks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from tracker.clock import Clock
from tracker.errors import TrackerError
from tracker.screens.attendance import MeetingsScreen
from tracker.screens.compare import CompareScreen
from tracker.screens.dashboard import DashboardScreen
from tracker.screens.fit import FitScreen
from tracker.screens.groups import GroupsScreen
from tracker.screens.people import PeopleScreen
from tracker.screens.progress import ProgressScreen
from tracker.screens.review import ReviewScreen
from tracker.screens.service import ServiceScreen
from tracker.screens.suggestions import SuggestionsScreen
from tracker.store import Store

T = TypeVar("T")

THEMES = ("textual-dark", "textual-light")
OUTSIDE_CHANGES_EVERY = 2.0  # seconds between checks for writes from other processes


class TrackerApp(App[None]):
    """A private journal of community support."""

    CSS_PATH = "app.tcss"
    TITLE = "Tracker"
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, Any]] = {
        "home": DashboardScreen,
        "groups": GroupsScreen,
        "meetings": MeetingsScreen,
        "people": PeopleScreen,
        "service": ServiceScreen,
        "fit": FitScreen,
        "compare": CompareScreen,
        "progress": ProgressScreen,
        "suggest": SuggestionsScreen,
        "review": ReviewScreen,
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
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    # While the mentor view is open, the app's own actions are limited to the theme and quitting
    # (the mentor view's own keys, Esc and scrolling, are the screen's, not the app's).
    mentor_view = False
    MENTOR_VIEW_ACTIONS = frozenset({"quit", "toggle_theme"})

    # Goes up by one after every write, so screens know to reload.
    revision: reactive[int] = reactive(0, init=False)

    def __init__(self, store: Store, clock: Clock, *, ask_profile: bool = False) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        # On first run the app asks a few optional questions (see screens/settings.py).
        self.ask_profile = ask_profile

    # --- start and stop ------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Read before the first frame (one tiny query), so the saved theme shows without a flash.
        saved = self.store.get_setting("theme")
        self.theme = saved if saved in self.available_themes else THEMES[0]
        self.switch_mode("home")
        if self.ask_profile:
            from tracker.screens.settings import ask_first_run

            ask_first_run(self)
        self._data_version: int | None = None
        self._look_for_outside_changes()
        self.set_interval(OUTSIDE_CHANGES_EVERY, self._look_for_outside_changes)

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
        self.store.close()

    def watch_theme(self, theme: str) -> None:
        if not self.is_running:
            return

        def remember() -> None:
            if self.store.get_setting("theme") != theme:
                self.store.set_setting("theme", theme)

        self.save(remember, refresh=False)

    # --- navigation ----------------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if mode not in self.MODES:
            return
        # Close any open form or dialog first, so the section shows at once.
        while (
            len(self.screen_stack) > 1 and isinstance(self.screen, Screen) and self.screen.is_modal
        ):
            self.pop_screen()
        if self.current_mode != mode:
            self.switch_mode(mode)

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
                self.call_from_thread(on_error or self.show_error, error)
                return
            self.call_from_thread(done, result)

        def done(result: T) -> None:
            if refresh:
                self.revision += 1
            if message:
                self.notify(message, markup=False)
            if then is not None:
                then(result)

        self.run_worker(work, thread=True, group="writes", name="save")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.mentor_view and action not in self.MENTOR_VIEW_ACTIONS:
            return False
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
) -> TrackerApp:
    """Build the app on a journal file (default: the user's own) and a clock (default: real time).

    ``today`` fixes the date (at noon) for tests, demos and benchmarks. An unusable journal file
    raises :class:`~tracker.errors.TrackerError` before any screen is drawn. ``ask_profile``
    asks the first-run questions when they haven't been asked yet (``tracker`` turns it on).
    """
    from tracker.paths import resolve_db_path

    if clock is None:
        clock = Clock.fixed(today) if today is not None else Clock.system()
    if store is None:
        store = Store.open(resolve_db_path(db_path), clock=clock)
    return TrackerApp(store=store, clock=clock, ask_profile=ask_profile)

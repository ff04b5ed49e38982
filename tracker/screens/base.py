"""What every section screen shares: the title bar, the section bar, and loading data off the UI
thread.

A section screen implements ``fetch()`` (runs in a worker thread, may use the store) and
``show(data)`` (runs on the UI thread, only touches widgets). The screen reloads when it is first
shown and whenever the journal changes (the app's ``revision`` goes up after every write); a
screen that isn't visible at that moment reloads when it is shown again.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker.errors import TrackerError
from tracker.screens.keybar import KeyBar

if TYPE_CHECKING:
    from tracker.app import TrackerApp
    from tracker.store import Store

SECTIONS: list[tuple[str, str, str]] = [
    # (mode name, key, label)
    ("home", "1", "Home"),
    ("groups", "2", "Groups"),
    ("meetings", "3", "Meetings"),
    ("people", "4", "People"),
    ("service", "5", "Service"),
    ("fit", "6", "Fit"),
    ("compare", "7", "Compare"),
    ("progress", "8", "Progress"),
    ("suggest", "9", "Suggestions"),
    ("review", "0", "Review"),
    ("timeline", "t", "Timeline"),
    ("directory", "b", "Directory"),
]


def put(widget: Static, content: Text | Content | str) -> None:
    """Show ``content`` in ``widget``, unless it shows exactly that already: an update lays the
    screen out again and repaints it, and a refresh after a write changes only a panel or two
    (docs/performance.md). A widget of a set height is repainted without a new layout."""
    if widget.content != content:
        # A widget whose height is set (not by its content) keeps its size: no layout needed.
        height = widget.styles.height
        widget.update(content, layout=height is None or height.is_auto)


class SectionBar(Static):
    """The row of sections under the title. Click one, or press its number."""

    def __init__(self, current: str) -> None:
        super().__init__(id="section-bar")
        self.current = current

    def render(self) -> Content:
        # Our own markup (no user text here): each section is a link to its action. When the
        # labels don't all fit (80 columns), the other sections show just their key.
        full = sum(len(label) + 6 for _mode, _key, label in SECTIONS)
        compact = full > self.size.width - 2
        parts = []
        for mode, key, label in SECTIONS:
            current = mode == self.current
            key_text = f"[{'bold reverse' if current else 'dim'}] {key} [/]"
            label_text = "" if compact else f"{label} "
            if current:
                label_text = f"[bold reverse]{label} [/]"
            parts.append(f"[@click=app.go('{mode}')]{key_text}{label_text}[/] ")
        return Content.from_markup("".join(parts))

    def on_resize(self) -> None:
        self.refresh()


class TitleBar(Horizontal):
    def __init__(self, title: str) -> None:
        super().__init__(id="title-bar")
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Tracker", "bold"), "  ", (self.title_text, "dim")), id="title")
        # Shown instead of the title in discreet mode (see app.tcss).
        yield Static(Text("Notes", "bold"), id="neutral-title")
        yield Static("", id="today")

    def on_mount(self) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        today = app.clock.today()
        self.query_one("#today", Static).update(Text(f"{today:%a} {today.day} {today:%b}"))


class JournalScreen(Screen[None]):
    """A section of the app: title bar, section bar, its content, and the key bar."""

    SECTION: ClassVar[str] = "home"
    TITLE_TEXT: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.go('home')", "Home", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stale = False
        self.loaded = False
        self._styled_for: tuple[object, ...] | None = None
        # A new section is styled from the app's stylesheet as it mounts, so it is as current
        # as the stylesheet is. Textual takes a new section for one styled before the last
        # change of theme and parses all of the CSS again, twice, on each first opening
        # (~100 ms here); the theme set at start-up counts as a change.
        with contextlib.suppress(Exception):
            self._css_update_count = self.app._css_update_count

    def _style_inputs(self) -> tuple[object, ...]:
        """What the app's stylesheet depends on from outside this screen: the theme, the app's
        classes (discreet mode) and whether the terminal has focus."""
        app = self.app
        return (
            app.theme,
            frozenset(app.classes),
            app.app_focus,
            getattr(app, "_css_update_count", 0),
        )

    def post_message(self, message: Message) -> bool:
        # Textual restyles every widget of a screen each time it comes back (after a section
        # switch, or when a form closes), and a restyled table drops its rendered rows. When
        # nothing the styles depend on changed while it was away, that work is skipped.
        if (
            isinstance(message, events.ScreenResume)
            and message.refresh_styles
            and self._styled_for is not None
            and self._styled_for == self._style_inputs()
        ):
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)

    def on_screen_suspend(self) -> None:
        self._styled_for = self._style_inputs()

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        return self.tracker.store

    def compose(self) -> ComposeResult:
        yield TitleBar(self.TITLE_TEXT)
        yield SectionBar(self.SECTION)
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._journal_changed, init=False)
        self.reload()

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload()

    def _journal_changed(self, _revision: int) -> None:
        if self.is_current:
            self.reload()
        else:
            self._stale = True

    def reload(self) -> None:
        self.run_worker(
            self._load, thread=True, exclusive=True, group="load", name=f"load {self.SECTION}"
        )

    def _load(self) -> None:
        worker = get_current_worker()
        try:
            data = self.fetch()
        except TrackerError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", markup=False)
            return
        # A newer load replaced this one while it read: its data would be out of date.
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, data)

    def _show(self, data: Any) -> None:
        self.show(data)
        self.loaded = True

    def fetch(self) -> Any:
        """Read what the screen shows. Runs in a worker thread."""
        return None

    def show(self, data: Any) -> None:
        """Put fetched data on screen. Runs on the UI thread."""

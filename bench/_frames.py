"""Time from a key to the frame that shows its result, in a headless Textual app.

``Pilot.press`` is no clock for this: it waits until the process looks idle, in steps of 20 ms,
and that wait (150 ms or more even in a bare Textual app here) is most of what it measures.
Instead the key goes straight to the app's driver, and the time is taken from the frames the
app paints: headless, Textual still composes every frame and hands it to ``App._display``
(which then writes nothing), so wrapping that method records when each frame was ready.

A switch is done at the first frame painted once the wanted section is current, has its data
(``loaded``, for Tracker's section screens) and no worker is still running.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual import events

# How often the clock looks whether the app is ready. The times come from the frames, not from
# this; polling much faster would itself slow a worker thread down (each look takes the GIL).
POLL = 0.01
# Ready, and no frame for this long: the last frame already showed everything.
QUIET = 0.5


class FrameClock:
    """Records the time of every frame an app paints (frames held back by Textual's batching,
    such as the mask of a mode switch, are not painted and not recorded)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames: list[float] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> Any:
            if renderable is not None and not app._batch_count:
                self.frames.append(time.perf_counter())
            return original(screen, renderable)

        app._display = display

    def _ready(self, want: Callable[[], bool] | None) -> bool:
        app = self.app
        screen = app.screen
        if want is not None and not want():
            return False
        if not getattr(screen, "loaded", True):
            return False
        return not any(
            worker.is_running or worker.state.name == "PENDING" for worker in app.workers
        )

    def _painted(self) -> bool:
        """Nothing waits to be painted: the last frame shows the screen as it is."""
        screen = self.app.screen
        return not (screen._dirty_widgets or screen._layout_required or screen._repaint_required)

    async def until_shown(
        self, started: float, want: Callable[[], bool] | None, *, timeout: float = 30.0
    ) -> float:
        """Seconds from ``started`` to the first frame painted once the app is ready."""
        ready_at: float | None = None
        while True:
            await asyncio.sleep(POLL)
            now = time.perf_counter()
            if ready_at is None and self._ready(want):
                ready_at = now
            if ready_at is not None:
                painted = [frame for frame in self.frames if frame >= ready_at]
                if painted:
                    return painted[0] - started
                if (
                    self.frames
                    and self.frames[-1] > started
                    and (self._painted() or now - ready_at > QUIET)
                ):
                    # Ready, and its frame was painted in the same turn of the loop (had
                    # anything been left to paint, a frame would have followed within QUIET).
                    return self.frames[-1] - started
                if now - ready_at > QUIET and self._painted():
                    return ready_at - started  # nothing on screen needed to change
            if now - started > timeout:
                raise TimeoutError("the app did not settle")

    async def key(self, key: str, want: Callable[[], bool] | None = None) -> float:
        """Send ``key`` and return the seconds until ``want()`` holds and the screen is shown
        with its data."""
        self.frames.clear()
        started = time.perf_counter()
        self.app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        return await self.until_shown(started, want)

    async def settle(self, quiet: float = 0.2) -> None:
        """Wait until no frame has been painted for ``quiet`` seconds and no worker runs."""
        while True:
            await asyncio.sleep(quiet)
            recent = self.frames and time.perf_counter() - self.frames[-1] < quiet
            if not recent and self._ready(None):
                return

"""What the Pilot tests share: a fixed today, the two sizes we check, and waiting for workers."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tracker.screens.textlines import TextLines

TODAY = date(2026, 11, 26)  # a Thursday
SMALL = (80, 24)
LARGE = (160, 50)


async def settle(pilot: Any) -> None:
    """Wait until every worker (loads, saves, and the reloads they trigger) has finished."""
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Any, *keys: str) -> None:
    """Press keys one at a time, the way a person does, letting each one's work finish."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def text_of(widget: Static | TextLines) -> str:
    """The plain text a Static (or the dashboard's lines panel) shows."""
    content = widget.content
    return content.plain if isinstance(content, Text) else str(widget.visual)

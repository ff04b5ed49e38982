"""A child process for bench/startup.py: start an app headless, wait until it has settled, quit.

    python bench/_child.py app JOURNAL   # Tracker on JOURNAL, until the dashboard shows its data
    python bench/_child.py bare          # a bare Textual app showing one Static

Run as its own process so that every run pays the imports a person's start-up pays.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 26)


def run_tracker(journal: Path) -> None:
    from tracker.app import create_app

    app = create_app(db_path=journal, today=TODAY)

    async def settle(pilot: Any) -> None:
        # Settled: the dashboard has shown its data and no worker is still busy.
        while True:
            await pilot.pause()
            await app.workers.wait_for_complete()
            if getattr(app.screen, "loaded", False) and not app.workers:
                break
        app.exit()

    app.run(headless=True, size=(160, 50), auto_pilot=settle)


def run_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Tracker")

    app = Bare()

    async def settle(pilot: Any) -> None:
        await pilot.pause()
        app.exit()

    app.run(headless=True, size=(160, 50), auto_pilot=settle)


def peak_memory_kib() -> int:
    """This process's peak resident memory since it started (VmHWM, reset by exec on Linux;
    ru_maxrss would also count the parent's memory at the fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    if sys.argv[1] == "app":
        run_tracker(Path(sys.argv[2]))
    else:
        run_bare()
    # The last line of the output: peak memory, for bench/startup.py.
    print(f"PEAK {peak_memory_kib()}", file=sys.stderr)

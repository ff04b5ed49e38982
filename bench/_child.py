"""A child process for bench/startup.py: start an app headless, wait until it has settled, quit.

    python bench/_child.py app JOURNAL   # Tracker on JOURNAL, until the dashboard shows its data
    python bench/_child.py bare          # a bare Textual app showing one Static

Run as its own process so that every run pays the imports a person's start-up pays.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
TODAY = date(2026, 11, 26)
# bench/_frames.py, from the repository this file is in.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run_tracker(journal: Path) -> None:
    from bench._frames import FrameClock
    from tracker.app import create_app

    app = create_app(db_path=journal, today=TODAY)
    clock = FrameClock(app)

    async def settle(_pilot: Any) -> None:
        # Settled: the first frame painted once the dashboard has its data and no worker (the
        # daily backup, the look for changes from other windows) is still busy.
        await clock.until_shown(STARTED, lambda: getattr(app.screen, "loaded", False))
        app.exit()

    app.run(headless=True, size=(160, 50), auto_pilot=settle)


def run_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from bench._frames import FrameClock

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Tracker")

    app = Bare()
    clock = FrameClock(app)

    async def settle(_pilot: Any) -> None:
        # Settled: its first frame is painted.
        await clock.until_shown(STARTED, None)
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

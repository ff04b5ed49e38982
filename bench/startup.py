"""Start-up and whole-process costs (issue 8, "Speed"), each against a baseline in the same run.

- the app, from process start to the first settled dashboard (data shown, workers done), on the
  10-year heavy journal, headless, against a bare Textual app showing one Static started the
  same way (target: at most 1.3 times as long), and its peak memory against the bare app's
  (at most 1.5 times);
- ``tracker log GROUP`` and ``tracker status --json`` as whole processes on the same journal,
  against ``python -c "import sqlite_utils"`` (at most 1.3 and 1.5 times);
- every screen switch, and the dashboard's refresh after a write, in Pilot on the same journal
  (p95 at most 50 ms), timed from the key to the painted frame (bench/_frames.py), with the
  first opening of each section apart from returns to it, and a bare Textual app's switch for
  reference;
- the dashboard's analytics on the stress journal (about 50 years) against the same on the
  10-year journal (at most 2 times: the cost must not grow with the history);
- exporting the 10-year journal and importing it into a new one (at most 2 s).

Every process run is paired with a baseline run, alternating which goes first. Run with
``python bench/run.py startup``. It reports; it never asserts.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.harness import Paired, Row, paired_runs, row, summarize
from tracker.clock import Clock
from tracker.store import Store

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 26)
CHILD = HERE / "_child.py"


def _env(home: Path) -> dict[str, str]:
    """The child processes' environment. Python's bytecode cache is left on, as it is for any
    installed program (pip compiles a package's modules when it installs it); a machine that
    sets PYTHONDONTWRITEBYTECODE (this one does) would otherwise time compiling every module of
    Tracker on every start, against a baseline whose library was compiled at install."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        TRACKER_TODAY=TODAY.isoformat(),
    )
    env.pop("TRACKER_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _compile_tracker() -> None:
    """Write the bytecode of every Tracker module, as installing the package does."""
    import compileall

    import tracker

    compileall.compile_dir(Path(tracker.__file__).parent, quiet=1)


def _process(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) of one child process, and its peak memory in KiB when it reports one
    (bench/_child.py prints ``PEAK n`` last on stderr), else 0."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    error = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed ({done.returncode}): {error[-2000:]}")
    lines = error.strip().splitlines()
    peak = int(lines[-1].split()[1]) if lines and lines[-1].startswith("PEAK ") else 0
    return took, peak


def _paired_processes(
    case: list[str], baseline: list[str], env: dict[str, str], runs: int
) -> tuple[Paired, list[int], list[int]]:
    memory: dict[str, list[int]] = {"case": [], "base": []}

    def run(args: list[str], key: str) -> Callable[[], None]:
        def action() -> None:
            memory[key].append(_process(args, env)[1])

        return action

    # The process's own clock is what counts; harness times the call around it, which is the
    # same wall time plus a few microseconds.
    paired = paired_runs(run(case, "case"), run(baseline, "base"), runs=runs, warmup=1)
    return paired, memory["case"], memory["base"]


def build(folder: Path, size: str, years: int) -> Path:
    from tracker.demo import fill_demo

    path = folder / f"demo-{size}.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    try:
        fill_demo(store, years=years, today=TODAY, size=size)
    finally:
        store.close()
    return path


SECTION_KEYS = [
    ("2", "groups"),
    ("3", "meetings"),
    ("4", "people"),
    ("5", "service"),
    ("6", "fit"),
    ("7", "compare"),
    ("8", "progress"),
    ("9", "suggest"),
    ("0", "review"),
    ("t", "timeline"),
    ("b", "directory"),
    ("1", "home"),
]


async def _bare_switches(rounds: int) -> list[float]:
    """The same switch in a bare Textual app: two modes, each one Static and a Footer."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Footer, Static

    from bench._frames import FrameClock

    class Plain(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello")
            yield Footer()

    class Bare(App[None]):
        MODES = {"one": Plain, "two": Plain}  # noqa: RUF012
        DEFAULT_MODE = "one"
        BINDINGS = [("1", "switch_mode('one')", "One"), ("2", "switch_mode('two')", "Two")]  # noqa: RUF012

    times: list[float] = []
    app = Bare()
    async with app.run_test(size=(160, 50)):
        clock = FrameClock(app)
        await clock.settle()
        for turn in range(rounds * len(SECTION_KEYS) + 1):
            mode = "two" if turn % 2 == 0 else "one"
            key = "2" if mode == "two" else "1"
            took = await clock.key(key, lambda m=mode: app.current_mode == m)
            if turn:
                times.append(took)
            await clock.settle(0.05)
    return times


def _toggle_todays_meeting(store: Store) -> Callable[[], None]:
    """A write for each call: log a meeting today at the journal's first group, or delete the
    one the call before logged."""
    from tracker.domain.models import AttendanceFields

    group = store.list_groups()[0].id
    logged: list[int] = []

    def toggle() -> None:
        if logged:
            store.delete_attendance(logged.pop())
        else:
            fields = AttendanceFields(group_id=group, date=TODAY)
            logged.append(store.log_attendance(fields).id)

    return toggle


def _pilot_rows(journal: Path, rounds: int) -> list[Row]:
    """Section switches and the refresh after a write, from the key (or the write) to the
    painted frame that shows the section with its data (see bench/_frames.py)."""
    from bench._frames import FrameClock
    from tracker.app import create_app

    first: list[float] = []
    again: list[float] = []
    refreshes: list[float] = []

    # The refresh measure writes to the journal: a copy, so the other measures read the same one.
    copy = journal.with_name("pilot-" + journal.name)
    shutil.copyfile(journal, copy)

    async def measure() -> None:
        app = create_app(db_path=copy, today=TODAY)
        async with app.run_test(size=(160, 50)):
            clock = FrameClock(app)
            await clock.settle()
            for turn in range(rounds + 1):
                for key, mode in SECTION_KEYS:
                    took = await clock.key(key, lambda m=mode: app.current_mode == m)
                    # Home was opened at start-up, so its first switch is a return.
                    (first if turn == 0 and mode != "home" else again).append(took)
                    await clock.settle(0.05)
            from tracker.domain.models import AttendanceFields

            groups = [g.id for g in app.store.list_groups()]
            for turn in range(max(rounds * 2, 5)):
                # A real write, the way the log form saves: in a worker, then the screens
                # reload. Each logs yesterday's meeting of another group, so that it shows at
                # the top of Recent and the dashboard has something to paint.
                fields = AttendanceFields(
                    group_id=groups[turn % len(groups)],
                    date=TODAY - timedelta(days=1),
                    note=f"bench {turn}",
                )
                started = time.perf_counter()
                clock.frames.clear()
                app.save(lambda f=fields: app.store.log_attendance(f))
                refreshes.append(await clock.until_shown(started, None))
                await clock.settle(0.05)

    asyncio.run(measure())
    bare = asyncio.run(_bare_switches(max(rounds // 2, 1)))
    return [
        Row(
            "startup",
            "first opening of each of 11 sections (import, build, load, paint)",
            summarize(first),
            target=0.05,
        ),
        Row(
            "startup",
            f"switch to a section opened before ({rounds} rounds of 12), key to painted frame",
            summarize(again),
            target=0.05,
        ),
        Row(
            "startup",
            "for reference: the same switch in a bare Textual app (Static + Footer)",
            summarize(bare),
            note="Textual's floor",
        ),
        Row(
            "startup",
            "dashboard refresh after a write, to the painted frame",
            summarize(refreshes),
            target=0.05,
        ),
    ]


def run(*, runs: int = 15) -> list[Row]:
    from tracker.insights import gather
    from tracker.store.transfer import export_json_text, import_journal

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as name:
        folder = Path(name)
        print("startup: building the 10-year heavy and the stress journals…", file=sys.stderr)
        heavy = build(folder, "heavy", 10)
        stress = build(folder, "stress", 50)
        env = _env(folder / "home")
        _compile_tracker()
        python = sys.executable
        reader = Store.open(heavy, clock=Clock.fixed(TODAY))
        try:
            group = reader.list_groups()[0].name
        finally:
            reader.close()

        print("startup: the app against a bare Textual app…", file=sys.stderr)
        paired, app_memory, bare_memory = _paired_processes(
            [python, str(CHILD), "app", str(heavy)], [python, str(CHILD), "bare"], env, runs
        )
        rows.append(
            row(
                "startup",
                "app start to a settled dashboard, 10-year heavy",
                paired,
                baseline="a bare Textual app",
                ratio_target=1.3,
            )
        )
        memory = sorted(a / b for a, b in zip(app_memory, bare_memory, strict=False))
        rows.append(
            Row(
                "startup",
                f"peak memory of the app: {max(app_memory) // 1024} MiB "
                f"(bare {max(bare_memory) // 1024} MiB)",
                summarize([0.0]),
                baseline="a bare Textual app",
                ratio=memory[len(memory) // 2],
                ratio_low=memory[0],
                ratio_high=memory[-1],
                ratio_target=1.5,
                note="memory, not time",
            )
        )

        print("startup: quick commands against `import sqlite_utils`…", file=sys.stderr)
        baseline = [python, "-c", "import sqlite_utils"]
        quick = [python, "-m", "tracker", "--db", str(heavy)]
        for case, args, target in (
            (f"tracker log {group!r}", [*quick, "log", group], 1.3),
            ("tracker status --json", [*quick, "status", "--json"], 1.5),
        ):
            paired, _m, _b = _paired_processes(args, baseline, env, runs)
            rows.append(
                row(
                    "startup",
                    f"{case}, whole process, 10-year heavy",
                    paired,
                    baseline="python -c 'import sqlite_utils'",
                    ratio_target=target,
                )
            )

        print("startup: screens in Pilot…", file=sys.stderr)
        rows += _pilot_rows(heavy, max(runs // 2, 3))

        print("startup: analytics on 50 years against 10…", file=sys.stderr)
        big = Store.open(stress, clock=Clock.fixed(TODAY))
        small = Store.open(heavy, clock=Clock.fixed(TODAY))
        try:
            counts = big.counts()
            rows.append(
                row(
                    "startup",
                    "dashboard analytics (insights.gather), stress journal",
                    paired_runs(lambda: gather(big), lambda: gather(small), runs=runs, warmup=2),
                    baseline="the same on the 10-year heavy journal",
                    ratio_target=2.0,
                    note=f"{counts['attendance']:,} meetings logged",
                )
            )
            # The dashboard's refresh: a meeting logged today (or the one logged before taken
            # away again), untimed, then the analytics, which must take the change in.
            rows.append(
                row(
                    "startup",
                    "the same right after a meeting is logged or deleted, stress journal",
                    paired_runs(
                        lambda: gather(big),
                        lambda: gather(small),
                        runs=runs,
                        warmup=2,
                        before_case=_toggle_todays_meeting(big),
                        before_baseline=_toggle_todays_meeting(small),
                    ),
                    baseline="the same on the 10-year heavy journal",
                    ratio_target=2.0,
                )
            )
        finally:
            big.close()
            small.close()

        print("startup: export and import…", file=sys.stderr)
        source = Store.open(heavy, clock=Clock.fixed(TODAY))
        turn = {"n": 0}

        def round_trip() -> Any:
            turn["n"] += 1
            text = export_json_text(source)
            target = Store.open(folder / f"copy-{turn['n']}.db", clock=Clock.fixed(TODAY))
            try:
                import json

                return import_journal(target, json.loads(text))
            finally:
                target.close()

        def read_only() -> Any:
            return source.counts()

        try:
            rows.append(
                row(
                    "startup",
                    "export and import the 10-year heavy journal",
                    paired_runs(round_trip, read_only, runs=max(runs // 3, 3), warmup=1),
                    baseline="Store.counts()",
                    target=2.0,
                )
            )
        finally:
            source.close()
    return rows

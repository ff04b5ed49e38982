"""How quickly a search answers on ten years of journal (issue 7: within 30 ms at p95).

Builds the 10-year demo journal in a temporary folder, opens it as the app and the CLI do, and
times searches a person would really type, through ``build_query`` and ``Store.search`` (what
one keystroke in the search box costs): a word from one note, a prefix, a phrase, a very common
word, words with a date filter, filters alone, and a timeline page deep in the history. Each
case is run many times, warm, interleaved with a baseline (``Store.list_groups()``, a small
read through the same store) measured in the same run.

Run with ``python bench/run.py search``. It reports; it never asserts.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench.harness import Row, paired_runs, row
from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.domain.search import build_query
from tracker.store import Store
from tracker.store.search import Cursor, cursor_after

TODAY = date(2026, 11, 26)
YEARS = 10
TARGET = 0.030  # seconds, at p95
RUNS = 300
WARMUP = 20
BASELINE = "Store.list_groups()"
DEEP_YEAR = 2018  # the timeline page is read from here: eight years down the scroll

# (case, what is typed into the search box)
SEARCHES = (
    ("a word from one note", "heron"),
    ("a prefix", "shar*"),
    ("a phrase", '"first time"'),
    ("a very common word", "the"),
    ("a word, last 90 days", 'talked since:"last 90 days"'),
    ("two words since March", "step work since:march"),
    ("a word in a year", "coffee in:2022"),
    ("filters only", "kind:contact person:sam"),
    ("a date filter only", "in:2019"),
)


def build_journal(folder: Path) -> Store:
    """The demo journal, as ``tracker demo --years 10`` makes it, opened again from disk."""
    path = folder / "demo-10y.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    try:
        fill_demo(store, years=YEARS, today=TODAY)
    finally:
        store.close()
    return Store.open(path, clock=Clock.fixed(TODAY), create=False)


def deep_cursor(store: Store, page: int = 100) -> tuple[Cursor, int]:
    """A timeline cursor in :data:`DEEP_YEAR`, found by scrolling down page by page as the
    Timeline screen does, and how many pages it took."""
    query = build_query("", today=TODAY)
    after: Cursor | None = None
    pages = 0
    while True:
        entries = store.timeline(query, after=after, limit=page)
        pages += 1
        if not entries:
            raise RuntimeError("the demo journal ended before reaching the deep page")
        after = cursor_after(entries[-1])
        last = entries[-1].day
        if last is not None and last.year <= DEEP_YEAR:
            return after, pages


def _search(store: Store, typed: str) -> Callable[[], Any]:
    def action() -> Any:
        return store.search(build_query(typed, today=TODAY), limit=50)

    return action


def run(*, runs: int = RUNS) -> list[Row]:
    """Time every case against the baseline; one row each."""
    print(f"search: building the {YEARS}-year demo journal…", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as folder:
        store = build_journal(Path(folder))
        try:
            counts = store.counts()
            entries = sum(counts.values())
            print(f"search: {entries} rows; timing {runs} runs per case…", file=sys.stderr)
            rows = []
            for case, typed in SEARCHES:
                total = store.search(build_query(typed, today=TODAY), limit=1).total
                paired = paired_runs(
                    _search(store, typed), store.list_groups, runs=runs, warmup=WARMUP
                )
                rows.append(
                    row(
                        "search",
                        f"{case}: {typed}",
                        paired,
                        baseline=BASELINE,
                        target=TARGET,
                        note=f"{total} found",
                    )
                )
            cursor, pages = deep_cursor(store)
            everything = build_query("", today=TODAY)

            def deep_page() -> Any:
                return store.timeline(everything, after=cursor, limit=100)

            meetings = build_query("kind:meeting", today=TODAY)

            def deep_meetings() -> Any:
                return store.timeline(meetings, after=cursor, limit=100)

            rows.append(
                row(
                    "search",
                    f"timeline page {pages + 1} ({DEEP_YEAR}), 100 entries",
                    paired_runs(deep_page, store.list_groups, runs=runs, warmup=WARMUP),
                    baseline=BASELINE,
                    target=TARGET,
                )
            )
            rows.append(
                row(
                    "search",
                    f"timeline page {pages + 1}, meetings only",
                    paired_runs(deep_meetings, store.list_groups, runs=runs, warmup=WARMUP),
                    baseline=BASELINE,
                    target=TARGET,
                )
            )
        finally:
            store.close()
    return rows

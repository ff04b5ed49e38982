"""Meeting directories (issue 5): importing a big feed, and filtering a big directory.

Targets from the issue, on this machine:
- importing a 2,000-meeting feed (reading the JSON, checking and tidying every record, and
  storing it in one transaction) takes under one second;
- filtering the Meetings directory over 10,000 imported meetings takes under 50 ms per
  keystroke (what one change of the words filter costs: filter and sort all 10,000, then build
  the table rows the screen shows, ``SHOWN`` of them).

The feeds are made from the real Meeting Guide fixtures in tests/fixtures/meeting-guide/,
repeated with new slugs and spread over the week, so the records are as varied (and as far from
the strict schema) as real ones. Baselines, timed in the same runs: ``json.loads`` of the same
feed for the import, and one list comprehension over the 10,000 names for the filter.

Run with ``python bench/run.py meetings``. It reports; it never asserts.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.harness import Row, paired_runs, row
from tracker.clock import Clock
from tracker.meetings.feeds import parse_feed
from tracker.meetings.filters import Directory, MeetingFilter
from tracker.meetings.types import type_names
from tracker.store import Store

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT / "tests" / "fixtures" / "meeting-guide"
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Europe/London"))
IMPORT_SIZE = 2_000
DIRECTORY_SIZE = 10_000
IMPORT_TARGET = 1.0  # seconds, at p95
KEYSTROKE_TARGET = 0.050
# What a person types into the words box, one keystroke at a time, with the day and way set.
TYPED = "serenity group"


def synthetic_feed(size: int, *, tag: str = "") -> bytes:
    """``size`` records made from the real feeds: new slugs, days spread over the week."""
    real: list[dict[str, Any]] = []
    for name in ("al-anon-massachusetts.json", "sussex-aa-uk.json", "atlanta-small.json"):
        real.extend(json.loads((FEEDS / name).read_text(encoding="utf-8")))
    records = []
    for n in range(size):
        record = dict(real[n % len(real)])
        record["slug"] = f"{record.get('slug', 'meeting')}-{tag}{n}"
        record["day"] = (n // len(real) + int(record.get("day") or 0)) % 7
        records.append(record)
    return json.dumps(records).encode("utf-8")


def _import_rows(folder: Path, runs: int) -> list[Row]:
    store = Store.open(folder / "import.db", clock=Clock.fixed(TODAY))
    feeds = [synthetic_feed(IMPORT_SIZE, tag="a"), synthetic_feed(IMPORT_SIZE, tag="b")]
    turn = {"n": 0}

    def churn() -> Any:
        # Every run replaces the whole list: 2,000 new meetings in, 2,000 old ones out.
        turn["n"] += 1
        feed = parse_feed(feeds[turn["n"] % 2])
        return store.import_meetings(feed, name="Bench", location="bench")

    def again() -> Any:
        return store.import_meetings(parse_feed(feeds[0]), name="Again", location="bench")

    def baseline() -> Any:
        return json.loads(feeds[0])

    try:
        rows = [
            row(
                "meetings",
                f"import a {IMPORT_SIZE:,}-meeting feed, every meeting new",
                paired_runs(churn, baseline, runs=runs, warmup=2),
                baseline="json.loads of the feed",
                target=IMPORT_TARGET,
                note="read, check, tidy, store",
            ),
            row(
                "meetings",
                f"import the same {IMPORT_SIZE:,} again, nothing changed",
                paired_runs(again, baseline, runs=runs, warmup=2),
                baseline="json.loads of the feed",
                target=IMPORT_TARGET,
            ),
        ]
    finally:
        store.close()
    return rows


def _filter_rows(folder: Path, runs: int) -> list[Row]:
    from tracker.screens.directory import SHOWN, row_cells

    store = Store.open(folder / "directory.db", clock=Clock.fixed(TODAY))
    try:
        store.import_meetings(
            parse_feed(synthetic_feed(DIRECTORY_SIZE)), name="Big", location="bench"
        )
        names = type_names("en")
        meetings = store.directory()

        def open_directory() -> Any:
            return Directory(store.directory(), type_names=names)

        directory = Directory(meetings, type_names=names)
        all_names = [m.name for m in meetings]
        widths = [12, 40, 9, 18, 18]
        prefixes = [TYPED[: n + 1] for n in range(len(TYPED))]
        turn = {"n": 0}

        def keystroke(**fixed: Any) -> Any:
            turn["n"] += 1
            typed = prefixes[turn["n"] % len(prefixes)]
            wanted = MeetingFilter(text=typed, **fixed)
            selection = directory.select(wanted, now=NOW, limit=SHOWN)
            return [row_cells(f, now=NOW, widths=widths, names=names) for f in selection.found]

        def first_letters() -> Any:
            # The worst keystroke: one letter matches nearly everything; a full table to build.
            selection = directory.select(MeetingFilter(text="e"), now=NOW, limit=SHOWN)
            return [row_cells(f, now=NOW, widths=widths, names=names) for f in selection.found]

        def new_minute() -> Any:
            # The first keystroke after the clock moves on: every meeting's next time again.
            turn["n"] += 1
            later = NOW + timedelta(minutes=turn["n"])
            selection = directory.select(MeetingFilter(text="e"), now=later, limit=SHOWN)
            return [row_cells(f, now=later, widths=widths, names=names) for f in selection.found]

        def baseline() -> Any:
            return [name for name in all_names if "e" in name]

        tuesday_online = {"days": frozenset({2}), "ways": frozenset({"online"})}
        return [
            row(
                "meetings",
                f"filter {DIRECTORY_SIZE:,} meetings: one letter (most match)",
                paired_runs(first_letters, baseline, runs=runs, warmup=5),
                baseline="a pass over the 10,000 names",
                target=KEYSTROKE_TARGET,
                note=f"{directory.select(MeetingFilter(text='e'), now=NOW).total} match",
            ),
            row(
                "meetings",
                f"filter {DIRECTORY_SIZE:,}: one letter, the first key of a new minute",
                paired_runs(new_minute, baseline, runs=runs, warmup=5),
                baseline="a pass over the 10,000 names",
                target=KEYSTROKE_TARGET,
            ),
            row(
                "meetings",
                f"filter {DIRECTORY_SIZE:,}: typing '{TYPED}', key by key",
                paired_runs(keystroke, baseline, runs=runs, warmup=5),
                baseline="a pass over the 10,000 names",
                target=KEYSTROKE_TARGET,
            ),
            row(
                "meetings",
                f"filter {DIRECTORY_SIZE:,}: the same, Tuesday and online set",
                paired_runs(lambda: keystroke(**tuesday_online), baseline, runs=runs, warmup=5),
                baseline="a pass over the 10,000 names",
                target=KEYSTROKE_TARGET,
            ),
            row(
                "meetings",
                f"open the directory: read and prepare {DIRECTORY_SIZE:,} (in a worker)",
                paired_runs(open_directory, baseline, runs=max(runs // 10, 3), warmup=1),
                baseline="a pass over the 10,000 names",
                note="off the UI thread",
            ),
        ]
    finally:
        store.close()


def run(*, runs: int = 30) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as folder:
        print("meetings: timing imports…", file=sys.stderr)
        rows = _import_rows(Path(folder), max(runs // 3, 3))
        print(f"meetings: importing {DIRECTORY_SIZE:,} meetings to filter…", file=sys.stderr)
        rows += _filter_rows(Path(folder), runs * 3)
    return rows

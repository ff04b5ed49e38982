"""Plain helpers for Tracker's benchmarks: timing, paired runs, summaries and a table.

Nothing here knows about Tracker. A benchmark module (``bench/search.py`` is the first) times its
cases with :func:`paired_runs`, which interleaves each run of a case with a run of a baseline
measured on the same machine at the same moment, and returns :class:`Row` objects that
:func:`print_table` lays out. Absolute times depend on the machine; the ratio to the baseline
travels better from one machine to another (see bench/README.md).

Only the standard library is used, so ``python bench/run.py`` works with just the project
installed.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

__all__ = [
    "Paired",
    "Row",
    "Stats",
    "paired_runs",
    "percentile",
    "print_table",
    "row",
    "summarize",
    "table",
    "time_runs",
]


def _once(action: Callable[[], Any]) -> float:
    start = time.perf_counter_ns()
    action()
    return (time.perf_counter_ns() - start) / 1e9


def time_runs(action: Callable[[], Any], *, runs: int = 100, warmup: int = 5) -> list[float]:
    """Seconds taken by each of ``runs`` calls of ``action``, after ``warmup`` untimed calls.

    The garbage collector is paused while timing, so a collection doesn't land on one case
    more than another; it runs between batches as usual.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    for _ in range(warmup):
        action()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [_once(action) for _ in range(runs)]
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Paired:
    """The times of a case and of its baseline, run by run (seconds)."""

    case: tuple[float, ...]
    baseline: tuple[float, ...]

    def ratios(self) -> list[float]:
        """Each run's case time over the baseline time of the same round."""
        return [c / b for c, b in zip(self.case, self.baseline, strict=True) if b > 0]


def paired_runs(
    case: Callable[[], Any],
    baseline: Callable[[], Any],
    *,
    runs: int = 100,
    warmup: int = 5,
    before_case: Callable[[], Any] | None = None,
    before_baseline: Callable[[], Any] | None = None,
) -> Paired:
    """Run ``case`` and ``baseline`` in alternation, ``runs`` times each.

    The order flips every round (case first, then baseline first), so a slow drift of the
    machine (a CPU warming up or a neighbour's load) weighs on both the same way.
    ``before_case`` and ``before_baseline``, when given, run untimed just before each run of
    their side (a write that the timed run then has to take in, say).
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")

    def timed(action: Callable[[], Any], before: Callable[[], Any] | None) -> float:
        if before is not None:
            before()
        return _once(action)

    for _ in range(warmup):
        timed(case, before_case)
        timed(baseline, before_baseline)
    case_times: list[float] = []
    base_times: list[float] = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for n in range(runs):
            if n % 2 == 0:
                case_times.append(timed(case, before_case))
                base_times.append(timed(baseline, before_baseline))
            else:
                base_times.append(timed(baseline, before_baseline))
                case_times.append(timed(case, before_case))
    finally:
        if was_enabled:
            gc.enable()
    return Paired(tuple(case_times), tuple(base_times))


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation between the closest ranks."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Stats:
    """A summary of timings, in seconds."""

    runs: int
    median: float
    p95: float
    low: float
    high: float


def summarize(samples: Sequence[float]) -> Stats:
    return Stats(
        runs=len(samples),
        median=percentile(samples, 50),
        p95=percentile(samples, 95),
        low=min(samples),
        high=max(samples),
    )


@dataclass(frozen=True)
class Row:
    """One line of a benchmark table.

    ``ratio`` is the median, over the rounds, of case time / baseline time: how many baselines
    the case costs. ``target`` is the p95 the case should stay under (seconds), or None.
    """

    benchmark: str
    case: str
    stats: Stats
    baseline: str = ""
    baseline_stats: Stats | None = None
    ratio: float | None = None
    target: float | None = None
    note: str = ""
    ratio_low: float | None = None
    ratio_high: float | None = None
    # A target on the ratio instead (the median of the paired ratios must stay at or under it).
    ratio_target: float | None = None

    @property
    def within_target(self) -> bool | None:
        if self.ratio_target is not None:
            return self.ratio is not None and self.ratio <= self.ratio_target
        return None if self.target is None else self.stats.p95 <= self.target


def row(
    benchmark: str,
    case: str,
    paired: Paired,
    *,
    baseline: str,
    target: float | None = None,
    note: str = "",
    ratio_target: float | None = None,
) -> Row:
    """A table row from paired runs."""
    ratios = paired.ratios()
    return Row(
        benchmark=benchmark,
        case=case,
        stats=summarize(paired.case),
        baseline=baseline,
        baseline_stats=summarize(paired.baseline),
        ratio=percentile(ratios, 50) if ratios else None,
        target=target,
        note=note,
        ratio_low=min(ratios) if ratios else None,
        ratio_high=max(ratios) if ratios else None,
        ratio_target=ratio_target,
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


_HEADINGS = (
    "benchmark",
    "case",
    "runs",
    "median ms",
    "p95 ms",
    "min–max ms",
    "target",
    "",
    "× baseline",
    "ratio min–max",
    "baseline median ms",
)


def _target(r: Row) -> str:
    if r.ratio_target is not None:
        return f"≤ {r.ratio_target:g}× base"
    return "" if r.target is None else f"p95 ≤ {r.target * 1000:g} ms"


def table(rows: Iterable[Row]) -> list[str]:
    """The rows as text lines, columns aligned, with a heading and a rule."""
    cells: list[tuple[str, ...]] = [_HEADINGS]
    for r in rows:
        verdict = {None: "", True: "ok", False: "OVER"}[r.within_target]
        cells.append(
            (
                r.benchmark,
                r.case + (f" ({r.note})" if r.note else ""),
                str(r.stats.runs),
                _ms(r.stats.median),
                _ms(r.stats.p95),
                f"{_ms(r.stats.low)}–{_ms(r.stats.high)}",
                _target(r),
                verdict,
                "" if r.ratio is None else f"{r.ratio:.2f}",
                ""
                if r.ratio_low is None or r.ratio_high is None
                else f"{r.ratio_low:.2f}–{r.ratio_high:.2f}",
                "" if r.baseline_stats is None else _ms(r.baseline_stats.median),
            )
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADINGS))]
    numeric = {2, 3, 4, 5, 8, 9, 10}
    lines = []
    for n, line in enumerate(cells):
        parts = [
            cell.rjust(widths[i]) if i in numeric and n > 0 else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def print_table(rows: Iterable[Row], file: IO[str] | None = None) -> None:
    for line in table(rows):
        print(line, file=file)

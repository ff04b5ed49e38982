"""The benchmarks' paired runs (bench/harness.py): the order of the calls, and the untimed steps
before each run. Times themselves are never asserted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import paired_runs


def test_paired_runs_alternate_and_run_the_steps_before_each_side_untimed() -> None:
    calls: list[str] = []
    paired = paired_runs(
        lambda: calls.append("case"),
        lambda: calls.append("base"),
        runs=4,
        warmup=1,
        before_case=lambda: calls.append("before case"),
        before_baseline=lambda: calls.append("before base"),
    )
    assert len(paired.case) == len(paired.baseline) == 4
    steps = ["before case", "case", "before base", "base"]
    flipped = ["before base", "base", "before case", "case"]
    # One warm-up round, then rounds whose order flips each time.
    assert calls == steps + steps + flipped + steps + flipped


def test_the_steps_before_are_not_timed() -> None:
    import time

    paired = paired_runs(
        lambda: None,
        lambda: None,
        runs=3,
        warmup=0,
        before_case=lambda: time.sleep(0.05),
        before_baseline=lambda: time.sleep(0.05),
    )
    assert max(paired.case) < 0.05 and max(paired.baseline) < 0.05


def test_paired_runs_need_a_run() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        paired_runs(lambda: None, lambda: None, runs=0)

"""Run Tracker's benchmarks and print one table.

    python bench/run.py                 # every benchmark in bench/
    python bench/run.py search          # only these
    python bench/run.py --runs 50       # fewer runs per case, for a quick look

Every module in bench/ other than this one and ``harness`` is a benchmark: it has a
``run(*, runs: int = ...) -> list[harness.Row]`` function. The benchmarks report; they never
assert, and pytest never collects them. See bench/README.md for how to read the table.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOT_BENCHMARKS = {"run", "harness", "__init__"}


def benchmark_names() -> list[str]:
    return sorted(
        path.stem
        for path in HERE.glob("*.py")
        if path.stem not in NOT_BENCHMARKS and not path.stem.startswith("_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Tracker's benchmarks.")
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run: {', '.join(benchmark_names())}"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per case (default: each one's)"
    )
    args = parser.parse_args(argv)
    names = args.names or benchmark_names()
    unknown = sorted(set(names) - set(benchmark_names()))
    if unknown:
        parser.error(f"no benchmark called {', '.join(unknown)}; there are {benchmark_names()}")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs: choose 1 or more")

    # `python bench/run.py` puts bench/ itself first on the path, where "search" or "run" would
    # shadow any module of that name; the benchmarks import each other as bench.harness.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.harness import Row, print_table

    rows: list[Row] = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        options = {} if args.runs is None else {"runs": args.runs}
        rows.extend(module.run(**options))
    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}; "
        "times in milliseconds, warm."
    )
    print()
    print_table(rows)
    over = [r for r in rows if r.within_target is False]
    print()
    if over:
        print(f"{len(over)} of {len(rows)} cases are over their target.")
    else:
        print(f"All {len(rows)} cases are within their target.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Nothing lost: a writer process killed with SIGKILL at random moments, plain and encrypted.

The writer (tests/crash_writer.py) writes entries of five rows each, one transaction per entry,
and prints ``committed i`` only after entry ``i`` has committed. We let it commit at least once,
kill it at a random moment, then open the journal the way the app does and check:

- every entry reported as committed is there;
- no entry is half-written: each one has all five rows or none;
- ``PRAGMA integrity_check`` says ok, and no foreign key points nowhere;
- the ``-wal`` file the killed writer left behind is still there while the journal is open
  again (SQLite replays it; the app must never delete it).

Run ``python tests/test_crash.py`` for the summary table, or ``pytest -s tests/test_crash.py``.
"""

from __future__ import annotations

import ast
import os
import random
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
WRITER = TESTS / "crash_writer.py"
if str(TESTS) not in sys.path:  # when run as a script
    sys.path.insert(0, str(TESTS))

from crash_writer import ENTRY_TABLES  # noqa: E402

from tracker.store import Store  # noqa: E402
from tracker.store.connection import inspect_file  # noqa: E402

KILLS = 25
MAX_DELAY_S = 0.3
FIRST_COMMIT_TIMEOUT_S = 60.0
PASSPHRASE = "crash test passphrase with a ' quote"
MODES = ("plain", "encrypted")
_ENTRY = re.compile(r"entry (\d+)")


@dataclass
class Summary:
    mode: str
    kills: int = 0
    committed: int = 0  # entries the writer reported as committed
    found: int = 0  # whole entries in the journal after the last kill
    half_written: int = 0
    wal_left_by_kill: int = 0  # kills after which a -wal file was there
    integrity_ok: int = 0  # checks (one per kill) that said "ok"
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.mode:<10} {self.kills:>5} {self.committed:>9} {self.found:>6} "
            f"{self.half_written:>12} {self.wal_left_by_kill:>8} "
            f"{self.integrity_ok:>3}/{self.kills:<3} {self.seconds:>6.1f}s"
        )


HEADER = "mode       kills committed  found half-written wal-left integrity   time"


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _writer_env(passphrase: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_PASSPHRASE"}
    if passphrase is not None:
        env["TRACKER_PASSPHRASE"] = passphrase
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _start_writer(path: Path, passphrase: str | None) -> subprocess.Popen[bytes]:
    """A writer that does its imports, then waits for a line on stdin to open the journal and
    another to start writing."""
    return subprocess.Popen(
        [sys.executable, str(WRITER), "--wait", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_writer_env(passphrase),
    )


def _tell(proc: subprocess.Popen[bytes], line: bytes) -> None:
    assert proc.stdin is not None
    proc.stdin.write(line)
    proc.stdin.flush()


def _run_and_kill(proc: subprocess.Popen[bytes], delay: float) -> list[int]:
    """Let a waiting writer (told to open the journal already) write, wait for its first
    commit, kill it ``delay`` seconds later; return the entries it reported as committed."""
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    out = b""
    deadline = time.monotonic() + FIRST_COMMIT_TIMEOUT_S
    try:
        _tell(proc, b"go\n")
        while b"committed" not in out:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("the writer made no commit in time")
            ready, _, _ = select.select([proc.stdout], [], [], remaining)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:  # the writer ended by itself: it must have failed
                    raise AssertionError(
                        "the writer stopped before its first commit: "
                        + proc.stderr.read().decode(errors="replace")
                    )
                out += chunk
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        out += proc.stdout.read()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    assert proc.returncode == -signal.SIGKILL, proc.returncode
    lines = out.decode().splitlines()
    # The last line may be cut short by the kill; a whole "committed i" line was flushed whole.
    return [int(m.group(1)) for line in lines if (m := re.fullmatch(r"committed (\d+)", line))]


def _entries_by_table(store: Store) -> dict[str, Counter[int]]:
    """How many rows each table holds for each entry number."""
    result: dict[str, Counter[int]] = {}
    for table in ENTRY_TABLES:
        column = "notes" if table in ("groups", "people") else "note"
        counts: Counter[int] = Counter()
        for (text,) in store.db.execute(f"SELECT {column} FROM {table}").fetchall():
            match = _ENTRY.fullmatch(text)
            if match:
                counts[int(match.group(1))] += 1
        result[table] = counts
    # The names must match the notes (a group "Crash group 7" holds "entry 7").
    for table, column, prefix in (
        ("groups", "name", "Crash group "),
        ("people", "alias", "Crash person "),
    ):
        sql = f"SELECT count(*) FROM {table} WHERE {column} != replace(notes, 'entry ', ?)"
        mismatched = store.db.execute(sql, [prefix]).fetchone()[0]
        if mismatched:
            result[table][-1] += mismatched
    return result


def run_crash_trials(
    mode: str, folder: Path, *, kills: int = KILLS, seed: int = 20261126
) -> Summary:
    """Kill a writer ``kills`` times on one journal in ``folder``; check it after each kill."""
    started = time.monotonic()
    passphrase = PASSPHRASE if mode == "encrypted" else None
    path = folder / f"crash-{mode}.db"
    Store.open(path, passphrase=passphrase).close()  # a new journal, encrypted or not
    expected_kind = "encrypted" if passphrase else "sqlite"
    summary = Summary(mode)
    rng = random.Random(f"{seed}-{mode}")
    reported: set[int] = set()
    unreported: set[int] = set()
    writers = [_start_writer(path, passphrase)]
    _tell(writers[0], b"open\n")
    try:
        for kill in range(1, kills + 1):
            before = set(reported)
            now_reported = _run_and_kill(writers.pop(), rng.uniform(0.0, MAX_DELAY_S))
            if kill < kills:
                # The next writer does its imports meanwhile; it writes nothing until told.
                writers.append(_start_writer(path, passphrase))
            reported.update(now_reported)
            summary.kills += 1
            if not now_reported:
                summary.problems.append(f"kill {kill}: the writer reported no commit")

            wal_left = _wal(path).exists()
            summary.wal_left_by_kill += wal_left
            kind = inspect_file(path).kind
            if kind != expected_kind:
                summary.problems.append(f"kill {kill}: the file now looks {kind}")

            if writers:
                # The next writer opens the journal while we do: its -wal is replayed by
                # whichever comes first (both are Tracker opening it), in parallel.
                _tell(writers[0], b"open\n")
            store = Store.open(path, passphrase=passphrase)
            try:
                integrity = store.db.execute("PRAGMA integrity_check").fetchall()
                if integrity == [("ok",)]:
                    summary.integrity_ok += 1
                else:
                    summary.problems.append(f"kill {kill}: integrity_check said {integrity}")
                dangling = store.db.execute("PRAGMA foreign_key_check").fetchall()
                if dangling:
                    summary.problems.append(f"kill {kill}: foreign_key_check found {dangling}")
                by_table = _entries_by_table(store)
                if wal_left and not _wal(path).exists():
                    summary.problems.append(f"kill {kill}: the -wal file was gone while open")
            finally:
                store.close()

            numbers = set().union(*(set(c) for c in by_table.values()))
            whole = {i for i in numbers if all(by_table[t][i] == 1 for t in ENTRY_TABLES)}
            partial = sorted(numbers - whole)
            summary.half_written = len(partial)
            if partial:
                summary.problems.append(f"kill {kill}: entries not whole: {partial[:10]}")
            missing = sorted(reported - whole)
            if missing:
                summary.problems.append(f"kill {kill}: committed but missing: {missing[:10]}")
            # At most one entry per kill can have committed without being reported: the one the
            # kill cut off between its commit and its line.
            new_unreported = whole - reported - unreported
            if len(new_unreported) > 1:
                summary.problems.append(
                    f"kill {kill}: unexplained entries {sorted(new_unreported)}"
                )
            unreported |= new_unreported
            if before - whole:
                summary.problems.append(f"kill {kill}: earlier entries vanished")
            summary.found = len(whole)
    finally:
        for writer in writers:  # a check failed: don't leave a waiting writer behind
            writer.kill()
            writer.communicate()
    summary.committed = len(reported)
    summary.seconds = time.monotonic() - started
    return summary


@pytest.mark.parametrize("mode", MODES)
def test_a_killed_writer_loses_nothing_committed_and_leaves_nothing_half_written(
    mode: str, tmp_path: Path, record_property: Any
) -> None:
    summary = run_crash_trials(mode, tmp_path)
    record_property("crash summary", f"{HEADER}\n{summary.line()}")
    print(f"\n{HEADER}\n{summary.line()}")
    assert summary.problems == []
    assert summary.kills >= KILLS
    assert summary.integrity_ok == summary.kills
    assert summary.half_written == 0
    assert summary.committed >= summary.kills  # each writer committed at least once
    assert summary.committed <= summary.found <= summary.committed + summary.kills
    assert summary.wal_left_by_kill > 0  # the kills really left a -wal behind to replay


def test_a_checkpoint_cut_off_midway_is_not_called_damage(tmp_path: Path) -> None:
    """A kill during a checkpoint can leave the file shorter than its header says: page 1 (with
    the new page count) is written before the pages after the old end. The -wal still holds
    them all and SQLite replays it on opening, so the journal opens with every row."""
    import shutil
    import sqlite3
    from datetime import date

    from tracker.clock import Clock
    from tracker.domain.models import AttendanceFields, GroupFields

    path = tmp_path / "journal.db"
    store = Store.open(path, clock=Clock.fixed(date(2026, 11, 26)))
    group = store.add_group(GroupFields(name="Circle"))
    store.close()
    old_size = path.stat().st_size
    store = Store.open(path, clock=Clock.fixed(date(2026, 11, 26)))
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    for n in range(300):
        store.log_attendance(
            AttendanceFields(group_id=group.id, date=date(2026, 1, 1), note=f"entry {n} " * 20)
        )
    wal = _wal(path)
    # The state a kill mid-checkpoint leaves: the -wal as it was, and the file checkpointed
    # but cut at its old end, with the new header.
    saved_wal = tmp_path / "saved-wal"
    shutil.copyfile(wal, saved_wal)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.close()
    checkpointed = path.read_bytes()
    store.db.conn.close()
    assert len(checkpointed) > old_size
    path.write_bytes(checkpointed[:old_size])
    shutil.copyfile(saved_wal, wal)
    assert inspect_file(path).kind == "sqlite"

    again = Store.open(path, clock=Clock.fixed(date(2026, 11, 26)))
    try:
        assert again.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert again.counts()["attendance"] == 300
    finally:
        again.close()
    # Without a -wal to replay, a file cut short is damage.
    path.write_bytes(checkpointed[:old_size])
    if wal.exists():
        wal.write_bytes(b"")
    assert inspect_file(path).kind == "damaged"


# --- the app never deletes SQLite's own files -----------------------------------------------------

_DELETERS = {"unlink", "remove", "rmtree", "rmdir", "truncate"}
_SIDECAR_TEXT = re.compile(r"(-wal|-shm|-journal)$")
_SIDECAR_NAME = re.compile(r"(^|_)(wal|shm|sidecars?|sidecar_files)(_|$)")


def _mentions_sidecar(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        text = sub.value if isinstance(sub, ast.Constant) else None
        if isinstance(text, str) and _SIDECAR_TEXT.search(text):
            return True
        if isinstance(sub, ast.Name) and _SIDECAR_NAME.search(sub.id.lower()):
            return True
        if isinstance(sub, ast.Attribute) and _SIDECAR_NAME.search(sub.attr.lower()):
            return True
    return False


def sidecar_deletions(source: str, filename: str = "<source>") -> list[str]:
    """Where ``source`` deletes (or might delete) a ``-wal``, ``-shm`` or ``-journal`` file: a
    delete call naming one, or any delete call in a function that deals with them. Each place is
    ``file:line:function``."""
    tree = ast.parse(source, filename)
    found: set[str] = set()
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for scope in [tree, *functions]:
        # The module as a whole counts only for calls that name a sidecar themselves.
        scope_mentions = scope is not tree and _mentions_sidecar(scope)
        name = getattr(scope, "name", "<module>")
        for call in ast.walk(scope):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in _DELETERS and (scope_mentions or _mentions_sidecar(call)):
                found.add(f"{filename}:{call.lineno}:{name}")
    # A call inside a nested function is found from both; keep the innermost name.
    by_line: dict[str, str] = {}
    for place in sorted(found):
        file_line, _, function = place.rpartition(":")
        if function != "<module>" or file_line not in by_line:
            by_line[file_line] = place
    return sorted(by_line.values())


# Functions allowed to delete sidecars: only those of temporary files Tracker made itself.
_ALLOWED = {
    # A backup or conversion is built under a temporary name; if that fails, the temporary
    # copy goes, with its own -wal/-shm. The journal's own files are never passed to it.
    ("tracker/store/backup.py", "_remove_temp"),
}


def test_no_code_in_tracker_deletes_wal_or_journal_files() -> None:
    offenders: list[str] = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for place in sidecar_deletions(path.read_text(encoding="utf-8"), relative):
            if (relative, place.rpartition(":")[2]) not in _ALLOWED:
                offenders.append(place)
    assert offenders == []


@pytest.mark.parametrize(
    "snippet",
    [
        "def f(p):\n    p.with_name(p.name + '-wal').unlink()\n",
        "import os\ndef f(p):\n    os.remove(str(p) + '-journal')\n",
        "def f(p):\n    for s in paths.sidecar_files(p):\n        s.unlink(missing_ok=True)\n",
        "def f(wal_path):\n    wal_path.unlink()\n",
        "import shutil\ndef f(d, p):\n    wal = p.parent / 'j.db-wal'\n    shutil.rmtree(d)\n",
    ],
)
def test_the_sidecar_check_catches_deletions(snippet: str) -> None:
    assert sidecar_deletions(snippet) != []


def test_the_sidecar_check_lets_other_deletions_be() -> None:
    source = "import os\ndef f(tmp):\n    tmp.unlink()\n    os.remove('report.tmp')\n"
    assert sidecar_deletions(source) == []


def main() -> int:
    print(HEADER)
    failed = False
    with tempfile.TemporaryDirectory(prefix="tracker-crash-") as folder:
        for mode in MODES:
            summary = run_crash_trials(mode, Path(folder))
            print(summary.line(), flush=True)
            for problem in summary.problems:
                print(f"  problem: {problem}")
            failed |= bool(summary.problems) or summary.integrity_ok != summary.kills
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

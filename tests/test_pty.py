"""The real app in a pseudo-terminal: hostile text in the journal never reaches the terminal.

Pilot tests check what widgets hold; this checks the bytes the app actually writes. A journal is
filled with terminal control sequences (an OSC title change, BEL, a C1 CSI, a colour escape,
U+202E) and Rich markup in every area, as a hand-edited file or an old bug could leave them.
The app runs as ``python -m tracker`` on a 100x30 pseudo-terminal, visits the main screens and
quits with ctrl+q, while everything it writes is read. None of the payloads' distinctive bytes
may appear, while a harmless word from the same notes, and the visible stand-ins for the control
characters, must (so the test can fail).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.domain.profile import Profile
from tracker.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TODAY = date(2026, 11, 26)  # a Thursday
ROWS, COLUMNS = 30, 100

MARKER = "tulipfield"  # harmless, and must be seen
NOTE = (
    f"{MARKER} \x1b]0;PWNED\x07 \x1b[31mEVIL \x9b2J \x07bell \u202egnp.exe "
    "[@click=app.quit]q[/] [bold]b[/]"
)
GROUP_NAME = "Tulip \x1b[31mEVIL\u202e"
ALIAS = "Sam \x1b]0;PWNED\x07"

# Bytes that only the payloads could have put there. (Textual writes its own escape sequences,
# BEL included as the end of its own OSC sequences, so only payload-specific strings count.)
FORBIDDEN = {
    "OSC title change": b"\x1b]0;PWNED",
    "BEL after the OSC payload": b"PWNED\x07",
    "BEL before 'bell'": b"\x07bell",
    "C1 CSI (U+009B in UTF-8)": b"\xc2\x9b",
    "raw colour escape": b"\x1b[31mEVIL",
    "right-to-left override U+202E": b"\xe2\x80\xae",
}
# What must be seen: the marker word, and the stand-ins for ESC (U+241B) and BEL (U+2407).
REQUIRED = {
    "marker word": MARKER.encode(),
    "ESC shown as a stand-in": "␛]0;PWNED␇".encode(),
}


def _hostile_journal(path: Path) -> None:
    store = Store.open(path, clock=Clock.fixed(TODAY))
    store.set_profile(Profile(asked=True))  # no first-run questions
    group = store.add_group(GroupFields(name="Tulip"))
    person = store.add_person(PersonFields(alias="Sam"))
    day = TODAY - timedelta(days=1)
    store.log_attendance(AttendanceFields(group_id=group.id, date=day, note="x", note_shared=True))
    store.log_contact(ContactFields(person_id=person.id, date=day, note="x", note_shared=True))
    store.add_service(ServiceFields(date=day, group_id=group.id, note="x", note_shared=True))
    store.add_rating(
        FitFields(
            group_id=group.id,
            date=day,
            welcome=4,
            relevance=4,
            format_comfort=4,
            practical=4,
            would_return=4,
            note="x",
            note_shared=True,
        )
    )
    # Control characters can't be typed in; write them straight into the file.
    for table, column in (
        ("groups", "notes"),
        ("groups", "location"),
        ("people", "notes"),
        ("attendance", "note"),
        ("contacts", "note"),
        ("service", "note"),
        ("fit_ratings", "note"),
    ):
        store.db.execute(f"UPDATE {table} SET {column} = ?", [NOTE])
    store.db.execute("UPDATE groups SET name = ?", [GROUP_NAME])
    store.db.execute("UPDATE people SET alias = ?", [ALIAS])
    store.db.conn.commit()
    store.close()


class Terminal:
    """A child process on a pseudo-terminal, and everything it has written so far."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.proc = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def pump(self, seconds: float, *, until: bytes | None = None) -> bool:
        """Read for up to ``seconds`` (or until ``until`` has been seen); False on timeout."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if until is not None and until in self.output:
                return True
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                if self.proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child has closed the terminal
                break
            if not chunk:
                break
            self.output += chunk
        return until is not None and until in self.output

    def type(self, keys: bytes, settle: float) -> None:
        os.write(self.master, keys)
        self.pump(settle)

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        try:
            self.proc.wait(timeout=10)
        finally:
            os.close(self.master)

    def tail(self) -> str:
        return bytes(self.output[-3000:]).decode("utf-8", "replace")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    db = tmp_path / "journal.db"
    _hostile_journal(db)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "TRACKER_")) and key not in ("NO_COLOR",)
    }
    env.update(
        TRACKER_TODAY=TODAY.isoformat(),
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        PYTHONUNBUFFERED="1",
    )
    term = Terminal([sys.executable, "-m", "tracker", "--db", str(db)], env, tmp_path)
    try:
        yield term
    finally:
        term.close()


def test_hostile_text_never_reaches_the_terminal(terminal: Terminal) -> None:
    started = terminal.pump(60, until=MARKER.encode())
    assert started, f"the app never showed the dashboard; it wrote:\n{terminal.tail()}"
    terminal.pump(1.0)
    # Groups, meetings, people, service, fit, review, and home again.
    for key in (b"2", b"3", b"4", b"5", b"6", b"0", b"1"):
        terminal.type(key, settle=2.0)
        if key == b"3":  # the meetings screen shows the whole note: wait for it on a slow machine
            terminal.pump(20, until=REQUIRED["ESC shown as a stand-in"])
        assert terminal.proc.poll() is None, f"the app stopped after {key!r}:\n{terminal.tail()}"
    terminal.type(b"\x11", settle=0.5)  # ctrl+q
    deadline = time.monotonic() + 20
    while terminal.proc.poll() is None and time.monotonic() < deadline:
        terminal.pump(0.5)
    terminal.pump(0.5)
    assert terminal.proc.poll() == 0, f"ctrl+q didn't quit cleanly:\n{terminal.tail()}"

    output = bytes(terminal.output)
    # The terminal was given back before the process ended (it ends without Python's teardown,
    # tracker.cli.leave): the alternate screen left, and the cursor shown again.
    after_start = output[output.rfind(b"\x1b[?1049h") :]
    assert b"\x1b[?1049l" in after_start, f"the alternate screen was left on:\n{terminal.tail()}"
    assert b"\x1b[?25h" in after_start[after_start.rfind(b"\x1b[?25l") :], "the cursor was hidden"
    for what, needle in REQUIRED.items():
        assert needle in output, f"{what} was never shown:\n{terminal.tail()}"
    for what, needle in FORBIDDEN.items():
        at = output.find(needle)
        assert at == -1, f"{what} reached the terminal: {output[max(at - 40, 0) : at + 40]!r}"

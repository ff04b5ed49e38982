"""Nothing leaked: no network, deleted and edited notes gone from the raw files, private files.

- The network is off for the whole suite (tests/conftest.py): these tests prove the guard
  blocks a real local server, name lookups too, leaves Unix sockets working, lets a test marked
  ``allow_network`` through, and doesn't disturb a Pilot test. A static check keeps networking
  modules out of tracker/.
- Secure delete: a deleted or rewritten note can't be found in the bytes of the database or its
  ``-wal`` file, even while the journal is still open; an encrypted journal never shows a note.
- Permissions under umask 022: the gaps left by tests/test_store.py, test_cli.py and
  test_review_end_to_end.py (an encrypted journal, a journal made by the CLI, CSV and review
  files under umask 022, an export over an existing loose file).
"""

from __future__ import annotations

import ast
import asyncio
import http.client
import http.server
import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pilot import SMALL, TODAY, settle

from tracker.app import create_app
from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.store import Store

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple"
OFF = "network is off in tests"


# --- no network ---------------------------------------------------------------------------------


@pytest.fixture
def listening() -> Iterator[tuple[str, int]]:
    """A real server socket on 127.0.0.1, so a refusal can't be "nothing was listening"."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        yield server.getsockname()
    finally:
        server.close()


def test_no_connection_even_to_a_local_listening_server(listening: tuple[str, int]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
        with pytest.raises(RuntimeError, match=OFF):
            client.connect(listening)
        with pytest.raises(RuntimeError, match=OFF):
            client.connect_ex(listening)
    with pytest.raises(RuntimeError, match=OFF):
        socket.create_connection(listening, timeout=1)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
        pytest.raises(RuntimeError, match=OFF),
    ):
        udp.sendto(b"hello", listening)


def test_no_ipv6_connection_either() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    try:
        server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        server.listen(1)
        with (
            socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as client,
            pytest.raises(RuntimeError, match=OFF),
        ):
            client.connect(server.getsockname()[:2])


async def test_asyncio_connections_are_refused_too(listening: tuple[str, int]) -> None:
    with pytest.raises(RuntimeError, match=OFF):
        await asyncio.open_connection(*listening)


def test_names_are_not_looked_up() -> None:
    for lookup in (
        lambda: socket.getaddrinfo("example.com", 443),
        lambda: socket.getaddrinfo(b"example.com", 80),
        lambda: socket.gethostbyname("example.com"),
        lambda: socket.gethostbyname_ex("pypi.org"),
    ):
        with pytest.raises(RuntimeError, match=OFF):
            lookup()
    with pytest.raises(RuntimeError, match=OFF):
        http.client.HTTPSConnection("example.com", timeout=1).request("GET", "/")
    # Local names and written-out addresses need no resolver and still work.
    assert socket.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)
    assert socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)


def test_unix_sockets_and_socketpairs_still_work(tmp_path: Path) -> None:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"ping")
        assert right.recv(4) == b"ping"
    address = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(address)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(address)
            conn, _ = server.accept()
            with conn:
                client.sendall(b"pong")
                assert conn.recv(4) == b"pong"


FEED = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.allow_network
def test_a_test_marked_allow_network_reaches_its_local_server() -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        conn = http.client.HTTPConnection(str(host), port, timeout=5)
        conn.request("GET", "/meetings.ics")
        response = conn.getresponse()
        assert response.status == 200
        assert response.read() == FEED
        conn.close()
    finally:
        server.shutdown()
        server.server_close()


def test_the_network_is_off_again_after_an_allow_network_test(
    listening: tuple[str, int],
) -> None:
    # Whatever order the tests run in, the opt-out never outlives its own test.
    with pytest.raises(RuntimeError, match=OFF):
        socket.create_connection(listening, timeout=1)


async def test_a_pilot_test_runs_under_the_guard(
    tmp_path: Path, listening: tuple[str, int]
) -> None:
    path = tmp_path / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    store.add_group(GroupFields(name="Tuesday Night NA"))
    store.close()
    app = create_app(db_path=path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.is_running
        await pilot.press("tab")
        await settle(pilot)
        with pytest.raises(RuntimeError, match=OFF):
            socket.create_connection(listening, timeout=1)
    assert app.return_code in (None, 0)


NETWORK_MODULES = {"socket", "urllib", "http", "requests", "httpx", "urllib3", "aiohttp", "ftplib"}
# Modules under those names that only work on text, never open a connection.
NOT_NETWORK = {"urllib.parse", "http.HTTPStatus"}
# The meeting-feed import (`tracker meetings import URL`) is the one place allowed to fetch.
NETWORK_ALLOWED = {"tracker/meetings/fetch.py"}


def network_imports(source: str) -> list[str]:
    """The networking modules ``source`` imports (``import x``, ``from x import y``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in (
                "import_module",
                "__import__",
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        found += [
            name
            for name in names
            if name.split(".")[0] in NETWORK_MODULES and name not in NOT_NETWORK
        ]
    return found


def test_no_module_in_tracker_imports_networking() -> None:
    offenders = {}
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in NETWORK_ALLOWED:
            continue
        found = network_imports(path.read_text(encoding="utf-8"))
        if found:
            offenders[relative] = found
    assert offenders == {}


@pytest.mark.parametrize(
    "source",
    [
        "import socket\n",
        "import urllib.request\n",
        "from http.client import HTTPSConnection\n",
        "def f():\n    import requests\n",
        "import httpx as h\n",
        "import importlib\nimportlib.import_module('urllib.request')\n",
    ],
)
def test_the_import_check_catches_networking(source: str) -> None:
    assert network_imports(source) != []


def test_the_import_check_lets_other_imports_be() -> None:
    assert network_imports("import json\nfrom pathlib import Path\nfrom . import socketry\n") == []
    assert network_imports("from urllib.parse import urlsplit\n") == []


def test_the_one_allowed_module_really_is_the_network_path() -> None:
    """The allow-list isn't stale: fetch.py exists and does import the network."""
    (allowed,) = NETWORK_ALLOWED
    assert network_imports((ROOT / allowed).read_text(encoding="utf-8"))


# --- secure delete ------------------------------------------------------------------------------


def open_store(path: Path, passphrase: str | None = None) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY), passphrase=passphrase)


def raw_bytes(path: Path) -> dict[str, bytes]:
    """The database file and its -wal, byte for byte (a missing -wal holds nothing)."""
    found = {}
    for each in (path, path.with_name(path.name + "-wal")):
        found[each.name] = each.read_bytes() if each.exists() else b""
    return found


def where_found(path: Path, marker: str) -> list[str]:
    needle = marker.encode("utf-8")
    return [name for name, data in raw_bytes(path).items() if needle in data]


class Journal:
    """A journal with one entry of each kind, so a marker can go in any note."""

    def __init__(self, path: Path, passphrase: str | None = None) -> None:
        self.path = path
        self.store = open_store(path, passphrase)
        store = self.store
        self.group = store.add_group(GroupFields(name="Thursday Circle", notes="kept group"))
        self.person = store.add_person(PersonFields(alias="Jo", notes="kept person"))
        day = date(2026, 11, 20)
        self.attendance = store.log_attendance(
            AttendanceFields(group_id=self.group.id, date=day, note="kept meeting")
        )
        self.contact = store.log_contact(
            ContactFields(person_id=self.person.id, date=day, note="kept contact")
        )
        self.service = store.add_service(ServiceFields(date=day, kind="coffee", note="kept"))
        self.rating = store.add_rating(
            FitFields(
                group_id=self.group.id,
                date=day,
                welcome=4,
                relevance=4,
                format_comfort=3,
                practical=5,
                would_return=4,
                note="kept rating",
            )
        )


def _write(journal: Journal, kind: str, marker: str) -> Callable[[], None]:
    """Put ``marker`` in a new note of ``kind``; return how to delete that entry."""
    store = journal.store
    day = date(2026, 11, 24)
    if kind == "attendance":
        entry = store.log_attendance(
            AttendanceFields(group_id=journal.group.id, date=day, note=marker)
        )
        return lambda: store.delete_attendance(entry.id)
    if kind == "contact":
        contact = store.log_contact(
            ContactFields(person_id=journal.person.id, date=day, note=marker)
        )
        return lambda: store.delete_contact(contact.id)
    if kind == "service":
        service = store.add_service(ServiceFields(date=day, kind="greeter", note=marker))
        return lambda: store.delete_service(service.id)
    if kind == "rating":
        rating = store.add_rating(
            FitFields(
                group_id=journal.group.id,
                date=day,
                welcome=2,
                relevance=3,
                format_comfort=4,
                practical=2,
                would_return=3,
                note=marker,
            )
        )
        return lambda: store.delete_rating(rating.id)
    if kind == "group":
        group = store.add_group(GroupFields(name="Saturday Morning", notes=marker))
        return lambda: store.delete_group(group.id)
    raise AssertionError(kind)


def _marker(kind: str) -> str:
    return f"SECRET-{kind}-7c1e5b2d-the-bridge-on-elm-street"


@pytest.mark.parametrize(
    "kind",
    [
        "attendance",
        "contact",
        "service",
        "rating",
        "group",
    ],
)
def test_a_deleted_note_is_gone_from_the_raw_files(tmp_path: Path, kind: str) -> None:
    journal = Journal(tmp_path / "journal.db")
    marker = _marker(kind)
    delete = _write(journal, kind, marker)
    assert where_found(journal.path, marker) != []  # it was written where we look
    delete()
    # Checked while the journal is still open: closing it would checkpoint anyway.
    assert where_found(journal.path, marker) == []
    assert "kept meeting" in journal.store.get_attendance(journal.attendance.id).note
    journal.store.close()
    assert where_found(journal.path, marker) == []


NEW = "rewritten-note-5d0c"


def _edit(journal: Journal, kind: str, marker: str) -> None:
    """Write ``marker`` into an existing entry's note of ``kind``, then change it."""
    store = journal.store
    if kind == "attendance":
        entry = journal.attendance
        fields = AttendanceFields(group_id=entry.group_id, date=entry.date, note=marker)
        store.update_attendance(entry.id, fields)
        store.update_attendance(entry.id, replace(fields, note=NEW))
    elif kind == "contact":
        contact = journal.contact
        fields_c = ContactFields(person_id=contact.person_id, date=contact.date, note=marker)
        store.update_contact(contact.id, fields_c)
        store.update_contact(contact.id, replace(fields_c, note=NEW))
    elif kind == "group":
        store.update_group(journal.group.id, GroupFields(name="Thursday Circle", notes=marker))
        store.update_group(journal.group.id, GroupFields(name="Thursday Circle", notes=NEW))
    elif kind == "person":
        store.update_person(journal.person.id, PersonFields(alias="Jo", notes=marker))
        store.update_person(journal.person.id, PersonFields(alias="Jo", notes=NEW))
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["attendance", "contact", "group", "person"])
def test_an_edited_note_leaves_no_trace_of_its_old_text(tmp_path: Path, kind: str) -> None:
    journal = Journal(tmp_path / "journal.db")
    marker = _marker(kind)
    _edit(journal, kind, marker)
    assert where_found(journal.path, marker) == []
    assert where_found(journal.path, NEW) != []  # the new text is where we look
    journal.store.close()
    assert where_found(journal.path, marker) == []


def test_a_note_edited_in_one_transaction_with_other_writes_is_gone_after_it(
    tmp_path: Path,
) -> None:
    # _update inside a caller's transaction can't checkpoint then; the marker must still be
    # gone from the files once a later standalone edit or delete has run.
    journal = Journal(tmp_path / "journal.db")
    store = journal.store
    marker = _marker("nested")
    with store.atomic():
        store.update_group(journal.group.id, GroupFields(name="Thursday Circle", notes=marker))
    with store.atomic():
        store.update_group(journal.group.id, GroupFields(name="Thursday Circle", notes=NEW))
    store.delete_service(journal.service.id)
    assert where_found(journal.path, marker) == []
    store.close()


def test_a_checkpoint_blocked_by_a_reader_never_fails_the_delete(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.db")
    reader = Store.open(journal.path, clock=Clock.fixed(TODAY))
    with reader.snapshot() as db:  # a transaction that holds a read snapshot open
        db.execute("SELECT count(*) FROM attendance").fetchone()
        journal.store.delete_attendance(journal.attendance.id)
        journal.store.update_group(
            journal.group.id, GroupFields(name="Thursday Circle", notes="changed")
        )
    assert [a.id for a in journal.store.list_attendance()] == []
    assert journal.store.get_group(journal.group.id).notes == "changed"
    reader.close()
    journal.store.close()


def test_an_encrypted_journal_never_shows_a_note_in_its_files(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.db", passphrase=PASSPHRASE)
    assert journal.store.encrypted
    markers = {kind: _marker(kind) for kind in ("attendance", "contact", "service", "rating")}
    for kind, marker in markers.items():
        _write(journal, kind, marker)
    for text in (*markers.values(), "Thursday Circle", "kept meeting", "SQLite format 3"):
        assert where_found(journal.path, text) == [], text
    assert raw_bytes(journal.path)["journal.db-wal"] != b""  # there is a -wal to search
    journal.store.close()
    for text in (*markers.values(), "Thursday Circle", "kept meeting"):
        assert where_found(journal.path, text) == [], text
    # and the notes are all there for the right passphrase
    store = open_store(journal.path, PASSPHRASE)
    assert {a.note for a in store.list_attendance()} == {"kept meeting", markers["attendance"]}
    store.close()


# --- permissions --------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def run(*args: str, passphrase: str | None = None) -> Result:
    env = {"TRACKER_TODAY": TODAY.isoformat(), "TRACKER_DB": None}
    if passphrase is not None:
        env["TRACKER_PASSPHRASE"] = passphrase
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.mark.usefixtures("umask_022")
def test_a_new_encrypted_journal_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "tracker"
    path = folder / "journal.db"
    journal = Journal(path, passphrase=PASSPHRASE)
    assert mode(tmp_path / "data") == 0o700
    assert mode(folder) == 0o700
    assert mode(path) == 0o600
    for side in sidecars(path):
        assert side.exists(), side
        assert mode(side) == 0o600, side
    journal.store.close()
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


@pytest.mark.usefixtures("umask_022")
def test_a_journal_made_and_written_by_the_cli_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "folder"
    path = folder / "journal.db"
    made = run("--db", str(path), "demo", "--years", "1")
    assert made.exit_code == 0, made.output
    assert mode(tmp_path / "new") == 0o700
    assert mode(folder) == 0o700
    assert mode(path) == 0o600
    # With the app open (a second connection), `tracker log` writes through the -wal.
    app_store = open_store(path)
    (group, *_) = app_store.list_groups()
    result = run("--db", str(path), "log", group.name, "--note", "felt welcome")
    assert result.exit_code == 0, result.output
    assert mode(path) == 0o600
    for side in sidecars(path):
        assert side.exists(), side
        assert mode(side) == 0o600, side
    assert "felt welcome" in {a.note for a in app_store.list_attendance(limit=5)}
    app_store.close()


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    journal = Journal(path)
    journal.store.close()
    return path


@pytest.mark.usefixtures("umask_022")
def test_a_csv_export_makes_a_private_folder_of_private_files(
    tmp_path: Path, journal_file: Path
) -> None:
    out = tmp_path / "exports" / "csv"
    result = run("--db", str(journal_file), "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o700
    files = sorted(out.iterdir())
    assert files and all(p.suffix == ".csv" for p in files)
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


@pytest.mark.usefixtures("umask_022")
def test_csv_files_in_an_existing_folder_are_private(tmp_path: Path, journal_file: Path) -> None:
    out = tmp_path / "shared-folder"
    out.mkdir(mode=0o755)
    (out / "groups.csv").write_text("old", encoding="utf-8")
    os.chmod(out / "groups.csv", 0o644)
    result = run("--db", str(journal_file), "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert (out / "groups.csv").read_text(encoding="utf-8-sig") != "old"


@pytest.mark.usefixtures("umask_022")
def test_an_export_over_an_existing_loose_file_is_private(
    tmp_path: Path, journal_file: Path
) -> None:
    out = tmp_path / "journal.json"
    out.write_text("{}", encoding="utf-8")
    os.chmod(out, 0o644)
    result = run("--db", str(journal_file), "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    assert '"tracker-journal"' in out.read_text(encoding="utf-8")


@pytest.mark.usefixtures("umask_022")
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_review_files_are_private(tmp_path: Path, journal_file: Path, fmt: str) -> None:
    out = tmp_path / f"review.{fmt}"
    result = run(
        "--db", str(journal_file), "review", "--since", "30d", "--format", fmt, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    assert out.stat().st_size > 0


@pytest.mark.usefixtures("umask_022")
def test_an_encrypted_journal_written_by_the_cli_keeps_private_sidecars(tmp_path: Path) -> None:
    path = tmp_path / "private" / "journal.db"
    journal = Journal(path, passphrase=PASSPHRASE)
    result = run(
        "--db", str(path), "log", "Thursday Circle", "--note", "spoke up", passphrase=PASSPHRASE
    )
    assert result.exit_code == 0, result.output
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    for side in sidecars(path):
        assert mode(side) == 0o600, side
    assert "spoke up" in {a.note for a in journal.store.list_attendance()}
    journal.store.close()

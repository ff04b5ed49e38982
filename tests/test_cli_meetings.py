"""``tracker meetings`` (import, list, sources, remove, add): messages, exit codes, what's stored.

The feeds are the real Meeting Guide fixtures in tests/fixtures/meeting-guide/ (copied unchanged)
and our own BMLT and "wild" samples. The one test that downloads a feed serves it from its own
server on 127.0.0.1 (``allow_network``); every other test runs with the network off.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import GroupFields
from tracker.domain.schedules import stored_schedule
from tracker.meetings.fetch import FetchError, fetch
from tracker.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
FEEDS = FIXTURES / "meeting-guide"
TODAY = date(2026, 11, 26)  # a Thursday


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def run(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def refused(result: Result, *needles: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == "" or "Downloading" in result.stdout or "[y/N]" in result.stdout
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line.startswith("tracker: ") and "\n" not in line, result.stderr
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def open_store(db: Path) -> Store:
    return Store.open(db, clock=Clock.fixed(TODAY))


def state(db: Path) -> tuple[Any, ...]:
    """What an import could change: the sources and every meeting, as stored."""
    store = open_store(db)
    try:
        return (
            [(s.name, s.location, s.format, s.meetings, s.gone) for s in store.meeting_sources()],
            sorted((m.source, m.slug, m.name, m.days, m.time) for m in store.directory()),
            [g.name for g in store.list_groups()],
        )
    finally:
        store.close()


def listed(db: Path, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(run(db, "meetings", "list", "--json", "--limit", "1000", *args)))


# --- import ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feed", "records", "extra"),
    [
        ("sussex-aa-uk.json", 123, "read anyway"),
        ("al-anon-massachusetts.json", 360, "conference phone too short to dial"),
        ("atlanta-small.json", 6, "6 new"),
    ],
)
def test_import_each_real_feed(db: Path, feed: str, records: int, extra: str) -> None:
    out = ok(run(db, "meetings", "import", str(FEEDS / feed)))
    name = Path(feed).stem
    assert out.startswith(f"Imported {name} from ")
    assert f"(Meeting Guide feed, {records} records)" in out
    assert f"{records} meetings in this list now: {records} new." in out
    assert extra in out
    assert len(listed(db)) == records
    sources = json.loads(ok(run(db, "meetings", "sources", "--json")))
    assert [(s["name"], s["meetings"], s["format"]) for s in sources] == [
        (name, records, "meeting-guide")
    ]


def test_importing_again_updates_without_duplicates(db: Path) -> None:
    ok(run(db, "meetings", "import", str(FEEDS / "sussex-aa-uk.json")))
    again = ok(run(db, "meetings", "import", str(FEEDS / "sussex-aa-uk.json")))
    assert again.startswith("Updated sussex-aa-uk")
    assert "123 meetings in this list now: 123 unchanged." in again
    assert len(listed(db)) == 123


def test_the_malformed_feed_changes_nothing(db: Path) -> None:
    ok(run(db, "meetings", "import", str(FEEDS / "atlanta-small.json")))
    before = state(db)
    line = refused(
        run(
            db,
            "meetings",
            "import",
            str(FEEDS / "invalid-trailing-data.json"),
            "--name",
            "atlanta-small",
        )
    )
    assert "line 80, column 3" in line
    assert "more data after the end" in line
    assert line.count("othing was changed") == 1
    assert state(db) == before


def test_wild_records_are_kept_and_the_unusable_ones_reported(db: Path) -> None:
    out = ok(
        run(db, "meetings", "import", str(FIXTURES / "meeting-guide-wild.json"), "--name", "Wild")
    )
    assert "Tidied while reading" in out
    assert "time written as 7:30 PM" in out or "7:30 PM" in out
    assert "Skipped" in out and "nameless-meeting: no name" in out
    assert "sometime: no day and time that can be understood" in out
    kept = {m["slug"]: m for m in listed(db)}
    assert kept["4521"]["time"] == "19:30" and kept["4521"]["days"] == [2]
    assert kept["around-the-clock-online"]["days"] == []  # an ongoing online group
    assert "nameless-meeting" not in kept and "sometime" not in kept


def test_bmlt_is_detected(db: Path) -> None:
    out = ok(
        run(
            db, "meetings", "import", str(FIXTURES / "bmlt-get-search-results.json"), "--name", "NA"
        )
    )
    assert "(BMLT feed," in out
    meetings = listed(db)
    assert meetings and {m["source"] for m in meetings} == {"NA"}
    assert {m["attendance"] for m in meetings} >= {"in_person", "online", "hybrid"}
    assert all(0 <= day <= 6 for m in meetings for day in m["days"])


def test_import_refusals_name_the_problem(db: Path, tmp_path: Path) -> None:
    refused(run(db, "meetings", "import", str(tmp_path / "nope.json")), "source:", "no file")
    refused(run(db, "meetings", "import", str(tmp_path)), "source:", "folder")
    (tmp_path / "object.json").write_text('{"name": "not a list"}')
    refused(run(db, "meetings", "import", str(tmp_path / "object.json")), "not a meeting list")
    (tmp_path / "empty.json").write_text("[]")
    refused(run(db, "meetings", "import", str(tmp_path / "empty.json")), "no meetings")
    refused(
        run(
            db,
            "meetings",
            "import",
            str(FEEDS / "atlanta-small.json"),
            "--timezone",
            "Mars/Olympus",
        ),
        "timezone:",
    )
    assert not db.exists()  # nothing was even created


def test_two_files_of_the_same_name_are_two_lists(db: Path, tmp_path: Path) -> None:
    for folder in ("north", "south"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "meetings.json").write_bytes(
            (FEEDS / "atlanta-small.json").read_bytes()
        )
    ok(run(db, "meetings", "import", str(tmp_path / "north" / "meetings.json")))
    out = ok(run(db, "meetings", "import", str(tmp_path / "south" / "meetings.json")))
    assert out.startswith("Imported meetings (2) from")
    assert [s[0] for s in state(db)[0]] == ["meetings", "meetings (2)"]
    # Each keeps its own name on the next import.
    assert ok(run(db, "meetings", "import", str(tmp_path / "south" / "meetings.json"))).startswith(
        "Updated meetings (2)"
    )


def test_json_lists_every_match_unless_limited(imported: Path) -> None:
    assert len(json.loads(ok(run(imported, "meetings", "list", "--json")))) == 483
    assert len(json.loads(ok(run(imported, "meetings", "list", "--json", "--limit", "5")))) == 5
    assert "Showing 50 of 483" in ok(run(imported, "meetings", "list"))


def test_a_name_can_be_given_and_reused(db: Path) -> None:
    ok(run(db, "meetings", "import", str(FEEDS / "atlanta-small.json"), "--name", "Atlanta"))
    # Without --name, the same file keeps the name it was given.
    assert ok(run(db, "meetings", "import", str(FEEDS / "atlanta-small.json"))).startswith(
        "Updated Atlanta"
    )
    refused(
        run(db, "meetings", "import", str(FEEDS / "atlanta-small.json"), "--name", "x" * 81), "name"
    )


def test_feed_text_reaches_the_terminal_literally(db: Path, tmp_path: Path) -> None:
    feed = [
        {
            "slug": "markup",
            "name": "[bold]Loud[/] \x1b[31mred\x1b[0m [@click=app.quit]",
            "day": 2,
            "time": "19:00",
            "notes": "[link=https://evil.example]x[/link]",
            "formatted_address": "1 A St, Town, ST 00000, USA",
        }
    ]
    path = tmp_path / "markup.json"
    path.write_text(json.dumps(feed))
    ok(run(db, "meetings", "import", str(path)))
    out = ok(run(db, "meetings", "list"))
    assert "[bold]Loud[/]" in out and "[@click=app.quit]" in out
    assert "\x1b" not in out
    stored = listed(db)[0]
    assert stored["name"].startswith("[bold]Loud[/] ") and "\x1b" not in stored["name"]
    assert stored["notes"] == "[link=https://evil.example]x[/link]"


# --- list --------------------------------------------------------------------------------------


@pytest.fixture
def imported(db: Path) -> Path:
    for feed in ("sussex-aa-uk.json", "al-anon-massachusetts.json"):
        ok(run(db, "meetings", "import", str(FEEDS / feed)))
    return db


def test_list_online_on_tuesday_evening(imported: Path) -> None:
    found = listed(imported, "--day", "tue", "--time", "evening", "--online")
    assert found
    for meeting in found:
        assert 2 in meeting["days"]
        assert meeting["attendance"] in ("online", "hybrid")
        hours, minutes = map(int, meeting["time"].split(":"))
        assert 16 * 60 <= hours * 60 + minutes < 21 * 60
    nexts = [m["next"] for m in found]
    assert nexts == sorted(nexts)  # soonest first
    assert nexts[0].startswith("2026-12-01T")  # next Tuesday
    required = {"source", "slug", "name", "days", "time", "end_time", "timezone", "types"}
    required |= {"attendance", "address", "conference_url"}
    assert required <= set(found[0])


def test_list_text_output(imported: Path) -> None:
    out = ok(run(imported, "meetings", "list", "--type", "women", "--in-person", "--limit", "2"))
    first = out.splitlines()[0]
    assert first.endswith("women, soonest first") and "in person (or hybrid)" in first
    assert "Showing 2 of" in out
    assert "Women" in out


def test_list_filters_combine(imported: Path) -> None:
    everything = listed(imported)
    assert len(everything) == 483
    women = listed(imported, "--type", "W")
    assert women and all("W" in m["types"] for m in women)
    assert listed(imported, "--type", "women") == women
    lewes = listed(imported, "--search", "LEWES")
    assert lewes and all("lewes" in json.dumps(m).lower() for m in lewes)
    hybrid = listed(imported, "--hybrid")
    assert hybrid and {m["attendance"] for m in hybrid} == {"hybrid"}
    active = listed(imported, "--active")
    assert all(m["attendance"] != "inactive" for m in active)
    assert len(active) < len(everything)
    sussex = listed(imported, "--source", "SUSSEX-aa-uk")
    assert len(sussex) == 123


def test_list_refusals(imported: Path) -> None:
    refused(run(imported, "meetings", "list", "--day", "someday"), "day:")
    refused(run(imported, "meetings", "list", "--time", "teatime"), "time:")
    refused(run(imported, "meetings", "list", "--source", "nowhere"), "nowhere")


def test_list_with_nothing_imported(db: Path) -> None:
    Store.open(db, clock=Clock.fixed(TODAY)).close()
    assert "No meeting lists yet" in ok(run(db, "meetings", "list"))
    assert "No meeting lists yet" in ok(run(db, "meetings", "sources"))


# --- add, sources, remove ----------------------------------------------------------------------


def test_add_to_my_groups_with_its_schedule(imported: Path) -> None:
    out = ok(run(imported, "meetings", "add", "rehoboth-beach-speaker"))
    assert out.startswith("Added Rehoboth Beach Speaker to your groups, Sundays at 19:00.")
    store = open_store(imported)
    try:
        group = next(g for g in store.list_groups() if g.name == "Rehoboth Beach Speaker")
        schedule = stored_schedule(group.schedule)
        assert schedule is not None and schedule.describe() == "Sundays at 19:00"
        assert group.format == "in-person"
        assert "18 Olive Ave, Rehoboth Beach" in group.location
        linked = [m for m in store.directory() if m.group_id == group.id]
        assert [m.slug for m in linked] == ["rehoboth-beach-speaker"]
    finally:
        store.close()
    # Twice is refused, naming the group.
    refused(run(imported, "meetings", "add", "rehoboth-beach-speaker"), "Rehoboth Beach Speaker")
    refused(run(imported, "meetings", "add", "no-such-slug"), "slug:")


def test_a_meeting_in_my_groups_is_kept_when_it_leaves_the_list(db: Path, tmp_path: Path) -> None:
    feed = json.loads((FEEDS / "atlanta-small.json").read_text())
    path = tmp_path / "atlanta.json"
    path.write_text(json.dumps(feed))
    ok(run(db, "meetings", "import", str(path)))
    ok(run(db, "meetings", "add", feed[0]["slug"]))
    path.write_text(json.dumps(feed[2:]))  # two meetings left the list
    out = ok(run(db, "meetings", "import", str(path)))
    assert "1 no longer listed and removed" in out
    assert "1 no longer listed, kept because they are among your groups" in out
    kept = {m["slug"]: m for m in listed(db)}
    assert kept[feed[0]["slug"]]["gone_since"] == TODAY.isoformat()
    assert feed[1]["slug"] not in kept
    assert "no longer listed" in ok(run(db, "meetings", "list", "--search", feed[0]["name"]))


def test_remove_a_source_keeps_the_groups(imported: Path) -> None:
    ok(run(imported, "meetings", "add", "rehoboth-beach-speaker"))
    refused(run(imported, "meetings", "remove", "sussex-aa-uk", input="n\n"), "Nothing was removed")
    out = ok(run(imported, "meetings", "remove", "sussex-aa-uk", "--yes"))
    assert out.startswith("Removed sussex-aa-uk (123 meetings).")
    names, _meetings, groups = state(imported)
    assert [n[0] for n in names] == ["al-anon-massachusetts"]
    assert "Rehoboth Beach Speaker" in groups
    refused(run(imported, "meetings", "remove", "sussex-aa-uk", "--yes"), "sussex-aa-uk")


def test_a_slug_in_two_lists_needs_the_source(db: Path) -> None:
    ok(run(db, "meetings", "import", str(FEEDS / "atlanta-small.json"), "--name", "One"))
    ok(run(db, "meetings", "import", str(FEEDS / "atlanta-small.json"), "--name", "Two"))
    refused(run(db, "meetings", "add", "early-sunday-morning"), "--source")
    assert ok(run(db, "meetings", "add", "early-sunday-morning", "--source", "two")).startswith(
        "Added Early Sunday Morning"
    )


def test_a_group_name_already_taken_gets_a_variant(db: Path) -> None:
    ok(run(db, "meetings", "import", str(FEEDS / "atlanta-small.json")))
    store = open_store(db)
    store.add_group(GroupFields(name="Early Sunday Morning"))
    store.close()
    out = ok(run(db, "meetings", "add", "early-sunday-morning"))
    assert out.startswith("Added Early Sunday Morning (Sun 09:00) to your groups")


# --- downloading -------------------------------------------------------------------------------


class _Feeds(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes]]] = {}
    redirects: ClassVar[dict[str, str]] = {}
    reason: ClassVar[str | None] = None

    def do_GET(self) -> None:
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, body = self.routes.get(self.path, (404, b"not here"))
        self.send_response(status, self.reason)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = httpd.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.allow_network
def test_import_from_a_web_address(db: Path, server: str) -> None:
    _Feeds.routes = {
        "/meetings.json": (200, (FEEDS / "atlanta-small.json").read_bytes()),
        "/broken.json": (200, (FEEDS / "invalid-trailing-data.json").read_bytes()),
    }
    out = ok(run(db, "meetings", "import", f"{server}/meetings.json"))
    assert out.startswith(f"Downloading the meeting list from 127.0.0.1 ({server}/meetings.json).")
    assert "Nothing from your journal is sent" in out
    assert "Imported 127.0.0.1 from" in out and "6 new" in out
    before = state(db)
    refused(run(db, "meetings", "import", f"{server}/missing.json"), "answered 404")
    refused(run(db, "meetings", "import", f"{server}/broken.json"), "line 80, column 3")
    assert state(db) == before


@pytest.mark.allow_network
def test_redirects_stay_on_the_site_named(db: Path, server: str) -> None:
    port = server.rsplit(":", 1)[1]
    _Feeds.routes = {"/feed.json": (200, (FEEDS / "atlanta-small.json").read_bytes())}
    _Feeds.redirects = {
        "/moved": f"{server}/feed.json",  # the same site: followed
        "/elsewhere": f"http://localhost:{port}/feed.json",  # another host: refused
    }
    try:
        assert "6 new" in ok(run(db, "meetings", "import", f"{server}/moved", "--name", "A"))
        line = refused(run(db, "meetings", "import", f"{server}/elsewhere", "--name", "B"))
        assert "sends Tracker on to another site, localhost" in line
        assert [s[0] for s in state(db)[0]] == ["A"]
    finally:
        _Feeds.redirects = {}


@pytest.mark.allow_network
def test_a_servers_words_reach_the_terminal_without_escape_codes(db: Path, server: str) -> None:
    _Feeds.routes = {}
    _Feeds.reason = "Gone \x1b]0;owned\x07 away"
    try:
        line = refused(run(db, "meetings", "import", f"{server}/feed.json"), "answered 404")
    finally:
        _Feeds.reason = None
    assert "\x1b" not in line and "\x07" not in line


@pytest.mark.allow_network
def test_the_timeout_is_for_the_whole_download() -> None:
    """A server that sends a byte now and then never lets one read time out."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def drip() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
            while not stop.wait(0.1):
                try:
                    connection.sendall(b" ")
                except OSError:
                    return

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="didn't answer within 1 seconds"):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/feed.json", timeout=1)
        assert time.monotonic() - started < 5
    finally:
        stop.set()
        listener.close()


@pytest.mark.allow_network
def test_fetch_has_a_size_limit_and_a_timeout(server: str) -> None:
    _Feeds.routes = {"/big.json": (200, b"[" + b" " * 5000 + b"]")}
    with pytest.raises(FetchError, match="bigger than"):
        fetch(f"{server}/big.json", max_bytes=1000)
    assert fetch(f"{server}/big.json", max_bytes=10_000).startswith(b"[")
    # A server that accepts the connection and never answers.
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        port = silent.getsockname()[1]
        with pytest.raises(FetchError, match=r"didn.t answer within 0\.5 seconds"):
            fetch(f"http://127.0.0.1:{port}/feed.json", timeout=0.5)
    finally:
        silent.close()


def test_fetch_refuses_other_schemes() -> None:
    with pytest.raises(FetchError, match="isn't a web address"):
        fetch("file:///etc/passwd")
    with pytest.raises(FetchError):
        fetch("ftp://example.org/feed.json")


def test_without_allow_network_a_download_is_blocked(db: Path) -> None:
    """The guard in conftest.py is on for this test: even a server that is listening, on this
    computer, can't be reached."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        port = listener.getsockname()[1]
        result = run(db, "meetings", "import", f"http://127.0.0.1:{port}/feed.json")
    finally:
        listener.close()
    assert result.exit_code != 0
    assert "network is off in tests" in repr(result.exception) + result.output
    assert not db.exists()

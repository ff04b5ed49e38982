"""The ``tracker`` command: every subcommand, its messages, exit codes and what it writes."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from tracker import __version__
from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.models import AttendanceFields, ContactFields, GroupFields, PersonFields
from tracker.domain.schedules import parse_schedule
from tracker.store import Store
from tracker.store.transfer import export_json_text

TODAY = date(2026, 11, 26)  # a Thursday
LAST_TUESDAY = TODAY - timedelta(days=(TODAY.weekday() - 1) % 7 or 7)
GROUPS = ("NA Downtown", "SMART Recovery Online", "Nar-Anon Family Group")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder; fix today; no debug tracebacks."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def open_store(path: Path) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


def make_journal(path: Path, *, goal: int | None = None) -> Path:
    store = open_store(path)
    schedule = parse_schedule("Tuesdays 7pm", today=date(2026, 11, 1))
    assert schedule is not None
    store.add_group(GroupFields(name=GROUPS[0], schedule=schedule.to_text()))
    for name in GROUPS[1:]:
        store.add_group(GroupFields(name=name))
    if goal is not None:
        store.set_weekly_goal(goal)
    store.close()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.db")


def entries(path: Path) -> list[Any]:
    store = open_store(path)
    try:
        return store.list_attendance()
    finally:
        store.close()


def export_text(path: Path) -> str:
    store = open_store(path)
    try:
        return export_json_text(store)
    finally:
        store.close()


def assert_error(result: Result, *needles: str) -> str:
    """Exit code 2, one line on stderr naming the problem, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tracker: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr


# --- help and version ---------------------------------------------------------------------------

OPTIONS = {
    "log": {
        "--date",
        "--time",
        "--missed",
        "--shared",
        "--note",
        "--share-note",
        "--db",
        "--help",
    },
    "status": {"--json", "--db", "--help"},
    "export": {"--format", "--out", "--db", "--help"},
    "import": {"--replace", "--db", "--help"},
    "demo": {"--years", "--seed", "--lapse", "--size", "--db", "--help"},
    "suggest": {
        "--json",
        "--all",
        "--place",
        "--try",
        "--dismiss",
        "--snooze",
        "--undo",
        "--db",
        "--help",
    },
    "excuse": {"--reason", "--note", "--remove", "--list", "--db", "--help"},
    "review": {"--since", "--until", "--format", "--out", "--db", "--help"},
    "backup": {"--out", "--force", "--list", "--db", "--help"},
    "restore": {"--yes", "--db", "--help"},
    "doctor": {"--db", "--help"},
    "encrypt": {"--db", "--help"},
    "decrypt": {"--db", "--help"},
    "passphrase": {"--db", "--help"},
    "search": {
        "--kind",
        "--group",
        "--person",
        "--method",
        "--since",
        "--until",
        "--in",
        "--limit",
        "--json",
        "--db",
        "--help",
    },
    "calendar": {"--help"},
    "meetings": {"--help"},
}


def test_top_level_help_lists_commands_and_options() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in OPTIONS:
        assert f"  {name}" in result.stdout
    for option in ("--db", "--version", "--help"):
        assert option in result.stdout
    assert "--today" not in result.stdout  # hidden: for trying things out and tests
    assert run("-h").stdout == result.stdout


def test_every_command_is_covered_here() -> None:
    assert isinstance(cli, click.Group)
    with click.Context(cli) as ctx:
        assert set(cli.list_commands(ctx)) == set(OPTIONS)


def test_every_command_module_adds_the_commands_it_is_listed_for() -> None:
    """The commands kept in their own modules (loaded when first asked for) are exactly the
    ones those modules define."""
    import importlib

    from tracker.cli import LAZY_COMMANDS

    for module in set(LAZY_COMMANDS.values()):
        importlib.import_module(module)
    assert set(cli.commands) == set(OPTIONS)
    for name, module in LAZY_COMMANDS.items():
        assert cli.commands[name].callback is not None
        assert cli.commands[name].callback.__module__ == module, name


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_subcommand_help_mentions_every_option(command: str) -> None:
    with click.Context(cli) as ctx:
        found = cli.get_command(ctx, command)
    assert found is not None
    declared = {
        opt
        for param in found.params
        if isinstance(param, click.Option) and not param.hidden
        for opt in param.opts
        if opt.startswith("--")
    } | {"--help"}
    assert declared == OPTIONS[command]
    result = run(command, "--help")
    assert result.exit_code == 0
    for option in OPTIONS[command]:
        assert option in result.stdout, option


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tracker, version {__version__}"


# --- log ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("NA Downtown", "NA Downtown"),  # exact
        ("na downtown", "NA Downtown"),  # case-insensitive
        ("smart", "SMART Recovery Online"),  # unique prefix
        ("online", "SMART Recovery Online"),  # word prefix
        ("FAMILY", "Nar-Anon Family Group"),
        ("anon", "Nar-Anon Family Group"),
    ],
)
def test_log_finds_the_group(db: Path, query: str, name: str) -> None:
    result = run("--db", str(db), "log", query)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == f"Logged {name}, today."
    [entry] = entries(db)
    assert (entry.group_name, entry.date, entry.attended, entry.shared, entry.note) == (
        name,
        TODAY,
        True,
        False,
        "",
    )


@pytest.mark.parametrize(
    ("when", "day"),
    [
        ("today", TODAY),
        ("yesterday", TODAY - timedelta(days=1)),
        ("last tue", LAST_TUESDAY),
        ("2026-11-20", date(2026, 11, 20)),
        ("20 Nov", date(2026, 11, 20)),
        ("Mon 23 Nov", date(2026, 11, 23)),
        ("3 days ago", TODAY - timedelta(days=3)),
        ("20 Nov 2025", date(2025, 11, 20)),
    ],
)
def test_log_date_forms(db: Path, when: str, day: date) -> None:
    result = run("--db", str(db), "log", "smart", "--date", when)
    assert result.exit_code == 0, result.output
    assert [e.date for e in entries(db)] == [day]


def test_log_time_explicit_and_from_the_schedule(db: Path) -> None:
    assert run("--db", str(db), "log", "smart", "--time", "7:30 pm").exit_code == 0
    # NA Downtown meets on Tuesdays at 19:00: logging a Tuesday fills the time in.
    assert run("--db", str(db), "log", "na d", "--date", "last tue").exit_code == 0
    # ... but not on a day it doesn't meet.
    assert run("--db", str(db), "log", "na d", "--date", "yesterday").exit_code == 0
    got = {(e.group_name, e.date): e.time for e in entries(db)}
    assert got == {
        ("SMART Recovery Online", TODAY): time(19, 30),
        ("NA Downtown", LAST_TUESDAY): time(19, 0),
        ("NA Downtown", TODAY - timedelta(days=1)): None,
    }


def test_log_missed(db: Path) -> None:
    result = run("--db", str(db), "log", "smart", "--missed", "--date", "yesterday")
    assert result.exit_code == 0
    assert result.stdout.startswith("Noted that you missed SMART Recovery Online, yesterday.")
    [entry] = entries(db)
    assert (entry.attended, entry.shared) == (False, False)
    assert "This week: 0 of 1 meeting." in result.stdout


def test_log_shared_with_a_markup_like_note(db: Path) -> None:
    result = run("--db", str(db), "log", "smart", "--shared", "--note", "[bold]x[/] & more")
    assert result.exit_code == 0
    assert "(shared)" in result.stdout.splitlines()[0]
    [entry] = entries(db)
    assert entry.shared is True
    assert entry.note == "[bold]x[/] & more"


def test_log_reports_the_week_against_the_goal(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "goal.db", goal=3)
    first = run("--db", str(path), "log", "smart", "--date", "Mon 23 Nov")
    assert first.stdout.splitlines()[-1] == "This week: 1 of 3 meetings."
    older = run("--db", str(path), "log", "smart", "--date", "2026-11-22")  # last Sunday
    assert older.stdout.splitlines()[-1] == "This week: 1 of 3 meetings."
    run("--db", str(path), "log", "na d")
    third = run("--db", str(path), "log", "family")
    assert third.stdout.splitlines()[-1] == "This week: 3 of 3 meetings, goal met."
    again = run("--db", str(path), "log", "family")
    assert "already logged this group that day" in again.stdout
    assert again.stdout.splitlines()[-1] == "This week: 4 meetings, goal of 3 met."
    assert len(entries(path)) == 5


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["smart", "--missed", "--shared"], ["--missed", "--shared"]),
        (["na"], ["matches 2 groups", "NA Downtown", "Nar-Anon Family Group", "more of the name"]),
        (["xyz"], ["No group matches 'xyz'", *GROUPS]),
        (["smart", "--date", "tomorrow"], ["--date", "future"]),
        (["smart", "--date", "2026-11-27"], ["--date", "2026-11-27", "future"]),
        (["smart", "--date", "2026-02-30"], ["--date", "calendar"]),
        (["smart", "--date", "whenever"], ["--date", "couldn't read"]),
        (["smart", "--date", "03/04/05"], ["--date", "could mean", "2003", "2005"]),
        (["smart", "--time", "25:00"], ["--time", "25:00"]),
        (["smart", "--time", "7"], ["--time", "7am", "7pm"]),
        (["smart", "--note", "bad \x1b[2J note"], ["note", "control character"]),
    ],
)
def test_log_errors_write_nothing(db: Path, args: list[str], needles: list[str]) -> None:
    before = export_text(db)
    assert_error(run("--db", str(db), "log", *args), *needles)
    assert export_text(db) == before


def test_log_without_groups(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    open_store(path).close()
    assert_error(run("--db", str(path), "log", "na"), "no groups")
    assert entries(path) == []


def test_a_mistyped_db_path_is_reported_not_created(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    for command in (["log", "na"], ["status"], ["status", "--json"], ["export"]):
        assert_error(run("--db", str(path), *command), "There is no journal at", str(path))
    assert not path.exists()


def test_control_characters_in_names_are_shown_not_sent(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE groups SET name = ? WHERE name = 'SMART Recovery Online'",
        ["Evil\x1b]0;pwned\x07 \x9b2J Group"],
    )
    conn.commit()
    conn.close()
    shown = "Evil␛]0;pwned␇ \\x9b2J Group"

    logged = run("--db", str(db), "log", "evil")
    assert logged.exit_code == 0, logged.output
    assert logged.stdout.splitlines()[0] == f"Logged {shown}, today."
    status = run("--db", str(db), "status")
    assert f"Last meeting: {shown}, today." in status.stdout
    missing = run("--db", str(db), "log", "zzz\x1b[2J")
    assert_error(missing, shown, "zzz␛[2J")
    for result in (logged, status, missing):
        assert "\x1b" not in result.output
        assert "\x9b" not in result.output
        assert "\x07" not in result.output


# --- status -------------------------------------------------------------------------------------


@pytest.fixture
def lived_in(tmp_path: Path) -> Path:
    path = make_journal(tmp_path / "lived.db", goal=2)
    store = open_store(path)
    na, smart = store.list_groups()[0], store.list_groups()[2]
    assert (na.name, smart.name) == ("NA Downtown", "SMART Recovery Online")
    store.log_attendance(AttendanceFields(group_id=smart.id, date=date(2026, 11, 18)))
    store.log_attendance(AttendanceFields(group_id=na.id, date=date(2026, 11, 23), shared=True))
    store.log_attendance(
        AttendanceFields(group_id=smart.id, date=date(2026, 11, 25), attended=False)
    )
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor"))
    store.add_person(PersonFields(alias="Jo", role="mentor"))
    kim = store.add_person(PersonFields(alias="Kim", role="friend"))
    store.log_contact(ContactFields(person_id=sam.id, date=date(2026, 11, 23)))
    store.log_contact(ContactFields(person_id=kim.id, date=date(2026, 11, 1)))
    store.close()
    return path


def test_status_json(lived_in: Path) -> None:
    result = run("--db", str(lived_in), "status", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert set(payload) == {
        "today",
        "week",
        "last_meeting",
        "support_people",
        "consistency",
        "engagement",
        "suggestions",
    }
    assert payload["today"] == "2026-11-26"
    assert payload["week"] == {
        "start": "2026-11-23",
        "end": "2026-11-29",
        "meetings": 1,
        "goal": 2,
        "goal_met": False,
    }
    assert payload["last_meeting"] == {
        "group": "NA Downtown",
        "date": "2026-11-23",
        "days_ago": 3,
        "shared": True,
    }
    assert payload["support_people"] == [
        {"alias": "Jo", "role": "mentor", "last_contact": None, "days_since_contact": None},
        {"alias": "Sam", "role": "sponsor", "last_contact": "2026-11-23", "days_since_contact": 3},
    ]
    # The journal began in the week of 16 Nov (one of two meetings); this week has one so far.
    # Goal 2: m = 0.5 ** (7 * sqrt(2/7) / 13); last week moved the score to 0.5 * (1 - m), and
    # this week (not over) may only raise it.
    m = 0.5 ** (7 * (2 / 7) ** 0.5 / 13)
    after_last_week = 0.5 * (1 - m)
    now = max(after_last_week, after_last_week * m + 0.5 * (1 - m))
    assert payload["consistency"] == {
        "goal": 2,
        "strength_percent": round(now * 100),
        "weeks_met": {
            "4": {"met": 0, "counted": 1, "excused": 0},
            "12": {"met": 0, "counted": 1, "excused": 0},
            "52": {"met": 0, "counted": 1, "excused": 0},
        },
        "current_run_weeks": 0,
        "best_run_weeks": 0,
        "this_week_excused": False,
    }
    assert payload["engagement"] == {"drop": False, "signals": [], "advice": []}
    # No profile, no ratings, nothing slipping: every entry for a person in recovery scores 0,
    # so the top three are the catalogue's first three, with nothing to explain yet.
    assert [s["slug"] for s in payload["suggestions"]] == [
        "narcotics-anonymous",
        "smart-recovery",
        "mara",
    ]
    for suggestion in payload["suggestions"]:
        assert (suggestion["score"], suggestion["reasons"], suggestion["caveats"]) == (0, [], [])
        assert suggestion["how_to_find"]


def test_status_text(lived_in: Path) -> None:
    result = run("--db", str(lived_in), "status")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "This week (from Mon 23 Nov): 1 of 2 meetings  ●○",
        "Last meeting: NA Downtown, Mon 23 Nov (3 days ago).",
        "Jo (mentor): no contact logged yet.",
        "Sam (sponsor): last contact 3 days ago.",
        "Strength: 16%. Goal met in 0 of 1 week so far.",
        "Your first week meeting your goal starts a run.",
    ]


def test_status_follows_the_injected_today(lived_in: Path) -> None:
    result = run("--db", str(lived_in), "--today", "2026-12-01", "status", "--json")
    payload = json.loads(result.stdout)
    assert payload["today"] == "2026-12-01"
    assert payload["week"]["start"] == "2026-11-30"
    assert payload["week"]["meetings"] == 0
    assert payload["last_meeting"]["days_ago"] == 8


def test_status_of_an_empty_journal(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(path).close()
    payload = json.loads(run("--db", str(path), "status", "--json").stdout)
    assert payload["week"]["meetings"] == 0
    assert payload["week"]["goal"] == 1
    assert payload["week"]["goal_met"] is False
    assert payload["last_meeting"] is None
    assert payload["support_people"] == []
    text = run("--db", str(path), "status").stdout
    assert "0 of 1 meeting  ○" in text
    assert "Last meeting: none logged yet." in text
    assert "No sponsor or mentor in the journal yet" in text


# --- export and import --------------------------------------------------------------------------


def test_export_to_stdout(lived_in: Path) -> None:
    result = run("--db", str(lived_in), "export", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == export_text(lived_in)
    data = json.loads(result.stdout)
    assert data["format"] == "tracker-journal"
    assert len(data["attendance"]) == 3


@pytest.mark.usefixtures("umask_022")
def test_export_to_a_private_file(tmp_path: Path, lived_in: Path) -> None:
    out = tmp_path / "backup.json"
    result = run("--db", str(lived_in), "export", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Exported 3 meetings, 3 groups, 3 people, 2 contacts" in result.stderr
    assert str(out) in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8") == export_text(lived_in)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_into_a_missing_folder(tmp_path: Path, lived_in: Path) -> None:
    assert_error(
        run("--db", str(lived_in), "export", "--out", str(tmp_path / "nope" / "b.json")),
        "doesn't exist",
    )


def test_import_round_trip_refusal_and_replace(tmp_path: Path, lived_in: Path) -> None:
    out = tmp_path / "backup.json"
    assert run("--db", str(lived_in), "export", "--out", str(out)).exit_code == 0
    copy = tmp_path / "copy.db"
    result = run("--db", str(copy), "import", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported 3 meetings, 3 groups, 3 people, 2 contacts")
    assert export_text(copy) == out.read_text(encoding="utf-8")

    other = make_journal(tmp_path / "other.db")
    run("--db", str(other), "log", "family")
    before = export_text(other)
    assert_error(run("--db", str(other), "import", str(out)), "already has entries", "--replace")
    assert export_text(other) == before

    replaced = run("--db", str(other), "import", str(out), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert export_text(other) == out.read_text(encoding="utf-8")


def test_import_broken_json_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "format": "tracker-journal",\n  "version": 1,,\n}\n', encoding="utf-8")
    target = tmp_path / "t.db"
    assert_error(run("--db", str(target), "import", str(bad)), "line 3, column 16", str(bad))
    assert not target.exists()


def test_import_a_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "t.db"
    assert_error(run("--db", str(target), "import", str(tmp_path / "nope.json")), "nope.json")
    assert not target.exists()


def test_import_a_file_that_breaks_the_schema(tmp_path: Path, lived_in: Path) -> None:
    data = json.loads(export_text(lived_in))
    data["attendance"][0]["attended"] = "yes"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = make_journal(tmp_path / "t.db")
    before = export_text(target)
    assert_error(run("--db", str(target), "import", str(bad), "--replace"), "attendance/0/attended")
    assert export_text(target) == before


# --- demo ---------------------------------------------------------------------------------------


def test_demo_fills_an_empty_journal_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    result = run("--db", str(path), "demo", "--years", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Filled {path} with 1 year of sample data")
    store = open_store(path)
    counts = store.counts()
    store.close()
    assert all(n > 0 for n in counts.values()), counts
    before = export_text(path)
    assert_error(run("--db", str(path), "demo", "--years", "1"), "already has entries")
    assert export_text(path) == before


@pytest.mark.parametrize("years", ["0", "61", "-1"])
def test_demo_years_out_of_range(tmp_path: Path, years: str) -> None:
    path = tmp_path / "demo.db"
    assert_error(run("--db", str(path), "demo", "--years", years), "--years")
    assert not path.exists()


# --- choosing the journal file ------------------------------------------------------------------


def test_db_on_the_subcommand_wins(tmp_path: Path) -> None:
    a = make_journal(tmp_path / "a.db")
    b = make_journal(tmp_path / "b.db")
    assert run("--db", str(a), "log", "smart", "--db", str(b)).exit_code == 0
    assert entries(a) == []
    assert len(entries(b)) == 1
    assert run("log", "smart", "--db", str(a)).exit_code == 0
    assert len(entries(a)) == 1


def test_tracker_db_environment_variable(tmp_path: Path) -> None:
    env_db = make_journal(tmp_path / "env.db")
    flag_db = make_journal(tmp_path / "flag.db")
    assert run("log", "smart", env={"TRACKER_DB": str(env_db)}).exit_code == 0
    assert len(entries(env_db)) == 1
    assert run("--db", str(flag_db), "log", "smart", env={"TRACKER_DB": str(env_db)}).exit_code == 0
    assert len(entries(env_db)) == 1
    assert len(entries(flag_db)) == 1


def test_the_default_journal_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    result = run("demo", "--years", "1")
    assert result.exit_code == 0
    assert run("status", "--json").exit_code == 0
    folder = tmp_path / "xdg" / "tracker"
    assert (folder / "journal.db").is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "journal.db").stat().st_mode) == 0o600


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    assert_error(run("--db", str(path), "status"), str(path), "not a Tracker journal")
    assert path.read_text(encoding="utf-8") == "hello"


# --- real processes: one-line errors, no tracebacks, and no heavy imports -----------------------


def _process_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_DEBUG")}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        TRACKER_TODAY=TODAY.isoformat(),
    )
    return env


def tracker(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env=_process_env(tmp_path),
        timeout=60,
        check=False,
    )


def test_errors_in_a_real_process_are_one_line(tmp_path: Path, db: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    full = tmp_path / "full.db"
    assert tracker(tmp_path, "--db", str(full), "demo", "--years", "1").returncode == 0
    cases = [
        ["--db", str(db), "log", "na"],
        ["--db", str(db), "log", "xyz"],
        ["--db", str(db), "log", "smart", "--date", "03/04/05"],
        ["--db", str(db), "log", "smart", "--missed", "--shared"],
        ["--db", str(db), "import", str(tmp_path / "missing.json")],
        ["--db", str(db), "import", str(broken)],
        ["--db", str(full), "demo", "--years", "1"],
        ["--db", str(tmp_path / "x.db"), "demo", "--years", "0"],
        ["--db", str(text_file), "status"],
        ["--db", str(tmp_path), "status"],
    ]
    for args in cases:
        done = tracker(tmp_path, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == "", args
        assert "Traceback" not in done.stderr, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, (args, done.stderr)
        assert lines[0].startswith("tracker: "), args


_IMPORT_PROBE = textwrap.dedent(
    """
    import json, sys
    {preload}
    from tracker.cli import cli
    cli({args!r}, standalone_mode=False)
    watched = {{"textual", "plotext", "textual_plotext", "rich", "sqlcipher3"}}
    heavy = sorted({{m.split(".")[0] for m in sys.modules}} & watched)
    print("MODULES " + json.dumps(heavy))
    """
)


def _modules_after(tmp_path: Path, args: list[str], preload: str = "") -> tuple[list[str], str]:
    code = _IMPORT_PROBE.format(args=args, preload=preload)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_process_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("MODULES ")
    return json.loads(last.removeprefix("MODULES ")), done.stdout


@pytest.mark.parametrize(
    ("args", "proof"),
    [
        (["log", "smart"], "Logged SMART Recovery Online, today."),
        (["status"], "This week (from Mon 23 Nov)"),
        (["export"], '"format": "tracker-journal"'),
        (["suggest"], "How to find one"),
        (["excuse", "a week ago"], "is excused"),
        (["review"], "# Review: the last 30 days"),
        (["search", "smart"], "1 entry for smart"),
        (["meetings", "list"], "No meeting lists yet"),
        (
            [
                "meetings",
                "import",
                str(Path(__file__).parent / "fixtures/meeting-guide/atlanta-small.json"),
            ],
            "6 new",
        ),
    ],
)
def test_quick_commands_do_not_import_the_ui(
    tmp_path: Path, db: Path, args: list[str], proof: str
) -> None:
    modules, output = _modules_after(tmp_path, ["--db", str(db), *args])
    assert proof in output  # the command really ran
    assert not {"textual", "rich", "plotext", "textual_plotext"} & set(modules), modules
    # A plain journal never loads SQLCipher (about 10 ms of start-up).
    assert "sqlcipher3" not in modules, modules


def test_the_import_probe_can_see_the_ui(tmp_path: Path, db: Path) -> None:
    """The control for the test above: had the UI been imported, the probe would say so."""
    modules, _ = _modules_after(tmp_path, ["--db", str(db), "status"], preload="import tracker.app")
    assert "textual" in modules


# --- how the process ends ---------------------------------------------------------------------

# Runs `tracker ARGS` the way the console script does, in a process that also holds an object
# whose finaliser prints "teardown", so the test can see whether Python's teardown ran.
_ENDING = textwrap.dedent(
    """
    import sys

    class Witness:
        def __del__(self):
            sys.stderr.write("teardown\\n")

    witness = Witness()
    if "--with-atexit" in sys.argv:
        import atexit

        sys.argv.remove("--with-atexit")
        atexit.register(lambda: sys.stderr.write("atexit ran\\n"))
    if "--without-run-exitfuncs" in sys.argv:
        import atexit

        sys.argv.remove("--without-run-exitfuncs")
        atexit.register(lambda: sys.stderr.write("atexit ran\\n"))
        del atexit._run_exitfuncs
    if "--with-thread" in sys.argv:
        import threading
        import time

        sys.argv.remove("--with-thread")

        def work():
            time.sleep(0.5)
            sys.stderr.write("thread done\\n")

        threading.Thread(target=work).start()
    sys.argv[0] = "tracker"
    from tracker.cli import main

    main()
    """
)


def _end(*args: str) -> subprocess.CompletedProcess[str]:
    root = str(Path(__file__).resolve().parent.parent)
    return subprocess.run(
        [sys.executable, "-c", _ENDING, *args],
        capture_output=True,
        text=True,
        # Buffered output, as a terminal user's Python has it, so an unflushed line would be lost.
        env={
            **{key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"},
            "PYTHONPATH": root,
            "PYTHONIOENCODING": "utf-8",
        },
        timeout=60,
        check=False,
    )


def test_a_quick_command_ends_without_pythons_teardown(db: Path) -> None:
    """The teardown costs as long as the command's own work, and nothing needs it: the output
    is all there and the meeting is written."""
    done = _end("--db", str(db), "log", "NA Downtown")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Logged NA Downtown, today.\nThis week: 1 of 1 meeting, goal met.\n"
    assert "teardown" not in done.stderr
    assert [e.group_name for e in entries(db)] == ["NA Downtown"]


def test_atexit_handlers_still_run(db: Path) -> None:
    """Coverage, or a library's clean-up, registers them: they run before the end, once."""
    done = _end("--with-atexit", "--db", str(db), "log", "NA Downtown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Logged NA Downtown, today.")
    assert done.stderr.count("atexit ran") == 1
    assert "teardown" not in done.stderr


def test_without_a_way_to_run_the_atexit_handlers_the_ending_is_ordinary(db: Path) -> None:
    """``atexit._run_exitfuncs`` is CPython's own; a Python without it ends as usual."""
    done = _end("--without-run-exitfuncs", "--db", str(db), "log", "NA Downtown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Logged NA Downtown, today.")
    assert done.stderr.count("atexit ran") == 1
    assert "teardown" in done.stderr


def test_another_thread_still_running_gets_the_ordinary_ending(db: Path) -> None:
    """Python waits for it; ending at once would cut it off."""
    done = _end("--with-thread", "--db", str(db), "log", "NA Downtown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Logged NA Downtown, today.")
    assert "thread done" in done.stderr
    assert "teardown" in done.stderr


def test_a_failed_command_keeps_its_exit_code_and_message(db: Path) -> None:
    done = _end("--db", str(db), "log", "zzz")
    assert done.returncode == 2
    assert "No group matches 'zzz'" in done.stderr
    assert "teardown" not in done.stderr
    assert entries(db) == []


def test_a_long_output_is_all_written_before_the_end(db: Path) -> None:
    store = open_store(db)
    group = store.list_groups()[0]
    for day in range(300):
        store.log_attendance(
            AttendanceFields(
                group_id=group.id, date=TODAY - timedelta(days=day), note="a note " * 40
            )
        )
    store.close()
    done = _end("--db", str(db), "export")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 100_000  # more than a pipe holds at once
    assert done.stdout == export_text(db)

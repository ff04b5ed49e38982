"""Import hygiene: the fast parts of Tracker never load the UI libraries.

Textual, Rich and plotext (and textual_plotext) cost about half a second to import, so
``tracker log`` and friends, the pure domain modules and the store must never pull them in. Every
check runs in a fresh Python process, because the test process itself has long since imported
everything.

Two probes:

* a module imported on its own (``python -c "import tracker.x"``), after which ``sys.modules`` is
  listed;
* a whole ``python -m tracker ...`` process run with ``-X importtime``, which makes Python itself
  report every module the process imports, so nothing is injected into the command under test.

``tests/test_cli.py`` (``test_quick_commands_do_not_import_the_ui``) covers log, status, export,
suggest, excuse, review and search in-process; this file covers the modules one by one and the
remaining quick commands as whole processes. The control tests at the end prove both probes do see
Textual when it is imported, so the others can fail.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest

import tracker
from tracker.clock import Clock
from tracker.domain.models import AttendanceFields, GroupFields
from tracker.domain.schedules import parse_schedule
from tracker.meetings.feeds import parse_feed
from tracker.store import Store
from tracker.store.backup import daily_backup

TODAY = date(2026, 11, 26)  # a Thursday
LAST_TUESDAY = TODAY - timedelta(days=2)
GROUP = "SMART Recovery Online"
UI = frozenset({"textual", "rich", "plotext", "textual_plotext"})

PACKAGE_DIR = Path(tracker.__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent
FEED = Path(__file__).parent / "fixtures" / "meeting-guide" / "atlanta-small.json"

# Folders whose every module must be UI-free, walked so that a new module is covered on its own.
UI_FREE_FOLDERS = ("domain", "meetings", "report")
# Single modules outside those folders that the quick commands rely on.
UI_FREE_SINGLES = (
    "tracker",
    "tracker.clock",
    "tracker.errors",
    "tracker.paths",
    "tracker.insights",
    "tracker.review_data",
    "tracker.timeline_data",
    "tracker.demo",
)
# What the walk must at least find: if it finds less, the walk itself is broken.
EXPECTED_IN_WALK = frozenset(
    {
        "tracker.domain",
        "tracker.domain.dates",
        "tracker.domain.engagement",
        "tracker.domain.summary",
        "tracker.domain.vocab",
        "tracker.meetings.calendar",
        "tracker.meetings.feeds",
        "tracker.meetings.fetch",
        "tracker.meetings.filters",
        "tracker.meetings.model",
        "tracker.meetings.my_groups",
        "tracker.meetings.types",
        "tracker.meetings.zones",
        "tracker.report",
        "tracker.report.html",
        "tracker.report.markdown",
    }
)
EXPECTED_IN_STORE = frozenset(
    {"tracker.store", "tracker.store.journal", "tracker.store.connection", "tracker.store.schema"}
)


def _modules_under(folder: str) -> list[str]:
    """Every importable module in ``tracker/<folder>``, sub-packages included."""
    names = []
    for path in sorted((PACKAGE_DIR / folder).rglob("*.py")):
        parts = path.relative_to(SOURCE_ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


UI_FREE_MODULES = sorted(
    {name for folder in UI_FREE_FOLDERS for name in _modules_under(folder)} | set(UI_FREE_SINGLES)
)
STORE_MODULES = _modules_under("store")


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """A minimal environment: no Tracker or Python variables from the caller, user folders in
    tmp_path, today fixed, and the same ``tracker`` package as this test process."""
    env = {key: os.environ[key] for key in ("PATH", "SYSTEMROOT", "LANG") if key in os.environ}
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        TRACKER_TODAY=TODAY.isoformat(),
        PYTHONPATH=str(SOURCE_ROOT),
        PYTHONIOENCODING="utf-8",
    )
    return env


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


# --- probe 1: one module, imported alone -------------------------------------------------------

_MODULE_PROBE = textwrap.dedent(
    """
    import importlib, json, sys
    importlib.import_module(sys.argv[1])
    print("MODULES " + json.dumps(sorted(sys.modules)))
    """
)


def _modules_after_import(tmp_path: Path, module: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _MODULE_PROBE, module],
        capture_output=True,
        text=True,
        env=_clean_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("MODULES "), done.stdout
    modules = set(json.loads(last.removeprefix("MODULES ")))
    assert module in modules  # the module really was imported
    return modules


def test_the_walk_finds_the_modules_it_should() -> None:
    assert set(UI_FREE_MODULES) >= EXPECTED_IN_WALK
    assert set(STORE_MODULES) >= EXPECTED_IN_STORE
    assert not {
        name for name in UI_FREE_MODULES + STORE_MODULES if name.startswith("tracker.screens")
    }


@pytest.mark.parametrize("module", UI_FREE_MODULES)
def test_ui_free_module_imports_no_ui(tmp_path: Path, module: str) -> None:
    """The domain, meetings and report modules and the helpers behind the quick commands."""
    loaded = _top_level(_modules_after_import(tmp_path, module))
    assert not UI & loaded, f"{module} imports {sorted(UI & loaded)}"


@pytest.mark.parametrize("module", STORE_MODULES)
def test_store_module_imports_no_ui(tmp_path: Path, module: str) -> None:
    """The issue's rule is that the store never imports Textual; Rich and plotext aren't needed
    there either."""
    loaded = _top_level(_modules_after_import(tmp_path, module))
    assert "textual" not in loaded, f"{module} imports textual"
    assert not UI & loaded, f"{module} imports {sorted(UI & loaded)}"


# --- probe 2: a whole `python -m tracker` process --------------------------------------------

_IMPORT_TIME = re.compile(r"^import time:\s*\d+\s*\|\s*\d+\s*\|\s*(\S+)\s*$")


@dataclass(frozen=True)
class Traced:
    imported: frozenset[str]  # every module the process imported, by full name
    stdout: str
    stderr: str  # the process's own stderr, without Python's import-time lines


def _traced(tmp_path: Path, *args: str) -> Traced:
    """Run ``python -X importtime ARGS`` and collect what it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=_clean_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    imported: set[str] = set()
    own: list[str] = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:"):
            found = _IMPORT_TIME.match(line)
            if found:
                imported.add(found.group(1))
        else:
            own.append(line)
    traced = Traced(frozenset(imported), done.stdout, "\n".join(own))
    assert done.returncode == 0, (args, traced.stderr, traced.stdout)
    return traced


def _tracker(tmp_path: Path, *args: str) -> Traced:
    traced = _traced(tmp_path, "-m", "tracker", *args)
    assert "tracker.cli" in traced.imported  # the probe really read the import lines
    loaded = _top_level(set(traced.imported))
    assert not UI & loaded, f"tracker {' '.join(args)} imports {sorted(UI & loaded)}"
    return traced


def _open(path: Path) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A small journal: one group that meets on Tuesdays, one meeting logged this week."""
    path = tmp_path / "journal.db"
    store = _open(path)
    try:
        schedule = parse_schedule("Tuesdays 7pm", today=date(2026, 11, 1))
        assert schedule is not None
        group = store.add_group(GroupFields(name=GROUP, schedule=schedule.to_text()))
        store.log_attendance(
            AttendanceFields(group_id=group.id, date=LAST_TUESDAY, time=time(19, 0))
        )
    finally:
        store.close()
    return path


@pytest.fixture
def journal_with_list(journal: Path) -> Path:
    """The small journal, with a meeting list imported."""
    store = _open(journal)
    try:
        store.import_meetings(
            parse_feed(FEED.read_bytes()), name="atlanta-small", location=str(FEED)
        )
    finally:
        store.close()
    return journal


def test_meetings_list(tmp_path: Path, journal_with_list: Path) -> None:
    run = _tracker(tmp_path, "--db", str(journal_with_list), "meetings", "list")
    assert "6 meetings, soonest first" in run.stdout
    assert "Early Sunday Morning" in run.stdout


def test_meetings_import(tmp_path: Path, journal: Path) -> None:
    run = _tracker(tmp_path, "--db", str(journal), "meetings", "import", str(FEED))
    assert "6 new" in run.stdout
    assert "tracker.meetings.feeds" in run.imported


def test_meetings_sources(tmp_path: Path, journal_with_list: Path) -> None:
    run = _tracker(tmp_path, "--db", str(journal_with_list), "meetings", "sources")
    assert "atlanta-small: 6 meetings" in run.stdout


def test_calendar_export(tmp_path: Path, journal: Path) -> None:
    run = _tracker(tmp_path, "--db", str(journal), "calendar", "export", "--out", "-")
    assert run.stdout.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{GROUP}" in run.stdout
    assert "RRULE:" in run.stdout


def test_backup(tmp_path: Path, journal: Path) -> None:
    run = _tracker(tmp_path, "--db", str(journal), "backup")
    assert run.stdout.startswith("Backup saved to ")
    saved = Path(run.stdout.removeprefix("Backup saved to ").split(" (")[0])
    assert saved.is_file()
    assert saved.stat().st_size > 0


def test_doctor(tmp_path: Path, journal: Path) -> None:
    store = _open(journal)
    try:
        assert daily_backup(store, TODAY) is not None  # so that every check is happy
    finally:
        store.close()
    run = _tracker(tmp_path, "--db", str(journal), "doctor")
    assert f"{journal} is a Tracker journal" in run.stdout
    assert "All looks well. Nothing was changed." in run.stdout


def test_export_csv(tmp_path: Path, journal: Path) -> None:
    out = tmp_path / "csv"
    run = _tracker(tmp_path, "--db", str(journal), "export", "--format", "csv", "--out", str(out))
    assert "Wrote groups.csv (1), attendance.csv (1)" in run.stderr  # stdout stays for data
    assert GROUP in (out / "groups.csv").read_text(encoding="utf-8")
    assert LAST_TUESDAY.isoformat() in (out / "attendance.csv").read_text(encoding="utf-8")


def test_demo(tmp_path: Path) -> None:
    new = tmp_path / "demo.db"
    run = _tracker(tmp_path, "--db", str(new), "demo", "--years", "1")
    assert run.stdout.startswith(f"Filled {new} with 1 year of sample data")
    store = _open(new)
    try:
        assert store.list_groups()
        assert store.list_attendance()
    finally:
        store.close()


def test_status_json(tmp_path: Path, journal: Path) -> None:
    run = _tracker(tmp_path, "--db", str(journal), "status", "--json")
    status = json.loads(run.stdout)
    assert status["today"] == TODAY.isoformat()
    assert status["week"]["start"] == "2026-11-23"
    assert status["week"]["meetings"] == 1  # the meeting logged on Tuesday


def test_log_to_a_journal_elsewhere_leaves_platformdirs_alone(
    tmp_path: Path, journal: Path
) -> None:
    """The data folder's name is only asked for when the journal could be in it: ``tracker log``
    with ``--db`` somewhere else doesn't pay for platformdirs (a few milliseconds a run)."""
    run = _tracker(tmp_path, "--db", str(journal), "log", GROUP)
    assert run.stdout.startswith(f"Logged {GROUP}, today.")
    assert "platformdirs" not in run.imported
    # Nor the modules of the other commands: they are loaded when one of theirs is run.
    assert not {name for name in run.imported if name.startswith("tracker.cli_")}
    # The default journal, in the data folder: found through platformdirs, as before.
    folder = tmp_path / "home" / "data" / "tracker"
    folder.mkdir(parents=True)
    (folder / "journal.db").write_bytes(journal.read_bytes())
    default = _tracker(tmp_path, "log", GROUP, "--date", "yesterday")
    assert default.stdout.startswith(f"Logged {GROUP}, yesterday.")
    assert "platformdirs" in default.imported


def _model_areas(modules: set[str] | frozenset[str]) -> set[str]:
    prefix = "tracker.domain.models."
    return {name.removeprefix(prefix) for name in modules if name.startswith(prefix)}


def test_log_builds_only_the_model_classes_it_uses(tmp_path: Path, journal: Path) -> None:
    """Each frozen dataclass costs a millisecond or more to create, so ``tracker log`` loads the
    areas it uses (groups, attendance) and not the other four."""
    run = _tracker(tmp_path, "--db", str(journal), "log", GROUP)
    assert run.stdout.startswith(f"Logged {GROUP}, today.")
    assert _model_areas(run.imported) == {"checks", "groups", "attendance"}
    assert "tracker.domain.profile" not in run.imported  # the goal is one setting, read alone


def test_the_backups_are_loaded_only_to_make_the_days_first_one(
    tmp_path: Path, journal: Path
) -> None:
    first = _tracker(tmp_path, "--db", str(journal), "log", GROUP)
    assert "tracker.store.backup" in first.imported
    assert (tmp_path / "journal.db-backups" / "daily" / f"{TODAY}.db").is_file()
    again = _tracker(tmp_path, "--db", str(journal), "log", GROUP)
    assert again.stdout.startswith(f"Logged {GROUP}, today.")
    assert "tracker.store.backup" not in again.imported


def test_models_load_an_area_when_one_of_its_classes_is_asked_for(tmp_path: Path) -> None:
    assert _model_areas(_modules_after_import(tmp_path, "tracker.domain.models")) == {"checks"}
    probe = "from tracker.domain.models import Person, clean_line"
    traced = _traced(tmp_path, "-c", probe)
    assert _model_areas(traced.imported) == {"checks", "people"}


def test_every_model_class_is_found_in_its_area() -> None:
    import dataclasses
    import importlib

    from tracker.domain import models

    for name, area in models.AREA_OF.items():
        found = getattr(models, name)
        assert found.__module__ == f"tracker.domain.models.{area}"
        assert name in models.__all__
        assert name in dir(models)
    # Every dataclass of every area is listed, so a new one can't be left out.
    defined = set()
    for area in set(models.AREA_OF.values()):
        module = importlib.import_module(f"tracker.domain.models.{area}")
        defined |= {
            name
            for name, value in vars(module).items()
            if dataclasses.is_dataclass(value) and value.__module__ == module.__name__
        }
    assert defined == set(models.AREA_OF)
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_help(tmp_path: Path) -> None:
    run = _tracker(tmp_path, "--help")
    assert run.stdout.startswith("Usage: tracker ")
    assert "tracker status" in run.stdout


def test_version(tmp_path: Path) -> None:
    run = _tracker(tmp_path, "--version")
    assert run.stdout.strip() == f"tracker, version {tracker.__version__}"


# --- controls: the probes can fail ------------------------------------------------------------


def test_the_module_probe_sees_textual(tmp_path: Path) -> None:
    loaded = _top_level(_modules_after_import(tmp_path, "tracker.app"))
    assert "textual" in loaded


def test_the_process_probe_sees_textual(tmp_path: Path) -> None:
    traced = _traced(tmp_path, "-c", "import tracker.app")
    assert "tracker.app" in traced.imported
    assert "textual" in _top_level(set(traced.imported))

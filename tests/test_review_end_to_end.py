"""The mentor review from a real journal: ``tracker review``, ``tracker export --format csv``, the
Review screen and the mentor view. Above all: a private note never appears, in any format."""

from __future__ import annotations

import csv
import html
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from textual.widgets import Input, Static

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
from tracker.screens.dialogs import ChoiceScreen
from tracker.screens.forms import FormScreen
from tracker.screens.review import MentorView, ReviewScreen
from tracker.store import Store

PRIVATE = "PRIVATE-do-not-share"
SHARED = "Shared: I spoke for the first time <b>[bold]"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """Private notes in every area; one shared note on a meeting and one on a contact."""
    path = tmp_path / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    na = store.add_group(GroupFields(name="NA Downtown", notes=f"{PRIVATE} group"))
    sam = store.add_person(
        PersonFields(
            alias="Sam",
            role="sponsor",
            phone="07700 900123",
            email="sam@example.org",
            notes=f"{PRIVATE} person",
        )
    )
    for week in range(6):
        day = TODAY - timedelta(weeks=week, days=2)
        store.log_attendance(
            AttendanceFields(group_id=na.id, date=day, note=f"{PRIVATE} meeting {week}")
        )
    store.log_attendance(
        AttendanceFields(
            group_id=na.id, date=TODAY - timedelta(days=1), note=SHARED, note_shared=True
        )
    )
    store.log_contact(
        ContactFields(
            person_id=sam.id,
            date=TODAY - timedelta(days=3),
            note="Talked about step 1",
            note_shared=True,
        )
    )
    store.log_contact(
        ContactFields(person_id=sam.id, date=TODAY - timedelta(days=20), note=f"{PRIVATE} call")
    )
    store.add_service(
        ServiceFields(
            date=TODAY - timedelta(days=4),
            kind="coffee",
            group_id=na.id,
            minutes=30,
            note=f"{PRIVATE} service",
        )
    )
    store.add_rating(
        FitFields(
            group_id=na.id,
            date=TODAY - timedelta(days=5),
            welcome=5,
            relevance=4,
            format_comfort=4,
            practical=5,
            would_return=5,
            note=f"{PRIVATE} rating",
        )
    )
    store.close()
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- tracker review ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_private_note_never_appears_in_a_review(journal: Path, tmp_path: Path, fmt: str) -> None:
    for since in ("30d", "90d", "this year", "2020-01-01"):
        shown = run(journal, "review", "--since", since, "--format", fmt)
        assert shown.exit_code == 0, shown.output
        assert PRIVATE not in shown.stdout
        assert "07700" not in shown.stdout and "sam@example.org" not in shown.stdout
        if fmt == "md":
            assert "Talked about step 1" in shown.stdout
        else:
            assert html.escape(SHARED) in shown.stdout  # escaped, never live markup
            assert "<b>[bold]" not in shown.stdout


def test_review_to_a_file_is_private_and_says_what_it_holds(journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    result = run(journal, "review", "--since", "90d", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    assert "It leaves out every other note" in result.stderr
    assert str(out) in result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_review_refuses_a_bad_period(journal: Path) -> None:
    for args, field in ((("--since", "someday"), "since"), (("--until", "2030-01-01"), "until")):
        result = run(journal, "review", *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"tracker: {field}")


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_export_writes_one_private_file_per_area(journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = run(journal, "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o700
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{n}.csv"
        for n in (
            "groups",
            "attendance",
            "people",
            "contacts",
            "service",
            "fit_ratings",
            "excused_weeks",
        )
    )
    for path in out.iterdir():
        assert mode(path) == 0o600
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 for spreadsheets
    with (out / "attendance.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7
    assert rows[0]["group"] == "NA Downtown" and rows[0]["went"] == "yes"
    assert rows[-1]["note"] == SHARED and rows[-1]["note shared with mentor"] == "yes"
    with (out / "fit_ratings.csv").open(newline="", encoding="utf-8-sig") as handle:
        (rating,) = list(csv.DictReader(handle))
    assert rating["overall"] == "4.6"


def test_csv_cells_never_become_formulas(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    store.add_group(GroupFields(name='=HYPERLINK("http://x")', notes="+1 -2 @me"))
    store.close()
    out = tmp_path / "csv"
    assert run(path, "export", "--format", "csv", "--out", str(out)).exit_code == 0
    with (out / "groups.csv").open(newline="", encoding="utf-8-sig") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["name"] == '\'=HYPERLINK("http://x")'
    assert row["notes"] == "'+1 -2 @me"


def test_csv_export_needs_a_folder(journal: Path, tmp_path: Path) -> None:
    result = run(journal, "export", "--format", "csv")
    assert result.exit_code == 2 and "--out" in result.stderr
    (tmp_path / "file.txt").write_text("x")
    result = run(journal, "export", "--format", "csv", "--out", str(tmp_path / "file.txt"))
    assert result.exit_code == 2
    result = run(journal, "export", "--out", str(tmp_path))
    assert result.exit_code == 2 and "folder" in result.stderr


# --- the Review screen and the mentor view -------------------------------------------------------


async def test_review_screen_previews_exports_and_opens_the_mentor_view(
    journal: Path, tmp_path: Path
) -> None:
    app = create_app(db_path=journal, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "0")
        assert isinstance(app.screen, ReviewScreen)
        shown = text_of(app.screen.query_one("#review-text", Static))
        assert shown.startswith("This review covers 28 Oct – 26 Nov 2026. It includes")
        assert "# Review: the last 30 days" in shown
        assert "Talked about step 1" in shown and PRIVATE not in shown
        await press(pilot, "p")
        assert "# Review: the last 90 days" in text_of(app.screen.query_one("#review-text", Static))

        # Export: the format, then the file; the file holds exactly the preview's Markdown.
        await press(pilot, "e")
        assert isinstance(app.screen, ChoiceScreen)
        await press(pilot, "1")
        assert isinstance(app.screen, FormScreen)
        target = tmp_path / "mine.md"
        field = app.screen.query_one("#input-path", Input)
        field.value = str(target)
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        review = app.screen.data  # type: ignore[attr-defined]
        assert target.read_text() == review.markdown
        assert mode(target) == 0o600

        # The mentor view: the review alone; section keys, editing and the palette do nothing.
        await press(pilot, "m")
        assert isinstance(app.screen, MentorView)
        text = text_of(app.screen.query_one("#mentor-text", Static))
        assert "Talked about step 1" in text and PRIVATE not in text
        await press(pilot, "1", "3", "a", "ctrl+p", "question_mark")
        assert isinstance(app.screen, MentorView)
        assert app.mentor_view
        await press(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)
        assert not app.mentor_view
        await press(pilot, "1")
        assert app.current_mode == "home"


async def test_review_screen_fits_a_small_terminal(journal: Path) -> None:
    app = create_app(db_path=journal, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "0", "c")
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#input-since", Input).value = "1 Nov"
        await press(pilot, "ctrl+s")
        shown = text_of(app.screen.query_one("#review-text", Static))
        assert "This review covers 1 Nov – 26 Nov 2026." in shown


def test_a_note_logged_from_the_shell_is_private_unless_shared(journal: Path) -> None:
    private = run(journal, "log", "NA", "--note", "Kept to myself")
    assert private.exit_code == 0 and "reviews" not in private.stdout
    shared = run(journal, "log", "NA", "--note", "Asked about service", "--share-note")
    assert shared.exit_code == 0, shared.output
    assert "Its note will be in your reviews with your mentor." in shared.stdout
    review = run(journal, "review").stdout
    assert "Asked about service" in review and "Kept to myself" not in review
    refused = run(journal, "log", "NA", "--share-note")
    assert refused.exit_code == 2 and "--share-note" in refused.stderr

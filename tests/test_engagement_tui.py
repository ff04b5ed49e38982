"""Pilot tests of the engagement features: the dashboard's strength and banner, the Suggestions
screen (try, not for me, snooze, undo), the first-run questions, Settings and excusing a week."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from textual.widgets import Input, OptionList, SelectionList, Static

from tracker.app import TrackerApp, create_app
from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.domain.dates import week_start
from tracker.domain.models import AttendanceFields, ContactFields, GroupFields, PersonFields
from tracker.domain.profile import Profile, Thresholds
from tracker.screens.forms import FormScreen
from tracker.screens.suggestions import SuggestionsScreen
from tracker.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def open_store(path: Path) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


@pytest.fixture
def lapsed(db_path: Path) -> Path:
    store = open_store(db_path)
    fill_demo(store, years=1, today=TODAY, lapse=True)
    store.close()
    return db_path


def on_screen(app: TrackerApp, selector: str) -> str:
    return text_of(app.screen.query_one(selector, Static))


def listed(app: TrackerApp) -> list[str]:
    listing = app.screen.query_one("#suggestions", OptionList)
    return [str(listing.get_option_at_index(i).id) for i in range(listing.option_count)]


# --- the dashboard -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_a_lapse_shows_a_gentle_banner_with_three_suggestions(
    lapsed: Path, size: tuple[int, int]
) -> None:
    app = create_app(db_path=lapsed, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        banner = app.screen.query_one("#banner", Static)
        assert banner.display
        words = on_screen(app, "#banner")
        assert words.startswith("Things have been quieter lately.")
        signals = app.screen.data.insights.check.signals  # type: ignore[attr-defined]
        # A short terminal shows the first two things noticed, a tall one three.
        for signal in signals[: 2 if size == SMALL else 3]:
            assert signal.words in words
        assert "since your last meeting" in words or size == SMALL
        top = app.screen.data.insights.top(3)  # type: ignore[attr-defined]
        assert len(top) == 3
        # The three names on one line, cut to the width on a small terminal.
        joined = " · ".join(s.entry.name for s in top)
        line = next(x for x in words.splitlines() if x.startswith("You might try: "))
        shown = line.removeprefix("You might try: ").rstrip("…")
        assert top[0].entry.name in shown
        assert joined.startswith(shown)
        if size == LARGE:
            assert shown == joined
        week_line = on_screen(app, "#week-line")
        percent = app.screen.data.insights.consistency.percent  # type: ignore[attr-defined]
        assert f"Strength {percent}%" in week_line
        # i opens the suggestions, in the same order.
        await press(pilot, "i")
        assert isinstance(app.screen, SuggestionsScreen)
        assert listed(app)[:3] == [s.entry.slug for s in top]


async def test_a_steady_journal_has_no_banner(db_path: Path) -> None:
    store = open_store(db_path)
    fill_demo(store, years=1, today=TODAY)
    store.close()
    app = create_app(db_path=db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#banner", Static).display
        assert "Strength " in on_screen(app, "#week-line")


async def test_names_in_the_banner_are_shown_literally(db_path: Path) -> None:
    store = open_store(db_path)
    na = store.add_group(GroupFields(name="NA Downtown"))
    for week in range(5):
        store.log_attendance(AttendanceFields(group_id=na.id, date=TODAY - timedelta(weeks=week)))
    alias = "[bold]Sam[/] [@click=app.quit]x[/]"
    sam = store.add_person(PersonFields(alias=alias, role="sponsor"))
    store.log_contact(ContactFields(person_id=sam.id, date=TODAY - timedelta(days=30)))
    store.close()
    app = create_app(db_path=db_path, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        assert alias in on_screen(app, "#banner")
        assert app.is_running


# --- suggestions ---------------------------------------------------------------------------------


async def test_not_for_me_snooze_and_undo(lapsed: Path) -> None:
    app = create_app(db_path=lapsed, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "9")
        before = listed(app)
        first, second = before[0], before[1]
        assert "Why: " in on_screen(app, "#suggest-detail")
        assert "How to find one" in on_screen(app, "#suggest-detail")

        await press(pilot, "d")
        assert listed(app)[0] == second
        assert first not in listed(app)
        assert app.store.suggestion_feedback()[first].status == "dismissed"

        await press(pilot, "u")
        assert listed(app) == before
        assert first not in app.store.suggestion_feedback()

        await press(pilot, "z")
        assert first not in listed(app)
        feedback = app.store.suggestion_feedback()[first]
        assert (feedback.status, feedback.until) == ("snoozed", TODAY + timedelta(days=14))


async def test_try_it_adds_the_group_and_it_leaves_the_list(lapsed: Path) -> None:
    app = create_app(db_path=lapsed, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "9", "down")
        slug = listed(app)[1]
        entry = app.screen.shown[1].entry  # type: ignore[attr-defined]
        await press(pilot, "a")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#input-name", Input).value == entry.name
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        added = [g for g in app.store.list_groups() if g.catalogue_slug == slug]
        assert [g.status for g in added] == ["trying"]
        assert isinstance(app.screen, SuggestionsScreen)
        assert slug not in listed(app)


async def test_rating_a_tried_group_changes_the_ranking(db_path: Path) -> None:
    """Rate a secular group highly: secular suggestions rise, and say why."""
    store = open_store(db_path)
    store.set_profile(Profile(journal_for="me", asked=True))
    smart = store.add_group(
        GroupFields(name="Tuesday SMART", tags=("secular",), catalogue_slug="smart-recovery")
    )
    store.close()
    app = create_app(db_path=db_path, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "9")
        before = listed(app)
        assert before.index("smart-recovery-online") > 0
        from tracker.domain.models import FitFields

        app.store.add_rating(
            FitFields(
                group_id=smart.id,
                date=TODAY,
                welcome=5,
                relevance=5,
                format_comfort=4,
                practical=5,
                would_return=5,
            )
        )
        app.revision += 1
        await settle(pilot)
        after = listed(app)
        assert after.index("smart-recovery-online") < before.index("smart-recovery-online")
        rank = after.index("smart-recovery-online")
        why = app.screen.shown[rank].why  # type: ignore[attr-defined]
        assert "like Tuesday SMART which you rated 4.8" in why


# --- first run, settings and excused weeks ------------------------------------------------------


async def test_first_run_questions_can_be_skipped_once(db_path: Path) -> None:
    open_store(db_path).close()
    app = create_app(db_path=db_path, today=TODAY, ask_profile=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == "Welcome to Tracker"
        await press(pilot, "escape")
        assert not isinstance(app.screen, FormScreen)
    store = open_store(db_path)
    assert store.profile == Profile(asked=True)
    store.close()
    again = create_app(db_path=db_path, today=TODAY, ask_profile=True)
    async with again.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, FormScreen)


async def test_first_run_answers_are_saved(db_path: Path) -> None:
    open_store(db_path).close()
    app = create_app(db_path=db_path, today=TODAY, ask_profile=True)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        goal = form.query_one("#input-goal", Input)
        goal.focus()
        goal.value = ""
        await pilot.press("2")
        # Tick the first approach (12-step) and the second barrier (transport) with the keyboard.
        form.query_one("#input-approaches", SelectionList).focus()
        await press(pilot, "space")
        barriers = form.query_one("#input-barriers", SelectionList)
        barriers.focus()
        await press(pilot, "down", "space")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        profile = app.store.profile
        assert profile.approaches == ("12-step",)
        assert profile.barriers == ("transport",)
        assert profile.asked
        assert app.store.weekly_goal == 2


async def test_settings_change_a_threshold_and_refuse_a_bad_one(lapsed: Path) -> None:
    app = create_app(db_path=lapsed, today=TODAY)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, FormScreen)
        days = form.query_one("#input-meeting_days", Input)
        assert days.value == "14"
        days.focus()
        days.value = ""
        await pilot.press("3")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)  # refused, shown beside the field
        assert "from 7 to 90" in on_screen(app, "#error-meeting_days")
        assert app.store.thresholds == Thresholds()
        days.value = ""
        await pilot.press("3", "0")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        assert app.store.thresholds == Thresholds(meeting_days=30)
        # 23 days without a meeting is no longer enough for that signal.
        codes = [s.code for s in app.screen.data.insights.check.signals]  # type: ignore[attr-defined]
        assert "no-meeting" not in codes


async def test_excusing_this_week_from_the_dashboard(db_path: Path) -> None:
    store = open_store(db_path)
    na = store.add_group(GroupFields(name="NA Downtown"))
    store.log_attendance(AttendanceFields(group_id=na.id, date=TODAY - timedelta(weeks=2)))
    store.close()
    app = create_app(db_path=db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "excused" not in on_screen(app, "#week-line")
        await press(pilot, "x")
        assert isinstance(app.screen, FormScreen)
        assert "the week of Mon 23 Nov" in on_screen(app, "#preview-week")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        assert app.store.excused_week_starts() == {week_start(TODAY)}
        assert "excused" in on_screen(app, "#week-line")

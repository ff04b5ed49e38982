"""Pilot tests: the app driven through the keyboard, the way a person uses it."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from rich.text import Text
from textual.widgets import DataTable, Input, OptionList, Static

from tracker.app import TrackerApp, create_app
from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.domain.schedules import parse_schedule
from tracker.screens.catalogue import CatalogueScreen
from tracker.screens.dialogs import ChoiceScreen
from tracker.screens.forms import FormScreen
from tracker.screens.textlines import TextLines
from tracker.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store.open(db_path, clock=Clock.fixed(TODAY))


def app_for(db_path: Path) -> TrackerApp:
    return create_app(db_path=db_path, today=TODAY)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


def table_rows(app: TrackerApp, selector: str = "#table") -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def add_group(store: Store, name: str, schedule: str | None = None, **extra: Any) -> int:
    text = None
    if schedule:
        parsed = parse_schedule(schedule, today=date(2026, 10, 1))
        assert parsed is not None
        text = parsed.to_text()
    return store.add_group(GroupFields(name=name, schedule=text, **extra)).id


# --- dashboard -----------------------------------------------------------------------------------


async def test_new_journal_shows_a_welcome(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        welcome = app.screen.query_one("#welcome", Static)
        assert welcome.display
        assert "starter catalogue" in text_of(welcome)
        assert "0 of 1 meeting" in text_of(app.screen.query_one("#week-line", Static))
        # No row of "missed" weeks for a journal that has only just begun.
        assert not app.screen.query_one("#weeks-line", Static).display


async def test_dashboard_logs_a_scheduled_meeting_with_one_key(db_path: Path, store: Store) -> None:
    group_id = add_group(store, "NA Downtown", "Tuesdays 7pm", status="home-group")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        sessions = app.screen.query_one("#sessions", OptionList)
        first = sessions.get_option_at_index(0)
        assert (first.id or "").startswith(f"log:{group_id}:2026-11-24")
        await press(pilot, "l")
        logged = app.store.list_attendance()
        assert [(e.group_id, e.date, e.time, e.attended) for e in logged] == [
            (group_id, date(2026, 11, 24), time(19, 0), True)
        ]
        # It is no longer offered to log, and this week now meets the goal of 1.
        ids = [sessions.get_option_at_index(i).id or "" for i in range(sessions.option_count)]
        assert not any(i.startswith("log:") for i in ids)
        assert "1 of 1 meeting, goal met" in text_of(app.screen.query_one("#week-line", Static))
        recent = text_of(app.screen.query_one("#recent", TextLines))
        assert "NA Downtown" in recent


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_coming_up_cuts_long_names_instead_of_wrapping(
    db_path: Path, store: Store, size: tuple[int, int]
) -> None:
    """More meetings than the list has rows bring in its scrollbar, once they are in; a long
    group name is cut to the room left beside it, never wrapped onto a second line."""
    for n, day in enumerate(("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays")):
        add_group(store, f"Telehealth Support Group for Families, {day}", f"{day} 6pm")
        add_group(store, f"Group {n}", f"{day} 8pm")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        sessions = app.screen.query_one("#sessions", OptionList)
        assert sessions.option_count > sessions.size.height  # so the scrollbar is there
        assert sessions.show_vertical_scrollbar
        room = sessions.scrollable_content_region.width
        prompts = [sessions.get_option_at_index(i).prompt for i in range(sessions.option_count)]
        assert any("…" in str(p) for p in prompts)  # some names were cut
        for prompt in prompts:
            assert isinstance(prompt, Text)
            assert prompt.cell_len <= room, prompt.plain


async def test_dashboard_log_opens_the_form_without_a_schedule(db_path: Path, store: Store) -> None:
    add_group(store, "Online forum")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        assert [e.date for e in app.store.list_attendance()] == [TODAY]


async def test_dashboard_shows_people_and_quiet_contacts(db_path: Path, store: Store) -> None:
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor"))
    store.add_person(PersonFields(alias="Jo", role="mentor"))
    store.log_contact(ContactFields(person_id=sam.id, date=date(2026, 11, 23)))
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        people = text_of(app.screen.query_one("#people", Static))
        assert "Jo" in people and "no contact yet" in people
        assert "Sam" in people and "3 days ago" in people
        assert people.index("Jo") < people.index("Sam")  # the longest gap comes first


# --- groups --------------------------------------------------------------------------------------


async def test_add_a_group_from_the_catalogue(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "a")
        assert isinstance(app.screen, CatalogueScreen)
        await type_text(pilot, "mara")
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#input-name", Input).value.startswith("Medication-Assisted")
        await press(pilot, "ctrl+s")
        groups = app.store.list_groups()
        assert [(g.catalogue_slug, g.pillar) for g in groups] == [("mara", "peer")]
        assert "medication-friendly" in groups[0].tags
        assert table_rows(app)[0][0].startswith("Medication-Assisted")


async def test_add_a_group_by_hand_with_a_schedule_then_edit_it(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "n")
        await type_text(pilot, "Sober Hiking")
        await press(pilot, "tab", "tab", "tab", "tab")
        assert app.screen.focused is app.screen.query_one("#input-schedule", Input)
        await type_text(pilot, "every other saturday 10:00")
        preview = text_of(app.screen.query_one("#preview-schedule", Static))
        assert "Every other Saturday at 10:00" in preview
        await press(pilot, "ctrl+s")
        (group,) = app.store.list_groups()
        assert group.name == "Sober Hiking"
        assert "INTERVAL=2" in (group.schedule or "") and "BYDAY=SA" in (group.schedule or "")
        assert "Every other Saturday at 10:00" in table_rows(app)[0][2]

        await press(pilot, "e")
        name = app.screen.query_one("#input-name", Input)
        name.value = "Sober Hiking Club"
        await press(pilot, "ctrl+s")
        assert app.store.get_group(group.id).name == "Sober Hiking Club"
        assert app.store.get_group(group.id).schedule == group.schedule


async def test_group_form_shows_every_problem_beside_its_field(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "n")
        await press(pilot, "tab", "tab", "tab", "tab")
        await type_text(pilot, "whenever")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert "please fill this in" in text_of(app.screen.query_one("#error-name", Static))
        assert "couldn't read" in text_of(app.screen.query_one("#error-schedule", Static))
        assert app.store.list_groups() == []


async def test_duplicate_group_name_is_reported_beside_the_name(
    db_path: Path, store: Store
) -> None:
    add_group(store, "NA Downtown")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "n")
        await type_text(pilot, "na downtown")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert "already have a group" in text_of(app.screen.query_one("#error-name", Static))
        assert len(app.store.list_groups()) == 1


async def test_deleting_a_group_with_history_asks_and_can_move_it(
    db_path: Path, store: Store
) -> None:
    old = add_group(store, "Old name group")
    new = add_group(store, "New group")
    store.log_attendance(AttendanceFields(group_id=old, date=date(2026, 11, 20)))
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        rows = table_rows(app)
        await press(pilot, *(["down"] * [r[0] for r in rows].index("Old name group")))
        await press(pilot, "d")
        assert isinstance(app.screen, ChoiceScreen)
        assert "1 meeting" in text_of(app.screen.query_one("#choice-body", Static))
        await press(pilot, "2")  # "Move them to another group"
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "ctrl+s")
        assert [g.id for g in app.store.list_groups()] == [new]
        assert [e.group_id for e in app.store.list_attendance()] == [new]


async def test_deleting_a_group_can_be_cancelled_or_keep_it_as_not_for_me(
    db_path: Path, store: Store
) -> None:
    gid = add_group(store, "Step study")
    store.add_rating(
        FitFields(
            group_id=gid,
            date=date(2026, 11, 20),
            welcome=2,
            relevance=1,
            format_comfort=2,
            practical=3,
            would_return=1,
        )
    )
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "d", "escape")
        assert len(app.store.list_groups()) == 1
        await press(pilot, "d", "1")  # keep everything, mark it "not for me"
        (group,) = app.store.list_groups()
        assert group.status == "not-for-me"
        assert len(app.store.list_ratings()) == 1


async def test_deleting_a_group_without_history_asks_first(db_path: Path, store: Store) -> None:
    add_group(store, "Tried once")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "d")
        assert isinstance(app.screen, ChoiceScreen)
        await press(pilot, "2")  # Delete
        assert app.store.list_groups() == []


# --- meetings ------------------------------------------------------------------------------------


async def test_meetings_add_edit_delete(db_path: Path, store: Store) -> None:
    gid = add_group(store, "SMART Online")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "3", "a")
        date_input = app.screen.query_one("#input-date", Input)
        date_input.value = "last tue"
        await settle(pilot)
        assert "Tue 24 Nov" in text_of(app.screen.query_one("#preview-date", Static))
        await press(pilot, "ctrl+s")
        (entry,) = app.store.list_attendance()
        assert (entry.group_id, entry.date, entry.attended) == (gid, date(2026, 11, 24), True)
        assert table_rows(app)[0][2] == "SMART Online"

        await press(pilot, "e")
        app.screen.query_one("#input-shared").value = True  # type: ignore[attr-defined]
        app.screen.query_one("#input-note").text = "Shared for the first time"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        edited = app.store.get_attendance(entry.id)
        assert edited.shared and edited.note == "Shared for the first time"
        assert edited.uuid == entry.uuid

        await press(pilot, "d")
        assert isinstance(app.screen, ChoiceScreen)
        await press(pilot, "1")  # "Keep it"
        assert len(app.store.list_attendance()) == 1
        await press(pilot, "d", "2")  # Delete
        assert app.store.list_attendance() == []


async def test_a_future_date_is_refused_beside_the_field(db_path: Path, store: Store) -> None:
    add_group(store, "SMART Online")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "3", "a")
        app.screen.query_one("#input-date", Input).value = "2026-12-25"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert "in the future" in text_of(app.screen.query_one("#error-date", Static))
        app.screen.query_one("#input-date", Input).value = "03/04/05"
        await press(pilot, "ctrl+s")
        assert "could mean" in text_of(app.screen.query_one("#error-date", Static))
        await press(pilot, "escape")
        assert app.store.list_attendance() == []


async def test_missed_and_shared_together_is_refused(db_path: Path, store: Store) -> None:
    add_group(store, "SMART Online")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "3", "a")
        app.screen.query_one("#input-attended").value = False  # type: ignore[attr-defined]
        app.screen.query_one("#input-shared").value = True  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert "missed meeting" in text_of(app.screen.query_one("#error-shared", Static))
        assert app.store.list_attendance() == []


# --- people --------------------------------------------------------------------------------------


async def test_people_add_person_log_contact_edit_and_delete(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "4", "a")
        await type_text(pilot, "Sam")
        await press(pilot, "ctrl+s")
        (sam,) = app.store.list_people()
        assert (sam.alias, sam.role) == ("Sam", "sponsor")

        await press(pilot, "c")
        app.screen.query_one("#input-date", Input).value = "yesterday"
        app.screen.query_one("#input-note").text = "Talked about step one"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        (contact,) = app.store.list_contacts()
        assert (contact.person_id, contact.date, contact.method) == (
            sam.id,
            date(2026, 11, 25),
            "call",
        )
        assert table_rows(app, "#contacts")[0][2] == "Talked about step one"
        assert table_rows(app)[0][1] == "yesterday"

        await press(pilot, "e")
        app.screen.query_one("#input-alias", Input).value = "Sam B"
        await press(pilot, "ctrl+s")
        assert app.store.get_person(sam.id).alias == "Sam B"

        await press(pilot, "tab")  # to the contacts list
        await press(pilot, "d", "2")
        assert app.store.list_contacts() == []
        await press(pilot, "shift+tab", "d", "2")
        assert app.store.list_people() == []


async def test_deleting_a_person_says_their_contacts_go_too(db_path: Path, store: Store) -> None:
    jo = store.add_person(PersonFields(alias="Jo", role="mentor"))
    store.log_contact(ContactFields(person_id=jo.id, date=date(2026, 11, 2)))
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "4", "d")
        assert "1 logged contact will be deleted too" in text_of(
            app.screen.query_one("#choice-body", Static)
        )
        await press(pilot, "2")
        assert app.store.list_people() == [] and app.store.list_contacts() == []


# --- service -------------------------------------------------------------------------------------


async def test_service_add_edit_delete(db_path: Path, store: Store) -> None:
    gid = add_group(store, "NA Downtown")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "5", "a")
        app.screen.query_one("#input-minutes", Input).value = "45"
        app.screen.query_one("#input-group_id").value = gid  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        (entry,) = app.store.list_service()
        assert (entry.kind, entry.minutes, entry.group_id, entry.date) == ("set-up", 45, gid, TODAY)
        assert "0.8 hours" in text_of(app.screen.query_one("#summary", Static))

        await press(pilot, "e")
        app.screen.query_one("#input-minutes", Input).value = "abc"
        await press(pilot, "ctrl+s")
        assert "whole number" in text_of(app.screen.query_one("#error-minutes", Static))
        app.screen.query_one("#input-minutes", Input).value = "90"
        await press(pilot, "ctrl+s")
        assert app.store.get_service(entry.id).minutes == 90

        await press(pilot, "d", "2")
        assert app.store.list_service() == []


# --- fit -----------------------------------------------------------------------------------------


async def test_fit_rating_typed_with_the_keyboard(db_path: Path, store: Store) -> None:
    gid = add_group(store, "SMART Online")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "6", "a")
        await press(pilot, "tab", "tab")  # group, date, then the first dimension
        for digit in "54345":
            await press(pilot, digit, "tab")
        await press(pilot, "ctrl+s")
        (rating,) = app.store.list_ratings()
        assert (
            rating.group_id,
            rating.welcome,
            rating.relevance,
            rating.format_comfort,
            rating.practical,
            rating.would_return,
        ) == (gid, 5, 4, 3, 4, 5)
        table = app.screen.query_one("#table", DataTable)
        headers = [str(col.label.plain) for col in table.columns.values()]
        assert table_rows(app)[0][headers.index("Avg")] == "4.2"

        await press(pilot, "e")
        app.screen.query_one("#input-practical", Input).value = ""
        await press(pilot, "ctrl+s")
        assert "rate it from 1 to 5" in text_of(app.screen.query_one("#error-practical", Static))
        app.screen.query_one("#input-practical", Input).value = "2"
        await press(pilot, "ctrl+s")
        assert app.store.get_rating(rating.id).practical == 2

        await press(pilot, "d", "2")
        assert app.store.list_ratings() == []


async def test_compare_shows_groups_side_by_side(db_path: Path, store: Store) -> None:
    na = add_group(store, "NA Downtown", status="home-group")
    smart = add_group(store, "SMART Online")
    add_group(store, "Never went")
    for day in (3, 10, 17):
        store.log_attendance(
            AttendanceFields(group_id=na, date=date(2026, 11, day), shared=day == 17)
        )
    store.log_attendance(AttendanceFields(group_id=smart, date=date(2026, 11, 5), attended=False))
    store.add_rating(
        FitFields(
            group_id=na,
            date=date(2026, 11, 3),
            welcome=3,
            relevance=4,
            format_comfort=4,
            practical=4,
            would_return=4,
        )
    )
    store.add_rating(
        FitFields(
            group_id=na,
            date=date(2026, 11, 17),
            welcome=5,
            relevance=5,
            format_comfort=4,
            practical=4,
            would_return=5,
        )
    )
    store.add_rating(
        FitFields(
            group_id=smart,
            date=date(2026, 11, 5),
            welcome=2,
            relevance=2,
            format_comfort=3,
            practical=5,
            would_return=2,
        )
    )
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "7")
        table = app.screen.query_one("#compare", DataTable)
        headers = [str(col.label.plain) for col in table.columns.values()]
        assert headers == ["", "NA Downtown", "SMART Online"]  # "Never went" is hidden
        rows = {row[0]: row[1:] for row in table_rows(app, "#compare")}
        assert rows["Went"] == ["3", "0"]
        assert rows["Missed"] == ["0", "1"]
        assert rows["Shared"] == ["1", "0"]
        assert rows["Welcome"] == ["5  avg 4.0", "2  avg 2.0"]
        assert rows["Overall"] == ["4.6  avg 4.2", "2.8  avg 2.8"]
        await press(pilot, "x")
        headers = [str(col.label.plain) for col in table.columns.values()]
        assert "Never went" in headers


# --- everywhere ----------------------------------------------------------------------------------

HOSTILE = "[@click=app.quit]quit[/] [bold]b[/] [link=https://example.org]x[/link] [/] \x1b[31m"


async def test_user_text_is_shown_literally_everywhere(db_path: Path, store: Store) -> None:
    gid = add_group(store, "[bold]Group[/]", "Tuesdays 7pm", notes="[/]")
    # Control characters can't be typed in, but a hand-edited file could hold them.
    store.db.execute(
        "UPDATE groups SET notes = ?, location = ? WHERE id = ?", [HOSTILE, HOSTILE, gid]
    )
    store.log_attendance(AttendanceFields(group_id=gid, date=date(2026, 11, 24), note="[/]x"))
    store.db.execute("UPDATE attendance SET note = ?", [HOSTILE])
    person = store.add_person(PersonFields(alias="[i]Sam[/]"))
    store.log_contact(ContactFields(person_id=person.id, date=TODAY))
    store.db.execute("UPDATE contacts SET note = ?", [HOSTILE])
    store.db.execute("UPDATE people SET notes = ?", ["[b]people notes[/b] [@click=app.bell]"])
    store.add_service(ServiceFields(date=TODAY, group_id=gid))
    store.db.execute("UPDATE service SET note = ?", [HOSTILE])
    store.add_rating(
        FitFields(
            group_id=gid,
            date=TODAY,
            welcome=3,
            relevance=3,
            format_comfort=3,
            practical=3,
            would_return=3,
        )
    )
    store.db.execute("UPDATE fit_ratings SET note = ?", [HOSTILE])
    store.db.conn.commit()
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        recent = text_of(app.screen.query_one("#recent", TextLines))
        assert "[@click=app.quit]quit[/]" in recent
        assert "\x1b" not in recent and "␛[31m" in recent
        assert "[i]Sam[/]" in text_of(app.screen.query_one("#people", Static))
        for key, selector in (
            ("2", "#detail"),
            ("3", "#detail"),
            ("5", "#detail"),
            ("6", "#detail"),
        ):
            await press(pilot, key)
            detail = text_of(app.screen.query_one(selector, Static))
            assert "[@click=app.quit]quit[/]" in detail, key
            assert "[link=https://example.org]x[/link]" in detail
            assert "\x1b" not in detail
        await press(pilot, "2")
        assert text_of(app.screen.query_one("#detail", Static)).count("[@click=app.quit]") == 2
        await press(pilot, "4")
        assert "[b]people notes[/b] [@click=app.bell]" in text_of(
            app.screen.query_one("#detail", Static)
        )
        await press(pilot, "tab")
        assert "[@click=app.quit]quit[/]" in text_of(app.screen.query_one("#detail", Static))
        await press(pilot, "7")
        assert app.is_running  # nothing above quit the app or crashed it
        # Clicking on the text does nothing either.
        await press(pilot, "3")
        await pilot.click("#detail")
        await settle(pilot)
        assert app.is_running


async def test_command_palette_offers_the_main_actions(db_path: Path, store: Store) -> None:
    add_group(store, "NA Downtown")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Log a meeting")
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == "Log a meeting"


async def test_help_theme_and_navigation(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key, mode in (
            ("2", "groups"),
            ("3", "meetings"),
            ("4", "people"),
            ("5", "service"),
            ("6", "fit"),
            ("7", "compare"),
            ("escape", "home"),
        ):
            await press(pilot, key)
            assert app.current_mode == mode
        await press(pilot, "question_mark")
        assert "Keys and numbers" in text_of(app.screen.query(Static).first())
        await press(pilot, "escape")
        theme = app.theme
        await press(pilot, "ctrl+t")
        assert app.theme != theme
        assert app.store.get_setting("theme") == app.theme


async def test_the_weekly_goal_can_be_changed(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "w")
        goal = app.screen.query_one("#input-goal", Input)
        goal.value = "0"
        await press(pilot, "ctrl+s")
        assert "from 1 to 21" in text_of(app.screen.query_one("#error-goal", Static))
        goal.value = "3"
        await press(pilot, "ctrl+s")
        assert app.store.weekly_goal == 3
        assert "0 of 3 meetings" in text_of(app.screen.query_one("#week-line", Static))


async def test_it_works_at_both_sizes_with_a_long_history(db_path: Path, store: Store) -> None:
    from tracker.demo import fill_demo

    fill_demo(store, years=2, today=TODAY)
    store.close()
    for size in (SMALL, LARGE):
        app = app_for(db_path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            for key in ("1", "2", "3", "4", "5", "6", "7"):
                await press(pilot, key)
                assert app.screen.loaded
            # The meetings list loads a page at a time and fetches more on the way down.
            await press(pilot, "3")
            table = app.screen.query_one("#table", DataTable)
            first = table.row_count
            assert first == 200
            await press(pilot, "end")
            await settle(pilot)
            assert table.row_count > first


async def test_the_mouse_works_too(db_path: Path, store: Store) -> None:
    add_group(store, "NA Downtown")
    store.close()
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        # At 80 columns the section bar shows " 1 Home   2   3 ..." — click on the key "2".
        bar = app.screen.query_one("#section-bar", Static)
        plain = bar.render().plain  # type: ignore[union-attr]
        assert "Groups" not in plain
        await pilot.click("#section-bar", offset=(1 + plain.index(" 2 ") + 1, 0))
        await settle(pilot)
        assert app.current_mode == "groups"
        await pilot.click("#table", offset=(3, 1))  # clicking the highlighted row edits it
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.click("#cancel")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)


async def test_a_meeting_logged_from_the_shell_shows_without_a_restart(
    db_path: Path, store: Store
) -> None:
    gid = add_group(store, "NA Downtown")
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "Nothing logged yet" in text_of(app.screen.query_one("#recent", TextLines))
        # Another process (here: another connection) writes while the app is open.
        store.log_attendance(AttendanceFields(group_id=gid, date=TODAY, note="from the shell"))
        await pilot.pause(2.5)
        await settle(pilot)
        assert "from the shell" in text_of(app.screen.query_one("#recent", TextLines))
    store.close()

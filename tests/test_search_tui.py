"""Pilot tests of the Search screen (/) and the Timeline screen (t), driven by the keyboard."""

from __future__ import annotations

import contextlib
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from rich.text import Text
from textual import events
from textual.widgets import DataTable, Input, Static

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
from tracker.domain.search import MARK_END, MARK_START, strip_marks
from tracker.domain.text import printable
from tracker.screens.attendance import MeetingsScreen
from tracker.screens.dashboard import DashboardScreen
from tracker.screens.forms import FormScreen
from tracker.screens.lock import HiddenScreen
from tracker.screens.search import (
    EMPTY_STATUS,
    MATCH_STYLE,
    ResultList,
    SearchScreen,
    clip_to_match,
    marked_text,
)
from tracker.screens.timeline import TimelineScreen, flow
from tracker.store import Store

SHOTS = Path(__file__).resolve().parent.parent / "shots"
MARKUP = "Felt [bold]brave[/] today [link=https://example.org]x[/link] [@click=app.quit]quit[/]"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def journal(db_path: Path) -> dict[str, int]:
    """A small journal with known notes. Returns the ids the tests look for."""
    store = Store.open(db_path, clock=Clock.fixed(TODAY))
    na = store.add_group(GroupFields(name="NA Downtown", notes="Basement room, side door.")).id
    smart = store.add_group(GroupFields(name="Thursday SMART")).id
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor")).id
    jo = store.add_person(PersonFields(alias="Jo", role="mentor")).id
    ids = {
        "first_time": store.log_attendance(
            AttendanceFields(
                group_id=smart,
                date=date(2026, 3, 5),
                shared=True,
                note="It was the first time I shared. My hands shook.",
            )
        ).id,
        "not_phrase": store.log_attendance(
            AttendanceFields(
                group_id=na,
                date=date(2026, 4, 9),
                note="First I was nervous, then it was time to go in.",
            )
        ).id,
        "markup": store.log_attendance(
            AttendanceFields(group_id=na, date=date(2026, 11, 17), note=f"{MARKUP} courage")
        ).id,
        "heron": store.log_attendance(
            AttendanceFields(
                group_id=smart, date=date(2026, 11, 19), note="Saw a heron by the reservoir."
            )
        ).id,
        "sam_call": store.log_contact(
            ContactFields(
                person_id=sam, date=date(2026, 11, 20), note="Talked about courage and step work."
            )
        ).id,
        "jo_coffee": store.log_contact(
            ContactFields(
                person_id=jo,
                date=date(2026, 2, 10),
                method="in-person",
                note="Coffee with Jo; we talked about courage.",
            )
        ).id,
    }
    store.add_service(
        ServiceFields(date=date(2026, 11, 10), group_id=na, minutes=30, note="Made coffee.")
    )
    store.add_rating(
        FitFields(
            group_id=smart,
            date=date(2026, 11, 12),
            welcome=5,
            relevance=4,
            format_comfort=4,
            practical=4,
            would_return=5,
            note="Practical tools; they welcomed me.",
        )
    )
    store.close()
    return ids


@pytest.fixture
def long_journal(db_path: Path) -> int:
    """A meeting every week for 160 weeks (so milestones), a few notes. Returns the count."""
    store = Store.open(db_path, clock=Clock.fixed(TODAY))
    group = store.add_group(GroupFields(name="NA Downtown")).id
    weeks = 160
    for week in range(weeks):
        day = TODAY - timedelta(days=2 + 7 * week)  # Tuesdays
        note = "Heron by the water." if week == 130 else f"Week {weeks - week}."
        store.log_attendance(AttendanceFields(group_id=group, date=day, note=note))
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor")).id
    store.log_contact(ContactFields(person_id=sam, date=TODAY - timedelta(days=1), note="Call."))
    store.close()
    return weeks + 1


def app_for(db_path: Path) -> TrackerApp:
    return create_app(db_path=db_path, today=TODAY)


async def type_query(pilot: Any, text: str) -> None:
    """Type like a person, then give the search its moment after the last key."""
    await pilot.press(*text)
    await pilot.pause(0.3)
    await settle(pilot)


async def clear_and_type(pilot: Any, selector: str, text: str) -> None:
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    await press(pilot, "ctrl+a", "ctrl+k")  # start of the line, then delete to its end
    await type_query(pilot, text)


def status(app: TrackerApp) -> str:
    return text_of(app.screen.query_one("#search-status", Static))


def results(app: TrackerApp) -> list[Text]:
    listing = app.screen.query_one("#search-results", ResultList)
    prompts = [listing.get_option_at_index(i).prompt for i in range(listing.option_count)]
    assert all(isinstance(p, Text) for p in prompts)
    return prompts  # type: ignore[return-value]


def preview(app: TrackerApp) -> Text:
    content = app.screen.query_one("#search-preview", Static).content
    assert isinstance(content, Text)
    return content


def highlighted_words(text: Text) -> list[str]:
    """The pieces of ``text`` in our match style."""
    return [text.plain[s.start : s.end] for s in text.spans if str(s.style) == MATCH_STYLE]


def timeline_rows(app: TrackerApp) -> list[list[str]]:
    table = app.screen.query_one("#table", DataTable)
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def save_shot(app: TrackerApp, name: str) -> None:
    """An SVG screenshot in shots/, and a PNG of it when rsvg-convert is there."""
    SHOTS.mkdir(exist_ok=True)
    svg = app.save_screenshot(path=str(SHOTS), filename=f"{name}.svg")
    # The SVG is enough where the converter isn't installed.
    with contextlib.suppress(FileNotFoundError, subprocess.SubprocessError):
        subprocess.run(
            ["rsvg-convert", "-o", str(SHOTS / f"{name}.png"), svg], check=True, timeout=60
        )


# --- the pure pieces: highlights, clipping, flowing -----------------------------------------------

# Journal text: any characters (control characters too: a hand-edited file could hold them) and
# markup. The store puts the two markers around matches; journal text never holds them itself.
_JOURNAL_TEXT = st.lists(
    st.one_of(
        st.text(
            alphabet=st.characters(
                exclude_categories=["Cs"], exclude_characters=[MARK_START, MARK_END]
            ),
            max_size=12,
        ),
        st.sampled_from(["[bold]", "[/]", "[@click=app.quit]", "[link=x]", " ", "\n"]),
    ),
    max_size=5,
).map("".join)


@st.composite
def marked(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Text as the store returns it, and the matched pieces in order."""
    pieces = draw(st.lists(st.tuples(_JOURNAL_TEXT, st.booleans()), max_size=6))
    text = "".join(f"{MARK_START}{p}{MARK_END}" if hit and p else p for p, hit in pieces)
    return text, [p for p, hit in pieces if hit and p]


@given(marked())
@settings(max_examples=200, deadline=None)
def test_marked_text_keeps_every_character_and_styles_only_the_matches(
    case: tuple[str, list[str]],
) -> None:
    text, matches = case
    shown = marked_text(text)
    assert shown.plain == printable(strip_marks(text), keep_newlines=True)
    assert highlighted_words(shown) == [printable(m, keep_newlines=True) for m in matches]
    assert {str(span.style) for span in shown.spans} <= {MATCH_STYLE}


@given(marked(), st.integers(min_value=12, max_value=120))
@settings(max_examples=200, deadline=None)
def test_clipping_keeps_the_first_match_in_sight(case: tuple[str, list[str]], width: int) -> None:
    text, _matches = case
    whole = marked_text(text, one_line=True)
    clipped = clip_to_match(whole, width)
    # Only the start is cut, and only to bring the first match into view.
    tail = clipped.plain.removeprefix("…") if clipped is not whole else clipped.plain
    assert whole.plain.endswith(tail)
    assert highlighted_words(clipped) == highlighted_words(whole)
    spans = [s for s in clipped.spans if str(s.style) == MATCH_STYLE]
    if spans and spans[0].end - spans[0].start <= width // 2:
        assert spans[0].end <= width


@given(
    st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=12), max_size=10),
    st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=4),
)
def test_flow_keeps_the_words_in_order_and_fits_each_cell(
    words: list[str], widths: list[int]
) -> None:
    pieces = flow(" ".join(words), widths)
    assert len(pieces) == len(widths)
    assert " ".join(p for p in pieces if p).split() == words
    for piece, width in zip(pieces[:-1], widths[:-1], strict=True):
        assert len(piece) <= width or " " not in piece  # only a single long word overflows


# --- search --------------------------------------------------------------------------------------


async def test_slash_opens_search_and_a_word_finds_its_entry(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        assert isinstance(app.focused, Input)
        # An empty box: a hint of what can be searched, no results.
        assert status(app) == EMPTY_STATUS
        assert app.screen.query_one("#search-hint-box").display
        assert "kind:contact" in text_of(app.screen.query_one("#search-hint", Static))
        assert results(app) == []
        await type_query(pilot, "heron")
        assert status(app).startswith("1 entry")
        (line,) = results(app)
        assert "Thursday SMART" in line.plain and "Meeting" in line.plain
        assert "Thu 19 Nov" in line.plain
        assert highlighted_words(line) == ["heron"]
        assert "Saw a heron by the reservoir." in preview(app).plain
        await type_query(pilot, " OR courage")
        assert status(app).startswith("4 entries")
        assert len(results(app)) == 4


async def test_a_phrase_and_a_filter_narrow_the_results(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await type_query(pilot, "first time")
        assert status(app).startswith("2 entries")
        await clear_and_type(pilot, "#search-input", '"first time"')
        assert status(app).startswith("1 entry")
        (line,) = results(app)
        assert highlighted_words(line) == ["first time"]
        assert "It was the first time I shared." in preview(app).plain
        # A filter: three entries mention courage, two of them contacts.
        await clear_and_type(pilot, "#search-input", "courage")
        assert status(app).startswith("3 entries")
        await type_query(pilot, " kind:contact")
        assert status(app).startswith("2 entries")
        assert "contacts" in status(app)
        assert all("Contact" in line.plain for line in results(app))
        await type_query(pilot, " since:march")
        assert status(app) == "1 entry, best match first · contacts, since 1 Mar 2026"
        assert "Sam" in results(app)[0].plain


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ('"first time', "a quote is open"),
        ("coffee -", "'-' needs a word"),
        ("coffee AND", "'AND' is out of place"),
        ("kind:bananas", "'bananas' isn't a kind of entry"),
        ("group:nowhere", "no group called 'nowhere'"),
    ],
)
async def test_a_mistake_in_the_box_is_explained_and_the_screen_stays_usable(
    db_path: Path, journal: dict[str, int], typed: str, said: str
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await type_query(pilot, "coffee")
        assert status(app).startswith("2 entries")
        await clear_and_type(pilot, "#search-input", typed)
        assert said in status(app)
        assert isinstance(app.screen, SearchScreen) and app.is_running
        # Fixing it searches again.
        await clear_and_type(pilot, "#search-input", "heron")
        assert status(app).startswith("1 entry")


async def test_markup_in_a_note_shows_literally_and_does_nothing(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await type_query(pilot, "brave")
        (line,) = results(app)
        assert "Felt [bold]brave[/] today" in line.plain
        assert highlighted_words(line) == ["brave"]
        whole = preview(app)
        assert f"{MARKUP} courage" in whole.plain
        # Only our own styles: nothing from the note became a style, a link or an action.
        styles = {str(span.style) for span in [*line.spans, *whole.spans]}
        assert styles <= {MATCH_STYLE, "", "bold", "dim"}
        assert highlighted_words(whole) == ["brave"]
        # Words inside the brackets are words, not markup: "click" finds the note too.
        await clear_and_type(pilot, "#search-input", "click quit")
        (line,) = results(app)
        assert sorted(highlighted_words(line)) == ["click", "quit", "quit"]  # app.quit]quit
        assert "[@click=app.quit]quit" in line.plain
        assert "[@click=app.quit]quit[/] courage" in preview(app).plain
        await press(pilot, "down")
        await pilot.click("#search-preview")
        await pilot.click("#search-results", offset=(40, 1))
        await settle(pilot)
        assert app.is_running


async def test_enter_opens_the_entry_and_saving_refreshes_the_results(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert isinstance(app.screen, MeetingsScreen)
        await press(pilot, "slash")
        await type_query(pilot, "heron")
        await press(pilot, "enter")  # from the box to the first result
        assert isinstance(app.focused, ResultList)
        await press(pilot, "enter")  # opens it
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.form_title == "Edit meeting"
        note = form.query_one("#input-note")
        assert note.text == "Saw a heron by the reservoir."  # type: ignore[attr-defined]
        note.text = "Saw an egret by the reservoir."  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, SearchScreen)
        assert app.store.get_attendance(journal["heron"]).note.startswith("Saw an egret")
        # The results were searched again: the heron is gone.
        assert status(app).startswith("Nothing found")
        assert results(app) == []
        # Esc goes back to where the person was.
        await press(pilot, "escape")
        assert isinstance(app.screen, MeetingsScreen)


@pytest.mark.parametrize(
    ("query", "title", "kind"),
    [
        ("step work", "Edit contact", "contact"),
        ("made coffee kind:service", "Edit service", "service"),
        ("practical tools", "Edit fit rating", "rating"),
        ("basement", "Edit group", "group"),
        ("jo kind:person", "Edit person", "person"),
    ],
)
async def test_each_kind_opens_its_own_form(
    db_path: Path, journal: dict[str, int], query: str, title: str, kind: str
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await type_query(pilot, query)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.found[0].kind == kind
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == title
        await press(pilot, "escape")
        assert isinstance(app.screen, SearchScreen)


async def test_moving_between_the_box_and_the_results(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await type_query(pilot, "courage")
        listing = app.screen.query_one("#search-results", ResultList)
        await press(pilot, "down")
        assert app.focused is listing and listing.highlighted == 0
        first = text_of(app.screen.query_one("#search-preview", Static))
        await press(pilot, "down")
        assert listing.highlighted == 1
        assert text_of(app.screen.query_one("#search-preview", Static)) != first
        await press(pilot, "up", "up")  # up from the first result: back to the box
        assert isinstance(app.focused, Input)
        await press(pilot, "tab")
        assert app.focused is listing and listing.highlighted == 0
        await press(pilot, "slash")  # "/" from the results: back to the box, text selected
        assert isinstance(app.focused, Input)
        await type_query(pilot, "/")  # ...where it is just a character (replacing the text)
        assert app.screen.query_one("#search-input", Input).value == "/"
        await type_query(pilot, "heron/")
        assert app.screen.query_one("#search-input", Input).value == "/heron/"
        assert status(app).startswith("1 entry")


async def test_slash_in_a_form_field_types_a_slash(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2", "n")  # add a group by hand: the name field has the focus
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"AA/NA")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#input-name", Input).value == "AA/NA"


async def test_search_respects_the_cover_and_the_palette_offers_it(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, HiddenScreen)
        await press(pilot, "slash")
        assert isinstance(app.screen, HiddenScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        # Nor over the mentor view, which shows only what was chosen to share.
        await press(pilot, "0", "m")
        assert app.mentor_view
        mentor = app.screen
        await press(pilot, "slash", "t")
        assert app.screen is mentor
        await press(pilot, "escape")
        assert not app.mentor_view
        await press(pilot, "ctrl+p")
        await type_query(pilot, "Search the journal")
        await press(pilot, "enter")
        assert isinstance(app.screen, SearchScreen)


# --- the timeline --------------------------------------------------------------------------------


async def test_timeline_lists_everything_newest_first(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        assert isinstance(app.screen, TimelineScreen)
        assert app.current_mode == "timeline"
        rows = timeline_rows(app)
        assert [r[:3] for r in rows[:4]] == [
            ["Fri 20 Nov", "Contact", "Sam"],
            ["Thu 19 Nov", "Meeting", "Thursday SMART"],
            ["Tue 17 Nov", "Meeting", "NA Downtown"],
            ["Thu 12 Nov", "Fit rating", "Thursday SMART"],
        ]
        assert rows[2][4].startswith("Felt [bold]brave[/]")  # the note, literally
        days = [found.day or date.min for found in app.screen.rows.values()]
        assert days == sorted(days, reverse=True)
        assert len(rows) == 9  # eight entries and a milestone
        # The first service is a milestone, shown before the service on the same day.
        assert rows[4][:2] == ["Tue 10 Nov", "★ Milestone"]
        # At 80 columns its words flow on into the next cells rather than being cut.
        assert rows[4][2:] == ["Your first", "service", ""]
        assert rows[5][:3] == ["Tue 10 Nov", "Service", "Set up chairs"]
        assert "Everything, newest first" in text_of(
            app.screen.query_one("#timeline-status", Static)
        )
        # The section bar still fits at 80 columns, with the new key.
        bar = app.screen.query_one("#section-bar", Static).render().plain  # type: ignore[union-attr]
        assert " t Timeline " in bar and len(bar.rstrip()) <= 78


async def test_timeline_loads_more_pages_with_milestones_in_place(
    db_path: Path, long_journal: int
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one("#table", DataTable)
        entries = [f for f in screen.rows.values() if f.kind != "milestone"]
        assert len(entries) == 100  # one page
        milestones = [f for f in screen.rows.values() if f.kind == "milestone"]
        assert milestones  # the latest runs fall within the first page's days
        first_rows = table.row_count
        for _ in range(12):  # page down like a person, past the 100th entry
            await press(pilot, "pagedown")
        assert table.row_count > first_rows
        await press(pilot, "end")
        await press(pilot, "end")
        found = list(screen.rows.values())
        assert len([f for f in found if f.kind != "milestone"]) == long_journal
        assert screen.exhausted
        days = [f.day or date.min for f in found]
        assert days == sorted(days, reverse=True)
        texts = [f.about for f in found if f.kind == "milestone"]
        for text in (
            "Your 10th meeting",
            "Your 50th meeting",
            "Your 100th meeting",
            "52 weeks in a row meeting your goal",
        ):
            assert text in texts
        assert len(texts) == len(set(texts))  # none twice at a page's edge
        row = timeline_rows(app)[[f.about for f in found].index("Your 100th meeting")]
        assert row[1] == "★ Milestone"
        assert " ".join(cell for cell in row[2:] if cell) == "Your 100th meeting"


async def test_timeline_scrolling_with_the_mouse_loads_the_next_page(
    db_path: Path, long_journal: int
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        table = app.screen.query_one("#table", DataTable)
        first = table.row_count
        cursor = table.cursor_row
        # The mouse wheel, as the terminal sends it (Pilot has no wheel of its own).
        for _ in range(40):
            await pilot._post_mouse_events([events.MouseScrollDown], "#table", offset=(20, 10))
        await settle(pilot)
        assert table.cursor_row == cursor  # only the scroll moved
        assert table.row_count > first


async def test_timeline_filter_narrows_and_explains_mistakes(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "t", "f")
        assert isinstance(app.focused, Input)
        await type_query(pilot, "kind:contact")
        rows = timeline_rows(app)
        assert [r[2] for r in rows] == ["Sam", "Jo"]
        status_text = text_of(app.screen.query_one("#timeline-status", Static))
        assert status_text == "Contacts, newest first"
        await type_query(pilot, " courage since:march")
        assert [r[2] for r in timeline_rows(app)] == ["Sam"]
        # The matched word is highlighted in the note, by our style only.
        note = app.screen.query_one("#table", DataTable).get_row_at(0)[4]
        assert isinstance(note, Text)
        assert [note.plain[s.start : s.end] for s in note.spans if s.style == MATCH_STYLE] == [
            "courage"
        ]
        await type_query(pilot, " until:someday")
        assert "until:" in text_of(app.screen.query_one("#timeline-status", Static))
        assert [r[2] for r in timeline_rows(app)] == ["Sam"]  # the last good rows stay
        assert app.is_running
        await clear_and_type(pilot, "#timeline-filter", "group:smart")
        assert {r[2] for r in timeline_rows(app)} == {"Thursday SMART"}
        # Typing digits and "t" in the filter types them; Esc leaves the box, then goes home.
        await type_query(pilot, " 3t")
        assert isinstance(app.screen, TimelineScreen)
        await press(pilot, "escape")
        assert isinstance(app.focused, DataTable)
        await press(pilot, "escape")
        assert app.current_mode == "home"


async def test_timeline_enter_opens_an_entry_and_a_milestone_opens_nothing(
    db_path: Path, long_journal: int
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one("#table", DataTable)
        keys = list(screen.rows)
        milestone = next(i for i, k in enumerate(keys) if k.startswith("milestone:"))
        table.move_cursor(row=milestone)
        await press(pilot, "enter")
        assert app.screen is screen
        assert "Well done" in text_of(screen.query_one("#detail", Static))
        table.move_cursor(row=0)
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == "Edit contact"
        note = app.screen.query_one("#input-note")
        note.text = "A long call about the new job."  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        # The timeline reloaded with the change.
        assert timeline_rows(app)[0][4] == "A long call about the new job."


# --- both sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "name"), [(SMALL, "80x24"), (LARGE, "160x50")])
async def test_both_screens_at_both_sizes(
    db_path: Path, journal: dict[str, int], size: tuple[int, int], name: str
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        save_shot(app, f"search-empty-{name}")
        await type_query(pilot, "courage")
        await press(pilot, "down")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        listing = screen.query_one("#search-results", ResultList)
        box = screen.query_one("#search-preview-box")
        # Every part has room: the box, the status, results and the preview.
        assert listing.size.height >= 6 and box.size.height >= 5
        assert listing.region.right <= size[0] and box.region.bottom <= size[1] - 1
        if size == LARGE:
            assert box.region.x > listing.region.right - 1  # side by side when wide
        else:
            assert box.region.y >= listing.region.bottom  # below when narrow
        save_shot(app, f"search-{name}")
        await press(pilot, "escape", "t")
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        table = timeline.query_one("#table", DataTable)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= size[0] - 2
        assert table.size.height >= 8
        save_shot(app, f"timeline-{name}")
        assert app.is_running


async def test_t_opens_the_timeline_from_suggestions_too(
    db_path: Path, journal: dict[str, int]
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "9")
        assert app.current_mode == "suggest"
        await press(pilot, "t")
        assert isinstance(app.screen, TimelineScreen)


async def test_no_page_is_added_while_a_new_filter_loads(db_path: Path, long_journal: int) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        screen.filter_text = "kind:contact"
        screen.reload()  # the new filter is on its way; the old rows are still shown
        screen._more()  # scrolling near the end of the old rows now must not page them
        await settle(pilot)
        kinds = {found.kind for found in screen.rows.values()}
        assert kinds == {"contact"}
        assert "Contacts" in text_of(screen.query_one("#timeline-status", Static))

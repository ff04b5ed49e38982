"""What keeps the app quick (issue 8), checked for behaviour: the key bar, section switches that
reuse what is already built, tables that keep their rendered rows only while that is right, and
full garbage collections that wait for an idle moment."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pilot import LARGE, SMALL, TODAY, press, settle, text_of
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.geometry import Region
from textual.renderables.styled import Styled
from textual.widgets import DataTable, Footer

from tracker import app as app_module
from tracker.app import TrackerApp, create_app
from tracker.clock import Clock
from tracker.demo import fill_demo
from tracker.screens.keybar import KeyBar
from tracker.screens.lists import JournalTable, _one_line_cell
from tracker.screens.textlines import TextLines
from tracker.store import Store


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    store = Store.open(path, clock=Clock.fixed(TODAY))
    try:
        fill_demo(store, years=1, today=TODAY)
    finally:
        store.close()
    return path


def app_for(path: Path) -> TrackerApp:
    return create_app(db_path=path, today=TODAY)


def bar_text(app: TrackerApp) -> str:
    return app.screen.query_one(KeyBar).render().plain


# --- the key bar --------------------------------------------------------------------------------


async def test_the_key_bar_shows_the_keys_of_each_section(journal: Path) -> None:
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        assert not app.screen.query(Footer), "one light bar, not Textual's footer"
        home = bar_text(app)
        assert " l Log " in home and " s Settings " in home and " ? Help " in home
        assert home.rstrip().endswith("^p palette")
        assert len(home) == LARGE[0]
        await press(pilot, "2")
        groups = bar_text(app)
        assert " e Edit " in groups and " r Rate " in groups
        assert " s Settings " not in groups  # Home's own key is not offered here


async def test_the_key_bar_leaves_out_whole_keys_when_narrow(journal: Path) -> None:
    app = app_for(journal)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        text = bar_text(app)
        assert len(text) == SMALL[0]
        assert text.rstrip().endswith("^p palette")
        shown = [b.description for b, _enabled in app.screen.query_one(KeyBar).shown()]
        assert len(shown) >= 3
        # Every description is either there whole or left out; none is cut.
        left = text.rsplit("▏", 1)[0]
        for description in shown:
            if description[:3] in left:
                assert description in left, description


async def test_clicking_a_key_in_the_bar_does_what_the_key_does(journal: Path) -> None:
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        text = bar_text(app)
        column = text.index(" g Groups ") + 2
        await pilot.click(KeyBar, offset=(column, 0))
        await settle(pilot)
        assert app.current_mode == "groups"


async def test_the_key_bar_follows_the_focus(journal: Path) -> None:
    """Keys that belong to a focused widget show while it has the focus (the bar repaints on
    every change of bindings)."""
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        before = bar_text(app)
        await press(pilot, "slash")  # the search opens over the section, with its own keys
        assert bar_text(app) != before
        await press(pilot, "escape")
        assert bar_text(app) == before


# --- switching sections -------------------------------------------------------------------------


async def test_a_section_opened_before_comes_back_without_the_switch_mask(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[float] = []
    original = App.delay_update

    def record(self: App[Any], delay: float = 0.05) -> None:
        delays.append(delay)
        original(self, delay)

    monkeypatch.setattr(App, "delay_update", record)
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        delays.clear()
        await press(pilot, "2", "1", "2")
        # First opening of Groups: Textual's mask; Home and Groups again: the short one.
        assert delays == [0.05, app_module.QUICK_SWITCH_MASK, app_module.QUICK_SWITCH_MASK]


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The (row, column) of every cell a table is asked to draw, as the test goes."""
    cells: list[object] = []
    original = JournalTable._render_cell

    def count(self: JournalTable, *args: Any, **kwargs: Any) -> Any:
        cells.append(args[:2])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(JournalTable, "_render_cell", count)
    return cells


async def test_coming_back_to_a_section_keeps_its_rendered_rows(
    journal: Path, rendered: list[object]
) -> None:
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert rendered, "the table was drawn"
        await press(pilot, "1", "2")
        rendered.clear()
        await press(pilot, "1", "2")
        await pilot.pause()
        assert rendered == [], "no cell was formatted again"


async def test_a_table_made_shorter_keeps_its_drawn_rows_but_a_narrower_one_draws_again(
    journal: Path, rendered: list[object]
) -> None:
    """Only a new width can change a drawn row, so a new height (as when a section's data
    arrives and the table grows into the room left) draws no cell again."""
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert rendered, "the table was drawn"
        rendered.clear()
        await pilot.resize_terminal(LARGE[0], LARGE[1] - 10)
        await settle(pilot)
        assert app.screen.query_one(JournalTable).size.width == LARGE[0] - 2
        assert rendered == [], "a shorter table shows rows it had drawn"
        await pilot.resize_terminal(LARGE[0] - 30, LARGE[1] - 10)
        await settle(pilot)
        assert rendered, "a narrower table draws its rows again"


async def test_a_drawing_pass_draws_what_textuals_table_draws(journal: Path) -> None:
    """Within one pass the table's styles are worked out once; the lines must be exactly the
    ones Textual's own table draws, striped rows, header and cursor row included, in both
    themes."""
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "3", "down", "down")
        table = app.screen.query_one(JournalTable)
        crop = Region(0, 0, table.size.width, table.size.height)

        def drawn(render: Any) -> list[list[tuple[str, object]]]:
            table._clear_caches()
            table._update_count += 1
            return [[(s.text, s.style) for s in strip] for strip in render(table, crop)]

        for theme, stripes in (("textual-dark", False), ("textual-light", True)):
            app.theme = theme
            table.zebra_stripes = stripes
            await pilot.pause()
            ours = drawn(JournalTable.render_lines)
            assert ours == drawn(DataTable.render_lines), theme
            assert table._drawing is None  # nothing is kept after the pass
            assert len({style for line in ours for _text, style in line}) > 3


async def test_cells_drawn_directly_are_the_cells_textual_draws(journal: Path) -> None:
    """One-line text cells are drawn without Rich's whole pipeline; every table of the app, in
    both themes, with the cursor row on screen, must come out exactly as Textual draws it."""
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        compared = 0
        for key in ("2", "3", "4", "5", "6", "7"):
            await press(pilot, key, "down")
            for theme in ("textual-dark", "textual-light"):
                app.theme = theme
                await pilot.pause()
                for table in app.screen.query(JournalTable):
                    crop = Region(0, 0, table.size.width, table.size.height)

                    def drawn(table: JournalTable = table, crop: Region = crop) -> list[Any]:
                        table._clear_caches()
                        table._update_count += 1
                        lines = table.render_lines(crop)
                        return [list(Segment.simplify(list(line))) for line in lines]

                    ours = drawn()
                    with pytest.MonkeyPatch.context() as patch:
                        patch.setattr(JournalTable, "_render_cell", DataTable._render_cell)
                        assert ours == drawn(), (key, theme, table.id)
                    compared += 1
            await press(pilot, "1")
        assert compared >= 12


async def test_a_theme_change_while_away_redraws_the_table(journal: Path) -> None:
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "1", "2")
        table = app.screen.query_one(JournalTable)
        dark = table.render_line(1)
        await press(pilot, "1", "ctrl+t", "2")
        assert app.theme == "textual-light"
        light = app.screen.query_one(JournalTable).render_line(1)
        assert light.text == dark.text
        assert [s.style for s in light] != [s.style for s in dark]


async def test_the_cursor_row_follows_the_focus_between_two_tables(journal: Path) -> None:
    """People has two tables: the cursor row of the one without the focus is drawn
    differently, also after switching away and back (the kept rows are kept per focus)."""
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        people, contacts = app.screen.query(JournalTable)
        assert app.focused is people

        def cursor_styles(table: JournalTable) -> list[object]:
            row = table.cursor_row + 1  # below the header
            return [segment.style for segment in table.render_line(row)]

        focused = cursor_styles(people)
        await press(pilot, "tab")
        assert app.focused is contacts
        unfocused = cursor_styles(people)
        assert focused != unfocused
        await press(pilot, "1", "4")
        assert app.focused is contacts
        assert cursor_styles(people) == unfocused
        await press(pilot, "shift+tab")
        assert app.focused is people
        assert cursor_styles(people) == focused


# --- garbage collection ---------------------------------------------------------------------------


async def test_full_collections_wait_for_an_idle_moment(journal: Path) -> None:
    before = gc.get_threshold()
    app = app_for(journal)
    now = [1000.0]
    app.idle_clock = lambda: now[0]
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        young, middle, full = gc.get_threshold()
        assert (young, middle) == before[:2]
        assert full >= app_module.NO_AUTOMATIC_FULL_COLLECTION
        app.last_activity = now[0]
        now[0] += app_module.COLLECT_WHEN_IDLE_FOR - 1
        assert app.collect_when_idle() is False  # still typing
        now[0] += 2
        assert app.collect_when_idle() is True
        assert app.collect_when_idle() is False  # once per idle spell
        now[0] += 1
        await press(pilot, "2")  # a key: a new spell of activity
        assert app.last_activity == now[0]
        now[0] += app_module.COLLECT_WHEN_IDLE_FOR
        assert app.collect_when_idle() is True
    assert gc.get_threshold() == before, "put back when the app closes"


async def test_a_section_first_opened_after_a_theme_change_has_the_new_theme(
    journal: Path,
) -> None:
    """A new section is not restyled by a full CSS pass (see JournalScreen.__init__); it
    still gets the theme chosen before it was opened."""
    app = app_for(journal)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        dark_home = app.screen.query_one("#title-bar").styles.background
        await press(pilot, "ctrl+t")
        assert app.theme == "textual-light"
        light_home = app.screen.query_one("#title-bar").styles.background
        assert light_home != dark_home
        await press(pilot, "2")
        assert app.current_mode == "groups"
        assert app.screen.query_one("#title-bar").styles.background == light_home
        await press(pilot, "1", "ctrl+t", "2")  # back to dark while Groups was away
        assert app.screen.query_one("#title-bar").styles.background == dark_home


# --- the dashboard's Recent panel ----------------------------------------------------------------


async def test_logging_a_meeting_draws_only_the_new_line_of_recent(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    original = TextLines._draw

    def count(self: TextLines, line: Text, *args: Any) -> Any:
        drawn.append(line.plain)
        return original(self, line, *args)

    monkeypatch.setattr(TextLines, "_draw", count)
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        recent = app.screen.query_one("#recent", TextLines)
        shown = min(recent.size.height, len(recent.lines))
        assert len(drawn) == shown, "each line shown was drawn once"
        before = text_of(recent).splitlines()
        drawn.clear()
        await press(pilot, "l")  # log the highlighted meeting: today's, at the top of Recent
        after = text_of(recent).splitlines()
        assert after[0].startswith("Today") and after[1:] == before[:-1]
        assert drawn == [after[0]], "only the new line was drawn; the others moved down"
        drawn.clear()
        await press(pilot, "ctrl+t")  # another theme: every line shown is drawn again
        assert app.theme == "textual-light"
        assert len(drawn) == shown


async def test_recent_shows_a_line_with_breaks_as_separate_lines(journal: Path) -> None:
    app = app_for(journal)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        recent = app.screen.query_one("#recent", TextLines)
        recent.show([Text("one\ntwo"), Text("[b]three[/b]")])
        await pilot.pause()
        assert [line.plain for line in recent.lines] == ["one", "two", "[b]three[/b]"]
        assert [recent.render_line(y).text.rstrip() for y in range(3)] == [
            "one",
            "two",
            "[b]three[/b]",
        ]


# --- People's contacts ---------------------------------------------------------------------------


async def test_people_fills_the_contacts_table_once_per_person_and_load(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled: list[int] = []
    original = JournalTable.add_row

    def count(self: JournalTable, *args: Any, **kwargs: Any) -> Any:
        if self.id == "contacts":
            filled.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(JournalTable, "add_row", count)
    app = app_for(journal)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        contacts = app.screen.query_one("#contacts", JournalTable)
        first = contacts.row_count
        assert first > 5
        assert len(filled) == first, "the first person's contacts were added once"
        filled.clear()
        await press(pilot, "down")  # another person: their contacts
        assert len(filled) == contacts.row_count > 0
        filled.clear()
        await press(pilot, "up")  # back to the first: shown again, from the same load
        assert len(filled) == contacts.row_count == first
        filled.clear()
        await press(pilot, "1", "4")  # back from Home with nothing changed: nothing rebuilt
        assert filled == []


CELL_STYLES = ["", "green", "dim", "bold", "italic red", "on blue"]


@given(
    text=st.lists(
        st.sampled_from(["a", "Z", " ", "-", "É", "e\u0301", "漢", "😀", "…", "7"]), max_size=40
    ).map("".join),
    spans=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from(CELL_STYLES[1:])),
        max_size=3,
    ),
    style=st.sampled_from(CELL_STYLES),
    overflow=st.sampled_from([None, "fold", "crop", "ellipsis"]),
    justify=st.sampled_from([None, "default", "left"]),
    no_wrap=st.sampled_from([None, True]),
    inner=st.integers(1, 25),
    padding=st.integers(0, 2),
    pre=st.sampled_from(["", "#e0e0e0 on #1c1c1c", "bold on #333333"]),
    post=st.sampled_from(["", "reverse", "not dim"]),
)
@settings(max_examples=300, deadline=None)
def test_a_cell_drawn_directly_is_what_rich_draws(
    text: str,
    spans: list[tuple[int, int, str]],
    style: str,
    overflow: Any,
    justify: Any,
    no_wrap: bool | None,
    inner: int,
    padding: int,
    pre: str,
    post: str,
) -> None:
    """The direct way against Rich's whole pipeline, as Textual's table calls it for a row one
    line high, for any one-line text: wide and combining characters, emoji, spans that overlap
    or run past the end, every overflow."""
    cell = Text(text, style=style, overflow=overflow, justify=justify, no_wrap=no_wrap)
    for start, end, span_style in spans:
        cell.stylize(span_style, start, end)
    console = Console(width=200, color_system="truecolor", force_terminal=True)
    pre_style, post_style = Style.parse(pre), Style.parse(post)
    width = inner + 2 * padding
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    (theirs,) = console.render_lines(
        Styled(Padding(cell, (0, padding)), pre_style=pre_style, post_style=post_style), options
    )
    ours = _one_line_cell(console, cell, inner, padding, pre_style, post_style)
    assert drawn(ours) == drawn(theirs)


def drawn(segments: list[Segment]) -> list[Segment]:
    """What a terminal shows for ``segments``: no style and the empty style are the same, and
    so are a run of text cut in two or not."""
    return list(Segment.simplify(Segment(s.text, s.style or Style()) for s in segments if s.text))


async def test_a_recent_line_keeps_its_own_colour_over_the_panels(journal: Path) -> None:
    app = app_for(journal)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        recent = app.screen.query_one("#recent", TextLines)
        recent.show([Text("own colour", style="green"), Text("panel colour")])
        await pilot.pause()
        own, plain = (recent.render_line(y) for y in (0, 1))
        panel = recent.visual_style.rich_style.color
        assert next(iter(plain)).style.color == panel
        assert next(iter(own)).style.color not in (None, panel)

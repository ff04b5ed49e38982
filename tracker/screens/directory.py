"""The Meeting directory: the meetings of the imported meeting lists, offline.

Filter by day, part of the day, how to attend, type and words; the soonest meeting comes first.
The details of the highlighted meeting show below (or beside, on a wide terminal), every link
as plain text; ``c`` copies the meeting's link, ``a`` makes it one of the person's groups.

The meetings are read and prepared in a worker (:class:`~tracker.meetings.filters.Directory`);
each change of a filter is then one pass over plain values on the UI thread, and only the first
:data:`SHOWN` matches become table rows, so ten thousand meetings stay instant.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from tracker.domain.text import counted
from tracker.meetings.filters import (
    TIMES_OF_DAY,
    TYPE_CHOICES,
    WAYS,
    Directory,
    Found,
    MeetingFilter,
    attendance_label,
    next_text,
    type_labels,
    when_text,
)
from tracker.meetings.model import FEED_DAY_NAMES
from tracker.screens.base import JournalScreen
from tracker.screens.lists import WIDE, JournalTable
from tracker.screens.literal import compose_line, literal, literal_cell, literal_line
from tracker.store.meetings import DirectoryMeeting

# The filters' own short words (the status line says them in full: "online (or hybrid)").
WAY_LABELS = {"in-person": "In person", "online": "Online", "hybrid": "Hybrid only"}
SHOWN = 100  # rows put in the table at most; the status line says how many matched
DEBOUNCE = 0.12  # seconds after the last key before the words filter runs
NO_LISTS = (
    "No meeting lists yet.\n\n"
    "Many areas publish their meetings as a Meeting Guide or BMLT feed (a .json file or web "
    "address on their meetings page). Import one from the shell:\n\n"
    '  tracker meetings import area-meetings.json --name "My area"\n'
    "  tracker meetings import https://example.org/meetings.json\n\n"
    "It's read once and kept in your journal; browsing it here never goes online."
)


@dataclass(frozen=True)
class _Loaded:
    directory: Directory[DirectoryMeeting]
    names: dict[str, str]
    group_names: dict[int, str]


HOW = {"in_person": "In person", "online": "Online", "hybrid": "Hybrid", "inactive": "Closed"}


def row_cells(
    found: Found[DirectoryMeeting], *, now: datetime, widths: list[int], names: dict[str, str]
) -> list[Text]:
    """A table row: when it next meets, the name, how to attend, where, and (wide) the types.
    Feed text is literal; a meeting closed for now or no longer listed is dimmed."""
    meeting = found.meeting
    dim = meeting.gone_since is not None or meeting.attendance == "inactive"
    style = "dim" if dim else ""
    name = meeting.name + (" ✓" if meeting.group_id is not None else "")
    cells = [
        Text(next_text(found, now=now), style=style or "bold"),
        literal_cell(name, widths[1], style),
        Text(HOW.get(meeting.attendance, meeting.attendance), style=style),
        literal_cell(meeting.region or meeting.location, widths[3], style),
    ]
    if widths[4]:
        cells.append(literal_cell(", ".join(type_labels(meeting.types, names)), widths[4], "dim"))
    return cells


class WordsBox(Input):
    """The words filter. Down goes to the meetings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_table", "Meetings", show=False),
    ]


class DirectoryScreen(JournalScreen):
    SECTION = "directory"
    TITLE_TEXT = "meeting directory"
    AUTO_FOCUS = "#table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_to_groups", "Add to my groups"),
        Binding("c", "copy_link", "Copy link"),
        Binding("f", "to_words", "Filter"),
        Binding("x", "clear_filters", "Clear filters"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.directory: Directory[DirectoryMeeting] | None = None
        self.names: dict[str, str] = {}
        self.group_names: dict[int, str] = {}
        self.shown: dict[str, Found[DirectoryMeeting]] = {}
        self.selection_total = 0
        self.wanted = MeetingFilter()
        self._timer: Timer | None = None
        self._wide = False
        self._type_codes: list[str] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body", id="directory-body"):
            yield WordsBox(
                placeholder="Filter by words: name, place, group, notes",
                id="directory-words",
                compact=True,
            )
            with Horizontal(id="directory-filters"):
                yield Select(
                    [(name, number) for number, name in enumerate(FEED_DAY_NAMES)],
                    prompt="Any day",
                    id="directory-day",
                    compact=True,
                )
                yield Select(
                    [(key.capitalize(), key) for key in TIMES_OF_DAY],
                    prompt="Any time",
                    id="directory-time",
                    compact=True,
                )
                yield Select(
                    [(WAY_LABELS[key], key) for key in WAYS],
                    prompt="Any way",
                    id="directory-way",
                    compact=True,
                )
                yield Select(
                    [(label, key) for key, (label, _codes) in TYPE_CHOICES.items()],
                    prompt="Any type",
                    id="directory-type",
                    compact=True,
                )
            yield Static("", id="directory-status")
            with Horizontal(id="directory-main"):
                yield JournalTable(id="table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="directory-detail")
            yield Static("", classes="list-empty", id="empty")

    def on_mount(self) -> None:
        self._wide = self.app.size.width >= WIDE
        self.set_class(self._wide, "-wide")
        self._add_columns()
        self.query_one("#empty", Static).display = False

    # --- columns ---------------------------------------------------------------------------

    def _widths(self) -> list[int]:
        """Next, name, how, where and types; at 80 columns the types column is hidden."""
        width = self.app.size.width
        if self._wide:
            table = max(width * 2 // 3 - 2, 60)  # the details take the other third
            nxt, how, where, kinds = 12, 9, 18, 18
            room = table - 2 * 5 - 2
            return [nxt, max(room - nxt - how - where - kinds, 16), how, where, kinds]
        room = width - 2 - 2 * 4 - 2
        nxt, how, where = 12, 9, 14
        return [nxt, max(room - nxt - how - where, 16), how, where, 0]

    def _add_columns(self) -> None:
        table = self.query_one("#table", DataTable)
        labels = ("Next", "Meeting", "How", "Where", "Type")
        for index, (label, width) in enumerate(zip(labels, self._widths(), strict=True)):
            if width:
                table.add_column(label, width=width, key=str(index))

    def on_resize(self) -> None:
        wide = self.app.size.width >= WIDE
        table = self.query_one("#table", DataTable)
        widths = [w for w in self._widths() if w]
        if wide == self._wide and [c.width for c in table.columns.values()] == widths:
            return
        self._wide = wide
        self.set_class(wide, "-wide")
        table.clear(columns=True)
        self._add_columns()
        self._refilter(keep=True)

    # --- loading ---------------------------------------------------------------------------

    def fetch(self) -> _Loaded:
        from tracker.meetings.types import environment_language, type_names
        from tracker.meetings.zones import local_zone

        names = type_names(environment_language(os.environ))
        meetings = self.store.directory()
        groups = {group.id: group.name for group in self.store.list_groups()}
        local = local_zone(os.environ)
        directory = Directory(meetings, type_names=names, local_zone=local)
        return _Loaded(directory, names, groups)

    def show(self, data: _Loaded) -> None:
        self.directory = data.directory
        self.names = data.names
        self.group_names = data.group_names
        self._offer_types(data.directory)
        self._refilter(keep=True)

    def _offer_types(self, directory: Directory[DirectoryMeeting]) -> None:
        """The type filter: the common kinds first, then every other code in the lists."""
        codes = [
            code
            for code in directory.codes()
            if not any(code in codes for _label, codes in TYPE_CHOICES.values())
        ]
        if codes == self._type_codes:
            return
        self._type_codes = codes
        select: Select[str] = self.query_one("#directory-type", Select)
        keep = select.value
        options: list[tuple[str | Text, str]] = [
            (label, key) for key, (label, _codes) in TYPE_CHOICES.items()
        ]
        options += [(literal_line(self.names.get(code, code)), code) for code in codes]
        with select.prevent(Select.Changed):
            select.set_options(options)
            if keep != Select.NULL and any(value == keep for _label, value in options):
                select.value = keep

    # --- filtering -------------------------------------------------------------------------

    def _filter_from_widgets(self) -> MeetingFilter:
        def chosen(widget_id: str) -> Any:
            value = self.query_one(widget_id, Select).value
            return None if value == Select.NULL else value

        day, part, way, kind = (
            chosen(f"#directory-{name}") for name in ("day", "time", "way", "type")
        )
        return MeetingFilter(
            days=frozenset({day}) if day is not None else frozenset(),
            times=frozenset({part}) if part is not None else frozenset(),
            ways=frozenset({way}) if way is not None else frozenset(),
            types=frozenset({kind}) if kind is not None else frozenset(),
            text=self.query_one("#directory-words", Input).value,
        )

    @on(Select.Changed)
    def _select_changed(self, _event: Select.Changed) -> None:
        self._refilter()

    @on(Input.Changed, "#directory-words")
    def _words_changed(self, _event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._refilter)

    @on(Input.Submitted, "#directory-words")
    def _words_done(self, _event: Input.Submitted) -> None:
        self._refilter()
        self.action_to_table()

    def now(self) -> datetime:
        return self.tracker.clock.now()

    def _refilter(self, keep: bool = False) -> None:
        """Filter and sort again, and show the first SHOWN matches."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        directory = self.directory
        if directory is None:
            return
        self.wanted = self._filter_from_widgets()
        now = self.now()
        selection = directory.select(self.wanted, now=now, limit=SHOWN)
        self.selection_total = selection.total
        table = self.query_one("#table", DataTable)
        previous = table.cursor_key() if keep and isinstance(table, JournalTable) else None
        table.clear()
        self.shown = {}
        widths = self._widths()
        for found in selection.found:
            key = str(found.meeting.id)
            self.shown[key] = found
            table.add_row(*row_cells(found, now=now, widths=widths, names=self.names), key=key)
        if previous in self.shown:
            table.move_cursor(row=table.get_row_index(previous))
        self._show_status(directory, selection.total, len(selection.found))
        self._show_detail()

    def _show_status(self, directory: Directory[DirectoryMeeting], total: int, shown: int) -> None:
        status = self.query_one("#directory-status", Static)
        empty = self.query_one("#empty", Static)
        if not len(directory):
            status.update("")
            empty.update(Text(NO_LISTS))
            empty.display = True
            self.query_one("#directory-main").display = False
            return
        empty.display = False
        self.query_one("#directory-main").display = True
        described = self.wanted.describe(self.names)
        line = Text(counted(total, "meeting"), style="bold")
        if described:
            line.append(" · ")
            line.append(Text(described))
        if total:
            line.append(", soonest first", style="dim")
        if total > shown:
            line.append(f" · first {shown} shown", style="dim")
        if not total:
            line.append(" · nothing matches all of that; x clears the filters", style="dim")
        status.update(line)

    # --- the highlighted meeting -----------------------------------------------------------

    def current(self) -> Found[DirectoryMeeting] | None:
        table = self.query_one("#table", DataTable)
        key = table.cursor_key() if isinstance(table, JournalTable) else None
        return self.shown.get(key) if key is not None else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#directory-detail", Static)
        found = self.current()
        if found is None:
            detail.update("")
            return
        detail.update(self.describe_meeting(found))

    def describe_meeting(self, found: Found[DirectoryMeeting]) -> Text:
        """Everything the feed says about the meeting, literally; links as plain text."""
        meeting = found.meeting
        zone_note = f" ({meeting.timezone})" if meeting.timezone else ""
        lines: list[Text] = [literal_line(meeting.name, style="bold")]
        when = when_text(meeting)
        if when:
            lines.append(
                compose_line(
                    when, zone_note, ("  ·  next: ", "dim"), next_text(found, now=self.now())
                )
            )
        lines.append(compose_line((attendance_label(meeting.attendance), "bold")))
        place = ", ".join(part for part in (meeting.location, meeting.address) if part)
        if place and meeting.attendance != "online":
            lines.append(compose_line(("Where: ", "dim"), literal(place)))
        if meeting.location_notes:
            lines.append(literal(meeting.location_notes, style="dim"))
        if meeting.conference_url:
            lines.append(compose_line(("Link: ", "dim"), literal(meeting.conference_url)))
            if meeting.conference_url_notes:
                lines.append(literal(meeting.conference_url_notes, style="dim"))
        if meeting.conference_phone:
            lines.append(compose_line(("Phone: ", "dim"), literal(meeting.conference_phone)))
            if meeting.conference_phone_notes:
                lines.append(literal(meeting.conference_phone_notes, style="dim"))
        if meeting.types:
            lines.append(
                compose_line(
                    ("Type: ", "dim"), literal(", ".join(type_labels(meeting.types, self.names)))
                )
            )
        if meeting.group:
            lines.append(compose_line(("Group: ", "dim"), literal(meeting.group)))
        if meeting.notes:
            lines.append(literal(meeting.notes))
        if meeting.group_notes:
            lines.append(literal(meeting.group_notes, style="dim"))
        if meeting.website:
            lines.append(compose_line(("More: ", "dim"), literal(meeting.website)))
        source = compose_line(("From: ", "dim"), literal(meeting.source))
        if meeting.region:
            source.append(" · ")
            source.append_text(literal(meeting.region))
        lines.append(source)
        if meeting.gone_since is not None:
            lines.append(
                Text(
                    f"No longer in the list since {meeting.gone_since.day} "
                    f"{meeting.gone_since:%b %Y}; "
                    "kept because it's among your groups.",
                    style="italic",
                )
            )
        if meeting.group_id is not None:
            name = self.group_names.get(meeting.group_id, "")
            lines.append(
                compose_line(
                    ("✓ One of your groups", "green"), (f": {name}" if name else "", "green")
                )
            )
        return Text("\n").join(lines)

    # --- actions ---------------------------------------------------------------------------

    def action_to_table(self) -> None:
        self.query_one("#table", DataTable).focus()

    def action_to_words(self) -> None:
        self.query_one("#directory-words", Input).focus()

    def action_clear_filters(self) -> None:
        for name in ("day", "time", "way", "type"):
            select = self.query_one(f"#directory-{name}", Select)
            with select.prevent(Select.Changed):
                select.clear()
        words = self.query_one("#directory-words", Input)
        with words.prevent(Input.Changed):
            words.value = ""
        self._refilter()

    def action_copy_link(self) -> None:
        found = self.current()
        if found is None:
            return
        meeting = found.meeting
        link = meeting.conference_url or meeting.conference_phone or meeting.address
        if not link:
            self.notify("This meeting has no link, phone number or address to copy.", markup=False)
            return
        self.app.copy_to_clipboard(link)
        self.notify(
            "Copied. (If your terminal doesn't pass copies on, select the text in the details.)",
            title="Copied",
            markup=False,
        )

    def action_add_to_groups(self) -> None:
        found = self.current()
        if found is None:
            return
        meeting = found.meeting
        if meeting.group_id is not None and meeting.group_id in self.group_names:
            self.notify(
                f"{self.group_names[meeting.group_id]} is already one of your groups.",
                markup=False,
            )
            return

        from tracker.meetings.my_groups import group_fields_for
        from tracker.meetings.zones import local_zone
        from tracker.screens import actions

        fields = group_fields_for(
            meeting,
            today=self.tracker.today(),
            local_zone=local_zone(os.environ),
            taken_names=list(self.group_names.values()),
            source=meeting.source,
            type_names=self.names,
        )
        actions.open_group_form(
            self.tracker,
            prefill=fields,
            add=partial(self.store.add_meeting_to_groups, meeting.id),
            intro=f"From the meeting list {meeting.source}: {meeting.name}",
        )

"""People and contacts: sponsors, mentors and friends by alias, and each call, text or coffee."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from tracker.domain import vocab
from tracker.domain.dates import days_ago_phrase, format_day
from tracker.domain.models import Contact, Person
from tracker.screens import actions
from tracker.screens.lists import Column, JournalTable, ListScreen, table_day
from tracker.screens.literal import compose_line, literal, literal_line


class PeopleScreen(ListScreen):
    SECTION = "people"
    TITLE_TEXT = "your sponsor, mentors and supporters"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Alias", 10, 16),
        Column("Role", 0, 12),
        Column("Last contact", 12),
        Column("#", 4),
    ]
    EMPTY_TEXT = (
        "Nobody here yet. A sponsor or mentor can make a real difference; press a to add one "
        "by alias (a first name or an initial)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add person"),
        Binding("c", "contact", "Log contact"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.contacts: dict[str, Contact] = {}
        self.all_contacts: list[Contact] = []
        self._contacts_load = 0  # counts the loads, so a new one always rebuilds the table
        self._contacts_shown: tuple[int | None, int] | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("", classes="list-summary", id="summary")
            with Horizontal(id="people-split"):
                with Vertical(id="people-left"):
                    yield JournalTable(id="table", cursor_type="row", zebra_stripes=True)
                    yield Static("", classes="list-empty", id="empty")
                with Vertical(id="people-right"):
                    yield Static(Text("Contacts", style="bold"), id="contacts-title")
                    yield JournalTable(id="contacts", cursor_type="row", zebra_stripes=True)
            yield Static("", classes="detail", id="detail")

    def on_mount(self) -> None:
        contacts = self.query_one("#contacts", DataTable)
        contacts.add_column("Date", width=11, key="date")
        contacts.add_column("How", width=9, key="how")
        contacts.add_column("Note", key="note")

    def fetch_page(self, offset: int, limit: int) -> list[Person]:
        return self.store.list_people()[offset : offset + limit]

    def fetch_summary(self) -> list[Contact]:
        return self.store.list_contacts()

    def cells(self, person: Person) -> list[Text | str]:
        days = person.days_since_contact(self.tracker.today())
        quiet = person.role in vocab.SUPPORT_ROLES and (days is None or days >= 7)
        return [
            literal_line(person.alias),
            vocab.label(vocab.ROLES, person.role).split()[0],
            Text(
                days_ago_phrase(days) if days is not None else "—", style="yellow" if quiet else ""
            ),
            str(person.contact_count),
        ]

    def summary_text(self, contacts: list[Contact], records: list[Person]) -> Text:
        if not records:
            return Text()
        return Text(
            "c logs a call, text or coffee with them · Tab moves to their contacts",
            style="dim",
        )

    def show(self, data: tuple[list[Person], list[Contact], int]) -> None:
        self.all_contacts = data[1]
        self._contacts_load += 1
        super().show(data)
        self._show_contacts()

    def _show_contacts(self) -> None:
        table = self.query_one("#contacts", DataTable)
        person = self.current()
        # The same person's contacts from the same load are on show already: the highlight
        # that follows a load (or a move back onto the same row) needn't rebuild the table,
        # which for a sponsor of ten years is hundreds of rows.
        shown = (person.id if person else None, self._contacts_load)
        if shown == self._contacts_shown and table.row_count == len(self.contacts):
            return
        self._contacts_shown = shown
        keep = None
        if table.row_count:
            try:
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:
                keep = None
        table.clear()
        self.contacts = {}
        if person is None:
            return
        today = self.tracker.today()
        for contact in self.all_contacts:
            if contact.person_id != person.id:
                continue
            key = str(contact.id)
            self.contacts[key] = contact
            table.add_row(
                table_day(contact.date, today),
                vocab.label(vocab.CONTACT_METHODS, contact.method),
                literal_line(contact.note, width=60, style="dim"),
                key=key,
            )
        self.query_one("#contacts-title", Static).update(
            compose_line(("Contacts with ", "bold"), literal_line(person.alias, style="bold"))
        )
        if keep in self.contacts:
            table.move_cursor(row=table.get_row_index(keep))

    @on(DataTable.RowHighlighted, "#table")
    def _person_highlighted(self) -> None:
        self._show_contacts()

    def on_descendant_focus(self) -> None:
        # The detail panel follows whichever list has the focus.
        self._update_detail()

    @on(DataTable.RowHighlighted, "#contacts")
    def _contact_highlighted(self) -> None:
        self._update_detail()

    @on(DataTable.RowSelected, "#contacts")
    def _contact_selected(self) -> None:
        contact = self.current_contact()
        if contact is not None:
            actions.open_contact_form(self.tracker, contact=contact)

    def current_contact(self) -> Contact | None:
        table = self.query_one("#contacts", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None
        return self.contacts.get(key or "")

    def _contacts_focused(self) -> bool:
        return self.focused is self.query_one("#contacts", DataTable)

    def _update_detail(self) -> None:
        if self._contacts_focused() and (contact := self.current_contact()) is not None:
            detail = self.query_one("#detail", Static)
            text = compose_line(
                (format_day(contact.date, today=self.tracker.today()), "bold"),
                "  ",
                vocab.label(vocab.CONTACT_METHODS, contact.method),
                " with ",
                literal_line(contact.person_alias, style="bold"),
            )
            if contact.note:
                text.append("\n")
                text.append_text(literal(contact.note))
            detail.update(text)
            detail.display = True
            return
        super()._update_detail()

    def detail(self, person: Person) -> Text:
        text = compose_line(
            literal_line(person.alias, style="bold"),
            (f"  {vocab.label(vocab.ROLES, person.role)}", "dim"),
        )
        if person.phone:
            text.append("  phone ")
            text.append_text(literal_line(person.phone))
        if person.email:
            text.append("  email ")
            text.append_text(literal_line(person.email))
        days = person.days_since_contact(self.tracker.today())
        if person.contact_count:
            plural = "s" if person.contact_count != 1 else ""
            text.append(
                f"\n{person.contact_count} contact{plural} logged; "
                f"the last {days_ago_phrase(days)}.",
                style="dim",
            )
        else:
            text.append("\nNo contacts logged yet. Press c to log one.", style="dim")
        if person.notes:
            text.append("\n")
            text.append_text(literal(person.notes))
        return text

    def add(self) -> None:
        actions.open_person_form(self.tracker)

    def action_contact(self) -> None:
        person = self.current()
        actions.open_contact_form(self.tracker, person_id=person.id if person else None)

    def action_edit(self) -> None:
        if self._contacts_focused():
            contact = self.current_contact()
            if contact is not None:
                actions.open_contact_form(self.tracker, contact=contact)
            return
        super().action_edit()

    def action_delete(self) -> None:
        if self._contacts_focused():
            contact = self.current_contact()
            if contact is not None:
                what = compose_line(
                    "the contact with ",
                    literal_line(contact.person_alias),
                    f" on {format_day(contact.date, today=self.tracker.today())}",
                )
                actions.delete_entry(
                    self.tracker,
                    what,
                    lambda: self.store.delete_contact(contact.id),
                    "Deleted that contact.",
                )
            return
        super().action_delete()

    def edit(self, person: Person) -> None:
        actions.open_person_form(self.tracker, person=person)

    def delete(self, person: Person) -> None:
        actions.delete_person(self.tracker, person)

"""Sponsors and mentors (people), and the contacts with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain import vocab
from tracker.domain.models.checks import (
    ALIAS_MAX,
    Day,
    check_day,
    check_email,
    check_id,
    check_phone,
    clean_line,
    clean_note,
    fields_of,
    share_flag,
)


@dataclass(frozen=True, kw_only=True)
class PersonFields:
    alias: str
    role: str = "sponsor"
    phone: str = ""
    email: str = ""
    notes: str = ""
    note_shared: bool = False

    def validated(self) -> PersonFields:
        notes = clean_note("notes", self.notes)
        return PersonFields(
            alias=clean_line("alias", self.alias, required=True, max_len=ALIAS_MAX),
            role=vocab.check_code("role", vocab.ROLES, self.role),
            phone=check_phone(self.phone),
            email=check_email(self.email),
            notes=notes,
            note_shared=share_flag(notes, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Person(PersonFields):
    id: int
    uuid: str
    created_at: str
    updated_at: str
    last_contact: date | None = None
    contact_count: int = 0

    @property
    def fields(self) -> PersonFields:
        return fields_of(self, PersonFields)

    def days_since_contact(self, today: date) -> int | None:
        return None if self.last_contact is None else (today - self.last_contact).days


@dataclass(frozen=True, kw_only=True)
class ContactFields:
    person_id: int
    date: date
    method: str = "call"
    note: str = ""
    note_shared: bool = False

    def validated(self, *, today: Day | None = None) -> ContactFields:
        note = clean_note("note", self.note)
        return ContactFields(
            person_id=check_id("person", self.person_id, "a person"),
            date=check_day("date", self.date, today=today),
            method=vocab.check_code("how", vocab.CONTACT_METHODS, self.method),
            note=note,
            note_shared=share_flag(note, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Contact(ContactFields):
    id: int
    uuid: str
    person_alias: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> ContactFields:
        return fields_of(self, ContactFields)

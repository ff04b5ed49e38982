"""Groups tried: a group's fields as typed, and the stored group."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain import vocab
from tracker.domain.models.checks import (
    LOCATION_MAX,
    NAME_MAX,
    clean_line,
    clean_note,
    fields_of,
    share_flag,
)
from tracker.errors import InvalidField


@dataclass(frozen=True, kw_only=True)
class GroupFields:
    name: str
    pillar: str = "peer"
    tags: tuple[str, ...] = ()
    format: str = "in-person"
    location: str = ""
    schedule: str | None = None  # storage form of a Schedule (DTSTART + RRULE), or None
    status: str = "trying"
    catalogue_slug: str | None = None
    notes: str = ""
    note_shared: bool = False

    def validated(self) -> GroupFields:
        tags: list[str] = []
        for tag in self.tags:
            code = vocab.normalise_tag(tag)
            if code not in tags:
                tags.append(code)
        schedule = (self.schedule or "").strip() or None
        if schedule is not None:
            from tracker.domain.schedules import Schedule

            schedule = Schedule.from_text(schedule, field="schedule").to_text()
        slug = (self.catalogue_slug or "").strip() or None
        if slug is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
            raise InvalidField("catalogue_slug", f"catalogue_slug: {slug!r} is not a slug.")
        notes = clean_note("notes", self.notes)
        return GroupFields(
            name=clean_line("name", self.name, required=True, max_len=NAME_MAX),
            pillar=vocab.check_code("pillar", vocab.PILLARS, self.pillar),
            tags=tuple(tags),
            format=vocab.check_code("format", vocab.FORMATS, self.format),
            location=clean_line("where", self.location, max_len=LOCATION_MAX),
            schedule=schedule,
            status=vocab.check_code("status", vocab.STATUSES, self.status),
            catalogue_slug=slug,
            notes=notes,
            note_shared=share_flag(notes, self.note_shared),
        )


@dataclass(frozen=True, kw_only=True)
class Group(GroupFields):
    id: int
    uuid: str
    created_at: str
    updated_at: str

    @property
    def fields(self) -> GroupFields:
        return fields_of(self, GroupFields)

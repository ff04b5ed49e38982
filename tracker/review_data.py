"""Everything a mentor review needs, read from the store for one period.

Only notes the person marked "share with my mentor" are read: a private note never even leaves the
database for a review. People appear by alias; phone numbers and emails are never read here.
No Textual: ``tracker review`` imports this module.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.domain import vocab
from tracker.domain.review import Period, ReviewInput, SharedNote
from tracker.insights import consistency_of
from tracker.store import Store


def review_input(store: Store, period: Period) -> ReviewInput:
    """Read the journal for ``period``: a handful of queries, nothing private."""
    since, until = period.since, period.until
    meetings = [
        (entry.date, entry.group_name, entry.attended)
        for entry in reversed(store.list_attendance(since=since, until=until))
    ]
    before = store.meetings_per_day(date(1900, 1, 1), since - timedelta(days=1))
    support = [p for p in store.list_people() if p.role in vocab.SUPPORT_ROLES]
    support_ids = {p.id: p for p in support}
    contacts: list[tuple[date, str, str]] = []
    last_before: dict[str, date | None] = {p.alias: None for p in support}
    for c in store.list_contacts():  # newest first
        person = support_ids.get(c.person_id)
        if person is None:
            continue
        if since <= c.date <= until:
            contacts.append((c.date, person.alias, person.role))
        elif c.date < since and last_before[person.alias] is None:
            last_before[person.alias] = c.date  # the last contact before the period
    contacts.sort()
    service = sorted(
        (s.date, s.kind, s.minutes) for s in store.list_service(since=since) if s.date <= until
    )
    everything = store.list_service()
    first_service = everything[-1].date if everything else None
    ratings = sorted(
        (day, name, average)
        for _group_id, name, day, average in store.rating_averages()
        if day <= until
    )
    notes = [
        SharedNote(day, kind, _about(kind, about), text)
        for day, kind, about, text in store.shared_notes(since, until)
    ]
    return ReviewInput(
        today=store.today(),
        period=period,
        goal=store.weekly_goal,
        consistency=consistency_of(store),
        meetings=meetings,
        meetings_before=sum(before.values()),
        contacts=contacts,
        last_contact_before=last_before,
        service=service,
        first_service=first_service,
        ratings=ratings,
        shared_notes=notes,
        roles={p.alias: p.role for p in support},
        started=store.first_meeting_date(),
    )


def _about(kind: str, about: str) -> str:
    return vocab.label(vocab.SERVICE_KINDS, about) if kind == "service" else about

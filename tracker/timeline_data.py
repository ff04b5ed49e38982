"""The timeline's milestones, and how they fall between the pages of entries.

The store gives the timeline's entries a page at a time (``Store.timeline``). Milestones (4, 12,
26 or 52 weeks in a row, the first service, the 10th, 50th and 100th meeting) are worked out once
from the whole history, the same way the mentor review finds them, and each page takes the
milestones that fall among its days. No Textual: a quick command may import this.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.domain.review import Period, ReviewInput, milestones_in
from tracker.domain.search import Found, SearchQuery
from tracker.insights import consistency_of
from tracker.store import Store


def milestones(store: Store) -> list[Found]:
    """Every milestone in the journal, newest first, as timeline entries.

    Worked out as the mentor review does for a period holding everything, from only what
    milestones need: the weeks, the first service and the count of meetings attended each day
    (the whole review would read every entry of every kind; on ten years that was 150 ms).
    """
    today = store.today()
    start = store.first_meeting_date()
    services = store.list_service()  # newest first
    first_service = services[-1].date if services else None
    days = [d for d in (start, first_service) if d]
    if not days:
        return []
    since = min(min(days), today)
    per_day = store.meetings_per_day(since, today)
    attended = [(day, "", True) for day in sorted(per_day) for _ in range(per_day[day])]
    reached = milestones_in(
        ReviewInput(
            today=today,
            period=Period(since, today, "everything"),
            goal=store.weekly_goal,
            consistency=consistency_of(store),
            meetings=attended,
            meetings_before=0,  # nothing is logged before the first meeting or service
            contacts=[],
            last_contact_before={},
            service=[],
            first_service=first_service,
            ratings=[],
            shared_notes=[],
            started=start,
        )
    )
    found = [
        Found(kind="milestone", id=n, day=m.day, about=m.text, detail=m.kind)
        for n, m in enumerate(reached, start=1)
    ]
    found.sort(key=lambda f: (f.day, f.id), reverse=True)
    return found


def shows_milestones(query: SearchQuery) -> bool:
    """Milestones belong in a timeline with no words, group or person, and no kind filter."""
    return query.match is None and query.group is None and query.person is None and not query.kinds


def with_milestones(
    page: Sequence[Found],
    all_milestones: Sequence[Found],
    *,
    previous: date | None,
    last_page: bool,
    query: SearchQuery,
) -> list[Found]:
    """``page`` with the milestones that fall among its days, newest first.

    ``previous`` is the day of the last entry on the page before (None for the first page).
    A milestone goes on the page whose days reach back to it: on or after the page's last day,
    and before ``previous``; the last page takes every older one. On the same day a milestone
    comes first. Date filters apply to milestones too.
    """
    if not shows_milestones(query):
        return list(page)
    oldest = None if last_page or not page else page[-1].day
    chosen = [
        m
        for m in all_milestones
        if m.day is not None
        and (previous is None or m.day < previous)
        and (oldest is None or m.day >= oldest)
        and (query.since is None or m.day >= query.since)
        and (query.until is None or m.day <= query.until)
    ]
    merged = [*page, *chosen]
    merged.sort(key=lambda f: (f.day or date.min, f.kind == "milestone"), reverse=True)
    return merged

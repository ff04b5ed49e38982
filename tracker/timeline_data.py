"""The timeline's milestones, and how they fall between the pages of entries.

The store gives the timeline's entries a page at a time (``Store.timeline``). Milestones (4, 12,
26 or 52 weeks in a row, the first service, the 10th, 50th and 100th meeting) are worked out once
from the whole history, the same way the mentor review finds them, and each page takes the
milestones that fall among its days. No Textual: a quick command may import this.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.domain.review import Period, build_review
from tracker.domain.search import Found, SearchQuery
from tracker.review_data import review_input
from tracker.store import Store


def milestones(store: Store) -> list[Found]:
    """Every milestone in the journal, newest first, as timeline entries."""
    today = store.today()
    start = store.first_meeting_date()
    first_service = store.list_service()
    days = [d for d in (start, first_service[-1].date if first_service else None) if d]
    if not days:
        return []
    since = min(min(days), today)
    review = build_review(review_input(store, Period(since, today, "everything")))
    found = [
        Found(kind="milestone", id=n, day=m.day, about=m.text, detail=m.kind)
        for n, m in enumerate(review.milestones, start=1)
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

"""Everything the engagement check needs, read from the store in a few queries, then worked out by
the pure domain modules. Shared by ``tracker status``/``tracker suggest`` and the app's screens, so
the shell and the app always agree.

No Textual here: the quick commands import this module.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from tracker.domain import vocab
from tracker.domain.catalogue import CatalogueEntry, load_catalogue
from tracker.domain.dates import week_start
from tracker.domain.engagement import (
    Consistency,
    EngagementCheck,
    Settled,
    check_engagement,
    consistency,
    fit_trends_of,
)
from tracker.domain.profile import Profile, Thresholds
from tracker.domain.suggestions import (
    Advice,
    Suggestion,
    engagement_advice,
    rank_suggestions,
)
from tracker.store import Store

# "Recently" for the variety rule (groups you go to now) and for fit trends.
CURRENT_DAYS = 12 * 7
TREND_DAYS = 90
# Service within this many days counts as recent (the volunteering advice is left out).
SERVED_DAYS = 60


@dataclass(frozen=True)
class Insights:
    today: date
    profile: Profile
    thresholds: Thresholds
    consistency: Consistency
    check: EngagementCheck
    suggestions: list[Suggestion]
    advice: list[Advice]

    def top(self, n: int = 3) -> list[Suggestion]:
        return self.suggestions[:n]


class _Kept(NamedTuple):
    """The settled weeks of a journal, and what they were worked out from."""

    serial: int
    goal: int
    goal_changes: tuple[tuple[date, int], ...]
    started: date | None
    excused: frozenset[date]
    settled: Settled


_KEPT = "insights.settled"


def consistency_of(store: Store, excused: Collection[date] | None = None) -> Consistency:
    """The weeks of the journal, from the week of its first logged meeting, each judged by the
    goal of that week; the windows and runs. The weekly totals are kept by the store, so this
    reads one row per week, not every meeting.

    The weeks that are over are kept with the store (:class:`Settled`), and the next call works
    out only the weeks from the earliest one changed since: the store's log of changed weeks
    (schema m008) says which, whichever window or command made the change (nothing is kept
    from inside a write that isn't committed yet). A different goal,
    goal change or first day starts again from the first week; a newly excused (or no longer
    excused) week, from that week. After logging a meeting this week, that is one week of
    work, not one for every week of the history.
    """
    kept: _Kept | None = store.kept.get(_KEPT)
    # Read the log before the weeks: a change made in between is then seen next time.
    changes = store.changes(kept.serial if kept is not None else 0)
    excused_weeks = frozenset(
        week_start(day) for day in (store.excused_week_starts() if excused is None else excused)
    )
    goal = store.weekly_goal
    goal_changes = tuple(store.goal_changes)
    started = store.first_meeting_date()
    today = store.today()
    settled: Settled | None = None
    if (
        kept is not None
        and changes.complete
        and (kept.goal, kept.goal_changes, kept.started) == (goal, goal_changes, started)
    ):
        settled = kept.settled
        excused_changed = min(kept.excused ^ excused_weeks, default=None)
        # today: a clock set back (in tests, or by hand) makes settled weeks current again.
        for changed in (changes.earliest, excused_changed, today):
            if changed is not None:
                settled = settled.before(week_start(changed))
    figures = consistency(
        store.meetings_by_week(since=settled.next_week if settled is not None else None),
        excused_weeks,
        goal=goal,
        today=today,
        started=started,
        goal_changes=goal_changes,
        settled=settled,
    )
    if not store.writing:  # what a write not yet committed shows may be rolled back
        store.kept[_KEPT] = _Kept(
            changes.serial, goal, goal_changes, started, excused_weeks, figures.settled()
        )
    return figures


def gather(store: Store, *, catalogue: Sequence[CatalogueEntry] | None = None) -> Insights:
    """Read the journal and work out consistency, the engagement check and the suggestions."""
    today = store.today()
    profile = store.profile
    thresholds = store.thresholds
    excused = store.excused_week_starts()
    figures = consistency_of(store, excused)
    last = store.last_attended()
    support = store.support_contacts(vocab.SUPPORT_ROLES)
    trend_groups = store.groups_attended_since(today - timedelta(days=TREND_DAYS))
    trends = fit_trends_of(
        # Only these groups, rated lately, can have a trend.
        store.fit_histories(trend_groups, rated_since=today - timedelta(days=TREND_DAYS)),
        recent_groups=trend_groups,
        today=today,
        recent_days=TREND_DAYS,
    )
    check = check_engagement(
        figures,
        today=today,
        last_meeting=last.date if last is not None else None,
        support=support,
        trends=trends,
        excused=excused,
        thresholds=thresholds,
    )
    groups = store.list_groups()
    recent = store.groups_attended_since(today - timedelta(days=CURRENT_DAYS))
    suggestions = rank_suggestions(
        load_catalogue() if catalogue is None else catalogue,
        profile=profile,
        groups=groups,
        rated=store.rated_groups(),
        feedback=store.suggestion_feedback(),
        today=today,
        slipping=check.drop,
        current=[g for g in groups if g.id in recent],
    )
    # The person you were most recently in touch with is the one to reach out to first.
    people = sorted(
        support, key=lambda p: (p.last_contact or date.min, p.alias.casefold()), reverse=True
    )
    advice = engagement_advice(
        signals=[signal.code for signal in check.signals],
        support_aliases=[p.alias for p in people],
        served_recently=bool(
            store.list_service(since=today - timedelta(days=SERVED_DAYS), limit=1)
        ),
        has_groups=bool(groups),
    )
    return Insights(today, profile, thresholds, figures, check, suggestions, advice)


def goal_met_phrase(c: Consistency) -> str:
    """ "Goal met in 3 of the last 4 weeks, 10 of the last 12 weeks and 40 of the last 52 weeks."

    A window that covers no more weeks than the one before it (a young journal) is left out, so
    a three-week-old journal reads "Goal met in 2 of 3 weeks so far."
    """
    windows = c.distinct_windows()
    if windows and windows[0].counted == 0:
        excused = windows[-1].excused
        return f"No weeks to count yet ({excused} excused)." if excused else ""
    phrases = [window.phrase for window in windows]
    if len(phrases) > 1:
        return "Goal met in " + ", ".join(phrases[:-1]) + f" and {phrases[-1]}."
    return f"Goal met in {phrases[0]}." if phrases else ""


def suggestion_json(suggestion: Suggestion, *, place: str = "") -> dict[str, Any]:
    entry = suggestion.entry
    return {
        "slug": entry.slug,
        "name": entry.name,
        "pillar": entry.pillar,
        "audience": entry.audience,
        "formats": list(entry.formats),
        "score": round(suggestion.score, 2),
        "reasons": [r.words for r in suggestion.reasons if r.weight > 0],
        "caveats": list(suggestion.caveats),
        "how_to_find": list(entry.how_to_find),
        "search_phrases": entry.search_phrases_for(place),
        "website": entry.website,
    }


def insights_json(insights: Insights, *, top: int = 3) -> dict[str, Any]:
    """The consistency figures, the drop flag with its reasons, and the top suggestions."""
    c = insights.consistency
    this_week = c.this_week
    return {
        "consistency": {
            "goal": c.goal,
            "strength_percent": c.percent,
            "weeks_met": {
                str(w.weeks): {"met": w.met, "counted": w.counted, "excused": w.excused}
                for w in c.windows
            },
            "current_run_weeks": c.runs.current,
            "best_run_weeks": c.runs.best,
            "this_week_excused": bool(this_week and this_week.excused),
        },
        "engagement": {
            "drop": insights.check.drop,
            "signals": [{"code": s.code, "words": s.words} for s in insights.check.signals],
            "advice": [{"key": a.key, "words": a.words} for a in insights.advice],
        },
        "suggestions": [suggestion_json(s) for s in insights.top(top)],
    }

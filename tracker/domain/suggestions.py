"""Groups to try next: catalogue entries you haven't tried, ranked for you, each with reasons.

Some entries are never suggested: those you have already tried (a group in the journal linked to
the entry, or with the entry's name, whatever its status), those you dismissed, those you snoozed
(until the day the snooze ends), and those offered in no format you said is fine for you.

Every other entry gets a score: the sum of the weights of its reasons. A reason with a positive
weight helps the entry up; a negative one (a caveat) holds it back. The reasons are:

- **Who it is for.** Someone supporting a loved one sees family support first: entries for
  families get ``SUPPORTER_FAMILY`` (+8), entries only for the person in recovery get
  ``SUPPORTER_RECOVERY_ONLY`` (-8). A person in recovery sees entries for families held back by
  ``RECOVERY_FAMILY_ONLY`` (-8). When the journal doesn't say who it is for, entries for families
  get ``UNKNOWN_FAMILY_ONLY`` (-1.5). Entries for both are neutral.
- **Approaches you prefer.** An entry with any approach you said you prefer gets ``PREFERRED``
  (+2), once, however many of them it has.
- **Barriers, as the guide advises.** For each barrier you named that the entry helps with: stigma
  or shame, an anonymous online option ``STIGMA_ONLINE`` (+2), another option that helps
  ``BARRIER`` (+1); transport, anything online ``TRANSPORT_ONLINE`` (+1.5), an in-person option
  that helps you get there ``BARRIER`` (+1); time, not knowing where to start, and fear of the
  unknown, ``BARRIER`` (+1) each.
- **What your fit ratings taught.** Each group you rated ``LEARNED_HIGH`` (3.5) or more, or
  ``LEARNED_LOW`` (2.5) or less, on average, counts for entries like it: sharing a preferred
  approach (12-step, secular, medication-friendly, faith-based, holistic) counts
  ``LEARNED_APPROACH_PER_POINT`` (1.5) for each point the average is above or below
  ``LEARNED_MIDPOINT`` (3); sharing only the format counts ``LEARNED_FORMAT_PER_POINT`` (0.5) per
  point. So SMART Recovery rated 4.6 lifts a secular entry by 2.4, and an NA group rated 2.1
  holds a 12-step entry back by 1.35. Only the ``LEARNED_REASONS`` (2) strongest of these count
  for one entry, and together they are scaled down, if needed, to at most ``LEARNED_CAP`` (3)
  either way.
- **Variety, when engagement has dropped.** An entry of a different kind from every group you
  go to now (another pillar, and no preferred approach in common) gets ``VARIETY`` (+2): the
  guide suggests trying a few different types.

Entries are listed from the highest score down; equal scores keep the catalogue's order. Scores
are compared to six decimal places, so sums that are equal on paper count as equal; they are
rounded only when shown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from tracker.domain.catalogue import CatalogueEntry
from tracker.domain.models import Group
from tracker.domain.profile import Profile
from tracker.domain.vocab import FORMATS, PREFERRED_APPROACHES, preferred_approaches_of

SNOOZE_DAYS = 14

# Who it is for.
SUPPORTER_FAMILY = 8.0
SUPPORTER_RECOVERY_ONLY = -8.0
RECOVERY_FAMILY_ONLY = -8.0
UNKNOWN_FAMILY_ONLY = -1.5

# Approaches the person said they prefer.
PREFERRED = 2.0

# Barriers.
STIGMA_ONLINE = 2.0
TRANSPORT_ONLINE = 1.5
BARRIER = 1.0

# What fit ratings taught.
LEARNED_HIGH = 3.5
LEARNED_LOW = 2.5
LEARNED_MIDPOINT = 3.0
LEARNED_APPROACH_PER_POINT = 1.5
LEARNED_FORMAT_PER_POINT = 0.5
LEARNED_REASONS = 2
LEARNED_CAP = 3.0

# Variety when engagement has dropped.
VARIETY = 2.0

# Scores are compared at this many decimal places.
_SCORE_PLACES = 6

NO_REASON_WORDS = "a different kind of support to explore"
VARIETY_WORDS = (
    "a different kind of group from the ones you go to now; "
    "the guide suggests trying a few different types"
)

DISMISSED = "dismissed"
SNOOZED = "snoozed"


@dataclass(frozen=True)
class Feedback:
    """What the person said about a suggestion: not for them ("dismissed"), or not now ("snoozed").

    A snooze hides the entry up to the day before ``until`` and shows it again on ``until``. A
    snooze without a day has nothing to wait for, so it hides nothing.
    """

    slug: str
    status: str
    until: date | None

    def hides(self, today: date) -> bool:
        if self.status == DISMISSED:
            return True
        if self.status == SNOOZED:
            return self.until is not None and today < self.until
        return False


@dataclass(frozen=True)
class RatedGroup:
    """A group the person rated, and its mean five-dimension fit average over its ratings (1-5)."""

    name: str
    pillar: str
    tags: tuple[str, ...]
    format: str
    average: float


@dataclass(frozen=True)
class Reason:
    """One reason behind a suggestion, in plain words. ``weight`` > 0 helps, < 0 holds it back."""

    words: str
    weight: float


@dataclass(frozen=True)
class Suggestion:
    """A catalogue entry worth trying, its score, and its reasons, strongest first."""

    entry: CatalogueEntry
    score: float
    reasons: tuple[Reason, ...]

    @property
    def why(self) -> str:
        """The reasons that help, joined with "; ", or a neutral phrase when there are none."""
        words = [reason.words for reason in self.reasons if reason.weight > 0]
        return "; ".join(words) if words else NO_REASON_WORDS

    @property
    def caveats(self) -> tuple[str, ...]:
        """The words of the reasons that hold it back."""
        return tuple(reason.words for reason in self.reasons if reason.weight < 0)


# --- Which entries are out -----------------------------------------------------------------------


def _same_name(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def tried_slugs(groups: Iterable[Group], catalogue: Sequence[CatalogueEntry]) -> set[str]:
    """Slugs of the entries the person has tried, whatever the group's status.

    An entry counts as tried when a group is linked to it by ``catalogue_slug``, or when a group
    has the entry's name, ignoring case and spaces around it.
    """
    slugs = {entry.slug for entry in catalogue}
    names = {entry.name.strip().casefold(): entry.slug for entry in catalogue}
    tried: set[str] = set()
    for group in groups:
        if group.catalogue_slug in slugs:
            tried.add(group.catalogue_slug)
        slug = names.get(group.name.strip().casefold())
        if slug is not None:
            tried.add(slug)
    return tried


def _format_ok(entry: CatalogueEntry, profile: Profile) -> bool:
    return any(profile.format_ok(fmt) for fmt in entry.formats)


# --- Words ---------------------------------------------------------------------------------------


def _preferred_words(code: str) -> str:
    """The label of a preferred approach as it reads mid-sentence: "secular / CBT"."""
    words = PREFERRED_APPROACHES.get(code, code).split(" (")[0]
    return words[:1].lower() + words[1:]


def _short_words(code: str) -> str:
    """The label of a preferred approach, short and lower-case: "secular", "holistic"."""
    words = PREFERRED_APPROACHES.get(code, code)
    return words.split(" (")[0].split(" / ")[0].lower()


def _format_words(code: str) -> str:
    return FORMATS.get(code, code).lower()


def _in_order(codes: Collection[str]) -> list[str]:
    """Preferred-approach codes in the vocabulary's order, so words never depend on set order."""
    return [code for code in PREFERRED_APPROACHES if code in codes]


# --- Reasons -------------------------------------------------------------------------------------


def _audience_reasons(entry: CatalogueEntry, profile: Profile) -> list[Reason]:
    if entry.audience == "both":
        return []
    if profile.supporting:
        if entry.audience == "family":
            return [Reason("for families and friends supporting someone", SUPPORTER_FAMILY)]
        return [Reason("meant for the person in recovery themselves", SUPPORTER_RECOVERY_ONLY)]
    if entry.audience == "family":
        weight = RECOVERY_FAMILY_ONLY if profile.journal_for == "me" else UNKNOWN_FAMILY_ONLY
        return [Reason("meant for families and friends of a person in recovery", weight)]
    return []


def _preferred_reasons(codes: frozenset[str], profile: Profile) -> list[Reason]:
    liked = _in_order(codes & set(profile.approaches))
    if not liked:
        return []
    words = " and ".join(_preferred_words(code) for code in liked)
    return [Reason(f"{words}, which you said you prefer", PREFERRED)]


def _barrier_reasons(entry: CatalogueEntry, profile: Profile) -> list[Reason]:
    online = "online" in entry.formats
    helps = set(entry.barriers)
    reasons: list[Reason] = []
    for barrier in profile.barriers:
        if barrier == "stigma" and "stigma" in helps:
            if online:
                reasons.append(
                    Reason(
                        "online and anonymous, which helps when stigma or shame holds you back",
                        STIGMA_ONLINE,
                    )
                )
            else:
                reasons.append(Reason("a welcoming place, free of judgement", BARRIER))
        elif barrier == "transport" and online:
            reasons.append(Reason("online, so no travel is needed", TRANSPORT_ONLINE))
        elif barrier == "transport" and "transport" in helps:
            reasons.append(Reason("they may be able to help you get there", BARRIER))
        elif barrier == "time" and "time" in helps:
            words = (
                "fits around your time: forums and groups you can join any time"
                if online
                else "fits around your time: meetings at many different times"
            )
            reasons.append(Reason(words, BARRIER))
        elif barrier == "where-to-start" and "where-to-start" in helps:
            reasons.append(
                Reason("an easy first step when you're not sure where to start", BARRIER)
            )
        elif barrier == "fear-of-unknown" and "fear-of-unknown" in helps:
            reasons.append(Reason("you can listen first, with no pressure to speak", BARRIER))
    return reasons


def _strongest_first(reasons: Iterable[Reason]) -> list[Reason]:
    return sorted(reasons, key=lambda reason: (-abs(reason.weight), reason.words))


@dataclass(frozen=True)
class _Kind:
    """The rated groups that teach alike: those with the same preferred approaches (``codes``)
    and ``format``, and an average of ``LEARNED_HIGH`` or more or ``LEARNED_LOW`` or less.

    For any one entry, the reasons they give all open with the same words ("secular", "in
    person") and have the same weight per point, so they come in the same order whatever the
    entry (two sentences with the same opening are in the order of what follows it), and only
    the strongest ``LEARNED_REASONS`` of them can ever be kept. Those are worked out once per
    ranking: as (weight, the words after the opening), strongest first, both for an entry that
    shares an approach (``by_approach``) and for one that shares only the format
    (``by_format``)."""

    codes: frozenset[str]
    format: str
    by_approach: tuple[tuple[float, str], ...]
    by_format: tuple[tuple[float, str], ...]


def _kinds(rated: Sequence[RatedGroup]) -> list[_Kind]:
    """The rated groups that teach something, as :class:`_Kind` s."""
    approaches: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
    alike: dict[tuple[frozenset[str], str], list[tuple[float, str]]] = {}
    for group in rated:
        if LEARNED_LOW < group.average < LEARNED_HIGH:
            continue
        key = (group.pillar, tuple(group.tags))
        if key not in approaches:
            approaches[key] = frozenset(preferred_approaches_of(group.pillar, group.tags))
        alike.setdefault((approaches[key], group.format), []).append(
            (
                group.average - LEARNED_MIDPOINT,
                f", like {group.name} which you rated {group.average:.1f}",
            )
        )

    def strongest(
        lessons: list[tuple[float, str]], per_point: float
    ) -> tuple[tuple[float, str], ...]:
        weighed = [(per_point * points, rest) for points, rest in lessons]
        weighed.sort(key=lambda lesson: (-abs(lesson[0]), lesson[1]))  # as _strongest_first
        return tuple(weighed[:LEARNED_REASONS])

    return [
        _Kind(
            codes,
            fmt,
            strongest(lessons, LEARNED_APPROACH_PER_POINT),
            strongest(lessons, LEARNED_FORMAT_PER_POINT),
        )
        for (codes, fmt), lessons in alike.items()
    ]


@cache
def _shared_words(shared: frozenset[str]) -> str:
    """The opening of a learned reason for the approaches an entry shares: "secular"."""
    return " and ".join(_short_words(code) for code in _in_order(shared))


def _learned_reasons(
    entry: CatalogueEntry, codes: frozenset[str], kinds: Sequence[_Kind]
) -> list[Reason]:
    found: list[Reason] = []
    for kind in kinds:
        shared = codes & kind.codes
        if shared:
            what = _shared_words(shared)
            lessons = kind.by_approach
        elif kind.format in entry.formats:
            what = _format_words(kind.format)
            lessons = kind.by_format
        else:
            continue
        found += [Reason(what + rest, weight) for weight, rest in lessons]
    kept = _strongest_first(found)[:LEARNED_REASONS]
    total = sum(reason.weight for reason in kept)
    if abs(total) > LEARNED_CAP:
        scale = LEARNED_CAP / abs(total)
        kept = [Reason(reason.words, reason.weight * scale) for reason in kept]
    return kept


def _is_different(
    codes: frozenset[str], entry: CatalogueEntry, current: Sequence[tuple[str, frozenset[str]]]
) -> bool:
    """``current`` holds the pillar and preferred approaches of each group attended lately."""
    return bool(current) and all(
        entry.pillar != pillar and not codes & approaches for pillar, approaches in current
    )


# --- Ranking -------------------------------------------------------------------------------------


def _suggestion(
    entry: CatalogueEntry,
    *,
    profile: Profile,
    kinds: Sequence[_Kind],
    slipping: bool,
    current: Sequence[tuple[str, frozenset[str]]],
) -> Suggestion:
    codes = frozenset(preferred_approaches_of(entry.pillar, entry.approaches))
    reasons = _audience_reasons(entry, profile)
    reasons += _preferred_reasons(codes, profile)
    reasons += _barrier_reasons(entry, profile)
    reasons += _learned_reasons(entry, codes, kinds)
    if slipping and _is_different(codes, entry, current):
        reasons.append(Reason(VARIETY_WORDS, VARIETY))
    ordered = tuple(_strongest_first(reasons))
    return Suggestion(entry, sum(reason.weight for reason in ordered), ordered)


def rank_suggestions(
    catalogue: Sequence[CatalogueEntry],
    *,
    profile: Profile,
    groups: Sequence[Group],
    rated: Sequence[RatedGroup],
    feedback: Mapping[str, Feedback],
    today: date,
    slipping: bool,
    current: Sequence[Group] = (),
) -> list[Suggestion]:
    """The entries worth suggesting, best first, each with its reasons (see the module docstring).

    ``groups`` is every group in the journal; ``rated`` what the fit ratings taught; ``feedback``
    the person's dismissals and snoozes by slug; ``slipping`` whether an engagement drop was
    noticed; ``current`` the groups attended recently, for variety.
    """
    tried = tried_slugs(groups, catalogue)
    # What the rated and the current groups teach is worked out once here, not for each entry:
    # a long journal has many rated groups, and every entry would go over all of them.
    kinds = _kinds(rated)
    now = [(g.pillar, frozenset(preferred_approaches_of(g.pillar, g.tags))) for g in current]
    suggestions = []
    for entry in catalogue:
        said = feedback.get(entry.slug)
        if entry.slug in tried or (said is not None and said.hides(today)):
            continue
        if not _format_ok(entry, profile):
            continue
        suggestions.append(
            _suggestion(entry, profile=profile, kinds=kinds, slipping=slipping, current=now)
        )
    return sorted(suggestions, key=lambda suggestion: -round(suggestion.score, _SCORE_PLACES))


# --- Engagement advice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """A small, kind next step from the guide's advice on staying engaged (not a group)."""

    key: str
    words: str


ONLINE_THIS_WEEK_WORDS = (
    "Try an online meeting this week: no travel, and you can listen with your camera off."
)
VOLUNTEER_WORDS = (
    "Offer a small service, like setting up chairs or greeting newcomers: "
    "it's a gentle way back in."
)
FIRST_STEP_WORDS = (
    "Pick one group from the suggestions to try first. You don't have to speak: just go and listen."
)
REACH_OUT_SOMEONE_WORDS = (
    "If someone's share speaks to you, ask them after a meeting if they'd like to chat."
)
ADVICE_MAX = 3


def engagement_advice(
    *,
    signals: Collection[str],
    support_aliases: Sequence[str],
    served_recently: bool,
    has_groups: bool,
) -> list[Advice]:
    """Up to three next steps, as the guide advises, for the engagement signals that fired.

    ``signals`` are codes such as "no-contact" or "missed-weeks"; ``support_aliases`` the aliases
    of the person's sponsor, mentor or coach, the one to reach out to first.

    - "first-step", first, when there are no groups yet: pick one from the suggestions.
    - "reach-out" when "no-contact" fired, or any signal fired and there is someone to call.
    - "online-this-week" when "no-meeting" or "missed-weeks" fired.
    - "volunteer" when any signal fired and there has been no service lately.

    Nothing when no signal fired and there are groups.
    """
    fired = set(signals)
    alias = next((name.strip() for name in support_aliases if name.strip()), None)
    advice: list[Advice] = []
    if not has_groups:
        advice.append(Advice("first-step", FIRST_STEP_WORDS))
    if "no-contact" in fired or (fired and alias is not None):
        words = (
            f"Reach out to {alias}: a short call or text counts."
            if alias is not None
            else REACH_OUT_SOMEONE_WORDS
        )
        advice.append(Advice("reach-out", words))
    if fired & {"no-meeting", "missed-weeks"}:
        advice.append(Advice("online-this-week", ONLINE_THIS_WEEK_WORDS))
    if fired and not served_recently:
        advice.append(Advice("volunteer", VOLUNTEER_WORDS))
    return advice[:ADVICE_MAX]

"""Suggestions: which untried catalogue entries come first, and why; and the engagement advice."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain import vocab
from tracker.domain.catalogue import CatalogueEntry, load_catalogue
from tracker.domain.models import Group
from tracker.domain.profile import Profile
from tracker.domain.suggestions import (
    LEARNED_APPROACH_PER_POINT,
    LEARNED_CAP,
    LEARNED_FORMAT_PER_POINT,
    LEARNED_HIGH,
    LEARNED_LOW,
    LEARNED_MIDPOINT,
    LEARNED_REASONS,
    SNOOZE_DAYS,
    Advice,
    Feedback,
    RatedGroup,
    Reason,
    Suggestion,
    engagement_advice,
    rank_suggestions,
    tried_slugs,
)

TODAY = date(2026, 11, 26)  # a Thursday
CATALOGUE = load_catalogue()
SLUGS = [entry.slug for entry in CATALOGUE]
BY_SLUG = {entry.slug: entry for entry in CATALOGUE}
ME = Profile(journal_for="me")
LOVED_ONE = Profile(journal_for="loved-one")


def group(
    name: str,
    *,
    pillar: str = "peer",
    tags: tuple[str, ...] = (),
    format: str = "in-person",
    status: str = "trying",
    slug: str | None = None,
    id: int = 1,
) -> Group:
    return Group(
        name=name,
        pillar=pillar,
        tags=tags,
        format=format,
        status=status,
        catalogue_slug=slug,
        id=id,
        uuid=f"uuid-{id}",
        created_at="2026-01-01T00:00:00",
        updated_at="2026-01-01T00:00:00",
    )


def entry(
    slug: str,
    *,
    pillar: str = "peer",
    approaches: tuple[str, ...] = (),
    audience: str = "recovery",
    formats: tuple[str, ...] = ("in-person",),
    barriers: tuple[str, ...] = (),
) -> CatalogueEntry:
    return CatalogueEntry(
        slug=slug,
        name=slug.replace("-", " ").title(),
        pillar=pillar,
        approaches=approaches,
        audience=audience,
        formats=formats,
        description="A test entry.",
        how_to_find=(),
        search_phrases=(),
        barriers=barriers,
        website=None,
    )


def rank(
    catalogue: list[CatalogueEntry] = CATALOGUE,
    *,
    profile: Profile = ME,
    groups: list[Group] | None = None,
    rated: list[RatedGroup] | None = None,
    feedback: dict[str, Feedback] | None = None,
    today: date = TODAY,
    slipping: bool = False,
    current: list[Group] | None = None,
) -> list[Suggestion]:
    return rank_suggestions(
        catalogue,
        profile=profile,
        groups=groups or [],
        rated=rated or [],
        feedback=feedback or {},
        today=today,
        slipping=slipping,
        current=current or [],
    )


def slugs_of(suggestions: list[Suggestion]) -> list[str]:
    return [suggestion.entry.slug for suggestion in suggestions]


def words_of(suggestion: Suggestion) -> list[str]:
    return [reason.words for reason in suggestion.reasons]


def by_slug(suggestions: list[Suggestion]) -> dict[str, Suggestion]:
    return {suggestion.entry.slug: suggestion for suggestion in suggestions}


# --- Who it is for -------------------------------------------------------------------------------


def test_someone_supporting_a_loved_one_sees_family_support_first() -> None:
    ranked = rank(profile=LOVED_ONE)
    family = [e.slug for e in CATALOGUE if e.audience == "family"]
    both = [e.slug for e in CATALOGUE if e.audience == "both"]
    recovery = [e.slug for e in CATALOGUE if e.audience == "recovery"]
    assert family and both and recovery
    # Nothing else sets them apart, so each audience keeps the catalogue's order.
    assert slugs_of(ranked) == family + both + recovery
    first = ranked[0]
    assert first.why == "for families and friends supporting someone"
    last = ranked[-1]
    assert last.caveats == ("meant for the person in recovery themselves",)
    assert ranked[len(family)].reasons == ()  # "both" is neutral


def test_family_support_stays_first_for_a_supporter_whatever_else_helps_recovery_entries() -> None:
    profile = Profile(
        journal_for="loved-one",
        approaches=("medication-friendly",),
        barriers=("stigma", "transport", "time", "fear-of-unknown"),
    )
    ranked = rank(
        profile=profile, slipping=True, current=[group("Nar-Anon Tuesday", pillar="family")]
    )
    audiences = [suggestion.entry.audience for suggestion in ranked]
    first_recovery = audiences.index("recovery")
    assert "family" not in audiences[first_recovery:]


def test_a_person_in_recovery_sees_family_entries_last_with_a_caveat() -> None:
    ranked = rank(profile=ME)
    family = {e.slug for e in CATALOGUE if e.audience == "family"}
    assert set(slugs_of(ranked)[-len(family) :]) == family
    caveat = "meant for families and friends of a person in recovery"
    assert all(by_slug(ranked)[slug].caveats == (caveat,) for slug in family)


def test_when_the_journal_does_not_say_who_it_is_for_family_entries_go_a_little_down() -> None:
    unknown = by_slug(rank(profile=Profile(barriers=("stigma",))))
    me = by_slug(rank(profile=Profile(journal_for="me", barriers=("stigma",))))
    forums = "online-family-forums"  # for families, online, helps with stigma
    neutral = "narcotics-anonymous"  # no reason either way
    assert unknown[neutral].score == 0
    # A little down: the stigma help still lifts it above a neutral entry...
    assert unknown[forums].score > unknown[neutral].score
    # ...while for a person in recovery it goes below.
    assert me[forums].score < me[neutral].score
    assert unknown[forums].caveats == me[forums].caveats != ()


# --- Preferred approaches ------------------------------------------------------------------------


def test_preferred_approach_moves_entries_up_with_its_reason() -> None:
    ranked = rank(profile=Profile(journal_for="me", approaches=("medication-friendly",)))
    expected = [
        e.slug
        for e in CATALOGUE
        if "medication-friendly" in e.approaches and e.audience != "family"
    ]
    assert expected == ["mara", "reddit-suboxone", "reddit-methadone"]
    assert slugs_of(ranked)[:3] == expected
    assert ranked[0].why == "medication-assisted friendly, which you said you prefer"


def test_holistic_preference_counts_for_the_holistic_pillar() -> None:
    ranked = rank(profile=Profile(journal_for="me", approaches=("secular", "holistic")))
    holistic = [e.slug for e in CATALOGUE if e.pillar == "holistic" and e.audience != "family"]
    top = slugs_of(ranked)[: len(holistic) + 2]
    assert set(holistic) <= set(top)
    assert {"smart-recovery", "smart-recovery-online"} <= set(top)
    reasons = by_slug(ranked)
    assert reasons["sober-hiking"].why == "holistic, which you said you prefer"
    assert reasons["smart-recovery"].why == "secular / CBT, which you said you prefer"


# --- Barriers ------------------------------------------------------------------------------------


def test_stigma_puts_anonymous_online_options_first() -> None:
    ranked = rank(profile=Profile(journal_for="me", barriers=("stigma",)))
    online_stigma = [
        e.slug
        for e in CATALOGUE
        if "stigma" in e.barriers and "online" in e.formats and e.audience != "family"
    ]
    assert len(online_stigma) >= 5
    assert slugs_of(ranked)[: len(online_stigma)] == online_stigma
    assert ranked[0].why == (
        "online and anonymous, which helps when stigma or shame holds you back"
    )


def test_online_and_stigma_gets_the_biggest_barrier_bonus() -> None:
    catalogue = [
        entry("in-person-stigma", barriers=("stigma",)),
        entry("online-other", formats=("online",), barriers=("time",)),
        entry("online-stigma", formats=("online",), barriers=("stigma",)),
    ]
    profile = Profile(journal_for="me", barriers=("stigma", "time"))
    ranked = rank(catalogue, profile=profile)
    assert slugs_of(ranked) == ["online-stigma", "in-person-stigma", "online-other"]
    assert ranked[0].reasons[0].weight > ranked[1].reasons[0].weight


def test_transport_puts_online_options_first() -> None:
    ranked = rank(profile=Profile(journal_for="me", barriers=("transport",)))
    online = [e.slug for e in CATALOGUE if "online" in e.formats and e.audience != "family"]
    assert slugs_of(ranked)[: len(online)] == online
    assert all(s.why == "online, so no travel is needed" for s in ranked[: len(online)])
    # An in-person option that helps with transport comes next.
    after = ranked[len(online)]
    assert after.entry.slug == "treatment-centre-referral"
    assert after.why == "they may be able to help you get there"


@pytest.mark.parametrize(
    ("barrier", "slug", "words"),
    [
        (
            "time",
            "reddit-addiction",
            "fits around your time: forums and groups you can join any time",
        ),
        ("time", "narcotics-anonymous", "fits around your time: meetings at many different times"),
        (
            "where-to-start",
            "doctor-referral",
            "an easy first step when you're not sure where to start",
        ),
        ("fear-of-unknown", "smart-recovery", "you can listen first, with no pressure to speak"),
    ],
)
def test_each_barrier_helped_gives_its_reason(barrier: str, slug: str, words: str) -> None:
    ranked = by_slug(rank(profile=Profile(journal_for="me", barriers=(barrier,))))
    assert ranked[slug].why == words
    unhelped = [e.slug for e in CATALOGUE if barrier not in e.barriers and e.audience == "both"]
    assert unhelped
    assert all(ranked[other].reasons == () for other in unhelped)


# --- What fit ratings taught ---------------------------------------------------------------------


def test_a_well_rated_secular_group_lifts_secular_entries() -> None:
    smart = group("SMART Recovery", tags=("secular", "peer-led"), slug="smart-recovery")
    rated = [RatedGroup("SMART Recovery", "peer", ("secular", "peer-led"), "in-person", 4.6)]
    ranked = rank(groups=[smart], rated=rated)
    assert "smart-recovery" not in slugs_of(ranked)  # already tried
    assert ranked[0].entry.slug == "smart-recovery-online"
    assert ranked[0].why == "secular, like SMART Recovery which you rated 4.6"
    # The in-person format is shared too, a smaller lesson, for entries without a shared approach.
    second = ranked[1]
    assert "in-person" in second.entry.formats
    assert second.why == "in person, like SMART Recovery which you rated 4.6"
    assert 0 < second.score < ranked[0].score


def test_a_better_rating_lifts_more() -> None:
    catalogue = [entry("secular-online", approaches=("secular",), formats=("online",))]

    def score(average: float) -> float:
        rated = [RatedGroup("SMART", "peer", ("secular",), "in-person", average)]
        return rank(catalogue, rated=rated)[0].score

    assert 0 < score(3.5) < score(4.0) < score(4.6) < score(5.0)
    assert score(3.4) == score(3.0) == score(2.6) == 0


def test_a_low_rated_12_step_group_holds_12_step_entries_back() -> None:
    rated = [RatedGroup("Thursday NA", "peer", ("12-step",), "in-person", 2.1)]
    ranked = rank(groups=[group("Thursday NA", tags=("12-step",))], rated=rated)
    not_family = [s for s in ranked if s.entry.audience != "family"]
    twelve_step = [
        e.slug for e in CATALOGUE if "12-step" in e.approaches and e.audience != "family"
    ]
    assert set(slugs_of(not_family)[-len(twelve_step) :]) == set(twelve_step)
    na = by_slug(ranked)["online-na-meetings"]
    assert na.caveats == ("12-step, like Thursday NA which you rated 2.1",)
    assert na.why == "a different kind of support to explore"
    assert na.score < 0


def test_the_learned_effect_is_capped() -> None:
    catalogue = [entry("secular-online", approaches=("secular",), formats=("online",))]
    rated = [
        RatedGroup(f"SMART {n}", "peer", ("secular",), "in-person", 5.0) for n in ("A", "B", "C")
    ]
    (suggestion,) = rank(catalogue, rated=rated)
    assert len(suggestion.reasons) == LEARNED_REASONS
    assert suggestion.score == pytest.approx(LEARNED_CAP)
    assert suggestion.why.startswith("secular, like SMART A which you rated 5.0; ")


def test_group_names_are_kept_as_plain_text() -> None:
    catalogue = [entry("secular-online", approaches=("secular",), formats=("online",))]
    name = "[b]Tue[/b] SMART & co"
    (suggestion,) = rank(catalogue, rated=[RatedGroup(name, "peer", ("secular",), "online", 4.0)])
    assert suggestion.why == f"secular, like {name} which you rated 4.0"


# --- Variety -------------------------------------------------------------------------------------

VARIETY_CATALOGUE = [
    entry("another-12-step", approaches=("12-step",)),
    entry("secular-peer", approaches=("secular",)),
    entry("online-12-step", pillar="online", approaches=("12-step",), formats=("online",)),
    entry("mindful", pillar="holistic", approaches=("mindfulness",)),
    entry("online-forum", pillar="online", formats=("online",)),
]


def test_variety_lifts_a_different_kind_of_group_when_slipping() -> None:
    current = [group("NA Downtown", tags=("12-step",))]
    ranked = rank(VARIETY_CATALOGUE, slipping=True, current=current)
    assert slugs_of(ranked) == [
        "mindful",
        "online-forum",
        "another-12-step",
        "secular-peer",
        "online-12-step",
    ]
    assert ranked[0].why.startswith("a different kind of group from the ones you go to now")
    assert "the guide suggests trying a few different types" in ranked[0].why


def test_no_variety_lift_without_a_drop_or_without_current_groups() -> None:
    current = [group("NA Downtown", tags=("12-step",))]
    calm = rank(VARIETY_CATALOGUE, slipping=False, current=current)
    nothing_current = rank(VARIETY_CATALOGUE, slipping=True, current=[])
    order = [e.slug for e in VARIETY_CATALOGUE]
    assert slugs_of(calm) == slugs_of(nothing_current) == order
    assert all(s.reasons == () for s in calm + nothing_current)


# --- Formats -------------------------------------------------------------------------------------


def test_format_restriction_excludes_entries_in_no_accepted_format() -> None:
    ranked = rank(profile=Profile(journal_for="me", formats=("online",)))
    assert set(slugs_of(ranked)) == {e.slug for e in CATALOGUE if "online" in e.formats}
    assert "narcotics-anonymous" not in slugs_of(ranked)
    assert "mara" in slugs_of(ranked)  # in person or online


def test_no_format_restriction_keeps_everything() -> None:
    assert sorted(slugs_of(rank(profile=Profile()))) == sorted(SLUGS)


# --- Tried, dismissed, snoozed -------------------------------------------------------------------


def test_tried_by_slug_and_by_name_in_any_status() -> None:
    groups = [
        group("My Tuesday group", slug="mara", status="not-for-me", id=1),
        group("  smart RECOVERY ", status="paused", id=2),
        group("Something of my own", slug="not-in-the-catalogue", id=3),
    ]
    assert tried_slugs(groups, CATALOGUE) == {"mara", "smart-recovery"}
    ranked = slugs_of(rank(groups=groups))
    assert "mara" not in ranked
    assert "smart-recovery" not in ranked
    assert len(ranked) == len(CATALOGUE) - 2


@settings(max_examples=60)
@given(
    tried=st.lists(st.sampled_from(range(len(CATALOGUE))), unique=True, max_size=10),
    by_name=st.lists(st.booleans(), min_size=10, max_size=10),
    upper=st.booleans(),
    pad=st.sampled_from(["", " ", "  \t"]),
    status=st.sampled_from(list(vocab.STATUSES)),
)
def test_entries_already_tried_never_appear(
    tried: list[int], by_name: list[bool], upper: bool, pad: str, status: str
) -> None:
    groups = []
    for n, index in enumerate(tried):
        found = CATALOGUE[index]
        if by_name[n]:
            name = found.name.upper() if upper else found.name.lower()
            groups.append(group(f"{pad}{name}{pad}", status=status, id=n + 1))
        else:
            groups.append(group(f"My group {n}", slug=found.slug, status=status, id=n + 1))
    expected = {CATALOGUE[index].slug for index in tried}
    assert tried_slugs(groups, CATALOGUE) == expected
    shown = set(slugs_of(rank(profile=Profile(), groups=groups)))
    assert shown == set(SLUGS) - expected


profiles = st.builds(
    Profile,
    journal_for=st.sampled_from([None, "me", "loved-one"]),
    approaches=st.lists(st.sampled_from(list(vocab.PREFERRED_APPROACHES)), unique=True).map(tuple),
    formats=st.lists(st.sampled_from(list(vocab.FORMATS)), unique=True).map(tuple),
    barriers=st.lists(st.sampled_from(list(vocab.BARRIERS)), unique=True).map(tuple),
)

rated_groups = st.builds(
    RatedGroup,
    name=st.sampled_from(["NA Downtown", "SMART Online", "Yoga", "MARA Tue", "Nar-Anon"]),
    pillar=st.sampled_from(list(vocab.PILLARS)),
    tags=st.lists(st.sampled_from(list(vocab.APPROACH_TAGS)), unique=True, max_size=3).map(tuple),
    format=st.sampled_from(list(vocab.FORMATS)),
    average=st.floats(min_value=1, max_value=5),
)


@settings(max_examples=80)
@given(dismissed=st.sets(st.sampled_from(SLUGS)), profile=profiles, slipping=st.booleans())
def test_dismissed_entries_never_return(
    dismissed: set[str], profile: Profile, slipping: bool
) -> None:
    feedback = {slug: Feedback(slug, "dismissed", None) for slug in dismissed}
    current = [group("NA Downtown", tags=("12-step",))]
    for day in (TODAY, TODAY + timedelta(days=SNOOZE_DAYS), TODAY + timedelta(days=3650)):
        ranked = rank(
            profile=profile, feedback=feedback, today=day, slipping=slipping, current=current
        )
        assert not dismissed & set(slugs_of(ranked))


@settings(max_examples=60)
@given(
    snoozed=st.sets(st.sampled_from(SLUGS), min_size=1),
    days_before=st.integers(min_value=0, max_value=SNOOZE_DAYS),
)
def test_snoozed_entries_return_on_their_day(snoozed: set[str], days_before: int) -> None:
    until = TODAY + timedelta(days=SNOOZE_DAYS)
    feedback = {slug: Feedback(slug, "snoozed", until) for slug in snoozed}
    day = until - timedelta(days=days_before)
    shown = set(slugs_of(rank(profile=Profile(), feedback=feedback, today=day)))
    if days_before == 0:
        assert snoozed <= shown
    else:
        assert not snoozed & shown
    assert shown - snoozed == set(SLUGS) - snoozed


def test_feedback_hides() -> None:
    until = date(2026, 12, 10)
    snoozed = Feedback("mara", "snoozed", until)
    assert snoozed.hides(until - timedelta(days=1))
    assert not snoozed.hides(until)
    assert not snoozed.hides(until + timedelta(days=1))
    assert Feedback("mara", "dismissed", None).hides(TODAY)
    assert Feedback("mara", "dismissed", date(2000, 1, 1)).hides(TODAY)
    assert not Feedback("mara", "snoozed", None).hides(TODAY)


# --- Order independence and the score ------------------------------------------------------------

history = [
    group("NA Downtown", tags=("12-step",), id=1),
    group("smart recovery online", pillar="online", format="online", id=2),
    group("Tuesday yoga", pillar="holistic", tags=("mindfulness",), slug="recovery-yoga", id=3),
    group("Church group", tags=("faith-based",), status="not-for-me", id=4),
]


@settings(max_examples=60)
@given(
    groups=st.permutations(history),
    rated=st.lists(rated_groups, max_size=6).flatmap(st.permutations),
    feedback_items=st.lists(
        st.tuples(st.sampled_from(SLUGS), st.sampled_from(["dismissed", "snoozed"])),
        unique_by=lambda item: item[0],
        max_size=6,
    ).flatmap(st.permutations),
    profile=profiles,
    slipping=st.booleans(),
)
def test_ranking_does_not_depend_on_input_order(
    groups: list[Group],
    rated: list[RatedGroup],
    feedback_items: list[tuple[str, str]],
    profile: Profile,
    slipping: bool,
) -> None:
    until = TODAY + timedelta(days=3)
    feedback = {slug: Feedback(slug, status, until) for slug, status in feedback_items}
    current = groups[:2]
    ranked = rank(
        profile=profile,
        groups=groups,
        rated=rated,
        feedback=feedback,
        slipping=slipping,
        current=current,
    )
    again = rank(
        profile=profile,
        groups=list(reversed(groups)),
        rated=sorted(rated, key=lambda r: (r.name, r.average, r.pillar, r.tags, r.format)),
        feedback=dict(sorted(feedback.items(), reverse=True)),
        slipping=slipping,
        current=list(reversed(current)),
    )
    assert ranked == again


@settings(max_examples=60)
@given(profile=profiles, rated=st.lists(rated_groups, max_size=6), slipping=st.booleans())
def test_scores_add_up_and_reasons_come_strongest_first(
    profile: Profile, rated: list[RatedGroup], slipping: bool
) -> None:
    ranked = rank(profile=profile, rated=rated, slipping=slipping, current=history[:1])
    scores = [suggestion.score for suggestion in ranked]
    assert all(a >= b - 1e-6 for a, b in itertools.pairwise(scores))
    for suggestion in ranked:
        weights = [reason.weight for reason in suggestion.reasons]
        assert suggestion.score == pytest.approx(sum(weights))
        assert [abs(w) for w in weights] == sorted((abs(w) for w in weights), reverse=True)
        assert all(w != 0 for w in weights)
        learned = [r.weight for r in suggestion.reasons if ", like " in r.words]
        assert len(learned) <= LEARNED_REASONS
        assert abs(sum(learned)) <= LEARNED_CAP + 1e-9


def reference_learned_reasons(entry: CatalogueEntry, rated: list[RatedGroup]) -> list[Reason]:
    """The learned reasons as they were worked out before issue 8: every rated group for every
    entry, each reason made, all sorted, the strongest kept and scaled."""
    codes = vocab.preferred_approaches_of(entry.pillar, entry.approaches)
    found: list[Reason] = []
    for rated_group in rated:
        if LEARNED_LOW < rated_group.average < LEARNED_HIGH:
            continue
        points = rated_group.average - LEARNED_MIDPOINT
        approaches = vocab.preferred_approaches_of(rated_group.pillar, rated_group.tags)
        shared = [code for code in vocab.PREFERRED_APPROACHES if code in codes & approaches]
        if shared:
            what = " and ".join(
                vocab.PREFERRED_APPROACHES[code].split(" (")[0].split(" / ")[0].lower()
                for code in shared
            )
            weight = LEARNED_APPROACH_PER_POINT * points
        elif rated_group.format in entry.formats:
            what = vocab.FORMATS[rated_group.format].lower()
            weight = LEARNED_FORMAT_PER_POINT * points
        else:
            continue
        words = f"{what}, like {rated_group.name} which you rated {rated_group.average:.1f}"
        found.append(Reason(words, weight))
    kept = sorted(found, key=lambda reason: (-abs(reason.weight), reason.words))[:LEARNED_REASONS]
    total = sum(reason.weight for reason in kept)
    if abs(total) > LEARNED_CAP:
        scale = LEARNED_CAP / abs(total)
        kept = [Reason(r.words, r.weight * scale) for r in kept]
    return kept


# Many rated groups, with names and averages that repeat, so that several teach alike and tie.
many_rated_groups = st.builds(
    RatedGroup,
    name=st.sampled_from(["NA Downtown", "SMART Online", "Yoga", "MARA Tue", "Nar-Anon", "b"]),
    pillar=st.sampled_from(list(vocab.PILLARS)),
    tags=st.lists(st.sampled_from(list(vocab.APPROACH_TAGS)), unique=True, max_size=3).map(tuple),
    format=st.sampled_from(list(vocab.FORMATS)),
    average=st.sampled_from([1.0, 1.8, 2.5, 2.6, 3.0, 3.4, 3.5, 3.65, 4.0, 4.6, 5.0])
    | st.floats(min_value=1, max_value=5),
)


@settings(max_examples=150, deadline=None)
@given(
    # Every format is fine, so that every entry not tried is ranked.
    profile=profiles.map(lambda p: dataclasses.replace(p, formats=())),
    rated=st.lists(many_rated_groups, max_size=40),
    slipping=st.booleans(),
)
def test_learned_reasons_are_the_straightforward_ones(
    profile: Profile, rated: list[RatedGroup], slipping: bool
) -> None:
    """rank_suggestions works out what the rated groups teach once per ranking, not once per
    entry and group: the reasons are the same as going over every group for every entry."""
    ranked = rank(profile=profile, rated=rated, slipping=slipping, current=history[:2])
    assert len(ranked) == len(CATALOGUE)
    for suggestion in ranked:
        learned = [r for r in suggestion.reasons if ", like " in r.words]
        expected = reference_learned_reasons(suggestion.entry, rated)
        assert sorted(learned, key=lambda r: (r.words, r.weight)) == sorted(
            expected, key=lambda r: (r.words, r.weight)
        )
        others = [r for r in suggestion.reasons if ", like " not in r.words]
        assert suggestion.score == sum(
            r.weight for r in sorted([*others, *expected], key=lambda r: (-abs(r.weight), r.words))
        )


def test_equal_scores_keep_catalogue_order() -> None:
    catalogue = [entry(f"entry-{n}") for n in (3, 1, 2)]
    assert slugs_of(rank(catalogue)) == ["entry-3", "entry-1", "entry-2"]


def test_why_and_caveats() -> None:
    suggestion = Suggestion(
        CATALOGUE[0],
        1.0,
        (Reason("online, so no travel is needed", 1.5), Reason("meant for families", -0.5)),
    )
    assert suggestion.why == "online, so no travel is needed"
    assert suggestion.caveats == ("meant for families",)
    only_caveat = dataclasses.replace(suggestion, reasons=(Reason("meant for families", -1),))
    assert only_caveat.why == "a different kind of support to explore"
    assert dataclasses.replace(suggestion, reasons=()).caveats == ()


# --- Engagement advice ---------------------------------------------------------------------------


def keys(advice: list[Advice]) -> list[str]:
    return [item.key for item in advice]


def test_no_signals_and_groups_means_no_advice() -> None:
    assert (
        engagement_advice(
            signals=set(), support_aliases=["Sam"], served_recently=False, has_groups=True
        )
        == []
    )


def test_no_contact_names_the_first_support_person() -> None:
    advice = engagement_advice(
        signals={"no-contact"}, support_aliases=["Sam", "Jo"], served_recently=True, has_groups=True
    )
    assert advice == [Advice("reach-out", "Reach out to Sam: a short call or text counts.")]


def test_no_contact_without_anyone_named_still_suggests_reaching_out() -> None:
    advice = engagement_advice(
        signals={"no-contact"}, support_aliases=[], served_recently=True, has_groups=True
    )
    assert keys(advice) == ["reach-out"]
    assert "Reach out to" not in advice[0].words


def test_any_signal_with_support_people_suggests_reaching_out() -> None:
    advice = engagement_advice(
        signals={"fit-falling"}, support_aliases=["Jo"], served_recently=True, has_groups=True
    )
    assert keys(advice) == ["reach-out"]
    assert "Jo" in advice[0].words
    alone = engagement_advice(
        signals={"fit-falling"}, support_aliases=[], served_recently=True, has_groups=True
    )
    assert alone == []


@pytest.mark.parametrize("signal", ["no-meeting", "missed-weeks"])
def test_missed_meetings_suggest_an_online_meeting(signal: str) -> None:
    advice = engagement_advice(
        signals=[signal], support_aliases=[], served_recently=True, has_groups=True
    )
    assert advice == [
        Advice(
            "online-this-week",
            "Try an online meeting this week: no travel, and you can listen with your camera off.",
        )
    ]


def test_a_drop_without_recent_service_suggests_a_small_service() -> None:
    advice = engagement_advice(
        signals={"strength"}, support_aliases=[], served_recently=False, has_groups=True
    )
    assert keys(advice) == ["volunteer"]
    assert "setting up chairs" in advice[0].words
    served = engagement_advice(
        signals={"strength"}, support_aliases=[], served_recently=True, has_groups=True
    )
    assert served == []


def test_no_groups_yet_suggests_a_first_step_even_without_signals() -> None:
    advice = engagement_advice(
        signals=(), support_aliases=[], served_recently=False, has_groups=False
    )
    assert keys(advice) == ["first-step"]
    assert "suggestions" in advice[0].words


def test_at_most_three_pieces_of_advice_in_order() -> None:
    everything = engagement_advice(
        signals={"strength", "missed-weeks", "no-meeting", "no-contact", "fit-falling"},
        support_aliases=["Sam"],
        served_recently=False,
        has_groups=False,
    )
    assert keys(everything) == ["first-step", "reach-out", "online-this-week"]
    with_groups = engagement_advice(
        signals={"missed-weeks", "no-contact"},
        support_aliases=["Sam"],
        served_recently=False,
        has_groups=True,
    )
    assert keys(with_groups) == ["reach-out", "online-this-week", "volunteer"]


SCOLDING = ("failed", "failure", "broke", "streak", "addict", "clean", "dirty", "should have")


@settings(max_examples=40)
@given(profile=profiles, rated=st.lists(rated_groups, max_size=4), slipping=st.booleans())
def test_reasons_are_kind(profile: Profile, rated: list[RatedGroup], slipping: bool) -> None:
    ranked = rank(profile=profile, rated=rated, slipping=slipping, current=history[:1])
    advice = engagement_advice(
        signals={"strength", "missed-weeks", "no-contact"},
        support_aliases=[],
        served_recently=False,
        has_groups=False,
    )
    texts = [r.words for s in ranked for r in s.reasons] + [a.words for a in advice]
    texts += [s.why for s in ranked]
    for text in texts:
        lowered = text.lower()
        assert not any(word in lowered for word in SCOLDING), text

"""The starter catalogue: the shipped file, its validation, loading errors and search."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tracker.domain import catalogue as catalogue_module
from tracker.domain.catalogue import (
    CatalogueEntry,
    CatalogueError,
    catalogue_path,
    get_entry,
    load_catalogue,
    search_catalogue,
    validate_catalogue_data,
)
from tracker.domain.vocab import AUDIENCES, BARRIERS, PILLARS
from tracker.errors import InvalidField, TrackerError

ROOT = Path(__file__).resolve().parents[1]

# Every group type and resource the guide names, by slug.
NAMED_IN_GUIDE = {
    # Peer support and local community resources
    "narcotics-anonymous",
    "smart-recovery",
    "mara",
    "recovery-community-organisation",
    "community-boards",
    "public-health-department",
    "word-of-mouth",
    "doctor-referral",
    "treatment-centre-referral",
    # Online
    "oud-recovery-forums",
    "facebook-recovery-groups",
    "reddit-opiatesrecovery",
    "reddit-suboxone",
    "reddit-methadone",
    "reddit-addiction",
    "online-na-meetings",
    "online-aa-meetings",
    "smart-recovery-online",
    "telehealth-support-groups",
    # Family
    "nar-anon",
    "al-anon",
    "smart-recovery-family-friends",
    "craft",
    "family-therapy-education",
    "alumni-family-groups",
    "online-family-forums",
    "naloxone-webinars-for-families",
    # Professional
    "aftercare-programmes",
    "peer-recovery-coach",
    "therapist-referral",
    "treatment-centre-alumni",
    # Holistic
    "mindfulness-meditation-groups",
    "recovery-yoga",
    "sober-hiking",
    "recovery-running-club",
    "sober-fitness-groups",
    "recovery-sports-leagues",
    "art-for-recovery",
    "faith-based-recovery",
}

ALLOWED_WEBSITES = {
    "https://na.org",
    "https://smartrecovery.org",
    "https://www.mara-international.org",
    "https://www.nar-anon.org",
    "https://al-anon.org",
    "https://www.aa.org",
}
REDDIT = re.compile(r"^https://www\.reddit\.com/r/(opiatesrecovery|suboxone|methadone|addiction)$")

# A run of digits with the usual phone separators; a phone number has seven digits or more.
DIGIT_RUN = re.compile(r"\+?\(?\d[\d\s().-]*\d")
STIGMA = re.compile(r"\b(addicts?|clean|dirty)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return json.loads(catalogue_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries() -> list[CatalogueEntry]:
    return load_catalogue()


def texts_of(entry: CatalogueEntry) -> list[str]:
    return [
        entry.slug,
        entry.name,
        entry.description,
        *entry.how_to_find,
        *entry.search_phrases,
        entry.website or "",
    ]


def minimal_entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "slug": "test-group",
        "name": "Test group",
        "pillar": "peer",
        "approaches": ["peer-led"],
        "audience": "recovery",
        "formats": ["in-person"],
        "description": "A group for testing.",
        "how_to_find": ["Ask around."],
        "search_phrases": ["test group {place}"],
        "barriers": ["time"],
        "website": None,
    }
    entry.update(changes)
    return entry


def catalogue_of(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "source": "A test.", "entries": list(entries)}


# The shipped file


def test_shipped_catalogue_validates_and_loads(
    data: dict[str, Any], entries: list[CatalogueEntry]
) -> None:
    assert validate_catalogue_data(data) == []
    assert [entry.slug for entry in entries] == [raw["slug"] for raw in data["entries"]]
    nar_anon = get_entry(entries, "nar-anon")
    assert nar_anon is not None
    assert nar_anon.pillar == "family"
    assert nar_anon.audience == "family"
    assert isinstance(nar_anon.formats, tuple)
    assert nar_anon.website == "https://www.nar-anon.org"


def test_source_names_the_guide(data: dict[str, Any]) -> None:
    assert (
        "Reclaiming Connection: Your Definitive Guide to Finding OUD Community Support"
        in (data["source"])
    )


def test_in_a_checkout_the_catalogue_is_the_repository_root_file() -> None:
    assert catalogue_path() == ROOT / "starter_catalogue.json"


def test_an_installed_copy_inside_the_package_is_preferred(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packaged = tmp_path / "starter_catalogue.json"
    packaged.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "PACKAGE_DIR", tmp_path)
    assert catalogue_path() == packaged


def test_the_package_folder_is_the_one_importlib_names() -> None:
    from importlib import resources

    assert Path(str(resources.files("tracker"))).resolve() == catalogue_module.PACKAGE_DIR


def test_slugs_are_unique(entries: list[CatalogueEntry]) -> None:
    slugs = [entry.slug for entry in entries]
    assert len(slugs) == len(set(slugs))


def test_every_pillar_barrier_and_audience_is_covered(entries: list[CatalogueEntry]) -> None:
    assert {entry.pillar for entry in entries} == set(PILLARS)
    assert {barrier for entry in entries for barrier in entry.barriers} == set(BARRIERS)
    audiences = {entry.audience for entry in entries}
    assert {"family", "recovery"} <= audiences <= set(AUDIENCES)


def test_everything_the_guide_names_is_present(entries: list[CatalogueEntry]) -> None:
    missing = NAMED_IN_GUIDE - {entry.slug for entry in entries}
    assert not missing, f"missing from the catalogue: {sorted(missing)}"


def test_no_phone_numbers(entries: list[CatalogueEntry]) -> None:
    for entry in entries:
        for text in texts_of(entry):
            for run in DIGIT_RUN.findall(text):
                digits = sum(character.isdigit() for character in run)
                assert digits < 7, f"{entry.slug}: {run!r} looks like a phone number"


def test_phone_number_check_would_catch_one() -> None:
    runs = DIGIT_RUN.findall("Call the helpline on (555) 123-4567 any time")
    assert any(sum(c.isdigit() for c in run) >= 7 for run in runs)


def test_websites_are_https_and_on_the_allowed_list(entries: list[CatalogueEntry]) -> None:
    with_site = [entry for entry in entries if entry.website is not None]
    assert with_site
    for entry in with_site:
        assert entry.website is not None
        assert entry.website.startswith("https://")
        assert entry.website in ALLOWED_WEBSITES or REDDIT.match(entry.website), entry.slug


def test_search_phrase_placeholders_are_exactly_place(entries: list[CatalogueEntry]) -> None:
    with_place = 0
    for entry in entries:
        for phrase in entry.search_phrases:
            braces = re.findall(r"\{[^{}]*\}|[{}]", phrase)
            assert all(found == "{place}" for found in braces), f"{entry.slug}: {phrase!r}"
            with_place += bool(braces)
    assert with_place >= 5


def test_no_stigmatising_words(data: dict[str, Any], entries: list[CatalogueEntry]) -> None:
    assert not STIGMA.search(data["source"])
    for entry in entries:
        for text in texts_of(entry):
            assert not STIGMA.search(text), f"{entry.slug}: {text!r}"


def test_stigma_check_matches_words_not_parts_of_words() -> None:
    assert STIGMA.search("a group for recovering Addicts")
    assert not STIGMA.search("opioid addiction online support")


# Validation of hand-made data


def test_a_minimal_catalogue_is_valid() -> None:
    assert validate_catalogue_data(catalogue_of(minimal_entry())) == []


def without(field: str) -> dict[str, Any]:
    entry = minimal_entry()
    del entry[field]
    return entry


BROKEN: list[tuple[str, dict[str, Any], str]] = [
    (
        "duplicate slug",
        catalogue_of(minimal_entry(), minimal_entry(name="Another")),
        "'test-group' is used more than once",
    ),
    ("unknown pillar", catalogue_of(minimal_entry(pillar="peers")), "pillar 'peers'"),
    ("unknown barrier", catalogue_of(minimal_entry(barriers=["cost"])), "barriers 'cost'"),
    ("missing field", catalogue_of(without("website")), "website"),
    ("unknown format", catalogue_of(minimal_entry(formats=["zoom"])), "formats 'zoom'"),
    ("no formats", catalogue_of(minimal_entry(formats=[])), "formats"),
    ("extra field", catalogue_of(minimal_entry(phone="x")), "phone"),
    ("http website", catalogue_of(minimal_entry(website="http://na.org")), "website"),
]


@pytest.mark.parametrize(
    ("data", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_validation_reports_the_problem(data: dict[str, Any], expected: str) -> None:
    problems = validate_catalogue_data(data)
    assert problems
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("data", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_loading_rejects_what_validation_rejects(
    data: dict[str, Any], expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_validation_reports_a_brace_other_than_place() -> None:
    data = catalogue_of(minimal_entry(search_phrases=["NA in {city}"]))
    assert any("search_phrases" in problem for problem in validate_catalogue_data(data))


def test_validation_copes_with_the_wrong_shape() -> None:
    assert validate_catalogue_data([1, 2, 3])
    assert validate_catalogue_data({"version": 1, "source": "x", "entries": ["nope"]})


# Loading errors


def test_loading_invalid_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"version": 1, "entries": [', encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(path) in str(caught.value)
    assert "not valid JSON" in str(caught.value)
    assert isinstance(caught.value, TrackerError)
    assert caught.value.path == path


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"version": 1, "source": "x", "entries": "all of them"}',
        '{"version": 1, "source": "x", "entries": [{"slug": "only-a-slug"}]}',
    ],
)
def test_loading_the_wrong_shape_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "shape.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(str(path))):
        load_catalogue(path)


def test_loading_a_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(CatalogueError, match=re.escape(str(path))):
        load_catalogue(path)


def test_loading_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    path.write_text(json.dumps(catalogue_of(minimal_entry())), encoding="utf-8")
    (entry,) = load_catalogue(path)
    assert entry == CatalogueEntry(
        slug="test-group",
        name="Test group",
        pillar="peer",
        approaches=("peer-led",),
        audience="recovery",
        formats=("in-person",),
        description="A group for testing.",
        how_to_find=("Ask around.",),
        search_phrases=("test group {place}",),
        barriers=("time",),
        website=None,
    )


def test_the_shipped_catalogue_is_loaded_once_and_callers_get_their_own_list() -> None:
    first = load_catalogue()
    first.clear()
    second = load_catalogue()
    assert second
    assert second[0] is load_catalogue()[0]


# Search


def test_search_by_name_prefix_puts_smart_first(entries: list[CatalogueEntry]) -> None:
    found = search_catalogue(entries, "smart")
    assert {entry.slug for entry in found} >= {
        "smart-recovery",
        "smart-recovery-online",
        "smart-recovery-family-friends",
    }
    assert found[0].slug == "smart-recovery"
    assert all(entry.name.lower().startswith("smart") for entry in found[:3])


def test_name_prefix_before_name_substring_before_other_matches(
    entries: list[CatalogueEntry],
) -> None:
    found = search_catalogue(entries, "Recovery")

    def rank(entry: CatalogueEntry) -> int:
        name = entry.name.lower()
        return 0 if name.startswith("recovery") else 1 if "recovery" in name else 2

    ranks = [rank(entry) for entry in found]
    assert ranks == sorted(ranks)
    assert set(ranks) == {0, 1, 2}
    for group in (0, 1, 2):
        names = [entry.name.lower() for entry in found if rank(entry) == group]
        assert names == sorted(names)


def test_search_is_case_insensitive(entries: list[CatalogueEntry]) -> None:
    assert search_catalogue(entries, "NARCOTICS") == search_catalogue(entries, "narcotics")
    assert search_catalogue(entries, "narcotics")[0].slug == "narcotics-anonymous"


def test_search_by_pillar(entries: list[CatalogueEntry]) -> None:
    family = search_catalogue(entries, pillar="family")
    assert family
    assert {entry.slug for entry in family} == {e.slug for e in entries if e.pillar == "family"}
    assert search_catalogue(entries, pillar="Family support") == family


def test_search_by_format(entries: list[CatalogueEntry]) -> None:
    online = search_catalogue(entries, format="online")
    assert {entry.slug for entry in online} == {e.slug for e in entries if "online" in e.formats}
    assert "narcotics-anonymous" not in {entry.slug for entry in online}
    assert "online-na-meetings" in {entry.slug for entry in online}


def test_search_by_audience_includes_both(entries: list[CatalogueEntry]) -> None:
    for_recovery = search_catalogue(entries, audience="recovery")
    audiences = {entry.audience for entry in for_recovery}
    assert audiences == {"recovery", "both"}
    for_family = {entry.slug for entry in search_catalogue(entries, audience="family")}
    assert "nar-anon" in for_family
    assert "faith-based-recovery" in for_family  # for both
    assert "narcotics-anonymous" not in for_family


def test_search_matches_labels_and_approaches(entries: list[CatalogueEntry]) -> None:
    found = {entry.slug for entry in search_catalogue(entries, "medication")}
    assert {"mara", "reddit-suboxone", "reddit-methadone"} <= found
    assert "sober-hiking" in {entry.slug for entry in search_catalogue(entries, "holistic")}


def test_search_with_several_words_needs_all_of_them(entries: list[CatalogueEntry]) -> None:
    assert [entry.slug for entry in search_catalogue(entries, "reddit methadone")] == [
        "reddit-methadone"
    ]
    both = search_catalogue(entries, "online family")
    assert both
    assert "online-family-forums" in {entry.slug for entry in both}
    assert "narcotics-anonymous" not in {entry.slug for entry in both}


def test_search_combines_query_and_filters(entries: list[CatalogueEntry]) -> None:
    found = search_catalogue(entries, "smart", pillar="family")
    assert [entry.slug for entry in found] == ["smart-recovery-family-friends"]


def test_search_without_a_match_is_empty(entries: list[CatalogueEntry]) -> None:
    assert search_catalogue(entries, "underwater basket weaving") == []
    assert search_catalogue(entries, "yoga", pillar="online") == []


def test_empty_query_returns_everything_in_name_order(entries: list[CatalogueEntry]) -> None:
    found = search_catalogue(entries)
    assert len(found) == len(entries)
    names = [entry.name.casefold() for entry in found]
    assert names == sorted(names)


def test_an_unknown_filter_is_a_clear_error(entries: list[CatalogueEntry]) -> None:
    with pytest.raises(InvalidField, match="pillar must be one of"):
        search_catalogue(entries, pillar="peers")


def test_get_entry(entries: list[CatalogueEntry]) -> None:
    mara = get_entry(entries, "mara")
    assert mara is not None
    assert "medication-friendly" in mara.approaches
    assert get_entry(entries, "no-such-group") is None


# Search phrases


def test_search_phrases_for_a_place(entries: list[CatalogueEntry]) -> None:
    na = get_entry(entries, "narcotics-anonymous")
    rco = get_entry(entries, "recovery-community-organisation")
    assert na is not None and rco is not None
    assert na.search_phrases_for("Leeds") == ["Narcotics Anonymous Leeds"]
    assert rco.search_phrases_for("  Leeds ") == [
        "Leeds Recovery Community Organization",
        "Peer Recovery Support Leeds",
    ]


def test_search_phrases_without_a_place(entries: list[CatalogueEntry]) -> None:
    na = get_entry(entries, "narcotics-anonymous")
    rco = get_entry(entries, "recovery-community-organisation")
    assert na is not None and rco is not None
    assert na.search_phrases_for("") == ["Narcotics Anonymous"]
    assert rco.search_phrases_for("") == [
        "Recovery Community Organization",
        "Peer Recovery Support",
    ]
    for entry in entries:
        for phrase in entry.search_phrases_for(""):
            assert "{" not in phrase
            assert "  " not in phrase
            assert phrase == phrase.strip()


def test_search_phrases_that_collapse_together_are_given_once() -> None:
    entry = CatalogueEntry(
        slug="x",
        name="X",
        pillar="peer",
        approaches=(),
        audience="recovery",
        formats=("online",),
        description="X.",
        how_to_find=("Look.",),
        search_phrases=("NA {place}", "{place} NA", "{place}", "NA meetings"),
        barriers=(),
        website=None,
    )
    assert entry.search_phrases_for("") == ["NA", "NA meetings"]
    assert entry.search_phrases_for("York") == ["NA York", "York NA", "York", "NA meetings"]


# Import cost


def test_importing_the_module_stays_light() -> None:
    code = (
        "import sys, tracker.domain.catalogue; "
        "print(sorted(m for m in ('jsonschema', 'textual', 'rich') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "[]"


def test_validation_does_not_change_the_data(data: dict[str, Any]) -> None:
    before = copy.deepcopy(data)
    validate_catalogue_data(data)
    assert data == before

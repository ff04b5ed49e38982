"""The profile and the thresholds: strict when written, forgiving when read."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.profile import THRESHOLD_FIELDS, Profile, Thresholds
from tracker.errors import InvalidField

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
FIELDS = ["journal_for", "approaches", "formats", "barriers", "asked"]


def test_validated_accepts_labels_and_keeps_the_vocabulary_order() -> None:
    profile = Profile(
        journal_for="Supporting a loved one",
        approaches=("Secular / CBT", "12-step", "secular"),
        formats=("online",),
        barriers=("time", "Stigma or shame"),
    ).validated()
    assert profile == Profile(
        journal_for="loved-one",
        approaches=("12-step", "secular"),
        formats=("online",),
        barriers=("stigma", "time"),
    )
    assert profile.supporting
    assert profile.format_ok("online") and not profile.format_ok("in-person")
    assert Profile().format_ok("in-person")  # no formats chosen: any is fine


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        (Profile(journal_for="my cat"), "journal for"),
        (Profile(approaches=("astrology",)), "approaches"),
        (Profile(formats=("by post",)), "formats"),
        (Profile(barriers=("weather",)), "barriers"),
    ],
)
def test_validated_names_the_field(profile: Profile, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        profile.validated()
    assert caught.value.field == field


def test_a_stored_profile_round_trips() -> None:
    profile = Profile("me", ("secular",), ("online", "hybrid"), ("transport",), asked=True)
    assert Profile.from_json(json.loads(json.dumps(profile.to_json()))) == profile


def test_odd_stored_values_are_left_out() -> None:
    stored = {
        "journal_for": ["me"],
        "approaches": ["secular", {"x": 1}, ["12-step"], "astrology"],
        "formats": "online",
        "barriers": [None, "time"],
        "asked": "yes",
    }
    assert Profile.from_json(stored) == Profile(approaches=("secular",), barriers=("time",))


@given(st.dictionaries(st.sampled_from(FIELDS), JSON) | JSON)
def test_reading_any_json_never_fails_and_gives_a_valid_profile(value: object) -> None:
    profile = Profile.from_json(value)
    assert profile.validated() == profile


@given(st.dictionaries(st.sampled_from([f.name for f in THRESHOLD_FIELDS]), JSON) | JSON)
def test_reading_any_thresholds_never_fails_and_stays_in_range(value: object) -> None:
    thresholds = Thresholds.from_json(value)
    assert thresholds.validated() == thresholds


def test_thresholds_validate_each_field() -> None:
    assert Thresholds(meeting_days="30", fit_drop="1.5").validated() == Thresholds(  # type: ignore[arg-type]
        meeting_days=30, fit_drop=1.5
    )
    for name, bad, words in [
        ("meeting_days", 3, "from 7 to 90"),
        ("missed_weeks", 2.5, "whole number"),
        ("fit_drop", float("nan"), "a number"),
        ("score_drop", "lots", "a number"),
        ("baseline_weeks", True, "a number"),
    ]:
        with pytest.raises(InvalidField) as caught:
            Thresholds(**{name: bad}).validated()
        assert caught.value.field == name
        assert words in caught.value.message

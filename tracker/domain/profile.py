"""The person's profile (the first-run questions) and the thresholds of the engagement rule.

Both are stored as JSON in the settings table (keys ``profile`` and ``engagement``). Reading is
forgiving: a value that is missing or not understood falls back to the default, so a hand-edited
settings row can never stop the app. Writing is strict: ``Profile.validated()`` and
``Thresholds.validated()`` raise :class:`~tracker.errors.InvalidField` naming the field.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.domain import vocab
from tracker.errors import InvalidField

PROFILE_KEY = "profile"
THRESHOLDS_KEY = "engagement"


@dataclass(frozen=True)
class Profile:
    """What the person told us about themselves. Every answer may be skipped.

    - ``journal_for``: "me" or "loved-one", or None when not answered.
    - ``approaches``: preferred approaches (codes of ``vocab.PREFERRED_APPROACHES``); empty means
      no preference.
    - ``formats``: the formats that are fine (``vocab.FORMATS``); empty means any format.
    - ``barriers``: the barriers that apply (``vocab.BARRIERS``).
    - ``asked``: the first-run questions have been shown (answered or skipped), so the app does
      not ask again on start; they stay under Settings.
    """

    journal_for: str | None = None
    approaches: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    barriers: tuple[str, ...] = ()
    asked: bool = False

    @property
    def supporting(self) -> bool:
        """The journal is kept by someone supporting a loved one."""
        return self.journal_for == "loved-one"

    def format_ok(self, fmt: str) -> bool:
        return not self.formats or fmt in self.formats

    def validated(self) -> Profile:
        journal_for = self.journal_for
        if journal_for is not None:
            journal_for = vocab.check_code("journal for", vocab.JOURNAL_FOR, journal_for)
        return dataclasses.replace(
            self,
            journal_for=journal_for,
            approaches=_codes("approaches", vocab.PREFERRED_APPROACHES, self.approaches),
            formats=_codes("formats", vocab.FORMATS, self.formats),
            barriers=_codes("barriers", vocab.BARRIERS, self.barriers),
            asked=bool(self.asked),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "journal_for": self.journal_for,
            "approaches": list(self.approaches),
            "formats": list(self.formats),
            "barriers": list(self.barriers),
            "asked": self.asked,
        }

    @classmethod
    def from_json(cls, value: object) -> Profile:
        """Read a stored profile; anything not understood is left out."""
        if not isinstance(value, Mapping):
            return cls()
        journal_for = value.get("journal_for")
        return cls(
            journal_for=journal_for
            if isinstance(journal_for, str) and journal_for in vocab.JOURNAL_FOR
            else None,
            approaches=_known(value.get("approaches"), vocab.PREFERRED_APPROACHES),
            formats=_known(value.get("formats"), vocab.FORMATS),
            barriers=_known(value.get("barriers"), vocab.BARRIERS),
            asked=value.get("asked") is True,
        )


def _known(value: object, vocabulary: Mapping[str, str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    given = {item for item in value if isinstance(item, str)}
    return tuple(code for code in vocabulary if code in given)


def _codes(field: str, vocabulary: dict[str, str], values: Iterable[str]) -> tuple[str, ...]:
    chosen = {vocab.check_code(field, vocabulary, value) for value in values}
    # Stored in the vocabulary's order, so equal profiles compare and serialise equal.
    return tuple(code for code in vocabulary if code in chosen)


@dataclass(frozen=True)
class ThresholdField:
    name: str
    label: str
    help: str
    low: float
    high: float
    whole: bool = True


THRESHOLD_FIELDS: tuple[ThresholdField, ...] = (
    ThresholdField(
        "baseline_weeks",
        "Baseline weeks",
        "Your recent baseline is your average strength over this many weeks, "
        "ending four weeks ago.",
        4,
        52,
    ),
    ThresholdField(
        "score_drop",
        "Fall in strength (points)",
        "Notice when your strength is this many points below your baseline.",
        5,
        60,
    ),
    ThresholdField(
        "missed_weeks",
        "Weeks in a row",
        "Notice when the goal was missed this many weeks in a row (excused weeks skipped).",
        2,
        12,
    ),
    ThresholdField(
        "meeting_days",
        "Days without a meeting",
        "Notice when there has been no meeting for this many days (excused weeks not counted).",
        7,
        90,
    ),
    ThresholdField(
        "contact_days",
        "Days without sponsor contact",
        "Notice when no sponsor, mentor or coach has been contacted for this many days.",
        7,
        90,
    ),
    ThresholdField(
        "fit_drop",
        "Fit rating fall",
        "Notice when a group's latest fit rating is this much below its earlier average (1–5).",
        0.5,
        3.0,
        whole=False,
    ),
)


@dataclass(frozen=True)
class Thresholds:
    """When the engagement rule notices a drop. The defaults suit most people; all can be changed
    in Settings. See the README's "Engagement" section for the rule itself."""

    baseline_weeks: int = 12
    score_drop: int = 15
    missed_weeks: int = 2
    meeting_days: int = 14
    contact_days: int = 14
    fit_drop: float = 1.0

    def validated(self) -> Thresholds:
        values: dict[str, Any] = {}
        for spec in THRESHOLD_FIELDS:
            values[spec.name] = _number(spec, getattr(self, spec.name))
        return Thresholds(**values)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, value: object) -> Thresholds:
        """Read stored thresholds; a value that is missing or out of range takes its default."""
        if not isinstance(value, Mapping):
            return cls()
        values: dict[str, Any] = {}
        for spec in THRESHOLD_FIELDS:
            if spec.name in value:
                with contextlib.suppress(InvalidField):
                    values[spec.name] = _number(spec, value[spec.name])
        return cls(**values)


def _number(spec: ThresholdField, value: object) -> Any:
    shown = spec.label.lower()
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidField(spec.name, f"{shown}: please give a number.")
    if spec.whole:
        if value != int(value):
            raise InvalidField(spec.name, f"{shown}: please give a whole number.")
        value = int(value)
    else:
        value = round(float(value), 2)
    if not spec.low <= value <= spec.high:
        low = int(spec.low) if spec.whole else spec.low
        high = int(spec.high) if spec.whole else spec.high
        raise InvalidField(spec.name, f"{shown}: choose a value from {low} to {high}.")
    return value

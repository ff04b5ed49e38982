"""Settings and the first-run questions (who the journal is for, the weekly goal, preferred
approaches and formats, barriers, and the engagement thresholds), the privacy settings (discreet
mode, and the idle lock of an encrypted journal), and excusing a week.

Every question may be skipped. The answers shape the suggestions; nothing here leaves the computer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tracker.domain import vocab
from tracker.domain.dates import parse_date, week_label
from tracker.domain.models import ExcusedWeek, ExcusedWeekFields
from tracker.domain.profile import THRESHOLD_FIELDS, Profile, ThresholdField, Thresholds
from tracker.screens.actions import DATE_HINT, _options, with_data
from tracker.screens.dialogs import ChoiceScreen
from tracker.screens.forms import FormField, FormScreen
from tracker.screens.lock import (
    DISCREET_SETTING,
    LOCK_AFTER_CHOICES,
    LOCK_AFTER_SETTING,
    discreet_setting,
    lock_after_label,
    lock_after_setting,
)

if TYPE_CHECKING:
    from tracker.app import TrackerApp
    from tracker.store import Store


@dataclass(frozen=True)
class _Privacy:
    discreet: bool
    lock_after: int  # minutes; 0 = never (always 0 for a journal that isn't encrypted)


@dataclass(frozen=True)
class _Settings:
    profile: Profile
    goal: int
    thresholds: Thresholds
    privacy: _Privacy
    encrypted: bool


@dataclass(frozen=True)
class _Answers:
    profile: Profile
    goal: int
    thresholds: Thresholds | None  # None: not asked (first run)
    privacy: _Privacy | None = None  # None: not asked (first run)


def _read(store: Store) -> _Settings:
    privacy = _Privacy(discreet_setting(store), lock_after_setting(store))
    return _Settings(store.profile, store.weekly_goal, store.thresholds, privacy, store.encrypted)


def _profile_fields(settings: _Settings) -> list[FormField]:
    from tracker.store.journal import check_weekly_goal

    profile = settings.profile
    return [
        FormField(
            "journal_for",
            "This journal is for",
            kind="choice",
            value=profile.journal_for,
            options=_options(vocab.JOURNAL_FOR),
            allow_blank=True,
            placeholder="Rather not say",
        ),
        FormField(
            "goal",
            "Meetings a week",
            value=str(settings.goal),
            width=6,
            restrict=r"[0-9]*",
            max_length=2,
            parse=lambda raw: check_weekly_goal(raw or ""),
            help="The guide suggests starting with one a week.",
        ),
        FormField(
            "approaches",
            "Approaches you like",
            kind="tags",
            value=profile.approaches,
            options=_options(vocab.PREFERRED_APPROACHES),
            help="Leave all unticked for no preference.",
        ),
        FormField(
            "formats",
            "Formats that are fine",
            kind="tags",
            value=profile.formats,
            options=_options(vocab.FORMATS),
            help="Leave all unticked if any format is fine.",
        ),
        FormField(
            "barriers",
            "What gets in the way",
            kind="tags",
            value=profile.barriers,
            options=_options(vocab.BARRIERS),
            help="Suggestions take these into account, as the guide advises.",
        ),
    ]


def _privacy_fields(settings: _Settings) -> list[FormField]:
    fields = [
        FormField(
            "discreet",
            "Discreet mode",
            kind="flag",
            value=settings.privacy.discreet,
            help="A title bar with only the date. (ctrl+l always hides the screen at once.)",
        )
    ]
    if settings.encrypted:
        fields.append(
            FormField(
                "lock_after",
                "Lock by itself",
                kind="choice",
                value=settings.privacy.lock_after,
                options=[(lock_after_label(minutes), minutes) for minutes in LOCK_AFTER_CHOICES],
                help="The journal asks for its passphrase again after this long untouched.",
            )
        )
    return fields


def _threshold_field(spec: ThresholdField, value: float) -> FormField:
    shown = str(value if not spec.whole else int(value))
    return FormField(
        spec.name,
        spec.label,
        value=shown,
        width=8,
        restrict=r"[0-9.]*",
        max_length=5,
        help=spec.help,
    )


def _build(values: dict[str, Any], *, with_thresholds: bool) -> _Answers:
    privacy = None
    if "discreet" in values:
        lock_after = values.get("lock_after") or 0
        privacy = _Privacy(bool(values["discreet"]), lock_after)
    profile = Profile(
        journal_for=values["journal_for"],
        approaches=tuple(values["approaches"]),
        formats=tuple(values["formats"]),
        barriers=tuple(values["barriers"]),
        asked=True,
    ).validated()
    thresholds = None
    if with_thresholds:
        thresholds = Thresholds(**{spec.name: values[spec.name] for spec in THRESHOLD_FIELDS})
        thresholds = thresholds.validated()
    return _Answers(profile, values["goal"], thresholds, privacy)


def _save(store: Store, answers: _Answers) -> _Answers:
    with store.atomic():
        store.set_profile(answers.profile)
        store.set_weekly_goal(answers.goal)
        if answers.thresholds is not None:
            store.set_thresholds(answers.thresholds)
        if answers.privacy is not None:
            store.set_setting(DISCREET_SETTING, answers.privacy.discreet)
            if store.encrypted:
                store.set_setting(LOCK_AFTER_SETTING, answers.privacy.lock_after)
    return answers


def open_settings(app: TrackerApp) -> None:
    """The profile, the weekly goal and the thresholds of the engagement check."""

    def show(settings: _Settings) -> None:
        fields = _profile_fields(settings) + _privacy_fields(settings)
        fields += [
            _threshold_field(spec, getattr(settings.thresholds, spec.name))
            for spec in THRESHOLD_FIELDS
        ]
        app.push_screen(
            FormScreen(
                "Settings",
                fields,
                build=lambda values: _build(values, with_thresholds=True),
                save=lambda answers: _save(app.store, answers),
                intro="Your answers stay on this computer. The last six settings decide when "
                "the app notices that things have gone quieter.",
            ),
            callback=saved,
        )

    def saved(result: _Answers | None) -> None:
        if result is not None:
            if result.privacy is not None:
                app.apply_privacy(
                    discreet=result.privacy.discreet, lock_after=result.privacy.lock_after
                )
            app.notify("Settings saved.", markup=False)

    with_data(app, _read, show)


def ask_first_run(app: TrackerApp) -> None:
    """On first run: a few optional questions. Skipping is fine; they stay under Settings."""

    def show(settings: _Settings) -> None:
        if settings.profile.asked:
            return
        app.push_screen(
            FormScreen(
                "Welcome to Tracker",
                _profile_fields(settings),
                build=lambda values: _build(values, with_thresholds=False),
                save=lambda answers: _save(app.store, answers),
                submit_label="Save",
                intro="A few questions, all optional, so suggestions fit you. Skip any of them, "
                "or press Esc to skip them all; you can answer later under Settings (s on Home).",
            ),
            callback=lambda result: skipped(settings) if result is None else None,
        )

    def skipped(settings: _Settings) -> None:
        asked = dataclasses.replace(settings.profile, asked=True)
        app.save(lambda: app.store.set_profile(asked), message="", refresh=False)

    with_data(app, _read, show)


def open_excuse_form(app: TrackerApp, day: date | None = None) -> None:
    """Mark a week as excused (illness, travel, other): it never counts against you."""
    today = app.today()

    def parse(raw: str) -> date:
        return parse_date(raw or "today", today=today, field="week", allow_future=True)

    def preview(raw: str) -> str:
        return f"→ the week of {week_label(parse(raw), today=today)}"

    fields = [
        FormField(
            "week",
            "Any day that week",
            value="today" if day is None else day.isoformat(),
            placeholder=DATE_HINT,
            parse=parse,
            preview=preview,
        ),
        FormField(
            "reason",
            "Reason",
            kind="choice",
            value="other",
            options=_options(vocab.EXCUSE_REASONS),
        ),
        FormField("note", "Note", kind="note", help="Optional, and private."),
    ]

    def build(values: dict[str, Any]) -> ExcusedWeekFields:
        return ExcusedWeekFields(
            week=values["week"], reason=values["reason"] or "other", note=values["note"]
        ).validated(today=today)

    def saved(result: ExcusedWeek | None) -> None:
        if result is not None:
            app.notify(
                f"The week of {week_label(result.week, today=today)} is excused. "
                "It won't count against you.",
                markup=False,
            )

    app.push_screen(
        FormScreen(
            "Excuse a week",
            fields,
            build=build,
            save=app.store.excuse_week,
            intro="Illness, travel, life: an excused week doesn't lower your strength, break a "
            "run, or count as missed.",
        ),
        callback=saved,
    )


def remove_excuse(app: TrackerApp) -> None:
    """Choose an excused week to count as usual again."""

    def show(weeks: list[ExcusedWeek]) -> None:
        today = app.today()
        if not weeks:
            app.notify("No weeks are excused.", markup=False)
            return
        choices: list[tuple[str, str, Any]] = [
            (
                w.week.isoformat(),
                f"{week_label(w.week, today=today)} · "
                f"{vocab.label(vocab.EXCUSE_REASONS, w.reason)}",
                "default",
            )
            for w in weeks[:8]
        ]
        choices.append(("cancel", "Cancel", "default"))
        app.push_screen(
            ChoiceScreen(
                "Count a week as usual again",
                Text("Which excused week should count as usual again?"),
                choices,
            ),
            callback=chosen,
        )

    def chosen(answer: str | None) -> None:
        if answer in (None, "cancel"):
            return
        monday = date.fromisoformat(answer)
        app.save(
            lambda: app.store.unexcuse_week(monday),
            message=f"The week of {week_label(monday, today=app.today())} counts as usual again.",
        )

    with_data(app, lambda store: store.list_excused_weeks(), show)

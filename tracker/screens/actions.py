"""What a person can do from anywhere: open the form for an entry, delete with care, and the
command-palette list of those actions.

Options for a form (the groups, the people) are read in a worker thread, and the form opens when
they arrive, so the UI thread never waits on the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual.app import SystemCommand
from textual.widgets.button import ButtonVariant

from tracker.domain import vocab
from tracker.domain.catalogue import CatalogueEntry
from tracker.domain.dates import day_in_sentence, format_day, parse_date, parse_time
from tracker.domain.models import (
    ALIAS_MAX,
    LOCATION_MAX,
    NAME_MAX,
    Attendance,
    AttendanceFields,
    Contact,
    ContactFields,
    FitFields,
    FitRating,
    Group,
    GroupFields,
    Person,
    PersonFields,
    ServiceEntry,
    ServiceFields,
    check_email,
    check_phone,
)
from tracker.domain.schedules import parse_schedule, stored_schedule
from tracker.errors import InvalidField, TrackerError
from tracker.screens.dialogs import ChoiceScreen, confirm_delete
from tracker.screens.forms import FormField, FormScreen
from tracker.screens.literal import literal_line

if TYPE_CHECKING:
    from tracker.app import TrackerApp
    from tracker.store import Store

T = TypeVar("T")

DATE_HINT = "today, yesterday, last tue, 20 Nov, 2026-11-20"


def with_data(app: TrackerApp, fetch: Callable[[Store], T], then: Callable[[T], None]) -> None:
    """Read with ``fetch`` in a worker thread, then call ``then`` with it on the UI thread."""

    def work() -> None:
        try:
            data = fetch(app.store)
        except TrackerError as error:
            app.call_from_thread(app.show_error, error)
            return
        app.call_from_thread(then, data)

    app.run_worker(work, thread=True, group="fetch", name="fetch")


def _options(vocabulary: dict[str, str]) -> list[tuple[str | Text, Any]]:
    return [(label, code) for code, label in vocabulary.items()]


def _date_field(
    app: TrackerApp, value: date | None, name: str = "date", label: str = "Date"
) -> FormField:
    today = app.today()
    return FormField(
        name,
        label,
        value=("today" if value is None or value == today else value.isoformat()),
        placeholder=DATE_HINT,
        parse=lambda raw: parse_date(raw or "today", today=today, field=name),
        preview=lambda raw: "→ " + format_day(parse_date(raw or "today", today=today), today=today),
    )


SHARE_HELP = "Show this note to my mentor in reviews (notes are private unless you tick this)"


def _share_field(value: bool) -> FormField:
    """The "share with my mentor" box that follows every note. It starts unticked (private)."""
    return FormField("note_shared", "Share note", kind="flag", value=value, help=SHARE_HELP)


def _choice_required(name: str, what: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if value is None:
            raise InvalidField(name, f"{name}: please choose {what}.")
        return value

    return parse


def _minutes(raw: str) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidField("minutes", "minutes: give a whole number, like 30.")
    return int(text)


def _rating(name: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        text = (raw or "").strip()
        if text not in {"1", "2", "3", "4", "5"}:
            raise InvalidField(name, f"{name}: rate it from 1 to 5.")
        return int(text)

    return parse


def _group_options(groups: Iterable[Group]) -> list[tuple[str | Text, Any]]:
    return [(literal_line(g.name), g.id) for g in groups]


# --- groups --------------------------------------------------------------------------------------


def open_group_form(
    app: TrackerApp,
    group: Group | None = None,
    entry: CatalogueEntry | None = None,
    formats: Sequence[str] = (),
    *,
    prefill: GroupFields | None = None,
    add: Callable[[GroupFields], Group] | None = None,
    intro: str = "",
) -> None:
    """Add a group by hand, add one from a catalogue entry (prefilled, in the first of its
    formats that is among ``formats``, the ones the person said are fine), or edit one.

    ``prefill`` starts a new group from other fields (a meeting from a directory), saved with
    ``add`` instead of ``Store.add_group`` when given; ``intro`` says where it came from."""
    if group is not None:
        base = group.fields
    elif prefill is not None:
        base = prefill
    elif entry is not None:
        base = entry.group_fields(formats)
    else:
        base = GroupFields(name="")
    today = app.today()
    current = stored_schedule(base.schedule)
    schedule_words = current.describe() if current else ""
    tag_options: list[tuple[str | Text, Any]] = _options(vocab.APPROACH_TAGS)
    tag_options += [(tag, tag) for tag in base.tags if tag not in vocab.APPROACH_TAGS]

    def schedule_parse(raw: str) -> str | None:
        parsed = parse_schedule(raw or "", today=today)
        return parsed.to_text() if parsed else None

    def schedule_preview(raw: str) -> str:
        parsed = parse_schedule(raw or "", today=today)
        if parsed is None:
            return ""
        upcoming = parsed.next_after(app.now())
        when = ""
        if upcoming:
            when = f" · next: {format_day(upcoming.date(), today=today)} {upcoming:%H:%M}"
        return f"→ {parsed.describe()}{when}"

    def extra_tags(raw: str) -> tuple[str, ...]:
        return tuple(vocab.normalise_tag(t) for t in (raw or "").split(",") if t.strip())

    fields = [
        FormField(
            "name",
            "Name",
            value=base.name,
            placeholder="e.g. NA Downtown",
            required=True,
            max_length=NAME_MAX,
        ),
        FormField(
            "pillar", "Kind", kind="choice", value=base.pillar, options=_options(vocab.PILLARS)
        ),
        FormField(
            "format", "Format", kind="choice", value=base.format, options=_options(vocab.FORMATS)
        ),
        FormField(
            "status", "Status", kind="choice", value=base.status, options=_options(vocab.STATUSES)
        ),
        FormField(
            "schedule",
            "Meets",
            value=schedule_words,
            placeholder="Tuesdays 7pm · every other Sat 10:00 · first Monday of the month 18:30",
            parse=schedule_parse,
            preview=schedule_preview,
        ),
        FormField(
            "location",
            "Where",
            value=base.location,
            placeholder="an address or a link (stays on this computer)",
            max_length=LOCATION_MAX,
        ),
        FormField("tags", "Approach", kind="tags", value=base.tags, options=tag_options),
        FormField(
            "more_tags",
            "Other tags",
            placeholder="comma-separated, e.g. women-only, lgbtq",
            parse=extra_tags,
        ),
        FormField("notes", "Notes", kind="note", value=base.notes),
        _share_field(base.note_shared),
    ]

    def build(values: dict[str, Any]) -> GroupFields:
        return GroupFields(
            name=values["name"],
            pillar=values["pillar"],
            format=values["format"],
            status=values["status"],
            schedule=values["schedule"],
            location=values["location"],
            tags=tuple(values["tags"]) + tuple(values["more_tags"]),
            catalogue_slug=base.catalogue_slug,
            notes=values["notes"],
            note_shared=values["note_shared"],
        ).validated()

    _open_entry_form(
        app,
        editing=group,
        titles=("Add a group", "Edit group"),
        add=add or app.store.add_group,
        update=app.store.update_group,
        fields=fields,
        build=build,
        message=lambda g: f"Saved {g.name}.",
        intro=intro or (f"From the starter catalogue: {entry.name}" if entry else ""),
    )


def _open_entry_form(
    app: TrackerApp,
    *,
    editing: Any | None,
    titles: tuple[str, str],
    add: Callable[[Any], Any],
    update: Callable[[int, Any], Any],
    fields: list[FormField],
    build: Callable[[dict[str, Any]], Any],
    message: Callable[[Any], str],
    intro: str = "",
    submit_label: str = "Save",
) -> None:
    """Open the form for a new entry (``titles[0]``, saved with ``add``) or for ``editing``
    (``titles[1]``, saved with ``update``); confirm with ``message`` once saved."""
    save: Callable[[Any], Any] = add if editing is None else partial(update, editing.id)
    title = titles[0] if editing is None else titles[1]
    app.push_screen(
        FormScreen(title, fields, build=build, save=save, intro=intro, submit_label=submit_label),
        callback=lambda result: _saved(app, result, message),
    )


def _when_confirmed(answer: str | None, action: Callable[[], None]) -> None:
    if answer == "delete":
        action()


def _saved(app: TrackerApp, result: Any, message: Callable[[Any], str]) -> None:
    if result is not None:
        app.notify(message(result), markup=False)


def delete_group(app: TrackerApp, group: Group) -> None:
    """Deleting a group asks what happens to its history; nothing is dropped silently."""

    def ask(data: tuple[dict[str, int], list[Group]]) -> None:
        counts, others = data
        if not any(counts.values()):
            app.push_screen(
                confirm_delete(literal_line(group.name)),
                callback=lambda answer: _when_confirmed(
                    answer,
                    lambda: app.save(
                        lambda: app.store.delete_group(group.id), message=f"Deleted {group.name}."
                    ),
                ),
            )
            return
        parts = []
        if counts["attendance"]:
            parts.append(
                f"{counts['attendance']} meeting{'s' if counts['attendance'] != 1 else ''}"
            )
        if counts["fit_ratings"]:
            parts.append(
                f"{counts['fit_ratings']} fit rating{'s' if counts['fit_ratings'] != 1 else ''}"
            )
        if counts["service"]:
            parts.append(
                f"{counts['service']} service entr{'ies' if counts['service'] != 1 else 'y'}"
            )
        body = Text()
        body.append_text(literal_line(group.name, style="bold"))
        body.append(" has " + ", ".join(parts) + " in your journal. What should happen to them?")
        choices: list[tuple[str, str, ButtonVariant]] = [
            ("not-for-me", "Keep everything; mark the group 'not for me'", "primary")
        ]
        if others:
            choices.append(("move", "Move them to another group, then delete this one", "default"))
        delete_label = "Delete the group with its meetings and ratings"
        if counts["service"]:
            delete_label += " (service entries stay)"
        choices += [("delete", delete_label, "error"), ("cancel", "Cancel", "default")]
        app.push_screen(
            ChoiceScreen("Delete group", body, choices), callback=partial(chosen, others)
        )

    def chosen(others: list[Group], answer: str | None) -> None:
        if answer == "not-for-me":
            fields = dataclasses.replace(group.fields, status="not-for-me")
            app.save(
                lambda: app.store.update_group(group.id, fields),
                message=f"{group.name} is marked 'not for me'; its history stays.",
            )
        elif answer == "delete":
            app.save(
                lambda: app.store.delete_group(group.id, history="delete"),
                message=f"Deleted {group.name} and its history.",
            )
        elif answer == "move":

            def move_and_delete(target: int) -> int:
                app.store.delete_group(group.id, history="move", move_to=target)
                return target

            form = FormScreen(
                "Move history",
                [
                    FormField(
                        "group_id",
                        "Move to",
                        kind="choice",
                        options=_group_options(others),
                        parse=_choice_required("group", "a group"),
                    )
                ],
                build=lambda values: values["group_id"],
                save=move_and_delete,
                submit_label="Move and delete",
                intro="Its history moves to the group you choose; then this group is deleted.",
            )
            app.push_screen(
                form,
                callback=lambda result: _saved(
                    app,
                    result,
                    lambda _target: f"Moved the history of {group.name} and deleted it.",
                ),
            )

    with_data(
        app,
        lambda store: (
            store.group_history(group.id),
            [g for g in store.list_groups() if g.id != group.id],
        ),
        ask,
    )


# --- attendance ----------------------------------------------------------------------------------


def open_attendance_form(
    app: TrackerApp, entry: Attendance | None = None, group_id: int | None = None
) -> None:
    """The short form for logging a meeting (or editing one)."""

    def show(groups: list[Group]) -> None:
        if not groups:
            app.notify(
                "Add a group first (2, then a), then you can log its meetings.", severity="warning"
            )
            return
        base = entry.fields if entry else None
        chosen = base.group_id if base else (group_id or _likely_group(groups))
        fields = [
            FormField(
                "group_id",
                "Group",
                kind="choice",
                value=chosen,
                options=_group_options(groups),
                parse=_choice_required("group", "a group"),
            ),
            _date_field(app, base.date if base else None),
            FormField(
                "time",
                "Time",
                value=base.time.strftime("%H:%M") if base and base.time else "",
                placeholder="optional, e.g. 19:00 or 7pm",
                parse=lambda raw: parse_time(raw or ""),
            ),
            FormField(
                "attended",
                "Went",
                kind="flag",
                value=base.attended if base else True,
                help="Untick to note a meeting you missed. Missed weeks are part of recovery.",
            ),
            FormField("shared", "I shared", kind="flag", value=base.shared if base else False),
            FormField("note", "Note", kind="note", value=base.note if base else ""),
            _share_field(base.note_shared if base else False),
        ]

        def build(values: dict[str, Any]) -> AttendanceFields:
            time = values["time"]
            if time is None and values["date"]:
                group = next((g for g in groups if g.id == values["group_id"]), None)
                schedule = stored_schedule(group.schedule if group else None)
                time = schedule.time_on(values["date"]) if schedule else None
            return AttendanceFields(
                group_id=values["group_id"],
                date=values["date"],
                time=time,
                attended=values["attended"],
                shared=values["shared"],
                note=values["note"],
                note_shared=values["note_shared"],
            ).validated(today=app.today())

        _open_entry_form(
            app,
            editing=entry,
            titles=("Log a meeting", "Edit meeting"),
            add=app.store.log_attendance,
            update=app.store.update_attendance,
            fields=fields,
            build=build,
            message=_logged_message(app),
            submit_label="Save" if entry else "Log it",
        )

    with_data(app, lambda store: store.list_groups(include_not_for_me=entry is not None), show)


def _likely_group(groups: list[Group]) -> int:
    """Preselect the home group, else the first regular one, else the first."""
    for status in ("home-group", "regular", "trying"):
        for group in groups:
            if group.status == status:
                return group.id
    return groups[0].id


def _logged_message(app: TrackerApp) -> Callable[[Attendance], str]:
    def message(entry: Attendance) -> str:
        when = day_in_sentence(entry.date, today=app.today())
        if not entry.attended:
            return f"Noted: missed {entry.group_name}, {when}. That's OK."
        return f"Logged {entry.group_name}, {when}{' (shared)' if entry.shared else ''}."

    return message


def log_session(app: TrackerApp, group: Group, day: date, when: Any) -> None:
    """One key from the dashboard: log a scheduled meeting as attended."""
    fields = AttendanceFields(group_id=group.id, date=day, time=when)
    app.save(
        lambda: app.store.log_attendance(fields),
        message=f"Logged {group.name}, {day_in_sentence(day, today=app.today())}.",
    )


# --- people and contacts -------------------------------------------------------------------------


def open_person_form(app: TrackerApp, person: Person | None = None) -> None:
    base = person.fields if person else PersonFields(alias="")
    fields = [
        FormField(
            "alias",
            "Alias",
            value=base.alias,
            placeholder="a first name or an initial",
            required=True,
            max_length=ALIAS_MAX,
        ),
        FormField("role", "Role", kind="choice", value=base.role, options=_options(vocab.ROLES)),
        FormField("phone", "Phone", value=base.phone, placeholder="optional", parse=check_phone),
        FormField("email", "Email", value=base.email, placeholder="optional", parse=check_email),
        FormField("notes", "Notes", kind="note", value=base.notes),
        _share_field(base.note_shared),
    ]

    def build(values: dict[str, Any]) -> PersonFields:
        return PersonFields(**values).validated()

    _open_entry_form(
        app,
        editing=person,
        titles=("Add a person", "Edit person"),
        add=app.store.add_person,
        update=app.store.update_person,
        fields=fields,
        build=build,
        message=lambda p: f"Saved {p.alias}.",
        intro="People are kept by an alias. Phone and email stay on this computer.",
    )


def open_contact_form(
    app: TrackerApp, contact: Contact | None = None, person_id: int | None = None
) -> None:
    def show(people: list[Person]) -> None:
        if not people:
            app.notify("Add a person first (4, then a).", severity="warning")
            return
        base = contact.fields if contact else None
        chosen = base.person_id if base else (person_id or people[0].id)
        fields = [
            FormField(
                "person_id",
                "With",
                kind="choice",
                value=chosen,
                options=[
                    (literal_line(f"{p.alias} ({vocab.label(vocab.ROLES, p.role).lower()})"), p.id)
                    for p in people
                ],
                parse=_choice_required("person", "a person"),
            ),
            _date_field(app, base.date if base else None),
            FormField(
                "method",
                "How",
                kind="choice",
                value=base.method if base else "call",
                options=_options(vocab.CONTACT_METHODS),
            ),
            FormField("note", "Note", kind="note", value=base.note if base else ""),
            _share_field(base.note_shared if base else False),
        ]

        def build(values: dict[str, Any]) -> ContactFields:
            return ContactFields(**values).validated(today=app.today())

        _open_entry_form(
            app,
            editing=contact,
            titles=("Log a contact", "Edit contact"),
            add=app.store.log_contact,
            update=app.store.update_contact,
            fields=fields,
            build=build,
            message=lambda c: (
                f"Logged a {vocab.label(vocab.CONTACT_METHODS, c.method).lower()} "
                f"with {c.person_alias}."
            ),
        )

    with_data(app, lambda store: store.list_people(), show)


def delete_person(app: TrackerApp, person: Person) -> None:
    detail = ""
    if person.contact_count:
        plural = "s" if person.contact_count != 1 else ""
        detail = f"Their {person.contact_count} logged contact{plural} will be deleted too."
    app.push_screen(
        confirm_delete(literal_line(person.alias), detail),
        callback=lambda answer: _when_confirmed(
            answer,
            lambda: app.save(
                lambda: app.store.delete_person(person.id, with_contacts=True),
                message=f"Deleted {person.alias}.",
            ),
        ),
    )


# --- service -------------------------------------------------------------------------------------


def open_service_form(app: TrackerApp, entry: ServiceEntry | None = None) -> None:
    def show(groups: list[Group]) -> None:
        base = entry.fields if entry else None
        fields = [
            FormField(
                "kind",
                "What",
                kind="choice",
                value=base.kind if base else "set-up",
                options=_options(vocab.SERVICE_KINDS),
            ),
            _date_field(app, base.date if base else None),
            FormField(
                "group_id",
                "Group",
                kind="choice",
                value=base.group_id if base else None,
                options=_group_options(groups),
                allow_blank=True,
            ),
            FormField(
                "minutes",
                "Minutes",
                value=str(base.minutes) if base and base.minutes else "",
                placeholder="optional, e.g. 30",
                parse=_minutes,
                restrict=r"[0-9]*",
                max_length=4,
            ),
            FormField("note", "Note", kind="note", value=base.note if base else ""),
            _share_field(base.note_shared if base else False),
        ]

        def build(values: dict[str, Any]) -> ServiceFields:
            return ServiceFields(**values).validated(today=app.today())

        _open_entry_form(
            app,
            editing=entry,
            titles=("Log service", "Edit service"),
            add=app.store.add_service,
            update=app.store.update_service,
            fields=fields,
            build=build,
            message=lambda s: f"Logged service: {vocab.label(vocab.SERVICE_KINDS, s.kind)}.",
            intro="Giving back strengthens your own recovery.",
        )

    with_data(app, lambda store: store.list_groups(), show)


# --- fit ratings ---------------------------------------------------------------------------------


def open_rating_form(
    app: TrackerApp, rating: FitRating | None = None, group_id: int | None = None
) -> None:
    def show(groups: list[Group]) -> None:
        if not groups:
            app.notify(
                "Add a group first (2, then a), then you can rate how it fits.", severity="warning"
            )
            return
        base = rating.fields if rating else None
        fields = [
            FormField(
                "group_id",
                "Group",
                kind="choice",
                value=base.group_id if base else (group_id or _likely_group(groups)),
                options=_group_options(groups),
                parse=_choice_required("group", "a group"),
            ),
            _date_field(app, base.date if base else None),
        ]
        for name, label in vocab.FIT_SHORT.items():
            fields.append(
                FormField(
                    name,
                    label,
                    value=str(getattr(base, name)) if base else "",
                    placeholder="1–5",
                    parse=_rating(name),
                    restrict=r"[1-5]?",
                    max_length=1,
                    width=7,
                    help=vocab.FIT_HELP[name],
                )
            )
        fields.append(FormField("note", "Note", kind="note", value=base.note if base else ""))
        fields.append(_share_field(base.note_shared if base else False))

        def build(values: dict[str, Any]) -> FitFields:
            return FitFields(**values).validated(today=app.today())

        _open_entry_form(
            app,
            editing=rating,
            titles=("Find your fit", "Edit fit rating"),
            add=app.store.add_rating,
            update=app.store.update_rating,
            fields=fields,
            build=build,
            message=lambda r: f"Rated {r.group_name}: {r.average:.1f} overall.",
            intro="1 = not at all, 5 = very much. Not every group fits everyone, and that's fine.",
        )

    with_data(app, lambda store: store.list_groups(), show)


# --- settings ------------------------------------------------------------------------------------


def open_goal_form(app: TrackerApp) -> None:
    from tracker.store.journal import check_weekly_goal

    def show(goal: int) -> None:
        fields = [
            FormField(
                "goal",
                "Meetings a week",
                value=str(goal),
                width=6,
                restrict=r"[0-9]*",
                max_length=2,
                parse=lambda raw: check_weekly_goal(raw or ""),
            )
        ]

        def save(new_goal: int) -> int:
            app.store.set_weekly_goal(new_goal)
            return new_goal

        app.push_screen(
            FormScreen(
                "Weekly goal",
                fields,
                build=lambda values: values["goal"],
                save=save,
                intro="The guide suggests starting with one meeting a week. Change it any time.",
            ),
            callback=lambda result: _saved(
                app, result, lambda g: f"Weekly goal: {g} meeting{'s' if g != 1 else ''}."
            ),
        )

    with_data(app, lambda store: store.weekly_goal, show)


def delete_entry(app: TrackerApp, what: Text, delete: Callable[[], None], message: str) -> None:
    app.push_screen(
        confirm_delete(what),
        callback=lambda answer: _when_confirmed(answer, lambda: app.save(delete, message=message)),
    )


def open_catalogue(app: TrackerApp) -> None:
    from tracker.screens.catalogue import CatalogueScreen

    def picked(entry: CatalogueEntry | None) -> None:
        if entry is not None:
            open_group_form(app, entry=entry)

    app.push_screen(CatalogueScreen(), callback=picked)


def _remove_excuse(app: TrackerApp) -> None:
    from tracker.screens.settings import remove_excuse

    remove_excuse(app)


# --- the command palette -------------------------------------------------------------------------


def palette_commands(app: TrackerApp) -> Iterable[SystemCommand]:
    yield SystemCommand(
        "Log a meeting",
        "Record a meeting you went to, or missed",
        lambda: open_attendance_form(app),
    )
    yield SystemCommand(
        "Add a group from the catalogue",
        "Browse the starter catalogue of support groups",
        lambda: open_catalogue(app),
    )
    yield SystemCommand(
        "Add a group by hand", "A group you found yourself", lambda: open_group_form(app)
    )
    yield SystemCommand(
        "Log a contact",
        "A call, text or coffee with your sponsor or mentor",
        lambda: open_contact_form(app),
    )
    yield SystemCommand(
        "Add a person",
        "A sponsor, mentor, coach or friend, by alias",
        lambda: open_person_form(app),
    )
    yield SystemCommand(
        "Log service",
        "Setting up chairs, making coffee, greeting newcomers...",
        lambda: open_service_form(app),
    )
    yield SystemCommand(
        "Rate a group (find your fit)", "How well a group fits you", lambda: open_rating_form(app)
    )
    yield SystemCommand("Compare groups", "Groups side by side", lambda: app.action_go("compare"))
    yield SystemCommand(
        "Set weekly goal", "How many meetings a week you aim for", lambda: open_goal_form(app)
    )
    yield SystemCommand(
        "Settings",
        "Who the journal is for, your goal, approaches, formats, barriers, thresholds",
        app.action_settings,
    )
    yield SystemCommand(
        "Excuse a week",
        "Illness, travel or other: the week won't count against you",
        app.action_excuse,
    )
    yield SystemCommand(
        "Count an excused week as usual",
        "Take the excuse off a week",
        partial(_remove_excuse, app),
    )
    yield SystemCommand(
        "Review with your mentor",
        "A summary of a period, with only the notes you share (key 0)",
        partial(app.action_go, "review"),
    )
    yield SystemCommand(
        "Suggestions",
        "Groups you haven't tried, ranked for you, with reasons (key 9)",
        partial(app.action_go, "suggest"),
    )
    yield SystemCommand(
        "Search the journal",
        'Words, "a phrase", shar*, kind:contact, person:sam, since:march (key /)',
        app.action_search,
    )
    yield SystemCommand(
        "Meeting directory",
        "Browse imported meeting lists by day, time, online or in person, and type (key b)",
        partial(app.action_go, "directory"),
    )
    yield SystemCommand(
        "Timeline",
        "Everything in date order, newest first, with your milestones (key t)",
        partial(app.action_go, "timeline"),
    )
    for mode, key, label in (
        ("home", "1", "Home"),
        ("groups", "2", "Groups"),
        ("meetings", "3", "Meetings"),
        ("people", "4", "People"),
        ("service", "5", "Service"),
        ("fit", "6", "Fit"),
        ("progress", "8", "Progress"),
    ):
        yield SystemCommand(
            f"Go to {label}", f"Show the {label} section (key {key})", partial(app.action_go, mode)
        )
    yield SystemCommand(
        "Toggle light and dark",
        "Switch between the light and dark theme (ctrl+t)",
        app.action_toggle_theme,
    )

"""One form dialog for every journal area.

A form is a list of :class:`FormField` plus two functions:
- ``build(values)`` turns the parsed values into a ``*Fields`` object and validates it. It is pure
  and quick, so it runs on the UI thread as the person presses Save.
- ``save(fields)`` writes it through the store. It runs in a worker thread.

Every field is parsed first and every problem is shown beside its own field; nothing is written
until the whole form is valid. A problem only the database can see (a duplicate name) comes back
from ``save`` and is shown beside its field too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tracker.domain.models import clean_line, clean_note
from tracker.errors import InvalidField, TrackerError
from tracker.screens.literal import literal

if TYPE_CHECKING:
    from tracker.app import TrackerApp

Parser = Callable[[Any], Any]


@dataclass
class FormField:
    """One field of a form.

    ``kind`` is one of: ``text`` (one line), ``note`` (several lines), ``choice`` (a Select of
    ``options``), ``tags`` (several of ``options``), ``flag`` (a checkbox).
    ``parse`` turns the raw value into what ``build`` gets, raising InvalidField. Without one,
    text is trimmed and checked (``required``, ``max_length``, no control characters).
    ``preview`` shows, beside the field, what the typed text was understood as (optional).
    """

    name: str
    label: str
    kind: str = "text"
    value: Any = ""
    options: Sequence[tuple[str | Text, Any]] = ()
    placeholder: str = ""
    parse: Parser | None = None
    preview: Callable[[Any], str] | None = None
    allow_blank: bool = False
    required: bool = False
    width: int | None = None
    restrict: str | None = None
    max_length: int = 0
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _prompt(text: str | Text) -> Text:
    return text if isinstance(text, Text) else literal(text)


class FormScreen(ModalScreen[Any]):
    """A dialog with labelled fields, errors beside them, Save and Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Save"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        *,
        build: Callable[[dict[str, Any]], Any],
        save: Callable[[Any], Any],
        submit_label: str = "Save",
        intro: str = "",
        writes: bool = True,
    ) -> None:
        super().__init__(classes="form-screen")
        self.form_title = title
        self.fields = fields
        self.build = build
        self.save_action = save
        self.submit_label = submit_label
        self.intro = intro
        # A form that only asks something (a period, a file name) doesn't change the journal,
        # so the screens needn't reload after it.
        self.writes = writes
        self.saving = False

    @property
    def tracker_app(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="dialog"):
            yield Static(Text(self.form_title, style="bold"), id="form-title")
            if self.intro:
                yield Static(Text(self.intro, style="dim"), id="form-intro")
            with VerticalScroll(id="form-fields"):
                for spec in self.fields:
                    with Vertical(classes=f"field field-{spec.kind}", id=f"field-{spec.name}"):
                        with Horizontal(classes="field-row"):
                            yield Label(spec.label, classes="field-label")
                            yield self._widget(spec)
                        if spec.preview is not None:
                            yield Static("", classes="field-preview", id=f"preview-{spec.name}")
                        if spec.help:
                            yield Static(Text(spec.help, style="dim"), classes="field-help")
                        yield Static("", classes="field-error", id=f"error-{spec.name}")
            yield Static("", classes="field-error", id="error-form")
            with Horizontal(id="form-buttons"):
                yield Button(self.submit_label, variant="primary", id="submit", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static(
                Text("Tab moves between fields · Enter or ctrl+s saves · Esc cancels", style="dim"),
                id="form-keys",
            )

    def _widget(self, spec: FormField) -> Widget:
        wid = f"input-{spec.name}"
        if spec.kind == "note":
            area = TextArea(
                str(spec.value or ""),
                id=wid,
                classes="field-input",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                compact=True,
            )
            return area
        if spec.kind == "choice":
            options = [(_prompt(label), value) for label, value in spec.options]
            values = [value for _label, value in options]
            select: Select[Any] = Select(
                options,
                id=wid,
                classes="field-input",
                allow_blank=spec.allow_blank,
                value=spec.value if spec.value in values else Select.NULL,
                compact=True,
                prompt="(none)" if spec.allow_blank else "Select",
            )
            return select
        if spec.kind == "tags":
            chosen = set(spec.value or ())
            selections = [
                Selection(_prompt(label), value, value in chosen) for label, value in spec.options
            ]
            return SelectionList[Any](*selections, id=wid, classes="field-input")
        if spec.kind == "flag":
            return Checkbox("", bool(spec.value), id=wid, classes="field-input", compact=True)
        widget = Input(
            str(spec.value or ""),
            placeholder=spec.placeholder,
            id=wid,
            classes="field-input",
            compact=True,
            restrict=spec.restrict,
            max_length=spec.max_length,
        )
        if spec.width:
            widget.styles.width = spec.width
        return widget

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#input-{self.fields[0].name}").focus()
        for spec in self.fields:
            if spec.preview is not None:
                self._update_preview(spec)
        self.call_after_refresh(self._fit_fields)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_fields)

    def _fit_fields(self) -> None:
        """A form taller than the screen scrolls its fields, keeping Save and Cancel in view."""
        dialog = self.query_one("#form")
        fields = self.query_one("#form-fields")
        chrome = dialog.outer_size.height - dialog.content_size.height
        others = sum(child.outer_size.height for child in dialog.children if child is not fields)
        room = max(self.size.height - chrome - others, 3)
        if fields.styles.max_height is None or fields.styles.max_height.value != room:
            fields.styles.max_height = room

    # --- reading values ------------------------------------------------------------------------

    def raw_value(self, spec: FormField) -> Any:
        widget = self.query_one(f"#input-{spec.name}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, SelectionList):
            return tuple(widget.selected)
        if isinstance(widget, Checkbox):
            return widget.value
        assert isinstance(widget, Input)
        return widget.value

    def field_spec(self, name: str) -> FormField | None:
        return next((spec for spec in self.fields if spec.name == name), None)

    def set_error(self, name: str, message: str) -> None:
        target = f"#error-{name}" if self.field_spec(name) else "#error-form"
        error = self.query_one(target, Static)
        error.update(Text(message))
        error.display = bool(message)
        if self.field_spec(name):
            self.query_one(f"#field-{name}").set_class(bool(message), "-invalid")

    def clear_errors(self) -> None:
        for spec in self.fields:
            self.set_error(spec.name, "")
        self.set_error("form", "")

    # --- previews ------------------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("input-")
        spec = self.field_spec(name)
        if spec is not None and spec.preview is not None:
            self._update_preview(spec)

    def _update_preview(self, spec: FormField) -> None:
        assert spec.preview is not None
        try:
            text = spec.preview(self.raw_value(spec))
            style = "green"
        except TrackerError:  # not readable yet: the error shows when saving
            text, style = "", ""
        self.query_one(f"#preview-{spec.name}", Static).update(Text(text, style=style))

    # --- submitting ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def _enter_pressed(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.saving:  # once Save is pressed, the form closes when the write is done
            self.dismiss(None)

    def collect(self) -> Any | None:
        """Parse and validate everything; show every problem. Returns the built fields or None."""
        self.clear_errors()
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in self.fields:
            raw = self.raw_value(spec)
            try:
                values[spec.name] = self._parse(spec, raw)
            except InvalidField as error:
                self.set_error(spec.name, error.message)
                problems.append(spec.name)
        if problems:
            self._focus_field(problems[0])
            return None
        try:
            return self.build(values)
        except InvalidField as error:
            self.set_error(self._field_for(error.field), error.message)
            self._focus_field(self._field_for(error.field))
            return None
        except TrackerError as error:
            self.set_error("form", error.message)
            return None

    @staticmethod
    def _parse(spec: FormField, raw: Any) -> Any:
        if spec.parse is not None:
            return spec.parse(raw)
        name = spec.label.lower()
        if spec.kind == "note":
            return clean_note(name, raw)
        if spec.kind == "text":
            return clean_line(name, raw, required=spec.required, max_len=spec.max_length or 200)
        return raw

    def _field_for(self, error_field: str) -> str:
        aliases = {
            "where": "location",
            "how": "method",
            "what": "kind",
            "person": "person_id",
            "group": "group_id",
        }
        if self.field_spec(error_field):
            return error_field
        alias = aliases.get(error_field, error_field)
        return alias if self.field_spec(alias) else "form"

    def _focus_field(self, name: str) -> None:
        if self.field_spec(name):
            self.query_one(f"#input-{name}").focus()

    def action_submit(self) -> None:
        if self.saving:
            return
        built = self.collect()
        if built is None:
            return
        self.saving = True
        self.query_one("#submit", Button).disabled = True
        # The app runs the write in a worker, then refreshes every screen and calls us back.
        self.tracker_app.save(
            lambda: self.save_action(built),
            then=self._saved,
            on_error=self._save_failed,
            refresh=self.writes,
        )

    def _saved(self, result: Any) -> None:
        self.dismiss(result)

    def _save_failed(self, error: TrackerError) -> None:
        self.saving = False
        self.query_one("#submit", Button).disabled = False
        name = self._field_for(error.field) if isinstance(error, InvalidField) else "form"
        self.set_error(name, error.message)
        self._focus_field(name)

"""Small dialogs: asking before deleting, and choosing between a few named options."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant


class ChoiceScreen(ModalScreen[str | None]):
    """A question with a few answers, one button each. Esc answers None (cancel).

    ``choices`` are (id, label, variant) triples; the first is focused. Each button also answers
    to the number key of its position.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, body: Text | str, choices: list[tuple[str, str, ButtonVariant]]
    ) -> None:
        super().__init__(classes="choice-screen")
        self.title_text = title
        self.body = body if isinstance(body, Text) else Text(body)
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice"):
            yield Static(Text(self.title_text, style="bold"), id="choice-title")
            yield Static(self.body, id="choice-body")
            with Vertical(id="choice-buttons"):
                for index, (choice_id, label, variant) in enumerate(self.choices, start=1):
                    yield Button(
                        f"{index}  {label}", id=f"choice-{choice_id}", variant=variant, compact=True
                    )
            yield Static(Text("Enter chooses · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key.isdigit() and 1 <= int(key) <= len(self.choices):
            getattr(event, "stop", lambda: None)()
            self.dismiss(self.choices[int(key) - 1][0])
        elif key in ("down", "up"):
            getattr(event, "stop", lambda: None)()
            if key == "down":
                self.focus_next(Button)
            else:
                self.focus_previous(Button)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm_delete(what: Text | str, detail: str = "") -> ChoiceScreen:
    """ "Delete this? It can't be undone." with Delete and Keep it."""
    body = Text()
    body.append("Delete ")
    body.append_text(what if isinstance(what, Text) else Text(what))
    body.append("?")
    if detail:
        body.append("\n" + detail)
    body.append("\nThis can't be undone.", style="dim")
    return ChoiceScreen(
        "Delete", body, [("keep", "Keep it", "default"), ("delete", "Delete", "error")]
    )

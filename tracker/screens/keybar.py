"""The key bar along the bottom of every screen: the keys that work here, and ^p for the palette.

Textual's own Footer builds one widget per key and rebuilds them all whenever the bindings
change, which happens on every screen switch and every focus change; with a dozen keys that was
the largest single cost of switching sections (see docs/performance.md). This bar is one widget
that draws one line, so a change of bindings is a repaint, not a rebuild.

Each key is clickable (it acts as if the key were pressed), disabled keys are dimmed, and when
the keys don't all fit, the ones that don't are left out whole rather than cut mid-word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


def _click(key: str) -> str:
    # Our own bindings' keys only ("a", "ctrl+s", "question_mark"): no quotes or brackets.
    return f"app.simulate_key('{key}')"


class KeyBar(Widget):
    """One line of ``key description`` pairs for the screen's shown bindings."""

    ALLOW_SELECT = False
    # Each key is a click action; without this Textual would draw them all in the link colour.
    auto_links = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def shown(self) -> list[tuple[Binding, bool]]:
        """(binding, enabled) for each key to show, in order: one per action, the first bound
        key of each (as Textual's Footer does). The palette key is left to the right end."""
        palette = self.app.COMMAND_PALETTE_BINDING
        seen: set[str] = set()
        shown: list[tuple[Binding, bool]] = []
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in seen or key == palette:
                continue
            seen.add(binding.action)
            shown.append((binding, enabled))
        return shown

    def _item(self, binding: Binding, enabled: bool, description: str) -> Content:
        key_style = self.get_visual_style("keybar--key", partial=True)
        text_style = self.get_visual_style("keybar--description", partial=True)
        item = Content.assemble(
            (f" {self.app.get_key_display(binding)} ", key_style),
            (f"{description} " if description else "", text_style),
        )
        item = item.stylize(f"@click={_click(binding.key)}")
        return item.stylize("dim") if not enabled else item

    def render(self) -> Content:
        width = self.size.width
        palette = self._palette_item()
        room = width - palette.cell_length
        parts: list[Content] = []
        used = 0
        for binding, enabled in self.shown():
            item = self._item(binding, enabled, binding.description)
            if used + item.cell_length > room:
                break
            parts.append(item)
            used += item.cell_length
        gap = Content(" " * max(room - used, 0))
        return Content("").join([*parts, gap, palette])

    def _palette_item(self) -> Content:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return Content("")
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return Content("")
        _node, binding, enabled, _tooltip = found
        return Content.assemble("▏", self._item(binding, enabled, binding.description or "palette"))

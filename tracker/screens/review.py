"""Review: a summary of a period to go through with a sponsor or mentor.

What the screen shows is exactly what an export holds (the Markdown, shown literally), so it is the
preview: nothing is written until the person exports. ``m`` opens the mentor view, a read-only
page with only the review, for going through it together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.domain.review import Period, Review, build_review, parse_period
from tracker.errors import InvalidField, TrackerError
from tracker.report.markdown import to_markdown
from tracker.review_data import review_input
from tracker.screens.base import JournalScreen
from tracker.screens.dialogs import ChoiceScreen
from tracker.screens.forms import FormField, FormScreen
from tracker.screens.keybar import KeyBar

# What `p` steps through: (since, label shown in the key bar's hint).
PERIODS: tuple[tuple[str, str], ...] = (
    ("30d", "last 30 days"),
    ("90d", "last 90 days"),
    ("this year", "this year"),
)


@dataclass(frozen=True)
class ReviewData:
    review: Review
    markdown: str  # what a Markdown export holds
    shown: str  # the same, without Markdown escapes: the screen shows text literally


def review_text(markdown: str) -> Text:
    """The review as shown on screen: its Markdown, shown literally (user text stays inert),
    without the code-fence lines around its text charts."""
    markdown = "\n".join(line for line in markdown.split("\n") if not line.startswith("```"))
    text = Text(markdown, no_wrap=False)
    start = 0
    for line in markdown.split("\n"):
        if line.startswith("#"):
            text.stylize("bold", start, start + len(line))
        start += len(line) + 1
    return text


class ReviewScreen(JournalScreen):
    SECTION = "review"
    TITLE_TEXT = "a review to share with your mentor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "next_period", "Period"),
        Binding("c", "custom_period", "Custom dates"),
        Binding("e", "export", "Export"),
        Binding("m", "mentor_view", "Mentor view"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period_index = 0
        self.custom: tuple[str, str | None] | None = None
        self.data: ReviewData | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("", id="review-period")
            with VerticalScroll(id="review-box"):
                yield Static("", id="review-text")

    # --- data ----------------------------------------------------------------------------------

    def period_words(self) -> tuple[str, str | None]:
        if self.custom is not None:
            return self.custom
        return PERIODS[self.period_index][0], None

    def fetch(self) -> ReviewData:
        since, until = self.period_words()
        period: Period = parse_period(since, until, today=self.store.today())
        review = build_review(review_input(self.store, period))
        return ReviewData(review, to_markdown(review), to_markdown(review, plain=True))

    def show(self, data: ReviewData) -> None:
        self.data = data
        line = Text()
        line.append("Showing ", style="dim")
        line.append(data.review.period.label, style="bold")
        line.append(" · exactly what an export holds · ", style="dim")
        line.append("p", style="bold")
        line.append(" period  ", style="dim")
        line.append("e", style="bold")
        line.append(" export  ", style="dim")
        line.append("m", style="bold")
        line.append(" mentor view", style="dim")
        self.query_one("#review-period", Static).update(line)
        self.query_one("#review-text", Static).update(review_text(data.shown))

    # --- actions -------------------------------------------------------------------------------

    def action_next_period(self) -> None:
        self.custom = None
        self.period_index = (self.period_index + 1) % len(PERIODS)
        self.reload()

    def action_custom_period(self) -> None:
        today = self.tracker.today()

        def check(values: dict[str, str]) -> tuple[str, str | None]:
            since, until = values["since"] or "30d", values["until"] or None
            parse_period(since, until, today=today)  # raises InvalidField naming the field
            return since, until

        self.app.push_screen(
            FormScreen(
                "Choose the period",
                [
                    FormField("since", "From", placeholder="90d, this year, 1 Sep, 2026-09-01"),
                    FormField("until", "To", placeholder="today, 30 Nov, 2026-11-30"),
                ],
                build=check,
                save=lambda chosen: chosen,
                submit_label="Show",
                writes=False,
            ),
            callback=self._custom_chosen,
        )

    def _custom_chosen(self, chosen: tuple[str, str | None] | None) -> None:
        if chosen is not None:
            self.custom = chosen
            self.reload()

    def action_export(self) -> None:
        if self.data is None:
            return
        body = Text()
        body.append(self.data.review.intro)
        body.append("\n\nWhich format?")
        self.app.push_screen(
            ChoiceScreen(
                "Export this review",
                body,
                [
                    ("md", "Markdown: plain text, easy to read anywhere", "primary"),
                    ("html", "A page to print or save as PDF", "default"),
                    ("cancel", "Cancel", "default"),
                ],
            ),
            callback=self._format_chosen,
        )

    def _format_chosen(self, fmt: str | None) -> None:
        if fmt not in ("md", "html") or self.data is None:
            return
        data = self.data
        default = Path.home() / f"review-{data.review.period.until.isoformat()}.{fmt}"

        def build(values: dict[str, str]) -> Path:
            return Path(values["path"]).expanduser()

        def write(path: Path) -> Path:
            from tracker.paths import write_private_text

            if not path.parent.is_dir():
                raise InvalidField("path", f"path: the folder {path.parent} doesn't exist.")
            if fmt == "html":
                from tracker.report.html import to_html

                text = to_html(data.review)
            else:
                text = data.markdown
            try:
                write_private_text(path, text)
            except OSError as error:
                raise TrackerError(f"The review couldn't be written ({error.strerror}).") from error
            return path

        self.app.push_screen(
            FormScreen(
                "Save the review",
                [FormField("path", "File", value=str(default), max_length=1000)],
                build=build,
                save=write,
                submit_label="Save",
                intro="Only you can read the file (0600). It holds only what the preview shows.",
                writes=False,
            ),
            callback=self._exported,
        )

    def _exported(self, path: Path | None) -> None:
        if path is not None:
            self.notify(f"Saved the review to {path}.", markup=False)

    def action_mentor_view(self) -> None:
        if self.data is not None:
            self.app.push_screen(MentorView(self.data.shown))


class MentorView(ModalScreen[None]):
    """The review alone, read-only: no sections, no editing, no other notes. Esc leaves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave mentor view"),
        Binding("down,j", "scroll(1)", "Scroll", show=False),
        Binding("up,k", "scroll(-1)", "Scroll", show=False),
        Binding("pagedown,space", "scroll(10)", "Page down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
        Binding("home", "scroll(-100000)", "Top", show=False),
        Binding("end", "scroll(100000)", "End", show=False),
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__(classes="mentor-view")
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                ("Mentor view", "bold"),
                ("  read-only · only what you chose to share · Esc leaves", "dim"),
            ),
            id="mentor-title",
        )
        with VerticalScroll(id="mentor-box"):
            yield Static(review_text(self.markdown), id="mentor-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.mentor_view = True  # type: ignore[attr-defined]
        self.query_one("#mentor-box").focus()

    def on_unmount(self) -> None:
        self.app.mentor_view = False  # type: ignore[attr-defined]

    def action_scroll(self, lines: int) -> None:
        self.query_one("#mentor-box", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_leave(self) -> None:
        self.dismiss(None)
